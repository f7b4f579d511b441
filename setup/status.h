/* SPDX-License-Identifier: MIT */
/* --info-fd and --json-status-fd, with the keys bubblewrap writes; the messages and --stats
 * figures at the end. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "cgroup.h"
#include "plan.h"
#include "util.h"

/* {"child-pid": N, "<ns>-namespace": inode, ...}; `pretty` is bubblewrap's --info-fd layout,
 * otherwise one line as in --json-status-fd. */
int status_write_info(int fd, pid_t child, unsigned namespaces, bool pretty, sandbox_error_t *e);
/* What the sandbox used, as the monitor measured it, for --stats where there is no cgroup. */
typedef struct status_usage {
        /* wait4()'s, of the sandbox's first process (our pid 1, or the command itself): it and
         * every descendant it reaped, and theirs (sandbox(1), STATISTICS, says what that covers). */
        struct rusage rusage;
        uint64_t wall_usec; /* CLOCK_MONOTONIC, from just after the clone to the first process reaped */
        bool have_rusage;
} status_usage_t;

/* {"exit-code": N}, with the cgroup's figures when there was one (report may be NULL) and with
 * --stats the wall time and rusage ones (usage may be NULL). */
int status_write_exit(int fd, int exit_code, const cgroup_report_t *report, const status_usage_t *usage,
                      sandbox_error_t *e);

/* What the cgroup saw, as messages: an OOM kill (returns true: the exit status is then 137) and
 * pids.max hits. First takes the sandbox's own pid 1 off the OOM kills when the OOM killer took
 * it with the rest (first_status: the wait status of the sandbox's first process): it is ours,
 * not the command's. */
bool status_report_limits(const sandbox_plan_t *p, cgroup_report_t *r, int wstatus, int first_status);
/* --timeout expired: whether SIGTERM was enough or the grace period ran out. */
void status_report_timeout(const sandbox_plan_t *p, bool killed);
/* --stats: one block on stderr, a figure a line (sandbox(1), STATISTICS): the cgroup's figures
 * where there was one (r, else NULL), wait4()'s for the others. */
void status_report_stats(const sandbox_plan_t *p, const cgroup_report_t *r, const status_usage_t *u);
/* Our pid 1 was killed by a signal other than SIGKILL before the command's end was known. */
void status_report_init_killed(int sig);
/* A kill rule ended the command: name the syscalls such rules cover, as far as they can be told
 * apart (the kernel doesn't say which call it was without the audit log). */
void status_report_sigsys(const sandbox_plan_t *p);
