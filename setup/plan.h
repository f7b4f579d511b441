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

/* The files --etc-minimal generates, each a read-only --ro-bind-data whose fd the parent fills in
 * before the launch (etc.c), from the caller's names and the ids the plan maps. */
typedef enum {
        ETC_NONE,
        ETC_PASSWD,
        ETC_GROUP,
        ETC_HOSTS,
        ETC_NSSWITCH,
        _ETC_FILE_MAX,
} etc_file_t;

typedef struct mount_op {
        mount_type_t type;
        unsigned flags;
        const char *source;      /* host path (bind, overlay upper), symlink target, or NULL */
        const char *dest;        /* path inside the sandbox */
        const char *workdir;     /* --overlay */
        int fd;                  /* --bind-fd, --file, --bind-data; -1 otherwise */
        int mode;                /* --perms/--chmod, or -1 for the default */
        unsigned long long size; /* --size for --tmpfs, 0 when unset */
        const char **layers;     /* --overlay-src, in the order given: the last is the uppermost lower layer */
        size_t n_layers;
        char *origin; /* how the user wrote it ("--ro-bind /a /b", "x.policy:3: --ro-bind /a /b"), for messages */
        etc_file_t generated; /* --etc-minimal: fd is -1 until prepare writes the content (etc.c) */
} mount_op_t;

typedef enum {
        ENV_SET,
        ENV_UNSET,
        ENV_CLEAR,
} env_op_type_t;

