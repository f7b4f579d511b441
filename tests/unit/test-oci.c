/* SPDX-License-Identifier: MIT */
/* Unit tests of the OCI/Docker seccomp profile importer (setup/oci-seccomp.c): every field it
 * reads, and profiles of the wrong shape, which must give errors rather than crash. Docker's
 * real default profile is loaded from beside the checkout when it is there. Prints TAP. */
#include <fcntl.h>
#include <linux/sched.h>
#include <string.h>

#include "setup/libjsonc.h"
#include "setup/libseccomp.h"
#include "setup/oci-seccomp.h"
#include "setup/options.h"
#include "setup/rules.h"
#include "unit.h"

#define CAP_BIT(n) (UINT64_C(1) << (n))
#define CAP_DAC_READ_SEARCH_BIT CAP_BIT(2)
#define CAP_SYS_ADMIN_BIT CAP_BIT(21)
#define CAP_SYS_PTRACE_BIT CAP_BIT(19)

static int import(const char *json, const char *kernel, sandbox_plan_t *p, sandbox_error_t *e) {
        plan_init(p);
        memset(e, 0, sizeof *e);
        return oci_seccomp_import(p, "p.json", json, strlen(json), kernel, e);
}

/* A profile that must be refused with a message holding needle. */
static void expect_error(const char *json, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char name[512];
        int r = import(json, "6.1", &p, &e);

        snprintf(name, sizeof name, "%s is refused: %s", json, needle);
        ok_error(r, &e, needle, name);
        plan_free(&p);
}

/* A profile with one rule: `rule` is the JSON object's members. */
static int import_rule(const char *rule, const char *kernel, sandbox_plan_t *p, sandbox_error_t *e) {
        char json[2048];

        snprintf(json, sizeof json, "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ { %s } ] }", rule);
        return import(json, kernel, p, e);
}

static void expect_rule_error(const char *rule, const char *needle) {
        char json[2048];

        snprintf(json, sizeof json, "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ { %s } ] }", rule);
        expect_error(json, needle);
}

static bool has_name(const syscall_rule_t *r, const char *name) {
        for (size_t i = 0; i < r->n_names; i++)
                if (strcmp(r->names[i], name) == 0)
                        return true;
        return false;
}

static void test_default_action(void) {
        static const struct {
                const char *json;
                uint32_t action;
        } cases[] = {
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\" }", SCMP_ACT_ALLOW },
                { "{ \"defaultAction\": \"SCMP_ACT_ERRNO\" }", SCMP_ACT_ERRNO(EPERM) },
                { "{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38 }", SCMP_ACT_ERRNO(ENOSYS) },
                { "{ \"defaultErrnoRet\": 0, \"defaultAction\": \"SCMP_ACT_ERRNO\" }", SCMP_ACT_ERRNO(0) },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL_THREAD\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL_PROCESS\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_TRAP\" }", SCMP_ACT_TRAP },
                { "{ \"defaultAction\": \"SCMP_ACT_LOG\" }", SCMP_ACT_LOG },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"] }", SCMP_ACT_ALLOW },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                sandbox_plan_t p;
                sandbox_error_t e;
                char name[256];
                int r = import(cases[i].json, "6.1", &p, &e);

                snprintf(name, sizeof name, "%s sets syscall-default %#x", cases[i].json, cases[i].action);
                ok(r == 0 && p.syscall_default_set && p.syscall_default == cases[i].action && p.n_rules == 0 &&
                           p.n_arches == 0,
                   name, e.msg);
                plan_free(&p);
        }
}

static void test_default_errors(void) {
        expect_error("{ }", "p.json: a rule has no action");
        expect_error("{ \"defaultAction\": 3 }", "p.json: a rule has no action");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_NOTIFY\" }", "p.json: action SCMP_ACT_NOTIFY is not supported");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_TRACE\" }", "action SCMP_ACT_TRACE is not supported");
        expect_error("{ \"defaultAction\": \"allow\" }", "action allow is not supported");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": \"EPERM\" }",
                     "p.json: \"defaultErrnoRet\" must be an errno number from 0 to 4095");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096 }",
                     "\"defaultErrnoRet\" must be");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1 }",
                     "\"defaultErrnoRet\" must be");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5 }",
                     "\"defaultErrnoRet\" must be");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/l.sock\" }",
                     "p.json: listenerPath (seccomp notify) is not supported");
}

