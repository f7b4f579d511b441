/* SPDX-License-Identifier: MIT */
/* How to mount, as opposed to what (mounts.c): the new mount API where the kernel has it
 * (open_tree, move_mount, mount_setattr: flags set on a detached copy before anyone can see
 * it, recursively), mount(2) and a remount walk over mountinfo where it doesn't. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/types.h>

#include "util.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
struct mount_attr {
        uint64_t attr_set, attr_clr, propagation, userns_fd;
};
#endif

/* Probes the mount API once; with force_legacy, uses the fallbacks (for the tests). */
void mount_api_probe(bool force_legacy);

/* A recursive copy of PATH under DIRFD, ready to attach (mount API), or an O_PATH fd to bind
 * from later (legacy). EXTRA: AT_SYMLINK_NOFOLLOW, or AT_EMPTY_PATH to take DIRFD itself. */
int mount_api_open_source(int dirfd, const char *path, unsigned extra, int *ret);

/* Binds SRC (from mount_api_open_source) on DEST_FD with the MOUNT_ATTR_* flags ATTRS, on
 * every submount too; with TOLERATE (--not-a-security-boundary), a submount that keeps its
 * flags is only a warning. Errors are prefixed with ORIGIN. */
int mount_api_attach(const char *origin, int src, int dest_fd, uint64_t attrs, bool tolerate, sandbox_error_t *e);

/* DEV is a file system the launch mounted itself where a bind source may contain it (under
 * "/"): a legacy recursive bind drops the copies it makes of it. */
void mount_api_own(dev_t dev);

/* Makes the mount at FD read-only (that mount alone, as bubblewrap's --remount-ro does). */
int mount_api_set_readonly(int fd);

/* Why a mount may not be there at all, and what to do instead. */
typedef struct mount_refusal {
        const char *why, *hint;
} mount_refusal_t;

/* Every mount strictly below TOP (of FSTYPE only, if given) gets ATTRS; with REFUSE, finding
 * one is an error instead, saying why, with its hint. */
int mount_api_remount_submounts(const char *top, const char *fstype, uint64_t attrs, bool tolerate,
                                const mount_refusal_t *refuse, sandbox_error_t *e);
