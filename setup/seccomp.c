/* SPDX-License-Identifier: MIT */
#include "seccomp.h"

#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int seccomp_read_fd(const char *option, int fd, seccomp_program_t *ret, sandbox_error_t *e) {
        char *data = NULL;
        size_t size;
        int r;

        r = read_all(fd, BPF_MAXINSNS * sizeof(struct sock_filter), &data, &size);
        if (r < 0)
                return error_errno(e, r, "--%s: reading fd %d", option, fd);
        if (size == 0 || size % sizeof(struct sock_filter) != 0) {
                free(data);
                return error_msg(e,
                                 "--%s: fd %d holds %zu bytes, not a BPF program (a non-empty array of "
                                 "8-byte struct sock_filter)",
                                 option, fd, size);
        }
        ret->prog.len = (unsigned short) (size / sizeof(struct sock_filter));
        ret->prog.filter = (struct sock_filter *) data;
        return 0;
}

int seccomp_install(const seccomp_program_t *progs, size_t n, sandbox_error_t *e) {
        for (size_t i = 0; i < n; i++)
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &progs[i].prog) < 0)
                        return error_errno(e, errno, "installing seccomp filter %zu of %zu", i + 1, n);
        return 0;
}

/* ---- rules compiled with libseccomp ---- */

#include "libcap.h"
#include "libseccomp.h"
#include <sys/mman.h>

#include "plan.h"
#include "multiplexers.h"
#include "rules.h"
#include "seccomp-bpf.h"
#include "syscall-table.h"

static void ctx_release(scmp_filter_ctx *ctx) {
        if (*ctx)
                seccomp_lib.release(*ctx);
}

static struct scmp_arg_cmp to_cmp(const rule_cond_t *c, size_t k) {
        static const enum scmp_compare ops[] = {
                [COND_EQ] = SCMP_CMP_EQ, [COND_NE] = SCMP_CMP_NE, [COND_LT] = SCMP_CMP_LT,
                [COND_LE] = SCMP_CMP_LE, [COND_GT] = SCMP_CMP_GT, [COND_GE] = SCMP_CMP_GE,
        };
        uint64_t mask = c->masks ? c->masks[k] : c->mask;

        if (c->op == COND_MASKED_EQ || (c->op == COND_IN && mask != UINT64_MAX))
                return (struct scmp_arg_cmp){
                        .arg = c->arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = c->values[k]
                };
        return (struct scmp_arg_cmp){ .arg = c->arg,
                                      .op = c->op == COND_IN ? SCMP_CMP_EQ : ops[c->op],
                                      .datum_a = c->values[k] };
}

/* How messages name a rule: the policy's "--syscall 'TEXT'", or the profile's entry. */
static const char *rule_name(const syscall_rule_t *r, char *buf, size_t size) {
        if (r->origin)
                snprintf(buf, size, "%s", r->origin);
        else
                snprintf(buf, size, "--syscall '%s'", r->text ? r->text : "");
        return buf;
}

static void conds_free(rule_cond_t *conds, size_t n) {
        for (size_t j = 0; j < n; j++)
                rules_cond_free(&conds[j]);
}

/* One rule for one syscall, its conditions as the kernel sees NAME's arguments (rules_narrow):
 * a set of values becomes one seccomp rule per value (every combination when several arguments
 * have sets). */
static int add_rule(scmp_filter_ctx ctx, const syscall_rule_t *r, const char *name, sandbox_error_t *e) {
        int nr = rules_syscall_number(SCMP_ARCH_NATIVE, name), ret = 0;
        size_t combos = 1, n = r->n_conds;
        rule_cond_t conds[6];
        bool never = false;
        char buf[512];

        if (n > 6) /* one per argument (the parsers see to it) */
                return error_msg(e, "%s: more than 6 comparisons", rule_name(r, buf, sizeof buf));
        for (size_t j = 0; j < n; j++) {
                rules_narrow(name, &r->conds[j], &conds[j]);
                never |= conds[j].n_values == 0; /* a comparison that never holds */
                if (combos <= 4096)
                        combos *= conds[j].n_values;
        }
        if (never)
                combos = 0;
        else if (combos > 4096)
                ret = error_msg(e, "%s: too many combinations of values for %s (more than 4096)",
                                rule_name(r, buf, sizeof buf), name);
        for (size_t k = 0; k < combos && ret == 0; k++) {
                struct scmp_arg_cmp cmps[6];
                size_t rest = k;

                for (size_t j = 0; j < n; j++) {
                        cmps[j] = to_cmp(&conds[j], rest % conds[j].n_values);
                        rest /= conds[j].n_values;
                }
                ret = seccomp_lib.rule_add_array(ctx, r->action, nr, (unsigned) n, cmps);
                if (ret == -EACCES)
                        ret = 0; /* the same as the default action: nothing to add */
                else if (ret < 0)
                        ret = error_errno(e, ret, "%s: not expressible for %s%s", rule_name(r, buf, sizeof buf), name,
                                          ret == -EEXIST ? " (it conflicts with an earlier rule)" : "");
        }
        conds_free(conds, n);
        return ret;
}

