#!/usr/bin/env bash
# Startup benchmark: how long does it take to start a sandbox that runs /bin/true, for
# build/sandbox (as bwrap and as sandbox) and for bubblewrap, run alternately as an
# unprivileged user? tests/bench/speed.py prints wall time, CPU per launch, throughput in a
# row and at once, and peak RSS, each as a ratio to bubblewrap in the same run, the floor
# (unshare) included, and what was left behind. Never fails on the figures (no timed
# assertions): non-zero only if the benchmark can't run or something was left behind.
#
# Usage: tests/bench/startup.sh            the figures
#        tests/bench/startup.sh --profile  where the time goes in ours: syscalls (strace) and
#                                          the dynamic loader (LD_DEBUG=statistics)
#        tests/bench/startup.sh --faults   page faults per process of a launch, ours and
#                                          bubblewrap's (perf record; root): what a launch pays
#                                          most for in a guest whose page tables the host shadows
#        tests/bench/startup.sh --binds    how launch time grows with the number of read-only
#                                          binds (50, 200, 800): linear, or quadratic
# Environment: SANDBOX (default build/sandbox), BWRAP (default /usr/bin/bwrap),
#              BENCH_ITERATIONS (alternating rounds, default 100), BENCH_LOOP (launches per
#              tool for CPU, in 5 alternating blocks, 100), BENCH_SEQUENTIAL (in a row, 1000), BENCH_PARALLEL (at once, 100).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
mode="time"
case ${1:-} in
"") ;;
--profile) mode=profile ;;
--faults) mode=faults ;;
--binds) mode=binds ;;
-h | --help)
	sed -n '2,19s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "startup.sh: unknown argument '$1' (try --help)" >&2
	exit 2
	;;
esac

sandbox=${SANDBOX:-$root/build/sandbox}
bwrap=${BWRAP:-/usr/bin/bwrap}
iterations=${BENCH_ITERATIONS:-100}
if [[ ! -x $sandbox ]]; then
	echo "startup.sh: $sandbox not found; build first (meson setup build && meson compile -C build)" >&2
	exit 1
fi
if ! [[ $iterations =~ ^[0-9]+$ ]] || ((iterations < 1)); then
	echo "startup.sh: BENCH_ITERATIONS='$iterations' is not a positive number" >&2
	exit 2
fi

# The unprivileged user can't necessarily enter the checkout: stage the binary in a
# world-readable directory.
stage=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
cp "$sandbox" "$stage/sandbox"
chmod 755 "$stage/sandbox"
have_bwrap=true
[[ -x $bwrap ]] || have_bwrap=false

# Run as an unprivileged user: as root, drop to nobody (65534).
as_user=()
if [[ $EUID -eq 0 ]]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
cd /
run_user() {
	"${as_user[@]}" env -i PATH=/usr/bin:/bin HOME=/ LANG=C.UTF-8 "$@"
}

args=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64
	--proc /proc --dev /dev --unshare-all --die-with-parent /bin/true)

if [[ $mode == binds ]]; then
	tools=("sandbox=$stage/sandbox --no-default-policy")
	$have_bwrap && tools+=("bwrap=$bwrap")
	run_user python3 - "${tools[@]}" <<'PY'
import statistics, subprocess, sys, time

tools = [(n, p.split()) for n, p in (t.split("=", 1) for t in sys.argv[1:])]
base = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64"]
print("launch time against the number of --ro-bind operations (median of 3):")
for n in (50, 200, 800):
    binds = [a for i in range(n) for a in ("--ro-bind", "/usr/share", f"/b/{i}")]
    row = []
    for name, path in tools:
        times = []
        for _ in range(3):
            start = time.perf_counter_ns()
            r = subprocess.run(path + base + binds + ["/bin/true"], stdin=subprocess.DEVNULL,
                               capture_output=True)
            times.append(time.perf_counter_ns() - start)
            if r.returncode != 0:
                print(f"  {name}: exit status {r.returncode}: {r.stderr.decode()[:200]}")
                break
        row.append(f"{name} {statistics.median(times) / 1e6:8.1f} ms")
    print(f"  {n:4} binds: " + "   ".join(row))
PY
	exit 0
fi

if [[ $mode == time ]]; then
	if ! $have_bwrap; then
		echo "startup.sh: $bwrap not found: nothing to compare with (apt-get install bubblewrap)" >&2
		exit 1
	fi
	# Ours under the name bwrap: bubblewrap's semantics, no default policy.
	ln -s sandbox "$stage/bwrap"
	cp "$root/tests/bench/speed.py" "$stage/speed.py"
	chmod 644 "$stage/speed.py"
	run_user python3 "$stage/speed.py" --stage "$stage" --bwrap "$bwrap" --rounds "$iterations" \
		--loop "${BENCH_LOOP:-100}" --sequential "${BENCH_SEQUENTIAL:-1000}" --parallel "${BENCH_PARALLEL:-100}"
	exit
fi

