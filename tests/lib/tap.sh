#!/usr/bin/env bash
# A small TAP library for the cli tests: assertions, a world-readable staging dir, and
# `sb` to run the binary under test as an unprivileged user (uid 65534 when we are root).
#
# shellcheck disable=SC2034 # the variables here are for the files that source this one
# Every test file sources this, calls its checks, and ends with `done_testing`.
# SANDBOX: the binary under test (meson passes it; default: build/sandbox of this checkout).
# PROBE: tests/probe/probe.c built (default: build/tests/probe). CI=true turns a skip into a
# failure. SANDBOX_TEST_AS_ROOT=1: run the sandbox as real root with --unshare-user instead
# of as uid 65534 (meson runs the main topics once more that way).

set -uo pipefail

_tap_n=0
_tap_failed=0
T_ROOT=$(id -u)
T_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SANDBOX:=$T_LIB/../../build/sandbox}"
: "${PROBE:=$T_LIB/../../build/tests/probe}"
T_AS_ROOT=false
[[ ${SANDBOX_TEST_AS_ROOT:-} == 1 ]] && T_AS_ROOT=true

# The checkout may sit below a directory uid 65534 can't enter: everything the sandbox
# runs or reads is copied into a world-readable temporary directory first.
STAGE=$(mktemp -d /tmp/sandbox-test.XXXXXX)
chmod 755 "$STAGE"
trap 'chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/bin" "$STAGE/work"
chmod 777 "$STAGE/work"
if [[ ! -x $SANDBOX ]]; then
	echo "Bail out! SANDBOX=$SANDBOX is not an executable (build it, or point SANDBOX at it)"
	exit 1
fi
cp "$SANDBOX" "$STAGE/bin/sandbox"
ln -s sandbox "$STAGE/bin/bwrap"
SB="$STAGE/bin/sandbox"
BW="$STAGE/bin/bwrap"
# The probe, when built: a static program that needs nothing else inside the sandbox.
PR=
if [[ -x $PROBE ]]; then
	cp "$PROBE" "$STAGE/bin/probe"
	PR="$STAGE/bin/probe"
