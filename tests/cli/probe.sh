#!/usr/bin/env bash
# What a command sees in a root that holds nothing but the static probe: ids, capabilities,
# no_new_privs, fds, pids and sessions, environment, cwd, host name, file systems, and
# single syscalls through seccomp filters. No host program runs inside.
. "$(dirname "$0")/../lib/tap.sh"

needs_probe "probe checks"
if [[ ${PROBE_STATIC:-1} != 1 ]]; then
	BARE=("${SYSTEM[@]}" --ro-bind "$PR" /probe)
else
	BARE=(--ro-bind "$PR" /probe)
fi
pb() { sb "${BARE[@]}" "$@"; } # pb OPTIONS... -- /probe MODE...
uid=$(as_user id -u)
gid=$(as_user id -g)

pb -- /probe ls /
is "$OUT" "probe" "a bare root holds only what was bound (no trace of the old root)"
pb --proc /proc --dev /dev --tmpfs /tmp --dir /var --unshare-pid -- /probe ls /
is "$(tr '\n' ' ' <<<"$OUT")" "dev probe proc tmp var " "--proc, --dev, --tmpfs, --dir add exactly their entries"
pb -- /probe statfs /
like "$OUT" "^type: 1021994" "/ is a tmpfs"
like "$OUT" "flags: rw nosuid nodev" "/ is nosuid,nodev"

# Capabilities and no_new_privs, read with capget/prctl (no /proc needed).
pb -- /probe caps
is "$(tr '\n' ' ' <<<"$OUT")" "CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapBnd: 0000000000000000 CapAmb: 0000000000000000 NoNewPrivs: 1 Seccomp: 0 " \
	"no capability in any set, no_new_privs set"
pb --uid 0 --gid 0 -- /probe caps
like "$OUT" "CapEff: 0000000000000000.*NoNewPrivs: 1" "uid 0 inside: still no capability, no_new_privs"
pb --cap-add CAP_NET_RAW --cap-add chown -- /probe caps
like "$(tr '\n' ' ' <<<"$OUT")" "CapPrm: 0000000000002001 CapEff: 0000000000002001 CapBnd: 0000000000002001 " "--cap-add CAP_NET_RAW --cap-add chown"
pb --cap-add ALL --cap-drop CAP_NET_RAW -- /probe caps
like "$OUT" "CapEff: 000001ffffffdfff|CapEff: 000000ffffffdfff|CapEff: 0000003fffffdfff" "--cap-add ALL --cap-drop CAP_NET_RAW"
pb --cap-add all --cap-drop ALL -- /probe caps
like "$OUT" "CapEff: 0000000000000000" "--cap-drop ALL after --cap-add all: none"
pb --cap-add ALL -- /probe caps
like "$OUT" "NoNewPrivs: 1" "no_new_privs even with every capability"

# Ids.
pb -- /probe ids
is "$(tr '\n' ' ' <<<"$OUT")" "uid: $uid gid: $gid euid: $uid egid: $gid groups: " "the caller's ids inside, no supplementary group"
pb --uid 1234 --gid 4321 -- /probe ids
is "$(tr '\n' ' ' <<<"$OUT")" "uid: 1234 gid: 4321 euid: 1234 egid: 4321 groups: " "--uid and --gid"

# fds: what the command has is what a plain process started the same way has.
want=$(as_user "$PR" fds 7</dev/null)
pb -- /probe fds 7</dev/null
is "$OUT" "$want" "the command has the caller's fds (7 included) and none of the tool's"
pb --close-fds -- /probe fds 7</dev/null
is "$OUT" "0 1 2" "--close-fds: only 0 1 2"
pb --close-fds --keep-fd 7 -- /probe fds 7</dev/null 9</dev/null
is "$OUT" "0 1 2 7" "--close-fds --keep-fd 7: 0 1 2 7"
# (The runner may have left any fd open: the ones we hand over are taken out of the listing
# of a plain process that has them too.)
want=$(as_user "$PR" fds 57>/dev/null 58>/dev/null 59</dev/null 60</dev/null 61</dev/null 62</dev/null |
	tr ' ' '\n' | grep -vxE '5[7-9]|6[0-2]' | paste -sd' ')
pb --unshare-pid --info-fd 57 --json-status-fd 58 --sync-fd 59 --file 60 /f --bind-data 61 /g --block-fd 62 -- /probe fds \
	57>/dev/null 58>/dev/null 59</dev/null 60</dev/null 61</dev/null 62</dev/null
