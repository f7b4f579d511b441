/* SPDX-License-Identifier: MIT */
/* User namespaces: the uid/gid maps, newuidmap/newgidmap for ranges, and switching off nesting. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"
#include "util.h"

/* In the child, in its fresh user namespace: one id each, inside -> the caller's. */
int userns_write_own_maps(int proc_self, uid_t inside_uid, uid_t outside_uid, gid_t inside_gid, gid_t outside_gid,
                          sandbox_error_t *e);
/* What the child needs to know to set up its own user namespace. */
typedef struct userns_child {
        bool new_userns; /* we created one (not --userns, not a -try that failed) */
        uid_t real_uid;
        gid_t real_gid;
        int sock;      /* the parent's "maps written" byte arrives here */
        int proc_self; /* our /proc/<pid> of the host */
} userns_child_t;

/* In the child: waits for --userns-block-fd or the parent's map helpers, maps whatever they
 * didn't map to the caller's own id, and returns the ids the command is to run as. */
int userns_setup_child(const sandbox_plan_t *p, const userns_child_t *c, uid_t *ret_uid, gid_t *ret_gid,
                       sandbox_error_t *e);
/* In the parent: ranges for the child `pid` through the setuid helpers (shadow's uidmap). */
int userns_run_map_helpers(const sandbox_plan_t *p, pid_t pid, sandbox_error_t *e);
/* The inside id that the caller's own id appears as, or `fallback` if not mapped. */
unsigned long userns_inside_id(const id_map_t *maps, size_t n, unsigned long outside, unsigned long fallback);
/* --disable-userns: cap nesting at one level (before the root changes, through the host's /proc),
 * then use that level up with a nested namespace (after setup; proc_self opened beforehand). */
int userns_limit_nesting(sandbox_error_t *e);
int userns_enter_nested(int proc_self, sandbox_error_t *e);
/* --assert-userns-disabled and the check after --disable-userns. */
int userns_check_disabled(sandbox_error_t *e);
