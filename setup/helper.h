/* SPDX-License-Identifier: MIT */
/* Helper processes that serve the sandbox while it runs (a D-Bus proxy, a Wayland listener, the
 * seccomp notification supervisor's tools): started and ready before the command execs, hosted
 * by the monitor as a source, killed and reaped when the sandbox ends. A helper that can't start,
 * isn't ready or dies while the sandbox runs stops it: nothing runs with less than was asked. */
#pragma once

#include <sys/types.h>

#include "util.h"

struct monitor;

typedef struct helper {
        const char *name; /* for messages: "xdg-dbus-proxy" */
        pid_t pid;
        int pidfd; /* readable once the helper has exited */
} helper_t;

#define HELPER_NULL ((helper_t){ .pid = -1, .pidfd = -1 })

/* Runs argv[0] (searched in PATH) with the descriptors in `keep` left open at their numbers and
 * every other one above 2 closed; the helper dies with us (PR_SET_PDEATHSIG). Returns once it has
 * exec'd, or the reason it couldn't. */
int helper_start(helper_t *h, const char *name, char *const *argv, const int *keep, size_t n_keep, sandbox_error_t *e);
/* Waits until the helper writes to `ready_fd` (the read end of its readiness pipe). EOF, or its
 * exit, before that is an error saying how it ended (the helper is then reaped). */
int helper_wait_ready(helper_t *h, int ready_fd, sandbox_error_t *e);
/* Hands the helper to the monitor: its exit while the sandbox runs ends the sandbox with an
 * error; the monitor's teardown stops it. */
int helper_attach(helper_t *h, struct monitor *m, sandbox_error_t *e);
/* SIGKILL and reap; nothing of it is left. Safe to call twice. */
void helper_stop(helper_t *h);
