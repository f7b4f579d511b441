#!/usr/bin/env bash
# The manual pages' examples run. Every ``` block of sandbox(1) and sandbox.policy(5) is one
# of: commands (run as the test user from a project directory, with `sandbox` and `bwrap` first
# on the PATH: exit 0 and what the page says they do), a policy (checked, then used), or a
# sample of output (reproduced, where the page says what produces it). A block this file does
# not know is a failure: a new example comes with its check. --help's examples run too.
. "$(dirname "$0")/../lib/tap.sh"

MAN=$(cd "$(dirname "$0")/../../man" && pwd)
BIN="$STAGE/bin"
PROJ="$W/proj"
HOMEDIR="$W/home"
BLOCKS="$W/blocks"
mkdir -p "$PROJ" "$HOMEDIR/.local/bin" "$BLOCKS"
# A project as the examples expect one: `make -j4` builds, `make check` tests.
printf 'all:\n\techo built >built.txt\ncheck:\n\techo checked >checked.txt\n' >"$PROJ/Makefile"
chmod -R a+rwX "$PROJ" "$HOMEDIR"

# The blocks, one file each (scdoc's \\ unescaped, the list items' indentation dropped), and an
# index line "FILE PAGE LINE" per block.
"$PY" - "$BLOCKS" "$MAN/sandbox.1.scd" "$MAN/sandbox.policy.5.scd" >"$W/index" <<'PY'
import os, re, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    page = os.path.basename(path).replace(".scd", "")
    block, start = None, 0
    for n, line in enumerate(open(path), 1):
        if re.match(r"^\s*```\s*$", line):
            if block is None:
                block, start = [], n
                continue
            text = "".join(block)
            indent = min((len(l) - len(l.lstrip("\t")) for l in block if l.strip()), default=0)
            text = "".join(l[indent:] for l in block).replace("\\\\", "\\")
            name = f"{out}/{page}-{start}"
            with open(name, "w") as f:
                f.write(text)
            print(name, page, start)
            block = None
        elif block is not None:
            block.append(line)
PY
chmod -R a+rX "$BLOCKS"

# in_dir DIR [VAR=VALUE...] COMMAND...: as the test user, from DIR, in a clean environment whose
# PATH finds the binary under test as `sandbox` and `bwrap`. in_proj: from the project directory.
in_dir() {
	local dir=$1 o e
	shift
	o=$(mktemp) e=$(mktemp)
	(cd "$dir" && as_user env -i PATH="$BIN:/usr/bin:/bin" HOME="$HOMEDIR" LANG=C.UTF-8 "$@") >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}
in_proj() { in_dir "$PROJ" "$@"; }

# mkdir_for NAME: a directory of its own for a sample's files, readable by the test user.
mkdir_for() {
	mkdir -p "$W/$1"
	chmod 777 "$W/$1"
	echo "$W/$1"
}

# run_block FILE [VAR=VALUE...]: the block's commands as a script (stopping at the first failure).
run_block() {
	local file=$1
	shift
	in_proj "$@" timeout 120 bash -e "$file"
}

# A sample's numbers as a pattern: "2.504 s" and "4711" match any number.
shape() {
	sed -E 's/[0-9]+(\.[0-9]+)?/N/g'
}

where() { # the block's place, for the test names
	echo "${1##*/}"
}

# ---- commands ----

# The range of the uid-map example, granted to the test user for the run (as namespaces.sh does).
with_subids() {
	local name
	name=$(getent passwd 65534 | cut -d: -f1)
	for f in /etc/subuid /etc/subgid; do
		[[ -e $f ]] || touch "$f"
		cp -p "$f" "$STAGE/$(basename $f).saved"
		echo "$name:100000:65536" >>"$f"
	done
	"$@"
	cp -p "$STAGE/subuid.saved" /etc/subuid
	cp -p "$STAGE/subgid.saved" /etc/subgid
}

# JOINING A RUNNING SANDBOX: the example needs one running, and its pid 1's pid.
join_running() {
	local file=$1 bg pid
	local -a user=()
	[[ $T_ROOT -eq 0 ]] && user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	rm -f "$W/ready" && mkfifo -m 666 "$W/ready"
	(cd "$PROJ" && exec "${user[@]}" "$BIN/sandbox" "${SYSTEM[@]}" --bind "$W" "$W" --unshare-pid --info-fd 5 -- \
		sh -c "echo up >$W/ready; exec sleep 600" 5>"$W/join-info") </dev/null >/dev/null 2>"$W/join-err" &
	bg=$!
	disown "$bg" # killed on purpose: no "Killed" from the shell
	read -r _ <"$W/ready"
	pid=$(json_keys "$W/join-info" child-pid)
	run_block "$file" PID="$pid"
	like "$RC $OUT" "^0 .*sleep" "$(where "$file"): joining a running sandbox, ps -e inside sees its processes"
	is "$(kill_sandbox "$bg" "$W/join-info")" "" "(the running sandbox is gone afterwards)"
}

