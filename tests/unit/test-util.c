/* SPDX-License-Identifier: MIT */
/* Unit tests of the pure helpers: number and size parsing, edit distance and the error struct
 * (setup/util.c), the values options take (setup/values.c) and the value parsers of the resource
 * limits (setup/limits.c). Prints TAP. */
#include <limits.h>
#include <string.h>
#include <sys/resource.h>

#include "setup/limits.h"
#include "setup/util.h"
#include "setup/values.h"
#include "unit.h"

static void expect_uint64(const char *s, int base, int want_r, unsigned long long want) {
        unsigned long long v = 12345;
        char title[128];
        int r = parse_uint64(s, base, &v);

        snprintf(title, sizeof title, "parse_uint64('%s', %d) is %d, %llu", s ? s : "(null)", base, want_r, want);
        ok(r == want_r && (r < 0 ? v == 12345 : v == want), title, NULL);
}

static void test_parse_uint64(void) {
        expect_uint64("0", 10, 0, 0);
        expect_uint64("42", 10, 0, 42);
        expect_uint64("18446744073709551615", 10, 0, ULLONG_MAX);
        expect_uint64("18446744073709551616", 10, -ERANGE, 0);
        expect_uint64("0x1f", 0, 0, 31);
        expect_uint64("017", 0, 0, 15);
        expect_uint64("755", 8, 0, 0755);
        expect_uint64("8", 8, -EINVAL, 0);
        expect_uint64("", 10, -EINVAL, 0);
        expect_uint64(NULL, 10, -EINVAL, 0);
        expect_uint64("-1", 10, -EINVAL, 0);
        expect_uint64("+1", 10, -EINVAL, 0);
        expect_uint64(" 1", 10, -EINVAL, 0);
        expect_uint64("1 ", 10, -EINVAL, 0);
        expect_uint64("12x", 10, -EINVAL, 0);
        expect_uint64("0x", 16, -EINVAL, 0);
}

static void test_parse_fd(void) {
        int fd = -7;

        ok(parse_fd("3", &fd) == 0 && fd == 3, "parse_fd('3')", NULL);
        ok(parse_fd("2147483647", &fd) == 0 && fd == INT_MAX, "parse_fd takes INT_MAX", NULL);
        ok(parse_fd("2147483648", &fd) == -ERANGE, "parse_fd refuses more than INT_MAX", NULL);
        ok(parse_fd("-1", &fd) == -EINVAL, "parse_fd refuses a sign", NULL);
        ok(parse_fd("3x", &fd) == -EINVAL, "parse_fd refuses junk", NULL);
}

static void expect_size(const char *s, int want_r, unsigned long long want) {
        unsigned long long v = 12345;
        char title[128];
        int r = parse_size(s, &v);

        snprintf(title, sizeof title, "parse_size('%s') is %d, %llu", s, want_r, want);
        ok(r == want_r && (r < 0 || v == want), title, NULL);
}

