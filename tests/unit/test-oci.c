/* SPDX-License-Identifier: MIT */
/* Unit tests of the OCI/Docker seccomp profile importer (setup/oci-seccomp.c): every field it
 * reads, profiles of the wrong shape (an error naming the profile and the field, never a crash
 * or a number made up), and Docker's and Podman's real profiles, alone and with the default
 * policy, compiled for every ABI they name. Prints TAP. */
#include <fcntl.h>
#include <linux/sched.h>
#include <string.h>

#include "setup/libjsonc.h"
#include "setup/libseccomp.h"
#include "setup/oci-seccomp.h"
#include "setup/options.h"
#include "setup/policy.h"
#include "setup/rules.h"
#include "setup/seccomp.h"
#include "unit.h"

#define CAP_BIT(n) (UINT64_C(1) << (n))
#define CAP_DAC_READ_SEARCH_BIT CAP_BIT(2)
#define CAP_SYS_ADMIN_BIT CAP_BIT(21)
#define CAP_SYS_PTRACE_BIT CAP_BIT(19)
#define CAP_AUDIT_WRITE_BIT CAP_BIT(29)

static int import(const char *json, const char *kernel, sandbox_plan_t *p, sandbox_error_t *e) {
        plan_init(p);
        memset(e, 0, sizeof *e);
        return oci_seccomp_import(p, "p.json", json, strlen(json), kernel, e);
}

/* A profile that must be refused with a message holding needle, and naming the profile first. */
static void expect_error(const char *json, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char name[640];
        int r = import(json, "6.1", &p, &e);

        snprintf(name, sizeof name, "%.400s is refused: %s", json, needle);
        for (char *c = name; *c; c++)
                *c = *c == '\n' ? ' ' : *c; /* one TAP line */
        ok_error(r, &e, needle, name);
        if (r < 0 && strncmp(e.msg, "p.json: ", 8) != 0)
                ok(false, "and the message starts with the profile's name", e.msg);
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

static bool warned(const sandbox_plan_t *p, const char *needle) {
        for (size_t i = 0; i < p->n_warnings; i++)
                if (strstr(p->warnings[i], needle))
                        return true;
        return false;
}

static bool native_x86_64(void) {
        return seccomp_lib.arch_native() == SCMP_ARCH_X86_64;
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
                { "{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": null }", SCMP_ACT_ERRNO(EPERM) },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 38 }", SCMP_ACT_ALLOW },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL_THREAD\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_KILL_PROCESS\" }", SCMP_ACT_KILL_PROCESS },
                { "{ \"defaultAction\": \"SCMP_ACT_TRAP\" }", SCMP_ACT_TRAP },
                { "{ \"defaultAction\": \"SCMP_ACT_LOG\" }", SCMP_ACT_LOG },
                /* Go writes a nil slice as null: no rules. */
                { "{ \"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": null }", SCMP_ACT_LOG },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [] }", SCMP_ACT_ALLOW },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"\", \"listenerMetadata\": \"x\" }",
                  SCMP_ACT_ALLOW },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", "
                  "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", \"SECCOMP_FILTER_FLAG_TSYNC\"] }",
                  SCMP_ACT_ALLOW },
                { "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"comment\": 5, \"unknownField\": [] }", SCMP_ACT_ALLOW },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                sandbox_plan_t p;
                sandbox_error_t e;
                char name[320];
                int r = import(cases[i].json, "6.1", &p, &e);

                snprintf(name, sizeof name, "%s sets syscall-default %#x", cases[i].json, cases[i].action);
                ok(r == 0 && p.syscall_default_set && p.syscall_default == cases[i].action && p.n_rules == 0 &&
                           p.n_arches == 0,
                   name, e.msg);
                plan_free(&p);
        }
}

static void test_default_errors(void) {
        expect_error("{ }", "p.json: defaultAction: is missing");
        expect_error("{ \"defaultAction\": null }", "p.json: defaultAction: is missing");
        expect_error("{ \"defaultAction\": 3 }", "p.json: defaultAction: must be a string, not a number");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_NOTIFY\" }",
                     "p.json: defaultAction: SCMP_ACT_NOTIFY is not supported: no seccomp agent listens");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_TRACE\" }",
                     "p.json: defaultAction: SCMP_ACT_TRACE is not supported: no tracer runs");
        expect_error("{ \"defaultAction\": \"allow\" }", "p.json: defaultAction: unknown action \"allow\"");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": \"EPERM\" }",
                     "p.json: defaultErrnoRet: must be a whole number from 0 to 18446744073709551615, not a string");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096 }",
                     "p.json: defaultErrnoRet: 4096 is no errno seccomp can return (0 to 4095)");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1 }",
                     "defaultErrnoRet: must be a whole number from 0 to 18446744073709551615, not a negative one");
        expect_error(
                "{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5 }",
                "defaultErrnoRet: must be a whole number from 0 to 18446744073709551615, not a number with a fraction or exponent");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/l.sock\" }",
                     "p.json: listenerPath: seccomp notifications are not supported");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_FROB\"] }",
                     "p.json: flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FROB\"");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": \"SECCOMP_FILTER_FLAG_LOG\" }",
                     "p.json: flags: must be an array, not a string");
}

