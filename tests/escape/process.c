/* The escape probe for processes, mounts, /proc, /sys, /dev, IPC and lifetime (tests/escape/process.sh).
 *
 * Each subcommand makes one attack for real and prints what happened. Exit status: 0 when the
 * attack was stopped the way the test expects, 1 on an escape (the line says what got through),
 * 2 on a usage or setup error, 77 with "SKIP reason" when the kernel lacks the feature.
 * A few subcommands (shm-create, listen-abstract, swap, hang) are helpers run outside or
 * beside the sandbox to set the attack up.
 *
 * Options before the subcommand: -r FIFO writes "up" to FIFO at the subcommand's sync point,
 * -g FIFO then waits for a line on FIFO; so the test can act on the host while the probe
 * holds the sandbox open, without sleeping.
 *
 * Static, so it runs in a root holding nothing but itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

enum {
        STOPPED = 0,
        ESCAPED = 1,
        USAGE = 2,
        SKIPPED = 77
};

/* The probe's result: ESCAPED if any attempt got through (each has said so), else the word
 * for how all were stopped. */
static int verdict(int escaped, const char *stopped) {
        if (escaped)
                return ESCAPED;
        printf("%s\n", stopped);
        return STOPPED;
}

static const char *ready_fifo, *go_fifo;
static const char *self_path; /* how we were started: to start ourselves again, /proc or not */

/* The point where the test acts on the host: tell it we are there, wait for its word. */
static void sync_point(void) {
        if (ready_fifo) {
                FILE *f = fopen(ready_fifo, "we");
                if (!f || fputs("up\n", f) < 0 || fclose(f) != 0) {
                        perror(ready_fifo);
                        exit(USAGE);
                }
        }
        if (go_fifo) {
                char line[64];
                FILE *f = fopen(go_fifo, "re");
                if (!f) {
                        perror(go_fifo);
                        exit(USAGE);
                }
                if (!fgets(line, sizeof line, f))
                        line[0] = '\0';
                fclose(f);
        }
}

static const char *err_name(int e) {
        switch (e) {
        case 0:
                return "OK";
        case EPERM:
                return "EPERM";
        case EACCES:
                return "EACCES";
        case ESRCH:
                return "ESRCH";
        case ENOENT:
                return "ENOENT";
        case EROFS:
                return "EROFS";
        case ETXTBSY:
                return "ETXTBSY";
        case EFAULT:
                return "EFAULT";
        case ENOSYS:
                return "ENOSYS";
        case EINVAL:
                return "EINVAL";
        case ECONNREFUSED:
                return "ECONNREFUSED";
        case EIO:
                return "EIO";
        case ENOTDIR:
                return "ENOTDIR";
        case EISDIR:
                return "EISDIR";
        case EEXIST:
                return "EEXIST";
        default:
                return strerror(e);
        }
}

/* Reads a whole small file (NULs turned into spaces) into buf; -1 if it can't be read. */
static ssize_t read_small(const char *path, char *buf, size_t size) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        size_t n = 0;
        while (n + 1 < size) {
                ssize_t r = read(fd, buf + n, size - 1 - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                n += (size_t) r;
        }
        close(fd);
        for (size_t i = 0; i < n; i++)
                if (buf[i] == '\0')
                        buf[i] = ' ';
        buf[n] = '\0';
        return (ssize_t) n;
}

static bool all_digits(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s < '0' || *s > '9')
                        return false;
        return true;
}

/* pids PART1 PART2: how many processes /proc lists, and whether one of them has the marker
 * PART1PART2 in its command line (a process the test started outside: it must not be
 * visible). In two parts so that our own command line doesn't hold it. */
static int cmd_pids(int argc, char **argv) {
        if (argc != 3)
                return USAGE;
        char marker[256];
        snprintf(marker, sizeof marker, "%s%s", argv[1], argv[2]);
        DIR *d = opendir("/proc");
        if (!d) {
                perror("/proc");
                return USAGE;
        }
        int n = 0, seen = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (!all_digits(e->d_name))
                        continue;
                n++;
                char path[PATH_MAX], buf[4096];
                snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
                if (read_small(path, buf, sizeof buf) > 0 && strstr(buf, marker)) {
                        printf("visible %s: %s\n", e->d_name, buf);
                        seen++;
                }
        }
        closedir(d);
        printf("pids %d\n", n);
        return verdict(seen, "hidden");
}

