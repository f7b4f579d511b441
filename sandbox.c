/* SPDX-License-Identifier: MIT */
/* sandbox: run a command in new namespaces, in an empty root holding only what was asked.
 *
 * The story of a launch: parse -> check and compile -> clone -> (child: user namespace, mounts,
 * process state, exec; setup/child.c) -> monitor -> exit status. This is the only file that
 * prints a final error and exits; everything it calls returns -errno and fills a
 * sandbox_error_t. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "setup/cgroup.h"
#include "setup/child.h"
#include "setup/desktop.h"
#include "setup/init.h"
#include "setup/launch.h"
#include "setup/learn.h"
#include "setup/limits.h"
#include "setup/monitor.h"
#include "setup/notify.h"
#include "setup/options.h"
#include "setup/policy.h"
#include "setup/prepare.h"
#include "setup/seccomp-embedded.h"
#include "setup/spawn.h"
#include "setup/status.h"
#include "setup/util.h"

/* The cgroup to remove if the launch fails after making it. */
static cgroup_t *made_cgroup;

static _noreturn_ void die(const sandbox_plan_t *p, const sandbox_error_t *e) {
        log_sandbox_error(e);
        if (made_cgroup)
                cgroup_finish(made_cgroup, NULL);
        exit(launch_exit_setup_code(p));
}

#ifdef __SANITIZE_ADDRESS__
/* In CI's sanitizer pass: LeakSanitizer traces the process, which fails for one that is
 * not dumpable, as a setuid copy is (the refusal test runs one), and hangs for one that has
 * entered another pid namespace (--pidns): its tracer is cloned there and can't see us. */
static bool lsan_off;
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) {
        return lsan_off || getauxval(AT_SECURE) != 0;
}
#endif

/* Installed setuid or with file capabilities, a bug here would hand out privilege. */
static int refuse_privileged(sandbox_error_t *e) {
        if (getauxval(AT_SECURE) || geteuid() != getuid() || getegid() != getgid()) {
                error_msg(e, "refusing to run with elevated privileges (setuid, setgid or file capabilities)");
                error_hint(e, "sandbox needs no privilege: remove the bit with 'chmod u-s,g-s' or the capabilities "
                              "with 'setcap -r' on the binary");
                return -EPERM;
        }
        return 0;
}

static const char *env_lookup(const char *name) {
        return getenv(name);
}

static char *canonical_path(const char *path) {
        return realpath(path, NULL);
}

/* --help, --version, --print-policy, --check-policy, --export-pfc: done once the options are parsed. */
static int run_action(const sandbox_plan_t *p, const char *argv0, sandbox_error_t *e) {
        switch (p->action) {
        case ACTION_EXPORT_PFC:
                fflush(stdout);
                return seccomp_export_pfc_plan(p, STDOUT_FILENO, e);
        case ACTION_HELP:
                options_help(stdout, argv0, p->bwrap_mode, policy_list_builtin);
                break;
        case ACTION_PRINT_POLICY:
                options_print_policy(stdout, p);
                seccomp_print_plan(stdout, p);
                break;
        case ACTION_CHECK_POLICY:
                /* The sources the launch would open must be there too: file:line says whose. */
                if (options_check_sources(p, e) < 0)
                        return -1;
                printf("%s: ok\n", p->check_policy);
                break;
        case ACTION_VERSION:
                /* Exactly bubblewrap's line: scripts compare versions with it. */
                if (p->bwrap_mode)
                        printf("bubblewrap %s\n", BWRAP_COMPAT_VERSION);
                else
                        printf("sandbox %s\n", SANDBOX_VERSION);
                break;
        case ACTION_RUN:
                break;
        }
        return 0;
}

/* Everything that can fail before a namespace exists: checks, filters, the cgroup, the timer,
 * the channel to the child. */
