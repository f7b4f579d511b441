/* SPDX-License-Identifier: MIT */
/* The values options take: fds, ids, modes, paths, capabilities, decimals and durations.
 * Pure: each parses one string, and a bad one names the option and the value. */
#pragma once

#include <stdint.h>

#include "util.h"

/* Every capability, as --cap-add ALL asks for. */
#define CAPS_ALL UINT64_MAX

int values_fd(const char *option, const char *s, int *ret, sandbox_error_t *e);
/* A uid or gid: 0 to 4294967294 ((uid_t) -1 means "no change" to the kernel). */
int values_id(const char *option, const char *s, unsigned long *ret, sandbox_error_t *e);
/* How many ids an --uid-map/--gid-map range holds: the range must stay below 2^32. */
int values_id_count(const char *option, const char *s, unsigned long inside, unsigned long outside, unsigned long *ret,
                    sandbox_error_t *e);
int values_mode(const char *option, const char *s, int *ret, sandbox_error_t *e);
/* A path may be relative (bubblewrap allows it) but not empty; `what` names it in the message. */
int values_path(const char *option, const char *what, const char *s, sandbox_error_t *e);
/* A capability by name (CAP_NET_RAW, net_raw, any case) as a bit, or ALL as CAPS_ALL. */
int values_cap(const char *option, const char *s, uint64_t *ret, sandbox_error_t *e);

/* "1.5" -> 150000 with scale 100000: at most as many fraction digits as the scale has zeros,
 * no sign, no exponent. -EINVAL when it is not such a number. */
int values_decimal(const char *s, unsigned long long scale, unsigned long long *ret);
/* Seconds, with up to three decimals, as milliseconds: more than 0, at most INT_MAX seconds. */
int values_seconds_ms(const char *s, unsigned long long *ret_ms);
