#!/usr/bin/env bash
# syscall-import: OCI runtime-spec / Docker seccomp profiles, with hand-written fixtures and
# with Docker's own default profile (../shared/data beside the checkout, present in CI).
. "$(dirname "$0")/../lib/tap.sh"

x86_64_only "syscall-import"


cat >"$W/errno.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 },
    { "names": ["personality"], "action": "SCMP_ACT_ERRNO",
      "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["keyctl", "no_such_syscall_anywhere"], "action": "SCMP_ACT_ERRNO",
      "includes": { "caps": ["CAP_SYS_ADMIN"] } },
    { "names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
      "excludes": { "caps": ["CAP_SYS_ADMIN"] } },
    { "names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": { "minKernel": "99.0" } }
  ] }
JSON
chmod 644 "$W/errno.json"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" -- "$PY" -c "$TRY" uname
is "$OUT" ENOSYS "errnoRet of a rule"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" -- "$PY" -c "$TRY" personality 8
is "$OUT" EPERM "args: the comparison applies (and the default errno is EPERM)"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" -- "$PY" -c "$TRY" personality 0xffffffff
is "$OUT" 0 "args: other values pass"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" -- "$PY" -c "$TRY" keyctl 99
is "$OUT" EACCES "includes/excludes by capability: without CAP_SYS_ADMIN the excludes rule is the one that applies"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" --cap-add CAP_SYS_ADMIN -- "$PY" -c "$TRY" keyctl 99
is "$OUT" EPERM "with --cap-add CAP_SYS_ADMIN (even given after the import) the includes rule applies"
sb "${SYSTEM[@]}" --syscall-import "$W/errno.json" -- "$PY" -c "$TRY" uname
is "$OUT" ENOSYS "minKernel above the running kernel drops the rule (else uname would get EPERM)"

printf '{ "defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x" }' >"$W/notify.json"
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["uname"], "action": "SCMP_ACT_NOTIFY" } ] }' >"$W/notify2.json"
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ ' >"$W/broken.json"
chmod 644 "$W"/*.json
sb --syscall-import "$W/notify.json" -- true
like "$RC $ERR" "^125 .*listenerPath \(seccomp notify\) is not supported" "listenerPath is an error, not ignored"
sb --syscall-import "$W/notify2.json" -- true
like "$RC $ERR" "^125 .*action SCMP_ACT_NOTIFY is not supported" "SCMP_ACT_NOTIFY is an error"
sb --syscall-import "$W/broken.json" -- true
like "$RC $ERR" "^125 .*broken.json: not a JSON seccomp profile" "broken JSON is an error"
sb --syscall-import "$W/nonexistent.json" -- true
like "$RC $ERR" "^125 sandbox: --syscall-import .*nonexistent.json: No such file or directory" "a missing profile"
# Wrong shapes are errors, not ignored: a lost "args" or "caps" would widen an allow rule, a lost
# "names" or "arches" drop a deny. (json-c itself aborts on a non-array used as one.)
for shape in 'names|42|"names" is neither an array nor a string' 'args|"x"|"args" is not an array' \
	'includes|{"caps":"CAP_SYS_ADMIN"}|"caps" is not an array' 'excludes|[]|"excludes" is not an object' \
	'includes|{"arches":7}|"arches" is not an array'; do
	IFS='|' read -r key value want <<<"$shape"
	names='"names": ["uname"], '
	[[ $key == names ]] && names=
	printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { %s"action": "SCMP_ACT_ERRNO", "%s": %s } ] }' \
		"$names" "$key" "$value" >"$W/shape.json"
	chmod 644 "$W/shape.json"
	sb --syscall-import "$W/shape.json" -- true
	like "$RC $ERR" "^125 .*shape.json: $want" "a profile whose \"$key\" is $value: exit 125, '$want'"
done
# An errno that isn't a number seccomp can carry would read as 0: a call that "succeeds" unrun.
for bad in '"errnoRet": "EPERM"|errnoRet' '"errnoRet": 5000|errnoRet' '"errnoRet": -1|errnoRet'; do
	printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["uname"], "action": "SCMP_ACT_ERRNO", %s } ] }' \
		"${bad%|*}" >"$W/shape.json"
	sb --syscall-import "$W/shape.json" -- true
	like "$RC $ERR" "^125 .*shape.json: \"${bad#*|}\" must be an errno number from 0 to 4095" "${bad%|*} is refused"
done
printf '{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": "ENOSYS" }' >"$W/shape.json"
sb --syscall-import "$W/shape.json" -- true
like "$RC $ERR" '^125 .*shape.json: "defaultErrnoRet" must be an errno number' '"defaultErrnoRet": "ENOSYS" is refused'
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "archMap": { "architecture": "SCMP_ARCH_X86_64" } }' >"$W/shape.json"
sb --syscall-import "$W/shape.json" -- true
like "$RC $ERR" '^125 .*shape.json: "archMap" is not an array' "an archMap that is not a list: exit 125"
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": null, "action": "SCMP_ACT_ERRNO" } ] }' >"$W/shape.json"
sb "${SYSTEM[@]}" --syscall-import "$W/shape.json" -- "$PY" -c "$TRY" uname
is "$RC $OUT" "0 EFAULT" "\"names\": null (how Go writes an empty list) is an empty list: uname reaches the kernel"

printf 'syscall-import errno.json\n' >"$W/import.policy"
chmod 644 "$W/import.policy"
sb "${SYSTEM[@]}" --policy "$W/import.policy" -- "$PY" -c "$TRY" uname
is "$OUT" ENOSYS "in a policy, a relative profile is found beside the policy"

docker=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/docker-default-seccomp.json
if [[ -r $docker ]]; then
	cp "$docker" "$W/docker.json"
	chmod 644 "$W/docker.json"
	D=(--proc /proc --unshare-pid --dev /dev --tmpfs /tmp --syscall-import "$W/docker.json")
	sb "${SYSTEM[@]}" "${D[@]}" -- sh -c 'unshare -U true 2>&1; echo "unshare=$?"; mount -t tmpfs none /tmp 2>&1; echo "mount=$?"'
	like "$OUT" "unshare=1" "Docker's profile: unshare -U fails"
	like "$OUT" "mount=[1-9]" "Docker's profile: mount fails"
	sb "${SYSTEM[@]}" "${D[@]}" -- "$PY" -c "$TRY" keyctl
	is "$OUT" EPERM "Docker's profile: keyctl fails"
	sb "${SYSTEM[@]}" "${D[@]}" -- sh -c 'ls / >/dev/null && "$0" -c "print(42)" && cd /tmp &&
		printf "int main(void) { return 3; }\n" > a.c && gcc a.c -o a; ./a; echo "gcc=$?";
		printf "all:\n\t@echo made\n" > Makefile && make' "$PY"
	is "$OUT" "42
gcc=3
made" "Docker's profile: sh, ls, python3, gcc and make work"
else
	skip "Docker's default profile" "$docker is not there (it is beside the checkout in CI)"
fi

done_testing
