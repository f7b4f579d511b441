#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Launch speed against bubblewrap, every figure as a ratio measured in this one run.

Run as the unprivileged user the sandboxes run as (tests/bench/startup.sh stages the binary
and drops to uid 65534). The sandbox is bubblewrap's README minimal one; the tools:

  bwrap            Debian's bubblewrap, the reference
  ours-as-bwrap    our binary under the name bwrap (no default policy)
  ours-as-sandbox  our binary as sandbox, with its default policy
  floor            unshare -Urmpinu --fork /bin/true: namespaces, nothing mounted

Figures: wall time as the median of per-round ratios (the tools run alternately, the order
rotating each round, so that the machine's drift hits all alike); CPU per launch from
`perf stat -e task-clock` over alternating blocks of launches (it counts every descendant,
also a pid 1 that outlives its launcher); throughput of N launches in a row and of M at once; the
launcher's peak RSS (the median of alternating launches); and what was left behind (processes, zombies, mounts, fds).
Never fails on the figures: there are no timed assertions. Exit status 1 only if the
benchmark can't run, or if something was left behind.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ARGS = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--unshare-all",
        "--die-with-parent", "/bin/true"]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stage", required=True, help="directory holding our binary as sandbox and bwrap")
    ap.add_argument("--bwrap", default="/usr/bin/bwrap")
    ap.add_argument("--rounds", type=int, default=100, help="alternating rounds for wall time")
    ap.add_argument("--loop", type=int, default=100, help="launches per tool for CPU, in 5 blocks")
    ap.add_argument("--sequential", type=int, default=1000)
    ap.add_argument("--parallel", type=int, default=100)
    return ap.parse_args()


DEVNULL = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
ACTIONS = [(os.POSIX_SPAWN_DUP2, DEVNULL, fd) for fd in (0, 1, 2)]


def spawn(argv):
    return os.posix_spawn(argv[0], argv, os.environ, file_actions=ACTIONS)


def launch(argv):
    """Wall ns of one launch; None if it failed."""
    start = time.perf_counter_ns()
    pid = spawn(argv)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter_ns() - start
    return elapsed if os.waitstatus_to_exitcode(status) == 0 else None


def peak_rss(argv):
    """One launch's peak RSS in KiB, its waited-for descendants included, by GNU time: wait4()
    from here would count our own memory, which a spawned child's first image shares."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    return int(r.stderr.strip().splitlines()[-1])


def peak_rss_medians(tools, names, rounds=15):
    """Each tool's median peak RSS over ROUNDS launches, the tools alternating with the order
    rotating: the figure moves by a hundred KiB from launch to launch (which pages of the
    libraries fault-around maps), so the maximum of a few picked the outlier."""
    out = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            out[name].append(peak_rss(tools[name]))
    return {name: int(statistics.median(v)) for name, v in out.items()}


def median_ratio(xs, ys):
    return statistics.median(x / y for x, y in zip(xs, ys))


def wall(tools, rounds):
    times = {name: [] for name in tools}
    failed = {name: 0 for name in tools}
    names = list(tools)
    for name in names:  # warm the page and dentry caches
        for _ in range(3):
            launch(tools[name])
    for i in range(rounds):
        k = i % len(names)
        for name in names[k:] + names[:k]:
            r = launch(tools[name])
            if r is None:
                failed[name] += 1
                times[name].append(float("nan"))
                continue
            times[name].append(r)
    return times, failed


def cpu_per_launch(argv, n, perf):
    """task-clock ms per launch over a shell loop of n launches (the loop's shell counted too, as
    for every tool)."""
    def loop_ms(cmd):
        script = 'i=0; while [ $i -lt "$0" ]; do "$@" </dev/null >/dev/null 2>&1; i=$((i+1)); done'
        r = subprocess.run([perf, "stat", "-x,", "-e", "task-clock", "--", "/bin/sh", "-c", script, str(n)] + cmd,
                           capture_output=True, text=True)
        for line in r.stderr.splitlines():
            fields = line.split(",")
            if len(fields) > 2 and fields[2].startswith("task-clock"):
                return float(fields[0])
        raise RuntimeError("perf stat printed no task-clock: " + r.stderr.strip()[-300:])
    return loop_ms(argv) / n


def throughput_sequential(argv, n):
    start = time.perf_counter()
    for _ in range(n):
        pid = spawn(argv)
        os.waitpid(pid, 0)
    return n / (time.perf_counter() - start)


def throughput_parallel(argv, n):
    start = time.perf_counter()
    pids = [spawn(argv) for _ in range(n)]
    bad = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        bad += os.waitstatus_to_exitcode(status) != 0
    return n / (time.perf_counter() - start), bad


def snapshot(stage):
    """What a launch could leave behind: our uid's other processes, zombies, mounts, our fds."""
    me = os.getpid()
    procs, zombies = [], []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        # Ours: a launcher we haven't reaped, or a process a launcher left to init.
        if status.get("State", "").startswith("Z") and int(status.get("PPid", "0")) in (me, 1):
            zombies.append(f"{pid} {status.get('Name')}")
        if int(status.get("Uid", "0").split()[0]) == os.getuid() and stage in cmd:
            procs.append(f"{pid} {cmd[:80]}")
    with open("/proc/self/mountinfo") as f:
        mounts = len(f.readlines())
    fds = len(os.listdir("/proc/self/fd"))
    cgroups = 0
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                for _, dirs, _ in os.walk("/sys/fs/cgroup" + line[3:].strip()):
                    cgroups += len(dirs)
    return {"processes": procs, "zombies": zombies, "mounts": mounts, "fds": fds, "cgroups": cgroups}


