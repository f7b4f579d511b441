#!/bin/sh
# The cgroup v2 limits (--limit, --stats, --json-status-fd's counters), inside the VM that
# tests/vm/run-cgroupfs boots: run by busybox sh as uid 1000 from the cgroup /init
# delegated to it, the way systemd delegates user@1000.service. Each test checks what the
# kernel did (exit statuses, cgroup files, the kernel's counters), never how long
# something took.
# shellcheck shell=sh
set -u
# shellcheck source-path=SCRIPTDIR source=../lib/tap-lite.sh
. "$(dirname "$0")/../lib/tap-lite.sh"

plan 28

# The delegated cgroup we were started in: read it now, since the tool moves its caller
# into the sandbox-caller leaf below it.
D=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
W=$(mktemp -d /tmp/limits.XXXXXX)
DEV=$(cat /sys/block/vda/dev) # the scratch disk run-cgroupfs attaches, as MAJ:MIN

# The sandboxes run the initramfs's own programs. Plain words, so that `hold` can pass
# them through exec as well.
SB_OPTS="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev"
sb() {
	# shellcheck disable=SC2086 # SB_OPTS is a list of words
	sandbox $SB_OPTS "$@"
}

# from_fifo VAR FIFO: read -r VAR <FIFO, again when the open was interrupted: busybox sh
# catches SIGCHLD without SA_RESTART, so that any child of ours that ends meanwhile makes
# the open fail with EINTR. Bounded, in case the fifo went away.
from_fifo() {
	_tries=100
	until { read -r "$1" <"$2"; } 2>/dev/null; do
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || return 1
	done
}

# hold OPTIONS...: starts a sandbox whose command reports in and then waits until
# `release`, so that its cgroup can be read from outside while it runs. HOLD_PRE, if set,
# is shell code the command runs first. Sets HELD_CG to that cgroup ($D/sandbox-PID, PID
# the sandbox process's) and fails, with the sandbox's stderr in HELD_ERR, if the command
# never came up.
hold() {
	rm -f "$W/up" "$W/go" "$W/held.pid"
	mkfifo "$W/up" "$W/go"
	{
		# the pid is written before exec: it is the sandbox's, and known before "up"
		# shellcheck disable=SC2086
		sh -c 'echo "$$" >"$0"; exec "$@"' "$W/held.pid" sandbox $SB_OPTS --bind "$W" "$W" "$@" \
			-- sh -c "${HOLD_PRE:-}echo up >$W/up; read x <$W/go" 2>"$W/held.err"
		echo "exited $?" >"$W/up"
	} &
	HELD_JOB=$!
	from_fifo HELD_STATE "$W/up"
	HELD_ERR=$(cat "$W/held.err")
	HELD_CG=$D/sandbox-$(cat "$W/held.pid")
	[ "$HELD_STATE" = up ]
}

# release: lets the held command end; sets HELD_STATE to "exited STATUS" and HELD_ERR to
# the sandbox's whole stderr. The "go" is written in the background: if the command has
# ended already, nobody opens the fifo to read it, and the writer is stopped instead.
release() {
	echo go >"$W/go" &
	_go=$!
	from_fifo HELD_STATE "$W/up"
	kill "$_go" 2>/dev/null
	wait "$_go" "$HELD_JOB"
	HELD_ERR=$(cat "$W/held.err")
}

