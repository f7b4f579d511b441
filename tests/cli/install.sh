#!/usr/bin/env bash
# What `meson install` puts where: the command under -Dprogram_name (Debian's
# policycoreutils-python-utils has a /usr/bin/sandbox of its own), its man page, the bwrap
# symlink and the shell completions, which follow the name. One configuration is built and
# installed into a DESTDIR (only what it installs is compiled); the others are read from
# meson's install plan without building.
. "$(dirname "$0")/../lib/tap.sh"

SRC=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v meson >/dev/null || ! command -v ninja >/dev/null; then
	skip "install" "meson and ninja are not installed"
	done_testing
	exit
fi
have_scdoc=false
command -v scdoc >/dev/null && have_scdoc=true

# configure DIR OPTIONS...: a fresh build dir for the checkout, prefix /usr.
configure() {
	local dir=$1 out
	shift
	out=$(meson setup "$dir" "$SRC" --prefix=/usr "$@" 2>&1)
	ok $? "meson setup $*" "$out"
}

# plan DIR: where each installed file goes, "DEST" one a line, sorted (meson's install plan).
plan() {
	meson introspect "$1" --installed | "$PY" -c 'import json, sys
for dest in sorted(json.load(sys.stdin).values()):
    print(dest)'
}

# listed PLAN PATH NAME: PATH is one of the lines of PLAN.
listed() {
	grep -qxF -- "$2" <<<"$1"
	ok $? "$3" "not in the install plan:" "$1"
}

