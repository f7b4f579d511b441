#!/usr/bin/env bash
# The shipped policies doing real work: build (make + gcc), test (a Python unittest suite),
# shell (interactive bash under tmux, job control, $HOME hidden).
. "$(dirname "$0")/../lib/tap.sh"

# in_dir DIR ARGS...: the sandbox started from DIR (the build and test policies use ${PWD}).
in_dir() {
	local dir=$1
	shift
	local o e
	o=$(mktemp) e=$(mktemp)
	(cd "$dir" && as_user timeout 120 "$SB" "$@") >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

# A listener on the host's loopback: reachable only from the host's network namespace.
port_file="$W/port"
mkfifo "$port_file"
"$PY" -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
with open(sys.argv[1], "w") as f:       # a fifo: the test reads the port once it listens
    f.write(str(s.getsockname()[1]))
s.settimeout(60)
try:
    s.accept()
except OSError:
    pass' "$port_file" &
listener=$!
port=$(cat "$port_file")
CONNECT="import socket; socket.create_connection(('127.0.0.1', $port), timeout=5); print('connected')"

# build: a multi-file C program with make and gcc.
P="$W/proj"
mkdir -p "$P"
printf 'int answer(void);\nint main(void) { return answer() == 42 ? 0 : 1; }\n' >"$P/main.c"
printf 'int answer(void) { return 42; }\n' >"$P/answer.c"
printf 'prog: main.o answer.o\n\t$(CC) -o $@ $^\n' >"$P/Makefile"
chmod -R a+rwX "$P"
in_dir "$P" --policy build -- sh -c 'make >&2 && ./prog && echo built'
is "$RC $OUT" "0 built" "build: make and gcc compile and link a multi-file program"
in_dir "$P" --policy build -- sh -c "touch $W/outside /usr/x /etc/x 2>&1; ls $W/outside 2>&1; echo done"
like "$OUT" "done$" "build: runs"
[[ ! -e $W/outside ]]
ok $? "build: nothing is written outside the build directory"
in_dir "$P" --policy build -- "$PY" -c "$CONNECT"
like "$RC $ERR" "^1 .*(Connection refused|Network is unreachable)" "build: the host's network is unreachable"
# the same connection without the policy works: the check above can fail
in_dir "$P" --no-default-policy --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 -- "$PY" -c "$CONNECT"
is "$OUT" "connected" "(without it the listener is reachable)"

# test: a Python unittest suite.
T="$W/suite"
mkdir -p "$T"
cat >"$T/test_things.py" <<'PY'
import os, tempfile, unittest

class Things(unittest.TestCase):
    def test_arithmetic(self):
        self.assertEqual(6 * 7, 42)

    def test_tmp_is_private_and_writable(self):
        with tempfile.NamedTemporaryFile(dir=os.environ["TMPDIR"]) as f:
            f.write(b"x")

    def test_cwd_is_writable(self):
        with open("report.txt", "w") as f:
            f.write("ok")

if __name__ == "__main__":
    unittest.main()
PY
chmod -R a+rwX "$T"
in_dir "$T" --policy test -- "$PY" -m unittest -v
like "$RC $ERR" "^0 .*Ran 3 tests.*OK" "test: a unittest suite runs and passes"
[[ -s $T/report.txt ]]
ok $? "test: the suite could write in its directory"
in_dir "$T" --policy test -- "$PY" -c "$CONNECT"
like "$RC" "^1$" "test: no network"

kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null

# shell: interactive bash under tmux, with job control, and $HOME hidden.
if ! command -v tmux >/dev/null; then
	skip "shell policy" "tmux is not installed"
else
	mkfifo "$W/shell-done"
	chmod 666 "$W/shell-done"
	home=$(getent passwd 65534 | cut -d: -f6)
	export TMUX_TMPDIR=$W
	# SHELL: tmux runs the session's command with it, else with the user's login shell (for
	# uid 65534, nologin). Should the sandbox end early, the fifo hears why instead of hanging.
	as_user env HOME="$home" SHELL=/bin/sh TMUX_TMPDIR="$W" tmux -f /dev/null -L sandbox-test \
		new-session -d -x 120 -y 30 \
		"$SB --policy shell --bind $W $W -- bash --norc --noprofile -i 2>$W/shell.err; echo \"sandbox exited: \$?\" >$W/shell-done"
	as_user env TMUX_TMPDIR="$W" tmux -L sandbox-test send-keys \
		"sleep 300 &" Enter "kill -STOP %1" Enter \
		"for i in \$(seq 10000); do jobs %1 | grep -q Stopped && break; done" Enter \
		"jobs > $W/jobs.txt; ls -A ~ | wc -l > $W/home.txt; kill -9 %1; echo done > $W/shell-done" Enter
	# The loop above waits (without sleeping) for bash to see the stop: its SIGCHLD is asynchronous.
	# The timeout only keeps a broken tmux from hanging the suite; it decides nothing.
	exec {done_fd}<>"$W/shell-done"
	read -r -t 120 shell_done <&"$done_fd" || shell_done="no answer in 120 s"
	exec {done_fd}<&-
	is "$shell_done" "done" "shell: the interactive shell ran the script" "$(cat "$W/shell.err")"
	as_user env TMUX_TMPDIR="$W" tmux -L sandbox-test kill-server 2>/dev/null
	like "$(cat "$W/jobs.txt")" "^\[1\]\+ +Stopped +sleep 300" "shell: job control works (a job stopped and listed)"
	is "$(cat "$W/home.txt")" 0 "shell: \$HOME is an empty stand-in"
fi

done_testing