/* attack PID [nokill]: every way to reach another process; each must fail. process_vm_writev
 * writes one byte at address 0 of the target: EFAULT would mean the permission check passed. */
static int cmd_attack(int argc, char **argv) {
        if (argc < 2)
                return USAGE;
        pid_t pid = (pid_t) atoi(argv[1]);
        bool nokill = argc > 2 && strcmp(argv[2], "nokill") == 0;
        int escaped = 0;

        if (!nokill) {
                int r = kill(pid, SIGCONT);
                printf("kill %s\n", err_name(r == 0 ? 0 : errno));
                escaped += r == 0;
        }
        long r = ptrace(PTRACE_ATTACH, pid, 0, 0);
        printf("ptrace-attach %s\n", err_name(r == 0 ? 0 : errno));
        if (r == 0) {
                escaped++;
                waitpid(pid, NULL, __WALL);
                ptrace(PTRACE_DETACH, pid, 0, 0);
        }
        r = ptrace(PTRACE_SEIZE, pid, 0, 0);
        printf("ptrace-seize %s\n", err_name(r == 0 ? 0 : errno));
        if (r == 0) {
                escaped++;
                ptrace(PTRACE_DETACH, pid, 0, 0);
        }
        r = syscall(SYS_pidfd_open, pid, 0);
        /* A pidfd of our own pid 1 is no escape: the check is on what it can do (the calls above). */
        printf("pidfd_open %s\n", err_name(r >= 0 ? 0 : errno));
        if (r >= 0) {
                if (!nokill)
                        escaped++;
                close((int) r);
        }
        char byte = 0;
        struct iovec local = { .iov_base = &byte, .iov_len = 1 }, remote = { .iov_base = NULL, .iov_len = 1 };
        ssize_t w = process_vm_writev(pid, &local, 1, &remote, 1, 0);
        int e = w >= 0 ? 0 : errno;
        printf("process_vm_writev %s\n", err_name(e));
        escaped += e == 0 || e == EFAULT;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/mem", (int) pid);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        printf("proc-mem %s\n", err_name(fd >= 0 ? 0 : errno));
        if (fd >= 0) {
                escaped++;
                close(fd);
        }
        return verdict(escaped, "denied");
}

/* The mount point (field 5) and file system type (after " - ") of a mountinfo line. */
static void mountinfo_fields(char *line, char **ret_point, char **ret_type, char **ret_optional) {
        char *save = NULL, *tok = strtok_r(line, " ", &save);
        for (int i = 1; tok && i < 5; i++)
                tok = strtok_r(NULL, " ", &save);
        *ret_point = tok ? tok : "";
        *ret_optional = save ? save : "";
        char *dash = strstr(save ? save : "", " - ");
        *ret_type = "";
        if (dash) {
                *dash = '\0';
                char *t = dash + 3, *sp = strchr(t, ' ');
                if (sp)
                        *sp = '\0';
                *ret_type = t;
        }
}

static bool mount_allowed(const char *point, int n, char **allowed) {
        for (int i = 0; i < n; i++) {
                size_t len = strlen(allowed[i]);
                if (strcmp(point, allowed[i]) == 0)
                        return true;
                if (len > 1 && allowed[i][len - 1] == '/' && strncmp(point, allowed[i], len) == 0)
                        return true;
        }
        return false;
}