# retry N CODE: evaluates the shell code CODE every 0.1 s until it succeeds, at most N
# times; fails if it never did.
retry() {
	_retries=$1
	shift
	until eval "$*"; do
		_retries=$((_retries - 1))
		[ "$_retries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# the cgroup of process $1 (self: this shell), as a path
cgroup_of() {
	echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$1/cgroup")"
}

# the counter KEY of the flat-keyed cgroup file FILE ("oom_kill 0" lines), empty if none
key_of() {
	sed -n "s/^$1 //p" "$2"
}

# the JSON number KEY in the last object of the --json-status-fd output in FILE
json_number() {
	tr '\n' ' ' <"$2" | sed 's/.*{//' | sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p"
}

# seen SECTION: notes the sandbox cgroups present after SECTION, so that the cleanup test
# at the end can say which section left one behind.
LEFTOVERS=
seen() {
	for _d in "$D"/sandbox-[0-9]*; do
		[ -d "$_d" ] || continue
		case $LEFTOVERS in *"${_d##*/} "*) continue ;; esac
		LEFTOVERS="$LEFTOVERS${_d##*/} (first seen after: $1; cgroup.events: $(tr '\n' ' ' <"$_d/cgroup.events"); procs: $(tr '\n' ' ' <"$_d/cgroup.procs"); children: $(cd "$_d" && find . -mindepth 1 -type d | tr '\n' ' '))
"
	done
}

# --- the VM itself: without these the other tests would prove nothing

ctl=$(cat "$D/cgroup.controllers")
missing=
for c in cpu io memory pids; do
	echo "$ctl" | grep -qw "$c" || missing="$missing $c"
done
mark=$(vm-xattr get "$D" user.delegate 2>&1)
[ "$mark" = 1 ] && [ "$(stat -c %u "$D")" = "$(id -u)" ] && [ -z "$missing" ]
ok $? "vm: $D is delegated to us with cpu io memory pids" "controllers: $ctl" \
	"user.delegate: $mark" "$(ls -ld "$D")"

err=$(sb -- true 2>&1)
is $? 0 "vm: a sandbox runs" "$err"

seen vm

# --- --stats

# With the controllers delegated, every figure is the cgroup's (sandbox(1), STATISTICS).
err=$(sb --stats -- true 2>&1)
keys=$(printf '%s\n' "$err" | sed -n 's/^sandbox: stats: \([a-z-]*\) .*/\1/p' | tr '\n' ' ')
# (tasks-peak and cpu-throttled between those, where the kernel has them)
case $keys in "wall cpu-user cpu-system memory-peak "*"oom-kills forks-refused ") true ;; *) false ;; esac &&
	printf '%s\n' "$err" | grep -q '^sandbox: stats: memory-peak [1-9][0-9]* B, .* (cgroup memory.peak' &&
	printf '%s\n' "$err" | grep -q '^sandbox: stats: cpu-user [0-9.]* s (cgroup cpu.stat'
ok $? "stats: the cgroup's figures on stderr, one a line: memory peak, cpu time, counters" "keys: $keys" "stderr: $err"

seen stats

# --- memory, and escape 18 (b): a hog inside is killed by the OOM killer, inside only. A
# process of the caller's, started before it, holds 8 MiB in the caller's cgroup (the
# leaf the tool moved us into) meanwhile, and must come through whole. dd allocates its
# 100M block at once, far above the limit.

C=$(cgroup_of self)
rm -f "$W/holder.up" "$W/holder.go"
sh -c 'x=$(head -c 8388608 /dev/zero | tr "\0" y); echo up >"$1.up"
	while [ ! -e "$1.go" ]; do sleep 0.1; done; echo "${#x}"' sh "$W/holder" >"$W/holder.out" 2>&1 &
holder=$!
retry 300 '[ -s "$W/holder.up" ]'
holder_cg=$(cgroup_of "$holder")
caller_mem=$(cat "$C/memory.current")
caller_ooms=$(key_of oom_kill "$C/memory.events")
all_ooms=$(key_of oom_kill "$D/memory.events") # hierarchical: counts the sandboxes' too

err=$(sb --limit memory 32M --stats --json-status-fd 3 -- dd if=/dev/zero of=/dev/null bs=100M count=1 \
	3>"$W/oom.json" 2>&1)
is $? 137 "escape 18: a memory hog inside (--limit memory 32M) is killed, status 137" "stderr: $err"
like "$err" 'command killed by the OOM killer: memory limit 32\.0 MiB reached' \
	"memory: the OOM kill is reported with the limit"
