#!/usr/bin/env bash
# Policy files: the command line written down, found on the search path, printed back.
. "$(dirname "$0")/../lib/tap.sh"

P="$STAGE/policies"
mkdir -p "$P" "$STAGE/config/sandbox/policies"
cat >"$P/system.policy" <<'POL'
# the host's programs, read-only
ro-bind /usr /usr
symlink usr/bin /bin
symlink usr/lib /lib
symlink usr/lib64 /lib64   # a comment after a directive
POL
cat >"$P/run.policy" <<'POL'
include system
unshare-pid
proc /proc
setenv GREETING "hello, ${UID} \"quoted\" \$literal"
setenv WHO 'single ${quoted}'
POL
cat >"$STAGE/config/sandbox/policies/mine.policy" <<'POL'
include /ABSOLUTE/system.policy
hostname from-user-dir
unshare-uts
POL
sed -i "s|/ABSOLUTE|$P|" "$STAGE/config/sandbox/policies/mine.policy"
printf 'ro-bind /usr /usr\nunshar-pid\n' >"$P/typo.policy"
printf 'include loop2\n' >"$P/loop1.policy"
printf 'include loop1\n' >"$P/loop2.policy"
printf 'include system\nuid nobody-number\n' >"$P/badnum.policy"
chmod -R a+rX "$STAGE/policies" "$STAGE/config"

uid=$(as_user id -u)
sb --policy "$P/run.policy" -- sh -c 'echo "$GREETING"; echo "$WHO"; ls / | tr "\n" " "; echo $$'
is "$OUT" "hello, $uid \"quoted\" \$literal
single \${quoted}
bin lib lib64 proc usr 2" "--policy PATH: includes, quoting, \${UID}, the directives applied"

sb --policy "$P/run.policy" --tmpfs /tmp -- ls /
like "$OUT" "tmp" "options after --policy apply after it"

_run as_user env XDG_CONFIG_HOME="$STAGE/config" timeout 60 "$SB" --policy mine -- hostname
is "$OUT" "from-user-dir" "--policy NAME is found in \$XDG_CONFIG_HOME/sandbox/policies"

sb --policy nonexistent-policy-name -- true
is "$RC" 125 "a policy that is nowhere: exit 125"
like "$ERR" "^sandbox: --policy nonexistent-policy-name: No such file or directory" "and says so"
like "$ERR" "hint: searched " "with the places searched"

sb --policy "$P/typo.policy" -- true
is "$RC" 125 "a typo: exit 125"
is "$ERR" "sandbox: $P/typo.policy:2:1: unknown directive 'unshar-pid' (did you mean 'unshare-pid'?)" "a typo: file:line:column and a suggestion"
sb --policy "$P/badnum.policy" -- true
is "$ERR" "sandbox: $P/badnum.policy:2:1: --uid: 'nobody-number' is not a valid id (0 to 4294967294)" "a bad value: the option's message, located"
sb --policy "$P/loop1.policy" -- true
like "$ERR" "includes itself" "include cycles are refused"
bw --policy "$P/typo.policy" -- true
is "$RC" 1 "as bwrap, a policy error exits 1"

# --print-policy: loads back to the same plan.
sb --policy "$P/run.policy" --bind "$W" "/with space" --setenv X 'a"b$c' --print-policy
printed=$OUT
is "$RC" 0 "--print-policy prints without running"
like "$printed" "ro-bind /usr /usr
symlink usr/bin /bin" "--print-policy flattens includes"
printf '%s\n' "$printed" >"$W/printed.policy"
sb --policy "$W/printed.policy" --print-policy
is "$OUT" "$printed" "--print-policy output loads back to the same policy"
sb --policy "$W/printed.policy" -- sh -c 'echo "$X"; ls -d "/with space"'
is "$OUT" 'a"b$c
/with space' "and the printed policy runs the same sandbox"

