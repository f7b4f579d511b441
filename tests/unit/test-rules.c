/* SPDX-License-Identifier: MIT */
/* Unit tests of the syscall rule grammar (setup/rules.c): actions, names and groups,
 * conditions, masks, in/not-in, the 32-bit arguments and the pointer arguments. Rules are
 * parsed, never compiled or loaded. Prints TAP. */
#include <fcntl.h>
#include <linux/sched.h>
#include <string.h>

#include "setup/libseccomp.h"
#include "setup/rules.h"
#include "unit.h"

/* Parses TEXT; the rule is kept in *r for the caller to look at and free. */
static int parse(const char *text, syscall_rule_t *r, sandbox_error_t *e) {
        memset(e, 0, sizeof *e);
        *r = (syscall_rule_t){ 0 };
        return rules_parse(text, r, e);
}

static void expect_error(const char *text, const char *needle) {
        syscall_rule_t r;
        sandbox_error_t e;
        char name[256];
        int k = parse(text, &r, &e);

        snprintf(name, sizeof name, "'%s' fails: %s", text, needle);
        ok_error(k, &e, needle, name);
        if (k == 0)
                rules_free(&r);
}

static bool has_name(const syscall_rule_t *r, const char *name) {
        for (size_t i = 0; i < r->n_names; i++)
                if (strcmp(r->names[i], name) == 0)
                        return true;
        return false;
}

/* One condition, parsed from TEXT and seen as the kernel reads the first syscall's argument
 * (rules_narrow), must come out as (arg, op, mask, value[0], n_values). */
static void expect_cond(const char *text, unsigned arg, cond_op_t op, uint64_t mask, uint64_t value, size_t n_values) {
        syscall_rule_t r;
        sandbox_error_t e;
        char name[256];
        int k = parse(text, &r, &e);
        rule_cond_t c = { 0 };
        bool have = k == 0 && r.n_conds == 1 && r.n_names > 0;

        if (have)
                rules_narrow(r.names[0], &r.conds[0], &c);
        snprintf(name, sizeof name, "'%s': arg%u, op %d, mask %#llx, value %#llx", text, arg, (int) op,
                 (unsigned long long) mask, (unsigned long long) value);
        ok(have && c.arg == arg && c.op == op && c.mask == mask && !c.masks && c.n_values == n_values &&
                   c.values[0] == value,
           name, have ? NULL : e.msg);
        rules_cond_free(&c);
        if (k == 0)
                rules_free(&r);
}

/* Whether the narrowed condition holds for the argument V: what the filter compiled from it says. */
static bool narrowed_holds(const rule_cond_t *c, uint64_t v) {
        bool holds = false;

        for (size_t k = 0; k < c->n_values; k++) {
                uint64_t mask = c->masks ? c->masks[k] : c->mask;
                switch (c->op) {
                case COND_EQ:
                        holds |= v == c->values[k];
                        break;
                case COND_NE:
                        holds |= v != c->values[k];
                        break;
                case COND_LT:
                        holds |= v < c->values[k];
                        break;
                case COND_LE:
                        holds |= v <= c->values[k];
                        break;
                case COND_GT:
                        holds |= v > c->values[k];
                        break;
                case COND_GE:
                        holds |= v >= c->values[k];
                        break;
                case COND_MASKED_EQ:
                case COND_IN:
                        holds |= (v & mask) == c->values[k];
                        break;
                case COND_NOT_IN:
                        break;
                }
        }
        return holds;
}

/* The rule TEXT's one condition, as the filter compiles it for its first syscall, holds for
 * exactly the values IN and for none of OUT (UINT64_MAX ends each list). */
static void expect_holds(const char *text, const uint64_t *in, const uint64_t *out) {
        syscall_rule_t r;
        sandbox_error_t e;
        char name[256];
        int k = parse(text, &r, &e);
        rule_cond_t c = { 0 };
        bool good = k == 0 && r.n_conds == 1;

        if (good)
                rules_narrow(r.names[0], &r.conds[0], &c);
        for (; good && *in != UINT64_MAX; in++)
                good = narrowed_holds(&c, *in);
        for (; good && *out != UINT64_MAX; out++)
                good = !narrowed_holds(&c, *out);
        snprintf(name, sizeof name, "'%s' holds as the kernel reads the argument", text);
        ok(good, name, k ? e.msg : NULL);
        rules_cond_free(&c);
        if (k == 0)
                rules_free(&r);
}

