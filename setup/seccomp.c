/* SPDX-License-Identifier: MIT */
#include "seccomp.h"

#include <linux/seccomp.h>
#include <stddef.h>
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
                return error_msg(e, "--%s: fd %d holds %zu bytes, not a BPF program (a non-empty array of "
                                 "8-byte struct sock_filter)", option, fd, size);
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

#include "libseccomp.h"
#include <sys/mman.h>

#include "plan.h"
#include "rules.h"

static void ctx_release(scmp_filter_ctx *ctx) {
        if (*ctx)
                sc.release(*ctx);
}

static struct scmp_arg_cmp to_cmp(const rule_cond_t *c, uint64_t value) {
        static const enum scmp_compare ops[] = {
                [COND_EQ] = SCMP_CMP_EQ, [COND_NE] = SCMP_CMP_NE, [COND_LT] = SCMP_CMP_LT,
                [COND_LE] = SCMP_CMP_LE, [COND_GT] = SCMP_CMP_GT, [COND_GE] = SCMP_CMP_GE,
        };
        if (c->op == COND_MASKED_EQ || (c->op == COND_IN && c->mask != UINT64_MAX))
                return (struct scmp_arg_cmp) { .arg = c->arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = c->mask, .datum_b = value };
        return (struct scmp_arg_cmp) { .arg = c->arg, .op = c->op == COND_IN ? SCMP_CMP_EQ : ops[c->op], .datum_a = value };
}

/* One rule for one syscall: an "in {...}" set becomes one seccomp rule per value (every
 * combination when several arguments have sets). */
static int add_rule(scmp_filter_ctx ctx, const syscall_rule_t *r, const char *name, sandbox_error_t *e) {
        int nr = sc.syscall_resolve_name(name);
        size_t combos = 1, idx[6] = { 0 };

        for (size_t j = 0; j < r->n_conds; j++)
                combos *= r->conds[j].n_values;
        if (combos > 4096)
                return error_msg(e, "--syscall '%s': %zu combinations of 'in' values is too many", r->text, combos);
        for (size_t k = 0; k < combos; k++) {
                struct scmp_arg_cmp cmps[6];
                size_t rest = k;
                int ret;

                for (size_t j = 0; j < r->n_conds; j++) {
                        idx[j] = rest % r->conds[j].n_values;
                        rest /= r->conds[j].n_values;
                        cmps[j] = to_cmp(&r->conds[j], r->conds[j].values[idx[j]]);
                }
                ret = sc.rule_add_array(ctx, r->action, nr, (unsigned) r->n_conds, cmps);
                if (ret == -EACCES)
                        continue;       /* the same as the default action: nothing to add */
                if (ret < 0)
                        return error_errno(e, ret, "--syscall '%s': not expressible for %s%s", r->text, name,
                                           ret == -EEXIST ? " (it conflicts with an earlier rule)" : "");
        }
        return 0;
}

static bool has_not_in(const syscall_rule_t *r) {
        return r->n_conds == 1 && r->conds[0].op == COND_NOT_IN;
}

static bool arg_is_32bit(const char *syscall, unsigned arg) {
        syscall_rule_t probe = { .names = (char *[]) { (char *) syscall }, .n_names = 1, .action = SCMP_ACT_KILL_PROCESS };
        rule_cond_t c = { .arg = arg, .op = COND_GT, .values = (uint64_t[]) { 0 }, .n_values = 1, .mask = UINT64_MAX };
        probe.conds = &c;
        probe.n_conds = 1;
        return rules_apply_32bit(&probe, NULL) < 0;     /* refused: the argument is 32-bit */
}

/* "ACTION NAME if argN not-in {V...}": libseccomp can't compare one argument twice in a rule,
 * so this is a small filter of its own, stacked with the main one (the strictest verdict wins):
 * for the native ABI and that syscall, ACTION unless the argument is one of the values. */
static int compile_not_in(const syscall_rule_t *r, const char *name, seccomp_program_t *ret, sandbox_error_t *e) {
        const rule_cond_t *c = &r->conds[0];
        bool wide = !arg_is_32bit(name, c->arg);
        size_t n = 0, allow;
        struct sock_filter *f;

        if (c->n_values > 200)
                return error_msg(e, "--syscall '%s': at most 200 values in 'not-in'", r->text);
        /* Only the low half is compared with the values: a wider one would let its low half through. */
        for (size_t v = 0; wide && v < c->n_values; v++)
                if (c->values[v] > UINT32_MAX)
                        return error_msg(e, "--syscall '%s': 'not-in' values must fit in 32 bits", r->text);
        allow = 5 + (wide ? 2 : 0) + c->n_values + 1;
        f = xrealloc_array(NULL, allow + 1, sizeof *f);        /* the allow return is the last instruction */
#define JUMP_TO(target) ((uint8_t) ((target) - n - 1))    /* relative to the instruction after n */
#define EMIT(insn) do { struct sock_filter _i = insn; f[n] = _i; n++; } while (0)
        EMIT(((struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))));
        EMIT(((struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sc.arch_native(), 0, JUMP_TO(allow))));
        EMIT(((struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))));
        EMIT(((struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) sc.syscall_resolve_name(name), 0,
                                            JUMP_TO(allow))));
        if (wide) {
                /* A value with high bits set is none of the (32-bit) values listed. */
                EMIT(((struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                    offsetof(struct seccomp_data, args[c->arg]) + 4)));
                EMIT(((struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, JUMP_TO(allow - 1))));
        }
        EMIT(((struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[c->arg]))));
        for (size_t v = 0; v < c->n_values; v++)
                EMIT(((struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) c->values[v], JUMP_TO(allow), 0)));
        EMIT(((struct sock_filter) BPF_STMT(BPF_RET | BPF_K, r->action)));
        EMIT(((struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)));
