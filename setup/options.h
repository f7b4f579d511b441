/* SPDX-License-Identifier: MIT */
/* The one table of options. The command line, policy files, --help and --print-policy all
 * walk it, so a directive and its option can never differ. options.c holds the table and the
 * handlers that fill the plan; it reads nothing. What loads other input (--args, --policy and
 * include, --syscall-import) is marked OPT_LOADS and done by cmdline.c, which also implements
 * options_parse() below. */
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
        OPT_GROUP_SECCOMP,
        OPT_GROUP_LIMITS,
        OPT_GROUP_DESKTOP,
        _OPT_GROUP_MAX,
} option_group_t;

typedef enum {
        OPT_MODIFIER = 1 << 0,      /* changes the next operation (--perms, --size, --overlay-src) */
        OPT_EXTENSION = 1 << 1,     /* not in bubblewrap */
        OPT_CLI_ONLY = 1 << 2,      /* an action on the command line, not something a policy can say */
        OPT_REST = 1 << 3,          /* in a policy, the one argument is the rest of the line */
        OPT_IO_ARITY = 1 << 4,      /* --limit: the io-*-bps kinds take one argument more (limit_nargs) */
        OPT_LOADS = 1 << 5,         /* reads other input, named by data (option_input_t); no handler */
        OPT_STOPS_PARSING = 1 << 6, /* --help, --version: nothing after it matters */
        OPT_LAST_WINS = 1 << 7,     /* one value; repeated on the command line, the last counts (warned) */
        OPT_STATE_ONLY = 1 << 8,    /* --print-policy writes it once, first, from the plan (no-default-policy) */
} option_flags_t;

/* What an OPT_LOADS option reads, in its data field. */
typedef enum {
        OPT_INPUT_NONE,
        OPT_INPUT_ARGS_FD, /* --args FD: NUL-separated arguments, spliced where it stands */
        OPT_INPUT_POLICY,  /* --policy, and include in a policy file */
        OPT_INPUT_PROFILE, /* --syscall-import: an OCI/Docker seccomp profile */
} option_input_t;

struct option_def {
        const char *name; /* without the leading dashes */
        unsigned nargs;
        const char *metavar; /* "SRC DEST" */
        option_handler_t handler;
        unsigned data; /* handler-specific: flags, namespace bits, mount type; option_input_t */
        option_group_t group;
        unsigned flags;
        const char *help;
};

/* What the parser may read: --args fds, policy files, variables. sandbox.c passes the real
 * thing; the unit tests and fuzzers pass stubs. Any member may be NULL (then it is an error
 * to need it). */
typedef struct options_io {
        int (*read_fd)(int fd, char **ret, size_t *ret_size);
        int (*read_file)(const char *path, char **ret, size_t *ret_size);
        const char *(*getenv)(const char *name);
        unsigned long uid, gid;               /* for ${UID} and ${GID} */
        const char *cwd;                      /* for ${PWD} */
        const char *kernel;                   /* "major.minor" of the running kernel, for profiles' minKernel */
        const char *system_dirs[3];           /* searched after the including file's dir and the user's */
        char *(*canonical)(const char *path); /* malloc'd realpath, for include cycles; NULL: compare as written */
} options_io_t;

const option_def_t *options_table(size_t *ret_n);
const option_def_t *options_find(const char *name);
/* As options_find(), and also a directive's other name in policy files (include: policy). */
const option_def_t *options_find_directive(const char *word);
/* How many arguments the option takes when its first one is FIRST (NULL: not known yet). */
unsigned options_nargs(const option_def_t *o, const char *first);

/* The whole command line (argv[0] is not part of args) into the plan, with what it loads.
 * Pure: no syscalls except through io, never exits. Implemented by cmdline.c. */
int options_parse(sandbox_plan_t *p, int argc, char **argv, const options_io_t *io, sandbox_error_t *e);
/* One option or directive with its arguments, as the command line or a policy file gives it.
 * An OPT_LOADS one is only recorded (for --print-policy): its loading is the caller's. */
int options_apply(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
/* Writes the directives that built the plan, one per line, so that loading them again as a
 * policy gives the same plan. */
void options_print_policy(FILE *f, const sandbox_plan_t *p);
/* Cross-option rules that need the whole command line (and the caller's uid). */
int options_validate(sandbox_plan_t *p, uid_t real_uid, sandbox_error_t *e);
/* Every fd named on the command line must be open: checked before anything happens. */
int options_check_fds(const sandbox_plan_t *p, sandbox_error_t *e);
/* The host paths the mount ops will open (non -try bind sources, overlay layers) exist, as the
 * launch would find them: --check-policy's check, with the op's origin (file:line) in the error. */
int options_check_sources(const sandbox_plan_t *p, sandbox_error_t *e);

/* As `sandbox` (not bwrap_mode), list_policies (NULL: none) lists the shipped policies, and
 * examples follow. */
void options_help(FILE *f, const char *argv0, bool bwrap_mode, void (*list_policies)(FILE *f));