# The kernel's oom_kill says 3 here: dd as the victim, then dd again and our pid 1 in the sweep
# of the whole cgroup (memory.oom.group). One command was killed: 1.
oom_json=$(json_number oom-kills "$W/oom.json")
[ "$oom_json" = 1 ] && printf '%s\n' "$err" | grep -q '^sandbox: stats: oom-kills 1 ('
ok $? "memory: one OOM-killed command is one OOM kill, in --stats and --json-status-fd" \
	"oom-kills in the json: $oom_json ($(cat "$W/oom.json"))" "stderr: $err"

alive=no
kill -0 "$holder" 2>/dev/null && alive=yes
touch "$W/holder.go"
wait "$holder"
holder_status=$?
held=$(cat "$W/holder.out")
[ "$holder_cg" = "$C" ] && [ "$caller_mem" -ge 8388608 ] && [ "$alive" = yes ] &&
	[ "$holder_status" = 0 ] && [ "$held" = 8388608 ]
ok $? "escape 18: a process of the caller's holding 8 MiB lives on through the OOM kill inside" \
	"its cgroup: $holder_cg (ours: $C), whose memory.current was $caller_mem" \
	"alive after the kill: $alive; then exited $holder_status with: $held"
caller_after=$(key_of oom_kill "$C/memory.events")
all_after=$(key_of oom_kill "$D/memory.events")
[ "$caller_ooms" = 0 ] && [ "$caller_after" = 0 ] && [ -n "$all_after" ] && [ "$all_after" -gt "$all_ooms" ]
ok $? "escape 18: the caller's cgroup counts no OOM kill; the kill was below $D, in the sandbox" \
	"oom_kill in $C/memory.events: $caller_ooms before, $caller_after after" \
	"oom_kill in $D/memory.events (hierarchical): $all_ooms before, $all_after after"

seen memory

# --- pids, and escape 18 (a): a fork bomb inside stops at pids.max, while a process of the
# caller's, running since before the bomb, goes on forking. The bomb is awk, each copy
# starting copies of itself without end: system() returns -1 when the kernel refuses the
# fork, where busybox sh would die (and a bomb of shells collapse once full), so it
# presses on the limit until the sandbox ends. It starts from a subshell, so that the held
# command has no child whose exit would interrupt its wait (busybox sh gives up a fifo's
# open on EINTR). --rlimit nproc is only a safety net, far above the limit: were pids.max
# not to hold, the bomb would take the whole VM down, these tests' shell included; the
# forks it refuses don't count in pids.events.

# forks_now: sets REFUSED to the forks refused in the held sandbox so far (before Linux
# 6.11 they count in the forking task's cgroup, cmd, since then also where the limit is:
# the larger says it) and FORKED to the forks the outside process has made. Builtins only.
# shellcheck disable=SC2317 # called through retry's eval
forks_now() {
	_a=0 _b=0 _f=
	read -r _ _a <"$HELD_CG/pids.events"
	read -r _ _b <"$HELD_CG/cmd/pids.events"
	REFUSED=$((_a > _b ? _a : _b))
	read -r _f <"$W/outside" 2>/dev/null # empty while the writer is between truncate and write
	FORKED=${_f:-$FORKED}
}

# the outside process: one background job (a fork that can't be done in place) a turn
rm -f "$W/stop" "$W/outside"
sh -c 'n=0; while [ ! -e "$1/stop" ]; do /bin/true & wait $! || exit 1; n=$((n + 1)); echo "$n" >"$1/outside"; done' \
	sh "$W" 2>"$W/outside.err" &