static bool abi_has(uint32_t abi, const char *name) {
        return seccomp_lib.syscall_resolve_name_arch(abi, name) >= 0;
}

/* A multiplexer some ABI of the filter has. */
static bool mux_used(const sandbox_plan_t *p, size_t m) {
        for (size_t i = 0; i < p->n_arches; i++)
                if (abi_has(p->arches[i], muxes[m].name))
                        return true;
        return abi_has(seccomp_lib.arch_native(), muxes[m].name);
}

/* On an ABI with a multiplexer, libseccomp turns a rule on a call it multiplexes into one on the
 * multiplexer, arg0 becoming the call's number: a rule compared on arg0 alone then covers the
 * others, and must come first (added after them, libseccomp 2.5 loses track of their nodes). */
static bool mux_broad(const sandbox_plan_t *p, const syscall_rule_t *r) {
        bool named = false, used = false;

        for (size_t j = 0; j < r->n_conds; j++)
                if (r->conds[j].arg != 0)
                        return false;
        for (size_t m = 0; m < n_muxes; m++)
                used |= mux_used(p, m);
        for (size_t k = 0; k < r->n_names && used; k++)
                for (size_t m = 0; m < n_muxes; m++)
                        named |= mux_call(m, r->names[k]) != 0;
        return named;
}

/* Where rules overlap, the strictest verdict wins, whatever their order. libseccomp's filter
 * can't say that alone: a rule without conditions swallows the conditioned rules of its
 * syscall, of two without conditions the first is kept, and one whose action is the default
 * isn't added at all. So rules go in without conditions first, strictest first; only the first
 * of those decides its syscall (decided_before), and a conditioned rule that a less strict one
 * would override also goes to the overlay (needs_overlay). Among conditioned rules as strict,
 * mux_broad() ones first. */
static int rule_order(const void *a, const void *b, void *userdata) {
        const sandbox_plan_t *p = userdata;
        const syscall_rule_t *rules = p->rules;
        size_t i = *(const size_t *) a, j = *(const size_t *) b;
        bool ci = rules[i].n_conds > 0, cj = rules[j].n_conds > 0, bi, bj;

        if (ci != cj)
                return ci - cj;
        if (verdict_precedence(rules[i].action) != verdict_precedence(rules[j].action))
                return verdict_precedence(rules[i].action) < verdict_precedence(rules[j].action) ? -1 : 1;
        bi = ci && mux_broad(p, &rules[i]);
        bj = cj && mux_broad(p, &rules[j]);
        if (bi != bj)
                return bj - bi;
        return i < j ? -1 : i > j; /* stable: otherwise in the order written */
}

/* A rule without conditions already decides NAME (rules in rule_order()): libseccomp would
 * keep it anyway, except when its action is the default, which libseccomp doesn't add. */
static bool decided_before(const sandbox_plan_t *p, const size_t *order, size_t o, const char *name) {
        for (size_t q = 0; q < o && !p->rules[order[q]].n_conds; q++)
                if (rule_applies(p, &p->rules[order[q]]) && rule_names(&p->rules[order[q]], name))
                        return true;
        return false;
}

/* Rule i, with conditions, is stricter for NAME than another rule naming it (an allow rule, or
 * a milder denial): libseccomp's filter may give that one's verdict, so rule i also goes to an
 * overlay filter whose default is allow, where the kernel's strictest-wins holds. */
static bool needs_overlay(const sandbox_plan_t *p, size_t i, const char *name) {
        const syscall_rule_t *r = &p->rules[i];

        if (!r->n_conds || r->action == SCMP_ACT_ALLOW || rule_has_not_in(r))
                return false;
        for (size_t j = 0; j < p->n_rules; j++)
                if (j != i && rule_applies(p, &p->rules[j]) &&
                    verdict_precedence(p->rules[j].action) > verdict_precedence(r->action) &&
                    rule_names(&p->rules[j], name))
                        return true;
        return false;
}

