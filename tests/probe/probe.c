/* probe: runs inside the sandbox and reports what it sees, or tries one thing and says how
 * it went. Linked statically, so a sandbox whose root holds nothing but this file can run
 * it (no /usr, no loader). One mode per run; the output is meant for `is`/`like` in the
 * cli tests, so it is plain "key: value" or one value per line.
 *
 *   probe ids               uid gid euid egid and the supplementary groups
 *   probe pid               pid ppid sid pgid
 *   probe caps              capability sets, no_new_privs, seccomp mode (no /proc needed)
 *   probe fds               the open fds, one line, ascending (found with fcntl, not /proc)
 *   probe syscall NAME      makes the call with arguments that can't succeed and prints the
 *                           errno it got: EFAULT/EBADF/EINVAL mean a filter let it through,
 *                           EPERM/ENOSYS (or whatever errno a rule chose) that one stopped it
 *   probe ls DIR            the names in DIR, sorted, one per line ("." and ".." left out)
 *   probe cat FILE          FILE's bytes on stdout
 *   probe env               the environment, one per line, as the command got it
 *   probe cwd               getcwd()
 *   probe hostname          uname()'s nodename
 *   probe statfs PATH       fs magic, size in bytes, and the ro/nosuid/nodev/noexec flags
 *   probe write PATH        creates PATH (O_CREAT|O_EXCL): "ok" or the errno name
 *   probe userns            unshare(CLONE_NEWUSER): "ok" or the errno name
 *   probe exit N            exits with status N
 *   probe kill SIG          sends itself signal number SIG
 *   probe argv0             argv[0] as the command got it
 *   probe pdeathsig         the parent-death signal (PR_GET_PDEATHSIG), 0 if none
 *   probe sigint DIR        counts SIGINTs: writes DIR/ready, then "INT" to DIR/ints and
 *                           "tick" to the fifo DIR/tick per SIGINT, until the fifo DIR/ctl
 *                           has data; SIGINT is taken through a signalfd, so none that
 *                           arrives after the start can slip past a blocking call
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/capability.h>

extern char **environ;

#define BAD_PTR ((long) 1) /* never a valid user address: the kernel answers EFAULT */

static const char *errno_name(int e) {
        static char buf[32];
        switch (e) {
        case 0:
                return "ok";
        case EPERM:
                return "EPERM";
        case ENOENT:
                return "ENOENT";
        case EBADF:
                return "EBADF";
        case EACCES:
                return "EACCES";
        case EFAULT:
                return "EFAULT";
        case EBUSY:
                return "EBUSY";
        case EEXIST:
                return "EEXIST";
        case ENOTDIR:
                return "ENOTDIR";
        case EINVAL:
                return "EINVAL";
        case ENOSPC:
                return "ENOSPC";
        case EROFS:
                return "EROFS";
        case ENOSYS:
                return "ENOSYS";
        case EOPNOTSUPP:
                return "EOPNOTSUPP";
        case EAFNOSUPPORT:
                return "EAFNOSUPPORT";
        case ENOTTY:
                return "ENOTTY";
        case ESRCH:
                return "ESRCH";
        case EUSERS:
                return "EUSERS";
        }
        snprintf(buf, sizeof(buf), "errno %d", e);
        return buf;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int do_ls(const char *dir) {
        DIR *d = opendir(dir);
        if (!d) {
                fprintf(stderr, "probe: %s: %s\n", dir, strerror(errno));
                return 1;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                        continue;
                names = realloc(names, (n + 1) * sizeof(*names));
                names[n++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n; i++)
                puts(names[i]);
        return 0;
}

static int do_cat(const char *path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "probe: %s: %s\n", path, strerror(errno));
                return 1;
        }
        char buf[4096];
        ssize_t r;
        while ((r = read(fd, buf, sizeof(buf))) > 0)
                fwrite(buf, 1, (size_t) r, stdout);
        close(fd);
        return r < 0;
}

