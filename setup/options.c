/* SPDX-License-Identifier: MIT */
/* The options table and the handlers that turn one option into plan data, with --help,
 * --print-policy and the cross-option checks. Reads nothing: cmdline.c feeds it the command
 * line and the policy files, and does what OPT_LOADS options ask for. */
#include "options.h"
#include "limits.h"
#include "rules.h"
#include "seccomp-embedded.h"
#include "values.h"

#include "libseccomp.h"
#include "dbus-proxy.h"
#include "desktop.h"
#include "learn.h"
#include "notify.h"

#include <string.h>
#include <sys/stat.h>

/* ---- handlers ---- */

/* data: mount_type_t in the low byte, mount_flags_t above it. */
#define MOUNT_OP_DATA(type, flags) ((unsigned) (type) | ((unsigned) (flags) << 8))

static int h_bind(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int r;

        if ((r = plan_check_modifiers(p, o->name, MOUNT_BIND, e)) < 0 ||
            (r = values_path(o->name, "source", args[0], e)) < 0 ||
            (r = values_path(o->name, "destination", args[1], e)) < 0)
                return r;
        op = plan_add_mount(p, o->name, MOUNT_BIND, args, o->nargs);
        op->flags = o->data >> 8;
        op->source = args[0];
        op->dest = args[1];
        return 0;
}

