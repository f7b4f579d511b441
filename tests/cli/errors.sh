#!/usr/bin/env bash
# Every bad value gets one line naming the option, exit 125 (1 as bwrap), and leaves nothing
# behind on the host: the caller's mount table and a writable directory stay as they were.
. "$(dirname "$0")/../lib/tap.sh"

before=$(host_state)

check() { # check 'ARGS' 'EXPECTED MESSAGE REGEX'
	local args=$1 want=$2
	# shellcheck disable=SC2086
	sb $args
	is "$RC" 125 "exit 125: $args"
	like "$ERR" "^sandbox: $want" "message: $args"
	is "$(echo "$ERR" | grep -c .)" "$([[ $ERR == *hint:* ]] && echo 2 || echo 1)" "one line (plus a hint): $args"
	# shellcheck disable=SC2086
	bw $args
	is "$RC" 1 "as bwrap, exit 1: $args"
}

# Missing arguments.
check "--bind /a" "--bind: missing argument \(needs SRC DEST\)"
check "--setenv A" "--setenv: missing argument \(needs VAR VALUE\)"
check "--uid-map 0 1" "--uid-map: missing argument"
check "--chdir" "--chdir: missing argument"
# Numbers and fds.
check "--uid abc true" "--uid: 'abc' is not a valid id"
check "--gid -5 true" "--gid: '-5' is not a valid id"
check "--uid 4294967295 true" "--uid: '4294967295' is not a valid id"
check "--info-fd x true" "--info-fd: 'x' is not a valid file descriptor number"
check "--sync-fd 3.5 true" "--sync-fd: '3.5' is not a valid file descriptor number"
check "--info-fd 77 true" "--info-fd: fd 77 is not open: Bad file descriptor"
check "--json-status-fd 77 true" "--json-status-fd: fd 77 is not open"
check "--block-fd 77 true" "--block-fd: fd 77 is not open"
check "--seccomp 77 true" "--seccomp: fd 77 is not open"
check "--add-seccomp-fd 77 true" "--add-seccomp-fd: fd 77 is not open"
check "--userns 77 true" "--userns: fd 77 is not open"
check "--pidns 77 true" "--pidns: fd 77 is not open"
check "--sync-fd 77 true" "--sync-fd: fd 77 is not open"
check "--file 77 /x true" "--file 77 /x: fd 77 is not open"
check "--bind-data 77 /x true" "--bind-data 77 /x: fd 77 is not open"
check "--ro-bind-fd 77 /x true" "--ro-bind-fd 77 /x: fd 77 is not open"
check "--args 77 true" "--args: reading fd 77: Bad file descriptor"
# Modes and sizes.
check "--perms 999 --dir /d true" "--perms: '999' is not an octal mode"
check "--perms rwx --dir /d true" "--perms: 'rwx' is not an octal mode"
check "--chmod 8 /x true" "--chmod: '8' is not an octal mode"
check "--size 0 --tmpfs /t true" "--size: '0' is not a size"
check "--size 10X --tmpfs /t true" "--size: '10X' is not a size"
check "--perms 0700 --bind /usr /x true" "--perms must be followed by --bind-data, --ro-bind-data, --file, --tmpfs or --dir, not --bind"
check "--size 1M --dir /d true" "--size must be followed by --tmpfs, not --dir"
check "--overlay-src /usr --tmpfs /t true" "--overlay-src must be followed by --overlay, --tmp-overlay or --ro-overlay"
check "--perms 0700" "--perms is not followed by the operation it modifies"
check "--tmp-overlay /o true" "--tmp-overlay needs at least one --overlay-src"
# Capabilities.
check "--cap-add CAP_FROB true" "--cap-add: unknown capability 'CAP_FROB'"
check "--cap-drop 5 true" "--cap-drop: unknown capability '5'"
# Paths and names.
check "--setenv A=B C true" "--setenv: 'A=B' is not a valid variable name"
check "--ro-bind /nonexistent/src /x true" "--ro-bind /nonexistent/src /x: No such file or directory"
check "--dev-bind /nonexistent /x true" "--dev-bind /nonexistent /x: No such file or directory"
check "--overlay-src /nonexistent --overlay-src /usr --ro-overlay /o true" "--ro-overlay /o: overlay layer /nonexistent: No such file or directory"
check "--overlay-src /usr --ro-overlay /o true" "--ro-overlay needs at least two --overlay-src"
check "--unshare-pid --as-pid-1 --sync-fd 0 true" "--as-pid-1 can't be combined with --sync-fd"
check "${SYSTEM[*]} --chdir /nonexistent true" "--chdir /nonexistent: No such file or directory"
check "${SYSTEM[*]} --lock-file /nonexistent true" "--lock-file /nonexistent: No such file or directory"
check "--symlink a /x --symlink b /x true" "--symlink b /x: /x exists and points to 'a'"
check "--remount-ro /nonexistent true" "--remount-ro /nonexistent: No such file or directory"
check "--ro-bind /usr /usr --proc /usr/proc true" "--proc /usr/proc: creating the destination: Read-only file system"
# Options that need others.
check "--hostname h true" "--hostname needs --unshare-uts"
check "--as-pid-1 true" "--as-pid-1 needs --unshare-pid"
check "--mqueue /m true" "--mqueue /m needs --unshare-ipc"
check "--keep-fd 1 true" "--keep-fd only makes sense with --close-fds"
check "--userns-block-fd 0 true" "--userns-block-fd needs --info-fd"
check "--seccomp 0 --add-seccomp-fd 0 true" "--add-seccomp-fd cannot be combined with --seccomp"
check "--add-seccomp-fd 0 --seccomp 0 true" "--seccomp cannot be combined with --add-seccomp-fd"
check "--uid-map 0 1 1 --uid 7 true" "--uid 7 is not inside any --uid-map range"
check "--frobnicate true" "unknown option '--frobnicate'"
check "--bind=/a /b true" "unknown option '--bind=/a' \(write option arguments as separate words"
check "--exec-label foo true" "--exec-label: SELinux is not enabled"