static int do_caps(void) {
        struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[2] = { 0 };
        if (syscall(SYS_capget, &hdr, data) < 0) {
                perror("probe: capget");
                return 1;
        }
        unsigned long long bnd = 0, amb = 0;
        for (int c = 0; c < 64; c++) {
                int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
                if (r < 0)
                        break; /* past the last capability the kernel knows */
                if (r)
                        bnd |= 1ULL << c;
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
                        amb |= 1ULL << c;
        }
#define SET(f) ((unsigned long long) data[1].f << 32 | data[0].f)
        printf("CapInh: %016llx\nCapPrm: %016llx\nCapEff: %016llx\nCapBnd: %016llx\nCapAmb: %016llx\n",
               SET(inheritable), SET(permitted), SET(effective), bnd, amb);
        /* In filter mode PR_GET_SECCOMP answers 2; only strict mode (never used here) kills. */
        printf("NoNewPrivs: %d\nSeccomp: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
               prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
        return 0;
}

/* The fds this process has, without /proc: fcntl(F_GETFD) on each number. */
static int do_fds(void) {
        long max = sysconf(_SC_OPEN_MAX);
        if (max < 0 || max > 65536)
                max = 65536;
        const char *sep = "";
        for (int fd = 0; fd < max; fd++) {
                if (fcntl(fd, F_GETFD) >= 0) {
                        printf("%s%d", sep, fd);
                        sep = " ";
                }
        }
        putchar('\n');
        return 0;
}

/* Each call gets arguments it must refuse; what matters is which errno comes back. */
static int do_syscall(const char *name) {
        static const struct {
                const char *name;
                long nr;
                long a[6];
        } calls[] = {
                { "uname", SYS_uname, { BAD_PTR } },
                { "getcwd", SYS_getcwd, { BAD_PTR, 4096 } },
                { "chroot", SYS_chroot, { BAD_PTR } },
                { "mount", SYS_mount, { BAD_PTR, BAD_PTR, BAD_PTR, 0, 0 } },
                { "umount2", SYS_umount2, { BAD_PTR, 0 } },
                { "unshare", SYS_unshare, { -1 } },
                { "setns", SYS_setns, { -1, 0 } },
                { "keyctl", SYS_keyctl, { -1 } },
                { "ptrace", SYS_ptrace, { -1 } },
                { "bpf", SYS_bpf, { -1 } },
                { "perf_event_open", SYS_perf_event_open, { BAD_PTR, 0, -1, -1, 0 } },
                { "ioctl", SYS_ioctl, { -1, 0 } },
                { "socket", SYS_socket, { -1, 0, 0 } },
                { "kill", SYS_kill, { 0, -1 } },
#ifdef SYS_clone3
                { "clone3", SYS_clone3, { BAD_PTR, 64 } },
#endif
#ifdef SYS_io_uring_setup
                { "io_uring_setup", SYS_io_uring_setup, { 1, BAD_PTR } },
#endif
        };
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
                if (strcmp(calls[i].name, name))
                        continue;
                const long *a = calls[i].a;
                errno = 0;
                long r = syscall(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
                puts(errno_name(r < 0 ? errno : 0));
                return 0;
        }
        fprintf(stderr, "probe: syscall: '%s' is not one the probe knows\n", name);
        return 2;
}

static int open_in(const char *dir, const char *name, int flags) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        int fd = open(path, flags | O_CLOEXEC, 0644);
        if (fd < 0)
                fprintf(stderr, "probe: %s: %s\n", path, strerror(errno));
        return fd;
}

static int do_sigint(const char *dir) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigprocmask(SIG_BLOCK, &set, NULL);
        int sfd = signalfd(-1, &set, SFD_CLOEXEC);
        /* O_RDWR: a fifo opened so doesn't wait for the other end. */
        int ctl = open_in(dir, "ctl", O_RDWR), tick = open_in(dir, "tick", O_RDWR);
        int ints = open_in(dir, "ints", O_WRONLY | O_CREAT | O_APPEND);
        int ready = open_in(dir, "ready", O_WRONLY);
        if (sfd < 0 || ctl < 0 || tick < 0 || ints < 0 || ready < 0)
                return 2;
        if (write(ready, "up\n", 3) != 3)
                return 2;
        close(ready);
        for (;;) {
                struct pollfd fds[] = { { .fd = sfd, .events = POLLIN }, { .fd = ctl, .events = POLLIN } };
                struct signalfd_siginfo si;
                if (poll(fds, 2, -1) < 0)
                        return 2;
                if (fds[0].revents) {
                        if (read(sfd, &si, sizeof si) != sizeof si || write(ints, "INT\n", 4) != 4 ||
                            write(tick, "tick\n", 5) != 5)
                                return 2;
                } else if (fds[1].revents)
                        return 0;
        }
}

