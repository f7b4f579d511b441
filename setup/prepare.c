/* SPDX-License-Identifier: MIT */
#include "prepare.h"

#include <fcntl.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desktop.h"
#include "etc.h"
#include "limits.h"
#include "seccomp-bpf.h"
#include "seccomp-embedded.h"
#include "seccomp-merge.h"
#include "userns.h"

static bool selinux_enabled(void) {
        return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

static int check_labels(sandbox_plan_t *p, sandbox_error_t *e) {
        if (!(p->exec_label || p->file_label) || selinux_enabled())
                return 0;
        /* Asked for, a missing label is less confinement; bubblewrap ignores labels without SELinux. */
        if (!p->bwrap_mode)
                return error_msg(e, "--%s: SELinux is not enabled on this system, so the label can't be applied",
                                 p->exec_label ? "exec-label" : "file-label");
        p->exec_label = p->file_label = NULL;
        return 0;
}

/* Only root may raise a hard limit: say so before anything starts. */
static int check_rlimits(const sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit cur;
                if (getrlimit(p->rlimits[i].resource, &cur) < 0)
                        return error_errno(e, errno, "--rlimit %s", rlimit_name(p->rlimits[i].resource));
                if (p->rlimits[i].hard > cur.rlim_max && cur.rlim_max != RLIM_INFINITY) {
                        error_msg(e, "--rlimit %s: the hard limit can't be raised above the current %llu",
                                  rlimit_name(p->rlimits[i].resource), (unsigned long long) cur.rlim_max);
                        error_hint(e, "ask for at most %llu (see ulimit -H)", (unsigned long long) cur.rlim_max);
                        return -EPERM;
                }
        }
        return 0;
}

static int check_refused_binds(const sandbox_plan_t *p, sandbox_error_t *e);
static void resolve_env_keep(sandbox_plan_t *p);

int prepare_check(sandbox_plan_t *p, sandbox_error_t *e) {
        int r;

        if ((r = check_labels(p, e)) < 0 || (r = check_rlimits(p, e)) < 0 || (r = check_refused_binds(p, e)) < 0)
                return r;
        /* The generated files' USER and LOGNAME first: --env-keep works on the env ops as set. */
        if ((r = etc_generate(p, e)) < 0)
                return r;
        resolve_env_keep(p);
        return 0;
}

static int export_bpf(const char *path, const seccomp_program_t *prog, sandbox_error_t *e) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        int r;

        if (fd < 0)
                return error_errno(e, errno, "--export-bpf %s", path);
        if ((r = write_full(fd, prog->prog.filter, prog->prog.len * sizeof(struct sock_filter))) < 0)
                return error_errno(e, r, "--export-bpf %s", path);
        return 0;
}

/* libseccomp's filter, the last program, to FILE as ever; the programs before it to FILE.2,
 * FILE.3, ...: a caller must stack them too, and first. */
static int export_bpf_all(const char *path, const seccomp_program_t *progs, size_t n, sandbox_error_t *e) {
        int r;

        if (!n)
                return error_msg(e, "--export-bpf %s: there are no syscall rules to compile", path);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = i + 1 < n ? xasprintf("%s.%zu", path, i + 2) : xstrdup(path);
                if ((r = export_bpf(name, &progs[i], e)) < 0)
                        return r;
        }
        if (n == 2)
                fprintf(stderr,
                        "%s: --export-bpf: the rules compile to 2 stacked programs, %s.2 and %s; give "
                        "both to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n",
                        log_program, path, path, path);
        else if (n > 2)
                fprintf(stderr,
                        "%s: --export-bpf: the rules compile to %zu stacked programs, %s.2 to %s.%zu and "
                        "%s; give them all to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n",
                        log_program, n, path, path, n, path, path);
        return 0;
}

int prepare_desktop(launch_t *launch, sandbox_error_t *e) {
        return desktop_prepare(launch, e);
}