outside=$!
outside_cg=$(cgroup_of "$outside")
FORKED=0 REFUSED=0 r1='' f1='' f2='' r2='' pmax='' peak=''
printf '%s\n' 'BEGIN { for (;;) system("awk -v F=" F " -f " F " &") }' >"$W/bomb.awk"
HOLD_PRE="(awk -v F=$W/bomb.awk -f $W/bomb.awk >/dev/null 2>&1 &); "
held=no
hold --limit pids 16 --rlimit nproc 64 && held=yes
HOLD_PRE=
if [ "$held" = yes ]; then
	retry 300 'forks_now; [ "$REFUSED" -gt 0 ]'
	r1=$REFUSED f1=$FORKED
	retry 300 'forks_now; [ "$FORKED" -ge $((f1 + 3)) ]'
	r2=$REFUSED f2=$FORKED
	read -r pmax <"$HELD_CG/pids.max"
	read -r peak <"$HELD_CG/pids.peak"
	read -r now <"$HELD_CG/pids.current"
	alive=no
	kill -0 "$outside" 2>/dev/null && alive=yes
	touch "$W/stop"
	wait "$outside"
	outside_status=$?
	release
else
	now="the command never came up ($HELD_STATE): $HELD_ERR" alive=unknown outside_status=unknown
	touch "$W/stop"
	wait "$outside"
fi
[ "$pmax" = 16 ] && [ "$peak" = 16 ] && [ "${r1:-0}" -gt 0 ]
ok $? "escape 18: a fork bomb inside (--limit pids 16) is stopped at pids.max" \
	"pids.max: $pmax, pids.peak: $peak, pids.current: $now, forks refused: $r1, later $r2" \
	"cgroup: $HELD_CG"
[ "$outside_cg" = "$C" ] && [ "$alive" = yes ] && [ "$outside_status" = 0 ] &&
	[ "${f2:-0}" -ge $((${f1:-0} + 3)) ] && [ "${r2:-0}" -gt "${r1:-0}" ]
ok $? "escape 18: a process of the caller's, there before the bomb, forks on while it is at the limit" \
	"its cgroup: $outside_cg (ours: $C); alive: $alive, then exited $outside_status" \
	"its forks: $f1 once the bomb was refused forks ($r1), $f2 when it had been refused $r2" \
	"its stderr: $(cat "$W/outside.err")"
like "$HELD_ERR" 'pids limit 16 reached: [0-9]+ forks were refused' "pids: the limit is reported" \
	"finally: $HELD_STATE"

seen pids

# --- cpu: a busy loop of about a quarter of a second of CPU on TCG (ten times the quota
# of one period), at 0.1 CPU, must have been throttled in some of its 100 ms periods: the
# kernel counts them in cpu.stat

err=$(sb --limit cpu 0.1 --stats --json-status-fd 3 -- \
	sh -c 'i=0; while [ $i -lt 8000 ]; do i=$((i+1)); done' 3>"$W/status.json" 2>&1)
json=$(cat "$W/status.json")
is "$(json_number exit-code "$W/status.json")" 0 "cpu: the final status object has exit-code 0" \
	"json: $json" "stderr: $err"
gt "$(json_number cpu-nr-throttled "$W/status.json")" 0 "cpu: the command was throttled (cpu-nr-throttled)" \
	"json: $json"
gt "$(json_number cpu-usage-usec "$W/status.json")" 0 "cpu: its usage was counted (cpu-usage-usec)" \
	"json: $json"

seen cpu

# --- io: the files are what the kernel enforces; read them while the sandbox runs

if hold --limit io-weight 50 --limit io-read-bps "$DEV" 1M; then
	weight=$(cat "$HELD_CG/io.weight" 2>&1)
	max=$(cat "$HELD_CG/io.max" 2>&1)
	release
else
	weight="the command never came up ($HELD_STATE): $HELD_ERR" max=$weight
fi
like "$weight" '^default 50$' "io: io.weight of the sandbox's cgroup is 50" "cgroup: $HELD_CG"
like "$max" "^$DEV rbps=1048576 " "io: io.max of the sandbox's cgroup limits reads from $DEV" \
	"cgroup: $HELD_CG" "finally: $HELD_STATE"

if hold --limit io-read-bps /dev/vda 1M; then
	max=$(cat "$HELD_CG/io.max" 2>&1)
	release
else
	max="the command never came up ($HELD_STATE): $HELD_ERR"