static int do_statfs(const char *path) {
        struct statfs s;
        struct statvfs v;
        if (statfs(path, &s) < 0 || statvfs(path, &v) < 0) {
                fprintf(stderr, "probe: %s: %s\n", path, strerror(errno));
                return 1;
        }
        printf("type: %lx\nbytes: %llu\nflags:%s%s%s%s\n", (unsigned long) s.f_type,
               (unsigned long long) s.f_blocks * (unsigned long long) s.f_bsize, v.f_flag & ST_RDONLY ? " ro" : " rw",
               v.f_flag & ST_NOSUID ? " nosuid" : "", v.f_flag & ST_NODEV ? " nodev" : "",
               v.f_flag & ST_NOEXEC ? " noexec" : "");
        return 0;
}

int main(int argc, char **argv) {
        const char *mode = argc > 1 ? argv[1] : "";
        const char *arg = argc > 2 ? argv[2] : NULL;
        setvbuf(stdout, NULL, _IOFBF, 0);

        if (!strcmp(mode, "ids")) {
                gid_t groups[256];
                int n = getgroups(256, groups);
                printf("uid: %d\ngid: %d\neuid: %d\negid: %d\ngroups:", (int) getuid(), (int) getgid(), (int) geteuid(),
                       (int) getegid());
                for (int i = 0; i < n; i++)
                        printf(" %d", (int) groups[i]);
                putchar('\n');
                return 0;
        }
        if (!strcmp(mode, "pid")) {
                printf("pid: %d\nppid: %d\nsid: %d\npgid: %d\n", (int) getpid(), (int) getppid(), (int) getsid(0),
                       (int) getpgrp());
                return 0;
        }
        if (!strcmp(mode, "caps"))
                return do_caps();
        if (!strcmp(mode, "fds"))
                return do_fds();
        if (!strcmp(mode, "env")) {
                for (char **e = environ; *e; e++)
                        puts(*e);
                return 0;
        }
        if (!strcmp(mode, "cwd")) {
                char buf[4096];
                if (!getcwd(buf, sizeof(buf))) {
                        perror("probe: getcwd");
                        return 1;
                }
                puts(buf);
                return 0;
        }
        if (!strcmp(mode, "hostname")) {
                struct utsname u;
                uname(&u);
                puts(u.nodename);
                return 0;
        }
        if (!strcmp(mode, "userns")) {
                puts(errno_name(unshare(CLONE_NEWUSER) < 0 ? errno : 0));
                return 0;
        }
        if (!strcmp(mode, "argv0")) {
                puts(argv[0]);
                return 0;
        }
        if (arg && !strcmp(mode, "syscall"))
                return do_syscall(arg);
        if (arg && !strcmp(mode, "ls"))
                return do_ls(arg);
        if (arg && !strcmp(mode, "cat"))
                return do_cat(arg);
        if (arg && !strcmp(mode, "statfs"))
                return do_statfs(arg);
        if (arg && !strcmp(mode, "write")) {
                int fd = open(arg, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                puts(errno_name(fd < 0 ? errno : 0));
                return 0;
        }
        if (arg && !strcmp(mode, "exit"))
                return atoi(arg);
        if (arg && !strcmp(mode, "kill")) {
                fflush(stdout);
                signal(atoi(arg), SIG_DFL);
                kill(getpid(), atoi(arg));
                return 99; /* a signal that doesn't kill: the test sees 99 */
        }
        if (!strcmp(mode, "pdeathsig")) {
                int sig = -1;
                prctl(PR_GET_PDEATHSIG, &sig);
                printf("%d\n", sig);
                return 0;
        }
        if (arg && !strcmp(mode, "sigint"))
                return do_sigint(arg);
        fprintf(stderr, "usage: probe ids|pid|caps|fds|env|cwd|hostname|userns|argv0|syscall NAME|ls DIR|"
                        "cat FILE|statfs PATH|write PATH|exit N|kill SIG|pdeathsig|sigint DIR\n");
        return 2;
}
