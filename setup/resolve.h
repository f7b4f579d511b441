/* SPDX-License-Identifier: MIT */
/* Paths inside the sandbox's new root: resolved and created without a symlink or ".." ever
 * leading out of it (openat2 RESOLVE_IN_ROOT, or a walk that does the same on old kernels). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

typedef enum {
        DEST_NONE,
        DEST_DIR,
        DEST_FILE
} dest_kind_t;

/* Probes openat2 once; with force_fallback, uses the walk (for the tests). */
void resolve_probe(bool force_fallback);
/* Opens PATH inside the directory tree rooted at root_fd. */
int resolve_in_root(int root_fd, const char *path, int flags, int *ret);
/* mkdir -p of PATH's parents with MODE, each step resolved inside the root; ENOTDIR where one
 * exists and is no directory. */
int resolve_mkdir_parents(int root_fd, const char *path, mode_t mode);
/* Makes the mount point DEST unless it exists: a directory with MODE, or an empty file. ENOTDIR
 * or EISDIR when what exists is of the other kind. */
int resolve_make_dest(int root_fd, const char *dest, dest_kind_t kind, mode_t mode);
/* Both (parents and a directory with mode 0755), then opens DEST. */
int resolve_open_dest(int root_fd, const char *dest, dest_kind_t kind, int flags, int *ret);
/* Splits "/a/b/c/" into "/a/b" and "c". */
void resolve_split_path(const char *path, char **ret_parent, char **ret_name);
/* "/proc/self/fd/N", for the syscalls that only take paths. */
char *fd_path(int fd, char buf[static 32]);
