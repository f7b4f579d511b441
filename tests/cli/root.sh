#!/usr/bin/env bash
# The main checks again as real root, and the refusal to run setuid. Needs root: as an
# ordinary user these say SKIP.
. "$(dirname "$0")/../lib/tap.sh"

if [[ $T_ROOT -ne 0 ]]; then
	skip "root checks" "not running as root"
	done_testing
	exit
fi

sb_root "${SYSTEM[@]}" --proc /proc --dev /dev --tmpfs /tmp --unshare-all --die-with-parent -- sh -c 'id -u; ls /; grep -E "^(Cap(Eff|Bnd)|NoNewPrivs)" /proc/self/status'
is "$RC" 0 "as root: the example runs"
like "$OUT" "^0
bin
dev" "as root: uid 0 inside, the root holds what was asked"
is "$(echo "$OUT" | grep -E "^(Cap|NoNew)" | tr -s '\t ' ' ' | tr '\n' ' ')" "CapEff: 0000000000000000 CapBnd: 0000000000000000 NoNewPrivs: 1 " \
	"as root: all capabilities are dropped (bubblewrap keeps them), no_new_privs"

sb_root "${SYSTEM[@]}" --proc /proc --unshare-pid -- sh -c 'cat /proc/self/uid_map; readlink /proc/self/ns/user'
has "$OUT" "$(readlink /proc/self/ns/user)" "as root without --unshare-user: no user namespace"
sb_root "${SYSTEM[@]}" --proc /proc --unshare-pid --unshare-user --uid 1000 --gid 1000 -- sh -c 'id -u; id -g; cat /proc/self/uid_map'
is "$(echo "$OUT" | tr -s ' ' | tr '\n' '|')" "1000|1000| 1000 0 1|" "as root with --unshare-user --uid 1000: mapped to root outside"
sb_root "${SYSTEM[@]}" --uid 1000 true
is "$RC" 125 "as root, --uid without a user namespace is refused"

sb_root "${SYSTEM[@]}" --proc /proc --unshare-pid --ro-bind / /host -- sh -c 'cat /proc/self/mountinfo; touch /host/root-was-here 2>&1'
is "$(echo "$OUT" | awk '$5 ~ "^/host(/|$)" && $6 !~ /(^|,)ro(,|$)/' | wc -l)" 0 "as root: --ro-bind is read-only on every submount"
like "$OUT" "Read-only file system" "as root: even root can't write through it"
[[ ! -e /root-was-here ]]
ok $? "as root: nothing was written to the host"

sb_root "${SYSTEM[@]}" --proc /proc --unshare-pid -- sh -c 'mount -t tmpfs none /usr 2>&1; echo rc=$?'
like "$OUT" "rc=[1-9]" "as root: the command can't mount (no capabilities)"

sb_root "${SYSTEM[@]}" --unshare-pid -- sh -c 'exit 9'
is "$RC" 9 "as root: the exit status is passed on"
sb_root "${SYSTEM[@]}" /nonexistent
is "$RC" 127 "as root: a missing command exits 127"

# Installed setuid (or setgid), it refuses to run.
cp "$SB" "$STAGE/bin/sandbox-suid"
chmod 4755 "$STAGE/bin/sandbox-suid"
o=$(cd "$STAGE" && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$STAGE/bin/sandbox-suid" "${SYSTEM[@]}" true 2>&1)
rc=$?
is "$rc" 125 "installed setuid root: refuses to run (exit 125)"
like "$o" "^sandbox: refusing to run with elevated privileges" "installed setuid root: says why"
chmod 2755 "$STAGE/bin/sandbox-suid"
o=$(cd "$STAGE" && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$STAGE/bin/sandbox-suid" "${SYSTEM[@]}" true 2>&1)
is "$?" 125 "installed setgid: refuses to run"
if command -v setcap >/dev/null; then
	chmod 0755 "$STAGE/bin/sandbox-suid"
	setcap cap_sys_admin+ep "$STAGE/bin/sandbox-suid"
	o=$(cd "$STAGE" && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$STAGE/bin/sandbox-suid" "${SYSTEM[@]}" true 2>&1)
	rc=$?
	is "$rc" 125 "with file capabilities: refuses to run"
	like "$o" "refusing to run" "with file capabilities: says why"
else
	skip "file capabilities" "setcap is not installed (package libcap2-bin)"
fi

# Where a memfd can't be executed (vm.memfd_noexec=2, set in a pid namespace of this test's own:
# only it and its children see the value), pid 1 can't be the small program run from one
# (setup/init.h): the child is forked instead, and the launch works the same. Our binary only,
# where the small program is built (x86_64, no sanitizer).
if [[ ${T_NODEF[*]} && $(uname -m) == x86_64 && -e /proc/sys/vm/memfd_noexec ]] && ! grep -q __asan_init "$SB"; then
	noexec=$(cat /proc/sys/vm/memfd_noexec)
	# shellcheck disable=SC2016 # expanded by the inner shell
	_run unshare --pid --fork --mount-proc sh -c 'echo 2 >/proc/sys/vm/memfd_noexec &&
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"' sh "$SB" --no-default-policy "${SYSTEM[@]}" \
		--proc /proc --unshare-pid -- sh -c 'tr "\0" "\n" </proc/1/cmdline | head -n 1; exit 7'
	like "$RC $OUT" "^7 [^ ]*/sandbox$" "vm.memfd_noexec=2: pid 1 is forked instead of run from a memfd, and the launch works"
	is "$(cat /proc/sys/vm/memfd_noexec)" "$noexec" "... and the host's vm.memfd_noexec is as it was"
fi

# libcap is loaded only to read capability names: with it hidden (a mount namespace of this
# test's own binds /dev/null over it), a launch runs, and --cap-add says what is missing.
libcap=$(ldconfig -p 2>/dev/null | awk '$1 == "libcap.so.2" { print $NF; exit }')
if [[ ${T_NODEF[*]} && -n $libcap ]]; then
	libcap=$(readlink -f "$libcap")
	# shellcheck disable=SC2016 # expanded by the inner shell
	hidden=(unshare --mount sh -c 'mount --bind /dev/null "$0" && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"' "$libcap")
	_run "${hidden[@]}" "$SB" "${SYSTEM[@]}" --proc /proc --unshare-all -- sh -c 'grep CapEff /proc/self/status'
	is "$RC $(echo "$OUT" | tr -s '\t' ' ')" "0 CapEff: 0000000000000000" "without libcap, a launch runs, with no capability"
	_run "${hidden[@]}" "$SB" "${SYSTEM[@]}" --unshare-all --cap-add CAP_NET_RAW -- true
	is "$RC" 125 "without libcap, --cap-add stops the launch (exit 125)"
	like "$ERR" "--cap-add CAP_NET_RAW: capability names need libcap.so.2, which could not be loaded" "... saying which option needs which library"
	has "$ERR" "apt-get install libcap2" "... and how to install it"
	_run "${hidden[@]}" "$SB" "${SYSTEM[@]}" --proc /proc --unshare-all --cap-add ALL -- sh -c 'grep CapEff /proc/self/status'
	like "$RC $OUT" "^0 CapEff:[[:space:]]+0*[13]f+$" "... but --cap-add ALL needs no name, and keeps them all"
fi

done_testing
