#!/usr/bin/env bash
# The built-in default policy: applied by `sandbox`, never under the bwrap name,
# off with --no-default-policy (or a policy's no-default-policy), kept under any --policy.
. "$(dirname "$0")/../lib/tap.sh"

x86_64_only "default policy"

D=(--proc /proc --dev /dev --tmpfs /tmp)

sbd "${SYSTEM[@]}" "${D[@]}" -- sh -c 'echo $$; grep -E "^(NoNewPrivs|Seccomp|CapEff):" /proc/self/status | tr -s "\t" " "'
is "$OUT" "2
CapEff: 0000000000000000
NoNewPrivs: 1
Seccomp: 2" "default: a new pid namespace, no capabilities, no_new_privs, a seccomp filter"
for call in "keyctl EPERM" "bpf EPERM" "mount EPERM" "clone3 ENOSYS" "io_uring_setup ENOSYS" \
	"ioctl:0:0x5412 EPERM" "ioctl:0:0x100005412 EPERM" "socket:17:3:0 EAFNOSUPPORT" "socket:38:5:0 EAFNOSUPPORT" \
	"socket:40:1:0 EAFNOSUPPORT" "socket:2:3:1 EPERM" "socket:10:3:58 EPERM" "socket:2:0x803:1 EPERM" \
	"socket:16:3:0 0" "socket:16:0x80003:0 0" "ioctl:0:0x5423 EPERM" "ioctl:0:0x5424 ENOTTY" "personality:0x40000 EPERM" "unshare:0x10000000 EPERM"; do
	args=${call% *}
	IFS=: read -r -a words <<<"$args"
	sbd "${SYSTEM[@]}" "${D[@]}" -- "$PY" -c "$TRY" "${words[@]}"
	is "$OUT" "${call#* }" "default: ${args//:/ } gets ${call#* }"
done
sbd "${SYSTEM[@]}" "${D[@]}" --uid 0 -- sh -c 'mount -t tmpfs none /tmp 2>&1; echo "rc=$?"'
like "$OUT" "rc=[1-9]" "default: mount fails even as uid 0 inside"
sbd "${SYSTEM[@]}" "${D[@]}" -- sh -c 'ls / >&2 && "$0" -c "import socket; socket.socket(socket.AF_INET6).close(); print(42)" && cd /tmp &&
	printf "int main(void) { return 3; }\n" > a.c && gcc a.c -o a; ./a; echo "gcc=$?"' "$PY"
is "$OUT" "42
gcc=3" "default: sh, ls, python3 (with an INET6 socket) and gcc work"

sb "${SYSTEM[@]}" -- "$PY" -c "$TRY" keyctl
is "$OUT" EINVAL "--no-default-policy: no filter (keyctl reaches the kernel)"
bw "${SYSTEM[@]}" --proc /proc --unshare-pid -- sh -c 'grep Seccomp: /proc/self/status | tr -s "\t" " "'
is "$OUT" "Seccomp: 0" "as bwrap: no default policy"
printf 'unshare-pid\nproc /proc\n' >"$W/mine.policy"
printf 'include default\nproc /proc\n' >"$W/with-default.policy"
chmod 644 "$W"/*.policy
sbd "${SYSTEM[@]}" --policy "$W/mine.policy" -- sh -c 'grep Seccomp: /proc/self/status | tr -s "\t" " "'
is "$OUT" "Seccomp: 2" "--policy keeps the default (policy.sh checks no-default-policy)"
sbd "${SYSTEM[@]}" --policy "$W/with-default.policy" -- "$PY" -c "$TRY" keyctl
is "$OUT" EPERM "a policy can include the built-in default"
sbd --print-policy
like "$OUT" "syscall deny @keyring" "--print-policy shows the default policy's directives"
like "$OUT" "syscall errno:ENOSYS @unknown" "--print-policy: the default policy's ceiling"
like "$OUT" "syscall errno:EAFNOSUPPORT socket socketpair if arg0 not-in" "--print-policy: socket and socketpair filter the family alike"
like "$OUT" "syscall deny syslog acct quotactl quotactl_fd " "--print-policy: quotactl_fd is denied with quotactl"

# NR ARGS...: syscall NR (a number) with the arguments given, the rest 0; prints the errno.
NR='import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
a = [int(x, 0) for x in sys.argv[1:]] + [0] * 6
if a[0] == 53:  # socketpair: a real array for the pair
    sv = (ctypes.c_int * 2)()
    r = libc.syscall(ctypes.c_long(53), *[ctypes.c_long(x) for x in a[1:4]], sv)
else:
    r = libc.syscall(*[ctypes.c_long(x) for x in a[:7]])
print(errno.errorcode.get(ctypes.get_errno(), "0") if r < 0 else "0")'
for call in "53:1:1:0 0" "53:40:1:0 EAFNOSUPPORT" "53:38:5:0 EAFNOSUPPORT" "53:0x100000001:1:0 0" "443:-1 EPERM" \
	"467:-100:0 ENOSYS" "470 ENOSYS" "1000 ENOSYS"; do
	IFS=: read -r -a words <<<"${call% *}"
	sbd "${SYSTEM[@]}" "${D[@]}" -- "$PY" -c "$NR" "${words[@]}"
	is "$OUT" "${call#* }" "default: syscall ${call% *} gets ${call#* }"
done

done_testing
