/* SPDX-License-Identifier: MIT */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "util.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

void init_forwarded_signals(sigset_t *ret) {
        sigemptyset(ret);
        for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
                sigaddset(ret, forwarded[i]);
}

bool init_should_forward(int code, bool command_has_own_session) {
        /* si_code <= 0 means kill(), sigqueue() or tgkill() from a process; SI_KERNEL is the tty
         * driver, which signals the whole foreground process group, the command included. */
        return code <= 0 || command_has_own_session;
}

int init_exit_status(int wstatus) {
        if (WIFEXITED(wstatus))
                return WEXITSTATUS(wstatus);
        if (WIFSIGNALED(wstatus))
                return 128 + WTERMSIG(wstatus);
        return 255;
}

/* The command has ended: what is left of the sandbox goes too, as it would with pid 1. Killed
 * and reaped here, not by the kernel, which reaps for an exiting pid 1 without counting (it sets
 * SIGCHLD to SIG_IGN first): so whatever ran in the sandbox, even a process still on its way
 * out, stays in pid 1's rusage and so in --stats. Waiting only where KILL_ALL says that every
 * process has our uid (no capability kept, none could change it): a process we can't kill would
 * hold us. Otherwise only what has ended is reaped. */
static void reap_rest(bool kill_all) {
        /* kill(-1) reaches every process we may signal in our pid namespace: only ever as the
         * init of one of our own (a lock or sync fd gives a pid 1 without one). */
        bool wait = kill_all && getpid() == 1 && (kill(-1, SIGKILL) == 0 || errno == ESRCH);

        for (;;) {
                pid_t pid = waitpid(-1, NULL, wait ? 0 : WNOHANG);
                if (pid <= 0 && !(pid < 0 && errno == EINTR))
                        return;
        }
}

/* init_run()'s kill_all: a pid namespace of our own, in which no process could have changed its
 * uid (no capability kept). */
static bool init_kills_all(const sandbox_plan_t *p) {
        return (p->unshare & NS_PID) && p->pidns_fd < 0 && !p->caps;
}

int init_run(pid_t command, int status_fd, bool command_has_own_session, bool kill_all) {
        sigset_t mask;
        int sfd;

        init_forwarded_signals(&mask);
        sigaddset(&mask, SIGCHLD);
        /* The caller blocked these before forking the command, so nothing is lost. */
        sfd = signalfd(-1, &mask, SFD_CLOEXEC);

        for (;;) {
                struct signalfd_siginfo si;
                int status;
                pid_t pid;

                if (sfd >= 0) {
                        ssize_t n = read(sfd, &si, sizeof si);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n == (ssize_t) sizeof si && si.ssi_signo != SIGCHLD) {
                                if (init_should_forward(si.ssi_code, command_has_own_session))
                                        kill(command, (int) si.ssi_signo);
                                continue;
                        }
                }
                /* Without a signalfd, block in wait(): reaping is what matters most. The command's
                 * stops are passed on too, so that the monitor can hand the terminal back. */
                while ((pid = waitpid(-1, &status, WUNTRACED | (sfd >= 0 ? WNOHANG : 0))) > 0 ||
                       (pid < 0 && errno == EINTR)) {
                        if (pid != command)
                                continue;
                        (void) write_full(status_fd, &status, sizeof status);
                        if (!WIFSTOPPED(status)) {
                                reap_rest(kill_all);
                                return status;
                        }
                }
                if (pid < 0 && errno == ECHILD)
                        return 255 << 8;
        }
}

/* Pid 1's own lockdown failed after the command was forked, when the parent may no longer be
 * listening: it says so itself. */
static _noreturn_ void init_fail(pid_t cmd, const sandbox_plan_t *p, const sandbox_error_t *e) {
        kill(cmd, SIGKILL);
        log_sandbox_error(e);
        _exit(launch_exit_setup_code(p));
}

/* Where pid 1 has no filter of its own: the policy's programs, never the notifying one, which
 * would make pid 1 wait on the supervisor. */
