/* SPDX-License-Identifier: MIT */
/* Writes a shell's completion file for the command from the one option table, at build time
 * (completions/meson.build runs it once per shell and name), so the completions list every
 * option the binary has and nothing else.
 *
 *     gen-completions [--bwrap] [--policy-dir DIR]... TEMPLATE NAME [POLICY_FILE...]
 *
 * TEMPLATE is bash.in, zsh.in or fish.in: the shell's code, with @NAME@ (the command), @ID@
 * (the command as a shell identifier) and a line @DATA@, where the data go: the options,
 * what each of their arguments is, and the words some arguments can be. The kind of an
 * argument comes from its metavar (SRC, DEST, PATH, FILE: files; DIR: directories; CAP: the
 * capability names this libcap knows; ...), so a new option completes without a change
 * here. --bwrap: only bubblewrap's options (the table's without OPT_EXTENSION), for the
 * command invoked as bwrap. POLICY_FILE: the shipped policies, completed by name after
 * --policy; --policy-dir: a directory whose *.policy files are added when completing, as the
 * user's own dir is. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "setup/desktop.h"
#include "setup/limits.h"
#include "setup/options.h"
#include "setup/util.h"

typedef enum {
        ARG_NONE,
        ARG_FILE,
        ARG_DIR,
        ARG_CAP,
        ARG_POLICY,
        ARG_VAR,
        ARG_LIMIT_KIND,
        ARG_RLIMIT,
        ARG_SOCKET,
        ARG_DEVICE,
        _ARG_MAX,
} arg_kind_t;

/* How the templates name the kinds. The ones with a word list (values[]) are completed
 * from it; the others by each template's own code. */
static const char *const kind_names[_ARG_MAX] = {
        [ARG_NONE] = "none",
        [ARG_FILE] = "file",
        [ARG_DIR] = "dir",
        [ARG_CAP] = "cap",
        [ARG_POLICY] = "policy",
        [ARG_VAR] = "var",
        [ARG_LIMIT_KIND] = "limit-kind",
        [ARG_RLIMIT] = "rlimit",
        [ARG_SOCKET] = "socket",
        [ARG_DEVICE] = "device",
};

static const struct {
        const char *metavar;
        arg_kind_t kind;
} metavar_kinds[] = {
        { "SRC", ARG_FILE },   { "DEST", ARG_FILE },       { "PATH", ARG_FILE },     { "FILE", ARG_FILE },
        { "RWSRC", ARG_FILE }, { "DIR", ARG_DIR },         { "WORKDIR", ARG_DIR },   { "CAP", ARG_CAP },
        { "VAR", ARG_VAR },    { "KIND", ARG_LIMIT_KIND }, { "SOCKET", ARG_SOCKET }, { "DEVICE", ARG_DEVICE },
};

/* The --limit kinds that take DEV RATE, one argument more (limits.c knows them only by name,
 * in limit_nargs(); checked against it below, so a rename fails the build). DEV is a device's
 * path or MAJOR:MINOR: completed as a file. */
static const char *const io_limit_kinds[] = { "io-read-bps", "io-write-bps" };

#define MAX_OPTIONS (2 * 64) /* options.c asserts that its table fits */
#define MAX_ARGS 4
#define MAX_WORDS 128

typedef struct {
        const option_def_t *o;
        unsigned nargs;
        arg_kind_t kinds[MAX_ARGS];
} comp_option_t;

