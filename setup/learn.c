/* SPDX-License-Identifier: MIT */
/* Learn mode (learn.h): the filter, the recorder the supervisor calls, and writing the file. */
#include "learn.h"

#include <elf.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "launch.h"
#include "learn-policy.h"
#include "libseccomp.h"
#include "notify.h"
#include "options.h"

/* ---- the option and its checks ---- */

int learn_option(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (!args[0][0])
                return error_msg(e, "--learn: the file name is empty");
        p->learn_file = args[0];
        return 0;
}

/* What --learn can't be combined with, and why. */
static int check_combinations(const sandbox_plan_t *p, sandbox_error_t *e) {
        static const char *const actions[] = {
                [ACTION_HELP] = "--help",
                [ACTION_VERSION] = "--version",
                [ACTION_PRINT_POLICY] = "--print-policy",
                [ACTION_CHECK_POLICY] = "--check-policy",
                [ACTION_EXPORT_PFC] = "--export-pfc",
        };

        if (p->action != ACTION_RUN && p->action < ELEMENTSOF(actions) && actions[p->action]) {
                error_msg(e, "--learn can't be combined with %s: learning needs the command to run",
                          actions[p->action]);
                return -EINVAL;
        }
        /* The kernel gives a task's filters one listener, and learning takes every notification. */
        if (p->report_denials || p->denials_fd >= 0) {
                error_msg(e,
                          "--learn can't be combined with --%s: both need the one seccomp listener a process may have",
                          p->report_denials ? "report-denials" : "denials-fd");
                error_hint(e, "learn first, then run the learned policy with --report-denials");
                return -EINVAL;
        }
        /* A precompiled program can't be written into the learned policy, so a run under it
         * would not be the run that was learned. */
        if (p->n_seccomp_fds) {
                error_msg(e, "--learn can't be combined with --%s: the learned policy can't hold a precompiled filter",
                          p->seccomp_single ? "seccomp" : "add-seccomp-fd");
                error_hint(e, "write the filter's rules as 'syscall' directives instead");
                return -EINVAL;
        }
        if (!p->argv || !p->argv[0])
                return error_msg(e, "--learn needs a command to learn from");
        return 0;
}

int learn_check(const sandbox_plan_t *p, sandbox_error_t *e) {
        _cleanup_free_ char *copy = NULL;
        struct stat st;
        const char *dir;
        int r;

        if (!p->learn_file)
                return 0;
        if ((r = check_combinations(p, e)) < 0)
                return r;
        copy = xstrdup(p->learn_file);
        dir = dirname(copy);
        /* The file is written next to itself and renamed over: its directory must take a new file. */
        if (stat(dir, &st) < 0)
                return error_errno(e, errno, "--learn %s: directory %s", p->learn_file, dir);
        if (!S_ISDIR(st.st_mode))
                return error_msg(e, "--learn %s: %s is not a directory", p->learn_file, dir);
        if (access(dir, W_OK | X_OK) < 0)
                return error_errno(e, errno, "--learn %s: can't write in directory %s", p->learn_file, dir);
        if (lstat(p->learn_file, &st) == 0 && !S_ISREG(st.st_mode))
                return error_msg(e, "--learn %s: exists and is not a regular file", p->learn_file);
        return 0;
}

/* ---- the recorder ---- */

/* Where a syscall names a path: the argument holding it and the one holding its directory fd
 * (-1: relative to the cwd), and what the call does with it. */
typedef struct path_arg {
        int dirfd, path;
        unsigned access;
} path_arg_t;

typedef enum {
        FLAGS_NONE,
        FLAGS_OPEN,    /* the open flags in argument `flags` */
        FLAGS_OPENAT2, /* in struct open_how at argument `flags` */
        FLAGS_MAKE,    /* makes the entry: CREATE unless it exists (then it fails, or only opens) */
} flags_kind_t;

typedef struct path_call {
        const char *name;
        path_arg_t p[2];
        flags_kind_t flags_kind;
        int flags;
} path_call_t;

#define P(path, access) \
        { -1, path, access }
#define PAT(dirfd, path, access) \
        { dirfd, path, access }
#define NONE \
        { -1, -1, 0 }

