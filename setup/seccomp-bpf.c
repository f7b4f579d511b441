/* SPDX-License-Identifier: MIT */
#include "seccomp-bpf.h"

#include <stdio.h>

#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

/* A tiny assembler: jumps name labels, resolved to the 8-bit offsets BPF wants at the end. */
#define LABEL_NEXT (-1) /* the next instruction */

typedef struct bpf_asm {
        struct sock_filter *insns;
        int *jt, *jf;
        size_t n;
        size_t *labels;
        size_t n_labels;
} bpf_asm_t;

static void emit(bpf_asm_t *a, uint16_t code, uint32_t k, int jt, int jf) {
        a->insns = xrealloc_array(a->insns, a->n + 1, sizeof *a->insns);
        a->jt = xrealloc_array(a->jt, a->n + 1, sizeof *a->jt);
        a->jf = xrealloc_array(a->jf, a->n + 1, sizeof *a->jf);
        a->insns[a->n] = (struct sock_filter){ .code = code, .k = k };
        a->jt[a->n] = jt;
        a->jf[a->n] = jf;
        a->n++;
}

static int new_label(bpf_asm_t *a) {
        a->labels = xrealloc_array(a->labels, a->n_labels + 1, sizeof *a->labels);
        a->labels[a->n_labels] = SIZE_MAX;
        return (int) a->n_labels++;
}

static void place(bpf_asm_t *a, int label) {
        a->labels[label] = a->n;
}

static void load_word(bpf_asm_t *a, size_t offset) {
        emit(a, BPF_LD | BPF_W | BPF_ABS, (uint32_t) offset, LABEL_NEXT, LABEL_NEXT);
}

static void jump(bpf_asm_t *a, uint16_t op, uint32_t k, int jt, int jf) {
        emit(a, BPF_JMP | op | BPF_K, k, jt, jf);
}

static void ret_action(bpf_asm_t *a, uint32_t action) {
        emit(a, BPF_RET | BPF_K, action, LABEL_NEXT, LABEL_NEXT);
}

static int offset_to(const bpf_asm_t *a, size_t at, int label, uint8_t *ret) {
        size_t target = label == LABEL_NEXT ? at + 1 : a->labels[label];

        if (target == SIZE_MAX || target <= at || target - at - 1 > UINT8_MAX)
                return -E2BIG;
        *ret = (uint8_t) (target - at - 1);
        return 0;
}

/* Resolves the jumps into ret; the assembler's memory is freed either way. */
static int assemble(bpf_asm_t *a, seccomp_program_t *ret) {
        int r = a->n > BPF_MAXINSNS ? -E2BIG : 0;

        for (size_t i = 0; i < a->n && r == 0; i++)
                if (BPF_CLASS(a->insns[i].code) == BPF_JMP && ((r = offset_to(a, i, a->jt[i], &a->insns[i].jt)) < 0 ||
                                                               (r = offset_to(a, i, a->jf[i], &a->insns[i].jf)) < 0))
                        break;
        free(a->jt);
        free(a->jf);
        free(a->labels);
        if (r < 0) {
                free(a->insns);
                return r;
        }
        ret->prog.len = (unsigned short) a->n;
        ret->prog.filter = a->insns;
        return 0;
}

/* Jumps to next unless the call is nr on the ABI audit_arch. */
static void match_call(bpf_asm_t *a, uint32_t audit_arch, uint32_t nr, int next) {
        load_word(a, offsetof(struct seccomp_data, arch));
        jump(a, BPF_JEQ, audit_arch, LABEL_NEXT, next);
        load_word(a, offsetof(struct seccomp_data, nr));
        jump(a, BPF_JEQ, nr, LABEL_NEXT, next);
}

