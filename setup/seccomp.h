/* SPDX-License-Identifier: MIT */
/* Seccomp filters. For now: precompiled BPF from --seccomp/--add-seccomp-fd, stacked. */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "util.h"

typedef struct seccomp_program {
        struct sock_fprog prog;
} seccomp_program_t;

/* Reads a BPF program (an array of struct sock_filter) from fd, before any namespace exists. */
int seccomp_read_fd(const char *option, int fd, seccomp_program_t *ret, sandbox_error_t *e);
/* Installs them in order; the last installed runs first, and the strictest verdict wins. */
int seccomp_install(const seccomp_program_t *progs, size_t n, sandbox_error_t *e);

struct sandbox_plan;
/* Compiles the plan's syscall rules (rules.h) with libseccomp into a BPF program, before any
 * namespace exists. Returns 0 with ret->prog.len == 0 when the plan has no rules. */
int seccomp_compile(const struct sandbox_plan *p, seccomp_program_t *ret, sandbox_error_t *e);
/* The same filter as libseccomp's pseudo filter code, for --export-pfc. */
int seccomp_export_pfc_plan(const struct sandbox_plan *p, int fd, sandbox_error_t *e);
/* The rules with 'not-in', each as a small filter of its own to stack with the main one. */
int seccomp_compile_not_in(const struct sandbox_plan *p, seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e);
