/* SPDX-License-Identifier: MIT */
/* The child's side of a launch, one function per step, called in launch order. Before the point
 * of no return (the command's fork or exec) every step returns an error the parent prints; after
 * a partial privilege drop the child exits at once. */
#include "child.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "caps.h"
#include "desktop.h"
#include "landlock.h"
#include "init.h"
#include "limits.h"
#include "mounts.h"
#include "net.h"
#include "notify.h"
#include "userns.h"

static int wait_fd(const char *option, int fd, sandbox_error_t *e) {
        ssize_t n;

        do
                n = read(fd, &(char){ 0 }, 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return error_errno(e, errno, "--%s: reading fd %d", option, fd);
        return 0;
}

/* Nothing inside may signal anything outside: in a process group of its own, kill(0, ...) and
 * the terminal's job control reach the sandbox only. Done first, before any of our code could
 * be stopped by a signal meant for the caller's group. */
static int enter_own_process_group(const launch_t *launch, sandbox_error_t *e) {
        sigset_t ttou, old;

        if (launch->plan->new_session)
                return setsid() < 0 ? error_errno(e, errno, "--new-session") : 0;
        if (setpgid(0, 0) < 0)
                return error_errno(e, errno, "creating the sandbox's process group");
        if (launch->tty < 0)
                return 0;
        /* The caller's terminal follows the sandbox, so that the command can read it. We are in a
         * background group now: tcsetpgrp() would stop us with SIGTTOU unless it is blocked. */
        sigemptyset(&ttou);
        sigaddset(&ttou, SIGTTOU);
        sigprocmask(SIG_BLOCK, &ttou, &old);
        if (tcsetpgrp(launch->tty, getpgrp()) < 0 && errno != ENOTTY && errno != EIO) {
                int err = errno;
                sigprocmask(SIG_SETMASK, &old, NULL);
                return error_errno(e, err, "giving the terminal to the sandbox's process group");
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        return 0;
}

/* The caller's session keyring would show the user's keys (Kerberos tickets, ...) to the command:
 * a fresh anonymous one replaces it, as container runtimes do. */
static int enter_new_keyring(const sandbox_plan_t *p, sandbox_error_t *e) {
        if (p->keep_session_keyring)
                return 0;
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL, 0, 0, 0) >= 0)
                return 0;
        /* A kernel without keys has no keyring to hide. */
        if (errno == ENOSYS)
                return 0;
        error_errno(e, errno, "creating a fresh session keyring");
        if (errno == EDQUOT)
                error_hint(e, "your key quota is used up (see /proc/key-users and kernel.keys.maxkeys); or keep the "
                              "caller's keyring with --keep-session-keyring");
        return -errno;
}

static int enter_time_namespace(sandbox_error_t *e) {
        _cleanup_close_ int fd = -1;

        /* unshare() only moves our future children; join it ourselves so the command is in it. */
        if (unshare(CLONE_NEWTIME) < 0)
                return error_errno(e, errno, "--unshare-time");
        fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
                return error_errno(e, errno, "--unshare-time: entering the new time namespace");
        return 0;
}

static void apply_env(const sandbox_plan_t *p) {
        for (size_t i = 0; i < p->n_env; i++)
                switch (p->env[i].type) {
                case ENV_CLEAR: {
                        _cleanup_free_ char *pwd = getenv("PWD") ? xstrdup(getenv("PWD")) : NULL;
                        clearenv();
                        if (pwd)
                                setenv("PWD", pwd, 1);
                        break;
                }
                case ENV_SET:
                        setenv(p->env[i].name, p->env[i].value, 1);
                        break;
                case ENV_UNSET:
                        unsetenv(p->env[i].name);
                        break;
                }
}

static int enter_cwd(const launch_t *launch, sandbox_error_t *e) {
        const char *dir = launch->plan->chdir;
        const char *home = getenv("HOME");
        char buf[PATH_MAX];

        if (dir) {
                if (chdir(dir) < 0)
                        return error_errno(e, errno, "--chdir %s", dir);
        } else if (launch->old_cwd && chdir(launch->old_cwd) == 0)
                ; /* as bubblewrap: the caller's cwd if it exists inside, else $HOME, else / */
        else if (!home || chdir(home) < 0) {
                if (chdir("/") < 0)
                        return error_errno(e, errno, "chdir /");
        }
        if (getcwd(buf, sizeof buf))
                setenv("PWD", buf, 1);
        return 0;
}

