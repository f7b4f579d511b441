/* SPDX-License-Identifier: MIT */
/* Learn mode's writer: what one run was seen to use (syscalls, paths in the sandbox) in, a policy
 * that allows only that out. Pure: the host is asked only through the callbacks in
 * learn_env_t, so that the unit tests can stand in for it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

typedef enum {
        LEARN_READ = 1 << 0,
        LEARN_WRITE = 1 << 1,
        LEARN_EXEC = 1 << 2,
        LEARN_CREATE = 1 << 3, /* made, removed or renamed an entry: its directory must be writable */
        LEARN_STAT = 1 << 4,   /* only looked at (stat, access, readlink, chdir, O_PATH): must exist */
        LEARN_LIST = 1 << 5,   /* a directory opened for reading: its entries are needed */
} learn_access_t;

typedef enum {
        LEARN_HOST_ABSENT,
        LEARN_HOST_FILE, /* anything but a directory */
        LEARN_HOST_DIR,
} learn_host_t;

typedef struct learn_path {
        char *path;      /* absolute, as the sandbox saw it */
        unsigned access; /* learn_access_t bits */
        unsigned long count;
        bool create_seen; /* a call that makes or removes it was seen, */
        bool existed;     /* and it was there before the first one */
} learn_path_t;

typedef struct learn_syscall {
        char *name;      /* NULL for a number no table names */
        const char *abi; /* NULL for the native ABI, else syscall-arch's name ("x86", "x32") */
        unsigned long nr, count;
} learn_syscall_t;

typedef struct learn_obs {
        learn_syscall_t *syscalls;
        size_t n_syscalls;
        learn_path_t *paths;
        size_t n_paths;
        unsigned long notifications;
        unsigned long unread; /* paths that couldn't be read from the caller (gone, or bad pointers) */
        bool inet;            /* an AF_INET or AF_INET6 socket was made: the network is used */
        char *const *argv;    /* the command, for the header */
        size_t *slots;        /* an index of paths (learn-policy.c) */
        size_t n_slots;
} learn_obs_t;

typedef struct learn_env {
        const mount_op_t *ops; /* the learning run's mounts, to map sandbox paths back to the host */
        size_t n_ops;
        const char *cwd; /* where relative bind sources are */
        /* What HOST is on the host now (following symlinks). */
        learn_host_t (*host_type)(const char *host);
        /* The target of HOST when it is itself a symlink, else NULL; malloc'd. */
        char *(*host_symlink)(const char *host);
        /* NAME is a syscall of the native ABI (a group counts as whole when every member that
         * exists was seen). */
        bool (*syscall_exists)(const char *name);
} learn_env_t;

/* Directories with at least this many entries used are bound whole. */
#define LEARN_COLLAPSE_MIN 4

/* Where PATH (in the sandbox) comes from: the index of the mount op that provides it (symlink ops
 * are followed, up to 8), and for a bind the host path (malloc'd). -1 when only the sandbox's own
 * root holds it. */
ssize_t learn_map_path(const learn_env_t *env, const char *path, char **ret_host);
/* "/a/./b/../c" to "/a/c", in place, lexically: good enough to learn from, never to decide by. */
void learn_normalize(char *path);
/* The policy text (malloc'd) that allows what OBS saw and nothing else. */
char *learn_policy_write(const learn_obs_t *obs, const learn_env_t *env);
/* Frees what OBS holds (not OBS itself). */
void learn_obs_free(learn_obs_t *obs);
/* Adds ACCESS to PATH's entry (made when new); the path is copied. */
learn_path_t *learn_obs_path(learn_obs_t *obs, const char *path, unsigned access);
/* Counts one call of NAME (or of the number NR when NAME is NULL) on ABI (NULL: native). */
void learn_obs_syscall(learn_obs_t *obs, const char *abi, unsigned long nr, const char *name);
