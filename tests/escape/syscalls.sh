#!/usr/bin/env bash
# Escape probes, system calls: each check runs one attack of tests/escape/syscalls.c for real,
# inside the sandbox, as an unprivileged user under the built-in default policy, and passes only
# if the attack was stopped the way the policy says (the errno word, or a SIGSYS kill).
# ESCAPE_SYSCALLS: the probe, built statically (meson passes it).
. "$(dirname "$0")/../lib/tap.sh"

x86_64_only "escape: syscalls"
: "${ESCAPE_SYSCALLS:=$T_LIB/../../build/tests/escape/escape-syscalls}"
if [[ ! -x $ESCAPE_SYSCALLS ]]; then
	skip "escape: syscalls" "ESCAPE_SYSCALLS=$ESCAPE_SYSCALLS was not built"
	done_testing
	exit
fi
cp "$ESCAPE_SYSCALLS" "$STAGE/bin/esc"
chmod 755 "$STAGE/bin/esc"
ESC="$STAGE/bin/esc"

# A bare root with the host's /usr read-only, and the probe at /esc.
BOX=("${SYSTEM[@]}" --proc /proc --dev /dev --unshare-pid --ro-bind "$ESC" /esc)

# probe EXPECTED NAME [SANDBOX-OPTION...] -- ATTACK [ARG]: the attack under the default policy;
# EXPECTED is a regex for the probe's line, and the status must be the one that line implies
# (0: denied as expected). The status is part of what is compared, so a crash can't pass.
probe() {
	local want=$1 name=$2 opts=()
	shift 2
	while [[ $1 != -- ]]; do opts+=("$1") && shift; done
	shift
	sbd "${BOX[@]}" "${opts[@]}" -- /esc "$@"
	like "$OUT rc=$RC" "^($want) rc=0\$" "$name"
}

# --- 1. Typing into the caller's terminal ----------------------------------------------------
# The sandbox runs on a pty that is its controlling terminal, in raw mode so that any byte pushed
# into the input queue can be read back at once from our own end of the slave. The harness prints
# the command's output, then `injected=<bytes>`.
PTY='import fcntl, os, select, sys, termios, tty
master, slave = os.openpty()
tty.setraw(slave)
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    os.closerange(3, 1024)
    os.execvp(sys.argv[1], sys.argv[1:])
out, exited = b"", False
while True:  # the output, until the command has exited and nothing more is left to read
    if select.select([master], [], [], 0.05)[0]:
        out += os.read(master, 4096)
    elif exited:
        break
    else:
        exited = os.waitpid(pid, os.WNOHANG)[0] != 0
os.set_blocking(slave, False)
try:
    injected = os.read(slave, 4096)
except BlockingIOError:
    injected = b""
