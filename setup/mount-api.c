/* SPDX-License-Identifier: MIT */
#include "mount-api.h"
#include "resolve.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
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

/* Legacy remount: the flags the kernel locked (inherited from a more privileged namespace),
 * the atime ones included, must be repeated or the remount is refused. KEEP: the MS_* flags the
 * mount has now. */
static int remount_keeping(const char *path, unsigned long keep, uint64_t attrs) {
        /* Without MS_NOATIME or MS_RELATIME the kernel makes it relatime: strictatime must say so. */
        if (!(keep & (MS_NOATIME | MS_RELATIME)))
                keep |= MS_STRICTATIME;
        if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | keep | ms_flags(attrs), NULL) < 0)
                return -errno;
        return 0;
}

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
        return remount_keeping(path, keep, attrs);
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

/* One line of /proc/self/mountinfo, as the submount walk needs it. */
typedef struct mount_line {
        int id, parent;
        dev_t dev;
        char *mp;
        unsigned long flags; /* MS_* from the per-mount options */
        bool wanted;         /* of the file system type asked for */
        bool below;          /* a mount of the tree under the top one (mark_below) */
} mount_line_t;

/* The per-mount options ("rw,nosuid,relatime") as MS_* flags. Read here rather than with
 * statvfs(), which would trigger an automount point (such as systemd's binfmt_misc). */
static unsigned long mount_options_flags(const char *opts) {
        static const struct {
                const char *name;
                unsigned long flag;
        } known[] = { { "ro", MS_RDONLY },        { "nosuid", MS_NOSUID },   { "nodev", MS_NODEV },
                      { "noexec", MS_NOEXEC },    { "noatime", MS_NOATIME }, { "nodiratime", MS_NODIRATIME },
                      { "relatime", MS_RELATIME } };
        unsigned long flags = 0;

        for (const char *o = opts; *o;) {
                size_t n = strcspn(o, ",");
                for (size_t i = 0; i < ELEMENTSOF(known); i++)
                        if (strlen(known[i].name) == n && strncmp(o, known[i].name, n) == 0)
                                flags |= known[i].flag;
                o += n + (o[n] == ',');
        }
        return flags;
}

static bool parse_mount_line(const char *line, const char *fstype, mount_line_t *ret) {
        const char *sep = strstr(line, " - ");
        char mp[PATH_MAX], opts[256];
        unsigned major, minor;

        if (!sep || sscanf(line, "%d %d %u:%u %*s %4095s %255s", &ret->id, &ret->parent, &major, &minor, mp, opts) != 6)
                return false;
        ret->dev = makedev(major, minor);
        unescape_octal(mp);
        ret->mp = xstrdup(mp);
        ret->flags = mount_options_flags(opts);
        ret->wanted = !fstype || (strncmp(sep + 3, fstype, strlen(fstype)) == 0 && sep[3 + strlen(fstype)] == ' ');
        ret->below = false;
        return true;
}

/* The mount FD is on, from its fdinfo. */
static int fd_mount_id(int fd, int *ret) {
        _cleanup_free_ char *info = NULL;
        char path[64];
        const char *m;
        int r;

        snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
        if ((r = read_file_path(path, &info, NULL)) < 0)
                return r;
        if (!(m = strstr(info, "mnt_id:")) || sscanf(m, "mnt_id: %d", ret) != 1)
                return -EINVAL;
        return 0;
}

/* The mount whose root TOP is now (the newest, on top of any others there). */
static int top_mount_id(const char *top, int *ret) {
        _cleanup_close_ int fd = open(top, O_PATH | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return fd_mount_id(fd, ret);
}

/* Whether a later mount of the tree sits on the same path or one above it: the line's mount is
 * out of reach by path, as in bubblewrap's walk (a mount of a covered part of the tree, or one
 * under another at the same place). */
static bool covered(const mount_line_t *l, size_t n, size_t i) {
        for (size_t j = i + 1; j < n; j++) {
                size_t len = strlen(l[j].mp);
                if (l[j].below && strncmp(l[i].mp, l[j].mp, len) == 0 &&
                    (l[i].mp[len] == '/' || l[i].mp[len] == 0 || strcmp(l[j].mp, "/") == 0))
                        return true;
        }
        return false;
}

static void mount_lines_free(mount_line_t *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(l[i].mp);
        free(l);
}

static int read_mounts(const char *fstype, mount_line_t **ret, size_t *ret_n, sandbox_error_t *e) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        mount_line_t *lines = NULL;
        size_t size = 0, n = 0;

        if (!f)
                return error_errno(e, errno, "reading /proc/self/mountinfo");
        while (getline(&line, &size, f) > 0) {
                lines = xrealloc_array(lines, n + 1, sizeof *lines);
                if (parse_mount_line(line, fstype, &lines[n]))
                        n++;
        }
        *ret = lines;
        *ret_n = n;
        return 0;
}

/* Marks the mounts of the tree under the mount TOP_ID (not TOP_ID's own), whatever order the
 * lines come in. */
static void mark_below(mount_line_t *l, size_t n, int top_id) {
        bool grew = true;

        for (size_t i = 0; i < n; i++)
                l[i].below = false;
        while (grew) {
                grew = false;
                for (size_t i = 0; i < n; i++)
                        if (!l[i].below && l[i].id != top_id) {
                                l[i].below = l[i].parent == top_id;
                                for (size_t j = 0; j < n && !l[i].below; j++)
                                        l[i].below = l[j].below && l[j].id == l[i].parent;
                                grew |= l[i].below;
                        }
        }
}

