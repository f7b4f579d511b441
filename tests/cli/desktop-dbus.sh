#!/usr/bin/env bash
# Filtered D-Bus through xdg-dbus-proxy: a private session bus (dbus-daemon) with a test
# service owning org.example.A and org.example.B, and dbus-send in the sandbox as the app.
. "$(dirname "$0")/../lib/tap.sh"

APP=(--app-id org.example.App)

# Malformed names and rules: each a clear error, exit 125, before anything runs.
for c in "--talk-name|org|at least two dot-separated elements" \
	"--own-name|org..example|an empty element" \
	"--see-name|org.1example|starts with a digit" \
	"--talk-name|org.exa\$mple|only A-Z a-z 0-9 _ - and dots" \
	"--talk-name|:1.42|a unique connection name" \
	"--system-talk-name|org.example.|ends with a dot" \
	"--call|org.example.A|expected NAME=RULE" \
	"--call|org.example.A=|the rule after = is empty" \
	"--call|org.example.A=Ping|INTERFACE.MEMBER, INTERFACE.\\* or \\*" \
	"--broadcast|org.example.A=org.example.Test.*@|an object path must follow @" \
	"--system-call|org.example.A=*@/org//x|an object path is /-separated elements" \
	"--system-broadcast|org.example.A=*@org/x|an object path starts with /" \
	"--call|org.example.A=*@/a@/b|more than one @" \
	"--call|org.example.A=org.example.Test.1x|an element starts with a digit"; do
	IFS='|' read -r opt arg why <<<"$c"
	sb "${SYSTEM[@]}" "${APP[@]}" "$opt" "$arg" -- /usr/bin/true
	like "$RC: $ERR" "^125: .*$opt '.*': .*$why" "$opt $arg: a clear error, exit 125"
done
sb "${SYSTEM[@]}" --talk-name org.example.A -- /usr/bin/true
like "$RC: $ERR" "^125: .*needs --app-id" "a D-Bus option without --app-id: exit 125"
printf 'app-id org.example.App\ntalk-name org.example.A\ncall org.example.A=Test@/x\n' >"$W/bad.policy"
sb --policy "$W/bad.policy" -- /usr/bin/true
like "$RC: $ERR" "^125: .*bad.policy:3:.*--call 'org.example.A=Test@/x': not a valid rule" \
	"a bad rule in a policy file: its file:line"

if ! command -v dbus-daemon >/dev/null || ! command -v dbus-send >/dev/null || [[ ! -x ${DBUS_SERVICE:-} ]]; then
	skip "D-Bus checks" "needs dbus-daemon, dbus-send and DBUS_SERVICE (tests/lib/dbus-service.c built)"
	done_testing
	exit
fi
if ! command -v xdg-dbus-proxy >/dev/null; then
	skip "D-Bus checks" "xdg-dbus-proxy is not installed"
	done_testing
	exit
fi