def main():
    a = parse_args()
    ours = os.path.join(a.stage, "sandbox")
    tools = {
        "bwrap": [a.bwrap] + ARGS,
        "ours-as-bwrap": [os.path.join(a.stage, "bwrap")] + ARGS,
        "ours-as-sandbox": [ours] + ARGS,
        "floor": ["/usr/bin/unshare", "-Urmpinu", "--fork", "/bin/true"],
    }
    for name, argv in tools.items():
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"speed: {name} can't run ({' '.join(argv[:3])} ...): exit {r.returncode}: "
                  f"{r.stderr.strip()[:300]}", file=sys.stderr)
            return 1
    before = snapshot(a.stage)

    print(f"launch speed against bubblewrap, uid {os.getuid()}, {os.cpu_count()} CPUs; the sandbox of "
          "bubblewrap's README, running /bin/true")
    times, failed = wall(tools, a.rounds)
    print(f"wall time, median of {a.rounds} alternating rounds' ratios to bwrap (lower is faster):")
    for name in tools:
        med = statistics.median(t for t in times[name] if t == t) / 1e6
        extra = f"   ({failed[name]} runs failed)" if failed[name] else ""
        ratio = median_ratio(times[name], times["bwrap"])
        print(f"  {name:16} median {med:6.2f} ms   ratio {ratio:.2f}{extra}")

    perf = shutil.which("perf")
    if perf:
        # In alternating blocks, the order rotating, as the wall time: one block per tool would
        # put the machine's drift between blocks into the ratios.
        rounds = 5
        block = max(1, a.loop // rounds)
        names = ["bwrap", "ours-as-bwrap", "ours-as-sandbox", "floor"]
        print(f"CPU per launch, perf stat task-clock over {rounds} alternating blocks of {block} launches "
              "(every descendant counted; ratio: the median of the blocks' ratios):")
        cpu = {name: [] for name in names}
        try:
            for r in range(rounds):
                k = r % len(names)
                for name in names[k:] + names[:k]:
                    cpu[name].append(cpu_per_launch(tools[name], block, perf))
        except RuntimeError as err:
            print(f"  SKIP: {err}")
            cpu = {}
        for name, ms in cpu.items():
            print(f"  {name:16} {statistics.median(ms):6.2f} ms   ratio {median_ratio(ms, cpu['bwrap']):.2f}")
    else:
        print("CPU per launch: SKIP: perf not found (apt-get install linux-perf)")

    print(f"throughput, launches per second (ratio to bwrap: higher is faster):")
    seq, par = {}, {}
    block = max(1, a.sequential // 10)
    for name in ("bwrap", "ours-as-bwrap", "ours-as-sandbox"):
        seq[name] = []
    for _ in range(a.sequential // block):  # blocks alternate, against drift
        for name in seq:
            seq[name].append(throughput_sequential(tools[name], block))
    bad_total = 0
    for name in seq:
        par[name] = []
    for _ in range(3):
        for name in par:
            rate, bad = throughput_parallel(tools[name], a.parallel)
            par[name].append(rate)
            bad_total += bad if name != "bwrap" else 0
    for name in seq:
        s, p = statistics.median(seq[name]), statistics.median(par[name])
        print(f"  {name:16} {a.sequential} in a row {s:6.1f}/s (ratio {s / statistics.median(seq['bwrap']):.2f})"
              f"   {a.parallel} at once {p:6.1f}/s (ratio {p / statistics.median(par['bwrap']):.2f})")
    if bad_total:
        print(f"  {bad_total} of our parallel launches failed")

    if shutil.which("/usr/bin/time"):
        print("peak RSS of the launcher (GNU time, its waited-for descendants included; median of 15 alternating):")
        rss = peak_rss_medians(tools, ["bwrap", "ours-as-bwrap", "ours-as-sandbox"])
        for name, kib in rss.items():
            print(f"  {name:16} {kib:6d} KiB   ratio {kib / rss['bwrap']:.2f}")
    else:
        print("peak RSS: SKIP: /usr/bin/time not found (apt-get install time)")

    # Leftovers, ours only: bubblewrap's pid 1 outlives it and is left for the host's init to
    # reap, which some inits (a container's) do late, so the zombies it leaves are counted apart.
    for name in ("bwrap", "ours-as-bwrap", "ours-as-sandbox"):
        start = snapshot(a.stage)
        throughput_parallel(tools[name], 20)
        for _ in range(20):
            launch(tools[name])
        zombies = sorted(set(snapshot(a.stage)["zombies"]) - set(start["zombies"]))
        if name == "bwrap":
            if zombies:
                print(f"bwrap left {len(zombies)} zombies of 40 launches to the host's init (its pid 1 outlives it)")
        elif zombies:
            before["zombies_ours"] = before.get("zombies_ours", []) + zombies
    after = snapshot(a.stage)
    left = []
    if after["processes"]:
        left.append("processes: " + "; ".join(after["processes"]))
    if before.get("zombies_ours"):
        left.append("zombies: " + "; ".join(before["zombies_ours"]))
    if after["mounts"] != before["mounts"]:
        left.append(f"mounts: {before['mounts']} before, {after['mounts']} after")
    if after["cgroups"] != before["cgroups"]:
        left.append(f"cgroups below ours: {before['cgroups']} before, {after['cgroups']} after")
    if after["fds"] != before["fds"]:
        left.append(f"our fds: {before['fds']} before, {after['fds']} after")
    total = a.rounds * len(tools) + a.sequential * 3 + a.parallel * 9 + 80
    print(f"left behind by ours after about {total} launches: " + ("; ".join(left) if left else "nothing"))
    return 1 if left or bad_total else 0


if __name__ == "__main__":
    sys.exit(main())
