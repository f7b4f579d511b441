#!/usr/bin/env bash
# The README's integration examples, run as written there: make with a sandboxed SHELL,
# meson test --wrapper, ctest with a launcher, a CI step the way GitHub Actions runs a
# `shell:` line, and a shell script that wraps one command.
. "$(dirname "$0")/../lib/tap.sh"

# The examples call `sandbox` by name, as a user who installed it would.
export PATH="$STAGE/bin:$PATH"

# in_dir DIR COMMAND...: as the test user, from DIR (the policies bind ${PWD}).
in_dir() {
	local dir=$1
	shift
	local o e
	o=$(mktemp) e=$(mktemp)
	(cd "$dir" && as_user env PATH="$PATH" timeout 300 "$@") >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

project() { # project NAME: a fresh directory the test user owns
	local dir="$W/$1"
	mkdir -p "$dir"
	printf 'int main(void) { return 0; }\n' >"$dir/ok.c"
	echo "$dir"
}

# --- make: every recipe line in the sandbox ------------------------------------------------
P=$(project make)
cat >"$P/sandboxed-sh" <<'EOF'
#!/bin/sh
# make runs "$SHELL -c LINE": each recipe line runs in the build policy's sandbox.
exec sandbox --policy build -- /bin/sh "$@"
EOF
chmod 755 "$P/sandboxed-sh"
printf 'all:\n\tcc -o ok ok.c\n\t./ok\n\ttouch %s/escaped || true\n\techo recipe-ran\n' "$W" >"$P/Makefile"
chmod -R a+rwX "$P"
in_dir "$P" make SHELL=./sandboxed-sh
like "$RC $OUT" "^0 .*recipe-ran" "make SHELL=./sandboxed-sh: the recipes run, each in the sandbox"
[[ ! -e $W/escaped && -x $P/ok ]]
ok $? "make: the recipe wrote in the project and nowhere else"

# --- meson test --wrapper ----------------------------------------------------------------
P=$(project meson)
cat >"$P/meson.build" <<'EOF'
project('demo', 'c')
test('ok', executable('ok', 'ok.c'))
test('isolated', find_program('sh'), args: ['-c', 'test ! -e /etc/shadow'])
EOF
chmod -R a+rwX "$P"
in_dir "$P" sh -c 'meson setup build >/dev/null && meson test -C build --wrapper "sandbox --policy test --"'
like "$RC $OUT" "^0 .*Ok: *2" "meson test --wrapper 'sandbox --policy test --': both tests pass inside"

# --- ctest with a launcher ----------------------------------------------------------------
P=$(project cmake)
cat >"$P/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(demo C)
enable_testing()
add_executable(ok ok.c)
add_test(NAME ok COMMAND ok)
EOF
chmod -R a+rwX "$P"
in_dir "$P" sh -c 'cmake -S . -B build -DCMAKE_CROSSCOMPILING_EMULATOR="sandbox;--policy;test;--" >/dev/null &&
	cmake --build build >/dev/null && cd build && ctest --output-on-failure'
like "$RC $OUT" "^0 .*100% tests passed" "ctest: CMAKE_CROSSCOMPILING_EMULATOR runs each test in the sandbox"

# --- a CI step: GitHub Actions writes the step to a file ({0}) outside the checkout ------
P=$(project ci)
STEP=$(mktemp "$W/step-XXXXXX.sh")
printf 'set -e\ncc -o ok ok.c\n./ok\necho step-ran\n' >"$STEP"
chmod -R a+rwX "$P" "$STEP"
# shell: sandbox --policy build --ro-bind {0} {0} -- bash -e {0}
in_dir "$P" sandbox --policy build --ro-bind "$STEP" "$STEP" -- bash -e "$STEP"
like "$RC $OUT" "^0 step-ran" "a CI step as a GitHub Actions 'shell:' line, the step's file bound read-only"
in_dir "$P" sandbox --policy build -- bash -e "$STEP"
like "$RC $ERR" "^[1-9][0-9]* .*$STEP: No such file" "without the bind the step's file isn't there (why the README's line binds it)"

# --- a shell script that sandboxes one command ---------------------------------------------
P=$(project script)
cat >"$P/run-untrusted" <<'EOF'
#!/bin/sh
# Run an untrusted tool on the current directory: no network, nothing else writable.
set -e
sandbox --policy build -- "$@"
echo "exit: $?"
EOF
chmod 755 "$P/run-untrusted"
chmod -R a+rwX "$P"
in_dir "$P" ./run-untrusted sh -c 'echo in-sandbox; test ! -e /etc/shadow'
is "$RC $OUT" "0 in-sandbox
exit: 0" "a script wraps one command; the sandbox's exit status is the command's"
in_dir "$P" ./run-untrusted sh -c 'exit 3'
is "$RC" 3 "and a failing command fails the script (set -e)"

done_testing