#undef EMIT
#undef JUMP_TO
        ret->prog.len = (unsigned short) n;
        ret->prog.filter = f;
        return 0;
}

int seccomp_compile_not_in(const sandbox_plan_t *p, seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e) {
        seccomp_program_t *progs = NULL;
        size_t n = 0;
        int r;

        *ret = NULL;
        *ret_n = 0;
        for (size_t i = 0; i < p->n_rules; i++) {
                if (!has_not_in(&p->rules[i]) || (p->rules[i].need_caps & ~p->caps) ||
                    (p->rules[i].exclude_caps & p->caps))
                        continue;
                if (p->n_arches)
                        return error_msg(e, "--syscall '%s': 'not-in' covers the native ABI only; it can't be combined "
                                         "with other architectures (syscall-arch, or a profile's archMap)", p->rules[i].text);
                for (size_t k = 0; k < p->rules[i].n_names; k++) {
                        if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
                                return error_msg(e, "'not-in' is only built for little-endian machines");
                        progs = xrealloc_array(progs, n + 1, sizeof *progs);
                        if ((r = compile_not_in(&p->rules[i], p->rules[i].names[k], &progs[n], e)) < 0) {
                                while (n > 0)
                                        free(progs[--n].prog.filter);
                                free(progs);
                                return r;
                        }
                        n++;
                }
        }
        *ret = progs;
        *ret_n = n;
        return 0;
}

static bool in_list(const char *const *list, const char *name) {
        for (; *list; list++)
                if (strcmp(*list, name) == 0)
                        return true;
        return false;
}

/* A rule that stops MUX outright (no conditions, not allow) closes the multiplexed path. */
static bool mux_denied(const sandbox_plan_t *p, const char *mux) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (!p->rules[i].n_conds && p->rules[i].action != SCMP_ACT_ALLOW && p->rules[i].action != SCMP_ACT_LOG)
                        for (size_t k = 0; k < p->rules[i].n_names; k++)
                                if (strcmp(p->rules[i].names[k], mux) == 0)
                                        return true;
        return false;
}

static const char *arch_name(uint32_t token) {
        static const char *const names[] = { "x86", "x86_64", "x32", "arm", "aarch64", "mips", "mips64", "mips64n32",
                                             "mipsel", "mipsel64", "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390",
                                             "s390x", "riscv64", "loongarch64", NULL };
        for (const char *const *n = names; *n; n++)
                if (sc.arch_resolve_name(*n) == token)
                        return *n;
        return "another architecture";
}

/* Every rule must mean on each added ABI what it means on the native one. Where socket or SysV
 * IPC calls also go through a multiplexer (socketcall, ipc) whose arguments are in memory, a
 * condition would hold on the direct path only; anything else libseccomp can't add exactly
 * (a syscall it would have to rewrite) is refused too. A syscall the ABI doesn't have is fine. */
static int check_arch(const sandbox_plan_t *p, uint32_t arch, sandbox_error_t *e) {
        static const char *const socketcalls[] = { "socket", "bind", "connect", "listen", "accept", "accept4",
                "getsockname", "getpeername", "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown",
                "setsockopt", "getsockopt", "sendmsg", "recvmsg", "recvmmsg", "sendmmsg", NULL };
        static const char *const ipccalls[] = { "semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv",
                "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl", NULL };
        _cleanup_(ctx_release) scmp_filter_ctx ctx = sc.init(SCMP_ACT_KILL_PROCESS);
        int r;

        if (!ctx || sc.arch_add(ctx, arch) < 0 || sc.arch_remove(ctx, sc.arch_native()) < 0)
                return error_msg(e, "libseccomp could not make a filter for %s", arch_name(arch));
        for (size_t i = 0; i < p->n_rules; i++) {
                const syscall_rule_t *rule = &p->rules[i];
                if ((rule->need_caps & ~p->caps) || (rule->exclude_caps & p->caps))
                        continue;
                for (size_t k = 0; k < rule->n_names; k++) {
                        const char *name = rule->names[k], *mux = NULL;
                        if (rule->n_conds && in_list(socketcalls, name) && sc.syscall_resolve_name_arch(arch, "socketcall") >= 0)
                                mux = "socketcall";
                        if (rule->n_conds && in_list(ipccalls, name) && sc.syscall_resolve_name_arch(arch, "ipc") >= 0)
                                mux = "ipc";
                        /* An allow rule with conditions only narrows: the multiplexer is then governed by
                         * its own rule (Docker's profile allows socketcall outright, knowingly). */
                        if (rule->action == SCMP_ACT_ALLOW || rule->action == SCMP_ACT_LOG)
                                mux = NULL;
                        if (mux && !mux_denied(p, mux)) {
                                error_msg(e, "--syscall '%s': not expressible for %s: %s is also reached there through "
                                          "%s(2), whose arguments a filter can't read", rule->text, arch_name(arch), name, mux);
                                error_hint(e, "deny %s for that ABI as well, or leave out syscall-arch %s", mux, arch_name(arch));
                                return -EINVAL;
                        }
                        /* Absent there (a pseudo number): nothing can call it. */
                        if (sc.syscall_resolve_name_arch(arch, name) < 0 || rule->action == SCMP_ACT_KILL_PROCESS ||
                            has_not_in(rule))
                                continue;       /* same as this scratch filter's default; not-in is checked apart */
                        r = sc.rule_add_exact_array(ctx, rule->action, sc.syscall_resolve_name(name), 0, NULL);
                        if (r < 0 && r != -EEXIST)
                                return error_errno(e, r, "--syscall '%s': not expressible for %s (%s)", rule->text,
                                                   arch_name(arch), name);
                }
        }
        return 0;
}

