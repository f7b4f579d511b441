#!/bin/sh
# The cgroup v2 limits (--limit, --stats, --json-status-fd's counters), inside the VM that
# tests/vm/run-cgroupfs boots: run by busybox sh as uid 1000 from the cgroup /init
# delegated to it, the way systemd delegates user@1000.service. Each test checks what the
# kernel did (exit statuses, cgroup files, the kernel's counters), never how long
# something took.
# shellcheck shell=sh
set -u
. "$(dirname "$0")/tap-lite.sh"

plan 20

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

# hold OPTIONS...: starts a sandbox whose command reports in and then waits until
# `release`, so that its cgroup can be read from outside while it runs. Sets HELD_CG to
# that cgroup ($D/sandbox-PID, PID the sandbox process's) and fails, with the sandbox's
# stderr in HELD_ERR, if the command never came up.
hold() {
	rm -f "$W/up" "$W/go" "$W/held.pid"
	mkfifo "$W/up" "$W/go"
	{
		# the pid is written before exec: it is the sandbox's, and known before "up"
		# shellcheck disable=SC2086
		sh -c 'echo "$$" >"$0"; exec "$@"' "$W/held.pid" sandbox $SB_OPTS --bind "$W" "$W" "$@" \
			-- sh -c "echo up >$W/up; read x <$W/go" 2>"$W/held.err"
		echo "exited $?" >"$W/up"
	} &
	read -r HELD_STATE <"$W/up"
	HELD_ERR=$(cat "$W/held.err")
	HELD_CG=$D/sandbox-$(cat "$W/held.pid")
	[ "$HELD_STATE" = up ]
}

# release: lets the held command end; sets HELD_STATE to "exited STATUS".
release() {
	echo go >"$W/go"
	read -r HELD_STATE <"$W/up"
	wait
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

err=$(sb --stats -- true 2>&1)
line=$(printf '%s\n' "$err" | grep '^sandbox: stats:')
like "$line" 'memory peak.*cpu' "stats: reported on stderr with the memory peak and cpu time" "stderr: $err"

seen stats

# --- memory: dd allocates its 100M block at once, far above the limit

err=$(sb --limit memory 32M -- dd if=/dev/zero of=/dev/null bs=100M count=1 2>&1)
is $? 137 "memory: a hog is killed with status 137" "stderr: $err"
like "$err" 'command killed by the OOM killer: memory limit 32\.0 MiB reached' \
	"memory: the OOM kill is reported with the limit"

seen memory

# --- pids: this busybox sh dies at its first failed fork, with the forks it made counted.
# The sleeps don't hold our stdout: if they outlived the sandbox, the test must not hang.

out=$(sb --limit pids 16 -- sh -c 'i=0
	while [ $i -lt 40 ]; do sleep 1000 >/dev/null 2>&1 & i=$((i+1)); echo $i; done' 2>"$W/err")
err=$(cat "$W/err")
started=$(printf '%s\n' "$out" | tail -n 1)
like "$err" "can't fork" "pids: forks fail at the limit" "started: $started of 40"
like "$err" 'pids limit 16 reached' "pids: the limit is reported"
out=$(sh -c 'echo forked')
[ "$out" = forked ] && [ -n "$started" ] && [ "$started" -lt 40 ]
ok $? "pids: the caller can still fork after a fork bomb hit the limit" "got: $out" \
	"the bomb started $started of its 40 sleeps"

seen pids

# --- cpu: a busy loop of about half a second of CPU on TCG, at 0.1 CPU, must have been
# throttled in some of its 100 ms periods: the kernel counts them in cpu.stat

err=$(sb --limit cpu 0.1 --stats --json-status-fd 3 -- \
	sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' 3>"$W/status.json" 2>&1)
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

seen io

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
