/* SPDX-License-Identifier: MIT */
/* The minimal /etc of --etc-minimal: passwd and group with an entry for each id the command runs
 * as or the plan names, hosts with localhost and the sandbox's host name, and nsswitch.conf
 * reading them. Programs that look their own user up (whoami, id, getpass, git, Python's pwd
 * and grp, shells expanding ~) work without the host's /etc, which names every account.
 *
 * The text is made from data (etc_text, pure); etc_generate() gathers that data in the parent
 * before the launch and hands each file to its --ro-bind-data op as a sealed memfd. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "plan.h"
#include "util.h"

typedef struct etc_input {
        unsigned long uid, gid;           /* the command's own ids, inside */
        const char *user, *group;         /* the caller's names on the host; NULL when it has none */
        const char *home;                 /* the home directory of uid: $HOME, where the policies mount one */
        const char *shell;                /* its login shell: the host's, or NULL for /bin/sh */
        const unsigned long *uids, *gids; /* other ids the plan names (--uid-map, --gid-map) */
        size_t n_uids, n_gids;
        const char *hostname; /* the sandbox's host name, or NULL */
} etc_input_t;

/* The name passwd gives in->uid (root for 0), or group gives in->gid: the caller's name on the
 * host, or "user" where it has none or it would clash with root or nobody/nogroup. */
const char *etc_user_name(const etc_input_t *in);
const char *etc_group_name(const etc_input_t *in);
/* The text of FILE, malloc'd. */
char *etc_text(etc_file_t file, const etc_input_t *in);

/* For each op of --etc-minimal: the file's text in a memfd, as the op's fd; and the USER and
 * LOGNAME it set, the name given to the command's uid. Reads the host's passwd and group
 * (getpwuid, getgrgid) for the caller's names, $HOME and the host name. */
int etc_generate(sandbox_plan_t *p, sandbox_error_t *e);