fi
like "$max" "^$DEV rbps=1048576 " "io: a device given by path (/dev/vda) works the same" \
	"cgroup: $HELD_CG" "finally: $HELD_STATE"

# A device the kernel can't limit is refused before any cgroup is made (the cleanup tests
# at the end would see one left behind).
err=$(sb --limit io-read-bps /dev/null 1M -- true 2>&1)
is "$? $err" "125 sandbox: --limit io-read-bps /dev/null: not a block device" \
	"io: a character device (/dev/null) is refused, 125"
err=$(sb --limit io-write-bps /dev/nonexistent 1M -- true 2>&1)
is "$? $err" "125 sandbox: --limit io-write-bps /dev/nonexistent: No such file or directory" \
	"io: a device path that doesn't exist is refused, 125"

seen io

# --- a controller that isn't delegated: a delegatee hands a child of its own on with
# memory and pids only (as systemd's Delegate=memory pids would leave it) and marks it
# delegated the way systemd does, with user.delegate. A limit that needs another
# controller fails there, naming both; the controllers it has work. in_cgroup runs a
# command from that cgroup; the run that works goes last, since it makes the cgroup an
# inner node (its caller moves to a leaf), which no process may join afterwards.

in_cgroup() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$@"
}
P=$D/partial
setup=$({ mkdir "$P" && echo "+memory +pids" >"$P/cgroup.subtree_control" && mkdir "$P/scope" &&
	vm-xattr set "$P/scope" user.delegate 1; } 2>&1)
# shellcheck disable=SC2086
err=$(in_cgroup "$P/scope" sandbox $SB_OPTS --limit cpu 0.5 -- true 2>&1)
is "$? $(printf '%s\n' "$err" | head -n 1)" "125 sandbox: the cpu controller is not delegated to the cgroup $P/scope" \
	"delegation: --limit cpu where only memory and pids are delegated fails, 125, naming both" \
	"set up: $setup" "controllers there: $(cat "$P/scope/cgroup.controllers")" "stderr: $err"
# shellcheck disable=SC2086
err=$(in_cgroup "$P/scope" sandbox $SB_OPTS --limit memory 64M --limit io-weight 50 -- true 2>&1)
is "$? $(printf '%s\n' "$err" | head -n 1)" "125 sandbox: the io controller is not delegated to the cgroup $P/scope" \
	"delegation: so does --limit io-weight, even beside a limit that could be had" "stderr: $err"
left=$(cd "$P/scope" && find . -mindepth 1 -type d)
# shellcheck disable=SC2086
err=$(in_cgroup "$P/scope" sandbox $SB_OPTS --limit memory 64M --limit pids 8 -- true 2>&1)
status=$?
[ "$status" = 0 ] && [ -z "$left" ]
ok $? "delegation: the failed runs left nothing there, and memory and pids limits work" \
	"status: $status" "stderr: $err" "left by the failed runs: $left"
rmdir "$P/scope/sandbox-caller" "$P/scope" "$P"

seen delegation

# --- the command can't raise its limits or leave its cgroup, though the whole cgroupfs
# is in view and every cgroup the tool made belongs to the same uid. Writing its own pid
# to its own cgroup.procs succeeds harmlessly, so a move is what counts there. Then the
# memory limit must still hold.

escape='before=$(cat /proc/self/cgroup); n=0
for f in $(find /sys/fs/cgroup -name memory.max -o -name memory.high -o -name pids.max -o -name cgroup.procs); do
	n=$((n+1))
	case $f in
	*/cgroup.procs) if { echo $$ >"$f"; } 2>/dev/null && [ "$(cat /proc/self/cgroup)" != "$before" ]; then
		echo "MOVED $f"; fi ;;
	*) if { echo max >"$f"; } 2>/dev/null; then echo "WROTE $f"; fi ;;
	esac