# Empty strings (can't go through check's word splitting).
sb --bind "" /x true
is "$RC" 125 "--bind with an empty source: exit 125"
like "$ERR" "^sandbox: --bind: empty source" "--bind with an empty source says so"
sb --unshare-uts --hostname "" true
is "$RC" 125 "--hostname '': exit 125"
like "$ERR" "^sandbox: --hostname: '' is not a valid host name" "--hostname '' says so"

# A seccomp fd that holds no BPF program.
printf 'abc' >"$W/notbpf"
sb --seccomp 5 true 5<"$W/notbpf"
is "$RC" 125 "--seccomp with 3 bytes of junk: exit 125"
like "$ERR" "^sandbox: --seccomp: fd 5 holds 3 bytes, not a BPF program" "--seccomp says what is wrong with the data"
rm -f "$W/notbpf"

# As bwrap, SELinux labels are ignored when SELinux is off (as bubblewrap does).
if [[ ! -e /sys/fs/selinux/enforce ]]; then
	bw "${SYSTEM[@]}" --exec-label foo true
	is "$RC" 0 "as bwrap, --exec-label is ignored without SELinux"
fi

# Every option that takes arguments, given too few (as the last word on the line): one line
# naming the option, "missing argument", exit 125, as bwrap 1.
while read -r opt args; do
	for ((have = 0; have < args; have++)); do
		words=()
		for ((i = 0; i < have; i++)); do words+=("/a$i"); done
		sb "$opt" "${words[@]}"
		ok "$([[ $RC -eq 125 && $ERR == "sandbox: $opt: missing argument"* && $(grep -c . <<<"$ERR") -eq 1 ]]; echo $?)" \
			"$opt with $have of $args arguments: one line, missing argument, exit 125" "rc $RC" "stderr: $ERR"
	done
	bw "$opt"
	ok "$([[ $RC -eq 1 && $ERR == "bwrap: "* ]]; echo $?)" "as bwrap, $opt without its argument: exit 1" "rc $RC" "stderr: $ERR"
