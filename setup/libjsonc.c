/* SPDX-License-Identifier: MIT */
#include "libjsonc.h"

#include <stddef.h>

libjsonc_t jc;

int libjsonc_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define S(field) { "json_" #field, offsetof(libjsonc_t, field) }
                S(tokener_parse_verbose), S(tokener_error_desc), S(object_put), S(object_object_get_ex),
                S(object_is_type), S(object_get_string), S(object_get_int), S(object_get_uint64),
                S(object_array_length), S(object_array_get_idx),
#undef S
        };
        static void *handle;

        return dl_load(&handle, "libjson-c.so.5", syms, ELEMENTSOF(syms), &jc, "JSON profiles", "libjson-c5", e);
}
