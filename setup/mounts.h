/* SPDX-License-Identifier: MIT */
/* The sandbox's file system: / made recursively slave, an empty tmpfs as the new root (over
 * a private one for what the launch makes itself), the mount operations in the order given,
 * pivot_root, the old root detached. Runs in the child, in its new mount namespace. How each
 * mount is made (mount API or legacy) is mount-api.c's. */
#pragma once

#include <stdbool.h>

#include "plan.h"
#include "util.h"

typedef struct mounts_options {
        bool in_userns;   /* overlayfs needs userxattr there */
        bool legacy;      /* use the fallbacks for old kernels even on a new one (tests) */
        bool cgroupfs_ro; /* the sandbox has limits: no cgroup2 mount inside may be writable */
} mounts_options_t;

int mounts_setup(const sandbox_plan_t *p, const mounts_options_t *o, sandbox_error_t *e);