static void test_parse_size(void) {
        expect_size("0", 0, 0);
        expect_size("512", 0, 512);
        expect_size("1k", 0, 1024);
        expect_size("1K", 0, 1024);
        expect_size("3M", 0, 3ULL << 20);
        expect_size("2g", 0, 2ULL << 30);
        expect_size("2G", 0, 2ULL << 30);
        expect_size("5T", 0, 5ULL << 40);
        expect_size("16777215T", 0, 16777215ULL << 40);
        expect_size("16777216T", -ERANGE, 0);
        expect_size("18446744073709551615", 0, ULLONG_MAX);
        expect_size("18446744073709551616", -ERANGE, 0);
        expect_size("99999999999999999999999", -ERANGE, 0);
        /* iB after the unit letter, in either case */
        expect_size("1KiB", 0, 1024);
        expect_size("2MiB", 0, 2ULL << 20);
        expect_size("3gib", 0, 3ULL << 30);
        expect_size("1TIB", 0, 1ULL << 40);
        /* a fraction with a unit, rounded down to a whole byte */
        expect_size("1.5G", 0, 3ULL << 29);
        expect_size("0.5k", 0, 512);
        expect_size(".5M", 0, 512ULL << 10);
        expect_size("2.M", 0, 2ULL << 20);
        expect_size("0.1K", 0, 102);
        expect_size("0.001K", 0, 1);
        expect_size("0.0001K", 0, 0);
        expect_size("1.99999999999999999999999G", 0, (2ULL << 30) - 1);
        expect_size("16777215.9999999T", 0, (16777215ULL << 40) + 1099511517824ULL);
        expect_size("16777215.99999999999999999999T", 0, ULLONG_MAX);
        /* refused */
        expect_size("", -EINVAL, 0);
        expect_size(NULL, -EINVAL, 0);
        expect_size("K", -EINVAL, 0);
        expect_size("KiB", -EINVAL, 0);
        expect_size(".K", -EINVAL, 0);
        expect_size("1.5", -EINVAL, 0);
        expect_size("1KB", -EINVAL, 0);
        expect_size("1kb", -EINVAL, 0);
        expect_size("1B", -EINVAL, 0);
        expect_size("1ib", -EINVAL, 0);
        expect_size("1iB", -EINVAL, 0);
        expect_size("1Ki", -EINVAL, 0);
        expect_size("1KK", -EINVAL, 0);
        expect_size("1.5.1G", -EINVAL, 0);
        expect_size("12Q", -EINVAL, 0);
        expect_size("-1M", -EINVAL, 0);
        expect_size("+1M", -EINVAL, 0);
        expect_size(" 1M", -EINVAL, 0);
        expect_size("1 M", -EINVAL, 0);
        expect_size("1e3", -EINVAL, 0);
        expect_size("0x10", -EINVAL, 0);
}

static void expect_duration(const char *s, int want_r, unsigned long long want_ns) {
        unsigned long long v = 12345;
        char title[128];
        int r = parse_duration_ns(s, &v);

        snprintf(title, sizeof title, "parse_duration_ns('%s') is %d, %llu", s ? s : "(null)", want_r, want_ns);
        ok(r == want_r && (r < 0 ? v == 12345 : v == want_ns), title, NULL);
}

static void test_parse_duration(void) {
        const unsigned long long S = 1000000000ULL;

        expect_duration("0", 0, 0);
        expect_duration("0s", 0, 0);
        expect_duration("90", 0, 90 * S);
        expect_duration("90s", 0, 90 * S);
        expect_duration("1.5", 0, 3 * S / 2);
        expect_duration("2m", 0, 120 * S);
        expect_duration("1.5m", 0, 90 * S);
        expect_duration("0.5h", 0, 1800 * S);
        expect_duration("1d", 0, 86400 * S);
        expect_duration("0.25d", 0, 21600 * S);
        expect_duration(".5", 0, S / 2);
        expect_duration("2.", 0, 2 * S);
        expect_duration("0.000000001", 0, 1);
        /* below a nanosecond: rounded up, so that it stays above 0 */
        expect_duration("0.0000000001", 0, 1);
        expect_duration("0.0000000000", 0, 0);
        expect_duration("1.0000000001", 0, S + 1);
        /* 2^64 - 1 ns is about 584 years */
        expect_duration("18446744073.709551615", 0, ULLONG_MAX);
        expect_duration("18446744073.709551616", -ERANGE, 0);
        expect_duration("213503d", 0, 213503ULL * 86400 * S);
        expect_duration("213504d", -ERANGE, 0);
        expect_duration("99999999999999999999", -ERANGE, 0);
        /* refused, as GNU timeout(1) would, or where it would read more than a duration */
        expect_duration("", -EINVAL, 0);
        expect_duration(NULL, -EINVAL, 0);
        expect_duration("s", -EINVAL, 0);
        expect_duration(".", -EINVAL, 0);
        expect_duration(".s", -EINVAL, 0);
        expect_duration("-1", -EINVAL, 0);
        expect_duration("+1", -EINVAL, 0);
        expect_duration(" 1", -EINVAL, 0);
        expect_duration("1 ", -EINVAL, 0);
        expect_duration("1e3", -EINVAL, 0);
        expect_duration("0x10", -EINVAL, 0);
        expect_duration("inf", -EINVAL, 0);
        expect_duration("1S", -EINVAL, 0);
        expect_duration("1ms", -EINVAL, 0);
        expect_duration("1w", -EINVAL, 0);
        expect_duration("1ss", -EINVAL, 0);
        expect_duration("1.2.3", -EINVAL, 0);
        expect_duration("1,5", -EINVAL, 0);
}