static int h_bind_fd(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int fd, r;

        if ((r = plan_check_modifiers(p, o->name, MOUNT_BIND, e)) < 0 ||
            (r = values_fd(o->name, args[0], &fd, e)) < 0 || (r = values_path(o->name, "destination", args[1], e)) < 0)
                return r;
        op = plan_add_mount(p, o->name, MOUNT_BIND, args, o->nargs);
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

        if ((r = plan_check_modifiers(p, o->name, type, e)) < 0 ||
            (r = values_path(o->name, "destination", args[o->nargs - 1], e)) < 0)
                return r;
        if (type == MOUNT_OVERLAY && p->n_pending_layers == 0) {
                r = error_msg(e, "--%s needs at least one --overlay-src before it", o->name);
                error_bwrap(e, "--%s requires at least %s --overlay-src", o->name,
                            (o->data >> 8) & MOUNT_FLAG_RO ? "two" : "one");
                return r;
        }
        /* overlayfs without an upper layer wants two lower ones. */
        if (type == MOUNT_OVERLAY && (o->data >> 8) & MOUNT_FLAG_RO && p->n_pending_layers < 2) {
                r = error_msg(e, "--%s needs at least two --overlay-src before it", o->name);
                error_bwrap(e, "--%s requires at least two --overlay-src", o->name);
                return r;
        }
        op = plan_add_mount(p, o->name, type, args, o->nargs);
        op->flags = o->data >> 8;
        op->dest = args[o->nargs - 1];
        if (type == MOUNT_OVERLAY) {
                if (o->nargs == 3) {
                        if ((r = values_path(o->name, "upper directory", args[0], e)) < 0 ||
                            (r = values_path(o->name, "work directory", args[1], e)) < 0)
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

        if ((r = plan_check_modifiers(p, o->name, type, e)) < 0 || (r = values_fd(o->name, args[0], &fd, e)) < 0 ||
            (r = values_path(o->name, "destination", args[1], e)) < 0)
                return r;
        op = plan_add_mount(p, o->name, type, args, o->nargs);
        op->flags = o->data >> 8;
        op->fd = fd;
        op->dest = args[1];
        return 0;
}

static int h_symlink(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int r;

        if ((r = plan_check_modifiers(p, o->name, MOUNT_SYMLINK, e)) < 0 ||
            (r = values_path(o->name, "target", args[0], e)) < 0 ||
            (r = values_path(o->name, "destination", args[1], e)) < 0)
                return r;
        op = plan_add_mount(p, o->name, MOUNT_SYMLINK, args, o->nargs);
        op->source = args[0];
        op->dest = args[1];
        return 0;
}

static int h_chmod(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        mount_op_t *op;
        int mode = 0, r;

        if ((r = plan_check_modifiers(p, o->name, MOUNT_CHMOD, e)) < 0 ||
            (r = values_mode(o->name, args[0], &mode, e)) < 0 || (r = values_path(o->name, "path", args[1], e)) < 0)
                return r;
        op = plan_add_mount(p, o->name, MOUNT_CHMOD, args, o->nargs);
        op->mode = mode;
        op->dest = args[1];
        return 0;
}

static int h_perms(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (p->pending_mode >= 0) {
                int r = error_msg(e, "--perms given twice for the same operation");
                error_bwrap(e, "--perms given twice for the same action");
                return r;
        }
        return values_mode(o->name, args[0], &p->pending_mode, e);
}

static int h_size(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        unsigned long long v;
        int r;

        if (p->pending_size) {
                r = error_msg(e, "--size given twice for the same operation");
                error_bwrap(e, "--size given twice for the same action");
                return r;
        }
        /* A tmpfs takes at most half the address space, as bubblewrap checks. */
        r = values_size(o->name, "size", args[0], NULL, SIZE_MAX / 2, &v, e);
        if (r == 0 && v == 0)
                r = error_msg(e, "--size: '%s' is not a size for a tmpfs (0 means no limit there: give one above 0)",
                              args[0]);
        if (r == -ERANGE && parse_uint64(args[0], 10, &v) == 0)
                error_bwrap(e, "--size (for tmpfs) is limited to %zu", SIZE_MAX / 2);
        else if (r < 0)
                error_bwrap(e, "--size takes a non-zero number of bytes");
        if (r < 0)
                return r;
        p->pending_size = v;
        return 0;
}

static int h_overlay_src(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = values_path(o->name, "source", args[0], e);
        if (r < 0)
                return r;
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
        return values_fd(o->name, args[0], field, e);
}

static int h_sync_fd(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int fd, r = values_fd(o->name, args[0], &fd, e);

        if (r < 0)
                return r;
        APPEND(p->sync_fds, p->n_sync_fds, fd);
        return 0;
}

static int h_keep_fd(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int fd, r = values_fd(o->name, args[0], &fd, e);

        if (r < 0)
                return r;
        APPEND(p->keep_fds, p->n_keep_fds, fd);
        return 0;
}

/* data: true for --seccomp (the one filter), false for --add-seccomp-fd (one of a stack) */
static int h_seccomp(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        bool single = o->data;
        int fd, r = values_fd(o->name, args[0], &fd, e);

        if (r < 0)
                return r;
        /* As in bubblewrap, a second --seccomp replaces the first (with a warning). */
        if (single && p->seccomp_single)
                p->n_seccomp_fds = 0;
        if (p->n_seccomp_fds && (single || p->seccomp_single))
                return error_msg(e, "%s cannot be combined with %s", single ? "--seccomp" : "--add-seccomp-fd",
                                 single ? "--add-seccomp-fd" : "--seccomp");
        p->seccomp_single = single;
        APPEND(p->seccomp_fds, p->n_seccomp_fds, fd);
        return 0;
}

/* data: offset of the const char * field */
static bool given_on_cli(const sandbox_plan_t *p, const option_def_t *o);

/* bubblewrap refuses a second --argv0 rather than keeping the last. */
static int h_argv0(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        if (p->policy_depth == 0 && given_on_cli(p, o))
                return error_msg(e, "--argv0 used multiple times");
        p->argv0 = args[0];
        return 0;
}

static int h_string_field(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        const char **field = (const char **) ((char *) p + o->data);
        int r = values_path(o->name, "value", args[0], e);
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
        unsigned long id = 0;
        int r = values_id(o->name, args[0], &id, e);

        if (r < 0)
                return r;
        p->uid = (uid_t) id;
        p->uid_set = true;
        return 0;
}

static int h_gid(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        unsigned long id = 0;
        int r = values_id(o->name, args[0], &id, e);

        if (r < 0)
                return r;
        p->gid = (gid_t) id;
        p->gid_set = true;
        return 0;
}

/* IN OUT COUNT, for --uid-map and --gid-map alike. */
static int id_map_parse(const option_def_t *o, char **args, id_map_t *ret, sandbox_error_t *e) {
        int r;

        if ((r = values_id(o->name, args[0], &ret->inside, e)) < 0 ||
            (r = values_id(o->name, args[1], &ret->outside, e)) < 0)
                return r;
        return values_id_count(o->name, args[2], ret->inside, ret->outside, &ret->count, e);
}

static int h_uid_map(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        id_map_t map;
        int r = id_map_parse(o, args, &map, e);

        if (r < 0)
                return r;
        APPEND(p->uid_maps, p->n_uid_maps, map);
        return 0;
}

static int h_gid_map(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        id_map_t map;
        int r = id_map_parse(o, args, &map, e);

        if (r < 0)
                return r;
        APPEND(p->gid_maps, p->n_gid_maps, map);
        return 0;
}

static bool env_name_valid(const char *s) {
        return *s && !strchr(s, '=');
}

static int h_env(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        env_op_t op = { .type = o->data };

        if (op.type != ENV_CLEAR) {
                if (!env_name_valid(args[0]))
                        return error_msg(e, "--%s: '%s' is not a valid variable name (empty or contains '=')", o->name,
                                         args[0]);
                op.name = args[0];
                if (op.type == ENV_SET)
                        op.value = args[1];
        }
        APPEND(p->env, p->n_env, op);
        return 0;
}

/* NAME or PREFIX* (the '*' last), blank-separated: in a policy the rest of the line. */
static int h_env_keep(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        size_t n = 0;

        for (const char *s = args[0]; *s;) {
                size_t len = strcspn(s, " \t");
                char *word;

                if (!len) {
                        s++;
                        continue;
                }
                word = xasprintf("%.*s", (int) len, s);
                APPEND(p->owned, p->n_owned, word); /* the plan points into it */
                if (strchr(word, '=') || (strchr(word, '*') && strchr(word, '*') != word + len - 1))
                        return error_msg(e,
                                         "--%s: '%s' is not a variable name or a prefix ending in '*' (no '=', "
                                         "and '*' only at the end)",
                                         o->name, word);
                APPEND(p->env_keep, p->n_env_keep, word);
                n++;
                s += len;
        }
        if (!n)
                return error_msg(e, "--%s: names no variable (give NAME or PREFIX*, blank-separated)", o->name);
        return 0;
}

static int h_lock_file(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = values_path(o->name, "path", args[0], e);
        if (r < 0)
                return r;
        APPEND(p->lock_files, p->n_lock_files, args[0]);
        return 0;
}

static int h_refuse_bind(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = values_path(o->name, "path", args[0], e);

        if (r < 0)
                return r;
        APPEND(p->refuse_binds, p->n_refuse_binds, args[0]);
        return 0;
}

/* Read-only data binds whose content prepare writes (etc.c), and USER and LOGNAME set to the
 * name the generated passwd gives the command's uid, where this option stands among the env ones. */
static int h_etc_minimal(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        static const char *const dests[_ETC_FILE_MAX] = {
                [ETC_PASSWD] = "/etc/passwd",
                [ETC_GROUP] = "/etc/group",
                [ETC_HOSTS] = "/etc/hosts",
                [ETC_NSSWITCH] = "/etc/nsswitch.conf",
        };
        int r;

        /* --perms and --size are for options that name their file. */
        if ((r = plan_check_modifiers(p, o->name, _MOUNT_TYPE_MAX, e)) < 0)
                return r;
        for (etc_file_t f = ETC_PASSWD; f < _ETC_FILE_MAX; f++) {
                mount_op_t *op = plan_add_mount(p, o->name, MOUNT_BIND_DATA, args, 0);
                char *origin = xasprintf("%s (%s)", op->origin, dests[f]);

                free(op->origin);
                op->origin = origin;
                op->flags = MOUNT_FLAG_RO;
                op->dest = dests[f];
                op->mode = 0644;
                op->generated = f;
        }
        APPEND(p->env, p->n_env, ((env_op_t){ .type = ENV_SET, .name = "USER" }));
        APPEND(p->env, p->n_env, ((env_op_t){ .type = ENV_SET, .name = "LOGNAME" }));
        return 0;
}

static int h_cap_add(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        uint64_t bits = 0;
        int r = values_cap(o->name, args[0], &bits, e);

        if (r < 0)
                return r;
        p->caps_changed = true;
        p->caps |= bits;
        return 0;
}

static int h_cap_drop(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        uint64_t bits = 0;
        int r = values_cap(o->name, args[0], &bits, e);

        if (r < 0)
                return r;
        p->caps_changed = true;
        p->caps &= ~bits;
        return 0;
}

static int h_syscall(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        syscall_rule_t rule;
        int r;

        /* Parsed only if the embedded filter won't serve (sandbox.c settles it). */
        if (p->default_defer && p->default_depth > 0) {
                seccomp_defer_rule(p, args[0], notify_where(p));
                return 0;
        }
        if ((r = rules_parse(args[0], &rule, e)) < 0) {
                error_prefix(e, "--syscall");
                return r;
        }
        rule.where = notify_where(p);
        APPEND(p->rules, p->n_rules, rule);
        return 0;
}

static int h_syscall_default(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        int r = rules_parse_action(args[0], &p->syscall_default, e);

        if (r < 0) {
                error_prefix(e, "--syscall-default");
                return r;
        }
        p->syscall_default_set = true;
        p->syscall_default_where = notify_where(p);
        return 0;
}

static int h_syscall_arch(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        uint32_t arch;
        int r = libseccomp_open(e);

        if (r < 0)
                return r;
        arch = strcmp(args[0], "native") == 0 ? seccomp_lib.arch_native() : seccomp_lib.arch_resolve_name(args[0]);

        if (arch == 0)
                return error_msg(e, "--syscall-arch: unknown architecture '%s' (native, x86, x86_64, x32, ...)",
                                 args[0]);
        if (arch != seccomp_lib.arch_native())
                APPEND(p->arches, p->n_arches, arch);
        return 0;
}

static int h_action(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->action = (plan_action_t) o->data;
        return 0;
}

static int h_limit(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return limits_parse_limit(p, args, e);
}

/* Parsed as --limit parses it, into a plan of its own, then kept apart from the hard limits. */
static int h_limit_try(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        _cleanup_(plan_free) sandbox_plan_t scratch;
        int r;

        plan_init(&scratch);
        if (limit_nargs(args[0]) != 2)
                return error_msg(e, "--%s: %s has no fallback without a cgroup; use --limit %s", o->name, args[0],
                                 args[0]);
        if ((r = limits_parse_limit(&scratch, args, e)) < 0) {
                /* Its messages say --limit: this was --limit-try. */
                if (strncmp(e->msg, "--limit ", 8) == 0 || strncmp(e->msg, "--limit:", 8) == 0) {
                        char msg[sizeof e->msg];
                        snprintf(msg, sizeof msg, "--%s%s", o->name, e->msg + 7);
                        memcpy(e->msg, msg, sizeof msg);
                }
                return r;
        }
        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++)
                if (scratch.limits_set & (1U << k)) {
                        p->limits_try[k] = scratch.limits[k];
                        p->limits_try_set |= 1U << k;
                }
        return 0;
}

static int h_rlimit(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return limits_parse_rlimit(p, args, e);
}

static int h_timeout(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return limits_parse_timeout(p, args[0], e);
}

static int h_timeout_grace(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return limits_parse_timeout_grace(p, args[0], e);
}

static int h_cgroup_manager(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return limits_parse_cgroup_manager(p, args[0], e);
}

static int h_check_policy(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->action = ACTION_CHECK_POLICY;
        p->check_policy = args[0];
        return 0;
}

/* data: where in the plan a field is, for the handlers that fill one (h_flag, h_fd_field, ...) */
#define PLAN_OFFSET(field) offsetof(sandbox_plan_t, field)

static const option_def_t option_table[] = {
        /* general */
        { "help", 0, NULL, h_action, ACTION_HELP, OPT_GROUP_GENERAL, OPT_CLI_ONLY | OPT_STOPS_PARSING,
          "Print this help and exit" },
        { "version", 0, NULL, h_action, ACTION_VERSION, OPT_GROUP_GENERAL, OPT_CLI_ONLY | OPT_STOPS_PARSING,
          "Print the version and exit" },
        { "args", 1, "FD", NULL, OPT_INPUT_ARGS_FD, OPT_GROUP_GENERAL, OPT_CLI_ONLY | OPT_LOADS,
          "Parse NUL-separated arguments from FD" },
        { "policy", 1, "NAME|PATH", NULL, OPT_INPUT_POLICY, OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_LOADS,
          "Apply a policy file here (a NAME is searched for, never in .; a PATH has a / or ends in .policy)" },
        { "no-default-policy", 0, NULL, h_flag, PLAN_OFFSET(no_default_policy), OPT_GROUP_GENERAL,
          OPT_EXTENSION | OPT_STATE_ONLY,
          "Don't apply the built-in default policy (applied under any --policy otherwise; a directive too)" },
        { "print-policy", 0, NULL, h_action, ACTION_PRINT_POLICY, OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_CLI_ONLY,
          "Print the effective policy instead of running" },
        { "check-policy", 1, "FILE", h_check_policy, 0, OPT_GROUP_GENERAL, OPT_EXTENSION | OPT_CLI_ONLY,
          "Load FILE and report its errors (missing bind sources too), then exit" },
        { "argv0", 1, "VALUE", h_argv0, 0, OPT_GROUP_GENERAL, 0, "Set argv[0] of the command" },
        { "level-prefix", 0, NULL, h_flag, PLAN_OFFSET(level_prefix), OPT_GROUP_GENERAL, 0,
          "Prefix messages with a syslog level <N>" },
        /* namespaces */
        { "unshare-all", 0, NULL, h_unshare_all, 0, OPT_GROUP_NAMESPACES, 0,
          "Unshare user (if possible), ipc, pid, net, uts and cgroup (if possible)" },
        { "share-net", 0, NULL, h_share_net, 0, OPT_GROUP_NAMESPACES, 0,
          "Keep the network namespace (after --unshare-all)" },
        { "unshare-user", 0, NULL, h_unshare, NS_USER, OPT_GROUP_NAMESPACES, 0,
          "New user namespace (implied when not root)" },
        { "unshare-user-try", 0, NULL, h_unshare_try, NS_USER, OPT_GROUP_NAMESPACES, 0,
          "New user namespace if possible" },
        { "unshare-ipc", 0, NULL, h_unshare, NS_IPC, OPT_GROUP_NAMESPACES, 0, "New ipc namespace" },
        { "unshare-pid", 0, NULL, h_unshare, NS_PID, OPT_GROUP_NAMESPACES, 0, "New pid namespace" },
        { "unshare-net", 0, NULL, h_unshare, NS_NET, OPT_GROUP_NAMESPACES, 0,
          "New network namespace (only loopback, up)" },
        { "unshare-uts", 0, NULL, h_unshare, NS_UTS, OPT_GROUP_NAMESPACES, 0, "New uts namespace" },
        { "unshare-cgroup", 0, NULL, h_unshare, NS_CGROUP, OPT_GROUP_NAMESPACES, 0, "New cgroup namespace" },
        { "unshare-cgroup-try", 0, NULL, h_unshare_try, NS_CGROUP, OPT_GROUP_NAMESPACES, 0,
          "New cgroup namespace if possible" },
        { "unshare-time", 0, NULL, h_unshare, NS_TIME, OPT_GROUP_NAMESPACES, OPT_EXTENSION, "New time namespace" },
        { "userns", 1, "FD", h_fd_field, PLAN_OFFSET(userns_fd), OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "Use the user namespace FD refers to" },
        { "userns2", 1, "FD", h_fd_field, PLAN_OFFSET(userns2_fd), OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "After setup, switch into the user namespace FD" },
        { "pidns", 1, "FD", h_fd_field, PLAN_OFFSET(pidns_fd), OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "Use the pid namespace FD (as parent with --unshare-pid)" },
        { "disable-userns", 0, NULL, h_flag, PLAN_OFFSET(disable_userns), OPT_GROUP_NAMESPACES, 0,
          "Forbid new user namespaces inside" },
        { "assert-userns-disabled", 0, NULL, h_flag, PLAN_OFFSET(assert_userns_disabled), OPT_GROUP_NAMESPACES, 0,
          "Fail unless new user namespaces are already impossible" },
        { "uid", 1, "UID", h_uid, 0, OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "User id in the sandbox (needs a user namespace)" },
        { "gid", 1, "GID", h_gid, 0, OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "Group id in the sandbox (needs a user namespace)" },
        { "uid-map", 3, "IN OUT COUNT", h_uid_map, 0, OPT_GROUP_NAMESPACES, OPT_EXTENSION,
          "Map COUNT uids from OUT (in /etc/subuid) to IN, through newuidmap" },
        { "gid-map", 3, "IN OUT COUNT", h_gid_map, 0, OPT_GROUP_NAMESPACES, OPT_EXTENSION,
          "Map COUNT gids from OUT (in /etc/subgid) to IN, through newgidmap" },
        { "hostname", 1, "NAME", h_hostname, 0, OPT_GROUP_NAMESPACES, OPT_LAST_WINS,
          "Host name in the sandbox (needs --unshare-uts)" },
        /* process */
        { "chdir", 1, "DIR", h_string_field, PLAN_OFFSET(chdir), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Change directory to DIR" },
        { "clearenv", 0, NULL, h_env, ENV_CLEAR, OPT_GROUP_PROCESS, 0, "Unset every environment variable but PWD" },
        { "setenv", 2, "VAR VALUE", h_env, ENV_SET, OPT_GROUP_PROCESS, 0, "Set an environment variable" },
        { "unsetenv", 1, "VAR", h_env, ENV_UNSET, OPT_GROUP_PROCESS, 0, "Unset an environment variable" },
        { "env-keep", 1, "NAME|PREFIX*...", h_env_keep, 0, OPT_GROUP_PROCESS, OPT_EXTENSION | OPT_REST,
          "Keep these variables through --clearenv (blank-separated; PREFIX* keeps the names it starts)" },
        { "lock-file", 1, "DEST", h_lock_file, 0, OPT_GROUP_PROCESS, 0,
          "Hold a read lock on DEST while the sandbox runs" },
        { "sync-fd", 1, "FD", h_sync_fd, 0, OPT_GROUP_PROCESS, 0, "Keep FD open while the sandbox runs (repeatable)" },
        { "block-fd", 1, "FD", h_fd_field, PLAN_OFFSET(block_fd), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Wait for data on FD before running the command" },
        { "userns-block-fd", 1, "FD", h_fd_field, PLAN_OFFSET(userns_block_fd), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Wait for data on FD once the user namespace exists" },
        { "info-fd", 1, "FD", h_fd_field, PLAN_OFFSET(info_fd), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Write information about the sandbox to FD" },
        { "json-status-fd", 1, "FD", h_fd_field, PLAN_OFFSET(json_status_fd), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Write JSON status (start, exit code) to FD" },
        { "new-session", 0, NULL, h_flag, PLAN_OFFSET(new_session), OPT_GROUP_PROCESS, 0,
          "Start a new terminal session" },
        { "keep-session-keyring", 0, NULL, h_flag, PLAN_OFFSET(keep_session_keyring), OPT_GROUP_PROCESS, OPT_EXTENSION,
          "Keep the caller's session keyring (default: a fresh, empty one)" },
        { "die-with-parent", 0, NULL, h_flag, PLAN_OFFSET(die_with_parent), OPT_GROUP_PROCESS, 0,
          "Kill the sandbox when this tool or its parent dies" },
        { "as-pid-1", 0, NULL, h_flag, PLAN_OFFSET(as_pid_1), OPT_GROUP_PROCESS, 0,
          "Run the command as pid 1 (no init)" },
        { "cap-add", 1, "CAP", h_cap_add, 0, OPT_GROUP_PROCESS, 0, "Keep capability CAP (or ALL) in the sandbox" },
        { "cap-drop", 1, "CAP", h_cap_drop, 0, OPT_GROUP_PROCESS, 0, "Drop capability CAP (or ALL) again" },
        { "close-fds", 0, NULL, h_flag, PLAN_OFFSET(close_fds), OPT_GROUP_PROCESS, OPT_EXTENSION,
          "Close every inherited fd but 0-2 and --keep-fd ones" },
        { "keep-fd", 1, "FD", h_keep_fd, 0, OPT_GROUP_PROCESS, OPT_EXTENSION,
          "Keep FD open with --close-fds (repeatable)" },
        { "seccomp", 1, "FD", h_seccomp, true, OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "Load a compiled seccomp BPF program from FD" },
        { "add-seccomp-fd", 1, "FD", h_seccomp, 0, OPT_GROUP_PROCESS, 0, "Stack another seccomp BPF program from FD" },
        { "exec-label", 1, "LABEL", h_string_field, PLAN_OFFSET(exec_label), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "SELinux label of the command" },
        { "file-label", 1, "LABEL", h_string_field, PLAN_OFFSET(file_label), OPT_GROUP_PROCESS, OPT_LAST_WINS,
          "SELinux label of files the sandbox creates" },
        { "not-a-security-boundary", 0, NULL, h_flag, PLAN_OFFSET(not_a_security_boundary), OPT_GROUP_PROCESS, 0,
          "Warn instead of failing when a submount can't be made read-only" },
        /* syscall filter */
        { "syscall-default", 1, "ACTION", h_syscall_default, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "What syscalls no rule names get (default: allow)" },
        { "syscall", 1, "RULE", h_syscall, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_REST,
          "A rule: 'ACTION NAME|@GROUP... [if argN OP VALUE && ...]'" },
        { "syscall-arch", 1, "ARCH", h_syscall_arch, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "Also filter this ABI (others are killed)" },
        { "syscall-import", 1, "FILE", NULL, OPT_INPUT_PROFILE, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_LOADS,
          "Add the rules of an OCI or Docker seccomp profile (JSON)" },
        { "export-pfc", 0, NULL, h_action, ACTION_EXPORT_PFC, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_CLI_ONLY,
          "Print the compiled filter as readable pseudo code and exit" },
        { "export-bpf", 1, "FILE", h_string_field, PLAN_OFFSET(export_bpf), OPT_GROUP_SECCOMP,
          OPT_EXTENSION | OPT_CLI_ONLY, "Also write the compiled filter to FILE" },
        { "report-denials", 0, NULL, notify_option_report, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION,
          "Name each syscall a rule denies (syscall, arguments, program, FILE:LINE of the rule) on stderr" },
        { "denials-fd", 1, "FD", notify_option_fd, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_LAST_WINS,
          "Write each denial to FD as a line of JSON" },
        { "learn", 1, "FILE", learn_option, 0, OPT_GROUP_SECCOMP, OPT_EXTENSION | OPT_CLI_ONLY | OPT_LAST_WINS,
          "Run the command while recording what it uses, then write FILE: a policy allowing only that" },
        /* resource limits */
        { "limit", 2, "KIND VALUE", h_limit, 0, OPT_GROUP_LIMITS, OPT_EXTENSION | OPT_IO_ARITY,
          "Limit a resource through cgroup v2: memory, memory-high, memory-swap SIZE (512M, 1.5G; or max); "
          "pids N; cpu CPUS; cpu-weight, io-weight 1-10000; io-read-bps, io-write-bps DEV SIZE per second" },
        { "limit-try", 2, "KIND VALUE", h_limit_try, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Like --limit where a cgroup can be had; without one, pids becomes RLIMIT_NPROC and the others "
          "are named on stderr as not applied" },
        { "rlimit", 2, "NAME SOFT[:HARD]", h_rlimit, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Set a setrlimit(2) resource (nofile, nproc, core, as, stack, ... ; 'unlimited'; byte-valued ones "
          "take a SIZE)" },
        { "timeout", 1, "DURATION", h_timeout, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Stop the command after DURATION (90, 2.5, 2m, 0.5h, 1d; 0: none): SIGTERM, then SIGKILL after "
          "--timeout-grace; exit status 124" },
        { "timeout-grace", 1, "DURATION", h_timeout_grace, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Time --timeout leaves between SIGTERM and SIGKILL (default 10s; 0: SIGKILL at once)" },
        { "stats", 0, NULL, h_flag, PLAN_OFFSET(stats), OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Report wall time, CPU time, peak memory and limit hits when the command ends (cgroup figures "
          "where there is one)" },
        { "cgroup-manager", 1, "MANAGER", h_cgroup_manager, 0, OPT_GROUP_LIMITS, OPT_EXTENSION,
          "Where the cgroup comes from: auto (default), cgroupfs (a delegated cgroup), systemd (a scope over D-Bus)" },
        /* desktop: the app, its sockets, devices and files */
        { "app-id", 1, "ID", desktop_opt_app_id, 0, OPT_GROUP_DESKTOP, OPT_EXTENSION | OPT_LAST_WINS,
          "Confine a desktop app named ID (reverse-DNS): own data dirs, private XDG_RUNTIME_DIR" },
        { "socket", 1, "SOCKET", desktop_opt_socket, 0, OPT_GROUP_DESKTOP, OPT_EXTENSION,
          "Grant a socket: wayland, x11, fallback-x11, pulseaudio, pipewire, session-bus, system-bus, ssh-auth" },
        { "device", 1, "DEVICE", desktop_opt_device, 0, OPT_GROUP_DESKTOP, OPT_EXTENSION,
          "Grant devices: dri (GPU nodes, where the host has them) or all (the host's /dev)" },
        { "filesystem", 1, "PATH[:MODE]", desktop_opt_filesystem, 0, OPT_GROUP_DESKTOP, OPT_EXTENSION,
          "Grant a host path (or ~/PATH, home, xdg-download, ...): MODE ro (default), rw or create" },
        /* desktop: D-Bus, filtered by xdg-dbus-proxy */
        { "talk-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SESSION, DBUS_RULE_TALK), OPT_GROUP_DESKTOP,
          OPT_EXTENSION, "Let the app call and see NAME on the session bus (NAME.* for those below it too)" },
        { "own-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SESSION, DBUS_RULE_OWN), OPT_GROUP_DESKTOP,
          OPT_EXTENSION, "Let the app own NAME on the session bus (and talk to it)" },
        { "see-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SESSION, DBUS_RULE_SEE), OPT_GROUP_DESKTOP,
          OPT_EXTENSION, "Let the app see NAME on the session bus, not call it" },
        { "call", 1, "NAME=RULE", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SESSION, DBUS_RULE_CALL), OPT_GROUP_DESKTOP,
          OPT_EXTENSION,
          "Let the app make the calls RULE ([IFACE.METHOD|IFACE.*|*][@/PATH[/*]]) to NAME on the session bus" },
        { "broadcast", 1, "NAME=RULE", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SESSION, DBUS_RULE_BROADCAST),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "Let the app receive the signals RULE from NAME on the session bus" },
        { "system-talk-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SYSTEM, DBUS_RULE_TALK),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "As --talk-name, on the system bus" },
        { "system-own-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SYSTEM, DBUS_RULE_OWN),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "As --own-name, on the system bus" },
        { "system-see-name", 1, "NAME", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SYSTEM, DBUS_RULE_SEE),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "As --see-name, on the system bus" },
        { "system-call", 1, "NAME=RULE", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SYSTEM, DBUS_RULE_CALL),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "As --call, on the system bus" },
        { "system-broadcast", 1, "NAME=RULE", dbus_option, DBUS_OPTION_DATA(DBUS_BUS_SYSTEM, DBUS_RULE_BROADCAST),
          OPT_GROUP_DESKTOP, OPT_EXTENSION, "As --broadcast, on the system bus" },
        /* filesystem */
        { "bind", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, 0), OPT_GROUP_FILESYSTEM, 0,
          "Bind SRC on DEST, writable" },
        { "bind-try", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_TRY), OPT_GROUP_FILESYSTEM, 0,
          "Like --bind, skipped if SRC is missing" },
        { "dev-bind", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_DEV), OPT_GROUP_FILESYSTEM, 0,
          "Bind SRC on DEST, devices usable" },
        { "dev-bind-try", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_DEV | MOUNT_FLAG_TRY),
          OPT_GROUP_FILESYSTEM, 0, "Like --dev-bind, skipped if SRC is missing" },
        { "ro-bind", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Bind SRC on DEST, read-only (submounts too)" },
        { "ro-bind-try", 2, "SRC DEST", h_bind, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_RO | MOUNT_FLAG_TRY),
          OPT_GROUP_FILESYSTEM, 0, "Like --ro-bind, skipped if SRC is missing" },
        { "bind-fd", 2, "FD DEST", h_bind_fd, MOUNT_OP_DATA(MOUNT_BIND, 0), OPT_GROUP_FILESYSTEM, 0,
          "Bind the file or dir FD on DEST" },
        { "ro-bind-fd", 2, "FD DEST", h_bind_fd, MOUNT_OP_DATA(MOUNT_BIND, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Bind the file or dir FD on DEST, read-only" },
        { "remount-ro", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_REMOUNT_RO, 0), OPT_GROUP_FILESYSTEM, 0,
          "Make the mount at DEST read-only (not recursive)" },
        { "overlay-src", 1, "SRC", h_overlay_src, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER,
          "Read files from SRC in the following overlay (the last given is the uppermost layer)" },
        { "overlay", 3, "RWSRC WORKDIR DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_OVERLAY, 0), OPT_GROUP_FILESYSTEM, 0,
          "Overlay on DEST, writes go to RWSRC" },
        { "tmp-overlay", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_OVERLAY, MOUNT_FLAG_TMP), OPT_GROUP_FILESYSTEM, 0,
          "Overlay on DEST, writes go to a throwaway tmpfs" },
        { "ro-overlay", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_OVERLAY, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Read-only overlay on DEST" },
        { "proc", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_PROC, 0), OPT_GROUP_FILESYSTEM, 0,
          "Mount a new procfs on DEST" },
        { "dev", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_DEV, 0), OPT_GROUP_FILESYSTEM, 0,
          "Mount a minimal new /dev on DEST" },
        { "tmpfs", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_TMPFS, 0), OPT_GROUP_FILESYSTEM, 0,
          "Mount a new tmpfs on DEST" },
        { "mqueue", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_MQUEUE, 0), OPT_GROUP_FILESYSTEM, 0,
          "Mount a new mqueue on DEST" },
        { "sys", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_SYS, 0), OPT_GROUP_FILESYSTEM, OPT_EXTENSION,
          "Mount sysfs read-only on DEST" },
        { "dir", 1, "DEST", h_dest_op, MOUNT_OP_DATA(MOUNT_DIR, 0), OPT_GROUP_FILESYSTEM, 0,
          "Create a directory at DEST" },
        { "file", 2, "FD DEST", h_fd_op, MOUNT_OP_DATA(MOUNT_FILE, 0), OPT_GROUP_FILESYSTEM, 0,
          "Copy data from FD to the file DEST" },
        { "bind-data", 2, "FD DEST", h_fd_op, MOUNT_OP_DATA(MOUNT_BIND_DATA, 0), OPT_GROUP_FILESYSTEM, 0,
          "Copy data from FD to a file bound on DEST" },
        { "ro-bind-data", 2, "FD DEST", h_fd_op, MOUNT_OP_DATA(MOUNT_BIND_DATA, MOUNT_FLAG_RO), OPT_GROUP_FILESYSTEM, 0,
          "Copy data from FD to a file bound read-only on DEST" },
        { "etc-minimal", 0, NULL, h_etc_minimal, 0, OPT_GROUP_FILESYSTEM, OPT_EXTENSION,
          "Generate a read-only /etc/passwd, group, hosts and nsswitch.conf for the ids inside; set USER, LOGNAME" },
        { "refuse-bind", 1, "PATH", h_refuse_bind, 0, OPT_GROUP_FILESYSTEM, OPT_EXTENSION,
          "Refuse to run if a writable bind's source is PATH or a directory above it (e.g. ${HOME})" },
        { "symlink", 2, "SRC DEST", h_symlink, 0, OPT_GROUP_FILESYSTEM, 0, "Create a symlink at DEST pointing to SRC" },
        { "chmod", 2, "OCTAL PATH", h_chmod, 0, OPT_GROUP_FILESYSTEM, 0, "Change the mode of PATH" },
        { "perms", 1, "OCTAL", h_perms, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER,
          "Mode of the next --bind-data, --file, --tmpfs or --dir" },
        { "size", 1, "SIZE", h_size, 0, OPT_GROUP_FILESYSTEM, OPT_MODIFIER,
          "Size limit of the next --tmpfs (bytes, or 64M, 1.5G, ...)" },
};

