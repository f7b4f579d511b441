/* SPDX-License-Identifier: MIT */
/* Syscall rules as data: parsed from "ACTION NAME... [if CONDITION]" (pure, no syscalls),
 * compiled to BPF with libseccomp by seccomp.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
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
        uint64_t *masks; /* COND_IN: each value's own mask (rules_narrow), or NULL: `mask` for all */
} rule_cond_t;

typedef struct syscall_rule {
        uint32_t action; /* libseccomp's SCMP_ACT_* value */
        char **names;    /* syscall names, groups already expanded */
        size_t n_names;
        rule_cond_t *conds;
        size_t n_conds;
        bool unknown_numbers; /* names @unknown: every number above the highest this build knows */
        const char *text;     /* as written, for messages */
        const char *origin;   /* an imported rule's profile and entry ("FILE: syscalls[3]"), or NULL */
        const char *where;    /* "FILE:LINE", "default:LINE" for the built-in policy, or NULL (the command line) */
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
/* How many bits of argument ARG (0..5) of SYSCALL the kernel reads: 16, 32 or 64 (syscall-args.c). */
unsigned rules_arg_bits(const char *syscall, unsigned arg);
/* How many arguments of SYSCALL the tables above know of (its highest narrow or pointer argument,
 * plus one): at least that many it takes; 0 when they don't list it. For messages. */
unsigned rules_args_known(const char *syscall);
/* Argument ARG of SYSCALL is an address: a condition on it checks nothing it points to. */
bool rules_arg_is_pointer(const char *syscall, unsigned arg);
/* The condition C on SYSCALL's argument as the kernel sees it: where it reads fewer than 64 bits,
 * every operator becomes masked equalities on those bits (COND_IN with `masks`), the high bits a
 * caller sets ignored; else a copy. Free with rules_cond_free(). No values: it never holds. */
void rules_narrow(const char *syscall, const rule_cond_t *c, rule_cond_t *ret);
void rules_cond_free(rule_cond_t *c);
/* "allow", "deny", "errno:ENOSYS", "kill", "trap", "log": what rules_parse_action() reads. */
void rules_format_action(uint32_t action, char *buf, size_t size);
/* The rule in the policy language ("errno:EPERM socket if arg0 == 16"); the caller frees it. */
char *rules_format(const syscall_rule_t *r);
/* A value as the policy language names it, for messages: the constant called PREFIX... that
 * equals V ("AF_PACKET"), or with FLAGS, the ones whose bits make V up ("CLONE_NEWUSER|0x11").
 * False when no name fits. */
bool rules_value_name(const char *prefix, bool flags, uint64_t v, char *buf, size_t size);
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
