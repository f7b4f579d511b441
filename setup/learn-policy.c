/* SPDX-License-Identifier: MIT */
/* Learn mode's writer (learn-policy.h): observations in, policy text out. Nothing here touches
 * the system but through learn_env_t. */
#include "learn-policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* ---- observations ---- */

static size_t hash_str(const char *s) {
        size_t h = 5381;
        for (; *s; s++)
                h = h * 33 + (unsigned char) *s;
        return h;
}

/* Paths are looked up on every notification: an open-addressed index into obs->paths. */
static void index_insert(learn_obs_t *obs, size_t i) {
        size_t mask = obs->n_slots - 1, s = hash_str(obs->paths[i].path) & mask;
        while (obs->slots[s])
                s = (s + 1) & mask;
        obs->slots[s] = i + 1;
}

static void index_grow(learn_obs_t *obs) {
        if (obs->n_slots && (obs->n_paths + 1) * 2 < obs->n_slots)
                return;
        free(obs->slots);
        obs->n_slots = obs->n_slots ? obs->n_slots * 2 : 1024;
        obs->slots = xrealloc_array(NULL, obs->n_slots, sizeof *obs->slots);
        memset(obs->slots, 0, obs->n_slots * sizeof *obs->slots);
        for (size_t i = 0; i < obs->n_paths; i++)
                index_insert(obs, i);
}

learn_path_t *learn_obs_path(learn_obs_t *obs, const char *path, unsigned access) {
        size_t s;

        index_grow(obs);
        for (s = hash_str(path) & (obs->n_slots - 1); obs->slots[s]; s = (s + 1) & (obs->n_slots - 1))
                if (strcmp(obs->paths[obs->slots[s] - 1].path, path) == 0) {
                        learn_path_t *p = &obs->paths[obs->slots[s] - 1];
                        p->access |= access;
                        p->count++;
                        return p;
                }
        APPEND(obs->paths, obs->n_paths, ((learn_path_t){ .path = xstrdup(path), .access = access, .count = 1 }));
        index_insert(obs, obs->n_paths - 1);
        return &obs->paths[obs->n_paths - 1];
}

void learn_obs_syscall(learn_obs_t *obs, const char *abi, unsigned long nr, const char *name) {
        for (size_t i = 0; i < obs->n_syscalls; i++) {
                learn_syscall_t *s = &obs->syscalls[i];
                if (s->nr == nr && (s->abi == abi || (s->abi && abi && strcmp(s->abi, abi) == 0))) {
                        s->count++;
                        return;
                }
        }
        APPEND(obs->syscalls, obs->n_syscalls,
               ((learn_syscall_t){ .name = name ? xstrdup(name) : NULL, .abi = abi, .nr = nr, .count = 1 }));
}

void learn_obs_free(learn_obs_t *obs) {
        for (size_t i = 0; i < obs->n_paths; i++)
                free(obs->paths[i].path);
        for (size_t i = 0; i < obs->n_syscalls; i++)
                free(obs->syscalls[i].name);
        free(obs->paths);
        free(obs->syscalls);
        free(obs->slots);
        *obs = (learn_obs_t){ 0 };
}

/* ---- from the sandbox back to the host ---- */

/* "/a/./b/../c" to "/a/c", lexically: good enough to learn from, never to decide by. */
void learn_normalize(char *path) {
        char *out = path, *in = path;

        while (*in) {
                while (*in == '/')
                        in++;
                char *end = in + strcspn(in, "/");
                size_t n = (size_t) (end - in);
                if (n == 0 || (n == 1 && in[0] == '.')) {
                } else if (n == 2 && in[0] == '.' && in[1] == '.') {
                        while (out > path && *--out != '/')
                                ;
                } else {
                        *out++ = '/';
                        memmove(out, in, n);
                        out += n;
                }
                in = end;
        }
        if (out == path)
                *out++ = '/';
        *out = 0;
}

/* PREFIX is PATH or a directory above it; returns what follows ("" or "/rest"), else NULL. */
static const char *under(const char *path, const char *prefix) {
        size_t n = strlen(prefix);

        if (n == 1 && prefix[0] == '/')
                return path[0] == '/' ? (path[1] ? path : "") : NULL;
        if (strncmp(path, prefix, n) != 0 || (path[n] && path[n] != '/'))
                return NULL;
        return path + n;
}

