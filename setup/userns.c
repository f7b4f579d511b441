/* SPDX-License-Identifier: MIT */
#include "userns.h"

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* "INSIDE OUTSIDE 1\n", the map of one id, in LINE. */
static char *map_line(char line[static 64], unsigned inside, unsigned outside) {
        char n[21];

        strcpy(line, format_long(n, inside));
        strcat(line, " ");
        strcat(line, format_long(n, outside));
        strcat(line, " 1\n");
        return line;
}

/* An unprivileged writer may map only its own id, and only once setgroups is denied: otherwise
 * dropping a group could grant access a negative ACL was meant to stop. */
static int write_own_gid_map(int proc_self, gid_t inside, gid_t outside, sandbox_error_t *e) {
        char line[64];
        int r = write_file_at(proc_self, "setgroups", "deny");

        if (r < 0 && r != -ENOENT)
                return error_errno(e, r, "writing /proc/self/setgroups");
        if ((r = write_file_at(proc_self, "gid_map", map_line(line, inside, outside))) < 0)
                return error_errno(e, r, "writing /proc/self/gid_map '%u %u 1'", (unsigned) inside, (unsigned) outside);
        return 0;
}

static int write_own_uid_map(int proc_self, uid_t inside, uid_t outside, sandbox_error_t *e) {
        char line[64];
        int r;

        if ((r = write_file_at(proc_self, "uid_map", map_line(line, inside, outside))) < 0)
                return error_errno(e, r, "writing /proc/self/uid_map '%u %u 1'", (unsigned) inside, (unsigned) outside);
        return 0;
}

int userns_write_own_maps(int proc_self, uid_t inside_uid, uid_t outside_uid, gid_t inside_gid, gid_t outside_gid,
                          sandbox_error_t *e) {
        int r = write_own_gid_map(proc_self, inside_gid, outside_gid, e);

        return r < 0 ? r : write_own_uid_map(proc_self, inside_uid, outside_uid, e);
}

static int wait_block_fd(int fd, sandbox_error_t *e) {
        ssize_t n;

        do
                n = read(fd, &(char){ 0 }, 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return error_errno(e, errno, "--userns-block-fd: reading fd %d", fd);
        return 0;
}

int userns_setup_child(const sandbox_plan_t *p, const userns_child_t *c, uid_t *ret_uid, gid_t *ret_gid,
                       sandbox_error_t *e) {
        uid_t uid = p->uid_set ? p->uid : c->real_uid;
        gid_t gid = p->gid_set ? p->gid : c->real_gid;
        int r;

        *ret_uid = geteuid();
        *ret_gid = getegid();
        if (!c->new_userns)
                return 0;
        if (p->userns_block_fd >= 0) {
                /* The caller writes our maps and then tells us to go on. */
                r = wait_block_fd(p->userns_block_fd, e);
                *ret_uid = geteuid();
                *ret_gid = getegid();
                return r;
        }
        if (p->n_uid_maps || p->n_gid_maps) {
                /* The parent runs newuidmap/newgidmap for us and then sends one byte. */
                if (read_full(c->sock, &(char){ 0 }, 1) != 1)
                        return error_msg(e, "the id maps were not written");
                if (p->n_uid_maps && !p->uid_set)
                        uid = (uid_t) userns_inside_id(p->uid_maps, p->n_uid_maps, c->real_uid, 0);
                if (p->n_gid_maps && !p->gid_set)
                        gid = (gid_t) userns_inside_id(p->gid_maps, p->n_gid_maps, c->real_gid, 0);
        }
        /* Whatever the helpers didn't map, we map ourselves: just our own id. */
        if (!p->n_gid_maps && (r = write_own_gid_map(c->proc_self, gid, c->real_gid, e)) < 0)
                return r;
        if (!p->n_uid_maps && (r = write_own_uid_map(c->proc_self, uid, c->real_uid, e)) < 0)
                return r;
        *ret_uid = uid;
        *ret_gid = gid;
        return 0;
}

unsigned long userns_inside_id(const id_map_t *maps, size_t n, unsigned long outside, unsigned long fallback) {
        for (size_t i = 0; i < n; i++)
                if (outside >= maps[i].outside && outside - maps[i].outside < maps[i].count)
                        return maps[i].inside + (outside - maps[i].outside);
        return fallback;
}

static int run_helper(const char *helper, pid_t pid, const id_map_t *maps, size_t n, sandbox_error_t *e) {
        _cleanup_free_ char **argv = xrealloc_array(NULL, 3 * n + 6, sizeof(char *));
        _cleanup_free_ char *buf = xmalloc0((3 * n + 4) * 24);
        size_t k = 0, used = 0;
        pid_t child;
        int status, r;

#define PUSH(fmt, v) \
        do { \
                argv[k++] = buf + used; \
                used += (size_t) sprintf(buf + used, fmt, v) + 1; \
        } while (0)
        argv[k++] = (char *) helper;
        PUSH("%d", (int) pid);
        for (size_t i = 0; i < n; i++) {
                PUSH("%lu", maps[i].inside);
                PUSH("%lu", maps[i].outside);
                PUSH("%lu", maps[i].count);
        }
        argv[k] = NULL;
#undef PUSH

        r = posix_spawnp(&child, helper, NULL, NULL, argv, environ);
        if (r != 0) {
                error_errno(e, r, "--%s: running %s", strcmp(helper, "newuidmap") == 0 ? "uid-map" : "gid-map", helper);
                error_hint(e, "install the 'uidmap' package (it provides newuidmap and newgidmap)");
                return -r;
        }
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return error_errno(e, errno, "waiting for %s", helper);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                error_msg(e, "--%s: %s refused the mapping (exit status %d; its message is above)",
                          strcmp(helper, "newuidmap") == 0 ? "uid-map" : "gid-map", helper,
                          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
                error_hint(e, "the outside ranges must be listed for your user in %s",
                           strcmp(helper, "newuidmap") == 0 ? "/etc/subuid" : "/etc/subgid");
                return -EPERM;
        }
        return 0;
}

int userns_run_map_helpers(const sandbox_plan_t *p, pid_t pid, sandbox_error_t *e) {
        int r;

        if (p->n_uid_maps && (r = run_helper("newuidmap", pid, p->uid_maps, p->n_uid_maps, e)) < 0)
                return r;
        if (p->n_gid_maps && (r = run_helper("newgidmap", pid, p->gid_maps, p->n_gid_maps, e)) < 0)
                return r;
        return 0;
}

int userns_limit_nesting(sandbox_error_t *e) {
        /* The limit counts namespaces created below this one. userns_enter_nested() uses up the
         * single slot, so any further attempt from inside gets ENOSPC. */
        int r = write_file_at(AT_FDCWD, "/proc/sys/user/max_user_namespaces", "1");
        if (r < 0)
                return error_errno(e, r, "--disable-userns: setting user.max_user_namespaces to 1");
        return 0;
}

int userns_enter_nested(int proc_self, sandbox_error_t *e) {
        uid_t uid = geteuid();
        gid_t gid = getegid();

        if (unshare(CLONE_NEWUSER) < 0)
                return error_errno(e, errno, "--disable-userns: creating the nested user namespace");
        return userns_write_own_maps(proc_self, uid, uid, gid, gid, e);
}

int userns_check_disabled(sandbox_error_t *e) {
        if (unshare(CLONE_NEWUSER) == 0)
                return error_msg(e, "creating a user namespace is still possible, but it was asked to be disabled");
        return 0;
}