const char *seccomp_arch_name(uint32_t token) {
        static const char *const names[] = { "x86",         "x86_64",  "x32",         "arm",     "aarch64",
                                             "mips",        "mips64",  "mips64n32",   "mipsel",  "mipsel64",
                                             "mipsel64n32", "ppc",     "ppc64",       "ppc64le", "s390",
                                             "s390x",       "riscv64", "loongarch64", NULL };
        for (const char *const *n = names; *n; n++)
                if (seccomp_lib.arch_resolve_name(*n) == token)
                        return *n;
        return "another architecture";
}

/* ---- the programs made by hand (seccomp-bpf.c), stacked before libseccomp's ---- */

/* The filter's ABIs, the native one first; ret has room for n_arches + 1. */
static size_t filter_abis(const sandbox_plan_t *p, uint32_t *ret) {
        size_t n = 0;

        ret[n++] = seccomp_lib.arch_native();
        for (size_t i = 0; i < p->n_arches; i++)
                if (p->arches[i] != seccomp_lib.arch_native())
                        ret[n++] = p->arches[i];
        return n;
}

/* seccomp_data.arch of an ABI: x32 shares x86_64's and sets a bit in the number instead. */
static uint32_t audit_arch(uint32_t token) {
        return token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
}

static bool known_number(uint32_t abi, uint32_t nr) {
        _cleanup_free_ char *name = seccomp_lib.syscall_resolve_num_arch(abi, (int) nr);
        return name != NULL;
}

/* NAME's own number on ABI: libseccomp answers a pseudo number for a call it also reaches through
 * a multiplexer (socket on i386: it adds both forms to its filter); its table still has the
 * direct call's, found by number. Negative if the ABI has no direct form. */
static int direct_number(uint32_t abi, const char *name) {
        int nr = rules_syscall_number(abi, name);
        int anchor = rules_syscall_number(abi, syscall_table_name(syscall_table_first()));

        if (nr >= 0 || anchor < 0)
                return nr;
        for (uint32_t i = 0, base = (uint32_t) anchor - (uint32_t) syscall_table_first(); i < 1024; i++) {
                _cleanup_free_ char *found = seccomp_lib.syscall_resolve_num_arch(abi, (int) (base + i));
                if (found && strcmp(found, name) == 0)
                        return (int) (base + i);
        }
        return nr;
}

/* "ACTION NAME if argN not-in {V...}": libseccomp can't compare one argument twice in a rule,
 * so this is a small filter of its own: on every ABI of the filter, ACTION unless the argument
 * is one of the values; and where NAME is also reached through a multiplexer (socketcall,
 * ipc on i386), ACTION for that form, whose arguments no filter can read. */
static int compile_not_in(const sandbox_plan_t *p, const syscall_rule_t *r, const char *name, seccomp_program_t *ret,
                          sandbox_error_t *e) {
        const rule_cond_t *c = &r->conds[0];
        bpf_not_in_t rule = { .arg = c->arg,
                              .wide = rules_arg_bits(name, c->arg) == 64,
                              .values = c->values,
                              .n_values = c->n_values,
                              .action = r->action };
        _cleanup_free_ uint32_t *abis = xrealloc_array(NULL, p->n_arches + 1, sizeof *abis);
        _cleanup_free_ bpf_target_t *targets = xrealloc_array(NULL, 2 * (p->n_arches + 1), sizeof *targets);
        size_t n_abis = filter_abis(p, abis), n = 0;
        char buf[512];
        int rr;

        if (c->n_values > 200)
                return error_msg(e, "%s: at most 200 values in 'not-in'", rule_name(r, buf, sizeof buf));
        /* Only the low half is compared with the values: a wider one would let its low half through. */
        for (size_t v = 0; rule.wide && v < c->n_values; v++)
                if (c->values[v] > UINT32_MAX)
                        return error_msg(e, "%s: 'not-in' values must fit in 32 bits", rule_name(r, buf, sizeof buf));
        for (size_t a = 0; a < n_abis; a++) {
                int nr = direct_number(abis[a], name);
                if (nr >= 0)
                        targets[n++] = (bpf_target_t){ .audit_arch = audit_arch(abis[a]), .nr = (uint32_t) nr };
                for (size_t m = 0; m < n_muxes; m++) {
                        int mux_nr = seccomp_lib.syscall_resolve_name_arch(abis[a], muxes[m].name);
                        if (mux_call(m, name) && mux_nr >= 0)
                                targets[n++] = (bpf_target_t){ .audit_arch = audit_arch(abis[a]),
                                                               .nr = (uint32_t) mux_nr,
                                                               .mux_call = mux_call(m, name) };
                }
        }
        if ((rr = bpf_not_in(&rule, targets, n, ret)) < 0)
                return error_errno(e, rr, "%s: making the filter for %s", rule_name(r, buf, sizeof buf), name);
        return 0;
}