is "$OUT" "$want" "fds handed to options never reach the command"

# pids and sessions.
pb -- /probe pid
caller_sid=$(as_user "$PR" pid | sed -n 's/^sid: //p')
is "$(sed -n 's/^sid: //p' <<<"$OUT")" "$caller_sid" "without --new-session: the caller's session"
pb --new-session -- /probe pid
like "$(tr '\n' ' ' <<<"$OUT")" "^pid: ([0-9]+) ppid: [0-9]+ sid: \1 pgid: \1 $" "--new-session: a session of its own, led by the command"
pb --unshare-pid -- /probe pid
like "$(tr '\n' ' ' <<<"$OUT")" "^pid: 2 ppid: 1 " "--unshare-pid: the command is pid 2 under a pid 1"
pb --unshare-pid --as-pid-1 -- /probe pid
like "$(tr '\n' ' ' <<<"$OUT")" "^pid: 1 ppid: 0 " "--as-pid-1: the command is pid 1"

# Environment, argv0, cwd, host name.
pb --clearenv --setenv ONE 1 --setenv TWO 2 --unsetenv ONE -- /probe env
is "$(sort <<<"$OUT" | tr '\n' ' ')" "PWD=/ TWO=2 " "--clearenv --setenv --unsetenv"
KEPT=yes pb -- /probe env
has "$OUT" "KEPT=yes" "without --clearenv the environment is passed on"
pb --argv0 other -- /probe argv0
is "$OUT" "other" "--argv0"
pb --dir /a/b --chdir /a/b -- /probe cwd
is "$OUT" "/a/b" "--chdir"
pb --dir /a/b --chdir /a -- /probe cwd
is "$OUT" "/a" "--chdir to a directory made by --dir"
pb -- /probe cwd
is "$OUT" "/" "no --chdir, the caller's cwd not inside: /"
pb --unshare-uts --hostname probe-host -- /probe hostname
is "$OUT" "probe-host" "--hostname"
pb --unshare-uts -- /probe hostname
is "$OUT" "$(hostname)" "--unshare-uts alone keeps the name"

# Relative paths: destinations against the sandbox's /, sources against the caller's cwd.
pb --tmpfs rel/t --ro-bind bin/probe probe2 -- /probe2 ls /rel
is "$OUT" "t" "relative destinations land under /; relative sources are found from the cwd"

# End of options.
pb -- /probe argv0 --help --tmpfs
is "$RC $OUT" "0 /probe" "options after the command belong to the command"
pb /probe exit 4 --version
is "$RC" 4 "the first non-option ends the options (no --)"

# Exit statuses.
for n in 0 1 2 100 255; do
	pb -- /probe exit "$n"
	is "$RC" "$n" "exit $n"
done
for n in 1 2 9 15; do
	pb -- /probe kill "$n"
	is "$RC" "$((128 + n))" "killed by signal $n: $((128 + n))"
	pb --unshare-pid -- /probe kill "$n"
	is "$RC" "$((128 + n))" "killed by signal $n with a pid namespace: $((128 + n))"
done
pb -- /nope
is "$RC" 127 "not found: 127"
pb -- /
is "$RC" 126 "a directory: 126"
pb --file 5 /x -- /x 5<<<"not a program"
is "$RC" 126 "a file without x permission: 126"
pb --perms 0755 --file 5 /x -- /x 5<<<"#!/nonexistent/interpreter"
is "$RC" 127 "a script whose interpreter is missing: 127"

