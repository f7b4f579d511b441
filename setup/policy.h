/* SPDX-License-Identifier: MIT */
/* Policy files: the command line written down. Lines of directives (the long options without
 * their dashes), include, ${VAR} expansion, quoting, comments, file:line:column errors. */
#pragma once

#include "options.h"
#include "plan.h"
#include "util.h"

/* Applies the policy NAME (searched for) or PATH (with a '/') where it stands among the
 * options. `from` is the including file, NULL on the command line. Reads only through io. */
int policy_load(sandbox_plan_t *p, const char *name, const char *from, const options_io_t *io, sandbox_error_t *e);

/* The closest directive name within two edits, or NULL: for "did you mean". */
const char *policy_suggest(const char *word);