/* True when the fd's path, looked up in our root, is the file the fd refers to. */
static bool fd_reachable(int fd, const char *target) {
        struct stat a, b;
        if (fstat(fd, &a) != 0 || stat(target, &b) != 0)
                return false;
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* mountinfo ALLOWED...: no shared peers, only the mounts asked for (ALLOWED: mount points, or
 * prefixes ending in /), "/.." is "/", the cwd and every open fd >= 3 lie inside the root. */
static int cmd_mountinfo(int argc, char **argv) {
        int escaped = 0;
        FILE *f = fopen("/proc/self/mountinfo", "re");
        if (!f) {
                perror("mountinfo");
                return USAGE;
        }
        char line[4096];
        while (fgets(line, sizeof line, f)) {
                char copy[4096], *point, *type, *optional;
                snprintf(copy, sizeof copy, "%s", line);
                mountinfo_fields(copy, &point, &type, &optional);
                if (strstr(optional, "shared:")) {
                        printf("shared-peer %s", line);
                        escaped++;
                }
                if (!mount_allowed(point, argc - 1, argv + 1)) {
                        printf("unexpected-mount %s", line);
                        escaped++;
                }
        }
        fclose(f);

        struct stat root, up;
        if (stat("/", &root) != 0 || stat("/..", &up) != 0 || root.st_dev != up.st_dev || root.st_ino != up.st_ino) {
                printf("dotdot-escapes\n");
                escaped++;
        }
        char buf[PATH_MAX];
        if (!getcwd(buf, sizeof buf) || buf[0] != '/') {
                printf("cwd-outside %s\n", errno == ENOENT ? "(unreachable)" : buf);
                escaped++;
        }
        ssize_t n = readlink("/proc/self/root", buf, sizeof buf - 1);
        if (n != 1 || buf[0] != '/') {
                printf("root-link %.*s\n", (int) (n > 0 ? n : 0), buf);
                escaped++;
        }
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return USAGE;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (!all_digits(e->d_name))
                        continue;
                int fd = atoi(e->d_name);
                if (fd <= 2 || fd == dirfd(d))
                        continue; /* 0-2 are the caller's on purpose */
                char link[PATH_MAX], target[PATH_MAX];
                snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
                n = readlink(link, target, sizeof target - 1);
                if (n < 0)
                        continue;
                target[n] = '\0';
                if (target[0] == '/' && !fd_reachable(fd, target)) {
                        printf("fd-outside %d %s\n", fd, target);
                        escaped++;
                }
        }
        closedir(d);
        return verdict(escaped, "contained");
}

/* Whether PATH is a mount point according to our mountinfo. */
static bool is_mount_point(const char *path) {
        FILE *f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return false;
        char line[4096];
        bool found = false;
        while (!found && fgets(line, sizeof line, f)) {
                char *point, *type, *optional;
                mountinfo_fields(line, &point, &type, &optional);
                found = strcmp(point, path) == 0;
        }
        fclose(f);
        return found;
}

/* notmount PATH: after the sync point (the host mounts there meanwhile), PATH is no mount
 * point here and holds nothing of the host's new mount. */
static int cmd_notmount(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        sync_point();
        char marker[PATH_MAX];
        snprintf(marker, sizeof marker, "%s/host-marker", argv[1]);
        if (is_mount_point(argv[1]) || access(marker, F_OK) == 0) {
                printf("propagated\n");
                return ESCAPED;
        }
        printf("not-propagated\n");
        return STOPPED;
}

/* mount-tmpfs PATH: mounts a tmpfs on PATH holding a file "inside-marker", then holds the
 * sandbox at the sync point while the host looks for it. */
static int cmd_mount_tmpfs(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        if (mount("none", argv[1], "tmpfs", 0, NULL) != 0) {
                printf("mount %s\n", err_name(errno));
                return USAGE;
        }
        char marker[PATH_MAX];
        snprintf(marker, sizeof marker, "%s/inside-marker", argv[1]);
        int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
                return USAGE;
        close(fd);
        printf("mounted\n");
        fflush(stdout);
        sync_point();
        return STOPPED;
}

/* exe-write: the tool's binary, reached through /proc/1/exe and /proc/self/exe, can't be
 * opened for writing. */
static int cmd_exe_write(int argc, char **argv) {
        (void) argc, (void) argv;
        static const char *const paths[] = { "/proc/1/exe", "/proc/self/exe" };
        static const int modes[] = { O_WRONLY, O_RDWR };
        int escaped = 0;
        for (size_t i = 0; i < 2; i++)
                for (size_t j = 0; j < 2; j++) {
                        int fd = open(paths[i], modes[j] | O_CLOEXEC);
                        printf("%s %s %s\n", paths[i], modes[j] == O_WRONLY ? "O_WRONLY" : "O_RDWR",
                               err_name(fd >= 0 ? 0 : errno));
                        if (fd >= 0) {
                                escaped++;
                                close(fd);
                        }
                }
        return verdict(escaped, "denied");
}

