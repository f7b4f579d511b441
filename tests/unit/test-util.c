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
        expect_size("", -EINVAL, 0);
        expect_size("K", -EINVAL, 0);
        expect_size("1KB", -EINVAL, 0);
        expect_size("1.5G", -EINVAL, 0);
        expect_size("12Q", -EINVAL, 0);
        expect_size("-1M", -EINVAL, 0);
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
        ok(values_seconds_ms("2.5", &n) == 0 && n == 2500, "values_seconds_ms('2.5')", NULL);
        ok(values_seconds_ms("0", &n) == -EINVAL && values_seconds_ms("2147483648", &n) == -EINVAL,
           "values_seconds_ms refuses 0 and more than INT_MAX seconds", NULL);
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
        ok_error(r, &e, "--limit io-write-bps: '0' is not a rate", "a rate of 0 is refused");
        plan_free(&p);
        plan_init(&p);
        ok(!limits_need_cgroup(&p), "a plan without limits needs no cgroup", NULL);
        p.stats = true;
        ok(limits_need_cgroup(&p), "stats needs a cgroup", NULL);
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
        r = call(h_rlimit, "nofile", "1:unlimited:2", NULL, &p, &e);
        ok_error(r, &e, "--rlimit nofile: 'unlimited:2' is not a number", "rlimit with two colons");
        plan_free(&p);
        ok(call(h_timeout, "900", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 900000, "timeout 900", e.msg);
        plan_free(&p);
        ok(call(h_timeout, "0.001", NULL, NULL, &p, &e) == 0 && p.timeout_ms == 1, "timeout 0.001 is 1 ms", e.msg);
        plan_free(&p);
        r = call(h_timeout, "1e3", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout: '1e3' is not a number of seconds", "timeout refuses an exponent");
        plan_free(&p);
        r = call(h_timeout, ".5", NULL, NULL, &p, &e);
        ok_error(r, &e, "--timeout: '.5' is not a number of seconds", "timeout needs a whole part");
        plan_free(&p);
        ok(call(h_cgroup_manager, "systemd", NULL, NULL, &p, &e) == 0 && p.cgroup_manager == CGROUP_MANAGER_SYSTEMD,
           "cgroup-manager systemd", e.msg);
        plan_free(&p);
        ok(call(h_cgroup_manager, "cgroupfs", NULL, NULL, &p, &e) == 0 && p.cgroup_manager == CGROUP_MANAGER_CGROUPFS,
           "cgroup-manager cgroupfs", e.msg);
        plan_free(&p);
}

int main(void) {
        test_parse_uint64();
        test_parse_fd();
        test_parse_size();
        test_edit_distance();
        test_errors();
        test_values();
        test_limit_names();
        test_limit_values();
        test_rlimit_timeout_manager();
        return unit_done();
}
