#!/usr/bin/env bash
# Process state: environment, cwd, argv0, capabilities, no_new_privs, fds, sessions,
# pid 1, locks, the status fds, seccomp, --args, --level-prefix.
. "$(dirname "$0")/../lib/tap.sh"

P=(--proc /proc --unshare-pid)

sb "${SYSTEM[@]}" --clearenv --setenv A 1 --setenv B 2 --unsetenv A -- /usr/bin/env
is "$(echo "$OUT" | sort | tr '\n' ' ')" "B=2 PWD=/ " "--clearenv, --setenv, --unsetenv apply in order; PWD stays (set to the cwd)"
sb "${SYSTEM[@]}" --setenv A 1 --clearenv -- /usr/bin/env
is "$(echo "$OUT" | grep -c '^A=')" 0 "--clearenv after --setenv clears it"

sb "${SYSTEM[@]}" --bind "$STAGE" "$STAGE" -- sh -c 'pwd; echo $PWD'
is "$OUT" "$STAGE
$STAGE" "without --chdir: the caller's cwd when it exists inside"
sb "${SYSTEM[@]}" -- sh -c 'pwd'
is "$OUT" "/" "without --chdir and without the cwd inside (and no \$HOME there): /"
sb "${SYSTEM[@]}" --tmpfs /t --dir /t/d --chdir /t/d -- sh -c 'pwd; echo $PWD'
is "$OUT" "/t/d
/t/d" "--chdir changes directory and sets PWD"

sb "${SYSTEM[@]}" --argv0 renamed -- sh -c 'echo $0'
is "$OUT" "renamed" "--argv0 sets argv[0]"

sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'grep -E "^(Cap|NoNewPrivs|Seccomp:)" /proc/self/status'
is "$(echo "$OUT" | tr -s '\t ' ' ' | tr '\n' ' ')" "CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapBnd: 0000000000000000 CapAmb: 0000000000000000 NoNewPrivs: 1 Seccomp: 0 " \
	"every capability set is empty, bounding and ambient included; no_new_privs is set"
sb "${SYSTEM[@]}" "${P[@]}" --uid 0 -- sh -c 'grep -E "^Cap(Eff|Bnd)" /proc/self/status'
is "$(echo "$OUT" | tr -s '\t ' ' ' | tr '\n' ' ')" "CapEff: 0000000000000000 CapBnd: 0000000000000000 " "uid 0 inside gets no capability at exec either"
sb "${SYSTEM[@]}" "${P[@]}" --cap-add CAP_NET_ADMIN --cap-add sys_chroot -- sh -c 'grep -E "^Cap(Eff|Prm|Bnd|Amb)" /proc/self/status'
is "$(echo "$OUT" | tr -s '\t ' ' ' | tr '\n' ' ')" "CapPrm: 0000000000041000 CapEff: 0000000000041000 CapBnd: 0000000000041000 CapAmb: 0000000000041000 " \
	"--cap-add keeps exactly the named ones (ambient too, for a non-root uid)"
sb "${SYSTEM[@]}" "${P[@]}" --cap-add ALL --cap-drop CAP_SYS_ADMIN -- sh -c 'grep -E "^CapEff" /proc/self/status'
like "$OUT" "CapEff:[[:space:]]+000001ffffdfffff|CapEff:[[:space:]]+000000ffffdfffff|CapEff:[[:space:]]+0000003fffdfffff" "--cap-add ALL --cap-drop CAP_SYS_ADMIN"

