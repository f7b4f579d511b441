#!/usr/bin/env bash
# The shell completions generated at build time (completions/): bash, zsh and fish, for the
# command and for bwrap. Each shell completes for real: bash through its completion function
# (COMP_WORDS, with and without the bash-completion package), zsh through its completion
# system on a pty (zpty), fish through `complete -C`.
. "$(dirname "$0")/../lib/tap.sh"

BUILD=$(cd "$(dirname "$SANDBOX")" && pwd)
NAME=$(basename "$SANDBOX")
C="$BUILD/completions"
# No user's shell configuration, and a policy directory of the user's own.
T="$STAGE/home"
mkdir -p "$T/config/sandbox/policies" "$T/files/sub"
: >"$T/config/sandbox/policies/mine.policy"
: >"$T/files/abc"
export HOME=$T XDG_CONFIG_HOME=$T/config

for f in "$NAME" "_$NAME" "$NAME.fish" bwrap _bwrap bwrap.fish; do
	if [[ -s $C/$f ]]; then ok 0 "completions/$f was generated"; else ok 1 "completions/$f was generated" "in $C"; fi
done

# The options --help lists, one a line, sorted; under the name bwrap, bubblewrap's only.
OPTS=$("$SB" --help | sed -n 's/^    \(--[a-z0-9-]*\).*/\1/p' | sort)
BW_OPTS=$("$BW" --help | grep -v '\[not in bwrap\]' | sed -n 's/^    \(--[a-z0-9-]*\).*/\1/p' | sort)
RO_B=$(printf '%s\n' --ro-bind --ro-bind-data --ro-bind-fd --ro-bind-try)
[[ $(wc -l <<<"$OPTS") -gt 60 ]]
ok $? "--help lists the options"

# words WORDS...: the lines given, sorted (what a completion must produce, in any order).
words() { printf '%s\n' "$@" | sort; }

# --- bash ---------------------------------------------------------------------------------

# bash_complete FILE BASH_COMPLETION(0|1) WORD...: the candidates bash's completion function
# from FILE offers for the last WORD, sorted; with the bash-completion package's helpers or not.
bash_complete() {
	local file=$1 with=$2
	shift 2
	bash --norc --noprofile -c '
		file=$1 with=$2
		shift 2
		if [[ $with == 1 ]]; then . /usr/share/bash-completion/bash_completion || exit 1; fi
		. "$file" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		fn=$(complete -p "$1" | sed "s/.* -F \([^ ]*\) .*/\1/")
		"$fn" 2>/dev/null # compopt complains outside a real completion
		printf "%s\n" "${COMPREPLY[@]}"' bash "$file" "$with" "$@" | sort -u
}

B="$C/$NAME"
bash -n "$B"
ok $? "bash: the file parses"
if command -v shellcheck >/dev/null; then
	out=$(shellcheck -s bash "$B" "$C/bwrap" 2>&1)
	ok $? "bash: the files pass shellcheck" "$out"
else
	skip "bash: the files pass shellcheck" "shellcheck is not installed"
fi
listed=$(sed -n "s/^__${NAME//[^A-Za-z0-9]/_}_options='\(.*\)'$/\1/p" "$B" | tr ' ' '\n' | sort)
is "$listed" "$OPTS" "bash: the option list is exactly --help's"
listed=$(sed -n "s/^__bwrap_options='\(.*\)'$/\1/p" "$C/bwrap" | tr ' ' '\n' | sort)
is "$listed" "$BW_OPTS" "bash: bwrap's option list is exactly bwrap --help's (bubblewrap's options)"
lacks "$listed" "--policy" "bash: bwrap's completion has no extensions"

if [[ -r /usr/share/bash-completion/bash_completion ]]; then
	modes=(0 1)
else
	skip "bash: with the bash-completion package's helpers" "bash-completion is not installed"
	modes=(0)