# --- one renamed and installed: -Dprogram_name=sandbox-ns, with the bwrap symlink -----------
A="$STAGE/build-ns"
D="$STAGE/dest"
configure "$A" -Dprogram_name=sandbox-ns -Dbwrap_symlink=true
# Only what is installed is built: the tests and fuzzers are not needed here.
mapfile -t targets < <(meson introspect "$A" --targets | "$PY" -c 'import json, os, sys
for t in json.load(sys.stdin):
    if t["installed"]:
        for f in t["filename"]:
            print(os.path.relpath(f, sys.argv[1]))' "$A")
out=$(ninja -C "$A" "${targets[@]}" 2>&1)
ok $? "the installed targets build" "$(tail -n 20 <<<"$out")"
out=$(DESTDIR="$D" meson install -C "$A" --no-rebuild --quiet 2>&1)
ok $? "meson install --destdir" "$out"

[[ -f $D/usr/bin/sandbox-ns && -x $D/usr/bin/sandbox-ns ]]
ok $? "bin/sandbox-ns is installed"
[[ ! -e $D/usr/bin/sandbox ]]
ok $? "bin/sandbox is not"
is "$(readlink "$D/usr/bin/bwrap")" sandbox-ns "bin/bwrap is a symlink to sandbox-ns"
if $have_scdoc; then
	[[ -s $D/usr/share/man/man1/sandbox-ns.1 && ! -e $D/usr/share/man/man1/sandbox.1 ]]
	ok $? "the man page is man1/sandbox-ns.1"
	[[ -s $D/usr/share/man/man5/sandbox.policy.5 ]]
	ok $? "the policy format's page keeps its name: man5/sandbox.policy.5"
else
	skip "the man pages" "scdoc is not installed"
fi
for f in default build shell test desktop; do
	[[ -s $D/usr/share/sandbox/policies/$f.policy ]] || break
done
ok $? "the shipped policies are in share/sandbox/policies"
has "$(cat "$D/usr/share/bash-completion/completions/sandbox-ns" 2>&1)" "complete -F _sandbox_ns sandbox-ns" \
	"bash completion: share/bash-completion/completions/sandbox-ns, for sandbox-ns"
has "$(head -n 1 "$D/usr/share/zsh/vendor-completions/_sandbox-ns" 2>&1)" "#compdef sandbox-ns" \
	"zsh completion: share/zsh/vendor-completions/_sandbox-ns, for sandbox-ns"
has "$(cat "$D/usr/share/fish/vendor_completions.d/sandbox-ns.fish" 2>&1)" "complete -c sandbox-ns " \
	"fish completion: share/fish/vendor_completions.d/sandbox-ns.fish, for sandbox-ns"
for f in bash-completion/completions/bwrap zsh/vendor-completions/_bwrap fish/vendor_completions.d/bwrap.fish; do
	[[ -s $D/usr/share/$f ]] || break
done
ok $? "with the bwrap symlink, bwrap's completions are installed too"
is "$(find "$D" ! -type d \( -name sandbox -o -name _sandbox -o -name sandbox.fish -o -name sandbox.1 \))" "" \
	"nothing is installed under the default name"
# The installed completion completes the installed name (bash's, without bash-completion).
got=$(bash --norc --noprofile -c '. "$1" || exit 1
	COMP_WORDS=(sandbox-ns --ro-b) COMP_CWORD=1 COMP_LINE="sandbox-ns --ro-b" COMP_POINT=17
	_sandbox_ns 2>/dev/null
	printf "%s\n" "${COMPREPLY[@]}"' bash "$D/usr/share/bash-completion/completions/sandbox-ns" | sort)
is "$got" "$(printf '%s\n' --ro-bind --ro-bind-data --ro-bind-fd --ro-bind-try)" \
	"the installed bash completion completes sandbox-ns --ro-b"

# The installed binary runs under its new name, as an unprivileged user, and is sandbox (not
# bwrap): its own errors exit 125. Under the bwrap symlink it is bwrap.
cp "$D/usr/bin/sandbox-ns" "$STAGE/bin/sandbox-ns"
mkdir -p "$STAGE/bwrap-dir" && ln -s ../bin/sandbox-ns "$STAGE/bwrap-dir/bwrap"
chmod 755 "$STAGE/bin/sandbox-ns" "$STAGE/bwrap-dir"
_run as_user "$STAGE/bin/sandbox-ns" --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
	--symlink usr/lib64 /lib64 true
is "$RC" 0 "the installed sandbox-ns runs a command as uid $(as_user id -u)"
_run as_user "$STAGE/bin/sandbox-ns" --version
like "$OUT" "^sandbox [0-9]" "sandbox-ns --version: it is sandbox"
_run as_user "$STAGE/bin/sandbox-ns" --no-such-option
is "$RC" 125 "sandbox-ns: its own errors exit 125, as sandbox's"
_run as_user "$STAGE/bwrap-dir/bwrap" --no-such-option
is "$RC" 1 "the same binary as bwrap: its own errors exit 1, as bubblewrap's"

# --- the defaults: bin/sandbox, no bwrap symlink, no bwrap completions -----------------------
configure "$STAGE/build-default"
P=$(plan "$STAGE/build-default")
for f in /usr/bin/sandbox /usr/share/bash-completion/completions/sandbox /usr/share/zsh/vendor-completions/_sandbox \
	/usr/share/fish/vendor_completions.d/sandbox.fish; do
	listed "$P" "$f" "default: $f"
done
if $have_scdoc; then listed "$P" /usr/share/man/man1/sandbox.1 "default: /usr/share/man/man1/sandbox.1"; fi
unlike "$P" "bwrap" "default: no bwrap symlink and no bwrap completions (the bubblewrap package has them)"

# --- the completion options: bwrap's turned off, one shell's left out, one elsewhere -----------
configure "$STAGE/build-opts" -Dbwrap_symlink=true -Dbwrap_completions=disabled -Dzsh_completions_dir=no \
	-Dfish_completions_dir=/opt/fish
P=$(plan "$STAGE/build-opts")
listed "$P" /usr/bin/bwrap "-Dbwrap_symlink=true: bin/bwrap"
unlike "$P" "completions.*bwrap" "-Dbwrap_completions=disabled: no bwrap completions"
unlike "$P" "zsh" "-Dzsh_completions_dir=no: no zsh completion"
listed "$P" /opt/fish/sandbox.fish "-Dfish_completions_dir=/opt/fish"

# --- a name that can't be: bwrap ------------------------------------------------------------
out=$(meson setup "$STAGE/build-bad" "$SRC" -Dprogram_name=bwrap 2>&1)
[[ $? -ne 0 && $out == *"program_name=bwrap"* ]]
ok $? "-Dprogram_name=bwrap is refused" "$out"

done_testing