static void test_wrong_shapes(void) {
        expect_error("", "p.json: not a JSON seccomp profile");
        expect_error("{ \"defaultAction\": ", "p.json: not a JSON seccomp profile");
        expect_error("[]", "not a JSON seccomp profile (the top level is not an object)");
        expect_error("null", "not a JSON seccomp profile");
        expect_error("42", "the top level is not an object");
        expect_error("\"SCMP_ACT_ALLOW\"", "the top level is not an object");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {} }",
                     "p.json: \"syscalls\" is not an array");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": \"read\" }",
                     "\"syscalls\" is not an array");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ 1 ] }",
                     "p.json: syscalls[0] is not an object");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ {\"names\": [\"read\"], \"action\": "
                     "\"SCMP_ACT_ALLOW\"}, [] ] }",
                     "syscalls[1] is not an object");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": {} }",
                     "p.json: \"archMap\" is not an array");
        expect_error(
                "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": \"SCMP_ARCH_X86_64\", "
                "\"subArchitectures\": \"SCMP_ARCH_X86\" } ] }",
                "\"subArchitectures\" is not an array");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": {}",
                          "\"args\" is not an array");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": []",
                          "\"includes\" is not an object");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": 1",
                          "\"excludes\" is not an object");
        expect_rule_error(
                "\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"caps\": \"CAP_X\" }",
                "\"caps\" is not an array");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"arches\": 1 }",
                          "\"arches\" is not an array");
        expect_rule_error("\"names\": 5, \"action\": \"SCMP_ACT_ALLOW\"", "\"names\" is neither an array nor a string");
        expect_rule_error("\"names\": {}, \"action\": \"SCMP_ACT_ALLOW\"",
                          "\"names\" is neither an array nor a string");
        expect_rule_error("\"action\": \"SCMP_ACT_ALLOW\"", "p.json: a rule has no names");
        expect_rule_error("\"names\": [\"read\"]", "p.json: a rule has no action");
        expect_rule_error("\"names\": [\"read\"], \"action\": [\"SCMP_ACT_ALLOW\"]", "a rule has no action");
}

static void test_names(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = import_rule("\"names\": [\"read\", \"no_such_call\", \"write\", null], \"action\": \"SCMP_ACT_ALLOW\"",
                            "6.1", &p, &e);

        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_names == 2 && has_name(&p.rules[0], "read") &&
                   has_name(&p.rules[0], "write") && p.rules[0].action == SCMP_ACT_ALLOW,
           "names: those unknown to libseccomp (and non-strings) are skipped", e.msg);
        ok(r == 0 && strcmp(p.rules[0].text, "p.json") == 0, "an imported rule is named after its profile", NULL);
        plan_free(&p);

        r = import_rule("\"name\": \"uname\", \"action\": \"SCMP_ACT_LOG\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_names == 1 && has_name(&p.rules[0], "uname") &&
                   p.rules[0].action == SCMP_ACT_LOG,
           "name: one syscall as a string", e.msg);
        plan_free(&p);

        r = import_rule("\"names\": \"uname\", \"action\": \"SCMP_ACT_TRAP\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 1 && has_name(&p.rules[0], "uname") && p.rules[0].action == SCMP_ACT_TRAP,
           "names may be a single string", e.msg);
        plan_free(&p);

        r = import_rule("\"names\": [\"no_such_call\"], \"action\": \"SCMP_ACT_ERRNO\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 0, "a rule whose names are all unknown here adds nothing", e.msg);
        plan_free(&p);

        r = import_rule("\"names\": null, \"action\": \"SCMP_ACT_ERRNO\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 0, "names: null is an empty list", e.msg);
        plan_free(&p);
}

static void test_rule_actions(void) {
        static const struct {
                const char *rule;
                uint32_t action;
        } cases[] = {
                { "\"action\": \"SCMP_ACT_ERRNO\"", SCMP_ACT_ERRNO(EPERM) },
                { "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38", SCMP_ACT_ERRNO(ENOSYS) },
                { "\"action\": \"SCMP_ACT_KILL\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_KILL_THREAD\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_KILL_PROCESS\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_TRAP\"", SCMP_ACT_TRAP },
                { "\"action\": \"SCMP_ACT_LOG\"", SCMP_ACT_LOG },
                { "\"action\": \"SCMP_ACT_ALLOW\"", SCMP_ACT_ALLOW },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                sandbox_plan_t p;
                sandbox_error_t e;
                char rule[256], name[256];
                int r;

                snprintf(rule, sizeof rule, "\"names\": [\"uname\"], %s", cases[i].rule);
                r = import_rule(rule, "6.1", &p, &e);
                snprintf(name, sizeof name, "rule {%s} has action %#x", cases[i].rule, cases[i].action);
                ok(r == 0 && p.n_rules == 1 && p.rules[0].action == cases[i].action, name, e.msg);
                plan_free(&p);
        }
}

static void test_rule_action_errors(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 13, \"syscalls\": [ { \"names\": "
                       "[\"uname\"], \"action\": \"SCMP_ACT_ERRNO\" } ] }",
                       "6.1", &p, &e);

        ok(r == 0 && p.n_rules == 1 && p.rules[0].action == SCMP_ACT_ERRNO(EACCES),
           "defaultErrnoRet is the errno of a rule without errnoRet", e.msg);
        plan_free(&p);
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"EPERM\"",
                          "p.json: \"errnoRet\" must be an errno number from 0 to 4095");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000",
                          "\"errnoRet\" must be an errno number");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_NOTIFY\"",
                          "action SCMP_ACT_NOTIFY is not supported");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_TRACE\"",
                          "action SCMP_ACT_TRACE is not supported");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/x\"",
                          "listenerPath/listenerMetadata (seccomp notify) is not supported");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"listenerMetadata\": \"x\"",
                          "listenerPath/listenerMetadata (seccomp notify) is not supported");
}

