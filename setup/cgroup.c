/* SPDX-License-Identifier: MIT */
#include "cgroup.h"
#include "limits.h"
#include "systemd.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>

#define CALLER_LEAF "sandbox-caller"
#define CONTROLLER_HINT_DELEGATE \
        "systemd delegates cpu, memory and pids to users; for the others add a drop-in, as root: " \
        "mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' " \
        "> /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload, then log in again"

typedef enum {
        CTRL_CPU = 1 << 0,
        CTRL_IO = 1 << 1,
        CTRL_MEMORY = 1 << 2,
        CTRL_PIDS = 1 << 3,
} controller_t;

static const struct {
        controller_t bit;
        const char *name, *v1_name;
} controllers[] = {
        { CTRL_CPU, "cpu", "cpu" },
        { CTRL_IO, "io", "blkio" },
        { CTRL_MEMORY, "memory", "memory" },
        { CTRL_PIDS, "pids", "pids" },
};

/* Which controllers the plan's limits need, and the option that needs each, for messages. */
static unsigned needed_controllers(const sandbox_plan_t *p, const char *why[4]) {
        unsigned need = 0;

        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++) {
                controller_t c;
                if (!(p->limits_set & (1U << k)))
                        continue;
                c = k <= LIMIT_MEMORY_SWAP ? CTRL_MEMORY
                    : k == LIMIT_PIDS      ? CTRL_PIDS
                    : k == LIMIT_IO_WEIGHT ? CTRL_IO
                                           : CTRL_CPU;
                for (size_t i = 0; i < ELEMENTSOF(controllers); i++)
                        if (controllers[i].bit == c && !(need & c))
                                why[i] = limit_kind_name(k);
                need |= c;
        }
        if (p->n_io_limits && !(need & CTRL_IO)) {
                need |= CTRL_IO;
                why[1] = p->io_limits[0].write ? "io-write-bps" : "io-read-bps";
        }
        return need;
}

/* Whether the space-separated word list in FILE (cgroup.controllers, ...) has WORD. */
static bool file_has_word(int dirfd, const char *file, const char *word) {
        _cleanup_free_ char *s = NULL;

        if (read_file_at(dirfd, file, &s, NULL) < 0)
                return false;
        for (char *t = strtok(s, " \n"); t; t = strtok(NULL, " \n"))
                if (strcmp(t, word) == 0)
                        return true;
        return false;
}

/* "key value" lines (memory.events, cpu.stat): the value of KEY, or false. */
static bool read_key(int dirfd, const char *file, const char *key, uint64_t *ret) {
        _cleanup_free_ char *s = NULL;
        size_t len = strlen(key);

        if (read_file_at(dirfd, file, &s, NULL) < 0)
                return false;
        for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
                if (strncmp(line, key, len) == 0 && line[len] == ' ')
                        return sscanf(line + len + 1, "%" SCNu64, ret) == 1;
        return false;
}

static bool read_number(int dirfd, const char *file, uint64_t *ret) {
        _cleanup_free_ char *s = NULL;

        return read_file_at(dirfd, file, &s, NULL) == 0 && sscanf(s, "%" SCNu64, ret) == 1;
}

