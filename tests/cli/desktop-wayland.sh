#!/usr/bin/env bash
# Wayland security contexts: with a compositor that has wp_security_context_manager_v1 (the
# test compositor, tests/lib/test-compositor.c) the app's socket is a listener of its own,
# tagged with engine, app id and instance id, and closed when the sandbox ends; with one that
# lacks it (weston 10) the host's socket is bound.
. "$(dirname "$0")/../lib/tap.sh"

if [[ ! -x ${TEST_COMPOSITOR:-} ]] || ! command -v wayland-info >/dev/null; then
	skip "Wayland security contexts" "needs TEST_COMPOSITOR (tests/lib/test-compositor.c built) and wayland-info"
	done_testing
	exit
fi

# A runtime dir of the test user's, as the host's.
hostrun() {
	mkdir -p "$1"
	[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && chown 65534:65534 "$1"
	chmod 700 "$1"
}
HOSTRUN="$W/hostrun"
hostrun "$HOSTRUN"
mkdir -p "$W/home"
[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && chown 65534:65534 "$W/home"
export XDG_RUNTIME_DIR="$HOSTRUN" WAYLAND_DISPLAY=wayland-0 HOME="$W/home"
unset DISPLAY
cp "$TEST_COMPOSITOR" "$STAGE/bin/test-compositor"
chmod 755 "$STAGE/bin/test-compositor"

# The compositor's record comes line by line on this fd: each read waits for what it reads.
exec {rec}< <(as_user sh -c 'echo "$$"; exec "$@"' sh "$STAGE/bin/test-compositor" "$HOSTRUN/wayland-0")
read -r -u "$rec" COMP_PID
trap 'kill "$COMP_PID" "${WESTON_PID:-}" 2>/dev/null; chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
next() { read -r -t 60 -u "$rec" line && echo "$line"; } # -t: only against a hang
is "$(next)" "ready" "the test compositor runs"

RUN=("${SYSTEM[@]}" --proc /proc --dev /dev --unshare-pid --app-id org.example.App --socket wayland)
INFO='wayland-info >/tmp/info 2>&1; echo "rc=$?"; grep -c wp_security_context_manager_v1 /tmp/info; echo "$WAYLAND_DISPLAY"'
sb "${RUN[@]}" --tmpfs /tmp -- sh -c "$INFO"
is "$OUT" "rc=0
0
wayland-0" "the app's Wayland client works, and doesn't see the manager (it is in a context)"
is "$(next)" "client direct" "the launcher connected to the compositor"
ctx=$(next)
like "$ctx" "^context engine=sandbox app_id=org\.example\.App instance_id=[^ ]+$" \
	"the security context carries engine sandbox, the app id and an instance id"
is "$(next)" "client context app_id=org.example.App" "the app's client came through the context's listener"
# Another client, on the host's socket: the compositor looks at the close fds first.
as_user wayland-info >/dev/null 2>&1
is "$(next) / $(next)" "closed app_id=org.example.App / client direct" "the listener was closed when the sandbox ended"

sb "${RUN[@]}" -- true
next >/dev/null
ctx2=$(next)
as_user wayland-info >/dev/null 2>&1
next >/dev/null
next >/dev/null
if [[ $ctx2 != "$ctx" && $ctx2 == "context engine=sandbox app_id=org.example.App instance_id="* ]]; then
	ok 0 "each launch has its own instance id"
else
	ok 1 "each launch has its own instance id" "first: $ctx" "second: $ctx2"
fi

# Killed: the launcher's end of the close pipe goes with it.
exec {sb_out}< <(as_user "$SB" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${RUN[@]}" --die-with-parent -- \
	sh -c 'echo up; exec sleep 600' 2>&1)
SB_PID=$!
read -r -u "$sb_out" up
next >/dev/null
next >/dev/null
# $! is the launcher itself, or the shell running it when we are not root.
launcher=$SB_PID
[[ $(cat "/proc/$SB_PID/comm") == sandbox ]] || launcher=$(pgrep -P "$SB_PID" -x sandbox)
kill -KILL "$launcher"
wait_gone "$launcher"
exec {sb_out}<&-
as_user wayland-info >/dev/null 2>&1
is "$up $(next)" "up closed app_id=org.example.App" "the sandbox killed: the listener is closed too"
next >/dev/null

# A compositor that refuses the context: the launch stops (exit 125), nothing runs.
exec {ref}< <(as_user sh -c 'echo "$$"; exec "$@"' sh "$STAGE/bin/test-compositor" "$HOSTRUN/wayland-9" --refuse 2>/dev/null)
read -r -u "$ref" REF_PID
read -r -u "$ref" ready
WAYLAND_DISPLAY=wayland-9 sb "${RUN[@]}" -- sh -c 'echo ran'
like "$ready $RC: $OUT: $ERR" "^ready 125: : .*Wayland display $HOSTRUN/wayland-9: creating a security context: Protocol error" \
	"a compositor that refuses the security context: a clear error, exit 125, the command not run"
has "$ERR" "advertises wp_security_context_manager_v1 but refused" "with a hint"
kill "$REF_PID"

# Without the protocol (weston 10): the host's socket, bound.
if ! command -v weston >/dev/null; then
	skip "fallback to the host's socket" "weston is not installed"
	done_testing
	exit
fi
WRUN="$W/westonrun"
hostrun "$WRUN"
# weston says it is ready through $NOTIFY_SOCKET (its systemd-notify module).
WESTON_PID=$(XDG_RUNTIME_DIR="$WRUN" as_user "$PY" -c '
import os, socket, subprocess, sys
path = sys.argv[1] + "/notify"
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(60)
p = subprocess.Popen(["weston", "--backend=headless-backend.so", "--socket=wayland-1", "--idle-time=0",
                      "--shell=fullscreen-shell.so",
                      "--modules=systemd-notify.so"], env=dict(os.environ, NOTIFY_SOCKET=path),
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(sys.argv[1] + "/log", "w"))
while b"READY=1" not in s.recv(4096):
    pass
print(p.pid)' "$WRUN")
XDG_RUNTIME_DIR="$WRUN" WAYLAND_DISPLAY=wayland-1 \
	sb "${RUN[@]}" --tmpfs /tmp -- sh -c "$INFO; grep -c weston_ /tmp/info"
like "$OUT" "^rc=0.0.wayland-0.[1-9]" "weston without the protocol: the app reaches it through the host's socket"
kill "$WESTON_PID" 2>/dev/null

done_testing
