/* SPDX-License-Identifier: MIT */
/* The clone into new namespaces, and the parent's half of the handshake with the child. */
#pragma once

#include "launch.h"

/* --userns and --pidns are joined by the parent: the child is then created inside them. */
int spawn_join_namespaces(const sandbox_plan_t *p, sandbox_error_t *e);
/* Clones the child (running child_main()) with the plan's namespaces, in the cgroup where the
 * kernel can place it there; -try namespaces the kernel refuses are dropped. */
int spawn_child(launch_t *launch, pid_t *ret_pid, sandbox_error_t *e);
/* The parent's part once the child exists: the cgroup where clone couldn't place it, id ranges,
 * what --info-fd and --json-status-fd promise. On failure the child is killed. */
int spawn_release(launch_t *launch, pid_t child, sandbox_error_t *e);
