/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include "config.h"

#include <string.h>

/* The shipped policies, built into the binary: last on the search path. */
static const struct {
        const char *name, *text;
} builtin_policies[] = {
        { "default", SANDBOX_POLICY_DEFAULT },
        { "build", SANDBOX_POLICY_BUILD },
        { "shell", SANDBOX_POLICY_SHELL },
        { "test", SANDBOX_POLICY_TEST },
        /* for a graphical app, with --app-id and the other desktop options */
        { "desktop", SANDBOX_POLICY_DESKTOP },
};

#define BUILTIN_DIR "(built in)"

const char *policy_suggest(const char *word) {
        suggestion_t s = SUGGESTION_INIT;
        size_t n;
        const option_def_t *table = options_table(&n);

        for (size_t i = 0; i < n; i++)
                if (!(table[i].flags & OPT_CLI_ONLY))
                        suggestion_consider(&s, word, table[i].name);
        return s.best;
}

const char *policy_suggest_name(const char *name) {
        suggestion_t s = SUGGESTION_INIT;

        for (size_t i = 0; i < ELEMENTSOF(builtin_policies); i++)
                suggestion_consider(&s, name, builtin_policies[i].name);
        return s.best;
}

/* What a shipped policy is for: the first sentence of its opening comment, without "# NAME: ". */
static void print_summary(FILE *f, const char *name, const char *text) {
        char buf[512] = "", *sentence = buf, *end;
        size_t n = 0, len = strlen(name);

        for (const char *line = text; strncmp(line, "# ", 2) == 0 && n < sizeof buf - 1;) {
                size_t l = strcspn(line + 2, "\n");
                n += (size_t) snprintf(buf + n, sizeof buf - n, "%s%.*s", n ? " " : "", (int) l, line + 2);
                line += 2 + l + (line[2 + l] == '\n');
        }
        if (strncmp(sentence, name, len) == 0 && sentence[len] == ':')
                sentence += len + 1 + strspn(sentence + len + 1, " ");
        if ((end = strstr(sentence, ". ")))
                end[1] = 0;
        fprintf(f, "    %-10s %s\n", name, sentence);
}

void policy_list_builtin(FILE *f) {
        for (size_t i = 0; i < ELEMENTSOF(builtin_policies); i++)
                print_summary(f, builtin_policies[i].name, builtin_policies[i].text);
}

/* ---- words ---- */

/* One line being split, and the column an error points at. */
typedef struct line_splitter {
        const char *line;
        const options_io_t *io;
        sandbox_error_t *error;
        unsigned error_col;
} line_splitter_t;

/* A word as it grows. */
typedef struct word_buf {
        char *text;
        size_t len, alloc;
} word_buf_t;

static int error_at_col(line_splitter_t *splitter, unsigned col, const char *fmt, ...) _printf_(3, 4);
static int error_at_col(line_splitter_t *splitter, unsigned col, const char *fmt, ...) {
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        splitter->error_col = col;
        return error_msg(splitter->error, "%s", msg);
}

static void word_append(word_buf_t *word, const char *s, size_t n) {
        if (word->len + n + 1 > word->alloc) {
                word->alloc = (word->len + n + 1) * 2;
                word->text = xrealloc_array(word->text, word->alloc, 1);
        }
        memcpy(word->text + word->len, s, n);
        word->len += n;
        word->text[word->len] = 0;
}

static int expand_var(line_splitter_t *splitter, const char *name, unsigned col, word_buf_t *word) {
        static const char *const known = "HOME, PWD, UID, GID, XDG_RUNTIME_DIR or ENV:NAME";
        const options_io_t *io = splitter->io;
        char num[32];
        const char *value = NULL;

        if (strcmp(name, "UID") == 0 || strcmp(name, "GID") == 0) {
                snprintf(num, sizeof num, "%lu", name[0] == 'U' ? io->uid : io->gid);
                value = num;
        } else if (strcmp(name, "PWD") == 0)
                value = io->cwd;
        else if (strcmp(name, "HOME") == 0 || strcmp(name, "XDG_RUNTIME_DIR") == 0 || strncmp(name, "ENV:", 4) == 0) {
                const char *var = strncmp(name, "ENV:", 4) == 0 ? name + 4 : name;
                if (!*var)
                        return error_at_col(splitter, col, "${ENV:} names no variable");
                value = io->getenv ? io->getenv(var) : NULL;
        } else
                return error_at_col(splitter, col, "unknown variable ${%s} (known: %s)", name, known);
        if (!value)
                return error_at_col(splitter, col,
                                    "${%s} is not set (an unset variable is an error, not an empty string)", name);
        word_append(word, value, strlen(value));
        return 0;
}

