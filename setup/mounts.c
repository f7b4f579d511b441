/* SPDX-License-Identifier: MIT */
#include "mounts.h"
#include "mount-api.h"
#include "resolve.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* Where the new root's tmpfs is mounted while it is built. Every host source is opened
 * before this mount hides what was there, so sources under /tmp work too. */
#define BASE "/tmp"

/* ---- per-operation state prepared before the root hides anything ---- */

enum {
        DEV_NULL,
        DEV_ZERO,
        DEV_FULL,
        DEV_RANDOM,
        DEV_URANDOM,
        DEV_TTY,
        DEV_CONSOLE,
        _DEV_MAX
};
static const char *const dev_names[_DEV_MAX] = { "null", "zero", "full", "random", "urandom", "tty", "console" };

typedef struct prepared {
        int src;         /* bind source (or the host's /proc): detached clone (mount API) or O_PATH fd */
        char *real;      /* under the name bwrap: the source's real path, as bubblewrap's messages show it */
        int upper, work; /* --overlay */
        int *layers;
        int dev[_DEV_MAX]; /* --dev: host device nodes */
} prepared_t;

typedef struct root_build {
        const sandbox_plan_t *plan;
        const mounts_options_t *opts;
        sandbox_error_t *e;
        prepared_t *prep;
        int root_fd;
        int staging_fd; /* the staging tmpfs (mount_staging), if the plan needs one */
} root_build_t;

/* ---- bubblewrap's wording, which scripts may match on: printed instead of ours as bwrap ---- */

/* For mount(2)'s errors bubblewrap reads ENOSPC as the limit on mounts it is. */
static const char *mount_strerror(int err) {
        if (err == ENOSPC)
                return "Limit exceeded (ENOSPC). (Hint: Check that /proc/sys/fs/mount-max is sufficient, "
                       "typically 100000)";
        return strerror(err);
}

static const char *errno_text(int err) {
        return strerror(err);
}

/* bubblewrap's message for the failure already in E, followed by ": " and the errno's text as
 * its die_with_error() adds it (none for a failure without an errno). Returns E's error. */
_printf_(3, 0) static int bw_vdie(sandbox_error_t *e, const char *(*text)(int), const char *fmt, va_list ap) {
        char what[sizeof e->bwrap];

        vsnprintf(what, sizeof what, fmt, ap);
        if (e->err)
                error_bwrap(e, "%s: %s", what, text(e->err));
        else
                error_bwrap(e, "%s", what);
        return e->err ? -e->err : -EINVAL;
}

_printf_(2, 3) static int bw_die(sandbox_error_t *e, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = bw_vdie(e, errno_text, fmt, ap);
        va_end(ap);
        return r;
}

_printf_(2, 3) static int bw_die_mount(sandbox_error_t *e, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = bw_vdie(e, mount_strerror, fmt, ap);
        va_end(ap);
        return r;
}

/* A path as bubblewrap prints it while it builds the root: the new root is /newroot, the
 * host's is /oldroot. */
static char *bw_path(const char *top, const char *path) {
        while (*path == '/')
                path++;
        return xconcat3(top, "/", path);
}

/* bubblewrap's bind_mount() failed: its message names both ends. */
static int bw_bind_failed(sandbox_error_t *e, const char *src, const char *dest) {
        return bw_die_mount(e, "Can't bind mount %s on %s: Unable to mount source on destination", src, dest);
}

/* The fd's mount belongs to the caller's mount namespace, which can't be bound from ours:
 * bind its path as seen here, and make sure that is still the very same file. */
static int prepare_bind_fd(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        char path[PATH_MAX], p[32];
        struct stat a, b;
        ssize_t n = readlink(fd_path(op->fd, p), path, sizeof path - 1);
        int r;

        if (n < 0) {
                error_errno(rb->e, errno, "%s", op->origin);
                return bw_die(rb->e, "Can't find source path %s", p);
        }
        path[n] = 0;
        if (path[0] != '/')
                return error_msg(rb->e, "%s: fd %d is not a file or directory (%s)", op->origin, op->fd, path);
        if ((r = mount_api_open_source(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &pr->src)) < 0) {
                error_errno(rb->e, r, "%s: %s", op->origin, path);
                return bw_die(rb->e, "Can't find source path %s", p);
        }
        if (fstat(op->fd, &a) < 0 || fstat(pr->src, &b) < 0)
                return error_errno(rb->e, errno, "%s", op->origin);
        if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
                r = error_msg(rb->e, "%s: %s was replaced since fd %d was opened", op->origin, path, op->fd);
                error_bwrap(rb->e, "Race condition binding dirfd");
                return r;
        }
        if (rb->plan->bwrap_mode)
                pr->real = xstrdup(path);
        return 0;
}

/* bubblewrap mounts a new procfs only with a pid namespace of the sandbox's own; the kernel
 * allows one only for a pid namespace that the sandbox's user namespace owns. */
