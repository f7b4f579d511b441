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
/* `timeout DURATION` (0: none) and `timeout-grace DURATION`, in the syntax of values.h. */
int limits_parse_timeout(sandbox_plan_t *p, const char *duration, sandbox_error_t *e);
int limits_parse_timeout_grace(sandbox_plan_t *p, const char *duration, sandbox_error_t *e);
int limits_parse_cgroup_manager(sandbox_plan_t *p, const char *manager, sandbox_error_t *e);

/* `limit io-read-bps DEV RATE` takes one argument more than the other kinds. */
unsigned limit_nargs(const char *kind);

/* The directive's kind name ("memory", "pids", ...), and the rlimit's name ("nofile"). */
const char *limit_kind_name(limit_kind_t k);
const char *rlimit_name(int resource);

/* --timeout: SIGTERM to the command (through pid 1), then SIGKILL to all of it after the grace
 * period, this long unless --timeout-grace says otherwise (0: SIGKILL at once, no SIGTERM). */
#define LIMITS_TIMEOUT_GRACE_DEFAULT_MS 10000ULL
unsigned long long limits_timeout_grace_ms(const sandbox_plan_t *p);

/* True when the plan needs a cgroup: a cgroup limit, or --stats with a --cgroup-manager other
 * than auto. Without one the launch fails. */
bool limits_need_cgroup(const sandbox_plan_t *p);
/* True when it should have one: a limit, or --stats, whose figures fall back to wait4()'s
 * without one. */
bool limits_want_cgroup(const sandbox_plan_t *p);