typedef struct env_op {
        env_op_type_t type;
        const char *name;
        const char *value; /* ENV_SET: NULL until prepare fills in the caller's name (--etc-minimal's USER) */
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

/* A directive as applied, for --print-policy (includes and --args flattened, but for the default
 * policy: an `include default` entry, then its directives marked in_default). */
typedef struct applied {
        const struct option_def *option;
        char **args;
        unsigned n_args;
        bool in_default; /* came from the default policy: printed as a comment under its include */
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

/* Desktop confinement (desktop.c, dbus-proxy.c, wayland.c). */
typedef enum desktop_socket {
        SOCKET_WAYLAND = 1u << 0,
        SOCKET_X11 = 1u << 1,
        SOCKET_FALLBACK_X11 = 1u << 2,
        SOCKET_PULSEAUDIO = 1u << 3,
        SOCKET_PIPEWIRE = 1u << 4,
        SOCKET_SESSION_BUS = 1u << 5,
        SOCKET_SYSTEM_BUS = 1u << 6,
        SOCKET_SSH_AUTH = 1u << 7,
} desktop_socket_t;

typedef enum desktop_device {
        DEVICE_DRI = 1u << 0,
        DEVICE_ALL = 1u << 1,
} desktop_device_t;

typedef enum dbus_bus {
        DBUS_BUS_SESSION,
        DBUS_BUS_SYSTEM,
} dbus_bus_t;

typedef enum dbus_rule_kind {
        DBUS_RULE_SEE,
        DBUS_RULE_TALK,
        DBUS_RULE_OWN,
        DBUS_RULE_CALL,      /* value "NAME=RULE" */
        DBUS_RULE_BROADCAST, /* value "NAME=RULE" */
} dbus_rule_kind_t;

typedef struct dbus_rule {
        dbus_bus_t bus;
        dbus_rule_kind_t kind;
        const char *value; /* validated when parsed */
} dbus_rule_t;

typedef enum filesystem_mode {
        FILESYSTEM_RO,
        FILESYSTEM_RW,
        FILESYSTEM_CREATE,
} filesystem_mode_t;

typedef struct filesystem_grant {
        const char *path; /* as given: a path, ~/..., or a symbolic name (home, xdg-download, ...) */
        filesystem_mode_t mode;
} filesystem_grant_t;

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
        /* --env-keep: names, or prefixes ending in '*', that every --clearenv leaves (prepare.c) */
        const char **env_keep;
        size_t n_env_keep;
        /* --refuse-bind: a writable bind of one of these, or of a directory above one, stops the launch */
        const char **refuse_binds;
        size_t n_refuse_binds;

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
        /* --limit-try: applied where a cgroup can be had; else pids falls back to RLIMIT_NPROC and
         * the others are reported on stderr as not applied (prepare_cgroup) */
        unsigned long long limits_try[_LIMIT_MAX];
        unsigned limits_try_set;
        io_limit_t *io_limits;
        size_t n_io_limits;
        rlimit_op_t *rlimits;
        size_t n_rlimits;
        unsigned long long timeout_ms;       /* 0: none */
        unsigned long long timeout_grace_ms; /* --timeout-grace, when timeout_grace_set */
        bool timeout_grace_set;
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
        /* The options the command line gave (bits by table index), for what bubblewrap says of a
         * repeated one; the warnings are printed by sandbox.c once --level-prefix is known. */
        unsigned long long cli_given[4];
        const char **warnings;
        size_t n_warnings;
        unsigned policy_depth;  /* policy files being loaded (cmdline.c counts them): 0 when done */
        unsigned default_depth; /* of those, how many are the default policy (or inside it) */
        bool default_included;  /* the default policy was loaded by name: it is not applied again */
        /* The default policy's syscall rules kept as text while its embedded filter may serve
         * (seccomp-embedded.h): asked by sandbox.c, dropped if the text isn't the embedded one. */
        bool default_defer;
        bool default_embedded; /* settled: the launch installs the embedded filter */
        const char **deferred_rules;
        const char **deferred_where;
        size_t n_deferred_rules;
        bool no_default_policy;   /* said on the command line or in a policy: `sandbox` applies no default */
        const char *where_path;   /* the policy file whose directive is being applied, NULL for the command line, */
        unsigned where_line;      /* and its line: mount ops' origin carries them for run-time errors */
        const char *check_policy; /* --check-policy FILE */

        /* Denials and learning (notify.c, learn.c). */
        bool report_denials;    /* --report-denials / report-denials */
        int denials_fd;         /* --denials-fd, -1 without */
        const char *learn_file; /* --learn FILE */
        /* Where syscall-default was said ("FILE:LINE"), or NULL: for the denial reports. */
        const char *syscall_default_where;

        /* Desktop confinement. */
        const char *app_id;
        unsigned sockets; /* desktop_socket_t bits */
        unsigned devices; /* desktop_device_t bits */
        dbus_rule_t *dbus_rules;
        size_t n_dbus_rules;
        filesystem_grant_t *filesystems;
        size_t n_filesystems;

        /* Buffers that strings in the plan point into (--args data, policy files). */
        char **owned;
        size_t n_owned;
} sandbox_plan_t;

/* bubblewrap's words for a modifier left without its operation (plan_check_modifiers, cmdline). */
#define PLAN_BWRAP_PERMS_ALONE "--perms must be followed by an option that creates a file"
#define PLAN_BWRAP_SIZE_ALONE "--size must be followed by --tmpfs"
#define PLAN_BWRAP_LAYERS_ALONE \
        "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay"

void plan_init(sandbox_plan_t *p);
void plan_free(sandbox_plan_t *p);

/* The modifiers waiting (--perms, --size, --overlay-src) must suit the next operation: `type`,
 * which --OPTION asks for. */
int plan_check_modifiers(const sandbox_plan_t *p, const char *option, mount_type_t type, sandbox_error_t *e);
/* Appends a mount operation, taking the waiting --perms and --size; its origin is how the user
 * wrote it ("--OPTION ARGS...", after "FILE:LINE: " when a policy's where_path is set). */
mount_op_t *plan_add_mount(sandbox_plan_t *p, const char *option, mount_type_t type, char **args, unsigned n_args);
/* Adds a bind of SOURCE at DEST (both copied) with mount_flags_t FLAGS; its origin, for messages,
 * is "--OPTION ARG". For operations the launcher adds itself (the desktop's). */
void plan_add_bind(sandbox_plan_t *p, const char *option, const char *arg, const char *source, const char *dest,
                   unsigned flags);
/* Sets (a copy of VALUE) or unsets NAME in the command's environment, after what the options did. */
void plan_setenv(sandbox_plan_t *p, const char *name, const char *value);
void plan_unsetenv(sandbox_plan_t *p, const char *name);
