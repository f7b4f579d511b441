#!/usr/bin/env bash
# Desktop confinement with real components, headless and unprivileged: an X server (Xvfb) and a
# Wayland compositor (weston's headless backend). An app sees the display it was granted and no
# other, not even by X11's abstract socket; its home is empty, its data is its own and stays;
# a real client draws a window; bad input stops the launch with a clear error (exit 125).
. "$(dirname "$0")/../lib/tap.sh"

missing=()
for t in Xvfb weston wayland-info xauth xdpyinfo xev xprop xlogo xwd fc-list; do
	command -v "$t" >/dev/null || missing+=("$t")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	skip "desktop confinement" "needs ${missing[*]} (scripts/install-deps installs them)"
	done_testing
	exit
fi

# Directories of the test user's: its home and its runtime dir, as the host's.
user_dir() {
	mkdir -p "$1"
	[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && chown 65534:65534 "$1"
	chmod 700 "$1"
}
# exec, as the test user: for the servers started below, whose pid must be theirs.
user_exec() {
	if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
		exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	fi
	exec "$@"
}
mksock() { as_user "$PY" -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"; }

user_dir "$W/home"
user_dir "$W/run"
export HOME="$W/home" XDG_RUNTIME_DIR="$W/run"
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME DBUS_SESSION_BUS_ADDRESS SSH_AUTH_SOCK PULSE_SERVER
U=$(as_user id -u)

# An X server on a free display, its cookie in our Xauthority, with one of another display's
# beside it (which the app must not get). -br: a black root, so that a drawn window shows.
# -noreset: by default the server resets as its last client leaves, and a client connecting
# meanwhile (xev below, after an xprop) is refused.
N=90
while [[ -e /tmp/.X11-unix/X$N || -e /tmp/.X$N-lock ]]; do N=$((N + 1)); done
if [[ ! -d /tmp/.X11-unix ]]; then mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix; fi
export DISPLAY=:$N XAUTHORITY="$W/home/.Xauthority"
as_user xauth -q -f "$XAUTHORITY" add ":$N" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" 2>/dev/null
as_user xauth -q -f "$XAUTHORITY" add ":$((N + 1))" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
exec {xready}< <(user_exec Xvfb ":$N" -auth "$XAUTHORITY" -nolisten tcp -noreset -br -screen 0 320x240x24 -displayfd 1 2>"$W/xvfb.log")
XVFB_PID=$!
# weston says READY=1 on NOTIFY_SOCKET once its socket is there (its systemd-notify module).
exec {wready}< <(user_exec "$PY" -c 'import socket,sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while b"READY=1" not in s.recv(4096):
    pass
print("ready", flush=True)' "$W/notify")
trap 'kill "$XVFB_PID" "${WESTON_PID:-}" "${XLOGO_PID:-}" "${XEV_PID:-}" 2>/dev/null; chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT
read -r -t 60 -u "$wready" line # -t: only against a hang
(NOTIFY_SOCKET="$W/notify" user_exec weston --backend=headless-backend.so --socket=wayland-test \
	--modules=systemd-notify.so --idle-time=0 >"$W/weston.log" 2>&1) &
WESTON_PID=$!
export WAYLAND_DISPLAY=wayland-test
read -r -t 60 -u "$xready" line
is "$line" "$N" "Xvfb runs on :$N"
read -r -t 60 -u "$wready" line
is "$line" "ready" "weston runs (headless) at \$XDG_RUNTIME_DIR/wayland-test"

D=(--policy desktop --app-id org.example.Test)

# ---- Wayland ----
sbd "${D[@]}" --socket wayland -- sh -c 'wayland-info | grep -c "wl_compositor"; echo "$WAYLAND_DISPLAY $XDG_RUNTIME_DIR"'
is "$OUT" "1
wayland-0 /run/user/$U" "--socket wayland: a Wayland client works, at wayland-0 in the private runtime dir"
sbd "${D[@]}" -- sh -c 'echo "[${WAYLAND_DISPLAY:-}]"; wayland-info >/dev/null 2>&1 && echo connected || echo refused'
is "$OUT" "[]
refused" "without it: WAYLAND_DISPLAY is unset and no client connects"
sbd "${D[@]}" -- sh -c 'WAYLAND_DISPLAY="$0" wayland-info >/dev/null 2>&1 && echo connected || echo refused' "$W/run/wayland-test"
is "$OUT" "refused" "nor by the host's socket's path"

# ---- X11 ----
sbd "${D[@]}" --socket x11 -- sh -c 'xdpyinfo | grep -c "^screen #0"; echo "$DISPLAY $XAUTHORITY"; xauth list | wc -l'
is "$OUT" "1
:99 /run/user/$U/Xauthority
1" "--socket x11: an X client works, with an Xauthority holding only this display's cookie"
sbd "${D[@]}" -- sh -c 'echo "[${DISPLAY:-}]"; for d in ":$0" :99; do xdpyinfo -display "$d" >/dev/null 2>&1 && echo connected || echo refused; done' "$N"
is "$OUT" "[]
refused
refused" "without it: DISPLAY is unset and no client connects"
# X servers also listen on an abstract socket, which a shared network namespace leaves in reach.
# (Inside, the display is :99: Xlib tries the abstract socket first and gives up on Landlock's
# EPERM, so the app's display is a number no abstract socket has.)
ABSTRACT='import errno,socket,sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\0/tmp/.X11-unix/X" + sys.argv[1])
    print("connected")
except OSError as e:
    print(errno.errorcode[e.errno])'
as_user "$PY" -c "$ABSTRACT" "$N" >"$W/abstract" 2>&1
is "$(cat "$W/abstract")" "connected" "(outside, the X server's abstract socket takes connections)"
sbd "${D[@]}" -- "$PY" -c "$ABSTRACT" "$N"
is "$OUT" "EPERM" "without --socket x11, not even by the abstract socket @/tmp/.X11-unix/X$N (Landlock)"
sbd "${D[@]}" --socket x11 -- "$PY" -c "$ABSTRACT" "$N"
is "$OUT" "EPERM" "with it, only by the socket in /tmp/.X11-unix: no abstract socket of the host's is in reach"
# The scope is one-way: abstract sockets made inside the sandbox still work there.
sbd "${D[@]}" -- "$PY" -c 'import socket
srv = socket.socket(socket.AF_UNIX)
srv.bind("\0sandbox-test-inside")
srv.listen()
cli = socket.socket(socket.AF_UNIX)
cli.connect("\0sandbox-test-inside")
print("connected")'
is "$OUT" "connected" "an abstract socket made inside the sandbox is reachable from inside"
SANDBOX_TEST_LEGACY=1 sbd "${D[@]}" -- true
is "$RC" 125 "without Landlock's abstract scope and with the network shared: refused (exit 125)"
has "$ERR" "abstract unix sockets" "and the message says why"
SANDBOX_TEST_LEGACY=1 sbd "${D[@]}" --unshare-net -- "$PY" -c "$ABSTRACT" "$N"
like "$OUT" "ECONNREFUSED|ENOENT" "without it, a new network namespace keeps the abstract socket out of reach"

sbd --policy desktop -- sh -c 'echo "[${DISPLAY:-}${WAYLAND_DISPLAY:-}${XAUTHORITY:-}${XDG_RUNTIME_DIR:-}]"'
is "$OUT" "[]" "the desktop policy without an app id points the app at no socket of the host's"

# ---- fallback-x11 ----
sbd "${D[@]}" --socket wayland --socket fallback-x11 -- sh -c 'echo "[${WAYLAND_DISPLAY:-}] [${DISPLAY:-}]"'
is "$OUT" "[wayland-0] []" "fallback-x11 with a Wayland display: no X11"
sbd "${D[@]}" --socket fallback-x11 -- sh -c 'echo "[${WAYLAND_DISPLAY:-}] [${DISPLAY:-}]"'
is "$OUT" "[] [:99]" "fallback-x11 without Wayland granted: X11"
WAYLAND_DISPLAY=wayland-none sbd "${D[@]}" --socket wayland --socket fallback-x11 -- sh -c 'echo "[${WAYLAND_DISPLAY:-}] [${DISPLAY:-}]"'
is "$OUT" "[] [:99]" "fallback-x11 when the host has no Wayland display: X11, and no error"

# ---- a real client draws a window ----
# xev reports the client's window as it maps; its own PropertyNotify first says it is listening.
exec {mapped}< <(as_user stdbuf -oL xev -root -event substructure -event property 2>"$W/xev.err" |
	grep --line-buffered -E '^(PropertyNotify|MapNotify)')
XEV_PID=$!
# Until it has selected its events, a property change goes unseen: changed again until one is.
line=
for _ in $(seq 300); do
	as_user xprop -root -f _SANDBOX_TEST 8s -set _SANDBOX_TEST ready
	read -r -t 0.2 -u "$mapped" line && break
	# Beyond 128: the wait ran out, and xev may not be listening yet; below it, xev has ended.
	[[ $? -gt 128 ]] || break
done
ERR=$(cat "$W/xev.err") like "$line" "PropertyNotify" "(xev watches the root window)"
(user_exec timeout 60 "$SB" "${D[@]}" --socket x11 -- xlogo -geometry 320x240+0+0 >/dev/null 2>"$W/xlogo.err") &
XLOGO_PID=$!
while read -r -t 60 -u "$mapped" line && [[ $line == PropertyNotify* ]]; do :; done
like "$line" "MapNotify" "xlogo, confined, maps a window on the X server"
blank=1
for _ in $(seq 200); do
	as_user xwd -root -silent >"$W/shot.xwd" 2>/dev/null || continue
	# xwd's pixels are the file's end; a black root is one value, xlogo draws two.
	if "$PY" -c 'import sys; d = open(sys.argv[1], "rb").read()[-320 * 240 * 4:]; sys.exit(len(set(d[i:i + 4] for i in range(0, len(d), 4))) < 2)' "$W/shot.xwd"; then
		blank=0
		break
	fi
done
ok "$blank" "and draws in it: the screenshot (xwd -root) is not blank"
kill "$XLOGO_PID" 2>/dev/null
wait "$XLOGO_PID" 2>/dev/null

# ---- the home, the runtime dir, the app's data ----
echo "secret" >"$W/home/secret.txt"
chmod 644 "$W/home/secret.txt"
mksock "$W/run/host-only"
sbd "${D[@]}" -- sh -c 'cat ~/secret.txt 2>/dev/null; echo "home=$HOME"; ls -A "$XDG_RUNTIME_DIR"'
lacks "$OUT" "secret" "\$HOME's files are not there"
has "$OUT" "home=$W/home" "HOME is the user's path"
lacks "$OUT" "host-only" "nor the host's runtime files"
sbd "${D[@]}" -- sh -c 'echo kept >"$XDG_DATA_HOME/f"; echo "$XDG_DATA_HOME $XDG_CONFIG_HOME $XDG_CACHE_HOME $XDG_STATE_HOME"'
A="$W/home/.local/share/sandbox/apps/org.example.Test"
is "$OUT" "$A/data $A/config $A/cache $A/state" "XDG_DATA_HOME and the others are the app's own directories"
sbd "${D[@]}" -- cat "$A/data/f"
is "$OUT" "kept" "the app's data persists across runs"
is "$(cat "$A/data/f" 2>&1)" "kept" "in the documented place on the host"
sbd --policy desktop --app-id org.example.Other -- sh -c 'cat "$XDG_DATA_HOME/f" 2>/dev/null; ls "$0" 2>&1 | head -1' "$A/data"
like "$OUT" "No such file" "another app id has its own, and doesn't see the first's"
is "$(find "$W/run/sandbox" -mindepth 1 2>/dev/null)" "" "each runtime dir is removed after its sandbox"

# ---- /etc and fonts ----
sbd "${D[@]}" -- sh -c 'test -s /etc/machine-id && echo machine-id; fc-list | wc -l; id -un'
like "$OUT" "^machine-id
[1-9][0-9]*
" "/etc/machine-id and fonts (fc-list) are there, and the user has a name"

# ---- the other sockets ----
mkdir -p "$W/run/pulse" && chmod 777 "$W/run/pulse"
mksock "$W/run/pulse/native"
mksock "$W/run/pipewire-0"
mksock "$W/agent"
SSH_AUTH_SOCK="$W/agent" sbd "${D[@]}" --socket pulseaudio --socket pipewire --socket ssh-auth -- \
	sh -c 'echo "$PULSE_SERVER $SSH_AUTH_SOCK"; for s in pulse/native pipewire-0 ssh-auth; do test -S "$XDG_RUNTIME_DIR/$s" && echo "$s"; done'
is "$OUT" "unix:/run/user/$U/pulse/native /run/user/$U/ssh-auth
pulse/native
pipewire-0
ssh-auth" "pulseaudio, pipewire and ssh-auth: each socket in the runtime dir, with its variable"
mksock "$W/run/bus"
mksock "$W/sysbus"
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$W/sysbus" sbd "${D[@]}" --socket session-bus --socket system-bus -- \
	sh -c 'echo "$DBUS_SESSION_BUS_ADDRESS $DBUS_SYSTEM_BUS_ADDRESS"; test -S "$XDG_RUNTIME_DIR/bus" && test -S /run/dbus/system_bus_socket && echo sockets'
is "$OUT" "unix:path=/run/user/$U/bus unix:path=/run/dbus/system_bus_socket
sockets" "session-bus and system-bus: the buses' sockets, unfiltered, with their addresses"
DBUS_SESSION_BUS_ADDRESS="unix:abstract=/tmp/dbus-x" sbd "${D[@]}" --socket session-bus -- true
has "$RC $ERR" "125 sandbox: --socket session-bus: DBUS_SESSION_BUS_ADDRESS=unix:abstract=/tmp/dbus-x has no unix:path= address to bind" \
	"an abstract bus address can't be granted: exit 125"
SSH_AUTH_SOCK="$W/agent" PULSE_SERVER=unix:/x sbd "${D[@]}" -- sh -c 'echo "[${SSH_AUTH_SOCK:-}${PULSE_SERVER:-}${DBUS_SESSION_BUS_ADDRESS:-}]"'
is "$OUT" "[]" "not granted, the host's variables are unset"

# ---- --filesystem ----
mkdir -p "$W/home/Downloads" "$W/home/.config" "$W/shared"
echo dl >"$W/home/Downloads/file"
# XDG_MUSIC_DIR set to the home itself: xdg-user-dirs' way of saying there is none.
printf 'XDG_DOWNLOAD_DIR="$HOME/Downloads"\nXDG_MUSIC_DIR="$HOME/"\n' >"$W/home/.config/user-dirs.dirs"
chmod -R a+rwX "$W/home/Downloads" "$W/home/.config" "$W/shared"
sbd "${D[@]}" --filesystem xdg-download -- sh -c 'cat ~/Downloads/file; touch ~/Downloads/new 2>/dev/null || echo read-only'
is "$OUT" "dl
read-only" "--filesystem xdg-download: the user's Downloads (user-dirs.dirs), read-only"
sbd "${D[@]}" --filesystem "$W/shared:rw" -- sh -c 'echo w >"$0/new" && echo written' "$W/shared"
is "$OUT $(cat "$W/shared/new" 2>&1)" "written w" "--filesystem PATH:rw: writable"
# shellcheck disable=SC2088 # the sandbox expands it
sbd "${D[@]}" --filesystem "~/made/here:create" -- sh -c 'test -d ~/made/here && echo there'
is "$OUT" "there" "--filesystem ~/PATH:create: made on the host"
sbd "${D[@]}" --filesystem "$W/absent" -- true
is "$RC" 125 "--filesystem of a missing path: exit 125"
has "$ERR" "$W/absent: No such file or directory" "naming the path"
sbd "${D[@]}" --filesystem xdg-music -- true
has "$RC $ERR" "125 sandbox: --filesystem xdg-music: the user-dirs.dirs of this user names no XDG_MUSIC_DIR" \
	"an xdg name the user-dirs.dirs sets to the home itself (none): exit 125, saying so"
sbd "${D[@]}" --filesystem xdg-videos -- true
has "$RC $ERR" "125 sandbox: --filesystem xdg-videos: the user-dirs.dirs of this user names no XDG_VIDEOS_DIR" \
	"one it doesn't set: exit 125"

# ---- bad input ----
bad_id() { # ID WHY
	sbd --app-id "$1" -- true
	has "$RC $ERR" "125 sandbox: --app-id '$1': not a valid application id: $2" "app id '${1:0:20}': $2"
}
bad_id "" "it is empty"
bad_id "nodots" "it needs at least two elements separated by dots"
bad_id "org..example" "it has an empty element (two dots in a row)"
bad_id ".org.example" "it starts with a dot"
bad_id "org.example." "it ends with a dot"
bad_id "org.3example" "an element starts with a digit"
bad_id "org.exa mple" "it holds a character other than A-Z, a-z, 0-9, '_', '-' and the dots"
bad_id "org.$(printf 'a%.0s' $(seq 252))" "it is longer than 255 bytes"
sbd --app-id "org.$(printf 'a%.0s' $(seq 251))" --print-policy
is "$RC" 0 "255 bytes is allowed"
sbd "${D[@]}" --socket wayladn -- true
has "$RC $ERR" "125 sandbox: --socket 'wayladn': unknown socket" "an unknown socket: exit 125"
has "$ERR" "did you mean 'wayland'?" "with a suggestion"
sbd "${D[@]}" --device gpu -- true
has "$RC $ERR" "125 sandbox: --device 'gpu': unknown device" "an unknown device: exit 125"
sbd "${D[@]}" --socket pulseaudio -- true
rm -rf "$W/run/pulse"
sbd "${D[@]}" --socket pulseaudio -- true
has "$RC $ERR" "125 sandbox: --socket pulseaudio: no socket at $W/run/pulse/native (from pulse/native in \$XDG_RUNTIME_DIR)" \
	"a socket missing on the host: exit 125, naming the path and the variable"
WAYLAND_DISPLAY=wayland-none sbd "${D[@]}" --socket wayland -- true
has "$RC $ERR" "125 sandbox: --socket wayland: no socket at $W/run/wayland-none (from \$WAYLAND_DISPLAY in \$XDG_RUNTIME_DIR)" \
	"a missing Wayland display: exit 125"
DISPLAY='' sbd "${D[@]}" --socket x11 -- true
has "$RC $ERR" "125 sandbox: --socket x11: DISPLAY is not set" "an X11 socket without a display: exit 125"
DISPLAY=otherhost:0 sbd "${D[@]}" --socket x11 -- true
has "$RC $ERR" "125 sandbox: --socket x11: DISPLAY is not a local display (:N)" "a remote display: exit 125"
DISPLAY=:$((N + 50)) sbd "${D[@]}" --socket x11 -- true
has "$RC $ERR" "125 sandbox: --socket x11: no socket at /tmp/.X11-unix/X$((N + 50)) (from \$DISPLAY)" \
	"an X11 display that isn't there: exit 125"
sbd --policy desktop --socket x11 -- true
has "$RC $ERR" "125 sandbox: --socket needs --app-id" "a socket without an app id: exit 125"
sbd "${D[@]}" --filesystem relative/path -- true
has "$RC $ERR" "125 sandbox: --filesystem relative/path: not an absolute path" "--filesystem of a relative path: exit 125"
sbd "${D[@]}" --filesystem /tmp:rx -- true
has "$RC $ERR" "125 sandbox: --filesystem /tmp:rx: unknown access 'rx'" "--filesystem with an unknown access: exit 125"
is "$(find "$W/run/sandbox" -mindepth 1 2>/dev/null)" "" "a launch stopped by an error leaves no runtime dir behind"
sbd "${D[@]}" --device dri -- sh -c 'ls /dev/dri 2>/dev/null | head -1; echo rc=0'
like "$OUT" "rc=0" "--device dri works, on a host with or without /dev/dri"

done_testing
