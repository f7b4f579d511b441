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
sb --policy build --print-policy
unlike "$OUT" "PLANTED" "the built-in build policy's 'include default' is not read from ./(built in)/"
like "$OUT" "seccomp|syscall" "and it still includes the built-in default" "$OUT"
rm -r "$STAGE/(built in)"

sb --check-policy "$P/run.policy"
is "$RC $OUT" "0 $P/run.policy: ok" "--check-policy: a good policy"
sb --check-policy "$P/typo.policy"
is "$RC" 125 "--check-policy: a bad policy exits 125"
like "$ERR" "typo.policy:2:1: unknown directive" "--check-policy: with file:line"

done_testing
