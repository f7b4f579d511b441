#!/usr/bin/env bash
# Escape probes for processes, mounts, /proc, /sys, /dev, IPC, lifetime and a hostile start
# (items 9-17 of the escape tier). Each check makes the attack for real with the probe
# tests/escape/process.c (ESCAPE_PROCESS) and passes only when it was stopped. Synchronised
# through fifos and pidfds, never by sleeping; race probes loop a bounded number of times.
. "$(dirname "$0")/../lib/tap.sh"

: "${ESCAPE_PROCESS:=$T_LIB/../../build/tests/escape/escape-process}"
if [[ ! -x $ESCAPE_PROCESS ]]; then
	skip "escape probes" "ESCAPE_PROCESS=$ESCAPE_PROCESS was not built"
	done_testing
	exit
fi
cp "$ESCAPE_PROCESS" "$STAGE/bin/esc"
chmod 755 "$STAGE/bin/esc"
ESC="$STAGE/bin/esc"

# What the host has to undo at the end, whatever happened: mounts made as root, background
# helpers this file started and anything that outlived a sandbox (killed by their pid), the
# SysV segment.
T_UMOUNTS=()
T_KILL=()
T_MARKERS=()
T_SHM_KEY=$((0x5a000000 + $$ % 65536))
cleanup() {
	local i p m
	for p in "${T_KILL[@]}"; do kill -9 "$p" 2>/dev/null; done
	for m in "${T_MARKERS[@]}"; do
		for p in $(marked_pids "$m"); do kill -9 "$p" 2>/dev/null; done
	done
	for ((i = ${#T_UMOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${T_UMOUNTS[i]}" 2>/dev/null; done
	as_user "$ESC" shm-rm "$T_SHM_KEY" >/dev/null 2>&1
	chmod -R u+w "$STAGE" 2>/dev/null
	rm -rf "$STAGE"
}
trap cleanup EXIT

# A bare root: the host's programs read-only, a new /proc and /dev, a pid namespace, the probe.
BARE=("${SYSTEM[@]}" --proc /proc --dev /dev --unshare-pid --ro-bind "$ESC" /esc)

mkfifo "$W/ready" "$W/go"
chmod 666 "$W/ready" "$W/go"
# Inside, the fifos are /ready and /go.
FIFOS=(--bind "$W/ready" /ready --bind "$W/go" /go)

# wait_ready: the background probe reached its sync point (or died: then a failure after a
# bound wait, not a hang; this is no timing assumption, the probe writes as soon as it is there).
wait_ready() {
	local fd line=
	exec {fd}<>"$W/ready"
	read -r -t 120 -u "$fd" line
	exec {fd}>&-
	[[ $line == up ]]
}

# go_on: lets the probe past its sync point; the fifo stays open (read-write, so this never
# blocks) until the background process has ended; sets bg_rc.
go_on() {
	local fd
	exec {fd}<>"$W/go"
	echo go >&"$fd"
	wait "$bg_pid"
	bg_rc=$?
	exec {fd}>&-
}

# bg_user ARGS...: ARGS as the test user in the background, from the staging dir, output in
# $W/bg.out and $W/bg.err; sets bg_pid (the command itself: setpriv execs it).
bg_user() {
	if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
		(cd "$STAGE" && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@") </dev/null >"$W/bg.out" 2>"$W/bg.err" &
	else
		(cd "$STAGE" && exec "$@") </dev/null >"$W/bg.out" 2>"$W/bg.err" &
	fi
	bg_pid=$!
	T_KILL+=("$bg_pid")
}

# marked_pids MARKER: the host's processes with MARKER in their command line.
marked_pids() {
	local f pid args IFS=' '
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		[[ $pid == "$BASHPID" ]] && continue
		mapfile -d '' -t args 2>/dev/null <"$f" || continue
		if [[ "${args[*]}" == *"$1"* ]]; then echo "$pid"; fi
	done
}

# gone_after_wait MARKER: waits (pidfd) for each process still marked, then lists survivors.
survivors() {
	local p
	for p in $(marked_pids "$1"); do wait_gone "$p"; done
	marked_pids "$1" | tr '\n' ' '
}

# --- 9. No host process is visible or reachable -------------------------------------------
marker=escape-host-$$-$RANDOM
bash -c "exec -a $marker sleep 1000" </dev/null >/dev/null 2>&1 &
host_pid=$!
disown "$host_pid" # killed at the end, quietly
T_KILL+=("$host_pid")
sbd "${BARE[@]}" -- /esc pids "${marker:0:8}" "${marker:8}"
is "$RC ${OUT##*$'\n'}" "0 hidden" "9: a host process started outside is not in the sandbox's /proc"
like "$OUT" $'pids [12]\n' "9: /proc lists only the sandbox's own pids (its pid 1 and the command)"
sbd "${BARE[@]}" -- /esc attack "$host_pid"
is "$RC ${OUT##*$'\n'}" "0 denied" "9: kill, ptrace attach/seize, pidfd_open, process_vm_writev, /proc/PID/mem of a host pid all fail"
# The host's pid 1 can only be named as 1, which inside is the sandbox's own pid 1.
for policy in sbd sb; do
	$policy "${BARE[@]}" -- /esc attack 1 nokill
	what="default policy"
	[[ $policy == sb ]] && what="no policy"
	is "$RC ${OUT##*$'\n'}" "0 denied" "9: the sandbox's pid 1 can't be ptraced, written or opened ($what)" "$OUT"
done
# Even for a command given CAP_SYS_PTRACE, started while the parent still writes the status fd
# (pid 1 waits for that before it turns undumpable): the command runs only after that.
sb "${BARE[@]}" --cap-add CAP_SYS_PTRACE --info-fd 2 -- /esc attack 1 nokill
is "$RC ${OUT##*$'\n'}" "0 denied" "9: the sandbox's pid 1 can't be ptraced, written or opened (CAP_SYS_PTRACE, --info-fd)" "$OUT"

# --- 10. Mounts: no shared peers, no old root, nothing reachable outside the root ----------
mkdir -p "$W/m"
sbd "${BARE[@]}" --bind "$W/m" /m --chdir /m -- /esc mountinfo / /usr /esc /m /proc /proc/ /dev /dev/
is "$RC ${OUT##*$'\n'}" "0 contained" "10: mountinfo has no shared: peer and no old root; /.. is /; cwd and fds inside" "$OUT"
if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
	# The host dir is made a shared mount, so a sandbox that kept it shared (or a slave)
	# would receive the host's later mounts.
	mkdir -p "$W/prop/sub"
	mount --bind "$W/prop" "$W/prop" && T_UMOUNTS+=("$W/prop") && mount --make-shared "$W/prop"
	bg_user "$SB" "${T_EXTRA[@]}" "${BARE[@]}" "${FIFOS[@]}" --bind "$W/prop" /prop -- /esc -r /ready -g /go notmount /prop/sub
	wait_ready
	mount -t tmpfs none "$W/prop/sub" && T_UMOUNTS+=("$W/prop/sub") && touch "$W/prop/sub/host-marker"
	go_on
	is "$bg_rc $(cat "$W/bg.out")" "0 not-propagated" "10: a host mount made after the start (on a shared mount) does not propagate in" "$(cat "$W/bg.err")"
	umount "$W/prop/sub"
else
	skip "10: a host mount made after the start does not propagate in" "needs root to mount on the host"
fi
mkdir -p "$W/mi/sub"
chmod -R 777 "$W/mi"
if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
	mount --bind "$W/mi" "$W/mi" && T_UMOUNTS+=("$W/mi") && mount --make-shared "$W/mi"
fi
bg_user "$SB" --no-default-policy "${T_EXTRA[@]}" "${BARE[@]}" --cap-add CAP_SYS_ADMIN --uid 0 --bind "$W/mi" /mi "${FIFOS[@]}" -- /esc -r /ready -g /go mount-tmpfs /mi/sub
wait_ready
if mountpoint -q "$W/mi/sub" || [[ -e $W/mi/sub/inside-marker ]]; then seen=visible; else seen=invisible; fi
go_on
is "$bg_rc $seen" "0 invisible" "10: a tmpfs mounted inside (CAP_SYS_ADMIN in its userns) on a bound path does not appear on the host" "$(cat "$W/bg.out" "$W/bg.err")"

# --- 11. Symlink races on the destinations of binds into a writable bound dir --------------
# race/sub is swapped (RENAME_EXCHANGE) with race/evil, a symlink to a host dir, while other
# sandboxes mount below /r/sub. A mount or a created mount point must never land in the
# target: it stays empty, the host's mount table unchanged; a sandbox that ran saw exactly
# its two tmpfs (the root and /r/sub/x), which a mount made outside its root would not be.
race_rounds() { # race_rounds LABEL: 40 sandboxes while the swapper runs; prints failures
	local i bad=0 n refused=0
	for ((i = 0; i < 40; i++)); do
		sb "${SYSTEM[@]}" --unshare-pid --proc /proc --ro-bind "$ESC" /esc --bind "$W/race" /r --tmpfs /r/sub/x --ro-bind "$ESC" /r/sub/f -- /esc fstype-count tmpfs
		if [[ $RC -eq 0 && $OUT != "tmpfs 2" ]] || [[ $RC -ne 0 && $RC -ne 125 ]]; then
			echo "round $i: rc $RC: $OUT $ERR"
			bad=1
		fi
		[[ $RC -eq 125 ]] && refused=$((refused + 1))
		n=$(find "$W/target" -mindepth 1 | head -3)
		if [[ -n $n ]]; then
			echo "round $i: the host dir got: $n"
			bad=1
			break
		fi
	done
	echo "$i rounds, $refused refused" >"$W/race.stats"
	return $bad
}
for where in outside inside; do
	rm -rf "$W/race" "$W/target" "$W/stop"
	mkdir -p "$W/race/sub/x" "$W/target"
	touch "$W/race/sub/f"
	if [[ $where == outside ]]; then
		ln -s "$W/target" "$W/race/evil" # absolute: resolved on the host, it leads out
	else
		ln -s ../target "$W/race/evil" # relative: the same host dir from race/
	fi
	chmod -R 777 "$W/race" "$W/target"
	mounts_before=$(cut -d' ' -f5 /proc/self/mountinfo | sort)
	if [[ $where == outside ]]; then
		bg_user "$ESC" -r "$W/ready" swap "$W/race/sub" "$W/race/evil" "$W/stop" 100000000
	else
		bg_user "$SB" --no-default-policy "${T_EXTRA[@]}" --ro-bind "$ESC" /esc --bind "$W" "$W" -- /esc -r "$W/ready" swap "$W/race/sub" "$W/race/evil" "$W/stop" 100000000
	fi
	wait_ready
	failures=$(race_rounds "$where")
	rc=$?
	touch "$W/stop"
	wait "$bg_pid"
	swap_rc=$?
	if [[ $swap_rc -eq 77 ]]; then
		skip "11: symlink race (swapper $where)" "$(cat "$W/bg.out")"
		continue
	fi
	echo "# race with the swapper $where: $(cat "$W/race.stats"); $(cat "$W/bg.out")"
	ok $rc "11: while a symlink to a host dir is swapped in ($where the sandbox), no bind lands outside the root" "$failures" "swapper: $(cat "$W/bg.out" "$W/bg.err")"
	is "$(cut -d' ' -f5 /proc/self/mountinfo | sort)" "$mounts_before" "11: the host's mount table is unchanged after the race ($where)"
done
# Between two runs, a bound dir's entry becomes a symlink to a host dir: not followed out.
rm -rf "$W/r2" "$W/target2"
mkdir -p "$W/r2/d" "$W/target2"
chmod -R 777 "$W/r2" "$W/target2"
sb "${SYSTEM[@]}" --unshare-pid --proc /proc --ro-bind "$ESC" /esc --bind "$W/r2" /r --tmpfs /r/d/new/x --symlink /nowhere /r/d/link -- /esc fstype-count tmpfs
is "$RC $OUT" "0 tmpfs 2" "11: first run: a tmpfs below the bound dir's subdirectory"
rm -rf "$W/r2/d"
ln -s "$W/target2" "$W/r2/d"
sb "${SYSTEM[@]}" --unshare-pid --proc /proc --ro-bind "$ESC" /esc --bind "$W/r2" /r --tmpfs /r/d/new/x --symlink /nowhere /r/d/link -- /esc fstype-count tmpfs
left=$(find "$W/target2" -mindepth 1)
if [[ -z $left ]] && { [[ $RC -eq 0 && $OUT == "tmpfs 2" ]] || [[ $RC -eq 125 ]]; }; then r=0; else r=1; fi
ok $r "11: second run, the subdirectory now a symlink to a host dir: nothing created or mounted there" "rc $RC: $OUT" "host dir: $left" "stderr: $ERR"

# --- 12. The tool's binary and descriptors ------------------------------------------------
sbd "${BARE[@]}" -- /esc exe-write
is "$RC ${OUT##*$'\n'}" "0 denied" "12: /proc/1/exe and /proc/self/exe can't be opened for writing" "$OUT"
# Run with nothing open but 0-2 (and fd 5, passed on purpose): the command sees just those.
fds_run() {
	(
		for f in /proc/"$BASHPID"/fd/*; do
			n=${f##*/}
			if [[ $n -gt 2 ]]; then exec {n}>&-; fi
		done
		exec 5</dev/null
		_run as_user "$SB" "$@"
		echo "$RC"
		echo "$OUT"
		echo "$ERR"
	)
}
res=$(fds_run "${BARE[@]}" -- /esc fds 0 1 2 5)
is "$res" $'0\nfds 0 1 2 5' "12: the command's fds are 0 1 2 and the one the caller passed (default policy)"
res=$(fds_run --no-default-policy "${T_EXTRA[@]}" "${BARE[@]}" --unshare-net --unshare-ipc --die-with-parent --json-status-fd 1 -- /esc fds 0 1 2 5)
like "$res" $'^0\n.*fds 0 1 2 5' "12: ... and with status fd, namespaces and --die-with-parent (no default policy)"

# --- 13. /proc/sys, sysrq, core_pattern, /sys; no cgroupfs unless asked --------------------
sbd "${BARE[@]}" -- /esc nowrite /proc/sys/kernel/core_pattern /proc/sysrq-trigger /proc/sys/kernel/hostname /proc/sys/vm/drop_caches /proc/sys '/proc/sys/...'
is "$RC ${OUT##*$'\n'}" "0 read-only" "13: /proc/sys (all of it), core_pattern and /proc/sysrq-trigger are not writable" "$OUT"
for sysopt in "--sys /sys" "--ro-bind /sys /sys" "--unshare-net --sys /sys"; do
	read -ra so <<<"$sysopt"
	sbd "${BARE[@]}" "${so[@]}" -- /esc nowrite /sys /sys/kernel/uevent_helper /sys/power/state /sys/kernel/mm/transparent_hugepage/enabled '/sys/...'
	is "$RC ${OUT##*$'\n'}" "0 read-only" "13: /sys is not writable with $sysopt" "$OUT"
done
sbd "${BARE[@]}" -- /esc fstype-count cgroup2
is "$RC $OUT" "0 cgroup2 0" "13: no cgroup2 mounted inside by default"
sbd "${BARE[@]}" -- /esc fstype-count cgroup
is "$RC $OUT" "0 cgroup 0" "13: no cgroup (v1) mounted inside by default"

# --- 14. IPC: SysV shm and abstract unix sockets of the host ------------------------------
_run as_user "$ESC" shm-create "$T_SHM_KEY"
if [[ $RC -eq 0 ]]; then
	sb "${BARE[@]}" -- /esc shm-find "$T_SHM_KEY"
	like "$RC $OUT" "^1 visible" "14: control: without --unshare-ipc the host's segment is visible"
	sbd "${BARE[@]}" -- /esc shm-find "$T_SHM_KEY"
	is "$RC $OUT" "0 shmget ENOENT" "14: with --unshare-ipc (default policy) the host's SysV segment is not found"
else
	ok 1 "14: creating the host's SysV segment" "$OUT $ERR"
fi
sock=escape-abstract-$$-$RANDOM
bg_user "$ESC" -r "$W/ready" listen-abstract "$sock"
wait_ready
sb "${BARE[@]}" -- /esc connect-abstract "$sock"
is "$RC $OUT" "1 connected" "14: control: without --unshare-net the host's abstract socket answers"
sbd "${BARE[@]}" --unshare-net -- /esc connect-abstract "$sock"
is "$RC $OUT" "0 connect ECONNREFUSED" "14: with --unshare-net the host's abstract socket is unreachable"
kill "$bg_pid"
wait "$bg_pid" 2>/dev/null

# --- 15. Devices -------------------------------------------------------------------------
sbd "${BARE[@]}" --tmpfs /tmp -- /esc mknod /tmp
is "$RC ${OUT##*$'\n'}" "0 denied" "15: mknod of a char device (1:3) or a block device in a tmpfs fails" "$OUT"
sbd "${BARE[@]}" --tmpfs /tmp --cap-add CAP_MKNOD --uid 0 --no-default-policy -- /esc mknod /tmp
is "$RC ${OUT##*$'\n'}" "0 denied" "15: ... even with CAP_MKNOD in the user namespace" "$OUT"
sbd "${BARE[@]}" -- /esc devlist
is "$RC" 0 "15: /dev holds no block device and no char device outside null zero full random urandom tty ptmx" "$OUT"
names=$(cut -d' ' -f1 <<<"$OUT" | grep -v / | sort | tr '\n' ' ')
is "$names" "core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " "15: /dev holds exactly the minimal set the manual lists (no console when stdout is no terminal)"
lacks "$OUT" "mem " "15: no /dev/mem, /dev/kmsg or /dev/userfaultfd"

# --- 16. Lifetime: nothing the command started outlives the sandbox -----------------------
# a. The command exits (pid namespace, no default policy): its daemon and its SIGTERM-proof
#    child go with it.
m=escape-life-a-$$-$RANDOM
T_MARKERS+=("$m")
sb "${BARE[@]}" -- /esc spawn "$m"
is "$RC $OUT" "0 spawned" "16: a daemon and a SIGTERM-ignoring child were started"
is "$(survivors "$m")" "" "16: ... and are gone once the command exited (--unshare-pid)"
# b. The tool is SIGKILLed: with --die-with-parent (the default policy) everything goes.
for pol in default dwp-nopid; do
	m=escape-life-b-$pol-$$-$RANDOM
	T_MARKERS+=("$m")
	if [[ $pol == default ]]; then
		bg_user "$SB" "${T_EXTRA[@]}" "${BARE[@]}" "${FIFOS[@]}" -- /esc -r /ready spawn "$m" wait
	else
		bg_user "$SB" --no-default-policy "${T_EXTRA[@]}" "${SYSTEM[@]}" --dev /dev --ro-bind "$ESC" /esc "${FIFOS[@]}" --die-with-parent -- /esc -r /ready spawn "$m" wait
	fi
	wait_ready
	found=$(marked_pids "$m" | wc -l)
	kill -9 "$bg_pid"
	wait "$bg_pid" 2>/dev/null
	ok $((found < 3)) "16: running: the command, its daemon and its child carry the marker ($pol)" "found $found" "$(cat "$W/bg.err")"
	if [[ $pol == default ]]; then
		is "$(survivors "$m")" "" "16: after kill -9 of the tool, none of them is left (--die-with-parent, default policy)"
	else
		# Without a pid namespace only the command gets the parent-death signal, as in
		# bubblewrap (the man page says so); what it daemonized lives on (the cleanup kills it).
		left=$(survivors "$m" | wc -w)
		ok $((left < found ? 0 : 1)) "16: after kill -9 of the tool, without a pid namespace, the command itself is gone" \
			"$found before, $left after"
	fi
done
# c. --timeout: the command ignores SIGTERM; SIGKILL follows; status 124.
m=escape-life-c-$$-$RANDOM
T_MARKERS+=("$m")
sbd "${BARE[@]}" --timeout 0.5 -- /esc spawn "$m" wait
is "$RC" 124 "16: --timeout ends a command that ignores SIGTERM: 124" "$ERR"
is "$(survivors "$m")" "" "16: ... and nothing it started is left"

# --- 17. Privileged install and a hostile start ------------------------------------------
if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
	for bit in u+s g+s; do
		mkdir -p "$STAGE/suid"
		cp "$SB" "$STAGE/suid/sandbox"
		chown root:root "$STAGE/suid/sandbox"
		chmod 755 "$STAGE/suid" && chmod "$bit" "$STAGE/suid/sandbox"
		_run as_user "$STAGE/suid/sandbox" "${SYSTEM[@]}" -- true
		like "$RC $ERR" "^125 .*(privilege|setuid|setgid)" "17: installed $bit root, run by uid 65534: refuses with 125"
		rm -f "$STAGE/suid/sandbox"
	done
else
	skip "17: installed setuid root: refuses" "needs root to install it setuid"
	skip "17: installed setgid root: refuses" "needs root to install it setuid"
fi
never_crashes() { # never_crashes NAME: RC < 128, or 125 with a message
	if [[ $RC -lt 128 ]] && { [[ $RC -ne 125 ]] || [[ -n $ERR ]]; }; then ok 0 "$1"; else ok 1 "$1" "rc $RC" "stderr: $ERR"; fi
}
_run as_user env LD_PRELOAD=/nonexistent/libescape.so "$SB" "${SYSTEM[@]}" -- true
never_crashes "17: LD_PRELOAD of a missing library: works or fails cleanly"
is "$RC" 0 "17: ... and the sandbox ran"
mapfile -t big < <(yes 123456789 | head -100000)
_run as_user "$SB" "${SYSTEM[@]}" -- true "${big[@]}"
never_crashes "17: 100000 arguments of 10 bytes: works or E2BIG, no crash"
unset big
(cd "$STAGE" && as_user "$SB" "${SYSTEM[@]}" -- true 0<&- 1>&- 2>&-)
RC=$? ERR=
ok $((RC >= 128)) "17: fds 0, 1 and 2 closed: no crash (status $RC)"
fill_fds() {
	(
		ulimit -n 64
		for ((i = 3; i < 63; i++)); do eval "exec $i</dev/null"; done
		cd "$STAGE" && as_user "$SB" "${SYSTEM[@]}" -- true
	) >"$W/fill.out" 2>"$W/fill.err" </dev/null
}
fill_fds
RC=$? ERR=$(cat "$W/fill.err")
never_crashes "17: an fd table full to RLIMIT_NOFILE (64, 60 open): works or a clean error"


# 18. Nothing inside may signal anything outside, and the caller's keys stay outside.
# Each host script runs in a session of its own, so that a signal that did get out reaches
# nothing but it. As sandbox (default policy), under the name bwrap with bubblewrap's README
# sandbox, and as bwrap without a pid namespace at all.
README_BOX=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64
	--proc /proc --dev /dev --unshare-all --die-with-parent --ro-bind "$ESC" /esc)
signal_modes=("sandbox" "bwrap-readme" "bwrap-no-pidns")
box() { # box MODE: the command line of a sandbox in that mode, up to the probe's path
	case $1 in
	sandbox) BOX=("$SB" "${BARE[@]}" -- /esc) ;;
	bwrap-readme) BOX=("$BW" "${README_BOX[@]}" -- /esc) ;;
	bwrap-no-pidns) BOX=("$BW" --bind / / -- "$ESC") ;;
	esac
}
for mode in "${signal_modes[@]}"; do
	box "$mode"
	_run as_user setsid -w bash -c 'got=none; trap "got=USR1" USR1; "$@" >/dev/null; echo "rc=$? got=$got"' _ \
		"${BOX[@]}" kill0 10
	is "$OUT" "rc=0 got=none" "18: $mode: kill(0, SIGUSR1) from inside does not reach the caller's script"
	_run as_user setsid -w bash -c '"$@" >/dev/null; echo "rc=$? survived"' _ "${BOX[@]}" kill0 9
	is "$OUT" "rc=137 survived" "18: $mode: kill(0, SIGKILL) from inside ends the command, not the caller"
