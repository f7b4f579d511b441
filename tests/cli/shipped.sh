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

# build and test as users meet them: where they may start, the environment, /etc and $HOME, limits.
H="$W/home" # the caller's home, for these checks
mkdir -p "$H/proj"
chmod -R a+rwX "$H"
TU=$(as_user id -u) TG=$(as_user id -g)
want_user=$(getent passwd "$TU" | cut -d: -f1)
want_group=$(getent group "$TG" | cut -d: -f1)
[[ $want_user && $want_user != root ]] || want_user=user
[[ $want_group && $want_group != root ]] || want_group=user
SECRETS=(GITHUB_TOKEN=ghp_secret AWS_SECRET_ACCESS_KEY=aws_secret SSH_AUTH_SOCK=/tmp/agent MY_FLAG=1)
KEPT=(LC_ALL=C.UTF-8 DEB_BUILD_OPTIONS=nocheck MAKEFLAGS=-j2 SOURCE_DATE_EPOCH=1700000000 CI=true)

# in_home DIR ARGS...: as in_dir, with HOME=$H and some secrets and build settings in the environment.
in_home() {
	local dir=$1
	shift
	local o e
	o=$(mktemp) e=$(mktemp)
	(cd "$dir" && as_user env HOME="$H" "${SECRETS[@]}" "${KEPT[@]}" timeout 120 "$SB" "$@") >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

# Started in /, in $HOME or above it, `bind ${PWD} ${PWD}` would hand over all of it: refused.
for policy in build test; do
	in_home / --policy "$policy" -- true
	is "$RC" 125 "$policy started in /: refused (exit 125)"
	has "$ERR" "--bind / /: refusing to bind / writable, which holds $H: refuse-bind $H forbids it" \
		"$policy started in /: the message names the bind, where it comes from, and refuse-bind"
done
has "$ERR" "run it from the project's own directory, or bind one below $H explicitly" "... and says how to go on"
in_home "$H" --policy build -- true
has "$RC $ERR" "125 " "build started in \$HOME: refused"
has "$ERR" "refusing to bind $H writable: refuse-bind $H forbids it" "... naming \$HOME"
in_home "$W" --policy test -- true
has "$RC $ERR" "125 " "test started in a directory above \$HOME: refused"
in_home "$H/proj" --policy build -- sh -c 'pwd && touch made'
is "$RC $OUT" "0 $H/proj" "build started in a project below \$HOME runs there"
[[ -e $H/proj/made ]]
ok $? "... and writes there"

# refuse-bind as any policy or command line may use it: writable binds of PATH or above it.
mkdir -p "$W/rb/in/deep" "$W/rb/other"
ln -sfn in "$W/rb/link"
sb "${SYSTEM[@]}" --refuse-bind "$W/rb/in" --bind "$W/rb" /x -- true
has "$RC $ERR" "125 sandbox: --bind $W/rb /x: refusing to bind $W/rb writable, which holds $W/rb/in" \
	"--refuse-bind: a writable bind of a directory above PATH is refused"
sb "${SYSTEM[@]}" --refuse-bind "$W/rb/in" --bind "$W/rb/link" /x -- true
is "$RC" 125 "--refuse-bind: so is a symlink to PATH (compared by inode, not by name)"
sb "${SYSTEM[@]}" --bind "$W/rb/in/../in" /x --refuse-bind "$W/rb/in" -- true
is "$RC" 125 "--refuse-bind: wherever it stands among the options"
sb "${SYSTEM[@]}" --refuse-bind "$W/rb/in" --ro-bind "$W/rb" /x --bind "$W/rb/in/deep" /y --bind "$W/rb/other" /z -- true
is "$RC" 0 "--refuse-bind: read-only binds, binds below PATH and beside it pass" "$ERR"

# A clean environment: an allow-list for builds, HOME, TMPDIR, USER and LOGNAME as they hold inside.
in_home "$H/proj" --policy build -- env
for v in "${SECRETS[@]}"; do
	lacks "$OUT" "${v%%=*}=" "build: ${v%%=*} stays outside"
done
for v in "${KEPT[@]}" "HOME=$H" TMPDIR=/tmp "USER=$want_user" "LOGNAME=$want_user"; do
	has "$OUT" "$v" "build: $v inside"
done
has "$OUT" "PATH=" "build: PATH inside"
in_home "$H/proj" --policy test --env-keep 'GITHUB_TOKEN MY_*' -- env
has "$OUT" "GITHUB_TOKEN=ghp_secret" "--env-keep NAME: one more variable for one run"
has "$OUT" "MY_FLAG=1" "--env-keep PREFIX*: the variables it starts"
in_home "$H/proj" --env-keep MY_FLAG --policy test -- env
has "$OUT" "MY_FLAG=1" "--env-keep works wherever it stands (it is about every --clearenv)"
sb "${SYSTEM[@]}" --env-keep 'A=1' -- true
has "$RC $ERR" "125 sandbox: --env-keep: 'A=1' is not a variable name or a prefix ending in '*'" "--env-keep: a bad name is an error"
sb "${SYSTEM[@]}" --setenv KEEP 2 --clearenv --env-keep KEEP --setenv AFTER 3 -- /usr/bin/env
is "$(sort <<<"$OUT" | tr '\n' ' ')" "AFTER=3 KEEP=2 PWD=/ " "--env-keep keeps the value the variable had at the --clearenv"

# A minimal /etc and an empty, writable $HOME: the caller has a name, a group, a home.
in_home "$H/proj" --policy test -- sh -c 'whoami; id -un; id -gn; echo ~; ls -A ~; touch ~/x && echo writable
	git config --global user.name Tester && git config --global user.name; echo x 2>/dev/null >>/etc/passwd || echo ro'
is "$RC $OUT" "0 $want_user
$want_user
$want_group
$H
proj
writable
Tester
ro" "test: whoami, id, ~ (empty but for the project bound in it), git config --global work; /etc/passwd is read-only" "$ERR"
in_home "$H/proj" --policy build -- "$PY" -c 'import grp, os, pwd, socket
me = pwd.getpwuid(os.getuid())
print(me.pw_name, me.pw_dir, grp.getgrgid(os.getgid()).gr_name, pwd.getpwnam("root").pw_uid, grp.getgrnam("root").gr_gid,
      "nobody" if os.getuid() == 65534 else pwd.getpwuid(65534).pw_name,
      socket.gethostbyname("localhost"), socket.gethostbyname(socket.gethostname()))'
is "$OUT" "$want_user $H $want_group 0 0 nobody 127.0.0.1 127.0.1.1" \
	"build: passwd, group and hosts name the caller, root, nobody and the host" "$ERR"
in_home "$H/proj" --policy build --uid 0 -- sh -c 'whoami; echo $USER; id -gn'
is "$OUT" "root
root
$want_group" "build --uid 0: the command's uid is root in passwd, and USER says so"
in_home "$H/proj" --policy test -- "$PY" -c 'import os
os.setuid(os.getuid())
try:
    os.setuid(12345)
except PermissionError:
    print("EPERM")'
is "$OUT" EPERM "test: switching to an id the sandbox doesn't map fails with EPERM, as on a system (not EINVAL)" "$ERR"
sb "${SYSTEM[@]}" --unshare-uts --hostname box --etc-minimal -- sh -c 'whoami; tail -n1 /etc/hosts; grep ^hosts: /etc/nsswitch.conf'
is "$OUT" "$want_user
127.0.1.1	box
hosts:          files dns" "--etc-minimal on its own: the caller's entry, the host name, nsswitch.conf" "$ERR"

# Limits: pids in a cgroup where one can be had, else RLIMIT_NPROC, which since Linux 5.14
# counts the processes of a uid per user namespace: those inside, not the caller's others.
sb "${SYSTEM[@]}" --limit pids 100 -- true
have_cgroup=false
[[ $RC -eq 0 ]] && have_cgroup=true
FORKS='import os, resource, sys
if len(sys.argv) > 1:
    resource.setrlimit(resource.RLIMIT_NPROC, (int(sys.argv[1]), int(sys.argv[1])))
r, w = os.pipe()
n = 0
try:
    while n < 2000:
        if os.fork() == 0:
            os.close(w)
            os.read(r, 1)
            os._exit(0)
        n += 1
    print(n, "no limit")
except BlockingIOError:
    print(n, "EAGAIN")
os.close(w)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break'
# 30 processes of the test user held outside while the sandbox forks, released by closing a pipe.
mkfifo -m 666 "$W/hold-in" "$W/hold-out"
(cd "$W" && exec setpriv --reuid="$TU" --regid="$TG" --clear-groups -- "$PY" -c 'import os, sys
r, w = os.pipe()
for _ in range(30):
    if os.fork() == 0:
        os.close(w)
        os.read(r, 1)
        os._exit(0)
print("ready", flush=True)
sys.stdin.read()' <"$W/hold-in" >"$W/hold-out") 2>/dev/null &
holder=$!
exec {hold_in}>"$W/hold-in"
read -r _ <"$W/hold-out"
outside=$(cd "$W" && as_user "$PY" -c "$FORKS" 20 2>&1)
is "$outside" "0 EAGAIN" "(outside a user namespace, RLIMIT_NPROC 20 counts the caller's 30 others: no fork at all)"
in_home "$H/proj" --policy test --limit-try pids 20 -- "$PY" -c "$FORKS"
if $have_cgroup; then
	like "$RC $OUT" "^0 1[0-8] EAGAIN$" "limit-try pids 20 holds inside (in a cgroup)" "$ERR"
else
	is "$RC $OUT" "0 18 EAGAIN" \
		"limit-try pids 20 without a cgroup: 20 processes inside (pid 1 and python among them), the 30 outside don't count" "$ERR"
	is "$ERR" "" "... and nothing to report: the limit holds"
fi
exec {hold_in}>&-
wait "$holder"
in_home "$H/proj" --policy build -- cat /proc/self/limits
if $have_cgroup; then
	ok 0 "build: its pids limit is the cgroup's pids.max here"
else
	like "$OUT" "Max processes +4096 +4096 " "build: pids 4096 becomes RLIMIT_NPROC without a cgroup"
fi
in_home "$H/proj" --limit-try memory 1G --limit-try cpu 1 --policy test -- true
if $have_cgroup; then
	is "$RC $ERR" "0 " "limit-try memory and cpu: applied in the cgroup, nothing said"
else
	like "$RC $ERR" "^0 sandbox: limit-try: not applied: memory, cpu; no cgroup to apply them in: .*v1" \
		"limit-try without a cgroup: what can't be applied is named, with why, and the command runs"
	is "$(wc -l <<<"$ERR")" 1 "... on one line"
fi
if [[ $T_ROOT -eq 0 ]] && ! $have_cgroup; then
	(cd "$H/proj" && HOME="$H" "$SB" --policy build -- true) >/dev/null 2>"$W/root.err"
	like "$(cat "$W/root.err")" "^sandbox: limit-try: not applied: pids \(RLIMIT_NPROC does not bind uid 0 on the host\)" \
		"build run by root: RLIMIT_NPROC can't hold (the kernel exempts uid 0), and it says so"
fi
sb "${SYSTEM[@]}" --limit-try io-read-bps /dev/null 1M -- true
has "$RC $ERR" "125 sandbox: --limit-try: io-read-bps has no fallback without a cgroup; use --limit io-read-bps" \
	"--limit-try: the io rates have no fallback: an error"
sb "${SYSTEM[@]}" --limit-try pids lots -- true
has "$RC $ERR" "125 sandbox: --limit-try pids: 'lots' is not a number" "--limit-try: its errors name it"

# --print-policy shows all of it, and loads back to the same.
for policy in build test; do
	printed=$(cd "$H/proj" && as_user env HOME="$H" "$SB" --policy "$policy" --print-policy 2>&1)
	missing=
	for line in clearenv "env-keep PATH LANG LANGUAGE LC_*" "env-keep CC CXX" "setenv HOME $H" "setenv TMPDIR /tmp" \
		etc-minimal "size 2G" "tmpfs /tmp" "size 1G" "tmpfs $H" "refuse-bind $H" "bind $H/proj $H/proj" \
		"chdir $H/proj" "limit-try pids 4096" unshare-net; do
		grep -qxF -- "$line" <<<"$printed" || grep -qF -- "$line " <<<"$printed" || missing+=" [$line]"
	done
	is "$missing" "" "$policy --print-policy: the environment, /etc, home, refuse-bind and limit directives are there"
	printf '%s\n' "$printed" >"$W/$policy-printed.policy"
	again=$(cd "$H/proj" && as_user env HOME="$H" "$SB" --policy "$W/$policy-printed.policy" --print-policy 2>&1)
	is "$again" "$printed" "$policy --print-policy: the printed policy loads back to the same"
done
has "$printed" "syscall errno:EPERM setuid setreuid if arg0 != $TU" "test --print-policy: the EPERM rules for other ids"

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
