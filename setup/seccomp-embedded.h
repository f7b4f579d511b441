/* SPDX-License-Identifier: MIT */
/* The default policy's filter, compiled when the binary was built (meson runs
 * gen-default-filter, our own compiler, on the built-in policy) and embedded: a launch under the
 * default policy alone neither loads libseccomp nor compiles anything. It is used only where it
 * was made from the same policy text for this architecture, and only for a plan with no other
 * syscall rules; anything else compiles the default policy's rules with the rest as before. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp-bpf.h"
#include "util.h"

typedef struct seccomp_embedded {
        uint32_t arch;      /* AUDIT_ARCH_ it was compiled for */
        uint64_t text_hash; /* seccomp_embedded_hash() of the policy text */
        size_t text_len;
        unsigned short len;
        const struct sock_filter *filter;
} seccomp_embedded_t;

/* FNV-1a over the text: to recognise the same text, not to resist a forger (the text is the
 * user's or the administrator's own file). */
uint64_t seccomp_embedded_hash(const char *text, size_t len);
/* The embedded filter applies to the default policy whose text this is. */
bool seccomp_embedded_matches(const char *text);

struct sandbox_plan;
/* h_syscall() inside the default policy, when its text matched: the rule is kept as text. */
void seccomp_defer_rule(struct sandbox_plan *p, const char *text, const char *where);
/* Once the plan is complete: keeps the deferred rules for the embedded filter if nothing else
 * needs them parsed (no other rules, ABIs or syscall default, no learning, exporting or
 * printing; denials are reported from it as from any other); otherwise parses them into the plan's rules, where they would have been. */
int seccomp_settle_default(struct sandbox_plan *p, sandbox_error_t *e);
struct syscall_rule;
/* The I-th deferred rule parsed, its `where` set; an error names its FILE:LINE. */
int seccomp_deferred_rule(const struct sandbox_plan *p, size_t i, struct syscall_rule *ret, sandbox_error_t *e);
/* A copy of the embedded program, for a plan that seccomp_settle_default() left deferred. */
void seccomp_embedded_program(seccomp_program_t *ret);
