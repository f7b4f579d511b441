/* SPDX-License-Identifier: MIT */
/* Unit tests of setup/seccomp-merge.c: the merged program gives, for every input, the verdict
 * the kernel takes from the stack it replaces (the last installed first, the lowest signed action
 * wins, ties to the first seen), both computed by seccomp-bpf.c's interpreter. Prints TAP. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "setup/options.h"
#include "setup/plan.h"
#include "setup/policy.h"
#include "setup/seccomp-bpf.h"
#include "setup/seccomp-merge.h"
#include "setup/seccomp.h"
#include "unit.h"

/* Every input in INPUTS gives the stack's verdict. */
static size_t mismatches(const seccomp_program_t *progs, size_t n, const seccomp_program_t *merged,
                         const struct seccomp_data *inputs, size_t n_inputs, char *detail, size_t size) {
        size_t bad = 0;

        for (size_t i = 0; i < n_inputs; i++) {
                uint32_t want = bpf_run_stack(progs, n, &inputs[i]), got = bpf_run(merged, &inputs[i]);

                if (got != want) {
                        if (!bad)
                                snprintf(detail, size, "nr %d arch %#x arg0 %#llx: stack %#x, merged %#x", inputs[i].nr,
                                         inputs[i].arch, (unsigned long long) inputs[i].args[0], want, got);
                        bad++;
                }
        }
        return bad;
}

#define RET(k) BPF_STMT(BPF_RET | BPF_K, (k))
#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

static seccomp_program_t prog_of(const struct sock_filter *f, size_t n) {
        seccomp_program_t p = { .prog = { .len = (unsigned short) n, .filter = malloc(n * sizeof *f) } };
        memcpy(p.prog.filter, f, n * sizeof *f);
        return p;
}

static void test_hand_made(void) {
        /* nr 1: EPERM; nr 2: EACCES; else allow. */
        const struct sock_filter a[] = { LD_NR,
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
                                         RET(SECCOMP_RET_ERRNO | EPERM),
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
                                         RET(SECCOMP_RET_ERRNO | EACCES),
                                         RET(SECCOMP_RET_ALLOW) };
        /* nr 1: ENOSYS (a tie with a's ERRNO: the later installed wins); nr 2: kill the thread;
         * nr 3: kill the process, through a JA; the verdict returned from A. */
        const struct sock_filter b[] = { LD_NR,
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
                                         RET(SECCOMP_RET_ERRNO | ENOSYS),
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
                                         RET(SECCOMP_RET_KILL_THREAD),
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 2),
                                         BPF_STMT(BPF_JMP | BPF_JA, 2),
                                         RET(SECCOMP_RET_ALLOW),
                                         RET(SECCOMP_RET_ALLOW),
                                         BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_KILL_PROCESS),
                                         BPF_STMT(BPF_RET | BPF_A, 0) };
        /* nr 4: log; nr 5: trap; others allowed. */
        const struct sock_filter c[] = { LD_NR,
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 1),
                                         RET(SECCOMP_RET_LOG),
                                         BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
                                         RET(SECCOMP_RET_TRAP | 7),
                                         RET(SECCOMP_RET_ALLOW) };
        seccomp_program_t progs[3] = { prog_of(a, ELEMENTSOF(a)), prog_of(b, ELEMENTSOF(b)),
                                       prog_of(c, ELEMENTSOF(c)) };
        struct seccomp_data in[8] = { 0 };
        seccomp_program_t merged;
        char detail[256] = "";

        for (int i = 0; i < 8; i++)
                in[i].nr = i;
        ok(seccomp_merge(progs, 3, &merged) == 0, "three programs merge", NULL);
        ok(mismatches(progs, 3, &merged, in, 8, detail, sizeof detail) == 0,
           "ties, kill-thread against errno, kill-process through a jump, log and trap: the stack's verdicts", detail);
        ok(bpf_run(&merged, &in[1]) == (SECCOMP_RET_ERRNO | ENOSYS),
           "a tie between two errno verdicts goes to the program installed last", NULL);
        ok(bpf_run(&merged, &in[3]) == SECCOMP_RET_KILL_PROCESS, "kill-process beats everything", NULL);
        free(merged.prog.filter);

        /* One program alone is not merged. */
        ok(seccomp_merge(progs, 1, &merged) == -EINVAL, "one program is left as it is", NULL);
        /* The scratch words it needs must be free. */
        {
                const struct sock_filter uses_m13[] = { BPF_STMT(BPF_ST, 13), RET(SECCOMP_RET_ALLOW) };
                seccomp_program_t two[2] = { progs[0], prog_of(uses_m13, ELEMENTSOF(uses_m13)) };
                ok(seccomp_merge(two, 2, &merged) == -EINVAL, "a program using scratch word 13 is refused", NULL);
                free(two[1].prog.filter);
        }
        /* A conditional jump that can't reach past the added instructions. */
        {
                struct sock_filter far[300];
                size_t n = 0;
                far[n++] = (struct sock_filter) LD_NR;
                far[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 9, 200, 0);
                while (n < 202) {
                        far[n] = (struct sock_filter) RET(SECCOMP_RET_ERRNO | (uint32_t) (n % 50));
                        n++;
                }
                far[n++] = (struct sock_filter) RET(SECCOMP_RET_KILL_PROCESS);
                seccomp_program_t two[2] = { progs[0], prog_of(far, n) };
                ok(seccomp_merge(two, 2, &merged) == -E2BIG,
                   "a jump that the added instructions put out of reach: -E2BIG (installed stacked)", NULL);
                free(two[1].prog.filter);
        }
        for (int i = 0; i < 3; i++)
                free(progs[i].prog.filter);
}

