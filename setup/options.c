/* SPDX-License-Identifier: MIT */
/* The options table and the parser that turns argv into a sandbox_plan. No syscalls here
 * (--args reads through a callback), so it can be unit-tested and fuzzed. */
#include "options.h"
#include "limits.h"
#include "oci-seccomp.h"
#include "policy.h"
#include "rules.h"

#include "libseccomp.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/capability.h>

#define ALL_CAPS UINT64_MAX

void plan_init(sandbox_plan_t *p) {
        *p = (sandbox_plan_t) {
                .userns_fd = -1,
                .userns2_fd = -1,
                .pidns_fd = -1,
                .block_fd = -1,
                .userns_block_fd = -1,
                .info_fd = -1,
                .json_status_fd = -1,
                .pending_mode = -1,
                .args_fd = -1,
        };
}

void plan_free(sandbox_plan_t *p) {
        for (size_t i = 0; i < p->n_ops; i++) {
                free(p->ops[i].origin);
                free(p->ops[i].layers);
        }
        free(p->ops);
        for (size_t i = 0; i < p->n_rules; i++)
                rules_free(&p->rules[i]);
        free(p->rules);
        free(p->arches);
        free(p->env);
        free(p->uid_maps);
        free(p->gid_maps);
        free(p->lock_files);
        free(p->sync_fds);
        free(p->keep_fds);
        free(p->seccomp_fds);
        free(p->io_limits);
        free(p->rlimits);
        free(p->pending_layers);
        for (size_t i = 0; i < p->n_applied; i++)
                free(p->applied[i].args);
        free(p->applied);
        free(p->argv);
        for (size_t i = 0; i < p->n_owned; i++)
                free(p->owned[i]);
        free(p->owned);
        plan_init(p);
}

/* ---- argument parsers: every bad value names the option and the value ---- */

static int arg_fd(const option_def_t *o, const char *s, int *ret, sandbox_error_t *e) {
        int r = parse_fd(s, ret);
        if (r < 0)
                return error_msg(e, "--%s: '%s' is not a valid file descriptor number", o->name, s);
        return 0;
}

static int arg_id(const option_def_t *o, const char *s, unsigned long *ret, sandbox_error_t *e) {
        unsigned long long v;

        /* (uid_t) -1 means "no change" to the kernel, so it can't be an id. */
        if (parse_uint64(s, 10, &v) < 0 || v >= UINT32_MAX)
                return error_msg(e, "--%s: '%s' is not a valid id (0 to 4294967294)", o->name, s);
        *ret = (unsigned long) v;
        return 0;
}

static int arg_mode(const option_def_t *o, const char *s, int *ret, sandbox_error_t *e) {
        unsigned long long v;

        if (parse_uint64(s, 8, &v) < 0 || v > 07777)
                return error_msg(e, "--%s: '%s' is not an octal mode (0 to 7777)", o->name, s);
        *ret = (int) v;
        return 0;
}

/* Destinations may be written relative, as bubblewrap allows; they are resolved from the
 * sandbox's root. An empty one is always a mistake. */
static int arg_path(const option_def_t *o, const char *what, const char *s, sandbox_error_t *e) {
        if (!*s)
                return error_msg(e, "--%s: empty %s", o->name, what);
        return 0;
}

static int arg_cap(const option_def_t *o, const char *s, uint64_t *ret, sandbox_error_t *e) {
        _cleanup_free_ char *name = NULL;
        cap_value_t v;

        if (strcasecmp(s, "ALL") == 0) {
                *ret = ALL_CAPS;
                return 0;
        }
        name = strncasecmp(s, "CAP_", 4) == 0 ? xstrdup(s) : xasprintf("cap_%s", s);
        for (char *c = name; *c; c++)
                *c = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        /* cap_from_name also takes numbers; a capability is asked for by name. */
        if ((name[4] >= '0' && name[4] <= '9') || cap_from_name(name, &v) < 0 || v < 0 || v > 63)
                return error_msg(e, "--%s: unknown capability '%s' (names as in capabilities(7), e.g. CAP_NET_RAW, or ALL)",
                                 o->name, s);
        *ret = UINT64_C(1) << v;
        return 0;
}

/* ---- handlers ---- */

static int op_modifiers_check(sandbox_plan_t *p, const option_def_t *o, mount_type_t type, sandbox_error_t *e) {
        bool takes_mode = type == MOUNT_BIND_DATA || type == MOUNT_FILE || type == MOUNT_TMPFS || type == MOUNT_DIR;

        if (p->pending_mode >= 0 && !takes_mode)
                return error_msg(e, "--perms must be followed by --bind-data, --ro-bind-data, --file, --tmpfs or --dir, not --%s",
                                 o->name);
        if (p->pending_size && type != MOUNT_TMPFS)
                return error_msg(e, "--size must be followed by --tmpfs, not --%s", o->name);
        if (p->n_pending_layers && type != MOUNT_OVERLAY)
                return error_msg(e, "--overlay-src must be followed by --overlay, --tmp-overlay or --ro-overlay, not --%s",
                                 o->name);
        return 0;
}

static mount_op_t *op_new(sandbox_plan_t *p, const option_def_t *o, mount_type_t type, char **args) {
        mount_op_t *op;
        size_t len = strlen(o->name) + 3;

        p->ops = xrealloc_array(p->ops, p->n_ops + 1, sizeof *p->ops);
        op = &p->ops[p->n_ops++];
        *op = (mount_op_t) { .type = type, .fd = -1, .mode = p->pending_mode, .size = p->pending_size };
        for (unsigned i = 0; i < o->nargs; i++)
                len += strlen(args[i]) + 1;
        op->origin = xmalloc0(len);
        strcat(strcat(op->origin, "--"), o->name);
        for (unsigned i = 0; i < o->nargs; i++)
                strcat(strcat(op->origin, " "), args[i]);
        p->pending_mode = -1;
        p->pending_size = 0;
        return op;
}