static int cloexec_range(unsigned from, unsigned to) {
        if (syscall(SYS_close_range, from, to, 4 /* CLOSE_RANGE_CLOEXEC */) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return -1;
        /* Before 5.11: one fd at a time, up to the highest one that can be open. */
        for (unsigned fd = from, max = (unsigned) sysconf(_SC_OPEN_MAX); fd <= to && fd < max; fd++)
                (void) fcntl((int) fd, F_SETFD, FD_CLOEXEC);
        return 0;
}

static void cloexec_list(const int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (fds[i] > 2)
                        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
}

static int close_fds(const sandbox_plan_t *p, sandbox_error_t *e) {
        int fds[] = { p->userns_fd,       p->userns2_fd, p->pidns_fd,       p->block_fd,
                      p->userns_block_fd, p->info_fd,    p->json_status_fd, p->denials_fd };

        /* Fds the options consumed are the tool's business, not the command's. */
        cloexec_list(fds, ELEMENTSOF(fds));
        cloexec_list(p->args_fds, p->n_args_fds);
        cloexec_list(p->sync_fds, p->n_sync_fds);
        cloexec_list(p->seccomp_fds, p->n_seccomp_fds);
        for (size_t i = 0; i < p->n_ops; i++)
                cloexec_list(&p->ops[i].fd, 1);
        if (!p->close_fds)
                return 0;
        /* --close-fds: everything from 3 up goes at exec, but the --keep-fd ones. */
        for (unsigned from = 3;;) {
                unsigned to = UINT_MAX; /* the range [from, to] holds no kept fd */

                for (size_t i = 0; i < p->n_keep_fds; i++)
                        if ((unsigned) p->keep_fds[i] >= from && (unsigned) p->keep_fds[i] - 1 < to)
                                to = (unsigned) p->keep_fds[i] - 1;
                if (from <= to && cloexec_range(from, to) < 0)
                        return error_errno(e, errno, "--close-fds: marking fds %u-%u close-on-exec", from, to);
                if (to == UINT_MAX)
                        return 0;
                from = to + 2;
        }
}

static int write_exec_label(const char *label, int proc_self, sandbox_error_t *e) {
        int r;

        if (!label)
                return 0;
        if ((r = write_file_at(proc_self, "attr/exec", label)) < 0)
                return error_errno(e, r, "--exec-label %s", label);
        return 0;
}

static int apply_rlimits(const sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_rlimits; i++)
                if (setrlimit(p->rlimits[i].resource, &(struct rlimit){ p->rlimits[i].soft, p->rlimits[i].hard }) < 0)
                        return error_errno(e, errno, "--rlimit %s", rlimit_name(p->rlimits[i].resource));
        return 0;
}

/* Our pid 1 keeps capabilities until it has locked itself down; it must be out of reach (not
 * dumpable) before the command runs. EOF says so, or that it died. */
/* ---- why a command can't be run: computed only once exec has failed ---- */

/* Where execvp() looks for NAME: the command's PATH, or glibc's default without one. */
static const char *exec_search_path(const char *path) {
        return path ? path : "/bin:/usr/bin";
}

/* The file NAME would be, as execvp() finds it: NAME itself with a '/', else the first regular
 * file of that name in the PATH's directories. */
static bool exec_find(const char *name, const char *path, char *ret, size_t size) {
        struct stat st;

        if (strchr(name, '/')) {
                snprintf(ret, size, "%s", name);
                return stat(ret, &st) == 0;
        }
        for (const char *dir = exec_search_path(path); *dir;) {
                size_t len = strcspn(dir, ":");

                snprintf(ret, size, "%.*s/%s", (int) len, len ? dir : ".", name);
                if (stat(ret, &st) == 0 && S_ISREG(st.st_mode))
                        return true;
                dir += len + (dir[len] == ':');
        }
        return false;
}