typedef struct {
        const char *name, *id;
        comp_option_t options[MAX_OPTIONS];
        size_t n_options;
        const char *values[_ARG_MAX][MAX_WORDS];
        size_t n_values[_ARG_MAX];
        const char *policy_dirs[8];
        size_t n_policy_dirs;
} model_t;

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...) {
        va_list ap;

        fputs("gen-completions: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        exit(1);
}

static void add_value(model_t *m, arg_kind_t k, const char *word) {
        if (m->n_values[k] == MAX_WORDS)
                die("too many words for %s", kind_names[k]);
        m->values[k][m->n_values[k]++] = word;
}

static arg_kind_t metavar_kind(const option_def_t *o, const char *word) {
        if ((o->flags & OPT_LOADS) && o->data == OPT_INPUT_POLICY)
                return ARG_POLICY;
        if (strcmp(o->name, "rlimit") == 0 && strcmp(word, "NAME") == 0)
                return ARG_RLIMIT;
        for (size_t i = 0; i < ELEMENTSOF(metavar_kinds); i++)
                if (strcmp(word, metavar_kinds[i].metavar) == 0)
                        return metavar_kinds[i].kind;
        return ARG_NONE;
}

static void model_options(model_t *m, bool bwrap) {
        size_t n;
        const option_def_t *table = options_table(&n);

        for (size_t i = 0; i < n; i++) {
                const option_def_t *o = &table[i];
                comp_option_t *c = &m->options[m->n_options];
                char words[128], *save = NULL;
                unsigned k = 0;

                if (bwrap && (o->flags & OPT_EXTENSION))
                        continue;
                if (m->n_options == ELEMENTSOF(m->options))
                        die("more than %zu options", ELEMENTSOF(m->options));
                if (o->nargs >= MAX_ARGS)
                        die("--%s: too many arguments", o->name);
                /* One metavar word an argument: what lets a word say what its argument is. */
                snprintf(words, sizeof words, "%s", o->metavar ? o->metavar : "");
                for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save), k++)
                        if (k < o->nargs)
                                c->kinds[k] = metavar_kind(o, w);
                if (k != o->nargs)
                        die("--%s: the metavar has not one word per argument", o->name);
                c->o = o;
                c->nargs = o->nargs;
                m->n_options++;
        }
}

/* Capability names as capabilities(7) writes them, from this libcap (what --cap-add takes). */
static void model_caps(model_t *m) {
        for (cap_value_t v = 0; v <= CAP_LAST_CAP; v++) {
                char *name = cap_to_name(v), *upper;

                if (!name)
                        die("cap_to_name: %s", strerror(errno));
                upper = xstrdup(name);
                cap_free(name);
                /* An unknown number comes back as a number: not a name anyone can type. */
                if (strncmp(upper, "cap_", 4) != 0) {
                        free(upper);
                        continue;
                }
                for (char *c = upper; *c; c++)
                        *c = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
                add_value(m, ARG_CAP, upper);
        }
        add_value(m, ARG_CAP, "ALL");
}

static void model_limits(model_t *m) {
        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++)
                add_value(m, ARG_LIMIT_KIND, limit_kind_name(k));
        for (size_t i = 0; i < ELEMENTSOF(io_limit_kinds); i++) {
                if (limit_nargs(io_limit_kinds[i]) != 3)
                        die("--limit %s: limits.c no longer takes it with DEV RATE", io_limit_kinds[i]);
                add_value(m, ARG_LIMIT_KIND, io_limit_kinds[i]);
        }
        for (int r = 0; r < RLIM_NLIMITS; r++)
                if (strcmp(rlimit_name(r), "?") != 0)
                        add_value(m, ARG_RLIMIT, rlimit_name(r));
}

static void model_desktop(model_t *m) {
        for (size_t i = 0; desktop_word(false, i); i++)
                add_value(m, ARG_SOCKET, desktop_word(false, i));
        for (size_t i = 0; desktop_word(true, i); i++)
                add_value(m, ARG_DEVICE, desktop_word(true, i));
}

/* policies/build.policy -> build */
static void model_policy(model_t *m, const char *path) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t len = strlen(base);
        char *name;

        if (len <= strlen(".policy") || strcmp(base + len - strlen(".policy"), ".policy") != 0)
                die("%s: not a .policy file", path);
        name = xstrdup(base);
        name[len - strlen(".policy")] = '\0';
        add_value(m, ARG_POLICY, name);
}

/* The word lists are written only for the kinds some option has (not --limit's for bwrap). */
static void model_drop_unused_values(model_t *m) {
        bool used[_ARG_MAX] = { false };

        for (size_t i = 0; i < m->n_options; i++)
                for (unsigned k = 0; k < m->options[i].nargs; k++)
                        used[m->options[i].kinds[k]] = true;
        for (arg_kind_t k = 0; k < _ARG_MAX; k++)
                if (!used[k])
                        m->n_values[k] = 0;
}