/* data: mount_type_t in the low byte, mount_flags_t above it. */
#define OPDATA(type, flags) ((unsigned) (type) | ((unsigned) (flags) << 8))

static int h_bind(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int r;

        if ((r = op_modifiers_check(p, o, MOUNT_BIND, e)) < 0 ||
            (r = arg_path(o, "source", args[0], e)) < 0 ||
            (r = arg_path(o, "destination", args[1], e)) < 0)
                return r;
        op = op_new(p, o, MOUNT_BIND, args);
        op->flags = o->data >> 8;
        op->source = args[0];
        op->dest = args[1];
        return 0;
}

static int h_bind_fd(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int fd, r;

        if ((r = op_modifiers_check(p, o, MOUNT_BIND, e)) < 0 ||
            (r = arg_fd(o, args[0], &fd, e)) < 0 ||
            (r = arg_path(o, "destination", args[1], e)) < 0)
                return r;
        op = op_new(p, o, MOUNT_BIND, args);
        op->flags = o->data >> 8;
        op->fd = fd;
        op->dest = args[1];
        return 0;
}

/* One destination: --proc, --dev, --tmpfs, --mqueue, --sys, --dir, --remount-ro, overlays. */
static int h_dest_op(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_type_t type = o->data & 0xff;
        mount_op_t *op;
        int r;

        if ((r = op_modifiers_check(p, o, type, e)) < 0 ||
            (r = arg_path(o, "destination", args[o->nargs - 1], e)) < 0)
                return r;
        if (type == MOUNT_OVERLAY && p->n_pending_layers == 0)
                return error_msg(e, "--%s needs at least one --overlay-src before it", o->name);
        /* overlayfs without an upper layer wants two lower ones. */
        if (type == MOUNT_OVERLAY && (o->data >> 8) & MOUNT_FLAG_RO && p->n_pending_layers < 2)
                return error_msg(e, "--%s needs at least two --overlay-src before it", o->name);
        op = op_new(p, o, type, args);
        op->flags = o->data >> 8;
        op->dest = args[o->nargs - 1];
        if (type == MOUNT_OVERLAY) {
                if (o->nargs == 3) {
                        if ((r = arg_path(o, "upper directory", args[0], e)) < 0 ||
                            (r = arg_path(o, "work directory", args[1], e)) < 0)
                                return r;
                        op->source = args[0];
                        op->workdir = args[1];
                }
                op->layers = TAKE_PTR(p->pending_layers);
                op->n_layers = p->n_pending_layers;
                p->n_pending_layers = 0;
        }
        return 0;
}

static int h_fd_op(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_type_t type = o->data & 0xff;
        mount_op_t *op;
        int fd, r;

        if ((r = op_modifiers_check(p, o, type, e)) < 0 ||
            (r = arg_fd(o, args[0], &fd, e)) < 0 ||
            (r = arg_path(o, "destination", args[1], e)) < 0)
                return r;
        op = op_new(p, o, type, args);
        op->flags = o->data >> 8;
        op->fd = fd;
        op->dest = args[1];
        return 0;
}

static int h_symlink(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int r;

        if ((r = op_modifiers_check(p, o, MOUNT_SYMLINK, e)) < 0 ||
            (r = arg_path(o, "target", args[0], e)) < 0 ||
            (r = arg_path(o, "destination", args[1], e)) < 0)
                return r;
        op = op_new(p, o, MOUNT_SYMLINK, args);
        op->source = args[0];
        op->dest = args[1];
        return 0;
}

static int h_chmod(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int mode = 0, r;

        if ((r = op_modifiers_check(p, o, MOUNT_CHMOD, e)) < 0 ||
            (r = arg_mode(o, args[0], &mode, e)) < 0 ||
            (r = arg_path(o, "path", args[1], e)) < 0)
                return r;
        op = op_new(p, o, MOUNT_CHMOD, args);
        op->mode = mode;
        op->dest = args[1];
        return 0;
}

static int h_perms(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (p->pending_mode >= 0)
                return error_msg(e, "--perms given twice for the same operation");
        return arg_mode(o, args[0], &p->pending_mode, e);
}

static int h_size(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        unsigned long long v;

        if (p->pending_size)
                return error_msg(e, "--size given twice for the same operation");
        if (parse_size(args[0], &v) < 0 || v == 0)
                return error_msg(e, "--size: '%s' is not a size in bytes (a positive number, optionally with k, M or G)",
                                 args[0]);
        p->pending_size = v;
        return 0;
}

static int h_overlay_src(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = arg_path(o, "source", args[0], e);
        if (r < 0)
                return r;
        if (strchr(args[0], ',') || strchr(args[0], ':'))
                return error_msg(e, "--overlay-src: '%s' contains ',' or ':', which overlayfs can't take in a layer path",
                                 args[0]);
        APPEND(p->pending_layers, p->n_pending_layers, args[0]);
        return 0;
}

static int h_unshare(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->unshare |= o->data;
        p->unshare_try &= ~o->data;
        return 0;
}

static int h_unshare_try(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        /* An earlier hard request stays hard. */
        if (!(p->unshare & o->data))
                p->unshare_try |= o->data;
        p->unshare |= o->data;
        return 0;
}

static int h_unshare_all(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (!(p->unshare & NS_USER))
                p->unshare_try |= NS_USER;
        if (!(p->unshare & NS_CGROUP))
                p->unshare_try |= NS_CGROUP;
        p->unshare |= NS_USER | NS_IPC | NS_PID | NS_NET | NS_UTS | NS_CGROUP;
        return 0;
}

static int h_share_net(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->unshare &= ~NS_NET;
        return 0;
}

/* data: offset of the int field in the plan */
static int h_fd_field(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int *field = (int *) ((char *) p + o->data);
        return arg_fd(o, args[0], field, e);
}

