/* SPDX-License-Identifier: MIT */
/* sandbox: run a command in new namespaces, in an empty root holding only what was asked.
 *
 * The whole story of a launch: parse -> check -> prepare -> clone -> (child: user namespace,
 * mounts, process state, exec) -> monitor -> exit status. This is the only file that prints a
 * final error and exits; everything it calls returns -errno and fills a sandbox_error_t. */
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "setup/caps.h"
#include "setup/cgroup.h"
#include "setup/limits.h"
#include "setup/init.h"
#include "setup/mounts.h"
#include "setup/net.h"
#include "setup/options.h"
#include "setup/policy.h"
#include "setup/rules.h"

#include <seccomp.h>
#include "setup/seccomp.h"
#include "setup/status.h"
#include "setup/userns.h"
#include "setup/util.h"

#define EXIT_TIMEOUT 124
#define EXIT_SETUP 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127
#define EXIT_OOM 137

extern char **environ;

/* What the launch carries from the parent into the child besides the plan. */
typedef struct launch {
        sandbox_plan_t *plan;
        seccomp_program_t *seccomp;
        size_t n_seccomp;
        uid_t real_uid;
        gid_t real_gid;
        pid_t monitor;
        unsigned namespaces;    /* what was really created (the -try ones may be missing) */
        int sock;               /* child -> parent: sandbox_error_t; parent -> child: "go" */
        int monitor_end;        /* the monitor's end of sock: the child closes it, so that a
                                 * hang-up on sock means the monitor is gone */
        int init_locked;        /* in the command: EOF once our pid 1 has locked itself down */
        int status_pipe;        /* pid 1 -> parent: the command's wait status */
        char *old_cwd;
        mode_t umask;
        cgroup_t cgroup;        /* the sandbox's, when limits or --stats ask for one */
        bool cgroup_used;       /* cgroup was made (it stays true once cgroup_finish() has run) */
        bool cgroup_gate;       /* the child waits for the parent to move it into the cgroup */
        bool legacy;            /* SANDBOX_TEST_LEGACY=1: the fallbacks for old kernels (tests) */
} launch_t;

/* The cgroup to remove if the launch fails after making it. */
static cgroup_t *made_cgroup;

/* --info-fd/--json-status-fd: the parent reads the namespaces from our /proc/PID/ns. */
static bool wants_status(const sandbox_plan_t *p) {
        return p->info_fd >= 0 || p->json_status_fd >= 0;
}

static int exit_setup_code(const sandbox_plan_t *p) {
        return p->bwrap_mode ? 1 : EXIT_SETUP;
}

static _noreturn_ void die(const sandbox_plan_t *p, const sandbox_error_t *e) {
        log_sandbox_error(e);
        if (made_cgroup)
                cgroup_finish(made_cgroup, NULL);
        exit(exit_setup_code(p));
}

#ifdef __SANITIZE_ADDRESS__
/* In CI's sanitizer pass: LeakSanitizer traces the process, which fails for one that is
 * not dumpable, as a setuid copy is (the refusal test runs one). */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) {
        return getauxval(AT_SECURE) != 0;
}
#endif

/* Installed setuid or with file capabilities, a bug here would hand out privilege. */
static int refuse_privileged(sandbox_error_t *e) {
        if (getauxval(AT_SECURE) || geteuid() != getuid() || getegid() != getgid()) {
                error_msg(e, "refusing to run with elevated privileges (setuid, setgid or file capabilities)");
                error_hint(e, "sandbox needs no privilege: remove the bit with 'chmod u-s,g-s' or the capabilities "
                           "with 'setcap -r' on the binary");
                return -EPERM;
        }
        return 0;
}

static int export_bpf(const char *path, const seccomp_program_t *prog, sandbox_error_t *e) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        int r;

        if (fd < 0)
                return error_errno(e, errno, "--export-bpf %s", path);
        if ((r = write_full(fd, prog->prog.filter, prog->prog.len * sizeof(struct sock_filter))) < 0)
                return error_errno(e, r, "--export-bpf %s", path);
        return 0;
}

/* libseccomp's filter, the last program, to FILE as ever; the overlay and 'not-in' filters
 * before it to FILE.2, FILE.3, ...: a caller must stack them too, and first. */
static int export_bpf_all(const char *path, const seccomp_program_t *progs, size_t n, sandbox_error_t *e) {
        int r;

        if (!n)
                return error_msg(e, "--export-bpf %s: there are no syscall rules to compile", path);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = i + 1 < n ? xasprintf("%s.%zu", path, i + 2) : xstrdup(path);
                if ((r = export_bpf(name, &progs[i], e)) < 0)
                        return r;
        }
        if (n == 2)
                fprintf(stderr, "sandbox: --export-bpf: the rules compile to 2 stacked programs, %s.2 and %s; give "
                        "both to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n", path, path, path);
        else if (n > 2)
                fprintf(stderr, "sandbox: --export-bpf: the rules compile to %zu stacked programs, %s.2 to %s.%zu and "
                        "%s; give them all to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n",
                        n, path, path, n, path, path);
        return 0;
}