/* fds ALLOWED...: the open descriptors (but the one listing them) are all in ALLOWED. */
static int cmd_fds(int argc, char **argv) {
        DIR *d = opendir("/proc/self/fd");
        if (!d) {
                perror("/proc/self/fd");
                return USAGE;
        }
        int escaped = 0;
        struct dirent *e;
        printf("fds");
        while ((e = readdir(d))) {
                if (!all_digits(e->d_name) || atoi(e->d_name) == dirfd(d))
                        continue;
                bool ok = false;
                for (int i = 1; i < argc; i++)
                        ok = ok || strcmp(argv[i], e->d_name) == 0;
                char link[PATH_MAX], target[PATH_MAX] = "?";
                snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
                ssize_t n = readlink(link, target, sizeof target - 1);
                target[n > 0 ? n : 1] = '\0';
                if (ok)
                        printf(" %s", e->d_name);
                else {
                        printf(" %s(leaked:%s)", e->d_name, target);
                        escaped++;
                }
        }
        printf("\n");
        closedir(d);
        return escaped ? ESCAPED : STOPPED;
}

/* Tries to open a file for writing (never writes: some of these files act on a write);
 * for a directory, tries to create a file in it. Returns 1 if that worked. */
static int try_write(const char *path, bool verbose) {
        struct stat st;
        if (lstat(path, &st) != 0) {
                if (verbose)
                        printf("%s absent\n", path);
                return 0;
        }
        if (S_ISDIR(st.st_mode)) {
                char file[PATH_MAX];
                snprintf(file, sizeof file, "%s/.escape-probe", path);
                int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (verbose || fd >= 0)
                        printf("%s create %s\n", path, err_name(fd >= 0 ? 0 : errno));
                if (fd >= 0) {
                        close(fd);
                        unlink(file);
                        return 1;
                }
                return 0;
        }
        if (!S_ISREG(st.st_mode))
                return 0;
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (verbose || fd >= 0)
                printf("%s open-write %s\n", path, err_name(fd >= 0 ? 0 : errno));
        if (fd >= 0) {
                close(fd);
                return 1;
        }
        return 0;
}

/* Walks DIR (no symlinks followed) down to depth, trying every writable-looking file. */
static int walk_write(const char *dir, int depth, int *budget) {
        int escaped = try_write(dir, false);
        DIR *d = opendir(dir);
        if (!d)
                return escaped;
        struct dirent *e;
        while ((e = readdir(d)) && *budget > 0) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                struct stat st;
                if (lstat(path, &st) != 0)
                        continue;
                (*budget)--;
                if (S_ISDIR(st.st_mode) && depth > 0)
                        escaped += walk_write(path, depth - 1, budget);
                else if (S_ISREG(st.st_mode) && (st.st_mode & 0222))
                        escaped += try_write(path, false);
        }
        closedir(d);
        return escaped;
}

/* nowrite PATH...: none of them writable; a path ending in "/..." is walked (depth 4). */
static int cmd_nowrite(int argc, char **argv) {
        int escaped = 0, budget = 20000;
        for (int i = 1; i < argc; i++) {
                size_t len = strlen(argv[i]);
                if (len > 4 && strcmp(argv[i] + len - 4, "/...") == 0) {
                        char dir[PATH_MAX];
                        snprintf(dir, sizeof dir, "%.*s", (int) (len - 4), argv[i]);
                        escaped += walk_write(dir, 4, &budget);
                } else
                        escaped += try_write(argv[i], true);
        }
        return verdict(escaped, "read-only");
}

/* fstype-count TYPE: how many mounts of that file system type we see (prints "TYPE N"). */
static int cmd_fstype_count(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        FILE *f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return USAGE;
        char line[4096];
        int n = 0;
        while (fgets(line, sizeof line, f)) {
                char *point, *type, *optional;
                mountinfo_fields(line, &point, &type, &optional);
                /* Not the covers on /proc (/proc/keys is an empty file of the staging tmpfs). */
                n += strcmp(type, argv[1]) == 0 && strncmp(point, "/proc/", 6) != 0;
        }
        fclose(f);
        printf("%s %d\n", argv[1], n);
        return STOPPED;
}

