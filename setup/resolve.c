/* SPDX-License-Identifier: MIT */
#include "resolve.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool have_openat2 = true;

static int sys_openat2(int dfd, const char *path, struct open_how *how) {
        return (int) syscall(SYS_openat2, dfd, path, how, sizeof *how);
}

void resolve_probe(bool force_fallback) {
        int fd;

        if (force_fallback) {
                have_openat2 = false;
                return;
        }
        fd = sys_openat2(AT_FDCWD, "/", &(struct open_how){ .flags = O_PATH | O_CLOEXEC });
        if (fd >= 0)
                close(fd);
        else if (errno == ENOSYS)
                have_openat2 = false;
}

char *fd_path(int fd, char buf[static 32]) {
        static const char dir[] = "/proc/self/fd/";
        char n[21];

        memcpy(buf, dir, sizeof dir - 1);
        strcpy(buf + sizeof dir - 1, format_long(n, fd)); /* at most 11 of the 18 left */
        return buf;
}

static bool same_inode(int a, int b) {
        struct stat sa, sb;
        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* What openat2(RESOLVE_IN_ROOT) does, for kernels before 5.6: walk one component at a time,
 * never following a symlink with the host's root, clamping ".." at root_fd. */
static int check_directory(int fd) {
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int walk_in_root(int root_fd, const char *path, int flags, int *ret) {
        _cleanup_free_ char *buf = xstrdup(path), *link = NULL;
        _cleanup_close_ int cur = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        char *rest = buf;
        unsigned links = 0;
        int r;

        if (cur < 0)
                return -errno;
        for (;;) {
                char *comp;
                int fd;
                struct stat st;

                while (*rest == '/')
                        rest++;
                if (!*rest)
                        break;
                comp = rest;
                rest = strchrnul(rest, '/');
                if (*rest)
                        *rest++ = 0;
                if (strcmp(comp, ".") == 0)
                        continue;
                if (strcmp(comp, "..") == 0 && same_inode(cur, root_fd))
                        continue;
                fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                if (fstat(fd, &st) < 0) {
                        closep(&fd);
                        return -errno;
                }
                if (S_ISLNK(st.st_mode) && (*rest || !(flags & O_NOFOLLOW))) {
                        char target[PATH_MAX];
                        ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
                        char *joined;

                        closep(&fd);
                        if (n < 0)
                                return -errno;
                        if (++links > 40)
                                return -ELOOP;
                        target[n] = 0;
                        joined = xasprintf("%s/%s", target, rest);
                        free(link);
                        link = joined;
                        rest = link;
                        if (target[0] == '/') {
                                closep(&cur);
                                cur = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
                                if (cur < 0)
                                        return -errno;
                        }
                        continue;
                }
                closep(&cur);
                cur = fd;
        }
        /* As openat2 does: O_PATH | O_DIRECTORY on anything else is ENOTDIR. */
        if ((flags & O_DIRECTORY) && (r = check_directory(cur)) < 0)
                return r;
        if (!(flags & O_PATH)) {
                char p[32];
                int fd = open(fd_path(cur, p), (flags & ~O_NOFOLLOW) | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                *ret = fd;
                return 0;
        }
        *ret = TAKE_FD(cur);
        return 0;
}

int resolve_in_root(int root_fd, const char *path, int flags, int *ret) {
        if (have_openat2) {
                struct open_how how = {
                        .flags = (uint64_t) (flags | O_CLOEXEC),
                        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
                };
                int fd;

                /* EAGAIN: a rename raced with the lookup; the kernel asks us to try again. */
                do
                        fd = sys_openat2(root_fd, path, &how);
                while (fd < 0 && errno == EAGAIN);
                if (fd < 0)
                        return -errno;
                *ret = fd;
                return 0;
        }
        return walk_in_root(root_fd, path, flags, ret);
}

/* Splits "/a/b/c/" into the parent "/a/b" and the name "c"; "/" has no name. */
void resolve_split_path(const char *path, char **ret_parent, char **ret_name) {
        char *copy = xstrdup(path), *slash;
        size_t len = strlen(copy);

        while (len > 1 && copy[len - 1] == '/')
                copy[--len] = 0;
        slash = strrchr(copy, '/');
        if (!slash) {
                *ret_name = copy;
                *ret_parent = xstrdup("/");
        } else {
                *ret_name = xstrdup(slash + 1);
                *slash = 0;
                *ret_parent = *copy ? copy : (free(copy), xstrdup("/"));
        }
}

static bool is_root_path(const char *path) {
        for (; *path; path++)
                if (*path != '/' && !(*path == '.' && (path[1] == '/' || !path[1])))
                        return false;
        return true;
}

/* mkdir -p inside the root, each step resolved inside it. As bubblewrap's mkdir_with_parents:
 * a component that exists but is no directory is ENOTDIR. */
int resolve_mkdir_parents(int root_fd, const char *path, mode_t mode) {
        _cleanup_free_ char *buf = xstrdup(path);

        for (char *p = buf; (p = strchr(p + 1, '/'));) {
                _cleanup_close_ int fd = -1;
                int r;

                *p = 0;
                r = resolve_in_root(root_fd, buf, O_PATH | O_DIRECTORY, &fd);
                if (r == -ENOENT) {
                        _cleanup_free_ char *parent = NULL, *name = NULL;
                        _cleanup_close_ int pfd = -1;

                        resolve_split_path(buf, &parent, &name);
                        if ((r = resolve_in_root(root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                                return r;
                        if (mkdirat(pfd, name, mode) < 0 && errno != EEXIST)
                                return -errno;
                } else if (r < 0)
                        return r;
                *p = '/';
        }
        return 0;
}

/* The mount point itself, where nothing of its kind is there yet: an empty directory with MODE,
 * or an empty file (mode 0444, as bubblewrap makes it). mkdirat and O_EXCL work on the parent,
 * so an existing symlink is never followed by the host's rules; what is there already is
 * checked inside the root. */
int resolve_make_dest(int root_fd, const char *dest, dest_kind_t kind, mode_t mode) {
        _cleanup_free_ char *parent = NULL, *name = NULL;
        _cleanup_close_ int pfd = -1, fd = -1;
        struct stat st;
        int r;

        if (kind == DEST_NONE || is_root_path(dest))
                return 0;
        resolve_split_path(dest, &parent, &name);
        if ((r = resolve_in_root(root_fd, parent, O_PATH | O_DIRECTORY, &pfd)) < 0)
                return r;
        if (kind == DEST_DIR) {
                if (mkdirat(pfd, name, mode) == 0)
                        return 0;
        } else {
                fd = openat(pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY | O_CLOEXEC, 0444);
                if (fd >= 0)
                        return 0;
        }
        if (errno != EEXIST)
                return -errno;
        if ((r = resolve_in_root(root_fd, dest, O_PATH, &fd)) < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (kind == DEST_DIR && !S_ISDIR(st.st_mode))
                return -ENOTDIR;
        if (kind == DEST_FILE && S_ISDIR(st.st_mode))
                return -EISDIR;
        return 0;
}

int resolve_open_dest(int root_fd, const char *dest, dest_kind_t kind, int flags, int *ret) {
        int r;

        if ((r = resolve_mkdir_parents(root_fd, dest, 0755)) < 0 ||
            (r = resolve_make_dest(root_fd, dest, kind, 0755)) < 0)
                return r;
        return resolve_in_root(root_fd, dest, flags, ret);
}
