/* SPDX-License-Identifier: MIT */
#include "values.h"

#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

int values_fd(const char *option, const char *s, int *ret, sandbox_error_t *e) {
        if (parse_fd(s, ret) < 0)
                return error_msg(e, "--%s: '%s' is not a valid file descriptor number", option, s);
        return 0;
}

int values_id(const char *option, const char *s, unsigned long *ret, sandbox_error_t *e) {
        unsigned long long v;

        if (parse_uint64(s, 10, &v) < 0 || v >= UINT32_MAX)
                return error_msg(e, "--%s: '%s' is not a valid id (0 to 4294967294)", option, s);
        *ret = (unsigned long) v;
        return 0;
}

int values_id_count(const char *option, const char *s, unsigned long inside, unsigned long outside, unsigned long *ret,
                    sandbox_error_t *e) {
        unsigned long long v;

        if (parse_uint64(s, 10, &v) < 0 || v == 0 || v > UINT32_MAX - inside || v > UINT32_MAX - outside)
                return error_msg(e, "--%s: '%s' is not a valid count (ranges must stay below 2^32)", option, s);
        *ret = (unsigned long) v;
        return 0;
}

int values_mode(const char *option, const char *s, int *ret, sandbox_error_t *e) {
        unsigned long long v;

        if (parse_uint64(s, 8, &v) < 0 || v > 07777)
                return error_msg(e, "--%s: '%s' is not an octal mode (0 to 7777)", option, s);
        *ret = (int) v;
        return 0;
}

int values_path(const char *option, const char *what, const char *s, sandbox_error_t *e) {
        if (!*s)
                return error_msg(e, "--%s: empty %s", option, what);
        return 0;
}

int values_cap(const char *option, const char *s, uint64_t *ret, sandbox_error_t *e) {
        _cleanup_free_ char *name = NULL;
        cap_value_t v;

        if (strcasecmp(s, "ALL") == 0) {
                *ret = CAPS_ALL;
                return 0;
        }
        name = strncasecmp(s, "CAP_", 4) == 0 ? xstrdup(s) : xasprintf("cap_%s", s);
        for (char *c = name; *c; c++)
                *c = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        /* cap_from_name also takes numbers; a capability is asked for by name. */
        if ((name[4] >= '0' && name[4] <= '9') || cap_from_name(name, &v) < 0 || v < 0 || v > 63)
                return error_msg(
                        e, "--%s: unknown capability '%s' (names as in capabilities(7), e.g. CAP_NET_RAW, or ALL)",
                        option, s);
        *ret = UINT64_C(1) << v;
        return 0;
}

int values_decimal(const char *s, unsigned long long scale, unsigned long long *ret) {
        unsigned long long whole, frac = 0, unit = scale;
        const char *dot = strchr(s, '.');
        _cleanup_free_ char *head = xstrdup(s);

        if (dot) {
                head[dot - s] = 0;
                if (!dot[1])
                        return -EINVAL;
                for (const char *c = dot + 1; *c; c++) {
                        if (*c < '0' || *c > '9' || unit < 10)
                                return -EINVAL;
                        unit /= 10;
                        frac += (unsigned long long) (*c - '0') * unit;
                }
        }
        if (parse_uint64(head, 10, &whole) < 0 || whole > ULLONG_MAX / scale - 1)
                return -EINVAL;
        *ret = whole * scale + frac;
        return 0;
}

int values_seconds_ms(const char *s, unsigned long long *ret_ms) {
        unsigned long long ms;

        if (values_decimal(s, 1000, &ms) < 0 || ms == 0 || ms > 1000ULL * INT_MAX)
                return -EINVAL;
        *ret_ms = ms;
        return 0;
}