static int build(const sandbox_plan_t *p, scmp_filter_ctx *ret, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
        bool clone_filtered = false, clone3_named = false;
        int r;

        if ((r = libseccomp_open(e)) < 0)
                return r;
        ctx = sc.init(p->syscall_default_set ? p->syscall_default : SCMP_ACT_ALLOW);
        if (!ctx)
                return error_msg(e, "libseccomp could not make a filter (is the default action valid?)");
        /* A binary tree of syscall numbers instead of a linear list; other ABIs are killed. */
        if ((r = sc.attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0 ||
            (r = sc.attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0)
                return error_errno(e, r, "setting up the seccomp filter");
        for (size_t i = 0; i < p->n_arches; i++) {
                if ((r = sc.arch_add(ctx, p->arches[i])) < 0 && r != -EEXIST)
                        return error_errno(e, r, "--syscall-arch: adding an architecture");
                if (p->arches[i] != sc.arch_native() && (r = check_arch(p, p->arches[i], e)) < 0)
                        return r;
        }
        for (size_t i = 0; i < p->n_rules; i++)
                for (size_t k = 0; k < p->rules[i].n_names && !has_not_in(&p->rules[i]); k++) {
                        /* An imported rule for capabilities the sandbox doesn't keep (or does) is left out. */
                        if ((p->rules[i].need_caps & ~p->caps) || (p->rules[i].exclude_caps & p->caps))
                                break;
                        if ((r = add_rule(ctx, &p->rules[i], p->rules[i].names[k], e)) < 0)
                                return r;
                        clone_filtered |= strcmp(p->rules[i].names[k], "clone") == 0 && p->rules[i].n_conds > 0;
                        clone3_named |= strcmp(p->rules[i].names[k], "clone3") == 0;
                }
        /* clone3 passes its flags in memory, out of a filter's reach: when clone's flags are
         * filtered, clone3 must fail with ENOSYS so that libc falls back to clone. */
        if (clone_filtered && !clone3_named) {
                r = sc.rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), sc.syscall_resolve_name("clone3"), 0);
                if (r < 0 && r != -EACCES)
                        return error_errno(e, r, "adding clone3 -> ENOSYS");
        }
        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_compile(const sandbox_plan_t *p, seccomp_program_t *ret, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
        _cleanup_close_ int fd = -1;
        char *data = NULL;
        size_t size;
        int r;

        *ret = (seccomp_program_t) { 0 };
        if (!p->n_rules && !p->syscall_default_set && !p->n_arches)
                return 0;
        if ((r = build(p, &ctx, e)) < 0)
                return r;
        /* libseccomp 2.5 exports to an fd only. */
        fd = memfd_create("sandbox-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return error_errno(e, errno, "memfd_create for the seccomp filter");
        if ((r = sc.export_bpf(ctx, fd)) < 0)
                return error_errno(e, r, "compiling the seccomp filter");
        if (lseek(fd, 0, SEEK_SET) < 0 || (r = read_all(fd, BPF_MAXINSNS * sizeof(struct sock_filter), &data, &size)) < 0)
                return error_errno(e, r < 0 ? r : -errno, "reading the compiled seccomp filter");
        ret->prog.len = (unsigned short) (size / sizeof(struct sock_filter));
        ret->prog.filter = (struct sock_filter *) data;
        return 0;
}

int seccomp_export_pfc_plan(const sandbox_plan_t *p, int fd, sandbox_error_t *e) {
        _cleanup_(ctx_release) scmp_filter_ctx ctx = NULL;
        int r;

        if ((r = build(p, &ctx, e)) < 0)
                return r;
        if ((r = sc.export_pfc(ctx, fd)) < 0)
                return error_errno(e, r, "--export-pfc");
        return 0;
}
