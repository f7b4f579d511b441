/* SPDX-License-Identifier: MIT */
#include "spawn.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "init.h"
#include "status.h"
#include "userns.h"

int spawn_join_namespaces(const sandbox_plan_t *p, sandbox_error_t *e) {
        if (p->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return error_errno(e, errno, "--die-with-parent");
        if (p->userns_fd >= 0 && setns(p->userns_fd, CLONE_NEWUSER) < 0)
                return error_errno(e, errno, "--userns %d: entering the user namespace", p->userns_fd);
        if (p->pidns_fd >= 0 && setns(p->pidns_fd, CLONE_NEWPID) < 0)
                return error_errno(e, errno, "--pidns %d: entering the pid namespace", p->pidns_fd);
        return 0;
}

static unsigned long clone_flags(unsigned ns) {
        return CLONE_NEWNS | (ns & NS_USER ? CLONE_NEWUSER : 0) | (ns & NS_IPC ? CLONE_NEWIPC : 0) |
               (ns & NS_PID ? CLONE_NEWPID : 0) | (ns & NS_NET ? CLONE_NEWNET : 0) | (ns & NS_UTS ? CLONE_NEWUTS : 0) |
               (ns & NS_CGROUP ? CLONE_NEWCGROUP : 0);
}

/* fork() into new namespaces. clone3 first (it carries CLONE_INTO_CGROUP); plain clone where
 * the kernel lacks it (before 5.3). */
static pid_t clone_child(unsigned long flags, int cgroup_fd) {
        /* With CLONE_PARENT the child inherits the caller's exit signal; clone3 wants 0 then. */
        int sig = flags & CLONE_PARENT ? 0 : SIGCHLD;
        struct clone_args args = { .flags = flags, .exit_signal = (unsigned) sig };
        long pid;

        if (cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t) cgroup_fd;
        }
        pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid < 0 && errno == ENOSYS && cgroup_fd < 0)
                pid = syscall(SYS_clone, flags | (unsigned long) sig, NULL, NULL, NULL, NULL);
        return (pid_t) pid;
}

/* The pid of a pidfd's process as our /proc sees it: clone() in another pid namespace
 * returns the pid in that one. */
static pid_t pidfd_host_pid(int pidfd) {
        _cleanup_fclose_ FILE *f = NULL;
        char path[64], line[128];
        int pid = -1;

        snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
        f = fopen(path, "re");
        while (f && fgets(line, sizeof line, f))
                if (sscanf(line, "Pid: %d", &pid) == 1)
                        break;
        return pid;
}

/* In the short-lived process of clone_child_from_pidns(): clones the child as a sibling and
 * writes its host pid (or -errno) to `out`. */
static _noreturn_ void clone_sibling(launch_t *launch, unsigned long flags, int cgroup_fd, int out) {
        int pidfd = -1;
        struct clone_args args = {
                .flags = flags | CLONE_PARENT | CLONE_PIDFD,
                .pidfd = (uint64_t) (uintptr_t) &pidfd,
        };
        long r;

        if (cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t) cgroup_fd;
        }
        r = syscall(SYS_clone3, &args, sizeof args);
        if (r == 0)
                child_main(launch);
        r = r < 0 ? -errno : pidfd_host_pid(pidfd);
        (void) write_full(out, &r, sizeof r);
        _exit(0);
}

/* --pidns with --unshare-pid: a new pid namespace can only be made from inside the given
 * one, which setns() doesn't put us in (only our children). A short-lived process there
 * clones the child with CLONE_PARENT, so that it is still ours to wait for. */
static pid_t clone_child_from_pidns(launch_t *launch, unsigned long flags, int cgroup_fd) {
        int fds[2], status;
        pid_t mid, pid = -1;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -1;
        mid = fork();
        if (mid == 0)
                clone_sibling(launch, flags, cgroup_fd, fds[1]);
        closep(&fds[1]);
        if (mid > 0) {
                long r = -EIO;
                if (read_full(fds[0], &r, sizeof r) == (ssize_t) sizeof r && r > 0)
                        pid = (pid_t) r;
                else
                        errno = r < 0 ? (int) -r : EIO;
                while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
                        ;
        }
        closep(&fds[0]);
        return pid;
}

/* The child of init_stub_prepare(): on a copy of the launch, so that what it changes there stays
 * its own; the rest of our memory it leaves as it found it (child.c). */
static int shared_child(void *arg) {
        launch_t copy = *(const launch_t *) arg;

        child_main(&copy);
}

/* Into new namespaces, sharing our memory as posix_spawn()'s child does, on a stack of its own;
 * we are suspended until it has become pid 1 (or died). -1 with errno ENOMEM where no stack can
 * be had: the caller forks instead. */