static char *parent_of(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash || slash == path)
                return xstrdup("/");
        return strndup(path, (size_t) (slash - path));
}

ssize_t learn_map_path(const learn_env_t *env, const char *path, char **ret_host) {
        _cleanup_free_ char *cur = xstrdup(path);

        *ret_host = NULL;
        for (unsigned hops = 0; hops < 8; hops++) {
                ssize_t found = -1;
                const char *rest = NULL;

                /* The last op at or above the path: later mounts cover earlier ones. */
                for (size_t i = env->n_ops; i-- > 0 && found < 0;) {
                        const mount_op_t *op = &env->ops[i];
                        if (op->dest && op->type != MOUNT_CHMOD && op->type != MOUNT_REMOUNT_RO &&
                            (rest = under(cur, op->dest)))
                                found = (ssize_t) i;
                }
                if (found < 0)
                        return -1;
                const mount_op_t *op = &env->ops[found];
                if (op->type == MOUNT_SYMLINK && op->source) {
                        _cleanup_free_ char *dir = parent_of(op->dest);
                        char *next = op->source[0] == '/' ? xasprintf("%s%s", op->source, rest)
                                                          : xasprintf("%s%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
                                                                      op->source, rest);
                        free(cur);
                        cur = next;
                        continue;
                }
                if (op->type == MOUNT_BIND && op->source) {
                        if (op->source[0] == '/')
                                *ret_host = xasprintf("%s%s", strcmp(op->source, "/") ? op->source : "",
                                                      rest[0] || strcmp(op->source, "/") ? rest : "/");
                        else
                                *ret_host = xasprintf("%s/%s%s", env->cwd ? env->cwd : "", op->source, rest);
                }
                return found;
        }
        return -1;
}

/* ---- the mounts the policy needs ---- */

typedef enum {
        CAND_RO, /* ro-bind */
        CAND_RW, /* bind */
        CAND_DIR,
        CAND_SPECIAL, /* proc, dev, tmpfs, sys, mqueue: the directive in `special` */
        CAND_SYMLINK, /* symlink TARGET DEST, target in host */
} cand_kind_t;

typedef struct cand {
        cand_kind_t kind;
        char *dest, *host;
        const char *special;
        unsigned long paths, count, reads, writes, execs, creates, lists;
        bool dropped;
} cand_t;

typedef struct cands {
        cand_t *v;
        size_t n;
        unsigned long absent, in_root, not_reproduced; /* paths left out, and why */
} cands_t;

static void cands_free(cands_t *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].dest);
                free(c->v[i].host);
        }
        free(c->v);
}

static cand_t *cand_add(cands_t *c, cand_kind_t kind, const char *dest, const char *host, const learn_path_t *p) {
        cand_t *x = NULL;

        for (size_t i = 0; i < c->n && !x; i++)
                if (c->v[i].kind == kind && strcmp(c->v[i].dest, dest) == 0)
                        x = &c->v[i];
        if (!x) {
                APPEND(c->v, c->n,
                       ((cand_t){ .kind = kind, .dest = xstrdup(dest), .host = host ? xstrdup(host) : NULL }));
                x = &c->v[c->n - 1];
        }
        if (p) {
                x->paths++;
                x->count += p->count;
                x->reads += !!(p->access & LEARN_READ);
                x->writes += !!(p->access & LEARN_WRITE);
                x->execs += !!(p->access & LEARN_EXEC);
                x->creates += !!(p->access & LEARN_CREATE);
                x->lists += !!(p->access & LEARN_LIST);
        }
        return x;
}

static const char *special_name(mount_type_t t) {
        switch (t) {
        case MOUNT_PROC:
                return "proc";
        case MOUNT_DEV:
                return "dev";
        case MOUNT_TMPFS:
                return "tmpfs";
        case MOUNT_SYS:
                return "sys";
        case MOUNT_MQUEUE:
                return "mqueue";
        default:
                return NULL;
        }
}

