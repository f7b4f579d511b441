/* SPDX-License-Identifier: MIT */
/* setup/helper.c: a helper process starts, says it is ready, and is stopped and reaped; each way
 * it can fail to start or be ready is an error that says how. Runs real processes (sh). */
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "setup/helper.h"
#include "unit.h"

static bool alive(pid_t pid) {
        return pid > 0 && kill(pid, 0) == 0;
}

/* A helper started with `script` (run by sh) and the write end of a readiness pipe as fd N,
 * where the script finds it as $1. */
static int start_sh(helper_t *h, const char *script, int *ret_ready, sandbox_error_t *e) {
        int fds[2];
        char fdnum[16];
        int r;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        snprintf(fdnum, sizeof fdnum, "%d", fds[1]);
        char *argv[] = { "sh", "-c", (char *) script, "helper", fdnum, NULL };
        r = helper_start(h, "test-helper", argv, &fds[1], 1, e);
        close(fds[1]);
        if (r < 0) {
                close(fds[0]);
                return r;
        }
        *ret_ready = fds[0];
        return 0;
}

static void test_ready_and_stop(void) {
        helper_t h;
        sandbox_error_t e = { 0 };
        int ready = -1, r;

        r = start_sh(&h, "echo x >&$1; exec sleep 1000", &ready, &e);
        ok(r == 0 && h.pid > 0 && h.pidfd >= 0, "a helper starts, with a pidfd", e.msg);
        r = helper_wait_ready(&h, ready, &e);
        ok(r == 0 && alive(h.pid), "it says it is ready and runs on", e.msg);
        pid_t pid = h.pid;
        helper_stop(&h);
        ok(!alive(pid) && h.pid == -1 && h.pidfd == -1, "helper_stop kills and reaps it", NULL);
        helper_stop(&h);
        ok(h.pid == -1, "helper_stop twice is harmless", NULL);
        close(ready);
}

static void test_exit_before_ready(void) {
        helper_t h;
        sandbox_error_t e = { 0 };
        int ready = -1, r;

        r = start_sh(&h, "exec 3>&-; exit 3", &ready, &e);
        ok(r == 0, "a helper that will fail still starts", e.msg);
        r = helper_wait_ready(&h, ready, &e);
        ok_error(r, &e, "test-helper exited with status 3 before it was ready",
                 "its exit before readiness is an error with its status");
        ok(h.pid == -1 && h.pidfd == -1, "... and it is reaped", NULL);
        close(ready);

        e = (sandbox_error_t){ 0 };
        r = start_sh(&h, "kill -9 $$", &ready, &e);
        r = r < 0 ? r : helper_wait_ready(&h, ready, &e);
        ok_error(r, &e, "test-helper was killed by signal 9 before it was ready",
                 "a helper killed before readiness says by which signal");
        close(ready);
}

static void test_closed_without_ready(void) {
        helper_t h;
        sandbox_error_t e = { 0 };
        int ready = -1, r;

        /* Closes the readiness pipe but runs on: not ready, and not to be waited for forever. */
        r = start_sh(&h, "eval \"exec $1>&-\"; exec sleep 1000", &ready, &e);
        r = r < 0 ? r : helper_wait_ready(&h, ready, &e);
        ok_error(r, &e, "closed its readiness pipe without saying it was ready",
                 "EOF on the readiness pipe is an error");
        pid_t pid = h.pid;
        helper_stop(&h);
        ok(!alive(pid), "... and the helper is stopped", NULL);
        close(ready);
}

static void test_missing_binary(void) {
        helper_t h;
        sandbox_error_t e = { 0 };
        char *argv[] = { "sandbox-no-such-helper", NULL };
        int r = helper_start(&h, "proxy", argv, NULL, 0, &e);

        ok_error(r, &e, "proxy: cannot run 'sandbox-no-such-helper'", "a missing helper binary is an error naming it");
        ok(r == -ENOENT && strstr(e.hint, "install sandbox-no-such-helper") != NULL, "... with ENOENT and a hint",
           e.hint);
        ok(h.pid == -1, "... and nothing is left running", NULL);
}

static void test_fds_closed(void) {
        helper_t h;
        sandbox_error_t e = { 0 };
        int ready = -1, r;
        /* Not close-on-exec on purpose: the helper must not get it anyway. */
        int stray = open("/dev/null", O_RDONLY);

        char script[128];
        snprintf(script, sizeof script, "[ -e /proc/self/fd/%d ] && exit 4; echo x >&$1; exec sleep 1000", stray);
        r = start_sh(&h, script, &ready, &e);
        r = r < 0 ? r : helper_wait_ready(&h, ready, &e);
        ok(r == 0, "only the fds it is given reach the helper", e.msg);
        helper_stop(&h);
        close(ready);
        close(stray);
}

int main(void) {
        int probe = (int) syscall(SYS_pidfd_open, getpid(), 0);

        /* valgrind, for one, doesn't know pidfd_open; the helpers need it (Linux 5.3). */
        if (probe < 0 && errno == ENOSYS)
                skip_all("pidfd_open is not available here (ENOSYS)");
        if (probe >= 0)
                close(probe);
        signal(SIGPIPE, SIG_IGN);
        test_ready_and_stop();
        test_exit_before_ready();
        test_closed_without_ready();
        test_missing_binary();
        test_fds_closed();
        return unit_done();
}