static void test_wrong_shapes(void) {
        expect_error("", "p.json: not a JSON seccomp profile");
        expect_error("{ \"defaultAction\": ", "p.json: not a JSON seccomp profile (line 1:");
        expect_error("[]", "p.json: not a JSON seccomp profile (the top level is not an object)");
        expect_error("null", "not a JSON seccomp profile");
        expect_error("\"SCMP_ACT_ALLOW\"", "the top level is not an object");
        /* What Go refuses too: comments, trailing commas, text after the object. */
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", }", "not a JSON seccomp profile (line 1:");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\" } x", "not a JSON seccomp profile");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\" }\n{}", "not a JSON seccomp profile (line 2:");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": {} }",
                     "p.json: syscalls: must be an array, not an object");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": \"read\" }",
                     "p.json: syscalls: must be an array, not a string");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ 1 ] }",
                     "p.json: syscalls[0]: must be an object, not a number");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ null ] }",
                     "p.json: syscalls[0]: must be an object, not null");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ {\"names\": [\"read\"], \"action\": "
                     "\"SCMP_ACT_ALLOW\"}, [] ] }",
                     "p.json: syscalls[1]: must be an object, not an array");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": {} }",
                     "p.json: archMap: must be an array, not an object");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ 7 ] }",
                     "p.json: archMap[0]: must be an object, not a number");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": "
                     "\"SCMP_ARCH_X86_64\", \"subArchitectures\": \"SCMP_ARCH_X86\" } ] }",
                     "p.json: archMap[0].subArchitectures: must be an array, not a string");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": 64 } ] }",
                     "p.json: archMap[0].architecture: must be a string, not a number");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [ \"SCMP_ARCH_FROB\" ] }",
                     "p.json: architectures[0]: unknown architecture \"SCMP_ARCH_FROB\"");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [ 1 ] }",
                     "p.json: architectures[0]: must be a string, not a number");
        expect_error("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"], \"archMap\": "
                     "[ { \"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"] } ] }",
                     "p.json: archMap: a profile gives either \"architectures\" or \"archMap\", not both");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": {}",
                          "p.json: syscalls[0].args: must be an array, not an object");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": []",
                          "p.json: syscalls[0].includes: must be an object, not an array");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": 1",
                          "p.json: syscalls[0].excludes: must be an object, not a number");
        expect_rule_error(
                "\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"caps\": \"CAP_X\" }",
                "p.json: syscalls[0].includes.caps: must be an array, not a string");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"caps\": [ 21 ] }",
                          "p.json: syscalls[0].includes.caps[0]: must be a string, not a number");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"arches\": 1 }",
                          "p.json: syscalls[0].excludes.arches: must be an array, not a number");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"arches\": [{}] }",
                          "p.json: syscalls[0].excludes.arches[0]: must be a string, not an object");
        expect_rule_error("\"names\": 5, \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names: must be an array, not a number");
        expect_rule_error("\"names\": {}, \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names: must be an array, not an object");
        /* Go reads "names" as a list of strings: a lone string is refused there too. */
        expect_rule_error("\"names\": \"uname\", \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names: must be an array, not a string");
        expect_rule_error("\"name\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].name: must be a string, not an array");
        expect_rule_error("\"names\": [\"read\"]", "p.json: syscalls[0].action: is missing");
        expect_rule_error("\"names\": [\"read\"], \"action\": [\"SCMP_ACT_ALLOW\"]",
                          "p.json: syscalls[0].action: must be a string, not an array");
}

/* Numbers: whole, from 0 to 2^64-1, never a string, a fraction or a negative one turned into some
 * number; and strings never cut at a NUL. */