/* One block per target, each with its own returns, so that no jump reaches past 255. */
int bpf_not_in(const bpf_not_in_t *rule, const bpf_target_t *targets, size_t n, seccomp_program_t *ret) {
        bpf_asm_t a = { 0 };

        for (size_t t = 0; t < n; t++) {
                int next = new_label(&a), refuse = new_label(&a), pass = new_label(&a);

                match_call(&a, targets[t].audit_arch, targets[t].nr, next);
                if (targets[t].mux_call) {
                        /* The kernel reads the call's number from the low bits (ipc keeps a version above). */
                        load_word(&a, offsetof(struct seccomp_data, args[0]));
                        emit(&a, BPF_ALU | BPF_AND | BPF_K, 0xffff, LABEL_NEXT, LABEL_NEXT);
                        jump(&a, BPF_JEQ, targets[t].mux_call, refuse, next);
                } else {
                        if (rule->wide) {
                                /* A value with high bits set is none of the (32-bit) values listed. */
                                load_word(&a, offsetof(struct seccomp_data, args[rule->arg]) + 4);
                                jump(&a, BPF_JEQ, 0, LABEL_NEXT, refuse);
                        }
                        load_word(&a, offsetof(struct seccomp_data, args[rule->arg]));
                        for (size_t v = 0; v < rule->n_values; v++)
                                jump(&a, BPF_JEQ, (uint32_t) rule->values[v], pass, LABEL_NEXT);
                }
                place(&a, refuse);
                ret_action(&a, rule->action);
                place(&a, pass);
                ret_action(&a, SECCOMP_RET_ALLOW);
                place(&a, next);
        }
        ret_action(&a, SECCOMP_RET_ALLOW);
        return assemble(&a, ret);
}

static void ceiling_block(bpf_asm_t *a, const bpf_ceiling_t *c, int pass) {
        int next = new_label(a);

        load_word(a, offsetof(struct seccomp_data, arch));
        jump(a, BPF_JEQ, c->audit_arch, LABEL_NEXT, next);
        load_word(a, offsetof(struct seccomp_data, nr));
        jump(a, BPF_JGE, c->lowest, LABEL_NEXT, next);
        jump(a, BPF_JGT, c->highest, next, LABEL_NEXT);
        jump(a, BPF_JGT, c->ceiling, LABEL_NEXT, pass);
        for (size_t k = 0; k < c->n_known; k++) {
                int other = new_label(a);
                jump(a, BPF_JGE, c->known[k][0], LABEL_NEXT, other);
                jump(a, BPF_JGT, c->known[k][1], other, pass);
                place(a, other);
        }
        ret_action(a, c->action);
        place(a, next);
}

/* The numbers first, then each ABI's ceiling; whatever matches none is allowed (to the filters
 * stacked after this one). */
int bpf_beyond_table(const bpf_number_t *numbers, size_t n, const bpf_ceiling_t *ceilings, size_t n_ceilings,
                     seccomp_program_t *ret) {
        bpf_asm_t a = { 0 };
        int pass = new_label(&a);

        for (size_t i = 0; i < n; i++) {
                int next = new_label(&a);
                match_call(&a, numbers[i].audit_arch, numbers[i].nr, next);
                ret_action(&a, numbers[i].action);
                place(&a, next);
        }
        for (size_t i = 0; i < n_ceilings; i++)
                ceiling_block(&a, &ceilings[i], pass);
        place(&a, pass);
        ret_action(&a, SECCOMP_RET_ALLOW);
        return assemble(&a, ret);
}

static void print_action(int fd, uint32_t action) {
        if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
                dprintf(fd, "ERRNO(%u)", action & SECCOMP_RET_DATA);
        else if (action == SECCOMP_RET_KILL_PROCESS)
                dprintf(fd, "KILL_PROCESS");
        else if (action == SECCOMP_RET_KILL_THREAD)
                dprintf(fd, "KILL");
        else if (action == SECCOMP_RET_TRAP)
                dprintf(fd, "TRAP");
        else
                dprintf(fd, "0x%08x", action);
}

