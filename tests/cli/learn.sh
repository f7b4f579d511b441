#!/usr/bin/env bash
# --learn FILE: the command runs while every syscall and path it uses is recorded, and FILE gets
# a policy allowing only that. The learned policy runs the command again with the same result,
# hides what it never touched and denies what it never called; the bad inputs are refused.
. "$(dirname "$0")/../lib/tap.sh"

x86_64_only "learn mode"

# Learning sees the sandbox the options describe: here a generous one, with the default policy,
# as a user would learn (the learned policy runs under it too).
LEARN=(--ro-bind / / --proc /proc --dev /dev --bind "$W" "$W")
mkdir -p "$W/data" "$W/out"
echo "the input" >"$W/data/in.txt"
echo "not for it" >"$W/data/secret.txt"
chmod -R a+rwX "$W"

# A small job: reads one file, writes one, runs a program.
JOB='cat "$1" && echo written >"$2/result" && uname -s'
sbd "${LEARN[@]}" --learn "$W/job.policy" -- sh -c "$JOB" sh "$W/data/in.txt" "$W/out"
is "$RC $OUT" "0 the input
Linux" "the command runs as usual while it is learned"
ok "$([[ -s $W/job.policy ]]; echo $?)" "the learn file is written" "$ERR"
POLICY=$(cat "$W/job.policy" 2>/dev/null)
like "$POLICY" $'\nsyscall-default deny\n' "the policy denies every syscall it doesn't name"
like "$POLICY" $'\nsyscall allow execve ' "and allows the ones made, by name"
like "$POLICY" $'\nro-bind /usr /usr\n' "the toolchain under /usr is bound whole"
has "$POLICY" "ro-bind $W/data/in.txt $W/data/in.txt" "a file read once is bound alone"
has "$POLICY" "bind $W/out $W/out" "where a file was made, the directory is writable"
like "$POLICY" "# [0-9]+ path" "comments say what was seen and how often"
lacks "$POLICY" "secret" "a file never touched is not in it"
lacks "$(ls -a "$W")" ".tmp" "no temporary file is left beside it"

# The learned policy, with nothing else.
rm -f "$W/out/result"
sbd --policy "$W/job.policy" -- sh -c "$JOB" sh "$W/data/in.txt" "$W/out"
is "$RC $OUT" "0 the input
Linux" "the learned policy runs the command again with the same result"
is "$(cat "$W/out/result" 2>/dev/null)" "written" "and its writes land where they did"
sbd --policy "$W/job.policy" -- sh -c "$JOB" sh "$W/data/secret.txt" "$W/out"
like "$RC $ERR" "^1 .*secret.txt: No such file or directory" "a file it never touched is not there"
sbd --policy "$W/job.policy" -- sh -c 'ls /home /root 2>&1; echo "rc=$?"'
like "$OUT" "rc=[12]" "nor a directory it never used"

# A syscall it never made is denied. Python makes them by number (flatpak's try-syscall).
sbd "${LEARN[@]}" --learn "$W/py.policy" -- "$PY" -c "$TRY" lseek 99
is "$RC $OUT" "0 EBADF" "learning a program that makes a syscall"
sbd --policy "$W/py.policy" -- "$PY" -c "$TRY" lseek 99
is "$RC $OUT" "0 EBADF" "under the learned policy, that syscall still reaches the kernel"
sbd --policy "$W/py.policy" -- "$PY" -c "$TRY" unshare 0
is "$RC $OUT" "0 EPERM" "one it never made is denied"
sbd --report-denials --policy "$W/py.policy" -- "$PY" -c "$TRY" unshare 0
like "$RC $OUT $ERR" "^0 EPERM .*denied unshare" "and with --report-denials, named (the listener is passed up though the policy denies sendmsg and seccomp)"

# The file is written when the command fails too, with its status passed on.
sbd "${LEARN[@]}" --learn "$W/fail.policy" -- sh -c 'exit 3'
is "$RC" 3 "the command's own status comes out of a learning run"
ok "$([[ -s $W/fail.policy ]]; echo $?)" "and what it did is written all the same" "$ERR"

# ---- bad input ----
echo "old policy" >"$W/kept.policy"
chmod a+rw "$W/kept.policy"
sbd "${LEARN[@]}" --learn "$W/kept.policy" --print-policy -- true
like "$RC $ERR" "^125 .*--learn can't be combined with --print-policy" "--learn with --print-policy: nothing to learn"
is "$(cat "$W/kept.policy")" "old policy" "a refused launch leaves an existing learn file as it was"
sbd "${LEARN[@]}" --learn "$W/kept.policy" --export-pfc
like "$RC $ERR" "^125 .*--learn can't be combined with --export-pfc" "--learn with --export-pfc"
sbd "${LEARN[@]}" --learn "$W/kept.policy" --report-denials -- true
like "$RC $ERR" "^125 .*--learn can't be combined with --report-denials: both need the one seccomp listener" \
	"--learn with --report-denials: one listener per process"
sbd "${LEARN[@]}" --learn "$W/kept.policy" --add-seccomp-fd 0 -- true
like "$RC $ERR" "^125 .*--learn can't be combined with --add-seccomp-fd" "--learn with a precompiled filter"
if $T_AS_ROOT; then
	skip "a learn file in a directory we can't write" "root may write anywhere"
else
	sbd "${LEARN[@]}" --learn /learned.policy -- true
	like "$RC $ERR" "^125 .*--learn /learned.policy: can't write in directory /: Permission denied" \
		"a learn file in a directory we can't write: refused before the launch"
fi
sbd "${LEARN[@]}" --learn "$W/nowhere/p.policy" -- true
like "$RC $ERR" "^125 .*--learn $W/nowhere/p.policy: directory $W/nowhere: No such file or directory" \
	"a learn file in a directory that doesn't exist"
sbd "${LEARN[@]}" --learn "$W/data" -- true
like "$RC $ERR" "^125 .*--learn $W/data: exists and is not a regular file" "a learn file that is a directory"
sbd "${LEARN[@]}" --learn "" -- true
like "$RC $ERR" "^125 .*--learn: the file name is empty" "an empty learn file name"
echo "learn $W/x.policy" >"$W/learn-directive.policy"
sbd --policy "$W/learn-directive.policy" -- true
like "$RC $ERR" "^125 .*'learn' is a command-line action, not a directive" "--learn is not a policy directive"
sbd "${LEARN[@]}" --learn "$W/kept.policy" -- true
like "$(cat "$W/kept.policy")" "^# Learned by sandbox --learn" "an existing learn file is replaced whole"

done_testing