static int compile_not_ins(const sandbox_plan_t *p, seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e) {
        seccomp_program_t *progs = NULL;
        size_t n = 0;
        int r;

        *ret = NULL;
        *ret_n = 0;
        for (size_t i = 0; i < p->n_rules; i++) {
                if (!rule_has_not_in(&p->rules[i]) || !rule_applies(p, &p->rules[i]))
                        continue;
                for (size_t k = 0; k < p->rules[i].n_names; k++) {
                        if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
                                return error_msg(e, "'not-in' is only built for little-endian machines");
                        progs = xrealloc_array(progs, n + 1, sizeof *progs);
                        if ((r = compile_not_in(p, &p->rules[i], p->rules[i].names[k], &progs[n], e)) < 0) {
                                seccomp_programs_free(progs, n);
                                return r;
                        }
                        n++;
                }
        }
        *ret = progs;
        *ret_n = n;
        return 0;
}

/* The ceiling of one ABI: the highest number known below 512 past its offset (new calls take
 * the next common number), ours included; the known ranges above it are let through: x32's own
 * calls (512-547) and ARM's private ones (0xf0000 up). */
static int abi_ceiling(uint32_t abi, uint32_t action, bpf_ceiling_t *ret, sandbox_error_t *e) {
        static const uint32_t scans[][2] = { { 0, 1024 }, { 0xf0000, 0xf0040 } };
        int anchor = rules_syscall_number(abi, syscall_table_name(syscall_table_first()));
        uint32_t base, top = (uint32_t) syscall_table_last();
        bpf_ceiling_t c = {
                .abi = seccomp_arch_name(abi), .audit_arch = audit_arch(abi), .highest = UINT32_MAX, .action = action
        };

        if (anchor < 0)
                return error_msg(e,
                                 "syscall rule '%s': libseccomp can't say where %s numbers its newest syscalls, "
                                 "so the ceiling can't be placed there",
                                 RULES_UNKNOWN, seccomp_arch_name(abi));
        base = (uint32_t) anchor - (uint32_t) syscall_table_first();
        if (abi == SCMP_ARCH_X86_64)
                c.highest = 0x3fffffff; /* x32's numbers are above, for x32's block */
        else if (abi == SCMP_ARCH_X32)
                c.lowest = 0x40000000;
        for (uint32_t i = top + 1; i < 512; i++)
                if (known_number(abi, base + i))
                        top = i;
        c.ceiling = base + top;
        for (size_t s = 0; s < ELEMENTSOF(scans); s++)
                for (uint32_t i = scans[s][0]; i < scans[s][1]; i++) {
                        uint32_t nr = base + i;
                        if (nr <= c.ceiling || !known_number(abi, nr))
                                continue;
                        if (c.n_known && c.known[c.n_known - 1][1] == nr - 1)
                                c.known[c.n_known - 1][1] = nr;
                        else if (c.n_known < ELEMENTSOF(c.known))
                                c.known[c.n_known][0] = c.known[c.n_known][1] = nr, c.n_known++;
                        else
                                return error_msg(e,
                                                 "syscall rule '%s': %s has too many ranges of syscalls above "
                                                 "the newest",
                                                 RULES_UNKNOWN, seccomp_arch_name(abi));
                }
        *ret = c;
        return 0;
}

typedef struct beyond_table {
        bpf_number_t *numbers;
        size_t n_numbers;
        bpf_ceiling_t *ceilings;
        size_t n_ceilings;
} beyond_table_t;

static void beyond_table_free(beyond_table_t *b) {
        free(b->numbers);
        free(b->ceilings);
}