static int remount_tree(const mount_line_t *l, size_t n, const char *top, const char *fstype, uint64_t attrs,
                        bool tolerate, const mount_refusal_t *refuse, sandbox_error_t *e) {
        size_t toplen = strlen(top);

        for (size_t i = 0; i < n; i++) {
                const char *shown = strncmp(l[i].mp, top, toplen) == 0 ? l[i].mp + toplen : l[i].mp;
                int r;

                if (!l[i].below || !l[i].wanted)
                        continue;
                /* Refused even where covered: whoever may unmount may uncover it. */
                if (refuse) {
                        error_msg(e, "%s: the %s mount %s", refuse->why, fstype ?: "", shown);
                        error_hint(e, "%s", refuse->hint);
                        return -EPERM;
                }
                if (covered(l, n, i))
                        continue;
                r = remount_keeping(l[i].mp, l[i].flags, attrs);
                if (r < 0 && r != -ENOENT) {
                        if (!tolerate)
                                return fstype ? error_errno(e, r, "making the %s mount %s read-only", fstype, l[i].mp)
                                              : error_errno(e, r, "making submount %s read-only", l[i].mp);
                        log_warning("making submount %s read-only: %s (ignored: --not-a-security-boundary)", l[i].mp,
                                    strerror(-r));
                }
        }
        return 0;
}

int mount_api_remount_submounts(const char *top, const char *fstype, uint64_t attrs, bool tolerate,
                                const mount_refusal_t *refuse, sandbox_error_t *e) {
        mount_line_t *l = NULL;
        size_t n = 0;
        int top_id, r;

        if ((r = top_mount_id(top, &top_id)) < 0)
                return error_errno(e, r, "finding the mount at %s", top);
        if ((r = read_mounts(fstype, &l, &n, e)) < 0)
                return r;
        mark_below(l, n, top_id);
        r = remount_tree(l, n, top, fstype, attrs, tolerate, refuse, e);
        mount_lines_free(l, n);
        return r;
}

/* The launch's own file systems (its staging tmpfs and new root), mounted under the path a
 * source like "/" contains. */
static dev_t own_devs[2];
static size_t n_own_devs;

void mount_api_own(dev_t dev) {
        if (n_own_devs < ELEMENTSOF(own_devs))
                own_devs[n_own_devs++] = dev;
}

static bool own_line(const mount_line_t *l) {
        for (size_t i = 0; i < n_own_devs; i++)
                if (l->dev == own_devs[i])
                        return true;
        return false;
}

static const mount_line_t *line_by_id(const mount_line_t *l, size_t n, int id) {
        for (size_t i = 0; i < n; i++)
                if (l[i].id == id)
                        return &l[i];
        return NULL;
}

/* Whether l[i] is ID's or one of its descendants' (below the top, which has no line here). */
static bool descends_from(const mount_line_t *l, size_t n, const mount_line_t *m, int id) {
        for (; m && m->below; m = line_by_id(l, n, m->parent))
                if (m->id == id)
                        return true;
        return false;
}

/* A recursive bind made now copies what the launch has mounted itself under its source: for
 * "/" or "/tmp", the staging tmpfs and the new root at their place, with all that is mounted on
 * them. Those copies are detached again, before any flag is set, so that the bind shows the
 * host's tree there, as open_tree()'s clone, taken before the launch mounted anything, does. */
static int drop_own_copies(const char *top, int parent_id, sandbox_error_t *e) {
        mount_line_t *l = NULL;
        size_t n = 0;
        int bind_id = -1, r;

        if (n_own_devs == 0)
                return 0;
        if ((r = read_mounts(NULL, &l, &n, e)) < 0)
                return r;
        /* The bind is the newest mount at TOP on the mount below it: what is stacked on it
         * there may be copies of ours. */
        for (size_t i = 0; i < n; i++)
                if (l[i].parent == parent_id && strcmp(l[i].mp, top) == 0)
                        bind_id = l[i].id;
        if (bind_id < 0) {
                mount_lines_free(l, n);
                return error_msg(e, "the bind on %s is not in /proc/self/mountinfo", top);
        }
        mark_below(l, n, bind_id);
        for (size_t i = 0; i < n && r >= 0; i++) {
                const mount_line_t *up = line_by_id(l, n, l[i].parent);
                size_t stacked = 0;

                /* The lowest copy of each stack of ours: detaching it takes what is on it along. */
                if (!l[i].below || !own_line(&l[i]))
                        continue;
                for (; up && up->below && !own_line(up); up = line_by_id(l, n, up->parent))
                        ;
                if (up && up->below)
                        continue;
                /* umount2() by path reaches the top of the stack there: one call per mount in it. */
                for (size_t j = 0; j < n; j++)
                        stacked += strcmp(l[j].mp, l[i].mp) == 0 && descends_from(l, n, &l[j], l[i].id);
                for (size_t k = 0; k < stacked && r >= 0; k++)
                        if (umount2(l[i].mp, MNT_DETACH) < 0)
                                r = error_errno(e, errno, "detaching the copy of the sandbox's own %s", l[i].mp);
        }
        mount_lines_free(l, n);
        return r;
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
        int parent_id, r;

        if (n < 0 || (r = fd_mount_id(dest_fd, &parent_id)) < 0)
                return error_errno(e, n < 0 ? errno : r, "%s", origin);
        top[n] = 0;
        /* The source by its fd's magic link: it may be on a mount no path reaches. */
        if (mount(fd_path(src, sp), top, NULL, MS_BIND | MS_REC, NULL) < 0)
                return error_errno(e, errno, "%s", origin);
        /* By path from here on: the copies of our own mounts first, or the path reaches them. */
        if ((r = drop_own_copies(top, parent_id, e)) < 0) {
                error_prefix(e, "%s", origin);
                return r;
        }
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
