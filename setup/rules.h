/* SPDX-License-Identifier: MIT */
/* Syscall rules as data: parsed from "ACTION NAME... [if CONDITION]" (pure, no syscalls),
 * compiled to BPF with libseccomp by seccomp.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

typedef enum {
        COND_EQ,
        COND_NE,
        COND_LT,
        COND_LE,
        COND_GT,
        COND_GE,
        COND_MASKED_EQ, /* (arg & mask) == value */
        COND_IN,        /* one of values */
        COND_NOT_IN,    /* none of values: compiled as a filter of its own (seccomp.c) */
} cond_op_t;

typedef struct rule_cond {
        unsigned arg; /* 0..5 */
        cond_op_t op;
        uint64_t mask;
        uint64_t *values; /* one, or the set of COND_IN */
        size_t n_values;
} rule_cond_t;

typedef struct syscall_rule {
        uint32_t action; /* libseccomp's SCMP_ACT_* value */
        char **names;    /* syscall names, groups already expanded */
        size_t n_names;
        rule_cond_t *conds;
        size_t n_conds;
        bool unknown_numbers; /* names @unknown: every number above the highest this build knows */
        const char *text;     /* as written, for messages */
        /* Imported profiles' includes/excludes by capability, decided when compiling against the
         * final capabilities: the rule applies if all of need_caps and none of exclude_caps are kept. */
        uint64_t need_caps, exclude_caps;
} syscall_rule_t;

/* The pseudo-group of the syscall numbers above the highest that libseccomp's table or ours
 * (syscall-table.h) knows, per ABI: tomorrow's syscalls, which a deny-list can't name yet. */
#define RULES_UNKNOWN "@unknown"

/* "allow", "deny", "errno:ENOSYS", "kill", "trap", "log". */
int rules_parse_action(const char *s, uint32_t *ret, sandbox_error_t *e);
int rules_parse(const char *text, syscall_rule_t *ret, sandbox_error_t *e);
void rules_free(syscall_rule_t *r);
/* Masks the comparisons of arguments the kernel reads as 32 bits (see rules.c). */
int rules_apply_32bit(syscall_rule_t *r, sandbox_error_t *e);
/* Members of a group ("@mount"), NULL-terminated, or NULL if there is no such group. */
const char *const *rules_group(const char *name);
/* The names of the groups, NULL-terminated, for the docs test and --help. */
const char *const *rules_group_names(void);
/* Syscalls in no group, each decided on its own (see syscall-groups.c), NULL-terminated. */
const char *const *rules_reviewed(void);
/* NAME's number on the ABI ARCH: libseccomp's, else ours for the newest calls; negative if none. */
int rules_syscall_number(uint32_t arch, const char *name);
/* libseccomp has no such name, and only our table gives its number on ARCH. */
bool rules_syscall_ours_only(uint32_t arch, const char *name);
