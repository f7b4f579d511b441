/* SPDX-License-Identifier: MIT */
/* The child of the clone: user namespace, mounts, process state, then the command (under a
 * small pid 1 where one is needed). */
#pragma once

#include "launch.h"

/* Never returns: execs the command, or sends its error to the parent over launch->sock and exits. */
_noreturn_ void child_main(launch_t *launch);
/* In the parent, once the command could not be found inside: the host's side of why (the path is
 * on the host but not bound, or the root holds nothing at all), as the error's hint. */
void child_explain_exec_error(const sandbox_plan_t *p, sandbox_error_t *e);