static void test_values(void) {
        static const struct {
                const char *arg, *needle;
        } bad[] = {
                { "{ \"index\": 1, \"value\": \"7\", \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: syscalls[0].args[0].value: must be a whole number from 0 to 18446744073709551615, not a "
                  "string" },
                { "{ \"index\": 1, \"value\": 7.0, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: syscalls[0].args[0].value: must be a whole number from 0 to 18446744073709551615, not a "
                  "number with a fraction or exponent" },
                { "{ \"index\": 1, \"value\": 7.5, \"op\": \"SCMP_CMP_EQ\" }",
                  "args[0].value: must be a whole number" },
                { "{ \"index\": 1, \"value\": 1e3, \"op\": \"SCMP_CMP_EQ\" }",
                  "not a number with a fraction or exponent" },
                { "{ \"index\": 1, \"value\": -1, \"op\": \"SCMP_CMP_EQ\" }", "args[0].value: must be a whole number "
                                                                              "from 0 to 18446744073709551615, not a "
                                                                              "negative one" },
                { "{ \"index\": 1, \"value\": true, \"op\": \"SCMP_CMP_EQ\" }", "args[0].value: must be a whole "
                                                                                "number from 0 to "
                                                                                "18446744073709551615, not a boolean" },
                { "{ \"index\": 1, \"value\": null, \"op\": \"SCMP_CMP_EQ\" }", "p.json: syscalls[0].args[0].value: "
                                                                                "is missing" },
                { "{ \"index\": 1, \"op\": \"SCMP_CMP_EQ\" }", "p.json: syscalls[0].args[0].value: is missing" },
                { "{ \"index\": 1, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: line 1: the number 18446744073709551616 doesn't fit in 64 bits" },
                { "{ \"index\": 1, \"value\": 99999999999999999999999, \"op\": \"SCMP_CMP_EQ\" }",
                  "the number 99999999999999999999999 doesn't fit in 64 bits" },
                { "{ \"index\": 1, \"value\": 1, \"valueTwo\": \"2\", \"op\": \"SCMP_CMP_MASKED_EQ\" }",
                  "p.json: syscalls[0].args[0].valueTwo: must be a whole number from 0 to 18446744073709551615, "
                  "not a string" },
                { "{ \"index\": \"1\", \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: syscalls[0].args[0].index: must be a whole number from 0 to 18446744073709551615, not a "
                  "string" },
                { "{ \"index\": 1.0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }", "args[0].index: must be a whole" },
                { "{ \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }", "p.json: syscalls[0].args[0].index: is missing" },
                { "{ \"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }",
                  "p.json: syscalls[0].args[0].index: 6 is out of range (0 to 5)" },
                { "{ \"index\": -1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }",
                  "args[0].index: must be a whole number from 0 to 18446744073709551615, not a negative one" },
                { "{ \"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_FROB\" }",
                  "p.json: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FROB\"" },
                { "{ \"index\": 1, \"value\": 1 }", "p.json: syscalls[0].args[0].op: is missing" },
                { "{ \"index\": 1, \"value\": 1, \"op\": 3 }", "args[0].op: must be a string, not a number" },
                { "5", "p.json: syscalls[0].args[0]: must be an object, not a number" },
                { "null", "p.json: syscalls[0].args[0]: must be an object, not null" },
                { "{ \"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }, 7",
                  "p.json: syscalls[0].args[1]: must be an object, not a number" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char rule[512];
                snprintf(rule, sizeof rule, "\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ %s ]",
                         bad[i].arg);
                expect_rule_error(rule, bad[i].needle);
        }
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"EPERM\"",
                          "p.json: syscalls[0].errnoRet: must be a whole number from 0 to 18446744073709551615, not a "
                          "string");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5000",
                          "p.json: syscalls[0].errnoRet: 5000 is no errno seccomp can return (0 to 4095)");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1.0",
                          "syscalls[0].errnoRet: must be a whole number");
        expect_rule_error("\"names\": [\"read\\u0000x\"], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names[0]: holds a NUL character");
        expect_rule_error("\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\\u0000\"",
                          "p.json: syscalls[0].action: holds a NUL character");
        /* Digits in a string, or after a decimal point, are no integer to check. */
        {
                sandbox_plan_t p;
                sandbox_error_t e;
                int r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"comment\": \"99999999999999999999999\", "
                               "\"x\": 1.99999999999999999999999, \"y\": \"\\\"99999999999999999999999\" }",
                               "6.1", &p, &e);
                ok(r == 0, "long digit runs in strings and fractions are not numbers that overflow", e.msg);
                plan_free(&p);
        }
}

