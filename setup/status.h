/* SPDX-License-Identifier: MIT */
/* --info-fd and --json-status-fd, with the keys bubblewrap writes. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "plan.h"
#include "util.h"

/* {"child-pid": N, "<ns>-namespace": inode, ...}; `pretty` is bubblewrap's --info-fd layout,
 * otherwise one line as in --json-status-fd. */
int status_write_info(int fd, pid_t child, unsigned namespaces, bool pretty, sandbox_error_t *e);
/* {"exit-code": N}, with the cgroup's figures when there was one (report may be NULL). */
int status_write_exit(int fd, int exit_code, const cgroup_report_t *report, sandbox_error_t *e);

/* What the cgroup saw, as messages: an OOM kill (returns true: the exit status is then 137),
 * pids.max hits, and with --stats the figures. */
bool status_report_limits(const sandbox_plan_t *p, const cgroup_report_t *r, int wstatus);
/* A kill rule ended the command: name the syscalls such rules cover, as far as they can be told
 * apart (the kernel doesn't say which call it was without the audit log). */
void status_report_sigsys(const sandbox_plan_t *p);
