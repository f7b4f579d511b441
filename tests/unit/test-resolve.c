/* SPDX-License-Identifier: MIT */
/* Unit tests of path resolution inside the new root (setup/resolve.c): the pure splitting of
 * paths, then, in a temporary directory, that no symlink or ".." leads out of the root, with
 * openat2 and with the walk that stands in for it on old kernels. Prints TAP. */
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setup/resolve.h"
#include "unit.h"

static char tmp[256], root[300], outside[300];
static int root_fd = -1;

static void expect_split(const char *path, const char *parent, const char *name) {
        char *p = NULL, *n = NULL, title[256];

        resolve_split_path(path, &p, &n);
        snprintf(title, sizeof title, "split '%s' is '%s' + '%s' (got '%s' + '%s')", path, parent, name, p, n);
        ok(strcmp(p, parent) == 0 && strcmp(n, name) == 0, title, NULL);
        free(p);
        free(n);
}

static void test_split(void) {
        expect_split("/a/b/c/", "/a/b", "c");
        expect_split("/a/b/c", "/a/b", "c");
        expect_split("/a", "/", "a");
        expect_split("/a/", "/", "a");
        expect_split("/a///", "/", "a");
        expect_split("//a", "/", "a");
        expect_split("a/b", "a", "b");
        expect_split("a", "/", "a");
        expect_split("/", "/", "");
}

static void test_fd_path(void) {
        char buf[32];

        ok(strcmp(fd_path(7, buf), "/proc/self/fd/7") == 0 && fd_path(7, buf) == buf, "fd_path names the fd in /proc",
           buf);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        return remove(path);
}

