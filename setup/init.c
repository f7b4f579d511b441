/* SPDX-License-Identifier: MIT */
#include "init.h"

#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

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
                /* Without a signalfd, block in wait(): reaping is what matters most. */
                while ((pid = waitpid(-1, &status, sfd >= 0 ? WNOHANG : 0)) > 0 || (pid < 0 && errno == EINTR))
                        if (pid == command) {
                                (void) write_full(status_fd, &status, sizeof status);
                                return status;
                        }
                if (pid < 0 && errno == ECHILD)
                        return 255 << 8;
        }
}