/* A rule on `name` with one comparison; checks the condition it becomes. */
static void expect_arg(const char *name, const char *arg, cond_op_t op, uint64_t mask, uint64_t value) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char rule[512], title[640];
        int r;
        const rule_cond_t *c;

        snprintf(rule, sizeof rule, "\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ %s ]", name, arg);
        r = import_rule(rule, "6.1", &p, &e);
        c = r == 0 && p.n_rules == 1 && p.rules[0].n_conds == 1 ? &p.rules[0].conds[0] : NULL;
        snprintf(title, sizeof title, "%s %s: op %d, mask %#llx, value %#llx", name, arg, (int) op,
                 (unsigned long long) mask, (unsigned long long) value);
        ok(c && c->op == op && c->mask == mask && c->n_values == 1 && c->values[0] == value, title, c ? NULL : e.msg);
        plan_free(&p);
}

static void test_args(void) {
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_EQ\" }", COND_EQ, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_NE\" }", COND_NE, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_LT\" }", COND_LT, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_LE\" }", COND_LE, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_GT\" }", COND_GT, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_GE\" }", COND_GE, UINT64_MAX, 7);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\" }", COND_EQ,
                   UINT64_MAX, UINT64_MAX);
        /* OCI: for SCMP_CMP_MASKED_EQ value is the mask, valueTwo what the masked bits must be. */
        expect_arg("prctl", "{ \"index\": 1, \"value\": 255, \"valueTwo\": 3, \"op\": \"SCMP_CMP_MASKED_EQ\" }",
                   COND_MASKED_EQ, 255, 3);
        expect_arg("prctl", "{ \"index\": 1, \"value\": 255, \"op\": \"SCMP_CMP_MASKED_EQ\" }", COND_MASKED_EQ, 255, 0);
        /* Arguments read as 32 bits are masked as the rule language's are. */
        expect_arg("personality", "{ \"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ,
                   UINT32_MAX, UINT32_MAX);
        expect_arg("clone", "{ \"index\": 0, \"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\" }", COND_MASKED_EQ,
                   2114060288, 0);
        expect_arg("clone", "{ \"index\": 0, \"value\": 4294967551, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\" }",
                   COND_MASKED_EQ, 0xff, 1);
}

static void test_args_several(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = import_rule("\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ { \"index\": 1, "
                            "\"value\": 1, \"op\": \"SCMP_CMP_EQ\" }, { \"index\": 2, \"value\": 2, \"op\": "
                            "\"SCMP_CMP_EQ\" } ]",
                            "6.1", &p, &e);

        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_conds == 2 && p.rules[0].conds[0].arg == 1 &&
                   p.rules[0].conds[1].arg == 2 && p.rules[0].conds[1].values[0] == 2,
           "several args are joined with AND", e.msg);
        plan_free(&p);
        r = import_rule("\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": null", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_conds == 0, "args: null is no condition", e.msg);
        plan_free(&p);
}

