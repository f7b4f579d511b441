#!/usr/bin/env bash
# Resource limits on the host: rlimits, --timeout, the limit directives in policies, the
# errors for a host whose controllers are bound to cgroup v1 (this one) or whose cgroup is not
# delegated, and, as root, the whole cgroup life cycle in a delegated cgroup made for the test
# on the host's cgroup2 mount (no controllers there, so only --stats; the limits themselves
# are tested in the VM tier, tests/vm).
. "$(dirname "$0")/../lib/tap.sh"

P=(--proc /proc --unshare-pid)
nobus=(env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR)

# ---- rlimits ----
sb "${SYSTEM[@]}" --rlimit nofile 64:128 --rlimit core 0 --rlimit stack 4M:unlimited -- \
	sh -c 'echo $(ulimit -Sn) $(ulimit -Hn) $(ulimit -c) $(ulimit -s)'
is "$RC $OUT" "0 64 128 0 4096" "--rlimit: soft:hard, a single value for both, size suffixes"
sb "${SYSTEM[@]}" --rlimit nproc unlimited:unlimited -- sh -c 'ulimit -u'
hard_nproc=$(as_user sh -c 'ulimit -Hu')
if [[ $hard_nproc == unlimited ]]; then
	is "$RC $OUT" "0 unlimited" "--rlimit: unlimited"
else
	is "$RC" 125 "--rlimit nproc unlimited above the hard limit is refused"
fi
hard=$(as_user sh -c 'ulimit -Hn')
sb "${SYSTEM[@]}" --rlimit nofile "$((hard + 1))" -- true
is "$RC" 125 "--rlimit: a hard limit above the current one: exit 125"
has "$ERR" "--rlimit nofile: the hard limit can't be raised above the current $hard" "... with the current limit named"
has "$ERR" "hint: ask for at most $hard" "... and a hint"
sb "${SYSTEM[@]}" --rlimit nofile 10:5 -- true
is "$RC $ERR" "125 sandbox: --rlimit nofile 10:5: the soft limit is above the hard one" "--rlimit: soft above hard"
sb "${SYSTEM[@]}" --rlimit bogus 1 -- true
like "$RC $ERR" "^125 sandbox: --rlimit: unknown resource 'bogus' \(as, core" "--rlimit: an unknown resource"

# ---- --timeout ----
sb "${SYSTEM[@]}" --timeout 0.2 -- sleep 100
is "$RC" 124 "--timeout: a command still running is stopped, exit 124"
is "$ERR" "sandbox: timeout: the command was still running after 0.2 s; stopped with SIGTERM" "... and reported"
sb "${SYSTEM[@]}" "${P[@]}" --unshare-pid --timeout 0.2 -- sh -c 'trap "" TERM; while :; do sleep 1; done'
is "$RC" 124 "--timeout: a command that ignores SIGTERM is killed after the grace period"
has "$ERR" "killed after a 10 s grace period" "... and that is reported"
sb "${SYSTEM[@]}" --timeout 60 -- sh -c 'exit 3'
is "$RC $ERR" "3 " "--timeout: a command that ends in time keeps its own status"
sb "${SYSTEM[@]}" --timeout 1e3 -- true
like "$RC $ERR" "^125 sandbox: --timeout: '1e3' is not a number of seconds" "--timeout: a bad value"

# ---- directives ----
cat >"$W/limits.policy" <<'EOF'
limit memory 512M
limit io-read-bps 8:0 1M
limit cpu 1.5
rlimit nofile 1024:2048
timeout 900
stats
cgroup-manager cgroupfs
EOF
chmod 644 "$W/limits.policy"
sb --policy "$W/limits.policy" --print-policy
printed=$OUT
has "$printed" "limit io-read-bps 8:0 1M" "print-policy: the three-argument limit"
has "$printed" "rlimit nofile 1024:2048" "print-policy: rlimit"
printf '%s\n' "$printed" >"$W/again.policy"
chmod 644 "$W/again.policy"
sb --policy "$W/again.policy" --print-policy
is "$OUT" "$printed" "print-policy: limits load back to the same policy"
printf 'limit io-read-bps 8:0\n' >"$W/short.policy"
chmod 644 "$W/short.policy"
sb --policy "$W/short.policy" -- true
is "$RC $ERR" "125 sandbox: $W/short.policy:1:1: 'limit' takes 3 arguments, got 2" "a policy: io-read-bps takes three arguments"
printf 'limit memory\n' >"$W/short.policy"
sb --policy "$W/short.policy" -- true
is "$RC $ERR" "125 sandbox: $W/short.policy:1:1: 'limit' takes 2 arguments (KIND VALUE), got 1" "a policy: limit takes two"
printf 'limit memory lots\n' >"$W/short.policy"
sb --policy "$W/short.policy" -- true
like "$ERR" "short.policy:1:1: --limit memory: 'lots' is not a size" "a policy: a bad size, located"
# A device path is checked before any cgroup is looked for: only block devices can be limited.
sb "${SYSTEM[@]}" --limit io-read-bps /dev/null 1M -- true
is "$RC $ERR" "125 sandbox: --limit io-read-bps /dev/null: not a block device" "io-read-bps: a character device is refused first"
sb "${SYSTEM[@]}" --limit io-write-bps /dev/nonexistent 1M -- true
is "$RC $ERR" "125 sandbox: --limit io-write-bps /dev/nonexistent: No such file or directory" "io-write-bps: a missing device path"

