/* SPDX-License-Identifier: MIT */
/* What the kernel reads of each syscall argument: how many bits, and which are pointers (pure
 * data, declared in rules.h); and conditions narrowed to what the kernel reads. */
#include <string.h>

#include "rules.h"

#define ARG_BIT(n) (1u << (n))
/* Arguments the kernel reads narrower than the 64 bits seccomp compares (their declared type in
 * the kernel's SYSCALL_DEFINE): an int, unsigned int, pid_t, uid_t, key, clock id or file
 * descriptor has 32 bits, a umode_t 16. clone takes its flags' low half; unshare's high bits
 * make it fail (EINVAL), so their low half decides as well. A comparison on them must see the
 * value as the kernel does (rules_narrow): else a caller sets high bits to slip past a deny
 * (CVE-2019-10063, TIOCSTI), or to match an allow with a value the kernel reads otherwise. */
static const struct {
        char syscall[32]; /* inline, not a pointer: no relocation at each start */
        uint8_t bits32, bits16;
} narrow_args[] = {
        /* files and descriptors */
        { "read", ARG_BIT(0), 0 },
        { "write", ARG_BIT(0), 0 },
        { "pread64", ARG_BIT(0), 0 },
        { "pwrite64", ARG_BIT(0), 0 },
        { "readv", ARG_BIT(0), 0 },
        { "writev", ARG_BIT(0), 0 },
        { "preadv", ARG_BIT(0), 0 },
        { "pwritev", ARG_BIT(0), 0 },
        { "preadv2", ARG_BIT(0) | ARG_BIT(5), 0 },
        { "pwritev2", ARG_BIT(0) | ARG_BIT(5), 0 },
        { "open", ARG_BIT(1), ARG_BIT(2) },
        { "openat", ARG_BIT(0) | ARG_BIT(2), ARG_BIT(3) },
        { "openat2", ARG_BIT(0), 0 },
        { "creat", 0, ARG_BIT(1) },
        { "close", ARG_BIT(0), 0 },
        { "close_range", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "dup", ARG_BIT(0), 0 },
        { "dup2", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "dup3", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "pipe2", ARG_BIT(1), 0 },
        { "lseek", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "fcntl", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "flock", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "ioctl", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "fstat", ARG_BIT(0), 0 },
        { "fstatfs", ARG_BIT(0), 0 },
        { "newfstatat", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "statx", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "fsync", ARG_BIT(0), 0 },
        { "fdatasync", ARG_BIT(0), 0 },
        { "syncfs", ARG_BIT(0), 0 },
        { "sync_file_range", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "ftruncate", ARG_BIT(0), 0 },
        { "fallocate", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "fadvise64", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "readahead", ARG_BIT(0), 0 },
        { "getdents", ARG_BIT(0), 0 },
        { "getdents64", ARG_BIT(0), 0 },
        { "fchdir", ARG_BIT(0), 0 },
        { "access", ARG_BIT(1), 0 },
        { "faccessat", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "faccessat2", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "mkdir", 0, ARG_BIT(1) },
        { "mkdirat", ARG_BIT(0), ARG_BIT(2) },
        { "mknod", ARG_BIT(2), ARG_BIT(1) },
        { "mknodat", ARG_BIT(0) | ARG_BIT(3), ARG_BIT(2) },
        { "chmod", 0, ARG_BIT(1) },
        { "fchmod", ARG_BIT(0), ARG_BIT(1) },
        { "fchmodat", ARG_BIT(0), ARG_BIT(2) },
        { "fchmodat2", ARG_BIT(0) | ARG_BIT(3), ARG_BIT(2) },
        { "chown", ARG_BIT(1) | ARG_BIT(2), 0 },
        { "lchown", ARG_BIT(1) | ARG_BIT(2), 0 },
        { "fchown", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "fchownat", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3) | ARG_BIT(4), 0 },
        { "umask", ARG_BIT(0), 0 },
        { "unlinkat", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "renameat", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "renameat2", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(4), 0 },
        { "linkat", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(4), 0 },
        { "symlinkat", ARG_BIT(1), 0 },
        { "readlink", ARG_BIT(2), 0 },
        { "readlinkat", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "utimensat", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "futimesat", ARG_BIT(0), 0 },
        { "name_to_handle_at", ARG_BIT(0) | ARG_BIT(4), 0 },
        { "open_by_handle_at", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "execveat", ARG_BIT(0) | ARG_BIT(4), 0 },
        { "setxattr", ARG_BIT(4), 0 },
        { "lsetxattr", ARG_BIT(4), 0 },
        { "fsetxattr", ARG_BIT(0) | ARG_BIT(4), 0 },
        { "fgetxattr", ARG_BIT(0), 0 },
        { "flistxattr", ARG_BIT(0), 0 },
        { "fremovexattr", ARG_BIT(0), 0 },
        { "sendfile", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "splice", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(5), 0 },
        { "tee", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "vmsplice", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "copy_file_range", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(5), 0 },
        { "memfd_create", ARG_BIT(1), 0 },
        { "memfd_secret", ARG_BIT(0), 0 },
        { "mmap", ARG_BIT(4), 0 },
        { "select", ARG_BIT(0), 0 },
        { "pselect6", ARG_BIT(0), 0 },
        { "poll", ARG_BIT(1) | ARG_BIT(2), 0 },
        { "ppoll", ARG_BIT(1), 0 },
        { "epoll_create", ARG_BIT(0), 0 },
        { "epoll_create1", ARG_BIT(0), 0 },
        { "epoll_ctl", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "epoll_wait", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "epoll_pwait", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "epoll_pwait2", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "eventfd", ARG_BIT(0), 0 },
        { "eventfd2", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "signalfd", ARG_BIT(0), 0 },
        { "signalfd4", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "timerfd_create", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "timerfd_settime", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "timerfd_gettime", ARG_BIT(0), 0 },
        { "inotify_init1", ARG_BIT(0), 0 },
        { "inotify_add_watch", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "inotify_rm_watch", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "fanotify_init", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "fanotify_mark", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "mq_open", ARG_BIT(1), ARG_BIT(2) },
        { "mq_timedsend", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "mq_timedreceive", ARG_BIT(0), 0 },
        { "mq_notify", ARG_BIT(0), 0 },
        { "mq_getsetattr", ARG_BIT(0), 0 },
        /* sockets */
        { "socket", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "socketpair", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "socketcall", ARG_BIT(0), 0 },
        { "connect", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "bind", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "listen", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "accept", ARG_BIT(0), 0 },
        { "accept4", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "getsockname", ARG_BIT(0), 0 },
        { "getpeername", ARG_BIT(0), 0 },
        { "sendto", ARG_BIT(0) | ARG_BIT(3) | ARG_BIT(5), 0 },
        { "recvfrom", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "sendmsg", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "recvmsg", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "sendmmsg", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "recvmmsg", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "shutdown", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "setsockopt", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(4), 0 },
        { "getsockopt", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        /* processes, signals, ids */
        { "clone", ARG_BIT(0), 0 },
        { "unshare", ARG_BIT(0), 0 },
        { "setns", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "personality", ARG_BIT(0), 0 },
        { "prctl", ARG_BIT(0), 0 },
        { "arch_prctl", ARG_BIT(0), 0 },
        { "exit", ARG_BIT(0), 0 },
        { "exit_group", ARG_BIT(0), 0 },
        { "wait4", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "waitid", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "kill", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "tkill", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "tgkill", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "rt_sigqueueinfo", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "rt_tgsigqueueinfo", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "rt_sigaction", ARG_BIT(0), 0 },
        { "rt_sigprocmask", ARG_BIT(0), 0 },
        { "pidfd_open", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "pidfd_getfd", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "pidfd_send_signal", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "process_madvise", ARG_BIT(0) | ARG_BIT(3) | ARG_BIT(4), 0 },
        { "process_mrelease", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "process_vm_readv", ARG_BIT(0), 0 },
        { "process_vm_writev", ARG_BIT(0), 0 },
        { "kcmp", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "setpgid", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "getpgid", ARG_BIT(0), 0 },
        { "getsid", ARG_BIT(0), 0 },
        { "setpriority", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "getpriority", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "ioprio_set", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "ioprio_get", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "sched_setscheduler", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "sched_getscheduler", ARG_BIT(0), 0 },
        { "sched_setparam", ARG_BIT(0), 0 },
        { "sched_getparam", ARG_BIT(0), 0 },
        { "sched_setaffinity", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "sched_getaffinity", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "sched_setattr", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "sched_getattr", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "sched_get_priority_max", ARG_BIT(0), 0 },
        { "sched_get_priority_min", ARG_BIT(0), 0 },
        { "sched_rr_get_interval", ARG_BIT(0), 0 },
        { "prlimit64", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "getrlimit", ARG_BIT(0), 0 },
        { "setrlimit", ARG_BIT(0), 0 },
        { "getrusage", ARG_BIT(0), 0 },
        { "get_robust_list", ARG_BIT(0), 0 },
        { "setuid", ARG_BIT(0), 0 },
        { "setgid", ARG_BIT(0), 0 },
        { "setreuid", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "setregid", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "setresuid", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "setresgid", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "setfsuid", ARG_BIT(0), 0 },
        { "setfsgid", ARG_BIT(0), 0 },
        { "getgroups", ARG_BIT(0), 0 },
        { "setgroups", ARG_BIT(0), 0 },
        /* time */
        { "clock_gettime", ARG_BIT(0), 0 },
        { "clock_settime", ARG_BIT(0), 0 },
        { "clock_getres", ARG_BIT(0), 0 },
        { "clock_nanosleep", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "clock_adjtime", ARG_BIT(0), 0 },
        { "timer_create", ARG_BIT(0), 0 },
        { "timer_settime", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "timer_gettime", ARG_BIT(0), 0 },
        { "timer_getoverrun", ARG_BIT(0), 0 },
        { "timer_delete", ARG_BIT(0), 0 },
        { "getitimer", ARG_BIT(0), 0 },
        { "setitimer", ARG_BIT(0), 0 },
        { "alarm", ARG_BIT(0), 0 },
        /* SysV IPC, and the multiplexer of some ABIs */
        { "ipc", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "shmget", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "shmat", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "shmctl", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "semget", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "semop", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "semtimedop", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "semctl", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "msgget", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "msgsnd", ARG_BIT(0) | ARG_BIT(3), 0 },
        { "msgrcv", ARG_BIT(0) | ARG_BIT(4), 0 },
        { "msgctl", ARG_BIT(0) | ARG_BIT(1), 0 },
        /* memory */
        { "madvise", ARG_BIT(2), 0 },
        { "msync", ARG_BIT(2), 0 },
        { "mlock2", ARG_BIT(2), 0 },
        { "mlockall", ARG_BIT(0), 0 },
        { "pkey_mprotect", ARG_BIT(3), 0 },
        { "pkey_free", ARG_BIT(0), 0 },
        { "set_mempolicy", ARG_BIT(0), 0 },
        { "migrate_pages", ARG_BIT(0), 0 },
        { "move_pages", ARG_BIT(0) | ARG_BIT(5), 0 },
        { "membarrier", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "futex", ARG_BIT(1) | ARG_BIT(2), 0 },
        { "rseq", ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(3), 0 },
        /* the kernel's interfaces */
        { "getrandom", ARG_BIT(2), 0 },
        { "seccomp", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "bpf", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "perf_event_open", ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "userfaultfd", ARG_BIT(0), 0 },
        { "keyctl", ARG_BIT(0), 0 },
        { "add_key", ARG_BIT(4), 0 },
        { "request_key", ARG_BIT(3), 0 },
        { "io_uring_setup", ARG_BIT(0), 0 },
        { "io_uring_enter", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(3), 0 },
        { "io_uring_register", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "landlock_create_ruleset", ARG_BIT(2), 0 },
        { "landlock_add_rule", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(3), 0 },
        { "landlock_restrict_self", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "open_tree", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "move_mount", ARG_BIT(0) | ARG_BIT(2) | ARG_BIT(4), 0 },
        { "fsopen", ARG_BIT(1), 0 },
        { "fsconfig", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(4), 0 },
        { "fsmount", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "fspick", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "mount_setattr", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "umount2", ARG_BIT(1), 0 },
        { "swapon", ARG_BIT(1), 0 },
        { "reboot", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "syslog", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "sethostname", ARG_BIT(1), 0 },
        { "setdomainname", ARG_BIT(1), 0 },
        { "quotactl", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "quotactl_fd", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2), 0 },
        { "finit_module", ARG_BIT(0) | ARG_BIT(2), 0 },
        { "delete_module", ARG_BIT(1), 0 },
        { "kexec_file_load", ARG_BIT(0) | ARG_BIT(1), 0 },
        { "iopl", ARG_BIT(0), 0 },
        { "ioperm", ARG_BIT(2), 0 },
        { "modify_ldt", ARG_BIT(0), 0 },
        { "sysfs", ARG_BIT(0), 0 },
        { "ustat", ARG_BIT(0), 0 },
};

