/* SPDX-License-Identifier: MIT */
/* Small seccomp programs made by hand, for what libseccomp's filter can't say; stacked before it
 * (the strictest verdict wins). They take numbers already resolved by seccomp.c: no libseccomp. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include <linux/filter.h>

/* One BPF program for seccomp(2), as installed or exported. */
typedef struct seccomp_program {
        struct sock_fprog prog;
} seccomp_program_t;

/* One way a 'not-in' rule's syscall is reached on one ABI: directly (nr), or through a
 * multiplexer (nr is socketcall's or ipc's, and mux_call the call's number in its arg0). */
typedef struct bpf_target {
        uint32_t audit_arch; /* seccomp_data.arch of the ABI */
        uint32_t nr;
        uint32_t mux_call; /* 0: a direct call */
} bpf_target_t;

typedef struct bpf_not_in {
        unsigned arg;
        bool wide; /* a 64-bit argument: its high half must be zero too */
        const uint64_t *values;
        size_t n_values;
        uint32_t action;
} bpf_not_in_t;

/* ACTION unless the argument is one of the values; through a multiplexer, whose arguments are
 * in memory out of a filter's reach, ACTION whatever they are (fail closed). */
int bpf_not_in(const bpf_not_in_t *rule, const bpf_target_t *targets, size_t n, seccomp_program_t *ret);

/* A syscall number that libseccomp's table lacks, with the verdict of the rules naming it. */
typedef struct bpf_number {
        uint32_t audit_arch, nr, action;
        const char *name;
} bpf_number_t;

/* The ceiling of one ABI: ACTION for the numbers of [lowest, highest] above the highest known
 * one, but for the few known ranges above it (x32's own calls, ARM's private ones). */
typedef struct bpf_ceiling {
        const char *abi;
        uint32_t audit_arch, lowest, highest, ceiling;
        uint32_t known[4][2];
        size_t n_known;
        uint32_t action;
} bpf_ceiling_t;

int bpf_beyond_table(const bpf_number_t *numbers, size_t n, const bpf_ceiling_t *ceilings, size_t n_ceilings,
                     seccomp_program_t *ret);
/* The same, as libseccomp's pseudo filter code reads, for --export-pfc. */
int bpf_beyond_table_pfc(int fd, const bpf_number_t *numbers, size_t n, const bpf_ceiling_t *ceilings,
                         size_t n_ceilings);

/* The filter of our own pid 1: an allow-list of what it does after installing it, the rest kills
 * it; other ABIs too. -EOPNOTSUPP where the native ABI isn't known here. */
int bpf_init_filter(seccomp_program_t *ret);

/* AUDIT_ARCH_ of the ABI this binary was built for; 0 where it isn't known here. */
uint32_t bpf_native_arch(void);

/* ---- the listener path (notify.h says how it fits together) ---- */

/* Prepends to a notifying program, installed first: the native sendmsg(FD, ...) with which the
 * child passes the listener up, and the seccomp(SECCOMP_SET_MODE_FILTER, 0, ...) calls that
 * install the programs after it, are allowed: nobody could answer them yet. */
int bpf_listener_exemption(seccomp_program_t *prog, int fd);
/* A copy of PLAIN that decides the native sendmsg and seccomp only, and allows everything else:
 * installed after a notifying program with the exemption, it keeps the policy's verdict on them. */
int bpf_only_listener_calls(const seccomp_program_t *plain, seccomp_program_t *ret);
/* Every verdict of PLAIN is allow, an errno or a kill (or, with RET_A_OK, one computed at run
 * time, which the caller knows to be one of those or log): it can go into a notifying program. */
bool bpf_mergeable(const seccomp_program_t *plain, bool ret_a_ok);
/* One program from N mergeable ones: allow where all allow, else SECCOMP_RET_USER_NOTIF. */
int bpf_merge_notifying(const seccomp_program_t *plain, size_t n, seccomp_program_t *ret);
/* The verdict of a program on one call, as the kernel computes it. */
struct seccomp_data;
uint32_t bpf_run(const seccomp_program_t *prog, const struct seccomp_data *d);
/* The verdict of a stack of programs (PROGS in install order), as the kernel takes it. */
uint32_t bpf_run_stack(const seccomp_program_t *progs, size_t n, const struct seccomp_data *d);