/* The compiled rules and the precompiled programs of --seccomp/--add-seccomp-fd, in the order
 * to install them: libseccomp's filter last, since it may deny seccomp() itself. */
static int read_seccomp(launch_t *l, sandbox_error_t *e) {
        const sandbox_plan_t *p = l->plan;
        seccomp_program_t last = { 0 };
        int r;

        if ((r = seccomp_compile(p, &l->seccomp, &l->n_seccomp, e)) < 0)
                return r;
        if (p->export_bpf && (r = export_bpf_all(p->export_bpf, l->seccomp, l->n_seccomp, e)) < 0)
                return r;
        if (l->n_seccomp)
                last = l->seccomp[--l->n_seccomp];
        l->seccomp = xrealloc_array(l->seccomp, l->n_seccomp + p->n_seccomp_fds + 1, sizeof *l->seccomp);
        for (size_t i = 0; i < p->n_seccomp_fds; i++) {
                r = seccomp_read_fd(p->seccomp_single ? "seccomp" : "add-seccomp-fd", p->seccomp_fds[i],
                                    &l->seccomp[l->n_seccomp], e);
                if (r < 0) {
                        free(last.prog.filter);
                        return r;
                }
                l->n_seccomp++;
        }
        if (last.prog.filter)
                l->seccomp[l->n_seccomp++] = last;
        return 0;
}

static const char *env_lookup(const char *name) {
        return getenv(name);
}

static bool selinux_enabled(void) {
        return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

static int check_labels(sandbox_plan_t *p, sandbox_error_t *e) {
        if (!(p->exec_label || p->file_label) || selinux_enabled())
                return 0;
        /* Asked for, a missing label is less confinement; bubblewrap ignores labels without SELinux. */
        if (!p->bwrap_mode)
                return error_msg(e, "--%s: SELinux is not enabled on this system, so the label can't be applied",
                                 p->exec_label ? "exec-label" : "file-label");
        p->exec_label = p->file_label = NULL;
        return 0;
}

/* ---- the child ---- */

static int wait_fd(const char *option, int fd, sandbox_error_t *e) {
        char c;
        ssize_t n;

        do
                n = read(fd, &c, 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return error_errno(e, errno, "--%s: reading fd %d", option, fd);
        return 0;
}

static int setup_user_namespace(launch_t *l, int proc_self, uid_t *ret_uid, gid_t *ret_gid, sandbox_error_t *e) {
        const sandbox_plan_t *p = l->plan;
        uid_t uid = p->uid_set ? p->uid : l->real_uid;
        gid_t gid = p->gid_set ? p->gid : l->real_gid;
        char go;
        int r;

        *ret_uid = geteuid();
        *ret_gid = getegid();
        if (!(l->namespaces & NS_USER))
                return 0;
        if (p->userns_block_fd >= 0) {
                /* The caller writes our maps and then tells us to go on. */
                r = wait_fd("userns-block-fd", p->userns_block_fd, e);
                *ret_uid = geteuid();
                *ret_gid = getegid();
                return r;
        }
        if (p->n_uid_maps || p->n_gid_maps) {
                /* The parent runs newuidmap/newgidmap for us and then sends one byte. */
                if (read_full(l->sock, &go, 1) != 1)
                        return error_msg(e, "the id maps were not written");
                if (p->n_uid_maps && !p->uid_set)
                        uid = userns_inside_id(p->uid_maps, p->n_uid_maps, l->real_uid, 0);
                if (p->n_gid_maps && !p->gid_set)
                        gid = userns_inside_id(p->gid_maps, p->n_gid_maps, l->real_gid, 0);
        }
        if (!p->n_uid_maps || !p->n_gid_maps) {
                /* Whatever the helpers didn't map, we map ourselves: just our own id. */
                char line[64];
                if (!p->n_gid_maps) {
                        r = write_file_at(proc_self, "setgroups", "deny");
                        if (r < 0 && r != -ENOENT)
                                return error_errno(e, r, "writing /proc/self/setgroups");
                        snprintf(line, sizeof line, "%u %u 1\n", (unsigned) gid, (unsigned) l->real_gid);
                        if ((r = write_file_at(proc_self, "gid_map", line)) < 0)
                                return error_errno(e, r, "writing /proc/self/gid_map '%u %u 1'", (unsigned) gid,
                                                   (unsigned) l->real_gid);
                }
                if (!p->n_uid_maps) {
                        snprintf(line, sizeof line, "%u %u 1\n", (unsigned) uid, (unsigned) l->real_uid);
                        if ((r = write_file_at(proc_self, "uid_map", line)) < 0)
                                return error_errno(e, r, "writing /proc/self/uid_map '%u %u 1'", (unsigned) uid,
                                                   (unsigned) l->real_uid);
                }
        }
        *ret_uid = uid;
        *ret_gid = gid;
        return 0;
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
                        char *pwd = getenv("PWD") ? xstrdup(getenv("PWD")) : NULL;
                        clearenv();
                        if (pwd)
                                setenv("PWD", pwd, 1);
                        free(pwd);
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

static int enter_cwd(launch_t *l, sandbox_error_t *e) {
        const char *dir = l->plan->chdir;
        const char *home = getenv("HOME");
        char buf[PATH_MAX];

        if (dir) {
                if (chdir(dir) < 0)
                        return error_errno(e, errno, "--chdir %s", dir);
        } else if (l->old_cwd && chdir(l->old_cwd) == 0)
                ;       /* as bubblewrap: the caller's cwd if it exists inside, else $HOME, else / */
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

static int close_fds(const sandbox_plan_t *p, sandbox_error_t *e) {
        int fds[] = { p->userns_fd, p->userns2_fd, p->pidns_fd, p->block_fd, p->userns_block_fd, p->info_fd,
                      p->json_status_fd, p->args_fd };

        /* Fds the options consumed are the tool's business, not the command's. */
        for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                if (fds[i] > 2)
                        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        for (size_t i = 0; i < p->n_sync_fds; i++)
                if (p->sync_fds[i] > 2)
                        fcntl(p->sync_fds[i], F_SETFD, FD_CLOEXEC);
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].fd > 2)
                        fcntl(p->ops[i].fd, F_SETFD, FD_CLOEXEC);
        for (size_t i = 0; i < p->n_seccomp_fds; i++)
                if (p->seccomp_fds[i] > 2)
                        fcntl(p->seccomp_fds[i], F_SETFD, FD_CLOEXEC);
        if (!p->close_fds)
                return 0;
        /* --close-fds: everything from 3 up goes at exec, but the --keep-fd ones. */
        for (unsigned from = 3; ; ) {
                unsigned to = UINT_MAX;         /* the range [from, to] holds no kept fd */

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

/* Whether the process PR_SET_PDEATHSIG watches has died: PARENT is what getppid() said before,
 * or 0 for a parent outside our pid namespace (the monitor), whose end of the channel then
 * hangs up. */
static bool parent_gone(const launch_t *l, pid_t parent) {
        struct pollfd pfd = { .fd = l->sock, .events = POLLRDHUP };

        if (parent != 0)
                return getppid() != parent;
        return l->sock < 0 || (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLRDHUP)));
}

/* A change of uid or gid clears PR_SET_PDEATHSIG: armed again after one, then the parent is
 * checked, since it may have died in between. */
static void rearm_parent_death(const launch_t *l, pid_t parent) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || parent_gone(l, parent))
                _exit(exit_setup_code(l->plan));
}

