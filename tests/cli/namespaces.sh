#!/usr/bin/env bash
# Namespaces: which ones are new, the id maps, --userns/--pidns, nesting switched off,
# the network, the host name, ranges through newuidmap/newgidmap.
. "$(dirname "$0")/../lib/tap.sh"

P=(--proc /proc --unshare-pid)
ns_of() { as_user readlink "/proc/self/ns/$1"; }

sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'for n in user mnt ipc net uts cgroup time; do readlink /proc/self/ns/$n; done'
inside=$OUT
for n in user mnt pid; do
	if [[ $n == pid ]]; then
		sb "${SYSTEM[@]}" "${P[@]}" -- readlink /proc/self/ns/pid
		lacks "$OUT" "$(ns_of pid)" "--unshare-pid: a new pid namespace"
	else
		lacks "$inside" "$(ns_of "$n")" "always a new $n namespace"
	fi
done
for n in ipc net uts cgroup time; do
	has "$inside" "$(ns_of $n)" "$n namespace shared without --unshare-$n"
done

sb "${SYSTEM[@]}" "${P[@]}" --unshare-all -- sh -c 'for n in ipc net uts cgroup time; do readlink /proc/self/ns/$n; done'
for n in ipc net uts cgroup; do
	lacks "$OUT" "$(ns_of $n)" "--unshare-all: a new $n namespace"
done
has "$OUT" "$(ns_of time)" "--unshare-all leaves the time namespace (as bubblewrap)"
sb "${SYSTEM[@]}" "${P[@]}" --unshare-all --share-net -- readlink /proc/self/ns/net
is "$OUT" "$(ns_of net)" "--share-net keeps the network namespace"
for n in ipc net uts cgroup time; do
	sb "${SYSTEM[@]}" "${P[@]}" "--unshare-$n" -- readlink "/proc/self/ns/$n"
	lacks "$OUT" "$(ns_of $n)" "--unshare-$n: a new $n namespace"
done
sb "${SYSTEM[@]}" "${P[@]}" --unshare-cgroup-try --unshare-user-try -- readlink /proc/self/ns/cgroup
lacks "$OUT" "$(ns_of cgroup)" "--unshare-cgroup-try: a new cgroup namespace where the kernel has them"

sb "${SYSTEM[@]}" "${P[@]}" --unshare-net -- sh -c 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "; cat /sys/class/net/lo/operstate 2>/dev/null; grep -c "" /proc/net/if_inet6 2>/dev/null || true'
like "$OUT" "^lo$|^lo
" "--unshare-net: only lo"
sb "${SYSTEM[@]}" "${P[@]}" --unshare-net -- "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); c=socket.create_connection(s.getsockname()); print("connected")'
is "$OUT" "connected" "--unshare-net: loopback is up"

uid=$(as_user id -u)
gid=$(as_user id -g)
sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; cat /proc/self/setgroups'
is "$(echo "$OUT" | tr -s ' ' | tr '\n' '|')" "$uid|$gid| $uid $uid 1| $gid $gid 1|deny|" "by default the caller's own ids, mapped one to one; setgroups denied"
sb "${SYSTEM[@]}" "${P[@]}" --unshare-uts --hostname sandbox-box --uid 0 --gid 0 -- sh -c 'hostname; id -u; id -g; cat /proc/self/uid_map'
is "$(echo "$OUT" | tr -s ' ' | tr '\n' '|')" "sandbox-box|0|0| 0 $uid 1|" "--hostname, --uid 0, --gid 0"

sb "${SYSTEM[@]}" "${P[@]}" --unshare-user --disable-userns -- sh -c 'unshare -U true 2>&1; echo rc=$?'
like "$OUT" "rc=[1-9]" "--disable-userns: unshare -U fails inside"
sb "${SYSTEM[@]}" "${P[@]}" -- sh -c 'unshare -U true; echo rc=$?'
is "$OUT" "rc=0" "without it, unshare -U works inside (the check above can fail)"
sb "${SYSTEM[@]}" "${P[@]}" --assert-userns-disabled -- true
is "$RC" 125 "--assert-userns-disabled fails when user namespaces can still be made"
like "$ERR" "still possible" "and says why"

