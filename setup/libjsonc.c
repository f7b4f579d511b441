/* SPDX-License-Identifier: MIT */
#include "libjsonc.h"

#include <stddef.h>

libjsonc_t jsonc_lib;

int libjsonc_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define JSONC_SYMBOL(field) { "json_" #field, offsetof(libjsonc_t, field) }
                JSONC_SYMBOL(tokener_parse_verbose),
                JSONC_SYMBOL(tokener_error_desc),
                JSONC_SYMBOL(object_put),
                JSONC_SYMBOL(object_object_get_ex),
                JSONC_SYMBOL(object_is_type),
                JSONC_SYMBOL(object_get_string),
                JSONC_SYMBOL(object_get_int),
                JSONC_SYMBOL(object_get_uint64),
                JSONC_SYMBOL(object_array_length),
                JSONC_SYMBOL(object_array_get_idx),
                JSONC_SYMBOL(tokener_new),
                JSONC_SYMBOL(tokener_free),
                JSONC_SYMBOL(tokener_set_flags),
                JSONC_SYMBOL(tokener_parse_ex),
                JSONC_SYMBOL(tokener_get_error),
                JSONC_SYMBOL(object_get_int64),
                JSONC_SYMBOL(object_get_string_len),
#undef JSONC_SYMBOL
        };
        static void *handle;

        return dl_load(&handle, "libjson-c.so.5", syms, ELEMENTSOF(syms), &jsonc_lib, "JSON profiles", "libjson-c5", e);
}