/* The default policy's own stack, on every syscall number of three ABIs and arguments that its
 * conditions look at. */
static void test_default_policy(void) {
        const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64 };
        const uint64_t args[] = { 0, 1, 2, 3, 10, 16, 17, 0x10000000, 0x8, 0xffffffff, 0x5412, 0x541c, 3 | 0x80000 };
        sandbox_error_t e = { 0 };
        seccomp_program_t *progs = NULL, merged;
        size_t n = 0, n_in = 0, cap = 3 * 600 * ELEMENTSOF(args) * 2;
        struct seccomp_data *in = calloc(cap, sizeof *in);
        char detail[256] = "";
        int r;

        if (!unit_can_compile()) {
                skip("the default policy's stack",
                     "libseccomp can't make a filter here (valgrind doesn't know seccomp(2))");
                free(in);
                return;
        }
        r = unit_compile_default(&progs, &n, &e);
        ok(r == 0 && n > 1, "the default policy compiles to a stack", e.msg);
        if (r < 0 || n < 2) {
                seccomp_programs_free(progs, n);
                free(in);
                return;
        }
        for (size_t ai = 0; ai < ELEMENTSOF(arches); ai++)
                for (int nr = 0; nr < 600; nr++)
                        for (size_t k = 0; k < ELEMENTSOF(args); k++)
                                for (int x32 = 0; x32 <= 1 && n_in < cap; x32++) {
                                        struct seccomp_data *d = &in[n_in++];
                                        d->arch = arches[ai];
                                        d->nr = nr | (x32 && arches[ai] == AUDIT_ARCH_X86_64 ? 0x40000000 : 0);
                                        d->args[0] = args[k];
                                        d->args[1] = args[(k + 3) % ELEMENTSOF(args)];
                                }
        ok(seccomp_merge(progs, n, &merged) == 0, "the default policy's stack merges", NULL);
        ok(mismatches(progs, n, &merged, in, n_in, detail, sizeof detail) == 0,
           "the merged default policy gives the stack's verdict for every input", detail);
        free(merged.prog.filter);
        seccomp_programs_free(progs, n);
        free(in);
}

int main(void) {
        test_hand_made();
        test_default_policy();
        return unit_done();
}