/* Rules without conditions that refuse a call only our table names, on each ABI. */
static void collect_numbers(const sandbox_plan_t *p, const uint32_t *abis, size_t n_abis, beyond_table_t *b) {
        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *r = &p->rules[i];
                if (!rule_applies(p, r) || r->n_conds || !verdict_denies(r->action))
                        continue;
                for (size_t k = 0; k < r->n_names; k++)
                        for (size_t a = 0; a < n_abis; a++) {
                                size_t j;
                                if (!rules_syscall_ours_only(abis[a], r->names[k]))
                                        continue;
                                bpf_number_t num = { .audit_arch = audit_arch(abis[a]),
                                                     .action = r->action,
                                                     .nr = (uint32_t) rules_syscall_number(abis[a], r->names[k]),
                                                     .name = r->names[k] };
                                for (j = 0; j < b->n_numbers; j++)
                                        if (b->numbers[j].audit_arch == num.audit_arch && b->numbers[j].nr == num.nr)
                                                break;
                                if (j == b->n_numbers)
                                        b->numbers = xrealloc_array(b->numbers, ++b->n_numbers, sizeof num);
                                else if (verdict_precedence(b->numbers[j].action) <= verdict_precedence(num.action))
                                        continue; /* the strictest verdict wins */
                                b->numbers[j] = num;
                        }
        }
}

/* What the hand-made filter for numbers libseccomp's table lacks holds: rules on calls only our
 * table names, and the ceiling of @unknown (the strictest action of the rules naming it). */
static int collect_beyond_table(const sandbox_plan_t *p, beyond_table_t *ret, sandbox_error_t *e) {
        _cleanup_free_ uint32_t *abis = xrealloc_array(NULL, p->n_arches + 1, sizeof *abis);
        size_t n_abis = filter_abis(p, abis);
        bool ceiling = false;
        uint32_t action = 0;
        int r;

        *ret = (beyond_table_t){ 0 };
        collect_numbers(p, abis, n_abis, ret);
        for (size_t i = 0; i < p->n_rules; i++)
                if (p->rules[i].unknown_numbers && rule_applies(p, &p->rules[i]) &&
                    (!ceiling || verdict_precedence(p->rules[i].action) < verdict_precedence(action))) {
                        action = p->rules[i].action;
                        ceiling = true;
                }
        for (size_t a = 0; a < n_abis && ceiling; a++) {
                ret->ceilings = xrealloc_array(ret->ceilings, ret->n_ceilings + 1, sizeof *ret->ceilings);
                if ((r = abi_ceiling(abis[a], action, &ret->ceilings[ret->n_ceilings], e)) < 0) {
                        beyond_table_free(ret);
                        return r;
                }
                ret->n_ceilings++;
        }
        return 0;
}

static int compile_beyond_table(const sandbox_plan_t *p, seccomp_program_t *ret, sandbox_error_t *e) {
        beyond_table_t b;
        int r;

        *ret = (seccomp_program_t){ 0 };
        if ((r = collect_beyond_table(p, &b, e)) < 0)
                return r;
        if (b.n_numbers || b.n_ceilings)
                r = bpf_beyond_table(b.numbers, b.n_numbers, b.ceilings, b.n_ceilings, ret);
        beyond_table_free(&b);
        return r < 0 ? error_errno(e, r, "making the filter for the syscall numbers libseccomp doesn't know") : 0;
}

/* Every rule must mean on each added ABI what it means on the native one: what libseccomp can't
 * add exactly there (a syscall it would have to rewrite) is refused. A syscall the ABI doesn't
 * have is fine; one it also reaches through a multiplexer gets mux_decision() there. */
static int check_arch(const sandbox_plan_t *p, uint32_t arch, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx ctx = seccomp_lib.init(SCMP_ACT_KILL_PROCESS);
        char buf[512];
        int r;

        if (!ctx || seccomp_lib.arch_add(ctx, arch) < 0 || seccomp_lib.arch_remove(ctx, seccomp_lib.arch_native()) < 0)
                return error_msg(e, "libseccomp could not make a filter for %s", seccomp_arch_name(arch));
        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *rule = &p->rules[i];
                if (!rule_applies(p, rule))
                        continue;
                for (size_t k = 0; k < rule->n_names; k++) {
                        const char *name = rule->names[k];
                        /* Absent there (a pseudo number): nothing can call it. */
                        if (!abi_has(arch, name) || rule->action == SCMP_ACT_KILL_PROCESS || rule_has_not_in(rule))
                                continue; /* same as this scratch filter's default; not-in is checked apart */
                        r = seccomp_lib.rule_add_exact_array(ctx, rule->action, seccomp_lib.syscall_resolve_name(name),
                                                             0, NULL);
                        if (r < 0 && r != -EEXIST)
                                return error_errno(e, r, "%s: not expressible for %s (%s)",
                                                   rule_name(rule, buf, sizeof buf), seccomp_arch_name(arch), name);
                }
        }
        return 0;
}

/* A call only our table names: libseccomp's filter takes its number on the native ABI, but
 * only while no other ABI is added. 1 when the rule stays out of libseccomp's filter: a denial
 * without conditions is in the hand-made one; with other ABIs, an allow is left out, so the
 * call gets the default action (fail closed). -EINVAL for a denial that neither can express. */
