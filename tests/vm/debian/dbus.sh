#!/bin/bash
# Runs in the Debian guest (see run-systemd), as uid 1000 in a cgroup not delegated to it
# (system.slice/sandbox-vm-test.service), with the user's lingering systemd on the user bus.
# The sandbox must get its limits from a transient scope that it asks that systemd for.
# TAP on stdout. $SANDBOX: the binary under test; $PAYLOAD: the per-run disk, where run-systemd
# puts tests/lib/tap-lite.sh (taken from the checkout when this runs outside the guest).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=../../lib/tap-lite.sh
. "${PAYLOAD:-$(dirname "$0")/../../lib}/tap-lite.sh"

SB=${SANDBOX:?}

W=$(mktemp -d /tmp/dbus-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
SYSTEM=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64
	--proc /proc --dev /dev)
cg_root=/sys/fs/cgroup
user_service=$cg_root/user.slice/user-1000.slice/user@1000.service
# Hang guards only: every check here ends on its own well within these.
guard=(timeout --kill-after=5 120)

# --- the setting: a user manager on the bus, our own cgroup not ours to write
out=$(systemctl --user show --property=Version --value 2>&1)
ok $? "the user's systemd answers on the user bus" "$out"

own=$(sed -n 's/^0:://p' /proc/self/cgroup)
[[ $own == /system.slice/* && ! -w $cg_root$own/cgroup.procs ]]
ok $? "our cgroup ($own) is not delegated to uid $(id -u)"

ctl=$(cat "$user_service/cgroup.subtree_control" 2>&1)
[[ " $ctl " == *" memory "* && " $ctl " == *" pids "* ]]
ok $? "user@1000.service delegates memory and pids below it" "subtree_control: $ctl"

out=$("${guard[@]}" "$SB" "${SYSTEM[@]}" -- true 2>&1)
ok $? "a plain sandbox runs as uid 1000" "$out"

if ! "$SB" --help 2>&1 | grep -q -- --cgroup-manager; then
	echo "# this sandbox has no --cgroup-manager yet: the checks below fail"
fi

# --- a scope from the user's systemd
out=$("${guard[@]}" "$SB" --cgroup-manager systemd --limit memory 32M "${SYSTEM[@]}" -- cat /proc/self/cgroup 2>&1)
st=$?
[[ $st -eq 0 && $out == 0::* ]]
ok $? "--cgroup-manager systemd --limit memory 32M runs the command" "exit $st" "$out"

# Where the sandbox sits, seen from outside while a fifo holds it: the command tells us it
# runs (so the scope exists and we are in it), then waits for us to let it go.
held_cgroup() { # held_cgroup MANAGER: prints /proc/<sandbox>/cgroup's v2 path
	rm -f "$W/ready" "$W/hold"
	mkfifo "$W/ready" "$W/hold"
	"$SB" --cgroup-manager "$1" --limit memory 64M "${SYSTEM[@]}" --bind "$W" /w \
		-- sh -c 'echo ready >/w/ready; read x </w/hold' 2>"$W/held.err" &
	local pid=$! line=
	exec 3<>"$W/ready"   # read-write: opening can't block if the sandbox never starts
	read -r -t 60 line <&3
	exec 3<&-
	if [[ $line == ready ]]; then
		sed -n 's/^0:://p' "/proc/$pid/cgroup"
		echo go >"$W/hold"
	else
		echo "(the sandbox never ran the command: $(cat "$W/held.err"))"
		kill "$pid" 2>/dev/null
	fi
	wait "$pid"
}
cg=$(held_cgroup systemd)
[[ $cg == */user@1000.service/*/sandbox-*.scope* ]]
ok $? "the sandbox runs in a sandbox-*.scope under user@1000.service" "cgroup: $cg"

out=$("${guard[@]}" "$SB" --cgroup-manager systemd --limit memory 32M "${SYSTEM[@]}" \
	-- dd if=/dev/zero of=/dev/null bs=100M count=1 2>&1)
st=$?
[[ $st -eq 137 && $out == *"command killed by the OOM killer"* ]]
ok $? "a memory hog over --limit memory 32M is OOM-killed (137) and told so" "exit $st" "$out"

# Forks until the limit stops it; the shell ends and the sandbox kills what is left.
out=$("${guard[@]}" "$SB" --cgroup-manager systemd --limit pids 16 "${SYSTEM[@]}" \
	-- sh -c 'for i in $(seq 32); do sleep infinity & done' 2>&1)
st=$?
[[ $out == *"pids limit 16 reached"* ]]
ok $? "--limit pids 16 reports that the limit was reached" "exit $st" "$out"

cg=$(held_cgroup auto)
[[ $cg == */user@1000.service/*/sandbox-*.scope* ]]
ok $? "--cgroup-manager auto asks systemd here too" "cgroup: $cg"

# --- no limit, no command: never a silent fallback to running unlimited
out=$("${guard[@]}" env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR \
	"$SB" --cgroup-manager systemd --limit memory 32M "${SYSTEM[@]}" -- echo ran 2>&1)
st=$?
[[ $st -ne 0 && $out != *ran* && $out == *"user bus"* && $out == *enable-linger* ]]
ok $? "without a user bus it fails, says so and how to get one" "exit $st" "$out"

out=$("${guard[@]}" "$SB" --cgroup-manager cgroupfs --limit memory 32M "${SYSTEM[@]}" -- echo ran 2>&1)
st=$?
[[ $st -ne 0 && $out != *ran* ]]
ok $? "--cgroup-manager cgroupfs fails in a cgroup that isn't delegated" "exit $st" "$out"

# --- nothing left behind. The scopes' processes are all gone now (we waited for each
# sandbox); systemd stops an emptied scope and removes its cgroup on its own, a moment later:
# wait for each removal (inotify, race-free: a watch on a vanished directory fails at once).
left=()
while IFS= read -r d; do
	[[ -z $d ]] && continue
	populated=$(sed -n 's/^populated //p' "$d/cgroup.events" 2>/dev/null)
	[[ $populated == 1 ]] && left+=("$d (still has processes)")
	inotifywait -q -q -t 60 -e delete_self "$d" 2>/dev/null
	[[ -d $d ]] && left+=("$d")
done < <(find "$user_service" -type d -name 'sandbox-*.scope' 2>/dev/null)
units=$(systemctl --user list-units --all --plain --no-legend 'sandbox-*' 2>&1)
[[ ${#left[@]} -eq 0 && -z $units ]]
ok $? "no sandbox-*.scope is left" "${left[@]/#/cgroup: }" "units: $units"

done_testing