# fds: the caller's are inherited (as bubblewrap), the tool's never are. What this test
# itself inherited is whatever its runner left open: compare with a plain process.
outside() { (cd "$STAGE" && as_user sh -c 'ls /proc/self/fd | tr "\n" " "') </dev/null; }
want=$(outside 7</dev/null)
sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'ls /proc/self/fd | tr "\n" " "' 7</dev/null
is "$OUT" "$want" "the command sees exactly the fds a plain process would (the caller's fd 7 included)"
like "$OUT" "(^| )7 " "the caller's fd 7 is inherited, as in bubblewrap"
sb "${SYSTEM[@]}" "${P[@]}" --close-fds -- sh -c 'ls /proc/self/fd | tr "\n" " "' 7</dev/null 8</dev/null
is "$OUT" "0 1 2 3 " "--close-fds closes the caller's fds"
sb "${SYSTEM[@]}" "${P[@]}" --close-fds --keep-fd 8 -- sh -c 'ls /proc/self/fd | tr "\n" " "' 7</dev/null 8</dev/null
is "$OUT" "0 1 2 3 8 " "--keep-fd passes one on"
want=$(outside)
sb "${SYSTEM[@]}" "${P[@]}" --info-fd 7 --sync-fd 8 --file 9 /f -- sh -c 'ls /proc/self/fd | tr "\n" " "' 7>/dev/null 8</dev/null 9</dev/null
is "$OUT" "$want" "fds given to options are not passed to the command"
sb "${SYSTEM[@]}" "${P[@]}" --close-fds -- sh -c 'ls -l /proc/self/fd | awk "\$9 > 3" | wc -l'
is "$OUT" 0 "no socket, pipe or fd of the tool is visible inside (beyond 0-2 and ls's own 3)"

sb "${SYSTEM[@]}" "${P[@]}" --new-session -- sh -c 'echo $$ $(cut -d" " -f6 /proc/self/stat)'
like "$OUT" "^([0-9]+) \1$" "--new-session: the command leads its own session"
sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'echo $$'
is "$OUT" 2 "with a pid namespace the command is pid 2 (a pid 1 reaps)"
sb "${SYSTEM[@]}" "${P[@]}" --as-pid-1 -- sh -c 'echo $$'
is "$OUT" 1 "--as-pid-1: the command is pid 1"

# Where nothing passes between the monitor and the sandbox before the command runs, pid 1 is a
# small program of its own, started without copying the launcher (setup/init.h), and locked down
# as the launcher's own pid 1 locks itself down. Where something does (--info-fd), or in a
# sanitizer build, pid 1 is a fork of the launcher. Built on x86_64 only.
pid1='tr "\0" "\n" </proc/1/cmdline | head -n 1; grep -E "^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/1/status | tr -d "\t" | tr "\n" " "'
locked="CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 CapAmb:0000000000000000 NoNewPrivs:1 Seccomp:2 "
if [[ $(uname -m) == x86_64 ]] && ! grep -q __asan_init "$SANDBOX"; then
	sb "${SYSTEM[@]}" "${P[@]}" -- sh -c "$pid1"
	is "$RC $OUT" "0 sandbox-pid1
$locked" "pid 1 is the small program: no capability, no new privileges, its own filter"
	sb "${SYSTEM[@]}" "${P[@]}" --uid 0 -- sh -c "$pid1"
	is "$RC $OUT" "0 sandbox-pid1
$locked" "... also as uid 0 inside: its exec gave it no capability back"
	sb "${SYSTEM[@]}" "${P[@]}" --setenv PATH /nowhere --unsetenv HOME --argv0 renamed -- no-such-command
	like "$RC $ERR" "^127 .*'no-such-command'.*in the PATH \(/nowhere\)" "... and its command's exec error comes through, named (not by --argv0) and with the PATH it had"
else
	sb "${SYSTEM[@]}" "${P[@]}" -- sh -c "$pid1"
	like "$RC $OUT" "^0 [^
]*sandbox[^
]*
$locked\$" "where the small program isn't built (x86_64 only, not in sanitizer builds), pid 1 is a fork, locked down"
fi
sb "${SYSTEM[@]}" "${P[@]}" --info-fd 7 -- sh -c "$pid1" 7>/dev/null
like "$RC $OUT" "^0 [^
]*sandbox[^
]*
$locked\$" "with --info-fd pid 1 is a fork of the launcher, locked down the same"

