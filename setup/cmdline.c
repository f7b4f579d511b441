/* SPDX-License-Identifier: MIT */
#include "cmdline.h"
#include "oci-seccomp.h"
#include "policy.h"
#include "seccomp-embedded.h"
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
        sandbox_plan_t *p = cmd->plan;
        const char *outer_path = p->where_path;
        unsigned outer_line = p->where_line;
        char **words = NULL;
        unsigned *cols = NULL, error_col = 0;
        size_t n = 0;
        int r = policy_split_line(line, cmd->io, &words, &cols, &n, &error_col, cmd->error);

        if (r < 0)
                return locate_error(cmd, error_col);
        /* Mount ops remember the line, for errors at launch (plan_add_mount). */
        p->where_path = cmd->source->path;
        p->where_line = cmd->source->line;
        if (n > 0)
                r = apply_directive(cmd, words, cols, n);
        p->where_path = outer_path;
        p->where_line = outer_line;
        for (size_t i = 0; i < n; i++)
                keep_buffer(cmd, words[i]); /* the plan points into them */
        free(words);
        free(cols);
        return r;
}

/* The lines of PATH's text, each applied where it stands. */
static int apply_policy_text(cmdline_t *cmd, const char *path, const char *id, char *text) {
        cmdline_source_t source = { .path = path, .id = id, .up = cmd->source };
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

/* The default policy, by its name: recorded as one `include default` for --print-policy (its
 * directives marked as its own), and never applied again by sandbox.c. */
static int apply_default_policy(cmdline_t *cmd, const char *path, const char *id, char *text) {
        sandbox_plan_t *p = cmd->plan;
        int r = options_apply(p, options_find("policy"), (char *[]){ (char *) "default", NULL }, cmd->error);

        if (r < 0)
                return r;
        p->default_included = true;
        /* Its rules wait as text only if they are the ones the embedded filter was made from. */
        if (p->default_defer && !seccomp_embedded_matches(text))
                p->default_defer = false;
        p->default_depth++;
        r = apply_policy_text(cmd, path, id, text);
        p->default_depth--;
        return r;
}

int cmdline_load_policy(cmdline_t *cmd, const char *name, const char *from, const char *origin) {
        _cleanup_free_ char *text = NULL;
        char *path = NULL, *id = NULL;
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
        /* By the file itself, not its name: `include ./self.policy` or a symlink is the same file.
         * A built-in policy has no file (a directory named "(built in)" here is not it). */
        id = cmd->io->canonical && !policy_is_builtin(path) ? cmd->io->canonical(path) : NULL;
        keep_buffer(cmd, id = id ? id : xstrdup(path));
        for (const cmdline_source_t *up = cmd->source; up; up = up->up)
                if (strcmp(up->id, id) == 0)
                        return error_in_file(cmd, 1, 0, "%s %s: %s includes itself", origin, name, path);
        if (strcmp(name, "default") == 0)
                return apply_default_policy(cmd, path, id, text);
        return apply_policy_text(cmd, path, id, text);
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
        if (at < cmd->args_end) {
                r = error_msg(cmd->error, "--args can't be used inside the arguments read by --args");
                error_bwrap(cmd->error, "--args not supported in arguments file");
                return r;
        }
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

/* The option closest to a misspelt one (all of them, actions included), or a directive's other
 * name (--include: --policy). */
static const char *suggest_option(const char *arg) {
        const char *bare = arg + strspn(arg, "-");
        const option_def_t *alias = options_find_directive(bare), *table;
        suggestion_t s = SUGGESTION_INIT;
        size_t n;

        if (alias)
                return alias->name;
        table = options_table(&n);
        for (size_t i = 0; i < n; i++)
                suggestion_consider(&s, bare, table[i].name);
        return s.best;
}

static int find_option(const cmdline_t *cmd, const char *arg, const option_def_t **ret) {
        const option_def_t *o = strncmp(arg, "--", 2) == 0 ? options_find(arg + 2) : NULL;
        sandbox_error_t *e = cmd->error;
        const char *close;
        int r;

        /* bubblewrap has no short options: -h is unknown to it, and stays so under its name. */
        if (!o && !cmd->plan->bwrap_mode && strcmp(arg, "-h") == 0)
                o = options_find("help");
        if (!o) {
                if (strchr(arg, '=') && strncmp(arg, "--", 2) == 0)
                        r = error_msg(e,
                                      "unknown option '%s' (write option arguments as separate words: "
                                      "'--opt value')",
                                      arg);
                else if ((close = suggest_option(arg)))
                        r = error_msg(e, "unknown option '%s' (did you mean '--%s'?)", arg, close);
                else
                        r = error_msg(e, "unknown option '%s' (see --help)", arg);
                error_bwrap(e, "Unknown option %s", arg);
                return r;
        }
        *ret = o;
        return 0;
}

/* The argument words that are paths (or a policy's name), by the option's metavar. */
static bool metavar_is_path(const char *word, size_t len) {
        static const char *const paths[] = { "SRC", "DEST", "DIR", "PATH", "RWSRC", "WORKDIR", "FILE", "NAME|PATH" };

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if (strlen(paths[i]) == len && strncmp(paths[i], word, len) == 0)
                        return true;
        return false;
}

/* As `sandbox`: `--bind /tmp -- true` would bind /tmp on /-- and run true; a path argument that is
 * "--" or looks like an option means one was left out. bubblewrap takes them as paths, and so
 * does the name bwrap. TAKEN: the option and its words up to ARG; WHAT: ARG's metavar. */
static int missing_path(const cmdline_t *cmd, const option_def_t *o, const char *taken, const char *what,
                        size_t what_len, const char *arg) {
        bool end = strcmp(arg, "--") == 0, option = strncmp(arg, "--", 2) == 0 && options_find(arg + 2);
        int r = error_msg(cmd->error, "%s: missing argument: %.*s can't be '%s', %s", taken, (int) what_len, what, arg,
                          end      ? "which ends the options"
                          : option ? "an option"
                                   : "which looks like an option");

        if (end || option)
                error_hint(cmd->error, "--%s takes %s%s", o->name, o->metavar,
                           end ? ": give them all before '--'" : "");
        else
                error_hint(cmd->error, "a path that starts with '-' can be written as ./%s", arg);
        return r;
}

static int check_path_args(const cmdline_t *cmd, const option_def_t *o, unsigned nargs, char **args) {
        const char *m = o->metavar;
        char taken[512];
        size_t n;

        if (cmd->plan->bwrap_mode || !m)
                return 0;
        n = (size_t) snprintf(taken, sizeof taken, "--%s", o->name);
        for (unsigned i = 0; i < nargs && *m; i++) {
                size_t len = strcspn(m, " ");

                if (n < sizeof taken)
                        n += (size_t) snprintf(taken + n, sizeof taken - n, " %s", args[i]);
                if (args[i][0] == '-' && metavar_is_path(m, len))
                        return missing_path(cmd, o, taken, m, len, args[i]);
                m += len + strspn(m + len, " ");
        }
        return 0;
}

/* How many of the n_rest words after the option are its arguments. */
static int option_arity(const option_def_t *o, int n_rest, char **rest, sandbox_error_t *e) {
        unsigned nargs = options_nargs(o, n_rest > 0 ? rest[0] : NULL);

        static const char *const count[] = { "", "an argument", "two arguments", "three arguments" };
        int r;

        if (n_rest >= (int) nargs)
                return (int) nargs;
        r = nargs > o->nargs ? error_msg(e, "--%s %s: missing argument (needs %u)", o->name, rest[0], nargs - 1)
                             : error_msg(e, "--%s: missing argument (needs %s)", o->name, o->metavar);
        if (nargs < ELEMENTSOF(count))
                error_bwrap(e, "--%s takes %s", o->name, count[nargs]);
        return r;
}

/* After the options: the modifiers must have found their operation, and the command follows. */
static int take_command(cmdline_t *cmd, int argc, char **argv) {
        sandbox_plan_t *p = cmd->plan;

        if (p->pending_mode >= 0 || p->pending_size || p->n_pending_layers) {
                int r = error_msg(cmd->error, "%s is not followed by the operation it modifies",
                                  p->pending_mode >= 0 ? "--perms"
                                  : p->pending_size    ? "--size"
                                                       : "--overlay-src");
                error_bwrap(cmd->error, "%s",
                            p->pending_mode >= 0 ? PLAN_BWRAP_PERMS_ALONE
                            : p->pending_size    ? PLAN_BWRAP_SIZE_ALONE
                                                 : PLAN_BWRAP_LAYERS_ALONE);
                return r;
        }
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

                if ((r = find_option(cmd, argv[i], &o)) < 0)
                        return r;
                if ((nargs = option_arity(o, argc - i - 1, argv + i + 1, cmd->error)) < 0)
                        return nargs;
                if ((r = check_path_args(cmd, o, (unsigned) nargs, argv + i + 1)) < 0)
                        return r;
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