# A built-in policy's includes come from the search path or the binary, never from a directory
# named after it in the current one (a sandboxed build step with a writable cwd could plant it).
mkdir -p "$STAGE/(built in)"
printf 'setenv PLANTED yes\n' >"$STAGE/(built in)/default.policy"
sbd --policy build --print-policy
unlike "$OUT" "PLANTED" "the built-in build policy's 'include default' is not read from ./(built in)/"
like "$OUT" "syscall deny @keyring" "and the built-in default applies" "$OUT"
rm -r "$STAGE/(built in)"

sb --check-policy "$P/run.policy"
is "$RC $OUT" "0 $P/run.policy: ok" "--check-policy: a good policy"
sb --check-policy "$P/typo.policy"
is "$RC" 125 "--check-policy: a bad policy exits 125"
like "$ERR" "typo.policy:2:1: unknown directive" "--check-policy: with file:line"

# ---- the default policy under every --policy ----
printf 'include system\nunshare-pid\nproc /proc\n' >"$P/plain.policy"
printf 'include plain\nno-default-policy\n' >"$P/nodefault.policy"
printf 'include default\ninclude plain\n' >"$P/withdefault.policy"
chmod a+r "$P"/*.policy
sbd --policy "$P/plain.policy" -- unshare -U true
like "$RC $ERR" "^1 unshare: unshare failed: Operation not permitted" "a policy without 'include default' still denies unshare -U"
sbd --policy "$P/plain.policy" -- sh -c 'grep Seccomp: /proc/self/status | tr -s "\t" " "'
is "$OUT" "Seccomp: 2" "... under the default's seccomp filter"
sbd --policy "$P/nodefault.policy" -- unshare -U true
is "$RC" 0 "a policy that says no-default-policy (here after an include) turns it off"
sbd --no-default-policy --policy "$P/plain.policy" -- unshare -U true
is "$RC" 0 "--no-default-policy on the command line turns it off under a policy too"
bw --policy "$P/plain.policy" -- unshare -U true
is "$RC" 0 "as bwrap, a policy gets no default policy"
sbd --policy "$P/plain.policy" --print-policy
printed=$OUT
is "$(grep -c '^include default$' <<<"$printed")" 1 "--print-policy: the default applies as one 'include default' line"
is "$(sed -n '$p' <<<"$(grep -v '^#' <<<"$printed")")" "include default" "... last, after the options, where it applies"
has "$printed" "#   syscall deny unshare if arg0 &CLONE_NEWUSER == CLONE_NEWUSER" "... its directives shown as comments under it"
lacks "$printed" "no-default-policy" "... and no no-default-policy"
printf '%s\n' "$printed" >"$W/printed-default.policy"
chmod a+r "$W/printed-default.policy"
sbd --policy "$W/printed-default.policy" --print-policy
is "$OUT" "$printed" "the printed policy loads back to the same policy, the default applied once"
sbd --policy "$W/printed-default.policy" -- unshare -U true
is "$RC" 1 "... and still denies unshare -U"
sbd --policy "$P/withdefault.policy" --print-policy
is "$(grep -c '^include default$' <<<"$OUT")" 1 "a policy that includes the default gets it once, where it includes it"
is "$(grep -v '^#' <<<"$OUT" | sed -n 1p)" "include default" "... first, as written"
sbd --policy "$P/nodefault.policy" --print-policy
is "$(grep -v '^#' <<<"$OUT" | sed -n 1p)" "no-default-policy" "--print-policy: no-default-policy, said once, first"
lacks "$OUT" "include default" "... and no default"
printf '%s\n' "$OUT" >"$W/printed-nodefault.policy"
chmod a+r "$W/printed-nodefault.policy"
printed=$OUT
sbd --no-default-policy --policy "$W/printed-nodefault.policy" --print-policy
is "$OUT" "$printed" "no-default-policy on the command line and in the policy: printed once, loads back the same"
bw --policy "$P/plain.policy" --print-policy
is "$(grep -v '^#' <<<"$OUT" | sed -n 1p)" "no-default-policy" "as bwrap, --print-policy says the default is off"

# ---- finding policies ----
# In the current directory (the sandbox runs from $STAGE): a name ending in .policy is a path.
printf 'setenv FROM here\n' >"$STAGE/here.policy"
chmod a+r "$STAGE/here.policy"
sb "${SYSTEM[@]}" --policy here.policy -- sh -c 'echo $FROM'
is "$RC $OUT" "0 here" "--policy FILE.policy in the current directory"
sb "${SYSTEM[@]}" --policy ./here.policy -- sh -c 'echo $FROM'
is "$RC $OUT" "0 here" "--policy ./FILE.policy"
sb --policy here -- true
is "$RC" 125 "a bare name is not looked for in the current directory"
like "$ERR" "hint: a bare name is only searched for .*: for ./here.policy, write a path: --policy ./here.policy" \
	"... and the hint says how to give the file there"
# An untrusted current directory can't replace a shipped policy.
printf 'setenv PLANTED yes\nno-default-policy\n' >"$STAGE/build"
cp "$STAGE/build" "$STAGE/build.policy"
chmod a+r "$STAGE/build" "$STAGE/build.policy"
sbd --policy build --print-policy
lacks "$OUT" "PLANTED" "--policy build: neither ./build nor ./build.policy stands in for the shipped one"
like "$OUT" "unshare-net" "... the shipped build applies"
rm -f "$STAGE/build" "$STAGE/build.policy" "$STAGE/here.policy"
sb --policy biuld -- true
like "$RC $ERR" "^125 sandbox: --policy biuld: No such file or directory" "a misspelt policy name: exit 125"
has "$ERR" "hint: did you mean 'build'?" "... with the closest shipped one"
# Cycles are the same file, however it is named.
printf 'include ./self.policy\n' >"$P/self.policy"
printf 'include ../policies/./via-link.policy\n' >"$P/via.policy"
ln -sf via.policy "$P/via-link.policy"
chmod a+r "$P"/*.policy
sb --policy "$P/self.policy" -- true
like "$RC $ERR" "^125 sandbox: $P/self.policy:1:1: include ./self.policy: $P/./self.policy includes itself" \
	"include ./self.policy: a cycle"
sb --policy "$P/via.policy" -- true
like "$RC $ERR" "^125 sandbox: $P/via.policy:1:1: include \.\./policies/\./via-link.policy: .* includes itself" \
	"a symlink to the including file: a cycle"

# ---- --check-policy checks bind sources; run-time errors name file:line ----
printf 'ro-bind /usr /usr\nbind-try /nonexistent/try /try\n# a comment\nro-bind /nonexistent/src /x\n' >"$P/missing.policy"
printf 'include missing\n' >"$P/outer.policy"
chmod a+r "$P"/*.policy
sb --check-policy "$P/missing.policy"
is "$RC $ERR" "125 sandbox: $P/missing.policy:4: --ro-bind /nonexistent/src /x: No such file or directory" \
	"--check-policy: a missing bind source, with the directive's file:line (a -try one may be missing)"
sb --check-policy "$P/outer.policy"
is "$ERR" "sandbox: $P/missing.policy:4: --ro-bind /nonexistent/src /x: No such file or directory" \
	"... in an included file: that file's line"
sb --policy "$P/missing.policy" -- true
is "$RC $ERR" "125 sandbox: $P/missing.policy:4: --ro-bind /nonexistent/src /x: No such file or directory" \
	"at launch: the same error, with the same file:line"
printf 'overlay-src /nonexistent/layer\noverlay-src /usr\nro-overlay /o\n' >"$P/layer.policy"
chmod a+r "$P/layer.policy"
sb --check-policy "$P/layer.policy"
is "$RC $ERR" "125 sandbox: $P/layer.policy:3: --ro-overlay /o: overlay layer /nonexistent/layer: No such file or directory" \
	"--check-policy: a missing overlay layer"
sb --ro-bind /nonexistent/src /x -- true
is "$ERR" "sandbox: --ro-bind /nonexistent/src /x: No such file or directory" "an option's error has no file:line"
bw --policy "$P/missing.policy" -- true
is "$RC $ERR" "1 bwrap: Can't find source path /nonexistent/src: No such file or directory" "as bwrap, bubblewrap's words"

done_testing