/* At "${NAME}": appends the value to the word and moves *s past the '}'. */
static int take_var(line_splitter_t *splitter, const char **s, word_buf_t *word) {
        const char *end = strchr(*s, '}');
        unsigned col = (unsigned) (*s - splitter->line) + 1;
        char name[128];
        int r;

        if (!end || (size_t) (end - *s - 2) >= sizeof name)
                return error_at_col(splitter, col, "unterminated ${ in a variable");
        memcpy(name, *s + 2, (size_t) (end - *s - 2));
        name[end - *s - 2] = 0;
        if ((r = expand_var(splitter, name, col, word)) < 0)
                return r;
        *s = end + 1;
        return 0;
}

/* A quoted part of a word, *s on the opening quote: "..." knows \" \\ \$ and ${VAR}, '...' is literal. */
static int take_quoted(line_splitter_t *splitter, const char **s, word_buf_t *word) {
        char quote = *(*s)++;
        unsigned col = (unsigned) (*s - splitter->line);
        int r;

        while (**s && **s != quote) {
                if (quote == '"' && (*s)[0] == '$' && (*s)[1] == '{') {
                        if ((r = take_var(splitter, s, word)) < 0)
                                return r;
                        continue;
                }
                if (quote == '"' && **s == '\\' && (*s)[1] && strchr("\"\\$", (*s)[1]))
                        (*s)++;
                word_append(word, (*s)++, 1);
        }
        if (!**s)
                return error_at_col(splitter, col, "unterminated %c quote", quote);
        (*s)++;
        return 0;
}

/* One word starting at *s; *s ends on the blank (or end of line) after it. */
static int take_word(line_splitter_t *splitter, const char **s, char **ret) {
        word_buf_t word = { .text = xmalloc0(32), .alloc = 32 };
        int r = 0;

        while (r >= 0 && **s && **s != ' ' && **s != '\t' && **s != '\r') {
                if (**s == '"' || **s == '\'')
                        r = take_quoted(splitter, s, &word);
                else if ((*s)[0] == '$' && (*s)[1] == '{')
                        r = take_var(splitter, s, &word);
                else {
                        if (**s == '\\' && (*s)[1])
                                (*s)++;
                        word_append(&word, (*s)++, 1);
                }
        }
        if (r < 0) {
                free(word.text);
                return r;
        }
        *ret = word.text;
        return 0;
}

/* Blanks separate words, quotes and ${VAR} are taken by take_word(), '#' starting a word ends
 * the line. */
int policy_split_line(const char *line, const options_io_t *io, char ***ret_words, unsigned **ret_cols, size_t *ret_n,
                      unsigned *ret_error_col, sandbox_error_t *e) {
        line_splitter_t splitter = { .line = line, .io = io, .error = e };
        char **words = NULL;
        unsigned *cols = NULL;
        size_t n = 0;
        const char *s = line;

        for (;;) {
                char *word = NULL;
                unsigned col;
                int r;

                while (*s == ' ' || *s == '\t' || *s == '\r')
                        s++;
                if (!*s || *s == '#')
                        break;
                col = (unsigned) (s - line) + 1;
                if ((r = take_word(&splitter, &s, &word)) < 0) {
                        for (size_t i = 0; i < n; i++)
                                free(words[i]);
                        free(words);
                        free(cols);
                        *ret_error_col = splitter.error_col;
                        return r;
                }
                words = xrealloc_array(words, n + 1, sizeof(char *));
                cols = xrealloc_array(cols, n + 1, sizeof(unsigned));
                words[n] = word;
                cols[n++] = col;
        }
        *ret_words = words;
        *ret_cols = cols;
        *ret_n = n;
        return 0;
}