/* The cgroup2 mount and the path of our cgroup under it. */
static int find_own_cgroup(char **ret_mount, char **ret_path, sandbox_error_t *e) {
        _cleanup_free_ char *cgroups = NULL, *mountinfo = NULL;
        char *own = NULL, *mount = NULL, *root = NULL;
        int r;

        if ((r = read_file_path("/proc/self/cgroup", &cgroups, NULL)) < 0)
                return error_errno(e, r, "reading /proc/self/cgroup");
        for (char *line = strtok(cgroups, "\n"); line; line = strtok(NULL, "\n"))
                if (strncmp(line, "0::", 3) == 0)
                        own = line + 3;
        if ((r = read_file_path("/proc/self/mountinfo", &mountinfo, NULL)) < 0)
                return error_errno(e, r, "reading /proc/self/mountinfo");
        for (char *line = strtok(mountinfo, "\n"); line && !mount; line = strtok(NULL, "\n")) {
                char *sep = strstr(line, " - "), *f[5];
                size_t n = 0;
                if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
                        continue;
                for (char *t = strtok_r(line, " ", &line); t && n < 5; t = strtok_r(NULL, " ", &line))
                        f[n++] = t;
                if (n == 5) {
                        root = f[3];
                        mount = f[4];
                }
        }
        if (!own || !mount) {
                error_msg(e, "no cgroup v2 hierarchy is mounted here, so the limits can't be applied");
                error_hint(e, "a cgroup2 filesystem at /sys/fs/cgroup is the default since systemd 247 "
                              "(boot with systemd.unified_cgroup_hierarchy=1 on older setups)");
                return -ENOENT;
        }
        /* Our cgroup as the mount shows it: paths are relative to our cgroup namespace, and the
         * mount may show a subtree of it. */
        if (strcmp(root, "/") != 0) {
                size_t len = strlen(root);
                if (strncmp(own, root, len) != 0 || (own[len] && own[len] != '/'))
                        return error_msg(e, "our cgroup %s is not under the cgroup2 mount at %s (its root is %s)", own,
                                         mount, root);
                own += len;
        }
        *ret_mount = xstrdup(mount);
        *ret_path = xasprintf("%s%s", mount, strcmp(own, "/") == 0 ? "" : own);
        return 0;
}

/* Controllers that are bound to a cgroup v1 hierarchy are missing from v2 on a hybrid host. */
static int check_not_v1(unsigned need, const char *why[4], sandbox_error_t *e) {
        _cleanup_free_ char *s = NULL;

        if (read_file_path("/proc/cgroups", &s, NULL) < 0)
                return 0; /* newer kernels may drop the file with v1 */
        for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
                char name[64];
                unsigned hierarchy;
                if (sscanf(line, "%63s %u", name, &hierarchy) != 2 || hierarchy == 0)
                        continue;
                for (size_t i = 0; i < ELEMENTSOF(controllers); i++)
                        if ((need & controllers[i].bit) && strcmp(name, controllers[i].v1_name) == 0) {
                                error_msg(e,
                                          "--limit %s: the %s controller is bound to cgroup v1 on this host "
                                          "(a hybrid or legacy hierarchy), so cgroup v2 can't limit it",
                                          why[i], controllers[i].name);
                                error_hint(e,
                                           "boot with systemd.unified_cgroup_hierarchy=1 (the default since "
                                           "Debian 11), or cgroup_no_v1=%s",
                                           controllers[i].v1_name);
                                return -EOPNOTSUPP;
                        }
        }
        return 0;
}

static bool in_init_cgroup_ns(void) {
        struct stat st;
        /* The initial cgroup namespace's inode number is fixed by the kernel (PROC_CGROUP_INIT_INO);
         * pid 1 is no reference: in a container it shares the container's namespace. */
        return stat("/proc/self/ns/cgroup", &st) < 0 || st.st_ino == 0xEFFFFFFBU;
}

/* Delegated to us: writable, and either marked so by whoever delegated it (systemd sets the
 * xattrs on a Delegate=yes unit; only user.* is readable without privilege), or where
 * ownership changes hands (a parent we can't write: chowned to us, as a delegation does), or
 * the root of our cgroup namespace (a container's delegated cgroup). Inside a systemd user
 * manager every cgroup is ours to write, but only the marked ones are ours to manage. */
static bool is_delegated(const char *dir, const char *mount) {
        char value[8] = "";
        _cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
        _cleanup_free_ char *subtree = xasprintf("%s/cgroup.subtree_control", dir);
        _cleanup_free_ char *parent = xasprintf("%s/..", dir);

        if (access(dir, W_OK) < 0 || access(procs, W_OK) < 0 || access(subtree, W_OK) < 0)
                return false;
        if (strcmp(dir, mount) == 0 && !in_init_cgroup_ns())
                return true;
        if ((getxattr(dir, "user.delegate", value, sizeof value - 1) > 0 && value[0] == '1') ||
            (getxattr(dir, "trusted.delegate", value, sizeof value - 1) > 0 && value[0] == '1'))
                return true;
        return access(parent, W_OK) < 0 && errno == EACCES;
}