static int prepare_launch(launch_t *launch, int *ret_timer, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        int socks[2], pipefd[2], r;

        e->stage = STAGE_PREPARE;
        launch->real_uid = getuid();
        launch->real_gid = getgid();
        launch->legacy = getenv("SANDBOX_TEST_LEGACY") && strcmp(getenv("SANDBOX_TEST_LEGACY"), "1") == 0;
        if ((r = options_validate(p, launch->real_uid, e)) < 0 || (r = options_check_fds(p, e)) < 0 ||
            (r = prepare_desktop(launch, e)) < 0 || (r = prepare_check(p, e)) < 0 ||
            (r = cgroup_check_devices(p, e)) < 0 || (r = prepare_seccomp(launch, e)) < 0)
                return r;
        if ((*ret_timer = monitor_arm_timeout(p, e)) < -1)
                return *ret_timer;
        /* --limit fails closed; --stats makes do without a cgroup, --limit-try falls back to rlimits. */
        if ((r = prepare_cgroup(launch, e)) < 0)
                return r;
        if (launch->cgroup_used)
                made_cgroup = &launch->cgroup;
        launch->old_cwd = getcwd(NULL, 0);
        launch->umask = umask(0022);
        umask(launch->umask);
        launch->monitor = getpid();
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
                return error_errno(e, errno, "creating the channel to the sandbox");
        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                closep(&socks[0]);
                closep(&socks[1]);
                return error_errno(e, errno, "creating the channel to the sandbox");
        }
        launch->sock = socks[1];
        launch->monitor_end = socks[0];
        launch->status_pipe = pipefd[1];
        launch->tty = monitor_find_terminal();
        /* The parent's ends wait for the clone: the child takes its own from here. */
        return pipefd[0];
}

/* The command's end, as the exit status and the messages that explain it. */
static int command_result(launch_t *launch, const monitor_result_t *result) {
        const sandbox_plan_t *p = launch->plan;
        int status = result->have_status ? result->command_status : result->child_status;
        int code = init_exit_status(status);
        cgroup_report_t report;

        if (launch->cgroup_used) {
                cgroup_finish(&launch->cgroup, &report);
                made_cgroup = NULL;
                if (status_report_limits(p, &report, status, result->child_status))
                        code = EXIT_OOM;
        }
        if (result->timed_out) {
                status_report_timeout(p, result->timeout_killed);
                code = EXIT_TIMEOUT;
        }
        /* Our pid 1 ended before the command's end was known: it is the one to name. */
        if (!result->have_status && launch_has_init(p) && WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
                status_report_init_killed(WTERMSIG(status));
        /* A denial by name: which rule killed the command. */
        else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS && p->n_rules)
                status_report_sigsys(p);
        /* Last, so that the figures are the block that ends the output. */
        if (p->stats)
                status_report_stats(p, launch->cgroup_used ? &report : NULL, &result->usage);
        if (p->json_status_fd >= 0)
                (void) status_write_exit(p->json_status_fd, code, launch->cgroup_used ? &report : NULL,
                                         p->stats ? &result->usage : NULL, &(sandbox_error_t){ 0 });
        return code;
}

/* The child's setup failed: its message, and the status that says what kind of failure. */
static int setup_failed(launch_t *launch, const monitor_result_t *result) {
        int code = launch_exit_code_for_error(launch->plan, &result->error);
        sandbox_error_t error = result->error;

        /* A command not found: the host's side of why, which the child couldn't see. */
        child_explain_exec_error(launch->plan, &error);
        log_sandbox_error(&error);
        if (made_cgroup)
                cgroup_finish(made_cgroup, NULL);
        /* No "exit-code" in --json-status-fd: as in bubblewrap, it is only there for a command that ran. */
        return code;
}

/* Safe by default: as `sandbox`, the built-in one applies under any policy, unless one of them
 * or the command line says no-default-policy, or one included it already (its directives only
 * add confinement, so applying it after the options is the same). */
static int apply_default_policy(sandbox_plan_t *p, const options_io_t *io, sandbox_error_t *e) {
        int r;

        if (p->bwrap_mode || p->no_default_policy || p->default_included ||
            (p->action != ACTION_RUN && p->action != ACTION_PRINT_POLICY && p->action != ACTION_EXPORT_PFC))
                return 0;
        /* Its filter was compiled at build time: its rules stay text unless more are added. */
        p->default_defer = true;
        r = policy_load(p, "default", NULL, io, e);
        p->default_defer = false;
        return r < 0 ? r : seccomp_settle_default(p, e);
}

/* The exit status, from the command's end or the setup's failure, once the learned policy (if
 * any) is written; and what the launch held, released. */
