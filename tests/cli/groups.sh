#!/usr/bin/env bash
# The syscall groups against systemd's: each group `systemd-analyze syscall-filter` lists is
# compared with ours member by member (nested groups as members, as systemd prints them), and
# every difference must be one that the table of differences in setup/syscall-groups.c names.
# Then real launches: an allow list of @system-service under syscall-default kill.
. "$(dirname "$0")/../lib/tap.sh"

# Our groups and differences, printed by the unit test program that links the table.
LISTER=${SYSCALL_GROUPS_LISTER:-$(dirname "$SANDBOX")/tests/unit/test-syscall-groups}

declare -A OURS=() SD_GROUPS=() DIFF=()

# compare VERSION: one TAP line per group that either side has.
compare() {
	local version=$1 g m kind note
	local -a expected unexpected
	for g in $(printf '%s\n' "${!OURS[@]}" "${!SD_GROUPS[@]}" | sort -u); do
		if [[ -z ${SD_GROUPS[$g]+set} ]]; then
			kind=${DIFF["$g -"]:-}
			if [[ $kind == ours || $kind == later ]]; then
				ok 0 "$g: not systemd $version's ($kind)"
			else
				ok 1 "$g: ours, not systemd $version's, and not in the table of differences"
			fi
			continue
		fi
		if [[ -z ${OURS[$g]+set} ]]; then
			if [[ ${DIFF["$g -"]:-} == left-out ]]; then
				ok 0 "$g: systemd's, left out on purpose"
			else
				ok 1 "$g: systemd $version's, not ours, and not in the table of differences"
			fi
			continue
		fi
		expected=() unexpected=()
		[[ ${DIFF["$g -"]:-} == ours ]] && unexpected+=("$g: the table says the group is ours only, but systemd $version has it too")
		for m in ${OURS[$g]}; do
			[[ " ${SD_GROUPS[$g]} " == *" $m "* ]] && continue
			kind=${DIFF["$g $m"]:-}
			case $kind in
			ours | kept | later) expected+=("$m ($kind)") ;;
			*) unexpected+=("$g $m: ours, not systemd $version's") ;;
			esac
		done
		for m in ${SD_GROUPS[$g]}; do
			if [[ " ${OURS[$g]} " == *" $m "* ]]; then
				# A decision of ours that systemd has come to as well: the table and the man page are stale.
				[[ ${DIFF["$g $m"]:-} == ours ]] && unexpected+=("$g $m: the table says ours only, but systemd $version has it too")
				continue
			fi
			if [[ ${DIFF["$g $m"]:-} == left-out ]]; then
				expected+=("-$m (left out)")
			else
				unexpected+=("$g $m: systemd $version's, not ours")
			fi
		done
		if [[ ${#unexpected[@]} -eq 0 ]]; then
			note=
			[[ ${#expected[@]} -gt 0 ]] && note=", but for the table of differences: ${expected[*]}"
			ok 0 "$g: as systemd $version's$note"
		else
			ok 1 "$g: differs from systemd $version's beyond the table of differences" "${unexpected[@]}"
		fi
	done
}

# check_man: each decision of ours is a row of the man page's table of differences: "|  @GROUP",
# then ":  MEMBER..." (or "(the group)": "@GROUP -" here, as in DIFF), then the reason.
check_man() {
	local man rows key name="each decision of ours in the table of differences is a row of sandbox.policy(5)'s"
	local -a missing=()
	man=$(dirname "$0")/../../man/sandbox.policy.5.scd
	rows=$(awk '/^## Differences from systemd/ { on = 1; next } on && /^#/ { on = 0 }
		on && /^\|  / { g = $2; cell = 0; next }
		on && /^:  / && g != "" && cell++ == 0 {
			if ($2 == "(the") print g, "-"; else for (i = 2; i <= NF; i++) print g, $i
		}' "$man")
	for key in "${!DIFF[@]}"; do
		[[ ${DIFF[$key]} == later ]] && continue
		grep -qxF "$key" <<<"$rows" || missing+=("$key (${DIFF[$key]})")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then ok 0 "$name"; else ok 1 "$name" "not in $man's table:" "${missing[@]}"; fi
}

# check_systemd: systemd-analyze's groups, read into SD_GROUPS, against ours.
check_systemd() {
	local out rc version g line word
	if ! command -v systemd-analyze >/dev/null; then
		skip "the groups against systemd's" "systemd-analyze is not installed (Debian package systemd)"
		return
	fi
	out=$(systemd-analyze --no-pager syscall-filter 2>/dev/null)
	rc=$?
	version=$(systemd-analyze --version | awk 'NR == 1 { print $2 }')
	# A group's name at the start of a line, its members (nested groups too) indented below it.
	while IFS= read -r line; do
		read -r word _ <<<"$line"
		if [[ -z $word || $word == '#'* ]]; then
			continue
		elif [[ $line == @* ]]; then
			g=$word
			SD_GROUPS[$g]=
		elif [[ -n ${g:-} ]]; then
			SD_GROUPS[$g]+=" $word"
		fi
	done <<<"$out"
	if [[ $rc -ne 0 || ${#SD_GROUPS[@]} -lt 25 ]]; then
		ok 1 "systemd-analyze syscall-filter lists systemd's groups" "exit status $rc, ${#SD_GROUPS[@]} groups"
	elif [[ ! $version =~ ^[0-9]+$ || $version -lt 252 ]]; then
		# The table records what systemd added after 252; an older systemd lacks more than that.
		skip "the groups against systemd's" "systemd ${version:-(no version)} is older than 252, which the table is written against"
	else
		compare "$version"
	fi
}

if [[ ! -x $LISTER ]]; then
	skip "the groups against systemd's" "$LISTER (the unit test that lists our groups) was not built"
else
	while read -r kind g rest; do
		case $kind in
		group) OURS[$g]=$rest ;;
		diff) DIFF["$g ${rest% *}"]=${rest##* } ;;
		esac
	done < <("$LISTER" --list)
	if [[ ${#OURS[@]} -lt 25 || ${#DIFF[@]} -lt 10 ]]; then
		ok 1 "$LISTER --list prints our groups and the differences" "got ${#OURS[@]} groups, ${#DIFF[@]} differences"
	else
		check_man
		check_systemd
	fi
fi

# An allow list of @system-service under syscall-default kill: Python's subprocess closes its
# fds with close_range (@basic-io) and runs a child.
ALLOW=(--setenv PATH /usr/bin:/bin --syscall-default kill --syscall 'allow @system-service')
sb "${SYSTEM[@]}" "${ALLOW[@]}" -- "$PY" -c 'import subprocess; print(subprocess.run(["true"]).returncode)'
is "$RC $OUT" "0 0" "allow @system-service, the rest killed: Python's subprocess.run works (close_range is in @basic-io)"
# landlock_create_ruleset (444 on every architecture) asked for its ABI version: @system-service
# holds @default, which holds @sandbox.
sb "${SYSTEM[@]}" "${ALLOW[@]}" -- "$PY" -c 'import ctypes; ctypes.CDLL(None).syscall(444, 0, 0, 1); print("alive")'
is "$RC $OUT" "0 alive" "and landlock_create_ruleset, through @default's nested @sandbox"
# fsopen (430 on every architecture) is in @mount, not in @system-service: killed.
sb "${SYSTEM[@]}" "${ALLOW[@]}" -- "$PY" -c 'import ctypes; ctypes.CDLL(None).syscall(430, 0, 0); print("alive")'
is "$RC" 159 "while fsopen, in no group of @system-service, is killed (SIGSYS)"

done_testing
