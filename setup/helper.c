/* SPDX-License-Identifier: MIT */
#include "helper.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monitor.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* In the forked child: everything but `keep` closed at exec, the death signal armed, the
 * signals the monitor blocks unblocked. Writes errno to `err` if the exec fails. */
static _noreturn_ void exec_helper(char *const *argv, const int *keep, size_t n_keep, pid_t parent, int err) {
        sigset_t none;
        int code, null;

        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
                _exit(127);
        /* The caller's terminal and pipes are the command's, not a helper's: its stderr stays,
         * for what it has to say. */
        if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || dup2(null, STDIN_FILENO) < 0 ||
            dup2(null, STDOUT_FILENO) < 0)
                goto fail;
        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                for (int fd = 3; fd < 1024; fd++)
                        (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
        for (size_t i = 0; i < n_keep; i++)
                if (fcntl(keep[i], F_SETFD, 0) < 0)
                        goto fail;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execvp(argv[0], argv);
fail:
        code = errno;
        (void) write_full(err, &code, sizeof code);
        _exit(127);
}

int helper_start(helper_t *h, const char *name, char *const *argv, const int *keep, size_t n_keep, sandbox_error_t *e) {
        _cleanup_close_ int err_r = -1, err_w = -1;
        pid_t parent = getpid();
        int fds[2], code = 0;
        ssize_t n;

        *h = HELPER_NULL;
        h->name = name;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return error_errno(e, errno, "%s: creating a pipe", name);
        err_r = fds[0];
        err_w = fds[1];
        h->pid = fork();
        if (h->pid < 0)
                return error_errno(e, errno, "%s: fork", name);
        if (h->pid == 0)
                exec_helper(argv, keep, n_keep, parent, err_w);
        closep(&err_w);
        h->pidfd = (int) syscall(SYS_pidfd_open, h->pid, 0);
        if (h->pidfd < 0) {
                int r = error_errno(e, errno, "%s: pidfd_open", name);
                if (r == -ENOSYS)
                        error_hint(e, "helpers need pidfd_open (Linux 5.3 or later)");
                helper_stop(h);
                return r;
        }
        /* EOF: the exec happened (the pipe was close-on-exec); else its errno. */
        n = read_full(err_r, &code, sizeof code);
        if (n == (ssize_t) sizeof code) {
                helper_stop(h);
                error_errno(e, code, "%s: cannot run '%s'", name, argv[0]);
                if (code == ENOENT)
                        error_hint(e, "install %s (the Debian package of the same name provides it)", argv[0]);
                return -code;
        }
        return 0;
}

/* "exited with status N" / "was killed by signal N": how a reaped helper ended. */
static void describe_end(const helper_t *h, int status, sandbox_error_t *e, const char *when) {
        if (WIFEXITED(status))
                error_msg(e, "%s exited with status %d %s", h->name, WEXITSTATUS(status), when);
        else
                error_msg(e, "%s was killed by signal %d %s", h->name, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                          when);
}

static int reap(helper_t *h) {
        int status = 0;

        if (h->pid <= 0)
                return 0;
        while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
                ;
        h->pid = -1;
        closep(&h->pidfd);
        return status;
}

/* Whether the process is on its way out (PF_EXITING in the flags of /proc/PID/stat): it closed its
 * files because it is exiting, and waiting for it won't block for long. */
static bool is_exiting(pid_t pid) {
        char path[64], buf[1024];
        _cleanup_close_ int fd = -1;
        unsigned long flags = 0;
        ssize_t n;
        char *p;

        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (n = read(fd, buf, sizeof buf - 1)) <= 0)
                return true; /* gone already */
        buf[n] = 0;
        p = strrchr(buf, ')');
        /* After the name: state ppid pgrp session tty_nr tpgid flags. */
        if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
                return false;
        return (flags & 0x4) != 0 || p[2] == 'Z' || p[2] == 'X';
}

int helper_wait_ready(helper_t *h, int ready_fd, sandbox_error_t *e) {
        struct pollfd fds[2] = { { .fd = ready_fd, .events = POLLIN }, { .fd = h->pidfd, .events = POLLIN } };
        char byte;

        for (;;) {
                if (poll(fds, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return error_errno(e, errno, "%s: waiting for it to be ready", h->name);
                }
                /* Readiness first: a helper may say so and exit at once (then the monitor sees it). */
                if (fds[0].revents) {
                        ssize_t n = read(ready_fd, &byte, 1);
                        if (n == 1)
                                return 0;
                        if (n < 0 && errno == EINTR)
                                continue;
                        /* EOF comes as the helper exits, just before its pidfd says so. */
                        if (!fds[1].revents && !is_exiting(h->pid))
                                return error_msg(e, "%s closed its readiness pipe without saying it was ready",
                                                 h->name);
                        fds[1].revents = POLLIN;
                }
                if (fds[1].revents) {
                        describe_end(h, reap(h), e, "before it was ready");
                        return -ECHILD;
                }
        }
}

static bool on_helper_exit(monitor_t *mon, monitor_source_t *s) {
        helper_t *h = s->userdata;
        sandbox_error_t e = { .stage = STAGE_PROCESS };

        describe_end(h, reap(h), &e, "while the sandbox was running");
        error_hint(&e, "the sandbox was stopped, since it would run without what the helper provides");
        monitor_fail(mon, &e);
        s->fd = -1; /* reap() closed it */
        return false;
}

static void on_helper_teardown(monitor_t *mon, monitor_source_t *s) {
        helper_stop(s->userdata);
        s->fd = -1;
}

int helper_attach(helper_t *h, struct monitor *mon, sandbox_error_t *e) {
        monitor_source_t s = {
                .name = h->name,
                .fd = h->pidfd,
                .on_input = on_helper_exit,
                .teardown = on_helper_teardown,
                .userdata = h,
        };
        return monitor_add_source(mon, &s, e);
}

void helper_stop(helper_t *h) {
        if (h->pid <= 0)
                return;
        kill(h->pid, SIGKILL);
        (void) reap(h);
}
