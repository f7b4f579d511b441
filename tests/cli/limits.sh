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

# ---- the size syntax (sandbox(1), DURATIONS AND SIZES), the same for every option ----
sb "${SYSTEM[@]}" --rlimit as 1.5G --rlimit stack 8MiB:16m -- sh -c 'echo $(ulimit -v) $(ulimit -Ss) $(ulimit -Hs)'
is "$RC $OUT" "0 1572864 8192 16384" "--rlimit: sizes with a fraction, iB and a lower-case unit"
sb "${SYSTEM[@]}" --proc /proc --size 1.5M --tmpfs /t -- sh -c 'grep " /t " /proc/mounts'
like "$RC $OUT" "^0 tmpfs /t tmpfs .*size=1536k" "--size: the same syntax (1.5M is 1536 KiB)"
sb "${SYSTEM[@]}" --rlimit stack 8MB -- true
is "$RC" 125 "--rlimit stack 8MB: refused, exit 125"
is "$ERR" "sandbox: --rlimit stack: '8MB' is not a size (a number of bytes, or one with K, M, G or T, powers of 1024; a fraction allowed: 4096, 512M, 1.5G, 2MiB; or unlimited)
sandbox: hint: see DURATIONS AND SIZES in sandbox(1)" "... naming the option, the value and the syntax, with a hint"
# Checked while parsing, before any cgroup is looked for: the same on every host.
sb "${SYSTEM[@]}" --limit memory 1.5KB -- true
like "$RC $ERR" "^125 sandbox: --limit memory: '1.5KB' is not a size \(a number of bytes.*; or max\)" "--limit memory: KB is refused"
sb "${SYSTEM[@]}" --limit memory 16777216T -- true
is "$RC $ERR" "125 sandbox: --limit memory: '16777216T' is too large (at most 18446744073709551614 bytes)" "--limit memory: an overflow is refused"
sb "${SYSTEM[@]}" --limit io-read-bps 8:0 1.5.1M -- true
like "$RC $ERR" "^125 sandbox: --limit io-read-bps: '1.5.1M' is not a rate \(a number of bytes.* per second\)" "--limit io-read-bps: a rate in the size syntax"

