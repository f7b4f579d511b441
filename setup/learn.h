/* SPDX-License-Identifier: MIT */
/* Learn mode (--learn FILE): the command runs under the options' sandbox with a filter that
 * notifies every syscall; the supervisor (notify.c) hands each notification here, where the
 * syscall and the paths it names are counted and the call let through. When the sandbox ends,
 * FILE gets a policy that allows what was used and nothing else (learn-policy.c writes it). */
#pragma once

#include "util.h"

struct launch;
struct option_def;
struct sandbox_plan;

/* --learn FILE. */
int learn_option(struct sandbox_plan *p, const struct option_def *o, char **args, sandbox_error_t *e);
/* Before anything runs: --learn with what it can't combine with, and FILE's directory
 * writable by us. Nothing to do without --learn. */
int learn_check(const struct sandbox_plan *p, sandbox_error_t *e);
/* Once the filters are compiled: the learning filter joins launch->seccomp as the one with the
 * listener, and the supervisor hands its notifications here. Nothing to do without --learn. */
int learn_prepare(struct launch *launch, sandbox_error_t *e);
/* After the sandbox has ended: whether FILE was written (the error says why not). 0 without
 * --learn. */
int learn_finish(sandbox_error_t *e);