/* Host trees that are the sandbox's own kind of file system, whatever the learning run bound
 * there: a fresh one of them is what the command needs, never the host's. */
static const struct { const char *host, *special; } host_specials[] = { { "/proc", "proc" }, { "/dev", "dev" } };

/* Where new files land that nobody keeps: a fresh tmpfs there rather than the host's. */
static bool scratch_dir(const char *host) {
        return strcmp(host, "/tmp") == 0 || strcmp(host, "/var/tmp") == 0 || strcmp(host, "/dev/shm") == 0;
}

static const learn_path_t *find_path(const learn_obs_t *obs, const char *path) {
        size_t mask = obs->n_slots - 1;
        if (!obs->n_slots)
                return NULL;
        for (size_t s = hash_str(path) & mask; obs->slots[s]; s = (s + 1) & mask)
                if (strcmp(obs->paths[obs->slots[s] - 1].path, path) == 0)
                        return &obs->paths[obs->slots[s] - 1];
        return NULL;
}

/* A new entry needs its directory writable: the first one up that was there before the run
 * (directories the run made are made again). */
static void add_created(cands_t *c, const learn_obs_t *obs, const learn_env_t *env, const learn_path_t *p) {
        _cleanup_free_ char *dir = parent_of(p->path), *host = NULL;
        const learn_path_t *q;
        ssize_t op;

        while (strcmp(dir, "/") != 0 && (q = find_path(obs, dir)) && (q->access & LEARN_CREATE) && !q->existed) {
                char *up = parent_of(dir);
                free(dir);
                dir = up;
        }
        op = learn_map_path(env, dir, &host);
        if (op < 0)
                c->in_root++;
        else if (special_name(env->ops[op].type))
                cand_add(c, CAND_SPECIAL, env->ops[op].dest, NULL, p)->special = special_name(env->ops[op].type);
        else if (!host)
                c->not_reproduced++;
        else if (scratch_dir(host))
                cand_add(c, CAND_SPECIAL, dir, NULL, p)->special = "tmpfs";
        else
                cand_add(c, CAND_RW, dir, host, p);
}

static bool in_system_tree(const char *path);

/* A symlink on the host is one in the sandbox too (a toolchain finds itself through them: gcc
 * through /etc/alternatives/cc), and what it points to is used as well, which the recorder can't
 * see: the kernel followed it. */
static bool add_symlink(cands_t *c, const learn_obs_t *obs, const learn_env_t *env, const learn_path_t *p,
                        const char *host, unsigned depth);

static void add_path_at(cands_t *c, const learn_obs_t *obs, const learn_env_t *env, const learn_path_t *p,
                        unsigned depth) {
        _cleanup_free_ char *host = NULL;
        ssize_t op = learn_map_path(env, p->path, &host);
        learn_host_t type;

        if (op < 0) {
                c->in_root++;
                return;
        }
        if (special_name(env->ops[op].type)) {
                cand_add(c, CAND_SPECIAL, env->ops[op].dest, NULL, p)->special = special_name(env->ops[op].type);
                return;
        }
        if (!host) {
                c->not_reproduced++; /* made by --dir, --file, --bind-data, an overlay: not a host path */
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(host_specials); i++)
                if (under(host, host_specials[i].host) && strcmp(p->path, host) == 0) {
                        cand_add(c, CAND_SPECIAL, host_specials[i].host, NULL, p)->special = host_specials[i].special;
                        return;
                }
        if (p->access & LEARN_CREATE) {
                add_created(c, obs, env, p);
                return;
        }
        if (add_symlink(c, obs, env, p, host, depth))
                return;
        type = env->host_type(host);
        if (type == LEARN_HOST_ABSENT) {
                c->absent++;
                return;
        }
        if (p->access & (LEARN_WRITE | LEARN_CREATE))
                cand_add(c, CAND_RW, p->path, host, p);
        else if (type == LEARN_HOST_DIR && !(p->access & LEARN_LIST))
                cand_add(c, CAND_DIR, p->path, NULL, p);
        else
                cand_add(c, CAND_RO, p->path, host, p);
}

