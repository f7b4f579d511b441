/* SPDX-License-Identifier: MIT */
/* Capability sets and no_new_privs. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Switch to uid/gid (when different) and keep exactly `keep` in every set, bounding and
 * ambient included, so that exec gives the command those and nothing more. */
int caps_lockdown(uint64_t keep, uid_t uid, gid_t gid, sandbox_error_t *e);
