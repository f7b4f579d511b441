/* SPDX-License-Identifier: MIT */
#include "seccomp-bpf.h"

#include <stdio.h>

#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
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

/* What our pid 1 does once its filter is in: the signalfd loop of init_run() (read, wait4, kill,
 * write), its exit, and what libc and a sanitizer's runtime may add on the way (memory, signal
 * masks, abort). Nothing else, whatever the policy says: the policy is the command's. */
int bpf_init_filter(seccomp_program_t *ret) {
#if defined(__x86_64__)
        const uint32_t native = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
        const uint32_t native = AUDIT_ARCH_AARCH64;
#elif defined(__i386__)
        const uint32_t native = AUDIT_ARCH_I386;
#else
        const uint32_t native = 0;
#endif
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
