#!/usr/bin/env bash
# Syscall rules compiled with libseccomp: actions, conditions, 32-bit arguments, groups,
# clone3, other ABIs, the exporters. Each check makes the call for real inside the sandbox.
. "$(dirname "$0")/../lib/tap.sh"

try() { sb "${SYSTEM[@]}" "$@"; }

x86_64_only "seccomp rules"

try --syscall 'deny uname' -- "$PY" -c "$TRY" uname
is "$OUT" EPERM "deny: EPERM"
try --syscall 'errno:ENOSYS uname keyctl' -- "$PY" -c "$TRY" keyctl
is "$OUT" ENOSYS "errno:ENOSYS, several names in one rule"
try --syscall 'deny @keyring' -- "$PY" -c "$TRY" keyctl
is "$OUT" EPERM "a group (@keyring) stands for its members"
try --tmpfs /t --syscall 'deny @privileged @setuid' -- sh -c 'touch /t/f; chown "$(id -u)" /t/f 2>&1; echo "rc=$?"'
like "$OUT" "Operation not permitted.*rc=1" "a group that holds a group (@privileged holds @chown), with overlaps"
try --proc /proc --unshare-pid --syscall-default errno:EPERM --syscall 'allow @system-service' -- \
	sh -c 'ls / >&2 && "$0" -c "print(6 * 7)" && "$0" -c "import ctypes; print(ctypes.CDLL(None).syscall(155, 0, 0))"' "$PY"
is "$OUT" "42
-1" "an allow list of @system-service: sh, ls, python3 work; pivot_root (not in it) is refused"
try --syscall-default 'errno:EACCES' --syscall 'allow execve exit_group exit brk mmap munmap mprotect arch_prctl access openat read write close fstat newfstatat pread64 set_tid_address set_robust_list rseq prlimit64 getrandom futex rt_sigaction rt_sigprocmask getpid lseek ioctl fcntl getdents64 readlink getcwd sysinfo statx' -- /usr/bin/true
is "$RC" 0 "syscall-default with an allow list: the listed calls work"
try --syscall-default 'errno:EACCES' --syscall 'allow execve exit_group exit brk mmap munmap mprotect arch_prctl access openat read write close fstat newfstatat pread64 set_tid_address set_robust_list rseq prlimit64 getrandom futex rt_sigaction rt_sigprocmask' -- /usr/bin/uname
like "$ERR" "Permission denied" "syscall-default: what no rule names gets the default action"

try --syscall 'kill uname' -- "$PY" -c "$TRY" uname
is "$RC" 159 "kill: the command dies of SIGSYS (128+31)"
like "$ERR" "killed by the syscall filter \(SIGSYS\): its kill rule for uname" "and sandbox says which rule killed it"

# ioctl(TIOCSTI) plain and with high bits set in the request (CVE-2019-10063).
try --syscall 'deny ioctl if arg1 == TIOCSTI' -- "$PY" -c "$TRY" ioctl 0 0x5412
is "$OUT" EPERM "ioctl(TIOCSTI) is denied"
try --syscall 'deny ioctl if arg1 == TIOCSTI' -- "$PY" -c "$TRY" ioctl 0 0x100005412
is "$OUT" EPERM "ioctl((1<<32)|TIOCSTI) is denied too: the request is compared on 32 bits"
try --syscall 'deny ioctl if arg1 == TIOCSTI' -- "$PY" -c "$TRY" ioctl 99 0x5413
is "$OUT" EBADF "another ioctl gets through (EBADF from the kernel, not the filter)"
try --syscall 'deny ioctl if arg1 in {TIOCSTI, TIOCLINUX}' -- "$PY" -c "$TRY" ioctl 0 0x541C
is "$OUT" EPERM "'in {...}' covers each value"

# clone's flags filtered: unshare -U fails, and clone3 gets ENOSYS.
try --proc /proc --unshare-pid --syscall 'deny clone if arg0 &CLONE_NEWUSER == CLONE_NEWUSER' \
	--syscall 'deny unshare if arg0 &CLONE_NEWUSER == CLONE_NEWUSER' -- sh -c 'unshare -U true 2>&1; unshare -r true 2>&1; ls / >&2 && echo forks-work'
like "$OUT" "Operation not permitted.*forks-work" "a masked condition: CLONE_NEWUSER denied, plain forks work"
try --syscall 'deny clone if arg0 &CLONE_NEWUSER == CLONE_NEWUSER' -- "$PY" -c "$TRY" clone3
is "$OUT" ENOSYS "when clone's flags are filtered, clone3 gets ENOSYS"

