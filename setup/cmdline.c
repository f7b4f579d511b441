/* SPDX-License-Identifier: MIT */
#include "cmdline.h"
#include "oci-seccomp.h"
#include "policy.h"
#include "values.h"

#include <string.h>

#define POLICY_MAX_DEPTH 16

void cmdline_init(cmdline_t *cmd, sandbox_plan_t *p, const options_io_t *io, sandbox_error_t *e) {
        *cmd = (cmdline_t){ .plan = p, .io = io, .error = e };
}

static void keep_buffer(cmdline_t *cmd, char *buffer) {
        APPEND(cmd->plan->owned, cmd->plan->n_owned, buffer);
}

/* "file:line:col: message (included from a:3, from b:1)"; err as for error_errno(), or 0. */
static int error_in_file(const cmdline_t *cmd, unsigned col, int err, const char *fmt, ...) _printf_(4, 5);
static int error_in_file(const cmdline_t *cmd, unsigned col, int err, const char *fmt, ...) {
        char msg[512], where[256] = "";
        size_t n = 0;
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        for (const cmdline_source_t *up = cmd->source->up; up && n < sizeof where - 1; up = up->up)
                n += (size_t) snprintf(where + n, sizeof where - n, "%s%s:%u", n ? ", from " : " (included from ",
                                       up->path, up->line);
        if (n && n < sizeof where - 1)
                strcat(where, ")");
        if (err)
                return error_errno(cmd->error, err, "%s:%u:%u: %s%s", cmd->source->path, cmd->source->line, col, msg,
                                   where);
        return error_msg(cmd->error, "%s:%u:%u: %s%s", cmd->source->path, cmd->source->line, col, msg, where);
}

/* The message already in the error (a handler's, the line splitter's), located at COL. */
static int locate_error(const cmdline_t *cmd, unsigned col) {
        sandbox_error_t inner = *cmd->error;
        return error_in_file(cmd, col, inner.err, "%s", inner.msg);
}

/* syscall-import: the profile's rules, then the directive itself for --print-policy. */
static int import_profile(cmdline_t *cmd, const option_def_t *o, const char *path) {
        const options_io_t *io = cmd->io;
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        if (!io || !io->read_file)
                return error_msg(cmd->error, "--%s %s: reading files is not possible here", o->name, path);
        if ((r = io->read_file(path, &data, &size)) < 0)
                return error_errno(cmd->error, r, "--%s %s", o->name, path);
        if (memchr(data, 0, size))
                return error_msg(cmd->error, "--%s %s: not a JSON file (it holds a NUL byte)", o->name, path);
        if ((r = oci_seccomp_import(cmd->plan, path, data, size, io->kernel ? io->kernel : "0.0", cmd->error)) < 0)
                return r;
        return options_apply(cmd->plan, o, (char *[]){ (char *) path, NULL }, cmd->error);
}

/* ---- policy files ---- */

/* What a directive marked OPT_LOADS asks for, from a policy file. */
static int load_from_policy(cmdline_t *cmd, const option_def_t *o, char **words, const unsigned *cols) {
        char *path;

        switch ((option_input_t) o->data) {
        case OPT_INPUT_POLICY:
                return cmdline_load_policy(cmd, words[1], cmd->source->path, words[0]);
        case OPT_INPUT_PROFILE:
                /* A relative profile path is taken from the policy's directory. */
                path = policy_relative_path(cmd->source->path, words[1]);
                keep_buffer(cmd, path);
                return import_profile(cmd, o, path) < 0 ? locate_error(cmd, cols[1]) : 0;
        default:
                /* The others are command-line only, refused by policy_directive(). */
                return error_in_file(cmd, cols[0], 0, "'%s' can't be used in a policy file", words[0]);
        }
}

static int apply_directive(cmdline_t *cmd, char **words, const unsigned *cols, size_t n) {
        const option_def_t *o;
        char *joined;

        if (policy_directive(words, n, &o, cmd->error) < 0)
                return locate_error(cmd, cols[0]);
        if (o->flags & OPT_LOADS)
                return load_from_policy(cmd, o, words, cols);
        if (o->flags & OPT_REST) {
                joined = policy_rest_of_line(words, n);
                keep_buffer(cmd, joined);
                if (options_apply(cmd->plan, o, (char *[]){ joined, NULL }, cmd->error) < 0)
                        return locate_error(cmd, cols[1]);
                return 0;
        }
        /* The option's own message, located: "file:line:col: --uid: 'x' is not ..." */
        if (options_apply(cmd->plan, o, words + 1, cmd->error) < 0)
                return locate_error(cmd, cols[0]);
        return 0;
}

