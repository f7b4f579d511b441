/* SPDX-License-Identifier: MIT */
#include "multiplexers.h"

static const mux_call_t socketcalls[] = { { "socket", 1 },      { "bind", 2 },        { "connect", 3 },
                                          { "listen", 4 },      { "accept", 5 },      { "getsockname", 6 },
                                          { "getpeername", 7 }, { "socketpair", 8 },  { "send", 9 },
                                          { "recv", 10 },       { "sendto", 11 },     { "recvfrom", 12 },
                                          { "shutdown", 13 },   { "setsockopt", 14 }, { "getsockopt", 15 },
                                          { "sendmsg", 16 },    { "recvmsg", 17 },    { "accept4", 18 },
                                          { "recvmmsg", 19 },   { "sendmmsg", 20 },   { NULL, 0 } };
static const mux_call_t ipccalls[] = { { "semop", 1 },   { "semget", 2 },  { "semctl", 3 },  { "semtimedop", 4 },
                                       { "msgsnd", 11 }, { "msgrcv", 12 }, { "msgget", 13 }, { "msgctl", 14 },
                                       { "shmat", 21 },  { "shmdt", 22 },  { "shmget", 23 }, { "shmctl", 24 },
                                       { NULL, 0 } };
/* ipc(2) takes the call from the low 16 bits of its first argument (a version in the high ones),
 * socketcall(2) the whole int. */
const mux_t muxes[] = {
        { "socketcall", socketcalls, UINT32_MAX },
        { "ipc", ipccalls, 0xffff },
};
const size_t n_muxes = ELEMENTSOF(muxes);

/* NAME's number inside the multiplexer m, or 0 if it isn't reached through it. */
uint32_t mux_call(size_t m, const char *name) {
        for (const mux_call_t *c = muxes[m].calls; c->name; c++)
                if (strcmp(c->name, name) == 0)
                        return c->call;
        return 0;
}

bool mux_is(const char *name) {
        for (size_t m = 0; m < ELEMENTSOF(muxes); m++)
                if (strcmp(muxes[m].name, name) == 0)
                        return true;
        return false;
}

static bool named(const sandbox_plan_t *p, const char *name) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (rule_applies(p, &p->rules[i]) && rule_names(&p->rules[i], name))
                        return true;
        return false;
}

/* Whether C holds for the value V of NAME's argument (as the kernel reads it). */
static bool cond_holds(const char *name, const rule_cond_t *c, uint64_t v) {
        rule_cond_t n;
        bool holds = c->op == COND_NOT_IN;

        rules_narrow(name, c, &n);
        for (size_t k = 0; k < n.n_values; k++) {
                uint64_t x = v & (n.masks ? n.masks[k] : n.mask);
                if (n.op == COND_NOT_IN)
                        holds &= (rules_arg_bits(name, c->arg) < 64 ? v & UINT32_MAX : v) != n.values[k];
                else
                        holds |= n.op == COND_NE   ? x != n.values[k]
                                 : n.op == COND_LT ? x < n.values[k]
                                 : n.op == COND_LE ? x <= n.values[k]
                                 : n.op == COND_GT ? x > n.values[k]
                                 : n.op == COND_GE ? x >= n.values[k]
                                                   : x == n.values[k];
        }
        rules_cond_free(&n);
        return holds;
}

/* Whether rule R holds when arg0 alone may be known (known0: it is ARG0): 1 surely, 0 surely not,
 * -1 maybe (a condition on an argument no one can read). */
static int rule_holds(const syscall_rule_t *r, const char *name, bool known0, uint64_t arg0) {
        int holds = 1;

        for (size_t j = 0; j < r->n_conds; j++)
                if (r->conds[j].arg != 0 || !known0)
                        holds = -1;
                else if (!cond_holds(name, &r->conds[j], arg0))
                        return 0;
        return holds;
}

/* The verdict NAME gets when its arguments can't be read (arg0 excepted when known0): the rules
 * that surely hold decide (the strictest; without one, the default), unless one that may hold is
 * stricter, and then the strictest of those wins: the call is refused as strictly as the rules
 * could refuse it. *ret_blind: a rule that may hold would change the verdict. */
static uint32_t blind_verdict(const sandbox_plan_t *p, const char *name, bool known0, uint64_t arg0, bool *ret_blind) {
        uint32_t verdict = plan_default_action(p);
        bool sure = false, blind = false;

        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *r = &p->rules[i];
                if (rule_applies(p, r) && rule_names(r, name) && rule_holds(r, name, known0, arg0) == 1 &&
                    (!sure || verdict_precedence(r->action) < verdict_precedence(verdict))) {
                        verdict = r->action;
                        sure = true;
                }
        }
        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *r = &p->rules[i];
                if (!rule_applies(p, r) || !rule_names(r, name) || rule_holds(r, name, known0, arg0) != -1 ||
                    verdict_precedence(r->action) > verdict_precedence(verdict) || r->action == verdict)
                        continue;
                blind = true;
                if (verdict_precedence(r->action) < verdict_precedence(verdict))
                        verdict = r->action;
        }
        if (ret_blind)
                *ret_blind = blind;
        return verdict;
}

/* What a call through a multiplexer gets on an ABI that has one: the multiplexer's verdict for
 * that call number (unless no rule names the multiplexer: then it passes the call's own), and
 * the call's own with its arguments unread; the stricter. libseccomp's filter gives one of
 * these (for a rule on a multiplexed call it adds one on the multiplexer, with the call's number
 * in place of the rule's conditions), so the overlay holds the stricter in place of the main
 * filter. False when no rule names either: the main filter's default is exact. */
bool mux_decision(const sandbox_plan_t *p, size_t m, const mux_call_t *c, uint32_t *ret, bool *ret_blind) {
        bool mux_named = named(p, muxes[m].name), blind = false, blind_mux = false;
        uint32_t verdict;

        if (!mux_named && !named(p, c->name))
                return false;
        verdict = blind_verdict(p, c->name, false, 0, &blind);
        if (mux_named) {
                /* ipc's first argument carries a version above the call: no rule on it is sure. */
                uint32_t own = blind_verdict(p, muxes[m].name, muxes[m].call_mask == UINT32_MAX, c->call, &blind_mux);
                if (verdict_precedence(own) < verdict_precedence(verdict))
                        verdict = own;
        }
        *ret = verdict;
        *ret_blind = blind || blind_mux;
        return true;
}
