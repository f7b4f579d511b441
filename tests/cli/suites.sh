#!/usr/bin/env bash
# Real test suites under the shipped test policy, as users run them: four modules of Python's
# own test suite (Debian's libpython3.11-testsuite) and a small prove suite in shell and Perl.
# Each runs outside too, as the control: inside, they need the caller's passwd and group
# entries, a writable $HOME, localhost, and EPERM (not EINVAL) for ids that aren't mapped.
. "$(dirname "$0")/../lib/tap.sh"

H="$W/home" # the caller's home, where the policy puts an empty one
P="$H/proj" # the project, where sandbox starts
mkdir -p "$P/t"
MODULES=(test_grp test_posix test_shutil test_subprocess)

# outside|inside COMMAND...: from the project, as the test user, with HOME=$H; inside, under
# --policy test.
outside() { (cd "$P" && as_user env HOME="$H" "$@"); }
inside() { (cd "$P" && as_user env HOME="$H" timeout 300 "$SB" --policy test -- "$@"); }

# prove: the suite a project keeps in t/, in shell (perl runs the interpreter its #! names) and Perl.
cat >"$P/t/shell.t" <<'EOF'
#!/bin/bash
echo 1..6
n=0
t() {
	n=$((n + 1))
	if eval "$1" >/dev/null 2>&1; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
t 'whoami' 'whoami names me'
t '[ "$(id -un)" = "$(whoami)" ] && id -gn' 'id names me and my group'
t 'test -d ~ && test -w ~ && touch ~/.made' 'my home is a writable directory'
t 'git config --global user.email t@example.org && [ "$(git config --global user.email)" = t@example.org ]' \
	'git config --global'
t 'getent hosts localhost' 'localhost resolves'
t 'f=$(mktemp) && rm "$f"' 'mktemp'
EOF
cat >"$P/t/perl.t" <<'EOF'
use strict;
use warnings;
use Test::More tests => 4;
my @me = getpwuid($<);
ok(@me, 'getpwuid finds me');
ok(-d $ENV{HOME} && -w $ENV{HOME}, 'HOME is a writable directory');
my ($gid) = split ' ', $(;
ok(defined getgrgid($gid), 'my group has an entry');
ok(scalar gethostbyname('localhost'), 'localhost resolves');
EOF
chmod -R a+rwX "$H"

if ! command -v prove >/dev/null || ! command -v git >/dev/null; then
	skip "prove suite" "prove (perl) or git is not installed"
else
	out=$(outside prove t/ 2>&1)
	like "$out" "Result: PASS" "prove: the suite passes outside (the control)"
	out=$(inside prove t/ 2>&1)
	like "$out" "Result: PASS" "prove: and inside --policy test" "$out"
fi

# Python's own tests. Both runs at once: test_subprocess alone takes some 40 s.
if ! "$PY" -c 'import test.test_grp, test.test_subprocess' 2>/dev/null; then
	skip "Python's test suite" "its modules are not installed (Debian: libpython3.11-testsuite)"
else
	outside "$PY" -m test -j0 "${MODULES[@]}" >"$W/outside.log" 2>&1 &
	control=$!
	inside "$PY" -m test -j0 "${MODULES[@]}" >"$W/inside.log" 2>&1
	rc=$?
	wait "$control"
	crc=$?
	is "$crc" 0 "python3 -m test ${MODULES[*]}: passes outside (the control)" "$(tail -n 15 "$W/outside.log")"
	is "$rc" 0 "python3 -m test ${MODULES[*]}: passes inside --policy test" "$(tail -n 30 "$W/inside.log")"
	like "$(cat "$W/inside.log")" "All 4 tests OK" "... all four of them"
fi

done_testing
