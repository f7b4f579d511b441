/* SPDX-License-Identifier: MIT */
/* The plan's life: made empty, grown one mount operation at a time (with the modifiers that
 * wait for it), freed. Pure data, no syscalls. */
#include "plan.h"
#include "rules.h"
#include "util.h"

#include <string.h>

void plan_init(sandbox_plan_t *p) {
        *p = (sandbox_plan_t){
                .userns_fd = -1,
                .userns2_fd = -1,
                .pidns_fd = -1,
                .block_fd = -1,
                .userns_block_fd = -1,
                .info_fd = -1,
                .json_status_fd = -1,
                .denials_fd = -1,
                .pending_mode = -1,
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
        free(p->env_keep);
        free(p->refuse_binds);
        free(p->uid_maps);
        free(p->gid_maps);
        free(p->lock_files);
        free(p->sync_fds);
        free(p->keep_fds);
        free(p->seccomp_fds);
        free(p->args_fds);
        free(p->io_limits);
        free(p->rlimits);
        free(p->pending_layers);
        free(p->dbus_rules);
        free(p->deferred_rules);
        free(p->deferred_where);
        free(p->filesystems);
        for (size_t i = 0; i < p->n_applied; i++)
                free(p->applied[i].args);
        free(p->applied);
        for (size_t i = 0; i < p->n_warnings; i++)
                free((char *) p->warnings[i]);
        free(p->warnings);
        free(p->argv);
        for (size_t i = 0; i < p->n_owned; i++)
                free(p->owned[i]);
        free(p->owned);
        plan_init(p);
}

int plan_check_modifiers(const sandbox_plan_t *p, const char *option, mount_type_t type, sandbox_error_t *e) {
        bool takes_mode = type == MOUNT_BIND_DATA || type == MOUNT_FILE || type == MOUNT_TMPFS || type == MOUNT_DIR;

        int r = 0;

        if (p->pending_mode >= 0 && !takes_mode) {
                r = error_msg(
                        e,
                        "--perms must be followed by --bind-data, --ro-bind-data, --file, --tmpfs or --dir, not --%s",
                        option);
                error_bwrap(e, "%s", PLAN_BWRAP_PERMS_ALONE);
        } else if (p->pending_size && type != MOUNT_TMPFS) {
                r = error_msg(e, "--size must be followed by --tmpfs, not --%s", option);
                error_bwrap(e, "%s", PLAN_BWRAP_SIZE_ALONE);
        } else if (p->n_pending_layers && type != MOUNT_OVERLAY) {
                r = error_msg(e, "--overlay-src must be followed by --overlay, --tmp-overlay or --ro-overlay, not --%s",
                              option);
                error_bwrap(e, "%s", PLAN_BWRAP_LAYERS_ALONE);
        }
        return r;
}

mount_op_t *plan_add_mount(sandbox_plan_t *p, const char *option, mount_type_t type, char **args, unsigned n_args) {
        mount_op_t *op;
        size_t len = strlen(option) + 3;

        p->ops = xrealloc_array(p->ops, p->n_ops + 1, sizeof *p->ops);
        op = &p->ops[p->n_ops++];
        *op = (mount_op_t){ .type = type, .fd = -1, .mode = p->pending_mode, .size = p->pending_size };
        for (unsigned i = 0; i < n_args; i++)
                len += strlen(args[i]) + 1;
        op->origin = xmalloc0(len);
        strcat(strcat(op->origin, "--"), option);
        for (unsigned i = 0; i < n_args; i++)
                strcat(strcat(op->origin, " "), args[i]);
        /* From a policy, a run-time error points at its line: "build.policy:12: --bind /x /x: ..." */
        if (p->where_path) {
                char *located = xasprintf("%s:%u: %s", p->where_path, p->where_line, op->origin);
                free(op->origin);
                op->origin = located;
        }
        p->pending_mode = -1;
        p->pending_size = 0;
        return op;
}

static const char *own(sandbox_plan_t *p, char *s) {
        APPEND(p->owned, p->n_owned, s);
        return s;
}

void plan_add_bind(sandbox_plan_t *p, const char *option, const char *arg, const char *source, const char *dest,
                   unsigned flags) {
        char *args[] = { (char *) arg };
        mount_op_t *op = plan_add_mount(p, option, MOUNT_BIND, args, 1);

        op->flags = flags;
        op->source = own(p, xstrdup(source));
        op->dest = own(p, xstrdup(dest));
}

void plan_setenv(sandbox_plan_t *p, const char *name, const char *value) {
        APPEND(p->env, p->n_env, ((env_op_t){ .type = ENV_SET, .name = name, .value = own(p, xstrdup(value)) }));
}

void plan_unsetenv(sandbox_plan_t *p, const char *name) {
        APPEND(p->env, p->n_env, ((env_op_t){ .type = ENV_UNSET, .name = name }));
}
