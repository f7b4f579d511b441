/* SPDX-License-Identifier: MIT */
/* The one table of options. The command line uses it now; policy files, --help and
 * --print-policy walk the same table, so a directive and its option can never differ. */
#pragma once

#include <stdio.h>
#include <sys/types.h>

#include "plan.h"
#include "util.h"

typedef struct option_def option_def_t;
typedef int (*option_handler_t)(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);

typedef enum {
        OPT_GROUP_GENERAL,
        OPT_GROUP_NAMESPACES,
        OPT_GROUP_PROCESS,
        OPT_GROUP_FILESYSTEM,
        _OPT_GROUP_MAX,
} option_group_t;

typedef enum {
        OPT_MODIFIER = 1 << 0,  /* changes the next operation (--perms, --size, --overlay-src) */
        OPT_EXTENSION = 1 << 1, /* not in bubblewrap */
} option_flags_t;

struct option_def {
        const char *name;       /* without the leading dashes */
        unsigned nargs;
        const char *metavar;    /* "SRC DEST" */
        option_handler_t handler;
        unsigned data;          /* handler-specific: flags, namespace bits, mount type */
        option_group_t group;
        unsigned flags;
        const char *help;
};

/* Reads the data of --args FD; sandbox.c passes read_all, the fuzzers a stub. */
typedef int (*options_read_fd_t)(int fd, char **ret, size_t *ret_size);

const option_def_t *options_table(size_t *ret_n);
const option_def_t *options_find(const char *name);

/* Pure: no syscalls except through read_fd, never exits. argv[0] is not part of args. */
int options_parse(sandbox_plan_t *p, int argc, char **argv, options_read_fd_t read_fd, sandbox_error_t *e);
/* Cross-option rules that need the whole command line (and the caller's uid). */
int options_validate(sandbox_plan_t *p, uid_t real_uid, sandbox_error_t *e);
/* Every fd named on the command line must be open: checked before anything happens. */
int options_check_fds(const sandbox_plan_t *p, sandbox_error_t *e);

void options_help(FILE *f, const char *program);