static int h_fd_list(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int fd, r = arg_fd(o, args[0], &fd, e);

        if (r < 0)
                return r;
        if (strcmp(o->name, "sync-fd") == 0)
                APPEND(p->sync_fds, p->n_sync_fds, fd);
        else
                APPEND(p->keep_fds, p->n_keep_fds, fd);
        return 0;
}

static int h_seccomp(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        bool single = strcmp(o->name, "seccomp") == 0;
        int fd, r = arg_fd(o, args[0], &fd, e);

        if (r < 0)
                return r;
        if (single && p->seccomp_single)
                return error_msg(e, "--seccomp given twice; use --add-seccomp-fd to stack filters");
        if (p->n_seccomp_fds && (single || p->seccomp_single))
                return error_msg(e, "--seccomp cannot be combined with --add-seccomp-fd");
        p->seccomp_single = single;
        APPEND(p->seccomp_fds, p->n_seccomp_fds, fd);
        return 0;
}

/* data: offset of the const char * field */
static int h_string_field(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        const char **field = (const char **) ((char *) p + o->data);
        int r = arg_path(o, "value", args[0], e);
        if (r < 0)
                return r;
        *field = args[0];
        return 0;
}

/* data: offset of the bool field */
static int h_flag(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        *(bool *) ((char *) p + o->data) = true;
        return 0;
}

static int h_hostname(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (!*args[0] || strlen(args[0]) > 64)
                return error_msg(e, "--hostname: '%s' is not a valid host name (1 to 64 characters)", args[0]);
        p->hostname = args[0];
        return 0;
}

static int h_uid(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        unsigned long v = 0;
        int r = arg_id(o, args[0], &v, e);

        if (r < 0)
                return r;
        if (strcmp(o->name, "uid") == 0) {
                p->uid = (uid_t) v;
                p->uid_set = true;
        } else {
                p->gid = (gid_t) v;
                p->gid_set = true;
        }
        return 0;
}

static int h_id_map(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        id_map_t m;
        int r;

        if ((r = arg_id(o, args[0], &m.inside, e)) < 0 || (r = arg_id(o, args[1], &m.outside, e)) < 0)
                return r;
        if (parse_uint64(args[2], 10, &(unsigned long long) { 0 }) < 0 || atoll(args[2]) <= 0 ||
            (unsigned long long) atoll(args[2]) > UINT32_MAX - m.inside ||
            (unsigned long long) atoll(args[2]) > UINT32_MAX - m.outside)
                return error_msg(e, "--%s: '%s' is not a valid count (ranges must stay below 2^32)", o->name, args[2]);
        m.count = (unsigned long) atoll(args[2]);
        if (strcmp(o->name, "uid-map") == 0)
                APPEND(p->uid_maps, p->n_uid_maps, m);
        else
                APPEND(p->gid_maps, p->n_gid_maps, m);
        return 0;
}

static bool env_name_valid(const char *s) {
        return *s && !strchr(s, '=');
}

static int h_env(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        env_op_t op = { .type = o->data };

        if (op.type != ENV_CLEAR) {
                if (!env_name_valid(args[0]))
                        return error_msg(e, "--%s: '%s' is not a valid variable name (empty or contains '=')",
                                         o->name, args[0]);
                op.name = args[0];
                if (op.type == ENV_SET)
                        op.value = args[1];
        }
        APPEND(p->env, p->n_env, op);
        return 0;
}

static int h_lock_file(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = arg_path(o, "path", args[0], e);
        if (r < 0)
                return r;
        APPEND(p->lock_files, p->n_lock_files, args[0]);
        return 0;
}

static int h_caps(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        uint64_t bits = 0;
        int r = arg_cap(o, args[0], &bits, e);

        if (r < 0)
                return r;
        p->caps_changed = true;
        if (strcmp(o->name, "cap-add") == 0)
                p->caps |= bits;
        else
                p->caps &= ~bits;
        return 0;
}

static int h_syscall(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        syscall_rule_t r;
        int k = rules_parse(args[0], &r, e);

        if (k < 0) {
                error_prefix(e, "--syscall");
                return k;
        }
        APPEND(p->rules, p->n_rules, r);
        return 0;
}

static int h_syscall_default(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = rules_parse_action(args[0], &p->syscall_default, e);

        if (r < 0) {
                error_prefix(e, "--syscall-default");
                return r;
        }
        p->syscall_default_set = true;
        return 0;
}

static int h_syscall_arch(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        uint32_t arch;
        int r = libseccomp_open(e);

        if (r < 0)
                return r;
        arch = strcmp(args[0], "native") == 0 ? sc.arch_native() : sc.arch_resolve_name(args[0]);

        if (arch == 0)
                return error_msg(e, "--syscall-arch: unknown architecture '%s' (native, x86, x86_64, x32, ...)", args[0]);
        if (arch != sc.arch_native())
                APPEND(p->arches, p->n_arches, arch);
        return 0;
}

/* Handled by options_parse() and policy.c, which read the file through the io; here for the table. */
static int h_syscall_import(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return 0;
}

int options_import_profile(sandbox_plan_t *p, const char *path, const options_io_t *io, sandbox_error_t *e) {
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        if (!io || !io->read_file)
                return error_msg(e, "--syscall-import %s: reading files is not possible here", path);
        if ((r = io->read_file(path, &data, &size)) < 0)
                return error_errno(e, r, "--syscall-import %s", path);
        if (memchr(data, 0, size))
                return error_msg(e, "--syscall-import %s: not a JSON file (it holds a NUL byte)", path);
        if ((r = oci_seccomp_import(p, path, data, size, io->kernel ? io->kernel : "0.0", e)) < 0)
                return r;
        return options_apply(p, options_find("syscall-import"), (char *[]) { (char *) path, NULL }, e);
}

/* Handled by the parser itself (it splices arguments in); here for the table. */
static int h_args(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return 0;
}

/* Handled by options_parse() and policy.c (they need the io); here for the table. */
static int h_policy(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return 0;
}

