/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include "config.h"

#include <string.h>

#define POLICY_MAX_DEPTH 16
#define POLICY_MAX_SIZE (1024 * 1024)

/* The files being loaded, innermost first: for cycles and for "included from". */
typedef struct chain {
        const char *path;
        unsigned line;
        const struct chain *up;
} chain_t;

typedef struct ctx {
        sandbox_plan_t *plan;
        const options_io_t *io;
        sandbox_error_t *e;
        const chain_t *chain;
} ctx_t;

static int load(ctx_t *c, const char *name, const char *from, const char *origin);

static void owned(sandbox_plan_t *p, char *s) {
        p->owned = xrealloc_array(p->owned, p->n_owned + 1, sizeof(char *));
        p->owned[p->n_owned++] = s;
}

/* "file:line:col: message (included from a:3, from b:1)" */
static int fail(ctx_t *c, unsigned col, int err, const char *fmt, ...) _printf_(4, 5);
static int fail(ctx_t *c, unsigned col, int err, const char *fmt, ...) {
        char msg[512], where[256] = "";
        size_t n = 0;
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        for (const chain_t *up = c->chain->up; up && n < sizeof where - 1; up = up->up)
                n += (size_t) snprintf(where + n, sizeof where - n, "%s%s:%u", n ? ", from " : " (included from ",
                                       up->path, up->line);
        if (n && n < sizeof where - 1)
                strcat(where, ")");
        if (err)
                return error_errno(c->e, err, "%s:%u:%u: %s%s", c->chain->path, c->chain->line, col, msg, where);
        return error_msg(c->e, "%s:%u:%u: %s%s", c->chain->path, c->chain->line, col, msg, where);
}

const char *policy_suggest(const char *word) {
        size_t n;
        const option_def_t *t = options_table(&n);
        const char *best = NULL;
        unsigned best_d = 3;

        for (size_t i = 0; i < n; i++) {
                unsigned d = edit_distance(word, t[i].name);
                if (!(t[i].flags & OPT_CLI_ONLY) && d < best_d) {
                        best_d = d;
                        best = t[i].name;
                }
        }
        return best;
}

/* ---- words ---- */

static int expand_var(ctx_t *c, const char *name, unsigned col, char **out, size_t *len, size_t *alloc) {
        static const char *const known = "HOME, PWD, UID, GID, XDG_RUNTIME_DIR or ENV:NAME";
        char num[32];
        const char *value = NULL;

        if (strcmp(name, "UID") == 0 || strcmp(name, "GID") == 0) {
                snprintf(num, sizeof num, "%lu", name[0] == 'U' ? c->io->uid : c->io->gid);
                value = num;
        } else if (strcmp(name, "PWD") == 0)
                value = c->io->cwd;
        else if (strcmp(name, "HOME") == 0 || strcmp(name, "XDG_RUNTIME_DIR") == 0 || strncmp(name, "ENV:", 4) == 0) {
                const char *var = strncmp(name, "ENV:", 4) == 0 ? name + 4 : name;
                if (!*var)
                        return fail(c, col, 0, "${ENV:} names no variable");
                value = c->io->getenv ? c->io->getenv(var) : NULL;
        } else
                return fail(c, col, 0, "unknown variable ${%s} (known: %s)", name, known);
        if (!value)
                return fail(c, col, 0, "${%s} is not set (an unset variable is an error, not an empty string)", name);
        {
                size_t vl = strlen(value);
                if (*len + vl + 1 > *alloc) {
                        *alloc = (*len + vl + 1) * 2;
                        *out = xrealloc_array(*out, *alloc, 1);
                }
                memcpy(*out + *len, value, vl);
                *len += vl;
        }
        return 0;
}

/* At "${NAME}" in line: appends the value to the word and moves *s past the '}'. */
static int take_var(ctx_t *c, const char *line, const char **s, char **w, size_t *len, size_t *alloc) {
        const char *end = strchr(*s, '}');
        char name[128];
        int r;

        if (!end || (size_t) (end - *s - 2) >= sizeof name)
                return fail(c, (unsigned) (*s - line) + 1, 0, "unterminated ${ in a variable");
        memcpy(name, *s + 2, (size_t) (end - *s - 2));
        name[end - *s - 2] = 0;
        if ((r = expand_var(c, name, (unsigned) (*s - line) + 1, w, len, alloc)) < 0)
                return r;
        *s = end + 1;
        return 0;
}

