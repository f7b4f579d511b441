/* SPDX-License-Identifier: MIT */
/* Import of OCI runtime-spec / Docker seccomp profiles (JSON) into the plan's syscall rules. */
#pragma once

#include <stddef.h>

#include "plan.h"
#include "util.h"

/* `data` holds the profile; `origin` names it in messages; `kernel` is "major.minor" of the
 * running kernel, for minKernel. Rules are evaluated against the plan's capabilities. */
int oci_seccomp_import(sandbox_plan_t *p, const char *origin, const char *data, size_t size, const char *kernel,
                       sandbox_error_t *e);