/* shm-create KEY / shm-find KEY / shm-rm KEY: a SysV shared memory segment under a fixed key. */
static int cmd_shm(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        key_t key = (key_t) strtol(argv[1], NULL, 0);
        if (strcmp(argv[0], "shm-create") == 0) {
                int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
                if (id < 0) {
                        printf("shmget %s\n", err_name(errno));
                        return USAGE;
                }
                printf("created %d\n", id);
                return STOPPED;
        }
        int id = shmget(key, 0, 0);
        if (strcmp(argv[0], "shm-rm") == 0) {
                if (id >= 0)
                        shmctl(id, IPC_RMID, NULL);
                return STOPPED;
        }
        if (id >= 0) {
                printf("visible %d\n", id);
                return ESCAPED;
        }
        printf("shmget %s\n", err_name(errno));
        return STOPPED;
}

static socklen_t abstract_addr(const char *name, struct sockaddr_un *addr) {
        memset(addr, 0, sizeof *addr);
        addr->sun_family = AF_UNIX;
        size_t len = strnlen(name, sizeof addr->sun_path - 2);
        memcpy(addr->sun_path + 1, name, len); /* sun_path[0] == '\0': the abstract namespace */
        return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

/* listen-abstract NAME: listens on the abstract unix socket NAME, says "up" at the sync
 * point, then accepts (and closes) connections until killed. */
static int cmd_listen_abstract(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        struct sockaddr_un addr;
        socklen_t len = abstract_addr(argv[1], &addr);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *) &addr, len) != 0 || listen(s, 16) != 0) {
                perror("listen-abstract");
                return USAGE;
        }
        sync_point();
        for (;;) {
                int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
                if (c >= 0)
                        close(c);
        }
}

/* connect-abstract NAME: connecting to the host's abstract socket must fail. */
static int cmd_connect_abstract(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        struct sockaddr_un addr;
        socklen_t len = abstract_addr(argv[1], &addr);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0) {
                printf("socket %s\n", err_name(errno));
                return STOPPED;
        }
        if (connect(s, (struct sockaddr *) &addr, len) == 0) {
                printf("connected\n");
                return ESCAPED;
        }
        printf("connect %s\n", err_name(errno));
        return STOPPED;
}

/* mknod DIR: neither a character device (1:3, the null device) nor a block device can be made. */
static int cmd_mknod(int argc, char **argv) {
        if (argc != 2)
                return USAGE;
        static const struct {
                const char *name;
                mode_t type;
                unsigned maj, min;
        } nodes[] = { { "null", S_IFCHR, 1, 3 }, { "mem", S_IFCHR, 1, 1 }, { "sda", S_IFBLK, 8, 0 } };
        int escaped = 0;
        for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", argv[1], nodes[i].name);
                int r = mknod(path, nodes[i].type | 0666, makedev(nodes[i].maj, nodes[i].min));
                printf("mknod %s %s\n", nodes[i].name, err_name(r == 0 ? 0 : errno));
                if (r == 0) {
                        escaped++;
                        unlink(path);
                }
        }
        return verdict(escaped, "denied");
}

/* devlist: every entry of /dev (pts and shm included), as "name type [maj:min]"; fails on a
 * block device or a character device outside the minimal set. */