static void test_names(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = import_rule("\"names\": [\"read\", \"no_such_call\", \"write\", null, \"frob2\"], "
                            "\"action\": \"SCMP_ACT_ALLOW\"",
                            "6.1", &p, &e);

        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_names == 2 && has_name(&p.rules[0], "read") &&
                   has_name(&p.rules[0], "write") && p.rules[0].action == SCMP_ACT_ALLOW,
           "names: those unknown to libseccomp and to this build are skipped (null as an unknown one)", e.msg);
        ok(r == 0 && p.n_warnings == 1 &&
                   warned(&p, "p.json: skipped 3 syscall names that libseccomp and this build don't know, as "
                              "container engines do: \"no_such_call\", \"\", \"frob2\""),
           "... and named in one note, not an error", p.n_warnings ? p.warnings[0] : e.msg);
        ok(r == 0 && p.rules[0].origin && strcmp(p.rules[0].origin, "p.json: syscalls[0]") == 0,
           "an imported rule is named after its profile and entry", NULL);
        plan_free(&p);

        r = import_rule("\"name\": \"uname\", \"action\": \"SCMP_ACT_LOG\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_names == 1 && has_name(&p.rules[0], "uname") &&
                   p.rules[0].action == SCMP_ACT_LOG && p.n_warnings == 0,
           "name: one syscall as a string (older profiles)", e.msg);
        plan_free(&p);

        r = import_rule("\"names\": [\"no_such_call\"], \"action\": \"SCMP_ACT_ERRNO\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 0 && warned(&p, "\"no_such_call\""),
           "a rule whose names are all unknown here adds nothing", e.msg);
        plan_free(&p);

        r = import_rule("\"names\": null, \"action\": \"SCMP_ACT_ERRNO\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 0, "names: null is an empty list", e.msg);
        plan_free(&p);
        r = import_rule("\"action\": \"SCMP_ACT_ERRNO\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 0, "a rule without names adds nothing (as in the engines)", e.msg);
        plan_free(&p);
        /* fchmodat2 is newer than this libseccomp: our table names it. */
        r = import_rule("\"names\": [\"fchmodat2\", \"uname\"], \"action\": \"SCMP_ACT_ALLOW\"", "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 1 && has_name(&p.rules[0], "fchmodat2") && !warned(&p, "fchmodat2"),
           "a syscall only this build's table knows is kept", e.msg);
        plan_free(&p);

        expect_rule_error("\"names\": [\"read\", 5], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names[1]: must be a string, not a number");
        expect_rule_error("\"names\": [[\"read\"]], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names[0]: must be a string, not an array");
        expect_rule_error("\"names\": [true], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0].names[0]: must be a string, not a boolean");
        expect_rule_error("\"name\": \"read\", \"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"",
                          "p.json: syscalls[0]: a rule gives either \"name\" or \"names\", not both");
}

static void test_rule_actions(void) {
        static const struct {
                const char *rule;
                uint32_t action;
        } cases[] = {
                { "\"action\": \"SCMP_ACT_ERRNO\"", SCMP_ACT_ERRNO(EPERM) },
                { "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38", SCMP_ACT_ERRNO(ENOSYS) },
                { "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0", SCMP_ACT_ERRNO(0) },
                { "\"action\": \"SCMP_ACT_KILL\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_KILL_THREAD\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_KILL_PROCESS\"", SCMP_ACT_KILL_PROCESS },
                { "\"action\": \"SCMP_ACT_TRAP\"", SCMP_ACT_TRAP },
                { "\"action\": \"SCMP_ACT_LOG\"", SCMP_ACT_LOG },
                { "\"action\": \"SCMP_ACT_ALLOW\"", SCMP_ACT_ALLOW },
                { "\"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 13", SCMP_ACT_ALLOW },
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
        int r = import("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13, \"syscalls\": [ { \"names\": "
                       "[\"uname\"], \"action\": \"SCMP_ACT_ERRNO\" } ] }",
                       "6.1", &p, &e);

        /* The runtime spec: errnoRet's default is EPERM; defaultErrnoRet is the default action's. */
        ok(r == 0 && p.n_rules == 1 && p.rules[0].action == SCMP_ACT_ERRNO(EPERM) &&
                   p.syscall_default == SCMP_ACT_ERRNO(EACCES),
           "a rule without errnoRet returns EPERM, whatever defaultErrnoRet says", e.msg);
        plan_free(&p);
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_NOTIFY\"",
                          "p.json: syscalls[0].action: SCMP_ACT_NOTIFY is not supported: no seccomp agent listens "
                          "for the sandbox's notifications");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_TRACE\"",
                          "p.json: syscalls[0].action: SCMP_ACT_TRACE is not supported: no tracer runs under sandbox");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 1",
                          "syscalls[0].action: SCMP_ACT_TRACE is not supported");
        expect_rule_error("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_FROB\"",
                          "p.json: syscalls[0].action: unknown action \"SCMP_ACT_FROB\" (SCMP_ACT_ALLOW,");
        r = import_rule("\"names\": [\"uname\"], \"action\": \"SCMP_ACT_TRACE\"", "6.1", &p, &e);
        ok(r < 0 && strstr(e.hint, "SCMP_ACT_ERRNO"), "with a hint of what to write instead", e.hint);
        plan_free(&p);
}

