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
        int src;         /* bind source: detached clone (mount API) or O_PATH fd */
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

/* The fd's mount belongs to the caller's mount namespace, which can't be bound from ours:
 * bind its path as seen here, and make sure that is still the very same file. */
static int prepare_bind_fd(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        char path[PATH_MAX], p[32];
        struct stat a, b;
        ssize_t n = readlink(fd_path(op->fd, p), path, sizeof path - 1);
        int r;

        if (n < 0)
                return error_errno(rb->e, errno, "%s", op->origin);
        path[n] = 0;
        if (path[0] != '/')
                return error_msg(rb->e, "%s: fd %d is not a file or directory (%s)", op->origin, op->fd, path);
        if ((r = mount_api_open_source(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &pr->src)) < 0)
                return error_errno(rb->e, r, "%s: %s", op->origin, path);
        if (fstat(op->fd, &a) < 0 || fstat(pr->src, &b) < 0)
                return error_errno(rb->e, errno, "%s", op->origin);
        if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                return error_msg(rb->e, "%s: %s was replaced since fd %d was opened", op->origin, path, op->fd);
        return 0;
}

static int prepare_op(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        int r;

        switch (op->type) {
        case MOUNT_BIND:
                if (op->fd >= 0)
                        return prepare_bind_fd(rb, op, pr);
                else
                        r = mount_api_open_source(AT_FDCWD, op->source, 0, &pr->src);
                if (r == -ENOENT && (op->flags & MOUNT_FLAG_TRY))
                        return 0;
                if (r < 0)
                        return error_errno(rb->e, r, "%s", op->origin);
                return 0;
        case MOUNT_SYS:
                /* Only needed when sysfs can't be mounted (the network namespace isn't ours). */
                if (!(rb->plan->unshare & NS_NET) && (r = mount_api_open_source(AT_FDCWD, "/sys", 0, &pr->src)) < 0)
                        return error_errno(rb->e, r, "%s: opening the host's /sys", op->origin);
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
                        if ((r = mount_api_open_source(AT_FDCWD, path, 0, &pr->dev[i])) < 0)
                                return error_errno(rb->e, r, "%s: opening the host's %s", op->origin, path);
                }
                return 0;
        case MOUNT_OVERLAY:
                pr->layers = xrealloc_array(NULL, op->n_layers, sizeof(int));
                for (size_t i = 0; i < op->n_layers; i++)
                        pr->layers[i] = -1;
                for (size_t i = 0; i < op->n_layers; i++) {
                        pr->layers[i] = open(op->layers[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->layers[i] < 0)
                                return error_errno(rb->e, errno, "%s: overlay layer %s", op->origin, op->layers[i]);
                }
                if (op->source) {
                        pr->upper = open(op->source, O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->upper < 0)
                                return error_errno(rb->e, errno, "%s: upper directory %s", op->origin, op->source);
                        pr->work = open(op->workdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (pr->work < 0)
                                return error_errno(rb->e, errno, "%s: work directory %s", op->origin, op->workdir);
                }
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

static int mount_fs(root_build_t *rb, const mount_op_t *op, int dest_fd, const char *fstype, unsigned long flags,
                    const char *data) {
        char dp[32];

        if (mount(fstype, fd_path(dest_fd, dp), fstype, flags, data) < 0) {
                int r = error_errno(rb->e, errno, "%s: mounting %s", op->origin, fstype);
                if (r == -EPERM && strcmp(fstype, "proc") == 0)
                        error_hint(rb->e, "a new procfs needs a new pid namespace: add --unshare-pid");
                if (r == -EPERM && strcmp(fstype, "mqueue") == 0)
                        error_hint(rb->e, "a new mqueue needs a new ipc namespace: add --unshare-ipc");
                return r;
        }
        return 0;
}

/* Covers a path inside a fresh mount read-only with a bind of itself (/proc/sys & co). */
static int bind_self_ro(root_build_t *rb, int dirfd, const char *name, const mount_op_t *op) {
        _cleanup_close_ int src = -1, dest = -1;
        int r;

        if ((r = mount_api_open_source(dirfd, name, AT_SYMLINK_NOFOLLOW, &src)) < 0 ||
            (dest = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                if (r == -ENOENT || (r == 0 && errno == ENOENT))
                        return 0;
                return error_errno(rb->e, r < 0 ? r : -errno, "%s: covering %s", op->origin, name);
        }
        return attach_bind(rb, op, src, dest,
                           MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
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
        if (fstat(pr->src, &st) < 0)
                return error_errno(rb->e, errno, "%s", op->origin);
        r = resolve_open_dest(rb->root_fd, op->dest, S_ISDIR(st.st_mode) ? DEST_DIR : DEST_FILE, O_PATH, &dest);
        if (r < 0)
                return error_errno(rb->e, r, "%s: creating the destination", op->origin);
        r = attach_bind(rb, op, pr->src, dest, bind_attrs(op->flags));
        closep(&pr->src);
        return r;
}

static int do_dev(root_build_t *rb, const mount_op_t *op, prepared_t *pr, int dest) {
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" },       { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
                { "/proc/self/fd/2", "stderr" }, { "/proc/kcore", "core" },      { "pts/ptmx", "ptmx" },
        };
        _cleanup_close_ int dir = -1;
        int r;

        if ((r = mount_fs(rb, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")) < 0)
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
        if (mkdirat(dir, "shm", 01777) < 0 || mkdirat(dir, "pts", 0755) < 0)
                return error_errno(rb->e, errno, "%s: creating shm and pts", op->origin);
        {
                _cleanup_close_ int pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_CLOEXEC);
                /* A private devpts instance: the host's terminals stay invisible. */
                if (pts < 0 || (r = mount_fs(rb, op, pts, "devpts", MS_NOSUID | MS_NOEXEC,
                                             "newinstance,ptmxmode=0666,mode=620")) < 0)
                        return pts < 0 ? error_errno(rb->e, errno, "%s: pts", op->origin) : r;
        }
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
            (work = openat(dir, "work", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return error_errno(rb->e, errno, "%s: staging the upper layer", op->origin);
        *ret_upper = TAKE_FD(upper);
        *ret_work = TAKE_FD(work);
        return 0;
}

static int do_overlay(root_build_t *rb, const mount_op_t *op, prepared_t *pr, int dest) {
        _cleanup_free_ char *data = NULL;
        size_t size = 64 + 32 * (op->n_layers + 2) + (rb->plan->file_label ? strlen(rb->plan->file_label) : 0);
        _cleanup_close_ int upper = -1, work = -1;
        char p[32];
        int r;

        if (op->flags & MOUNT_FLAG_TMP) {
                if ((r = stage_overlay_dirs(rb, op, &upper, &work)) < 0)
                        return r;
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
        if (rb->opts->in_userns)
                strcat(data, ",userxattr");
        return mount_fs(rb, op, dest, "overlay", MS_NOSUID | MS_NODEV | (op->flags & MOUNT_FLAG_RO ? MS_RDONLY : 0),
                        data);
}

/* --bind-data, --ro-bind-data: the data in a file of the staging tmpfs (mount_staging). */
static int stage_data_file(root_build_t *rb, const mount_op_t *op, mode_t mode, int *ret_fd) {
        _cleanup_free_ char *name = xasprintf("data-%d", (int) (op - rb->plan->ops));
        _cleanup_close_ int fd = openat(rb->staging_fd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, mode);
        int r;

        if (fd < 0)
                return error_errno(rb->e, errno, "%s: creating the file", op->origin);
        if ((r = copy_fd(op->fd, fd)) < 0)
                return error_errno(rb->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
        if (fchmod(fd, mode) < 0)
                return error_errno(rb->e, errno, "%s: setting mode %o", op->origin, (unsigned) mode);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int do_bind_data(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int fd = -1, src = -1, dest = -1;
        int r;

        if ((r = stage_data_file(rb, op, (mode_t) (op->mode >= 0 ? op->mode : 0600), &fd)) < 0)
                return r;
        /* Bound from the very file written: no name is looked up again. */
        if ((r = mount_api_open_source(fd, "", AT_EMPTY_PATH, &src)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if ((r = resolve_open_dest(rb->root_fd, op->dest, DEST_FILE, O_PATH, &dest)) < 0)
                return error_errno(rb->e, r, "%s: creating the destination", op->origin);
        return attach_bind(rb, op, src, dest, bind_attrs(op->flags));
}

static int do_file(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int fd = -1, pfd = -1, dest = -1;
        mode_t mode = (mode_t) (op->mode >= 0 ? op->mode : 0666);
        char dp[32];
        int r;

        if ((r = resolve_open_dest(rb->root_fd, op->dest, DEST_NONE, O_PATH, &dest)) < 0 && r != -ENOENT)
                return error_errno(rb->e, r, "%s", op->origin);
        if (r == -ENOENT) {
                resolve_split_path(op->dest, &parent, &name);
                if ((r = resolve_in_root(rb->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                        return error_errno(rb->e, r, "%s", op->origin);
                fd = openat(pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY | O_CLOEXEC, mode);
        } else
                fd = open(fd_path(dest, dp), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return error_errno(rb->e, errno, "%s: creating the file", op->origin);
        if ((r = copy_fd(op->fd, fd)) < 0)
                return error_errno(rb->e, r, "%s: copying the data from fd %d", op->origin, op->fd);
        if (fchmod(fd, mode) < 0)
                return error_errno(rb->e, errno, "%s: setting mode %o", op->origin, (unsigned) mode);
        return 0;
}

static int do_dir(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_open_dest(rb->root_fd, op->dest, DEST_DIR, O_PATH | O_DIRECTORY, &dest)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if (op->mode >= 0 && fchmodat(AT_FDCWD, fd_path(dest, dp), (mode_t) op->mode, 0) < 0)
                return error_errno(rb->e, errno, "%s: setting mode %o", op->origin, (unsigned) op->mode);
        return 0;
}

static int do_symlink(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int pfd = -1;
        char target[PATH_MAX];
        ssize_t n;
        int r;

        if ((r = resolve_mkdir_parents(rb->root_fd, op->dest)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        resolve_split_path(op->dest, &parent, &name);
        if ((r = resolve_in_root(rb->root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if (symlinkat(op->source, pfd, name) == 0)
                return 0;
        if (errno != EEXIST)
                return error_errno(rb->e, errno, "%s", op->origin);
        /* Idempotent: an existing link with the same target is fine. */
        n = readlinkat(pfd, name, target, sizeof target - 1);
        if (n < 0)
                return error_errno(rb->e, EEXIST, "%s", op->origin);
        target[n] = 0;
        if (strcmp(target, op->source) != 0)
                return error_msg(rb->e, "%s: %s exists and points to '%s'", op->origin, op->dest, target);
        return 0;
}

static int do_chmod(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH, &dest)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if (fchmodat(AT_FDCWD, fd_path(dest, dp), (mode_t) op->mode, 0) < 0)
                return error_errno(rb->e, errno, "%s", op->origin);
        return 0;
}

static int do_remount_ro(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r;

        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH, &dest)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        if ((r = mount_api_set_readonly(dest)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        return 0;
}

/* The operations that mount a new file system get their directory made here. */
static int new_mount_dest(root_build_t *rb, const mount_op_t *op, int *ret) {
        int r = resolve_open_dest(rb->root_fd, op->dest, DEST_DIR, O_PATH | O_DIRECTORY, ret);
        if (r < 0)
                return error_errno(rb->e, r, "%s: creating the destination", op->origin);
        return 0;
}

/* /proc/keys lists every key its reader's uid may view, with its description, whether the
 * sandbox possesses it or not (the caller's Kerberos tickets, for one): it and /proc/key-users
 * are covered with an empty read-only file from the staging tmpfs, as container runtimes do. */
static int hide_keys(root_build_t *rb, const mount_op_t *op, int proc) {
        static const char *const listings[] = { "keys", "key-users" };
        _cleanup_free_ char *name = xasprintf("empty-%d", (int) (op - rb->plan->ops));
        _cleanup_close_ int empty = -1;
        int r;

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

static int do_proc(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        static const char *const covered[] = { "sys", "sysrq-trigger", "irq", "bus" };
        _cleanup_close_ int dest = -1, proc = -1;
        int r;

        if ((r = new_mount_dest(rb, op, &dest)) < 0 ||
            (r = mount_fs(rb, op, dest, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) < 0)
                return r;
        if ((r = resolve_in_root(rb->root_fd, op->dest, O_PATH | O_DIRECTORY, &proc)) < 0)
                return error_errno(rb->e, r, "%s", op->origin);
        /* Kernel knobs that a user namespace's root may still write: read-only. */
        for (size_t i = 0; i < ELEMENTSOF(covered); i++)
                if ((r = bind_self_ro(rb, proc, covered[i], op)) < 0)
                        return r;
        return hide_keys(rb, op, proc);
}

static int do_dev_op(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(rb, op, &dest);
        return r < 0 ? r : do_dev(rb, op, pr, dest);
}

static int do_tmpfs(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        _cleanup_free_ char *data = NULL;
        char size[40] = "";
        int r;

        if ((r = new_mount_dest(rb, op, &dest)) < 0)
                return r;
        if (op->size)
                snprintf(size, sizeof size, ",size=%llu", op->size);
        data = xasprintf("mode=0%o%s%s%s", (unsigned) (op->mode >= 0 ? op->mode : 0755), size,
                         rb->plan->file_label ? ",context=" : "", rb->plan->file_label ? rb->plan->file_label : "");
        return mount_fs(rb, op, dest, "tmpfs", MS_NOSUID | MS_NODEV, data);
}

static int do_mqueue(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(rb, op, &dest);
        return r < 0 ? r : mount_fs(rb, op, dest, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static int do_sys(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        char dp[32];
        int r;

        if ((r = new_mount_dest(rb, op, &dest)) < 0)
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

static int do_overlay_op(root_build_t *rb, const mount_op_t *op, prepared_t *pr) {
        _cleanup_close_ int dest = -1;
        int r = new_mount_dest(rb, op, &dest);
        return r < 0 ? r : do_overlay(rb, op, pr, dest);
}

static int (*const do_ops[_MOUNT_TYPE_MAX])(root_build_t *rb, const mount_op_t *op, prepared_t *pr) = {
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

        if (mount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
                return error_errno(rb->e, errno, "mounting the staging tmpfs on " BASE);
        rb->staging_fd = open(BASE, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (rb->staging_fd < 0)
                return error_errno(rb->e, errno, "opening the staging tmpfs");
        return 0;
}

static int mount_root(root_build_t *rb) {
        const char *label = rb->plan->file_label;
        _cleanup_free_ char *data = label ? xasprintf("mode=0755,context=%s", label) : xstrdup("mode=0755");
        int r;

        if (plan_stages_objects(rb->plan) && (r = mount_staging(rb, label)) < 0)
                return r;
        if (mount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
                return error_errno(rb->e, errno, "mounting the new root (a tmpfs on " BASE ")");
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
