/* SPDX-License-Identifier: MIT */
#include "libseccomp.h"

#include <stddef.h>

libseccomp_t seccomp_lib;

int libseccomp_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define SECCOMP_SYMBOL(field, symbol) { #symbol, offsetof(libseccomp_t, field) }
                SECCOMP_SYMBOL(init, seccomp_init),
                SECCOMP_SYMBOL(release, seccomp_release),
                SECCOMP_SYMBOL(attr_set, seccomp_attr_set),
                SECCOMP_SYMBOL(arch_add, seccomp_arch_add),
                SECCOMP_SYMBOL(arch_native, seccomp_arch_native),
                SECCOMP_SYMBOL(arch_resolve_name, seccomp_arch_resolve_name),
                SECCOMP_SYMBOL(rule_add, seccomp_rule_add),
                SECCOMP_SYMBOL(rule_add_array, seccomp_rule_add_array),
                SECCOMP_SYMBOL(export_bpf, seccomp_export_bpf),
                SECCOMP_SYMBOL(export_pfc, seccomp_export_pfc),
                SECCOMP_SYMBOL(syscall_resolve_name, seccomp_syscall_resolve_name),
                SECCOMP_SYMBOL(syscall_resolve_num_arch, seccomp_syscall_resolve_num_arch),
                SECCOMP_SYMBOL(syscall_resolve_name_arch, seccomp_syscall_resolve_name_arch),
                SECCOMP_SYMBOL(arch_remove, seccomp_arch_remove),
                SECCOMP_SYMBOL(rule_add_exact_array, seccomp_rule_add_exact_array),
#undef SECCOMP_SYMBOL
        };
        static void *handle;

        return dl_load(&handle, "libseccomp.so.2", syms, ELEMENTSOF(syms), &seccomp_lib, "syscall rules", "libseccomp2",
                       e);
}