static void add_path(cands_t *c, const learn_obs_t *obs, const learn_env_t *env, const learn_path_t *p) {
        add_path_at(c, obs, env, p, 0);
}

static bool add_symlink(cands_t *c, const learn_obs_t *obs, const learn_env_t *env, const learn_path_t *p,
                        const char *host, unsigned depth) {
        _cleanup_free_ char *target = NULL, *dir = NULL, *next = NULL;
        learn_path_t q = *p;

        if (depth >= 8 || !env->host_symlink || strcmp(host, p->path) != 0 || !(target = env->host_symlink(host)))
                return false;
        /* In a system tree, the tree's bind carries the symlink. */
        cand_add(c, in_system_tree(p->path) ? CAND_RO : CAND_SYMLINK, p->path, in_system_tree(p->path) ? host : target,
                 p);
        dir = parent_of(p->path);
        next = target[0] == '/' ? xstrdup(target) : xasprintf("%s/%s", dir, target);
        learn_normalize(next);
        q.path = next;
        add_path_at(c, obs, env, &q, depth + 1);
        return true;
}

/* The system's trees are bound whole: a toolchain reads hundreds of files there, and what it
 * reads next time may differ. */
static const char *const system_trees[] = { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" };

/* Where the run read files: the tree or directory to bind instead, or NULL to keep the file. */
static char *collapse_to(const cands_t *c, const cand_t *x) {
        _cleanup_free_ char *dir = NULL;
        size_t siblings = 0;

        for (size_t i = 0; i < ELEMENTSOF(system_trees); i++)
                if (under(x->dest, system_trees[i]))
                        return xstrdup(system_trees[i]);
        if (strncmp(x->dest, "/opt/", 5) == 0 && strchr(x->dest + 5, '/'))
                return strndup(x->dest, (size_t) (strchr(x->dest + 5, '/') - x->dest));
        dir = parent_of(x->dest);
        /* Where secrets live, files stay exact however many were read. */
        if (strcmp(dir, "/") == 0 || strcmp(dir, "/etc") == 0 || strcmp(dir, "/home") == 0)
                return NULL;
        for (size_t i = 0; i < c->n; i++) {
                _cleanup_free_ char *d = NULL;
                if (c->v[i].kind != CAND_RO || c->v[i].dropped)
                        continue;
                d = parent_of(c->v[i].dest);
                siblings += strcmp(d, dir) == 0;
        }
        return siblings >= LEARN_COLLAPSE_MIN ? TAKE_PTR(dir) : NULL;
}

static bool in_system_tree(const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(system_trees); i++)
                if (under(path, system_trees[i]))
                        return true;
        return false;
}

static void cand_merge(cand_t *into, const cand_t *from) {
        into->paths += from->paths;
        into->count += from->count;
        into->reads += from->reads;
        into->writes += from->writes;
        into->execs += from->execs;
        into->creates += from->creates;
        into->lists += from->lists;
}

static void collapse(cands_t *c, const learn_env_t *env) {
        size_t n = c->n;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *to = NULL, *host = NULL;
                ssize_t op_to, op_from;
                cand_t *into;

                if (c->v[i].kind != CAND_RO || c->v[i].dropped || !(to = collapse_to(c, &c->v[i])) ||
                    strcmp(to, c->v[i].dest) == 0)
                        continue;
                /* Only within one bind: the directory must come from where its files came from. */
                _cleanup_free_ char *from_host = NULL;
                op_from = learn_map_path(env, c->v[i].dest, &from_host);
                op_to = learn_map_path(env, to, &host);
                if (op_to != op_from || !host || env->host_type(host) != LEARN_HOST_DIR)
                        continue;
                c->v[i].dropped = true;
                into = cand_add(c, CAND_RO, to, host, NULL);
                cand_merge(into, &c->v[i]);
        }
}

/* A system tree that is a symlink on the host (/bin -> usr/bin) is the same symlink in the
 * sandbox, and what it points to is bound instead. */
