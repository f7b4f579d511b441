/* SPDX-License-Identifier: MIT */
/* The parent's event loop while the sandbox runs: one poll over named sources (signals, the
 * child's setup channel, the command's status, the timeout, and the helpers that live as long
 * as the sandbox). A helper is started and ready before the child execs; then it is added here
 * as a source, and its teardown runs when the sandbox ends, whatever ended it, so no helper
 * outlives the sandbox. */
#pragma once

#include <time.h>

#include "launch.h"
#include "status.h"

#define MONITOR_MAX_SOURCES 16

typedef struct monitor monitor_t;
typedef struct monitor_source monitor_source_t;

struct monitor_source {
        const char *name; /* for messages */
        int fd;           /* polled for input; owned by the source */
        /* The fd is readable or hung up. Returns false when the source is done (its fd is then
         * closed and it is polled no more). */
        bool (*on_input)(monitor_t *mon, monitor_source_t *s);
        /* When the sandbox has ended, every source's, in the reverse order of adding: a helper
         * kills and reaps its process here. May be NULL. */
        void (*teardown)(monitor_t *mon, monitor_source_t *s);
        /* The loop goes on, after the child is reaped, until this source is done (the setup
         * channel: the child's last error may still be in it). */
        bool drain;
        void *userdata;
};

typedef struct monitor_result {
        bool have_error, have_status, child_done;
        bool timed_out, timeout_killed;
        sandbox_error_t error;
        int command_status;   /* from pid 1, when there is one */
        int child_status;     /* the clone's own wait status */
        status_usage_t usage; /* what the clone used, and the wall time, once it is reaped */
} monitor_result_t;

struct monitor {
        launch_t *launch;
        pid_t child;
        monitor_source_t sources[MONITOR_MAX_SOURCES];
        size_t n_sources;
        monitor_result_t result;
        bool handed_terminal;    /* the sandbox's process group is the terminal's foreground */
        struct timespec started; /* CLOCK_MONOTONIC at monitor_init(), for the wall time */
        /* The seccomp listener arrived over the setup channel (notify_attach), which owns fd from
         * then on; NULL: it is closed. */
        int (*attach_listener)(monitor_t *mon, int fd, sandbox_error_t *e);
};

/* Signals are blocked before the clone so that none is lost before the loop reads them; the
 * returned signalfd is what monitor_init() takes. */
int monitor_block_signals(sandbox_error_t *e);
/* --timeout: a timerfd, or -1 without one. */
int monitor_arm_timeout(const sandbox_plan_t *p, sandbox_error_t *e);
/* Adopts the fds: the signalfd, the timerfd (or -1), and launch->sock and launch->status_pipe. */
void monitor_init(monitor_t *mon, launch_t *launch, pid_t child, int signal_fd, int timer_fd);
int monitor_add_source(monitor_t *mon, const monitor_source_t *s, sandbox_error_t *e);
/* A source found the sandbox can't go on (a helper died): the error is reported as the
 * launch's, and the whole sandbox is killed. */
void monitor_fail(monitor_t *mon, const sandbox_error_t *e);
/* Runs until the child is reaped and the drained sources are done, then tears every source
 * down and takes the terminal back. */
void monitor_run(monitor_t *mon);

/* Ctrl-C on a terminal the sandbox had reached only the sandbox's group, and killed the command:
 * the caller's group gets it too, as it would have without the hand-over, so that a script
 * around us stops as well. We die of it (after everything else is done). */
void monitor_pass_on_interrupt(const monitor_t *mon);
/* The caller's terminal when the sandbox should get it: our stdin is one and we are its
 * foreground job. -1 otherwise. */
int monitor_find_terminal(void);
/* Gives the terminal back to our own process group if the sandbox (pgid `child`) still has it
 * or left it to nobody. */
void monitor_take_terminal_back(const launch_t *launch, pid_t child);