static void test_edit_distance(void) {
        static const struct {
                const char *a, *b;
                unsigned d;
        } cases[] = {
                { "", "", 0 },
                { "abc", "abc", 0 },
                { "ptarce", "ptrace", 2 },
                { "unshar-pid", "unshare-pid", 1 },
                { "kitten", "sitting", 3 },
                { "", "abc", 3 },
                { "abc", "", 3 },
                { "getpid", "get_pid", 1 },
        };
        char long_word[80];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char title[128];
                snprintf(title, sizeof title, "edit_distance('%s', '%s') is %u", cases[i].a, cases[i].b, cases[i].d);
                ok(edit_distance(cases[i].a, cases[i].b) == cases[i].d, title, NULL);
        }
        memset(long_word, 'a', sizeof long_word - 1);
        long_word[sizeof long_word - 1] = 0;
        ok(edit_distance("a", long_word) == 99, "edit_distance gives up (99) on a very long second word", NULL);
}

static void test_errors(void) {
        sandbox_error_t e = { 0 };

        ok(error_msg(&e, "bad %s", "thing") == -EINVAL && strcmp(e.msg, "bad thing") == 0 && e.err == 0,
           "error_msg fills the message and returns -EINVAL", e.msg);
        ok(error_errno(&e, -ENOENT, "open %s", "/x") == -ENOENT && e.err == ENOENT && strcmp(e.msg, "open /x") == 0,
           "error_errno takes a negative errno and returns it", e.msg);
        ok(error_errno(&e, EACCES, "y") == -EACCES && e.err == EACCES, "error_errno takes a positive errno too", NULL);
        ok(error_errno(&e, 0, "z") == -EINVAL && e.err == 0, "error_errno with 0 returns -EINVAL", NULL);
        ok(error_msg(NULL, "nobody listens") == -EINVAL, "a NULL error struct is allowed", NULL);
        error_msg(&e, "'abc' is not a number");
        error_prefix(&e, "--%s", "uid");
        ok(strcmp(e.msg, "--uid: 'abc' is not a number") == 0, "error_prefix puts the option before the message",
           e.msg);
        e.msg[0] = 0;
        error_prefix(&e, "alone");
        ok(strcmp(e.msg, "alone") == 0, "error_prefix on an empty message adds no colon", e.msg);
        error_hint(&e, "try %d", 2);
        ok(strcmp(e.hint, "try 2") == 0, "error_hint fills the hint", e.hint);
        memset(e.msg, 'x', sizeof e.msg - 1);
        e.msg[sizeof e.msg - 1] = 0;
        error_prefix(&e, "long");
        ok(strlen(e.msg) == sizeof e.msg - 1 && strncmp(e.msg, "long: xxx", 9) == 0,
           "error_prefix truncates a message that no longer fits", NULL);
}

