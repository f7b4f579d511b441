/* SPDX-License-Identifier: MIT */
/* What the harnesses share. */
#pragma once

#include "setup/options.h"
#include "setup/seccomp.h"

/* The plan's syscall rules compiled to BPF, never loaded: whatever the parsers accept must
 * compile or fail cleanly. */
static inline void fuzz_compile(const sandbox_plan_t *p) {
        seccomp_program_t *progs;
        sandbox_error_t e = { 0 };
        size_t n;

        if (seccomp_compile(p, &progs, &n, &e) == 0)
                seccomp_programs_free(progs, n);
}
