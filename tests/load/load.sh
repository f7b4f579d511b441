#!/usr/bin/env bash
# Fault and load: many sandboxes in a row and at once, then bad inputs, each as the
# unprivileged test user under the default policy; none may leave anything behind in the
# caller (mounts, cgroups, zombies, fds) or on the host (a watched writable directory).
# No timed assertions: the wall times are printed as comments, for the log only.
. "$(dirname "$0")/../lib/tap.sh"
# now_us and elapsed, for the wall times in the log
. "$(dirname "$0")/../lib/report.sh"

# A bare root: the host's /usr, proc, dev and a pid namespace.
BARE=("${SYSTEM[@]}" --proc /proc --dev /dev --unshare-pid)
ROW=${LOAD_ROW:-1000}
PAR=${LOAD_PARALLEL:-100}

# The cgroup2 mounts of the host (several on a hybrid host: none, one, or more).
cgroup2_mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
		/proc/self/mountinfo
}
# Every directory named sandbox-* below them: what the sandbox would create for a launch.
sandbox_cgroups() {
	local m
	while IFS= read -r m; do
		find "$m" -xdev -type d -name 'sandbox-*' 2>/dev/null
	done < <(cgroup2_mounts) | sort
}
fd_count() { # of this test shell, the least of three looks: growth is an fd that stays open,
	# while bash's own plumbing (command substitutions, saved redirections) comes and goes
	# between two statements (one look alone made the check fail about one run in three)
	local n min=
	for _ in 1 2 3; do
		n=$(fd_look)
		[[ -z $min || $n -lt $min ]] && min=$n
	done
	echo "$min"
}
fd_look() {
	local fds=(/proc/$$/fd/*)
	echo "${#fds[@]}"
}
zombies() { # children of this shell in state Z
	ps -eo stat=,ppid=,pid=,comm= | awk -v me=$$ '$1 ~ /^Z/ && $2 == me'
}

mounts_before=$(cat /proc/self/mountinfo)
cgroups_before=$(sandbox_cgroups)
fds_before=$(fd_count)

# The runner: one unprivileged shell that loops, so that the 1000 launches cost 1000
# sandboxes and nothing else. It prints "fail N RC" per failed launch and ends with "done".
cat >"$STAGE/bin/row" <<'EOF'
#!/bin/bash
n=$1
shift
for ((i = 1; i <= n; i++)); do
	"$@" -- true </dev/null
	rc=$?
	[[ $rc -eq 0 ]] || echo "fail $i $rc"
done
echo done
EOF
cat >"$STAGE/bin/burst" <<'EOF'
#!/bin/bash
n=$1
shift
pids=()
for ((i = 1; i <= n; i++)); do
	"$@" -- true </dev/null &
	pids+=($!)
done
for ((i = 0; i < n; i++)); do
	wait "${pids[i]}"
	rc=$?
	[[ $rc -eq 0 ]] || echo "fail $((i + 1)) $rc"
done
echo done
EOF
chmod 755 "$STAGE/bin/row" "$STAGE/bin/burst"

# batch RUNNER N TIMEOUT HOW: N sandboxes through one of the runners above, timed; each must
# exit 0 and the runner must get to its end.
batch() {
	local t0 fails
	t0=$(now_us)
	_run as_user timeout "$3" "$STAGE/bin/$1" "$2" "$SB" "${T_EXTRA[@]}" "${BARE[@]}"
	echo "# $2 sandboxes $4: $(elapsed "$t0") s wall"
	fails=$(grep -c '^fail' <<<"$OUT")
	is "$RC:$(tail -n1 <<<"$OUT")" "0:done" "$2 $4: the runner finished"
	is "$fails" 0 "$2 $4: every one exited 0" "$(grep '^fail' <<<"$OUT" | head -n5)" "stderr: $(head -n5 <<<"$ERR")"
}
batch row "$ROW" 540 "in a row"
batch burst "$PAR" 300 "at once"

# What the launches left behind: nothing.
mounts_after=$(cat /proc/self/mountinfo)
is "$(wc -l <<<"$mounts_after")" "$(wc -l <<<"$mounts_before")" "no leftover mounts: same number of lines in mountinfo"
new_mounts=$(comm -13 <(sort <<<"$mounts_before") <(sort <<<"$mounts_after"))
is "$new_mounts" "" "no leftover mounts: no new line in mountinfo"
unlike "$mounts_after" "$STAGE|sandbox-" "no mount of the sandbox's paths on the host"
is "$(comm -13 <(echo "$cgroups_before") <(sandbox_cgroups))" "" "no leftover sandbox-* cgroups"
is "$(zombies)" "" "no zombies left to the test shell"
is "$(fd_count)" "$fds_before" "no fd growth in the caller"

# Bad inputs: each one line, exit 125, and the host unchanged.
WATCH="$W/watch"
mkdir -p "$WATCH"
chmod 777 "$WATCH"
echo keep >"$WATCH/file"
P="$STAGE/policies"
mkdir -p "$P"
printf 'unshare-pid\nunshar-pid\n' >"$P/unknown-directive.policy"
printf 'include %s/no-such-file.policy\n' "$P" >"$P/missing-include.policy"
printf 'include no-such-policy-anywhere\n' >"$P/missing-include-name.policy"
printf 'syscall deny ptarce\n' >"$P/bad-syscall.policy"
printf 'limit memory lots\n' >"$P/bad-limit.policy"
printf 'bind %s %s\ndir %s/new\nbind /nonexistent/src %s/x\n' "$WATCH" "$WATCH" "$WATCH" "$WATCH" >"$P/missing-source.policy"
chmod -R a+rX "$P"

bad=(
	"--bind $WATCH $WATCH --dir $WATCH/new --bind /nonexistent/src $WATCH/x"
	"--bind $WATCH $WATCH --dir $WATCH/new --ro-bind-try /nonexistent/a /a --ro-bind /nonexistent/src /x"
	"--bind $WATCH $WATCH --tmpfs $WATCH/t --perms 999 --dir $WATCH/p"
	"--bind $WATCH $WATCH --perms rwx --dir $WATCH/p"
	"--perms 0700 --bind /usr /x"
	"--frobnicate"
	"--unshare-pid --no-such-option x"
	"--limit memory lots"
	"--limit pids -1"
	"--limit frob 1"
	"--syscall deny\\ ptarce"
	"--syscall deny\\ @frob"
	"--cap-add CAP_FROB"
	"--uid abc"
	"--policy $P/unknown-directive.policy"
	"--policy $P/missing-include.policy"
	"--policy $P/missing-include-name.policy"
	"--policy $P/bad-syscall.policy"
	"--policy $P/bad-limit.policy"
	"--policy $P/missing-source.policy"
	"--policy $P/does-not-exist.policy"
)
watch_state() { find "$WATCH" -printf '%p %y %m %s\n' | sort; }
watch_before=$(watch_state)
mounts_before=$(cat /proc/self/mountinfo)
fds_before=$(fd_count)
for args in "${bad[@]}"; do
	# The arguments are split on blanks; "\ " keeps a blank inside one argument.
	read -r -a argv <<<"${args//\\ /$'\x1f'}"
	argv=("${argv[@]//$'\x1f'/ }")
	sbd "${BARE[@]}" "${argv[@]}" -- true
	is "$RC" 125 "exit 125: $args"
	echo "# ${ERR//$'\n'/$'\n# '}"
	# One line; a missing include also names the search path on a second "hint:" line.
	is "$(grep -c . <<<"$ERR")" "$([[ $ERR == *hint:* ]] && echo 2 || echo 1)" "one line of error: $args" "stderr: $ERR"
	like "$ERR" "^sandbox: " "the error names the tool: $args"
	is "$(watch_state)" "$watch_before" "the watched dir is unchanged: $args"
	is "$(cat /proc/self/mountinfo)" "$mounts_before" "mountinfo is unchanged: $args"
	is "$(fd_count)" "$fds_before" "the caller's fd count is unchanged: $args"
done
is "$(zombies)" "" "no zombies after the bad inputs"
is "$(comm -13 <(echo "$cgroups_before") <(sandbox_cgroups))" "" "no leftover sandbox-* cgroups after the bad inputs"

done_testing