static pid_t clone_shared(launch_t *launch, unsigned long flags) {
        const size_t size = 1024 * 1024, guard = (size_t) sysconf(_SC_PAGESIZE);
        /* Kept until we exit: unmapping it would flush the TLB on the launch's critical path. */
        static char *stack;

        if (!stack) {
                char *base = mmap(NULL, size + guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
                if (base == MAP_FAILED)
                        return -1;
                if (mprotect(base + guard, size, PROT_READ | PROT_WRITE) < 0) {
                        munmap(base, size + guard);
                        errno = ENOMEM;
                        return -1;
                }
                stack = base + guard;
        }
        return clone(shared_child, stack + size, (int) flags | CLONE_VM | CLONE_VFORK | SIGCHLD, launch);
}

static int clone_failed(sandbox_error_t *e) {
        int err = errno;

        error_errno(e, err, "creating the sandbox's namespaces");
        if (err == EPERM || err == ENOSPC)
                error_hint(e, "unprivileged user namespaces may be disabled: check the sysctls "
                              "kernel.unprivileged_userns_clone and user.max_user_namespaces, and AppArmor's "
                              "kernel.apparmor_restrict_unprivileged_userns");
        return -err;
}

int spawn_child(launch_t *launch, pid_t *ret_pid, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        unsigned ns = p->unshare & ~NS_TIME;
        pid_t pid;
        int r;

        /* Limits hold only if the command can't move itself out: the cgroup namespace rooted at
         * its cgroup keeps every other one out of its reach. */
        if (launch->cgroup_used)
                ns |= NS_CGROUP;
        /* The -try namespaces are dropped one at a time when the kernel refuses them. */
        if ((p->unshare_try & NS_CGROUP) && !launch->cgroup_used && access("/proc/self/ns/cgroup", F_OK) < 0)
                ns &= ~NS_CGROUP;
        (void) init_stub_prepare(launch);
        for (;;) {
                int cgroup_fd = launch->cgroup_gate ? -1 : launch->cgroup.leaf_fd;
                unsigned long flags = clone_flags(launch->cgroup_gate ? ns & ~NS_CGROUP : ns);

                launch->namespaces = ns | (p->unshare & NS_TIME);
                if (launch->stub_fd >= 0 && (pid = clone_shared(launch, flags)) < 0 && errno == ENOMEM)
                        closep(&launch->stub_fd);
                if (launch->stub_fd < 0)
                        pid = p->pidns_fd >= 0 && (ns & NS_PID) ? clone_child_from_pidns(launch, flags, cgroup_fd)
                                                                : clone_child(flags, cgroup_fd);
                if (pid == 0)
                        child_main(launch);
                if (pid > 0)
                        break;
                /* Before Linux 5.7 clone3 can't start the child in a cgroup (E2BIG: the field is
                 * unknown): the parent moves it there before letting it go on. */
                if (cgroup_fd >= 0 && (errno == E2BIG || errno == EINVAL || errno == ENOSYS)) {
                        launch->cgroup_gate = true;
                        continue;
                }
                if ((errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS) &&
                    (p->unshare_try & ns & NS_USER)) {
                        ns &= ~NS_USER;
                        continue;
                }
                r = clone_failed(e);
                closep(&launch->stub_fd);
                return r;
        }
        /* It has become pid 1 (or died): the stub's memfd has served. */
        closep(&launch->stub_fd);
        /* Also here, not only in the child: no window in which a signal meant for the caller's
         * group could reach it (EACCES: it has exec'd, so it did it itself). With --new-session
         * it makes a session of its own, which a group leader can't. */
        if (!p->new_session)
                (void) setpgid(pid, pid);
        *ret_pid = pid;
        return 0;
}

static int release_into_cgroup(launch_t *launch, pid_t child, sandbox_error_t *e) {
        int r = cgroup_enter(&launch->cgroup, child, e);

        if (r >= 0 && (r = write_full(launch->sock, "c", 1)) < 0)
                error_errno(e, r, "releasing the sandbox into its cgroup");
        return r;
}

int spawn_release(launch_t *launch, pid_t child, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        bool status = launch_wants_status(p); /* before --info-fd is closed below */
        int r = 0;

        if (launch->cgroup_gate)
                r = release_into_cgroup(launch, child, e);
        if (r >= 0 && (p->n_uid_maps || p->n_gid_maps)) {
                r = userns_run_map_helpers(p, child, e);
                if (r >= 0 && (r = write_full(launch->sock, "g", 1)) < 0)
                        error_errno(e, r, "releasing the sandbox");
        }
        if (r >= 0 && p->info_fd >= 0) {
                r = status_write_info(p->info_fd, child, launch->namespaces, true, e);
                closep(&p->info_fd);
        }
        if (r >= 0 && p->json_status_fd >= 0)
                r = status_write_info(p->json_status_fd, child, launch->namespaces, false, e);
        /* A pid 1 waits for this before it locks itself down (see init_main()). Without one,
         * nobody reads it, and the command may already have run and ended: EPIPE. */
        if (r >= 0 && status && launch_has_init(p) && (r = write_full(launch->sock, "s", 1)) < 0)
                error_errno(e, r, "releasing the sandbox's pid 1");
        if (r < 0)
                kill(child, SIGKILL);
        return r;
}