# ---- hosts where the limits can't be had ----
if awk '$1 == "memory" && $2 != 0 { found = 1 } END { exit !found }' /proc/cgroups; then
	sb "${SYSTEM[@]}" --limit memory 64M -- true
	is "$RC" 125 "hybrid host: --limit memory fails closed"
	has "$ERR" "sandbox: --limit memory: the memory controller is bound to cgroup v1 on this host" "... naming the cause"
	has "$ERR" "hint: boot with systemd.unified_cgroup_hierarchy=1" "... and the fix"
else
	skip "hybrid host: --limit memory fails closed" "the memory controller isn't bound to cgroup v1 here"
	skip "... naming the cause" "no hybrid host"
	skip "... and the fix" "no hybrid host"
fi
mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
if [[ -n $mnt && $T_ROOT -eq 0 ]] && ! as_user test -w "$mnt$own/cgroup.procs"; then
	_run as_user "${nobus[@]}" timeout 60 "$SB" --no-default-policy "${SYSTEM[@]}" --stats -- true
	is "$RC" 125 "not delegated, no user bus: --stats fails closed"
	has "$ERR" "is not delegated to us, and the user's systemd could not give us one (no user bus" "... with both reasons"
	has "$ERR" "hint: run it where a cgroup is delegated: systemd-run --user --scope -p Delegate=yes" "... and the fix"
	_run as_user "${nobus[@]}" timeout 60 "$SB" --no-default-policy "${SYSTEM[@]}" --cgroup-manager cgroupfs --stats -- true
	like "$RC $ERR" "^125 sandbox: --cgroup-manager cgroupfs: the cgroup .* is not delegated to us" "--cgroup-manager cgroupfs: not delegated"
	_run as_user "${nobus[@]}" timeout 60 "$SB" --no-default-policy "${SYSTEM[@]}" --cgroup-manager systemd --stats -- true
	like "$RC $ERR" "^125 sandbox: .*no user bus" "--cgroup-manager systemd: no user bus"
else
	for t in "not delegated: fails closed" "... both reasons" "... the fix" "cgroupfs: not delegated" "systemd: no user bus"; do
		skip "$t" "needs root (to run as another uid) and a cgroup2 mount this uid can't write"
	done
fi

# ---- a delegated cgroup, as a service with Delegate=yes and User= would get it ----
if [[ $T_ROOT -ne 0 || -z $mnt ]] || ! mkdir "$mnt/sandbox-test-$$" 2>/dev/null; then
	skip "delegated cgroup tests" "need root and a writable cgroup2 mount"
	done_testing
	exit