int prepare_seccomp(launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        int r;

        if (p->default_embedded) {
                launch->seccomp = xrealloc_array(NULL, 1, sizeof *launch->seccomp);
                seccomp_embedded_program(&launch->seccomp[0]);
                launch->n_seccomp = 1;
        } else if ((r = seccomp_compile(p, &launch->seccomp, &launch->n_seccomp, e)) < 0)
                return r;
        if (p->export_bpf && (r = export_bpf_all(p->export_bpf, launch->seccomp, launch->n_seccomp, e)) < 0)
                return r;
        /* One filter instead of a stack: installed once, run once per syscall. */
        if (launch->n_seccomp > 1) {
                seccomp_program_t merged;

                if (seccomp_merge(launch->seccomp, launch->n_seccomp, &merged) == 0) {
                        seccomp_programs_free(launch->seccomp, launch->n_seccomp);
                        launch->seccomp = xrealloc_array(NULL, 1, sizeof *launch->seccomp);
                        launch->seccomp[0] = merged;
                        launch->n_seccomp = 1;
                }
        }
        /* Pid 1 runs only our code and gets a filter of its own: neither the policy's nor a
         * caller's filter, written for the command, may stop the reaper. Where the native ABI
         * isn't known here it gets the policy's, as the command does. */
        if (launch_has_init(p) && (r = bpf_init_filter(&launch->init_filter)) < 0 && r != -EOPNOTSUPP)
                return error_errno(e, r, "assembling the filter of the sandbox's pid 1");
        launch->n_seccomp_policy = launch->n_seccomp;
        /* The caller's own programs come last, after every syscall the launcher still makes
         * (installing ours among them), so that they can deny anything. */
        launch->seccomp = xrealloc_array(launch->seccomp, launch->n_seccomp + p->n_seccomp_fds,
                                         sizeof *launch->seccomp);
        for (size_t i = 0; i < p->n_seccomp_fds; i++) {
                r = seccomp_read_fd(p->seccomp_single ? "seccomp" : "add-seccomp-fd", p->seccomp_fds[i],
                                    &launch->seccomp[launch->n_seccomp], e);
                if (r < 0)
                        return r;
                launch->n_seccomp++;
        }
        return 0;
}

/* ---- --refuse-bind ---- */

typedef struct guarded {
        dev_t dev;
        ino_t ino;
        const char *refused; /* the --refuse-bind path this directory is, or is above */
        bool above;          /* a directory above it */
} guarded_t;

static void guard_add(guarded_t **list, size_t *n, const char *dir, const char *refused, bool above) {
        struct stat st;

        if (stat(dir, &st) == 0)
                APPEND(*list, *n,
                       ((guarded_t){ .dev = st.st_dev, .ino = st.st_ino, .refused = refused, .above = above }));
}

/* PATH and each directory above it, as written and as resolved: compared by inode, so that
 * "/home/u/..", a symlink or a second mount of them is caught too. */
static void guard_path(guarded_t **list, size_t *n, const char *path) {
        _cleanup_free_ char *real = realpath(path, NULL);
        const char *forms[] = { path, real };

        for (size_t f = 0; f < ELEMENTSOF(forms); f++) {
                _cleanup_free_ char *dir = forms[f] ? xstrdup(forms[f]) : NULL;
                char *slash;

                for (bool above = false; dir && *dir; *slash = 0, above = true) {
                        guard_add(list, n, dir, path, above);
                        slash = strrchr(dir, '/');
                        if (!slash || slash == dir)
                                break;
                }
                guard_add(list, n, "/", path, strcmp(path, "/") != 0);
        }
}

/* The host directory a writable op would hand the command: a writable bind's source, an
 * overlay's upper directory. */
static bool writable_source(const mount_op_t *op, struct stat *ret) {
        if (op->flags & MOUNT_FLAG_RO)
                return false;
        if (op->type == MOUNT_BIND && op->source)
                return stat(op->source, ret) == 0; /* a missing one fails (or is skipped) later */
        if (op->type == MOUNT_BIND && op->fd >= 0)
                return fstat(op->fd, ret) == 0;
        if (op->type == MOUNT_OVERLAY && op->source)
                return stat(op->source, ret) == 0;
        return false;
}