/* PT_INTERP of an ELF file, 32- or 64-bit, in the machine's byte order (any other can't run). */
static bool elf_interpreter(int fd, const unsigned char *head, size_t n, char *ret, size_t size) {
        bool is64 = head[EI_CLASS] == ELFCLASS64;
        Elf64_Ehdr e64;
        Elf32_Ehdr e32;
        uint64_t phoff;
        unsigned phnum, phentsize;

        if (n < (is64 ? sizeof e64 : sizeof e32))
                return false;
        memcpy(is64 ? (void *) &e64 : (void *) &e32, head, is64 ? sizeof e64 : sizeof e32);
        phoff = is64 ? e64.e_phoff : e32.e_phoff;
        phnum = is64 ? e64.e_phnum : e32.e_phnum;
        phentsize = is64 ? e64.e_phentsize : e32.e_phentsize;
        for (unsigned i = 0; i < phnum && i < 256; i++) {
                union {
                        Elf64_Phdr p64;
                        Elf32_Phdr p32;
                } ph;
                size_t phsize = is64 ? sizeof ph.p64 : sizeof ph.p32;
                uint64_t offset, len;

                if (pread(fd, &ph, phsize, (off_t) (phoff + (uint64_t) i * phentsize)) != (ssize_t) phsize)
                        return false;
                if ((is64 ? ph.p64.p_type : ph.p32.p_type) != PT_INTERP)
                        continue;
                offset = is64 ? ph.p64.p_offset : ph.p32.p_offset;
                len = is64 ? ph.p64.p_filesz : ph.p32.p_filesz;
                if (len < 2 || len > size || pread(fd, ret, len, (off_t) offset) != (ssize_t) len)
                        return false;
                ret[len - 1] = 0;
                return true;
        }
        return false;
}

/* The interpreter a file asks the kernel for: an ELF file's PT_INTERP, or a script's #! line. */
static bool exec_interpreter(const char *file, char *ret, size_t size) {
        _cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        unsigned char head[256];
        ssize_t n = fd < 0 ? -1 : pread(fd, head, sizeof head - 1, 0);
        size_t k = 0;

        if (n < 4)
                return false;
        if (memcmp(head, ELFMAG, SELFMAG) == 0)
                return elf_interpreter(fd, head, (size_t) n, ret, size);
        if (head[0] != '#' || head[1] != '!')
                return false;
        head[n] = 0;
        for (const char *c = (const char *) head + 2 + strspn((const char *) head + 2, " \t");
             *c && !strchr(" \t\n", *c) && k < size - 1;)
                ret[k++] = *c++;
        ret[k] = 0;
        return k > 0;
}

/* exec failed: the message, and what the inside shows about why. A file that is there but whose
 * interpreter is not fails with ENOENT like a missing one; the host's side (a path not bound)
 * is child_explain_exec_error()'s, in the parent. */
static int exec_failed(const char *name, int err, sandbox_error_t *e) {
        char file[PATH_MAX], interp[PATH_MAX];
        int r = error_errno(e, err, "cannot run '%s'", name);

        error_bwrap(e, "execvp %s: %s", name, strerror(err));
        if (err != ENOENT || !exec_find(name, getenv("PATH"), file, sizeof file) ||
            !exec_interpreter(file, interp, sizeof interp) || access(interp, F_OK) == 0)
                return r;
        error_hint(
                e,
                "%s is in the sandbox, but the interpreter it names, %s, is not: bind it too (e.g. --ro-bind %.*s %.*s)",
                file, interp, (int) strcspn(interp + 1, "/") + 1, interp, (int) strcspn(interp + 1, "/") + 1, interp);
        return r;
}

/* A copy of the NULL-terminated vector V (NULL: an empty one), never freed: the child may be
 * sharing the monitor's memory (init_stub_prepare()), whose own vectors it must leave alone. */
static char **copy_vector(char *const *v) {
        size_t n = 0;
        char **copy;

        while (v && v[n])
                n++;
        copy = xrealloc_array(NULL, n + 1, sizeof *copy);
        if (n)
                memcpy(copy, v, n * sizeof *copy);
        copy[n] = NULL;
        return copy;
}