if [[ $mode == faults ]]; then
	# perf records every process of the launch from outside, so it must run as root (or with
	# kernel.perf_event_paranoid at -1) and drop to the unprivileged user inside.
	if ! command -v perf >/dev/null || [[ $EUID -ne 0 ]]; then
		echo "startup.sh: --faults needs perf (apt-get install linux-perf) and root" >&2
		exit 1
	fi
	ln -s sandbox "$stage/bwrap"
	chmod 777 "$stage"
	echo "page faults per launch, by process in the order they start (median of 5 launches):"
	for tool in "$bwrap" "$stage/bwrap" "$stage/sandbox" "/usr/bin/unshare -Urmpinu --fork /bin/true"; do
		counts=()
		for _ in 1 2 3 4 5; do
			if [[ $tool == /usr/bin/unshare* ]]; then
				# shellcheck disable=SC2086 # the floor's arguments, split on purpose
				perf record -q -o "$stage/faults.data" -e page-faults -c 1 -- "${as_user[@]}" \
					env -i PATH=/usr/bin:/bin HOME=/ $tool </dev/null >/dev/null 2>&1 || true
			else
				perf record -q -o "$stage/faults.data" -e page-faults -c 1 -- "${as_user[@]}" \
					env -i PATH=/usr/bin:/bin HOME=/ "$tool" "${args[@]}" </dev/null >/dev/null 2>&1 || true
			fi
			# setpriv's and env's own faults come before their exec, under their names: left out.
			counts+=("$(perf script -i "$stage/faults.data" -F comm,pid 2>/dev/null | awk '$1 != "setpriv" && $1 != "env" {
				if (!($2 in n)) order[k++] = $2; n[$2]++ } END { s = ""; t = 0
				for (i = 0; i < k; i++) { s = s " " n[order[i]]; t += n[order[i]] } print t s }')")
		done
		median=$(printf '%s\n' "${counts[@]}" | sort -n | sed -n 3p)
		printf '  %-44s %s in all; by process:%s\n' "${tool/#$stage\//ours as }" "${median%% *}" " ${median#* }"
	done
	exit 0
fi

# --profile: where the time goes in ours. Tracing slows every syscall down, so the absolute
# figures are inflated; the ranking is what matters.
if ! command -v strace >/dev/null; then
	echo "startup.sh: strace not found (apt-get install strace)" >&2
	exit 1
fi
chmod 777 "$stage"
echo "== syscalls by wall time (strace -f -c -w), ours:"
run_user strace -f -c -w -S time -o "$stage/summary" "$stage/sandbox" "${args[@]}" </dev/null || true
head -n 14 "$stage/summary" | sed 's/^/  /'

echo "== one traced launch (strace -f -tt -T), ours:"
run_user strace -f -tt -T -o "$stage/trace" "$stage/sandbox" "${args[@]}" </dev/null || true
python3 - "$stage/trace" <<'PY'
import re, sys

# "1234  12:00:00.123456 mount("tmpfs", ...) = 0 <0.000123>", or a "<... mount resumed>" line.
LINE = re.compile(r"^(\d+)\s+(\d+):(\d+):([\d.]+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*?)(?:<([\d.]+)>)?$")
calls = []  # (start s, duration s, pid, name, text)
for line in open(sys.argv[1], errors="replace"):
    m = LINE.match(line.strip())
    if m and m.group(8):
        t = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + float(m.group(4))
        name, rest = m.group(5) or m.group(6), m.group(7).strip()
        text = name + ("(" + rest if m.group(6) else "(..." + rest)
        calls.append((t, float(m.group(8)), m.group(1), name, text))
if not calls:
    sys.exit(0)
t0 = min(c[0] for c in calls)
pids = sorted({c[2] for c in calls}, key=int)
print("  the slowest single syscalls (a parent's poll/wait is time spent waiting for a child):")
for t, dur, pid, name, text in sorted(calls, key=lambda c: -c[1])[:6]:
    print(f"    {dur * 1e3:7.3f} ms  process {pids.index(pid) + 1}  {text[:72]}")
print("  milestones (ms since the first syscall):")
seen = set()
for t, dur, pid, name, text in sorted(calls):
    key = (pid, name)
    if name in ("clone3", "clone", "unshare", "mount", "pivot_root", "execve", "exit_group") and key not in seen:
        seen.add(key)
        print(f"    {(t - t0) * 1e3:7.3f}  process {pids.index(pid) + 1}  {text[:64]}")
end = max(c[0] + c[1] for c in calls)
print(f"  {len(calls)} syscalls in {len(pids)} processes over {(end - t0) * 1e3:.2f} ms (traced, so slower than untraced)")
PY

echo "== dynamic loader (LD_DEBUG=statistics), ours:"
run_user env LD_DEBUG=statistics "$stage/sandbox" --unsetenv LD_DEBUG "${args[@]}" </dev/null 2>&1 |
	sed -n 's/^ *[0-9]*:[[:space:]]*//p' | grep -E 'total startup time|time needed for relocation|number of relocations:|final number of relocations' |
	sort -u | sed 's/^/  /' || true
