# report.sh: how the scripts that drive the tiers report (tests/run-all, scripts/ci-hardening,
# .ci/run, the vm tier's runners, the load tier): unnumbered result lines that a summary
# counts, a test that can't run at all, and wall time. Bash, sourced; CI=true turns a skip
# into a failure. The TAP of single checks is tap.sh on the host and tap-lite.sh in the guests.
# shellcheck shell=bash

_report_passed=0
_report_failed=()

# result ok|not-ok NAME [DETAIL...]: "ok - NAME" or "not ok - NAME", each DETAIL below it as
# a "#   " comment.
result() {
	local status=$1 name=$2 line
	shift 2
	if [[ $status == ok ]]; then
		echo "ok - $name"
		_report_passed=$((_report_passed + 1))
	else
		echo "not ok - $name"
		_report_failed+=("$name")
	fi
	for line in "$@"; do
		echo "#   $line"
	done
}

# result_skip NAME REASON: a result that could not be had here; a failure under CI=true.
result_skip() {
	if [[ ${CI:-} == true ]]; then
		echo "not ok - $1 # skipped in CI: $2"
		_report_failed+=("$1 (skipped in CI: $2)")
	else
		echo "ok - $1 # SKIP $2"
	fi
}

# results_summary: the failed results by name, then "N passed, N failed"; fails if any did.
results_summary() {
	if [[ ${#_report_failed[@]} -gt 0 ]]; then
		echo "failed:"
		printf '  %s\n' "${_report_failed[@]}"
	fi
	echo "$_report_passed passed, ${#_report_failed[@]} failed"
	[[ ${#_report_failed[@]} -eq 0 ]]
}

# fail_all REASON: the whole TAP output of a test (named after the script) that broke before
# it could run its checks: one failure, and exit.
fail_all() {
	echo "1..1"
	echo "not ok 1 - ${0##*/}: $1"
	exit 1
}

# skip_all REASON: the whole TAP output of a test that can't run here: a skip, and exit (a
# failure under CI=true).
skip_all() {
	[[ ${CI:-} == true ]] && fail_all "can't run here (CI=true forbids skipping): $1"
	echo "1..0 # SKIP $1"
	exit 0
}

# now_us: microseconds since the epoch. elapsed START_US [END_US]: the seconds between two
# readings (END: now), to a hundredth; for logs only, never for an assertion.
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
elapsed() {
	local us=$((${2:-$(now_us)} - $1))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}
