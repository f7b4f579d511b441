#!/usr/bin/env bash
# --report-denials and --denials-fd: each denial named (syscall, arguments, program, the rule's
# FILE:LINE), the command's errno unchanged, repeats counted, JSON lines, quiet without the
# flag, the fallback where a listener can't be had, and the bad input.
. "$(dirname "$0")/../lib/tap.sh"

x86_64_only "denial reports"
needs_probe "denial reports"

NH=
if [[ -x ${NOTIFY_HELPER:-} ]]; then
	cp "$NOTIFY_HELPER" "$STAGE/bin/notify-helper"
	chmod 755 "$STAGE/bin/notify-helper"
	NH="$STAGE/bin/notify-helper"
fi
# The programs at the same path inside, so that the report names them as the host does.
IN=("${SYSTEM[@]}" --ro-bind "$STAGE/bin" "$STAGE/bin")
root=$(cd "$(dirname "$0")/../.." && pwd)
keyring_line=$(grep -n '^syscall deny @keyring' "$root/policies/default.policy" | cut -d: -f1)
denied() { grep -c "denied $1(" <<<"$ERR"; }

# Quiet without the flag: the command's own stderr only.
sbd "${IN[@]}" -- "$PR" syscall keyctl
is "$OUT|$ERR" "EPERM|" "without --report-denials nothing is printed"

# Names: the syscall, the program, the rule of the default policy as default:LINE.
sbd --report-denials "${IN[@]}" -- "$PR" syscall keyctl
is "$OUT" EPERM "with --report-denials the command still gets EPERM"
has "$ERR" "denied keyctl(" "the syscall is named"
has "$ERR" "in $PR (pid " "the program is named, with its pid"
has "$ERR" "by default:$keyring_line: 'deny @keyring" "the rule: default:LINE and its text"
has "$ERR" "keyctl denied 1 time (deny) in $PR, by default:$keyring_line" "the summary at the end"

# Arguments decoded where the policy language has names for them.
sbd --report-denials "${IN[@]}" -- "$PY" -c "$TRY" socket 17 3
is "$OUT" EAFNOSUPPORT "socket(AF_PACKET): EAFNOSUPPORT, as without the flag"
has "$ERR" "denied socket(AF_PACKET, SOCK_RAW, 0)" "the family and type by name"
sbd --report-denials "${IN[@]}" -- "$PY" -c "$TRY" ioctl 0 0x5412
is "$OUT" EPERM "ioctl(TIOCSTI) denied"
has "$ERR" "denied ioctl(0, TIOCSTI)" "the ioctl request by name"

# A rule of a policy file: FILE:LINE; of the command line: the option.
printf '# line 1\nsyscall errno:EACCES uname\n' >"$W/deny-uname.policy"
chmod 644 "$W/deny-uname.policy"
sbd --report-denials --policy "$W/deny-uname.policy" "${IN[@]}" -- "$PR" syscall uname
is "$OUT" EACCES "a policy's errno:EACCES rule"
has "$ERR" "by $W/deny-uname.policy:2: 'errno:EACCES uname'" "named as FILE:LINE"
sb --report-denials --syscall 'errno:EROFS getcwd' "${IN[@]}" -- "$PR" syscall getcwd
has "$ERR" "by --syscall: 'errno:EROFS getcwd'" "a rule of the command line is named by its option"
# The child passes the listener up with sendmsg and installs the rest with seccomp: a policy
# denying both still has its denials named, and keeps its verdict on them for the command.
sbd --report-denials --syscall 'errno:EACCES sendmsg seccomp uname' "${IN[@]}" -- "$PY" -c "$TRY" uname
like "$RC $OUT $ERR" "^0 EACCES .*denied uname" "a policy denying sendmsg and seccomp: its denials are named"
sbd --report-denials --syscall 'errno:EACCES sendmsg seccomp uname' "${IN[@]}" -- "$PY" -c "$TRY" sendmsg 99
is "$RC $OUT" "0 EACCES" "and the command's sendmsg is still refused"
printf 'report-denials\nsyscall-default errno:EACCES\nsyscall allow @default @basic-io @file-system @process @signal @network-io execve mprotect arch_prctl\n' >"$W/allow-list.policy"
chmod 644 "$W/allow-list.policy"
sb --policy "$W/allow-list.policy" "${IN[@]}" -- "$PR" syscall keyctl
is "$OUT" EACCES "the directive report-denials; an allow list's default"
has "$ERR" "by $W/allow-list.policy:2" "a denial by syscall-default names that line"

# The errno the command sees is the one it sees without the flag, call by call.
same=0
for call in keyctl mount unshare clone3 io_uring_setup bpf socket ptrace setns; do
	sbd "${IN[@]}" -- "$PR" syscall "$call"
	plain=$OUT
	sbd --report-denials "${IN[@]}" -- "$PR" syscall "$call"
	[[ $OUT == "$plain" ]] || {
		same=1
		echo "# $call: $OUT with the flag, $plain without"
	}
done
is "$same" 0 "every call gets the same errno with and without --report-denials"
sbd --report-denials "${IN[@]}" -- "$PR" syscall uname
is "$OUT|$(denied uname)" "EFAULT|0" "an allowed call is not reported"

