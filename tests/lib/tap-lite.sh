# tap-lite.sh: TAP helpers in plain sh for the tests that run inside the vm tier's guests:
# limits.sh under busybox sh (run-cgroupfs packs this file into the initramfs) and dbus.sh
# in the Debian guest (run-systemd puts it on the payload disk). tap.sh is the host's: it
# needs bash and the host's tools, and stays self-contained because the vm-escape payload
# carries it alone. Source this, optionally call `plan N`, the checks, then `done_testing`.
# shellcheck shell=sh

_tap_n=0
_tap_failed=0
_tap_planned=

plan() {
	_tap_planned=$1
	echo "1..$1"
}

# diag TEXT...: each line of TEXT as a TAP comment.
diag() {
	printf '%s\n' "$*" | sed 's/^/#   /'
}

# ok STATUS NAME [DIAGNOSTIC...]: one test, passed when STATUS is 0; a failure prints the
# diagnostics (each may span several lines).
ok() {
	_tap_status=$1 _tap_name=$2
	shift 2
	_tap_n=$((_tap_n + 1))
	if [ "$_tap_status" -eq 0 ]; then
		echo "ok $_tap_n - $_tap_name"
		return 0
	fi
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $_tap_name"
	for _tap_d in "$@"; do diag "$_tap_d"; done
	return 1
}

# is GOT WANT NAME [DIAGNOSTIC...]
is() {
	_tap_got=$1 _tap_want=$2 _tap_name=$3
	shift 3
	[ "$_tap_got" = "$_tap_want" ]
	ok $? "$_tap_name" "got:  '$_tap_got'" "want: '$_tap_want'" "$@"
}

# like TEXT ERE NAME [DIAGNOSTIC...]: some line of TEXT matches the extended regex.
like() {
	_tap_text=$1 _tap_re=$2 _tap_name=$3
	shift 3
	printf '%s\n' "$_tap_text" | grep -qE -- "$_tap_re"
	ok $? "$_tap_name" "got:  '$_tap_text'" "want: a line matching /$_tap_re/" "$@"
}

# unlike TEXT ERE NAME [DIAGNOSTIC...]: no line of TEXT matches.
unlike() {
	_tap_text=$1 _tap_re=$2 _tap_name=$3
	shift 3
	! printf '%s\n' "$_tap_text" | grep -qE -- "$_tap_re"
	ok $? "$_tap_name" "got:  '$_tap_text'" "want: no line matching /$_tap_re/" "$@"
}

# gt NUMBER LIMIT NAME [DIAGNOSTIC...]: NUMBER is an integer above LIMIT.
gt() {
	_tap_got=$1 _tap_limit=$2 _tap_name=$3
	shift 3
	case $_tap_got in '' | *[!0-9]*) false ;; *) [ "$_tap_got" -gt "$_tap_limit" ] ;; esac
	ok $? "$_tap_name" "got:  '$_tap_got'" "want: a number above $_tap_limit" "$@"
}

# done_testing: exits with the status, failing also when the count differs from the plan;
# without a plan, prints the plan of what ran.
done_testing() {
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	if [ -n "$_tap_planned" ] && [ "$_tap_n" -ne "$_tap_planned" ]; then
		echo "# planned $_tap_planned tests but ran $_tap_n"
		exit 1
	fi
	[ "$_tap_failed" -eq 0 ]
	exit $?
}