static int install_policy(const launch_t *launch, sandbox_error_t *e) {
        for (size_t i = 0; i < launch->n_seccomp_policy; i++) {
                int r = (int) i == launch->listener_prog ? 0 : seccomp_install(&launch->seccomp[i], 1, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

void init_prepare(launch_t *launch) {
        const sandbox_plan_t *p = launch->plan;
        sandbox_error_t e = { .stage = STAGE_PROCESS };

        if (launch_wants_status(p) && read_full(launch->sock, &(char){ 0 }, 1) != 1)
                _exit(launch_exit_setup_code(p));
        /* Our pid 1 runs as the command's uid: the command must not ptrace it or write its memory.
         * Where Landlock works, the command is fenced into a domain of its own (child.c) and pid 1
         * stays dumpable, so that its owner outside can open /proc/PID/ns/ to join the sandbox.
         * Elsewhere it is not dumpable from before the command exists, which also hides
         * /proc/PID/ns from the parent: it says when the status fds are written. */
        if (!launch_fences_init(p) && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
                error_errno(&e, errno, "pid 1: PR_SET_DUMPABLE");
                if (launch->sock >= 0)
                        (void) send(launch->sock, &e, sizeof e, MSG_NOSIGNAL);
                _exit(launch_exit_setup_code(p));
        }
}

void init_main(launch_t *launch, pid_t cmd, pid_t parent, uid_t uid, gid_t gid) {
        const sandbox_plan_t *p = launch->plan;
        sandbox_error_t e = { .stage = STAGE_PROCESS };
        bool fenced = launch_fences_init(p);

        if (caps_lockdown(0, uid, gid, &e) < 0)
                init_fail(cmd, p, &e);
        /* A change of ids on the way may have cleared it. */
        if (prctl(PR_SET_DUMPABLE, fenced, 0, 0, 0) < 0) {
                error_errno(&e, errno, "pid 1: PR_SET_DUMPABLE");
                init_fail(cmd, p, &e);
        }
        if (p->die_with_parent || launch->cgroup_used)
                launch_rearm_parent_death(launch, parent);
        closep(&launch->sock);
        /* Pid 1 runs no code of the command's, and the command can't reach it (fenced, or not
         * dumpable; no capabilities). */
        if (launch->init_filter.prog.len ? seccomp_install(&launch->init_filter, 1, &e) < 0
                                         : install_policy(launch, &e) < 0)
                init_fail(cmd, p, &e);
        _exit(init_exit_status(init_run(cmd, launch->status_pipe, p->new_session, init_kills_all(p))));
}

/* pid1/embed.py's output, linked into the sandbox binary only: the library's other users (tests,
 * fuzzers) fork as before. */
extern const unsigned char init_stub_image[] __attribute__((weak));
extern const size_t init_stub_size __attribute__((weak));

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* Nothing may pass between the monitor and the child before the stub runs: the monitor is
 * suspended until then (so is a --timeout's clock, which must be able to stop a hung setup). Nor
 * may pid 1 hold anything open across its exec, or need what only init_main() does (the policy's
 * programs where it has no filter of its own, not being dumpable where Landlock can't fence it
 * off). */
static bool stub_fits(const launch_t *launch) {
        const sandbox_plan_t *p = launch->plan;

#ifdef __SANITIZE_ADDRESS__
        /* ASan can't follow a child onto a stack of ours. */
        return false;
#endif
        /* 256: the most instructions pid1.c takes. */
        return &init_stub_size && init_stub_size && launch->init_filter.prog.len &&
               launch->init_filter.prog.len <= 256 && !p->as_pid_1 && launch_fences_init(p) && !launch->legacy &&
               !launch_wants_status(p) && !launch->cgroup_used && !launch->cgroup_gate && !p->n_uid_maps &&
               !p->n_gid_maps && p->userns_block_fd < 0 && p->block_fd < 0 && p->pidns_fd < 0 && p->userns2_fd < 0 &&
               !p->disable_userns && !p->n_lock_files && !p->n_sync_fds && launch->listener_prog < 0 &&
               !launch->n_listener_fallback && !p->learn_file && !launch->n_helpers && !launch->n_held_fds &&
               !launch->runtime_dir && !p->timeout_ms;
}

bool init_stub_prepare(launch_t *launch) {
        int fd;

        if (!stub_fits(launch))
                return false;
        /* MFD_EXEC where vm.memfd_noexec asks for it (EACCES when it forbids it: fork then);
         * EINVAL: a kernel before 6.3, whose memfds are all executable. */
        fd = memfd_create("sandbox-pid1", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (fd < 0 && errno == EINVAL)
                fd = memfd_create("sandbox-pid1", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return false;
        if (write_full(fd, init_stub_image, init_stub_size) < 0 ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
                close(fd);
                return false;
        }
        launch->stub_fd = fd;
        return true;
}

_noreturn_ void init_exec_stub(launch_t *launch, pid_t cmd, uid_t uid, gid_t gid) {
        const sandbox_plan_t *p = launch->plan;
        const seccomp_program_t *f = &launch->init_filter;
        sandbox_error_t e = { .stage = STAGE_PROCESS };
        char status[21], sock[21], command[21], flags[21], u[21], g[21], code[21];
        /* In our memory, which the monitor gets back as it was but for this: it is not freed. */
        char *filter = xrealloc_array(NULL, (size_t) f->prog.len * 16 + 1, 1);
        char *argv[] = { "sandbox-pid1", status, sock, command, flags, u, g, code, filter, (char *) log_program, NULL };

        format_long(status, launch->status_pipe);
        format_long(sock, launch->sock);
        format_long(command, cmd);
        /* pid1.c's flags: the command's own session, the parent's death, kill_all of init_run(). */
        format_long(flags, (p->new_session ? 1 : 0) | (p->die_with_parent ? 2 : 0) | (init_kills_all(p) ? 4 : 0));
        format_long(u, (long) uid);
        format_long(g, (long) gid);
        format_long(code, launch_exit_setup_code(p));
        /* Each instruction as 16 hex digits: code, jt, jf, k. */
        for (unsigned short i = 0; i < f->prog.len; i++) {
                const struct sock_filter *in = &f->prog.filter[i];
                format_hex(filter + 16 * i, in->code, 4);
                format_hex(filter + 16 * i + 4, in->jt, 2);
                format_hex(filter + 16 * i + 6, in->jf, 2);
                format_hex(filter + 16 * i + 8, in->k, 8);
        }
        filter[16 * f->prog.len] = 0;
        /* The bounding set and the ids while we still can: the exec then gives the stub no
         * capability, even as uid 0, and it could drop none itself. */
        if (caps_lockdown(0, uid, gid, &e) < 0)
                init_fail(cmd, p, &e);
        /* These two, and only these, go on into pid 1 (our fd table is our own). */
        if (fcntl(launch->status_pipe, F_SETFD, 0) < 0 || (launch->sock >= 0 && fcntl(launch->sock, F_SETFD, 0) < 0)) {
                error_errno(&e, errno, "pid 1: keeping its fds open");
                init_fail(cmd, p, &e);
        }
        syscall(SYS_execveat, launch->stub_fd, "", argv, (char *[]){ NULL }, AT_EMPTY_PATH);
        error_errno(&e, errno, "pid 1: starting its program (execveat of a memfd)");
        init_fail(cmd, p, &e);
}
