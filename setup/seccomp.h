/* SPDX-License-Identifier: MIT */
/* Seccomp filters: compiled from the plan's rules, or precompiled BPF from --seccomp and
 * --add-seccomp-fd; stacked. */
#pragma once

#include <linux/filter.h>
#include <stddef.h>
#include <stdio.h>

#include "seccomp-bpf.h"
#include "util.h"

/* Reads a BPF program (an array of struct sock_filter) from fd, before any namespace exists. */
int seccomp_read_fd(const char *option, int fd, seccomp_program_t *ret, sandbox_error_t *e);
/* Installs them in order; the last installed runs first, and the strictest verdict wins. */
int seccomp_install(const seccomp_program_t *progs, size_t n, sandbox_error_t *e);

/* "x86_64" for an AUDIT_ARCH_ / SCMP_ARCH_ value; libseccomp must be loaded. */
const char *seccomp_arch_name(uint32_t token);

struct sandbox_plan;
/* Compiles the plan's syscall rules (rules.h) into BPF programs before any namespace exists,
 * in the order to install them: the overlay for conditioned rules that libseccomp would let a
 * less strict rule swallow, one small filter per 'not-in' rule, and libseccomp's filter last,
 * since it may deny seccomp() itself (as an allow list does). None when there are no rules. */
int seccomp_compile(const struct sandbox_plan *p, seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e);
void seccomp_programs_free(seccomp_program_t *progs, size_t n);
/* libseccomp's pseudo filter code of the first two, for --export-pfc. */
int seccomp_export_pfc_plan(const struct sandbox_plan *p, int fd, sandbox_error_t *e);
/* For --print-policy, as comments: the default and ABIs, each rule an imported profile gave, and
 * what calls through socketcall(2) and ipc(2) get. Nothing without imports or other ABIs. */
void seccomp_print_plan(FILE *f, const struct sandbox_plan *p);