# --lock-file: a read lock held while the sandbox runs.
touch "$W/lock"
mkfifo "$W/ready" "$W/go"
chmod 666 "$W/lock" "$W/ready" "$W/go"
(sb "${SYSTEM[@]}" --bind "$W" "$W" --lock-file "$W/lock" -- sh -c "echo up > $W/ready; read x < $W/go") &
read -r _ <"$W/ready"
"$PY" -c 'import fcntl,sys
f=open(sys.argv[1],"r+")
try:
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print("free")
except OSError: print("locked")' "$W/lock" >"$W/lockstate"
echo "done" >"$W/go"
wait
is "$(cat "$W/lockstate")" "locked" "--lock-file holds a lock while the sandbox runs"
# The lock gives the sandbox a pid 1 without a pid namespace of its own: as the command ends,
# it must not kill what it may signal outside (every process of the user's, or as root, all).
if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then victim=(setpriv --reuid=65534 --regid=65534 --clear-groups --); else victim=(); fi
"${victim[@]}" sleep 600 &
victim_pid=$!
sb "${SYSTEM[@]}" --bind "$W" "$W" --lock-file "$W/lock" -- true
kill -0 "$victim_pid" 2>/dev/null
ok $? "--lock-file without --unshare-pid: a process of the caller's outside outlives the sandbox" "rc $RC" "$ERR"
kill "$victim_pid" 2>/dev/null
wait "$victim_pid" 2>/dev/null

# --block-fd: nothing runs before the caller says so.
exec {bw_fd}<> <(:)
sb "${SYSTEM[@]}" --block-fd 5 -- echo ran 5< <(echo go)
is "$OUT" "ran" "--block-fd: runs once the fd has data"
exec {bw_fd}>&-

# --info-fd and --json-status-fd.
sb "${SYSTEM[@]}" --unshare-all "${P[@]}" --info-fd 5 --json-status-fd 6 -- sh -c 'exit 3' 5>"$W/info" 6>"$W/status"
is "$RC" 3 "with the status fds, the exit status is still passed on"
is "$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted(d))' "$W/info")" \
	"['cgroup-namespace', 'child-pid', 'ipc-namespace', 'mnt-namespace', 'net-namespace', 'pid-namespace', 'uts-namespace']" \
	"--info-fd writes bubblewrap's keys"
is "$("$PY" -c 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
a=json.loads(lines[0]); b=json.loads(lines[1])
print(type(a["child-pid"]).__name__, b)' "$W/status")" "int {'exit-code': 3}" "--json-status-fd writes the start and then the exit code, one line each"
sb "${SYSTEM[@]}" --info-fd 5 -- true 5>"$W/info"
is "$("$PY" -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))))' "$W/info")" "['child-pid', 'mnt-namespace']" \
	"--info-fd lists only the namespaces that were unshared"

# --seccomp and --add-seccomp-fd: a filter that makes uname() fail with EPERM (x86_64).
if [[ $(uname -m) == x86_64 ]]; then
	"$PY" - "$W/filter.bpf" <<'PY'
import struct, sys
AUDIT_ARCH_X86_64, NR_uname = 0xc000003e, 63
prog = [
    (0x20, 0, 0, 4),                    # ld arch
    (0x15, 1, 0, AUDIT_ARCH_X86_64),    # jeq x86_64 -> next+1
    (0x06, 0, 0, 0x00000000),           # ret KILL
    (0x20, 0, 0, 0),                    # ld nr
    (0x15, 0, 1, NR_uname),             # jeq uname
    (0x06, 0, 0, 0x00050001),           # ret ERRNO(EPERM)
    (0x06, 0, 0, 0x7fff0000),           # ret ALLOW
]
open(sys.argv[1], "wb").write(b"".join(struct.pack("HBBI", *i) for i in prog))
PY
	sb "${SYSTEM[@]}" "${P[@]}" --seccomp 5 -- sh -c 'uname; grep Seccomp: /proc/self/status' 5<"$W/filter.bpf"
	like "$ERR" "uname: cannot get system name: Operation not permitted" "--seccomp: the filter applies"
	like "$OUT" "Seccomp:[[:space:]]+2" "--seccomp: the command runs in filter mode"
	sb "${SYSTEM[@]}" "${P[@]}" --add-seccomp-fd 5 --add-seccomp-fd 6 -- sh -c 'grep Seccomp_filters: /proc/self/status; uname' 5<"$W/filter.bpf" 6<"$W/filter.bpf"
	like "$OUT" "Seccomp_filters:[[:space:]]+2" "--add-seccomp-fd stacks filters"