command_block() {
	local file=$1 name
	name=$(where "$file")
	if grep -q -- '--uid-map' "$file"; then
		if [[ $T_ROOT -ne 0 ]]; then
			skip "$name: --uid-map example" "needs root to grant the example's range in /etc/subuid"
			return
		fi
		with_subids run_block "$file"
		like "$RC $OUT" "^0 -rw.* 1000 +1000 .*/tmp/f$" "$name: a file handed to uid 1000 of the mapped range"
	elif grep -q -- '--info-fd 3' "$file"; then
		# The example leaves sleep 600 in the background: the test waits for a command that ends.
		sed -e 's/sleep 600/true/' -e 's/&$/\nwait $!/' "$file" >"$file.run"
		run_block "$file.run"
		is "$RC" 0 "$name: --info-fd example"
		is "$(json_keys "$PROJ/info.json")" "$(json_keys "$INFO_SAMPLE")" \
			"$name: info.json holds the keys the page shows ($(where "$INFO_SAMPLE"))"
	elif grep -q '/proc/\$PID/ns/user' "$file"; then
		join_running "$file"
	elif grep -q 'ln -s /usr/bin/sandbox' "$file"; then
		sed "s|/usr/bin/sandbox|$BIN/sandbox|" "$file" >"$file.run"
		run_block "$file.run"
		is "$RC" 0 "$name: the bwrap link is made"
		in_proj "$HOMEDIR/.local/bin/bwrap" --version
		is "$OUT" "bubblewrap 0.11.1" "$name: and the program answers as bubblewrap there"
	elif grep -q -- '--app-id' "$file"; then
		desktop_example "$file"
	elif grep -q 'unshare --user' "$file"; then
		run_block "$file"
		is "$RC $OUT" "0 0" "$name: with no-default-policy, the tool makes its own user namespace"
	else
		rm -f "$PROJ/built.txt" "$PROJ/checked.txt"
		run_block "$file"
		is "$RC" 0 "$name: runs" "$(head -n 1 "$file")"
		if grep -q 'make -j4' "$file"; then
			[[ -s $PROJ/built.txt ]]
			ok $? "$name: make built in the project directory"
		fi
		if grep -q 'make check' "$file"; then
			[[ -s $PROJ/checked.txt ]]
			ok $? "$name: make check ran in the project directory"
		fi
	fi
}

# DESKTOP APPLICATIONS: the examples need a display and the apps themselves, so here their
# options must parse and their policy load (tests/cli/desktop.sh runs such launches for real).
# A desktop entry's command is its Exec= line.
desktop_example() {
	local file=$1 name
	name=$(where "$file")
	if grep -q '^Exec=' "$file"; then sed -n 's/^Exec=//p' "$file"; else cat "$file"; fi |
		sed -E 's/ -- [^ ]+$/ --print-policy/' >"$file.run"
	run_block "$file.run"
	like "$RC $OUT" "^0 .*app-id " "$name: the desktop example's options parse and its policy loads"
}

# json_keys FILE [KEY]: the keys of the JSON object in FILE, sorted; or KEY's value.
json_keys() {
	"$PY" -c 'import json, sys
o = json.load(open(sys.argv[1]))
print(o[sys.argv[2]] if len(sys.argv) > 2 else " ".join(sorted(o)))' "$@"
}

# ---- policies ----

policy_block() {
	local file=$1 name policy first
	name=$(where "$file")
	first=$(head -n 1 "$file")
	# "# NAME.policy: ..." names the file the page's commands use.
	if [[ $first =~ ^#\ ([a-z-]+\.policy): ]]; then
		policy=${BASH_REMATCH[1]}
	else
		policy="block-${name##*-}.policy"
	fi
	cp "$file" "$PROJ/$policy"
	chmod 644 "$PROJ/$policy"
	in_proj sandbox --check-policy "$policy"
	is "$RC $OUT" "0 $policy: ok" "$name: $policy loads"
	case $first in
	"# step.policy"*)
		# The command the page gives after it.
		in_proj sandbox --policy ./step.policy -- make
		is "$RC" 0 "$name: sandbox --policy ./step.policy -- make"
		in_proj sandbox --policy ./step.policy -- sh -c 'touch /usr/x 2>/dev/null || echo read-only'
		is "$OUT" "read-only" "$name: only the build directory is writable"
		;;
	"limit memory"*)
		# Applying the limits takes a delegated cgroup v2 subtree: the vm tier's (tests/vm).
		in_proj sandbox --policy "./$policy" --print-policy
		has "$OUT" "limit io-read-bps /dev/sda 50M" "$name: the limits, as --print-policy writes them back"
		;;
	"syscall-default allow"*)
		in_proj sandbox "${SYSTEM[@]}" --policy "./$policy" -- sh -c 'cd / && echo works'
		is "$RC $OUT" "0 works" "$name: a shell runs under these rules"
		;;
	"include default"*)
		in_proj sandbox --no-default-policy "${SYSTEM[@]}" --policy "./$policy" -- "$PY" -c '