# File systems, seen through statfs().
pb --size 1M --tmpfs /t -- /probe statfs /t
like "$(tr '\n' ' ' <<<"$OUT")" "^type: 1021994 bytes: 1048576 flags: rw nosuid nodev" "--size 1M --tmpfs: a 1 MiB tmpfs"
pb --size 2k --tmpfs /t -- /probe statfs /t
like "$OUT" "bytes: 4096" "--size 2k rounds up to a page"
pb --ro-bind "$W" /w -- /probe statfs /w
like "$OUT" "flags: ro nosuid nodev" "--ro-bind: ro,nosuid,nodev"
pb --bind "$W" /w -- /probe statfs /w
like "$OUT" "flags: rw nosuid nodev" "--bind: rw,nosuid,nodev"
pb --dev-bind /dev /d -- /probe statfs /d
like "$OUT" "flags: rw nosuid$" "--dev-bind: devices allowed"
pb --ro-bind "$W" /w -- /probe write /w/x
is "$OUT" "EROFS" "--ro-bind can't be written"
pb --tmpfs /t --remount-ro /t -- /probe write /t/x
is "$OUT" "EROFS" "--remount-ro"
pb --unshare-pid --proc /proc -- /probe statfs /proc
like "$OUT" "^type: 9fa0" "--proc is a procfs"
pb --unshare-ipc --mqueue /mq -- /probe statfs /mq
like "$OUT" "^type: 19800202" "--mqueue is an mqueue fs"
pb --sys /sys -- /probe statfs /sys
like "$(tr '\n' ' ' <<<"$OUT")" "^type: 62656572 .*flags: ro" "--sys is a read-only sysfs"
pb --dev /dev -- /probe ls /dev
is "$(tr '\n' ' ' <<<"$OUT")" "core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " "--dev: exactly the minimal set"
pb --dev /dev -- /probe statfs /dev/pts
like "$OUT" "^type: 1cd1" "--dev: /dev/pts is a devpts"
pb --dir /d --chmod 0750 /d --perms 0700 --dir /e --perms 0711 --tmpfs /t -- /probe ls /
is "$RC" 0 "--chmod and --perms run"

# Data from a here-string.
pb --file 5 /etc/f --ro-bind-data 6 /etc/r --bind-data 7 /etc/w -- /probe cat /etc/f 5<<<"file data" 6<<<"ro data" 7<<<"rw data"
is "$OUT" "file data" "--file: the data from the fd"
pb --ro-bind-data 6 /etc/r -- /probe write /etc/r/x 6<<<"ro data"
is "$OUT" "ENOTDIR" "--ro-bind-data: a file"
pb --ro-bind-data 6 /etc/r -- /probe cat /etc/r 6<<<"ro data"
is "$OUT" "ro data" "--ro-bind-data: the data from the fd"

# Destinations through symlinks inside the root.
mkdir -p "$W/src" && echo data >"$W/src/file" && chmod -R a+rwX "$W/src"
pb --dir /usr/lib --symlink usr/lib /lib --ro-bind "$W/src" /lib/x -- /probe ls /usr/lib/x
is "$OUT" "file" "--symlink usr/lib /lib --ro-bind SRC /lib/x lands in /usr/lib/x"
esc=sandbox-test-escape-$$
pb --dir /etc --symlink /../../etc /e --bind "$W/src" "/e/$esc" -- /probe ls "/etc/$esc"
is "$OUT" "file" "a symlink to /../../etc is resolved inside the root"
[[ ! -e /etc/$esc ]]
ok $? "and nothing was made in the host's /etc"

# Seccomp: the probe makes each call with arguments that must fail, the errno tells who
# refused: EFAULT is the kernel, EPERM the filter.
if bpf_deny "$W/uname.bpf" uname && bpf_deny "$W/getcwd.bpf" getcwd; then
	pb -- /probe syscall uname
	is "$OUT" "EFAULT" "without a filter, uname reaches the kernel"
	pb --seccomp 5 -- /probe syscall uname 5<"$W/uname.bpf"
	is "$OUT" "EPERM" "--seccomp: the filter stops uname"
	pb --seccomp 5 -- /probe syscall getcwd 5<"$W/uname.bpf"
	is "$OUT" "EFAULT" "--seccomp: other calls go through"
	pb --seccomp 5 -- /probe caps 5<"$W/uname.bpf"
	like "$OUT" "Seccomp: 2" "--seccomp: filter mode"
	pb --add-seccomp-fd 5 --add-seccomp-fd 6 -- /probe syscall uname 5<"$W/uname.bpf" 6<"$W/getcwd.bpf"
	r1=$OUT
	pb --add-seccomp-fd 5 --add-seccomp-fd 6 -- /probe syscall getcwd 5<"$W/uname.bpf" 6<"$W/getcwd.bpf"
	is "$r1 $OUT" "EPERM EPERM" "--add-seccomp-fd twice: both filters apply"
	pb --add-seccomp-fd 5 -- /probe fds 5<"$W/uname.bpf"
	is "$OUT" "$(as_user "$PR" fds)" "the seccomp fd does not reach the command"
else
	skip "seccomp through the probe" "no syscall numbers for $(uname -m)"
fi

# User namespaces inside.
pb -- /probe userns
is "$OUT" "ok" "by default the command may make a user namespace"
pb --disable-userns -- /probe userns
like "$OUT" "^E" "--disable-userns: it can't"

done_testing