static const path_call_t path_calls[] = {
        { "open", { P(0, LEARN_READ), NONE }, FLAGS_OPEN, 1 },
        { "openat", { PAT(0, 1, LEARN_READ), NONE }, FLAGS_OPEN, 2 },
        { "openat2", { PAT(0, 1, LEARN_READ), NONE }, FLAGS_OPENAT2, 2 },
        { "creat", { P(0, LEARN_WRITE | LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "execve", { P(0, LEARN_EXEC), NONE }, FLAGS_NONE, 0 },
        { "execveat", { PAT(0, 1, LEARN_EXEC), NONE }, FLAGS_NONE, 0 },
        { "stat", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "lstat", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "stat64", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "lstat64", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "newfstatat", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "fstatat64", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "statx", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "statfs", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "access", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "faccessat", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "faccessat2", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "readlink", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "readlinkat", { PAT(0, 1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "chdir", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "getxattr", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "lgetxattr", { P(0, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "inotify_add_watch", { P(1, LEARN_STAT), NONE }, FLAGS_NONE, 0 },
        { "truncate", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "chmod", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "fchmodat", { PAT(0, 1, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "chown", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "lchown", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "fchownat", { PAT(0, 1, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "utimes", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "utimensat", { PAT(0, 1, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "setxattr", { P(0, LEARN_WRITE), NONE }, FLAGS_NONE, 0 },
        { "mkdir", { P(0, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "mkdirat", { PAT(0, 1, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "mknod", { P(0, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "mknodat", { PAT(0, 1, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "symlink", { P(1, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "symlinkat", { PAT(1, 2, LEARN_CREATE), NONE }, FLAGS_MAKE, 0 },
        { "link", { P(0, LEARN_READ), P(1, LEARN_CREATE) }, FLAGS_NONE, 0 },
        { "linkat", { PAT(0, 1, LEARN_READ), PAT(2, 3, LEARN_CREATE) }, FLAGS_NONE, 0 },
        { "unlink", { P(0, LEARN_CREATE), NONE }, FLAGS_NONE, 0 },
        { "unlinkat", { PAT(0, 1, LEARN_CREATE), NONE }, FLAGS_NONE, 0 },
        { "rmdir", { P(0, LEARN_CREATE), NONE }, FLAGS_NONE, 0 },
        { "rename", { P(0, LEARN_CREATE), P(1, LEARN_CREATE) }, FLAGS_NONE, 0 },
        { "renameat", { PAT(0, 1, LEARN_CREATE), PAT(2, 3, LEARN_CREATE) }, FLAGS_NONE, 0 },
        { "renameat2", { PAT(0, 1, LEARN_CREATE), PAT(2, 3, LEARN_CREATE) }, FLAGS_NONE, 0 },
};

typedef struct learn {
        learn_obs_t obs;
        const sandbox_plan_t *plan;
        int dirfd; /* where the learn file goes */
        uint32_t native;
        /* syscall entry -> path_calls index + 1 (0: names no path), by the order of obs.syscalls */
        int *calls;
        size_t n_calls;
        bool done;
        int result;
        sandbox_error_t error;
} learn_t;

static learn_t learner = { .dirfd = -1 };

/* A NUL-terminated string from the caller's memory, read a page at a time (a path may end just
 * before an unmapped page). */
static int read_string(pid_t pid, uint64_t addr, char *buf, size_t size) {
        size_t got = 0;

        if (!addr)
                return -EFAULT;
        while (got < size - 1) {
                uint64_t at = addr + got;
                size_t chunk = 4096 - (size_t) (at & 4095);
                struct iovec local, remote;
                ssize_t n;

                if (chunk > size - 1 - got)
                        chunk = size - 1 - got;
                local = (struct iovec){ buf + got, chunk };
                remote = (struct iovec){ (void *) (uintptr_t) at, chunk };
                n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
                if (n <= 0)
                        return n < 0 ? -errno : -EFAULT;
                if (memchr(buf + got, 0, (size_t) n))
                        return 0;
                got += (size_t) n;
        }
        return -ENAMETOOLONG;
}

/* The directory a relative path is taken from: the caller's cwd or the fd it passed, as the
 * sandbox sees it. */
static int read_base(pid_t pid, int64_t dirfd, char *buf, size_t size) {
        char link[64];
        ssize_t n;

        if ((int) dirfd == AT_FDCWD)
                snprintf(link, sizeof link, "/proc/%d/cwd", (int) pid);
        else
                snprintf(link, sizeof link, "/proc/%d/fd/%d", (int) pid, (int) dirfd);
        n = readlink(link, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return buf[0] == '/' ? 0 : -ENOENT; /* a pipe, a socket, an anonymous inode */
}

static unsigned open_access(uint64_t flags) {
        unsigned a = 0;

        if (flags & O_PATH)
                return LEARN_STAT;
        if ((flags & O_ACCMODE) != O_WRONLY)
                a |= (flags & O_DIRECTORY) ? LEARN_LIST : LEARN_READ;
        if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
                a |= LEARN_WRITE;
        if (flags & O_CREAT)
                a |= LEARN_CREATE | LEARN_WRITE;
        return a;
}

/* The caller's flags as it passed them: open's argument, or openat2's struct open_how. */
static unsigned call_access(const path_call_t *c, const struct seccomp_notif *req, unsigned access) {
        uint64_t flags = 0;

        if (c->flags_kind == FLAGS_OPEN)
                return open_access(req->data.args[c->flags]);
        if (c->flags_kind == FLAGS_OPENAT2) {
                struct iovec local = { &flags, sizeof flags };
                struct iovec remote = { (void *) (uintptr_t) req->data.args[c->flags], sizeof flags };
                if (process_vm_readv(req->pid, &local, 1, &remote, 1, 0) != sizeof flags)
                        return access;
                return open_access(flags);
        }
        return access;
}

/* 0 and the path, 1 when the call names none, or -errno. */
static int resolve(const struct seccomp_notif *req, const path_arg_t *a, char *ret, size_t size) {
        char path[4096], base[4096];
        int r;

        /* No path (utimensat's NULL, AT_EMPTY_PATH's ""): the call is on an fd already open. */
        if (!req->data.args[a->path])
                return 1;
        if ((r = read_string(req->pid, req->data.args[a->path], path, sizeof path)) < 0)
                return r;
        if (!path[0])
                return 1;
        if (path[0] == '/')
                snprintf(ret, size, "%s", path);
        else if ((r = read_base(req->pid, a->dirfd < 0 ? AT_FDCWD : (int64_t) req->data.args[a->dirfd], base,
                                sizeof base)) < 0)
                return r;
        else if ((size_t) snprintf(ret, size, "%s/%s", base, path) >= size)
                return -ENAMETOOLONG;
        learn_normalize(ret);
        return 0;
}

/* Whether PATH is there in the caller's view, before the call makes it. */
static bool exists_for(pid_t pid, const char *path) {
        char where[8400];
        struct stat st;

        snprintf(where, sizeof where, "/proc/%d/root%s", (int) pid, path);
        return fstatat(AT_FDCWD, where, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* The paths a call names, recorded once the notification is known to be still the caller's.
 * What is read here only describes the run; nothing is decided by it. */
static void record_paths(learn_t *l, int listener, const path_call_t *c, const struct seccomp_notif *req) {
        char paths[2][4096];
        unsigned access[2];
        bool ok[2], existed[2] = { false, false };

        for (size_t i = 0; i < 2; i++) {
                int r = c->p[i].path >= 0 ? resolve(req, &c->p[i], paths[i], sizeof paths[i]) : 1;
                ok[i] = r == 0;
                access[i] = call_access(c, req, c->p[i].access);
                if (ok[i] && (access[i] & LEARN_CREATE) && c->flags_kind != FLAGS_NONE) {
                        existed[i] = exists_for(req->pid, paths[i]);
                        /* It was there: the call only opens it, or fails. */
                        if (existed[i])
                                access[i] = (access[i] & ~LEARN_CREATE) |
                                            (c->flags_kind == FLAGS_MAKE ? LEARN_STAT : 0);
                }
                if (r < 0)
                        l->obs.unread++;
        }
        /* The pid may have been reused since the notification: then none of it is the caller's. */
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
                return;
        for (size_t i = 0; i < 2; i++)
                if (ok[i]) {
                        learn_path_t *p = learn_obs_path(&l->obs, paths[i], access[i]);
                        if ((access[i] & LEARN_CREATE) && !p->create_seen) {
                                p->existed = existed[i];
                                p->create_seen = true;
                        }
                }
}

/* The ABI of a notification, as syscall-arch names it (NULL: the native one), and libseccomp's
 * token for it. */
static const char *abi_of(const learn_t *l, const struct seccomp_notif *req, uint32_t *ret_token) {
        static const char *const names[] = { "x86",    "x86_64", "x32",      "arm",        "aarch64", "mips",
                                             "mips64", "mipsel", "mipsel64", "ppc",        "ppc64",   "ppc64le",
                                             "s390",   "s390x",  "riscv64",  "loongarch64" };

        *ret_token = req->data.arch;
        if (req->data.arch == AUDIT_ARCH_X86_64 && (req->data.nr & 0x40000000)) {
                *ret_token = SCMP_ARCH_X32;
                return "x32";
        }
        if (req->data.arch == l->native)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (seccomp_lib.arch_resolve_name(names[i]) == req->data.arch)
                        return names[i];
        return "unknown";
}

/* The entry of this syscall, counted; made (with its name and path table) when new. */
static size_t count_syscall(learn_t *l, const struct seccomp_notif *req) {
        uint32_t token;
        const char *abi = abi_of(l, req, &token);
        unsigned long nr = (unsigned long) req->data.nr;
        _cleanup_free_ char *name = NULL;

        for (size_t i = 0; i < l->obs.n_syscalls; i++)
                if (l->obs.syscalls[i].nr == nr && l->obs.syscalls[i].abi == abi) {
                        l->obs.syscalls[i].count++;
                        return i;
                }
        name = seccomp_lib.syscall_resolve_num_arch(token, req->data.nr);
        learn_obs_syscall(&l->obs, abi, nr, name);
        l->calls = xrealloc_array(l->calls, l->obs.n_syscalls, sizeof *l->calls);
        l->calls[l->obs.n_syscalls - 1] = 0;
        for (size_t i = 0; name && i < ELEMENTSOF(path_calls); i++)
                if (strcmp(path_calls[i].name, name) == 0)
                        l->calls[l->obs.n_syscalls - 1] = (int) i + 1;
        return l->obs.n_syscalls - 1;
}

static void on_notify(void *userdata, int listener, const struct seccomp_notif *req, struct seccomp_notif_resp *resp) {
        learn_t *l = userdata;
        size_t i;

        /* Learning never stands in the way: the call goes on as the filters below decide. */
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        resp->error = 0;
        resp->val = 0;
        l->obs.notifications++;
        i = count_syscall(l, req);
        if (l->calls[i])
                record_paths(l, listener, &path_calls[l->calls[i] - 1], req);
        else if (l->obs.syscalls[i].name && strcmp(l->obs.syscalls[i].name, "socket") == 0 &&
                 (req->data.args[0] == AF_INET || req->data.args[0] == AF_INET6))
                l->obs.inet = true;
}

/* ---- the end: the policy file ---- */

/* The file the kernel opens for an exec besides the program itself, which the recorder can't
 * see: an ELF program's interpreter (PT_INTERP) or a script's "#!" line. */
static char *exec_interpreter(const char *host) {
        _cleanup_close_ int fd = open(host, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        union {
                Elf64_Ehdr ehdr;
                char bytes[512];
        } head;
        ssize_t n;

        if (fd < 0 || (n = pread(fd, &head, sizeof head - 1, 0)) < 4)
                return NULL;
        head.bytes[n] = 0;
        if (head.bytes[0] == '#' && head.bytes[1] == '!') {
                char *s = head.bytes + 2 + strspn(head.bytes + 2, " \t");
                return s[0] == '/' ? strndup(s, strcspn(s, " \t\n")) : NULL;
        }
        if ((size_t) n < sizeof(Elf64_Ehdr) || memcmp(head.ehdr.e_ident, ELFMAG, SELFMAG) != 0 ||
            head.ehdr.e_ident[EI_CLASS] != ELFCLASS64 || head.ehdr.e_phentsize != sizeof(Elf64_Phdr))
                return NULL;
        for (unsigned i = 0; i < head.ehdr.e_phnum && i < 64; i++) {
                Elf64_Phdr ph;
                char interp[4096];
                if (pread(fd, &ph, sizeof ph, (off_t) (head.ehdr.e_phoff + i * sizeof ph)) != sizeof ph)
                        return NULL;
                if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz >= sizeof interp ||
                    pread(fd, interp, ph.p_filesz, (off_t) ph.p_offset) != (ssize_t) ph.p_filesz)
                        continue;
                interp[ph.p_filesz] = 0;
                return interp[0] == '/' ? xstrdup(interp) : NULL;
        }
        return NULL;
}

static learn_host_t host_type(const char *host) {
        struct stat st;
        if (stat(host, &st) < 0)
                return LEARN_HOST_ABSENT;
        return S_ISDIR(st.st_mode) ? LEARN_HOST_DIR : LEARN_HOST_FILE;
}

static char *host_symlink(const char *host) {
        char buf[4096];
        ssize_t n = readlink(host, buf, sizeof buf - 1);
        if (n <= 0)
                return NULL;
        buf[n] = 0;
        return xstrdup(buf);
}

static bool syscall_exists(const char *name) {
        return seccomp_lib.syscall_resolve_name(name) >= 0;
}

/* Every program executed brings its interpreter, and that one its own. */
static void add_interpreters(learn_t *l, const learn_env_t *env) {
        for (size_t i = 0; i < l->obs.n_paths; i++) {
                _cleanup_free_ char *host = NULL, *interp = NULL;
                if (!(l->obs.paths[i].access & LEARN_EXEC) || learn_map_path(env, l->obs.paths[i].path, &host) < 0 ||
                    !host || !(interp = exec_interpreter(host)))
                        continue;
                learn_obs_path(&l->obs, interp, LEARN_READ | LEARN_EXEC);
        }
}

/* Written beside FILE under a name of its own and renamed over it: FILE is the old policy or the
 * new one, never half of either. */
static int write_policy(learn_t *l, const char *text, sandbox_error_t *e) {
        const char *file = l->plan->learn_file, *slash = strrchr(file, '/');
        const char *base = slash ? slash + 1 : file;
        _cleanup_free_ char *tmp = xasprintf(".%s.%d.tmp", base, (int) getpid());
        _cleanup_close_ int fd = -1;
        int r;

        fd = openat(l->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0)
                return error_errno(e, errno, "--learn %s: creating %s beside it", file, tmp);
        if ((r = write_full(fd, text, strlen(text))) < 0 || (fsync(fd) < 0 && (r = -errno)) ||
            (renameat(l->dirfd, tmp, l->dirfd, base) < 0 && (r = -errno))) {
                unlinkat(l->dirfd, tmp, 0);
                return error_errno(e, -r, "--learn %s: writing the policy", file);
        }
        return 0;
}

static void on_end(void *userdata) {
        learn_t *l = userdata;
        _cleanup_free_ char *cwd = getcwd(NULL, 0), *text = NULL;
        learn_env_t env = {
                .ops = l->plan->ops,
                .n_ops = l->plan->n_ops,
                .cwd = cwd,
                .host_type = host_type,
                .host_symlink = host_symlink,
                .syscall_exists = syscall_exists,
        };

        if (l->done)
                return;
        l->done = true;
        add_interpreters(l, &env);
        text = learn_policy_write(&l->obs, &env);
        l->result = write_policy(l, text, &l->error);
}

/* ---- the launch's side ---- */

int learn_prepare(launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        _cleanup_free_ char *copy = NULL;
        seccomp_program_t prog;
        int r;

        if (!p->learn_file)
                return 0;
        if ((r = libseccomp_open(e)) < 0)
                return r;
        copy = xstrdup(p->learn_file);
        learner.dirfd = open(dirname(copy), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (learner.dirfd < 0)
                return error_errno(e, errno, "--learn %s: opening its directory", p->learn_file);
        learner.plan = p;
        learner.native = seccomp_lib.arch_native();
        learner.obs.argv = p->argv;
        /* Every syscall of every ABI notifies; the filters below still decide (the strictest
         * verdict wins, and an errno or a kill is stricter than a notification). */
        prog.prog.len = 1;
        prog.prog.filter = xrealloc_array(NULL, 1, sizeof *prog.prog.filter);
        prog.prog.filter[0] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
        if ((r = bpf_listener_exemption(&prog, launch->sock)) < 0) {
                free(prog.prog.filter);
                return error_errno(e, r, "--learn: making the learning filter");
        }
        /* First: its exemption lets the child pass the listener up, then install the policy's
         * programs, whatever they say of sendmsg and seccomp. Our pid 1 never installs it. */
        launch->seccomp = xrealloc_array(launch->seccomp, launch->n_seccomp + 1, sizeof *launch->seccomp);
        memmove(launch->seccomp + 1, launch->seccomp, launch->n_seccomp * sizeof *launch->seccomp);
        launch->seccomp[0] = prog;
        launch->n_seccomp++;
        launch->n_seccomp_policy++;
        launch->listener_prog = 0;
        notify_use_handler(&(notify_handler_t){ .on_notify = on_notify, .on_end = on_end, .userdata = &learner });
        return 0;
}

int learn_finish(sandbox_error_t *e) {
        if (!learner.plan)
                return 0;
        if (!learner.done)
                return error_msg(e, "--learn %s: not written, the supervisor never saw the sandbox end",
                                 learner.plan->learn_file);
        if (learner.result < 0)
                *e = learner.error;
        return learner.result;
}