/* The command's argv, with --argv0's name first: in a copy, not in the plan. */
static char *const *command_argv(const sandbox_plan_t *p) {
        char **argv;

        if (!p->argv0)
                return p->argv;
        argv = copy_vector(p->argv);
        argv[0] = (char *) p->argv0;
        return argv;
}

/* The command's own process: last process-wide settings, seccomp, exec. Only returns on error.
 * PARENT: its parent as getppid() says (0 if outside our pid namespace). */
static int exec_command(launch_t *launch, int proc_self, pid_t parent, uid_t uid, gid_t gid, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        char *argv0 = p->argv[0];
        sigset_t none;
        int r;

        e->stage = STAGE_PROCESS;
        if (p->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        /* Under pid 1 the command is not the leader of pid 1's session yet. */
        if (p->new_session && getsid(0) != getpid() && setsid() < 0)
                return error_errno(e, errno, "--new-session");
        apply_env(p);
        if ((r = apply_rlimits(p, e)) < 0 || (r = caps_lockdown(p->caps, uid, gid, e)) < 0)
                return r;
        if (p->die_with_parent)
                launch_rearm_parent_death(launch, parent);
        if ((r = enter_cwd(launch, e)) < 0)
                return r;
        if (p->block_fd >= 0 && (r = wait_fd("block-fd", p->block_fd, e)) < 0)
                return r;
        if ((r = write_exec_label(p->exec_label, proc_self, e)) < 0)
                return r;
        /* Our pid 1 stays dumpable where Landlock can fence it off from the command; a desktop app
         * is kept from the host's abstract sockets in the same domain. */
        if ((r = landlock_fence(launch_has_init(p) && launch_fences_init(p), desktop_scope_abstract(launch), e)) < 0)
                return r;
        if ((r = close_fds(p, e)) < 0)
                return r;
        closep(&proc_self);
        umask(launch->umask);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* Seccomp last: it may forbid the very syscalls the steps before it need. A listener, if
         * any, goes up the setup socket as soon as it exists (notify.h). */
        if ((r = notify_install(launch, e)) < 0)
                return r;

        e->stage = STAGE_EXEC;
        execvp(argv0, command_argv(p));
        return exec_failed(argv0, errno, e);
}

static int take_locks(const sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_lock_files; i++) {
                struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
                /* Left open on purpose: the lock lives as long as pid 1. */
                int fd = open(p->lock_files[i], O_RDONLY | O_CLOEXEC);

                if (fd < 0)
                        return error_errno(e, errno, "--lock-file %s", p->lock_files[i]);
                if (fcntl(fd, F_SETLK, &fl) < 0)
                        return error_errno(e, errno, "--lock-file %s: taking the lock", p->lock_files[i]);
        }
        return 0;
}

static _noreturn_ void exit_with_error(const launch_t *launch, const sandbox_error_t *e) {
        if (launch->sock >= 0)
                (void) send(launch->sock, e, sizeof *e, MSG_NOSIGNAL);
        _exit(e->stage == STAGE_EXEC ? (e->err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC)
                                     : launch_exit_setup_code(launch->plan));
}

typedef struct command_start {
        launch_t *launch;
        int proc_self;
        uid_t uid;
        gid_t gid;
        sandbox_error_t *e;
} command_start_t;

static int start_command(void *arg) {
        command_start_t *c = arg;

        (void) exec_command(c->launch, c->proc_self, getppid(), c->uid, c->gid, c->e);
        exit_with_error(c->launch, c->e);
}

/* A pid 1 stays: it reaps, holds the locks and sync fds, and forwards signals. The command is
 * started the way posix_spawn() does: sharing pid 1's memory, with pid 1 suspended until it has
 * exec'd, so that no page is copied. Its steps touch nothing of pid 1's that pid 1 reads after
 * (process state, fds, cwd and umask are its own), and pid 1 locks itself down once it resumes:
 * the command can't reach it before (fenced by Landlock, or not dumpable: init_prepare()). */