static void test_actions(void) {
        static const struct {
                const char *word;
                uint32_t action;
        } actions[] = {
                { "allow", SCMP_ACT_ALLOW },
                { "deny", SCMP_ACT_ERRNO(EPERM) },
                { "kill", SCMP_ACT_KILL_PROCESS },
                { "trap", SCMP_ACT_TRAP },
                { "log", SCMP_ACT_LOG },
                { "errno:ENOSYS", SCMP_ACT_ERRNO(ENOSYS) },
                { "errno:EAFNOSUPPORT", SCMP_ACT_ERRNO(EAFNOSUPPORT) },
        };
        sandbox_error_t e = { 0 };
        uint32_t a;

        for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
                char name[128];
                snprintf(name, sizeof name, "action '%s'", actions[i].word);
                a = 0xdead;
                ok(rules_parse_action(actions[i].word, &a, &e) == 0 && a == actions[i].action, name, e.msg);
        }
        ok_error(rules_parse_action("errno:EFROB", &a, &e), &e, "unknown errno 'EFROB' (names as in errno(3)",
                 "an unknown errno name is refused");
        ok_error(rules_parse_action("errno:", &a, &e), &e, "unknown errno ''", "errno: needs a name");
        ok_error(rules_parse_action("errno:1", &a, &e), &e, "unknown errno '1'", "errno: takes a name, not a number");
        ok_error(rules_parse_action("maybe", &a, &e), &e,
                 "unknown action 'maybe' (allow, deny, errno:NAME, kill, trap or log)", "an unknown action is refused");
        ok_error(rules_parse_action("Deny", &a, &e), &e, "unknown action 'Deny'", "actions are lower case");
        expect_error("permit uname", "unknown action 'permit'");
}

static void test_names(void) {
        syscall_rule_t r;
        sandbox_error_t e;
        int k = parse("deny uname getpid\tkill", &r, &e);

        ok(k == 0 && r.action == SCMP_ACT_ERRNO(EPERM) && r.n_names == 3 && has_name(&r, "uname") &&
                   has_name(&r, "getpid") && has_name(&r, "kill") && r.n_conds == 0,
           "a rule names several syscalls, separated by blanks or tabs", e.msg);
        ok(k == 0 && strcmp(r.text, "deny uname getpid\tkill") == 0, "the rule keeps its text for messages", NULL);
        rules_free(&r);
        ok(r.names == NULL && r.n_names == 0 && r.conds == NULL, "rules_free leaves an empty rule", NULL);

        expect_error("deny ptarce", "unknown syscall 'ptarce' (did you mean 'ptrace'?)");
        expect_error("deny uname get_pid", "unknown syscall 'get_pid' (did you mean 'getpid'?)");
        k = parse("deny qqqqqqqqqqqqqqqq", &r, &e);
        ok_error(k, &e, "unknown syscall 'qqqqqqqqqqqqqqqq'", "an unknown name far from every syscall is named");
        ok(k < 0 && !strstr(e.msg, "did you mean"), "and gets no suggestion", e.msg);
        expect_error("deny", "a rule is ACTION NAME... [if CONDITION], got 'deny'");
        expect_error("", "a rule is ACTION NAME");
        expect_error("deny if arg0 == 1", "the rule names no syscall");
}

static void test_groups(void) {
        syscall_rule_t r;
        sandbox_error_t e;
        int k = parse("errno:ENOSYS @io-uring clone3", &r, &e);

        ok(k == 0 && r.n_names == 4 && has_name(&r, "io_uring_setup") && has_name(&r, "io_uring_enter") &&
                   has_name(&r, "io_uring_register") && has_name(&r, "clone3"),
           "a group expands to its members, beside names", e.msg);
        rules_free(&r);

        k = parse("deny @privileged", &r, &e);
        ok(k == 0 && has_name(&r, "fchown") && has_name(&r, "reboot") && has_name(&r, "acct") && has_name(&r, "iopl"),
           "a member that is a group (@privileged holds @chown, @reboot, @raw-io) is expanded", e.msg);
        ok(k == 0 && !has_name(&r, "@chown"), "no group name is left among the syscalls", NULL);
        rules_free(&r);

        expect_error("deny @nope", "unknown syscall group '@nope'");
        expect_error("deny uname @mount @frob", "unknown syscall group '@frob'");
}