static void test_arg_errors(void) {
        static const struct {
                const char *arg, *needle;
        } bad[] = {
                { "{ \"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_FROB\" }",
                  "p.json: argument comparison 0 of prctl needs index, value and a known op" },
                { "{ \"index\": 1, \"value\": 1 }", "needs index, value and a known op" },
                { "{ \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }", "needs index, value and a known op" },
                { "{ \"index\": 1, \"op\": \"SCMP_CMP_EQ\" }", "needs index, value and a known op" },
                { "5", "needs index, value and a known op" },
                { "{ \"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: argument index 6 is out of range (0 to 5)" },
                { "{ \"index\": -1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }", "is out of range (0 to 5)" },
                { "{ \"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }, { \"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: two comparisons of argument 1 in one rule are not expressible" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char rule[512];
                snprintf(rule, sizeof rule, "\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ %s ]",
                         bad[i].arg);
                expect_rule_error(rule, bad[i].needle);
        }
        expect_rule_error("\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ { \"index\": 1, "
                          "\"value\": 0, \"op\": \"SCMP_CMP_EQ\" } ]",
                          "arg1 of openat is a pointer");
        expect_rule_error("\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ { \"index\": 1, "
                          "\"value\": 5, \"op\": \"SCMP_CMP_GT\" } ]",
                          "arg1 of ioctl is 32-bit");
}

/* A rule with `filter` (an "includes"/"excludes" member) must be kept or dropped. */
static void expect_filter(const char *filter, const char *kernel, bool kept, uint64_t need, uint64_t exclude) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char rule[512], name[640];
        int r;

        snprintf(rule, sizeof rule, "\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", %s", filter);
        r = import_rule(rule, kernel, &p, &e);
        snprintf(name, sizeof name, "%s on %s: %s", filter, kernel, kept ? "kept" : "dropped");
        ok(r == 0 && p.n_rules == (kept ? 1 : 0) &&
                   (!kept || (p.rules[0].need_caps == need && p.rules[0].exclude_caps == exclude)),
           name, e.msg);
        plan_free(&p);
}

static void test_includes_excludes(void) {
        expect_filter("\"includes\": {}", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, CAP_SYS_ADMIN_BIT, 0);
        expect_filter("\"includes\": { \"caps\": [\"cap_sys_admin\", \"CAP_SYS_PTRACE\"] }", "6.1", true,
                      CAP_SYS_ADMIN_BIT | CAP_SYS_PTRACE_BIT, 0);
        expect_filter("\"includes\": { \"caps\": null }", "6.1", true, 0, 0);
        expect_filter("\"excludes\": { \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, 0, CAP_SYS_ADMIN_BIT);
        expect_filter("\"includes\": { \"minKernel\": \"4.8\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"6.1\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"6.2\" }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"5.10\" }", "5.9", false, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"5.9\" }", "5.10", true, 0, 0);
        expect_filter("\"excludes\": { \"minKernel\": \"4.8\" }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"minKernel\": \"6.2\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"s390x\", \"ppc64le\"] }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"s390x\"], \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, 0,
                      CAP_SYS_ADMIN_BIT);
        expect_filter("\"includes\": { \"arches\": [\"s390x\"], \"minKernel\": \"4.0\" }", "6.1", false, 0, 0);
}

/* The native architecture, under the names the OCI spec and Go give it. */
static void test_native_arch(void) {
        if (seccomp_lib.arch_native() != SCMP_ARCH_X86_64) {
                skip("arches and archMap on x86-64", "the native architecture is not x86-64");
                return;
        }
        expect_filter("\"includes\": { \"arches\": [\"amd64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"SCMP_ARCH_X86_64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"s390x\", \"x86_64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"amd64\"], \"minKernel\": \"7.0\" }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"amd64\"] }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"amd64\"], \"minKernel\": \"9.0\" }", "6.1", false, 0, 0);
}

static void test_arch_map(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        if (seccomp_lib.arch_native() != SCMP_ARCH_X86_64) {
                skip("archMap on x86-64", "the native architecture is not x86-64");
                return;
        }
        r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": \"SCMP_ARCH_AARCH64\", "
                   "\"subArchitectures\": [\"SCMP_ARCH_ARM\"] }, { \"architecture\": \"SCMP_ARCH_X86_64\", "
                   "\"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\", \"SCMP_ARCH_X86_64\"] } ] }",
                   "6.1", &p, &e);
        ok(r == 0 && p.n_arches == 2 && p.arches[0] == SCMP_ARCH_X86 && p.arches[1] == SCMP_ARCH_X32,
           "archMap adds the native architecture's sub-architectures only (not itself, not others')", e.msg);
        plan_free(&p);
        r = import(
                "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": null, \"architectures\": [\"SCMP_ARCH_X86\"] }",
                "6.1", &p, &e);
        ok(r == 0 && p.n_arches == 0, "architectures alone adds nothing", e.msg);
        plan_free(&p);
}

static const fake_file_t files[] = {
        { "/p/ok.json", "{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [ { \"names\": [\"uname\"], "
                        "\"action\": \"SCMP_ACT_ALLOW\" } ] }" },
        { "/p/bad.json", "{ \"defaultAction\": \"SCMP_ACT_NOTIFY\" }" },
        { "/p/imports.policy", "syscall-import ok.json\nsyscall deny getpid\n" },
        { "/p/bad-import.policy", "\nsyscall-import  bad.json\n" },
        { "/p/missing-import.policy", "syscall-import missing.json\n" },
};

static int read_file(const char *path, char **ret, size_t *ret_size) {
        if (strcmp(path, "/p/nul.json") == 0) {
                *ret = xmalloc0(4);
                *ret_size = 3;
                return 0;
        }
        return fake_read_file(path, ret, ret_size);
}

/* The command line and policy files reach the importer through options_parse. */
static int parse(const char *a0, const char *a1, sandbox_plan_t *p, sandbox_error_t *e) {
        char *argv[] = { (char *) a0, (char *) a1, (char *) "true", NULL };
        options_io_t io = { .read_file = read_file, .kernel = "6.1" };

        plan_init(p);
        memset(e, 0, sizeof *e);
        return options_parse(p, 3, argv, &io, e);
}

static void test_through_options(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        fake_files_set(files, ELEMENTSOF(files));
        r = parse("--syscall-import", "/p/ok.json", &p, &e);
        ok(r == 0 && p.syscall_default == SCMP_ACT_ERRNO(EPERM) && p.n_rules == 1, "--syscall-import reads the profile",
           e.msg);
        plan_free(&p);
        r = parse("--policy", "/p/imports.policy", &p, &e);
        ok(r == 0 && p.n_rules == 2 && strstr(unit_tried, "/p/ok.json"),
           "syscall-import in a policy takes a relative path from the policy's directory", r == 0 ? unit_tried : e.msg);
        plan_free(&p);
        r = parse("--policy", "/p/bad-import.policy", &p, &e);
        ok_error(r, &e, "/p/bad-import.policy:2:17: /p/bad.json: action SCMP_ACT_NOTIFY is not supported",
                 "an import error in a policy is located at the file name");
        plan_free(&p);
        r = parse("--policy", "/p/missing-import.policy", &p, &e);
        ok_error(r, &e, "/p/missing-import.policy:1:16: --syscall-import /p/missing.json",
                 "a missing profile is named");
        ok(r == -ENOENT, "and is ENOENT", e.msg);
        plan_free(&p);
        r = parse("--syscall-import", "/p/nul.json", &p, &e);
        ok_error(r, &e, "--syscall-import /p/nul.json: not a JSON file (it holds a NUL byte)", "a NUL byte is refused");
        plan_free(&p);
}

static const syscall_rule_t *rule_naming(const sandbox_plan_t *p, const char *name, size_t n_conds, size_t nth) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (p->rules[i].n_conds == n_conds && has_name(&p->rules[i], name) && nth-- == 0)
                        return &p->rules[i];
        return NULL;
}