/* The command's own process: last process-wide settings, seccomp, exec. Only returns on error.
 * PARENT: its parent as getppid() says (0 if outside our pid namespace). */
static int run_command(launch_t *l, int proc_self, pid_t parent, uid_t uid, gid_t gid, sandbox_error_t *e) {
        const sandbox_plan_t *p = l->plan;
        sigset_t none;
        int r;

        e->stage = STAGE_PROCESS;
        if (p->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        if (p->new_session && setsid() < 0)
                return error_errno(e, errno, "--new-session");
        apply_env(p);
        for (size_t i = 0; i < p->n_rlimits; i++)
                if (setrlimit(p->rlimits[i].resource, &(struct rlimit) { p->rlimits[i].soft, p->rlimits[i].hard }) < 0)
                        return error_errno(e, errno, "--rlimit %s", rlimit_name(p->rlimits[i].resource));
        if ((r = caps_lockdown(p->caps, uid, gid, e)) < 0)
                return r;
        if (p->die_with_parent)
                rearm_parent_death(l, parent);
        if ((r = enter_cwd(l, e)) < 0)
                return r;
        if (p->block_fd >= 0 && (r = wait_fd("block-fd", p->block_fd, e)) < 0)
                return r;
        if ((r = write_exec_label(p->exec_label, proc_self, e)) < 0)
                return r;
        /* Our pid 1 keeps capabilities until it has locked itself down; it must be out of reach
         * (not dumpable) before the command runs. EOF says so, or that it died. */
        if (l->init_locked >= 0) {
                while (read(l->init_locked, &(char) { 0 }, 1) < 0 && errno == EINTR)
                        ;
                closep(&l->init_locked);
        }
        if ((r = close_fds(p, e)) < 0)
                return r;
        closep(&proc_self);
        umask(l->umask);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* Seccomp last: it may forbid the very syscalls the steps before it need. */
        if ((r = seccomp_install(l->seccomp, l->n_seccomp, e)) < 0)
                return r;

        e->stage = STAGE_EXEC;
        {
                char *argv0 = p->argv[0];
                if (p->argv0)
                        p->argv[0] = (char *) p->argv0;
                execvp(argv0, p->argv);
                return error_errno(e, errno, "cannot run '%s'", argv0);
        }
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

/* Pid 1's own lockdown failed after the command was forked, when the parent may no longer be
 * listening: it says so itself. */
static _noreturn_ void init_fail(pid_t cmd, const sandbox_plan_t *p, const sandbox_error_t *e) {
        kill(cmd, SIGKILL);
        log_sandbox_error(e);
        _exit(exit_setup_code(p));
}

static int child_setup(launch_t *l, sandbox_error_t *e) {
        const sandbox_plan_t *p = l->plan;
        _cleanup_close_ int proc_self = -1;
        mounts_options_t mo = {
                .in_userns = (l->namespaces & NS_USER) || p->userns_fd >= 0,
                .legacy = l->legacy,
                .cgroupfs_ro = l->cgroup_used,
        };
        _cleanup_close_ int locked_r = -1, locked_w = -1;
        /* 0: the monitor is outside our pid namespace (see parent_gone()). */
        pid_t parent = getppid() == 0 ? 0 : l->monitor;
        uid_t uid;
        gid_t gid;
        pid_t cmd;
        int r;

        closep(&l->monitor_end);
        /* In a cgroup the sandbox must not outlive the monitor that removes it. */
        if ((p->die_with_parent || l->cgroup_used) && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        if (l->cgroup_gate) {
                if (read_full(l->sock, &(char) { 0 }, 1) != 1)
                        return error_msg(e, "the sandbox was not moved into its cgroup");
                /* Made only now, so that its root is the command's cgroup as with CLONE_INTO_CGROUP. */
                if ((l->namespaces & NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
                        return error_errno(e, errno, "creating the cgroup namespace");
        }
        /* The monitor died before PDEATHSIG was armed. */
        if (p->die_with_parent && parent_gone(l, parent))
                _exit(exit_setup_code(p));

        /* The status fds are the parent's: a reader waiting for EOF must not wait on us. */
        if (p->info_fd > 2)
                close(p->info_fd);
        if (p->json_status_fd > 2)
                close(p->json_status_fd);

        e->stage = STAGE_USERNS;
        /* Our /proc/<pid> of the host: still reachable after the root changes. */
        proc_self = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (proc_self < 0)
                return error_errno(e, errno, "opening /proc/self");
        if ((r = setup_user_namespace(l, proc_self, &uid, &gid, e)) < 0)
                return r;
        if ((p->unshare & NS_TIME) && (r = enter_time_namespace(e)) < 0)
                return r;
        if (p->disable_userns && (r = userns_limit_nesting(e)) < 0)
                return r;

        e->stage = STAGE_MOUNTS;
        if ((r = mounts_setup(p, &mo, e)) < 0)
                return r;

        e->stage = STAGE_PROCESS;
        if ((l->namespaces & NS_NET) && (r = net_loopback_up(e)) < 0)
                return r;
        if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
                return error_errno(e, errno, "--hostname %s", p->hostname);
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

        if (!((p->unshare & NS_PID) && !p->as_pid_1) && !p->n_lock_files && !p->n_sync_fds)
                return run_command(l, TAKE_FD(proc_self), parent, uid, gid, e);

        /* A pid 1 stays: it reaps, holds the locks and sync fds, and forwards signals. */
        if ((r = take_locks(p, e)) < 0)
                return r;
        {
                int fds[2];
                if (pipe2(fds, O_CLOEXEC) < 0)
                        return error_errno(e, errno, "creating a pipe");
                locked_r = fds[0];
                locked_w = fds[1];
        }
        cmd = fork();
        if (cmd < 0)
                return error_errno(e, errno, "fork");
        if (cmd == 0) {
                closep(&locked_w);
                l->init_locked = TAKE_FD(locked_r);
                r = run_command(l, TAKE_FD(proc_self), getppid(), uid, gid, e);
                (void) send(l->sock, e, sizeof *e, MSG_NOSIGNAL);
                _exit(e->stage == STAGE_EXEC ? (e->err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC) : exit_setup_code(p));
        }
        /* Our pid 1 runs as the command's uid and never execs: not dumpable, so the command can't
         * ptrace it or write its memory (the command's own exec makes it dumpable again). That
         * also hides our /proc/PID/ns from the parent: it says when the status fds are written. */
        if (wants_status(p) && read_full(l->sock, &(char) { 0 }, 1) != 1)
                _exit(exit_setup_code(p));
        closep(&locked_r);
        closep(&proc_self);
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
                error_errno(e, errno, "pid 1: PR_SET_DUMPABLE");
                init_fail(cmd, p, e);
        }
        if (caps_lockdown(0, uid, gid, e) < 0)
                init_fail(cmd, p, e);
        if (p->die_with_parent || l->cgroup_used)
                rearm_parent_death(l, parent);
        /* Out of reach now: the command may run. It reports its own errors from here on; the
         * parent sees EOF once it execs. */
        closep(&locked_w);
        closep(&l->sock);
        if (seccomp_install(l->seccomp, l->n_seccomp, e) < 0)
                init_fail(cmd, p, e);
        _exit(init_exit_status(init_run(cmd, l->status_pipe, p->new_session)));
}

static _noreturn_ void child_main(launch_t *l) {
        sandbox_error_t e = { 0 };

        (void) child_setup(l, &e);
        if (l->sock >= 0)
                (void) send(l->sock, &e, sizeof e, MSG_NOSIGNAL);
        _exit(e.stage == STAGE_EXEC ? (e.err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC) : exit_setup_code(l->plan));
}

/* ---- the parent ---- */

static unsigned long clone_flags(unsigned ns) {
        return CLONE_NEWNS | (ns & NS_USER ? CLONE_NEWUSER : 0) | (ns & NS_IPC ? CLONE_NEWIPC : 0) |
               (ns & NS_PID ? CLONE_NEWPID : 0) | (ns & NS_NET ? CLONE_NEWNET : 0) |
               (ns & NS_UTS ? CLONE_NEWUTS : 0) | (ns & NS_CGROUP ? CLONE_NEWCGROUP : 0);
}

/* fork() into new namespaces. clone3 first (it will carry CLONE_INTO_CGROUP); plain clone
 * where the kernel lacks it (before 5.3). */
static pid_t clone_child(unsigned long flags, int cgroup_fd) {
        /* With CLONE_PARENT the child inherits the caller's exit signal; clone3 wants 0 then. */
        int sig = flags & CLONE_PARENT ? 0 : SIGCHLD;
        struct clone_args args = { .flags = flags, .exit_signal = (unsigned) sig };
        long pid;

        if (cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t) cgroup_fd;
        }
        pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid < 0 && errno == ENOSYS && cgroup_fd < 0)
                pid = syscall(SYS_clone, flags | (unsigned long) sig, NULL, NULL, NULL, NULL);
        return (pid_t) pid;
}

/* The pid of a pidfd's process as our /proc sees it: clone() in another pid namespace
 * returns the pid in that one. */
static pid_t pidfd_host_pid(int pidfd) {
        _cleanup_fclose_ FILE *f = NULL;
        char path[64], line[128];
        int pid = -1;

        snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
        f = fopen(path, "re");
        while (f && fgets(line, sizeof line, f))
                if (sscanf(line, "Pid: %d", &pid) == 1)
                        break;
        return pid;
}

/* --pidns with --unshare-pid: a new pid namespace can only be made from inside the given
 * one, which setns() doesn't put us in (only our children). A short-lived process there
 * clones the child with CLONE_PARENT, so that it is still ours to wait for. */
static pid_t clone_child_from_pidns(launch_t *l, unsigned long flags, int cgroup_fd) {
        int fds[2], status;
        pid_t mid, pid = -1;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -1;
        mid = fork();
        if (mid == 0) {
                int pidfd = -1;
                struct clone_args args = {
                        .flags = flags | CLONE_PARENT | CLONE_PIDFD,
                        .pidfd = (uint64_t) (uintptr_t) &pidfd,
                };
                long r;

                if (cgroup_fd >= 0) {
                        args.flags |= CLONE_INTO_CGROUP;
                        args.cgroup = (uint64_t) cgroup_fd;
                }
                r = syscall(SYS_clone3, &args, sizeof args);
                if (r == 0)
                        child_main(l);
                r = r < 0 ? -errno : pidfd_host_pid(pidfd);
                (void) write_full(fds[1], &r, sizeof r);
                _exit(0);
        }
        closep(&fds[1]);
        if (mid > 0) {
                long r = -EIO;
                if (read_full(fds[0], &r, sizeof r) == (ssize_t) sizeof r && r > 0)
                        pid = (pid_t) r;
                else
                        errno = r < 0 ? (int) -r : EIO;
                while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
                        ;
        }
        closep(&fds[0]);
        return pid;
}

static int spawn(launch_t *l, pid_t *ret, sandbox_error_t *e) {
        const sandbox_plan_t *p = l->plan;
        unsigned ns = p->unshare & ~NS_TIME;
        pid_t pid;

        /* Limits hold only if the command can't move itself out: the cgroup namespace rooted at
         * its cgroup keeps every other one out of its reach. */
        if (l->cgroup_used)
                ns |= NS_CGROUP;
        /* The -try namespaces are dropped one at a time when the kernel refuses them. */
        if ((p->unshare_try & NS_CGROUP) && !l->cgroup_used && access("/proc/self/ns/cgroup", F_OK) < 0)
                ns &= ~NS_CGROUP;
        for (;;) {
                int cgroup_fd = l->cgroup_gate ? -1 : l->cgroup.leaf_fd;
                l->namespaces = ns | (p->unshare & NS_TIME);
                unsigned long flags = clone_flags(l->cgroup_gate ? ns & ~NS_CGROUP : ns);
                pid = p->pidns_fd >= 0 && (ns & NS_PID) ? clone_child_from_pidns(l, flags, cgroup_fd)
                                                        : clone_child(flags, cgroup_fd);
                if (pid == 0)
                        child_main(l);
                if (pid > 0)
                        break;
                /* Before Linux 5.7 clone3 can't start the child in a cgroup (E2BIG: the field is
                 * unknown): the parent moves it there before letting it go on. */
                if (cgroup_fd >= 0 && (errno == E2BIG || errno == EINVAL || errno == ENOSYS)) {
                        l->cgroup_gate = true;
                        continue;
                }
                if ((errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS) &&
                    (p->unshare_try & ns & NS_USER)) {
                        ns &= ~NS_USER;
                        continue;
                }
                error_errno(e, errno, "creating the sandbox's namespaces");
                if (errno == EPERM || errno == ENOSPC)
                        error_hint(e, "unprivileged user namespaces may be disabled: check the sysctls "
                                   "kernel.unprivileged_userns_clone and user.max_user_namespaces, and AppArmor's "
                                   "kernel.apparmor_restrict_unprivileged_userns");
                return -errno;
        }
        *ret = pid;
        return 0;
}

typedef struct monitor_result {
        bool have_error, have_status, child_done;
        bool timed_out, timeout_killed;
        sandbox_error_t error;
        int command_status;
        int child_status;
} monitor_result_t;

/* --timeout: SIGTERM to the command (through pid 1), then SIGKILL to all of it after a grace
 * period. */
#define TIMEOUT_GRACE_S 10

static void timeout_fired(launch_t *l, pid_t child, int tfd, monitor_result_t *m) {
        uint64_t ticks;

        if (read(tfd, &ticks, sizeof ticks) != (ssize_t) sizeof ticks || m->child_done)
                return;
        if (!m->timed_out) {
                m->timed_out = true;
                kill(child, SIGTERM);
                (void) timerfd_settime(tfd, 0, &(struct itimerspec) { .it_value = { TIMEOUT_GRACE_S, 0 } }, NULL);
                return;
        }
        m->timeout_killed = true;
        if (l->cgroup_used)
                cgroup_kill(&l->cgroup);
        kill(child, SIGKILL);
}

static void monitor(launch_t *l, pid_t child, int sfd, int tfd, monitor_result_t *m) {
        int sock = l->sock;

        while (!m->child_done || sock >= 0 || l->status_pipe >= 0) {
                struct pollfd fds[4] = {
                        { .fd = sfd, .events = POLLIN },
                        { .fd = sock, .events = POLLIN },
                        { .fd = l->status_pipe, .events = POLLIN },
                        { .fd = tfd, .events = POLLIN },
                };

                /* Also after the command's status is known: pid 1 is ours to reap (leaving it
                 * to the system's init costs a zombie where that init doesn't reap). */
                if (m->child_done && sock < 0)
                        break;  /* the status pipe only matters while the child lives */
                if (poll(fds, 4, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (fds[1].revents) {
                        ssize_t n = recv(sock, &m->error, sizeof m->error, MSG_DONTWAIT);
                        if (n == (ssize_t) sizeof m->error)
                                m->have_error = true;
                        else if (n < 0 && (errno == EAGAIN || errno == EINTR))
                                ;
                        else
                                closep(&sock);
                }
                if (fds[2].revents) {
                        ssize_t n = read(l->status_pipe, &m->command_status, sizeof m->command_status);
                        if (n == (ssize_t) sizeof m->command_status)
                                m->have_status = true;
                        if (n <= 0 || m->have_status)
                                closep(&l->status_pipe);
                }
                if (fds[3].revents)
                        timeout_fired(l, child, tfd, m);
                if (fds[0].revents) {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof si) == (ssize_t) sizeof si && si.ssi_signo != SIGCHLD &&
                            !m->child_done && init_should_forward(si.ssi_code, l->plan->new_session))
                                kill(child, (int) si.ssi_signo);
                        while (!m->child_done) {
                                pid_t r = waitpid(child, &m->child_status, WNOHANG);
                                if (r == child)
                                        m->child_done = true;
                                if (r <= 0)
                                        break;
                        }
                }
        }
        closep(&sock);
        l->sock = -1;
        while (!m->child_done && waitpid(child, &m->child_status, 0) < 0 && errno == EINTR)
                ;
}

static int exit_code_for_error(const sandbox_plan_t *p, const sandbox_error_t *e) {
        if (e->stage == STAGE_EXEC && !p->bwrap_mode)
                return e->err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
        return exit_setup_code(p);
}

/* A kill rule ended the command: name the syscalls such rules cover, as far as they can be told
 * apart (the kernel doesn't say which call it was without the audit log). */
static void report_sigsys(const sandbox_plan_t *p) {
        char names[512] = "";
        size_t n = 0, len = 0;

        for (size_t i = 0; i < p->n_rules; i++)
                if (p->rules[i].action == SCMP_ACT_KILL_PROCESS)
                        for (size_t k = 0; k < p->rules[i].n_names && len < sizeof names - 64; k++, n++)
                                len += (size_t) snprintf(names + len, sizeof names - len, "%s%s", n ? ", " : "",
                                                         p->rules[i].names[k]);
        if ((p->syscall_default_set && p->syscall_default == SCMP_ACT_KILL_PROCESS) || n == 0)
                log_error("the command was killed by the syscall filter (SIGSYS): a syscall no rule allows");
        else
                log_error("the command was killed by the syscall filter (SIGSYS): %s %s", n == 1 ? "its kill rule for" :
                          "one of the syscalls its kill rules name:", names);
}

/* --help, --version, --print-policy, --check-policy, --export-pfc: done once the options are parsed. */
static int run_action(const sandbox_plan_t *p, sandbox_error_t *e) {
        switch (p->action) {
        case ACTION_EXPORT_PFC:
                fflush(stdout);
                return seccomp_export_pfc_plan(p, STDOUT_FILENO, e);
        case ACTION_HELP:
                options_help(stdout, log_program);
                break;
        case ACTION_PRINT_POLICY:
                options_print_policy(stdout, p);
                break;
        case ACTION_CHECK_POLICY:
                printf("%s: ok\n", p->check_policy);
                break;
        case ACTION_VERSION:
                if (p->bwrap_mode)
                        printf("bubblewrap %s (sandbox %s)\n", BWRAP_COMPAT_VERSION, SANDBOX_VERSION);
                else
                        printf("sandbox %s\n", SANDBOX_VERSION);
                break;
        case ACTION_RUN:
                break;
        }
        return 0;
}

/* Blocked before the clone, so that no forwarded signal or SIGCHLD is lost in between;
 * the monitor reads them from the returned signalfd. */
static int block_signals(sandbox_error_t *e) {
        sigset_t mask;
        int sfd;

        init_forwarded_signals(&mask);
        sigaddset(&mask, SIGCHLD);
        signal(SIGCHLD, SIG_DFL);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return error_errno(e, errno, "signalfd");
        return sfd;
}

/* Only root may raise a hard limit: say so before anything starts. */
static int check_rlimits(const sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit cur;
                if (getrlimit(p->rlimits[i].resource, &cur) < 0)
                        return error_errno(e, errno, "--rlimit %s", rlimit_name(p->rlimits[i].resource));
                if (p->rlimits[i].hard > cur.rlim_max && cur.rlim_max != RLIM_INFINITY) {
                        error_msg(e, "--rlimit %s: the hard limit can't be raised above the current %llu",
                                  rlimit_name(p->rlimits[i].resource), (unsigned long long) cur.rlim_max);
                        error_hint(e, "ask for at most %llu (see ulimit -H)", (unsigned long long) cur.rlim_max);
                        return -EPERM;
                }
        }
        return 0;
}

static int arm_timeout(const sandbox_plan_t *p, sandbox_error_t *e) {
        struct itimerspec its = { .it_value = { (time_t) (p->timeout_ms / 1000), (long) (p->timeout_ms % 1000) * 1000000 } };
        int fd;

        if (!p->timeout_ms)
                return -1;
        fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0)
                return error_errno(e, errno, "--timeout: creating the timer");
        return fd;
}

