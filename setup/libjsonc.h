/* SPDX-License-Identifier: MIT */
/* json-c, loaded on first use: only syscall-import reads JSON, and linking it cost every
 * launch 0.18 ms in the startup benchmark. */
#pragma once

#include <json-c/json.h>

#include "util.h"

typedef struct libjsonc {
        json_object *(*tokener_parse_verbose)(const char *str, enum json_tokener_error *error);
        const char *(*tokener_error_desc)(enum json_tokener_error jerr);
        int (*object_put)(json_object *obj);
        json_bool (*object_object_get_ex)(const json_object *obj, const char *key, json_object **value);
        int (*object_is_type)(const json_object *obj, enum json_type type);
        const char *(*object_get_string)(json_object *obj);
        int32_t (*object_get_int)(const json_object *obj);
        uint64_t (*object_get_uint64)(const json_object *obj);
        size_t (*object_array_length)(const json_object *obj);
        json_object *(*object_array_get_idx)(const json_object *obj, size_t idx);
        /* Strict parsing (the JSON that container engines, written in Go, accept), and the
         * accessors that tell a negative number or a string with a NUL in it apart. */
        json_tokener *(*tokener_new)(void);
        void (*tokener_free)(json_tokener *tok);
        void (*tokener_set_flags)(json_tokener *tok, int flags);
        json_object *(*tokener_parse_ex)(json_tokener *tok, const char *str, int len);
        enum json_tokener_error (*tokener_get_error)(json_tokener *tok);
        int64_t (*object_get_int64)(const json_object *obj);
        int (*object_get_string_len)(const json_object *obj);
} libjsonc_t;

extern libjsonc_t jsonc_lib;

/* Loads libjson-c.so.5 once; the functions in `jsonc_lib` are usable after a 0 return. */
int libjsonc_open(sandbox_error_t *e);
