/* SPDX-License-Identifier: MIT */
/* What the plan's syscall rules decide (pure): which apply, which verdict is the stricter, and
 * what a call gets on an ABI (i386) that also reaches it through socketcall(2) or ipc(2), whose
 * arguments are in memory where a filter can't read them. */
#pragma once

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "libseccomp.h"
#include "plan.h"
#include "rules.h"

/* An imported rule for capabilities the sandbox doesn't keep (or does) is left out. */
static inline bool rule_applies(const sandbox_plan_t *p, const syscall_rule_t *r) {
        return !(r->need_caps & ~p->caps) && !(r->exclude_caps & p->caps);
}

static inline bool rule_has_not_in(const syscall_rule_t *r) {
        return r->n_conds == 1 && r->conds[0].op == COND_NOT_IN;
}

static inline bool rule_names(const syscall_rule_t *r, const char *name) {
        for (size_t k = 0; k < r->n_names; k++)
                if (strcmp(r->names[k], name) == 0)
                        return true;
        return false;
}

/* The kernel's order of precedence among stacked filters' verdicts (seccomp(2)): the lower,
 * the stricter. KILL_PROCESS is negative as an int32. */
static inline int32_t verdict_precedence(uint32_t action) {
        return (int32_t) (action & SECCOMP_RET_ACTION_FULL);
}

static inline bool verdict_denies(uint32_t action) {
        return action != SCMP_ACT_ALLOW && action != SCMP_ACT_LOG;
}

static inline uint32_t plan_default_action(const sandbox_plan_t *p) {
        return p->syscall_default_set ? p->syscall_default : SCMP_ACT_ALLOW;
}

/* A call reached through a multiplexer, and its number there (SYS_SOCKET... of linux/net.h,
 * SEMOP... of the kernel's ipc/syscall.c). */
typedef struct mux_call {
        const char *name;
        uint32_t call;
} mux_call_t;

typedef struct mux {
        const char *name;        /* "socketcall", "ipc" */
        const mux_call_t *calls; /* ended by a NULL name */
        uint64_t call_mask;      /* the bits of its first argument that hold the call */
} mux_t;

extern const mux_t muxes[];
extern const size_t n_muxes;

/* NAME's number inside multiplexer m, or 0 if it isn't reached through it. */
uint32_t mux_call(size_t m, const char *name);
bool mux_is(const char *name);
/* What call C through multiplexer m gets: the stricter of the multiplexer's verdict for that
 * number (unless no rule names the multiplexer) and the call's own when its arguments can't be
 * read. False when no rule names either (the filter's default is then exact). *ret_blind: the
 * arguments would have mattered. */
bool mux_decision(const sandbox_plan_t *p, size_t m, const mux_call_t *c, uint32_t *ret, bool *ret_blind);