/* Arguments that are addresses: seccomp sees the pointer, not what it points to, so a condition
 * on them checks nothing (a path or a struct can't be filtered this way). */
static const struct {
        const char *syscall;
        unsigned args;
} pointer_args[] = {
        { "open", ARG_BIT(0) },
        { "openat", ARG_BIT(1) },
        { "openat2", ARG_BIT(1) | ARG_BIT(2) },
        { "creat", ARG_BIT(0) },
        { "execve", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) },
        { "execveat", ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(3) },
        { "stat", ARG_BIT(0) | ARG_BIT(1) },
        { "lstat", ARG_BIT(0) | ARG_BIT(1) },
        { "fstat", ARG_BIT(1) },
        { "newfstatat", ARG_BIT(1) | ARG_BIT(2) },
        { "statx", ARG_BIT(1) | ARG_BIT(4) },
        { "access", ARG_BIT(0) },
        { "faccessat", ARG_BIT(1) },
        { "faccessat2", ARG_BIT(1) },
        { "read", ARG_BIT(1) },
        { "write", ARG_BIT(1) },
        { "pread64", ARG_BIT(1) },
        { "pwrite64", ARG_BIT(1) },
        { "readv", ARG_BIT(1) },
        { "writev", ARG_BIT(1) },
        { "readlink", ARG_BIT(0) | ARG_BIT(1) },
        { "readlinkat", ARG_BIT(1) | ARG_BIT(2) },
        { "mkdir", ARG_BIT(0) },
        { "mkdirat", ARG_BIT(1) },
        { "unlink", ARG_BIT(0) },
        { "unlinkat", ARG_BIT(1) },
        { "rmdir", ARG_BIT(0) },
        { "rename", ARG_BIT(0) | ARG_BIT(1) },
        { "renameat", ARG_BIT(1) | ARG_BIT(3) },
        { "renameat2", ARG_BIT(1) | ARG_BIT(3) },
        { "symlink", ARG_BIT(0) | ARG_BIT(1) },
        { "symlinkat", ARG_BIT(0) | ARG_BIT(2) },
        { "link", ARG_BIT(0) | ARG_BIT(1) },
        { "linkat", ARG_BIT(1) | ARG_BIT(3) },
        { "chdir", ARG_BIT(0) },
        { "chroot", ARG_BIT(0) },
        { "chmod", ARG_BIT(0) },
        { "fchmodat", ARG_BIT(1) },
        { "chown", ARG_BIT(0) },
        { "fchownat", ARG_BIT(1) },
        { "truncate", ARG_BIT(0) },
        { "mount", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) | ARG_BIT(4) },
        { "umount2", ARG_BIT(0) },
        { "pivot_root", ARG_BIT(0) | ARG_BIT(1) },
        { "connect", ARG_BIT(1) },
        { "bind", ARG_BIT(1) },
        { "accept", ARG_BIT(1) | ARG_BIT(2) },
        { "accept4", ARG_BIT(1) | ARG_BIT(2) },
        { "sendto", ARG_BIT(1) | ARG_BIT(4) },
        { "recvfrom", ARG_BIT(1) | ARG_BIT(4) | ARG_BIT(5) },
        { "sendmsg", ARG_BIT(1) },
        { "recvmsg", ARG_BIT(1) },
        { "getsockopt", ARG_BIT(3) | ARG_BIT(4) },
        { "setsockopt", ARG_BIT(3) },
        { "clone3", ARG_BIT(0) },
        { "uname", ARG_BIT(0) },
        { "sysinfo", ARG_BIT(0) },
        { "getcwd", ARG_BIT(0) },
        { "add_key", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) },
        { "request_key", ARG_BIT(0) | ARG_BIT(1) | ARG_BIT(2) },
        { "bpf", ARG_BIT(1) },
        { "perf_event_open", ARG_BIT(0) },
        { "init_module", ARG_BIT(0) | ARG_BIT(2) },
        { "finit_module", ARG_BIT(1) },
        { "kexec_load", ARG_BIT(2) },
        { "rt_sigaction", ARG_BIT(1) | ARG_BIT(2) },
        { "rt_sigprocmask", ARG_BIT(1) | ARG_BIT(2) },
        { "io_uring_setup", ARG_BIT(1) },
        { "open_tree", ARG_BIT(1) },
        { "move_mount", ARG_BIT(1) | ARG_BIT(3) },
        { "fsopen", ARG_BIT(0) },
        { "mount_setattr", ARG_BIT(1) | ARG_BIT(3) },
        { "nanosleep", ARG_BIT(0) | ARG_BIT(1) },
        { "clock_gettime", ARG_BIT(1) },
};