# Another ABI: an x32 syscall number kills the process.
try --syscall 'deny uname' -- "$PY" -c "$TRY" x32-getpid
is "$RC" 159 "an x32 syscall is killed (other ABIs are not in the filter)"

# The exporters.
sb --syscall 'deny ioctl if arg1 == TIOCSTI' --export-pfc
like "$OUT" "if \(\\\$a1.lo32 & 0xffffffff == 21522\)" "--export-pfc shows the 32-bit comparison"
like "$OUT" "action KILL_PROCESS" "--export-pfc: other architectures are killed"
sb "${SYSTEM[@]}" --syscall 'deny uname' --export-bpf "$W/filter.bpf" -- true
is "$RC $(($(stat -c %s "$W/filter.bpf") % 8))" "0 0" "--export-bpf writes a BPF program"
sb "${SYSTEM[@]}" --seccomp 5 -- "$PY" -c "$TRY" uname 5<"$W/filter.bpf"
is "$OUT" EPERM "which --seccomp loads back"

# Overlapping rules: the strictest verdict wins, whatever their order. libseccomp alone lets a
# rule without conditions swallow the conditioned rules of its syscall, keeps the first of two
# without conditions, and never adds one whose action is the default.
ALLOW=(--syscall-default errno:ENOSYS --syscall 'allow @system-service')
for c in "ioctl 0 0x5412 EPERM" "ioctl 99 0x5413 EBADF" "unshare 0x10000000 EPERM" "socket 17 3 0 EAFNOSUPPORT" \
	"socket 2 3 1 EPERM" "socket 1 1 0 0"; do
	read -ra args <<<"${c% *}"
	try --policy default "${ALLOW[@]}" -- "$PY" -c "$TRY" "${args[@]}"
	is "$OUT" "${c##* }" "an allow list on top of the default policy: ${c% *} gets ${c##* } (the default's rules hold)"
done
try --syscall 'deny ioctl if arg1 == TIOCSTI' "${ALLOW[@]}" -- "$PY" -c "$TRY" ioctl 0 0x5412
is "$OUT" EPERM "a conditioned deny before an allow of the whole syscall holds"
for order in "allow deny" "deny allow"; do
	try "${ALLOW[@]}" --syscall "${order% *} uname" --syscall "${order#* } uname" -- "$PY" -c "$TRY" uname
	is "$OUT" EPERM "allow and deny of one syscall, in the order '$order': denied"
done
try --syscall-default errno:EPERM --syscall 'allow @system-service' --syscall 'deny uname' -- "$PY" -c "$TRY" uname
is "$OUT" EPERM "a deny that is also the default still beats an allow from a group"
try --syscall-default errno:EPERM --syscall 'allow @system-service' --syscall 'deny ioctl' \
	--syscall 'allow ioctl if arg0 == 0' -- "$PY" -c "$TRY" ioctl 0 0x5413
is "$OUT" EPERM "and a conditioned allow doesn't reopen it"
for c in "4 KILLED" "0 ENOSYS"; do
	try --syscall 'errno:ENOSYS lseek' --syscall 'kill lseek if arg2 == 4' -- "$PY" -c "$TRY" lseek 0 0 "${c% *}"
	[[ $RC == 159 ]] && OUT=KILLED
	is "$OUT" "${c#* }" "a stricter conditioned rule (kill) beats a milder one without conditions: whence ${c% *}"
done
sb --policy default "${ALLOW[@]}" --export-pfc
like "$OUT" "# overlay, stacked .*21522" "--export-pfc shows the overlay"
rm -f "$W"/multi.bpf*
sb "${SYSTEM[@]}" --policy default "${ALLOW[@]}" --export-bpf "$W/multi.bpf" -- true
like "$ERR" "compile to 6 stacked programs, .*multi.bpf.2 to .*multi.bpf.6 and .*multi.bpf; give them all" \
	"--export-bpf: the overlay, the not-in filters and the ceiling go to FILE.2 and on, and it says so"