static int find_delegated(const sandbox_plan_t *p, char **ret, sandbox_error_t *e) {
        _cleanup_free_ char *mount = NULL, *own = NULL;
        char *slash;
        int r;

        if ((r = find_own_cgroup(&mount, &own, e)) < 0)
                return r;
        if (p->cgroup_manager != CGROUP_MANAGER_SYSTEMD) {
                if (is_delegated(own, mount)) {
                        *ret = TAKE_PTR(own);
                        return 0;
                }
                /* An earlier sandbox moved us into the caller leaf: the delegated cgroup is its parent. */
                slash = strrchr(own, '/');
                if (slash && strcmp(slash + 1, CALLER_LEAF) == 0) {
                        *slash = 0;
                        if (is_delegated(own, mount)) {
                                *ret = TAKE_PTR(own);
                                return 0;
                        }
                        *slash = '/';
                }
        }
        if (p->cgroup_manager != CGROUP_MANAGER_CGROUPFS) {
                _cleanup_free_ char *name = xasprintf("sandbox-%d.scope", (int) getpid()), *scope = NULL;
                sandbox_error_t se = { 0 };
                if ((r = systemd_delegated_scope(name, getpid(), &scope, &se)) >= 0) {
                        *ret = xasprintf("%s%s", mount, scope);
                        return 0;
                }
                if (p->cgroup_manager == CGROUP_MANAGER_SYSTEMD) {
                        *e = se;
                        return r;
                }
                error_msg(e, "the cgroup %s is not delegated to us, and the user's systemd could not give us one (%s)",
                          own, se.msg);
                error_hint(
                        e,
                        "run it where a cgroup is delegated: systemd-run --user --scope -p Delegate=yes sandbox ...; "
                        "from an ssh session without a user manager, loginctl enable-linger $USER first");
                return -EPERM;
        }
        error_msg(e,
                  "--cgroup-manager cgroupfs: the cgroup %s is not delegated to us (not writable, or not marked "
                  "with the delegate xattr)",
                  own);
        error_hint(e, "run it in a delegated scope: systemd-run --user --scope -p Delegate=yes sandbox ..., "
                      "or use --cgroup-manager systemd");
        return -EPERM;
}

/* Moves every process of DIR into its caller leaf, so that DIR may enable controllers. */
static int evacuate(int dirfd, sandbox_error_t *e) {
        _cleanup_free_ char *procs = NULL;
        int r;

        if (mkdirat(dirfd, CALLER_LEAF, 0755) < 0 && errno != EEXIST)
                return error_errno(e, errno, "creating the cgroup %s for the processes already there", CALLER_LEAF);
        if ((r = read_file_at(dirfd, "cgroup.procs", &procs, NULL)) < 0)
                return error_errno(e, r, "reading cgroup.procs");
        for (char *pid = strtok(procs, "\n"); pid; pid = strtok(NULL, "\n"))
                if ((r = write_file_at(dirfd, CALLER_LEAF "/cgroup.procs", pid)) < 0 && r != -ESRCH)
                        return error_errno(e, r, "moving process %s into %s", pid, CALLER_LEAF);
        return 0;
}

static int enable_controllers(int dirfd, const char *dir, unsigned want, bool may_evacuate, sandbox_error_t *e) {
        char line[64] = "";
        int r = 0;

        for (size_t i = 0; i < ELEMENTSOF(controllers); i++)
                if ((want & controllers[i].bit) && !file_has_word(dirfd, "cgroup.subtree_control", controllers[i].name))
                        snprintf(line + strlen(line), sizeof line - strlen(line), "%s+%s", *line ? " " : "",
                                 controllers[i].name);
        if (!*line)
                return 0;
        /* New processes may arrive in between (the caller's shell forks): try a few times. */
        for (int attempt = 0; attempt < 5; attempt++) {
                if (may_evacuate && (r = evacuate(dirfd, e)) < 0)
                        return r;
                r = write_file_at(dirfd, "cgroup.subtree_control", line);
                if (r != -EBUSY || !may_evacuate)
                        break;
        }
        if (r < 0)
                return error_errno(e, r, "enabling '%s' in %s/cgroup.subtree_control", line, dir);
        return 0;
}