done

# The stop attack on --timeout: the group stops itself while a helper that left the group runs
# on. The timeout must still end it all (124). Waited for through a fifo with a bound, so that
# a monitor stopped for good fails the check instead of hanging the tier.
mkfifo "$W/stoprc"
chmod 666 "$W/stoprc"
for mode in sandbox bwrap-readme; do
	box "$mode"
	as_user setsid bash -c '"$@" >/dev/null 2>&1; echo "rc=$?" >"$0"' "$W/stoprc" \
		"${BOX[@]:0:${#BOX[@]}-2}" --timeout 1 -- /esc stop-group &
	stop_pid=$!
	T_KILL+=("-$stop_pid")
	exec {stopfd}<>"$W/stoprc"
	line=
	read -r -t 120 -u "$stopfd" line
	exec {stopfd}>&-
	is "$line" "rc=124" "18: $mode: kill(0, SIGSTOP) and a helper in a group of its own don't defeat --timeout"
	wait "$stop_pid" 2>/dev/null
	is "$(pgrep -u 65534 -f 'esc stop-group' | wc -l)" 0 "18: $mode: ... and nothing of the sandbox is left"
done

# The caller's session keyring: a key planted there is neither listed in /proc/keys nor found
# from inside. The positive control (--keep-session-keyring) shows the check can see it.
key=escape-test-key-$$
_run as_user "$ESC" keyring-plant "$key" "$SB" "${BARE[@]}" -- /esc keyring-look "$key"
is "$RC:$OUT" "0:HIDDEN keyctl EPERM" "18: sandbox: the caller's keys are not in the sandbox's keyring"
_run as_user "$ESC" keyring-plant "$key" "$BW" "${README_BOX[@]}" -- /esc keyring-look "$key"
is "$RC:$OUT" "0:HIDDEN" "18: bwrap-readme: the caller's keys are not in the sandbox's keyring (keyctl allowed)"
_run as_user "$ESC" keyring-plant "$key" "$BW" "${README_BOX[@]}" --keep-session-keyring -- /esc keyring-look "$key"
like "$RC:$OUT" "^1:ESCAPED " "18: bwrap-readme: with --keep-session-keyring the caller's key is there (the check sees it)"

done_testing