# A storm: counted, the first printed once, the summary with the count.
if [[ -n $NH ]]; then
	sbd --report-denials "${IN[@]}" -- "$NH" storm 2000 keyctl
	is "$OUT" "2000 EPERM" "2000 denied calls, every one EPERM"
	is "$(denied keyctl)" 1 "the first is printed once"
	has "$ERR" "keyctl denied 2000 times (deny) in $NH" "the summary counts them"
	sbd --report-denials "${IN[@]}" -- sh -c '"$0" syscall keyctl; "$1" storm 3 keyctl' "$PR" "$NH"
	has "$ERR" "keyctl denied 1 time (deny) in $PR" "counted per program:"
	has "$ERR" "keyctl denied 3 times (deny) in $NH" "each program its own count"
else
	skip "a storm of denials" "NOTIFY_HELPER=${NOTIFY_HELPER:-} was not built"
fi

# JSON lines on --denials-fd, with or without --report-denials.
sbd --denials-fd 3 "${IN[@]}" -- sh -c '"$0" syscall keyctl; "$0" syscall mount; "$0" syscall keyctl' "$PR" 3>"$W/denials.json"
is "$ERR" "" "--denials-fd alone prints nothing on stderr"
check=$("$PY" - "$W/denials.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
records = [json.loads(line) for line in lines]
keys = {"syscall", "nr", "arch", "args", "pid", "exe", "comm", "rule", "action", "errno"}
missing = [sorted(keys - r.keys()) for r in records if not keys <= r.keys()]
print(len(records), [r["syscall"] for r in records], [r["errno"] for r in records], records[0]["arch"],
      records[0]["comm"], records[0]["action"], records[0]["rule"], len(records[0]["args"]), missing)
PY
)
is "$check" "3 ['keyctl', 'mount', 'keyctl'] [1, 1, 1] x86_64 probe deny default:$keyring_line 6 []" \
	"one JSON object a denial, each with every key"
sbd --report-denials --denials-fd 3 "${IN[@]}" -- "$PR" syscall keyctl 3>"$W/both.json"
is "$(denied keyctl)|$(wc -l <"$W/both.json")" "1|1" "with --report-denials too: both"

# A kill rule: the supervisor kills as the kernel would (SIGSYS), and says so.
sb --syscall 'kill uname' "${IN[@]}" -- "$PR" syscall uname
plain_rc=$RC
sb --report-denials --syscall 'kill uname' "${IN[@]}" -- "$PR" syscall uname
is "$RC|$plain_rc" "159|159" "a kill rule's hit: the same status (SIGSYS) with the flag"
has "$ERR" "denied uname(" "the kill is reported"
has "$ERR" "-> killed" "as a kill"

# Without our own pid 1 (the command is the sandbox's first process).
sbd --report-denials --as-pid-1 "${IN[@]}" -- "$PR" syscall keyctl
is "$OUT|$(denied keyctl)" "EPERM|1" "--as-pid-1: reported as well"

# The test policy reports denials by default.
sbd --policy test -- "$PR" syscall keyctl
is "$OUT|$(denied keyctl)" "EPERM|1" "the test policy reports denials"

# Fallback: an outer filter already holds the listener.
if [[ -n $NH ]]; then
	_run as_user "$NH" listen "$SB" --report-denials "${IN[@]}" -- "$PR" syscall keyctl
	if [[ $RC -eq 77 ]]; then
		skip "the fallback without a listener" "$OUT"
	else
		is "$OUT|$RC" "EPERM|0" "no listener to be had: the plain filter still denies"
		is "$(grep -c "denials can't be reported by name: an outer sandbox already holds" <<<"$ERR")" 1 "said once"
		is "$(denied keyctl)" 0 "and no report"
	fi
else
	skip "the fallback without a listener" "NOTIFY_HELPER=${NOTIFY_HELPER:-} was not built"
fi

# Fallback: a kernel without user notification (SANDBOX_TEST_LEGACY stands in for one).
SANDBOX_TEST_LEGACY=1 sbd --report-denials "${IN[@]}" -- "$PR" syscall keyctl
is "$OUT|$RC|$(denied keyctl)" "EPERM|0|0" "no user notification: the plain filter still denies, unreported"
has "$ERR" "denials can't be reported by name: this kernel has no seccomp user notification" "and says why"

# Bad input.
sbd --denials-fd 9 "${IN[@]}" -- true
is "$RC" 125 "--denials-fd with an fd that isn't open: exit 125"
has "$ERR" "--denials-fd: fd 9 is not open" "and says which"
sbd --denials-fd x "${IN[@]}" -- true
is "$RC" 125 "--denials-fd x: exit 125"
has "$ERR" "denials-fd" "names the option"
printf 'report-denials yes\n' >"$W/bad.policy"
chmod 644 "$W/bad.policy"
sbd --policy "$W/bad.policy" -- true
is "$RC" 125 "report-denials takes no argument"
has "$ERR" "bad.policy:1" "the error says where"

done_testing
