/* SPDX-License-Identifier: MIT */
#include "launch.h"
#include "landlock.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>

int launch_exit_setup_code(const sandbox_plan_t *p) {
        return p->bwrap_mode ? 1 : EXIT_SETUP;
}

int launch_exit_code_for_error(const sandbox_plan_t *p, const sandbox_error_t *e) {
        if (e->stage == STAGE_EXEC && !p->bwrap_mode)
                return e->err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
        return launch_exit_setup_code(p);
}

bool launch_has_init(const sandbox_plan_t *p) {
        /* Locks and sync fds are held by a process that outlives the command's exec. */
        return ((p->unshare & NS_PID) && !p->as_pid_1) || p->n_lock_files || p->n_sync_fds;
}

bool launch_fences_init(const sandbox_plan_t *p) {
        /* Only where our pid 1 is the command's init: elsewhere the command may signal outside. */
        return (p->unshare & NS_PID) && landlock_can_fence();
}

bool launch_wants_status(const sandbox_plan_t *p) {
        return p->info_fd >= 0 || p->json_status_fd >= 0;
}

bool launch_parent_gone(const launch_t *launch, pid_t parent) {
        struct pollfd pfd = { .fd = launch->sock, .events = POLLRDHUP };

        if (parent != 0)
                return getppid() != parent;
        return launch->sock < 0 || (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLRDHUP)));
}

void launch_rearm_parent_death(const launch_t *launch, pid_t parent) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || launch_parent_gone(launch, parent))
                _exit(launch_exit_setup_code(launch->plan));
}
