#!/usr/bin/env bash
# Escape probe: the objects a launch stages while it builds its root (--bind-data and
# --ro-bind-data files, --tmp-overlay's upper layer) are never reachable by a name that another
# process can write. Sandbox A builds its root over a shared directory (--bind DIR /) while
# sandbox B, with DIR bound too, watches DIR with inotify and exchanges every name that appears
# there with a symlink to a host file (or directory) of the user's outside both roots; then B
# plants symlinks under the names a launch once used. Either way A must get its own data, no
# host file may be read or written through A, no launch may fail because of B, and no name may
# appear in DIR at all (the watch sees every one). Bounded rounds, no sleeps: B says it is
# watching through a fifo and stops when the test creates its stop file.
. "$(dirname "$0")/../lib/tap.sh"

: "${ESCAPE_STAGING:=$T_LIB/../../build/tests/escape/escape-staging}"
if [[ ! -x $ESCAPE_STAGING ]]; then
	skip "staging escape probes" "ESCAPE_STAGING=$ESCAPE_STAGING was not built"
	done_testing
	exit
fi
cp "$ESCAPE_STAGING" "$STAGE/bin/staging"
chmod 755 "$STAGE/bin/staging"
ESC="$STAGE/bin/staging"
ROUNDS=8

# The user's own host files outside both roots, what B points its symlinks at: not under /tmp,
# which the new root covers while it is built (a symlink there would lead nowhere).
H=$(mktemp -d /var/tmp/sandbox-staging.XXXXXX)
chmod 755 "$H"
racer_pid=
cleanup() {
	[[ -n $racer_pid ]] && kill -9 "$racer_pid" 2>/dev/null
	rm -rf "$H"
	chmod -R u+w "$STAGE" 2>/dev/null
	rm -rf "$STAGE"
}
trap cleanup EXIT
[[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && chown 65534:65534 "$H"
as_user sh -c "umask 077; echo SECRET-$$ >'$H/secret'; echo VICTIM-$$ >'$H/victim'; mkdir '$H/secretdir'; echo untouched >'$H/secretdir/f'"

DIR=$W/shared
as_user mkdir "$DIR" "$W/layer"
as_user sh -c "echo LAYER-$$ >'$W/layer/f'"
# A's data: large, so that copying it would keep a staging name open for a while.
{
	echo "DATA-$$"
	head -c $((2 << 20)) /dev/zero
} >"$W/big"
chmod 644 "$W/big"
# A's root: the probe and the destinations, which exist (nothing needs creating in DIR).
as_user cp "$ESC" "$DIR/staging"
as_user touch "$DIR/data"
as_user mkdir "$DIR/ov"
mkfifo "$W/ready"
chmod 666 "$W/ready"

host_files() { # what A must never read or change through B's symlinks
	cat "$H/secret" "$H/victim" "$W/big" | md5sum
	(cd "$H" && find . -printf '%p %s %T@\n' | sort)
	(cd "$W" && find layer -printf '%p %s %T@\n' | sort)
}

# launch KIND: one launch of sandbox A with the staged object KIND; sets RC, OUT, ERR, WANT.
launch() {
	case $1 in
	ro-bind-data)
		WANT=DATA-$$
		sbd --bind "$DIR" / --ro-bind-data 3 /data -- /staging read /data 3<"$W/big"
		;;
	bind-data)
		WANT=DATA-$$
		sbd --bind "$DIR" / --bind-data 3 /data -- /staging append /data written-by-A 3<"$W/big"
		;;
	tmp-overlay)
		WANT=LAYER-$$
		sbd --bind "$DIR" / --overlay-src "$W/layer" --tmp-overlay /ov -- /staging append /ov/f written-by-A
		;;
	esac
}

# start_racer FILE: sandbox B in the background, watching DIR (its /dir) once this returns;
# it swaps in symlinks to FILE, or to the user's secret directory for a directory.
start_racer() {
	local fd line='' target=$1
	rm -rf "$DIR"/.racer-* "$DIR"/.sandbox-*
	if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT; then
		set -- setpriv --reuid=65534 --regid=65534 --clear-groups --
	else
		set --
	fi
	(cd "$STAGE" && exec "$@" "$SB" "${T_EXTRA[@]}" --bind "$DIR" /dir --bind "$W/ready" /ready --ro-bind "$ESC" /staging \
		-- /staging race /dir "$target" "$H/secretdir" /ready) </dev/null >"$W/race.out" 2>"$W/race.err" &
	racer_pid=$!
	# Bounded, in case B died before its watch was up; B writes as soon as it is.
	exec {fd}<>"$W/ready"
	read -r -t 120 -u "$fd" line
	exec {fd}>&-
	[[ $line == up ]]
}