static int ours_only(const sandbox_plan_t *p, const syscall_rule_t *rule, const char *name, sandbox_error_t *e) {
        bool other_abis = false;
        char buf[512];

        if (!rules_syscall_ours_only(SCMP_ARCH_NATIVE, name))
                return 0;
        if (!rule->n_conds && verdict_denies(rule->action))
                return 1;
        for (size_t i = 0; i < p->n_arches; i++)
                other_abis |= p->arches[i] != seccomp_lib.arch_native();
        if (!other_abis)
                return 0;
        if (!verdict_denies(rule->action))
                return 1;
        error_msg(e,
                  "%s: not expressible with other ABIs: this libseccomp has no name for %s, and puts "
                  "a number it doesn't know on the native ABI only",
                  rule_name(rule, buf, sizeof buf), name);
        error_hint(e, "a denial of %s without conditions works on every ABI (it is made by hand)", name);
        return -EINVAL;
}

/* A not-in rule on NAME already refuses it through a multiplexer, as strictly as VERDICT. */
static bool refused_by_not_in(const sandbox_plan_t *p, const char *name, uint32_t verdict) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (rule_has_not_in(&p->rules[i]) && rule_applies(p, &p->rules[i]) && rule_names(&p->rules[i], name) &&
                    verdict_precedence(p->rules[i].action) <= verdict_precedence(verdict))
                        return true;
        return false;
}

/* Into the overlay: each call through a multiplexer that mux_decision() refuses, by its number. */
static int add_mux_decisions(const sandbox_plan_t *p, scmp_filter_ctx ctx, bool *any, sandbox_error_t *e) {
        for (size_t m = 0; m < n_muxes; m++) {
                if (!mux_used(p, m))
                        continue;
                for (const mux_call_t *c = muxes[m].calls; c->name; c++) {
                        struct scmp_arg_cmp cmp = {
                                .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = muxes[m].call_mask, .datum_b = c->call
                        };
                        uint32_t verdict;
                        bool blind;
                        int r;

                        if (!mux_decision(p, m, c, &verdict, &blind) || verdict == SCMP_ACT_ALLOW ||
                            refused_by_not_in(p, c->name, verdict))
                                continue;
                        r = seccomp_lib.rule_add_array(ctx, verdict, seccomp_lib.syscall_resolve_name(muxes[m].name), 1,
                                                       &cmp);
                        if (r < 0 && r != -EEXIST)
                                return error_errno(e, r, "adding the verdict of %s through %s(2)", c->name,
                                                   muxes[m].name);
                        *any = true;
                }
        }
        return 0;
}

/* The main filter (overlay false), or the overlay of needs_overlay() (*ret NULL when no rule
 * needs one). */
