/* The escape probe for system calls: `syscalls ATTACK [ARG]` tries one attack for real, from
 * inside the sandbox, and prints one line saying what happened:
 *
 *   DENIED <ERRNO>      the call failed; the word is the errno (EPERM, ENOSYS, ...)
 *   KILLED <SIGNAL>     the attacking process died of a signal (SIGSYS: a seccomp kill)
 *   ESCAPED <detail>    the call did what the attacker wanted
 *   SKIP <reason>       this kernel or machine can't run the attack at all
 *   <value>             the few report commands (status, whoami-euid) print facts instead
 *
 * Exit status: 0 denied as expected (or a report), 1 escaped, 77 skipped, 2 usage.
 *
 * Each attack runs in a forked child, so that a filter that kills the process (a bad-arch
 * action kills the whole thread group) is seen and named here instead of as a bare 159.
 * Where a call could succeed harmlessly we give it arguments the kernel would reject (a bad fd,
 * a bad pointer: flatpak's method), so EBADF/EFAULT/EINVAL means "the call got through". The
 * syscall numbers are x86_64's; the runner says SKIP elsewhere. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sched.h>

enum {
        R_DENIED = 0,
        R_ESCAPED = 1,
        R_USAGE = 2,
        R_SKIP = 77
};

/* Reports a raw syscall's result: -1 is a denial (named by errno), anything else got through. */
static int verdict(long rc, const char *what) {
        if (rc == -1) {
                const char *name = strerrorname_np(errno);
                printf("DENIED %s\n", name ? name : "unknown-errno");
                return R_DENIED;
        }
        printf("ESCAPED %s returned %ld\n", what, rc);
        return R_ESCAPED;
}

/* 1. Typing into the caller's terminal: TIOCSTI pushes a byte into the terminal's input
 * queue, as if the user had typed it; the shell outside would run it after we exit. */
static int inject(unsigned long request) {
        const char *text = "#injected\n";
        if (!isatty(0)) {
                printf("SKIP stdin is not a terminal\n");
                return R_SKIP;
        }
        for (const char *c = text; *c; c++) {
                long rc = syscall(SYS_ioctl, 0, request, c);
                if (rc == -1)
                        return verdict(rc, "ioctl");
        }
        printf("ESCAPED typed %zu bytes into the terminal\n", strlen(text));
        return R_ESCAPED;
}
static int a_tiocsti(const char *arg) {
        (void) arg;
        return inject(TIOCSTI);
}
/* The kernel takes the request as 32 bits: a filter comparing all 64 would miss this one. */
static int a_tiocsti_high(const char *arg) {
        (void) arg;
        return inject((1UL << 32) | TIOCSTI);
}
static int a_tioclinux(const char *arg) {
        (void) arg;
        char sub = 3; /* TIOCL_SELLOADLUT would be harmless; 3 = TIOCL_PASTESEL types the selection */
        return verdict(syscall(SYS_ioctl, 0, TIOCLINUX, &sub), "ioctl(TIOCLINUX)");
}

/* 2. Other ABIs of the same kernel: x32 numbers (bit 30 set) and the i386 gate int $0x80.
 * A filter written for x86_64 numbers must not let them through with their own numbering. */
