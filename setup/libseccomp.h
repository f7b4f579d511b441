/* SPDX-License-Identifier: MIT */
/* libseccomp, loaded on first use: a launch without syscall rules doesn't pay for loading it
 * (the startup benchmark measured 0.16 ms of 4.8 ms when it was linked). */
#pragma once

#include <seccomp.h>

#include "util.h"

typedef struct libseccomp {
        scmp_filter_ctx (*init)(uint32_t def_action);
        void (*release)(scmp_filter_ctx ctx);
        int (*attr_set)(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value);
        int (*arch_add)(scmp_filter_ctx ctx, uint32_t arch_token);
        uint32_t (*arch_native)(void);
        uint32_t (*arch_resolve_name)(const char *arch_name);
        int (*rule_add)(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
        int (*rule_add_array)(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                              const struct scmp_arg_cmp *arg_array);
        int (*export_bpf)(const scmp_filter_ctx ctx, int fd);
        int (*export_pfc)(const scmp_filter_ctx ctx, int fd);
        int (*syscall_resolve_name)(const char *name);
        char *(*syscall_resolve_num_arch)(uint32_t arch_token, int num);
        int (*syscall_resolve_name_arch)(uint32_t arch_token, const char *name);
        int (*arch_remove)(scmp_filter_ctx ctx, uint32_t arch_token);
        int (*rule_add_exact_array)(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                                    const struct scmp_arg_cmp *arg_array);
} libseccomp_t;

extern libseccomp_t seccomp_lib;

/* Loads libseccomp.so.2 once; the functions in `seccomp_lib` are usable after a 0 return. */
int libseccomp_open(sandbox_error_t *e);