static int libseccomp_ctx_new(const sandbox_plan_t *p, bool overlay, scmp_filter_ctx *ret, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
        _cleanup_free_ size_t *order = NULL;
        bool clone_filtered = false, clone3_named = false, any = false;
        int r;

        *ret = NULL;
        if ((r = libseccomp_open(e)) < 0)
                return r;
        ctx = seccomp_lib.init(overlay ? SCMP_ACT_ALLOW : plan_default_action(p));
        if (!ctx)
                return error_msg(e, "libseccomp could not make a filter (is the default action valid?)");
        /* A binary tree of syscall numbers instead of a linear list; other ABIs are killed (by
         * the main filter: the overlay lets them through to it). */
        if ((r = seccomp_lib.attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0 ||
            (r = seccomp_lib.attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, overlay ? SCMP_ACT_ALLOW : SCMP_ACT_KILL_PROCESS)) <
                    0)
                return error_errno(e, r, "setting up the seccomp filter");
        for (size_t i = 0; i < p->n_arches; i++) {
                if ((r = seccomp_lib.arch_add(ctx, p->arches[i])) < 0 && r != -EEXIST)
                        return error_errno(e, r, "--syscall-arch: adding an architecture");
                if (!overlay && p->arches[i] != seccomp_lib.arch_native() && (r = check_arch(p, p->arches[i], e)) < 0)
                        return r;
        }
        order = xrealloc_array(NULL, p->n_rules + 1, sizeof *order);
        for (size_t i = 0; i < p->n_rules; i++)
                order[i] = i;
        qsort_r(order, p->n_rules, sizeof *order, rule_order, (void *) p);
        for (size_t o = 0; o < p->n_rules; o++) {
                const syscall_rule_t *rule = &p->rules[order[o]];
                if (rule_has_not_in(rule) || !rule_applies(p, rule))
                        continue;
                for (size_t k = 0; k < rule->n_names; k++) {
                        clone_filtered |= strcmp(rule->names[k], "clone") == 0 && rule->n_conds > 0;
                        clone3_named |= strcmp(rule->names[k], "clone3") == 0;
                        /* A multiplexer's conditions count for each call through it, in the overlay. */
                        if (rule->n_conds && mux_is(rule->names[k]))
                                continue;
                        if (overlay ? !needs_overlay(p, order[o], rule->names[k])
                                    : decided_before(p, order, o, rule->names[k]))
                                continue;
                        if ((r = ours_only(p, rule, rule->names[k], e)) != 0) {
                                if (r < 0)
                                        return r;
                                continue; /* in the hand-made filter */
                        }
                        if ((r = add_rule(ctx, rule, rule->names[k], e)) < 0)
                                return r;
                        any = true;
                }
        }
        if (overlay) {
                if ((r = add_mux_decisions(p, ctx, &any, e)) < 0)
                        return r;
                if (any)
                        *ret = TAKE_PTR(ctx);
                return 0;
        }
        /* clone3 passes its flags in memory, out of a filter's reach: when clone's flags are
         * filtered, clone3 must fail with ENOSYS so that libc falls back to clone. */
        if (clone_filtered && !clone3_named) {
                r = seccomp_lib.rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), seccomp_lib.syscall_resolve_name("clone3"), 0);
                if (r < 0 && r != -EACCES)
                        return error_errno(e, r, "adding clone3 -> ENOSYS");
        }
        *ret = TAKE_PTR(ctx);
        return 0;
}