#define X32_BIT 0x40000000L
static long i386_call(long nr, long a, long b) {
#if defined(__x86_64__)
        long rc;
        __asm__ volatile("int $0x80" : "=a"(rc) : "a"(nr), "b"(a), "c"(b) : "memory");
        if (rc < 0 && rc > -4096) {
                errno = (int) -rc;
                return -1;
        }
        return rc;
#else
        (void) nr, (void) a, (void) b;
        errno = ENOSYS;
        return -1;
#endif
}
static int a_x32_getpid(const char *arg) {
        (void) arg;
        return verdict(syscall(X32_BIT | SYS_getpid), "x32 getpid");
}
static int a_x32_unshare(const char *arg) {
        (void) arg;
        return verdict(syscall(X32_BIT | SYS_unshare, CLONE_NEWUSER), "x32 unshare(CLONE_NEWUSER)");
}
/* i386 numbers: getpid 20, ptrace 26, keyctl 288, unshare 310. */
static int a_i386_getpid(const char *arg) {
        (void) arg;
        return verdict(i386_call(20, 0, 0), "i386 getpid");
}
static int a_i386_unshare(const char *arg) {
        (void) arg;
        return verdict(i386_call(310, CLONE_NEWUSER, 0), "i386 unshare");
}
/* KEYCTL_GET_KEYRING_ID of the session keyring: would succeed if it reached the kernel. */
static int a_i386_keyctl(const char *arg) {
        (void) arg;
        return verdict(i386_call(288, 0, -3), "i386 keyctl");
}
/* PTRACE_ATTACH to our parent: a kernel that saw it would say EPERM or succeed, never ENOSYS. */
static int a_i386_ptrace(const char *arg) {
        (void) arg;
        return verdict(i386_call(26, 16, getppid()), "i386 ptrace");
}

/* socketcall(SYS_SOCKET, {AF_INET, SOCK_DGRAM, 0}) through the i386 gate: the arguments are
 * in memory (below 4 GiB, for a 32-bit pointer), where no filter can read the family. */
static int a_i386_socketcall(const char *arg) {
        (void) arg;
#ifdef MAP_32BIT
        uint32_t *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (args == MAP_FAILED) {
                printf("SKIP mmap(MAP_32BIT): %s\n", strerror(errno));
                return R_SKIP;
        }
        args[0] = AF_INET;
        args[1] = SOCK_DGRAM;
        args[2] = 0;
        return verdict(i386_call(102, 1, (long) (uintptr_t) args), "i386 socketcall(SYS_SOCKET, AF_INET)");
#else
        printf("SKIP no MAP_32BIT on this architecture\n");
        return R_SKIP;
#endif
}

/* 3. New user namespaces: inside one we would hold every capability again. */
static int a_clone3(const char *arg) {
        (void) arg;
        struct clone_args args = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
        long rc = syscall(SYS_clone3, &args, sizeof(args));
        if (rc == 0)
                _exit(0); /* the child of a clone3 that got through */
        if (rc > 0)
                waitpid((pid_t) rc, NULL, 0);
        return verdict(rc, "clone3(CLONE_NEWUSER)");
}
static int a_clone_newuser(const char *arg) {
        (void) arg;
        long rc = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (rc == 0)
                _exit(0);
        if (rc > 0)
                waitpid((pid_t) rc, NULL, 0);
        return verdict(rc, "clone(CLONE_NEWUSER)");
}
static int a_unshare_newuser(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_unshare, CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
}
/* setns ARG: ARG is a path (/proc/self/ns/user) or a number, an fd the runner passed in that
 * names one of the host's namespaces. Type 0: whatever kind the fd is. */
static int a_setns(const char *arg) {
        if (!arg)
                return R_USAGE;
        char *end;
        long n = strtol(arg, &end, 10);
        int fd = *end == '\0' ? (int) n : open(arg, O_RDONLY | O_CLOEXEC);
        /* A closed fd would fail with EBADF and look like a denial: not a test at all. */
        if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
                printf("SKIP no namespace at %s: %s\n", arg, strerrorname_np(errno));
                return R_SKIP;
        }
        return verdict(syscall(SYS_setns, fd, 0), "setns");
}

