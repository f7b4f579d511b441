/* SPDX-License-Identifier: MIT */
#include "seccomp-merge.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>

#include "util.h"

/* Scratch words: the stricter verdict so far, its precedence key, the current verdict. */
enum {
        M_CUR = 13,
        M_BEST = 14,
        M_BEST_KEY = 15
};

#define STMT(c, kk) ((struct sock_filter){ .code = (c), .k = (kk) })
#define JUMP(c, kk, t, f) ((struct sock_filter){ .code = (c), .jt = (t), .jf = (f), .k = (kk) })

/* The kernel takes the verdict whose action, as a signed number, is lowest; flipping the sign
 * bit makes that an unsigned order, which BPF's jumps compare. */
#define KEY_FLIP 0x80000000U

static bool is_ret(const struct sock_filter *f) {
        return BPF_CLASS(f->code) == BPF_RET;
}

static bool is_jump(const struct sock_filter *f) {
        return BPF_CLASS(f->code) == BPF_JMP;
}

/* Instructions one program takes in the merged one: a return becomes "verdict in A, jump to
 * the comparison" (RET K needs a load first). */
static size_t expanded_len(const struct sock_filter *f) {
        return is_ret(f) ? (BPF_RVAL(f->code) == BPF_K ? 2 : 1) : 1;
}

/* Appends one program, its returns leading to a comparison with the best verdict so far. */
static int append_program(const struct sock_fprog *prog, struct sock_filter *out, size_t *pos) {
        size_t n = prog->len, base = *pos, end;
        _cleanup_free_ size_t *at = xrealloc_array(NULL, n + 1, sizeof *at);

        /* Where each old instruction lands; at[n] is the comparison block after the program. */
        at[0] = base;
        for (size_t i = 0; i < n; i++)
                at[i + 1] = at[i] + expanded_len(&prog->filter[i]);
        end = at[n];

        for (size_t i = 0; i < n; i++) {
                struct sock_filter f = prog->filter[i];
                size_t p = at[i];

                if (is_ret(&f)) {
                        if (BPF_RVAL(f.code) == BPF_K)
                                out[p++] = STMT(BPF_LD | BPF_IMM, f.k);
                        else if (BPF_RVAL(f.code) != BPF_A)
                                return -EINVAL;
                        out[p] = STMT(BPF_JMP | BPF_JA, (uint32_t) (end - p - 1));
                        continue;
                }
                if (is_jump(&f)) {
                        if (BPF_OP(f.code) == BPF_JA) {
                                size_t t = i + 1 + f.k;
                                if (t > n)
                                        return -EINVAL;
                                f.k = (uint32_t) (at[t] - p - 1);
                        } else {
                                size_t t = i + 1 + f.jt, u = i + 1 + f.jf;
                                if (t > n || u > n || at[t] - p - 1 > 255 || at[u] - p - 1 > 255)
                                        return -E2BIG;
                                f.jt = (uint8_t) (at[t] - p - 1);
                                f.jf = (uint8_t) (at[u] - p - 1);
                        }
                } else if (BPF_CLASS(f.code) == BPF_ST || BPF_CLASS(f.code) == BPF_STX ||
                           ((BPF_CLASS(f.code) == BPF_LD || BPF_CLASS(f.code) == BPF_LDX) &&
                            BPF_MODE(f.code) == BPF_MEM)) {
                        /* The scratch words we keep our own state in are not the program's. */
                        if (f.k >= M_CUR)
                                return -EINVAL;
                }
                out[p] = f;
        }
        /* The verdict in A: kept if it is stricter than the best so far (ties keep the earlier,
         * as the kernel keeps the newest filter's). */
        out[end++] = STMT(BPF_ST, M_CUR);
        out[end++] = STMT(BPF_ALU | BPF_AND | BPF_K, SECCOMP_RET_ACTION_FULL);
        out[end++] = STMT(BPF_ALU | BPF_XOR | BPF_K, KEY_FLIP);
        out[end++] = STMT(BPF_MISC | BPF_TAX, 0);
        out[end++] = STMT(BPF_LD | BPF_MEM, M_BEST_KEY);
        out[end++] = JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 4);
        out[end++] = STMT(BPF_MISC | BPF_TXA, 0);
        out[end++] = STMT(BPF_ST, M_BEST_KEY);
        out[end++] = STMT(BPF_LD | BPF_MEM, M_CUR);
        out[end++] = STMT(BPF_ST, M_BEST);
        *pos = end;
        return 0;
}

#define COMPARE_LEN 10
#define PROLOGUE_LEN 4
#define EPILOGUE_LEN 2

int seccomp_merge(const seccomp_program_t *progs, size_t n, seccomp_program_t *ret) {
        _cleanup_free_ struct sock_filter *out = NULL;
        size_t len = PROLOGUE_LEN + EPILOGUE_LEN, pos = 0;
        int r;

        *ret = (seccomp_program_t){ 0 };
        if (n < 2)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                len += COMPARE_LEN;
                for (size_t j = 0; j < progs[i].prog.len; j++)
                        len += expanded_len(&progs[i].prog.filter[j]);
        }
        if (len > BPF_MAXINSNS)
                return -E2BIG;
        out = xrealloc_array(NULL, len, sizeof *out);

        out[pos++] = STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW);
        out[pos++] = STMT(BPF_ST, M_BEST);
        out[pos++] = STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW ^ KEY_FLIP);
        out[pos++] = STMT(BPF_ST, M_BEST_KEY);
        /* In the kernel's order: the last installed runs first. */
        for (size_t i = n; i-- > 0;)
                if ((r = append_program(&progs[i].prog, out, &pos)) < 0)
                        return r;
        out[pos++] = STMT(BPF_LD | BPF_MEM, M_BEST);
        out[pos++] = STMT(BPF_RET | BPF_A, 0);

        ret->prog.len = (unsigned short) pos;
        ret->prog.filter = TAKE_PTR(out);
        return 0;
}