static bool proc_is_new(const sandbox_plan_t *p) {
        return (p->unshare & NS_PID) || p->pidns_fd >= 0;
}

/* An overlay's host directory, opened now; bubblewrap checks each with realpath(). */
static int prepare_overlay_dir(root_build_t *rb, const mount_op_t *op, const char *what, const char *path, int *ret) {
        *ret = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (*ret >= 0)
                return 0;
        error_errno(rb->e, errno, "%s: %s %s", op->origin, what, path);
        return bw_die(rb->e, "Can't find source path %s", path);
}

static int prepare_op(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        int r;

        switch (op->type) {
        case MOUNT_BIND:
                if (op->fd >= 0)
                        return prepare_bind_fd(rb, op, pr);
                r = mount_api_open_source(AT_FDCWD, op->source, 0, &pr->src);
                if (r == -ENOENT && (op->flags & MOUNT_FLAG_TRY))
                        return 0;
                if (r < 0) {
                        error_errno(rb->e, r, "%s", op->origin);
                        return bw_die(rb->e, "Can't find source path %s", op->source);
                }
                if (rb->plan->bwrap_mode)
                        pr->real = realpath(op->source, NULL);
                return 0;
        case MOUNT_PROC:
                /* Without its own pid namespace the sandbox sees the caller's processes anyway:
                 * it gets the caller's /proc, as in bubblewrap. */
                if (!proc_is_new(rb->plan) && (r = mount_api_open_source(AT_FDCWD, "/proc", 0, &pr->src)) < 0) {
                        _cleanup_free_ char *dest = bw_path("/newroot", op->dest);
                        error_errno(rb->e, r, "%s: opening the host's /proc", op->origin);
                        return bw_bind_failed(rb->e, "oldroot/proc", dest);
                }
                return 0;
        case MOUNT_SYS:
                /* Only needed when sysfs can't be mounted (the network namespace isn't ours). */
                if (!(rb->plan->unshare & NS_NET) && (r = mount_api_open_source(AT_FDCWD, "/sys", 0, &pr->src)) < 0)
                        return error_errno(rb->e, r, "%s: opening the host's /sys", op->origin);
                return 0;
        case MOUNT_DEV:
                for (int i = 0; i < _DEV_MAX; i++) {
                        char path[64];

                        if (i == DEV_CONSOLE) {
                                /* The caller's terminal appears as /dev/console, as in bubblewrap. */
                                if (ttyname_r(STDOUT_FILENO, path, sizeof path) != 0)
                                        continue;
                        } else {
                                /* No printf in the child (format_long()): short names, known. */
                                strcpy(path, "/dev/");
                                strcat(path, dev_names[i]);
                        }
                        if ((r = mount_api_open_source(AT_FDCWD, path, 0, &pr->dev[i])) < 0)
                                return error_errno(rb->e, r, "%s: opening the host's %s", op->origin, path);
                }
                return 0;
        case MOUNT_OVERLAY:
                pr->layers = xrealloc_array(NULL, op->n_layers, sizeof(int));
                for (size_t i = 0; i < op->n_layers; i++)
                        pr->layers[i] = -1;
                for (size_t i = 0; i < op->n_layers; i++)
                        if ((r = prepare_overlay_dir(rb, op, "overlay layer", op->layers[i], &pr->layers[i])) < 0)
                                return r;
                if (op->source && ((r = prepare_overlay_dir(rb, op, "upper directory", op->source, &pr->upper)) < 0 ||
                                   (r = prepare_overlay_dir(rb, op, "work directory", op->workdir, &pr->work)) < 0))
                        return r;
                return 0;
        default:
                return 0;
        }
}

/* ---- attaching ---- */

static uint64_t bind_attrs(unsigned flags) {
        return MOUNT_ATTR_NOSUID | (flags & MOUNT_FLAG_DEV ? 0 : MOUNT_ATTR_NODEV) |
               (flags & MOUNT_FLAG_RO ? MOUNT_ATTR_RDONLY : 0);
}

static int attach_bind(root_build_t *rb, const mount_op_t *op, int src, int dest_fd, uint64_t attrs) {
        return mount_api_attach(op->origin, src, dest_fd, attrs, rb->plan->not_a_security_boundary, rb->e);
}

/* Mounts a new FSTYPE on DEST_FD; BW_DEST is where bubblewrap's message says it failed. */
static int mount_fs(root_build_t *rb, const mount_op_t *op, int dest_fd, const char *fstype, unsigned long flags,
                    const char *data, const char *bw_dest) {
        char dp[32];

        if (mount(fstype, fd_path(dest_fd, dp), fstype, flags, data) < 0) {
                int r = error_errno(rb->e, errno, "%s: mounting %s", op->origin, fstype);
                if (r == -EPERM && strcmp(fstype, "proc") == 0)
                        error_hint(rb->e, "the kernel mounts a new procfs only where the caller's /proc is not "
                                          "partly covered (as in some containers)");
                if (r == -EPERM && strcmp(fstype, "mqueue") == 0)
                        error_hint(rb->e, "a new mqueue needs a new ipc namespace: add --unshare-ipc");
                bw_die_mount(rb->e, "Can't mount %s on %s", fstype, bw_dest);
                return r;
        }
        return 0;
}