else
	skip "--seccomp" "the test filter is for x86_64"
fi

# --args: NUL-separated arguments, spliced where --args stands.
printf -- '--setenv\0FROM_ARGS\0yes\0' >"$W/args"
sb "${SYSTEM[@]}" --args 5 -- sh -c 'echo $FROM_ARGS' 5<"$W/args"
is "$OUT" "yes" "--args reads options from an fd"
printf -- '--ro-bind\0/usr\0/usr\0sh\0-c\0echo all from args' >"$W/args"
sb --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --args 5 5<"$W/args"
is "$OUT" "all from args" "--args can carry the command too (the last argument needs no NUL)"

sb --level-prefix --ro-bind /nonexistent /x true
like "$ERR" "^<3>sandbox: --ro-bind /nonexistent /x" "--level-prefix prefixes errors with <3>"

# --sync-fd: the sandbox holds the fd while it runs (the caller sees no EOF), and lets go
# when it ends. --block-fd: nothing runs before the caller writes. Both checked from Python
# holding the other ends; the command waits on a fifo, so "not yet" is a state, not a race.
mkfifo "$W/go2" && chmod 666 "$W/go2"
as_user "$PY" - "$SB" "$W" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${SYSTEM[@]}" >"$W/fdsync" 2>&1 <<'PY'
import json, os, select, subprocess, sys
sb, w, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
sr, sw = os.pipe()
ir, iw = os.pipe()
p = subprocess.Popen([sb] + opts + ["--unshare-pid", "--bind", w, w, "--sync-fd", str(sw), "--info-fd", str(iw),
                      "sh", "-c", f"read x < {w}/go2"], pass_fds=(sw, iw), cwd="/")
os.close(sw); os.close(iw)
info = json.loads(os.fdopen(ir).read())
readable, _, _ = select.select([sr], [], [], 0)
print("while running:", "eof" if readable else "held")
# pid 1 of the sandbox (child-pid) has the pipe open
ino = os.fstat(sr).st_ino
fds = os.listdir(f"/proc/{info['child-pid']}/fd")
def link(f):  # pid 1 may close its setup fds meanwhile
    try:
        return os.readlink(f"/proc/{info['child-pid']}/fd/{f}")
    except FileNotFoundError:
        return None
print("pid 1 has it:", any(link(f) == f"pipe:[{ino}]" for f in fds))
open(f"{w}/go2", "w").write("go\n")
rc = p.wait()
readable, _, _ = select.select([sr], [], [], 30)
print("after the end:", "eof" if readable and os.read(sr, 1) == b"" else "held", rc)
PY
is "$(cat "$W/fdsync")" "while running: held
pid 1 has it: True
after the end: eof 0" "--sync-fd: held by the sandbox's pid 1 while it runs, closed when it ends"

as_user "$PY" - "$SB" "$W" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${SYSTEM[@]}" >"$W/fdblock" 2>&1 <<'PY'
import json, os, subprocess, sys
sb, w, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
for how in ("data", "eof"):
    ran = f"{w}/ran-{how}"
    br, bw = os.pipe()
    ir, iw = os.pipe()
    p = subprocess.Popen([sb] + opts + ["--bind", w, w, "--block-fd", str(br), "--info-fd", str(iw),
                          "sh", "-c", f"echo ran > {ran}"], pass_fds=(br, iw), cwd="/")
    os.close(br); os.close(iw)
    json.loads(os.fdopen(ir).read())
    before = os.path.exists(ran)
    if how == "data":
        os.write(bw, b"x")
    os.close(bw)
    print(how, "ran before:", before, "ran after:", os.path.exists(ran) if p.wait() == 0 else "rc %d" % p.returncode)
