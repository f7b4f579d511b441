/* SPDX-License-Identifier: MIT */
#include "libcap.h"

#include <stddef.h>

libcap_t cap_lib;

int libcap_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define CAP_SYMBOL(field) { "cap_" #field, offsetof(libcap_t, field) }
                CAP_SYMBOL(from_name),
                CAP_SYMBOL(to_name),
                CAP_SYMBOL(free),
#undef CAP_SYMBOL
        };
        static void *handle;

        return dl_load(&handle, "libcap.so.2", syms, ELEMENTSOF(syms), &cap_lib, "capability names", "libcap2", e);
}