static int ctx_to_program(scmp_filter_ctx ctx, seccomp_program_t *ret, sandbox_error_t *e) {
        _cleanup_close_ int fd = -1;
        char *data = NULL;
        size_t size;
        int r;

        /* libseccomp 2.5 exports to an fd only. */
        fd = memfd_create("sandbox-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return error_errno(e, errno, "memfd_create for the seccomp filter");
        if ((r = seccomp_lib.export_bpf(ctx, fd)) < 0)
                return error_errno(e, r, "compiling the seccomp filter");
        if (lseek(fd, 0, SEEK_SET) < 0 ||
            (r = read_all(fd, BPF_MAXINSNS * sizeof(struct sock_filter), &data, &size)) < 0)
                return error_errno(e, r < 0 ? r : -errno, "reading the compiled seccomp filter");
        ret->prog.len = (unsigned short) (size / sizeof(struct sock_filter));
        ret->prog.filter = (struct sock_filter *) data;
        return 0;
}

void seccomp_programs_free(seccomp_program_t *progs, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(progs[i].prog.filter);
        free(progs);
}

int seccomp_compile(const sandbox_plan_t *p, seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx main_ctx = NULL, overlay_ctx = NULL;
        seccomp_program_t *progs = NULL, main_prog = { 0 }, overlay_prog = { 0 }, beyond_prog = { 0 };
        size_t n = 0;
        int r;

        *ret = NULL;
        *ret_n = 0;
        if (!p->n_rules && !p->syscall_default_set && !p->n_arches)
                return 0;
        if ((r = libseccomp_ctx_new(p, false, &main_ctx, e)) < 0 ||
            (r = libseccomp_ctx_new(p, true, &overlay_ctx, e)) < 0)
                return r;
        if (overlay_ctx && (r = ctx_to_program(overlay_ctx, &overlay_prog, e)) < 0)
                return r;
        if ((r = ctx_to_program(main_ctx, &main_prog, e)) < 0 || (r = compile_not_ins(p, &progs, &n, e)) < 0 ||
            (r = compile_beyond_table(p, &beyond_prog, e)) < 0) {
                free(main_prog.prog.filter);
                free(overlay_prog.prog.filter);
                seccomp_programs_free(progs, n);
                return r;
        }
        progs = xrealloc_array(progs, n + 3, sizeof *progs);
        if (beyond_prog.prog.len)
                progs[n++] = beyond_prog;
        if (overlay_prog.prog.len) {
                memmove(progs + 1, progs, n * sizeof *progs);
                progs[0] = overlay_prog;
                n++;
        }
        progs[n++] = main_prog;
        *ret = progs;
        *ret_n = n;
        return 0;
}

static int export_pfc_beyond_table(const sandbox_plan_t *p, int fd, sandbox_error_t *e) {
        beyond_table_t b;
        int r;

        if ((r = collect_beyond_table(p, &b, e)) < 0)
                return r;
        if (b.n_numbers || b.n_ceilings)
                r = bpf_beyond_table_pfc(fd, b.numbers, b.n_numbers, b.ceilings, b.n_ceilings);
        beyond_table_free(&b);
        return r < 0 ? error_errno(e, r, "--export-pfc") : 0;
}

int seccomp_export_pfc_plan(const sandbox_plan_t *p, int fd, sandbox_error_t *e) {
        for (int overlay = 0; overlay <= 1; overlay++) {
                _cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
                int r;

                if ((r = libseccomp_ctx_new(p, overlay, &ctx, e)) < 0)
                        return r;
                if (!ctx)
                        continue;
                if (overlay && dprintf(fd, "#\n# overlay, stacked (the strictest verdict wins): denials the filter "
                                           "above can't hold alone\n") < 0)
                        return error_errno(e, errno, "--export-pfc");
                if ((r = seccomp_lib.export_pfc(ctx, fd)) < 0)
                        return error_errno(e, r, "--export-pfc");
        }
        return export_pfc_beyond_table(p, fd, e);
}

/* ---- --print-policy: what the rules became ---- */

/* Only an imported profile's rules hold capabilities, and the import loaded libcap. */
static void print_caps(FILE *f, const char *how, uint64_t caps) {
        for (unsigned v = 0; v < 64; v++) {
                char *name;
                if (!(caps & (UINT64_C(1) << v)) || !(name = cap_lib.to_name((cap_value_t) v)))
                        continue;
                fprintf(f, " %s ", how);
                for (const char *c = name; *c; c++)
                        fputc(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c, f);
                cap_lib.free(name);
                how = "and";
        }
}

static void print_abis(FILE *f, const sandbox_plan_t *p) {
        _cleanup_free_ uint32_t *abis = xrealloc_array(NULL, p->n_arches + 1, sizeof *abis);
        size_t n = filter_abis(p, abis);
        char action[48];

        rules_format_action(plan_default_action(p), action, sizeof action);
        fprintf(f, "#   default %s; ABIs %s (native)", action, seccomp_arch_name(abis[0]));
        for (size_t i = 1; i < n; i++)
                fprintf(f, ", %s", seccomp_arch_name(abis[i]));
        fprintf(f, "; any other is killed\n");
}

/* The calls a multiplexer passes on some ABI of the filter that get a verdict of their own there. */
static void print_muxes(FILE *f, const sandbox_plan_t *p) {
        _cleanup_free_ uint32_t *abis = xrealloc_array(NULL, p->n_arches + 1, sizeof *abis);
        size_t n = filter_abis(p, abis);

        for (size_t m = 0; m < n_muxes; m++)
                for (size_t a = 0; a < n; a++) {
                        bool said = false;
                        if (!abi_has(abis[a], muxes[m].name))
                                continue;
                        for (const mux_call_t *c = muxes[m].calls; c->name; c++) {
                                uint32_t verdict;
                                char action[48];
                                bool blind;
                                if (!mux_decision(p, m, c, &verdict, &blind) || verdict == SCMP_ACT_ALLOW)
                                        continue;
                                if (!said)
                                        fprintf(f,
                                                "#   on %s, %s(2) passes the arguments of the calls it makes in "
                                                "memory, out of the filter's reach; through it:\n",
                                                seccomp_arch_name(abis[a]), muxes[m].name);
                                said = true;
                                rules_format_action(verdict, action, sizeof action);
                                fprintf(f, "#     %s (call %u): %s%s\n", c->name, c->call, action,
                                        blind ? ", whatever its arguments (its rules compare them)" : "");
                        }
                }
}

void seccomp_print_plan(FILE *f, const sandbox_plan_t *p) {
        bool imported = false;

        for (size_t i = 0; i < p->n_rules; i++)
                imported |= p->rules[i].origin != NULL;
        if (!imported && !p->n_arches)
                return;
        fprintf(f, "# What the syscall rules became (comments: the lines above load it again):\n");
        print_abis(f, p);
        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *r = &p->rules[i];
                _cleanup_free_ char *text = NULL;
                if (!r->origin)
                        continue;
                text = rules_format(r);
                fprintf(f, "#   %ssyscall %s  # %s", rule_applies(p, r) ? "" : "(left out) ", text, r->origin);
                print_caps(f, "with", r->need_caps);
                print_caps(f, "without", r->exclude_caps);
                fputc('\n', f);
        }
        print_muxes(f, p);
}