PY
is "$(cat "$W/fdblock")" "data ran before: False ran after: True
eof ran before: False ran after: True" "--block-fd: the command waits for a byte (or EOF) from the caller"

# --bind-fd and --ro-bind-fd with an O_PATH fd.
mkdir -p "$W/opath" && echo via-o-path >"$W/opath/file" && chmod -R a+rwX "$W/opath"
as_user "$PY" - "$SB" "$W" "${T_NODEF[@]}" "${T_EXTRA[@]}" "${SYSTEM[@]}" >"$W/opath.out" 2>&1 <<'PY'
import os, subprocess, sys
sb, w, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
d = os.open(f"{w}/opath", os.O_PATH | os.O_DIRECTORY)
f = os.open(f"{w}/opath/file", os.O_PATH)
r = subprocess.run([sb] + opts + ["--bind-fd", str(d), "/d", "--ro-bind-fd", str(f), "/f",
                    "sh", "-c", "cat /f; echo w > /d/new && echo wrote; if echo x > /f; then echo rw; else echo ro; fi"],
                   pass_fds=(d, f), cwd="/", capture_output=True, text=True)
print(r.stdout, end="")  # stderr: the shell's complaint about /f
PY
is "$(cat "$W/opath.out")" "via-o-path
wrote
ro" "--bind-fd (O_PATH directory) is writable, --ro-bind-fd (O_PATH file) is not"
is "$(cat "$W/opath/new" 2>&1)" "w" "--bind-fd: the write reached the directory the fd refers to"

# --args nested in --args: refused, as bubblewrap does ("not supported in arguments file").
printf -- '--setenv\0INNER\0two\0' >"$W/args-inner"
printf -- '--setenv\0OUTER\0one\0--args\0006\0--setenv\0AFTER\0three\0' >"$W/args-outer"
sb "${SYSTEM[@]}" --args 5 -- sh -c 'echo $OUTER $INNER $AFTER' 5<"$W/args-outer" 6<"$W/args-inner"
is "$RC:$ERR" "125:sandbox: --args can't be used inside the arguments read by --args" "--args inside --args: refused"

# SELinux labels: refused under our name when SELinux is off, ignored as bwrap.
if [[ ! -e /sys/fs/selinux/enforce ]]; then
	sb "${SYSTEM[@]}" --file-label system_u:object_r:tmp_t:s0 true
	is "$RC" 125 "--file-label without SELinux: exit 125"
	like "$ERR" "^sandbox: --file-label: SELinux is not enabled" "--file-label says why"
	bw "${SYSTEM[@]}" --file-label system_u:object_r:tmp_t:s0 --exec-label x true
	is "$RC" 0 "as bwrap, --file-label and --exec-label are ignored without SELinux"
else
	skip "SELinux labels" "SELinux is enabled here"
fi

# --not-a-security-boundary: accepted; submounts still end up read-only where that works.
sb "${SYSTEM[@]}" --proc /proc --unshare-pid --not-a-security-boundary --ro-bind / /host -- sh -c 'cat /proc/self/mountinfo'
is "$RC" 0 "--not-a-security-boundary runs"
is "$(echo "$OUT" | awk '$5 ~ "^/host(/|$)" && $6 !~ /(^|,)ro(,|$)/' | wc -l)" 0 "--not-a-security-boundary: the submounts that can be made read-only are"

# --level-prefix on a warning-free success prints nothing, on an error <3>.
sb --level-prefix "${SYSTEM[@]}" true
is "$RC:$ERR" "0:" "--level-prefix: a quiet success stays quiet"

done_testing