static void test_values(void) {
        sandbox_error_t e = { 0 };
        unsigned long id = 0;
        unsigned long long n = 0;
        uint64_t cap = 0;
        int fd = 0, mode = 0;

        ok(values_fd("info-fd", "9", &fd, &e) == 0 && fd == 9, "values_fd", e.msg);
        ok_error(values_fd("info-fd", "9x", &fd, &e), &e, "--info-fd: '9x' is not a valid file descriptor number",
                 "values_fd refuses junk");
        ok(values_id("uid", "4294967294", &id, &e) == 0 && id == 4294967294UL, "values_id takes 4294967294", e.msg);
        ok_error(values_id("uid", "4294967295", &id, &e), &e, "--uid: '4294967295' is not a valid id (0 to 4294967294)",
                 "values_id refuses (uid_t) -1");
        ok(values_id_count("uid-map", "10", 0, 1000, &id, &e) == 0 && id == 10, "values_id_count", e.msg);
        ok_error(values_id_count("uid-map", "0", 0, 1000, &id, &e), &e, "--uid-map: '0' is not a valid count",
                 "values_id_count refuses an empty range");
        ok_error(values_id_count("uid-map", "2", 0, 4294967294UL, &id, &e), &e, "ranges must stay below 2^32",
                 "values_id_count refuses a range past 2^32");
        ok(values_mode("perms", "0750", &mode, &e) == 0 && mode == 0750, "values_mode is octal", e.msg);
        ok_error(values_mode("perms", "10000", &mode, &e), &e, "--perms: '10000' is not an octal mode (0 to 7777)",
                 "values_mode refuses more than 7777");
        ok(values_path("bind", "destination", "rel/dir", &e) == 0, "values_path takes a relative path", e.msg);
        ok_error(values_path("bind", "destination", "", &e), &e, "--bind: empty destination", "values_path refuses ''");
        ok(values_cap("cap-add", "net_raw", &cap, &e) == 0 && cap == UINT64_C(1) << 13, "values_cap: net_raw", e.msg);
        ok(values_cap("cap-add", "CAP_SYS_ADMIN", &cap, &e) == 0 && cap == UINT64_C(1) << 21,
           "values_cap: CAP_SYS_ADMIN", e.msg);
        ok(values_cap("cap-add", "all", &cap, &e) == 0 && cap == CAPS_ALL, "values_cap: all", e.msg);
        ok_error(values_cap("cap-drop", "CAP_12", &cap, &e), &e, "--cap-drop: unknown capability 'CAP_12'",
                 "values_cap refuses a number");
        ok(values_decimal("1.5", 100000, &n) == 0 && n == 150000, "values_decimal('1.5', 100000)", NULL);
        ok(values_decimal("1.", 1000, &n) == -EINVAL && values_decimal("1.2345", 1000, &n) == -EINVAL &&
                   values_decimal("-1", 1000, &n) == -EINVAL && values_decimal("1e3", 1000, &n) == -EINVAL,
           "values_decimal refuses a bare dot, too many decimals, a sign and an exponent", NULL);
        ok(values_duration_ms("timeout", "2.5", &n, &e) == 0 && n == 2500, "values_duration_ms('2.5')", e.msg);
        ok(values_duration_ms("timeout", "0", &n, &e) == 0 && n == 0, "values_duration_ms('0') is 0", e.msg);
        ok(values_duration_ms("timeout", "0.0001", &n, &e) == 0 && n == 1,
           "values_duration_ms rounds up to a millisecond", e.msg);
        ok(values_duration_ms("timeout", "2147483647", &n, &e) == 0 && n == 2147483647000ULL,
           "values_duration_ms takes INT_MAX seconds", e.msg);
        ok_error(values_duration_ms("timeout", "2147483647.0001", &n, &e), &e,
                 "--timeout: '2147483647.0001' is too long (at most 2147483647 s, about 68 years)",
                 "values_duration_ms refuses more than INT_MAX seconds");
        ok_error(values_duration_ms("timeout", "24856d", &n, &e), &e, "--timeout: '24856d' is too long",
                 "values_duration_ms: 24856 days is too long");
        ok_error(values_duration_ms("timeout", "99999999999999999999d", &n, &e), &e, "is too long",
                 "values_duration_ms: an overflow is too long");
        ok_error(values_duration_ms("timeout-grace", "-1", &n, &e), &e,
                 "--timeout-grace: '-1' is not a duration (a number of seconds, or one with s, m, h or d; a "
                 "fraction allowed: 90, 2.5, 2m, 0.5h, 1d)",
                 "values_duration_ms refuses a sign, naming the option and the syntax");
        ok(strcmp(e.hint, "see DURATIONS AND SIZES in sandbox(1)") == 0, "... with a hint to the man page", e.hint);
        ok(values_size("size", "size", "1.5M", NULL, ULLONG_MAX, &n, &e) == 0 && n == 3ULL << 19, "values_size('1.5M')",
           e.msg);
        ok_error(values_size("size", "size", "1MB", ", or max", ULLONG_MAX, &n, &e), &e,
                 "--size: '1MB' is not a size (a number of bytes, or one with K, M, G or T, powers of 1024; a "
                 "fraction allowed: 4096, 512M, 1.5G, 2MiB, or max)",
                 "values_size refuses MB, naming the option, the syntax and the word it takes too");
        ok_error(values_size("size", "size", "2T", NULL, 1ULL << 40, &n, &e), &e,
                 "--size: '2T' is too large (at most 1099511627776 bytes)", "values_size: above the maximum");
        ok_error(values_size("size", "size", "99999999T", NULL, ULLONG_MAX, &n, &e), &e,
                 "--size: '99999999T' is too large (at most 18446744073709551615 bytes)",
                 "values_size: an overflow is too large");
}

