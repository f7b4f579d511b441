/* SPDX-License-Identifier: MIT */
/* Wayland security contexts (wp_security_context_manager_v1): the compositor learns which
 * sandboxed app its clients are, and may restrict them. */
#pragma once

#include "util.h"

/* 1 when a security-context listener was made at listen_path (*ret_close_fd is to be held while
 * the sandbox runs), 0 when the compositor lacks wp_security_context_manager_v1 (bind the host's
 * socket instead), negative errno on error. */
int wayland_security_context(const char *display_path, const char *listen_path, const char *app_id,
                             const char *instance_id, int *ret_close_fd, sandbox_error_t *e);
