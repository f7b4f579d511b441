/* SPDX-License-Identifier: MIT */
#include "mounts.h"
#include "resolve.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* Where the new root's tmpfs is mounted while it is built. Every host source is opened
 * before this mount hides what was there, so sources under /tmp work too. */
#define BASE "/tmp"

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
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV  0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
struct mount_attr {
        uint64_t attr_set, attr_clr, propagation, userns_fd;
};
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

static void probe_features(bool legacy) {
        struct mount_attr attr = { 0 };
        int fd;

        resolve_probe(legacy);
        if (legacy) {
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


/* ---- per-operation state prepared before the root hides anything ---- */

enum { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_TTY, DEV_CONSOLE, _DEV_MAX };
static const char *const dev_names[_DEV_MAX] = { "null", "zero", "full", "random", "urandom", "tty", "console" };

typedef struct prepared {
        int src;                /* bind source: detached clone (mount API) or O_PATH fd */
        int upper, work;        /* --overlay */
        int *layers;
        int dev[_DEV_MAX];      /* --dev: host device nodes */
} prepared_t;

typedef struct ctx {
        const sandbox_plan_t *plan;
        const mounts_options_t *opts;
        sandbox_error_t *e;
        prepared_t *prep;
        int root_fd;
} ctx_t;

/* A recursive copy of a host path, with the bind's flags already set, ready to attach; in
 * legacy mode just an O_PATH fd to bind from later. */
static int open_source(int dirfd, const char *path, unsigned extra, int *ret) {
        int fd;

        if (have_mount_api)
                fd = sys_open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | extra);
        else
                fd = openat(dirfd, path, O_PATH | O_CLOEXEC | (extra & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0));
        if (fd < 0)
                return -errno;
        *ret = fd;
        return 0;
}

/* The fd's mount belongs to the caller's mount namespace, which can't be bound from ours:
 * bind its path as seen here, and make sure that is still the very same file. */
static int prepare_bind_fd(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        char path[PATH_MAX], p[32];
        struct stat a, b;
        ssize_t n = readlink(fd_path(op->fd, p), path, sizeof path - 1);
        int r;

        if (n < 0)
                return error_errno(c->e, errno, "%s", op->origin);
        path[n] = 0;
        if (path[0] != '/')
                return error_msg(c->e, "%s: fd %d is not a file or directory (%s)", op->origin, op->fd, path);
        if ((r = open_source(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &pr->src)) < 0)
                return error_errno(c->e, r, "%s: %s", op->origin, path);
        if (fstat(op->fd, &a) < 0 || fstat(pr->src, &b) < 0)
                return error_errno(c->e, errno, "%s", op->origin);
        if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                return error_msg(c->e, "%s: %s was replaced since fd %d was opened", op->origin, path, op->fd);
        return 0;
}

static int prepare_op(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        int r;

        switch (op->type) {
        case MOUNT_BIND:
                if (op->fd >= 0)
                        return prepare_bind_fd(c, op, pr);
                else
                        r = open_source(AT_FDCWD, op->source, 0, &pr->src);
                if (r == -ENOENT && (op->flags & MOUNT_FLAG_TRY))
                        return 0;
                if (r < 0)
                        return error_errno(c->e, r, "%s", op->origin);
                return 0;
        case MOUNT_SYS:
                /* Only needed when sysfs can't be mounted (the network namespace isn't ours). */
                if (!(c->plan->unshare & NS_NET) && (r = open_source(AT_FDCWD, "/sys", 0, &pr->src)) < 0)
                        return error_errno(c->e, r, "%s: opening the host's /sys", op->origin);
                return 0;
        case MOUNT_DEV:
                for (int i = 0; i < _DEV_MAX; i++) {
                        char path[64], name[64];

                        if (i == DEV_CONSOLE) {
                                /* The caller's terminal appears as /dev/console, as in bubblewrap. */
                                if (ttyname_r(STDOUT_FILENO, name, sizeof name) != 0)
                                        continue;
                                snprintf(path, sizeof path, "%s", name);
                        } else
                                snprintf(path, sizeof path, "/dev/%s", dev_names[i]);
                        if ((r = open_source(AT_FDCWD, path, 0, &pr->dev[i])) < 0)
                                return error_errno(c->e, r, "%s: opening the host's %s", op->origin, path);
                }
                return 0;
        case MOUNT_OVERLAY:
                pr->layers = xrealloc_array(NULL, op->n_layers, sizeof(int));
                for (size_t i = 0; i < op->n_layers; i++)
                        pr->layers[i] = -1;
                for (size_t i = 0; i < op->n_layers; i++) {
                        pr->layers[i] = open(op->layers[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->layers[i] < 0)
                                return error_errno(c->e, errno, "%s: overlay layer %s", op->origin, op->layers[i]);
                }
                if (op->source) {
                        pr->upper = open(op->source, O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->upper < 0)
                                return error_errno(c->e, errno, "%s: upper directory %s", op->origin, op->source);
                        pr->work = open(op->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->work < 0)
                                return error_errno(c->e, errno, "%s: work directory %s", op->origin, op->workdir);
                }
                return 0;
        default:
                return 0;
        }
}

/* ---- attaching ---- */

static uint64_t bind_attrs(unsigned flags) {
        return MOUNT_ATTR_NOSUID | (flags & MOUNT_FLAG_DEV ? 0 : MOUNT_ATTR_NODEV) | (flags & MOUNT_FLAG_RO ? MOUNT_ATTR_RDONLY : 0);
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

/* Every mount strictly below `top` (of file system type `fstype` only, unless NULL), found
 * in mountinfo, remounted with `attrs`. */
typedef struct refusal {
        const char *why, *hint;
} refusal_t;

/* Every mount below `top` (of `fstype` only, if given) gets `attrs`; with `refuse`, finding one
 * is an error instead, saying why, with its hint. */
static int remount_submounts(const char *top, const char *fstype, uint64_t attrs, bool tolerate,
                             const refusal_t *refuse, sandbox_error_t *e) {
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
                        log_warning("making submount %s read-only: %s (ignored: --not-a-security-boundary)", mp, strerror(-r));
                }
        }
        return 0;
}

/* Legacy recursive flags: every mount at or below `top`. Linear in the number of mounts for
 * each bind; only kernels without mount_setattr (before 5.12) pay it. */
static int remount_tree(const char *top, uint64_t attrs, bool tolerate, sandbox_error_t *e) {
        int r;

        if ((r = remount_path(top, attrs)) < 0)
                return r;
        return remount_submounts(top, NULL, attrs, tolerate, NULL, e);
}

static int attach_bind(ctx_t *c, const mount_op_t *op, int src, int dest_fd, uint64_t attrs) {
        char sp[32], dp[32];
        int r;

        if (have_mount_api) {
                struct mount_attr attr = { .attr_set = attrs, .propagation = MS_PRIVATE };

                /* Set on the detached copy, before anyone can see it, and recursively, so a
                 * submount of a read-only bind can't be a writable hole. */
                if (sys_mount_setattr(src, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0) {
                        r = -errno;
                        if (!c->plan->not_a_security_boundary)
                                return error_errno(c->e, r, "%s: setting %s recursively", op->origin,
                                                   attrs & MOUNT_ATTR_RDONLY ? "read-only" : "nosuid/nodev");
                        log_warning("%s: submounts keep their flags: %s (ignored: --not-a-security-boundary)",
                                    op->origin, strerror(-r));
                        if (sys_mount_setattr(src, "", AT_EMPTY_PATH, &attr) < 0)
                                return error_errno(c->e, errno, "%s: setting mount flags", op->origin);
                }
                if (sys_move_mount(src, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        return error_errno(c->e, errno, "%s", op->origin);
                return 0;
        }

        {
                /* The fd names the directory under the new mount, so the mount itself is found
                 * by path. Legacy kernels only: the path was resolved inside the root a moment ago. */
                char top[PATH_MAX];
                ssize_t n = readlink(fd_path(dest_fd, dp), top, sizeof top - 1);

                if (n < 0)
                        return error_errno(c->e, errno, "%s", op->origin);
                top[n] = 0;
                if (mount(fd_path(src, sp), top, NULL, MS_BIND | MS_REC, NULL) < 0)
                        return error_errno(c->e, errno, "%s", op->origin);
                if (mount(NULL, top, NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        return error_errno(c->e, errno, "%s: making it private", op->origin);
                r = remount_tree(top, attrs, c->plan->not_a_security_boundary, c->e);
                if (r < 0) {
                        if (!c->e->msg[0])
                                return error_errno(c->e, r, "%s: setting mount flags", op->origin);
                        error_prefix(c->e, "%s", op->origin);
                        return r;
                }
        }
        return 0;
}

static int mount_fs(ctx_t *c, const mount_op_t *op, int dest_fd, const char *fstype, unsigned long flags, const char *data) {
        char dp[32];

        if (mount(fstype, fd_path(dest_fd, dp), fstype, flags, data) < 0) {
                int r = error_errno(c->e, errno, "%s: mounting %s", op->origin, fstype);
                if (r == -EPERM && strcmp(fstype, "proc") == 0)
                        error_hint(c->e, "a new procfs needs a new pid namespace: add --unshare-pid");
                if (r == -EPERM && strcmp(fstype, "mqueue") == 0)
                        error_hint(c->e, "a new mqueue needs a new ipc namespace: add --unshare-ipc");
                return r;
        }
        return 0;
}

/* Covers a path inside a fresh mount read-only with a bind of itself (/proc/sys & co). */
static int bind_self_ro(ctx_t *c, int dirfd, const char *name, const mount_op_t *op) {
        _cleanup_close_ int src = -1, dest = -1;
        int r;

        if ((r = open_source(dirfd, name, 0, &src)) < 0 || (dest = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                if (r == -ENOENT || (r == 0 && errno == ENOENT))
                        return 0;
                return error_errno(c->e, r < 0 ? r : -errno, "%s: covering %s", op->origin, name);
        }
        return attach_bind(c, op, src, dest, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

static int copy_fd(int from, int to) {
        char buf[65536];
        for (;;) {
                ssize_t n = read(from, buf, sizeof buf);
                int r;
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return 0;
                if ((r = write_full(to, buf, (size_t) n)) < 0)
                        return r;
        }
}

static int do_bind(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        struct stat st;
        int r;

        if (pr->src < 0)        /* a -try whose source is missing */
                return 0;
        if (fstat(pr->src, &st) < 0)
                return error_errno(c->e, errno, "%s", op->origin);
        r = resolve_open_dest(c->root_fd, op->dest, S_ISDIR(st.st_mode) ? DEST_DIR : DEST_FILE, O_PATH, &dest);
        if (r < 0)
                return error_errno(c->e, r, "%s: creating the destination", op->origin);
        r = attach_bind(c, op, pr->src, dest, bind_attrs(op->flags));
        closep(&pr->src);
        return r;
}

static int do_dev(ctx_t *c, const mount_op_t *op, prepared_t *pr, int dest) {
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
                { "/proc/self/fd/2", "stderr" }, { "/proc/kcore", "core" }, { "pts/ptmx", "ptmx" },
        };
        _cleanup_close_ int dir = -1;
        int r;

        if ((r = mount_fs(c, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")) < 0)
                return r;
        /* By path again: the fd names the directory under the new mount, not the mount. */
        if ((r = resolve_in_root(c->root_fd, op->dest, O_PATH | O_DIRECTORY, &dir)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        for (int i = 0; i < _DEV_MAX; i++) {
                _cleanup_close_ int node = -1;

                if (pr->dev[i] < 0)
                        continue;
                node = openat(dir, dev_names[i], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
                if (node < 0)
                        return error_errno(c->e, errno, "%s: creating %s", op->origin, dev_names[i]);
                closep(&node);
                node = openat(dir, dev_names[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (node < 0)
                        return error_errno(c->e, errno, "%s: %s", op->origin, dev_names[i]);
                /* Device nodes only work on a mount without nodev, so each is its own bind. */
                if ((r = attach_bind(c, op, pr->dev[i], node, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)) < 0)
                        return r;
                closep(&pr->dev[i]);
        }
        if (mkdirat(dir, "shm", 01777) < 0 || mkdirat(dir, "pts", 0755) < 0)
                return error_errno(c->e, errno, "%s: creating shm and pts", op->origin);
        {
                _cleanup_close_ int pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_CLOEXEC);
                /* A private devpts instance: the host's terminals stay invisible. */
                if (pts < 0 || (r = mount_fs(c, op, pts, "devpts", MS_NOSUID | MS_NOEXEC,
                                             "newinstance,ptmxmode=0666,mode=620")) < 0)
                        return pts < 0 ? error_errno(c->e, errno, "%s: pts", op->origin) : r;
        }
        for (size_t i = 0; i < ELEMENTSOF(links); i++)
                if (symlinkat(links[i][0], dir, links[i][1]) < 0)
                        return error_errno(c->e, errno, "%s: creating %s", op->origin, links[i][1]);
        return 0;
}

static int do_overlay(ctx_t *c, const mount_op_t *op, prepared_t *pr, int dest) {
        _cleanup_free_ char *data = NULL, *staging = NULL;
        size_t size = 64 + 32 * (op->n_layers + 2) + (c->plan->file_label ? strlen(c->plan->file_label) : 0);
        _cleanup_close_ int upper = -1, work = -1;
        char p[32];
        int r;

        if (op->flags & MOUNT_FLAG_TMP) {
                /* Writes go to a tmpfs that nothing else can reach and that goes with the overlay. */
                staging = xasprintf(".sandbox-overlay-%d", (int) (op - c->plan->ops));
                if (mkdirat(c->root_fd, staging, 0700) < 0)
                        return error_errno(c->e, errno, "%s: staging directory", op->origin);
                {
                        _cleanup_close_ int sfd = openat(c->root_fd, staging, O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (sfd < 0 || (r = mount_fs(c, op, sfd, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")) < 0)
                                return sfd < 0 ? error_errno(c->e, errno, "%s", op->origin) : r;
                }
                _cleanup_close_ int tdir = openat(c->root_fd, staging, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (tdir < 0 || mkdirat(tdir, "upper", 0755) < 0 || mkdirat(tdir, "work", 0755) < 0 ||
                    (upper = openat(tdir, "upper", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
                    (work = openat(tdir, "work", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                        return error_errno(c->e, errno, "%s: staging directories", op->origin);
        } else if (op->source) {
                upper = TAKE_FD(pr->upper);
                work = TAKE_FD(pr->work);
        }

        data = xmalloc0(size);
        /* As bubblewrap passes them: in the order given, so the first --overlay-src is the
         * top lower layer (overlayfs lists the top first). */
        strcpy(data, "lowerdir=");
        for (size_t i = 0; i < op->n_layers; i++)
                sprintf(data + strlen(data), "%s%s", i ? ":" : "", fd_path(pr->layers[i], p));
        if (upper >= 0) {
                sprintf(data + strlen(data), ",upperdir=%s", fd_path(upper, p));
                sprintf(data + strlen(data), ",workdir=%s", fd_path(work, p));
        }
        if (c->opts->in_userns)
                strcat(data, ",userxattr");
        r = mount_fs(c, op, dest, "overlay", MS_NOSUID | MS_NODEV | (op->flags & MOUNT_FLAG_RO ? MS_RDONLY : 0), data);
        if (staging) {
                _cleanup_free_ char *path = xasprintf(BASE "/%s", staging);
                /* The overlay holds its own reference to the upper layer. */
                if (umount2(path, MNT_DETACH) < 0 || unlinkat(c->root_fd, staging, AT_REMOVEDIR) < 0)
                        return r < 0 ? r : error_errno(c->e, errno, "%s: removing the staging directory", op->origin);
        }
        return r;
}

static int do_file_data(ctx_t *c, const mount_op_t *op, int mode, int *ret_fd, char **ret_name) {
        _cleanup_free_ char *name = xasprintf(".sandbox-data-%d", (int) (op - c->plan->ops));
        _cleanup_close_ int fd = openat(c->root_fd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, (mode_t) mode);
        int r;

        if (fd < 0)
                return error_errno(c->e, errno, "%s: creating the file", op->origin);
        if ((r = copy_fd(op->fd, fd)) < 0)
                return error_errno(c->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
        if (fchmod(fd, (mode_t) mode) < 0)
                return error_errno(c->e, errno, "%s: setting mode %o", op->origin, (unsigned) mode);
        *ret_fd = TAKE_FD(fd);
        *ret_name = TAKE_PTR(name);
        return 0;
}

static int do_bind_data(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *name = NULL;
        _cleanup_close_ int fd = -1, src = -1, dest = -1;
        int r;

        if ((r = do_file_data(c, op, op->mode >= 0 ? op->mode : 0600, &fd, &name)) < 0)
                return r;
        if ((r = open_source(c->root_fd, name, 0, &src)) < 0)
                r = error_errno(c->e, r, "%s", op->origin);
        else if ((r = resolve_open_dest(c->root_fd, op->dest, DEST_FILE, O_PATH, &dest)) < 0)
                r = error_errno(c->e, r, "%s: creating the destination", op->origin);
        else
                r = attach_bind(c, op, src, dest, bind_attrs(op->flags));
        /* The bind keeps the file alive; its staging name must not stay visible. (Only
         * after the attach: a mount whose root is unlinked can't be moved.) */
        if (unlinkat(c->root_fd, name, 0) < 0 && r >= 0)
                r = error_errno(c->e, errno, "%s: removing the staging file", op->origin);
        return r;
}

static int do_file(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int fd = -1, pfd = -1, dest = -1;
        mode_t mode = (mode_t) (op->mode >= 0 ? op->mode : 0666);
        char dp[32];
        int r;

        if ((r = resolve_open_dest(c->root_fd, op->dest, DEST_NONE, O_PATH, &dest)) < 0 && r != -ENOENT)
                return error_errno(c->e, r, "%s", op->origin);
        if (r == -ENOENT) {
                resolve_split_path(op->dest, &parent, &name);
                if ((r = resolve_in_root(c->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                        return error_errno(c->e, r, "%s", op->origin);
                fd = openat(pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY | O_CLOEXEC, mode);
        } else
                fd = open(fd_path(dest, dp), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return error_errno(c->e, errno, "%s: creating the file", op->origin);
        if ((r = copy_fd(op->fd, fd)) < 0)
                return error_errno(c->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
        if (fchmod(fd, mode) < 0)
                return error_errno(c->e, errno, "%s: setting mode %o", op->origin, (unsigned) mode);
        return 0;
}

static int do_dir(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_open_dest(c->root_fd, op->dest, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        if (op->mode >= 0 && fchmodat(AT_FDCWD, fd_path(dest, dp), (mode_t) op->mode, 0) < 0)
                return error_errno(c->e, errno, "%s: setting mode %o", op->origin, (unsigned) op->mode);
        return 0;
}

static int do_symlink(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int pfd = -1;
        char target[PATH_MAX];
        ssize_t n;
        int r;

        if ((r = resolve_mkdir_parents(c->root_fd, op->dest)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        resolve_split_path(op->dest, &parent, &name);
        if ((r = resolve_in_root(c->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        if (symlinkat(op->source, pfd, name) == 0)
                return 0;
        if (errno != EEXIST)
                return error_errno(c->e, errno, "%s", op->origin);
        /* Idempotent: an existing link with the same target is fine. */
        n = readlinkat(pfd, name, target, sizeof target - 1);
        if (n < 0)
                return error_errno(c->e, EEXIST, "%s", op->origin);
        target[n] = 0;
        if (strcmp(target, op->source) != 0)
                return error_msg(c->e, "%s: %s exists and points to '%s'", op->origin, op->dest, target);
        return 0;
}

static int do_chmod(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_in_root(c->root_fd, op->dest, O_PATH, &dest)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        if (fchmodat(AT_FDCWD, fd_path(dest, dp), (mode_t) op->mode, 0) < 0)
                return error_errno(c->e, errno, "%s", op->origin);
        return 0;
}

static int do_remount_ro(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_in_root(c->root_fd, op->dest, O_PATH, &dest)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        if (have_mount_api) {
                struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
                if (sys_mount_setattr(dest, "", AT_EMPTY_PATH, &attr) < 0)
                        return error_errno(c->e, errno, "%s", op->origin);
        } else if ((r = remount_path(fd_path(dest, dp), MOUNT_ATTR_RDONLY)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        return 0;
}

/* The operations that mount a new file system get their directory made here. */
static int new_mount_dest(ctx_t *c, const mount_op_t *op, int *ret) {
        int r = resolve_open_dest(c->root_fd, op->dest, DEST_DIR, O_PATH | O_DIRECTORY, ret);
        if (r < 0)
                return error_errno(c->e, r, "%s: creating the destination", op->origin);
        return 0;
}

static int do_proc(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        static const char *const covered[] = { "sys", "sysrq-trigger", "irq", "bus" };
        _cleanup_close_ int dest = -1, proc = -1;
        int r;

        if ((r = new_mount_dest(c, op, &dest)) < 0 ||
            (r = mount_fs(c, op, dest, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) < 0)
                return r;
        if ((r = resolve_in_root(c->root_fd, op->dest, O_PATH | O_DIRECTORY, &proc)) < 0)
                return error_errno(c->e, r, "%s", op->origin);
        /* Kernel knobs that a user namespace's root may still write: read-only. */
        for (size_t i = 0; i < ELEMENTSOF(covered); i++)
                if ((r = bind_self_ro(c, proc, covered[i], op)) < 0)
                        return r;
        return 0;
}

static int do_dev_op(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(c, op, &dest);
        return r < 0 ? r : do_dev(c, op, pr, dest);
}

static int do_tmpfs(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        _cleanup_free_ char *data = NULL;
        char size[40] = "";
        int r;

        if ((r = new_mount_dest(c, op, &dest)) < 0)
                return r;
        if (op->size)
                snprintf(size, sizeof size, ",size=%llu", op->size);
        data = xasprintf("mode=0%o%s%s%s", (unsigned) (op->mode >= 0 ? op->mode : 0755), size,
                         c->plan->file_label ? ",context=" : "", c->plan->file_label ? c->plan->file_label : "");
        return mount_fs(c, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, data);
}

static int do_mqueue(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(c, op, &dest);
        return r < 0 ? r : mount_fs(c, op, dest, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static int do_sys(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = new_mount_dest(c, op, &dest)) < 0)
                return r;
        if (mount("sysfs", fd_path(dest, dp), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
                return 0;
        /* sysfs belongs to the network namespace; without our own, show the host's, read-only. */
        if ((errno != EPERM && errno != EACCES) || pr->src < 0)
                return error_errno(c->e, errno, "%s: mounting sysfs", op->origin);
        r = attach_bind(c, op, pr->src, dest, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        closep(&pr->src);
        return r;
}

static int do_overlay_op(ctx_t *c, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(c, op, &dest);
        return r < 0 ? r : do_overlay(c, op, pr, dest);
}

static int (*const do_ops[_MOUNT_TYPE_MAX])(ctx_t *c, const mount_op_t *op, prepared_t *pr) = {
        [MOUNT_BIND] = do_bind,
        [MOUNT_REMOUNT_RO] = do_remount_ro,
        [MOUNT_PROC] = do_proc,
        [MOUNT_DEV] = do_dev_op,
        [MOUNT_TMPFS] = do_tmpfs,
        [MOUNT_MQUEUE] = do_mqueue,
        [MOUNT_SYS] = do_sys,
        [MOUNT_DIR] = do_dir,
        [MOUNT_FILE] = do_file,
        [MOUNT_BIND_DATA] = do_bind_data,
        [MOUNT_SYMLINK] = do_symlink,
        [MOUNT_CHMOD] = do_chmod,
        [MOUNT_OVERLAY] = do_overlay_op,
};

static void prepared_free(prepared_t *prep, const sandbox_plan_t *p) {
        if (!prep)
                return;
        for (size_t i = 0; i < p->n_ops; i++) {
                closep(&prep[i].src);
                closep(&prep[i].upper);
                closep(&prep[i].work);
                for (int d = 0; d < _DEV_MAX; d++)
                        closep(&prep[i].dev[d]);
                for (size_t l = 0; prep[i].layers && l < p->ops[i].n_layers; l++)
                        closep(&prep[i].layers[l]);
                free(prep[i].layers);
        }
        free(prep);
}

static int pivot(sandbox_error_t *e) {
        /* pivot_root(".", ".") stacks the old root on top of the new one; detaching it
         * leaves the new root alone, with no path back to the host's tree. */
        if (chdir(BASE) < 0)
                return error_errno(e, errno, "entering the new root");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return error_errno(e, errno, "pivot_root into the new root");
        if (umount2(".", MNT_DETACH) < 0)
                return error_errno(e, errno, "detaching the old root");
        if (chdir("/") < 0)
                return error_errno(e, errno, "chdir /");
        return 0;
}

int mounts_setup(const sandbox_plan_t *p, const mounts_options_t *o, sandbox_error_t *e) {
        _cleanup_free_ char *root_data = NULL;
        ctx_t c = { .plan = p, .opts = o, .e = e, .root_fd = -1 };
        mode_t old_umask;
        int r = 0;

        probe_features(o->legacy);

        /* Nothing we mount may travel back to the host, and host mounts made later stay out. */
        if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return error_errno(e, errno, "making / a recursive slave mount");

        c.prep = xrealloc_array(NULL, p->n_ops, sizeof(prepared_t));
        for (size_t i = 0; i < p->n_ops; i++) {
                c.prep[i] = (prepared_t) { .src = -1, .upper = -1, .work = -1 };
                for (int d = 0; d < _DEV_MAX; d++)
                        c.prep[i].dev[d] = -1;
        }
        for (size_t i = 0; i < p->n_ops; i++)
                if ((r = prepare_op(&c, &p->ops[i], &c.prep[i])) < 0)
                        goto out;

        root_data = p->file_label ? xasprintf("mode=0755,context=%s", p->file_label) : xstrdup("mode=0755");
        if (mount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, root_data) < 0) {
                r = error_errno(e, errno, "mounting the new root (a tmpfs on " BASE ")");
                goto out;
        }
        /* Exact modes for what we create; the command gets the caller's umask back. */
        old_umask = umask(0);
        for (size_t i = 0; i < p->n_ops; i++) {
                closep(&c.root_fd);
                /* Re-opened each time: a mount on "/" itself replaces what the root is. */
                c.root_fd = open(BASE, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (c.root_fd < 0) {
                        r = error_errno(e, errno, "opening the new root");
                        break;
                }
                if ((r = do_ops[p->ops[i].type](&c, &p->ops[i], &c.prep[i])) < 0)
                        break;
        }
        umask(old_umask);
        closep(&c.root_fd);
        /* With limits, a cgroup2 mount bound in would let the command write its own cgroup's
         * files, which belong to the caller's uid as the command's do: every one is read-only. */
        if (r >= 0 && o->cgroupfs_ro) {
                /* Read-only set by us, in our user namespace, is not locked: CAP_SYS_ADMIN there
                 * could remount it read-write, so such a mount is refused then. */
                static const refusal_t admin = {
                        .why = "--cap-add CAP_SYS_ADMIN with a cgroup (--limit, --stats): the command could make a "
                               "cgroup file system read-write, raise its limits and leave its cgroup",
                        .hint = "don't bind a cgroup file system in (such as /sys), or don't add CAP_SYS_ADMIN",
                };
                r = remount_submounts(BASE, "cgroup2", MOUNT_ATTR_RDONLY, false,
                                      p->caps & (UINT64_C(1) << CAP_SYS_ADMIN) ? &admin : NULL, e);
        }
        if (r >= 0)
                r = pivot(e);
out:
        prepared_free(c.prep, p);
        return r;
}