static void check_docker(const sandbox_plan_t *p) {
        const syscall_rule_t *r;
        size_t n_personality = 0;

        ok(p->syscall_default_set && p->syscall_default == SCMP_ACT_ERRNO(EPERM),
           "docker: the default is SCMP_ACT_ERRNO with defaultErrnoRet 1 (EPERM)", NULL);
        ok(p->n_rules > 10 && rule_naming(p, "read", 0, 0) && rule_naming(p, "read", 0, 0)->action == SCMP_ACT_ALLOW,
           "docker: read is allowed", NULL);
        r = rule_naming(p, "clone3", 0, 0);
        ok(r && r->action == SCMP_ACT_ALLOW && r->need_caps == CAP_SYS_ADMIN_BIT,
           "docker: clone3 is allowed with CAP_SYS_ADMIN", NULL);
        r = rule_naming(p, "clone3", 0, 1);
        ok(r && r->action == SCMP_ACT_ERRNO(ENOSYS) && r->exclude_caps == CAP_SYS_ADMIN_BIT,
           "docker: clone3 is ENOSYS unless CAP_SYS_ADMIN is kept", NULL);
        r = rule_naming(p, "open_by_handle_at", 0, 0);
        ok(r && r->action == SCMP_ACT_ALLOW && r->need_caps == CAP_DAC_READ_SEARCH_BIT,
           "docker: open_by_handle_at needs CAP_DAC_READ_SEARCH", NULL);
        r = rule_naming(p, "ptrace", 0, 0);
        ok(r && r->need_caps == 0, "docker: ptrace is allowed from kernel 4.8 on", NULL);
        for (size_t i = 0; (r = rule_naming(p, "personality", 1, i)); i++)
                if (r->conds[0].op == COND_MASKED_EQ && r->conds[0].mask == UINT32_MAX)
                        n_personality++;
        ok(n_personality == 5, "docker: the five personality rules compare 32 bits", NULL);
        if (seccomp_lib.arch_native() == SCMP_ARCH_X86_64) {
                r = rule_naming(p, "clone", 1, 0);
                ok(r && r->conds[0].arg == 0 && r->conds[0].mask == 2114060288 && r->conds[0].values[0] == 0 &&
                           r->exclude_caps == CAP_SYS_ADMIN_BIT && !rule_naming(p, "clone", 1, 1),
                   "docker: clone without namespace flags, the s390 variant dropped", NULL);
                ok(p->n_arches == 2 && rule_naming(p, "arch_prctl", 0, 0) &&
                           !rule_naming(p, "s390_runtime_instr", 0, 0),
                   "docker: x86 and x32 from archMap; amd64 rules kept, s390 ones dropped", NULL);
        } else
                skip("docker: the x86-64 parts", "the native architecture is not x86-64");
}