static int list_dev(const char *dir, const char *prefix) {
        int escaped = 0;
        DIR *d = opendir(dir);
        if (!d) {
                perror(dir);
                return 0;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                char path[PATH_MAX], name[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                snprintf(name, sizeof name, "%s%s", prefix, e->d_name);
                struct stat st;
                if (lstat(path, &st) != 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        printf("%s dir\n", name);
                        char sub[PATH_MAX + 2];
                        snprintf(sub, sizeof sub, "%s/", name);
                        escaped += list_dev(path, sub);
                } else if (S_ISLNK(st.st_mode)) {
                        char target[PATH_MAX];
                        ssize_t n = readlink(path, target, sizeof target - 1);
                        target[n > 0 ? n : 0] = '\0';
                        printf("%s link %s\n", name, target);
                } else if (S_ISBLK(st.st_mode)) {
                        printf("%s block %u:%u forbidden\n", name, major(st.st_rdev), minor(st.st_rdev));
                        escaped++;
                } else if (S_ISCHR(st.st_mode)) {
                        unsigned ma = major(st.st_rdev), mi = minor(st.st_rdev);
                        /* null zero full random urandom, tty, ptmx, and the terminals of our devpts */
                        bool ok = (ma == 1 && (mi == 3 || mi == 5 || mi == 7 || mi == 8 || mi == 9)) ||
                                  (ma == 5 && (mi == 0 || mi == 2)) ||
                                  (strncmp(name, "pts/", 4) == 0 && ma >= 136 && ma <= 143) ||
                                  strcmp(name, "console") == 0;
                        printf("%s char %u:%u%s\n", name, ma, mi, ok ? "" : " forbidden");
                        escaped += !ok;
                } else
                        printf("%s other\n", name);
        }
        closedir(d);
        return escaped;
}

static int cmd_devlist(int argc, char **argv) {
        (void) argc, (void) argv;
        return list_dev("/dev", "") ? ESCAPED : STOPPED;
}

/* hang MARKER FD: a process that won't go on its own: SIGTERM, SIGINT and SIGHUP ignored;
 * writes a byte to FD once it is so, then waits forever. MARKER is only for the host to find it. */
static int cmd_hang(int argc, char **argv) {
        if (argc != 3)
                return USAGE;
        signal(SIGTERM, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        int fd = atoi(argv[2]);
        if (write(fd, "x", 1) != 1)
                return USAGE;
        close(fd);
        for (;;)
                pause();
}

static pid_t start_hang(const char *marker, int wfd, bool daemonize) {
        pid_t pid = fork();
        if (pid != 0)
                return pid;
        if (daemonize) { /* the classic double fork: the grandchild is nobody's child here */
                setsid();
                if (fork() != 0)
                        _exit(0);
        }
        char fd[16];
        snprintf(fd, sizeof fd, "%d", wfd);
        execl(self_path, "escape-process", "hang", marker, fd, (char *) NULL);
        _exit(127);
}

/* spawn MARKER [wait]: leaves behind a daemonized (double-forked, setsid) process and a child
 * that ignores SIGTERM, both with MARKER in their command line; once both run, the sync point;
 * then exits 0, or with "wait" ignores SIGTERM itself and waits forever. */
static int cmd_spawn(int argc, char **argv) {
        if (argc < 2)
                return USAGE;
        int p[2];
        if (pipe(p) != 0)
                return USAGE;
        pid_t daemon = start_hang(argv[1], p[1], true);
        start_hang(argv[1], p[1], false);
        close(p[1]);
        char c;
        for (int i = 0; i < 2; i++)
                if (read(p[0], &c, 1) != 1) {
                        printf("a hang process failed\n");
                        return USAGE;
                }
        close(p[0]);
        waitpid(daemon, NULL, 0); /* the intermediate child of the double fork */
        printf("spawned\n");
        fflush(stdout);
        sync_point();
        if (argc > 2 && strcmp(argv[2], "wait") == 0) {
                signal(SIGTERM, SIG_IGN);
                for (;;)
                        pause();
        }
        return STOPPED;
}

/* swap A B STOPFILE MAX: exchanges A and B (renameat2 RENAME_EXCHANGE) until STOPFILE exists
 * or MAX exchanges were made, and leaves them as they were. Says "up" at the sync point after
 * the first exchange. */
static int cmd_swap(int argc, char **argv) {
        if (argc != 5)
                return USAGE;
        long max = atol(argv[4]), n = 0;
        while (n < max && access(argv[3], F_OK) != 0) {
                if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) {
                        if (errno == ENOSYS || errno == EINVAL) {
                                printf("SKIP renameat2 RENAME_EXCHANGE: %s\n", err_name(errno));
                                return SKIPPED;
                        }
                        perror("renameat2");
                        return USAGE;
                }
                if (++n == 1)
                        sync_point();
        }
        if (n % 2 && syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0)
                return USAGE;
        if (n == 1)
                sync_point();
        printf("swapped %ld\n", n);
        return STOPPED;
}

/* kill(0, SIG) from inside: the caller's process group must not be in reach. Prints what kill()
 * said; whether it reached anything outside is for the test to see from outside. */
static int cmd_kill0(int argc, char **argv) {
        int sig = argc > 1 ? atoi(argv[1]) : 0;
        if (sig <= 0)
                return USAGE;
        signal(SIGUSR1, SIG_IGN); /* our own group gets it too */
        if (kill(0, sig) != 0)
                printf("kill(0) %s\n", strerror(errno));
        else
                printf("kill(0) sent\n");
        return STOPPED;
}

/* The stop attack on --timeout: a helper moves itself to a group of its own (so the stop does
 * not reach it) and runs on, while the rest of the group stops itself with kill(0, SIGSTOP).
 * If that stopped the monitor, nothing would enforce the timeout. */
static int cmd_stop_group(int argc, char **argv) {
        pid_t helper = fork();
        if (helper < 0)
                return USAGE;
        if (helper == 0) {
                setpgid(0, 0);
                for (;;)
                        pause();
        }
        setpgid(helper, helper);
        kill(0, SIGSTOP);
        /* Continued: the timeout's SIGTERM follows. */
        for (;;)
                pause();
}

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SEARCH 10
#define KEY_SPEC_SESSION_KEYRING -3
#endif

/* On the host: a session keyring of our own holding a user key DESC, then exec ARGS. */
static int cmd_keyring_plant(int argc, char **argv) {
        if (argc < 3)
                return USAGE;
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "escape-test", 0, 0, 0) < 0 ||
            syscall(SYS_add_key, "user", argv[1], "secret-payload", 14, KEY_SPEC_SESSION_KEYRING) < 0) {
                perror("keyring-plant");
                return USAGE;
        }
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        return USAGE;
}