/* ---- directives ---- */

static int unknown_directive(const char *word, const option_def_t *o, sandbox_error_t *e) {
        const char *suggestion;

        if (o)
                return error_msg(e, "'%s' is a command-line action, not a directive", word);
        if (word[0] == '-') {
                const char *bare = word + strspn(word, "-");
                const option_def_t *undashed = options_find(bare);
                if (undashed && !(undashed->flags & OPT_CLI_ONLY))
                        return error_msg(e, "unknown directive '%s' (directives are written without dashes: '%s')",
                                         word, bare);
        }
        suggestion = policy_suggest(word);
        if (suggestion)
                return error_msg(e, "unknown directive '%s' (did you mean '%s'?)", word, suggestion);
        return error_msg(e, "unknown directive '%s'", word);
}

int policy_directive(char **words, size_t n, const option_def_t **ret, sandbox_error_t *e) {
        const option_def_t *o = options_find_directive(words[0]);
        const char *metavar;
        unsigned nargs;

        if (!o || (o->flags & OPT_CLI_ONLY))
                return unknown_directive(words[0], o, e);
        if ((o->flags & OPT_LOADS) && o->data == OPT_INPUT_POLICY && n != 2)
                return error_msg(e, "'%s' takes one argument (NAME or PATH), got %zu", words[0], n - 1);
        /* The rest of the line is the one argument: any number of words but none. */
        if ((o->flags & OPT_REST) && n >= 2) {
                *ret = o;
                return 0;
        }
        nargs = options_nargs(o, n > 1 ? words[1] : NULL);
        /* The metavar names the usual arguments; `limit io-read-bps` takes one more. */
        metavar = nargs == o->nargs ? o->metavar : NULL;
        if (n - 1 != nargs)
                return error_msg(e, "'%s' takes %u argument%s%s%s%s, got %zu", o->name, nargs, nargs == 1 ? "" : "s",
                                 metavar ? " (" : "", metavar ? metavar : "", metavar ? ")" : "", n - 1);
        *ret = o;
        return 0;
}

char *policy_rest_of_line(char **words, size_t n) {
        size_t len = 0;
        char *joined;

        for (size_t i = 1; i < n; i++)
                len += strlen(words[i]) + 1;
        joined = xmalloc0(len + 1);
        for (size_t i = 1; i < n; i++)
                strcat(strcat(joined, i > 1 ? " " : ""), words[i]);
        return joined;
}

/* ---- finding files ---- */

static char *dir_of(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash)
                return xstrdup(".");
        if (slash == path)
                return xstrdup("/");
        return xasprintf("%.*s", (int) (slash - path), path);
}

char *policy_relative_path(const char *from, const char *name) {
        _cleanup_free_ char *dir = NULL;

        if (name[0] == '/' || !from)
                return xstrdup(name);
        dir = dir_of(from);
        if (strcmp(dir, ".") == 0)
                return xstrdup(name);
        return xasprintf("%s/%s", dir, name);
}

/* Where a policy NAME is searched for, in order: FROM's directory, the user's, the system's. */
static size_t search_dirs(const char *from_dir, const options_io_t *io, char **ret_user_dir,
                          const char *dirs[static 8]) {
        size_t n = 0;

        if (from_dir)
                dirs[n++] = from_dir;
        if (io->getenv) {
                const char *xdg = io->getenv("XDG_CONFIG_HOME"), *home = io->getenv("HOME");
                if (xdg && *xdg)
                        *ret_user_dir = xasprintf("%s/sandbox/policies", xdg);
                else if (home && *home)
                        *ret_user_dir = xasprintf("%s/.config/sandbox/policies", home);
                if (*ret_user_dir)
                        dirs[n++] = *ret_user_dir;
        }
        for (size_t i = 0; i < ELEMENTSOF(io->system_dirs) && io->system_dirs[i]; i++)
                dirs[n++] = io->system_dirs[i];
        return n;
}

