/* SPDX-License-Identifier: MIT */
/* The seccomp user-notification supervisor: a source of the monitor that reads the listener the
 * child passed up (SECCOMP_FILTER_FLAG_NEW_LISTENER) and answers every notification. By default
 * it is the denial reporter: the policy's denying rules notify instead of failing, and it answers
 * each with the errno the plain filter gives (or kills the caller for a `kill` rule), naming the
 * syscall, its arguments, the program and the rule on stderr (first of each kind, then counts at
 * the end) and as JSON lines on --denials-fd. Another module (learn mode) can take every
 * notification instead with notify_use_handler().
 *
 * The listener path, for any module that installs a notifying filter:
 *   - the filter is one of launch->seccomp[]; launch->listener_prog is its index (-1: none). Only
 *     one filter of a task may have a listener, so there is only one such program.
 *   - bpf_listener_exemption(prog, launch->sock) (seccomp-bpf.h) must be applied to it: the child's own
 *     sendmsg() of the listener on the setup socket, right after installing it, then passes even
 *     when every syscall notifies (the supervisor can't answer before it has the fd).
 *   - launch->listener_fallback: the plain program to install (with SECCOMP_FILTER_FLAG_LOG) in
 *     its place where no listener can be had; empty: no fallback, the launch fails instead.
 *   - the monitor calls notify_attach() with the fd once it arrives over the setup channel. */
#pragma once

#include <linux/seccomp.h>
#include <stdbool.h>

#include "util.h"

struct launch;
struct monitor;
struct sandbox_plan;

typedef struct notify_handler {
        /* One notification: fill resp (id is already set, the rest zero). listener is for
         * SECCOMP_IOCTL_NOTIF_ID_VALID, to be checked after reading anything about the caller. */
        void (*on_notify)(void *userdata, int listener, const struct seccomp_notif *req,
                          struct seccomp_notif_resp *resp);
        /* The sandbox has ended (after the last notification). May be NULL. */
        void (*on_end)(void *userdata);
        void *userdata;
} notify_handler_t;

/* Takes every notification instead of the denial reporter; called before the launch. The struct
 * is copied. */
void notify_use_handler(const notify_handler_t *h);

/* Option handlers: --report-denials / report-denials, --denials-fd FD. */
struct option_def;
int notify_option_report(struct sandbox_plan *p, const struct option_def *o, char **args, sandbox_error_t *e);
int notify_option_fd(struct sandbox_plan *p, const struct option_def *o, char **args, sandbox_error_t *e);

/* Where the directive being parsed was said, for a rule's report: "FILE:LINE", "default:LINE"
 * for the built-in policy, NULL on the command line. The plan owns the string. */
const char *notify_where(struct sandbox_plan *p);

/* Before the clone, once the filters are compiled and the setup socket exists: with
 * --report-denials or --denials-fd, the policy's main filter becomes the notifying one
 * (launch->listener_prog) and its plain form the fallback; the rule table is built. Checks
 * --denials-fd. Nothing to do without them. */
int notify_prepare(struct launch *launch, sandbox_error_t *e);

/* In the child, last before exec: launch->seccomp[] in order, the listener program with a
 * listener, which goes up the setup socket at once (the byte NOTIFY_LISTENER_MSG with the fd);
 * where the kernel can't give one, the fallback programs in its place, logged, and it is said
 * once (no fallback: an error). */
#define NOTIFY_LISTENER_MSG 'L'
int notify_install(const struct launch *launch, sandbox_error_t *e);

/* The listener has arrived (the monitor's setup channel): it becomes a source of the monitor,
 * which owns fd from here on (closed on error too). */
int notify_attach(struct monitor *mon, int fd, sandbox_error_t *e);

/* Whether a notifying filter will be installed (the launch's listener path is in use). */
bool notify_wanted(const struct launch *launch);