static void test_limit_names(void) {
        ok(limit_nargs("io-read-bps") == 3 && limit_nargs("io-write-bps") == 3 && limit_nargs("memory") == 2 &&
                   limit_nargs(NULL) == 2,
           "limit_nargs: the io-*-bps kinds take a device too", NULL);
        ok(strcmp(limit_kind_name(LIMIT_MEMORY), "memory") == 0 &&
                   strcmp(limit_kind_name(LIMIT_CPU_WEIGHT), "cpu-weight") == 0 &&
                   strcmp(limit_kind_name(_LIMIT_MAX), "?") == 0,
           "limit_kind_name", NULL);
        ok(strcmp(rlimit_name(RLIMIT_NOFILE), "nofile") == 0 && strcmp(rlimit_name(RLIMIT_STACK), "stack") == 0 &&
                   strcmp(rlimit_name(-1), "?") == 0,
           "rlimit_name", NULL);
}

typedef int (*parser_t)(sandbox_plan_t *p, char **args, sandbox_error_t *e);

static int h_limit(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        return limits_parse_limit(p, args, e);
}

static int h_rlimit(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        return limits_parse_rlimit(p, args, e);
}

static int h_timeout(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        return limits_parse_timeout(p, args[0], e);
}

static int h_timeout_grace(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        return limits_parse_timeout_grace(p, args[0], e);
}

static int h_cgroup_manager(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        return limits_parse_cgroup_manager(p, args[0], e);
}

/* One parser call on a fresh plan: returns its result and leaves the plan to look at. */
static int call(parser_t h, const char *a0, const char *a1, const char *a2, sandbox_plan_t *p, sandbox_error_t *e) {
        char *args[] = { (char *) a0, (char *) a1, (char *) a2, NULL };

        plan_init(p);
        memset(e, 0, sizeof *e);
        return h(p, args, e);
}

