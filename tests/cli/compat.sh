#!/usr/bin/env bash
# Drop-in compatibility: the same command lines through our binary under the name bwrap and
# through the system's bubblewrap (/usr/bin/bwrap, Debian's 0.8) give the same output and exit
# status, for options bubblewrap 0.8 has. Messages differ in wording, so for failures only
# the exit status and the "bwrap: " prefix are compared.
. "$(dirname "$0")/../lib/tap.sh"

REAL=${BWRAP_REAL:-/usr/bin/bwrap}
if [[ ! -x $REAL ]] || [[ $("$REAL" --version 2>/dev/null) != bubblewrap* ]]; then
	skip "same behaviour as bubblewrap" "no bubblewrap at $REAL"
	done_testing
	exit
fi
if [[ $(readlink -f "$REAL") == "$(readlink -f "$SANDBOX")" ]]; then
	skip "same behaviour as bubblewrap" "$REAL is the binary under test"
	done_testing
	exit
fi

# Dates and inode numbers differ by the moment and order things were made.
normalize() {
	sed -E 's/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{4,5}//g'
}

# open_fds: opens each "N:FILE" of $FDS for reading as fd N, afresh for every run.
FDS=
open_fds() {
	local spec
	for spec in $FDS; do
		eval "exec ${spec%%:*}<\"\${spec#*:}\""
	done
}
close_fds() {
	local spec
	for spec in $FDS; do
		eval "exec ${spec%%:*}<&-"
	done
}

# same NAME ARGS...: both binaries, from the staging dir, as the test user.
same() {
	local name=$1
	shift
	open_fds
	bw "$@"
	close_fds
	local ours="$OUT" ours_rc=$RC ours_err=$ERR
	open_fds
	_run as_user timeout 60 "$REAL" "$@"
	close_fds
	local theirs="$OUT" theirs_rc=$RC theirs_err=$ERR
	is "$(normalize <<<"$ours")
rc=$ours_rc" "$(normalize <<<"$theirs")
rc=$theirs_rc" "same as bubblewrap: $name"
	if [[ $theirs_err == "bwrap: "* ]]; then
		like "$ours_err" "^bwrap: " "as bubblewrap, the message starts with 'bwrap: ': $name"
	fi
	FDS=
}

S=("${SYSTEM[@]}")
# Mount point, per-mount options and fs type of each mount, sorted (the order in which the
# mounts were made is not part of the interface).
MI='awk '\''{ for (i = 7; $i != "-"; i++); print $5, $6, $(i + 1) }'\'' /proc/self/mountinfo | sort'

