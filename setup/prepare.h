/* SPDX-License-Identifier: MIT */
/* Everything checked and compiled before the first namespace exists: what can fail fails here,
 * while nothing has happened yet. */
#pragma once

#include "launch.h"

/* SELinux labels asked for where SELinux is off (an error as `sandbox`; ignored as bubblewrap
 * does under the name bwrap), hard rlimits only root could raise, writable binds --refuse-bind
 * refuses. Then what the parent makes for the child: --etc-minimal's files (memfds) and USER,
 * and --env-keep turned into --setenv ops after each --clearenv. */
int prepare_check(sandbox_plan_t *p, sandbox_error_t *e);
/* The compiled rules and the precompiled programs of --seccomp/--add-seccomp-fd, in the order to
 * install them (libseccomp's filter last, since it may deny seccomp() itself); --export-bpf. */
int prepare_seccomp(launch_t *launch, sandbox_error_t *e);
/* The sandbox's cgroup with its limits, where they ask for one (launch->cgroup_used then). --limit
 * fails without one; --stats makes do; --limit-try falls back: pids to RLIMIT_NPROC (which since
 * Linux 5.14 counts per user namespace), the others named on stderr, once, as not applied. */
int prepare_cgroup(launch_t *launch, sandbox_error_t *e);
/* Desktop confinement (desktop.c): the app's directories and runtime directory, its sockets and
 * helpers, as mount and environment operations appended to the plan, so that the checks after
 * it (--refuse-bind, --env-keep) see them too. */
int prepare_desktop(launch_t *launch, sandbox_error_t *e);
