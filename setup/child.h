/* SPDX-License-Identifier: MIT */
/* The child of the clone: user namespace, mounts, process state, then the command (under a
 * small pid 1 where one is needed). */
#pragma once

#include "launch.h"

/* Never returns: execs the command, or sends its error to the parent over launch->sock and exits. */
_noreturn_ void child_main(launch_t *launch);
