#!/bin/bash
# Runs in the Debian guest (see run-systemd, VM_TEST_USER=root): the escape battery of
# tests/escape once more, under the guest's Debian kernel instead of the host's. The scripts
# are the host's own, run as root so that they drop to uid 65534 themselves and do their
# root-only parts (host mounts, the setuid copy), exactly as in CI on the host.
# TAP on stdout: one plan for all the scripts, each check's name prefixed with the kernel.
# $SANDBOX: the binary under test; $PAYLOAD: the per-run disk with the scripts and probes.
set -uo pipefail

: "${SANDBOX:?}" "${PAYLOAD:?}"
tree=$(mktemp -d /tmp/escape-vm.XXXXXX)
trap 'rm -rf "$tree"' EXIT
# The scripts find their library as ../lib/tap.sh and the probes through the environment.
mkdir -p "$tree/tests/lib" "$tree/tests/escape"
cp "$PAYLOAD/tap.sh" "$tree/tests/lib/"
cp "$PAYLOAD/syscalls.sh" "$PAYLOAD/process.sh" "$PAYLOAD/staging.sh" "$tree/tests/escape/"
chmod -R a+rX "$tree"

kernel=$(uname -r)
n=0
failed=0
for script in syscalls process staging; do
	probe_var=ESCAPE_${script^^}
	out=$(env "$probe_var=$PAYLOAD/escape-$script" SANDBOX="$SANDBOX" PROBE="$PAYLOAD/probe" \
		bash "$tree/tests/escape/$script.sh" 2>&1)
	rc=$?
	seen=0
	# Renumbered into one stream; the scripts' own plans are dropped for the one at the end.
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+(\ -)?\ ?(.*)$ ]]; then
			n=$((n + 1)) seen=$((seen + 1))
			echo "${BASH_REMATCH[1]}ok $n - kernel $kernel: escape-$script: ${BASH_REMATCH[3]}"
			[[ -n ${BASH_REMATCH[1]} ]] && failed=$((failed + 1))
		elif [[ $line =~ ^1\.\.[0-9]+ ]]; then
			[[ $line == *SKIP* ]] && echo "# escape-$script: $line"
		else
			echo "# ${line#\# }"
		fi
	done <<<"$out"
	# A script that died early (or ran nothing) fails, whatever its lines said.
	if [[ $rc -ne 0 && $failed -eq 0 ]] || [[ $seen -eq 0 ]]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - kernel $kernel: escape-$script: ended with status $rc after $seen checks"
	fi
done
echo "1..$n"
[[ $failed -eq 0 ]]