import fcntl, termios, os
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"x"); print("TIOCSTI allowed")
except OSError as e:
    print("TIOCSTI", os.strerror(e.errno))'
		is "$RC $OUT" "0 TIOCSTI Operation not permitted" "$name: the allow list keeps the default's ioctl(TIOCSTI) denial"
		in_proj sandbox --no-default-policy "${SYSTEM[@]}" --policy "./$policy" -- unshare --user true
		like "$RC $ERR" "^1 .*Operation not permitted" "$name: ... and its unshare(CLONE_NEWUSER) denial"
		;;
	"# editor.policy"*)
		# The launch needs a display: tests/cli/desktop.sh runs such ones.
		in_proj sandbox --policy ./editor.policy --print-policy
		has "$OUT" "app-id org.example.Editor
socket wayland
socket fallback-x11
filesystem xdg-documents:rw" "$name: the app's permissions, as --print-policy writes them back"
		;;
	"# ci.policy"* | "# nested.policy"*) ;; # used by the commands that follow them
	*) ok 1 "$name: a policy this file has no check for" "$(cat "$file")" ;;
	esac
}

# ---- samples of output ----

# "ERRORS": each line, from a policy written to produce it.
policy_errors_sample() {
	local file=$1 line dir n=0 name
	name=$(where "$file")
	while IFS= read -r line; do
		n=$((n + 1))
		dir=$(mkdir_for "errors-$n")
		case $line in
		*"unknown directive 'unshar-pid'"*) printf 'ro-bind /usr /usr\n%.0s' {1..11} >"$dir/ci.policy" && echo unshar-pid >>"$dir/ci.policy" ;;
		*"'bind' takes 2 arguments"*) printf 'unshare-pid\n\nbind /a\n' >"$dir/ci.policy" ;;
		*"'nobody' is not a valid id"*) printf 'unshare-pid\n%.0s' {1..6} >"$dir/ci.policy" && echo 'uid nobody' >>"$dir/ci.policy" ;;
		*"XDG_RUNTIME_DIR"*)
			echo 'include base' >"$dir/ci.policy"
			# shellcheck disable=SC2016 # the policy's own ${VAR}, not the shell's
			printf 'unshare-pid\nsetenv RTDIR ${XDG_RUNTIME_DIR}\n' >"$dir/base.policy"
			;;
		*) ok 1 "$name: a sample line this file can't reproduce" "$line" && continue ;;
		esac
		chmod -R a+rX "$dir"
		in_dir "$dir" sandbox --check-policy ci.policy
		is "$RC $ERR" "125 $line" "$name: sample line $n is what sandbox says"
	done <"$file"
}

stats_sample() {
	local file=$1 key got want host=false sample=false name
	name=$(where "$file")
	in_proj sandbox "${SYSTEM[@]}" --stats -- true
	[[ $ERR == *"(cgroup "* ]] && host=true
	grep -q "(cgroup " "$file" && sample=true
	if [[ $host != "$sample" ]]; then
		# Only one of the two samples is this host's (with a delegated cgroup or without): the
		# other one's lines still have the documented form.
		while IFS= read -r want; do
			like "$want" "^sandbox: stats: [a-z-]+ [0-9.]+( [A-Za-z]+)?(, [0-9.]+ [KMG]iB)? \(.*\)$" \
				"$name: '${want%% (*}' has the documented form"
		done <"$file"
		return
	fi
	while IFS= read -r got; do
		key=$(awk '{ print $3 }' <<<"$got")
		want=$(grep "^sandbox: stats: $key " "$file")
		is "$(shape <<<"$got")" "$(shape <<<"$want")" "$name: the $key line as the page shows it"
	done <<<"$ERR"
}