/* Depth first: the command may have made cgroups of its own under cmd. */
static void remove_tree(int parentfd, const char *name) {
        _cleanup_close_ int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;
        struct dirent *de;

        if (fd < 0)
                return;
        d = fdopendir(fd);
        if (!d)
                return;
        fd = -1; /* the DIR owns it now */
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        remove_tree(dirfd(d), de->d_name);
        closedir(d);
        /* A killed task may still be leaving (its exit not finished) after "populated 0" was
         * seen above: rmdir says EBUSY until it has. Bounded, at most 5 s. */
        for (int i = 0; i < 50 && unlinkat(parentfd, name, AT_REMOVEDIR) < 0 && errno == EBUSY; i++) {
                _cleanup_close_ int events = openat(parentfd, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
                _cleanup_close_ int efd = events >= 0 ? openat(events, "cgroup.events", O_RDONLY | O_CLOEXEC) : -1;
                struct pollfd pfd = { .fd = efd, .events = POLLPRI };
                (void) poll(&pfd, 1, 100);
        }
}

static void kill_tree(int dirfd) {
        /* cgroup.kill (Linux 5.14) is atomic; before it, freeze and SIGKILL what is listed. */
        if (write_file_at(dirfd, "cgroup.kill", "1") >= 0)
                return;
        (void) write_file_at(dirfd, "cgroup.freeze", "1");
        for (int round = 0; round < 100; round++) {
                bool any = false;
                for (size_t i = 0; i < 2; i++) {
                        _cleanup_free_ char *procs = NULL;
                        if (read_file_at(dirfd, i == 0 ? "cgroup.procs" : "cmd/cgroup.procs", &procs, NULL) >= 0)
                                for (char *pid = strtok(procs, "\n"); pid; pid = strtok(NULL, "\n"))
                                        any |= kill(atoi(pid), SIGKILL) == 0;
                }
                if (!any)
                        break;
        }
        (void) write_file_at(dirfd, "cgroup.freeze", "0");
}

/* Waits (at most 10 s) until nothing is left in the cgroup: cgroup.events turns "populated 0". */
static void wait_empty(int dirfd) {
        _cleanup_close_ int fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
        uint64_t populated = 1;

        for (int i = 0; fd >= 0 && i < 100; i++) {
                struct pollfd pfd = { .fd = fd, .events = POLLPRI };
                if (!read_key(dirfd, "cgroup.events", "populated", &populated) || populated == 0)
                        return;
                (void) poll(&pfd, 1, 100);
        }
}

/* Sandboxes whose monitor is gone (SIGKILLed) left their cgroup: empty it and remove it. */
static void remove_stale(int basefd) {
        _cleanup_close_ int fd = openat(basefd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!d)
                return;
        fd = -1;
        while ((de = readdir(d))) {
                int pid;
                char end;
                if (de->d_type != DT_DIR || sscanf(de->d_name, "sandbox-%d%c", &pid, &end) != 1 || pid <= 0 ||
                    kill(pid, 0) == 0 || errno != ESRCH) {
                        continue;
                }
                {
                        _cleanup_close_ int sfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (sfd < 0)
                                continue;
                        kill_tree(sfd);
                        wait_empty(sfd);
                }
                remove_tree(dirfd(d), de->d_name);
        }
        closedir(d);
}

static int write_limits(const sandbox_plan_t *p, int fd, const char *dir, bool *ret_oom_group, sandbox_error_t *e) {
        static const char *const files[_LIMIT_MAX] = {
                [LIMIT_MEMORY] = "memory.max",
                [LIMIT_MEMORY_HIGH] = "memory.high",
                [LIMIT_MEMORY_SWAP] = "memory.swap.max",
                [LIMIT_PIDS] = "pids.max",
                [LIMIT_CPU] = "cpu.max",
                [LIMIT_CPU_WEIGHT] = "cpu.weight",
                [LIMIT_IO_WEIGHT] = "io.weight",
        };
        char value[128];
        int r;

        for (limit_kind_t k = 0; k < _LIMIT_MAX; k++) {
                unsigned long long v = p->limits[k];
                if (!(p->limits_set & (1U << k)))
                        continue;
                if (k == LIMIT_CPU)
                        snprintf(value, sizeof value, "%llu 100000", v);
                else if (k == LIMIT_IO_WEIGHT)
                        snprintf(value, sizeof value, "default %llu", v);
                else if (v == ULLONG_MAX)
                        snprintf(value, sizeof value, "max");
                else
                        snprintf(value, sizeof value, "%llu", v);
                if ((r = write_file_at(fd, files[k], value)) < 0) {
                        error_errno(e, r, "--limit %s: writing '%s' to %s/%s", limit_kind_name(k), value, dir,
                                    files[k]);
                        if (k == LIMIT_MEMORY_SWAP && r == -ENOENT)
                                error_hint(e, "swap accounting is off in this kernel: boot with swapaccount=1");
                        return r;
                }
        }
        for (size_t i = 0; i < p->n_io_limits; i++) {
                const io_limit_t *io = &p->io_limits[i];
                snprintf(value, sizeof value, "%s %s=%llu", io->dev, io->write ? "wbps" : "rbps", io->bps);
                if ((r = write_file_at(fd, "io.max", value)) < 0)
                        return error_errno(e, r, "--limit %s %s: writing '%s' to %s/io.max",
                                           io->write ? "io-write-bps" : "io-read-bps", io->device, value, dir);
        }
        /* An OOM kill takes the whole sandbox: the command and its helpers end together. */
        if (p->limits_set & (1U << LIMIT_MEMORY)) {
                r = write_file_at(fd, "memory.oom.group", "1");
                if (r < 0 && r != -ENOENT)
                        return error_errno(e, r, "writing %s/memory.oom.group", dir);
                *ret_oom_group = r >= 0;
        }
        return 0;
}

static int make_sandbox_cgroup(const sandbox_plan_t *p, cgroup_t *cg, unsigned need, sandbox_error_t *e) {
        _cleanup_close_ int basefd = open(cg->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *name = xasprintf("sandbox-%d", (int) getpid());
        unsigned available = 0;
        int r;

        if (basefd < 0)
                return error_errno(e, errno, "opening the cgroup %s", cg->base);
        remove_stale(basefd);
        for (size_t i = 0; i < ELEMENTSOF(controllers); i++)
                if (file_has_word(basefd, "cgroup.controllers", controllers[i].name))
                        available |= controllers[i].bit;
        for (size_t i = 0; i < ELEMENTSOF(controllers); i++)
                if ((need & controllers[i].bit) && !(available & controllers[i].bit)) {
                        error_msg(e, "the %s controller is not delegated to the cgroup %s", controllers[i].name,
                                  cg->base);
                        error_hint(e, CONTROLLER_HINT_DELEGATE);
                        return -EOPNOTSUPP;
                }
        /* Figures for --stats come from what is there; limits need theirs. */
        if ((r = enable_controllers(basefd, cg->base, available & (CTRL_CPU | CTRL_IO | CTRL_MEMORY | CTRL_PIDS), true,
                                    e)) < 0)
                return r;
        if (mkdirat(basefd, name, 0755) < 0)
                return error_errno(e, errno, "creating the cgroup %s/%s", cg->base, name);
        cg->path = xasprintf("%s/%s", cg->base, name);
        cg->dir_fd = openat(basefd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->dir_fd < 0)
                return error_errno(e, errno, "opening the cgroup %s", cg->path);
        /* The command may make cgroups of its own below cmd, with the same controllers. */
        if ((r = enable_controllers(cg->dir_fd, cg->path, available, false, e)) < 0 ||
            (r = write_limits(p, cg->dir_fd, cg->path, &cg->oom_group, e)) < 0)
                return r;
        if (mkdirat(cg->dir_fd, "cmd", 0755) < 0)
                return error_errno(e, errno, "creating the cgroup %s/cmd", cg->path);
        cg->leaf_fd = openat(cg->dir_fd, "cmd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cg->leaf_fd < 0)
                return error_errno(e, errno, "opening the cgroup %s/cmd", cg->path);
        return 0;
}

int cgroup_check_devices(sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_io_limits; i++) {
                io_limit_t *io = &p->io_limits[i];
                const char *opt = io->write ? "io-write-bps" : "io-read-bps";
                struct stat st;

                if (io->device[0] != '/') {
                        snprintf(io->dev, sizeof io->dev, "%s", io->device);
                        continue;
                }
                if (stat(io->device, &st) < 0)
                        return error_errno(e, errno, "--limit %s %s", opt, io->device);
                if (!S_ISBLK(st.st_mode))
                        return error_msg(e, "--limit %s %s: not a block device", opt, io->device);
                snprintf(io->dev, sizeof io->dev, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
        }
        return 0;
}

int cgroup_setup(const sandbox_plan_t *p, cgroup_t *cg, sandbox_error_t *e) {
        const char *why[4] = { NULL };
        unsigned need = needed_controllers(p, why);
        int r;

        *cg = CGROUP_NULL;
        if ((r = check_not_v1(need, why, e)) < 0 || (r = find_delegated(p, &cg->base, e)) < 0)
                return r;
        if ((r = make_sandbox_cgroup(p, cg, need, e)) < 0) {
                cgroup_finish(cg, NULL);
                return r;
        }
        return 0;
}

int cgroup_enter(const cgroup_t *cg, pid_t pid, sandbox_error_t *e) {
        char buf[32];
        int r;

        snprintf(buf, sizeof buf, "%d", (int) pid);
        if ((r = write_file_at(cg->leaf_fd, "cgroup.procs", buf)) < 0)
                return error_errno(e, r, "moving the sandbox into the cgroup %s/cmd", cg->path);
        return 0;
}

void cgroup_kill(const cgroup_t *cg) {
        if (cg->dir_fd >= 0)
                kill_tree(cg->dir_fd);
}

/* memory.events counts, for the cgroup and everything below it, oom_kill: one per process the
 * OOM killer kills, and oom_group_kill (Linux 5.17): one per kill of a whole memory.oom.group
 * cgroup. A group kill kills its victim, counting it, and then every process of the group, the
 * victim again among them (mm/oom_kill.c: oom_kill_process(), oom_kill_memcg_member()): one
 * OOM-killed command in a sandbox with a pid 1 of ours made oom_kill 3. Each group kill is
 * taken off once here; memory.events.local says whether the sandbox's own cgroup was the group
 * (rather than one the command made below it). Before 5.17 a group kill can't be told apart:
 * with memory.oom.group set, any OOM kill was one (the first takes the whole sandbox). */
static void read_oom_kills(const cgroup_t *cg, cgroup_report_t *r) {
        uint64_t kills = 0, groups = 0, own = 0;

        r->have_oom = read_key(cg->dir_fd, "memory.events", "oom_kill", &kills);
        if (!r->have_oom)
                return;
        if (read_key(cg->dir_fd, "memory.events", "oom_group_kill", &groups))
                (void) read_key(cg->dir_fd, "memory.events.local", "oom_group_kill", &own);
        else
                groups = own = cg->oom_group && kills > 0;
        r->oom_kills = kills > groups ? kills - groups : 0;
        r->oom_group_killed = own > 0;
}

static void read_report(const cgroup_t *cg, cgroup_report_t *r) {
        int fd = cg->dir_fd;

        *r = (cgroup_report_t){ 0 };
        read_oom_kills(cg, r);
        r->have_pids_events = read_key(fd, "pids.events", "max", &r->pids_max_events);
        r->have_memory = read_number(fd, "memory.peak", &r->memory_peak);
        r->have_pids_peak = read_number(fd, "pids.peak", &r->pids_peak);
        (void) read_key(fd, "cpu.stat", "usage_usec", &r->usage_usec);
        (void) read_key(fd, "cpu.stat", "user_usec", &r->user_usec);
        (void) read_key(fd, "cpu.stat", "system_usec", &r->system_usec);
        r->have_cpu_max = read_key(fd, "cpu.stat", "nr_throttled", &r->nr_throttled);
}

void cgroup_finish(cgroup_t *cg, cgroup_report_t *report) {
        if (cg->dir_fd >= 0) {
                kill_tree(cg->dir_fd);
                wait_empty(cg->dir_fd);
                if (report) {
                        uint64_t leaf = 0;
                        read_report(cg, report);
                        /* Before Linux 6.11 a refused fork counts in the forking task's cgroup (cmd),
                         * since then also up to where pids.max is: the larger says it. */
                        if (cg->leaf_fd >= 0 && read_key(cg->leaf_fd, "pids.events", "max", &leaf) &&
                            leaf > report->pids_max_events)
                                report->pids_max_events = leaf;
                }
        }
        closep(&cg->leaf_fd);
        closep(&cg->dir_fd);
        if (cg->path) {
                _cleanup_close_ int basefd = open(cg->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (basefd >= 0)
                        remove_tree(basefd, strrchr(cg->path, '/') + 1);
        }
        free(cg->path);
        free(cg->base);
        *cg = CGROUP_NULL;
}
