#!/usr/bin/env bash
# The issue's example, exit statuses, --help/--version, and the bwrap name.
. "$(dirname "$0")/../lib/tap.sh"

sb "${SYSTEM[@]}" --proc /proc --dev /dev --tmpfs /tmp --unshare-all --die-with-parent -- sh -c 'id -u; ls /'
is "$RC" 0 "the example from the issue runs"
want="bin dev lib $([[ -d /usr/lib32 ]] && echo "lib32 ")lib64 proc tmp usr "
is "$(echo "$OUT" | tail -n +2 | tr '\n' ' ')" "$want" "the root holds only what was asked"
like "$(echo "$OUT" | head -1)" "^[0-9]+$" "id works inside"

sb "${SYSTEM[@]}" --proc /proc --unshare-pid -- sh -c 'grep " / / " /proc/self/mountinfo'
like "$OUT" " / / rw,nosuid,nodev,[^ ]* - tmpfs " "the root is a tmpfs"

for code in 0 1 3 42 255; do
	sb "${SYSTEM[@]}" sh -c "exit $code"
	is "$RC" "$code" "exit status $code is passed on"
done
sb "${SYSTEM[@]}" --unshare-pid sh -c 'kill -TERM $$'
is "$RC" 143 "killed by SIGTERM: 128+15 (with a pid namespace)"
sb "${SYSTEM[@]}" sh -c 'kill -USR1 $$'
is "$RC" 138 "killed by SIGUSR1: 128+10 (without one)"
sb "${SYSTEM[@]}" --unshare-pid sh -c 'kill -SEGV $$'
is "$RC" 139 "killed by SIGSEGV: 139"

sb "${SYSTEM[@]}" /nonexistent
is "$RC" 127 "a missing command exits 127"
like "$ERR" "^sandbox: cannot run '/nonexistent': No such file or directory$" "and says so"
sb "${SYSTEM[@]}" no-such-command-anywhere
is "$RC" 127 "a command not on PATH exits 127"
sb "${SYSTEM[@]}" /usr
is "$RC" 126 "a directory as command exits 126"
sb "${SYSTEM[@]}" --file 0 /x /x </dev/null
is "$RC" 126 "a file that is not executable exits 126"
like "$ERR" "Permission denied" "and says why"
sb "${SYSTEM[@]}" --ro-bind /nope /x true
is "$RC" 125 "a setup failure exits 125"

sb --help
is "$RC" 0 "--help exits 0"
like "$OUT" "^usage: $SB \[OPTIONS...\]" "--help prints the usage on stdout, with the name as invoked"
like "$OUT" "--ro-bind SRC DEST" "--help lists the options"
sb --unshare-all --help
is "$RC" 0 "--help works after other options, as in bwrap"
sb --version
is "$OUT" "sandbox $(sed -n "s/^  version: '\(.*\)',/\1/p" "$(dirname "$0")/../../meson.build")" "--version prints the version"

bw --version
is "$OUT" "bubblewrap 0.11.1" "as bwrap, --version prints exactly bubblewrap's line (the release it matches)"
bw --frobnicate
is "$RC" 1 "as bwrap, a bad option exits 1"
is "$ERR" "bwrap: Unknown option --frobnicate" "as bwrap, bubblewrap's message"
bw "${SYSTEM[@]}" /nonexistent
is "$RC" 1 "as bwrap, a missing command exits 1"
bw "${SYSTEM[@]}" --ro-bind /nope /x true
is "$RC" 1 "as bwrap, a setup failure exits 1"
bw "${SYSTEM[@]}" sh -c 'exit 7'
is "$RC" 7 "as bwrap, the command's status is passed on"
bw --help
like "$OUT" "^usage: $BW \[OPTIONS...\] \[--\] COMMAND \[ARGS...\]" "as bwrap, the usage names bwrap as invoked"
sb
is "$RC" 125 "no command at all exits 125"
like "$ERR" "no command given" "and says so"

# The same command lines through Debian's bubblewrap, where it has the options.
if command -v bwrap >/dev/null && [[ "$(command -v bwrap)" != "$BW" ]]; then
	for args in "--proc /proc --dev /dev --unshare-all ls -a / /dev" \
		"--unshare-pid --proc /proc --tmpfs /tmp --dir /tmp/d --symlink x /tmp/l ls -l /tmp" \
		"--unshare-all --uid 0 --gid 0 --hostname h sh -c id;hostname"; do
		# shellcheck disable=SC2086
		sb "${SYSTEM[@]}" $args
		ours="$OUT $RC"
		# shellcheck disable=SC2086
		o=$( (cd "$STAGE" && as_user timeout 60 bwrap "${SYSTEM[@]}" $args) 2>&1)
		theirs="$o $?"
		# ls -l dates differ by the second the entries were made.
		strip_dates='s/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]*//g'
		is "$(sed "$strip_dates" <<<"$ours")" "$(sed "$strip_dates" <<<"$theirs")" "same output as Debian's bwrap: $args"
	done
else
	skip "same output as Debian's bwrap" "bwrap is not installed"
fi

# Several --args on one command line: each fd's arguments apply where its --args stands, in order.
printf -- '--setenv\0A\0one\0--setenv\0B\0first\0' >"$W/args-1"
printf -- '--setenv\0A\0two\0' >"$W/args-2"
printf -- '--setenv\0C\0third\0sh\0-c\0echo $A $B $C' >"$W/args-3"
sb "${SYSTEM[@]}" --args 5 --args 6 -- sh -c 'echo $A $B' 5<"$W/args-1" 6<"$W/args-2"
is "$RC:$OUT" "0:two first" "two --args: both apply, the later one last"
sb "${SYSTEM[@]}" --args 5 --setenv B between --args 6 --args 7 5<"$W/args-1" 6<"$W/args-2" 7<"$W/args-3"
is "$RC:$OUT" "0:two between third" "three --args with options between them: all apply in order, the last carries the command"
sb "${SYSTEM[@]}" --args 6 --args 5 --print-policy 5<"$W/args-1" 6<"$W/args-2"
is "$(grep '^setenv' <<<"$OUT" | tr '\n' ' ')" "setenv A two setenv A one setenv B first " \
	"--print-policy shows what several --args gave, in the order given"
sb "${SYSTEM[@]}" --args 5 --args 77 true 5<"$W/args-1"
is "$RC:$ERR" "125:sandbox: --args: reading fd 77: Bad file descriptor" "a second --args on a closed fd: exit 125, naming it"

done_testing