static void test_limit_values(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        ok(call(h_limit, "memory-high", "512M", NULL, &p, &e) == 0 && p.limits[LIMIT_MEMORY_HIGH] == 512ULL << 20 &&
                   p.limits_set == 1U << LIMIT_MEMORY_HIGH && limits_need_cgroup(&p),
           "limit memory-high 512M", e.msg);
        plan_free(&p);
        ok(call(h_limit, "memory", "max", NULL, &p, &e) == 0 && p.limits[LIMIT_MEMORY] == ULLONG_MAX,
           "limit memory max", e.msg);
        plan_free(&p);
        ok(call(h_limit, "cpu", "0.01", NULL, &p, &e) == 0 && p.limits[LIMIT_CPU] == 1000,
           "limit cpu 0.01 is 1 ms per "
           "100 ms",
           e.msg);
        plan_free(&p);
        ok(call(h_limit, "cpu", "2", NULL, &p, &e) == 0 && p.limits[LIMIT_CPU] == 200000, "limit cpu 2", e.msg);
        plan_free(&p);
        ok(call(h_limit, "pids", "2147483647", NULL, &p, &e) == 0 && p.limits[LIMIT_PIDS] == INT_MAX,
           "limit pids INT_MAX", e.msg);
        plan_free(&p);
        r = call(h_limit, "pids", "2147483648", NULL, &p, &e);
        ok_error(r, &e, "--limit pids: '2147483648' is not a number from 1 to 2147483647", "limit pids above INT_MAX");
        plan_free(&p);
        ok(call(h_limit, "io-read-bps", "/dev/vda", "10M", &p, &e) == 0 && p.n_io_limits == 1 &&
                   strcmp(p.io_limits[0].device, "/dev/vda") == 0 && p.io_limits[0].bps == 10ULL << 20 &&
                   !p.io_limits[0].write && limits_need_cgroup(&p),
           "limit io-read-bps with a device path", e.msg);
        plan_free(&p);
        r = call(h_limit, "io-read-bps", "8:0x", "1M", &p, &e);
        ok_error(r, &e, "'8:0x' is not a device", "a device number with junk is refused");
        plan_free(&p);
        r = call(h_limit, "io-write-bps", "8:0", "0", &p, &e);
        ok_error(r, &e, "--limit io-write-bps: a rate of 0 would stop all io", "a rate of 0 is refused");
        plan_free(&p);
        ok(call(h_limit, "io-write-bps", "8:0", "1.5MiB", &p, &e) == 0 && p.io_limits[0].bps == 3ULL << 19,
           "limit io-write-bps: a rate in the size syntax", e.msg);
        plan_free(&p);
        r = call(h_limit, "io-read-bps", "8:0", "fast", &p, &e);
        ok_error(r, &e, "--limit io-read-bps: 'fast' is not a rate (a number of bytes", "a rate that is no size");
        plan_free(&p);
        ok(call(h_limit, "memory", "1.5GiB", NULL, &p, &e) == 0 && p.limits[LIMIT_MEMORY] == 3ULL << 29,
           "limit memory 1.5GiB", e.msg);
        plan_free(&p);
        r = call(h_limit, "memory", "512MB", NULL, &p, &e);
        ok_error(r, &e, "--limit memory: '512MB' is not a size (a number of bytes", "limit memory 512MB is refused");
        ok(strstr(e.msg, "2MiB; or max)") != NULL, "... naming max as well", e.msg);
        plan_free(&p);
        r = call(h_limit, "memory-high", "16777216T", NULL, &p, &e);
        ok_error(r, &e, "--limit memory-high: '16777216T' is too large", "limit memory-high: an overflow");
        plan_free(&p);
        r = call(h_limit, "memory", "18446744073709551615", NULL, &p, &e);
        ok_error(r, &e, "is too large (at most 18446744073709551614 bytes)",
                 "limit memory: 2^64 - 1 (the kernel's max) is spelled max");
        plan_free(&p);
        plan_init(&p);
        ok(!limits_need_cgroup(&p) && !limits_want_cgroup(&p), "a plan without limits needs no cgroup", NULL);
        p.stats = true;
        ok(!limits_need_cgroup(&p) && limits_want_cgroup(&p), "stats wants a cgroup, but does without", NULL);
        p.cgroup_manager = CGROUP_MANAGER_SYSTEMD;
        ok(limits_need_cgroup(&p), "stats with a cgroup manager named needs one", NULL);
        p.cgroup_manager = CGROUP_MANAGER_AUTO;
        p.limits_set = 1U << LIMIT_PIDS;
        ok(limits_need_cgroup(&p) && limits_want_cgroup(&p), "a limit needs one", NULL);
        plan_free(&p);
}