static void cleanup(void) {
        if (root_fd >= 0)
                close(root_fd);
        if (tmp[0])
                nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* root/ holds dir/file, etc/, and symlinks that try to lead out; outside/ is beside it. */
static int make_tree(void) {
        int fd;

        snprintf(tmp, sizeof tmp, "%s/sandbox-test-resolve-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmp)) {
                tmp[0] = 0;
                return -errno;
        }
        snprintf(root, sizeof root, "%s/root", tmp);
        snprintf(outside, sizeof outside, "%s/outside", tmp);
        if (mkdir(root, 0755) < 0 || mkdir(outside, 0755) < 0)
                return -errno;
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return -errno;
        if (mkdirat(root_fd, "dir", 0755) < 0 || mkdirat(root_fd, "etc", 0755) < 0)
                return -errno;
        fd = openat(root_fd, "dir/file", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        close(fd);
        if (symlinkat("/etc", root_fd, "abs") < 0 || symlinkat("../../../..", root_fd, "up") < 0 ||
            symlinkat("../../../etc", root_fd, "dir/dotdot") < 0 || symlinkat("loop", root_fd, "loop") < 0 ||
            symlinkat(outside, root_fd, "out") < 0 || symlinkat("../outside", root_fd, "rel") < 0)
                return -errno;
        return 0;
}

static bool same_file(int fd, const char *relative_to_root) {
        struct stat a, b;

        return fstat(fd, &a) == 0 && fstatat(root_fd, relative_to_root, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* PATH, resolved in the root, must be the root's `want` (NULL: must fail with errno err). */
static void expect_resolve(const char *mode, const char *path, int flags, const char *want, int err) {
        char title[256];
        int fd = -1, r = resolve_in_root(root_fd, path, flags, &fd);

        if (want) {
                snprintf(title, sizeof title, "%s: '%s' resolves to root/%s", mode, path, want);
                ok(r == 0 && same_file(fd, want), title, r < 0 ? strerror(-r) : NULL);
        } else {
                snprintf(title, sizeof title, "%s: '%s' fails with %s", mode, path, strerror(err));
                ok(r == -err, title, r < 0 ? strerror(-r) : "it resolved");
        }
        if (r == 0)
                close(fd);
}

static void test_resolve(const char *mode) {
        struct stat st;
        int fd = -1;

        expect_resolve(mode, "dir/file", O_RDONLY, "dir/file", 0);
        expect_resolve(mode, "/dir/file", O_PATH, "dir/file", 0);
        expect_resolve(mode, "/", O_PATH | O_DIRECTORY, ".", 0);
        expect_resolve(mode, "abs", O_PATH | O_DIRECTORY, "etc", 0);
        expect_resolve(mode, "up/etc", O_PATH | O_DIRECTORY, "etc", 0);
        expect_resolve(mode, "dir/dotdot", O_PATH | O_DIRECTORY, "etc", 0);
        expect_resolve(mode, "dir/../../../../etc", O_PATH | O_DIRECTORY, "etc", 0);
        expect_resolve(mode, "./dir/./file", O_PATH, "dir/file", 0);
        expect_resolve(mode, "nope", O_PATH, NULL, ENOENT);
        expect_resolve(mode, "dir/file/x", O_PATH, NULL, ENOTDIR);
        expect_resolve(mode, "dir/file", O_PATH | O_DIRECTORY, NULL, ENOTDIR);
        expect_resolve(mode, "loop", O_PATH, NULL, ELOOP);
        expect_resolve(mode, "out/x", O_PATH, NULL, ENOENT);
        expect_resolve(mode, "rel", O_PATH, NULL, ENOENT);
        ok(resolve_in_root(root_fd, "abs", O_PATH | O_NOFOLLOW, &fd) == 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode),
           "O_NOFOLLOW opens a final symlink itself", mode);
        if (fd >= 0)
                close(fd);
}

static bool exists_in(int dirfd, const char *path, mode_t type) {
        struct stat st;
        return fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type;
}

static void test_create(const char *mode) {
        char host[400], made[64], title[256];
        int fd = -1, r;

        snprintf(made, sizeof made, "made-%s", mode);
        snprintf(title, sizeof title, "%s: mkdir -p creates the parents, not the last name", mode);
        r = resolve_mkdir_parents(root_fd, strcat(strcpy(host, made), "/a/b/leaf"), 0755);
        ok(r == 0 && exists_in(root_fd, strcat(strcpy(host, made), "/a/b"), S_IFDIR) &&
                   !exists_in(root_fd, strcat(strcpy(host, made), "/a/b/leaf"), S_IFDIR),
           title, NULL);

        snprintf(title, sizeof title, "%s: a directory mount point is made with its parents", mode);
        r = resolve_open_dest(root_fd, strcat(strcpy(host, made), "/d/dir"), DEST_DIR, O_PATH | O_DIRECTORY, &fd);
        ok(r == 0 && same_file(fd, host), title, r < 0 ? strerror(-r) : NULL);
        if (r == 0)
                close(fd);
        snprintf(title, sizeof title, "%s: a file mount point is made", mode);
        r = resolve_open_dest(root_fd, strcat(strcpy(host, made), "/f/file"), DEST_FILE, O_PATH, &fd);
        ok(r == 0 && exists_in(root_fd, host, S_IFREG) && same_file(fd, host), title, r < 0 ? strerror(-r) : NULL);
        if (r == 0)
                close(fd);
        snprintf(title, sizeof title, "%s: an existing mount point is opened again", mode);
        r = resolve_open_dest(root_fd, host, DEST_FILE, O_PATH, &fd);
        ok(r == 0 && same_file(fd, host), title, r < 0 ? strerror(-r) : NULL);
        if (r == 0)
                close(fd);
        snprintf(title, sizeof title, "%s: '/' as a destination is the root", mode);
        r = resolve_open_dest(root_fd, "/", DEST_DIR, O_PATH | O_DIRECTORY, &fd);
        ok(r == 0 && same_file(fd, "."), title, r < 0 ? strerror(-r) : NULL);
        if (r == 0)
                close(fd);
}

static void test_no_escape(const char *mode) {
        static const char *const dests[] = { "out/x", "rel/x", "up/outside/x", "dir/dotdot/../../outside/x" };
        char title[256], host[400];
        int fd = -1, r;

        for (size_t i = 0; i < ELEMENTSOF(dests); i++) {
                r = resolve_open_dest(root_fd, dests[i], DEST_DIR, O_PATH | O_DIRECTORY, &fd);
                if (r == 0)
                        close(fd);
                snprintf(host, sizeof host, "%s/x", outside);
                snprintf(title, sizeof title, "%s: making '%s' creates nothing outside the root", mode, dests[i]);
                ok(access(host, F_OK) < 0, title, host);
                rmdir(host);
        }
        snprintf(title, sizeof title, "%s: '..' and symlinks are clamped at the root: root/outside/x was made", mode);
        ok(exists_in(root_fd, "outside/x", S_IFDIR), title, NULL);
        unlinkat(root_fd, "outside/x", AT_REMOVEDIR);
        unlinkat(root_fd, "outside", AT_REMOVEDIR);
        r = resolve_open_dest(root_fd, "abs/made", DEST_DIR, O_PATH | O_DIRECTORY, &fd);
        snprintf(title, sizeof title, "%s: an absolute symlink is followed inside the root", mode);
        ok(r == 0 && exists_in(root_fd, "etc/made", S_IFDIR), title, r < 0 ? strerror(-r) : NULL);
        if (r == 0)
                close(fd);
        unlinkat(root_fd, "etc/made", AT_REMOVEDIR);
}

int main(void) {
        int r;

        test_split();
        test_fd_path();
        r = make_tree();
        if (r < 0) {
                skip("resolving in a temporary root", strerror(-r));
                cleanup();
                return unit_done();
        }
        resolve_probe(false);
        test_resolve("openat2");
        test_create("openat2");
        test_no_escape("openat2");
        resolve_probe(true);
        test_resolve("walk");
        test_create("walk");
        test_no_escape("walk");
        cleanup();
        return unit_done();
}