/* Inside: the caller's key DESC must be neither listed in /proc/keys nor found from the session
 * keyring. */
static int cmd_keyring_look(int argc, char **argv) {
        char line[512];
        int escaped = 0;
        long id;
        FILE *f;

        if (argc < 2)
                return USAGE;
        f = fopen("/proc/keys", "re");
        while (f && fgets(line, sizeof line, f))
                if (strstr(line, argv[1])) {
                        printf("ESCAPED /proc/keys lists it: %s", line);
                        escaped = 1;
                }
        if (f)
                fclose(f);
        id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", argv[1], 0);
        if (id >= 0) {
                printf("ESCAPED the session keyring holds it: key %ld\n", id);
                escaped = 1;
        }
        return verdict(escaped, id < 0 && errno == EPERM ? "HIDDEN keyctl EPERM" : "HIDDEN");
}

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
} commands[] = {
        { "pids", cmd_pids },
        { "attack", cmd_attack },
        { "mountinfo", cmd_mountinfo },
        { "notmount", cmd_notmount },
        { "mount-tmpfs", cmd_mount_tmpfs },
        { "exe-write", cmd_exe_write },
        { "fds", cmd_fds },
        { "nowrite", cmd_nowrite },
        { "fstype-count", cmd_fstype_count },
        { "shm-create", cmd_shm },
        { "shm-rm", cmd_shm },
        { "shm-find", cmd_shm },
        { "listen-abstract", cmd_listen_abstract },
        { "connect-abstract", cmd_connect_abstract },
        { "mknod", cmd_mknod },
        { "devlist", cmd_devlist },
        { "hang", cmd_hang },
        { "spawn", cmd_spawn },
        { "swap", cmd_swap },
        { "kill0", cmd_kill0 },
        { "stop-group", cmd_stop_group },
        { "keyring-plant", cmd_keyring_plant },
        { "keyring-look", cmd_keyring_look },
};

int main(int argc, char **argv) {
        int opt;
        self_path = argv[0];
        while ((opt = getopt(argc, argv, "+r:g:")) != -1) {
                if (opt == 'r')
                        ready_fifo = optarg;
                else if (opt == 'g')
                        go_fifo = optarg;
                else
                        return USAGE;
        }
        argc -= optind;
        argv += optind;
        if (argc < 1) {
                fprintf(stderr, "usage: escape-process [-r FIFO] [-g FIFO] SUBCOMMAND ARGS...\n");
                return USAGE;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        const char *c = argv[0];
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(c, commands[i].name) == 0)
                        return commands[i].run(argc, argv);
        fprintf(stderr, "escape-process: unknown subcommand %s\n", c);
        return USAGE;
}