/* The name goes unquoted into `complete` lines and file names: keep it plain. */
static char *make_id(const char *name) {
        char *id = xstrdup(name);

        if (!*name ||
            strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-") != strlen(name))
                die("'%s': a command name of letters, digits and ._+- only", name);
        for (char *c = id; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
                        *c = '_';
        return id;
}

/* 'text' for sh, bash and zsh */
static void put_sh_quoted(FILE *f, const char *s) {
        fputc('\'', f);
        for (; *s; s++)
                if (*s == '\'')
                        fputs("'\\''", f);
                else
                        fputc(*s, f);
        fputc('\'', f);
}

/* 'text' for fish, where \ and ' are escaped inside single quotes */
static void put_fish_quoted(FILE *f, const char *s) {
        fputc('\'', f);
        for (; *s; s++) {
                if (*s == '\'' || *s == '\\')
                        fputc('\\', f);
                fputc(*s, f);
        }
        fputc('\'', f);
}

static void put_words(FILE *f, const char *const *words, size_t n, const char *sep) {
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s%s", i ? sep : "", words[i]);
}

static void kinds_string(const comp_option_t *c, char *buf, size_t size) {
        size_t len = 0;

        buf[0] = '\0';
        for (unsigned k = 0; k < c->nargs && len < size; k++)
                len += (size_t) snprintf(buf + len, size - len, "%s%s", k ? " " : "", kind_names[c->kinds[k]]);
}

/* What the arguments of the OPT_IO_ARITY option are after an io kind: the kind, DEV, RATE. */
static void io_kinds_string(const comp_option_t *c, char *buf, size_t size) {
        snprintf(buf, size, "%s %s %s", kind_names[c->kinds[0]], kind_names[ARG_FILE],
                 kind_names[c->kinds[c->nargs - 1]]);
}

/* The options after option I whose arguments are the same kinds, for one case arm each kind
 * string (the one with OPT_IO_ARITY alone: its arm also looks at its first argument). Marks
 * them in DONE; returns how many it put in RET. */
static size_t option_group(const model_t *m, size_t i, bool done[], size_t ret[]) {
        char kinds[64], other[64];
        size_t n = 0;

        kinds_string(&m->options[i], kinds, sizeof kinds);
        ret[n++] = i;
        done[i] = true;
        for (size_t j = i + 1; j < m->n_options && !(m->options[i].o->flags & OPT_IO_ARITY); j++) {
                kinds_string(&m->options[j], other, sizeof other);
                if (!done[j] && !(m->options[j].o->flags & OPT_IO_ARITY) && strcmp(kinds, other) == 0) {
                        ret[n++] = j;
                        done[j] = true;
                }
        }
        return n;
}

static void put_policy_data(FILE *f, const model_t *m, const char *prefix, bool fish) {
        fprintf(f, fish ? "set -g %s_policy_dirs" : "%s_policy_dirs=(", prefix);
        for (size_t i = 0; i < m->n_policy_dirs; i++) {
                fputs(fish || i ? " " : "", f);
                (fish ? put_fish_quoted : put_sh_quoted)(f, m->policy_dirs[i]);
        }
        fputs(fish ? "\n" : ")\n", f);
}

/* bash and zsh: __ID_args and __ID_values as case statements (zsh wants the patterns in
 * parentheses and | without blanks in [[ == ]]). */
static void data_sh(FILE *f, const model_t *m, const char *prefix, bool zsh) {
        bool done[MAX_OPTIONS] = { false };
        size_t group[MAX_OPTIONS];

        fprintf(f, "# OPTION [ITS FIRST ARGUMENT]: what each argument of OPTION is, in REPLY; 1 if it is\n");
        fprintf(f, "# not one of ours\n%s_args() {\n\tcase $1 in\n", prefix);
        for (size_t i = 0; i < m->n_options; i++) {
                char kinds[64];
                size_t n;

                if (done[i])
                        continue;
                n = option_group(m, i, done, group);
                kinds_string(&m->options[i], kinds, sizeof kinds);
                fputs(zsh ? "\t(" : "\t", f);
                for (size_t j = 0; j < n; j++)
                        fprintf(f, "%s--%s", j ? (zsh ? "|" : " | ") : "", m->options[group[j]].o->name);
                fprintf(f, ") REPLY='%s'", kinds);
                if (m->options[i].o->flags & OPT_IO_ARITY) {
                        io_kinds_string(&m->options[i], kinds, sizeof kinds);
                        fputs(zsh ? "\n\t\t[[ ${2-} == (" : "\n\t\tcase ${2-} in ", f);
                        put_words(f, io_limit_kinds, ELEMENTSOF(io_limit_kinds), zsh ? "|" : " | ");
                        fprintf(f, zsh ? ") ]] && REPLY='%s'" : ") REPLY='%s' ;; esac", kinds);
                }
                fputs(" ;;\n", f);
        }
        fprintf(f, "\t%s) return 1 ;;\n\tesac\n\treturn 0\n}\n\n", zsh ? "(*" : "*");
        fprintf(f, "# KIND: the words an argument of that kind can be, in REPLY\n");
        fprintf(f, "%s_values() {\n\tREPLY=\n\tcase $1 in\n", prefix);
        for (arg_kind_t k = 0; k < _ARG_MAX; k++) {
                if (!m->n_values[k])
                        continue;
                fprintf(f, "\t%s%s) REPLY='", zsh ? "(" : "", kind_names[k]);
                put_words(f, m->values[k], m->n_values[k], " ");
                fputs("' ;;\n", f);
        }
        fputs("\tesac\n}\n\n", f);
        put_policy_data(f, m, prefix, false);
}

static void data_bash(FILE *f, const model_t *m) {
        _cleanup_free_ char *prefix = xasprintf("__%s", m->id);

        fprintf(f, "%s_options='", prefix);
        for (size_t i = 0; i < m->n_options; i++)
                fprintf(f, "%s--%s", i ? " " : "", m->options[i].o->name);
        fputs("'\n\n", f);
        data_sh(f, m, prefix, false);
}

static void data_zsh(FILE *f, const model_t *m) {
        _cleanup_free_ char *prefix = xasprintf("_%s", m->id);

        /* _describe's form: the match, a colon, the description */
        fprintf(f, "%s_opts=(\n", prefix);
        for (size_t i = 0; i < m->n_options; i++) {
                const option_def_t *o = m->options[i].o;
                char *spec = xasprintf("--%s:%s%s%s", o->name, o->metavar ? o->metavar : "", o->metavar ? ": " : "",
                                       o->help);

                fputc('\t', f);
                put_sh_quoted(f, spec);
                fputc('\n', f);
                free(spec);
        }
        fputs(")\n\n", f);
        data_sh(f, m, prefix, true);
}

static void data_fish(FILE *f, const model_t *m) {
        bool done[MAX_OPTIONS] = { false };
        size_t group[MAX_OPTIONS];
        _cleanup_free_ char *prefix = xasprintf("__%s", m->id);

        fprintf(f, "# OPTION [ITS FIRST ARGUMENT]: what each argument of OPTION is, on one line; 1 if it\n");
        fprintf(f, "# is not one of ours\nfunction __%s_args\n\tswitch $argv[1]\n", m->id);
        for (size_t i = 0; i < m->n_options; i++) {
                const comp_option_t *c = &m->options[i];
                char kinds[64];
                size_t n;

                if (done[i])
                        continue;
                n = option_group(m, i, done, group);
                fputs("\t\tcase", f);
                for (size_t j = 0; j < n; j++)
                        fprintf(f, " --%s", m->options[group[j]].o->name);
                if (c->o->flags & OPT_IO_ARITY) {
                        io_kinds_string(c, kinds, sizeof kinds);
                        fputs("\n\t\t\tif contains -- \"$argv[2]\" ", f);
                        put_words(f, io_limit_kinds, ELEMENTSOF(io_limit_kinds), " ");
                        fprintf(f, "\n\t\t\t\techo '%s'\n\t\t\t\treturn\n\t\t\tend", kinds);
                }
                kinds_string(c, kinds, sizeof kinds);
                fprintf(f, "\n\t\t\techo '%s'\n", kinds);
        }
        fputs("\t\tcase '*'\n\t\t\treturn 1\n\tend\nend\n\n", f);
        fprintf(f, "set -g __%s_policy_names", m->id);
        for (size_t i = 0; i < m->n_values[ARG_POLICY]; i++)
                fprintf(f, " %s", m->values[ARG_POLICY][i]);
        fputc('\n', f);
        put_policy_data(f, m, prefix, true);
        fputc('\n', f);
        for (size_t i = 0; i < m->n_options; i++) {
                fprintf(f, "complete -c %s -n '__%s_want option' -l %s -d ", m->name, m->id, m->options[i].o->name);
                put_fish_quoted(f, m->options[i].o->help);
                fputc('\n', f);
        }
        for (arg_kind_t k = 0; k < _ARG_MAX; k++) {
                if (!m->n_values[k] || k == ARG_POLICY)
                        continue;
                fprintf(f, "complete -c %s -n '__%s_want %s' -xa '", m->name, m->id, kind_names[k]);
                put_words(f, m->values[k], m->n_values[k], " ");
                fputs("'\n", f);
        }
}

/* The template with @NAME@ and @ID@ replaced and the data in place of the line @DATA@. */
static void expand(FILE *out, FILE *in, const model_t *m, void (*data)(FILE *, const model_t *)) {
        char *line = NULL;
        size_t size = 0;

        while (getline(&line, &size, in) > 0) {
                if (strcmp(line, "@DATA@\n") == 0) {
                        data(out, m);
                        continue;
                }
                for (const char *s = line; *s;) {
                        if (strncmp(s, "@NAME@", 6) == 0) {
                                fputs(m->name, out);
                                s += 6;
                        } else if (strncmp(s, "@ID@", 4) == 0) {
                                fputs(m->id, out);
                                s += 4;
                        } else
                                fputc(*s++, out);
                }
        }
        free(line);
}

int main(int argc, char **argv) {
        static const struct option longopts[] = {
                { "bwrap", no_argument, NULL, 'b' },
                { "policy-dir", required_argument, NULL, 'd' },
                {},
        };
        static const struct {
                const char *template;
                void (*data)(FILE *, const model_t *);
        } shells[] = {
                { "bash.in", data_bash },
                { "zsh.in", data_zsh },
                { "fish.in", data_fish },
        };
        static model_t m;
        bool bwrap = false;
        const char *base;
        FILE *template;
        int c;

        while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
                switch (c) {
                case 'b':
                        bwrap = true;
                        break;
                case 'd':
                        if (m.n_policy_dirs == ELEMENTSOF(m.policy_dirs))
                                die("too many %s", "--policy-dir");
                        m.policy_dirs[m.n_policy_dirs++] = optarg;
                        break;
                default:
                        return 2;
                }
        if (argc - optind < 2) {
                fputs("usage: gen-completions [--bwrap] [--policy-dir DIR]... TEMPLATE NAME [POLICY_FILE...]\n",
                      stderr);
                return 2;
        }
        m.name = argv[optind + 1];
        m.id = make_id(m.name);
        model_options(&m, bwrap);
        model_caps(&m);
        model_limits(&m);
        model_desktop(&m);
        for (int i = optind + 2; i < argc; i++)
                model_policy(&m, argv[i]);
        model_drop_unused_values(&m);

        base = strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1 : argv[optind];
        for (size_t i = 0; i < ELEMENTSOF(shells); i++) {
                if (strcmp(base, shells[i].template) != 0)
                        continue;
                if (!(template = fopen(argv[optind], "re")))
                        die("%s: cannot open", argv[optind]);
                expand(stdout, template, &m, shells[i].data);
                fclose(template);
                if (fflush(stdout) != 0 || ferror(stdout))
                        die("writing: %s", strerror(errno));
                return 0;
        }
        die("%s: not bash.in, zsh.in or fish.in", argv[optind]);
}
