#!/usr/bin/env bash
# What learn mode costs on a real workload: configuring and building a small C project (a
# configure script that probes the compiler, then make -j1 over 12 files) inside --ro-bind / /,
# with --learn and without, the two alternating round by round (the order swapped each round),
# as the caller. Prints the median wall time of each and their ratio, and the learned policy's
# size. Never fails on the figures (no timed assertions); non-zero only if it can't run.
#
# Environment: SANDBOX (default build/sandbox), BENCH_ROUNDS (default 5), CC (default cc).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
case ${1:-} in
"") ;;
-h | --help)
	sed -n '2,8s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "learn.sh: unknown argument '$1' (try --help)" >&2
	exit 2
	;;
esac

sandbox=${SANDBOX:-$root/build/sandbox}
rounds=${BENCH_ROUNDS:-5}
cc=${CC:-cc}
if [[ ! -x $sandbox ]]; then
	echo "learn.sh: $sandbox not found; build first (meson setup build && meson compile -C build)" >&2
	exit 1
fi
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1)); then
	echo "learn.sh: BENCH_ROUNDS=$rounds is not a positive number" >&2
	exit 2
fi
if ! command -v "$cc" >/dev/null || ! command -v make >/dev/null; then
	echo "learn.sh: needs $cc and make" >&2
	exit 1
fi

work=$(mktemp -d /tmp/sandbox-bench-learn.XXXXXX)
trap 'rm -rf "$work"' EXIT
proj=$work/proj
mkdir -p "$proj"
# The project: a configure script in autoconf's manner, and a dozen translation units.
cat >"$proj/configure" <<'SH'
#!/bin/sh
set -e
for header in stdio.h stdlib.h string.h unistd.h math.h; do
	printf '#include <%s>\nint main(void) { return 0; }\n' "$header" >conftest.c
	${CC:-cc} -o conftest conftest.c && echo "checking for $header... yes"
done
rm -f conftest conftest.c
echo "CC = ${CC:-cc}" >config.mk
SH
chmod +x "$proj/configure"
objs=
for i in $(seq 1 12); do
	printf '#include <math.h>\n#include <stdio.h>\ndouble f%d(double x) { return sin(x) * %d + sqrt(x); }\n' \
		"$i" "$i" >"$proj/f$i.c"
	objs="$objs f$i.o"
done
printf 'int main(void) { return 0; }\n' >"$proj/main.c"
printf 'include config.mk\nprog: main.o%s\n\t$(CC) -o $@ $^ -lm\n%%.o: %%.c\n\t$(CC) -O2 -c $<\nclean:\n\trm -f prog *.o\n' \
	"$objs" >"$proj/Makefile"

opts=(--ro-bind / / --proc /proc --dev /dev --tmpfs /tmp --bind "$proj" "$proj" --chdir "$proj")
job="CC=$cc ./configure >/dev/null && make clean >/dev/null && make -j1 >/dev/null"

# run_once [--learn FILE]: the wall time of one build, in microseconds.
run_once() {
	local start end
	start=${EPOCHREALTIME/./}
	"$sandbox" "${opts[@]}" "$@" -- sh -c "$job" </dev/null
	end=${EPOCHREALTIME/./}
	echo $((end - start))
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

plain=() learning=()
run_once >/dev/null # warm the caches: the first build reads the toolchain from disk
for ((r = 0; r < rounds; r++)); do
	if ((r % 2)); then
		learning+=("$(run_once --learn "$work/learned.policy")")
		plain+=("$(run_once)")
	else
		plain+=("$(run_once)")
		learning+=("$(run_once --learn "$work/learned.policy")")
	fi
done
p=$(printf '%s\n' "${plain[@]}" | median)
l=$(printf '%s\n' "${learning[@]}" | median)
calls=$(sed -n 's/^# \([0-9]*\) syscalls and \([0-9]*\) paths seen.*/\1 syscalls, \2 paths/p' "$work/learned.policy")
echo "learn mode on a C build (configure + make, $rounds rounds each, alternating, median):"
printf '  without --learn  %8.3f s\n' "$(awk -v t="$p" 'BEGIN { print t / 1e6 }')"
printf '  with --learn     %8.3f s   (%s recorded)\n' "$(awk -v t="$l" 'BEGIN { print t / 1e6 }')" "$calls"
printf '  ratio            %8.2f\n' "$(awk -v a="$l" -v b="$p" 'BEGIN { print a / b }')"
echo "  learned policy: $(grep -c -v '^#' "$work/learned.policy") lines ($(grep -c '^syscall allow' "$work/learned.policy") syscall allow lines, $(grep -c -E '^(ro-bind|bind|tmpfs|proc|dev|symlink|dir) ' "$work/learned.policy") mount lines)"
# The learned policy builds the project again: what it is for.
if "$sandbox" --policy "$work/learned.policy" --chdir "$proj" -- sh -c "$job" </dev/null; then
	echo "  the learned policy builds the project again: yes"
else
	echo "  the learned policy builds the project again: NO (exit $?)"
fi
