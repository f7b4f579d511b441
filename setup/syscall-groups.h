/* SPDX-License-Identifier: MIT */
/* How our syscall groups differ from systemd's (pure data). The groups themselves are declared in
 * rules.h. */
#pragma once

typedef enum {
        GROUP_DIFF_OURS,     /* ours holds it, no systemd's group does: a decision of ours */
        GROUP_DIFF_KEPT,     /* ours holds it as systemd 252's does; upstream's no longer does */
        GROUP_DIFF_LEFT_OUT, /* systemd's holds it, ours leaves it out */
        GROUP_DIFF_LATER,    /* upstream systemd added it after 252, and ours follows upstream */
} group_diff_kind_t;

typedef struct group_diff {
        const char *group;  /* "@clock" */
        const char *member; /* a syscall or a "@group" in it, or NULL: the whole group */
        group_diff_kind_t kind;
        const char *reason; /* why, for a decision of ours (not LATER) */
} group_diff_t;

/* Every difference between our groups and systemd's, ended by one whose group is NULL. */
const group_diff_t *rules_group_differences(void);