done
echo "tried $n"
dd if=/dev/zero of=/dev/null bs=100M count=1'
out=$(sb --limit memory 64M --bind /sys/fs/cgroup /sys/fs/cgroup -- sh -c "$escape" 2>"$W/err")
status=$?
err=$(cat "$W/err")
printf '%s\n' "$out" | grep -qE '^tried ([4-9]|[1-9][0-9]+)$' && ! printf '%s\n' "$out" | grep -qE '^(WROTE|MOVED) '
ok $? "escape: no cgroup file could be written to raise a limit or move out" "stdout: $out"
[ "$status" = 137 ] && printf '%s\n' "$err" | grep -q 'OOM killer: memory limit 64\.0 MiB reached'
ok $? "escape: the memory limit still holds afterwards" "status: $status" "stderr: $err"

seen escape

# --- a daemon doesn't outlive a sandbox that has a cgroup (a limit asks for one), even
# with no pid namespace to take it down (no default policy, so no --unshare-pid). The
# command waits until the daemon has told its pid, then exits; the daemon lets go of our
# stdout, so that a survivor makes the test fail, not hang.

mkfifo "$W/daemon"
daemon="setsid sh -c 'echo \$\$ >$W/daemon; exec sleep 1000 >/dev/null 2>&1' & read pid <$W/daemon; echo \$pid"
pid=$(sandbox --no-default-policy --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
	--symlink usr/lib64 /lib64 --dev /dev --bind "$W" "$W" --limit pids 64 -- sh -c "$daemon" 2>"$W/err")
status=$?
gt "$pid" 1 "daemon: the command started one (status $status)" "stderr: $(cat "$W/err")"
state=gone
if [ -n "$pid" ] && [ -e "/proc/$pid" ]; then
	state=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
	case $state in Z*) state=gone ;; esac
fi
# shellcheck disable=SC2009 # this busybox has no pgrep
left=$(ps -o pid,user,args | grep '[s]leep 1000')
[ -n "$pid" ] && [ "$state" = gone ] && [ -z "$left" ]
ok $? "daemon: it is gone once the sandbox has returned" "pid '$pid': $state" "left: $left"

seen daemon

# --- benchmark, informational (no assertion): what a cgroup with memory and pids limits
# adds to a launch, as a ratio of the mean launch times in this same run
if command -v launch-cost >/dev/null; then
	# shellcheck disable=SC2086
	plain=$(launch-cost 30 sandbox $SB_OPTS --no-default-policy --unshare-pid -- true 2>&1)
	# shellcheck disable=SC2086
	limited=$(launch-cost 30 sandbox $SB_OPTS --no-default-policy --unshare-pid --limit memory 256M --limit pids 64 -- true 2>&1)
	seen bench
	echo "# bench: launch without limits: $plain ms"
	echo "# bench: launch with --limit memory 256M --limit pids 64: $limited ms"
	# shellcheck disable=SC2086 # "mean M best B" split into words
	set -- $plain $limited
	echo "# bench: ratio limited/plain (means): $(awk -v a="$2" -v b="$6" 'BEGIN { printf "%.2f", b / a }')"
fi

# --- last: nothing is left behind by all of the above

dirs=
for d in "$D"/*/; do
	[ -d "$d" ] || continue
	d=${d%/}
	dirs="$dirs ${d##*/}"
done
is "$dirs" " sandbox-caller" "cleanup: only the caller's leaf is left in $D" "$LEFTOVERS"

# Builtins only, so that the scan itself starts no process of ours.
strays=
for p in /proc/[0-9]*; do
	if [ "${p#/proc/}" = $$ ] || [ ! -r "$p/status" ]; then continue; fi
	uid=
	while read -r key real _; do
		[ "$key" = Uid: ] && uid=$real && break
	done 2>/dev/null <"$p/status"
	[ "$uid" = 1000 ] && strays="$strays ${p#/proc/}"
done
details=
for p in $strays; do
	details="$details
$p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
done
is "$strays" "" "cleanup: no process of ours is left but this shell" "$details"

rm -rf "$W"
done_testing
