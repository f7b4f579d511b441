/* SPDX-License-Identifier: MIT */
/* A delegated cgroup from the user's systemd: a transient scope with Delegate=yes, asked for
 * over D-Bus when the cgroup we run in is not ours to write. libsystemd is loaded on first use. */
#pragma once

#include <sys/types.h>

#include "util.h"

/* Asks the user's systemd, over the user bus, for a transient scope unit named NAME (e.g.
 * "sandbox-1234.scope") with Delegate=yes holding PID, and waits until the job is done.
 * Returns 0 and the scope's cgroup path relative to the cgroup2 root (e.g.
 * "/user.slice/user-1000.slice/user@1000.service/app.slice/sandbox-1234.scope") in
 * *ret_path (malloc'd), or a negative errno with e filled: no libsystemd (hint: install
 * libsystemd0), no user bus ($DBUS_SESSION_BUS_ADDRESS / $XDG_RUNTIME_DIR/bus missing:
 * hint `loginctl enable-linger $USER` or run inside a login session), the call refused
 * (the D-Bus error name and message), the job failed (its result string). */
int systemd_delegated_scope(const char *name, pid_t pid, char **ret_path, sandbox_error_t *e);
