#!/usr/bin/env bash
# Signals sent to sandbox reach the command; terminal signals are not delivered twice;
# --die-with-parent takes the sandbox down with the tool. Synchronised through fifos and
# pidfds, never by sleeping.
. "$(dirname "$0")/../lib/tap.sh"

mkfifo "$W/ready"
chmod 666 "$W/ready"

# A signal ignored when the sandbox starts stays ignored in the command, as with any exec (so
# `nohup sandbox ...` works); a CI harness may start us with SIGQUIT ignored, and a background
# job of a script ignores SIGINT: the sandbox is started with default dispositions.
start_bg() { # start_bg ARGS...: the sandbox in the background as the test user; sets bg_pid
	local dfl=(env "--default-signal=INT,TERM,HUP,QUIT,USR1,USR2,WINCH")
	if [[ $T_ROOT -eq 0 ]]; then
		(cd "$STAGE" && exec "${dfl[@]}" setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SB" --no-default-policy "$@") </dev/null >"$W/out" 2>"$W/err" &
	else
		(cd "$STAGE" && exec "${dfl[@]}" "$SB" --no-default-policy "$@") </dev/null >"$W/out" 2>"$W/err" &
	fi
	bg_pid=$!
}

for pidns in none --unshare-pid; do
	pid_opts=()
	[[ $pidns == none ]] || pid_opts=("$pidns")
	for sig in INT TERM HUP QUIT USR1 USR2 WINCH; do
		rm -f "$W/got"
		start_bg "${SYSTEM[@]}" "${pid_opts[@]}" --bind "$W" "$W" -- bash -c \
			"trap 'echo $sig > $W/got; kill \$!; exit 0' $sig; echo up > $W/ready; sleep 1000 & wait \$!"
		read -r _ <"$W/ready"
		kill -s "$sig" "$bg_pid"
		wait "$bg_pid"
		rc=$?
		is "$rc $(cat "$W/got" 2>/dev/null)" "0 $sig" "SIG$sig sent to sandbox reaches the command${pid_opts[*]:+ (through pid 1)}"
	done
	start_bg "${SYSTEM[@]}" "${pid_opts[@]}" --bind "$W" "$W" -- bash -c "echo up > $W/ready; exec sleep 1000"
	read -r _ <"$W/ready"
	kill -TERM "$bg_pid"
	wait "$bg_pid"
	is "$?" 143 "an untrapped SIGTERM ends the command: 143${pid_opts[*]:+ (through pid 1)}"
done

# Ctrl-C on a terminal reaches the whole foreground group: the command must get it once. The
# command is the probe, which takes SIGINT through a signalfd: a shell's trap could miss a
# signal that lands between two builtins and then block for good.
as_user "$PY" - "$SB" "$W" "$PR" "${SYSTEM[@]}" >"$W/tty" 2>&1 <<'PY'
import os, pty, select, signal, sys
sb, w, probe, system = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
for fifo in ("ctl", "tick"):
    os.mkfifo(f"{w}/{fifo}")
pid, master = pty.fork()
if pid == 0:
    os.execv(sb, [sb, "--no-default-policy"] + system +
             ["--unshare-pid", "--bind", w, w, "--ro-bind", probe, "/probe", "--", "/probe", "sigint", w])
open(w + "/ready").read()
ticks = os.open(w + "/tick", os.O_RDWR)  # a writer of our own: reads wait for data, not EOF
os.write(master, b"\x03")
# The terminal delivers the signal asynchronously: wait for the command to count it, then for
# anything the monitor would pass on, which it sends as soon as it gets its own copy. A lost
# signal fails the check after a minute (not a timing assertion: it only turns a hang into a
# failure), with what each process had pending and blocked.
if not select.select([ticks], [], [], 60)[0]:
    print("no SIGINT reached the command in 60 s; terminal's foreground group",
          os.tcgetpgrp(master))
    for p in filter(str.isdigit, os.listdir("/proc")):  # the sandbox's session: pty.fork made it
        try:
            stat = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            status = open(f"/proc/{p}/status").read().splitlines()
        except OSError:
            continue
        if int(stat[3]) == pid:
            keep = [l for l in status if l.split(":")[0] in
                    ("Name", "State", "NSpid", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")]
            print(f"pid {p} pgrp {stat[2]}:", " ".join(" ".join(l.split()) for l in keep))
    os.kill(pid, signal.SIGKILL)
    sys.exit(1)
os.read(ticks, 5)
with open(w + "/ctl", "w") as f:
    f.write("stop\n")
_, status = os.waitpid(pid, 0)
print(open(w + "/ints").read().count("INT"), os.waitstatus_to_exitcode(status))
PY
is "$(cat "$W/tty")" "1 0" "Ctrl-C on the terminal reaches the command exactly once"

# --die-with-parent: SIGKILL the tool, and nothing of the sandbox survives.
start_bg "${SYSTEM[@]}" --proc /proc --unshare-pid --die-with-parent --bind "$W" "$W" --info-fd 5 -- \
	bash -c "sleep 1000 & sleep 1000 & echo up > $W/ready; wait" 5>"$W/info"
read -r _ <"$W/ready"
is "$(kill_sandbox "$bg_pid" "$W/info")" "" "--die-with-parent: the tool killed with SIGKILL leaves no process of the sandbox"

# When the command exits, whatever it left running goes too.
sb "${SYSTEM[@]}" --proc /proc --unshare-pid --bind "$W" "$W" --info-fd 5 -- \
	bash -c "setsid sleep 1000 </dev/null >/dev/null 2>&1 & exit 0" 5>"$W/info"
init=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' "$W/info")
wait_gone "$init"
is "$(pgrep -u 65534 -f 'sleep 1000' | wc -l)" 0 "a daemonized child does not outlive the command"


# The sandbox runs in a process group of its own (nothing inside can signal the caller's
# group), so the terminal must follow it: a job-control shell on a pty runs the sandbox as a
# foreground job; the command reads what is typed, Ctrl-Z stops the job as the shell sees it,
# 'fg' resumes it with the terminal, and afterwards the shell has its terminal back. With and
# without a pid namespace (the command under our pid 1, or our direct child).
for pid_opts in "" "--unshare-pid"; do
	rm -f "$W/job.ready" "$W/job.got"
	mkfifo "$W/job.ready"
	chmod 666 "$W/job.ready"
	as_user "$PY" - "$SB" "$W" "$pid_opts" "${SYSTEM[@]}" >"$W/job.out" 2>&1 <<'PY'
import os, pty, re, select, shlex, sys
sb, w, pid_opts, system = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pid, master = pty.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", "--norc", "--noprofile", "-i"])
seen = b""
def expect(what):
    # Output of the shell until WHAT shows up, which returns what came before it; a minute
    # without it fails (that turns a hang into a failure, it times nothing).
    global seen
    while what not in seen:
        if not select.select([master], [], [], 60)[0]:
            print("never saw", what, "in", seen[-400:])
            sys.exit(1)
        seen += os.read(master, 4096)
    before, seen = seen.split(what, 1)
    return before
cmd = [sb, "--no-default-policy"] + system + ([pid_opts] if pid_opts else []) + \
      ["--bind", w, w, "--", "/bin/sh", "-c", f"echo up > {w}/job.ready; read line; echo $line > {w}/job.got"]
os.write(master, (shlex.join(cmd) + "\n").encode())
open(w + "/job.ready").read()
os.write(master, b"\x1a")
expect(b"Stopped")
# Typed ahead: the job reads its line, the shell the next one once the job is done.
os.write(master, b"fg\nhello\necho rc=$? fg=$(ps -o tpgid= -p $$) me=$$ end-$((6*7))\n")
out = expect(b"end-42")
result = re.search(rb"rc=(\d+) fg=\s*(\d+) me=(\d+) $", out)
os.write(master, b"exit\n")
os.waitpid(pid, 0)
if not result:
    print("no result in", out[-300:])
    sys.exit(1)
rc, fg, me = result.groups()
print(open(w + "/job.got").read().strip(), "rc=" + rc.decode(),
      "shell-has-terminal" if fg == me else f"terminal's group {fg.decode()}, shell {me.decode()}")
PY
	is "$(cat "$W/job.out")" "hello rc=0 shell-has-terminal" \
		"a terminal job: reads the terminal, Ctrl-Z stops it, fg resumes it${pid_opts:+ ($pid_opts)}"
done


# Ctrl-C while the sandbox has the terminal: the sandbox's group gets it from the terminal, and
# the script around the sandbox must stop as it did before the hand-over (the launcher passes
# the interrupt on to its own group). A command that catches SIGINT and exits normally does not
# stop the script: the control shows the check can see it go on.
rm -f "$W/int.ready"
mkfifo "$W/int.ready"
chmod 666 "$W/int.ready"
as_user "$PY" - "$SB" "$W" "${SYSTEM[@]}" >"$W/int.out" 2>&1 <<'PY'
import os, pty, select, shlex, sys
sb, w, system = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, master = pty.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", "--norc", "--noprofile", "-i"])
seen = b""
def expect(what):
    global seen
    while what not in seen:
        if not select.select([master], [], [], 60)[0]:
            print("never saw", what, "in", seen[-400:])
            sys.exit(1)
        seen += os.read(master, 4096)
    before, seen = seen.split(what, 1)
    return before
results = []
# The trap is set before the command says it is ready: a Ctrl-C before it would end the shell.
for setup, inner, tag in (("", "exec sleep 1000", "dies"), ("trap 'exit 0' INT; ", "sleep 1000 & wait", "exits")):
    box = shlex.join([sb, "--no-default-policy"] + system + ["--unshare-pid", "--bind", w, w, "--",
                      "/bin/sh", "-c", f"{setup}echo up > {w}/int.ready; {inner}"])
    script = f"{box}; echo after-$((6*7))-{tag}"
    os.write(master, (shlex.join(["bash", "-c", script]) + "\n").encode())
    open(w + "/int.ready").read()
    os.write(master, b"\x03")
    os.write(master, f"echo done-$((6*7))-{tag}\n".encode())
    out = expect(f"done-42-{tag}".encode())
    results.append(f"{tag}:" + ("went-on" if f"after-42-{tag}".encode() in out else "stopped"))
os.write(master, b"exit\n")
os.waitpid(pid, 0)
print(" ".join(results))
PY
is "$(cat "$W/int.out")" "dies:stopped exits:went-on" \
	"Ctrl-C that ends the command stops the script around the sandbox too; one the command handles does not"

done_testing