static void put(char **w, size_t *len, size_t *alloc, char ch) {
        if (*len + 2 > *alloc)
                *w = xrealloc_array(*w, *alloc *= 2, 1);
        (*w)[(*len)++] = ch;
}

/* One word starting at *s; *s ends on the blank (or end of line) after it. */
static int take_word(ctx_t *c, const char *line, const char **s, char **ret) {
        size_t len = 0, alloc = 32;
        char *w = xmalloc0(alloc);
        int r;

        while (**s && **s != ' ' && **s != '\t' && **s != '\r') {
                if (**s == '"' || **s == '\'') {
                        char quote = *(*s)++;
                        unsigned col = (unsigned) (*s - line);

                        while (**s && **s != quote) {
                                if (quote == '"' && (*s)[0] == '$' && (*s)[1] == '{') {
                                        if ((r = take_var(c, line, s, &w, &len, &alloc)) < 0)
                                                goto fail;
                                        continue;
                                }
                                if (quote == '"' && **s == '\\' && (*s)[1] && strchr("\"\\$", (*s)[1]))
                                        (*s)++;
                                put(&w, &len, &alloc, *(*s)++);
                        }
                        if (!**s) {
                                r = fail(c, col, 0, "unterminated %c quote", quote);
                                goto fail;
                        }
                        (*s)++;
                } else if ((*s)[0] == '$' && (*s)[1] == '{') {
                        if ((r = take_var(c, line, s, &w, &len, &alloc)) < 0)
                                goto fail;
                } else {
                        if (**s == '\\' && (*s)[1])
                                (*s)++;
                        put(&w, &len, &alloc, *(*s)++);
                }
        }
        w[len] = 0;
        *ret = w;
        return 0;
fail:
        free(w);
        return r;
}

/* Splits one line into words: blanks separate, "..." (with \" \\ \$ and ${VAR}) and '...'
 * (literal) quote, ${VAR} expands outside quotes too, '#' starting a word ends the line. */
static int split_line(ctx_t *c, const char *line, char ***ret_words, unsigned **ret_cols, size_t *ret_n) {
        char **words = NULL;
        unsigned *cols = NULL;
        size_t n = 0;
        const char *s = line;

        for (;;) {
                char *w = NULL;
                unsigned col;
                int r;

                while (*s == ' ' || *s == '\t' || *s == '\r')
                        s++;
                if (!*s || *s == '#')
                        break;
                col = (unsigned) (s - line) + 1;
                if ((r = take_word(c, line, &s, &w)) < 0) {
                        for (size_t i = 0; i < n; i++)
                                free(words[i]);
                        free(words);
                        free(cols);
                        return r;
                }
                words = xrealloc_array(words, n + 1, sizeof(char *));
                cols = xrealloc_array(cols, n + 1, sizeof(unsigned));
                words[n] = w;
                cols[n++] = col;
        }
        *ret_words = words;
        *ret_cols = cols;
        *ret_n = n;
        return 0;
}

/* ---- finding files ---- */

static const struct { const char *name, *text; } builtin[] = {
        { "default", SANDBOX_POLICY_DEFAULT },
        { "build", SANDBOX_POLICY_BUILD },
        { "shell", SANDBOX_POLICY_SHELL },
        { "test", SANDBOX_POLICY_TEST },
};

#define BUILTIN_DIR "(built in)"

static char *dir_of(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash)
                return xstrdup(".");
        if (slash == path)
                return xstrdup("/");
        return xasprintf("%.*s", (int) (slash - path), path);
}

/* A name is searched for; a path (with a '/') is taken from the including file's directory
 * (or the current one on the command line). */