sample_block() {
	local file=$1 name first dir
	name=$(where "$file")
	first=$(head -n 1 "$file")
	case $first in
	*"ci.policy:12:1: unknown directive"*) policy_errors_sample "$file" ;;
	*"ci.policy:9: --bind /x /x"*)
		dir=$(mkdir_for check-sources)
		printf 'ro-bind /usr /usr\n%.0s' {1..8} >"$dir/ci.policy" && echo 'bind /x /x' >>"$dir/ci.policy"
		in_dir "$dir" sandbox --check-policy ci.policy
		is "$RC $ERR" "125 $first" "$name: --check-policy names the directive's file and line"
		;;
	*"build.policy:12: --bind /x /x"*)
		dir=$(mkdir_for launch-error)
		printf 'ro-bind /usr /usr\n%.0s' {1..11} >"$dir/build.policy" && echo 'bind /x /x' >>"$dir/build.policy"
		in_dir "$dir" sandbox --policy build.policy -- true
		is "$RC $ERR" "125 $first" "$name: at launch, a policy's operation is named with its file and line"
		;;
	*"--ro-bind /nope /x"*)
		in_proj sandbox --ro-bind /nope /x true
		is "$RC $ERR" "125 $first" "$name: the message"
		;;
	*"cannot run 'ls'"*)
		in_proj sandbox --ro-bind /usr /usr --symlink usr/bin /bin -- ls
		if [[ $(uname -m) == x86_64 ]]; then
			is "$RC $ERR" "127 $(cat "$file")" "$name: the message and the hint"
		else
			# Another machine's loader has another name: the form is the same.
			like "$RC $ERR" "^127 $first
sandbox: hint: /usr/bin/ls is in the sandbox, but the interpreter it names, /[^ ]+, is not: bind it too" "$name: the message and the hint"
		fi
		;;
	*"timeout: the command"*)
		in_proj sandbox "${SYSTEM[@]}" --timeout 0.2 -- sleep 600
		is "$RC $(shape <<<"$ERR")" "124 $(sed -n 1p "$file" | shape)" "$name: a command that ends at SIGTERM"
		in_proj sandbox "${SYSTEM[@]}" --timeout 0.2 --timeout-grace 0.2 -- sh -c 'trap "" TERM; sleep 600'
		is "$RC $(shape <<<"$ERR")" "124 $(sed -n 2p "$file" | shape)" "$name: one that has to be killed"
		;;
	*"stats: wall"*) stats_sample "$file" ;;
	*"denied unshare(CLONE_NEWUSER)"*)
		in_proj sandbox --report-denials "${SYSTEM[@]}" -- sh -c 'unshare -U true || echo refused'
		is "$RC $OUT $(shape <<<"$ERR")" "0 refused $(shape <"$file")" "$name: the denial named, then counted"
		;;
	*"OOM killer"*)
		# Reaching a memory limit takes a delegated cgroup v2 subtree: tests/vm/limits.sh runs it
		# and matches this form.
		like "$first" "^sandbox: command killed by the OOM killer: memory limit [0-9.]+ [KMG]iB reached \(peak [0-9.]+ [KMG]iB\)$" \
			"$name: the OOM message in the form tests/vm/limits.sh checks"
		;;
	*) ok 1 "$name: a sample of output this file has no check for" "$(cat "$file")" ;;
	esac
}

# ---- every block ----

INFO_SAMPLE=$(grep -l '"child-pid"' "$BLOCKS"/* | head -n 1)
# The policies the pages name ("# ci.policy: ..."), in place before any command uses them.
for file in "$BLOCKS"/*; do
	if [[ $(head -n 1 "$file") =~ ^#\ ([a-z-]+\.policy): ]]; then
		cp "$file" "$PROJ/${BASH_REMATCH[1]}"
		chmod 644 "$PROJ/${BASH_REMATCH[1]}"
	fi
done
while read -r file _ _; do
	first=$(head -n 1 "$file")
	case $first in
	"{") ;; # info.json, checked with the --info-fd example
	"sandbox: "*) sample_block "$file" ;;
	"sandbox "* | "bwrap "* | "exec "* | "ln "*) command_block "$file" ;;
	"Exec="* | "[Desktop Entry]"*) desktop_example "$file" ;;
	*) policy_block "$file" ;;
	esac
done <"$W/index"

# ---- --help's examples ----

"$SB" --help | "$PY" -c '
import sys
lines = sys.stdin.read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("Examples"))
cmd = ""
for l in lines[start + 1:]:
    if not l.startswith("    "):
        break
    if cmd or l.startswith("    sandbox "):
        cmd += l.strip()
        if cmd.endswith("\\"):
            cmd = cmd[:-1]
            continue
        print(cmd)
        cmd = ""' >"$W/help-examples"
is "$(grep -c . "$W/help-examples")" 3 "--help shows three examples"
n=0
while IFS= read -r example; do
	n=$((n + 1))
	printf '%s\n' "$example" >"$BLOCKS/help-$n"
	chmod 644 "$BLOCKS/help-$n"
	rm -f "$PROJ/built.txt"
	run_block "$BLOCKS/help-$n"
	is "$RC" 0 "--help example $n runs: $example"
	if [[ $example == *"make -j4"* ]]; then
		[[ -s $PROJ/built.txt ]]
		ok $? "--help example $n: make built in the current directory"
	fi
done <"$W/help-examples"

done_testing