FDS=(--add-seccomp-fd 5 --add-seccomp-fd 6 --add-seccomp-fd 7 --add-seccomp-fd 8 --add-seccomp-fd 9 --add-seccomp-fd 10)
for c in "ioctl 0 0x5412 EPERM" "ioctl 99 0x5413 EBADF"; do
	read -ra args <<<"${c% *}"
	sb "${SYSTEM[@]}" "${FDS[@]}" -- "$PY" -c "$TRY" "${args[@]}" 5<"$W/multi.bpf.2" 6<"$W/multi.bpf.3" \
		7<"$W/multi.bpf.4" 8<"$W/multi.bpf.5" 9<"$W/multi.bpf.6" 10<"$W/multi.bpf"
	is "$OUT" "${c##* }" "which --add-seccomp-fd loads back, in that order: ${c% *} gets ${c##* }"
done
bpf_deny "$W/noseccomp.bpf" seccomp
sb "${SYSTEM[@]}" --unshare-pid --syscall 'deny uname' --add-seccomp-fd 5 -- "$PY" -c "$TRY" uname 5<"$W/noseccomp.bpf"
is "$RC $OUT" "0 EPERM" "the caller's filter comes after ours: one that denies seccomp() doesn't stop the launch"
sb "${SYSTEM[@]}" --unshare-pid --syscall 'deny seccomp' --add-seccomp-fd 5 -- true 5<"$W/noseccomp.bpf"
like "$RC $ERR" "^125 .*installing seccomp filter 2 of 2: Operation not permitted" \
	"a policy that denies seccomp() itself leaves no room for the caller's filter: exit 125, saying why"

# Syscalls newer than libseccomp's table, and the ceiling above the highest number known.
NR='import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(ctypes.c_long(int(sys.argv[1], 0)), ctypes.c_long(-1), *[ctypes.c_long(0)] * 5)
print(errno.errorcode.get(ctypes.get_errno(), "0") if r < 0 else "0")'
for c in "467 EXDEV" "470 EXDEV" "0x3fffffff EXDEV" "443 EBADF"; do
	try --syscall 'errno:EXDEV open_tree_attr @unknown' -- "$PY" -c "$NR" "${c% *}"
	is "$OUT" "${c#* }" "'errno:EXDEV open_tree_attr @unknown': syscall ${c% *} gets ${c#* }"
done
try --syscall 'deny file_setattr' -- "$PY" -c "$NR" 469
is "$OUT" EPERM "a call only our own table names (file_setattr, 469) is denied on its number"
sb --syscall 'errno:ENOSYS @unknown' --export-pfc
like "$OUT" "@unknown for x86_64: above the highest syscall number known
if \(\\\$arch == 3221225534\)
  if \(\\\$syscall >= 0 && \\\$syscall <= 1073741823 && \\\$syscall > 469\)
    action ERRNO\(38\)" "--export-pfc shows the ceiling, per ABI"
sb --syscall-arch x32 --syscall 'errno:ENOSYS @unknown' --export-pfc
like "$OUT" "@unknown for x32.*syscall >= 1073741824 .*syscall > 1073742293 && !\(\\\$syscall >= 1073742336 && \\\$syscall <= 1073742371\)" \
	"... x32's above 0x40000000|469, but for x32's own calls (512-547)"
sb --syscall 'errno:ENOSYS @mount-api' --export-pfc
like "$OUT" "\"open_tree_attr\", from our own table
  if \(\\\$syscall == 467\)" "--export-pfc: @mount-api holds open_tree_attr, made by hand"
sb --syscall 'allow @unknown' -- true
like "$RC $ERR" "^125 .*'@unknown' .* only an action that refuses" "allow @unknown is refused"
sb --syscall 'deny @unknown if arg0 == 1' -- true
like "$RC $ERR" "^125 .*'@unknown' .*takes no condition" "@unknown with a condition is refused"
sb --syscall 'deny open_tree_atr' -- true
like "$RC $ERR" "^125 .*unknown syscall 'open_tree_atr' \(did you mean 'open_tree_attr'\?\)" \
	"a misspelt name of our own table gets a suggestion"
sb --syscall 'deny no_such_syscall_at_all' -- true
like "$RC $ERR" "^125 .*unknown syscall 'no_such_syscall_at_all'" "a name neither table knows is an error"
sb "${SYSTEM[@]}" --syscall-arch x86 --syscall 'deny file_setattr if arg0 == 1' -- true
like "$RC $ERR" "^125 .*not expressible with other ABIs: this libseccomp has no name for file_setattr" \
	"a conditioned denial of a call only our table names, with another ABI: refused"

