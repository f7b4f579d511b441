#!/usr/bin/env bash
# What reporting denials costs, as ratios measured in one run, the commands alternating pair by
# pair (the order rotating each round) as an unprivileged user:
#   - a launch of /bin/true that nothing denies: sandbox, sandbox --report-denials and
#     bubblewrap (goal: no measurable difference between the first two);
#   - a storm of denied calls (keyctl, N times): the plain filter's errno against
#     --report-denials and against --denials-fd, and the cost of one reported denial.
# Never fails on the figures (no timed assertions); non-zero only if it can't run.
#
# Environment: SANDBOX (default build/sandbox), NOTIFY_HELPER (default beside SANDBOX in
#              tests/), BWRAP (default /usr/bin/bwrap), BENCH_ITERATIONS (rounds, default 100),
#              BENCH_DENIALS (denied calls per storm, default 20000).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
case ${1:-} in
"") ;;
-h | --help)
	sed -n '2,13s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "denials.sh: unknown argument '$1' (try --help)" >&2
	exit 2
	;;
esac

sandbox=${SANDBOX:-$root/build/sandbox}
helper=${NOTIFY_HELPER:-$(dirname "$sandbox")/tests/notify-helper}
bwrap=${BWRAP:-/usr/bin/bwrap}
iterations=${BENCH_ITERATIONS:-100}
denials=${BENCH_DENIALS:-20000}
for f in "$sandbox" "$helper"; do
	if [[ ! -x $f ]]; then
		echo "denials.sh: $f not found; build first (meson setup build && meson compile -C build)" >&2
		exit 1
	fi
done
for n in "$iterations" "$denials"; do
	if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1)); then
		echo "denials.sh: '$n' is not a positive number (BENCH_ITERATIONS, BENCH_DENIALS)" >&2
		exit 2
	fi
done
[[ -x $bwrap ]] || bwrap=

# The unprivileged user can't necessarily enter the checkout: stage the binaries.
stage=$(mktemp -d /tmp/sandbox-bench.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$sandbox" "$stage/sandbox"
cp "$helper" "$stage/notify-helper"
chmod 755 "$stage" "$stage"/*

as_user=()
[[ $(id -u) -eq 0 ]] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

"${as_user[@]}" /usr/bin/python3 - "$stage" "$bwrap" "$iterations" "$denials" <<'PY'
import statistics, subprocess, sys, time

stage, bwrap, rounds, denials = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
system = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
          "--symlink", "usr/lib64", "/lib64", "--ro-bind", stage, stage]
sb = stage + "/sandbox"
storm = ["--", stage + "/notify-helper", "storm", str(denials), "keyctl"]


def wall(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       cwd="/", pass_fds=(), check=False)
    took = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"denials.sh: {' '.join(cmd)} failed (exit {r.returncode})")
    return took, r.stdout.decode()


def alternate(tools):
    times = {name: [] for name in tools}
    names = list(tools)
    for i in range(rounds):
        for name in names[i % len(names):] + names[:i % len(names)]:
            took, _ = wall(tools[name])
            times[name].append(took)
    return times


def ratio(times, a, b):
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def ms(times, name):
    return statistics.median(times[name]) * 1e3


launch = {"sandbox": [sb] + system + ["--", "/bin/true"],
          "sandbox --report-denials": [sb, "--report-denials"] + system + ["--", "/bin/true"],
          "sandbox --denials-fd": [sb, "--denials-fd", "2"] + system + ["--", "/bin/true"]}
if bwrap:
    launch["bwrap"] = [bwrap] + system + ["--", "/bin/true"]
t = alternate(launch)
print(f"launch of /bin/true, nothing denied, {rounds} rounds, alternating:")
for name in launch:
    print(f"  {name:28s} median {ms(t, name):7.2f} ms")
print(f"  ratio --report-denials / without:  {ratio(t, 'sandbox --report-denials', 'sandbox'):.3f} (median of per-round ratios)")
print(f"  ratio --denials-fd / without:      {ratio(t, 'sandbox --denials-fd', 'sandbox'):.3f}")
if bwrap:
    print(f"  ratio sandbox / bwrap:             {ratio(t, 'sandbox', 'bwrap'):.3f}")
    print(f"  ratio --report-denials / bwrap:    {ratio(t, 'sandbox --report-denials', 'bwrap'):.3f}")

# The storm: the same launch, the command making `denials` denied calls.
_, out = wall([sb] + system + storm)
if out.split() != [str(denials), "EPERM"]:
    sys.exit(f"denials.sh: the storm did not get EPERM each time: {out!r}")
storms = {"plain errno filter": [sb] + system + storm,
          "--report-denials": [sb, "--report-denials"] + system + storm,
          "--denials-fd (to /dev/null)": [sb, "--denials-fd", "2"] + system + storm}
t = alternate(storms)
print(f"\n{denials} denied keyctl calls in one command, {rounds} rounds, alternating:")
for name in storms:
    print(f"  {name:28s} median {ms(t, name):8.2f} ms")
for name in list(storms)[1:]:
    extra = (statistics.median(t[name]) - statistics.median(t["plain errno filter"])) / denials * 1e6
    print(f"  {name:28s} ratio to the plain filter {ratio(t, name, 'plain errno filter'):6.2f}, "
          f"{extra:6.2f} us more per denial")
PY