same "ls -a /" "${S[@]}" --proc /proc --dev /dev --tmpfs /tmp --unshare-pid ls -a /
same "id" "${S[@]}" id
same "id with --uid --gid" "${S[@]}" --unshare-user --uid 0 --gid 0 id
same "uid_map" "${S[@]}" --proc /proc --unshare-pid --unshare-user --uid 123 --gid 456 sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
# The deliberate differences (man page, DIFFERENCES FROM BUBBLEWRAP) are left out of the
# comparisons and checked on their own: /dev/shm 1777, device nodes noexec, /proc/sys, irq
# and bus read-only (sysrq-trigger is a file: a bind, not in this listing's sorted points),
# /proc/keys and /proc/key-users covered with an empty file.
same "ls -l /dev (without shm)" "${S[@]}" --dev /dev sh -c 'ls -l /dev | grep -v " shm$"'
same "ls -la /dev/pts" "${S[@]}" --dev /dev ls -la /dev/pts
MI_SAME="$MI | sed -E -e '/^\/proc\/(sys|irq|bus|keys|key-users) /d' -e 's|^(/dev/[a-z]+ [^ ]*),noexec|\\1|'"
same "mountinfo: points, options, types" "${S[@]}" --proc /proc --dev /dev --tmpfs /tmp --unshare-pid --ro-bind /etc /etc --bind "$W" /w sh -c "$MI_SAME"
bw "${S[@]}" --dev /dev stat -c %a /dev/shm
is "$OUT" 1777 "unlike bubblewrap (0755): /dev/shm is 1777"
bw "${S[@]}" --ro-bind /etc /etc --dev /dev --proc /proc --unshare-pid sh -c "$MI"
like "$OUT" "/dev/null [^ ]*noexec" "unlike bubblewrap: the device nodes are noexec"
like "$OUT" "/proc/sys ro," "unlike bubblewrap: /proc/sys is read-only"
bw "${S[@]}" --proc /proc --unshare-pid sh -c 'echo $(wc -c </proc/keys) $(wc -c </proc/key-users) $(grep -c " /proc/key" /proc/self/mountinfo)'
is "$OUT" "0 0 2" "unlike bubblewrap: /proc/keys and /proc/key-users are empty, covered read-only"
bw "${S[@]}" --unshare-pid --proc /proc sh -c 'echo $(ps -o pgid= -p 1) $(ps -o pgid= -p $$)'
is "$OUT" "1 1" "unlike bubblewrap: the sandbox is a process group of its own, led by its pid 1"
same "mountinfo of --ro-bind / /host" "${S[@]}" --proc /proc --unshare-pid --ro-bind / /host sh -c "$MI"
same "exit 0" "${S[@]}" true
same "exit 3" "${S[@]}" sh -c 'exit 3'
same "exit 255" "${S[@]}" sh -c 'exit 255'
same "killed by SIGTERM" "${S[@]}" sh -c 'kill -TERM $$'
same "killed by SIGKILL in a pid namespace" "${S[@]}" --unshare-pid sh -c 'kill -KILL $$'
same "command not found" "${S[@]}" /nonexistent
same "not executable" "${S[@]}" /etc
same "unknown option" --frobnicate true
same "missing argument" --bind /usr
same "missing bind source" "${S[@]}" --ro-bind /nonexistent /x true
same "no command" "${S[@]}"
same "--hostname without --unshare-uts" "${S[@]}" --hostname h true
same "--clearenv --setenv --unsetenv (sorted)" "${S[@]}" --clearenv --setenv A 1 --setenv B 2 --unsetenv A sh -c 'env | sort'
same "--chdir" "${S[@]}" --tmpfs /t --dir /t/d --chdir /t/d sh -c 'pwd; echo $PWD'
same "cwd without --chdir" "${S[@]}" sh -c 'pwd; echo $PWD'
same "cwd kept when it exists inside" "${S[@]}" --bind "$STAGE" "$STAGE" sh -c 'pwd'
same "--hostname" "${S[@]}" --unshare-uts --hostname compat hostname
same "--dir --symlink --tmpfs" "${S[@]}" --tmpfs /t --dir /t/a/b --symlink ../x /t/l --perms 0700 --dir /t/p ls -la /t /t/a
same "--chmod" "${S[@]}" --tmpfs /t --chmod 0701 /t stat -c %a /t
same "--remount-ro" "${S[@]}" --tmpfs /t --remount-ro /t sh -c 'touch /t/x 2>/dev/null; echo $?'
same "--perms --tmpfs" "${S[@]}" --perms 0750 --tmpfs /t stat -c %a /t
echo five >"$W/five"
echo six >"$W/six"
echo seven >"$W/seven"
printf -- '--setenv\0X\0from args\0' >"$W/args"
FDS="5:$W/five 6:$W/six 7:$W/seven"
same "--file, --bind-data, --ro-bind-data" "${S[@]}" --file 5 /f --bind-data 6 /g --ro-bind-data 7 /h sh -c 'cat /f /g /h; stat -c "%n %a" /f /g /h'
same "capabilities, no_new_privs" "${S[@]}" --unshare-pid --proc /proc sh -c 'grep -E "^(Cap|NoNewPrivs)" /proc/self/status'
same "--cap-add" "${S[@]}" --unshare-pid --proc /proc --cap-add CAP_NET_RAW sh -c 'grep -E "^Cap(Eff|Bnd)" /proc/self/status'
same "pid namespace: \$\$" "${S[@]}" --unshare-pid sh -c 'echo $$'
same "--as-pid-1" "${S[@]}" --unshare-pid --as-pid-1 sh -c 'echo $$'
caller_sid=$(cut -d' ' -f6 /proc/$$/stat)
same "--new-session: a new session" "${S[@]}" --ro-bind /proc /proc --new-session sh -c "test \"\$(cut -d' ' -f6 /proc/self/stat)\" != $caller_sid && echo new"
same "without --new-session: the caller's session" "${S[@]}" --ro-bind /proc /proc sh -c "cut -d' ' -f6 /proc/self/stat"
same "which namespaces are new: --unshare-all" "${S[@]}" --unshare-all --proc /proc sh -c \
	"for n in user mnt pid ipc net uts cgroup; do [ \"\$(readlink /proc/self/ns/\$n)\" = \"\$(cat $W/ns-\$n)\" ] && echo \$n same || echo \$n new; done" \
	< <(for n in user mnt pid ipc net uts cgroup; do as_user readlink "/proc/self/ns/$n" >"$W/ns-$n"; done)
same "--unshare-net: only lo" "${S[@]}" --unshare-net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1'
same "--dev-bind-try, --bind-try, --ro-bind-try of missing sources" "${S[@]}" --bind-try /nope /a --ro-bind-try /nope /b --dev-bind-try /nope /c ls /
FDS="5:$W/args"
same "--args" "${S[@]}" --args 5 sh -c 'echo $X'
keys() { "$PY" -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))))' "$W/info"; }
bw "${S[@]}" --unshare-all --info-fd 5 true 5>"$W/info"
ours=$(keys)
_run as_user "$REAL" "${S[@]}" --unshare-all --info-fd 5 true 5>"$W/info"
is "$ours" "$(keys)" "same as bubblewrap: --info-fd keys"
bw "${S[@]}" --unshare-pid --json-status-fd 5 sh -c 'exit 6' 5>"$W/info"
ours="$RC $(wc -l <"$W/info") $("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[1]))' "$W/info")"
_run as_user "$REAL" "${S[@]}" --unshare-pid --json-status-fd 5 sh -c 'exit 6' 5>"$W/info"
theirs="$RC $(wc -l <"$W/info") $("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[1]))' "$W/info")"
is "$ours" "$theirs" "same as bubblewrap: --json-status-fd lines and exit-code"

done_testing