bool rules_arg_is_pointer(const char *syscall, unsigned arg) {
        for (size_t i = 0; i < ELEMENTSOF(pointer_args); i++)
                if (strcmp(pointer_args[i].syscall, syscall) == 0)
                        return pointer_args[i].args & (1u << arg);
        return false;
}

unsigned rules_arg_bits(const char *syscall, unsigned arg) {
        for (size_t i = 0; i < ELEMENTSOF(narrow_args) && arg < 6; i++)
                if (strcmp(narrow_args[i].syscall, syscall) == 0)
                        return narrow_args[i].bits16 & ARG_BIT(arg)   ? 16
                               : narrow_args[i].bits32 & ARG_BIT(arg) ? 32
                                                                      : 64;
        return 64;
}

static uint64_t *copy_values(const uint64_t *v, size_t n) {
        return v && n ? memcpy(xrealloc_array(NULL, n, sizeof *v), v, n * sizeof *v) : NULL;
}

static void add_pattern(rule_cond_t *c, uint64_t mask, uint64_t value) {
        c->values = xrealloc_array(c->values, c->n_values + 1, sizeof(uint64_t));
        c->masks = xrealloc_array(c->masks, c->n_values + 1, sizeof(uint64_t));
        c->masks[c->n_values] = mask;
        c->values[c->n_values++] = value & mask;
}