# ---- --timeout and --timeout-grace ----
sb "${SYSTEM[@]}" --timeout 0.2 -- sleep 100
is "$RC" 124 "--timeout: a command still running is stopped, exit 124"
is "$ERR" "sandbox: timeout: the command was still running after 0.2 s; stopped with SIGTERM" "... and reported"
sb "${SYSTEM[@]}" --timeout 0.3s -- sleep 100
is "$RC $ERR" "124 sandbox: timeout: the command was still running after 0.3 s; stopped with SIGTERM" "--timeout 0.3s: with s"
sb "${SYSTEM[@]}" --timeout 0.005m -- sleep 100
is "$RC $ERR" "124 sandbox: timeout: the command was still running after 0.3 s; stopped with SIGTERM" "--timeout 0.005m: minutes"
sb "${SYSTEM[@]}" --timeout 0.0001h -- sleep 100
is "$RC $ERR" "124 sandbox: timeout: the command was still running after 0.36 s; stopped with SIGTERM" "--timeout 0.0001h: hours"
sb "${SYSTEM[@]}" --timeout 1d -- sh -c 'exit 3'
is "$RC $ERR" "3 " "--timeout 1d: a command that ends in time keeps its own status"
# The command traps SIGTERM, says so, and goes on: SIGKILL after the grace period ends it. The
# timeout leaves the shell ample time to set its trap first.
trapper='trap "echo TERM" TERM; echo up; while :; do sleep 0.1; done'
sb "${SYSTEM[@]}" "${P[@]}" --timeout 1 --timeout-grace 0.3s -- sh -c "$trapper"
is "$RC $OUT" "124 up
TERM" "--timeout-grace: a command that traps SIGTERM gets it, then is SIGKILLed: exit 124"
is "$ERR" "sandbox: timeout: the command was still running after 1 s; killed after a 0.3 s grace period" "... and that is reported"
sb "${SYSTEM[@]}" --timeout 1 --timeout-grace 0.3s -- sh -c "$trapper"
is "$RC $OUT" "124 up
TERM" "--timeout-grace: the same without a pid namespace (the command is the sandbox's first process)"
sb "${SYSTEM[@]}" "${P[@]}" --timeout 1 --timeout-grace 0 -- sh -c "$trapper"
is "$RC $OUT" "124 up" "--timeout-grace 0: no SIGTERM, SIGKILL at once"
is "$ERR" "sandbox: timeout: the command was still running after 1 s; killed at once (--timeout-grace 0)" "... and that is reported"
# 0 is no timeout: a later --timeout 0 undoes a policy's (which would end the sleep long before it does).
printf 'timeout 0.1\n' >"$W/timeout.policy"
chmod 644 "$W/timeout.policy"
sb "${SYSTEM[@]}" --policy "$W/timeout.policy" --timeout 0 -- sleep 0.5
is "$RC $ERR" "0 " "--timeout 0 after a policy's timeout: no timeout"
sb "${SYSTEM[@]}" --policy "$W/timeout.policy" -- sleep 0.5
is "$RC" 124 "... which, without it, ends the command"
for bad in 1e3 -1 '' 10x 1S 1.5.2 ' 1' 1,5; do
	sb "${SYSTEM[@]}" --timeout "$bad" -- true
	is "$RC $ERR" "125 sandbox: --timeout: '$bad' is not a duration (a number of seconds, or one with s, m, h or d; a fraction allowed: 90, 2.5, 2m, 0.5h, 1d)
sandbox: hint: see DURATIONS AND SIZES in sandbox(1)" "--timeout '$bad': not a duration, exit 125"
done
sb "${SYSTEM[@]}" --timeout 24856d -- true
is "$RC $ERR" "125 sandbox: --timeout: '24856d' is too long (at most 2147483647 s, about 68 years)" "--timeout: too long"
sb "${SYSTEM[@]}" --timeout 99999999999999999999999 -- true
is "$RC $ERR" "125 sandbox: --timeout: '99999999999999999999999' is too long (at most 2147483647 s, about 68 years)" "--timeout: an overflow is too long"
sb "${SYSTEM[@]}" --timeout-grace soon -- true
like "$RC $ERR" "^125 sandbox: --timeout-grace: 'soon' is not a duration \(" "--timeout-grace: a bad value"

# ---- directives ----
cat >"$W/limits.policy" <<'EOF'
limit memory 1.5GiB
limit io-read-bps 8:0 1M
limit cpu 1.5
rlimit nofile 1024:2048
timeout 15m
timeout-grace 30s
stats
cgroup-manager cgroupfs
EOF
chmod 644 "$W/limits.policy"
sb --policy "$W/limits.policy" --print-policy
printed=$OUT
has "$printed" "limit io-read-bps 8:0 1M" "print-policy: the three-argument limit"
has "$printed" "rlimit nofile 1024:2048" "print-policy: rlimit"
has "$printed" "timeout 15m
timeout-grace 30s" "print-policy: timeout and timeout-grace, as written"
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

# ---- --stats without a cgroup: wait4()'s figures (sandbox(1), STATISTICS) ----
sb_nobus() { _run as_user "${nobus[@]}" timeout 60 "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "$@"; }
stat_keys() { sed -n 's/^sandbox: stats: \([a-z-]*\) .*/\1/p' <<<"$1" | tr '\n' ' '; }
stat_value() { sed -n "s/^sandbox: stats: $2 \\([0-9.]*\\) .*/\\1/p" <<<"$1"; }
sb_nobus "${SYSTEM[@]}" --stats --json-status-fd 3 -- true 3>"$W/json"
if [[ $ERR == *"(getrusage"* ]]; then
	is "$RC $(stat_keys "$ERR")" "0 wall cpu-user cpu-system memory-peak " "--stats without a cgroup: runs, and says wall, cpu and memory"
	ok "$(grep -cvE '^sandbox: stats: [a-z-]+ [0-9]+(\.[0-9]+)? [^ ]' <<<"$ERR")" "--stats: every line is 'sandbox: stats: KEY NUMBER ...'" "$ERR"
	like "$ERR" "sandbox: stats: wall [0-9]+\.[0-9]{3} s \(from the sandbox's start to its end\)" "--stats: the wall time, in seconds"
	like "$ERR" "sandbox: stats: memory-peak [1-9][0-9]* B, [0-9.]+ [KM]iB \(max RSS of one process, getrusage; the cgroup's peak needs a delegated cgroup\)" \
		"--stats: the peak memory says where it comes from, and what would give the cgroup's"
	like "$(json_get "$W/json" exit-code 2) $(json_get "$W/json" wall-time-usec 2)" "^0 [1-9][0-9]*$" "--json-status-fd with --stats: the exit code and the wall time"
	like "$(json_get "$W/json" rusage-maxrss 2) $(json_get "$W/json" rusage-user-usec 2)" "^[1-9][0-9]* [0-9]+$" "... and wait4()'s figures"
	lacks "$(sed -n 2p "$W/json")" "cpu-usage-usec" "... and no cgroup figures"
	# What wait4() covers: an orphan (its parent, a subshell, is gone) holding 64 MiB. In a pid
	# namespace it goes to the sandbox's pid 1, which reaps it and counts it; without one it goes
	# to the host's init, beyond what the sandbox's first process can report.
	orphan='( "$0" -c "x = b\"y\" * (64 << 20)" & ) | cat'
	sb_nobus "${SYSTEM[@]}" "${P[@]}" --dev /dev --stats -- sh -c "$orphan" "$PY"
	peak=$(stat_value "$ERR" memory-peak)
	ok "$([[ $RC -eq 0 && ${peak:-0} -ge $((64 << 20)) ]]; echo $?)" "--stats in a pid namespace: an orphan's 64 MiB are in the peak" "rc $RC" "$ERR"
	has "$ERR" "(getrusage: every process of the sandbox, as it was reaped)" "... and the cpu time says it covers every process"
	# One still running when the command ends: pid 1 kills it and reaps it itself (the kernel,
	# reaping for an exiting pid 1, would count nothing of it).
	running='( "$0" -c "x = b\"y\" * (64 << 20); print(1, flush=True); import time; time.sleep(600)" & ) | head -n 1'
	sb_nobus "${SYSTEM[@]}" "${P[@]}" --dev /dev --stats -- sh -c "$running" "$PY"
	peak=$(stat_value "$ERR" memory-peak)
	ok "$([[ $RC -eq 0 && ${peak:-0} -ge $((64 << 20)) ]]; echo $?)" "--stats in a pid namespace: one left running is killed as the command ends, and its 64 MiB are in the peak" "rc $RC" "$ERR"
	sb_nobus "${SYSTEM[@]}" --dev /dev --stats -- sh -c "$orphan" "$PY"
	peak=$(stat_value "$ERR" memory-peak)
	ok "$([[ $RC -eq 0 && -n $peak && $peak -lt $((64 << 20)) ]]; echo $?)" "--stats without a pid namespace: the orphan is not counted" "rc $RC" "$ERR"
	has "$ERR" "(getrusage: the command and what it waited for, not what it left running)" "... and the cpu time says so"
	# The figures end the output, after the messages that explain the status.
	sb_nobus "${SYSTEM[@]}" --stats --timeout 0.2 -- sleep 100
	is "$RC $(head -n 1 <<<"$ERR")" "124 sandbox: timeout: the command was still running after 0.2 s; stopped with SIGTERM" "--stats with --timeout: the timeout first"
	like "$(tail -n 1 <<<"$ERR")" "^sandbox: stats: memory-peak " "... the figures last"
else
	for t in "runs" "every line" "wall time" "peak memory source" "json exit code" "json wait4" "json no cgroup" \
		"pid ns orphan" "pid ns source" "no pid ns orphan" "no pid ns source" "timeout first" "figures last"; do
		skip "--stats without a cgroup: $t" "the sandbox gets a cgroup on this host: $(head -n 2 <<<"$ERR")"
	done
fi

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
	# A manager named outright must give a cgroup, even for --stats alone.
	_run as_user "${nobus[@]}" timeout 60 "$SB" --no-default-policy "${SYSTEM[@]}" --cgroup-manager cgroupfs --stats -- true
	like "$RC $ERR" "^125 sandbox: --cgroup-manager cgroupfs: the cgroup .* is not delegated to us" "--cgroup-manager cgroupfs: not delegated"
	_run as_user "${nobus[@]}" timeout 60 "$SB" --no-default-policy "${SYSTEM[@]}" --cgroup-manager systemd --stats -- true
	like "$RC $ERR" "^125 sandbox: .*no user bus" "--cgroup-manager systemd: no user bus"
else
	for t in "cgroupfs: not delegated" "systemd: no user bus"; do
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
# No controllers on this mount: the cpu time is the cgroup's, the peak memory wait4()'s, and
# the memory and pids counters are left out.
is "$(stat_keys "$ERR")" "wall cpu-user cpu-system memory-peak " "--stats with a cgroup: the figures it has"
like "$ERR" "sandbox: stats: cpu-system [0-9]+\.[0-9]{3} s \(cgroup cpu.stat: every process of the sandbox\)" "--stats: the cpu time is the cgroup's"
has "$ERR" "(max RSS of one process, getrusage; the cgroup's peak needs the memory controller and Linux 5.19)" "--stats: the peak memory is wait4()'s, and says why"
is "$(json_get "$W/json" exit-code 2)" 0 "--json-status-fd: the exit code"
like "$(json_get "$W/json" cpu-usage-usec 2) $(json_get "$W/json" wall-time-usec 2)" "^[1-9][0-9]* [1-9][0-9]*$" "--json-status-fd: cpu-usage-usec and the wall time"
lacks "$(sed -n 2p "$W/json")" "oom-kills" "--json-status-fd: no oom-kills without the memory controller"
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