fi
chmod 755 "$STAGE/bin" "$STAGE/bin"/*
W="$STAGE/work"         # a directory the unprivileged user can write
PY=/usr/bin/python3     # not a root-only pyenv shim

# The host's programs, read-only: what most checks run in.
SYSTEM=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64)
if [[ -d /usr/lib32 ]]; then SYSTEM+=(--symlink usr/lib32 /lib32); fi

# ok CONDITION-STATUS NAME [DIAGNOSTIC...]. With T_TODO=REASON set, a failure is a TAP TODO.
ok() {
	local status=$1 name=$2
	shift 2
	_tap_n=$((_tap_n + 1))
	if [[ $status -eq 0 ]]; then
		echo "ok $_tap_n - $name"
	elif [[ -n ${T_TODO:-} ]]; then # a known gap: reported, not counted as a failure
		echo "not ok $_tap_n - $name # TODO $T_TODO"
	else
		echo "not ok $_tap_n - $name"
		_tap_failed=$((_tap_failed + 1))
		local line
		for line in "$@"; do
			printf '#   %s\n' "${line//$'\n'/$'\n#   '}"
		done
	fi
}

skip() { # skip NAME REASON
	_tap_n=$((_tap_n + 1))
	if [[ ${CI:-} == true ]]; then
		echo "not ok $_tap_n - $1 # skipped in CI: $2"
		_tap_failed=$((_tap_failed + 1))
	else
		echo "ok $_tap_n - $1 # SKIP $2"
	fi
}

done_testing() {
	echo "1..$_tap_n"
	[[ $_tap_failed -eq 0 ]]
}

# In the as-root pass, a file that is not root has nothing to do.
if $T_AS_ROOT && [[ $T_ROOT -ne 0 ]]; then
	echo "1..0 # SKIP SANDBOX_TEST_AS_ROOT=1 needs root"
	exit 0
fi
# Extra options of every `sb`: the as-root pass asks for the user namespace that an
# unprivileged caller always gets.
T_EXTRA=()
$T_AS_ROOT && T_EXTRA=(--unshare-user)

# Runs a command as the unprivileged test user (or as ourselves when we are not root; as
# root itself in the as-root pass).
as_user() {
	if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}

# _run WRAPPER... -- ARGS...: runs a command from the staging dir; sets OUT, ERR and RC.
_run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	(cd "$STAGE" && "$@") >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

# sb ARGS...: the sandbox as the unprivileged user, without the default policy (each test file
# says what it checks; default.sh checks the default). sbd: with it. bw: under the name bwrap.
# sb_root: as real root (only meaningful when we are root). None of them fails itself.
# Debian's bwrap standing in for the binary under test has no default policy to turn off.
T_NODEF=(--no-default-policy)
[[ $("$SB" --version 2>/dev/null) == "bubblewrap 0."[0-9]* ]] && T_NODEF=()
sb() { _run as_user timeout 60 "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "$@"; }
sbd() { _run as_user timeout 60 "$SB" "${T_EXTRA[@]}" "$@"; }
bw() { _run as_user timeout 60 "$BW" "${T_EXTRA[@]}" "$@"; }
sb_root() { _run timeout 60 "$SB" "${T_NODEF[@]}" "$@"; }

is() { # is GOT WANT NAME
	if [[ "$1" == "$2" ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "want: $2" "stderr: ${ERR:-}"; fi
}

like() { # like GOT REGEX NAME
	if [[ "$1" =~ $2 ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "want: /$2/" "stderr: ${ERR:-}"; fi
}

unlike() { # unlike GOT REGEX NAME
	if [[ ! "$1" =~ $2 ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "must not match: /$2/"; fi
}

# What the caller's side looks like, to prove a failed launch left nothing behind.
host_state() {
	{ cat /proc/self/mountinfo; find "$W" | sort; } 2>/dev/null
}

has() { # has GOT SUBSTRING NAME: a literal substring, no regex
	if [[ "$1" == *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "want the text: $2" "stderr: ${ERR:-}"; fi
}

lacks() { # lacks GOT SUBSTRING NAME
	if [[ "$1" != *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "must not contain: $2"; fi
}

# needs_probe NAME: the file stops here (one SKIP) when the probe was not built.
needs_probe() {
	if [[ -z $PR ]]; then
		skip "$1" "PROBE=$PROBE was not built"
		done_testing
		exit
	fi
}

# wait_gone PID: returns once PID has exited (its pidfd turns readable), at most 30 s.
wait_gone() {
	"$PY" -c 'import os,select,sys
try:
    fd = os.pidfd_open(int(sys.argv[1]))
except ProcessLookupError:
    sys.exit(0)
select.select([fd], [], [], 30)' "$1"
}

# kill_sandbox BG_PID INFO: SIGKILLs the sandbox process BG_PID (a background job started with
# --info-fd writing INFO), waits for its pid 1 to be gone, then prints each process still
# running in the sandbox's pid namespace, one "/proc/PID CMDLINE" line each (nothing: none).
# A zombie runs nothing: with its parent killed, reaping it is the system init's job.
kill_sandbox() {
	local init ns p
	init=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' "$2")
	ns=$(readlink "/proc/$init/ns/pid")
	kill -KILL "$1"
	wait "$1" 2>/dev/null
	wait_gone "$init"
	[[ -n $ns ]] || echo "no pid namespace found for the sandbox's pid 1 ($init)"
	for p in /proc/[0-9]*; do
		if [[ "$(readlink "$p/ns/pid" 2>/dev/null)" == "$ns" && "$(awk '{print $3}' "$p/stat" 2>/dev/null)" != Z ]]; then
			echo "$p $(tr '\0' ' ' <"$p/cmdline")"
			kill -KILL "$init" 2>/dev/null # the namespace goes with it: nothing outlives the test
		fi
	done
}

# json_get FILE KEY [LINE]: one key of the JSON object on LINE (default 1) of FILE.
json_get() {
	"$PY" -c 'import json,sys
print(json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[3]) - 1])[sys.argv[2]])' "$1" "$2" "${3:-1}"
}

# The seccomp tests call syscalls by number: x86_64's. Elsewhere the file says SKIP and stops.
x86_64_only() {
	if [[ $(uname -m) != x86_64 ]]; then
		skip "$1" "the syscall numbers in this test are x86_64's"
		done_testing
		exit
	fi
}

# "$PY" -c "$TRY" NAME [ARGS...]: makes the syscall NAME for real and prints the errno it got
# ("0" if none): flatpak's way to see exactly what a filter lets through.
TRY='import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
nr = {"uname": 63, "clone3": 435, "keyctl": 250, "ioctl": 16, "x32-getpid": 0x40000000 | 39, "socket": 41,
      "personality": 135, "acct": 163, "lseek": 8, "io_uring_setup": 425, "bpf": 321, "mount": 165, "sendmsg": 46,
      "unshare": 272}[sys.argv[1]]
args = [int(a, 0) for a in sys.argv[2:]] + [0] * 6
r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args[:6]])
print(errno.errorcode.get(ctypes.get_errno(), "0") if r < 0 else "0")'

# bpf_deny FILE SYSCALL...: writes a classic BPF seccomp program (struct sock_filter array,
# packed with python3) that makes the named calls fail with EPERM and allows everything else;
# a foreign architecture is killed. Returns 1 on an architecture it has no numbers for.
bpf_deny() {
	"$PY" - "$@" <<'PY'
import os, struct, sys
arches = {  # AUDIT_ARCH_*, and the numbers of the calls the tests deny
    "x86_64": (0xc000003e, {"uname": 63, "getcwd": 79, "chroot": 161, "keyctl": 250, "seccomp": 317}),
    "aarch64": (0xc00000b7, {"uname": 160, "getcwd": 17, "chroot": 51, "keyctl": 219, "seccomp": 277}),
}
machine = os.uname().machine
if machine not in arches:
    sys.exit(1)
arch, numbers = arches[machine]
calls = [numbers[n] for n in sys.argv[2:]]
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
prog = [(BPF_LD_W_ABS, 0, 0, 4),            # seccomp_data.arch
        (BPF_JEQ_K, 1, 0, arch),
        (BPF_RET_K, 0, 0, 0x80000000),       # SECCOMP_RET_KILL_PROCESS
        (BPF_LD_W_ABS, 0, 0, 0)]             # seccomp_data.nr
for i, nr in enumerate(calls):               # each: equal -> jump to the EPERM return
    prog.append((BPF_JEQ_K, len(calls) - i, 0, nr))
prog += [(BPF_RET_K, 0, 0, 0x7fff0000),      # SECCOMP_RET_ALLOW
         (BPF_RET_K, 0, 0, 0x00050000 | 1)]  # SECCOMP_RET_ERRNO | EPERM
with open(sys.argv[1], "wb") as f:
    f.write(b"".join(struct.pack("=HBBI", *insn) for insn in prog))
PY
}
