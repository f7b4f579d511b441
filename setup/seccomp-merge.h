/* SPDX-License-Identifier: MIT */
/* Stacked seccomp programs as one: each filter the kernel installs costs a copy, a check and a
 * JIT compilation at launch, and a call on every syscall after. The merged program runs each
 * in turn, in the kernel's order (the last installed first), and returns the verdict the
 * kernel would have taken from the stack: the strictest action, ties to the first that ran. */
#pragma once

#include <stddef.h>

#include "seccomp-bpf.h"

/* PROGS in install order, at least two. -E2BIG when the result would pass BPF_MAXINSNS or a
 * jump can't reach across the added instructions (the caller then installs them stacked),
 * -EINVAL for a program that uses the scratch words 13 to 15 or returns X. */
int seccomp_merge(const seccomp_program_t *progs, size_t n, seccomp_program_t *ret);