# Errors.
sb --syscall 'deny ptarce' -- true
is "$RC" 125 "an unknown syscall: exit 125"
like "$ERR" "unknown syscall 'ptarce' \(did you mean 'ptrace'\?\)" "with a suggestion"
printf 'syscall-default allow\nsyscall deny ptarce\n' >"$W/bad.policy"
sb --policy "$W/bad.policy" -- true
like "$ERR" "bad.policy:2:9: --syscall: unknown syscall 'ptarce'" "in a policy: file:line:column"
try --syscall 'errno:EAFNOSUPPORT socket if arg0 not-in {AF_UNIX, AF_INET}' -- "$PY" -c "$TRY" socket 17 2 0
is "$OUT" EAFNOSUPPORT "not-in: a value outside the set gets the action"
try --syscall 'errno:EAFNOSUPPORT socket if arg0 not-in {AF_UNIX, AF_INET}' -- "$PY" -c "$TRY" socket 0x100000001 99 0
is "$OUT" EINVAL "not-in on a 32-bit argument: AF_UNIX with high bits is AF_UNIX (the kernel's EINVAL for the type)"
try --syscall 'deny personality if arg0 not-in {0, 0xffffffff}' -- "$PY" -c "$TRY" personality 0x40000
is "$OUT" EPERM "not-in: personality(ADDR_NO_RANDOMIZE) denied"
# A 64-bit argument: its high half must be zero too, and a value wider than 32 bits is refused
# (only the low half would be compared).
for c in "5 0" "7 EPERM" "0x100000005 EPERM"; do
	try --syscall 'deny lseek if arg1 not-in {0, 5}' -- "$PY" -c "$TRY" lseek 0 "${c% *}" 0
	is "$OUT" "${c#* }" "not-in on a 64-bit argument: lseek to ${c% *} gets ${c#* }"
done
sb --syscall 'deny lseek if arg1 not-in {0x100000001}' -- true
like "$RC $ERR" "^125 .*'not-in' values must fit in 32 bits" "not-in: a value wider than 32 bits is refused"
sb --syscall 'deny socket if arg0 not-in {AF_UNIX} && arg1 == 1' -- true
like "$ERR" "'not-in' must be the only condition" "not-in with other conditions is refused"
# not-in on an added ABI: its own numbers there, and through socketcall(2), whose arguments are
# in memory, every call of that kind refused (fail closed).
sb "${SYSTEM[@]}" --syscall-arch x86 --syscall 'errno:EAFNOSUPPORT socket socketpair if arg0 not-in {AF_UNIX}' \
	--syscall 'deny socket if arg1 == SOCK_RAW' --export-bpf "$W/x86.bpf" -- true 2>/dev/null
is "$RC" 0 "not-in with syscall-arch x86 compiles (and covers a conditioned socket rule there)"
"$PY" - "$W/x86.bpf.2" "$W/x86.bpf.3" <<'PY' >"$W/x86.txt"
import struct, sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    insns = [struct.unpack("=HBBI", data[i:i + 8]) for i in range(0, len(data), 8)]
    print(" ".join("%x" % k for code, jt, jf, k in insns if code == 0x15))
PY
is "$(cat "$W/x86.txt")" "c000003e 29 1 40000003 167 1 40000003 66 1
c000003e 35 1 40000003 168 1 40000003 66 8" \
	"... x86_64's socket (41) and socketpair (53), i386's (359, 360) and socketcall (102) with SYS_SOCKET, SYS_SOCKETPAIR"
# Through socketcall(2) and ipc(2) the arguments are out of reach: a call whose rules compare
# them gets there the strictest verdict they could give (oci.sh checks the filter's verdicts).
sb "${SYSTEM[@]}" --syscall-arch x86 --syscall 'deny socket if arg0 == AF_PACKET' -- true
is "$RC" 0 "a conditioned denial of a socket call holds on x86 too"
sb --syscall-arch x86 --syscall 'deny socket if arg0 == AF_PACKET' --print-policy
has "$OUT" "#     socket (call 1): deny, whatever its arguments" "... socketcall's socket refused outright, as --print-policy says"
sb --syscall-arch x86 --syscall 'deny shmget if arg0 == 0' --print-policy
has "$OUT" "#     shmget (call 23): deny, whatever its arguments" "... and ipc's shmget"
sb "${SYSTEM[@]}" --syscall-arch x86 --syscall 'deny socket if arg0 == AF_PACKET' --syscall 'deny socketcall' -- true
is "$RC $ERR" "0 " "with the multiplexer denied outright, the rule holds on x86 too"
# libseccomp adds, for each conditioned socket rule, a socketcall rule with the same action
# and no condition but the call's number: an allow of AF_UNIX would let every family through.
sb --syscall-arch x86 --syscall-default errno:EPERM --syscall 'allow socket if arg0 == AF_UNIX' --export-pfc
like "$OUT" "overlay.*filter for arch x86 .*syscall == 102\)
    if \(\\\$a0 & 0xffffffff == 1\)
      action ERRNO\(1\)" "a conditioned allow of socket on x86: socketcall's socket gets the default in the overlay"