# --userns and --pidns: join the namespaces of sandboxes that stay up while we look.
mkfifo "$W/up" "$W/down"
chmod 666 "$W/up" "$W/down"
keep_up() { # keep_up JSON-FILE ARGS...: starts a sandbox that waits, sets pid once it is up
	local json=$1
	shift
	(sb "${SYSTEM[@]}" "${P[@]}" --bind "$W" "$W" --info-fd 5 "$@" -- sh -c "echo up > $W/up; read x < $W/down" 5>"$json") >/dev/null &
	read -r _ <"$W/up"
	pid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["child-pid"])' "$json")
}
keep_up "$W/first.json" --unshare-user
first_user=$(readlink "/proc/$pid/ns/user")
first_pid=$(readlink "/proc/$pid/ns/pid")
sb "${SYSTEM[@]}" "${P[@]}" --userns 5 -- readlink /proc/self/ns/user 5<"/proc/$pid/ns/user"
is "$OUT" "$first_user" "--userns joins the given user namespace"
sb "${SYSTEM[@]}" --userns 5 --pidns 6 "${P[@]}" -- sh -c 'readlink /proc/self/ns/pid; echo $$' 5<"/proc/$pid/ns/user" 6<"/proc/$pid/ns/pid"
lacks "$OUT" "$first_pid" "--pidns with --unshare-pid: a new pid namespace inside the given one"
is "$(echo "$OUT" | tail -1)" 2 "and the command is its pid 2"
sb "${SYSTEM[@]}" --userns 5 --pidns 6 -- sh -c 'echo $$' 5<"/proc/$pid/ns/user" 6<"/proc/$pid/ns/pid"
like "$OUT" "^[3-9]$|^[1-9][0-9]+$" "--pidns alone: the command runs in the given pid namespace"
echo "done" >"$W/down"
wait
keep_up "$W/second.json" --unshare-user --disable-userns
sb "${SYSTEM[@]}" --userns 5 --assert-userns-disabled -- true 5<"/proc/$pid/ns/user"
is "$RC" 0 "--assert-userns-disabled passes in a namespace made with --disable-userns"
echo "done" >"$W/down"
wait

# --userns2: a first sandbox makes a nested user namespace and keeps it alive; a second one
# joins the first's namespace for the setup, then switches into the nested one.
mkfifo "$W/pid1" "$W/pid2" && chmod 666 "$W/pid1" "$W/pid2"
exec {pid_fd1}<>"$W/pid1" {pid_fd2}<>"$W/pid2" # opened read-write: a failed sandbox can't leave us in open()
# (the host's /proc, bound writable, so that unshare -r can write the nested maps)
(sb "${SYSTEM[@]}" --bind /proc /proc --bind "$W" "$W" -- sh -c \
	"echo \$\$ > $W/pid1; unshare -U -r sh -c 'echo \$\$ > $W/pid2; read x < $W/down'; true") >/dev/null &
outer="" inner=""
read -r -t 60 -u "$pid_fd1" outer
read -r -t 60 -u "$pid_fd2" inner
nested=$(readlink "/proc/$inner/ns/user")
# (the outer sh must not exec unshare, or both pids would name the nested namespace; the
# pid namespace is new so that /proc can be mounted from the joined user namespace)
sb "${SYSTEM[@]}" --userns 5 --userns2 6 --unshare-pid --proc /proc -- sh -c 'readlink /proc/self/ns/user; id -u' \
	5<"/proc/$outer/ns/user" 6<"/proc/$inner/ns/user"
is "$OUT" "$nested
0" "--userns2: the command ends up in the nested user namespace, as the uid its map gives"
echo "done" >"$W/down"
wait
exec {pid_fd1}<&- {pid_fd2}<&-

# --userns-block-fd: the caller writes the maps itself.
as_user "$PY" - "$SB" "${SYSTEM[@]}" "${P[@]}" >"$W/ubf" 2>&1 <<'PY'
import json, os, subprocess, sys
sb, system = sys.argv[1], sys.argv[2:]
ir, iw = os.pipe(); br, bw = os.pipe()
p = subprocess.Popen([sb, "--no-default-policy"] + system + ["--unshare-user", "--info-fd", str(iw), "--userns-block-fd", str(br),
                      "sh", "-c", "id -u; cat /proc/self/uid_map"], pass_fds=(iw, br), cwd="/")
