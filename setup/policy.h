/* SPDX-License-Identifier: MIT */
/* Policy files: the command line written down. What a policy file's text means: lines of
 * directives (the long options without their dashes), ${VAR} expansion, quoting, comments,
 * and where a named policy is found. Reading the files, include and the file:line errors are
 * the parse context's (cmdline.c), which calls these. */
#pragma once

#include "options.h"
#include "plan.h"
#include "util.h"

/* Applies the policy NAME (searched for) or PATH (with a '/') where it stands among the
 * options. `from` is the including file, NULL on the command line. Reads only through io.
 * Implemented by cmdline.c, as it goes through the one parse context. */
int policy_load(sandbox_plan_t *p, const char *name, const char *from, const options_io_t *io, sandbox_error_t *e);

/* The closest directive name within two edits, or NULL: for "did you mean". */
const char *policy_suggest(const char *word);
/* The closest shipped policy name within two edits, or NULL. */
const char *policy_suggest_name(const char *name);
/* The shipped policies, a line each: name and what its opening comment says it is for (--help). */
void policy_list_builtin(FILE *f);

/* Finds the policy NAME: in FROM's directory (the including file; NULL on the command line),
 * the user's, io's system dirs, then among the built-in ones. A PATH (with a '/', or ending in
 * .policy) is taken as is, or from FROM's directory: so on the command line a bare name never
 * comes from the current directory, where an untrusted file `build` could stand in for the shipped
 * one. Returns
 * the file's path and its text. */
int policy_find(const char *name, const char *from, const options_io_t *io, char **ret_path, char **ret_text,
                size_t *ret_size, sandbox_error_t *e);
/* NAME names a file (a '/' in it, or the .policy ending) rather than a policy to search for. */
bool policy_is_path(const char *name);
/* PATH, as policy_find() returned it, is a built-in policy's, not a file's. */
bool policy_is_builtin(const char *path);
/* NAME as written in the file FROM: absolute, or relative to FROM's directory. */
char *policy_relative_path(const char *from, const char *name);

/* Splits one line into words (with their columns), expanding ${VAR} through io. On error,
 * *ret_error_col says where the line went wrong; the message has no location. */
int policy_split_line(const char *line, const options_io_t *io, char ***ret_words, unsigned **ret_cols, size_t *ret_n,
                      unsigned *ret_error_col, sandbox_error_t *e);
/* The table entry that the line's words name, its argument count checked. The message of an
 * error has no location: it is at the directive's column. */
int policy_directive(char **words, size_t n, const option_def_t **ret, sandbox_error_t *e);
/* For an OPT_REST directive: the words after the first, joined by single blanks (malloc'd). */
char *policy_rest_of_line(char **words, size_t n);