static int apply_line(cmdline_t *cmd, const char *line) {
        char **words = NULL;
        unsigned *cols = NULL, error_col = 0;
        size_t n = 0;
        int r = policy_split_line(line, cmd->io, &words, &cols, &n, &error_col, cmd->error);

        if (r < 0)
                return locate_error(cmd, error_col);
        if (n > 0)
                r = apply_directive(cmd, words, cols, n);
        for (size_t i = 0; i < n; i++)
                keep_buffer(cmd, words[i]); /* the plan points into them */
        free(words);
        free(cols);
        return r;
}

/* The lines of PATH's text, each applied where it stands. */
static int apply_policy_text(cmdline_t *cmd, const char *path, char *text) {
        cmdline_source_t source = { .path = path, .up = cmd->source };
        const cmdline_source_t *outer = cmd->source;
        int r = 0;

        cmd->source = &source;
        cmd->plan->policy_depth++;
        for (char *s = text, *next; r >= 0 && s && *s; s = next) {
                next = strchr(s, '\n');
                if (next)
                        *next++ = 0;
                source.line++;
                r = apply_line(cmd, s);
        }
        cmd->plan->policy_depth--;
        cmd->source = outer;
        return r;
}

int cmdline_load_policy(cmdline_t *cmd, const char *name, const char *from, const char *origin) {
        _cleanup_free_ char *text = NULL;
        char *path = NULL;
        size_t size = 0;
        int r;

        if (!cmd->io || !cmd->io->read_file)
                return error_msg(cmd->error, "--policy %s: reading policy files is not possible here", name);
        if (cmd->plan->policy_depth >= POLICY_MAX_DEPTH)
                return error_in_file(cmd, 1, 0, "%s %s: policies nested more than %d deep", origin, name,
                                     POLICY_MAX_DEPTH);
        r = policy_find(name, from, cmd->io, &path, &text, &size, cmd->error);
        if (r < 0) {
                if (!cmd->source)
                        return error_errno(cmd->error, r, "--%s %s", origin, name);
                return error_in_file(cmd, 1, -r, "%s %s", origin, name);
        }
        keep_buffer(cmd, path);
        if (memchr(text, 0, size))
                return error_msg(cmd->error, "%s: not a policy file (it holds a NUL byte)", path);
        for (const cmdline_source_t *up = cmd->source; up; up = up->up)
                if (strcmp(up->path, path) == 0)
                        return error_in_file(cmd, 1, 0, "%s %s: %s includes itself", origin, name, path);
        return apply_policy_text(cmd, path, text);
}

int policy_load(sandbox_plan_t *p, const char *name, const char *from, const options_io_t *io, sandbox_error_t *e) {
        cmdline_t cmd;

        cmdline_init(&cmd, p, io, e);
        return cmdline_load_policy(&cmd, name, from, "policy");
}

/* ---- the command line ---- */

/* --args FD at argv[at]: the NUL-separated arguments read from FD take the place of the two
 * words, so they are parsed next, and may end with the command. */
static int splice_args(cmdline_t *cmd, const option_def_t *o, int at, int *argc, char ***argv) {
        sandbox_plan_t *p = cmd->plan;
        _cleanup_free_ char *data = NULL;
        char **spliced;
        size_t size, n = 0;
        int fd, r;

        if ((r = values_fd(o->name, (*argv)[at + 1], &fd, cmd->error)) < 0)
                return r;
        if (!cmd->io || !cmd->io->read_fd)
                return error_msg(cmd->error, "--args: reading arguments is not possible here");
        /* As in bubblewrap: several --args on the command line apply in turn, but the arguments
         * read from one can't hold another. */
        if (at < cmd->args_end)
                return error_msg(cmd->error, "--args can't be used inside the arguments read by --args");
        if ((r = cmd->io->read_fd(fd, &data, &size)) < 0)
                return error_errno(cmd->error, r, "--args: reading fd %d", fd);
        APPEND(p->args_fds, p->n_args_fds, fd);
        for (size_t i = 0; i < size; i++)
                if (data[i] == 0)
                        n++;
        if (size > 0 && data[size - 1] != 0)
                n++; /* the last argument needs no terminator */

        /* argv = before + spliced + after; the old vector may itself be ours from a previous splice. */
        spliced = xrealloc_array(NULL, *argc - 2 + n + 1, sizeof(char *));
        memcpy(spliced, *argv, at * sizeof(char *));
        for (size_t i = 0, k = at; i < size; k++) {
                spliced[k] = data + i;
                i += strlen(data + i) + 1;
        }
        memcpy(spliced + at + n, *argv + at + 2, (*argc - at - 2) * sizeof(char *));
        spliced[*argc - 2 + n] = NULL;
        *argc = (int) (*argc - 2 + n);
        *argv = spliced;
        cmd->args_end = at + (int) n;
        keep_buffer(cmd, TAKE_PTR(data));
        keep_buffer(cmd, (char *) spliced);
        return 0;
}

