/* SPDX-License-Identifier: MIT */
/* What one launch carries from the parent into the child besides the plan, and the exit codes
 * every stage agrees on. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "helper.h"
#include "plan.h"
#include "seccomp.h"

#define EXIT_TIMEOUT 124
#define EXIT_SETUP 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127
#define EXIT_OOM 137

typedef struct launch {
        sandbox_plan_t *plan;
        seccomp_program_t *seccomp;
        size_t n_seccomp;
        seccomp_program_t init_filter; /* our pid 1's own, whatever the policy (empty: none) */
        size_t n_seccomp_policy;       /* the first ones, compiled from the policy */
        uid_t real_uid;
        gid_t real_gid;
        pid_t monitor;
        unsigned namespaces; /* what was really created (the -try ones may be missing) */
        int sock;            /* child -> parent: sandbox_error_t; parent -> child: "go" */
        int monitor_end;     /* the monitor's end of sock: the child closes it, so that a
                                 * hang-up on sock means the monitor is gone */
        int status_pipe;     /* pid 1 -> parent: the command's wait statuses */
        int tty;             /* the controlling terminal when we are its foreground job, else -1 */
        char *old_cwd;
        mode_t umask;
        cgroup_t cgroup;  /* the sandbox's, when limits or --stats ask for one */
        bool cgroup_used; /* cgroup was made (it stays true once cgroup_finish() has run) */
        bool cgroup_gate; /* the child waits for the parent to move it into the cgroup */
        bool legacy;      /* SANDBOX_TEST_LEGACY=1: the fallbacks for old kernels (tests) */
        /* Desktop: the app's XDG_RUNTIME_DIR on the host, made for this launch and removed after it
         * (helpers' sockets are made in it), and the instance id that names it. */
        char *runtime_dir;
        char *instance_id;
        helper_t helpers[4]; /* started before the clone, attached to the monitor after it */
        size_t n_helpers;
        int held_fds[4]; /* kept open while the sandbox runs (the Wayland close fd) */
        size_t n_held_fds;
        int notify_fd; /* the seccomp listener, once the child has passed it (-1 without) */
        /* The listener path (notify.h): seccomp[listener_prog] is installed with a listener (-1:
         * none), or where none can be had, the plain listener_fallback programs in its place. */
        int listener_prog;
        seccomp_program_t *listener_fallback;
        size_t n_listener_fallback;
        /* Pid 1's own program in a memfd, where the child shares our memory until it becomes pid 1
         * (init_stub_prepare() in init.h); -1: the child is forked. */
        int stub_fd;
} launch_t;

#define LAUNCH_INIT \
        { \
                .sock = -1, .monitor_end = -1, .status_pipe = -1, .tty = -1, .cgroup = CGROUP_NULL, .notify_fd = -1, \
                .listener_prog = -1, .stub_fd = -1 \
        }

/* 1 under the name bwrap, as bubblewrap exits on its own errors; 125 otherwise. */
int launch_exit_setup_code(const sandbox_plan_t *p);
/* The exit status for an error that stopped the launch: 126/127 for a command that couldn't
 * be executed or found. */
int launch_exit_code_for_error(const sandbox_plan_t *p, const sandbox_error_t *e);
/* Whether a pid 1 of ours stays beside the command (reaping, holding locks and sync fds). */
bool launch_has_init(const sandbox_plan_t *p);
/* Whether the command is fenced off from our pid 1 by Landlock, which then stays dumpable. */
bool launch_fences_init(const sandbox_plan_t *p);
/* --info-fd/--json-status-fd: the parent reads the namespaces from our /proc/PID/ns. */
bool launch_wants_status(const sandbox_plan_t *p);

/* Whether the process PR_SET_PDEATHSIG watches has died: PARENT is what getppid() said before,
 * or 0 for a parent outside our pid namespace (the monitor), whose end of the channel then
 * hangs up. */
bool launch_parent_gone(const launch_t *launch, pid_t parent);
/* A change of uid or gid clears PR_SET_PDEATHSIG: armed again after one, then the parent is
 * checked, since it may have died in between. Exits when it has. */
void launch_rearm_parent_death(const launch_t *launch, pid_t parent);
