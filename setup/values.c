/* SPDX-License-Identifier: MIT */
#include "values.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "libcap.h"

int values_fd(const char *option, const char *s, int *ret, sandbox_error_t *e) {
        int r;

        if (parse_fd(s, ret) < 0) {
                r = error_msg(e, "--%s: '%s' is not a valid file descriptor number", option, s);
                error_bwrap(e, "Invalid fd: %s", s);
                return r;
        }
        return 0;
}

int values_id(const char *option, const char *s, unsigned long *ret, sandbox_error_t *e) {
        unsigned long long v;

        int r;

        if (parse_uint64(s, 10, &v) < 0 || v >= UINT32_MAX) {
                r = error_msg(e, "--%s: '%s' is not a valid id (0 to 4294967294)", option, s);
                error_bwrap(e, "Invalid %s: %s", option, s);
                return r;
        }
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

        int r;

        if (parse_uint64(s, 8, &v) < 0 || v > 07777) {
                r = error_msg(e, "--%s: '%s' is not an octal mode (0 to 7777)", option, s);
                error_bwrap(e, "--%s takes an octal argument <= 07777", option);
                return r;
        }
        *ret = (int) v;
        return 0;
}

int values_path(const char *option, const char *what, const char *s, sandbox_error_t *e) {
        if (!*s)
                return error_msg(e, "--%s: empty %s", option, what);
        return 0;
}

/* The capability closest to a misspelt one (NAME lower-cased, with its cap_), upper-cased into
 * RET, or "" when none is close. */
static void suggest_cap(const char *name, char *ret, size_t size) {
        char *names[64] = { 0 };
        suggestion_t s = SUGGESTION_INIT;
        size_t k = 0;

        for (int v = 0; v < 64; v++)
                if ((names[v] = cap_lib.to_name(v)))
                        suggestion_consider(&s, name, names[v]);
        for (; s.best && s.best[k] && k < size - 1; k++)
                ret[k] = (char) (s.best[k] >= 'a' && s.best[k] <= 'z' ? s.best[k] - 'a' + 'A' : s.best[k]);
        ret[k] = 0;
        for (int v = 0; v < 64; v++)
                cap_lib.free(names[v]);
}

int values_cap(const char *option, const char *s, uint64_t *ret, sandbox_error_t *e) {
        _cleanup_free_ char *name = NULL;
        cap_value_t v;
        int r;

        if (strcasecmp(s, "ALL") == 0) {
                *ret = CAPS_ALL;
                return 0;
        }
        if ((r = libcap_open(e)) < 0) {
                error_prefix(e, "--%s %s", option, s);
                return r;
        }
        name = strncasecmp(s, "CAP_", 4) == 0 ? xstrdup(s) : xasprintf("cap_%s", s);
        for (char *c = name; *c; c++)
                *c = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        /* cap_from_name also takes numbers; a capability is asked for by name. */
        if ((name[4] >= '0' && name[4] <= '9') || cap_lib.from_name(name, &v) < 0 || v < 0 || v > 63) {
                char close[64];

                suggest_cap(name, close, sizeof close);
                if (close[0])
                        r = error_msg(e, "--%s: unknown capability '%s' (did you mean '%s'?)", option, s, close);
                else
                        r = error_msg(
                                e,
                                "--%s: unknown capability '%s' (names as in capabilities(7), e.g. CAP_NET_RAW, or ALL)",
                                option, s);
                error_bwrap(e, "unknown cap: %s", s);
                return r;
        }
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

int values_duration_ms(const char *option, const char *s, unsigned long long *ret_ms, sandbox_error_t *e) {
        unsigned long long ns = 0;
        int r = parse_duration_ns(s, &ns);
        /* Rounded up to the timer's millisecond: a duration above 0 stays above 0. */
        unsigned long long ms = ns / 1000000 + (ns % 1000000 != 0);

        if (r == -ERANGE || (r == 0 && ms > VALUES_DURATION_MAX_MS)) {
                error_msg(e, "--%s: '%s' is too long (at most %llu s, about 68 years)", option, s,
                          VALUES_DURATION_MAX_MS / 1000);
                return -ERANGE;
        }
        if (r < 0) {
                error_msg(e, "--%s: '%s' is not a duration (%s)", option, s, VALUES_DURATION_SYNTAX);
                error_hint(e, "see DURATIONS AND SIZES in sandbox(1)");
                return r;
        }
        *ret_ms = ms;
        return 0;
}

int values_size(const char *option, const char *what, const char *s, const char *also, unsigned long long max,
                unsigned long long *ret, sandbox_error_t *e) {
        int r = parse_size(s, ret);

        if (r == -ERANGE || (r == 0 && *ret > max)) {
                error_msg(e, "--%s: '%s' is too large (at most %llu bytes)", option, s, max);
                return -ERANGE;
        }
        if (r < 0) {
                error_msg(e, "--%s: '%s' is not a %s (%s%s)", option, s, what, VALUES_SIZE_SYNTAX, also ? also : "");
                error_hint(e, "see DURATIONS AND SIZES in sandbox(1)");
                return r;
        }
        return 0;
}
