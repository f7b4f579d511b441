/* SPDX-License-Identifier: MIT */
#include "monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "init.h"
#include "limits.h"
#include "notify.h"

int monitor_block_signals(sandbox_error_t *e) {
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

int monitor_arm_timeout(const sandbox_plan_t *p, sandbox_error_t *e) {
        struct itimerspec its = { .it_value = { (time_t) (p->timeout_ms / 1000),
                                                (long) (p->timeout_ms % 1000) * 1000000 } };
        int fd;

        if (!p->timeout_ms)
                return -1;
        fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0)
                return error_errno(e, errno, "--timeout: creating the timer");
        return fd;
}

/* ---- the terminal ---- */

int monitor_find_terminal(void) {
        if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
                return -1;
        return fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
}

/* tcsetpgrp() from a background group stops the caller with SIGTTOU unless it is blocked. */
static void set_foreground(int tty, pid_t pgrp) {
        sigset_t ttou, old;

        sigemptyset(&ttou);
        sigaddset(&ttou, SIGTTOU);
        sigprocmask(SIG_BLOCK, &ttou, &old);
        (void) tcsetpgrp(tty, pgrp);
        sigprocmask(SIG_SETMASK, &old, NULL);
}

void monitor_take_terminal_back(const launch_t *launch, pid_t child) {
        pid_t fg;

        if (launch->tty < 0 || launch->plan->new_session)
                return;
        fg = tcgetpgrp(launch->tty);
        /* Not when the caller's shell took it meanwhile (after a 'bg'). */
        if (fg == child || (fg > 0 && fg != getpgrp() && kill(-fg, 0) < 0 && errno == ESRCH))
                set_foreground(launch->tty, getpgrp());
}

/* The command stopped (Ctrl-Z) while it had the terminal: stop ourselves too, so that the
 * caller's shell sees its job stopped, and give the terminal back to the sandbox when we are
 * continued in the foreground. Not under --timeout, whose clock must not be stoppable from
 * inside. */
static void relay_stop(monitor_t *mon) {
        const launch_t *launch = mon->launch;

        if (!mon->handed_terminal || launch->plan->timeout_ms)
                return;
        set_foreground(launch->tty, getpgrp());
        raise(SIGTSTP);
        if (tcgetpgrp(launch->tty) == getpgrp())
                set_foreground(launch->tty, mon->child);
        kill(-mon->child, SIGCONT);
}

/* ---- the built-in sources ---- */

static void kill_sandbox(monitor_t *mon) {
        if (mon->launch->cgroup_used)
                cgroup_kill(&mon->launch->cgroup);
        kill(-mon->child, SIGKILL);
        kill(mon->child, SIGKILL);
}

/* The sandbox's first process has ended (RU: NULL when wait4() failed): its rusage covers it
 * and every descendant it reaped, and those theirs: in a pid namespace all of the sandbox, since
 * orphans go to its pid 1, which kills and reaps what is left when the command ends (init_run()). */
static void child_ended(monitor_t *mon, const struct rusage *ru) {
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        mon->result.usage.wall_usec = (uint64_t) ((int64_t) (now.tv_sec - mon->started.tv_sec) * 1000000 +
                                                  (now.tv_nsec - mon->started.tv_nsec) / 1000);
        if (ru) {
                mon->result.usage.rusage = *ru;
                mon->result.usage.have_rusage = true;
        }
        mon->result.child_done = true;
}

static void reap_child(monitor_t *mon) {
        struct rusage ru;

        while (!mon->result.child_done) {
                pid_t r = wait4(mon->child, &mon->result.child_status, WNOHANG | WUNTRACED, &ru);
                if (r <= 0)
                        break;
                if (WIFSTOPPED(mon->result.child_status))
                        relay_stop(mon);
                else
                        child_ended(mon, &ru);
        }
}

static bool on_signal(monitor_t *mon, monitor_source_t *s) {
        struct signalfd_siginfo si;

        /* Signals from the terminal reach the command directly only when it has the terminal. */
        if (read(s->fd, &si, sizeof si) == (ssize_t) sizeof si && si.ssi_signo != SIGCHLD && !mon->result.child_done &&
            init_should_forward(si.ssi_code, !mon->handed_terminal))
                kill(mon->child, (int) si.ssi_signo);
        reap_child(mon);
        return true;
}

/* One datagram of the setup channel, and the fd that came with it (-1 if none). */
static ssize_t recv_channel(int sock, sandbox_error_t *ret, int *ret_fd) {
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct iovec iov = { .iov_base = ret, .iov_len = sizeof *ret };
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
        };
        ssize_t n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

        *ret_fd = -1;
        for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL; c; c = CMSG_NXTHDR(&msg, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
        return n;
}

/* The seccomp listener the child passed up: the supervisor becomes a source. */
static void adopt_listener(monitor_t *mon, int fd) {
        sandbox_error_t e = { .stage = STAGE_PROCESS };

        if (!mon->attach_listener) {
                close(fd);
                return;
        }
        if (mon->attach_listener(mon, fd, &e) < 0)
                monitor_fail(mon, &e);
}

/* The child's setup channel: an error it sends, then EOF once it execs or exits. On the way, the
 * seccomp listener, if it installs one. */
static bool on_channel(monitor_t *mon, monitor_source_t *s) {
        sandbox_error_t msg;
        int fd;
        ssize_t n = recv_channel(s->fd, &msg, &fd);

        /* A child that exits without reading what we sent it resets the channel, and the kernel
         * reports that before the datagrams still queued: its error may be one of them. */
        if (n < 0 && errno == ECONNRESET)
                n = recv_channel(s->fd, &msg, &fd);

        if (fd >= 0) {
                if (n == 1 && ((const char *) &msg)[0] == NOTIFY_LISTENER_MSG)
                        adopt_listener(mon, fd);
                else
                        close(fd);
                return true;
        }
        if (n == (ssize_t) sizeof msg) {
                mon->result.error = msg;
                mon->result.have_error = true;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR))
                ;
        else
                return false;
        return true;
}

