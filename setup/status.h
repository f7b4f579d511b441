/* SPDX-License-Identifier: MIT */
/* --info-fd and --json-status-fd, with the keys bubblewrap writes. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"
#include "util.h"

/* {"child-pid": N, "<ns>-namespace": inode, ...}; `pretty` is bubblewrap's --info-fd layout,
 * otherwise one line as in --json-status-fd. */
int status_write_info(int fd, pid_t child, unsigned namespaces, bool pretty, sandbox_error_t *e);
int status_write_exit(int fd, int exit_code, sandbox_error_t *e);