static int find(ctx_t *c, const char *name, const char *from, char **ret_path, char **ret_data, size_t *ret_size,
                sandbox_error_t *e) {
        const char *dirs[8];
        _cleanup_free_ char *from_dir = NULL, *user_dir = NULL, *tried = xstrdup("");
        size_t n = 0;
        int r;

        /* A built-in policy has no directory: what it includes is never looked for relative to
         * the current one, where a command given a writable cwd could plant it. */
        if (from && strncmp(from, BUILTIN_DIR "/", strlen(BUILTIN_DIR "/")) == 0)
                from = NULL;
        from_dir = from ? dir_of(from) : NULL;
        if (strchr(name, '/')) {
                char *path = name[0] == '/' || !from ? xstrdup(name) : xasprintf("%s/%s", from_dir, name);
                r = c->io && c->io->read_file ? c->io->read_file(path, ret_data, ret_size) : -ENOSYS;
                if (r < 0) {
                        free(path);
                        return r;
                }
                *ret_path = path;
                return 0;
        }
        if (from_dir)
                dirs[n++] = from_dir;
        if (c->io && c->io->getenv) {
                const char *xdg = c->io->getenv("XDG_CONFIG_HOME"), *home = c->io->getenv("HOME");
                if (xdg && *xdg)
                        user_dir = xasprintf("%s/sandbox/policies", xdg);
                else if (home && *home)
                        user_dir = xasprintf("%s/.config/sandbox/policies", home);
                if (user_dir)
                        dirs[n++] = user_dir;
        }
        for (size_t i = 0; c->io && i < ELEMENTSOF(c->io->system_dirs) && c->io->system_dirs[i]; i++)
                dirs[n++] = c->io->system_dirs[i];
        for (size_t i = 0; i < n; i++) {
                char *t;

                /* "build" is build.policy; a name that already has the suffix is taken as is. */
                for (int plain = 0; plain < 2; plain++) {
                        char *path = xasprintf("%s/%s%s", dirs[i], name, plain ? "" : ".policy");

                        r = c->io->read_file ? c->io->read_file(path, ret_data, ret_size) : -ENOSYS;
                        if (r >= 0) {
                                *ret_path = path;
                                return 0;
                        }
                        free(path);
                        /* A directory we can't enter has nothing for us; an unreadable file does. */
                        if (r == -EACCES && !plain)
                                continue;
                        if (r != -ENOENT && r != -ENOTDIR && r != -EACCES)
                                return r;
                }
                t = xasprintf("%s%s%s", tried, *tried ? ", " : "", dirs[i]);
                free(tried);
                tried = t;
        }
        /* Last, the policies built into the binary. */
        for (size_t i = 0; i < ELEMENTSOF(builtin); i++)
                if (strcmp(name, builtin[i].name) == 0) {
                        *ret_data = xstrdup(builtin[i].text);
                        *ret_size = strlen(*ret_data);
                        *ret_path = xasprintf(BUILTIN_DIR "/%s.policy", name);
                        return 0;
                }
        error_hint(e, "searched %s", *tried ? tried : "nowhere (no search directories)");
        return -ENOENT;
}

/* ---- lines ---- */