static int fork_under_init(launch_t *launch, int proc_self, pid_t parent, uid_t uid, gid_t gid, sandbox_error_t *e) {
        command_start_t start = { launch, proc_self, uid, gid, e };
        pid_t cmd;
        int r;

        if ((r = take_locks(launch->plan, e)) < 0)
                return r;
        init_prepare(launch);
#ifdef __SANITIZE_ADDRESS__
        /* ASan can't follow a clone onto a stack of ours (it warns at every noreturn call there):
         * its builds fork, with the same steps in the same order. */
        if ((cmd = fork()) == 0)
                start_command(&start);
        if (cmd < 0)
                return error_errno(e, errno, "starting the command");
#else
        /* The command's steps run on our stack, in this frame, while we wait for its exec: on
         * pages the setup's deeper calls have already touched, with no mapping to make and
         * unmap. */
        char stack[128 * 1024] __attribute__((aligned(16)));
        /* Sharing the monitor's memory, our environ is the monitor's too: the command's steps
         * change a copy of it. */
        char **environ_before = environ;
        if (launch->stub_fd >= 0)
                environ = copy_vector(environ);
        cmd = clone(start_command, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
        environ = environ_before;
        if (cmd < 0)
                return error_errno(e, errno, "starting the command");
#endif
        closep(&proc_self);
        if (launch->stub_fd >= 0)
                init_exec_stub(launch, cmd, uid, gid);
        init_main(launch, cmd, parent, uid, gid);
}

/* The first steps, before the child touches anything: a process group of its own, the death
 * signal, the cgroup where the parent had to move it, the parent's fds closed. */
static int settle_in(launch_t *launch, pid_t parent, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        int r;

        e->stage = STAGE_PROCESS;
        if ((r = enter_own_process_group(launch, e)) < 0)
                return r;
        closep(&launch->monitor_end);
        closep(&launch->tty);
        /* In a cgroup the sandbox must not outlive the monitor that removes it. */
        if ((p->die_with_parent || launch->cgroup_used) && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        if (launch->cgroup_gate) {
                if (read_full(launch->sock, &(char){ 0 }, 1) != 1)
                        return error_msg(e, "the sandbox was not moved into its cgroup");
                /* Made only now, so that its root is the command's cgroup as with CLONE_INTO_CGROUP. */
                if ((launch->namespaces & NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
                        return error_errno(e, errno, "creating the cgroup namespace");
        }
        /* The monitor died before PDEATHSIG was armed. */
        if (p->die_with_parent && launch_parent_gone(launch, parent))
                _exit(launch_exit_setup_code(p));
        /* The status fds are the parent's: a reader waiting for EOF must not wait on us. */
        if (p->info_fd > 2)
                close(p->info_fd);
        if (p->json_status_fd > 2)
                close(p->json_status_fd);
        return 0;
}

static int child_setup(launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        _cleanup_close_ int proc_self = -1;
        mounts_options_t mo = {
                .in_userns = (launch->namespaces & NS_USER) || p->userns_fd >= 0,
                .legacy = launch->legacy,
                .cgroupfs_ro = launch->cgroup_used,
        };
        /* 0: the monitor is outside our pid namespace (see launch_parent_gone()). */
        pid_t parent = getppid() == 0 ? 0 : launch->monitor;
        uid_t uid;
        gid_t gid;
        int r;

        if ((r = settle_in(launch, parent, e)) < 0)
                return r;

        e->stage = STAGE_USERNS;
        /* Our /proc/<pid> of the host: still reachable after the root changes. */
        proc_self = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (proc_self < 0)
                return error_errno(e, errno, "opening /proc/self");
        {
                userns_child_t uc = { .new_userns = launch->namespaces & NS_USER,
                                      .real_uid = launch->real_uid,
                                      .real_gid = launch->real_gid,
                                      .sock = launch->sock,
                                      .proc_self = proc_self };
                if ((r = userns_setup_child(p, &uc, &uid, &gid, e)) < 0)
                        return r;
        }
        if ((p->unshare & NS_TIME) && (r = enter_time_namespace(e)) < 0)
                return r;
        if (p->disable_userns && (r = userns_limit_nesting(e)) < 0)
                return r;

        e->stage = STAGE_MOUNTS;
        if ((r = mounts_setup(p, &mo, e)) < 0)
                return r;

        e->stage = STAGE_PROCESS;
        if ((launch->namespaces & NS_NET) && (r = net_loopback_up(e)) < 0)
                return r;
        if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
                return error_errno(e, errno, "--hostname %s", p->hostname);
        /* Before the nested user namespace: a keyring made there would belong to it. */
        if ((r = enter_new_keyring(p, e)) < 0)
                return r;
        if (p->disable_userns && (r = userns_enter_nested(proc_self, e)) < 0)
                return r;
        if (p->userns2_fd >= 0) {
                if (setns(p->userns2_fd, CLONE_NEWUSER) < 0)
                        return error_errno(e, errno, "--userns2 %d: entering the user namespace", p->userns2_fd);
                /* Its maps, not ours, say who we are now (as in bubblewrap: no uid change after it). */
                uid = geteuid();
                gid = getegid();
        }
        if ((p->disable_userns || p->assert_userns_disabled) && (r = userns_check_disabled(e)) < 0)
                return r;

        if (!launch_has_init(p))
                return exec_command(launch, TAKE_FD(proc_self), parent, uid, gid, e);
        return fork_under_init(launch, TAKE_FD(proc_self), parent, uid, gid, e);
}

void child_main(launch_t *launch) {
        sandbox_error_t e = { 0 };

        (void) child_setup(launch, &e);
        exit_with_error(launch, &e);
}

/* ---- in the parent ---- */

/* The command's PATH as the child had it: the caller's, changed by the environment options. */
static const char *command_path(const sandbox_plan_t *p) {
        const char *path = getenv("PATH");

        for (size_t i = 0; i < p->n_env; i++)
                if (p->env[i].type == ENV_CLEAR)
                        path = NULL;
                else if (strcmp(p->env[i].name, "PATH") == 0)
                        path = p->env[i].type == ENV_SET ? p->env[i].value : NULL;
        return path;
}

static bool binds_anything(const sandbox_plan_t *p) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == MOUNT_BIND || p->ops[i].type == MOUNT_OVERLAY)
                        return true;
        return false;
}

/* How to bring the host's FILE in: its top directory, bound, or a link where that is one
 * (/bin -> usr/bin on a merged /usr). */
static void bind_suggestion(const char *file, char *ret, size_t size) {
        char top[PATH_MAX], target[PATH_MAX];
        ssize_t n;

        snprintf(top, sizeof top, "%.*s", (int) strcspn(file + 1, "/") + 1, file);
        n = readlink(top, target, sizeof target - 1);
        if (n > 0) {
                target[n] = 0;
                snprintf(ret, size, "--symlink %s %s", target, top);
        } else
                snprintf(ret, size, "--ro-bind %s %s", top, top);
}

void child_explain_exec_error(const sandbox_plan_t *p, sandbox_error_t *e) {
        const char *name = p->argv ? p->argv[0] : NULL, *path = command_path(p);
        char file[PATH_MAX], bind[2 * PATH_MAX + 16];

        /* Only a command not found, and only where the child found nothing to say inside. */
        if (e->stage != STAGE_EXEC || e->err != ENOENT || e->hint[0] || !name)
                return;
        if (!exec_find(name, path, file, sizeof file)) {
                if (!binds_anything(p))
                        error_hint(e,
                                   "the sandbox's root holds nothing of the host's files (no --bind, --ro-bind or "
                                   "policy that binds), and '%s' is not on the host either",
                                   name);
                else if (strchr(name, '/'))
                        return; /* "No such file or directory" says it all */
                else if (strlen(exec_search_path(path)) <= 80)
                        error_hint(e, "there is no '%s' in the PATH (%s), in the sandbox or on the host", name,
                                   exec_search_path(path));
                else
                        error_hint(e, "there is no '%s' in the PATH, in the sandbox or on the host", name);
                return;
        }
        if (!binds_anything(p)) {
                error_hint(e,
                           "the sandbox's root holds nothing of the host's files (%s is on the host): e.g. "
                           "--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 "
                           "/lib64, or --policy shell",
                           file);
                return;
        }
        if (file[0] != '/') {
                error_hint(e, "%s is on the host, but not in the sandbox: bind its directory", file);
                return;
        }
        bind_suggestion(file, bind, sizeof bind);
        error_hint(e, "%s is on the host, but not in the sandbox: bind it (e.g. %s)", file, bind);
}