/* A rule on `name` with one comparison: the condition it becomes, as the filter compiles it for
 * that syscall (rules_narrow: arguments the kernel reads as 32 bits compared on those). */
static void expect_arg(const char *name, const char *arg, cond_op_t op, uint64_t mask, uint64_t value) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char rule[512], title[640];
        rule_cond_t c = { 0 };
        int r;
        bool have;

        snprintf(rule, sizeof rule, "\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ %s ]", name, arg);
        r = import_rule(rule, "6.1", &p, &e);
        have = r == 0 && p.n_rules == 1 && p.rules[0].n_conds == 1;
        if (have)
                rules_narrow(name, &p.rules[0].conds[0], &c);
        snprintf(title, sizeof title, "%s %s: op %d, mask %#llx, value %#llx", name, arg, (int) op,
                 (unsigned long long) mask, (unsigned long long) value);
        ok(have && c.op == op && c.mask == mask && !c.masks && c.n_values == 1 && c.values[0] == value, title,
           have ? NULL : e.msg);
        rules_cond_free(&c);
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
        /* Arguments read as 32 bits (int, unsigned int, pid_t, fds...) are compared as the kernel
         * sees them, by the one mechanism the rule language uses too. */
        expect_arg("personality", "{ \"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ,
                   UINT32_MAX, UINT32_MAX);
        expect_arg("kill", "{ \"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ, UINT32_MAX, 9);
        expect_arg("kill", "{ \"index\": 1, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ,
                   UINT32_MAX, UINT32_MAX);
        expect_arg("openat", "{ \"index\": 2, \"value\": 64, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ, UINT32_MAX,
                   64);
        expect_arg("ioctl", "{ \"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ, UINT32_MAX, 3);
        expect_arg("ioctl", "{ \"index\": 1, \"value\": 21522, \"op\": \"SCMP_CMP_EQ\" }", COND_MASKED_EQ, UINT32_MAX,
                   21522);
        expect_arg("clone", "{ \"index\": 0, \"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\" }", COND_MASKED_EQ,
                   2114060288, 0);
        expect_arg("clone", "{ \"index\": 0, \"value\": 4294967551, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\" }",
                   COND_MASKED_EQ, 0xff, 1);
        /* A 64-bit argument keeps all of them. */
        expect_arg("mmap", "{ \"index\": 2, \"value\": 4294967296, \"op\": \"SCMP_CMP_EQ\" }", COND_EQ, UINT64_MAX,
                   0x100000000);
        /* The engines compare addresses: so does an import (the rule language refuses it). */
        expect_arg("openat", "{ \"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_EQ\" }", COND_EQ, UINT64_MAX, 0);
}

/* socket(family > 40) as Docker's profile allows it: a family with high bits set is the family
 * the kernel reads, so AF_VSOCK (40) | 1 << 32 doesn't match (it did, compared on 64 bits). */
static void test_args_32bit_ranges(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        rule_cond_t c = { 0 };
        int r = import_rule("\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ { \"index\": 0, "
                            "\"value\": 40, \"op\": \"SCMP_CMP_GT\" } ]",
                            "6.1", &p, &e);
        bool vsock = false, inet = false, high_inet = false;

        if (r == 0 && p.n_rules == 1)
                rules_narrow("socket", &p.rules[0].conds[0], &c);
        for (size_t k = 0; k < c.n_values; k++) {
                uint64_t mask = c.masks ? c.masks[k] : c.mask;
                vsock |= (((UINT64_C(1) << 32) | 40) & mask) == c.values[k];
                inet |= (UINT64_C(41) & mask) == c.values[k];
                high_inet |= (((UINT64_C(1) << 32) | 41) & mask) == c.values[k];
        }
        ok(r == 0 && c.op == COND_IN && c.n_values > 1 && !vsock && inet && high_inet,
           "socket arg0 > 40 in an allow rule: (1 << 32) | 40 is 40 to the kernel and doesn't match", e.msg);
        rules_cond_free(&c);
        plan_free(&p);
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
        /* Two comparisons of one argument: runc makes a rule of each (OR); for a denial that refuses
         * more than the profile's AND would, which is taken. */
        r = import_rule("\"names\": [\"prctl\", \"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [ { \"index\": "
                        "1, \"value\": 1, \"op\": \"SCMP_CMP_GE\" }, { \"index\": 1, \"value\": 9, \"op\": "
                        "\"SCMP_CMP_LE\" } ]",
                        "6.1", &p, &e);
        ok(r == 0 && p.n_rules == 2 && p.rules[0].n_conds == 1 && p.rules[1].n_conds == 1 &&
                   p.rules[0].conds[0].op == COND_GE && p.rules[1].conds[0].op == COND_LE && p.rules[1].n_names == 2 &&
                   has_name(&p.rules[1], "uname"),
           "two comparisons of one argument in a denial: a rule of each, as runc does", e.msg);
        plan_free(&p);
        expect_rule_error("\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ { \"index\": 1, "
                          "\"value\": 1, \"op\": \"SCMP_CMP_GE\" }, { \"index\": 1, \"value\": 9, \"op\": "
                          "\"SCMP_CMP_LE\" } ]",
                          "p.json: syscalls[0].args[1]: compares an argument twice");
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
        expect_filter("\"includes\": null, \"excludes\": null", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, CAP_SYS_ADMIN_BIT, 0);
        expect_filter("\"includes\": { \"caps\": [\"cap_sys_admin\", \"CAP_SYS_PTRACE\"] }", "6.1", true,
                      CAP_SYS_ADMIN_BIT | CAP_SYS_PTRACE_BIT, 0);
        expect_filter("\"includes\": { \"caps\": null }", "6.1", true, 0, 0);
        expect_filter("\"excludes\": { \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, 0, CAP_SYS_ADMIN_BIT);
        /* A capability no one can name here is never kept: a rule that needs it never applies (it
         * can't widen an allow), one that excludes it applies. */
        expect_filter("\"includes\": { \"caps\": [\"CAP_NOT_A_CAPABILITY\"] }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"caps\": [\"CAP_SYS_ADMIN\", \"CAP_FROB\"] }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"caps\": [\"\"] }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"caps\": [\"21\"] }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"caps\": [\"CAP_NOT_A_CAPABILITY\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"4.8\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"6.1\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"6.2\" }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"5.10\" }", "5.9", false, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"5.9\" }", "5.10", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"5.9\" }", "5.10.0-13-amd64", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": \"\" }", "4.1", true, 0, 0);
        expect_filter("\"includes\": { \"minKernel\": null }", "4.1", true, 0, 0);
        expect_filter("\"excludes\": { \"minKernel\": \"4.8\" }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"minKernel\": \"6.2\" }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"s390x\", \"ppc64le\"] }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"s390x\"], \"caps\": [\"CAP_SYS_ADMIN\"] }", "6.1", true, 0,
                      CAP_SYS_ADMIN_BIT);
        expect_filter("\"includes\": { \"arches\": [\"s390x\"], \"minKernel\": \"4.0\" }", "6.1", false, 0, 0);
        /* What a dropped rule holds is not read: the engines never see it either. */
        expect_filter("\"includes\": { \"arches\": [\"s390x\"] }, \"args\": [ { \"index\": 9 } ]", "6.1", false, 0, 0);
}

static void test_min_kernel_errors(void) {
        static const char *const bad[] = { "abc",   "5.x",  "5",    "5.",   ".5",   "5.1.2", "0.0", "256.1",
                                           "5.256", "-5.1", "5.-1", "5.1 ", " 5.1", "+5.1",  "5,1", "5.1-rc1" };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char rule[256], needle[256];
                snprintf(rule, sizeof rule,
                         "\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"minKernel\": "
                         "\"%s\" }",
                         bad[i]);
                snprintf(needle, sizeof needle,
                         "p.json: syscalls[0].includes.minKernel: \"%s\" is not a kernel version MAJOR.MINOR", bad[i]);
                expect_rule_error(rule, needle);
        }
        expect_rule_error(
                "\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"minKernel\": 5.1 }",
                "p.json: syscalls[0].excludes.minKernel: must be a string, not a number with a fraction or exponent");
        expect_rule_error(
                "\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"minKernel\": \"x\" }",
                "p.json: syscalls[0].excludes.minKernel: \"x\" is not a kernel version");
}

/* The native architecture, under the names the OCI spec and Go give it. */
static void test_native_arch(void) {
        if (!native_x86_64()) {
                skip("arches on x86-64", "the native architecture is not x86-64");
                return;
        }
        expect_filter("\"includes\": { \"arches\": [\"amd64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"SCMP_ARCH_X86_64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"s390x\", \"x86_64\"] }", "6.1", true, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"x86\"] }", "6.1", false, 0, 0);
        expect_filter("\"includes\": { \"arches\": [\"amd64\"], \"minKernel\": \"7.0\" }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"amd64\"] }", "6.1", false, 0, 0);
        expect_filter("\"excludes\": { \"arches\": [\"amd64\"], \"minKernel\": \"9.0\" }", "6.1", false, 0, 0);
}

static void test_arches(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        if (!native_x86_64()) {
                skip("archMap and architectures on x86-64", "the native architecture is not x86-64");
                return;
        }
        r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": \"SCMP_ARCH_AARCH64\", "
                   "\"subArchitectures\": [\"SCMP_ARCH_ARM\"] }, { \"architecture\": \"SCMP_ARCH_X86_64\", "
                   "\"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\", \"SCMP_ARCH_X86_64\"] }, "
                   "{ \"architecture\": \"SCMP_ARCH_RISCV64\", \"subArchitectures\": null } ] }",
                   "6.1", &p, &e);
        ok(r == 0 && p.n_arches == 2 && p.arches[0] == SCMP_ARCH_X86 && p.arches[1] == SCMP_ARCH_X32,
           "archMap adds the native architecture's sub-architectures only (not itself, not others')", e.msg);
        plan_free(&p);
        r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": null, \"architectures\": [\"SCMP_ARCH_X86\", "
                   "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AARCH64\", \"x32\", \"SCMP_ARCH_X86\"] }",
                   "6.1", &p, &e);
        ok(r == 0 && p.n_arches == 2 && p.arches[0] == SCMP_ARCH_X86 && p.arches[1] == SCMP_ARCH_X32,
           "architectures adds the ABIs this machine runs (i386, x32), once; those it can't run are left out", e.msg);
        plan_free(&p);
        r = import("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [ { \"architecture\": \"SCMP_ARCH_X86_64\", "
                   "\"subArchitectures\": [\"SCMP_ARCH_FROB\"] } ] }",
                   "6.1", &p, &e);
        ok_error(r, &e, "p.json: archMap[0].subArchitectures[0]: unknown architecture \"SCMP_ARCH_FROB\"",
                 "an unknown sub-architecture of the native one is refused");
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
        ok_error(r, &e, "/p/bad-import.policy:2:17: /p/bad.json: defaultAction: SCMP_ACT_NOTIFY is not supported",
                 "an import error in a policy is located at the file name, and names the profile and field");
        plan_free(&p);
        r = parse("--policy", "/p/missing-import.policy", &p, &e);
        ok_error(r, &e, "/p/missing-import.policy:1:16: --syscall-import /p/missing.json",
                 "a missing profile is named");
        ok(r == -ENOENT, "and is ENOENT", e.msg);
        plan_free(&p);
        r = parse("--syscall-import", "/p/nul.json", &p, &e);
        ok_error(r, &e, "--syscall-import /p/nul.json: not a JSON file (it holds a NUL byte)", "a NUL byte is refused");
        plan_free(&p);
        plan_init(&p);
        r = oci_seccomp_import(&p, "/p/x.json", "{ \"defaultAction\": \"SCMP_ACT_ALLOW\" }\0x", 40, "6.1", &e);
        ok_error(r, &e, "/p/x.json: not a JSON seccomp profile (it holds a NUL byte)",
                 "the importer itself refuses a NUL byte (the fuzzer calls it directly)");
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
        for (size_t i = 0; (r = rule_naming(p, "personality", 1, i)); i++) {
                rule_cond_t c;
                rules_narrow("personality", &r->conds[0], &c);
                n_personality += c.op == COND_MASKED_EQ && c.mask == UINT32_MAX;
                rules_cond_free(&c);
        }
        ok(n_personality == 5, "docker: the five personality rules compare 32 bits", NULL);
        if (native_x86_64()) {
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

/* The profile at PATH compiles: alone, with every capability kept, and after the default policy
 * (whose rules must hold on every ABI the profile adds). */
static void check_compiles(const char *what, const char *path, const char *data, size_t size) {
        static const fake_file_t none[] = { { "/nowhere", "" } };
        options_io_t io = { .read_file = fake_read_file, .kernel = "6.1" };
        seccomp_program_t *progs = NULL;
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        size_t n = 0;
        char name[256];
        int r;

        if (!unit_can_compile()) {
                skip(what, "libseccomp can't make a filter here (valgrind doesn't know seccomp(2))");
                return;
        }
        fake_files_set(none, ELEMENTSOF(none));
        plan_init(&p);
        r = oci_seccomp_import(&p, path, data, size, "6.1", &e);
        if (r == 0 && (r = seccomp_compile(&p, &progs, &n, &e)) == 0)
                seccomp_programs_free(progs, n);
        snprintf(name, sizeof name, "%s compiles to BPF for every ABI it names", what);
        ok(r == 0 && n >= 1, name, e.msg);
        p.caps = UINT64_MAX;
        if (r == 0 && (r = seccomp_compile(&p, &progs, &n, &e)) == 0)
                seccomp_programs_free(progs, n);
        snprintf(name, sizeof name, "%s compiles with every capability kept", what);
        ok(r == 0, name, e.msg);
        plan_free(&p);

        plan_init(&p);
        r = oci_seccomp_import(&p, path, data, size, "6.1", &e);
        if (r == 0)
                r = policy_load(&p, "default", NULL, &io, &e);
        if (r == 0 && (r = seccomp_compile(&p, &progs, &n, &e)) == 0)
                seccomp_programs_free(progs, n);
        snprintf(name, sizeof name, "%s and the default policy compile together (%zu ABIs)", what, p.n_arches + 1);
        ok(r == 0 && n > 1, name, e.msg);
        plan_free(&p);
}

/* What --print-policy says of an import (and of socketcall on i386). */
static char *printed(const char *path, const char *data, size_t size, bool with_default) {
        options_io_t io = { .read_file = fake_read_file, .kernel = "6.1" };
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        plan_init(&p);
        if (f && oci_seccomp_import(&p, path, data, size, "6.1", &e) == 0 &&
            (!with_default || policy_load(&p, "default", NULL, &io, &e) == 0))
                seccomp_print_plan(f, &p);
        if (f)
                fclose(f);
        plan_free(&p);
        return text;
}

static void test_docker_default(void) {
        const char *root = getenv("SANDBOX_SOURCE_ROOT");
        _cleanup_free_ char *path = NULL, *data = NULL, *text = NULL;
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
        check_compiles("Docker's default profile", path, data, size);
        if (!native_x86_64())
                return;
        text = printed(path, data, size, true);
        ok(text && strstr(text, "on x86, socketcall(2) passes the arguments") &&
                   strstr(text, "#     socket (call 1): ") &&
                   strstr(text, "#     socketpair (call 8): errno:EAFNOSUPPORT"),
           "Docker's profile with the default policy: socketcall's socket calls are refused on i386", text);
}

static void test_podman_default(void) {
        static const char path[] = "/usr/share/containers/seccomp.json";
        _cleanup_free_ char *data = NULL, *text = NULL;
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        const syscall_rule_t *r;
        size_t size = 0;
        int k;

        if (read_file_path(path, &data, &size) < 0) {
                skip("Podman's default profile", "/usr/share/containers/seccomp.json is not installed "
                                                 "(Debian: golang-github-containers-common)");
                return;
        }
        plan_init(&p);
        k = oci_seccomp_import(&p, path, data, size, "6.1", &e);
        ok(k == 0 && p.syscall_default == SCMP_ACT_ERRNO(ENOSYS), "Podman's profile imports (default ENOSYS)", e.msg);
        r = rule_naming(&p, "socket", 2, 0);
        ok(r && r->action == SCMP_ACT_ERRNO(EINVAL) && r->exclude_caps == CAP_AUDIT_WRITE_BIT,
           "podman: socket(AF_NETLINK, *, NETLINK_AUDIT) is EINVAL unless CAP_AUDIT_WRITE is kept", NULL);
        plan_free(&p);
        check_compiles("Podman's profile", path, data, size);
        if (!native_x86_64())
                return;
        text = printed(path, data, size, false);
        ok(text && strstr(text, "#   on x86, socketcall(2) passes the arguments of the calls it makes in memory") &&
                   strstr(text, "#     socket (call 1): errno:ENOSYS, whatever its arguments") &&
                   !strstr(text, "(call 2)"),
           "podman on i386: socket through socketcall is ENOSYS (its rules compare arguments), bind is not touched",
           text);
        ok(text &&
                   strstr(text, "#   syscall errno:EINVAL socket if arg0 == 16 && arg2 == 9  # "
                                "/usr/share/containers/seccomp.json: syscalls[30] without CAP_AUDIT_WRITE") &&
                   strstr(text, "(left out) syscall allow socket  # /usr/share/containers/seccomp.json: syscalls[34] "
                                "with CAP_AUDIT_WRITE"),
           "--print-policy shows what each rule became, and which are left out", text);
}

int main(void) {
        sandbox_error_t e = { 0 };

        if (libseccomp_open(&e) < 0 || libjsonc_open(&e) < 0)
                skip_all(e.msg);
        test_default_action();
        test_default_errors();
        test_wrong_shapes();
        test_values();
        test_names();
        test_rule_actions();
        test_rule_action_errors();
        test_args();
        test_args_32bit_ranges();
        test_args_several();
        test_includes_excludes();
        test_min_kernel_errors();
        test_native_arch();
        test_arches();
        test_through_options();
        test_docker_default();
        test_podman_default();
        return unit_done();
}