/* Directives a policy file may also write under another name. */
static const struct {
        const char *alias, *name;
} directive_aliases[] = {
        { "include", "policy" },
};

_Static_assert(ELEMENTSOF(option_table) <= 4 * 64, "cli_given holds a bit per option");

const option_def_t *options_table(size_t *ret_n) {
        *ret_n = ELEMENTSOF(option_table);
        return option_table;
}

unsigned options_nargs(const option_def_t *o, const char *first) {
        return (o->flags & OPT_IO_ARITY) && first ? limit_nargs(first) : o->nargs;
}

const option_def_t *options_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(option_table); i++)
                if (strcmp(option_table[i].name, name) == 0)
                        return &option_table[i];
        return NULL;
}

const option_def_t *options_find_directive(const char *word) {
        for (size_t i = 0; i < ELEMENTSOF(directive_aliases); i++)
                if (strcmp(directive_aliases[i].alias, word) == 0)
                        return options_find(directive_aliases[i].name);
        return options_find(word);
}

static bool given_on_cli(const sandbox_plan_t *p, const option_def_t *o) {
        size_t i = (size_t) (o - option_table);
        return p->cli_given[i / 64] & (1ULL << (i % 64));
}

/* A policy may set what the command line then overrides: only repeats on the command line warn. */
static void note_given(sandbox_plan_t *p, const option_def_t *o) {
        size_t i = (size_t) (o - option_table);

        if (p->policy_depth > 0)
                return;
        if ((o->flags & OPT_LAST_WINS) && given_on_cli(p, o))
                APPEND(p->warnings, p->n_warnings, xasprintf("Only the last --%s option will take effect", o->name));
        p->cli_given[i / 64] |= 1ULL << (i % 64);
}