static int finish(launch_t *launch, monitor_t *monitor) {
        const monitor_result_t *result = &monitor->result;
        int code = result->have_error ? setup_failed(launch, result) : command_result(launch, result);
        sandbox_error_t e = { .stage = STAGE_PREPARE };

        /* The learned policy was written when the supervisor saw the sandbox end. */
        if (!result->have_error && learn_finish(&e) < 0) {
                log_sandbox_error(&e);
                code = launch_exit_setup_code(launch->plan);
        }
        closep(&launch->tty);
        free(launch->old_cwd);
        seccomp_programs_free(launch->seccomp, launch->n_seccomp);
        free(launch->init_filter.prog.filter);
        if (!result->have_error)
                monitor_pass_on_interrupt(monitor);
        return code;
}

int main(int argc, char **argv) {
        _cleanup_(plan_free) sandbox_plan_t plan;
        sandbox_error_t e = { .stage = STAGE_PARSE };
        const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        launch_t launch = LAUNCH_INIT;
        options_io_t io = {
                .read_fd = read_all_fd,
                .read_file = read_file_path,
                .getenv = env_lookup,
                .uid = getuid(),
                .gid = getgid(),
                .system_dirs = { SANDBOX_SYSCONF_POLICYDIR, SANDBOX_POLICYDIR },
                .canonical = canonical_path,
        };
        _cleanup_free_ char *cwd = NULL;
        struct utsname uts;
        monitor_t monitor;
        int status_read, signal_fd, timer_fd, code;
        pid_t child = -1;

        plan_init(&plan);
        launch.plan = &plan;
        plan.bwrap_mode = strcmp(name, "bwrap") == 0;
        /* Messages carry the installed name, not argv[0], which can be any link or exec -a name. */
        log_program = plan.bwrap_mode ? "bwrap" : SANDBOX_PROGRAM_NAME;

        if (refuse_privileged(&e) < 0)
                die(&plan, &e);

        /* 1. Parse into a plan: pure, nothing happens yet (files and fds are read through io). */
        io.cwd = cwd = getcwd(NULL, 0);
        if (uname(&uts) == 0)
                io.kernel = uts.release;
        code = options_parse(&plan, argc - 1, argv + 1, &io, &e);
        log_level_prefix = plan.level_prefix;
#ifdef __SANITIZE_ADDRESS__
        lsan_off = plan.pidns_fd >= 0;
#endif
        for (size_t i = 0; i < plan.n_warnings; i++)
                log_warning("%s", plan.warnings[i]);
        if (code < 0)
                die(&plan, &e);
        /* --learn before any action: an action would leave nothing to learn from. */
        if (apply_default_policy(&plan, &io, &e) < 0 || learn_check(&plan, &e) < 0)
                die(&plan, &e);
        if (plan.action != ACTION_RUN) {
                if (run_action(&plan, argv[0], &e) < 0)
                        die(&plan, &e);
                return 0;
        }

        /* 2. Check and compile everything that can fail before any namespace exists. */
        if ((status_read = prepare_launch(&launch, &timer_fd, &e)) < 0 || notify_prepare(&launch, &e) < 0 ||
            learn_prepare(&launch, &e) < 0)
                die(&plan, &e);
        /* Signals blocked before the clone, so that none is lost before the monitor reads them. */
        if ((signal_fd = monitor_block_signals(&e)) < 0 || spawn_join_namespaces(&plan, &e) < 0)
                die(&plan, &e);

        /* 3. The child: namespaces, mounts, process state, exec (setup/child.c). */
        if (spawn_child(&launch, &child, &e) < 0)
                die(&plan, &e);
        closep(&launch.sock);
        closep(&launch.status_pipe);
        launch.sock = TAKE_FD(launch.monitor_end);
        launch.status_pipe = status_read;

        /* 4. The parent's side of the setup: the cgroup where clone couldn't, id ranges, the status fds. */
        if (spawn_release(&launch, child, &e) < 0) {
                monitor_take_terminal_back(&launch, child);
                die(&plan, &e);
        }

        /* 5. Wait, forwarding signals and serving the helpers, until the sandbox has ended. */
        monitor_init(&monitor, &launch, child, signal_fd, timer_fd);
        monitor.attach_listener = notify_attach; /* the seccomp supervisor, once the child passes the listener */
        desktop_attach(&launch, &monitor);
        monitor_run(&monitor);
        desktop_finish(&launch);

        /* 6. The command's status, or why it never ran. Freeing the plan on the way out would
         * write to pages the clone left copy-on-write, a fault each on the launch's last stretch:
         * exit() leaves them to the kernel. Sanitizer builds return, for the leak checker. */
        code = finish(&launch, &monitor);
#ifndef __SANITIZE_ADDRESS__
        exit(code);
#endif
        return code;
}