static void system_symlinks(cands_t *c, const learn_env_t *env) {
        for (size_t i = 0; i < c->n; i++) {
                cand_t *x = &c->v[i];
                _cleanup_free_ char *target = NULL, *dir = NULL, *host = NULL;
                bool tree = false;

                for (size_t t = 0; t < ELEMENTSOF(system_trees); t++)
                        tree |= strcmp(x->dest, system_trees[t]) == 0;
                if (x->kind != CAND_RO || x->dropped || !tree || !x->host || strcmp(x->host, x->dest) != 0 ||
                    !env->host_symlink || !(target = env->host_symlink(x->host)) || strchr(target, '.') ||
                    target[0] == '/')
                        continue;
                dir = xasprintf("/%s", target);
                if (learn_map_path(env, dir, &host) < 0 || !host || env->host_type(host) != LEARN_HOST_DIR)
                        continue;
                x->kind = CAND_SYMLINK;
                free(x->host);
                x->host = TAKE_PTR(target);
                /* Bound whole, as the tree it stands for. */
                cand_t copy = *x;
                for (size_t t = 0; t < ELEMENTSOF(system_trees); t++)
                        if (under(dir, system_trees[t])) {
                                _cleanup_free_ char *th = NULL;
                                if (learn_map_path(env, system_trees[t], &th) >= 0 && th)
                                        cand_merge(cand_add(c, CAND_RO, system_trees[t], th, NULL), &copy);
                        }
        }
}

static int cand_order(const void *a, const void *b) {
        const cand_t *x = a, *y = b;
        int r = strcmp(x->dest, y->dest);
        /* At one place, the mount first and what goes on top of it after. */
        return r ? r : (int) x->kind - (int) y->kind;
}

/* A cand under a bind that already gives as much is left out (its counts go to that bind). */
static void drop_covered(cands_t *c) {
        qsort(c->v, c->n, sizeof *c->v, cand_order);
        for (size_t i = 0; i < c->n; i++) {
                cand_t *x = &c->v[i];
                if (x->dropped)
                        continue;
                for (size_t j = 0; j < c->n && !x->dropped; j++) {
                        cand_t *a = &c->v[j];
                        if (j == i || a->dropped || !under(x->dest, a->dest))
                                continue;
                        if (x->kind == CAND_DIR) /* made anyway by a mount at or above it */
                                x->dropped = a->kind != CAND_DIR;
                        else if ((j < i || strcmp(a->dest, x->dest) == 0) &&
                                 (a->kind == CAND_RW ||
                                  (a->kind == CAND_RO && (x->kind == CAND_RO || x->kind == CAND_SYMLINK)) ||
                                  a->kind == CAND_SYMLINK))
                                x->dropped = true;
                        if (x->dropped && x->kind != CAND_DIR)
                                cand_merge(a, x);
                }
                /* A directory only looked at stays if nothing beneath it is mounted. */
                for (size_t j = 0; j < c->n && x->kind == CAND_DIR && !x->dropped; j++)
                        x->dropped = j != i && !c->v[j].dropped && under(c->v[j].dest, x->dest);
        }
}

/* ---- the text ---- */

typedef struct text {
        char *buf;
        size_t len;
} text_t;

static void _printf_(2, 3) put(text_t *t, const char *fmt, ...) {
        char *s;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (n < 0)
                abort();
        t->buf = xrealloc_array(t->buf, t->len + (size_t) n + 1, 1);
        memcpy(t->buf + t->len, s, (size_t) n + 1);
        t->len += (size_t) n;
        free(s);
}

/* A path as one word of a policy line: quoted when it has blanks or '#'. NULL for what the
 * policy language can't carry (a quote, "${", a newline). */
static char *word(const char *path) {
        if (strchr(path, '"') || strstr(path, "${") || strchr(path, '\n'))
                return NULL;
        if (path[strcspn(path, " \t#")])
                return xasprintf("\"%s\"", path);
        return xstrdup(path);
}

static void put_counts(text_t *t, const cand_t *x) {
        const struct {
                unsigned long n;
                const char *what;
        } parts[] = {
                { x->reads, "read" },     { x->writes, "written" },
                { x->execs, "executed" }, { x->creates, "made or removed" },
                { x->lists, "listed" },
        };
        const char *sep = "";

        put(t, "# %lu path%s", x->paths, x->paths == 1 ? "" : "s");
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                if (parts[i].n) {
                        put(t, "%s %lu %s", *sep ? "," : ":", parts[i].n, parts[i].what);
                        sep = ",";
                }
        put(t, "; %lu call%s\n", x->count, x->count == 1 ? "" : "s");
}

