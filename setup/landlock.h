/* SPDX-License-Identifier: MIT */
/* A Landlock domain around the command that restricts no file or network access, only the
 * signals it may send outside: it puts our pid 1 out of the command's reach, since Landlock
 * forbids ptrace into a process outside the domain, even with CAP_SYS_PTRACE. Pid 1 can then
 * stay dumpable, so that its owner outside can open its /proc/PID/ns/ files and join the
 * sandbox, as flatpak-spawn and `flatpak enter` do. A domain that handled file access would
 * forbid mounting inside, which nested sandboxes need: hence scopes (Landlock ABI 6). The same
 * domain scopes abstract unix sockets for desktop apps. */
#pragma once

#include <stdbool.h>

#include "util.h"

/* Whether the running kernel has Landlock scopes (probed, once). */
bool landlock_can_fence(void);
/* Puts the calling process in a new domain scoping what is asked, in one domain: SIGNALS, the
 * signals it may send outside (pid 1 out of reach); ABSTRACT_UNIX, the abstract unix sockets
 * made outside it (the host's X11 and D-Bus ones, which a shared network namespace leaves
 * reachable). Nothing when neither is. Needs no_new_privs (or CAP_SYS_ADMIN). */
int landlock_fence(bool signals, bool abstract_unix, sandbox_error_t *e);