fi
D=$mnt/sandbox-test-$$
cleanup_cgroup() {
	local d
	for d in "$D"/*/*/ "$D"/*/; do
		[[ -d $d ]] && rmdir "$d" 2>/dev/null
	done
	rmdir "$D" 2>/dev/null
}
trap 'cleanup_cgroup; chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
chown 65534:65534 "$D" "$D/cgroup.procs" "$D/cgroup.subtree_control" "$D/cgroup.threads"
in_d() { # in_d ARGS...: the sandbox as the test user, started from the delegated cgroup
	_run sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$D" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"${nobus[@]}" timeout 60 "$SB" "$@"
}
# gone, or alive: a zombie is gone (this machine's init may not reap the orphans it inherits).
proc_state() { awk '{ print ($3 == "Z" ? "gone" : "alive") }' "/proc/$1/stat" 2>/dev/null || echo gone; }
sandboxes() { find "$D" -mindepth 1 -maxdepth 1 -type d -name 'sandbox-*' ! -name sandbox-caller -printf '%f\n'; }

in_d --no-default-policy "${SYSTEM[@]}" "${P[@]}" --stats --json-status-fd 3 -- grep ^0:: /proc/self/cgroup 3>"$W/json"
is "$RC $OUT" "0 0::/" "delegated cgroup: the command's cgroup namespace is rooted at its cgroup"
like "$ERR" "^sandbox: stats: memory peak .*; cpu [0-9.]+ s user, [0-9.]+ s system.*; oom kills 0, forks refused 0$" "--stats: one line of figures"
is "$(json_get "$W/json" exit-code 2) $(json_get "$W/json" oom-kills 2)" "0 0" "--json-status-fd: the figures with the exit code"
like "$(json_get "$W/json" cpu-usage-usec 2)" "^[1-9][0-9]*$" "--json-status-fd: cpu-usage-usec"
is "$(sandboxes)" "" "the sandbox's cgroup is removed when the command ends"

# Where the command runs, seen from outside while it runs.
mkfifo "$W/up" "$W/down" && chmod 666 "$W/up" "$W/down"
# Opened read-write: a sandbox that fails early can't leave us waiting in open() or read().
exec {up}<>"$W/up"
(in_d --no-default-policy "${SYSTEM[@]}" --bind "$W" "$W" --stats -- sh -c "echo \$\$ > $W/up; read x < $W/down") &
read -r -t 60 -u "$up" cmd_pid
cg=$(sed -n 's/^0:://p' "/proc/$cmd_pid/cgroup")
like "$cg" "^${own%/}/sandbox-test-$$/sandbox-[0-9]+/cmd$" "the command runs in D/sandbox-PID/cmd"
echo go >"$W/down"
wait

(SANDBOX_TEST_LEGACY=1 in_d --no-default-policy "${SYSTEM[@]}" "${P[@]}" --bind "$W" "$W" --stats -- \
	sh -c "grep ^0:: /proc/self/cgroup > $W/inside; echo up > $W/up; read x < $W/down") &
read -r -t 60 -u "$up" _
procs=$(cat "$D"/sandbox-*/cmd/cgroup.procs | wc -l)
echo go >"$W/down"
wait
is "$procs $(cat "$W/inside")" "2 0::/" "without CLONE_INTO_CGROUP (legacy): moved into cmd before it runs, namespace rooted there"

# A daemon the command leaves behind (no pid namespace here) does not outlive the sandbox.
in_d --no-default-policy "${SYSTEM[@]}" --bind "$W" "$W" --stats -- sh -c "setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo \$! > $W/daemon"
daemon=$(cat "$W/daemon")
wait_gone "$daemon"
state=$(proc_state "$daemon")
is "$state" gone "a daemonized process is killed with the sandbox's cgroup"

# A bound cgroup2 mount is read-only inside: the command can't write its cgroup's limits,
# though the files are its uid's.
in_d --no-default-policy "${SYSTEM[@]}" --bind "$mnt" /cg --stats -- sh -c \
	"for f in /cg${own%/}/sandbox-test-$$/sandbox-*/cgroup.subtree_control /cg${own%/}/sandbox-test-$$/cgroup.procs; do echo \$\$ > \$f 2>/dev/null && echo WROTE \$f; done; echo done"
is "$RC $OUT" "0 done" "a cgroup2 mount bound in is read-only: nothing written"
# CAP_SYS_ADMIN in the sandbox's user namespace could remount it read-write: refused, and
# without such a mount the capability is no problem.
in_d --no-default-policy "${SYSTEM[@]}" --bind "$mnt" /cg --cap-add CAP_SYS_ADMIN --stats -- true
is "$RC $ERR" "125 sandbox: --cap-add CAP_SYS_ADMIN with a cgroup (--limit, --stats): the command could make a cgroup file system read-write, raise its limits and leave its cgroup: the cgroup2 mount /cg
sandbox: hint: don't bind a cgroup file system in (such as /sys), or don't add CAP_SYS_ADMIN" \
	"--cap-add CAP_SYS_ADMIN with a cgroup2 mount bound in: refused, 125"
in_d --no-default-policy "${SYSTEM[@]}" --cap-add CAP_SYS_ADMIN --stats -- true
is "$RC" 0 "--cap-add CAP_SYS_ADMIN without a cgroup2 mount inside: runs" "$ERR"
is "$(sandboxes)" "" "the refused launch left no cgroup behind"

# A monitor killed with SIGKILL: the command dies with it; the next launch removes the cgroup.
(in_d --no-default-policy "${SYSTEM[@]}" --bind "$W" "$W" --stats -- sh -c "echo \$\$ > $W/up; read x < $W/down") &
read -r -t 60 -u "$up" cmd_pid
stale=$(sandboxes)
monitor=${stale#sandbox-}
kill -KILL "$monitor"
wait_gone "$cmd_pid"
state=$(proc_state "$cmd_pid")
is "$state" gone "the monitor SIGKILLed: the command dies with it"
wait
is "$(sandboxes)" "$stale" "... and its cgroup is left behind"
in_d --no-default-policy "${SYSTEM[@]}" --stats -- true
is "$RC $(sandboxes)" "0 " "the next launch removes it"

done_testing
