#!/usr/bin/env bash
# Mount construction: what the sandbox sees in /proc/self/mountinfo and on disk.
# The checks run twice: with the new mount API and openat2, and with the fallbacks
# for older kernels (SANDBOX_TEST_LEGACY=1).
. "$(dirname "$0")/../lib/tap.sh"

mkdir -p "$W/src/sub" && echo data >"$W/src/file" && chmod -R a+rwX "$W/src"

for mode in new legacy; do
	if [[ $mode == legacy ]]; then export SANDBOX_TEST_LEGACY=1; else unset SANDBOX_TEST_LEGACY; fi
	P="[$mode] "
	MI='cat /proc/self/mountinfo'

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --ro-bind / /host -- sh -c "$MI"
	is "$RC" 0 "${P}--ro-bind / /host runs"
	host_lines=$(echo "$OUT" | awk '$5 ~ "^/host(/|$)"')
	if [[ $mode == legacy ]]; then
		# Without mount_setattr, flags are set by path, which reaches only the top mount of a
		# stack (the host has /dev/shm twice), and no mount under a later one at the same place
		# or above it: those can't be reached at all.
		host_lines=$(echo "$host_lines" | awk '{ mp[NR] = $5; line[NR] = $0 }
			END { for (i = 1; i <= NR; i++) { c = 0
				for (j = i + 1; j <= NR; j++) if (mp[i] == mp[j] || index(mp[i], mp[j] "/") == 1) c = 1
				if (!c) print line[i] } }')
	fi
	is "$(echo "$host_lines" | awk '$6 !~ /(^|,)ro(,|$)/' | wc -l)" 0 "${P}--ro-bind is read-only on every submount"
	is "$(echo "$host_lines" | awk '$6 !~ /nosuid/' | wc -l)" 0 "${P}binds are nosuid, submounts too"
	is "$(echo "$host_lines" | awk '$6 !~ /nodev/' | wc -l)" 0 "${P}binds are nodev, submounts too"
	like "$(echo "$host_lines" | wc -l)" "^[1-9]" "${P}submounts came along"
	unlike "$OUT" "shared:" "${P}no mount has shared: peers"
	is "$(echo "$OUT" | awk '{print $5}' | grep -cvE '^/(host(/.*)?|usr|bin|lib|lib32|lib64|proc(/.*)?)?$')" 0 \
		"${P}no mount but the ones asked for (the old root is gone)"

	sb "${SYSTEM[@]}" --bind "$W" /w -- sh -c 'touch /w/made-inside; ls -di / /.. | cut -d" " -f1 | uniq | wc -l'
	is "$OUT" 1 "${P}/.. is /"
	[[ -e $W/made-inside ]]
	ok $? "${P}--bind is writable and reaches the host"
	rm -f "$W/made-inside"

	# A bind of / or /tmp shows the host's /tmp, not the launch's own mounts there.
	echo "host tmp" >"$W/src/in-tmp"
	sb --bind / / -- cat "$W/src/in-tmp"
	is "$RC $OUT" "0 host tmp" "${P}--bind / / shows the host's /tmp"
	sb "${SYSTEM[@]}" --ro-bind /tmp /t -- sh -c "cat /t/${W#/tmp/}/src/in-tmp; touch /t/${W#/tmp/}/src/x 2>&1 || :"
	like "$RC $OUT" "^0 host tmp
.*Read-only file system" "${P}--ro-bind /tmp shows the host's /tmp, read-only"
	rm -f "$W/src/in-tmp"

	sb "${SYSTEM[@]}" --ro-bind "$W/src" /r -- sh -c 'cat /r/file; touch /r/x 2>&1; grep " /r " /proc/self/mountinfo'
	like "$OUT" "^data" "${P}--ro-bind shows the source"
	like "$OUT" "Read-only file system" "${P}--ro-bind can't be written"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --dev-bind /dev /dev -- sh -c 'echo > /dev/null && grep " /dev " /proc/self/mountinfo'
	is "$RC" 0 "${P}--dev-bind: devices work"
	unlike "$OUT" "nodev" "${P}--dev-bind is not nodev"

	sb "${SYSTEM[@]}" --bind-try /nonexistent /x --ro-bind-try /nonexistent /y --dev-bind-try /nonexistent /z -- sh -c 'ls /x /y /z 2>&1'
	is "$RC" 2 "${P}the -try binds of missing sources are skipped (and create nothing)"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --dev /dev -- sh -c 'ls -A /dev | tr "\n" " "; ls -A /dev/pts | tr "\n" " "; grep -E " /dev(/pts)? " /proc/self/mountinfo; echo x > /dev/null; head -c 3 /dev/urandom | wc -c'
	like "$OUT" "^core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ptmx " "${P}--dev holds only the minimal set"
	like "$OUT" " /dev/pts [^ ]* [^-]*- devpts [^ ]* rw,[^ ]*mode=620,ptmxmode=666" "${P}--dev has a private devpts instance"
	like "$OUT" "3$" "${P}--dev devices work"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid -- sh -c 'grep -E " /proc(/sys)? " /proc/self/mountinfo; echo 1 > /proc/sys/kernel/ns_last_pid 2>&1'
	like "$OUT" " /proc rw,nosuid,nodev,noexec" "${P}--proc mounts a procfs"
	like "$OUT" " /proc/sys ro," "${P}--proc: /proc/sys is read-only"

	# Without a pid namespace of its own, the caller's /proc, bound with its submounts (the kernel
	# mounts a procfs only for a pid namespace the sandbox owns), as bubblewrap does.
	sb "${SYSTEM[@]}" --proc /proc -- sh -c 'cat /proc/1/comm; grep -E " /proc(/sys|/keys)? " /proc/self/mountinfo; wc -c </proc/keys'
	is "$RC" 0 "${P}--proc without --unshare-pid runs"
	is "$(echo "$OUT" | head -1)" "$(cat /proc/1/comm)" "${P}... and shows the caller's processes"
	like "$OUT" " /proc/sys ro," "${P}... with /proc/sys read-only"
	like "$OUT" " /proc/keys ro,.*
0$" "${P}... and /proc/keys empty, as with a new procfs"
	# A host whose /proc has a submount (binfmt_misc on most): inherited from a more privileged
	# namespace, it is locked, and it must come along unchanged or read-only, never fail.
	if [[ $T_ROOT -eq 0 ]] && ! $T_AS_ROOT && [[ -d /proc/sys/fs/binfmt_misc ]] && command -v unshare >/dev/null; then
		for pidns in "" --unshare-pid; do
			# shellcheck disable=SC2016 # for the inner shell
			_run unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0755 locked /proc/sys/fs/binfmt_misc && exec "$@"' sh \
				setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SB" --no-default-policy --bind / / $pidns --proc /proc -- \
				sh -c 'grep -E " /proc/sys(/fs/binfmt_misc)? " /proc/self/mountinfo'
			is "$RC" 0 "${P}--bind / / ${pidns:+$pidns }--proc /proc with a locked submount in the host's /proc runs"
			[[ -z $pidns ]] && like "$OUT" " /proc/sys/fs/binfmt_misc ro," "${P}... and the submount is read-only with /proc/sys"
		done
	elif ! $T_AS_ROOT; then
		# (The as-root pass repeats the topics as real root: the normal pass, as root, has this.)
		skip "${P}--proc with a locked submount in the host's /proc" "needs root, unshare and /proc/sys/fs/binfmt_misc"
	fi

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --perms 0700 --size 1M --tmpfs /t --tmpfs /u -- sh -c 'stat -c %a /t /u; grep -E " /(t|u) " /proc/self/mountinfo'
	like "$OUT" "^700
755" "${P}--tmpfs: mode 0755, or --perms for the next one only"
	like "$OUT" " /t [^-]*- tmpfs [^ ]* rw,size=1024k" "${P}--size limits the next --tmpfs"

	sb "${SYSTEM[@]}" --dir /a/b/c --perms 0711 --dir /a/d --tmpfs /t --symlink t /s --dir /s/via-link -- sh -c 'stat -c "%n %a" /a /a/b/c /a/d; ls /t'
	is "$OUT" "/a 755
/a/b/c 755
/a/d 711
via-link" "${P}--dir creates parents, --perms sets its mode, a symlink inside the root is followed"

	printf 'one' >"$W/d1"
	printf 'two' >"$W/d2"
	printf 'three' >"$W/d3"
	sb "${SYSTEM[@]}" --file 5 /etc/f --perms 0640 --file 6 /etc/g --ro-bind-data 7 /etc/ro -- \
		sh -c 'cat /etc/f /etc/g /etc/ro; echo; stat -c "%n %a" /etc/f /etc/g /etc/ro; { echo x > /etc/ro; } 2>&1; ls -A /' 5<"$W/d1" 6<"$W/d2" 7<"$W/d3"
	like "$OUT" "^onetwothree
/etc/f 666
/etc/g 640
/etc/ro 600" "${P}--file and --ro-bind-data write the data with the right modes"
	like "$OUT" "Read-only file system" "${P}--ro-bind-data is read-only"
	unlike "$OUT" "sandbox-data" "${P}no staging file is left visible"
	sb "${SYSTEM[@]}" --bind-data 5 /data -- sh -c 'echo more >> /data && cat /data' 5<"$W/d1"
	is "$OUT" "onemore" "${P}--bind-data is writable"

	# Under --bind / / the root is the host's, which the user can't write: the data files and
	# the overlay's upper layer are staged elsewhere, and nothing is left in the root. The
	# destinations exist: a directory of the user's, bound over /srv (the host has /srv).
	rm -rf "$W/own" && mkdir -p "$W/own/ov" && echo own >"$W/own/f" && echo own >"$W/own/g" &&
		echo lower >"$W/own/ov/h" && chmod -R a+rwX "$W/own"
	sb --bind / / --bind "$W/own" /srv --ro-bind-data 5 /srv/f --perms 0640 --bind-data 6 /srv/g -- \
		sh -c 'cat /srv/f; echo; echo more >> /srv/g && cat /srv/g; stat -c "%n %a" /srv/f /srv/g; ls -A /' 5<"$W/d1" 6<"$W/d2"
	is "$RC" 0 "${P}--ro-bind-data and --bind-data work under --bind / / as an unprivileged user"
	like "$OUT" "^one
twomore
/srv/f 600
/srv/g 640
" "${P}... with their data, --ro-bind-data mode 0600 and --perms for --bind-data"
	is "${OUT#*/srv/g 640$'\n'}" "$(ls -A /)" "${P}... and nothing is left in the root (the host's /)"
	is "$(cat "$W/own/f" "$W/own/g")" "own
own" "${P}... and the files they were bound over are untouched"
	sb --bind / / --bind "$W/own" /srv --overlay-src "$W/own/ov" --tmp-overlay /srv/ov -- \
		sh -c 'echo upper > /srv/ov/new && cat /srv/ov/h /srv/ov/new && ls -A /'
	if [[ $ERR == *"mounting overlay"* ]]; then
		skip "${P}--tmp-overlay under --bind / /" "the kernel refuses unprivileged overlayfs: $ERR"
	else
		is "$RC $(echo "$OUT" | head -2 | tr '\n' ' ')" "0 lower upper " "${P}--tmp-overlay works under --bind / / as an unprivileged user"
		is "$(echo "$OUT" | tail -n +3)" "$(ls -A /)" "${P}... and leaves nothing in the root"
		is "$(ls -A "$W/own/ov")" "h" "${P}... and its writes stay out of the lower layer"
	fi

	sb "${SYSTEM[@]}" --symlink usr/share /sh --symlink usr/share /sh -- readlink /sh
	is "$OUT" "usr/share" "${P}--symlink is idempotent"

	sb "${SYSTEM[@]}" --tmpfs /t --chmod 0701 /t -- stat -c %a /t
	is "$OUT" 701 "${P}--chmod changes the mode"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --tmpfs /t --remount-ro /t -- sh -c 'touch /t/x 2>&1; grep " /t " /proc/self/mountinfo'
	like "$OUT" "Read-only file system" "${P}--remount-ro makes the mount read-only"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --unshare-ipc --mqueue /mq -- sh -c 'grep " /mq " /proc/self/mountinfo'
	like "$OUT" " - mqueue " "${P}--mqueue mounts an mqueue"

	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --sys /sys -- sh -c 'touch /sys/x 2>&1; grep " /sys " /proc/self/mountinfo'
	like "$OUT" " /sys ro,[^ ]* - sysfs" "${P}--sys is a read-only sysfs (the host's, without a network namespace)"
	sb "${SYSTEM[@]}" --proc /proc --unshare-pid --unshare-net --sys /sys -- sh -c 'grep " /sys " /proc/self/mountinfo'
	like "$OUT" " /sys ro,[^ ]* - sysfs" "${P}--sys with --unshare-net: a new read-only sysfs"

	exec 8<"$W/src"
	sb "${SYSTEM[@]}" --ro-bind-fd 8 /fd-ro --bind-fd 8 /fd-rw -- sh -c 'cat /fd-ro/file; { touch /fd-ro/x; } 2>&1; touch /fd-rw/y && echo wrote'
	exec 8<&-
	like "$OUT" "^data
.*Read-only file system
wrote$" "${P}--ro-bind-fd and --bind-fd bind what the fd refers to"
	rm -f "$W/src/y"

	# A symlink in the root that points out of it leads nowhere outside.
	mkdir -p "$W/esc"
	chmod 777 "$W/esc"
	sb "${SYSTEM[@]}" --symlink "/../../../../..$W/esc" /e --dir /e/x -- true
	is "$RC" 125 "${P}a destination through a symlink to a missing path inside the root fails"
	sb "${SYSTEM[@]}" --dir "$W/esc" --symlink "/../../../..$W/esc" /e --tmpfs /e/t --symlink ../../../../../.. /up --dir /up/etc/made -- \
		sh -c "ls $W/esc; ls -d /etc/made"
	is "$OUT" "t
/etc/made" "${P}absolute and .. symlinks are resolved inside the root"
	is "$(ls -A "$W/esc")" "" "${P}and nothing landed on the host path"
done
unset SANDBOX_TEST_LEGACY

# Overlays (unprivileged overlayfs: Linux 5.11).
mkdir -p "$W/ov/top" "$W/ov/bottom" "$W/ov/upper" "$W/ov/work"
echo top >"$W/ov/top/f"
echo bottom >"$W/ov/bottom/f"
echo only-bottom >"$W/ov/bottom/g"
chmod -R a+rwX "$W/ov"
sb "${SYSTEM[@]}" --overlay-src "$W/ov/bottom" --overlay-src "$W/ov/top" --tmp-overlay /o -- sh -c 'cat /o/f /o/g; echo new > /o/n && cat /o/n'
if [[ $ERR == *"mounting overlay"* ]]; then
	skip "overlays" "the kernel refuses unprivileged overlayfs: $ERR"
else
	is "$OUT" "top
only-bottom
new" "--tmp-overlay: the last --overlay-src is on top, as in bubblewrap, writes work"
	is "$(cd "$W/ov" && echo top/* bottom/*)" "top/f bottom/f bottom/g" "--tmp-overlay: the layers are untouched"
	sb "${SYSTEM[@]}" --bind "$W/ov" "$W/ov" --overlay-src "$W/ov/bottom" --overlay "$W/ov/upper" "$W/ov/work" /o -- sh -c 'echo w > /o/written'
	is "$(cat "$W/ov/upper/written" 2>&1)" "w" "--overlay: writes go to RWSRC"
	sb "${SYSTEM[@]}" --overlay-src "$W/ov/top" --overlay-src "$W/ov/bottom" --ro-overlay /o -- sh -c 'cat /o/f /o/g; touch /o/x 2>&1'
	like "$OUT" "^bottom
only-bottom
.*Read-only file system" "--ro-overlay is read-only, the last --overlay-src on top"

	# Paths with what overlayfs takes apart in its options (",", ":", "\\") or a shell would (' ', '"'):
	# bubblewrap's test case, through the mount API and the fallbacks.
	odd=" \":,\\"
	as_user mkdir "$W/ov/lower$odd" "$W/ov/upper$odd" "$W/ov/work$odd"
	as_user sh -c 'printf 1 >"$1"' sh "$W/ov/lower$odd/a"
	for mode in new legacy; do
		if [[ $mode == legacy ]]; then export SANDBOX_TEST_LEGACY=1; else unset SANDBOX_TEST_LEGACY; fi
		rm -rf "$W/ov/upper$odd/a"
		sb "${SYSTEM[@]}" --bind "$W/ov" "$W/ov" --overlay-src "$W/ov/lower$odd" --overlay "$W/ov/upper$odd" "$W/ov/work$odd" "/o$odd" -- \
			sh -c 'cat "$1/a"; printf 2 >"$1/a"; cat "$1/a"' sh "/o$odd"
		is "$RC $OUT" "0 12" "[$mode] --overlay with a space, '\"', ':', ',' and '\\' in every path"
		is "$(cat "$W/ov/lower$odd/a") $(cat "$W/ov/upper$odd/a" 2>&1)" "1 2" "[$mode] ... the write went to the upper layer only"
	done
	unset SANDBOX_TEST_LEGACY
fi

done_testing
