/* SPDX-License-Identifier: MIT */
#include "libseccomp.h"

#include <stddef.h>

libseccomp_t sc;

int libseccomp_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define S(field, symbol) { #symbol, offsetof(libseccomp_t, field) }
                S(init, seccomp_init), S(release, seccomp_release), S(attr_set, seccomp_attr_set),
                S(arch_add, seccomp_arch_add), S(arch_native, seccomp_arch_native),
                S(arch_resolve_name, seccomp_arch_resolve_name), S(rule_add, seccomp_rule_add),
                S(rule_add_array, seccomp_rule_add_array), S(export_bpf, seccomp_export_bpf),
                S(export_pfc, seccomp_export_pfc), S(syscall_resolve_name, seccomp_syscall_resolve_name),
                S(syscall_resolve_num_arch, seccomp_syscall_resolve_num_arch),
                S(syscall_resolve_name_arch, seccomp_syscall_resolve_name_arch), S(arch_remove, seccomp_arch_remove),
                S(rule_add_exact_array, seccomp_rule_add_exact_array),
#undef S
        };
        static void *handle;

        return dl_load(&handle, "libseccomp.so.2", syms, ELEMENTSOF(syms), &sc, "syscall rules", "libseccomp2", e);
}