done <<'OPTS'
--args 1
--argv0 1
--userns 1
--userns2 1
--pidns 1
--uid 1
--gid 1
--uid-map 3
--gid-map 3
--hostname 1
--chdir 1
--setenv 2
--unsetenv 1
--lock-file 1
--sync-fd 1
--block-fd 1
--userns-block-fd 1
--info-fd 1
--json-status-fd 1
--cap-add 1
--cap-drop 1
--keep-fd 1
--seccomp 1
--add-seccomp-fd 1
--exec-label 1
--file-label 1
--bind 2
--bind-try 2
--dev-bind 2
--dev-bind-try 2
--ro-bind 2
--ro-bind-try 2
--bind-fd 2
--ro-bind-fd 2
--remount-ro 1
--overlay-src 1
--overlay 3
--tmp-overlay 1
--ro-overlay 1
--proc 1
--dev 1
--tmpfs 1
--mqueue 1
--sys 1
--dir 1
--file 2
--bind-data 2
--ro-bind-data 2
--symlink 2
--chmod 2
--perms 1
--size 1
--limit 2
--rlimit 2
--timeout 1
--cgroup-manager 1
OPTS

# Every fd-taking option with a word that is not a number, and with a number that is no open fd.
for opt in --args --userns --userns2 --pidns --sync-fd --block-fd --userns-block-fd --info-fd --json-status-fd \
	--seccomp --add-seccomp-fd --keep-fd; do
	sb "$opt" 3x true
	ok "$([[ $RC -eq 125 && $ERR == "sandbox: $opt: '3x' is not a valid file descriptor number"* ]]; echo $?)" \
		"$opt 3x: not a valid fd number, exit 125" "rc $RC" "stderr: $ERR"
done
for opt in --userns --userns2 --pidns --sync-fd --block-fd --info-fd --json-status-fd --seccomp --add-seccomp-fd; do
	sb "$opt" 93 true
	ok "$([[ $RC -eq 125 && $ERR == "sandbox: $opt"*"93"* && $(grep -c . <<<"$ERR") -eq 1 ]]; echo $?)" \
		"$opt 93 (closed): one line naming it, exit 125" "rc $RC" "stderr: $ERR"
done
for opt in --file --bind-data --ro-bind-data --bind-fd --ro-bind-fd; do
	sb "$opt" 93 /x true
	ok "$([[ $RC -eq 125 && $ERR == "sandbox: $opt 93 /x: "* ]]; echo $?)" "$opt 93 /x (closed): exit 125" "rc $RC" "stderr: $ERR"
	sb "$opt" x /x true
	ok "$([[ $RC -eq 125 && $ERR == "sandbox: $opt"*"'x'"* ]]; echo $?)" "$opt x /x: not a number, exit 125" "rc $RC" "stderr: $ERR"
done

# Failures whose destination would lie in a directory of the host we can watch: nothing appears.
sb "${SYSTEM[@]}" --bind "$W" "$W" --dir "$W/made-by-dir" --ro-bind /nonexistent "$W/x" true
is "$RC" 125 "a failing op after --dir in a writable bind: exit 125"
sb "${SYSTEM[@]}" --bind "$W" "$W" --tmpfs "$W/t" --perms 999 --dir "$W/p" true
is "$RC" 125 "a bad --perms after other ops: exit 125"
is "$(ls -A "$W")" "" "the watched directory is still empty"

if [[ $T_ROOT -eq 0 ]]; then
	# As real root there is no user namespace unless asked: --uid needs one.
	for args in "--uid 5 true" "--gid 5 true" "--userns-block-fd 0 --info-fd 1 true" "--disable-userns true"; do
		# shellcheck disable=SC2086
		sb_root "${SYSTEM[@]}" $args
		ok "$([[ $RC -eq 125 && $(grep -c . <<<"$ERR") -eq 1 && $ERR == "sandbox: --"* ]]; echo $?)" \
			"as root without --unshare-user: $args: one line, exit 125" "rc $RC" "stderr: $ERR"
	done
	sb_root "${SYSTEM[@]}" --uid 5 true
	like "$ERR" "^sandbox: --uid.*user namespace" "as root, --uid without a user namespace says it needs one"
	_run timeout 60 "$BW" "${SYSTEM[@]}" --uid 5 true
	is "$RC" 1 "as root under the bwrap name: exit 1"