# The "host": its runtime dir, a session bus in it, the services on it.
HOSTRUN="$W/hostrun"
mkdir -p "$HOSTRUN" "$W/home"
[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && chown 65534:65534 "$HOSTRUN" "$W/home"
chmod 700 "$HOSTRUN"
cp "$DBUS_SERVICE" "$STAGE/bin/dbus-service"
chmod 755 "$STAGE/bin/dbus-service"
# bg CMD...: CMD as the test user in the background, its output on the fd in $bg_fd, its pid first.
bg() { exec {bg_fd}< <(as_user sh -c 'echo "$$"; exec "$@"' sh "$@"); }
bg dbus-daemon --session --nofork --address="unix:path=$HOSTRUN/bus" --print-address=1
read -r -u "$bg_fd" BUS_PID
trap 'kill "${SVC_PID:-}" "$BUS_PID" 2>/dev/null; chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
read -r -u "$bg_fd" address
export XDG_RUNTIME_DIR="$HOSTRUN" DBUS_SESSION_BUS_ADDRESS="unix:path=$HOSTRUN/bus" HOME="$W/home"
bg "$STAGE/bin/dbus-service" org.example.A org.example.B
read -r -u "$bg_fd" SVC_PID
read -r -u "$bg_fd" ready
is "${address%%,*} $ready" "unix:path=$HOSTRUN/bus ready" "the test bus and its service are up"

RUN=("${SYSTEM[@]}" --proc /proc --dev /dev --unshare-pid "${APP[@]}")
ping() { echo "dbus-send --session --print-reply --dest=org.example.$1 /org/example/Test org.example.Test.Ping 2>&1; echo rc=\$?"; }
# The proxies of this test's bus still running: "PID PPID" lines.
proxies() {
	local p
	for p in /proc/[0-9]*; do
		if [[ "$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" == "xdg-dbus-proxy "*"$HOSTRUN/bus"* ]]; then
			echo "${p#/proc/} $(awk '{print $4}' "$p/stat" 2>/dev/null)"
		fi
	done
}

sb "${RUN[@]}" --talk-name org.example.A -- sh -c "$(ping A); $(ping B)"
has "$OUT" 'string "pong org.example.A"' "--talk-name org.example.A: the app reaches A"
like "$OUT" "rc=0.*rc=1" "and not B"
is "$(proxies)" "" "the proxy ended with the sandbox"

sb "${RUN[@]}" --talk-name 'org.example.*' -- sh -c "$(ping A); $(ping B)"
like "$OUT" 'pong org.example.A.*pong org.example.B' "--talk-name org.example.*: A and B"

sb "${RUN[@]}" --call 'org.example.B=org.example.Test.Ping@/org/example/Test' -- sh -c "$(ping B); $(ping A)"
like "$OUT" 'pong org.example.B.*rc=0.*rc=1' "--call NAME=RULE: that call to B, nothing of A"
sb "${RUN[@]}" --call 'org.example.B=org.example.Test.Ping@/org/other' -- sh -c "$(ping B)"
like "$OUT" 'rc=1' "--call with another object path: refused"

# The system bus, played by the same test bus: one proxy serves both.
sysping() { echo "dbus-send --system --print-reply --dest=org.example.$1 /org/example/Test org.example.Test.Ping 2>&1; echo rc=\$?"; }
_run as_user env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" timeout 60 "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" \
	"${RUN[@]}" --system-talk-name org.example.B --talk-name org.example.A \
	-- sh -c "$(sysping B); $(sysping A); $(ping A); echo \"\$DBUS_SYSTEM_BUS_ADDRESS\""
like "$OUT" 'pong org.example.B.*rc=0.*rc=1.*pong org.example.A.*rc=0.unix:path=/run/dbus/system_bus_socket$' \
	"--system-talk-name: B on the system bus (not A), and A on the session bus, in one launch"

OWN='dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.RequestName string:org.example.Own uint32:0 2>&1; echo rc=$?'
sb "${RUN[@]}" --own-name org.example.Own -- sh -c "$OWN"
like "$OUT" '^ *uint32 1.rc=0' "--own-name: the app owns the name"
sb "${RUN[@]}" --talk-name org.example.A -- sh -c "$OWN"
like "$OUT" 'rc=1' "without --own-name: RequestName refused"

sb "${RUN[@]}" -- sh -c "echo \"\${DBUS_SESSION_BUS_ADDRESS-unset}\"; $(ping A)"
like "$OUT" '^unset.*rc=1' "no bus permission: no address, no bus"
sb "${RUN[@]}" -- sh -c 'ls -A "$XDG_RUNTIME_DIR"'
lacks "$OUT" "bus" "and nothing named bus in the app's runtime dir"

# Killed: the sandbox process dies of SIGKILL, its proxy follows (its death signal).
exec {sb_out}< <(as_user "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${RUN[@]}" --die-with-parent \
	--talk-name org.example.A -- sh -c 'echo up; exec sleep 600' 2>&1)
read -r -u "$sb_out" up
read -r proxy launcher <<<"$(proxies)"
is "$up ${proxy:+running}" "up running" "a proxy runs while the sandbox does"
kill -KILL "$launcher"
wait_gone "$proxy"
exec {sb_out}<&-
is "$(proxies)" "" "the sandbox killed: no proxy left"

# The proxy missing from PATH.
_run as_user env PATH=/nonexistent "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${RUN[@]}" --talk-name org.example.A -- /usr/bin/true
like "$RC: $ERR" "^125: .*xdg-dbus-proxy.*No such file or directory" "xdg-dbus-proxy not in PATH: exit 125"
has "$ERR" "install it (Debian package xdg-dbus-proxy)" "with a hint"

# The session bus missing.
_run as_user env DBUS_SESSION_BUS_ADDRESS="unix:path=$W/nobus" "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${RUN[@]}" \
	--talk-name org.example.A -- /usr/bin/true
like "$RC: $ERR" "^125: .*session bus: $W/nobus \(from DBUS_SESSION_BUS_ADDRESS\): No such file" \
	"a session bus that isn't there: exit 125, naming the path and variable"

done_testing