static int directive(ctx_t *c, char **words, const unsigned *cols, size_t n) {
        const option_def_t *o;
        const char *suggestion, *metavar;
        unsigned nargs;
        int r;

        if (strcmp(words[0], "include") == 0 || strcmp(words[0], "policy") == 0) {
                if (n != 2)
                        return fail(c, cols[0], 0, "'%s' takes one argument (NAME or PATH), got %zu", words[0], n - 1);
                return load(c, words[1], c->chain->path, words[0]);
        }
        if (strcmp(words[0], "syscall-import") == 0 && n == 2) {
                /* A relative profile path is taken from the policy's directory. */
                _cleanup_free_ char *dir = dir_of(c->chain->path);
                char *path = words[1][0] == '/' ? xstrdup(words[1]) : xasprintf("%s/%s", dir, words[1]);
                owned(c->plan, path);
                r = options_import_profile(c->plan, path, c->io, c->e);
                if (r < 0) {
                        sandbox_error_t inner = *c->e;
                        return fail(c, cols[1], inner.err, "%s", inner.msg);
                }
                return 0;
        }
        o = options_find(words[0]);
        if (!o || (o->flags & OPT_CLI_ONLY)) {
                if (o)
                        return fail(c, cols[0], 0, "'%s' is a command-line action, not a directive", words[0]);
                if (words[0][0] == '-') {
                        const char *bare = words[0] + strspn(words[0], "-");
                        const option_def_t *b = options_find(bare);
                        if (b && !(b->flags & OPT_CLI_ONLY))
                                return fail(c, cols[0], 0, "unknown directive '%s' (directives are written without "
                                            "dashes: '%s')", words[0], bare);
                }
                suggestion = policy_suggest(words[0]);
                if (suggestion)
                        return fail(c, cols[0], 0, "unknown directive '%s' (did you mean '%s'?)", words[0], suggestion);
                return fail(c, cols[0], 0, "unknown directive '%s'", words[0]);
        }
        if ((o->flags & OPT_REST) && n >= 2) {
                /* The rest of the line is the one argument, its words joined by single blanks. */
                size_t len = 0;
                char *joined;
                for (size_t i = 1; i < n; i++)
                        len += strlen(words[i]) + 1;
                joined = xmalloc0(len);
                for (size_t i = 1; i < n; i++)
                        strcat(strcat(joined, i > 1 ? " " : ""), words[i]);
                owned(c->plan, joined);
                r = options_apply(c->plan, o, (char *[]) { joined, NULL }, c->e);
                if (r < 0) {
                        sandbox_error_t inner = *c->e;
                        return fail(c, cols[1], inner.err, "%s", inner.msg);
                }
                return 0;
        }
        nargs = options_nargs(o, n > 1 ? words[1] : NULL);
        /* The metavar names the usual arguments; `limit io-read-bps` takes one more. */
        metavar = nargs == o->nargs ? o->metavar : NULL;
        if (n - 1 != nargs)
                return fail(c, cols[0], 0, "'%s' takes %u argument%s%s%s%s, got %zu", o->name, nargs,
                            nargs == 1 ? "" : "s", metavar ? " (" : "", metavar ? metavar : "", metavar ? ")" : "",
                            n - 1);
        r = options_apply(c->plan, o, words + 1, c->e);
        if (r < 0) {
                /* The option's own message, located: "file:line:col: --uid: 'x' is not ..." */
                sandbox_error_t inner = *c->e;
                return fail(c, cols[0], inner.err, "%s", inner.msg);
        }
        return 0;
}

static int load(ctx_t *c, const char *name, const char *from, const char *origin) {
        _cleanup_free_ char *data = NULL;
        char *path = NULL;
        chain_t link;
        ctx_t inner = *c;
        unsigned line = 0;
        size_t size = 0;
        int r;

        if (c->plan->policy_depth >= POLICY_MAX_DEPTH)
                return fail(c, 1, 0, "%s %s: policies nested more than %d deep", origin, name, POLICY_MAX_DEPTH);
        r = find(c, name, from, &path, &data, &size, c->e);
        if (r < 0) {
                if (!c->chain->path)
                        return error_errno(c->e, r, "--%s %s", origin, name);
                return fail(c, 1, -r, "%s %s", origin, name);
        }
        owned(c->plan, path);
        if (memchr(data, 0, size))
                return error_msg(c->e, "%s: not a policy file (it holds a NUL byte)", path);
        for (const chain_t *up = c->chain; up && up->path; up = up->up)
                if (strcmp(up->path, path) == 0)
                        return fail(c, 1, 0, "%s %s: %s includes itself", origin, name, path);

        link = (chain_t) { .path = path, .up = c->chain->path ? c->chain : NULL };
        inner.chain = &link;
        c->plan->policy_depth++;
        for (char *s = data, *next; s && *s; s = next) {
                char **words = NULL;
                unsigned *cols = NULL;
                size_t n = 0;

                next = strchr(s, '\n');
                if (next)
                        *next++ = 0;
                link.line = ++line;
                r = split_line(&inner, s, &words, &cols, &n);
                if (r >= 0 && n > 0)
                        r = directive(&inner, words, cols, n);
                for (size_t i = 0; i < n; i++)
                        owned(c->plan, words[i]);      /* the plan points into them */
                free(words);
                free(cols);
                if (r < 0) {
                        c->plan->policy_depth--;
                        return r;
                }
        }
        c->plan->policy_depth--;
        return 0;
}

int policy_load(sandbox_plan_t *p, const char *name, const char *from, const options_io_t *io, sandbox_error_t *e) {
        chain_t top = { .path = NULL };
        ctx_t c = { .plan = p, .io = io, .e = e, .chain = &top };

        if (!io || !io->read_file)
                return error_msg(e, "--policy %s: reading policy files is not possible here", name);
        return load(&c, name, from, "policy");
}