/* What an option marked OPT_LOADS asks for, on the command line: how many words it took. */
static int load_from_cmdline(cmdline_t *cmd, const option_def_t *o, int at, int *argc, char ***argv) {
        const char *arg = (*argv)[at + 1];
        int r;

        switch ((option_input_t) o->data) {
        case OPT_INPUT_ARGS_FD:
                /* None: the spliced arguments are parsed next, where --args stood. */
                return splice_args(cmd, o, at, argc, argv);
        case OPT_INPUT_POLICY:
                cmd->plan->policy_given = true;
                r = cmdline_load_policy(cmd, arg, NULL, o->name);
                break;
        case OPT_INPUT_PROFILE:
                r = import_profile(cmd, o, arg);
                break;
        default:
                return error_msg(cmd->error, "--%s: nothing to load", o->name);
        }
        return r < 0 ? r : 1 + (int) o->nargs;
}

static int find_option(const char *arg, const option_def_t **ret, sandbox_error_t *e) {
        const option_def_t *o = strncmp(arg, "--", 2) == 0 ? options_find(arg + 2) : NULL;

        if (!o) {
                if (strchr(arg, '=') && strncmp(arg, "--", 2) == 0)
                        return error_msg(e,
                                         "unknown option '%s' (write option arguments as separate words: "
                                         "'--opt value')",
                                         arg);
                return error_msg(e, "unknown option '%s' (see --help)", arg);
        }
        *ret = o;
        return 0;
}

/* How many of the n_rest words after the option are its arguments. */
static int option_arity(const option_def_t *o, int n_rest, char **rest, sandbox_error_t *e) {
        unsigned nargs = options_nargs(o, n_rest > 0 ? rest[0] : NULL);

        if (n_rest < (int) nargs)
                return nargs > o->nargs
                               ? error_msg(e, "--%s %s: missing argument (needs %u)", o->name, rest[0], nargs - 1)
                               : error_msg(e, "--%s: missing argument (needs %s)", o->name, o->metavar);
        return (int) nargs;
}

/* After the options: the modifiers must have found their operation, and the command follows. */
static int take_command(cmdline_t *cmd, int argc, char **argv) {
        sandbox_plan_t *p = cmd->plan;

        if (p->pending_mode >= 0 || p->pending_size || p->n_pending_layers)
                return error_msg(cmd->error, "%s is not followed by the operation it modifies",
                                 p->pending_mode >= 0 ? "--perms"
                                 : p->pending_size    ? "--size"
                                                      : "--overlay-src");
        if (p->action == ACTION_CHECK_POLICY)
                return cmdline_load_policy(cmd, p->check_policy, NULL, "policy");
        if (argc <= 0) {
                if (p->action == ACTION_PRINT_POLICY || p->action == ACTION_EXPORT_PFC)
                        return 0; /* a policy has no command */
                return error_msg(cmd->error, "no command given (usage: %s [OPTIONS...] [--] COMMAND [ARGS...])",
                                 log_program);
        }
        p->argc = (size_t) argc;
        p->argv = xrealloc_array(NULL, p->argc + 1, sizeof(char *));
        memcpy(p->argv, argv, p->argc * sizeof(char *));
        p->argv[p->argc] = NULL;
        return 0;
}

int cmdline_parse_args(cmdline_t *cmd, int argc, char **argv) {
        int i = 0, r;

        while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
                const option_def_t *o = NULL;
                int nargs;

                if ((r = find_option(argv[i], &o, cmd->error)) < 0)
                        return r;
                if ((nargs = option_arity(o, argc - i - 1, argv + i + 1, cmd->error)) < 0)
                        return nargs;
                if (o->flags & OPT_STOPS_PARSING)
                        return options_apply(cmd->plan, o, argv + i + 1, cmd->error);
                if (o->flags & OPT_LOADS)
                        r = load_from_cmdline(cmd, o, i, &argc, &argv);
                else if ((r = options_apply(cmd->plan, o, argv + i + 1, cmd->error)) >= 0)
                        r = 1 + nargs;
                if (r < 0)
                        return r;
                i += r;
        }
        if (i < argc && strcmp(argv[i], "--") == 0)
                i++;
        return take_command(cmd, argc - i, argv + i);
}

int options_parse(sandbox_plan_t *p, int argc, char **argv, const options_io_t *io, sandbox_error_t *e) {
        cmdline_t cmd;

        cmdline_init(&cmd, p, io, e);
        return cmdline_parse_args(&cmd, argc, argv);
}