int bpf_beyond_table_pfc(int fd, const bpf_number_t *numbers, size_t n, const bpf_ceiling_t *ceilings,
                         size_t n_ceilings) {
        if (dprintf(fd, "#\n# stacked, made by hand (the strictest verdict wins): syscall numbers libseccomp's "
                        "table lacks\n#\n") < 0)
                return -errno;
        for (size_t i = 0; i < n; i++) {
                dprintf(fd, "if ($arch == %u)\n  # \"%s\", from our own table\n  if ($syscall == %u)\n    action ",
                        numbers[i].audit_arch, numbers[i].name, numbers[i].nr);
                print_action(fd, numbers[i].action);
                dprintf(fd, ";\n");
        }
        for (size_t i = 0; i < n_ceilings; i++) {
                const bpf_ceiling_t *c = &ceilings[i];
                dprintf(fd, "# @unknown for %s: above the highest syscall number known\n", c->abi);
                dprintf(fd, "if ($arch == %u)\n  if ($syscall >= %u && $syscall <= %u && $syscall > %u", c->audit_arch,
                        c->lowest, c->highest, c->ceiling);
                for (size_t k = 0; k < c->n_known; k++)
                        dprintf(fd, " && !($syscall >= %u && $syscall <= %u)", c->known[k][0], c->known[k][1]);
                dprintf(fd, ")\n    action ");
                print_action(fd, c->action);
                dprintf(fd, ";\n");
        }
        return dprintf(fd, "action ALLOW;\n") < 0 ? -errno : 0;
}

uint32_t bpf_native_arch(void) {
#if defined(__x86_64__)
        return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
        return AUDIT_ARCH_AARCH64;
#elif defined(__i386__)
        return AUDIT_ARCH_I386;
#else
        return 0;
#endif
}

/* What our pid 1 does once its filter is in: the signalfd loop of init_run() (read, wait4, kill,
 * write), its exit, and what libc and a sanitizer's runtime may add on the way (memory, signal
 * masks, abort). Nothing else, whatever the policy says: the policy is the command's. */
int bpf_init_filter(seccomp_program_t *ret) {
        const uint32_t native = bpf_native_arch();
        static const uint32_t allowed[] = {
                SYS_read,           SYS_write,        SYS_close,       SYS_wait4,     SYS_waitid,
                SYS_kill,           SYS_tgkill,       SYS_getpid,      SYS_gettid,    SYS_rt_sigreturn,
                SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_sigaltstack, SYS_signalfd4, SYS_restart_syscall,
                SYS_exit,           SYS_exit_group,   SYS_brk,         SYS_mmap,      SYS_munmap,
                SYS_madvise,        SYS_futex,
        };
        bpf_asm_t a = { 0 };
        int kill = new_label(&a), allow = new_label(&a);

        if (!native)
                return -EOPNOTSUPP;
        load_word(&a, offsetof(struct seccomp_data, arch));
        jump(&a, BPF_JEQ, native, LABEL_NEXT, kill);
        load_word(&a, offsetof(struct seccomp_data, nr));
        for (size_t i = 0; i < ELEMENTSOF(allowed); i++)
                jump(&a, BPF_JEQ, allowed[i], allow, LABEL_NEXT);
        place(&a, kill);
        ret_action(&a, SECCOMP_RET_KILL_PROCESS);
        place(&a, allow);
        ret_action(&a, SECCOMP_RET_ALLOW);
        return assemble(&a, ret);
}

/* ---- the listener path: a notifying program made from plain ones, and their verdicts ---- */

static size_t arg_low_offset(unsigned n) {
        return offsetof(struct seccomp_data, args[0]) + n * sizeof(uint64_t) +
               (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0);
}

/* PREFIX, then PROG, as a new program; the prefixes here all test the native ABI. */
static int prepended(const struct sock_filter *prefix, size_t n_prefix, const seccomp_program_t *prog,
                     seccomp_program_t *ret) {
        size_t n = prog->prog.len + n_prefix;
        struct sock_filter *insns;

        if (!bpf_native_arch())
                return -EOPNOTSUPP;
        if (n > BPF_MAXINSNS)
                return -E2BIG;
        insns = xrealloc_array(NULL, n, sizeof *insns);
        memcpy(insns, prefix, n_prefix * sizeof *insns);
        memcpy(insns + n_prefix, prog->prog.filter, prog->prog.len * sizeof *insns);
        ret->prog.filter = insns;
        ret->prog.len = (unsigned short) n;
        return 0;
}

/* Prepends "native sendmsg(FD, ...) -> allow" and "native seccomp(SECCOMP_SET_MODE_FILTER, 0,
 * ...) -> allow": the program is installed first, the child passes the listener up with that
 * sendmsg before anyone can answer a notification, then installs the others, whatever the policy
 * says of sendmsg and seccomp. Only the notifying program says allow here; the others, installed
 * after it (bpf_only_listener_calls() among them), still decide those calls (the strictest
 * wins), so a command that makes them later gains nothing: at most they go unreported. A fd
 * number and not something unforgeable, because a filter sees only the registers. */
