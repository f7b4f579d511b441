/* SPDX-License-Identifier: MIT */
/* libcap, loaded on first use: only capability names need it (--cap-add, --cap-drop, container
 * profiles, --print-policy); linking it cost every launch 0.16 ms in the startup benchmark. The
 * capability sets themselves are set with capset(2) (caps.c). */
#pragma once

#include <sys/capability.h>

#include "util.h"

typedef struct libcap {
        int (*from_name)(const char *name, cap_value_t *value);
        char *(*to_name)(cap_value_t value);
        int (*free)(void *obj);
} libcap_t;

extern libcap_t cap_lib;

/* Loads libcap.so.2 once; the functions in `cap_lib` are usable after a 0 return. */
int libcap_open(sandbox_error_t *e);