fi
for with in "${modes[@]}"; do
	m=$([[ $with == 1 ]] && echo "with bash-completion" || echo "on its own")
	is "$(bash_complete "$B" "$with" "$NAME" --ro-b)" "$RO_B" "bash ($m): --ro-b -> the four --ro-bind options"
	got=$(bash_complete "$B" "$with" "$NAME" --bind / / --cap-add CAP_NET_)
	has "$got" CAP_NET_ADMIN "bash ($m): --cap-add CAP_NET_ -> capability names"
	unlike "$got" $'(^|\n)(CAP_[^N]|CAP_N[^E]|[^C])' "bash ($m): --cap-add CAP_NET_ -> only CAP_NET_*"
	got=$(bash_complete "$B" "$with" "$NAME" --policy '')
	like "$got" $'(^|\n)build\n(.*\n)?test($|\n)' "bash ($m): --policy -> the shipped policies"
	has "$got" mine "bash ($m): --policy -> the user's own policies"
	is "$(bash_complete "$B" "$with" "$NAME" --rlimit nofile 1024 : 2048 --ro-bind-t)" --ro-bind-try \
		"bash ($m): a value split at its colon is one argument"
	is "$(bash_complete "$B" "$with" "$NAME" --limit io-read-bps 8 : 0 1M --ro-bind-t)" --ro-bind-try \
		"bash ($m): --limit io-read-bps takes DEV and RATE"
	is "$(bash_complete "$B" "$with" "$NAME" --limit io-)" "$(words io-read-bps io-weight io-write-bps)" \
		"bash ($m): --limit -> its kinds"
	is "$(bash_complete "$B" "$with" "$NAME" --socket p)" "$(words pipewire pulseaudio)" \
		"bash ($m): --socket -> the sockets desktop.c knows"
	is "$(bash_complete "$B" "$with" "$NAME" --device "")" "$(words all dri)" "bash ($m): --device -> its words"
	is "$(bash_complete "$B" "$with" "$NAME" --limit io-write-bps /dev/nul)" /dev/null \
		"bash ($m): --limit io-write-bps DEV -> a device's path"
	is "$(bash_complete "$B" "$with" "$NAME" --bind "$T/files/a")" "$T/files/abc" "bash ($m): --bind SRC -> files"
	is "$(bash_complete "$B" "$with" "$NAME" --chdir "$T/files/")" "$T/files/sub" "bash ($m): --chdir -> directories only"
	is "$(bash_complete "$B" "$with" "$NAME" --sync-fd '')" "" "bash ($m): --sync-fd FD -> nothing"
	has "$(bash_complete "$B" "$with" "$NAME" --unsetenv HOM)" HOME "bash ($m): --unsetenv -> environment variables"
	got=$(bash_complete "$B" "$with" "$NAME" --ro-bind /usr /usr tru)
	has "$got" true "bash ($m): the first word that is not an option -> a command"
	lacks "$(bash_complete "$B" "$with" "$NAME" -- --ver)" --version "bash ($m): after --, no options of ours"
	is "$(bash_complete "$C/bwrap" "$with" bwrap --ro-b)" "$RO_B" "bash ($m): bwrap --ro-b -> the four --ro-bind options"
