/* SPDX-License-Identifier: MIT */
/* The resource-limit directives (limit, rlimit, timeout, cgroup-manager): their values parsed
 * into the plan. Pure, like the rest of the parser; cgroup.c and sandbox.c apply them. */
#pragma once

#include "options.h"

int h_limit(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int h_rlimit(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int h_timeout(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int h_cgroup_manager(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);

/* `limit io-read-bps DEV RATE` takes one argument more than the other kinds. */
unsigned limit_nargs(const char *kind);

/* The directive's kind name ("memory", "pids", ...), and the rlimit's name ("nofile"). */
const char *limit_kind_name(limit_kind_t k);
const char *rlimit_name(int resource);

/* True when the plan needs a cgroup: a cgroup limit, or --stats. */
bool limits_need_cgroup(const sandbox_plan_t *p);