static int check_refused_binds(const sandbox_plan_t *p, sandbox_error_t *e) {
        _cleanup_free_ guarded_t *guarded = NULL;
        size_t n = 0;

        for (size_t i = 0; i < p->n_refuse_binds; i++)
                guard_path(&guarded, &n, p->refuse_binds[i]);
        for (size_t i = 0; i < p->n_ops; i++) {
                const mount_op_t *op = &p->ops[i];
                struct stat st;

                if (!writable_source(op, &st))
                        continue;
                for (size_t g = 0; g < n; g++)
                        if (guarded[g].dev == st.st_dev && guarded[g].ino == st.st_ino) {
                                const char *what = op->source ? op->source : "the directory of its fd";
                                error_msg(e,
                                          "%s: refusing to bind %s writable%s%s: refuse-bind %s forbids it and "
                                          "every directory above it",
                                          op->origin, what, guarded[g].above ? ", which holds " : "",
                                          guarded[g].above ? guarded[g].refused : "", guarded[g].refused);
                                error_hint(e,
                                           "a policy that binds ${PWD} binds the directory sandbox starts in: run "
                                           "it from the project's own directory, or bind one below %s explicitly",
                                           guarded[g].refused);
                                return -EPERM;
                        }
        }
        return 0;
}

/* ---- --env-keep ---- */

static bool env_kept(const sandbox_plan_t *p, const char *name, size_t len) {
        for (size_t i = 0; i < p->n_env_keep; i++) {
                const char *k = p->env_keep[i];
                size_t klen = strlen(k);

                if (klen && k[klen - 1] == '*' ? len >= klen - 1 && strncmp(name, k, klen - 1) == 0
                                               : len == klen && strncmp(name, k, len) == 0)
                        return true;
        }
        return false;
}

/* The environment the child would have, as "NAME=VALUE" strings (borrowed). */
typedef struct env_sim {
        const char **vars;
        size_t n;
} env_sim_t;

static size_t env_find(const env_sim_t *sim, const char *name) {
        size_t len = strlen(name);

        for (size_t i = 0; i < sim->n; i++)
                if (strncmp(sim->vars[i], name, len) == 0 && sim->vars[i][len] == '=')
                        return i;
        return sim->n;
}

static void env_remove(env_sim_t *sim, size_t i) {
        if (i < sim->n)
                sim->vars[i] = sim->vars[--sim->n];
}

/* The child applies the env ops in order, and --clearenv drops everything but PWD. Here, in the
 * parent, each --clearenv is followed by the --setenv ops that give the kept variables back the
 * values they had just before it; the child then needs to know nothing of --env-keep. */
static void resolve_env_keep(sandbox_plan_t *p) {
        extern char **environ;
        _cleanup_free_ env_op_t *ops = NULL;
        env_sim_t sim = { 0 };
        size_t n_ops = 0;
        bool clears = false;

        for (size_t i = 0; i < p->n_env; i++)
                clears |= p->env[i].type == ENV_CLEAR;
        if (!p->n_env_keep || !clears)
                return;
        for (char **v = environ; *v; v++)
                if (strchr(*v, '='))
                        APPEND(sim.vars, sim.n, *v);
        for (size_t i = 0; i < p->n_env; i++) {
                const env_op_t *op = &p->env[i];

                APPEND(ops, n_ops, *op);
                if (op->type == ENV_UNSET)
                        env_remove(&sim, env_find(&sim, op->name));
                else if (op->type == ENV_SET) {
                        char *var = xasprintf("%s=%s", op->name, op->value);
                        APPEND(p->owned, p->n_owned, var);
                        env_remove(&sim, env_find(&sim, op->name));
                        APPEND(sim.vars, sim.n, var);
                } else
                        for (size_t v = 0; v < sim.n;) {
                                size_t len = strcspn(sim.vars[v], "=");
                                char *name;

                                if (len == 3 && strncmp(sim.vars[v], "PWD", 3) == 0) {
                                        v++;
                                        continue;
                                }
                                if (!env_kept(p, sim.vars[v], len)) {
                                        env_remove(&sim, v);
                                        continue;
                                }
                                name = xasprintf("%.*s", (int) len, sim.vars[v]);
                                APPEND(p->owned, p->n_owned, name);
                                APPEND(ops, n_ops,
                                       ((env_op_t){ .type = ENV_SET, .name = name, .value = sim.vars[v] + len + 1 }));
                                v++;
                        }
        }
        free(sim.vars);
        free(p->env);
        p->env = TAKE_PTR(ops);
        p->n_env = n_ops;
}