static void put_mounts(text_t *t, cands_t *c) {
        put(t, "\n# Mounts: what the run read, wrote or executed, and nothing else.\n");
        for (size_t i = 0; i < c->n; i++) {
                const cand_t *x = &c->v[i];
                _cleanup_free_ char *dest = word(x->dest), *host = x->host ? word(x->host) : NULL;

                if (x->dropped)
                        continue;
                if (!dest || (x->host && !host)) {
                        put(t, "# (a path the policy language can't write was left out)\n");
                        continue;
                }
                if (x->kind != CAND_SYMLINK && x->kind != CAND_DIR)
                        put_counts(t, x);
                switch (x->kind) {
                case CAND_RO:
                case CAND_RW:
                        put(t, "%s %s %s\n", x->kind == CAND_RO ? "ro-bind" : "bind", host, dest);
                        break;
                case CAND_DIR:
                        put(t, "# looked at %lu time%s\ndir %s\n", x->count, x->count == 1 ? "" : "s", dest);
                        break;
                case CAND_SPECIAL:
                        put(t, "%s %s\n", x->special, dest);
                        break;
                case CAND_SYMLINK:
                        put(t, "# as on the host\nsymlink %s %s\n", host, dest);
                        break;
                }
        }
        if (c->absent)
                put(t, "# %lu path%s looked for and not found on the host: not bound\n", c->absent,
                    c->absent == 1 ? "" : "s");
        if (c->not_reproduced)
                put(t,
                    "# %lu path%s came from --dir, --file, --bind-data, an fd or an overlay: add those again "
                    "if the command needs them\n",
                    c->not_reproduced, c->not_reproduced == 1 ? "" : "s");
}

/* One argument of the command on the header's comment line: on that line whatever it holds
 * (newlines, a script's text), cut short when long. */
static void put_arg(text_t *t, const char *arg) {
        char buf[84];
        size_t n = 0;

        for (const char *s = arg; *s && n < 80; s++)
                buf[n++] = (unsigned char) *s < ' ' ? ' ' : *s;
        buf[n] = 0;
        put(t, " %s%s", buf, strlen(arg) > 80 ? "..." : "");
}

/* ---- syscalls ---- */

static const learn_syscall_t *seen(const learn_obs_t *obs, const char *name) {
        for (size_t i = 0; i < obs->n_syscalls; i++)
                if (!obs->syscalls[i].abi && obs->syscalls[i].name && strcmp(obs->syscalls[i].name, name) == 0)
                        return &obs->syscalls[i];
        return NULL;
}

/* Every member of GROUP this ABI has was seen (and at least two); members that are groups
 * count by theirs. */
static bool group_whole(const learn_obs_t *obs, const learn_env_t *env, const char *group, unsigned depth,
                        size_t *ret_n) {
        const char *const *m = rules_group(group);

        if (!m || depth > 4)
                return false;
        for (; *m; m++) {
                if ((*m)[0] == '@') {
                        if (!group_whole(obs, env, *m, depth + 1, ret_n))
                                return false;
                } else if (env->syscall_exists(*m)) {
                        if (!seen(obs, *m))
                                return false;
                        (*ret_n)++;
                }
        }
        return true;
}

static bool group_has(const char *group, const char *name, unsigned depth) {
        const char *const *m = rules_group(group);
        for (; m && *m && depth < 5; m++)
                if ((*m)[0] == '@' ? group_has(*m, name, depth + 1) : strcmp(*m, name) == 0)
                        return true;
        return false;
}

static int syscall_order(const void *a, const void *b) {
        const learn_syscall_t *x = a, *y = b;
        if ((x->abi != NULL) != (y->abi != NULL))
                return x->abi ? 1 : -1;
        if (x->name && y->name)
                return strcmp(x->name, y->name);
        return (x->name != NULL) - (y->name != NULL);
}