print(out.decode(errors="replace").strip())
print("injected=" + injected.decode(errors="replace").replace("\n", "\\n"))'
# pty_run ARGS...: the sandbox (default policy) on a pty; sets OUT. A shell on the pty prints the
# sandbox's status after its output.
pty_run() {
	local user=()
	[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	# shellcheck disable=SC2034 # read by the assertions of tap.sh
	ERR=
	OUT=$(cd "$STAGE" && "$PY" -c "$PTY" "${user[@]}" timeout 60 \
		sh -c '"$@"; echo "rc=$?"' sh "$SB" "${T_EXTRA[@]}" "$@" </dev/null 2>&1)
}

# Control: without the default policy the same probe does type into the terminal, so the
# harness sees an injection when there is one (and the filter is what stops it below).
legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
if [[ $legacy == 0 ]]; then
	skip "control: TIOCSTI types into the terminal without the filter" \
		"dev.tty.legacy_tiocsti=0: this kernel refuses TIOCSTI to unprivileged users anyway"
else
	pty_run "${T_NODEF[@]}" "${BOX[@]}" -- /esc tiocsti
	is "$OUT" "ESCAPED typed 10 bytes into the terminal
rc=1
injected=#injected\\n" "control: without the default policy, TIOCSTI types into the terminal (the harness sees it)"
fi
for attack in tiocsti tiocsti-high tioclinux; do
	pty_run "${BOX[@]}" -- /esc "$attack"
	is "$OUT" "DENIED EPERM
rc=0
injected=" "1. ioctl($attack) on the controlling terminal: EPERM, nothing typed into it"
done
# An allow list written over the default policy allows ioctl outright: the default's denial
# must still win (libseccomp alone would let the allow rule swallow it).
pty_run "${BOX[@]}" --syscall-default errno:ENOSYS --syscall 'allow @system-service' -- /esc tiocsti
is "$OUT" "DENIED EPERM
rc=0
injected=" "1. ioctl(tiocsti) under an allow list of @system-service over the default policy: EPERM, nothing typed"

# --- 2. Other ABIs ---------------------------------------------------------------------------
# A call under x32 or i386 numbering never reaches the x86_64 rules: the filter's bad-arch action
# kills it (SIGSYS), or the kernel has no such ABI (ENOSYS).
for attack in x32-getpid x32-unshare; do
	probe "KILLED SIGSYS|DENIED ENOSYS" "2. $attack (nr | 0x40000000): killed or ENOSYS" -- "$attack"
done
# int $0x80 from a 64-bit process faults (SIGSEGV) before any syscall entry where the machine
# has no ia32 gate (ia32_emulation=0, some hypervisors): nothing for a filter to see then.
# The attack is still made inside: it must die there too (SIGSEGV then, as outside).
i386=$("$ESC" i386-getpid 2>&1)
for attack in i386-unshare i386-keyctl i386-ptrace; do
	if [[ $i386 == "KILLED SIGSEGV" ]]; then
		# (the probe counts any death but SIGSYS as an escape: its status is 1 for SIGSEGV)
		sbd "${BOX[@]}" -- /esc "$attack"
		like "$OUT rc=$RC" "^(KILLED SIGSYS rc=0|KILLED SIGSEGV rc=1|DENIED ENOSYS rc=0)\$" \
			"2. $attack (int \$0x80): killed (this kernel has no i386 gate: it faults outside too)"
	else
		probe "KILLED SIGSYS|DENIED ENOSYS" "2. $attack (int \$0x80): killed or ENOSYS" -- "$attack"
	fi
done

# With the i386 ABI added to the filter: socketcall(SYS_SOCKET) passes the family in memory,
# and libseccomp gives socketcall a rule for each rule on socket, without its conditions. An
# allow list without socket calls but AF_UNIX sockets, and one that denies socketcall by name
# (also the default): an AF_INET socket through socketcall must be refused by both.
nosock='allow @aio @basic-io @chown @default @file-system @io-event @ipc @memlock @process @resources @setuid'
nosock+=' @signal @sync @timer brk capget capset getrandom ioctl madvise mprotect mremap uname sysinfo setsid umask'
for policy in "conditioned" "named"; do
	if [[ $policy == conditioned ]]; then
		rules=(--syscall "$nosock" --syscall 'allow socket if arg0 == AF_UNIX')
		name="2. i386 socketcall(SYS_SOCKET, AF_INET) under an allow list of AF_UNIX sockets (syscall-arch x86): EPERM"
	else
		rules=(--syscall 'allow @system-service' --syscall 'deny socketcall')
		name="2. i386 socketcall(SYS_SOCKET, AF_INET) under an allow list of @system-service with socketcall denied (syscall-arch x86): EPERM"
	fi
	sb "${BOX[@]}" --syscall-arch x86 --syscall-default errno:EPERM "${rules[@]}" -- /esc i386-socketcall
	if [[ $i386 == "KILLED SIGSEGV" ]]; then
		like "$OUT rc=$RC" "^(KILLED SIGSEGV rc=1|DENIED EPERM rc=0)\$" "${name/: EPERM/}: faults (this kernel has no i386 gate, as outside)"
	else
		is "$OUT rc=$RC" "DENIED EPERM rc=0" "$name"
	fi
done

# --- 3. New user namespaces ------------------------------------------------------------------
probe "DENIED ENOSYS" "3. clone3: ENOSYS (a filter can't read its flags)" -- clone3
probe "DENIED EPERM" "3. clone(CLONE_NEWUSER): EPERM" -- clone-newuser
probe "DENIED EPERM" "3. unshare(CLONE_NEWUSER): EPERM" -- unshare-newuser
# Our own user namespace: the kernel refuses to re-enter it (EINVAL); the others of our own need
# CAP_SYS_ADMIN, which we don't hold.
probe "DENIED EINVAL" "3. setns(/proc/self/ns/user): EINVAL" -- setns /proc/self/ns/user
for ns in mnt pid net; do
	probe "DENIED EPERM" "3. setns(/proc/self/ns/$ns): EPERM" -- setns /proc/self/ns/$ns
done
# The host's namespaces, leaked in as inherited fds: the way back out, if setns let us.
for ns in user mnt net pid; do
	probe "DENIED EPERM" "3. setns(the host's $ns namespace, leaked fd 3): EPERM" -- setns 3 3</proc/self/ns/$ns
done

# --- 4. Mounts -------------------------------------------------------------------------------
# Run twice: as ourselves, and as uid 0 inside (what a read-only bind must also withstand). The
# tmpfs on /usr/local stands for a mask.
for who in "" "--uid 0"; do
	# shellcheck disable=SC2206 # $who is one option and its argument, or nothing
	u=($who --tmpfs /usr/local)
	tag=${who:+ (--uid 0)}
	for attack in fsopen fspick open_tree move_mount mount_setattr; do
		probe "DENIED ENOSYS" "4. $attack$tag: ENOSYS" "${u[@]}" -- "$attack"
	done
	for attack in mount pivot_root chroot; do
		probe "DENIED EPERM" "4. $attack$tag: EPERM" "${u[@]}" -- "$attack"
	done
	probe "DENIED EPERM" "4. remount the read-only /usr read-write$tag: EPERM" "${u[@]}" -- remount /usr
	probe "DENIED EPERM" "4. remount the mask /usr/local$tag: EPERM" "${u[@]}" -- remount /usr/local
	probe "DENIED EPERM" "4. umount2 /usr$tag: EPERM" "${u[@]}" -- umount /usr
	probe "DENIED EPERM" "4. umount2 the mask /usr/local$tag: EPERM" "${u[@]}" -- umount /usr/local
	probe "DENIED EPERM" "4. umount2(MNT_DETACH) the mask /usr/local$tag: EPERM" "${u[@]}" -- umount-detach /usr/local
done

# --- 5. io_uring -----------------------------------------------------------------------------
probe "DENIED ENOSYS" "5. io_uring_setup: ENOSYS" -- io_uring_setup

# --- 6. Kernel administration and attack surface: EPERM from the filter ----------------------
for attack in keyctl add_key request_key bpf perf_event_open userfaultfd kexec_load init_module \
	finit_module personality open_by_handle_at modify_ldt iopl ioperm syslog acct swapon \
	settimeofday clock_settime; do
	probe "DENIED EPERM" "6. $attack: EPERM" -- "$attack"
done
probe "DENIED ENOENT" "6. /dev/userfaultfd is absent inside" -- dev-userfaultfd

# --- 7. Socket families and raw sockets ------------------------------------------------------
# FAMILY,TYPE,PROTOCOL: the families the default policy doesn't know get EAFNOSUPPORT.
for s in "AF_PACKET 17,3,768" "AF_ALG 38,5,0" "AF_VSOCK 40,1,0" "AF_KEY 15,3,2" \
	"AF_BLUETOOTH 31,3,1" "AF_CAN 29,3,1"; do
	probe "DENIED EAFNOSUPPORT" "7. socket(${s% *}): EAFNOSUPPORT" -- socket "${s#* }"
done
# SOCK_RAW in the families that are allowed: EPERM, with flags in the type's high bits too.
probe "DENIED EPERM" "7. socket(AF_INET, SOCK_RAW, ICMP): EPERM" -- socket 2,3,1
probe "DENIED EPERM" "7. socket(AF_INET6, SOCK_RAW, ICMPV6): EPERM" -- socket 10,3,58
probe "DENIED EPERM" "7. socket(AF_INET, SOCK_RAW|SOCK_NONBLOCK, ICMP): EPERM" -- socket 2,2051,1
# The obsolete SOCK_PACKET type in AF_INET: the kernel turns it into an AF_PACKET socket.
probe "DENIED EPERM" "7. socket(AF_INET, SOCK_PACKET) (an AF_PACKET socket in disguise): EPERM" -- socket 2,10,768
# Granted CAP_NET_RAW in a network namespace of its own, the kernel's capability check no longer
# stops these: the filter alone must. (SOCK_PACKET is 10: the SOCK_RAW rule doesn't see it.)
NR=(--unshare-net --uid 0 --cap-add CAP_NET_RAW)
probe "DENIED EAFNOSUPPORT" "7. socket(AF_PACKET) with CAP_NET_RAW: EAFNOSUPPORT" "${NR[@]}" -- socket 17,3,768
probe "DENIED EPERM" "7. socket(AF_INET, SOCK_RAW) with CAP_NET_RAW: EPERM" "${NR[@]}" -- socket 2,3,1
probe "DENIED EPERM|DENIED EAFNOSUPPORT" "7. socket(AF_INET, SOCK_PACKET) with CAP_NET_RAW: denied (no AF_PACKET socket)" \
	"${NR[@]}" -- socket 2,10,768

# Every call that takes a family filters it alike: socketpair() runs the family's create() and
# loads its module before it fails. No new module may appear in /proc/modules.
mods() { cut -d' ' -f1 /proc/modules 2>/dev/null | sort; }
before=$(mods)
for s in "AF_VSOCK 40,1,0" "AF_ALG 38,5,0" "AF_CAN 29,2,1" "AF_APPLETALK 5,2,0" "AF_X25 9,5,0" "AF_AX25 3,2,0" \
	"AF_NETROM 6,5,0" "AF_ROSE 11,5,0" "AF_BLUETOOTH 31,1,3" "AF_KEY 15,3,2" "AF_PACKET 17,3,768" "AF_TIPC 30,5,0" \
	"AF_RDS 21,5,0" "AF_LLC 26,2,0" "AF_IEEE802154 36,2,0" "AF_PHONET 35,2,0" "AF_CAIF 37,1,0" "AF_NFC 39,5,0" \
	"AF_RXRPC 33,2,2" "AF_SMC 43,1,0" "AF_XDP 44,3,0" "AF_MCTP 45,2,0"; do
	probe "DENIED EAFNOSUPPORT" "7. socketpair(${s% *}): EAFNOSUPPORT" -- socketpair "${s#* }"
done
# (A kernel without /proc/modules loads no modules: nothing to compare there.)
[[ -e /proc/modules ]] && is "$(mods)" "$before" "7. socketpair of refused families: no kernel module was loaded"
# With the i386 ABI added, the same families through int \$0x80: socketpair directly, and through
# socketcall(SYS_SOCKETPAIR) and socketcall(SYS_SOCKET), whose family is in memory: refused whatever it is.
for attack in "i386-socketpair 40" "i386-socketcall-socketpair 40" "i386-socketcall-socketpair 1" "i386-socketcall"; do
	# shellcheck disable=SC2086 # the attack and its argument
	sbd "${BOX[@]}" --syscall-arch x86 -- /esc $attack
	name="7. ${attack/ / family } with syscall-arch x86 over the default policy: EAFNOSUPPORT"
	if [[ $i386 == "KILLED SIGSEGV" ]]; then
		like "$OUT rc=$RC" "^(KILLED SIGSEGV rc=1|DENIED EAFNOSUPPORT rc=0)\$" "${name/: EAFNOSUPPORT/}: faults (no i386 gate here)"
	else
		is "$OUT rc=$RC" "DENIED EAFNOSUPPORT rc=0" "$name"
	fi
done

# --- 8. What the process holds ---------------------------------------------------------------
zero=0000000000000000
for who in "" "--uid 0"; do
	# shellcheck disable=SC2206 # $who is one option and its argument, or nothing
	u=($who)
	tag=${who:+ (--uid 0)}
	probe "CapInh=$zero CapPrm=$zero CapEff=$zero CapBnd=$zero CapAmb=$zero NoNewPrivs=1 Seccomp=2 " \
		"8. status$tag: no capabilities in any set, no_new_privs, a seccomp filter" "${u[@]}" -- status
	probe "setgroups-file=deny setgroups=EPERM" "8. setgroups$tag: denied by /proc/self/setgroups, and the call fails" \
		"${u[@]}" -- setgroups
done
# A setuid-root binary bound in: root isn't mapped in the sandbox, the mount is nosuid and
# no_new_privs is set; any one of them keeps the bit inert.
if [[ $T_ROOT -ne 0 ]] || $T_AS_ROOT; then
	skip "8. a setuid-root binary gains nothing" "making a setuid-root file needs root"
else
	mkdir -m 755 "$STAGE/suid"
	cp "$ESC" "$STAGE/suid/esc"
	chown root:root "$STAGE/suid/esc" && chmod 4755 "$STAGE/suid/esc"
	probe "ruid=65534 euid=65534 nosuid=1" "8. a setuid-root binary bound in runs with our euid, on a nosuid mount" \
		--ro-bind "$STAGE/suid/esc" /suid -- whoami-euid
	# ... and that is not for want of a working setuid bit: outside, the same file gives root.
	OUT=$(as_user "$STAGE/suid/esc" whoami-euid)
	if [[ $OUT == *nosuid=1 ]]; then
		skip "control: outside the sandbox the same file runs as euid 0" "$STAGE is on a nosuid mount"
	else
		is "$OUT" "ruid=65534 euid=0 nosuid=0" "control: outside the sandbox the same file runs as euid 0"
	fi
fi

# --- 9. Syscalls newer than the filter's tables ---------------------------------------------
# A deny-list needs a ceiling: open_tree_attr (Linux 6.15, unknown to libseccomp 2.5.4) and any
# number above the highest one this build knows get ENOSYS.
probe "DENIED ENOSYS" "9. open_tree_attr: ENOSYS" -- open_tree_attr
for nr in 470 511 1000 100000; do
	probe "DENIED ENOSYS" "9. syscall $nr (above the highest known): ENOSYS" -- nr "$nr"
done
# A kernel that lacks these calls says ENOSYS too: under a ceiling that answers EXDEV instead
# (which no kernel does), the filter is seen to decide them on any kernel.
for c in "open_tree_attr" "nr 470" "nr 100000"; do
	# shellcheck disable=SC2086 # the attack and its argument
	sb "${BOX[@]}" --syscall 'errno:EXDEV open_tree_attr @unknown' -- /esc $c
	is "$OUT rc=$RC" "DENIED EXDEV rc=0" "9. $c under 'errno:EXDEV open_tree_attr @unknown': the filter answers (EXDEV)"
done
# With CAP_SYS_ADMIN in the sandbox, a clone of a read-only bind made writable: the host file
# stays as it was. The control (no default policy) shows the attack works where the kernel has
# open_tree_attr.
mkdir -p "$STAGE/ro"
echo original >"$STAGE/ro/file"
chmod 755 "$STAGE/ro" && chmod 666 "$STAGE/ro/file"
CA=(--uid 0 --cap-add CAP_SYS_ADMIN --ro-bind "$STAGE/ro" /ro)
probe "DENIED ENOSYS" "9. open_tree_attr clearing a --ro-bind's read-only flag, with CAP_SYS_ADMIN: ENOSYS" "${CA[@]}" -- ro-write /ro
is "$(cat "$STAGE/ro/file")" original "9. ... and the host file behind the --ro-bind is unwritten"
sb "${BOX[@]}" "${CA[@]}" -- /esc ro-write /ro
if [[ $OUT == ESCAPED* ]]; then
	is "$(cat "$STAGE/ro/file")" escaped "control: without the default policy the clone writes the host file (the probe works)"
else
	like "$OUT" "^DENIED (ENOSYS|EPERM)" "control: without the default policy this kernel refuses the clone by itself"
fi
echo original >"$STAGE/ro/file"

# --- 10. Deny groups cover every call of the same reach ---------------------------------------
# quotactl is denied, and so is quotactl_fd (a bad fd: EBADF had it reached the kernel).
probe "DENIED EPERM" "10. quotactl_fd: EPERM" -- quotactl_fd
probe "DENIED EPERM" "10. quotactl_fd as uid 0 with CAP_SYS_ADMIN: EPERM" --uid 0 --cap-add CAP_SYS_ADMIN -- quotactl_fd

done_testing
