/* SPDX-License-Identifier: MIT */
/* struct sandbox_plan: everything a launch will do, as data. Built by the options parser (pure),
 * checked and prepared by sandbox.c, then carried out by the setup modules in order. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

typedef enum {
        MOUNT_BIND, /* --bind/--ro-bind/--dev-bind (+ -try), --bind-fd, --ro-bind-fd */
        MOUNT_REMOUNT_RO,
        MOUNT_PROC,
        MOUNT_DEV,
        MOUNT_TMPFS,
        MOUNT_MQUEUE,
        MOUNT_SYS,
        MOUNT_DIR,
        MOUNT_FILE,
        MOUNT_BIND_DATA, /* --bind-data/--ro-bind-data */
        MOUNT_SYMLINK,
        MOUNT_CHMOD,
        MOUNT_OVERLAY, /* --overlay, --tmp-overlay, --ro-overlay */
        _MOUNT_TYPE_MAX,
} mount_type_t;

typedef enum {
        MOUNT_FLAG_RO = 1 << 0,
        MOUNT_FLAG_DEV = 1 << 1, /* keep device nodes usable (no nodev) */
        MOUNT_FLAG_TRY = 1 << 2, /* a missing source is skipped */
        MOUNT_FLAG_TMP = 1 << 3, /* overlay: writes go to a throwaway tmpfs */
} mount_flags_t;

typedef struct mount_op {
        mount_type_t type;
        unsigned flags;
        const char *source;      /* host path (bind, overlay upper), symlink target, or NULL */
        const char *dest;        /* path inside the sandbox */
        const char *workdir;     /* --overlay */
        int fd;                  /* --bind-fd, --file, --bind-data; -1 otherwise */
        int mode;                /* --perms/--chmod, or -1 for the default */
        unsigned long long size; /* --size for --tmpfs, 0 when unset */
        const char **layers;     /* --overlay-src, in the order given: the first is the top layer */
        size_t n_layers;
        char *origin; /* how the user wrote it ("--ro-bind /a /b"), for messages */
} mount_op_t;

typedef enum {
        ENV_SET,
        ENV_UNSET,
        ENV_CLEAR,
} env_op_type_t;

typedef struct env_op {
        env_op_type_t type;
        const char *name;
        const char *value;
} env_op_t;

typedef struct id_map {
        unsigned long inside, outside, count;
} id_map_t;

typedef enum {
        NS_USER = 1 << 0,
        NS_IPC = 1 << 1,
        NS_PID = 1 << 2,
        NS_NET = 1 << 3,
        NS_UTS = 1 << 4,
        NS_CGROUP = 1 << 5,
        NS_TIME = 1 << 6,
} ns_t;

typedef enum {
        ACTION_RUN,
        ACTION_HELP,
        ACTION_VERSION,
        ACTION_PRINT_POLICY,
        ACTION_CHECK_POLICY,
        ACTION_EXPORT_PFC,
} plan_action_t;

/* A directive as applied, for --print-policy (includes and --args flattened). */
typedef struct applied {
        const struct option_def *option;
        char **args;
        unsigned n_args;
} applied_t;

/* `limit KIND VALUE`: the cgroup v2 files they become are in cgroup.c. */
typedef enum {
        LIMIT_MEMORY,      /* memory.max, bytes */
        LIMIT_MEMORY_HIGH, /* memory.high, bytes */
        LIMIT_MEMORY_SWAP, /* memory.swap.max, bytes */
        LIMIT_PIDS,        /* pids.max */
        LIMIT_CPU,         /* cpu.max quota per 100 ms period, in microseconds */
        LIMIT_CPU_WEIGHT,  /* cpu.weight, 1 to 10000 */
        LIMIT_IO_WEIGHT,   /* io.weight, 1 to 10000 */
        _LIMIT_MAX,
} limit_kind_t;

typedef struct io_limit {
        const char *device; /* as given: MAJ:MIN or a block device path */
        char dev[32];       /* MAJ:MIN, filled in by cgroup_check_devices() */
        bool write;         /* wbps, else rbps */
        unsigned long long bps;
} io_limit_t;