/* bubblewrap's --perms of OP: the option's default where it takes one, and 0 where it takes
 * none (bubblewrap's operations start zeroed). */
static int op_perms(const mount_op_t *op) {
        static const int defaults[_MOUNT_TYPE_MAX] = {
                [MOUNT_DIR] = 0755, [MOUNT_TMPFS] = 0755, [MOUNT_FILE] = 0666, [MOUNT_BIND_DATA] = 0600
        };
        return op->mode >= 0 ? op->mode : defaults[op->type];
}

/* Missing parents are 0755 less the group's or others' access where OP's own mode gives them
 * none, as in bubblewrap: a private file doesn't sit in a directory anyone may list. So are those
 * of an operation without a mode (0700), as fits bubblewrap's one uid inside; with ranges mapped
 * (--uid-map, --gid-map), the other ids must get through to what was bound for them. */
static int make_parents(root_build_t *rb, const mount_op_t *op) {
        const sandbox_plan_t *p = rb->plan;
        int perms = op->mode < 0 && op_perms(op) == 0 && (p->n_uid_maps || p->n_gid_maps) ? 0755 : op_perms(op);
        mode_t mode = 0700 | (perms & 0070 ? 0050 : 0) | (perms & 0007 ? 0005 : 0);
        int r = resolve_mkdir_parents(rb->root_fd, op->dest, mode);

        if (r < 0) {
                error_errno(rb->e, r, "%s: creating its parent directories", op->origin);
                return bw_die(rb->e, "Can't mkdir parents for %s", op->dest);
        }
        return 0;
}

/* The mount point of OP after its parents, made if missing (a directory 0755 or an empty
 * file 0444, as bubblewrap makes them), opened with FLAGS. */
static int open_mount_point(root_build_t *rb, const mount_op_t *op, dest_kind_t kind, int flags, int *ret) {
        int r;

        if ((r = make_parents(rb, op)) < 0)
                return r;
        if ((r = resolve_make_dest(rb->root_fd, op->dest, kind, 0755)) < 0 ||
            (r = resolve_in_root(rb->root_fd, op->dest, flags, ret)) < 0) {
                error_errno(rb->e, r, "%s: creating the destination", op->origin);
                return kind == DEST_DIR ? bw_die(rb->e, "Can't mkdir %s", op->dest)
                                        : bw_die(rb->e, "Can't create file at %s", op->dest);
        }
        return 0;
}