/* 4. Mounts: the mount table is what keeps a read-only bind read-only and a mask in place. */
static int a_fsopen(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_fsopen, "tmpfs", 0), "fsopen");
}
static int a_fspick(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_fspick, AT_FDCWD, "/usr", 0), "fspick");
}
static int a_open_tree(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_open_tree, AT_FDCWD, "/usr", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC), "open_tree");
}
/* Bad fds: a kernel that saw these would say EBADF. */
static int a_move_mount(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_move_mount, -1, "", AT_FDCWD, "/tmp", 4 /* F_EMPTY_PATH */), "move_mount");
}
static int a_mount_setattr(const char *arg) {
        (void) arg;
        unsigned long long attr[4] = { 0, 1 /* clear MOUNT_ATTR_RDONLY */, 0, 0 };
        return verdict(syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, attr, sizeof(attr)), "mount_setattr");
}
static int a_mount(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0), "mount");
}
/* remount ARG: make the read-only bind at ARG writable. */
static int a_remount(const char *arg) {
        return verdict(syscall(SYS_mount, 0, arg ? arg : "/usr", 0, MS_REMOUNT | MS_BIND, 0), "remount rw");
}
/* umount ARG: lift the mount (a mask, or the bind under it) at ARG; lazily, to be sure. */
static int a_umount(const char *arg) {
        return verdict(syscall(SYS_umount2, arg ? arg : "/usr", 0), "umount2");
}
static int a_umount_detach(const char *arg) {
        return verdict(syscall(SYS_umount2, arg ? arg : "/usr", 2 /* MNT_DETACH */), "umount2(MNT_DETACH)");
}
static int a_pivot_root(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_pivot_root, "/", "/"), "pivot_root");
}
static int a_chroot(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_chroot, "/"), "chroot");
}

/* 5. io_uring does its work in kernel threads that a seccomp filter never sees. */
static int a_io_uring(const char *arg) {
        (void) arg;
        char params[120] = { 0 }; /* struct io_uring_params */
        long rc = syscall(SYS_io_uring_setup, 1, params);
        if (rc >= 0)
                close((int) rc);
        return verdict(rc, "io_uring_setup");
}

/* 6. Kernel administration and attack surface. Arguments a kernel would reject where it can:
 * a reply of EPERM then comes from the filter, or from the kernel's own capability check. */
static int a_keyctl(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_keyctl, 0, -3, 0, 0, 0), "keyctl");
}
static int a_add_key(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_add_key, "user", "escape", "x", 1, -3 /* session */), "add_key");
}
static int a_request_key(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_request_key, "user", "escape", 0, 0), "request_key");
}
static int a_bpf(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_bpf, 0, 0, 0), "bpf");
}
static int a_perf_event_open(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_perf_event_open, 0, 0, -1, -1, 0), "perf_event_open");
}
static int a_userfaultfd(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_userfaultfd, O_CLOEXEC), "userfaultfd");
}
/* The device form of userfaultfd needs no syscall at all: it must not be there. */
static int a_dev_userfaultfd(const char *arg) {
        (void) arg;
        struct stat st;
        return verdict(stat("/dev/userfaultfd", &st), "stat(/dev/userfaultfd)");
}
static int a_kexec_load(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_kexec_load, 0, 0, 0, 0), "kexec_load");
}
static int a_init_module(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_init_module, 0, 0, ""), "init_module");
}
static int a_finit_module(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_finit_module, -1, "", 0), "finit_module");
}
/* ADDR_NO_RANDOMIZE: switches ASLR off for whatever we exec next. */
static int a_personality(const char *arg) {
        (void) arg;
        long rc = syscall(SYS_personality, ADDR_NO_RANDOMIZE);
        if (rc != -1 && !(syscall(SYS_personality, 0xffffffff) & ADDR_NO_RANDOMIZE))
                rc = -1, errno = 0; /* accepted but not applied: say so below */
        if (rc == -1 && errno == 0) {
                printf("DENIED ignored\n");
                return R_DENIED;
        }
        return verdict(rc, "personality(ADDR_NO_RANDOMIZE)");
}
static int a_open_by_handle_at(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_open_by_handle_at, -1, 0, O_RDONLY), "open_by_handle_at");
}
/* modify_ldt(1 = write, NULL, 0): EINVAL from a kernel that saw it (as a 32-bit value: the
 * call returns an int, so it reads as success here; either way it got through). */