sb --syscall-arch x86 --syscall-default errno:EPERM --syscall 'allow @system-service' --export-pfc
unlike "$OUT" "overlay" "an allow of socket without conditions lets socketcall's socket calls through too: no overlay"
sb --syscall-arch x86 --syscall-default errno:EPERM --syscall 'allow @system-service' --syscall 'deny socketcall' --export-pfc
like "$OUT" "overlay.*filter for arch x86 .*syscall == 102\)
    if \(\\\$a0 & 0xffffffff == [0-9]+\)
      action ERRNO\(1\)" "... but a socketcall denied by name stays denied for each call (a deny that is the default isn't in libseccomp's filter)"
sb --syscall-arch x86 --syscall 'allow socketcall if arg0 == 1' --syscall 'deny socket if arg0 == AF_PACKET' --print-policy
like "$RC $OUT" "^0 .*socket \(call 1\): deny, whatever its arguments" "a multiplexer decided by conditions only: the call refused through it"
sb --syscall-arch x86 --syscall 'deny socket if arg0 == AF_PACKET' --syscall 'allow socketcall' --print-policy
like "$RC $OUT" "^0 .*socket \(call 1\): deny, whatever its arguments" "a conditioned deny with socketcall allowed: socketcall's socket refused"
sb "${SYSTEM[@]}" --syscall-arch x86 --syscall 'deny @keyring @module @swap' --syscall 'deny clone if arg0 &CLONE_NEWUSER == CLONE_NEWUSER' -- true
is "$RC $ERR" "0 " "group members an ABI lacks (kexec_file_load on x86) are no error"
try --syscall 'deny socket if arg0 > 5' -- "$PY" -c "$TRY" socket 0x100000001 99 0
is "$OUT" EINVAL "> on a 32-bit argument compares what the kernel reads: (1<<32)|AF_UNIX is AF_UNIX, not above 5"
sb --syscall 'deny openat if arg1 == 0' -- true
like "$ERR" "arg1 of openat is a pointer" "a condition on a pointer argument is refused"
sb --syscall 'deny ioctl if arg1 == 1 && arg1 == 2' -- true
like "$ERR" "two conditions on arg1" "two conditions on one argument are refused"
sb --syscall 'frobnicate uname' -- true
like "$ERR" "unknown action 'frobnicate'" "an unknown action"
sb --syscall 'errno:EFROB uname' -- true
like "$ERR" "unknown errno 'EFROB'" "an unknown errno"
sb --syscall 'deny ioctl if arg1 == TIOCFROB' -- true
like "$ERR" "'TIOCFROB' is neither a number nor a known constant" "an unknown constant"
sb --syscall 'deny @frob' -- true
like "$ERR" "unknown syscall group '@frob'" "an unknown group"
sb --syscall-arch frob -- true
like "$ERR" "--syscall-arch: unknown architecture 'frob'" "an unknown architecture"

# Our pid 1 has a filter of its own: the policy's rules are the command's, so a policy that
# kills the calls pid 1 waits with leaves it alone, and the command's status comes through.
sb "${SYSTEM[@]}" --unshare-pid --syscall 'kill signalfd4 signalfd wait4 waitid' -- sh -c 'exit 3'
is "$RC $ERR" "3 " "a policy killing signalfd4 and wait4 doesn't kill our pid 1: the command's exit status comes through"
sbd "${SYSTEM[@]}" --unshare-pid --proc /proc -- sh -c 'grep -h "^Seccomp_filters" /proc/1/status /proc/self/status | tr -d "\t" | tr "\n" " "'
is "$OUT" "Seccomp_filters:1 Seccomp_filters:1 " "pid 1 runs under its one filter, the command under one: the default policy's programs merged"
sbd "${SYSTEM[@]}" --unshare-pid -- "$PY" -c "$TRY" keyctl 0
is "$OUT" EPERM "the command's one merged filter is the default policy's: keyctl refused"

done_testing
