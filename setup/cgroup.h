/* SPDX-License-Identifier: MIT */
/* A cgroup v2 subtree for one sandbox: found (a delegated cgroup, or a scope from the user's
 * systemd), made, limited, watched and removed. Layout, under the delegated cgroup D:
 *
 *   D/sandbox-caller     the processes that were in D (D can't have both processes and
 *                        children with controllers: the no-internal-process rule)
 *   D/sandbox-PID        this sandbox (PID: the monitor's); the limits are written here
 *   D/sandbox-PID/cmd    the command, and the root of its cgroup namespace, so that the
 *                        limits are outside what it can see or write
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "util.h"

typedef struct cgroup {
        char *base;     /* the delegated cgroup, an absolute path under the cgroup2 mount */
        char *path;     /* base/sandbox-PID */
        int dir_fd;     /* path */
        int leaf_fd;    /* path/cmd: for CLONE_INTO_CGROUP */
        bool oom_group; /* memory.oom.group is set: an OOM kill takes the whole sandbox */
} cgroup_t;

#define CGROUP_NULL ((cgroup_t){ .dir_fd = -1, .leaf_fd = -1 })

typedef struct cgroup_report {
        /* Processes the OOM killer ended in the sandbox's cgroup and below (memory.events
         * oom_kill), each counted once: the kernel counts the victim of a group kill twice (as
         * the victim, then again in the sweep of its group), so the group kills are taken off.
         * The sandbox's own pid 1 is still in it: see status_report_limits(). */
        uint64_t oom_kills;
        bool oom_group_killed; /* the OOM killer ended the sandbox's whole cgroup (memory.oom.group) */
        uint64_t pids_max_events;
        uint64_t memory_peak, pids_peak; /* 0: the kernel doesn't say */
        uint64_t usage_usec, user_usec, system_usec, nr_throttled;
        bool have_memory, have_pids_peak, have_cpu_max;
        bool have_oom, have_pids_events; /* memory.events, pids.events: their controllers are there */
} cgroup_report_t;

/* Resolves the io limits' device paths to MAJ:MIN (block devices only), before anything is made. */
int cgroup_check_devices(sandbox_plan_t *p, sandbox_error_t *e);
/* Finds or obtains a delegated cgroup, makes the sandbox's with the plan's limits written.
 * Nothing is left behind on failure. */
int cgroup_setup(const sandbox_plan_t *p, cgroup_t *cg, sandbox_error_t *e);
/* Where the kernel can't clone into the cgroup: moves PID into the command's cgroup. */
int cgroup_enter(const cgroup_t *cg, pid_t pid, sandbox_error_t *e);
/* Kills everything in the sandbox's cgroup. */
void cgroup_kill(const cgroup_t *cg);
/* Once the command has ended: kills what is left, reads the events and figures, removes
 * the cgroups. */
void cgroup_finish(cgroup_t *cg, cgroup_report_t *r);
