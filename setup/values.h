/* SPDX-License-Identifier: MIT */
/* The values options take: fds, ids, modes, paths, capabilities, decimals, durations and sizes.
 * Pure: each parses one string, and a bad one names the option and the value. */
#pragma once

#include <limits.h>
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

/* The two value syntaxes shared by several options, in the words every error uses (sandbox(1),
 * DURATIONS AND SIZES, says the same at length). */
#define VALUES_DURATION_SYNTAX \
        "a number of seconds, or one with s, m, h or d; a fraction allowed: 90, 2.5, 2m, 0.5h, 1d"
#define VALUES_SIZE_SYNTAX \
        "a number of bytes, or one with K, M, G or T, powers of 1024; a fraction allowed: 4096, 512M, 1.5G, 2MiB"
/* The longest duration: as --timeout has always taken it, INT_MAX seconds (about 68 years). */
#define VALUES_DURATION_MAX_MS (1000ULL * INT_MAX)

/* A duration (parse_duration_ns()) as milliseconds, rounded up; 0 stays 0 (what it means is the
 * option's to say). Longer than VALUES_DURATION_MAX_MS is refused. `option` names it in errors. */
int values_duration_ms(const char *option, const char *s, unsigned long long *ret_ms, sandbox_error_t *e);
/* A size (parse_size()) of at most MAX bytes. The error calls it `what` ("size", "rate"), and
 * `also` extends the syntax there ("; or max" where the option takes a word too). */
int values_size(const char *option, const char *what, const char *s, const char *also, unsigned long long max,
                unsigned long long *ret, sandbox_error_t *e);