/* The command's end, as the exit status and the messages that explain it. */
static int command_result(launch_t *l, const monitor_result_t *m) {
        const sandbox_plan_t *p = l->plan;
        int status = m->have_status ? m->command_status : m->child_status;
        int code = init_exit_status(status);
        cgroup_report_t report;

        if (l->cgroup_used) {
                cgroup_finish(&l->cgroup, &report);
                made_cgroup = NULL;
                if (status_report_limits(p, &report, status))
                        code = EXIT_OOM;
        }
        if (m->timed_out) {
                log_error("timeout: the command was still running after %g s; %s", (double) p->timeout_ms / 1000,
                          m->timeout_killed ? "killed after a " STRINGIFY(TIMEOUT_GRACE_S)
                                                                    " s grace period" : "stopped with SIGTERM");
                code = EXIT_TIMEOUT;
        }
        /* A denial by name: which rule killed the command. */
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS && p->n_rules)
                report_sigsys(p);
        if (p->json_status_fd >= 0)
                (void) status_write_exit(p->json_status_fd, code, l->cgroup_used ? &report : NULL, &(sandbox_error_t) { 0 });
        return code;
}

/* --userns and --pidns are joined by the parent: the child is then created inside them. */
static int join_namespaces(const sandbox_plan_t *p, sandbox_error_t *e) {
        if (p->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        if (p->userns_fd >= 0 && setns(p->userns_fd, CLONE_NEWUSER) < 0)
                return error_errno(e, errno, "--userns %d: entering the user namespace", p->userns_fd);
        if (p->pidns_fd >= 0 && setns(p->pidns_fd, CLONE_NEWPID) < 0)
                return error_errno(e, errno, "--pidns %d: entering the pid namespace", p->pidns_fd);
        return 0;
}

/* The parent's part of the setup once the child exists: id ranges, then what --info-fd and
 * --json-status-fd promise. On failure the child is killed. */
static int parent_setup(launch_t *l, pid_t child, sandbox_error_t *e) {
        sandbox_plan_t *p = l->plan;
        bool status = wants_status(p);  /* before --info-fd is closed below */
        int r = 0;

        if (p->n_uid_maps || p->n_gid_maps) {
                r = userns_run_map_helpers(p, child, e);
                if (r >= 0 && (r = write_full(l->sock, "g", 1)) < 0)
                        error_errno(e, r, "releasing the sandbox");
        }
        if (r >= 0 && p->info_fd >= 0) {
                r = status_write_info(p->info_fd, child, l->namespaces, true, e);
                closep(&p->info_fd);
        }
        if (r >= 0 && p->json_status_fd >= 0)
                r = status_write_info(p->json_status_fd, child, l->namespaces, false, e);
        /* A pid 1 waits for this before it makes itself undumpable (see child_setup). */
        if (r >= 0 && status && (r = write_full(l->sock, "s", 1)) < 0)
                error_errno(e, r, "releasing the sandbox's pid 1");
        if (r < 0)
                kill(child, SIGKILL);
        return r;
}

int main(int argc, char **argv) {
        _cleanup_(plan_free) sandbox_plan_t plan;
        sandbox_error_t e = { .stage = STAGE_PARSE };
        const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        launch_t l = { .plan = &plan, .sock = -1, .monitor_end = -1, .init_locked = -1, .status_pipe = -1,
                       .cgroup = CGROUP_NULL };
        options_io_t io = {
                .read_fd = read_all_fd,
                .read_file = read_file_path,
                .getenv = env_lookup,
                .uid = getuid(),
                .gid = getgid(),
                .system_dirs = { SANDBOX_SYSCONF_POLICYDIR, SANDBOX_POLICYDIR },
        };
        _cleanup_free_ char *cwd = NULL;
        struct utsname uts;
        monitor_result_t m = { 0 };
        int socks[2], pipefd[2], sfd, tfd, code;
        pid_t child = -1;

        plan_init(&plan);
        plan.bwrap_mode = strcmp(name, "bwrap") == 0;
        log_program = plan.bwrap_mode ? "bwrap" : "sandbox";

        if (refuse_privileged(&e) < 0)
                die(&plan, &e);

        /* 1. Parse into a plan: pure, nothing happens yet (files and fds are read through io). */
        io.cwd = cwd = getcwd(NULL, 0);
        if (uname(&uts) == 0)
                io.kernel = uts.release;
        code = options_parse(&plan, argc - 1, argv + 1, &io, &e);
        log_level_prefix = plan.level_prefix;
        if (code < 0)
                die(&plan, &e);
        /* Safe by default: as `sandbox` and without a policy, the built-in one applies (its
         * directives only add confinement, so applying it after the options is the same). */
        if (!plan.bwrap_mode && !plan.policy_given && !plan.no_default_policy &&
            (plan.action == ACTION_RUN || plan.action == ACTION_PRINT_POLICY || plan.action == ACTION_EXPORT_PFC) &&
            policy_load(&plan, "default", NULL, &io, &e) < 0)
                die(&plan, &e);
        if (plan.action != ACTION_RUN) {
                if (run_action(&plan, &e) < 0)
                        die(&plan, &e);
                return 0;
        }

        /* 2. Check and prepare everything that can fail before any namespace exists. */
        e.stage = STAGE_PREPARE;
        l.real_uid = getuid();
        l.real_gid = getgid();
        l.legacy = getenv("SANDBOX_TEST_LEGACY") && strcmp(getenv("SANDBOX_TEST_LEGACY"), "1") == 0;
        if (options_validate(&plan, l.real_uid, &e) < 0 || options_check_fds(&plan, &e) < 0 ||
            check_labels(&plan, &e) < 0 || check_rlimits(&plan, &e) < 0 || cgroup_check_devices(&plan, &e) < 0 ||
            read_seccomp(&l, &e) < 0)
                die(&plan, &e);
        if ((tfd = arm_timeout(&plan, &e)) < -1)
                die(&plan, &e);
        if (limits_need_cgroup(&plan)) {
                if (cgroup_setup(&plan, &l.cgroup, &e) < 0)
                        die(&plan, &e);
                made_cgroup = &l.cgroup;
                l.cgroup_used = true;
                l.cgroup_gate = l.legacy;
        }
        l.old_cwd = getcwd(NULL, 0);
        l.umask = umask(0022);
        umask(l.umask);
        l.monitor = getpid();
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0 || pipe2(pipefd, O_CLOEXEC) < 0)
                die(&plan, &(sandbox_error_t) { .err = errno, .msg = "creating the channel to the sandbox" });
        if ((sfd = block_signals(&e)) < 0 || join_namespaces(&plan, &e) < 0)
                die(&plan, &e);

        /* 3. The child: namespaces, mounts, process state, exec. */
        l.sock = socks[1];
        l.monitor_end = socks[0];
        l.init_locked = -1;
        l.status_pipe = pipefd[1];
        if (spawn(&l, &child, &e) < 0)
                die(&plan, &e);
        closep(&socks[1]);
        closep(&pipefd[1]);
        l.sock = socks[0];
        l.status_pipe = pipefd[0];

        /* 4. The parent's side of the setup: the cgroup where clone couldn't, id ranges, the status fds. */
        if (l.cgroup_gate) {
                int r = cgroup_enter(&l.cgroup, child, &e);
                if (r >= 0 && (r = write_full(l.sock, "c", 1)) < 0)
                        error_errno(&e, r, "releasing the sandbox into its cgroup");
                if (r < 0) {
                        kill(child, SIGKILL);
                        die(&plan, &e);
                }
        }
        if (parent_setup(&l, child, &e) < 0)
                die(&plan, &e);

        /* 5. Wait, forwarding signals, and pass the command's status on. */
        monitor(&l, child, sfd, tfd, &m);
        if (m.have_error) {
                log_sandbox_error(&m.error);
                code = exit_code_for_error(&plan, &m.error);
                if (made_cgroup)
                        cgroup_finish(made_cgroup, NULL);
                if (plan.json_status_fd >= 0)
                        (void) status_write_exit(plan.json_status_fd, code, NULL, &e);
        } else
                code = command_result(&l, &m);
        free(l.old_cwd);
        seccomp_programs_free(l.seccomp, l.n_seccomp);
        return code;
}