static void test_rlimit_timeout_manager(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        ok(call(h_rlimit, "core", "0", NULL, &p, &e) == 0 && p.n_rlimits == 1 && p.rlimits[0].resource == RLIMIT_CORE &&
                   p.rlimits[0].soft == 0 && p.rlimits[0].hard == 0,
           "rlimit core 0: soft = hard", e.msg);
        plan_free(&p);
        ok(call(h_rlimit, "nofile", "1024:4096", NULL, &p, &e) == 0 && p.rlimits[0].soft == 1024 &&
                   p.rlimits[0].hard == 4096,
           "rlimit nofile soft:hard", e.msg);
        plan_free(&p);
        ok(call(h_rlimit, "as", "infinity", NULL, &p, &e) == 0 && p.rlimits[0].soft == RLIM_INFINITY,
           "rlimit as infinity", e.msg);
        plan_free(&p);
        ok(call(h_rlimit, "stack", "8MiB:1.5G", NULL, &p, &e) == 0 && p.rlimits[0].soft == 8ULL << 20 &&
                   p.rlimits[0].hard == 3ULL << 29,
           "rlimit stack: both limits in the size syntax", e.msg);
        plan_free(&p);
        r = call(h_rlimit, "fsize", "1GB", NULL, &p, &e);
        ok_error(r, &e, "--rlimit fsize: '1GB' is not a size (a number of bytes", "rlimit fsize 1GB is refused");
        ok(strstr(e.msg, "; or unlimited)") != NULL, "... naming unlimited as well", e.msg);
        plan_free(&p);
        r = call(h_rlimit, "nofile", "1K", NULL, &p, &e);
        ok_error(r, &e, "--rlimit nofile: '1K' is not a number (or unlimited)", "rlimit nofile takes no size");
        plan_free(&p);
        r = call(h_rlimit, "nofile", "1:unlimited:2", NULL, &p, &e);
        ok_error(r, &e, "--rlimit nofile: 'unlimited:2' is not a number", "rlimit with two colons");
        plan_free(&p);
        ok(call(h_timeout, "900", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 900000, "timeout 900", e.msg);
        plan_free(&p);
        ok(call(h_timeout, "0.001", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 1, "timeout 0.001 is 1 ms", e.msg);
        plan_free(&p);
        r = call(h_timeout, "1e3", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout: '1e3' is not a duration", "timeout refuses an exponent");
        plan_free(&p);
        ok(call(h_timeout, ".5", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 500, "timeout .5, as GNU timeout takes it",
           e.msg);
        plan_free(&p);
        ok(call(h_timeout, "1.5m", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 90000, "timeout 1.5m", e.msg);
        plan_free(&p);
        ok(call(h_timeout, "1d", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 86400000, "timeout 1d", e.msg);
        plan_free(&p);
        ok(call(h_timeout, "0", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 0, "timeout 0: none", e.msg);
        plan_free(&p);
        r = call(h_timeout, "", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout: '' is not a duration", "timeout refuses an empty value");
        plan_free(&p);
        r = call(h_timeout, "-5", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout: '-5' is not a duration", "timeout refuses a negative one");
        plan_free(&p);
        plan_init(&p);
        ok(limits_timeout_grace_ms(&p) == 10000, "timeout-grace: 10 s unless given", NULL);
        plan_free(&p);
        ok(call(h_timeout_grace, "0", NULL, NULL, &p, &e) == 0 && limits_timeout_grace_ms(&p) == 0,
           "timeout-grace 0: SIGKILL at once", e.msg);
        plan_free(&p);
        ok(call(h_timeout_grace, "1.5s", NULL, NULL, &p, &e) == 0 && limits_timeout_grace_ms(&p) == 1500,
           "timeout-grace 1.5s", e.msg);
        plan_free(&p);
        r = call(h_timeout_grace, "soon", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout-grace: 'soon' is not a duration", "timeout-grace refuses junk");
        ok(!p.timeout_grace_set, "... and leaves the default", NULL);
        plan_free(&p);
        ok(call(h_cgroup_manager, "systemd", NULL, NULL, &p, &e) == 0 && p.cgroup_manager == CGROUP_MANAGER_SYSTEMD,
           "cgroup-manager systemd", e.msg);
        plan_free(&p);
        ok(call(h_cgroup_manager, "cgroupfs", NULL, NULL, &p, &e) == 0 && p.cgroup_manager == CGROUP_MANAGER_CGROUPFS,
           "cgroup-manager cgroupfs", e.msg);
        plan_free(&p);
}

static void test_format(void) {
        static const struct {
                long v;
                const char *want;
        } cases[] = { { 0, "0" },
                      { 7, "7" },
                      { 125, "125" },
                      { -1, "-1" },
                      { LONG_MAX, "9223372036854775807" },
                      { LONG_MIN, "-9223372036854775808" } };
        char buf[21], hex[17] = { 0 };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char name[64];
                snprintf(name, sizeof name, "format_long(%s)", cases[i].want);
                ok(strcmp(format_long(buf, cases[i].v), cases[i].want) == 0, name, buf);
        }
        format_hex(hex, 0x15, 4);
        format_hex(hex + 4, 0, 2);
        format_hex(hex + 6, 0xab, 2);
        format_hex(hex + 8, 0x7fff0000, 8);
        ok(strcmp(hex, "001500ab7fff0000") == 0, "format_hex: fixed width, lower case", hex);
}

int main(void) {
        test_format();
        test_parse_uint64();
        test_parse_fd();
        test_parse_size();
        test_parse_duration();
        test_edit_distance();
        test_errors();
        test_values();
        test_limit_names();
        test_limit_values();
        test_rlimit_timeout_manager();
        return unit_done();
}