static int a_modify_ldt(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_modify_ldt, 1, 0, 0), "modify_ldt");
}
static int a_iopl(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_iopl, 3), "iopl");
}
static int a_ioperm(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_ioperm, 0x80, 1, 1), "ioperm");
}
/* SYSLOG_ACTION_SIZE_BUFFER (10): reads the kernel log's size; dmesg_restrict permitting. */
static int a_syslog(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_syslog, 10, 0, 0), "syslog");
}
static int a_acct(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_acct, 0), "acct");
}
static int a_swapon(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_swapon, "/nonexistent", 0), "swapon");
}
static int a_settimeofday(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_settimeofday, (void *) 1, 0), "settimeofday");
}
static int a_clock_settime(const char *arg) {
        (void) arg;
        return verdict(syscall(SYS_clock_settime, 0 /* CLOCK_REALTIME */, (void *) 1), "clock_settime");
}

/* 7. Socket families with a history of kernel bugs, and raw sockets (spoofing, sniffing).
 * socket FAMILY TYPE PROTOCOL, the three as numbers, joined by commas. */
static int a_socket(const char *arg) {
        long family, type, protocol;
        if (!arg || sscanf(arg, "%li,%li,%li", &family, &type, &protocol) != 3)
                return R_USAGE;
        long rc = syscall(SYS_socket, family, type | SOCK_CLOEXEC, protocol);
        if (rc >= 0)
                close((int) rc);
        return verdict(rc, "socket");
}

/* socketpair FAMILY,TYPE,PROTOCOL: the kernel runs the family's create() (and loads its module)
 * before it finds that the family has no pairs: the filter must refuse it first. */
static int a_socketpair(const char *arg) {
        long family, type, protocol;
        int sv[2];
        if (!arg || sscanf(arg, "%li,%li,%li", &family, &type, &protocol) != 3)
                return R_USAGE;
        long rc = syscall(SYS_socketpair, family, type | SOCK_CLOEXEC, protocol, sv);
        if (rc == 0)
                close(sv[0]), close(sv[1]);
        return verdict(rc, "socketpair");
}
/* The same through the i386 gate: i386-socketpair FAMILY directly (360), i386-socketcall-socketpair
 * FAMILY through socketcall(SYS_SOCKETPAIR), whose arguments are in memory (below 4 GiB). */