int bpf_listener_exemption(seccomp_program_t *prog, int fd) {
        const struct sock_filter prefix[] = {
                /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, bpf_native_arch(), 0, 10),
                /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 0, 2),
                /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low_offset(0)),
                /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) fd, 5, 6),
                /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 5),
                /* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low_offset(0)),
                /* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 0, 3),
                /* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low_offset(1)),
                /* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
                /* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        seccomp_program_t out;
        int r = prepended(prefix, ELEMENTSOF(prefix), prog, &out);

        if (r < 0)
                return r;
        free(prog->prog.filter);
        *prog = out;
        return 0;
}

int bpf_only_listener_calls(const seccomp_program_t *plain, seccomp_program_t *ret) {
        const struct sock_filter prefix[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, bpf_native_arch(), 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 2, 0),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        return prepended(prefix, ELEMENTSOF(prefix), plain, ret);
}

/* A program can be merged when every verdict it gives is allow or one the supervisor can give in
 * the kernel's place (an errno, a kill); with RET_A_OK, also a verdict computed at run time (RET
 * A), which the caller knows can only be one of those, or log. */
bool bpf_mergeable(const seccomp_program_t *plain, bool ret_a_ok) {
        for (size_t i = 0; i < plain->prog.len; i++) {
                const struct sock_filter *f = &plain->prog.filter[i];
                uint32_t action = f->k & SECCOMP_RET_ACTION_FULL;

                if (BPF_CLASS(f->code) != BPF_RET)
                        continue;
                if (BPF_RVAL(f->code) == BPF_A && ret_a_ok)
                        continue;
                if (BPF_RVAL(f->code) != BPF_K)
                        return false;
                if (action != SECCOMP_RET_ALLOW && action != SECCOMP_RET_ERRNO && action != SECCOMP_RET_KILL_PROCESS &&
                    action != SECCOMP_RET_KILL_THREAD)
                        return false;
        }
        return true;
}

static bool returns_a(const seccomp_program_t *plain) {
        for (size_t i = 0; i < plain->prog.len; i++)
                if (BPF_CLASS(plain->prog.filter[i].code) == BPF_RET && BPF_RVAL(plain->prog.filter[i].code) == BPF_A)
                        return true;
        return false;
}

/* One program: each program's allow goes on to the next (a jump as long as the return it
 * replaces, so that no other offset moves), each denial notifies; the supervisor computes the
 * exact verdict from the plain programs (bpf_run). A program that returns A gets a tail of its
 * own that does the same with A. */
