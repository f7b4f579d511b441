#!/usr/bin/env bash
# A small TAP library for the cli tests: assertions, a world-readable staging dir, and
# `sb` to run the binary under test as an unprivileged user (uid 65534 when we are root).
#
# shellcheck disable=SC2034 # the variables here are for the files that source this one
# Every test file sources this, calls its checks, and ends with `done_testing`.
# SANDBOX: the binary under test (meson passes it). CI=true turns a skip into a failure.

set -uo pipefail

_tap_n=0
_tap_failed=0
T_ROOT=$(id -u)

# The checkout may sit below a directory uid 65534 can't enter: everything the sandbox
# runs or reads is copied into a world-readable temporary directory first.
STAGE=$(mktemp -d /tmp/sandbox-test.XXXXXX)
chmod 755 "$STAGE"
trap 'chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/bin" "$STAGE/work"
chmod 777 "$STAGE/work"
cp "${SANDBOX:?SANDBOX must point to the sandbox binary}" "$STAGE/bin/sandbox"
ln -s sandbox "$STAGE/bin/bwrap"
chmod 755 "$STAGE/bin" "$STAGE/bin/sandbox"
SB="$STAGE/bin/sandbox"
BW="$STAGE/bin/bwrap"
W="$STAGE/work"         # a directory the unprivileged user can write
PY=/usr/bin/python3     # not a root-only pyenv shim

# The host's programs, read-only: what most checks run in.
SYSTEM=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64)
if [[ -d /usr/lib32 ]]; then SYSTEM+=(--symlink usr/lib32 /lib32); fi

ok() { # ok CONDITION-STATUS NAME [DIAGNOSTIC...]
	local status=$1 name=$2
	shift 2
	_tap_n=$((_tap_n + 1))
	if [[ $status -eq 0 ]]; then
		echo "ok $_tap_n - $name"
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

# Runs a command as the unprivileged test user (or as ourselves when we are not root).
as_user() {
	if [[ $T_ROOT -eq 0 ]]; then
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
sb() { _run as_user timeout 60 "$SB" --no-default-policy "$@"; }
sbd() { _run as_user timeout 60 "$SB" "$@"; }
bw() { _run as_user timeout 60 "$BW" "$@"; }
sb_root() { _run timeout 60 "$SB" --no-default-policy "$@"; }

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
	{ wc -l </proc/self/mountinfo; find "$W" | sort; } 2>/dev/null
}

has() { # has GOT SUBSTRING NAME: a literal substring, no regex
	if [[ "$1" == *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "want the text: $2" "stderr: ${ERR:-}"; fi
}

lacks() { # lacks GOT SUBSTRING NAME
	if [[ "$1" != *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3" "got:  $1" "must not contain: $2"; fi
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
      "personality": 135, "acct": 163, "io_uring_setup": 425, "bpf": 321, "mount": 165, "unshare": 272}[sys.argv[1]]
args = [int(a, 0) for a in sys.argv[2:]] + [0] * 6
r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args[:6]])
print(errno.errorcode.get(ctypes.get_errno(), "0") if r < 0 else "0")'