else
	skip "--uid without a user namespace as root" "not running as root"
fi

# A path argument that is '--' or an option means one was left out (as sandbox); bubblewrap, and
# the name bwrap, take it as the path.
sb "${SYSTEM[@]}" --bind /tmp -- true
is "$RC $ERR" "125 sandbox: --bind /tmp --: missing argument: DEST can't be '--', which ends the options
sandbox: hint: --bind takes SRC DEST: give them all before '--'" "--bind /tmp -- true: DEST is missing"
sb "${SYSTEM[@]}" --ro-bind /usr --tmpfs /x true
is "$RC $ERR" "125 sandbox: --ro-bind /usr --tmpfs: missing argument: DEST can't be '--tmpfs', an option
sandbox: hint: --ro-bind takes SRC DEST" "--ro-bind /usr --tmpfs /x: DEST is missing"
sb "${SYSTEM[@]}" --bind -x /x true
is "$RC $ERR" "125 sandbox: --bind -x: missing argument: SRC can't be '-x', which looks like an option
sandbox: hint: a path that starts with '-' can be written as ./-x" "--bind -x /x: a path with a dash, and how to write it"
for args in "--chdir --" "--policy --" "--tmpfs --" "--symlink a --" "--overlay-src --" "--lock-file --foo" "--check-policy --"; do
	# shellcheck disable=SC2086
	sb $args true
	ok "$([[ $RC -eq 125 && $ERR == "sandbox: $args: missing argument: "* ]]; echo $?)" "$args: a missing argument" "rc $RC" "stderr: $ERR"
done
sb "${SYSTEM[@]}" --setenv X -y --argv0 -sh -- sh -c 'echo $X $0'
is "$RC $OUT" "0 -y -sh" "values that are not paths may start with '-' (--setenv, --argv0)"
bw "${SYSTEM[@]}" --bind /tmp -- true
is "$RC" 0 "as bwrap, --bind /tmp -- true binds /tmp on /-- and runs true, as bubblewrap does"
bw "${SYSTEM[@]}" --bind /tmp -- ls -d /--
is "$RC $OUT" "0 /--" "... (the destination is /--)"

# Did you mean: options, capabilities, policy names (directives: policy.sh).
sb --ro-bnd /usr /usr true
is "$RC $ERR" "125 sandbox: unknown option '--ro-bnd' (did you mean '--ro-bind'?)" "a misspelt option: the closest one"
sb --unshare-pdi true
is "$ERR" "sandbox: unknown option '--unshare-pdi' (did you mean '--unshare-pid'?)" "... a transposition"
sb --include build true
is "$ERR" "sandbox: unknown option '--include' (did you mean '--policy'?)" "a directive's other name: the option"
sb --frobnicate true
is "$ERR" "sandbox: unknown option '--frobnicate' (see --help)" "nothing close: no suggestion"
bw --ro-bnd /usr /usr true
is "$RC $ERR" "1 bwrap: Unknown option --ro-bnd" "as bwrap, bubblewrap's message alone"
sb --cap-add CAP_NET_ADMN true
is "$RC $ERR" "125 sandbox: --cap-add: unknown capability 'CAP_NET_ADMN' (did you mean 'CAP_NET_ADMIN'?)" \
	"a misspelt capability: the closest one"
sb --cap-drop sys_admn true
is "$ERR" "sandbox: --cap-drop: unknown capability 'sys_admn' (did you mean 'CAP_SYS_ADMIN'?)" "... without CAP_, any case"
bw --cap-add CAP_NET_ADMN true
is "$RC $ERR" "1 bwrap: unknown cap: CAP_NET_ADMN" "as bwrap, bubblewrap's message alone"
sb --policy tset -- true
like "$RC $ERR" "^125 sandbox: --policy tset: No such file or directory
sandbox: hint: did you mean 'test'\?" "a misspelt policy name: the closest shipped one"

# -h and --help.
sb -h
like "$RC $OUT" "^0 usage: $SB " "-h is --help"
sb --help
like "$OUT" "
Policies .*
    default +.*
    build +an untrusted build step in the current directory\.
    shell +.*
    test +.*