/* Every group named in sandbox.policy(5) exists and resolves to at least one syscall here. */
static void test_group_table(void) {
        static const char *const documented[] = {
                "@aio",       "@basic-io",   "@chown",       "@clock",          "@cpu-emulation",
                "@debug",     "@default",    "@file-system", "@io-event",       "@io-uring",
                "@ipc",       "@keyring",    "@memlock",     "@module",         "@mount",
                "@mount-api", "@network-io", "@obsolete",    "@pkey",           "@privileged",
                "@process",   "@raw-io",     "@reboot",      "@resources",      "@setuid",
                "@signal",    "@swap",       "@sync",        "@system-service", "@timer",
        };
        const char *const *names = rules_group_names();
        size_t n = 0;

        while (names[n])
                n++;
        ok(n >= ELEMENTSOF(documented), "rules_group_names lists every group, NULL-terminated", NULL);
        ok(rules_group("@mount") != NULL && rules_group("mount") == NULL && rules_group("@nope") == NULL,
           "rules_group knows groups by their @name only", NULL);
        for (size_t i = 0; i < ELEMENTSOF(documented); i++) {
                char text[64], name[128];
                syscall_rule_t r;
                sandbox_error_t e;
                int k;

                snprintf(text, sizeof text, "deny %s", documented[i]);
                k = parse(text, &r, &e);
                snprintf(name, sizeof name, "group %s is known and parses", documented[i]);
                ok(k == 0 && rules_group(documented[i]) != NULL, name, e.msg);
                if (k == 0)
                        rules_free(&r);
        }
}