done
# With bash-completion, the command's own completion takes over: ls's options after ls.
if [[ ${#modes[@]} -eq 2 ]]; then
	is "$(bash_complete "$B" 1 "$NAME" --ro-bind /usr /usr ls --al)" "$(words --all --almost-all)" \
		"bash (with bash-completion): the command's own completion for its arguments"
fi

# --- zsh ----------------------------------------------------------------------------------

# zsh_complete DIR LINE...: completes each LINE (the cursor at its end) with zsh's completion
# system, DIR first on $fpath, in an interactive zsh on a pty; prints "== LINE" and then the
# candidates offered for it, one a line. compadd is wrapped to write down what it is given.
zsh_complete() {
	local out="$STAGE/zsh.out"
	cat >"$STAGE/capture.zsh" <<'EOF'
zmodload zsh/zpty || exit 1
dir=$1 out=$2
shift 2
: >$out
zpty z zsh -f -i
zpty -w z "PS1='' PS2=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; setopt no_beep"
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
	local -a __hits
	builtin compadd -O __hits "$@"
	(( $#__hits )) && print -rl -- $__hits >>'${(q)out}'
	builtin compadd "$@"
}'
# Tab completes and then says so: the next line is typed only once that is on the terminal.
zpty -w z 'complete-and-say() { zle complete-word; zle -M "DONE-$((6*7))"; }; zle -N complete-and-say; bindkey "^I" complete-and-say'
zpty -w z 'print READY-$((6*7))'
zpty -r z got '*READY-42*' || exit 1
for line in "$@"; do
	print -r -- "== $line" >>$out
	zpty -w -n z "$line"$'\t'
	zpty -r z got '*DONE-42*' || exit 1
	zpty -w -n z $'\x15'
done
zpty -d z
EOF
	timeout 60 zsh -f "$STAGE/capture.zsh" "$1" "$out" "${@:2}" </dev/null >/dev/null 2>&1 || echo "zsh failed"
	cat "$out"
}

# zsh_got LINE: the candidates for LINE in $ZOUT, sorted and unique.
zsh_got() { awk -v l="== $1" '$0 == l { on = 1; next } /^== / { on = 0 } on' <<<"$ZOUT" | sort -u; }

if command -v zsh >/dev/null; then
	Z="$C/_$NAME"
	zsh -n "$Z"
	ok $? "zsh: the file parses"
	listed=$(sed -n "s/^\t'\(--[a-z0-9-]*\):.*/\1/p" "$Z" | sort)
	is "$listed" "$OPTS" "zsh: the option list is exactly --help's"
	listed=$(sed -n "s/^\t'\(--[a-z0-9-]*\):.*/\1/p" "$C/_bwrap" | sort)
	is "$listed" "$BW_OPTS" "zsh: bwrap's option list is exactly bwrap --help's"
	ZOUT=$(cd "$T" && zsh_complete "$C" "$NAME --ro-b" "$NAME --cap-add CAP_NET_" "$NAME --policy " \
		"$NAME --rlimit nofile 1024:2048 --ro-bind-t" "$NAME --limit io-read-bps 8:0 1M --ro-bind-t" \
		"$NAME --chdir files/" "$NAME --sync-fd " "$NAME --ro-bind /usr /usr tru" "$NAME -- --ver" "bwrap --ro-b" \
		"bwrap --poli" "$NAME --limit io-write-bps /dev/nul")
	is "$(zsh_got "$NAME --ro-b")" "$RO_B" "zsh: --ro-b -> the four --ro-bind options"
	got=$(zsh_got "$NAME --cap-add CAP_NET_")
	has "$got" CAP_NET_ADMIN "zsh: --cap-add CAP_NET_ -> capability names"
	unlike "$got" $'(^|\n)(CAP_[^N]|CAP_N[^E]|[^C])' "zsh: --cap-add CAP_NET_ -> only CAP_NET_*"
	got=$(zsh_got "$NAME --policy ")
	like "$got" $'(^|\n)build\n(.*\n)?test($|\n)' "zsh: --policy -> the shipped policies"
	has "$got" mine "zsh: --policy -> the user's own policies"
	is "$(zsh_got "$NAME --rlimit nofile 1024:2048 --ro-bind-t")" --ro-bind-try "zsh: after --rlimit NAME VALUE, options"
	is "$(zsh_got "$NAME --limit io-read-bps 8:0 1M --ro-bind-t")" --ro-bind-try \
		"zsh: --limit io-read-bps takes DEV and RATE"
	is "$(zsh_got "$NAME --limit io-write-bps /dev/nul")" null "zsh: --limit io-write-bps DEV -> a device's path"
	is "$(zsh_got "$NAME --chdir files/")" sub "zsh: --chdir -> directories only"
	is "$(zsh_got "$NAME --sync-fd ")" "" "zsh: --sync-fd FD -> nothing"
	has "$(zsh_got "$NAME --ro-bind /usr /usr tru")" true "zsh: the first word that is not an option -> a command"
	lacks "$(zsh_got "$NAME -- --ver")" --version "zsh: after --, no options of ours"
	is "$(zsh_got "bwrap --ro-b")" "$RO_B" "zsh: bwrap --ro-b -> the four --ro-bind options"
	is "$(zsh_got "bwrap --poli")" "" "zsh: bwrap has no --policy"
else
	skip "zsh" "zsh is not installed (Debian package zsh)"
fi

# --- fish ---------------------------------------------------------------------------------

# fish_complete FILE LINE...: "== LINE" and then `complete -C LINE`'s candidates (without
# their descriptions), for each LINE, with FILE sourced.
fish_complete() {
	fish -c 'source $argv[1]; or exit 1
	for line in $argv[2..-1]
		echo "== $line"
		complete -C "$line" | string replace -r "\t.*" ""
	end' "$@" 2>&1
}
fish_got() { awk -v l="== $1" '$0 == l { on = 1; next } /^== / { on = 0 } on' <<<"$FOUT" | sort -u; }

if command -v fish >/dev/null; then
	F="$C/$NAME.fish"
	out=$(fish --no-execute "$F" 2>&1)
	ok $? "fish: the file parses" "$out"
	FOUT=$(cd "$T" && fish_complete "$F" "$NAME --ro-b" "$NAME --cap-add CAP_NET_" "$NAME --policy " \
		"$NAME --rlimit nofile 1024:2048 --ro-bind-t" "$NAME --limit io-read-bps 8:0 1M --ro-bind-t" \
		"$NAME --chdir files/" "$NAME --sync-fd " "$NAME --ro-bind /usr /usr tru" "$NAME -- --ver" \
		"$NAME --limit io-write-bps /dev/nul")
	is "$(fish_got "$NAME --ro-b")" "$RO_B" "fish: --ro-b -> the four --ro-bind options"
	got=$(fish_got "$NAME --cap-add CAP_NET_")
	has "$got" CAP_NET_ADMIN "fish: --cap-add CAP_NET_ -> capability names"
	unlike "$got" $'(^|\n)(CAP_[^N]|CAP_N[^E]|[^C])' "fish: --cap-add CAP_NET_ -> only CAP_NET_*"
	got=$(fish_got "$NAME --policy ")
	like "$got" $'(^|\n)build\n(.*\n)?test($|\n)' "fish: --policy -> the shipped policies"
	has "$got" mine "fish: --policy -> the user's own policies"
	is "$(fish_got "$NAME --rlimit nofile 1024:2048 --ro-bind-t")" --ro-bind-try "fish: after --rlimit NAME VALUE, options"
	is "$(fish_got "$NAME --limit io-read-bps 8:0 1M --ro-bind-t")" --ro-bind-try \
		"fish: --limit io-read-bps takes DEV and RATE"
	is "$(fish_got "$NAME --limit io-write-bps /dev/nul")" /dev/null "fish: --limit io-write-bps DEV -> a device's path"
	is "$(fish_got "$NAME --chdir files/")" files/sub/ "fish: --chdir -> directories only"
	is "$(fish_got "$NAME --sync-fd ")" "" "fish: --sync-fd FD -> nothing"
	has "$(fish_got "$NAME --ro-bind /usr /usr tru")" true "fish: the first word that is not an option -> a command"
	lacks "$(fish_got "$NAME -- --ver")" --version "fish: after --, no options of ours"
	FOUT=$(fish_complete "$C/bwrap.fish" "bwrap --ro-b" "bwrap --poli")
	is "$(fish_got "bwrap --ro-b")" "$RO_B" "fish: bwrap --ro-b -> the four --ro-bind options"
	is "$(fish_got "bwrap --poli")" "" "fish: bwrap has no --policy"
else
	skip "fish" "fish is not installed (Debian package fish)"
fi

done_testing