os.close(iw); os.close(br)
pid = json.loads(os.fdopen(ir).read())["child-pid"]
uid, gid = os.getuid(), os.getgid()
open(f"/proc/{pid}/setgroups", "w").write("deny")
open(f"/proc/{pid}/uid_map", "w").write(f"5 {uid} 1")
open(f"/proc/{pid}/gid_map", "w").write(f"5 {gid} 1")
os.write(bw, b"x"); os.close(bw)
print("rc", p.wait())
PY
is "$(tr -s ' ' <"$W/ubf" | tr '\n' '|')" "5| 5 $uid 1|rc 0|" "--userns-block-fd: the caller's maps are in place when the command starts"

# Ranges through newuidmap/newgidmap: entries for uid 65534 in /etc/subuid and /etc/subgid.
if [[ $T_ROOT -ne 0 ]]; then
	skip "--uid-map/--gid-map ranges" "needs root to add /etc/subuid and /etc/subgid entries"
elif ! command -v newuidmap >/dev/null; then
	skip "--uid-map/--gid-map ranges" "newuidmap is not installed (package uidmap)"
else
	for f in /etc/subuid /etc/subgid; do
		[[ -e $f ]] || touch "$f"
		cp -p "$f" "$STAGE/$(basename $f).saved"
	done
	trap 'cp -p "$STAGE/subuid.saved" /etc/subuid; cp -p "$STAGE/subgid.saved" /etc/subgid; chmod -R u+w "$STAGE"; rm -rf "$STAGE"' EXIT
	name=$(getent passwd 65534 | cut -d: -f1)
	echo "$name:300000:65536" >>/etc/subuid
	echo "$name:300000:65536" >>/etc/subgid
	sb "${SYSTEM[@]}" "${P[@]}" --uid-map 0 65534 1 --uid-map 1 300000 1000 --gid-map 0 65534 1 --gid-map 1 300000 1000 -- \
		sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	is "$(echo "$OUT" | tr -s ' ' | tr '\n' '|')" "0|0| 0 65534 1| 1 300000 1000| 0 65534 1| 1 300000 1000|" \
		"--uid-map/--gid-map: the ranges are mapped, the caller is 0 inside"
	sb "${SYSTEM[@]}" "${P[@]}" --uid-map 0 65534 1 --uid-map 1 300000 1000 --uid 500 --cap-add CAP_CHOWN -- \
		sh -c 'id -u; id -g; cat /proc/self/gid_map; grep CapEff /proc/self/status'
	is "$(echo "$OUT" | tr -s ' \t' ' ' | tr '\n' '|')" "500|65534| 65534 65534 1|CapEff: 0000000000000001|" \
		"--uid picks an id from the ranges (keeping --cap-add); the gid is mapped one to one"
	sb "${SYSTEM[@]}" "${P[@]}" --uid-map 0 400000 10 -- true
	is "$RC" 125 "a range not granted in /etc/subuid: exit 125"
	like "$ERR" "--uid-map: newuidmap refused the mapping" "and says which helper refused"

	# A change of uid clears the parent-death signal: it must be set again after the switch, in
	# the command and in our pid 1 alike.
	R=(--uid-map 0 65534 1 --uid-map 1 300000 1000 --gid-map 0 65534 1 --gid-map 1 300000 1000 --uid 500 --gid 500)
	sb "${SYSTEM[@]}" "${R[@]}" --die-with-parent --ro-bind "$PR" /probe -- /probe pdeathsig
	is "$OUT" 9 "--die-with-parent with --uid from the ranges: the command still has its parent-death signal" "$ERR"
	rm -f "$W/ready" && mkfifo -m 666 "$W/ready"
	(cd "$STAGE" && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SB" --no-default-policy \
		"${SYSTEM[@]}" "${P[@]}" "${R[@]}" --dev /dev --die-with-parent --bind "$W" "$W" --info-fd 5 -- \
		sh -c "sleep 1000 & echo up > $W/ready; wait" 5>"$W/info") </dev/null >/dev/null 2>"$W/err" &
	bg=$!
	read -r _ <"$W/ready"
	is "$(kill_sandbox "$bg" "$W/info")" "" \
		"--die-with-parent with --uid from the ranges: SIGKILL of the tool leaves no process of the sandbox"
	cp -p "$STAGE/subuid.saved" /etc/subuid
	cp -p "$STAGE/subgid.saved" /etc/subgid
fi

done_testing