static void test_operators(void) {
        /* prctl's arg1 is an unsigned long: compared on all 64 bits. */
        expect_cond("deny prctl if arg1 == 9", 1, COND_EQ, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 != 9", 1, COND_NE, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 < 9", 1, COND_LT, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 <= 9", 1, COND_LE, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 > 9", 1, COND_GT, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 >= 9", 1, COND_GE, UINT64_MAX, 9, 1);
        expect_cond("deny prctl if arg1 == 0x10", 1, COND_EQ, UINT64_MAX, 16, 1);
        expect_cond("deny prctl if arg1 == 010", 1, COND_EQ, UINT64_MAX, 8, 1);
        expect_cond("deny prctl if arg1 == 0x100000000", 1, COND_EQ, UINT64_MAX, 0x100000000ULL, 1);
        expect_cond("deny mmap if arg5 == 1", 5, COND_EQ, UINT64_MAX, 1, 1);
        expect_cond("deny prctl if arg1 == PR_SET_NO_NEW_PRIVS", 1, COND_EQ, UINT64_MAX, 38, 1);
}

static void test_masks(void) {
        expect_cond("deny prctl if arg1 &0xff00000000 == 0x100000000", 1, COND_MASKED_EQ, 0xff00000000ULL,
                    0x100000000ULL, 1);
        expect_cond("deny prctl if arg1 & 0xf == 3", 1, COND_MASKED_EQ, 0xf, 3, 1);
        expect_cond("deny clone if arg0 &CLONE_NEWUSER == CLONE_NEWUSER", 0, COND_MASKED_EQ, CLONE_NEWUSER,
                    CLONE_NEWUSER, 1);
        expect_error("deny prctl if arg1 &0xf != 3", "a masked comparison is written argN &MASK == VALUE");
        expect_error("deny prctl if arg1 &0xf", "a masked comparison is written argN &MASK == VALUE");
        expect_error("deny prctl if arg1 &FROB == 1", "'FROB' is neither a number nor a known constant");
}

static void test_sets(void) {
        syscall_rule_t r;
        sandbox_error_t e;
        int k = parse("deny prctl if arg1 in {1, 2,3 ,0x10}", &r, &e);

        ok(k == 0 && r.n_conds == 1 && r.conds[0].op == COND_IN && r.conds[0].n_values == 4 &&
                   r.conds[0].values[0] == 1 && r.conds[0].values[3] == 16 && r.conds[0].mask == UINT64_MAX,
           "in {...} takes values separated by commas, blanks or both", e.msg);
        rules_free(&r);
        k = parse("errno:EAFNOSUPPORT socket if arg0 not-in {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK}", &r, &e);
        ok(k == 0 && r.n_conds == 1 && r.conds[0].op == COND_NOT_IN && r.conds[0].n_values == 4 &&
                   r.conds[0].values[0] == 1 && r.conds[0].values[3] == 16,
           "not-in {...}", e.msg);
        ok(k == 0 && r.conds[0].mask == UINT64_MAX, "not-in keeps its values as written (its own filter masks them)",
           NULL);
        rules_free(&r);

        expect_error("deny prctl if arg1 in {}", "'in {' needs values and a closing '}'");
        expect_error("deny prctl if arg1 in {1, 2", "'in {' needs values and a closing '}'");
        expect_error("deny prctl if arg1 in 1", "'in' is followed by {VALUE, ...}");
        expect_error("deny prctl if arg1 not-in", "'not-in' is followed by {VALUE, ...}");
        expect_error("deny prctl if arg1 in {1, FROB}", "'FROB' is neither a number nor a known constant");
        expect_error("deny socket if arg0 not-in {1} && arg1 == 2",
                     "'not-in' must be the only condition of a rule that denies");
        expect_error("allow socket if arg0 not-in {1}", "'not-in' must be the only condition of a rule that denies");
}

static void test_conjunctions(void) {
        syscall_rule_t r;
        sandbox_error_t e;
        int k = parse("deny clone if arg0 &CLONE_NEWUSER == CLONE_NEWUSER && arg1 in {1, 2} && arg2 == 0", &r, &e);

        ok(k == 0 && r.n_conds == 3 && r.conds[0].arg == 0 && r.conds[0].op == COND_MASKED_EQ && r.conds[1].arg == 1 &&
                   r.conds[1].op == COND_IN && r.conds[1].n_values == 2 && r.conds[2].arg == 2,
           "conditions joined with && are kept in order", e.msg);
        rules_free(&r);
        expect_error("deny prctl if arg1 == 1 && arg1 == 2", "two conditions on arg1 in one rule are not expressible");
        expect_error("deny prctl if arg1 == 1 arg2 == 2",
                     "unexpected 'arg2' after the condition (join conditions with &&)");
        expect_error("deny prctl if arg1 == 1 &&", "expected arg0 to arg5 in the condition, got '(end)'");
}

static void test_condition_errors(void) {
        expect_error("deny prctl if", "expected arg0 to arg5 in the condition, got '(end)'");
        expect_error("deny prctl if arg6 == 1", "expected arg0 to arg5 in the condition, got 'arg6'");
        expect_error("deny prctl if argx == 1", "got 'argx'");
        expect_error("deny prctl if arg1x == 1", "got 'arg1x'");
        expect_error("deny prctl if 1 == arg1", "got '1'");
        expect_error("deny prctl if arg1", "condition on arg1 has no operator");
        expect_error("deny prctl if arg1 =", "unknown operator '=' (== != < <= > >= in)");
        expect_error("deny prctl if arg1 ==", "'==' needs a value");
        expect_error("deny prctl if arg1 == -1", "'-1' is neither a number nor a known constant");
        expect_error("deny prctl if arg1 == 0x1ffffffffffffffff", "is neither a number nor a known constant");
        expect_error("deny prctl if arg1 == tiocsti", "'tiocsti' is neither a number nor a known constant");
}

/* The constants sandbox.policy(5) lists, with their values from the system headers. */
static void test_constants(void) {
        static const char *const documented[] = {
                "TIOCSTI",
                "TIOCLINUX",
                "TIOCSETD",
                "TIOCCONS",
                "AF_UNIX",
                "AF_LOCAL",
                "AF_INET",
                "AF_INET6",
                "AF_NETLINK",
                "AF_PACKET",
                "AF_KEY",
                "AF_ALG",
                "AF_VSOCK",
                "AF_BLUETOOTH",
                "AF_CAN",
                "AF_APPLETALK",
                "AF_X25",
                "AF_AX25",
                "AF_NETROM",
                "SOCK_STREAM",
                "SOCK_DGRAM",
                "SOCK_RAW",
                "SOCK_SEQPACKET",
                "SOCK_PACKET",
                "CLONE_NEWUSER",
                "CLONE_NEWNS",
                "CLONE_NEWPID",
                "CLONE_NEWNET",
                "CLONE_NEWUTS",
                "CLONE_NEWIPC",
                "CLONE_NEWCGROUP",
                "CLONE_NEWTIME",
                "CLONE_THREAD",
                "CLONE_VM",
                "CLONE_FS",
                "CLONE_FILES",
                "O_RDONLY",
                "O_WRONLY",
                "O_RDWR",
                "O_CREAT",
                "O_EXCL",
                "O_TRUNC",
                "O_APPEND",
                "O_PATH",
                "O_TMPFILE",
                "O_DIRECTORY",
                "O_NOFOLLOW",
                "O_CLOEXEC",
                "PR_SET_NO_NEW_PRIVS",
                "PR_SET_SECCOMP",
                "PR_SET_DUMPABLE",
                "PR_SET_PDEATHSIG",
                "PR_CAPBSET_DROP",
                "PR_SET_MM",
                "PR_SET_PTRACER",
                "PR_CAP_AMBIENT",
                "PER_LINUX",
                "PER_LINUX32",
                "ADDR_NO_RANDOMIZE",
                "READ_IMPLIES_EXEC",
        };

        for (size_t i = 0; i < ELEMENTSOF(documented); i++) {
                char text[96], name[128];
                syscall_rule_t r;
                sandbox_error_t e;
                int k;

                snprintf(text, sizeof text, "deny prctl if arg1 == %s", documented[i]);
                k = parse(text, &r, &e);
                snprintf(name, sizeof name, "constant %s is known", documented[i]);
                ok(k == 0, name, e.msg);
                if (k == 0)
                        rules_free(&r);
        }
        expect_cond("deny ioctl if arg1 == TIOCSTI", 1, COND_MASKED_EQ, UINT32_MAX, 0x5412, 1);
        expect_cond("deny prctl if arg1 == AF_PACKET", 1, COND_EQ, UINT64_MAX, 17, 1);
        expect_cond("deny prctl if arg1 == ADDR_NO_RANDOMIZE", 1, COND_EQ, UINT64_MAX, 0x40000, 1);
        expect_cond("deny prctl if arg1 == O_WRONLY", 1, COND_EQ, UINT64_MAX, 1, 1);
}

/* The arguments sandbox.policy(5) says the kernel reads as 32 bits. */
static void test_32bit_args(void) {
        static const struct {
                const char *syscall;
                unsigned arg;
        } args32[] = {
                { "ioctl", 1 },      { "socket", 0 },      { "socket", 1 }, { "socket", 2 },
                { "socketpair", 0 }, { "personality", 0 }, { "prctl", 0 },  { "clone", 0 },
                { "unshare", 0 },    { "setns", 1 },       { "fcntl", 1 },
        };

        for (size_t i = 0; i < ELEMENTSOF(args32); i++) {
                char text[96];
                snprintf(text, sizeof text, "deny %s if arg%u == 0x1ffffffff", args32[i].syscall, args32[i].arg);
                expect_cond(text, args32[i].arg, COND_MASKED_EQ, UINT32_MAX, 0xffffffff, 1);
        }
        expect_cond("deny ioctl if arg1 in {0x100005412, TIOCLINUX}", 1, COND_IN, UINT32_MAX, 0x5412, 2);
        expect_cond("deny clone if arg0 &0xf00000000f == 0x100000001", 0, COND_MASKED_EQ, 0xf, 1, 1);
        /* ioctl's third argument is an unsigned long: all 64 bits count. */
        expect_cond("deny ioctl if arg2 == 0x100000000", 2, COND_EQ, UINT64_MAX, 0x100000000ULL, 1);
}

#define VALUES(...) ((const uint64_t[]){ __VA_ARGS__, UINT64_MAX })

/* Every operator, allow or deny, compares what the kernel reads: high bits set by the caller
 * change nothing (no deny slips past, no allow matches a value the kernel reads otherwise). */
static void test_32bit_operators(void) {
        expect_holds("deny ioctl if arg1 < 5", VALUES(0, 4, 0x100000000, 0xffffffff00000003),
                     VALUES(5, 6, 0xffffffff, 0x100000005));
        expect_holds("allow ioctl if arg1 <= 5", VALUES(0, 5, 0x100000005), VALUES(6, 0x1ffffffff));
        expect_holds("allow socket if arg2 > 5", VALUES(6, 0xffffffff, 0x100000006),
                     VALUES(0, 5, 0x100000000, 0x100000005));
        expect_holds("deny kill if arg1 >= 9", VALUES(9, 64, 0x200000009), VALUES(0, 8, 0x100000008));
        expect_holds("allow socket if arg2 != 9", VALUES(0, 8, 10, 0xffffffff, 0x100000008),
                     VALUES(9, 0x100000009, 0xffffffff00000009));
        expect_holds("deny kill if arg1 <= 0xffffffff", VALUES(0, 0xffffffff, 0x1ffffffff), VALUES(UINT64_MAX));
        expect_holds("deny kill if arg1 >= 0", VALUES(0, 0xffffffff, 0x1ffffffff), VALUES(UINT64_MAX));
        expect_holds("deny kill if arg1 < 0", VALUES(UINT64_MAX), VALUES(0, 1, 0xffffffff));
        expect_holds("deny kill if arg1 > 0xffffffff", VALUES(UINT64_MAX), VALUES(0, 0xffffffff));
        /* A umode_t: 16 bits. */
        expect_holds("deny mkdir if arg1 == 0x1ffed", VALUES(0xffed, 0x7ffed), VALUES(0x1fed));
        expect_holds("deny fchmodat if arg2 > 0777", VALUES(01000, 0xffff, 0x10fff), VALUES(0777, 0x10000, 0x101ff));
        /* A 64-bit argument is left as written. */
        expect_cond("deny ioctl if arg2 < 5", 2, COND_LT, UINT64_MAX, 5, 1);
}

/* Against the plain comparison of the low 32 bits, for values around the edges. */
static void test_32bit_exhaustive(void) {
        static const uint64_t values[] = { 0, 1, 2, 3, 7, 8, 9, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
        static const cond_op_t ops[] = { COND_EQ, COND_NE, COND_LT, COND_LE, COND_GT, COND_GE };
        size_t bad = 0, n = 0;

        for (size_t o = 0; o < ELEMENTSOF(ops); o++)
                for (size_t i = 0; i < ELEMENTSOF(values); i++) {
                        uint64_t value = values[i];
                        rule_cond_t c = { .arg = 1, .op = ops[o], .mask = UINT64_MAX, .values = &value, .n_values = 1 },
                                    nc;
                        rules_narrow("kill", &c, &nc);
                        for (size_t j = 0; j < ELEMENTSOF(values); j++)
                                for (uint64_t high = 0; high < 3; high++) {
                                        uint64_t x = values[j], arg = x | high << 32;
                                        bool want = ops[o] == COND_EQ   ? x == value
                                                    : ops[o] == COND_NE ? x != value
                                                    : ops[o] == COND_LT ? x < value
                                                    : ops[o] == COND_LE ? x <= value
                                                    : ops[o] == COND_GT ? x > value
                                                                        : x >= value;
                                        bad += narrowed_holds(&nc, arg) != want;
                                        n++;
                                }
                        rules_cond_free(&nc);
                }
        ok(bad == 0 && n > 2000, "rules_narrow agrees with the kernel's 32-bit view for every operator", NULL);
}

static void test_arg_bits(void) {
        ok(rules_arg_bits("ioctl", 1) == 32 && rules_arg_bits("ioctl", 2) == 64 && rules_arg_bits("kill", 1) == 32 &&
                   rules_arg_bits("openat", 2) == 32 && rules_arg_bits("openat", 3) == 16 &&
                   rules_arg_bits("personality", 0) == 32 && rules_arg_bits("clone", 0) == 32 &&
                   rules_arg_bits("clone", 1) == 64 && rules_arg_bits("mmap", 2) == 64 &&
                   rules_arg_bits("no_such_call", 0) == 64 && rules_arg_bits("ioctl", 6) == 64,
           "rules_arg_bits: the kernel's widths of ioctl, kill, openat, personality, clone, mmap", NULL);
}

static void test_pointer_args(void) {
        expect_error("deny openat if arg1 == 0", "arg1 of openat is a pointer: seccomp sees the address, not what it "
                                                 "points to, so a condition on it filters nothing");
        expect_error("deny write if arg1 == 0", "arg1 of write is a pointer");
        expect_error("deny clone3 if arg0 == 0", "arg0 of clone3 is a pointer");
        expect_error("allow execve if arg0 == 0", "arg0 of execve is a pointer");
        expect_error("deny connect if arg1 == 0", "arg1 of connect is a pointer");
        expect_error("deny @basic-io if arg1 == 0", "is a pointer: seccomp sees the address");
        expect_error("deny uname if arg0 == 0", "arg0 of uname is a pointer");
        expect_cond("deny openat if arg2 &O_WRONLY == O_WRONLY", 2, COND_MASKED_EQ, O_WRONLY, O_WRONLY, 1);
        expect_cond("deny write if arg2 == 2", 2, COND_EQ, UINT64_MAX, 2, 1);
}

int main(void) {
        sandbox_error_t e = { 0 };

        if (libseccomp_open(&e) < 0)
                skip_all(e.msg);
        test_actions();
        test_names();
        test_groups();
        test_group_table();
        test_operators();
        test_masks();
        test_sets();
        test_conjunctions();
        test_condition_errors();
        test_constants();
        test_32bit_args();
        test_32bit_operators();
        test_32bit_exhaustive();
        test_arg_bits();
        test_pointer_args();
        return unit_done();
}
