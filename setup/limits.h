/* SPDX-License-Identifier: MIT */
/* The resource-limit directives (limit, rlimit, timeout, cgroup-manager): their values parsed
 * into the plan. Pure, like the rest of the parser; cgroup.c and sandbox.c apply them.
 * options.c calls these from its table; nothing here knows the table. */
#pragma once

#include <stdbool.h>

#include "plan.h"
#include "util.h"

/* `limit KIND VALUE` (or `limit io-read-bps DEV RATE`): args are the directive's arguments. */
int limits_parse_limit(sandbox_plan_t *p, char **args, sandbox_error_t *e);
/* `rlimit NAME SOFT[:HARD]` */
int limits_parse_rlimit(sandbox_plan_t *p, char **args, sandbox_error_t *e);
int limits_parse_timeout(sandbox_plan_t *p, const char *seconds, sandbox_error_t *e);
int limits_parse_cgroup_manager(sandbox_plan_t *p, const char *manager, sandbox_error_t *e);

/* `limit io-read-bps DEV RATE` takes one argument more than the other kinds. */
unsigned limit_nargs(const char *kind);

/* The directive's kind name ("memory", "pids", ...), and the rlimit's name ("nofile"). */
const char *limit_kind_name(limit_kind_t k);
const char *rlimit_name(int resource);

/* True when the plan needs a cgroup: a cgroup limit, or --stats. */
bool limits_need_cgroup(const sandbox_plan_t *p);
