/* SPDX-License-Identifier: MIT */
#include "mount-api.h"
#include "resolve.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static int sys_open_tree(int dfd, const char *path, unsigned flags) {
        return (int) syscall(SYS_open_tree, dfd, path, flags);
}
static int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags) {
        return (int) syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}
static int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr) {
        return (int) syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof *attr);
}

/* Probed once: the new mount API (open_tree, move_mount, mount_setattr). The tests force
 * the fallbacks (SANDBOX_TEST_LEGACY=1, read by sandbox.c) to cover them on new kernels. */
static bool have_mount_api = true;

void mount_api_probe(bool force_legacy) {
        struct mount_attr attr = { 0 };
        int fd;

        if (force_legacy) {
                have_mount_api = false;
                return;
        }
        /* Invalid flags: ENOSYS means missing, EINVAL means present. */
        if (sys_mount_setattr(-1, "", ~0U, &attr) < 0 && errno == ENOSYS)
                have_mount_api = false;
        fd = sys_open_tree(-1, "", ~0U);
        if (fd >= 0)
                close(fd);
        else if (errno == ENOSYS)
                have_mount_api = false;
}

int mount_api_open_source(int dirfd, const char *path, unsigned extra, int *ret) {
        int fd;

        if (have_mount_api)
                fd = sys_open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | extra);
        else if (extra & AT_EMPTY_PATH)
                fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3); /* bound from later through /proc/self/fd */
        else
                fd = openat(dirfd, path, O_PATH | O_CLOEXEC | (extra & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0));
        if (fd < 0)
                return -errno;
        *ret = fd;
        return 0;
}

static unsigned long ms_flags(uint64_t attrs) {
        return (attrs & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) | (attrs & MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
               (attrs & MOUNT_ATTR_NODEV ? MS_NODEV : 0) | (attrs & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0);
}

/* Legacy remount: the flags the kernel locked (inherited from a more privileged namespace)
 * must be repeated or the remount is refused. */
static int remount_path(const char *path, uint64_t attrs) {
        struct statvfs sv;
        unsigned long keep = 0;

        if (statvfs(path, &sv) < 0)
                return -errno;
        keep |= sv.f_flag & ST_RDONLY ? MS_RDONLY : 0;
        keep |= sv.f_flag & ST_NOSUID ? MS_NOSUID : 0;
        keep |= sv.f_flag & ST_NODEV ? MS_NODEV : 0;
        keep |= sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0;
        keep |= sv.f_flag & ST_NOATIME ? MS_NOATIME : 0;
        keep |= sv.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0;
        keep |= sv.f_flag & ST_RELATIME ? MS_RELATIME : 0;
        if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | keep | ms_flags(attrs), NULL) < 0)
                return -errno;
        return 0;
}

int mount_api_set_readonly(int fd) {
        char path[32];

        if (have_mount_api) {
                struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
                if (sys_mount_setattr(fd, "", AT_EMPTY_PATH, &attr) < 0)
                        return -errno;
                return 0;
        }
        return remount_path(fd_path(fd, path), MOUNT_ATTR_RDONLY);
}

static void unescape_octal(char *s) {
        char *w = s;
        for (; *s; s++)
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
                        *w++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
                        s += 3;
                } else
                        *w++ = *s;
        *w = 0;
}

int mount_api_remount_submounts(const char *top, const char *fstype, uint64_t attrs, bool tolerate,
                                const mount_refusal_t *refuse, sandbox_error_t *e) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        size_t n = 0, toplen = strlen(top);
        int r;

        if (!f)
                return error_errno(e, errno, "reading /proc/self/mountinfo");
        while (getline(&line, &n, f) > 0) {
                const char *sep = strstr(line, " - ");
                char mp[PATH_MAX];

                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
                        continue;
                if (fstype && (!sep || strncmp(sep + 3, fstype, strlen(fstype)) != 0 || sep[3 + strlen(fstype)] != ' '))
                        continue;
                unescape_octal(mp);
                if (strncmp(mp, top, toplen) != 0 || mp[toplen] != '/')
                        continue;
                if (refuse) {
                        error_msg(e, "%s: the %s mount %s", refuse->why, fstype ?: "", mp + toplen);
                        error_hint(e, "%s", refuse->hint);
                        return -EPERM;
                }
                r = remount_path(mp, attrs);
                if (r < 0 && r != -ENOENT) {
                        if (!tolerate)
                                return fstype ? error_errno(e, r, "making the %s mount %s read-only", fstype, mp)
                                              : error_errno(e, r, "making submount %s read-only", mp);
                        log_warning("making submount %s read-only: %s (ignored: --not-a-security-boundary)", mp,
                                    strerror(-r));
                }
        }
        return 0;
}

/* Set on the detached copy, before anyone can see it, and recursively, so a submount of a
 * read-only bind can't be a writable hole. */
static int attach_detached(const char *origin, int src, int dest_fd, uint64_t attrs, bool tolerate,
                           sandbox_error_t *e) {
        struct mount_attr attr = { .attr_set = attrs, .propagation = MS_PRIVATE };

        if (sys_mount_setattr(src, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0) {
                int r = -errno;
                if (!tolerate)
                        return error_errno(e, r, "%s: setting %s recursively", origin,
                                           attrs & MOUNT_ATTR_RDONLY ? "read-only" : "nosuid/nodev");
                log_warning("%s: submounts keep their flags: %s (ignored: --not-a-security-boundary)", origin,
                            strerror(-r));
                if (sys_mount_setattr(src, "", AT_EMPTY_PATH, &attr) < 0)
                        return error_errno(e, errno, "%s: setting mount flags", origin);
        }
        if (sys_move_mount(src, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return error_errno(e, errno, "%s", origin);
        return 0;
}

/* Legacy recursive flags: every mount at or below the new one. Linear in the number of
 * mounts for each bind; only kernels without mount_setattr (before 5.12) pay it. */
static int attach_legacy(const char *origin, int src, int dest_fd, uint64_t attrs, bool tolerate, sandbox_error_t *e) {
        char top[PATH_MAX], sp[32], dp[32];
        /* The fd names the directory under the new mount, so the mount itself is found by
         * path. Legacy kernels only: the path was resolved inside the root a moment ago. */
        ssize_t n = readlink(fd_path(dest_fd, dp), top, sizeof top - 1);
        int r;

        if (n < 0)
                return error_errno(e, errno, "%s", origin);
        top[n] = 0;
        /* The source by its fd's magic link: it may be on a mount no path reaches. */
        if (mount(fd_path(src, sp), top, NULL, MS_BIND | MS_REC, NULL) < 0)
                return error_errno(e, errno, "%s", origin);
        if (mount(NULL, top, NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return error_errno(e, errno, "%s: making it private", origin);
        if ((r = remount_path(top, attrs)) >= 0)
                r = mount_api_remount_submounts(top, NULL, attrs, tolerate, NULL, e);
        if (r < 0) {
                if (!e->msg[0])
                        return error_errno(e, r, "%s: setting mount flags", origin);
                error_prefix(e, "%s", origin);
                return r;
        }
        return 0;
}

int mount_api_attach(const char *origin, int src, int dest_fd, uint64_t attrs, bool tolerate, sandbox_error_t *e) {
        if (have_mount_api)
                return attach_detached(origin, src, dest_fd, attrs, tolerate, e);
        return attach_legacy(origin, src, dest_fd, attrs, tolerate, e);
}
