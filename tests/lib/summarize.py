#!/usr/bin/env python3
"""The end of tests/run-all: counts every individual result and prints the summary.

Usage: summarize.py BUILDDIR EXTRA_RESULTS MESON_STATUS

Reads meson's log of the run (BUILDDIR/meson-logs/testlog.json) and counts each TAP line of
each TAP test (a plain test, or a TAP test that printed no result, counts as one result),
plus the TAP lines of EXTRA_RESULTS (run-all's own steps: build, lints, hardening). Prints
the time per tier (meson suite), the failures, the skips and, as the very last line,
"N passed, N failed[, N skipped]". CI=true in the environment counts a skip as a failure.
Exit status 1 if anything failed (or meson test failed, MESON_STATUS, without a failed result
to show for it).
"""
import json
import os
import re
import subprocess
import sys

TAP = re.compile(r"^(not ok|ok)\b[ \t]*(.*)$")
DIRECTIVE = re.compile(r"#\s*(SKIP|TODO)\b\s*(.*)$", re.I)
BAD = ("FAIL", "TIMEOUT", "ERROR", "INTERRUPT", "UNEXPECTEDPASS")


class Tally:
    """The results counted so far: passes, and failures and skips by description."""

    def __init__(self):
        self.passed, self.failed, self.skipped = 0, [], []

    def count_tap(self, name, text):
        """Counts the TAP lines of one output; returns how many results it had."""
        n = 0
        for line in text.splitlines():
            m = TAP.match(line)
            if not m:
                continue
            n += 1
            d = DIRECTIVE.search(m.group(2))
            what = f"{name}: {line.strip()}"
            if d and d.group(1).upper() == "SKIP":
                self.skipped.append(what)
            elif d and d.group(1).upper() == "TODO" and m.group(1) == "not ok":
                self.skipped.append(what)  # a known gap: not a pass, not a regression
            elif m.group(1) == "ok":
                self.passed += 1
            else:
                self.failed.append(what)
        return n

    def count_test(self, e, is_tap):
        """Counts one entry of meson's log."""
        name, result = e["name"], e["result"]
        failed_before = len(self.failed)
        n = self.count_tap(name, e.get("stdout", "")) if is_tap else 0
        if n == 0:  # a plain test, or TAP that printed no result: the test is one result
            if result in ("OK", "EXPECTEDFAIL"):
                self.passed += 1
            elif result == "SKIP":
                plan = re.search(r"^1\.\.0\b.*?#\s*(?:SKIP\w*)?\s*(.*)$", e.get("stdout", ""), re.M | re.I)
                self.skipped.append(f"{name}: " + (f"SKIP {plan.group(1)}" if plan else "skipped (exit status 77)"))
            else:
                self.failed.append(f"{name}: {result} (exit status {e.get('returncode')})")
        elif result in BAD and len(self.failed) == failed_before:  # crashed, bailed out or broke its plan
            self.failed.append(f"{name}: {result} (exit status {e.get('returncode')}) although no TAP line said not ok")


def meson_tests(builddir):
    """Suite (tier) and protocol of every test, by name, from meson's own description."""
    suites, protocols = {}, {}
    try:
        tests = json.loads(subprocess.run(["meson", "introspect", "--tests", builddir], capture_output=True,
                                          text=True, check=True).stdout)
    except (subprocess.CalledProcessError, json.JSONDecodeError, FileNotFoundError):
        return suites, protocols
    for t in tests:
        suite = [s.split(":", 1)[-1] for s in t.get("suite", [])] or ["(none)"]
        suites[t["name"]] = suite[0]
        protocols[t["name"]] = t.get("protocol", "exitcode")
    return suites, protocols


def read_log(log):
    """The entries of meson's testlog.json (none if there is no log)."""
    if not os.path.exists(log):
        return []
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def count_log(entries, builddir, tally):
    """Counts every entry into tally; returns per tier [tests, busy s, first start, last end]."""
    suites, protocols = meson_tests(builddir)
    tiers = {}
    for e in entries:
        # With more than one suite meson names a test "project:suite / name".
        m = re.match(r"^[^:/ ]+:(\S+) / (.*)$", e["name"])
        short = m.group(2) if m else e["name"]
        tier = m.group(1) if m else suites.get(short, "(unknown)")
        t = tiers.setdefault(tier, [0, 0.0, float("inf"), 0.0])
        t[0] += 1
        t[1] += e.get("duration", 0.0)
        t[2] = min(t[2], e.get("starttime", 0.0))
        t[3] = max(t[3], e.get("starttime", 0.0) + e.get("duration", 0.0))
        tally.count_test(e, protocols.get(short, "exitcode").startswith("tap"))
    return tiers


def report(tiers, tally, ci):
    """Prints the tiers' times, the failures and skips, and the summary line."""
    print()
    for tier in sorted(tiers):
        n, busy, start, end = tiers[tier]
        print(f"tier {tier}: {n} test{'s' if n != 1 else ''}, {end - start:.1f} s wall, {busy:.1f} s in tests")
    if tally.failed:
        print("failed:")
        for what in tally.failed:
            print(f"  {what}")
    if tally.skipped:
        print("skipped (CI=true: each counts as a failure):" if ci else "skipped:")
        for what in tally.skipped:
            print(f"  {what}")
    failed, skipped = tally.failed, tally.skipped
    if ci:
        failed, skipped = failed + skipped, []
    print(f"{tally.passed} passed, {len(failed)} failed" + (f", {len(skipped)} skipped" if skipped else ""))
    return 1 if failed else 0


def main(builddir, extra_path, meson_rc):
    ci = os.environ.get("CI") == "true"
    tally = Tally()
    log = os.path.join(builddir, "meson-logs", "testlog.json")
    entries = read_log(log)
    tiers = count_log(entries, builddir, tally)
    with open(extra_path) as f:
        tally.count_tap("run-all", f.read())
    if meson_rc != 0 and not tally.failed:
        tally.failed.append(f"meson test exited with status {meson_rc}")
    if not entries and meson_rc == 0:
        tally.failed.append(f"no test results in {log}")
    return report(tiers, tally, ci)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
