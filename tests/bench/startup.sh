#!/usr/bin/env bash
# Startup benchmark: how long does it take to start a sandbox that runs /bin/true, for
# build/sandbox and for bubblewrap, run alternately as an unprivileged user? Prints the
# median and p90 of each and their ratio. Never fails on the figures (no timed assertions):
# the exit status is non-zero only if the benchmark itself can't run.
#
# Usage: tests/bench/startup.sh            timing (BENCH_ITERATIONS launches each, default 200)
#        tests/bench/startup.sh --profile  where the time goes in ours: syscalls (strace) and
#                                          the dynamic loader (LD_DEBUG=statistics)
#        tests/bench/startup.sh --binds    how launch time grows with the number of read-only
#                                          binds (50, 200, 800): linear, or quadratic
# Environment: SANDBOX (default build/sandbox), BWRAP (default /usr/bin/bwrap),
#              BENCH_ITERATIONS (default 200).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
mode="time"
case ${1:-} in
"") ;;
--profile) mode=profile ;;
--binds) mode=binds ;;
-h | --help)
	sed -n '2,12s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "startup.sh: unknown argument '$1' (try --help)" >&2
	exit 2
	;;
esac

sandbox=${SANDBOX:-$root/build/sandbox}
bwrap=${BWRAP:-/usr/bin/bwrap}
iterations=${BENCH_ITERATIONS:-200}
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
	tools=("sandbox=$stage/sandbox --no-default-policy")
	$have_bwrap && tools+=("bwrap=$bwrap")
	$have_bwrap || echo "startup.sh: $bwrap not found: timing ours only (apt-get install bubblewrap)"
	# The same sandbox as bwrap's is without our default policy; with it, for the record.
	tools+=("sandbox+default=$stage/sandbox")
	run_user python3 - "$iterations" "${tools[@]}" -- "${args[@]}" <<'PY'
import os, subprocess, sys, time

n = int(sys.argv[1])
split = sys.argv.index("--")
# "name=path [extra args]": the extra arguments go before the sandbox's own.
tools = [(n, p.split()) for n, p in (t.split("=", 1) for t in sys.argv[2:split])]
args = sys.argv[split + 1:]

# One untimed run each: a tool that fails is reported (with its message) and not timed.
working = []
for name, path in tools:
    r = subprocess.run(path + args, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode == 0:
        working.append((name, path))
    else:
        print(f"{name}: exit status {r.returncode}: {r.stderr.strip()[:300]}; not timed")
if not working:
    sys.exit(0)

devnull = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]


def launch(path):
    """Wall time of one launch, from spawn to reaped, in nanoseconds; None if it failed."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(path[0], path + args, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter_ns() - start
    return elapsed if os.waitstatus_to_exitcode(status) == 0 else None


for name, path in working:  # warm the page cache and the dentry cache
    for _ in range(5):
        launch(path)
times = {name: [] for name, _ in working}
failures = {name: 0 for name, _ in working}
for i in range(n):
    # Alternate, and swap the order each round so neither tool always runs second.
    for name, path in (working if i % 2 == 0 else working[::-1]):
        t = launch(path)
        if t is None:
            failures[name] += 1
        else:
            times[name].append(t)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, -(-len(s) * p // 100) - 1))]  # nearest rank


print(f"startup of /bin/true in a sandbox, {n} runs each, alternating, uid {os.getuid()}:")
stats = {}
for name, _ in working:
    v = times[name]
    if not v:
        print(f"  {name:8} every run failed")
        continue
    stats[name] = (pct(v, 50) / 1e6, pct(v, 90) / 1e6)
    extra = f"  ({failures[name]} runs failed)" if failures[name] else ""
    print(f"  {name:8} median {stats[name][0]:7.2f} ms   p90 {stats[name][1]:7.2f} ms{extra}")
if "sandbox" in stats and "bwrap" in stats:
    (sm, s9), (bm, b9) = stats["sandbox"], stats["bwrap"]
    print(f"  ratio sandbox/bwrap: median {sm / bm:.2f}, p90 {s9 / b9:.2f}")
PY
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