static int h_action(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->action = (plan_action_t) o->data;
        return 0;
}

static int h_check_policy(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->action = ACTION_CHECK_POLICY;
        p->check_policy = args[0];
        return 0;
}

#define F(field) offsetof(sandbox_plan_t, field)

static const option_def_t table[] = {
        /* general */
        { "help", 0, NULL, NULL, 0, OPT_GROUP_GENERAL, OPT_CLI_ONLY, "Print this help and exit" },
        { "version", 0, NULL, NULL, 0, OPT_GROUP_GENERAL, OPT_CLI_ONLY, "Print the version and exit" },
        { "args", 1, "FD", h_args, 0, OPT_GROUP_GENERAL, OPT_CLI_ONLY, "Parse NUL-separated arguments from FD" },
        { "policy", 1, "NAME|PATH", h_policy, 0, OPT_GROUP_GENERAL, OPT_EXTENSION,
          "Apply a policy file here (a name is searched for; see sandbox.policy(5))" },
        { "no-default-policy", 0, NULL, h_flag, F(no_default_policy), OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_CLI_ONLY,
          "Don't apply the built-in default policy" },
        { "print-policy", 0, NULL, h_action, ACTION_PRINT_POLICY, OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_CLI_ONLY,
          "Print the effective policy instead of running" },
        { "check-policy", 1, "FILE", h_check_policy, 0, OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_CLI_ONLY,
          "Load FILE and report its errors, then exit" },
        { "argv0", 1, "VALUE", h_string_field, F(argv0), OPT_GROUP_GENERAL, 0, "Set argv[0] of the command" },
        { "level-prefix", 0, NULL, h_flag, F(level_prefix), OPT_GROUP_GENERAL, 0, "Prefix messages with a syslog level <N>" },
        /* namespaces */
        { "unshare-all", 0, NULL, h_unshare_all, 0, OPT_GROUP_NAMESPACES, 0,
          "Unshare user (if possible), ipc, pid, net, uts and cgroup (if possible)" },
        { "share-net", 0, NULL, h_share_net, 0, OPT_GROUP_NAMESPACES, 0, "Keep the network namespace (after --unshare-all)" },
        { "unshare-user", 0, NULL, h_unshare, NS_USER, OPT_GROUP_NAMESPACES, 0, "New user namespace (implied when not root)" },
        { "unshare-user-try", 0, NULL, h_unshare_try, NS_USER, OPT_GROUP_NAMESPACES, 0, "New user namespace if possible" },
        { "unshare-ipc", 0, NULL, h_unshare, NS_IPC, OPT_GROUP_NAMESPACES, 0, "New ipc namespace" },
        { "unshare-pid", 0, NULL, h_unshare, NS_PID, OPT_GROUP_NAMESPACES, 0, "New pid namespace" },
        { "unshare-net", 0, NULL, h_unshare, NS_NET, OPT_GROUP_NAMESPACES, 0, "New network namespace (only loopback, up)" },
        { "unshare-uts", 0, NULL, h_unshare, NS_UTS, OPT_GROUP_NAMESPACES, 0, "New uts namespace" },
        { "unshare-cgroup", 0, NULL, h_unshare, NS_CGROUP, OPT_GROUP_NAMESPACES, 0, "New cgroup namespace" },
        { "unshare-cgroup-try", 0, NULL, h_unshare_try, NS_CGROUP, OPT_GROUP_NAMESPACES, 0, "New cgroup namespace if possible" },
        { "unshare-time", 0, NULL, h_unshare, NS_TIME, OPT_GROUP_NAMESPACES, OPT_EXTENSION, "New time namespace" },
        { "userns", 1, "FD", h_fd_field, F(userns_fd), OPT_GROUP_NAMESPACES, 0, "Use the user namespace FD refers to" },
        { "userns2", 1, "FD", h_fd_field, F(userns2_fd), OPT_GROUP_NAMESPACES, 0, "After setup, switch into the user namespace FD" },
        { "pidns", 1, "FD", h_fd_field, F(pidns_fd), OPT_GROUP_NAMESPACES, 0, "Use the pid namespace FD (as parent with --unshare-pid)" },
        { "disable-userns", 0, NULL, h_flag, F(disable_userns), OPT_GROUP_NAMESPACES, 0, "Forbid new user namespaces inside" },
        { "assert-userns-disabled", 0, NULL, h_flag, F(assert_userns_disabled), OPT_GROUP_NAMESPACES, 0,
          "Fail unless new user namespaces are already impossible" },
        { "uid", 1, "UID", h_uid, 0, OPT_GROUP_NAMESPACES, 0, "User id in the sandbox (needs a user namespace)" },
        { "gid", 1, "GID", h_uid, 0, OPT_GROUP_NAMESPACES, 0, "Group id in the sandbox (needs a user namespace)" },
        { "uid-map", 3, "IN OUT COUNT", h_id_map, 0, OPT_GROUP_NAMESPACES, OPT_EXTENSION,
          "Map COUNT uids from OUT (in /etc/subuid) to IN, through newuidmap" },
        { "gid-map", 3, "IN OUT COUNT", h_id_map, 0, OPT_GROUP_NAMESPACES, OPT_EXTENSION,
          "Map COUNT gids from OUT (in /etc/subgid) to IN, through newgidmap" },
        { "hostname", 1, "NAME", h_hostname, 0, OPT_GROUP_NAMESPACES, 0, "Host name in the sandbox (needs --unshare-uts)" },
        /* process */
        { "chdir", 1, "DIR", h_string_field, F(chdir), OPT_GROUP_PROCESS, 0, "Change directory to DIR" },
        { "clearenv", 0, NULL, h_env, ENV_CLEAR, OPT_GROUP_PROCESS, 0, "Unset every environment variable but PWD" },
        { "setenv", 2, "VAR VALUE", h_env, ENV_SET, OPT_GROUP_PROCESS, 0, "Set an environment variable" },
        { "unsetenv", 1, "VAR", h_env, ENV_UNSET, OPT_GROUP_PROCESS, 0, "Unset an environment variable" },
        { "lock-file", 1, "DEST", h_lock_file, 0, OPT_GROUP_PROCESS, 0, "Hold a read lock on DEST while the sandbox runs" },
        { "sync-fd", 1, "FD", h_fd_list, 0, OPT_GROUP_PROCESS, 0, "Keep FD open while the sandbox runs (repeatable)" },
        { "block-fd", 1, "FD", h_fd_field, F(block_fd), OPT_GROUP_PROCESS, 0, "Wait for data on FD before running the command" },
        { "userns-block-fd", 1, "FD", h_fd_field, F(userns_block_fd), OPT_GROUP_PROCESS, 0,
          "Wait for data on FD once the user namespace exists" },
        { "info-fd", 1, "FD", h_fd_field, F(info_fd), OPT_GROUP_PROCESS, 0, "Write information about the sandbox to FD" },
        { "json-status-fd", 1, "FD", h_fd_field, F(json_status_fd), OPT_GROUP_PROCESS, 0,
          "Write JSON status (start, exit code) to FD" },
        { "new-session", 0, NULL, h_flag, F(new_session), OPT_GROUP_PROCESS, 0, "Start a new terminal session" },
        { "die-with-parent", 0, NULL, h_flag, F(die_with_parent), OPT_GROUP_PROCESS, 0,
          "Kill the sandbox when this tool or its parent dies" },
        { "as-pid-1", 0, NULL, h_flag, F(as_pid_1), OPT_GROUP_PROCESS, 0, "Run the command as pid 1 (no init)" },
        { "cap-add", 1, "CAP", h_caps, 0, OPT_GROUP_PROCESS, 0, "Keep capability CAP (or ALL) in the sandbox" },
        { "cap-drop", 1, "CAP", h_caps, 0, OPT_GROUP_PROCESS, 0, "Drop capability CAP (or ALL) again" },
        { "close-fds", 0, NULL, h_flag, F(close_fds), OPT_GROUP_PROCESS, OPT_EXTENSION,
          "Close every inherited fd but 0-2 and --keep-fd ones" },
        { "keep-fd", 1, "FD", h_fd_list, 0, OPT_GROUP_PROCESS, OPT_EXTENSION, "Keep FD open with --close-fds (repeatable)" },
        { "seccomp", 1, "FD", h_seccomp, 0, OPT_GROUP_PROCESS, 0, "Load a compiled seccomp BPF program from FD" },
        { "add-seccomp-fd", 1, "FD", h_seccomp, 0, OPT_GROUP_PROCESS, 0, "Stack another seccomp BPF program from FD" },
        { "exec-label", 1, "LABEL", h_string_field, F(exec_label), OPT_GROUP_PROCESS, 0, "SELinux label of the command" },
        { "file-label", 1, "LABEL", h_string_field, F(file_label), OPT_GROUP_PROCESS, 0, "SELinux label of files the sandbox creates" },
        { "not-a-security-boundary", 0, NULL, h_flag, F(not_a_security_boundary), OPT_GROUP_PROCESS, 0,
          "Warn instead of failing when a submount can't be made read-only" },
        /* syscall filter */
        { "syscall-default", 1, "ACTION", h_syscall_default, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "What syscalls no rule names get (default: allow)" },
        { "syscall", 1, "RULE", h_syscall, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_REST,
          "A rule: 'ACTION NAME|@GROUP... [if argN OP VALUE && ...]'" },
        { "syscall-arch", 1, "ARCH", h_syscall_arch, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "Also filter this ABI (others are killed)" },
        { "syscall-import", 1, "FILE", h_syscall_import, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "Add the rules of an OCI or Docker seccomp profile (JSON)" },
        { "export-pfc", 0, NULL, h_action, ACTION_EXPORT_PFC, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_CLI_ONLY,
          "Print the compiled filter as readable pseudo code and exit" },
        { "export-bpf", 1, "FILE", h_string_field, F(export_bpf), OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_CLI_ONLY,
          "Also write the compiled filter to FILE" },
        /* resource limits */
        { "limit", 2, "KIND VALUE", h_limit, 0, OPT_GROUP_LIMITS, OPT_EXTENSION | OPT_IO_ARITY,
          "Limit a resource through cgroup v2: memory, memory-high, memory-swap SIZE; pids N; cpu CPUS; "
          "cpu-weight, io-weight 1-10000; io-read-bps, io-write-bps DEV RATE" },
        { "rlimit", 2, "NAME SOFT[:HARD]", h_rlimit, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Set a setrlimit(2) resource (nofile, nproc, core, as, stack, ... ; 'unlimited')" },
        { "timeout", 1, "SECONDS", h_timeout, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Stop the command after SECONDS: SIGTERM, SIGKILL 10 s later; exit status 124" },
        { "stats", 0, NULL, h_flag, F(stats), OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Report peak memory, CPU time and limit hits when the command ends" },
        { "cgroup-manager", 1, "MANAGER", h_cgroup_manager, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Where the cgroup comes from: auto (default), cgroupfs (a delegated cgroup), systemd (a scope over D-Bus)" },
        /* filesystem */
        { "bind", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, 0), OPT_GROUP_FILESYSTEM, 0, "Bind SRC on DEST, writable" },
        { "bind-try", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, MOUNT_FLAG_TRY), OPT_GROUP_FILESYSTEM, 0,
          "Like --bind, skipped if SRC is missing" },
        { "dev-bind", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, MOUNT_FLAG_DEV), OPT_GROUP_FILESYSTEM, 0,
          "Bind SRC on DEST, devices usable" },
        { "dev-bind-try", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, MOUNT_FLAG_DEV | MOUNT_FLAG_TRY), OPT_GROUP_FILESYSTEM, 0,
          "Like --dev-bind, skipped if SRC is missing" },
        { "ro-bind", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Bind SRC on DEST, read-only (submounts too)" },
        { "ro-bind-try", 2, "SRC DEST", h_bind, OPDATA(MOUNT_BIND, MOUNT_FLAG_RO | MOUNT_FLAG_TRY), OPT_GROUP_FILESYSTEM, 0,
          "Like --ro-bind, skipped if SRC is missing" },
        { "bind-fd", 2, "FD DEST", h_bind_fd, OPDATA(MOUNT_BIND, 0), OPT_GROUP_FILESYSTEM, 0, "Bind the file or dir FD on DEST" },
        { "ro-bind-fd", 2, "FD DEST", h_bind_fd, OPDATA(MOUNT_BIND, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Bind the file or dir FD on DEST, read-only" },
        { "remount-ro", 1, "DEST", h_dest_op, OPDATA(MOUNT_REMOUNT_RO, 0), OPT_GROUP_FILESYSTEM, 0,
          "Make the mount at DEST read-only (not recursive)" },
        { "overlay-src", 1, "SRC", h_overlay_src, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER,
          "Add a lower layer for the next overlay (the first given is on top)" },
        { "overlay", 3, "RWSRC WORKDIR DEST", h_dest_op, OPDATA(MOUNT_OVERLAY, 0), OPT_GROUP_FILESYSTEM, 0,
          "Overlay on DEST, writes go to RWSRC" },
        { "tmp-overlay", 1, "DEST", h_dest_op, OPDATA(MOUNT_OVERLAY, MOUNT_FLAG_TMP), OPT_GROUP_FILESYSTEM, 0,
          "Overlay on DEST, writes go to a throwaway tmpfs" },
        { "ro-overlay", 1, "DEST", h_dest_op, OPDATA(MOUNT_OVERLAY, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Read-only overlay on DEST" },
        { "proc", 1, "DEST", h_dest_op, OPDATA(MOUNT_PROC, 0), OPT_GROUP_FILESYSTEM, 0, "Mount a new procfs on DEST" },
        { "dev", 1, "DEST", h_dest_op, OPDATA(MOUNT_DEV, 0), OPT_GROUP_FILESYSTEM, 0, "Mount a minimal new /dev on DEST" },
        { "tmpfs", 1, "DEST", h_dest_op, OPDATA(MOUNT_TMPFS, 0), OPT_GROUP_FILESYSTEM, 0, "Mount a new tmpfs on DEST" },
        { "mqueue", 1, "DEST", h_dest_op, OPDATA(MOUNT_MQUEUE, 0), OPT_GROUP_FILESYSTEM, 0, "Mount a new mqueue on DEST" },
        { "sys", 1, "DEST", h_dest_op, OPDATA(MOUNT_SYS, 0), OPT_GROUP_FILESYSTEM, OPT_EXTENSION, "Mount sysfs read-only on DEST" },
        { "dir", 1, "DEST", h_dest_op, OPDATA(MOUNT_DIR, 0), OPT_GROUP_FILESYSTEM, 0, "Create a directory at DEST" },
        { "file", 2, "FD DEST", h_fd_op, OPDATA(MOUNT_FILE, 0), OPT_GROUP_FILESYSTEM, 0, "Copy data from FD to the file DEST" },
        { "bind-data", 2, "FD DEST", h_fd_op, OPDATA(MOUNT_BIND_DATA, 0), OPT_GROUP_FILESYSTEM, 0,
          "Copy data from FD to a file bound on DEST" },
        { "ro-bind-data", 2, "FD DEST", h_fd_op, OPDATA(MOUNT_BIND_DATA, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Copy data from FD to a file bound read-only on DEST" },
        { "symlink", 2, "SRC DEST", h_symlink, 0, OPT_GROUP_FILESYSTEM, 0, "Create a symlink at DEST pointing to SRC" },
        { "chmod", 2, "OCTAL PATH", h_chmod, 0, OPT_GROUP_FILESYSTEM, 0, "Change the mode of PATH" },
        { "perms", 1, "OCTAL", h_perms, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER,
          "Mode of the next --bind-data, --file, --tmpfs or --dir" },
        { "size", 1, "BYTES", h_size, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER, "Size limit of the next --tmpfs" },
};

const option_def_t *options_table(size_t *ret_n) {
        *ret_n = ELEMENTSOF(table);
        return table;
}

unsigned options_nargs(const option_def_t *o, const char *first) {
        return (o->flags & OPT_IO_ARITY) && first ? limit_nargs(first) : o->nargs;
}

const option_def_t *options_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (strcmp(table[i].name, name) == 0)
                        return &table[i];
        return NULL;
}

static int splice_args(sandbox_plan_t *p, int fd, int *argc, char ***argv, int at,
                       int (*read_fd)(int, char **, size_t *), sandbox_error_t *e) {
        _cleanup_free_ char *data = NULL;
        char **nargv;
        size_t size, n = 0;
        int r;

        if (!read_fd)
                return error_msg(e, "--args: reading arguments is not possible here");
        if (p->args_depth++ > 0)
                return error_msg(e, "--args can't be used inside the arguments read by --args");
        r = read_fd(fd, &data, &size);
        if (r < 0)
                return error_errno(e, r, "--args: reading fd %d", fd);
        p->args_fd = fd;
        for (size_t i = 0; i < size; i++)
                if (data[i] == 0)
                        n++;
        if (size > 0 && data[size - 1] != 0)
                n++;    /* the last argument needs no terminator */

        /* argv = before + spliced + after; the old vector may itself be ours from a previous splice. */
        nargv = xrealloc_array(NULL, *argc - 2 + n + 1, sizeof(char *));
        memcpy(nargv, *argv, at * sizeof(char *));
        for (size_t i = 0, k = at; i < size; k++) {
                nargv[k] = data + i;
                i += strlen(data + i) + 1;
        }
        memcpy(nargv + at + n, *argv + at + 2, (*argc - at - 2) * sizeof(char *));
        nargv[*argc - 2 + n] = NULL;
        *argc = (int) (*argc - 2 + n);
        *argv = nargv;
        APPEND(p->owned, p->n_owned, TAKE_PTR(data));
        APPEND(p->owned, p->n_owned, (char *) nargv);
        return 0;
}

int options_apply(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        /* args[0] only exists for an option that takes arguments. */
        applied_t a = { .option = o, .n_args = o->nargs ? options_nargs(o, args[0]) : 0 };
        int r = o->handler(p, o, args, e);

        if (r < 0)
                return r;
        if (o->flags & OPT_CLI_ONLY)
                return 0;
        /* Recorded for --print-policy; the strings live in argv or in p->owned. */
        a.args = xrealloc_array(NULL, a.n_args + 1, sizeof(char *));
        memcpy(a.args, args, a.n_args * sizeof(char *));
        a.args[a.n_args] = NULL;
        APPEND(p->applied, p->n_applied, a);
        return 0;
}

int options_parse(sandbox_plan_t *p, int argc, char **argv, const options_io_t *io, sandbox_error_t *e) {
        int i = 0, r;

        while (i < argc) {
                const char *arg = argv[i];
                const option_def_t *o;
                unsigned nargs;

                if (strcmp(arg, "--") == 0) {
                        i++;
                        break;
                }
                if (arg[0] != '-')
                        break;
                o = strncmp(arg, "--", 2) == 0 ? options_find(arg + 2) : NULL;
                if (!o) {
                        if (strchr(arg, '=') && strncmp(arg, "--", 2) == 0)
                                return error_msg(e, "unknown option '%s' (write option arguments as separate words: "
                                                 "'--opt value')", arg);
                        return error_msg(e, "unknown option '%s' (see --help)", arg);
                }
                nargs = options_nargs(o, i + 1 < argc ? argv[i + 1] : NULL);
                if (argc - i - 1 < (int) nargs)
                        return nargs > o->nargs ? error_msg(e, "--%s %s: missing argument (needs %u)", o->name,
                                                            argv[i + 1], nargs - 1)
                                                : error_msg(e, "--%s: missing argument (needs %s)", o->name, o->metavar);
                if (!o->handler) {      /* --help, --version: nothing else matters */
                        p->action = strcmp(o->name, "help") == 0 ? ACTION_HELP : ACTION_VERSION;
                        return 0;
                }
                if (o->handler == h_args) {
                        int fd;
                        if ((r = arg_fd(o, argv[i + 1], &fd, e)) < 0 ||
                            (r = splice_args(p, fd, &argc, &argv, i, io ? io->read_fd : NULL, e)) < 0)
                                return r;
                        continue;
                }
                if (o->handler == h_policy) {
                        p->policy_given = true;
                        r = policy_load(p, argv[i + 1], NULL, io, e);
                } else if (o->handler == h_syscall_import)
                        r = options_import_profile(p, argv[i + 1], io, e);
                else
                        r = options_apply(p, o, argv + i + 1, e);
                if (r < 0)
                        return r;
                i += 1 + (int) nargs;
        }

        if (p->pending_mode >= 0 || p->pending_size || p->n_pending_layers)
                return error_msg(e, "%s is not followed by the operation it modifies",
                                 p->pending_mode >= 0 ? "--perms" : p->pending_size ? "--size" : "--overlay-src");
        if (p->action == ACTION_CHECK_POLICY)
                return policy_load(p, p->check_policy, NULL, io, e);
        if (i >= argc) {
                if (p->action == ACTION_PRINT_POLICY || p->action == ACTION_EXPORT_PFC)
                        return 0;       /* a policy has no command */
                return error_msg(e, "no command given (usage: %s [OPTIONS...] [--] COMMAND [ARGS...])", log_program);
        }

        p->argc = (size_t) (argc - i);
        p->argv = xrealloc_array(NULL, p->argc + 1, sizeof(char *));
        memcpy(p->argv, argv + i, p->argc * sizeof(char *));
        p->argv[p->argc] = NULL;
        return 0;
}

/* Quotes a word for a policy file when it needs it: blanks, quotes, '#', '$', '\' or empty. */
static void print_word(FILE *f, const char *w) {
        if (*w && !strpbrk(w, " \t\"'#$\\")) {
                fputs(w, f);
                return;
        }
        fputc('"', f);
        for (; *w; w++) {
                if (*w == '"' || *w == '\\' || *w == '$')
                        fputc('\\', f);
                fputc(*w, f);
        }
        fputc('"', f);
}

void options_print_policy(FILE *f, const sandbox_plan_t *p) {
        fprintf(f, "# the effective policy, as sandbox(1) --print-policy wrote it\n");
        for (size_t i = 0; i < p->n_applied; i++) {
                fputs(p->applied[i].option->name, f);
                for (unsigned a = 0; a < p->applied[i].n_args; a++) {
                        fputc(' ', f);
                        if (p->applied[i].option->flags & OPT_REST)
                                fputs(p->applied[i].args[a], f);        /* the rest of the line, as written */
                        else
                                print_word(f, p->applied[i].args[a]);
                }
                fputc('\n', f);
        }
}

static bool map_covers(const id_map_t *maps, size_t n, unsigned long id) {
        for (size_t i = 0; i < n; i++)
                if (id >= maps[i].inside && id - maps[i].inside < maps[i].count)
                        return true;
        return false;
}

int options_validate(sandbox_plan_t *p, uid_t real_uid, sandbox_error_t *e) {
        /* Without privilege nothing works outside a user namespace, so it is implied (as bubblewrap does). */
        if (real_uid != 0 && p->userns_fd < 0) {
                p->unshare |= NS_USER;
                p->unshare_try &= ~NS_USER;
        }
        if (p->userns_fd >= 0 && (p->unshare & NS_USER) && !(p->unshare_try & NS_USER))
                return error_msg(e, "--userns can't be combined with --unshare-user");
        if (p->userns_fd >= 0)
                p->unshare &= ~NS_USER;

        bool userns = (p->unshare & NS_USER) || p->userns_fd >= 0;
        if ((p->uid_set || p->gid_set) && !userns)
                return error_msg(e, "--%s needs a user namespace (add --unshare-user)", p->uid_set ? "uid" : "gid");
        if ((p->n_uid_maps || p->n_gid_maps) && !(p->unshare & NS_USER))
                return error_msg(e, "--%s needs --unshare-user", p->n_uid_maps ? "uid-map" : "gid-map");
        if (p->n_uid_maps && p->uid_set && !map_covers(p->uid_maps, p->n_uid_maps, p->uid))
                return error_msg(e, "--uid %u is not inside any --uid-map range", (unsigned) p->uid);
        if (p->n_gid_maps && p->gid_set && !map_covers(p->gid_maps, p->n_gid_maps, p->gid))
                return error_msg(e, "--gid %u is not inside any --gid-map range", (unsigned) p->gid);
        if (p->hostname && !(p->unshare & NS_UTS))
                return error_msg(e, "--hostname needs --unshare-uts");
        if (p->as_pid_1 && !(p->unshare & NS_PID))
                return error_msg(e, "--as-pid-1 needs --unshare-pid");
        if (p->userns_block_fd >= 0 && !(p->unshare & NS_USER))
                return error_msg(e, "--userns-block-fd needs --unshare-user");
        if (p->userns_block_fd >= 0 && p->info_fd < 0)
                return error_msg(e, "--userns-block-fd needs --info-fd (the caller learns the pid from it)");
        if (p->userns_block_fd >= 0 && (p->n_uid_maps || p->n_gid_maps || p->uid_set || p->gid_set))
                return error_msg(e, "--userns-block-fd can't be combined with --uid, --gid, --uid-map or --gid-map "
                                 "(the caller writes the maps)");
        if (p->disable_userns && !(p->unshare & NS_USER))
                return error_msg(e, "--disable-userns needs --unshare-user");
        if (p->disable_userns && p->assert_userns_disabled)
                return error_msg(e, "--disable-userns and --assert-userns-disabled can't be combined");
        if (p->userns2_fd >= 0 && !userns)
                return error_msg(e, "--userns2 needs a user namespace");
        if (p->as_pid_1 && (p->n_lock_files || p->n_sync_fds))
                return error_msg(e, "--as-pid-1 can't be combined with --%s: holding it needs the sandbox's own pid 1",
                                 p->n_lock_files ? "lock-file" : "sync-fd");
        if (p->n_keep_fds && !p->close_fds)
                return error_msg(e, "--keep-fd only makes sense with --close-fds");
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == MOUNT_MQUEUE && !(p->unshare & NS_IPC))
                        return error_msg(e, "%s needs --unshare-ipc", p->ops[i].origin);
        return 0;
}

static int check_fd(const char *option, int fd, sandbox_error_t *e) {
        int r = fd_is_open(fd);
        if (r < 0)
                return error_errno(e, r, "--%s: fd %d is not open", option, fd);
        return 0;
}

int options_check_fds(const sandbox_plan_t *p, sandbox_error_t *e) {
        static const struct { const char *name; size_t offset; } singles[] = {
                { "userns", F(userns_fd) }, { "userns2", F(userns2_fd) }, { "pidns", F(pidns_fd) },
                { "block-fd", F(block_fd) }, { "userns-block-fd", F(userns_block_fd) },
                { "info-fd", F(info_fd) }, { "json-status-fd", F(json_status_fd) },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(singles); i++) {
                int fd = *(const int *) ((const char *) p + singles[i].offset);
                if (fd >= 0 && (r = check_fd(singles[i].name, fd, e)) < 0)
                        return r;
        }
        for (size_t i = 0; i < p->n_sync_fds; i++)
                if ((r = check_fd("sync-fd", p->sync_fds[i], e)) < 0)
                        return r;
        for (size_t i = 0; i < p->n_seccomp_fds; i++)
                if ((r = check_fd(p->seccomp_single ? "seccomp" : "add-seccomp-fd", p->seccomp_fds[i], e)) < 0)
                        return r;
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].fd >= 0 && (r = fd_is_open(p->ops[i].fd)) < 0)
                        return error_errno(e, r, "%s: fd %d is not open", p->ops[i].origin, p->ops[i].fd);
        return 0;
}

void options_help(FILE *f, const char *program) {
        static const char *const groups[] = {
                [OPT_GROUP_GENERAL] = "General",
                [OPT_GROUP_NAMESPACES] = "Namespaces",
                [OPT_GROUP_PROCESS] = "Process",
                [OPT_GROUP_FILESYSTEM] = "Filesystem (applied in the order given)",
                [OPT_GROUP_SECCOMP] = "Syscall filter (see sandbox.policy(5))",
                [OPT_GROUP_LIMITS] = "Resource limits (cgroup v2 ones need a delegated cgroup; see sandbox(1))",
        };

        fprintf(f, "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n", program);
        for (int g = 0; g < _OPT_GROUP_MAX; g++) {
                fprintf(f, "\n%s:\n", groups[g]);
                for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                        char lhs[64];

                        if (table[i].group != (option_group_t) g)
                                continue;
                        snprintf(lhs, sizeof lhs, "--%s%s%s", table[i].name, table[i].metavar ? " " : "",
                                 table[i].metavar ? table[i].metavar : "");
                        fprintf(f, "    %-30s %s%s\n", lhs, table[i].help,
                                table[i].flags & OPT_EXTENSION ? " [not in bwrap]" : "");
                }
        }
        fprintf(f, "\nExit status: the command's; 128+N if killed by signal N; %s\n",
                strcmp(program, "bwrap") == 0 ? "1 if bwrap itself failed."
                                              : "125 setup failed, 126 not executable, 127 not found,\n"
                                                "137 killed at the memory limit, 124 --timeout expired.");
}