static void put_syscalls(text_t *t, learn_obs_t *obs, const learn_env_t *env) {
        const char *const *groups = rules_group_names();
        const char *chosen[64];
        size_t n_chosen = 0;
        unsigned long total = 0;

        qsort(obs->syscalls, obs->n_syscalls, sizeof *obs->syscalls, syscall_order);
        for (size_t i = 0; i < obs->n_syscalls; i++)
                total += obs->syscalls[i].count;
        put(t, "\n# Syscalls: %zu different ones were made, %lu calls in all; any other is denied.\n", obs->n_syscalls,
            total);
        put(t, "syscall-default deny\n");
        for (size_t i = 0; i < obs->n_syscalls; i++)
                if (obs->syscalls[i].abi && (i == 0 || !obs->syscalls[i - 1].abi ||
                                             strcmp(obs->syscalls[i - 1].abi, obs->syscalls[i].abi) != 0))
                        put(t, "syscall-arch %s\n", obs->syscalls[i].abi);
        /* Groups seen whole, the biggest first; the rest by name. */
        for (size_t g = 0; groups[g] && n_chosen < ELEMENTSOF(chosen); g++) {
                size_t n = 0;
                bool inside = false;
                if (groups[g][0] != '@' || strcmp(groups[g], RULES_UNKNOWN) == 0 ||
                    !group_whole(obs, env, groups[g], 0, &n) || n < 2)
                        continue;
                for (size_t k = 0; k < n_chosen; k++)
                        inside |= group_has(chosen[k], groups[g], 0);
                if (!inside)
                        chosen[n_chosen++] = groups[g];
        }
        for (size_t k = 0; k < n_chosen; k++)
                put(t, "# every call of %s was made\nsyscall allow %s\n", chosen[k], chosen[k]);
        for (size_t i = 0; i < obs->n_syscalls; i++) {
                const learn_syscall_t *s = &obs->syscalls[i];
                bool grouped = false;
                for (size_t k = 0; k < n_chosen && s->name && !s->abi; k++)
                        grouped |= group_has(chosen[k], s->name, 0);
                if (!s->name)
                        put(t, "# syscall %lu%s%s, %lu time%s: no name for it here, so it stays denied\n", s->nr,
                            s->abi ? " on " : "", s->abi ? s->abi : "", s->count, s->count == 1 ? "" : "s");
                else if (grouped)
                        put(t, "#   %s: %lu\n", s->name, s->count);
                else
                        put(t, "syscall allow %s  # %lu time%s%s%s\n", s->name, s->count, s->count == 1 ? "" : "s",
                            s->abi ? " on " : "", s->abi ? s->abi : "");
        }
}

char *learn_policy_write(const learn_obs_t *obs_in, const learn_env_t *env) {
        learn_obs_t obs = *obs_in; /* put_syscalls sorts its own copy of the array */
        text_t t = { 0 };
        cands_t c = { 0 };

        obs.syscalls = xrealloc_array(NULL, obs.n_syscalls + 1, sizeof *obs.syscalls);
        memcpy(obs.syscalls, obs_in->syscalls, obs.n_syscalls * sizeof *obs.syscalls);
        put(&t, "# Learned by sandbox --learn from one run of:\n#  ");
        for (char *const *a = obs.argv; a && *a; a++)
                put_arg(&t, *a);
        put(&t,
            "\n# %lu syscalls and %zu paths seen. It allows what that run did and nothing more: review it\n"
            "# before relying on it, and learn again when the command changes.\n",
            obs.notifications, obs.n_paths);
        put(&t, "\nunshare-all\n");
        if (obs.inet)
                put(&t, "# an AF_INET or AF_INET6 socket was made\nshare-net\n");
        for (size_t i = 0; i < obs.n_paths; i++)
                add_path(&c, &obs, env, &obs.paths[i]);
        collapse(&c, env);
        system_symlinks(&c, env);
        drop_covered(&c);
        put_mounts(&t, &c);
        if (obs.unread)
                put(&t, "# %lu path%s couldn't be read from the caller's memory\n", obs.unread,
                    obs.unread == 1 ? "" : "s");
        put_syscalls(&t, &obs, env);
        cands_free(&c);
        free(obs.syscalls);
        return t.buf;
}