/* DIR/NAME.policy, or DIR/NAME as is. 1 when found, 0 when DIR has nothing for us. */
static int read_from_dir(const char *dir, const char *name, const options_io_t *io, char **ret_path, char **ret_text,
                         size_t *ret_size) {
        for (int plain = 0; plain < 2; plain++) {
                /* Named as the including file is: "base.policy" beside "ci.policy", not "./base.policy". */
                char *path = strcmp(dir, ".") == 0 ? xasprintf("%s%s", name, plain ? "" : ".policy")
                                                   : xasprintf("%s/%s%s", dir, name, plain ? "" : ".policy");
                int r = io->read_file ? io->read_file(path, ret_text, ret_size) : -ENOSYS;

                if (r >= 0) {
                        *ret_path = path;
                        return 1;
                }
                free(path);
                /* A directory we can't enter has nothing for us; an unreadable file does. */
                if (r == -EACCES && !plain)
                        continue;
                if (r != -ENOENT && r != -ENOTDIR && r != -EACCES)
                        return r;
        }
        return 0;
}

bool policy_is_builtin(const char *path) {
        return strncmp(path, BUILTIN_DIR "/", strlen(BUILTIN_DIR "/")) == 0;
}

bool policy_is_path(const char *name) {
        size_t n = strlen(name);
        return strchr(name, '/') || (n > 7 && strcmp(name + n - 7, ".policy") == 0);
}

/* Where it was looked for, and what was probably meant: a shipped policy's name, or a file in the
 * current directory (never searched: it must be given as a path). */
static void not_found_hint(const char *name, const char *from, const options_io_t *io, const char *tried,
                           sandbox_error_t *e) {
        const char *close = policy_suggest_name(name);

        if (close) {
                error_hint(e, "did you mean '%s'? (searched %s, then the built-in policies)", close, tried);
                return;
        }
        for (int plain = 0; !from && io && io->read_file && plain < 2; plain++) {
                _cleanup_free_ char *path = xasprintf("%s%s", name, plain ? "" : ".policy"), *text = NULL;
                size_t size;

                if (io->read_file(path, &text, &size) >= 0) {
                        error_hint(e, "a bare name is only searched for (in %s): for ./%s, write a path: --policy ./%s",
                                   tried, path, path);
                        return;
                }
        }
        error_hint(e, "searched %s, then the built-in policies", tried);
}

int policy_find(const char *name, const char *from, const options_io_t *io, char **ret_path, char **ret_text,
                size_t *ret_size, sandbox_error_t *e) {
        const char *dirs[8];
        _cleanup_free_ char *from_dir = NULL, *user_dir = NULL, *tried = xstrdup("");
        size_t n;
        int r;

        /* A built-in policy has no directory: what it includes is never looked for relative to
         * the current one, where a command given a writable cwd could plant it. */
        if (from && policy_is_builtin(from))
                from = NULL;
        if (policy_is_path(name)) {
                char *path = policy_relative_path(from, name);
                r = io && io->read_file ? io->read_file(path, ret_text, ret_size) : -ENOSYS;
                if (r < 0) {
                        free(path);
                        return r;
                }
                *ret_path = path;
                return 0;
        }
        from_dir = from ? dir_of(from) : NULL;
        n = io ? search_dirs(from_dir, io, &user_dir, dirs) : 0;
        for (size_t i = 0; i < n; i++) {
                char *t;

                if ((r = read_from_dir(dirs[i], name, io, ret_path, ret_text, ret_size)) != 0)
                        return r < 0 ? r : 0;
                t = xasprintf("%s%s%s", tried, *tried ? ", " : "", dirs[i]);
                free(tried);
                tried = t;
        }
        for (size_t i = 0; i < ELEMENTSOF(builtin_policies); i++)
                if (strcmp(name, builtin_policies[i].name) == 0) {
                        *ret_text = xstrdup(builtin_policies[i].text);
                        *ret_size = strlen(*ret_text);
                        *ret_path = xasprintf(BUILTIN_DIR "/%s.policy", name);
                        return 0;
                }
        not_found_hint(name, from, io, *tried ? tried : "nowhere (no search directories)", e);
        return -ENOENT;
}