# expect KIND: sets WANT_END to what a launch of KIND ends with when B is not there, in the form
# outcome prints: its own data or, for --tmp-overlay under a kernel without overlayfs (the vm
# tier's guest has no modules), the overlay mount's ENODEV, which comes after the staging. With
# B racing, every launch must end exactly so. Anything else: nothing to compare with (empty).
expect() {
	launch "$1"
	WANT_END=
	if [[ $RC -eq 0 && $OUT == "$WANT" ]]; then
		WANT_END="0 $WANT"
	elif [[ $1 == tmp-overlay && $RC -eq 125 && $ERR == *"mounting overlay: No such device" ]]; then
		echo "# this kernel has no overlayfs: --tmp-overlay ends at the overlay mount, after the staging"
		WANT_END="$RC $ERR"
	fi
}

# outcome: how the last launch ended: "STATUS OUTPUT", or "STATUS STDERR" for a failure.
outcome() {
	if [[ $RC -eq 0 ]]; then echo "0 $OUT"; else echo "$RC $ERR"; fi
}

# stop_racer: B ends when it sees its stop file appear; prints the names it saw appear.
stop_racer() {
	as_user touch "$DIR/.racer-stop"
	wait "$racer_pid"
	racer_pid=
	grep '^appeared' "$W/race.out" | sort | uniq -c | tr '\n' ' '
}

declare -A EXPECT
for mode in new legacy; do
	if [[ $mode == legacy ]]; then export SANDBOX_TEST_LEGACY=1; else unset SANDBOX_TEST_LEGACY; fi
	P="[$mode] "
	for kind in ro-bind-data bind-data tmp-overlay; do
		rm -rf "$DIR"/.racer-* "$DIR"/.sandbox-*
		expect "$kind"
		EXPECT[$kind]=$WANT_END
		if [[ -z $WANT_END ]]; then
			ok 1 "${P}$kind: control: A runs over the shared dir without B" "status $RC: $OUT" "stderr: $ERR"
			continue
		fi
		before=$(host_files)
		# What A would read (--ro-bind-data) or write (--bind-data) if it followed B's symlink.
		target=$H/secret
		[[ $kind == bind-data ]] && target=$H/victim
		if ! start_racer "$target"; then
			ok 1 "${P}$kind: sandbox B watches the shared dir" "$(cat "$W/race.out" "$W/race.err")"
			continue
		fi
		wrong='' failed=''
		for ((i = 0; i < ROUNDS; i++)); do
			launch "$kind"
			if [[ $(outcome) == "$WANT_END" ]]; then
				continue
			elif [[ $RC -ne 0 ]]; then
				failed+="round $i: status $RC: $ERR"$'\n'
			else
				wrong+="round $i: $OUT"$'\n'
			fi
		done
		appeared=$(stop_racer)
		is "$wrong" "" "${P}$kind: A got its own data in every one of $ROUNDS launches, never B's symlink target"
		is "$failed" "" "${P}$kind: no launch of A failed while B raced (or ended otherwise than without B)"
		is "$appeared" "" "${P}$kind: no name appeared in the shared dir while A built its root ($(tail -1 "$W/race.out"))"
		is "$(host_files)" "$before" "${P}$kind: no host file outside both roots was written"
	done

	# The names a launch once staged under, planted beforehand as symlinks out of the root.
	rm -rf "$DIR"/.racer-* "$DIR"/.sandbox-*
	for ((i = 0; i < 16; i++)); do
		as_user ln -s "$H/secret" "$DIR/.sandbox-data-$i"
		as_user ln -s "$H/secretdir" "$DIR/.sandbox-overlay-$i"
	done
	# The entries (type, mode, owner, size, name, target), not a block total: that moves with the
	# file system's own allocation.
	planted=$(find "$DIR" -mindepth 1 -maxdepth 1 -printf '%M %u %g %s %f %l\n' | sort)
	before=$(host_files)
	for kind in ro-bind-data bind-data tmp-overlay; do
		[[ -z ${EXPECT[$kind]} ]] && continue
		launch "$kind"
		is "$(outcome)" "${EXPECT[$kind]}" "${P}$kind: with symlinks planted under predictable names, A runs and gets its own data"
	done
	is "$(find "$DIR" -mindepth 1 -maxdepth 1 -printf '%M %u %g %s %f %l\n' | sort)" "$planted" \
		"${P}the planted names are left as they were"
	is "$(host_files)" "$before" "${P}no host file outside both roots was written through a planted name"
	rm -f "$DIR"/.sandbox-*
done
unset SANDBOX_TEST_LEGACY

done_testing