" "--help lists the shipped policies, a line each"
like "$OUT" "
Examples .*
    sandbox --policy shell -- bash
.*    sandbox --policy build -- make -j4
" "--help shows examples (manpages.sh runs them)"
bw -h
is "$RC $ERR" "1 bwrap: Unknown option -h" "as bwrap, -h is unknown, as in bubblewrap"
bw --help
unlike "$OUT" "Policies|Examples" "as bwrap, --help lists the options alone"

# A command that can't be run says why.
sb ls
like "$RC $ERR" "^127 sandbox: cannot run 'ls': No such file or directory
sandbox: hint: the sandbox's root holds nothing of the host's files \(/[^ ]*/ls is on the host\): e\.g\. --ro-bind /usr /usr" \
	"nothing bound: the hint says the root is empty, and what to bind"
sb no-such-command-anywhere
like "$RC $ERR" "^127 .*
sandbox: hint: the sandbox's root holds nothing of the host's files .*and 'no-such-command-anywhere' is not on the host either$" \
	"nothing bound, and nowhere on the host either"
sb --ro-bind /usr /usr --symlink usr/bin /bin -- ls
like "$RC $ERR" "^127 sandbox: cannot run 'ls': No such file or directory
sandbox: hint: /usr/bin/ls is in the sandbox, but the interpreter it names, (/[^ ]+), is not: bind it too \(e\.g\. --ro-bind /[^ /]+ /[^ /]+\)$" \
	"an ELF program whose loader is not inside: its PT_INTERP named"
printf '#!/nonexistent/sh\necho hi\n' >"$W/script"
sb "${SYSTEM[@]}" --perms 0755 --file 5 /script -- /script 5<"$W/script"
is "$RC $ERR" "127 sandbox: cannot run '/script': No such file or directory
sandbox: hint: /script is in the sandbox, but the interpreter it names, /nonexistent/sh, is not: bind it too (e.g. --ro-bind /nonexistent /nonexistent)" \
	"a script whose #! interpreter is not inside"
printf '#!/bin/sh\necho hi\n' >"$W/tool"
chmod 755 "$W/tool"
sb "${SYSTEM[@]}" "$W/tool"
is "$RC $ERR" "127 sandbox: cannot run '$W/tool': No such file or directory
sandbox: hint: $W/tool is on the host, but not in the sandbox: bind it (e.g. --ro-bind /tmp /tmp)" \
	"a path on the host that is not bound: the bind to add"
sb "${SYSTEM[@]}" --setenv PATH "/usr/bin:$W" tool
is "$RC $ERR" "127 sandbox: cannot run 'tool': No such file or directory
sandbox: hint: $W/tool is on the host, but not in the sandbox: bind it (e.g. --ro-bind /tmp /tmp)" \
	"a name found in the command's PATH on the host only"
sb "${SYSTEM[@]}" --setenv PATH /usr/bin no-such-command-anywhere
is "$RC $ERR" "127 sandbox: cannot run 'no-such-command-anywhere': No such file or directory
sandbox: hint: there is no 'no-such-command-anywhere' in the PATH (/usr/bin), in the sandbox or on the host" \
	"a name nowhere: the PATH searched"
sb --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --setenv PATH /bin ls
like "$RC $ERR" "^127 .*
sandbox: hint: /bin/ls is on the host, but not in the sandbox: bind it \(e\.g\. --(symlink usr/bin|ro-bind /bin) /bin\)$" \
	"a host directory that is a link (a merged /usr): the link to add"
sb "${SYSTEM[@]}" "$W/nonexistent"
is "$RC $ERR" "127 sandbox: cannot run '$W/nonexistent': No such file or directory" "a path that is nowhere: the message says it all"
bw ls
is "$RC $ERR" "1 bwrap: execvp ls: No such file or directory" "as bwrap, bubblewrap's message alone"
bw --ro-bind /usr /usr --symlink usr/bin /bin -- ls
is "$RC $ERR" "1 bwrap: execvp ls: No such file or directory" "... whatever the cause"
rm -f "$W/script" "$W/tool"

is "$(host_state)" "$before" "nothing was created or left mounted on the host by any of the failures"

done_testing
