/* SPDX-License-Identifier: MIT */
/* The parse context: one for the command line and everything it loads. argv, --args fds,
 * policy files and their include, and syscall-import profiles are read here, through the io
 * callbacks only, into one plan; each option or directive is then the table's (options.c).
 * options_parse() and policy_load() are its entry points. */
#pragma once

#include "options.h"
#include "plan.h"
#include "util.h"

/* The policy files being read, innermost first: for cycles, and for "file:line: ... (included
 * from a:3, from b:1)". How deep they nest is the plan's policy_depth. */
typedef struct cmdline_source {
        const char *path;
        const char *id; /* the canonical path (io's realpath), or the path as found: for cycles */
        unsigned line;
        const struct cmdline_source *up;
} cmdline_source_t;

typedef struct cmdline {
        sandbox_plan_t *plan;
        const options_io_t *io;
        sandbox_error_t *error;
        const cmdline_source_t *source; /* where the words come from: NULL for the command line */
        int args_end;                   /* argv up to here came from an --args fd: no --args in it */
} cmdline_t;

void cmdline_init(cmdline_t *cmd, sandbox_plan_t *p, const options_io_t *io, sandbox_error_t *e);
/* Options, then the command (argv[0] is not part of args). */
int cmdline_parse_args(cmdline_t *cmd, int argc, char **argv);
/* The policy NAME or PATH, `from` the including file (NULL on the command line), `origin` the
 * directive or option that asked for it, as errors name it ("include", "policy"). */
int cmdline_load_policy(cmdline_t *cmd, const char *name, const char *from, const char *origin);