typedef struct rlimit_op {
        int resource;                  /* RLIMIT_* */
        unsigned long long soft, hard; /* RLIM_INFINITY for unlimited */
} rlimit_op_t;

typedef enum {
        CGROUP_MANAGER_AUTO,
        CGROUP_MANAGER_CGROUPFS,
        CGROUP_MANAGER_SYSTEMD,
} cgroup_manager_t;

typedef struct sandbox_plan {
        plan_action_t action;
        bool bwrap_mode; /* invoked as `bwrap` */

        unsigned unshare;     /* ns_t bits asked for */
        unsigned unshare_try; /* ns_t bits that are skipped when the kernel lacks them */
        int userns_fd, userns2_fd, pidns_fd;
        bool disable_userns, assert_userns_disabled;

        bool uid_set, gid_set;
        uid_t uid;
        gid_t gid;
        id_map_t *uid_maps, *gid_maps;
        size_t n_uid_maps, n_gid_maps;

        const char *hostname, *chdir, *argv0, *exec_label, *file_label;

        env_op_t *env;
        size_t n_env;

        const char **lock_files;
        size_t n_lock_files;
        int *sync_fds;
        size_t n_sync_fds;
        int *keep_fds;
        size_t n_keep_fds;
        int *seccomp_fds;
        size_t n_seccomp_fds;
        bool seccomp_single; /* --seccomp was used (it excludes --add-seccomp-fd) */

        int block_fd, userns_block_fd, info_fd, json_status_fd;
        int *args_fds; /* every --args fd, in order, already read: not for the command */
        size_t n_args_fds;

        bool new_session, die_with_parent, as_pid_1, close_fds, level_prefix, not_a_security_boundary;
        bool keep_session_keyring; /* else the sandbox starts with a fresh, empty session keyring */

        /* Syscall rules (rules.h), compiled by seccomp.c. */
        struct syscall_rule *rules;
        size_t n_rules;
        bool syscall_default_set;
        uint32_t syscall_default;
        uint32_t *arches; /* besides the native one */
        size_t n_arches;
        const char *export_bpf;

        bool caps_changed; /* --cap-add/--cap-drop seen */
        uint64_t caps;     /* capabilities the command keeps */

        mount_op_t *ops;
        size_t n_ops;

        /* Resource limits (limits.c parses them, cgroup.c applies them). */
        unsigned long long limits[_LIMIT_MAX];
        unsigned limits_set; /* 1 << limit_kind_t */
        io_limit_t *io_limits;
        size_t n_io_limits;
        rlimit_op_t *rlimits;
        size_t n_rlimits;
        unsigned long long timeout_ms; /* 0: none */
        bool stats;
        cgroup_manager_t cgroup_manager;

        char **argv; /* the command; NULL-terminated */
        size_t argc;

        /* Modifiers waiting for the next operation (--perms, --size, --overlay-src). */
        int pending_mode;
        unsigned long long pending_size;
        const char **pending_layers;
        size_t n_pending_layers;

        applied_t *applied;
        size_t n_applied;
        unsigned policy_depth; /* policy files being loaded (cmdline.c counts them): 0 when done */
        bool policy_given;     /* --policy on the command line: no default policy then */
        bool no_default_policy;
        const char *check_policy; /* --check-policy FILE */

        /* Buffers that strings in the plan point into (--args data, policy files). */
        char **owned;
        size_t n_owned;
} sandbox_plan_t;

void plan_init(sandbox_plan_t *p);
void plan_free(sandbox_plan_t *p);

/* The modifiers waiting (--perms, --size, --overlay-src) must suit the next operation: `type`,
 * which --OPTION asks for. */
int plan_check_modifiers(const sandbox_plan_t *p, const char *option, mount_type_t type, sandbox_error_t *e);
/* Appends a mount operation, taking the waiting --perms and --size; its origin is how the user
 * wrote it ("--OPTION ARGS..."). */
mount_op_t *plan_add_mount(sandbox_plan_t *p, const char *option, mount_type_t type, char **args, unsigned n_args);