/* Pid 1 writes the command's wait statuses: its stops, then its end. */
static bool on_command_status(monitor_t *mon, monitor_source_t *s) {
        int status;

        if (read(s->fd, &status, sizeof status) != (ssize_t) sizeof status)
                return false;
        if (WIFSTOPPED(status)) {
                relay_stop(mon);
                return true;
        }
        mon->result.command_status = status;
        mon->result.have_status = true;
        return false;
}

static bool on_timeout(monitor_t *mon, monitor_source_t *s) {
        uint64_t ticks;

        if (read(s->fd, &ticks, sizeof ticks) != (ssize_t) sizeof ticks || mon->result.child_done)
                return true;
        if (!mon->result.timed_out) {
                unsigned long long grace = limits_timeout_grace_ms(mon->launch->plan);
                struct itimerspec its = { .it_value = { (time_t) (grace / 1000), (long) (grace % 1000) * 1000000 } };

                mon->result.timed_out = true;
                /* No grace: straight to SIGKILL below, no SIGTERM the command could act on. */
                if (grace) {
                        kill(mon->child, SIGTERM);
                        /* As GNU timeout does: a stopped command gets the signal too. */
                        kill(-mon->child, SIGCONT);
                        (void) timerfd_settime(s->fd, 0, &its, NULL);
                        return true;
                }
        }
        mon->result.timeout_killed = true;
        kill_sandbox(mon);
        return false;
}

void monitor_init(monitor_t *mon, launch_t *launch, pid_t child, int signal_fd, int timer_fd) {
        *mon = (monitor_t){ .launch = launch, .child = child };
        /* The wall time counts from here, just after the clone: the sandbox's setup inside is in it. */
        clock_gettime(CLOCK_MONOTONIC, &mon->started);
        mon->handed_terminal = launch->tty >= 0 && !launch->plan->new_session;
        mon->sources[mon->n_sources++] = (monitor_source_t){ "signals", signal_fd, on_signal, NULL, false, NULL };
        mon->sources[mon->n_sources++] = (monitor_source_t){
                "setup channel", TAKE_FD(launch->sock), on_channel, NULL, true, NULL
        };
        mon->sources[mon->n_sources++] = (monitor_source_t){
                "command status", TAKE_FD(launch->status_pipe), on_command_status, NULL, false, NULL
        };
        if (timer_fd >= 0)
                mon->sources[mon->n_sources++] = (monitor_source_t){
                        "timeout", timer_fd, on_timeout, NULL, false, NULL
                };
}

void monitor_fail(monitor_t *mon, const sandbox_error_t *e) {
        if (!mon->result.have_error) {
                mon->result.error = *e;
                mon->result.have_error = true;
        }
        if (!mon->result.child_done)
                kill_sandbox(mon);
}

int monitor_add_source(monitor_t *mon, const monitor_source_t *s, sandbox_error_t *e) {
        if (mon->n_sources == MONITOR_MAX_SOURCES)
                return error_msg(e, "%s: too many helpers for the monitor (at most %d sources)", s->name,
                                 MONITOR_MAX_SOURCES);
        mon->sources[mon->n_sources++] = *s;
        return 0;
}

static bool keeps_running(const monitor_t *mon) {
        if (!mon->result.child_done)
                return true;
        for (size_t i = 0; i < mon->n_sources; i++)
                if (mon->sources[i].drain && mon->sources[i].fd >= 0)
                        return true;
        return false;
}

/* One poll over the open sources; false when poll itself failed. */
static bool poll_once(monitor_t *mon) {
        struct pollfd fds[MONITOR_MAX_SOURCES];
        size_t n = mon->n_sources; /* a source may add another (the listener): next round */

        for (size_t i = 0; i < n; i++)
                fds[i] = (struct pollfd){ .fd = mon->sources[i].fd, .events = POLLIN };
        if (poll(fds, n, -1) < 0)
                return errno == EINTR;
        for (size_t i = 0; i < n; i++) {
                monitor_source_t *s = &mon->sources[i];
                if (fds[i].revents && s->fd >= 0 && !s->on_input(mon, s))
                        closep(&s->fd);
        }
        return true;
}

void monitor_run(monitor_t *mon) {
        /* Also after the command's status is known: pid 1 is ours to reap (leaving it to the
         * system's init costs a zombie where that init doesn't reap). */
        while (keeps_running(mon))
                if (!poll_once(mon))
                        break;
        while (!mon->result.child_done) {
                struct rusage ru;
                pid_t r = wait4(mon->child, &mon->result.child_status, 0, &ru);
                if (r >= 0 || errno != EINTR)
                        child_ended(mon, r > 0 ? &ru : NULL);
        }
        for (size_t i = mon->n_sources; i-- > 0;) {
                if (mon->sources[i].teardown)
                        mon->sources[i].teardown(mon, &mon->sources[i]);
                closep(&mon->sources[i].fd);
        }
        monitor_take_terminal_back(mon->launch, mon->child);
}

void monitor_pass_on_interrupt(const monitor_t *mon) {
        const monitor_result_t *r = &mon->result;
        int status = r->have_status ? r->command_status : r->child_status;
        sigset_t interrupt;

        if (!mon->handed_terminal || !WIFSIGNALED(status) || WTERMSIG(status) != SIGINT)
                return;
        signal(SIGINT, SIG_DFL);
        kill(0, SIGINT);
        sigemptyset(&interrupt);
        sigaddset(&interrupt, SIGINT);
        sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}