/* x < v on the low BITS bits: for each bit set in v, the values equal to v above it with that
 * bit clear; x > v likewise for each bit clear in v. */
static void add_less(rule_cond_t *c, unsigned bits, uint64_t width, uint64_t v) {
        for (unsigned i = 0; i < bits; i++)
                if (v & (UINT64_C(1) << i))
                        add_pattern(c, width & ~((UINT64_C(1) << i) - 1), v & ~((UINT64_C(2) << i) - 1));
}

static void add_greater(rule_cond_t *c, unsigned bits, uint64_t width, uint64_t v) {
        for (unsigned i = 0; i < bits; i++)
                if (!(v & (UINT64_C(1) << i)))
                        add_pattern(c, width & ~((UINT64_C(1) << i) - 1),
                                    (v & ~((UINT64_C(2) << i) - 1)) | (UINT64_C(1) << i));
}

void rules_narrow(const char *syscall, const rule_cond_t *c, rule_cond_t *ret) {
        unsigned bits = rules_arg_bits(syscall, c->arg);
        uint64_t width = (UINT64_C(1) << (bits % 64)) - 1, v = c->n_values ? c->values[0] & width : 0;

        *ret = (rule_cond_t){ .arg = c->arg, .op = COND_IN, .mask = UINT64_MAX };
        /* not-in compiles to a filter of its own, which compares the low 32 bits itself. */
        if (bits == 64 || c->op == COND_NOT_IN) {
                *ret = *c;
                ret->values = copy_values(c->values, c->n_values);
                ret->masks = copy_values(c->masks, c->n_values);
                return;
        }
        switch (c->op) {
        case COND_EQ:
                add_pattern(ret, width, v);
                break;
        case COND_IN:
                for (size_t k = 0; k < c->n_values; k++)
                        add_pattern(ret, (c->masks ? c->masks[k] : c->mask) & width, c->values[k]);
                break;
        case COND_MASKED_EQ:
                add_pattern(ret, c->mask & width, v);
                break;
        case COND_NE: /* some bit differs */
                for (unsigned i = 0; i < bits; i++)
                        add_pattern(ret, UINT64_C(1) << i, ~v);
                break;
        case COND_LT:
                add_less(ret, bits, width, v);
                break;
        case COND_LE:
                if (v == width)
                        add_pattern(ret, 0, 0); /* always */
                else
                        add_less(ret, bits, width, v + 1);
                break;
        case COND_GT:
                add_greater(ret, bits, width, v);
                break;
        case COND_GE:
                if (v == 0)
                        add_pattern(ret, 0, 0);
                else
                        add_greater(ret, bits, width, v - 1);
                break;
        case COND_NOT_IN:
                break;
        }
        /* One mask for all: the plain forms, "arg &MASK == VALUE" or "arg &MASK in {...}". */
        for (size_t k = 1; k < ret->n_values && ret->masks; k++)
                if (ret->masks[k] != ret->masks[0])
                        return;
        if (ret->masks)
                ret->mask = ret->masks[0];
        free(ret->masks);
        ret->masks = NULL;
        if (ret->n_values == 1)
                ret->op = COND_MASKED_EQ;
}

void rules_cond_free(rule_cond_t *c) {
        free(c->values);
        free(c->masks);
        c->values = c->masks = NULL;
        c->n_values = 0;
}

unsigned rules_args_known(const char *syscall) {
        unsigned bits = 0, n = 0;

        for (size_t i = 0; i < ELEMENTSOF(narrow_args); i++)
                if (strcmp(narrow_args[i].syscall, syscall) == 0)
                        bits |= narrow_args[i].bits32 | narrow_args[i].bits16;
        for (size_t i = 0; i < ELEMENTSOF(pointer_args); i++)
                if (strcmp(pointer_args[i].syscall, syscall) == 0)
                        bits |= pointer_args[i].args;
        while (bits >> n)
                n++;
        return n;
}