int options_apply(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        /* args[0] only exists for an option that takes arguments. */
        applied_t entry = { .option = o, .n_args = o->nargs ? options_nargs(o, args[0]) : 0 };
        int r = o->handler ? o->handler(p, o, args, e) : 0;

        if (r < 0)
                return r;
        /* Mount operations take the modifiers; any other option leaves them without one. */
        if (!(o->flags & OPT_MODIFIER) && (r = plan_check_modifiers(p, o->name, _MOUNT_TYPE_MAX, e)) < 0)
                return r;
        note_given(p, o);
        if (o->flags & (OPT_CLI_ONLY | OPT_STATE_ONLY))
                return 0;
        entry.in_default = p->default_depth > 0;
        /* Recorded for --print-policy; the strings live in argv or in p->owned. */
        entry.args = xrealloc_array(NULL, entry.n_args + 1, sizeof(char *));
        memcpy(entry.args, args, entry.n_args * sizeof(char *));
        entry.args[entry.n_args] = NULL;
        APPEND(p->applied, p->n_applied, entry);
        return 0;
}

/* Quotes a word for a policy file when it needs it: blanks, quotes, '#', '$', '\' or empty. */
static void print_policy_word(FILE *f, const char *w) {
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

/* The only policy recorded is the default, which a policy includes by that name. */
static bool is_include(const applied_t *a) {
        return (a->option->flags & OPT_LOADS) && a->option->data == OPT_INPUT_POLICY;
}

static void print_directive(FILE *f, const applied_t *a) {
        bool include = is_include(a);

        fputs(a->in_default ? "#   " : "", f);
        fputs(include ? "include" : a->option->name, f);
        for (unsigned i = 0; i < a->n_args; i++) {
                fputc(' ', f);
                if (a->option->flags & OPT_REST)
                        fputs(a->args[i], f); /* the rest of the line, as written */
                else
                        print_policy_word(f, a->args[i]);
        }
        fputc('\n', f);
}

void options_print_policy(FILE *f, const sandbox_plan_t *p) {
        fprintf(f, "# the effective policy, as sandbox(1) --print-policy wrote it\n");
        /* Said once, whoever said it: loaded back, the policy leaves the default out just the same. */
        if (p->no_default_policy || p->bwrap_mode)
                fprintf(f, "no-default-policy\n");
        for (size_t i = 0; i < p->n_applied; i++) {
                /* The default stays an include, so that loading this back doesn't apply it twice; its
                 * directives follow as comments, for reading. */
                if (is_include(&p->applied[i]) && !p->applied[i].in_default)
                        fprintf(f, "# the default policy (sandbox.policy(5)), which holds:\n");
                print_directive(f, &p->applied[i]);
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

static int check_fd_open(const char *option, int fd, sandbox_error_t *e) {
        int r = fd_is_open(fd);
        if (r < 0)
                return error_errno(e, r, "--%s: fd %d is not open", option, fd);
        return 0;
}

int options_check_fds(const sandbox_plan_t *p, sandbox_error_t *e) {
        static const struct {
                const char *name;
                size_t offset;
        } singles[] = {
                { "userns", PLAN_OFFSET(userns_fd) },
                { "userns2", PLAN_OFFSET(userns2_fd) },
                { "pidns", PLAN_OFFSET(pidns_fd) },
                { "block-fd", PLAN_OFFSET(block_fd) },
                { "userns-block-fd", PLAN_OFFSET(userns_block_fd) },
                { "info-fd", PLAN_OFFSET(info_fd) },
                { "json-status-fd", PLAN_OFFSET(json_status_fd) },
                { "denials-fd", PLAN_OFFSET(denials_fd) },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(singles); i++) {
                int fd = *(const int *) ((const char *) p + singles[i].offset);
                if (fd >= 0 && (r = check_fd_open(singles[i].name, fd, e)) < 0)
                        return r;
        }
        for (size_t i = 0; i < p->n_sync_fds; i++)
                if ((r = check_fd_open("sync-fd", p->sync_fds[i], e)) < 0)
                        return r;
        for (size_t i = 0; i < p->n_seccomp_fds; i++)
                if ((r = check_fd_open(p->seccomp_single ? "seccomp" : "add-seccomp-fd", p->seccomp_fds[i], e)) < 0)
                        return r;
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].fd >= 0 && (r = fd_is_open(p->ops[i].fd)) < 0)
                        return error_errno(e, r, "%s: fd %d is not open", p->ops[i].origin, p->ops[i].fd);
        return 0;
}

static int check_exists(const char *path) {
        struct stat st;
        return stat(path, &st) < 0 ? -errno : 0;
}

int options_check_sources(const sandbox_plan_t *p, sandbox_error_t *e) {
        int r;

        for (size_t i = 0; i < p->n_ops; i++) {
                const mount_op_t *op = &p->ops[i];

                /* In the launch's words (mounts.c), so that the two errors read the same. */
                if (op->type == MOUNT_BIND && op->source && !(op->flags & MOUNT_FLAG_TRY) &&
                    (r = check_exists(op->source)) < 0)
                        return error_errno(e, r, "%s", op->origin);
                if (op->type != MOUNT_OVERLAY)
                        continue;
                for (size_t l = 0; l < op->n_layers; l++)
                        if ((r = check_exists(op->layers[l])) < 0)
                                return error_errno(e, r, "%s: overlay layer %s", op->origin, op->layers[l]);
                if (op->source && (r = check_exists(op->source)) < 0)
                        return error_errno(e, r, "%s: upper directory %s", op->origin, op->source);
                if (op->workdir && (r = check_exists(op->workdir)) < 0)
                        return error_errno(e, r, "%s: work directory %s", op->origin, op->workdir);
        }
        return 0;
}

void options_help(FILE *f, const char *argv0, bool bwrap_mode, void (*list_policies)(FILE *f)) {
        static const char *const groups[] = {
                [OPT_GROUP_GENERAL] = "General",
                [OPT_GROUP_NAMESPACES] = "Namespaces",
                [OPT_GROUP_PROCESS] = "Process",
                [OPT_GROUP_FILESYSTEM] = "Filesystem (applied in the order given)",
                [OPT_GROUP_SECCOMP] = "Syscall filter (see sandbox.policy(5))",
                [OPT_GROUP_LIMITS] = "Resource limits (cgroup v2 ones need a delegated cgroup; see sandbox(1))",
                [OPT_GROUP_DESKTOP] = "Desktop applications (Flatpak's permissions; see sandbox(1))",
        };

        fprintf(f, "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n", argv0);
        for (int g = 0; g < _OPT_GROUP_MAX; g++) {
                fprintf(f, "\n%s:\n", groups[g]);
                for (size_t i = 0; i < ELEMENTSOF(option_table); i++) {
                        char lhs[64];

                        if (option_table[i].group != (option_group_t) g)
                                continue;
                        snprintf(lhs, sizeof lhs, "--%s%s%s", option_table[i].name, option_table[i].metavar ? " " : "",
                                 option_table[i].metavar ? option_table[i].metavar : "");
                        fprintf(f, "    %-30s %s%s\n", lhs, option_table[i].help,
                                option_table[i].flags & OPT_EXTENSION ? " [not in bwrap]" : "");
                }
        }
        /* bubblewrap's --help has neither: under its name, its list only. */
        if (!bwrap_mode && list_policies) {
                fprintf(f, "\nPolicies (--policy NAME; sandbox.policy(5) says where more are found):\n");
                list_policies(f);
        }
        if (!bwrap_mode)
                fprintf(f, "\nExamples (sandbox(1), EXAMPLES, has more):\n"
                           "    sandbox --policy shell -- bash\n"
                           "        a shell with the system read-only and an empty stand-in for $HOME\n"
                           "    sandbox --policy build -- make -j4\n"
                           "        a build step: no network, only the current directory writable\n"
                           "    sandbox --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \\\n"
                           "            --symlink usr/lib64 /lib64 -- ls /\n"
                           "        the host's /usr, read-only, and nothing else of its files\n");
        fprintf(f, "\nExit status: the command's; 128+N if killed by signal N; %s\n",
                bwrap_mode ? "1 if bwrap itself failed."
                           : "125 setup failed, 126 not executable, 127 not found,\n"
                             "137 killed at the memory limit, 124 --timeout expired.");
}