static uint32_t *low_page(void) {
#ifdef MAP_32BIT
        uint32_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        return p == MAP_FAILED ? NULL : p;
#else
        return NULL;
#endif
}
static long i386_call4(long nr, long a, long b, long c, long d) {
#if defined(__x86_64__)
        long rc;
        __asm__ volatile("int $0x80" : "=a"(rc) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
        if (rc < 0 && rc > -4096) {
                errno = (int) -rc;
                return -1;
        }
        return rc;
#else
        (void) nr, (void) a, (void) b, (void) c, (void) d;
        errno = ENOSYS;
        return -1;
#endif
}
static int a_i386_socketpair(const char *arg) {
        uint32_t *page = low_page();
        if (!arg || !page) {
                printf("SKIP %s\n", arg ? "no memory below 4 GiB" : "usage: i386-socketpair FAMILY");
                return arg ? R_SKIP : R_USAGE;
        }
        return verdict(i386_call4(360, strtol(arg, NULL, 0), SOCK_STREAM, 0, (long) (uintptr_t) page),
                       "i386 socketpair");
}
static int a_i386_socketcall_socketpair(const char *arg) {
        uint32_t *page = low_page();
        if (!arg || !page) {
                printf("SKIP %s\n", arg ? "no memory below 4 GiB" : "usage: i386-socketcall-socketpair FAMILY");
                return arg ? R_SKIP : R_USAGE;
        }
        page[0] = (uint32_t) strtol(arg, NULL, 0);
        page[1] = SOCK_STREAM;
        page[2] = 0;
        page[3] = (uint32_t) (uintptr_t) (page + 8);
        return verdict(i386_call4(102, 8 /* SYS_SOCKETPAIR */, (long) (uintptr_t) page, 0, 0),
                       "i386 socketcall(SYS_SOCKETPAIR)");
}

/* 9. Syscalls newer than the filter's tables: a deny-list must refuse them until someone decides.
 * open_tree_attr (467, Linux 6.15) clones a mount with its attributes changed: a read-only bind
 * made writable. nr N makes syscall N with arguments no kernel accepts (-1 fds, NULL pointers). */
struct mount_attr_v0 {
        uint64_t attr_set, attr_clr, propagation, userns_fd;
};
static int a_open_tree_attr(const char *arg) {
        struct mount_attr_v0 attr = { .attr_clr = 1 /* MOUNT_ATTR_RDONLY */ };
        long rc = syscall(467, AT_FDCWD, arg ? arg : "/usr", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC, &attr, sizeof(attr));
        if (rc >= 0)
                close((int) rc);
        return verdict(rc, "open_tree_attr");
}
static int a_nr(const char *arg) {
        if (!arg)
                return R_USAGE;
        return verdict(syscall(strtol(arg, NULL, 0), -1, 0, 0, 0, 0, 0), arg);
}
/* ro-write DIR: clone the read-only bind at DIR writable (open_tree_attr; where the kernel lacks
 * it, open_tree and mount_setattr), and write DIR/file through the clone. */
static int a_ro_write(const char *arg) {
        struct mount_attr_v0 attr = { .attr_clr = 1 /* MOUNT_ATTR_RDONLY */ };
        if (!arg)
                return R_USAGE;
        long fd = syscall(467, AT_FDCWD, arg, 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC, &attr, sizeof(attr));
        if (fd < 0 && errno == ENOSYS) {
                fd = syscall(SYS_open_tree, AT_FDCWD, arg, 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC);
                if (fd >= 0 && syscall(SYS_mount_setattr, (int) fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                        return verdict(-1, "mount_setattr");
        }
        if (fd < 0)
                return verdict(fd, "open_tree_attr");
        int file = openat((int) fd, "file", O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (file < 0 || write(file, "escaped\n", 8) != 8)
                return verdict(-1, "write through the clone");
        close(file);
        printf("ESCAPED wrote %s/file through a writable clone\n", arg);
        return R_ESCAPED;
}
/* quotactl_fd(bad fd, Q_GETINFO): EBADF from a kernel that saw it. */
static int a_quotactl_fd(const char *arg) {
        (void) arg;
        return verdict(syscall(443, -1, 0x800005 /* QCMD(Q_GETINFO, USRQUOTA) */, 0, NULL), "quotactl_fd");
}

/* 8. Reports, not attacks: the runner compares them with what it expects. */
static int a_status(const char *arg) {
        (void) arg;
        static const char *keys[] = {
                "NoNewPrivs:", "Seccomp:", "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"
        };
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        if (!f) {
                printf("SKIP /proc/self/status: %s\n", strerrorname_np(errno));
                return R_SKIP;
        }
        while (fgets(line, sizeof(line), f))
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                        if (strncmp(line, keys[i], strlen(keys[i])) == 0) {
                                char value[64] = "";
                                sscanf(line + strlen(keys[i]), "%63s", value);
                                printf("%.*s=%s ", (int) strlen(keys[i]) - 1, keys[i], value);
                        }
        putchar('\n');
        fclose(f);
        return R_DENIED;
}
/* The kernel's setgroups switch, then the call: with it, a user could drop a group that a
 * file's permissions deny (mode 0707 owned by that group). */
static int a_setgroups(const char *arg) {
        (void) arg;
        char word[16] = "";
        FILE *f = fopen("/proc/self/setgroups", "re");
        if (!f || fscanf(f, "%15s", word) != 1)
                snprintf(word, sizeof(word), "unreadable");
        if (f)
                fclose(f);
        long rc = syscall(SYS_setgroups, 0, 0);
        printf("setgroups-file=%s setgroups=%s\n", word, rc == -1 ? strerrorname_np(errno) : "ESCAPED");
        return rc == -1 ? R_DENIED : R_ESCAPED;
}
/* Run as a setuid-root copy of this program: which user are we, and is our file's mount
 * nosuid? */
static int a_whoami_euid(const char *arg) {
        (void) arg;
        struct statvfs sv;
        int nosuid = statvfs("/proc/self/exe", &sv) == 0 ? !!(sv.f_flag & ST_NOSUID) : -1;
        printf("ruid=%d euid=%d nosuid=%d\n", (int) getuid(), (int) geteuid(), nosuid);
        return geteuid() == 0 ? R_ESCAPED : R_DENIED;
}

static const struct {
        const char *name;
        int (*run)(const char *arg);
} attacks[] = {
        { "tiocsti", a_tiocsti },
        { "tiocsti-high", a_tiocsti_high },
        { "tioclinux", a_tioclinux },
        { "x32-getpid", a_x32_getpid },
        { "x32-unshare", a_x32_unshare },
        { "i386-getpid", a_i386_getpid },
        { "i386-unshare", a_i386_unshare },
        { "i386-socketcall", a_i386_socketcall },
        { "i386-keyctl", a_i386_keyctl },
        { "i386-ptrace", a_i386_ptrace },
        { "clone3", a_clone3 },
        { "clone-newuser", a_clone_newuser },
        { "unshare-newuser", a_unshare_newuser },
        { "setns", a_setns },
        { "fsopen", a_fsopen },
        { "fspick", a_fspick },
        { "open_tree", a_open_tree },
        { "move_mount", a_move_mount },
        { "mount_setattr", a_mount_setattr },
        { "mount", a_mount },
        { "remount", a_remount },
        { "umount", a_umount },
        { "umount-detach", a_umount_detach },
        { "pivot_root", a_pivot_root },
        { "chroot", a_chroot },
        { "io_uring_setup", a_io_uring },
        { "keyctl", a_keyctl },
        { "add_key", a_add_key },
        { "request_key", a_request_key },
        { "bpf", a_bpf },
        { "perf_event_open", a_perf_event_open },
        { "userfaultfd", a_userfaultfd },
        { "dev-userfaultfd", a_dev_userfaultfd },
        { "kexec_load", a_kexec_load },
        { "init_module", a_init_module },
        { "finit_module", a_finit_module },
        { "personality", a_personality },
        { "open_by_handle_at", a_open_by_handle_at },
        { "modify_ldt", a_modify_ldt },
        { "iopl", a_iopl },
        { "ioperm", a_ioperm },
        { "syslog", a_syslog },
        { "acct", a_acct },
        { "swapon", a_swapon },
        { "settimeofday", a_settimeofday },
        { "clock_settime", a_clock_settime },
        { "socket", a_socket },
        { "socketpair", a_socketpair },
        { "i386-socketpair", a_i386_socketpair },
        { "i386-socketcall-socketpair", a_i386_socketcall_socketpair },
        { "open_tree_attr", a_open_tree_attr },
        { "nr", a_nr },
        { "ro-write", a_ro_write },
        { "quotactl_fd", a_quotactl_fd },
        { "status", a_status },
        { "setgroups", a_setgroups },
        { "whoami-euid", a_whoami_euid },
};

int main(int argc, char **argv) {
        if (argc < 2 || argc > 3) {
                fprintf(stderr, "usage: %s ATTACK [ARG]\n", argv[0]);
                return R_USAGE;
        }
        for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
                if (strcmp(argv[1], attacks[i].name) != 0)
                        continue;
                /* The attack in a child: if a filter kills it, we are still here to say so. */
                fflush(stdout);
                pid_t pid = fork();
                if (pid < 0) {
                        printf("SKIP fork: %s\n", strerrorname_np(errno));
                        return R_SKIP;
                }
                if (pid == 0) {
                        int r = attacks[i].run(argv[2]);
                        fflush(stdout);
                        _exit(r);
                }
                int status;
                while (waitpid(pid, &status, 0) < 0)
                        if (errno != EINTR)
                                return R_USAGE;
                if (WIFEXITED(status))
                        return WEXITSTATUS(status);
                const char *sig = sigabbrev_np(WTERMSIG(status));
                printf("KILLED SIG%s\n", sig ? sig : "?");
                return WTERMSIG(status) == SIGSYS ? R_DENIED : R_ESCAPED;
        }
        fprintf(stderr, "%s: unknown attack '%s'\n", argv[0], argv[1]);
        return R_USAGE;
}