static void test_docker_default(void) {
        const char *root = getenv("SANDBOX_SOURCE_ROOT");
        _cleanup_free_ char *path = NULL, *data = NULL;
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        size_t size = 0;
        int r;

        if (!root) {
                skip("Docker's default profile", "SANDBOX_SOURCE_ROOT is not set (run through meson test)");
                return;
        }
        path = xasprintf("%s/../shared/data/docker-default-seccomp.json", root);
        if (read_file_path(path, &data, &size) < 0) {
                skip("Docker's default profile",
                     "../shared/data/docker-default-seccomp.json is not beside the checkout");
                return;
        }
        plan_init(&p);
        r = oci_seccomp_import(&p, path, data, size, "6.1", &e);
        ok(r == 0, "Docker's default profile imports", e.msg);
        if (r == 0)
                check_docker(&p);
        plan_free(&p);
        plan_init(&p);
        r = oci_seccomp_import(&p, path, data, size, "4.4", &e);
        ok(r == 0 && rule_naming(&p, "ptrace", 0, 0) &&
                   rule_naming(&p, "ptrace", 0, 0)->need_caps == CAP_SYS_PTRACE_BIT,
           "docker on kernel 4.4: ptrace needs CAP_SYS_PTRACE", e.msg);
        plan_free(&p);
}

int main(void) {
        sandbox_error_t e = { 0 };

        if (libseccomp_open(&e) < 0 || libjsonc_open(&e) < 0)
                skip_all(e.msg);
        test_default_action();
        test_default_errors();
        test_wrong_shapes();
        test_names();
        test_rule_actions();
        test_rule_action_errors();
        test_args();
        test_args_several();
        test_arg_errors();
        test_includes_excludes();
        test_native_arch();
        test_arch_map();
        test_through_options();
        test_docker_default();
        return unit_done();
}
