/* SPDX-License-Identifier: MIT */
#include "libjsonc.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

libjsonc_t jc;

int libjsonc_open(sandbox_error_t *e) {
        static const struct { const char *name; size_t offset; } syms[] = {
#define S(field) { "json_" #field, offsetof(libjsonc_t, field) }
                S(tokener_parse_verbose), S(tokener_error_desc), S(object_put), S(object_object_get_ex),
                S(object_is_type), S(object_get_string), S(object_get_int), S(object_get_uint64),
                S(object_array_length), S(object_array_get_idx),
#undef S
        };
        static void *handle;

        if (handle)
                return 0;
        /* Never closed: its functions are used until exit. */
        handle = dlopen("libjson-c.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
                error_msg(e, "reading a JSON profile needs json-c, which could not be loaded: %s", dlerror());
                error_hint(e, "install libjson-c5 (Debian: apt-get install libjson-c5)");
                return -ENOENT;
        }
        for (size_t i = 0; i < ELEMENTSOF(syms); i++) {
                void *fn = dlsym(handle, syms[i].name);
                if (!fn) {
                        error_msg(e, "libjson-c.so.5 lacks %s", syms[i].name);
                        dlclose(handle);
                        handle = NULL;
                        return -ENOENT;
                }
                memcpy((char *) &jc + syms[i].offset, &fn, sizeof fn);
        }
        return 0;
}
