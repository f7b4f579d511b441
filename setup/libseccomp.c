/* SPDX-License-Identifier: MIT */
#include "libseccomp.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

libseccomp_t sc;

int libseccomp_open(sandbox_error_t *e) {
        static const struct { const char *name; size_t offset; } syms[] = {
#define S(field, symbol) { #symbol, offsetof(libseccomp_t, field) }
                S(init, seccomp_init), S(release, seccomp_release), S(attr_set, seccomp_attr_set),
                S(arch_add, seccomp_arch_add), S(arch_native, seccomp_arch_native),
                S(arch_resolve_name, seccomp_arch_resolve_name), S(rule_add, seccomp_rule_add),
                S(rule_add_array, seccomp_rule_add_array), S(export_bpf, seccomp_export_bpf),
                S(export_pfc, seccomp_export_pfc), S(syscall_resolve_name, seccomp_syscall_resolve_name),
                S(syscall_resolve_num_arch, seccomp_syscall_resolve_num_arch),
#undef S
        };
        static void *handle;

        if (handle)
                return 0;
        /* Never closed: its functions are used until exit. */
        handle = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
                error_msg(e, "syscall rules need libseccomp, which could not be loaded: %s", dlerror());
                error_hint(e, "install libseccomp2 (Debian: apt-get install libseccomp2)");
                return -ENOENT;
        }
        for (size_t i = 0; i < ELEMENTSOF(syms); i++) {
                void *fn = dlsym(handle, syms[i].name);
                if (!fn) {
                        error_msg(e, "libseccomp.so.2 lacks %s (version 2.5 or later is needed)", syms[i].name);
                        dlclose(handle);
                        handle = NULL;
                        return -ENOENT;
                }
                memcpy((char *) &sc + syms[i].offset, &fn, sizeof fn);
        }
        return 0;
}