/* ---- --limit-try ---- */

/* The uid the command has on the host: the kernel exempts processes of uid 0 (outside any user
 * namespace) from RLIMIT_NPROC, whatever they are inside. */
static unsigned long command_host_uid(const launch_t *launch) {
        const sandbox_plan_t *p = launch->plan;
        unsigned long inside = p->uid_set ? p->uid : launch->real_uid;

        if (!p->n_uid_maps)
                return launch->real_uid;
        if (!p->uid_set)
                inside = userns_inside_id(p->uid_maps, p->n_uid_maps, launch->real_uid, 0);
        for (size_t i = 0; i < p->n_uid_maps; i++)
                if (inside >= p->uid_maps[i].inside && inside - p->uid_maps[i].inside < p->uid_maps[i].count)
                        return p->uid_maps[i].outside + (inside - p->uid_maps[i].inside);
        return launch->real_uid;
}

/* pids as RLIMIT_NPROC, which since Linux 5.14 the kernel counts per user namespace (ucounts):
 * the processes of the command's uid in the sandbox, its pid 1 included, and not the caller's
 * others. An --rlimit nproc of the plan's own stands. */
static bool pids_as_nproc(launch_t *launch, unsigned long long max) {
        sandbox_plan_t *p = launch->plan;
        struct rlimit cur;

        if (command_host_uid(launch) == 0)
                return false;
        for (size_t i = 0; i < p->n_rlimits; i++)
                if (p->rlimits[i].resource == RLIMIT_NPROC)
                        return true;
        if (max == ULLONG_MAX)
                return true; /* "max": nothing to limit */
        if (getrlimit(RLIMIT_NPROC, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && cur.rlim_max < max)
                max = cur.rlim_max; /* only root could raise it; the lower one is stricter */
        APPEND(p->rlimits, p->n_rlimits, ((rlimit_op_t){ .resource = RLIMIT_NPROC, .soft = max, .hard = max }));
        return true;
}

/* Without a cgroup: pids falls back to RLIMIT_NPROC, where it holds; what can't be applied is
 * named on one line, once. */
static void limits_try_fallback(launch_t *launch, unsigned kinds, const char *why) {
        sandbox_plan_t *p = launch->plan;
        char missed[512] = "";
        size_t n = 0;

        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++) {
                const char *note = "";

                if (!(kinds & (1U << k)))
                        continue;
                if (k == LIMIT_PIDS) {
                        if (pids_as_nproc(launch, p->limits_try[k]))
                                continue;
                        note = " (RLIMIT_NPROC does not bind uid 0 on the host)";
                }
                n += (size_t) snprintf(missed + n, sizeof missed - n, "%s%s%s", n ? ", " : "", limit_kind_name(k),
                                       note);
                if (n >= sizeof missed)
                        break;
        }
        if (*missed)
                log_warning("limit-try: not applied: %s; %s", missed, why);
}

int prepare_cgroup(launch_t *launch, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        /* Hard limits fail closed; --stats and --limit-try make do without a cgroup. A --limit of
         * the same kind overrides the -try one. */
        bool need = limits_need_cgroup(p);
        unsigned kinds = p->limits_try_set & ~p->limits_set;
        const char *reason;
        char why[256];
        int r;

        if (!limits_want_cgroup(p) && !kinds)
                return 0;
        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++)
                if (kinds & (1U << k))
                        p->limits[k] = p->limits_try[k];
        p->limits_set |= kinds;
        if ((r = cgroup_setup(p, &launch->cgroup, e)) >= 0) {
                launch->cgroup_used = true;
                launch->cgroup_gate = launch->legacy;
                return 0;
        }
        if (need)
                return r;
        p->limits_set &= ~kinds;
        /* cgroup.c's reason, without the "--limit KIND: " it starts with. */
        reason = strncmp(e->msg, "--limit ", 8) == 0 && strstr(e->msg, ": ") ? strstr(e->msg, ": ") + 2 : e->msg;
        snprintf(why, sizeof why, "no cgroup to apply them in: %.200s", reason);
        /* Its message and hint must not stick to a later error. */
        *e = (sandbox_error_t){ .stage = STAGE_PREPARE };
        limits_try_fallback(launch, kinds, why);
        return 0;
}
