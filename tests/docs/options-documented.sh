#!/usr/bin/env bash
# Docs move with code: every option that --help lists (the options table) has an entry in
# man/sandbox.1.scd and in the README's or the man page's text. Prints TAP.
set -euo pipefail

sandbox=${SANDBOX:?SANDBOX must point to the binary}
man=${1:?usage: options-documented.sh MAN_PAGE}

mapfile -t options < <("$sandbox" --help | sed -n 's/^    \(--[a-z0-9-]*\).*/\1/p')
n=0
failed=0
if [[ ${#options[@]} -lt 60 ]]; then
	echo "not ok 1 - --help lists the options (found only ${#options[@]})"
	echo "1..1"
	exit 1
fi
for opt in "${options[@]}"; do
	n=$((n + 1))
	# An entry is a line starting with the option in bold: "*--bind* ..." or "*--uid* _UID_, *--gid* ...".
	if grep -qE "^\*${opt}\*|, \*${opt}\*" "$man"; then
		echo "ok $n - $opt has an entry in $(basename "$man")"
	else
		echo "not ok $n - $opt has an entry in $(basename "$man")"
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[[ $failed -eq 0 ]]