/* Covers a path inside a fresh mount read-only with a bind of itself (/proc/sys & co). */
static int bind_self_ro(root_build_t *rb, int dirfd, const char *name, const mount_op_t *op) {
        _cleanup_close_ int src = -1, dest = -1;
        _cleanup_free_ char *path = NULL, *bw = NULL;
        int r;

        if ((r = mount_api_open_source(dirfd, name, AT_SYMLINK_NOFOLLOW, &src)) < 0 ||
            (dest = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                if (r == -ENOENT || (r == 0 && errno == ENOENT))
                        return 0;
                r = error_errno(rb->e, r < 0 ? r : -errno, "%s: covering %s", op->origin, name);
        } else if ((r = attach_bind(rb, op, src, dest,
                                    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) >= 0)
                return 0;
        path = xasprintf("%s/%s", op->dest, name);
        bw = bw_path("/newroot", path);
        return bw_bind_failed(rb->e, bw, bw);
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

static int do_bind(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        struct stat st;
        int r;

        if (pr->src < 0) /* a -try whose source is missing */
                return 0;
        if (fstat(pr->src, &st) < 0) {
                error_errno(rb->e, errno, "%s", op->origin);
                return bw_die(rb->e, "Can't get type of source %s", op->source);
        }
        if ((r = open_mount_point(rb, op, S_ISDIR(st.st_mode) ? DEST_DIR : DEST_FILE, O_PATH, &dest)) < 0)
                return r;
        r = attach_bind(rb, op, pr->src, dest, bind_attrs(op->flags));
        closep(&pr->src);
        if (r < 0) {
                _cleanup_free_ char *src = bw_path("/oldroot", pr->real ?: op->source),
                                    *to = bw_path("/newroot", op->dest);
                return bw_bind_failed(rb->e, src, to);
        }
        return 0;
}

/* --dev: a tmpfs with the host's device nodes bound in, a devpts of its own and the usual links.
 * On a fresh tmpfs only the mounts can fail in ways worth bubblewrap's words. */
static int do_dev(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" },       { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
                { "/proc/self/fd/2", "stderr" }, { "/proc/kcore", "core" },      { "pts/ptmx", "ptmx" },
        };
        _cleanup_free_ char *bw = bw_path("/newroot", op->dest), *bw_pts = xconcat3(bw, "/pts", "");
        _cleanup_close_ int dest = -1, dir = -1, pts = -1;
        int r;

        if ((r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0 ||
            (r = mount_fs(rb, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", bw)) < 0)
                return r;
        /* By path again: the fd names the directory under the new mount, not the mount. */
        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH | O_DIRECTORY, &dir)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        for (int i = 0; i < _DEV_MAX; i++) {
                _cleanup_close_ int node = -1;

                if (pr->dev[i] < 0)
                        continue;
                node = openat(dir, dev_names[i], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
                if (node < 0)
                        return error_errno(rb->e, errno, "%s: creating %s", op->origin, dev_names[i]);
                closep(&node);
                node = openat(dir, dev_names[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (node < 0)
                        return error_errno(rb->e, errno, "%s: %s", op->origin, dev_names[i]);
                /* Device nodes only work on a mount without nodev, so each is its own bind. */
                if ((r = attach_bind(rb, op, pr->dev[i], node, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)) < 0)
                        return r;
                closep(&pr->dev[i]);
        }
        if (mkdirat(dir, "shm", 01777) < 0 || mkdirat(dir, "pts", 0755) < 0 ||
            (pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return error_errno(rb->e, errno, "%s: creating shm and pts", op->origin);
        /* A private devpts instance: the host's terminals stay invisible. */
        if ((r = mount_fs(rb, op, pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620", bw_pts)) <
            0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(links); i++)
                if (symlinkat(links[i][0], dir, links[i][1]) < 0)
                        return error_errno(rb->e, errno, "%s: creating %s", op->origin, links[i][1]);
        return 0;
}

/* --tmp-overlay: the upper and work directories, made in the staging tmpfs (mount_staging);
 * the overlay keeps them alive after that is gone. */
static int stage_overlay_dirs(root_build_t *rb, const mount_op_t *op, int *ret_upper, int *ret_work) {
        _cleanup_free_ char *name = xasprintf("overlay-%d", (int) (op - rb->plan->ops));
        _cleanup_close_ int dir = -1, upper = -1, work = -1;

        if (mkdirat(rb->staging_fd, name, 0755) < 0 ||
            (dir = openat(rb->staging_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
            mkdirat(dir, "upper", 0755) < 0 || mkdirat(dir, "work", 0755) < 0 ||
            (upper = openat(dir, "upper", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
            (work = openat(dir, "work", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                error_errno(rb->e, errno, "%s: staging the upper layer", op->origin);
                return bw_die(rb->e, "Creating --tmp-overlay upperdir failed");
        }
        *ret_upper = TAKE_FD(upper);
        *ret_work = TAKE_FD(work);
        return 0;
}

/* overlayfs splits its options at "," and lowerdir at ":", and takes "\" as an escape: bubblewrap
 * puts a backslash before each of those three in the paths it passes. */
static char *overlay_escape(const char *path) {
        char *out = xmalloc0(2 * strlen(path) + 1), *w = out;

        for (; *path; path++) {
                if (*path == '\\' || *path == ',' || *path == ':')
                        *w++ = '\\';
                *w++ = *path;
        }
        return out;
}

/* The host path an O_PATH fd was opened with (the root has not moved yet), escaped. */
static char *overlay_escaped_path(int fd) {
        char p[32], path[PATH_MAX];
        ssize_t n = readlink(fd_path(fd, p), path, sizeof path - 1);

        path[n < 0 ? 0 : n] = 0;
        return overlay_escape(path);
}

/* bubblewrap's message for a failed overlay names the options it passed: the host's paths under
 * /oldroot, the last --overlay-src first. */
static int bw_overlay_failed(root_build_t *rb, const mount_op_t *op, const prepared_t *pr, int upper, int work) {
        _cleanup_free_ char *opts = xstrdup(""), *dest = bw_path("/newroot", op->dest);
        int n_tmp = 0;

        if (op->flags & MOUNT_FLAG_TMP) {
                for (const mount_op_t *o = rb->plan->ops; o < op; o++)
                        n_tmp += o->type == MOUNT_OVERLAY && (o->flags & MOUNT_FLAG_TMP);
                free(opts);
                opts = xasprintf("upperdir=/tmp-overlay-upper-%d,workdir=/tmp-overlay-work-%d,", n_tmp, n_tmp);
        } else if (upper >= 0) {
                _cleanup_free_ char *u = overlay_escaped_path(upper), *w = overlay_escaped_path(work);
                free(opts);
                opts = xasprintf("upperdir=/oldroot%s,workdir=/oldroot%s,", u, w);
        }
        for (size_t i = op->n_layers; i-- > 0;) {
                _cleanup_free_ char *l = overlay_escaped_path(pr->layers[i]), *old = opts;
                opts = xasprintf("%s%s/oldroot%s", old, i + 1 == op->n_layers ? "lowerdir=" : ":", l);
        }
        {
                _cleanup_free_ char *old = opts;
                opts = xasprintf("%s,userxattr", old);
        }
        if (rb->e->err == ELOOP) {
                error_bwrap(rb->e,
                            "Can't make overlay mount on %s with options %s: Overlay directories may not overlap", dest,
                            opts);
                return -ELOOP;
        }
        return bw_die_mount(rb->e, "Can't make overlay mount on %s with options %s", dest, opts);
}

static int do_overlay(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *data = NULL;
        size_t size = 64 + 32 * (op->n_layers + 2);
        _cleanup_close_ int dest = -1, upper = -1, work = -1;
        char p[32];
        int r;

        if ((r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return r;
        if (op->flags & MOUNT_FLAG_TMP) {
                if ((r = stage_overlay_dirs(rb, op, &upper, &work)) < 0)
                        return r;
        } else if (op->source) {
                upper = TAKE_FD(pr->upper);
                work = TAKE_FD(pr->work);
        }

        /* Every directory by the magic link of the fd opened for it, so no path of the user's is
         * parsed as options (overlayfs would split one at "," or ":"). overlayfs lists the
         * uppermost lower layer first; that is the last --overlay-src, as in bubblewrap. */
        data = xmalloc0(size);
        strcpy(data, "lowerdir=");
        for (size_t i = op->n_layers; i-- > 0;)
                sprintf(data + strlen(data), "%s%s", i + 1 == op->n_layers ? "" : ":", fd_path(pr->layers[i], p));
        if (upper >= 0) {
                sprintf(data + strlen(data), ",upperdir=%s", fd_path(upper, p));
                sprintf(data + strlen(data), ",workdir=%s", fd_path(work, p));
        }
        if (rb->opts->in_userns)
                strcat(data, ",userxattr");
        if ((r = mount_fs(rb, op, dest, "overlay", MS_NOSUID | MS_NODEV | (op->flags & MOUNT_FLAG_RO ? MS_RDONLY : 0),
                          data, "")) < 0)
                return bw_overlay_failed(rb, op, pr, upper, work);
        return 0;
}

/* --bind-data, --ro-bind-data: the data in a file of the staging tmpfs (mount_staging). */
static int stage_data_file(root_build_t *rb, const mount_op_t *op, mode_t mode, int *ret_fd) {
        _cleanup_free_ char *name = xasprintf("data-%d", (int) (op - rb->plan->ops));
        _cleanup_close_ int fd = openat(rb->staging_fd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, mode);
        int r;

        if (fd < 0) {
                error_errno(rb->e, errno, "%s: creating the file", op->origin);
                return bw_die(rb->e, "Can't create tmpfile for %s", op->dest);
        }
        if (fchmod(fd, mode) < 0) {
                error_errno(rb->e, errno, "%s: setting mode %o", op->origin, (unsigned) mode);
                return bw_die(rb->e, "Can't set mode %#o on file to be used for %s", (unsigned) mode, op->dest);
        }
        if ((r = copy_fd(op->fd, fd)) < 0) {
                error_errno(rb->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
                return bw_die(rb->e, "Can't write data to file %s", op->dest);
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int do_bind_data(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int fd = -1, src = -1, dest = -1;
        int r;

        if ((r = stage_data_file(rb, op, (mode_t) op_perms(op), &fd)) < 0)
                return r;
        /* Bound from the very file written: no name is looked up again. */
        if ((r = mount_api_open_source(fd, "", AT_EMPTY_PATH, &src)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if ((r = open_mount_point(rb, op, DEST_FILE, O_PATH, &dest)) < 0)
                return r;
        if ((r = attach_bind(rb, op, src, dest, bind_attrs(op->flags))) < 0) {
                _cleanup_free_ char *to = bw_path("/newroot", op->dest);
                return bw_bind_failed(rb->e, "/bindfile", to);
        }
        return 0;
}

/* --file writes into the root itself, as bubblewrap's creat() does: a new file gets the mode, an
 * existing one keeps its own. */
static int do_file(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int fd = -1, pfd = -1, dest = -1;
        char dp[32];
        int r;

        if ((r = make_parents(rb, op)) < 0)
                return r;
        r = resolve_in_root(rb->root_fd, op->dest, O_PATH, &dest);
        if (r == -ENOENT) {
                resolve_split_path(op->dest, &parent, &name);
                if ((r = resolve_in_root(rb->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                        errno = -r;
                else
                        fd = openat(pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY | O_CLOEXEC,
                                    (mode_t) op_perms(op));
        } else if (r < 0)
                errno = -r;
        else
                fd = open(fd_path(dest, dp), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                error_errno(rb->e, errno, "%s: creating the file", op->origin);
                return bw_die(rb->e, "Can't create file %s", op->dest);
        }
        if ((r = copy_fd(op->fd, fd)) < 0) {
                error_errno(rb->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
                return bw_die(rb->e, "Can't write data to file %s", op->dest);
        }
        return 0;
}

/* An existing directory keeps its mode, as in bubblewrap: --perms is for one it makes. */
static int do_dir(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        int r;

        if ((r = make_parents(rb, op)) < 0)
                return r;
        if ((r = resolve_make_dest(rb->root_fd, op->dest, DEST_DIR, (mode_t) op_perms(op))) < 0) {
                error_errno(rb->e, r, "%s", op->origin);
                return bw_die(rb->e, "Can't mkdir %s", op->dest);
        }
        return 0;
}

static int do_symlink(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int pfd = -1;
        char target[PATH_MAX];
        ssize_t n;
        int r;

        if ((r = make_parents(rb, op)) < 0)
                return r;
        resolve_split_path(op->dest, &parent, &name);
        if ((r = resolve_in_root(rb->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0) {
                error_errno(rb->e, r, "%s", op->origin);
                return bw_die(rb->e, "Can't make symlink at %s", op->dest);
        }
        if (symlinkat(op->source, pfd, name) == 0)
                return 0;
        if (errno != EEXIST) {
                error_errno(rb->e, errno, "%s", op->origin);
                return bw_die(rb->e, "Can't make symlink at %s", op->dest);
        }
        /* Idempotent: an existing link with the same target is fine. */
        n = readlinkat(pfd, name, target, sizeof target - 1);
        if (n < 0 && errno == EINVAL) {
                r = error_errno(rb->e, EEXIST, "%s", op->origin);
                error_bwrap(rb->e, "Can't make symlink at %s: destination exists and is not a symlink", op->dest);
                return r;
        }
        if (n < 0) {
                error_errno(rb->e, errno, "%s", op->origin);
                return bw_die(rb->e, "Can't make symlink at %s: destination exists, and cannot read symlink target",
                              op->dest);
        }
        target[n] = 0;
        if (strcmp(target, op->source) != 0) {
                r = error_msg(rb->e, "%s: %s exists and points to '%s'", op->origin, op->dest, target);
                error_bwrap(rb->e, "Can't make symlink at %s: existing destination is %s", op->dest, target);
                return r;
        }
        return 0;
}

static int do_chmod(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH, &dest)) < 0 ||
            (fchmodat(AT_FDCWD, fd_path(dest, dp), (mode_t) op->mode, 0) < 0 && (r = -errno))) {
                error_errno(rb->e, r, "%s", op->origin);
                return bw_die(rb->e, "Can't chmod %#o %s", (unsigned) op->mode, op->dest);
        }
        return 0;
}

/* bubblewrap names where the remount failed by the path the kernel shows for it: ours is under
 * BASE while the root is built, its is under /newroot. */
static char *bw_resolved(int fd) {
        char p[32], path[PATH_MAX];
        ssize_t n = readlink(fd_path(fd, p), path, sizeof path - 1);

        path[n < 0 ? 0 : n] = 0;
        return bw_path("/newroot", strncmp(path, BASE, strlen(BASE)) == 0 ? path + strlen(BASE) : path);
}

static int do_remount_ro(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *bw = bw_path("/newroot", op->dest), *resolved = NULL;
        _cleanup_close_ int dest = -1;
        int r;

        if ((r = make_parents(rb, op)) < 0)
                return r;
        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH, &dest)) < 0) {
                error_errno(rb->e, r, "%s", op->origin);
                return bw_die(rb->e, "Can't remount readonly on %s: realpath(destination)", bw);
        }
        if ((r = mount_api_set_readonly(dest)) < 0) {
                error_errno(rb->e, r, "%s", op->origin);
                resolved = bw_resolved(dest);
                /* The kernel's EINVAL: DEST is no mount of its own. */
                if (r == -EINVAL) {
                        error_hint(rb->e,
                                   "%s is not the root of a mount: mount something there first (--tmpfs, "
                                   "--bind)",
                                   op->dest);
                        error_bwrap(rb->e, "Can't remount readonly on %s: Unable to find \"%s\" in mount table", bw,
                                    resolved);
                } else
                        bw_die_mount(rb->e,
                                     "Can't remount readonly on %s: Unable to remount destination \"%s\" with "
                                     "correct flags",
                                     bw, resolved);
                return r;
        }
        return 0;
}

/* /proc/keys lists every key its reader's uid may view, with its description, whether the
 * sandbox possesses it or not (the caller's Kerberos tickets, for one): it and /proc/key-users
 * are covered with an empty read-only file from the staging tmpfs, as container runtimes do. */
static int hide_keys(root_build_t *rb, const mount_op_t *op, int proc) {
        static const char *const listings[] = { "keys", "key-users" };
        char name[32] = "empty-";
        _cleanup_close_ int empty = -1;
        int r;

        format_long(name + sizeof "empty-" - 1, op - rb->plan->ops);
        empty = openat(rb->staging_fd, name, O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0444);
        if (empty < 0)
                return error_errno(rb->e, errno, "%s: staging an empty file for /proc/keys", op->origin);
        for (size_t i = 0; i < ELEMENTSOF(listings); i++) {
                _cleanup_close_ int src = -1, dest = openat(proc, listings[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (dest < 0 && errno == ENOENT)
                        continue; /* a kernel without keys */
                if (dest < 0)
                        return error_errno(rb->e, errno, "%s: covering %s", op->origin, listings[i]);
                if ((r = mount_api_open_source(empty, "", AT_EMPTY_PATH, &src)) < 0)
                        return error_errno(rb->e, r, "%s: covering %s", op->origin, listings[i]);
                if ((r = attach_bind(rb, op, src, dest,
                                     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) < 0)
                        return r;
        }
        return 0;
}

/* A new procfs for the sandbox's own pid namespace, or else the caller's /proc bound with its
 * submounts (prepared in pr->src), as bubblewrap does; either way with the same parts covered. */
static int do_proc(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        static const char *const covered[] = { "sys", "sysrq-trigger", "irq", "bus" };
        _cleanup_free_ char *bw = bw_path("/newroot", op->dest);
        _cleanup_close_ int dest = -1, proc = -1;
        int r;

        if ((r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return r;
        if (pr->src >= 0) {
                r = attach_bind(rb, op, pr->src, dest, bind_attrs(0));
                closep(&pr->src);
                if (r < 0)
                        return bw_bind_failed(rb->e, "oldroot/proc", bw);
        } else if ((r = mount_fs(rb, op, dest, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, bw)) < 0)
                return r;
        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH | O_DIRECTORY, &proc)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        /* Kernel knobs that a user namespace's root may still write: read-only. */
        for (size_t i = 0; i < ELEMENTSOF(covered); i++)
                if ((r = bind_self_ro(rb, proc, covered[i], op)) < 0)
                        return r;
        return hide_keys(rb, op, proc);
}

static int do_tmpfs(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *data = NULL, *bw = bw_path("/newroot", op->dest);
        _cleanup_close_ int dest = -1;
        char size[40] = "";
        int r;

        if ((r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return r;
        if (op->size)
                snprintf(size, sizeof size, ",size=%llu", op->size);
        data = xasprintf("mode=0%o%s%s%s", (unsigned) op_perms(op), size, rb->plan->file_label ? ",context=" : "",
                         rb->plan->file_label ? rb->plan->file_label : "");
        return mount_fs(rb, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, data, bw);
}

static int do_mqueue(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *bw = bw_path("/newroot", op->dest);
        _cleanup_close_ int dest = -1;
        int r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest);
        return r < 0 ? r : mount_fs(rb, op, dest, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, bw);
}

static int do_sys(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = open_mount_point(rb, op, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return r;
        if (mount("sysfs", fd_path(dest, dp), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
                return 0;
        /* sysfs belongs to the network namespace; without our own, show the host's, read-only. */
        if ((errno != EPERM && errno != EACCES) || pr->src < 0)
                return error_errno(rb->e, errno, "%s: mounting sysfs", op->origin);
        r = attach_bind(rb, op, pr->src, dest,
                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        closep(&pr->src);
        return r;
}

static int (*const do_ops[_MOUNT_TYPE_MAX])(root_build_t *rb, const mount_op_t *op, prepared_t *pr) = {
        [MOUNT_BIND] = do_bind,       [MOUNT_REMOUNT_RO] = do_remount_ro,
        [MOUNT_PROC] = do_proc,       [MOUNT_DEV] = do_dev,
        [MOUNT_TMPFS] = do_tmpfs,     [MOUNT_MQUEUE] = do_mqueue,
        [MOUNT_SYS] = do_sys,         [MOUNT_DIR] = do_dir,
        [MOUNT_FILE] = do_file,       [MOUNT_BIND_DATA] = do_bind_data,
        [MOUNT_SYMLINK] = do_symlink, [MOUNT_CHMOD] = do_chmod,
        [MOUNT_OVERLAY] = do_overlay,
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
                free(prep[i].real);
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

/* Every host source is opened now, before the new root hides anything. */
static int prepare_ops(root_build_t *rb) {
        const sandbox_plan_t *p = rb->plan;
        int r;

        rb->prep = xrealloc_array(NULL, p->n_ops, sizeof(prepared_t));
        for (size_t i = 0; i < p->n_ops; i++) {
                rb->prep[i] = (prepared_t){ .src = -1, .upper = -1, .work = -1 };
                for (int d = 0; d < _DEV_MAX; d++)
                        rb->prep[i].dev[d] = -1;
        }
        for (size_t i = 0; i < p->n_ops; i++)
                if ((r = prepare_op(rb, &p->ops[i], &rb->prep[i])) < 0)
                        return r;
        return 0;
}

/* Only then is the staging tmpfs mounted: the launch does nothing it wasn't asked for. */
static bool plan_stages_objects(const sandbox_plan_t *p) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == MOUNT_BIND_DATA || p->ops[i].type == MOUNT_PROC ||
                    (p->ops[i].type == MOUNT_OVERLAY && (p->ops[i].flags & MOUNT_FLAG_TMP)))
                        return true;
        return false;
}

/* What a launch makes for itself (--bind-data files, --tmp-overlay layers) is made in a tmpfs
 * of its own, mounted on BASE just before the root and so covered by it: reached only through
 * the fd kept here, never by a name in a directory that another process may write (the root
 * is one after --bind DIR /), and with no need for a writable root (--bind / /). The old root
 * takes it along when it is detached; what was bound or layered from it stays. */
static int mount_staging(root_build_t *rb, const char *label) {
        _cleanup_free_ char *data = label ? xasprintf("mode=0700,context=%s", label) : xstrdup("mode=0700");
        struct stat st;

        if (mount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
                return error_errno(rb->e, errno, "mounting the staging tmpfs on " BASE);
        rb->staging_fd = open(BASE, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (rb->staging_fd < 0 || fstat(rb->staging_fd, &st) < 0)
                return error_errno(rb->e, errno, "opening the staging tmpfs");
        mount_api_own(st.st_dev);
        return 0;
}

static int mount_root(root_build_t *rb) {
        const char *label = rb->plan->file_label;
        _cleanup_free_ char *data = label ? xasprintf("mode=0755,context=%s", label) : xstrdup("mode=0755");
        struct stat st;
        int r;

        if (plan_stages_objects(rb->plan) && (r = mount_staging(rb, label)) < 0)
                return r;
        if (mount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
                return error_errno(rb->e, errno, "mounting the new root (a tmpfs on " BASE ")");
        if (stat(BASE, &st) < 0)
                return error_errno(rb->e, errno, "the new root");
        mount_api_own(st.st_dev);
        return 0;
}

static int apply_ops(root_build_t *rb) {
        const sandbox_plan_t *p = rb->plan;
        /* Exact modes for what we create; the command gets the caller's umask back. */
        mode_t old_umask = umask(0);
        int r = 0;

        for (size_t i = 0; i < p->n_ops; i++) {
                closep(&rb->root_fd);
                /* Re-opened each time: a mount on "/" itself replaces what the root is. */
                rb->root_fd = open(BASE, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (rb->root_fd < 0) {
                        r = error_errno(rb->e, errno, "opening the new root");
                        break;
                }
                if ((r = do_ops[p->ops[i].type](rb, &p->ops[i], &rb->prep[i])) < 0)
                        break;
        }
        umask(old_umask);
        closep(&rb->root_fd);
        closep(&rb->staging_fd);
        return r;
}

/* With limits, a cgroup2 mount bound in would let the command write its own cgroup's files,
 * which belong to the caller's uid as the command's do: every one is read-only. */
static int protect_cgroupfs(root_build_t *rb) {
        /* Read-only set by us, in our user namespace, is not locked: CAP_SYS_ADMIN there could
         * remount it read-write, so such a mount is refused then. */
        static const mount_refusal_t admin = {
                .why = "--cap-add CAP_SYS_ADMIN with a cgroup (--limit, --stats): the command could make a "
                       "cgroup file system read-write, raise its limits and leave its cgroup",
                .hint = "don't bind a cgroup file system in (such as /sys), or don't add CAP_SYS_ADMIN",
        };

        return mount_api_remount_submounts(BASE, "cgroup2", MOUNT_ATTR_RDONLY, false,
                                           rb->plan->caps & (UINT64_C(1) << CAP_SYS_ADMIN) ? &admin : NULL, rb->e);
}

int mounts_setup(const sandbox_plan_t *p, const mounts_options_t *o, sandbox_error_t *e) {
        root_build_t rb = { .plan = p, .opts = o, .e = e, .root_fd = -1, .staging_fd = -1 };
        int r;

        resolve_probe(o->legacy);
        mount_api_probe(o->legacy);

        /* Nothing we mount may travel back to the host, and host mounts made later stay out. */
        if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return error_errno(e, errno, "making / a recursive slave mount");

        r = prepare_ops(&rb);
        if (r >= 0)
                r = mount_root(&rb);
        if (r >= 0)
                r = apply_ops(&rb);
        if (r >= 0 && o->cgroupfs_ro)
                r = protect_cgroupfs(&rb);
        if (r >= 0)
                r = pivot(e);
        closep(&rb.staging_fd);
        prepared_free(rb.prep, p);
        return r;
}
