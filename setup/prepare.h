/* SPDX-License-Identifier: MIT */
/* Everything checked and compiled before the first namespace exists: what can fail fails here,
 * while nothing has happened yet. */
#pragma once

#include "launch.h"

/* SELinux labels asked for where SELinux is off (an error as `sandbox`; ignored as bubblewrap
 * does under the name bwrap), and hard rlimits only root could raise. */
int prepare_check(sandbox_plan_t *p, sandbox_error_t *e);
/* The compiled rules and the precompiled programs of --seccomp/--add-seccomp-fd, in the order to
 * install them (libseccomp's filter last, since it may deny seccomp() itself); --export-bpf. */
int prepare_seccomp(launch_t *launch, sandbox_error_t *e);