int bpf_merge_notifying(const seccomp_program_t *plain, size_t n, seccomp_program_t *ret) {
        size_t total = 0, at = 0;
        struct sock_filter *insns;

        for (size_t i = 0; i < n; i++)
                total += plain[i].prog.len + (returns_a(&plain[i]) ? 3 : 0);
        if (total == 0 || total > BPF_MAXINSNS)
                return -E2BIG;
        insns = xrealloc_array(NULL, total, sizeof *insns);
        for (size_t i = 0; i < n; i++) {
                size_t len = plain[i].prog.len, tail = returns_a(&plain[i]) ? 3 : 0;
                bool last = i + 1 == n;

                for (size_t j = 0; j < len; j++) {
                        struct sock_filter f = plain[i].prog.filter[j];
                        if (BPF_CLASS(f.code) == BPF_RET && BPF_RVAL(f.code) == BPF_A)
                                f = (struct sock_filter) BPF_STMT(BPF_JMP | BPF_JA, (uint32_t) (len - 1 - j));
                        else if (BPF_CLASS(f.code) == BPF_RET && (f.k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
                                f.k = SECCOMP_RET_USER_NOTIF;
                        else if (BPF_CLASS(f.code) == BPF_RET && !last)
                                f = (struct sock_filter) BPF_STMT(BPF_JMP | BPF_JA, (uint32_t) (len - 1 - j + tail));
                        insns[at++] = f;
                }
                if (tail) {
                        insns[at++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_RET_ALLOW, 1, 0);
                        insns[at++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
                        insns[at++] = last ? (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
                                           : (struct sock_filter) BPF_STMT(BPF_JMP | BPF_JA, 0);
                }
        }
        ret->prog.filter = insns;
        ret->prog.len = (unsigned short) total;
        return 0;
}

/* One ALU instruction; false for one the kernel's checker would have refused. */
static bool run_alu(uint16_t op, uint32_t *a, uint32_t src) {
        switch (op) {
        case BPF_ADD:
                *a += src;
                return true;
        case BPF_SUB:
                *a -= src;
                return true;
        case BPF_MUL:
                *a *= src;
                return true;
        case BPF_DIV:
        case BPF_MOD:
                if (!src)
                        return false;
                *a = op == BPF_DIV ? *a / src : *a % src;
                return true;
        case BPF_AND:
                *a &= src;
                return true;
        case BPF_OR:
                *a |= src;
                return true;
        case BPF_XOR:
                *a ^= src;
                return true;
        case BPF_LSH:
        case BPF_RSH:
                *a = src >= 32 ? 0 : op == BPF_LSH ? *a << src : *a >> src;
                return true;
        case BPF_NEG:
                *a = -*a;
                return true;
        }
        return false;
}

/* A load into A or X: from seccomp_data (A only), an immediate, scratch memory, or the length. */
static bool run_load(const struct sock_filter *i, const struct seccomp_data *d, const uint32_t *mem, uint32_t *ret) {
        switch (BPF_MODE(i->code)) {
        case BPF_ABS:
                if (BPF_CLASS(i->code) != BPF_LD || i->k % 4 != 0 || i->k + 4 > sizeof *d)
                        return false;
                memcpy(ret, (const char *) d + i->k, 4);
                return true;
        case BPF_IMM:
                *ret = i->k;
                return true;
        case BPF_MEM:
                if (i->k >= BPF_MEMWORDS)
                        return false;
                *ret = mem[i->k];
                return true;
        case BPF_LEN:
                *ret = sizeof *d;
                return true;
        }
        return false;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t src) {
        return op == BPF_JEQ ? a == src : op == BPF_JGT ? a > src : op == BPF_JGE ? a >= src : (a & src) != 0;
}

/* Classic BPF as the kernel runs a seccomp filter; a program the kernel would never have loaded
 * gives a kill. */
uint32_t bpf_run(const seccomp_program_t *prog, const struct seccomp_data *d) {
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

        for (size_t pc = 0; pc < prog->prog.len; pc++) {
                const struct sock_filter *i = &prog->prog.filter[pc];
                uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

                switch (BPF_CLASS(i->code)) {
                case BPF_LD:
                case BPF_LDX:
                        if (!run_load(i, d, mem, BPF_CLASS(i->code) == BPF_LD ? &a : &x))
                                return SECCOMP_RET_KILL_PROCESS;
                        break;
                case BPF_ST:
                case BPF_STX:
                        if (i->k >= BPF_MEMWORDS)
                                return SECCOMP_RET_KILL_PROCESS;
                        mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
                        break;
                case BPF_ALU:
                        if (!run_alu(BPF_OP(i->code), &a, src))
                                return SECCOMP_RET_KILL_PROCESS;
                        break;
                case BPF_JMP:
                        if (BPF_OP(i->code) == BPF_JA)
                                pc += i->k;
                        else if (BPF_OP(i->code) > BPF_JSET)
                                return SECCOMP_RET_KILL_PROCESS;
                        else
                                pc += jump_taken(BPF_OP(i->code), a, src) ? i->jt : i->jf;
                        break;
                case BPF_RET:
                        return BPF_RVAL(i->code) == BPF_A ? a : i->k;
                case BPF_MISC:
                        if (BPF_MISCOP(i->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                }
        }
        return SECCOMP_RET_KILL_PROCESS;
}

uint32_t bpf_run_stack(const seccomp_program_t *progs, size_t n, const struct seccomp_data *d) {
        uint32_t best = SECCOMP_RET_ALLOW;

        /* As the kernel: the last installed runs first, and only a stricter verdict replaces one. */
        for (size_t i = n; i-- > 0;) {
                uint32_t v = bpf_run(&progs[i], d);
                if ((int32_t) (v & SECCOMP_RET_ACTION_FULL) < (int32_t) (best & SECCOMP_RET_ACTION_FULL))
                        best = v;
        }
        return best;
}
