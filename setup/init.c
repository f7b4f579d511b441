/* SPDX-License-Identifier: MIT */
#include "init.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
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

int init_run(pid_t command, int status_fd, bool command_has_own_session) {
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
                        if (!WIFSTOPPED(status))
                                return status;
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
        _exit(init_exit_status(init_run(cmd, launch->status_pipe, p->new_session)));
}
