/* SPDX-License-Identifier: MIT */
/* Unit tests of policy files (setup/policy.c), loaded from strings through the options_io_t
 * stubs: lines, quoting, comments, variables, include search, cycles, depth, error locations
 * and the built-in policies. Prints TAP. */
#include <string.h>

#include "setup/libseccomp.h"
#include "setup/options.h"
#include "setup/policy.h"
#include "setup/rules.h"
#include "unit.h"

#define USER_DIR "/home/u/.config/sandbox/policies"
#define SYS_DIR "/etc/sandbox/policies"
#define DATA_DIR "/usr/share/sandbox/policies"

static const fake_file_t files[] = {
        { "/t/lines.policy", "\n   \n\tunshare-pid\r\n# a comment line\nunshare-ipc   # trailing\n"
                             "setenv A b#c\nsetenv B \"x # y\"\n\t hostname \t last" },
        { "/t/quote.policy", "setenv Q1 \"a\\\"b\\\\c\\$d\"\n"
                             "setenv Q2 'lit ${HOME} \\n'\n"
                             "setenv Q3 a\\ b\n"
                             "setenv Q4 /usr/bin:\"${HOME}/bin\"\n"
                             "setenv Q5 \"\"\n"
                             "setenv Q6 ${ENV:SPACEY}\n"
                             "setenv Q7 x'y z'\"w\"\n" },
        { "/t/vars.policy", "setenv H ${HOME}\nsetenv P ${PWD}\nsetenv U ${UID}\nsetenv G ${GID}\n"
                            "setenv X ${XDG_RUNTIME_DIR}\nsetenv E \"${ENV:T}\"\n" },
        { "/t/order.policy", "hostname a\ndir /one\ntmpfs /two\nhostname b\ndir /three\n" },
        { "/t/main.policy", "include nothere\n" },
        { "/t/path.policy", "include sub/rel.policy\ninclude /abs/x.policy\n" },
        { "/t/sub/rel.policy", "dir /rel\n" },
        { "/abs/x.policy", "dir /abs\n" },
        { "/t/search.policy", "include local\ninclude user\ninclude sys\ninclude data\ninclude plain\ninclude both\n"
                              "policy again\n" },
        { "/t/local.policy", "setenv FROM local\n" },
        { USER_DIR "/user.policy", "setenv FROM user\n" },
        { SYS_DIR "/sys.policy", "setenv FROM sys\n" },
        { DATA_DIR "/data.policy", "setenv FROM data\n" },
        { SYS_DIR "/plain", "setenv FROM plain\n" },
        { USER_DIR "/both.policy", "setenv FROM both.policy\n" },
        { USER_DIR "/both", "setenv FROM both-plain\n" },
        { SYS_DIR "/both.policy", "setenv FROM both-sys\n" },
        { "/t/again.policy", "setenv FROM again\n" },
        { "/xdg/sandbox/policies/user.policy", "setenv FROM xdg\n" },
        { "/t/self.policy", "include self\n" },
        { "/t/cyc-a.policy", "unshare-pid\ninclude cyc-b\n" },
        { "/t/cyc-b.policy", "include cyc-a.policy\n" },
        { "/t/twice.policy", "include leaf\ninclude leaf\n" },
        { "/t/leaf.policy", "dir /leaf\n" },
        { "/t/chain-a.policy", "include chain-b\n" },
        { "/t/chain-b.policy", "unshare-pid\ninclude chain-c\n" },
        { "/t/chain-c.policy", "\n\n  uid abc\n" },
        { "/t/eacces.policy", "include behind\n" },
        { SYS_DIR "/behind.policy", "setenv FROM behind\n" },
        { "/t/eio.policy", "include broken\n" },
};

/* Paths that fail with an errno other than ENOENT. */
static const struct {
        const char *path;
        int err;
} failing[] = {
        { USER_DIR "/behind.policy", EACCES },
        { USER_DIR "/behind", EACCES },
        { USER_DIR "/broken.policy", EIO },
};

static const char *env_home = "/home/u", *env_xdg_config, *env_xdg_runtime;

static const char *fake_env(const char *name) {
        if (strcmp(name, "HOME") == 0)
                return env_home;
        if (strcmp(name, "XDG_CONFIG_HOME") == 0)
                return env_xdg_config;
        if (strcmp(name, "XDG_RUNTIME_DIR") == 0)
                return env_xdg_runtime;
        if (strcmp(name, "T") == 0)
                return "tee";
        if (strcmp(name, "SPACEY") == 0)
                return "a b  c";
        return NULL;
}

/* The files above; /t/deepL-N.policy includes deepL-(N+1) until N reaches L-1. */
static int read_file(const char *path, char **ret, size_t *ret_size) {
        int len, level;

        for (size_t i = 0; i < ELEMENTSOF(failing); i++)
                if (strcmp(failing[i].path, path) == 0)
                        return -failing[i].err;
        if (sscanf(path, "/t/deep%d-%d.policy", &len, &level) == 2) {
                *ret = level + 1 < len ? xasprintf("include deep%d-%d\n", len, level + 1) : xstrdup("unshare-pid\n");
                *ret_size = strlen(*ret);
                return 0;
        }
        if (strcmp(path, "/t/nul.policy") == 0) {
                *ret = xmalloc0(16);
                memcpy(*ret, "dir /a\0dir /b\n", 14);
                *ret_size = 14;
                return 0;
        }
        return fake_read_file(path, ret, ret_size);
}

static options_io_t io(void) {
        return (options_io_t){
                .read_file = read_file,
                .getenv = fake_env,
                .uid = 1000,
                .gid = 100,
                .cwd = "/work",
                .system_dirs = { SYS_DIR, DATA_DIR },
        };
}

/* Loads NAME into a fresh plan, as an include from FROM (NULL: from the command line). */
static int load_from(const char *name, const char *from, sandbox_plan_t *p, sandbox_error_t *e) {
        options_io_t o = io();

        plan_init(p);
        memset(e, 0, sizeof *e);
        unit_tried[0] = 0;
        return policy_load(p, name, from, &o, e);
}

static int load_policy(const char *name, sandbox_plan_t *p, sandbox_error_t *e) {
        return load_from(name, NULL, p, e);
}

static const char *env_value(const sandbox_plan_t *p, const char *name) {
        const char *v = NULL;

        for (size_t i = 0; i < p->n_env; i++)
                if (p->env[i].type == ENV_SET && strcmp(p->env[i].name, name) == 0)
                        v = p->env[i].value;
        return v;
}

static bool env_is(const sandbox_plan_t *p, const char *name, const char *want) {
        const char *v = env_value(p, name);
        return v && strcmp(v, want) == 0;
}

/* A policy that must fail with a message holding needle. */
static void expect_policy_error(const char *name, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char title[512];
        int r = load_policy(name, &p, &e);

        snprintf(title, sizeof title, "%s: %s", name, needle);
        ok_error(r, &e, needle, title);
        ok(p.policy_depth == 0, "the nesting depth is back to 0 after an error", NULL);
        plan_free(&p);
}

/* One policy, written inline under /t/inline.policy. */
static int load_text(const char *text, sandbox_plan_t *p, sandbox_error_t *e) {
        fake_file_t inline_files[ELEMENTSOF(files) + 1];
        int r;

        memcpy(inline_files, files, sizeof files);
        inline_files[ELEMENTSOF(files)] = (fake_file_t){ "/t/inline.policy", text };
        fake_files_set(inline_files, ELEMENTSOF(inline_files));
        r = load_policy("/t/inline.policy", p, e);
        fake_files_set(files, ELEMENTSOF(files));
        return r;
}

static void expect_text_error(const char *text, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char title[512];
        int r = load_text(text, &p, &e);

        snprintf(title, sizeof title, "'%.*s' fails: %s", (int) strcspn(text, "\n"), text, needle);
        ok_error(r, &e, needle, title);
        plan_free(&p);
}

static void test_lines_and_comments(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/lines.policy", &p, &e);

        ok(r == 0, "blank lines, indentation, tabs, CRLF, comments and a last line without newline load", e.msg);
        ok(r == 0 && (p.unshare & NS_PID) && (p.unshare & NS_IPC), "directives after blanks and before a comment apply",
           NULL);
        ok(r == 0 && env_is(&p, "A", "b#c"), "'#' inside a word is not a comment", env_value(&p, "A"));
        ok(r == 0 && env_is(&p, "B", "x # y"), "'#' inside quotes is not a comment", env_value(&p, "B"));
        ok(r == 0 && p.hostname && strcmp(p.hostname, "last") == 0,
           "tabs separate words; the last line needs no newline", p.hostname);
        ok(r == 0 && p.n_ops == 0 && p.n_env == 2, "a comment line adds nothing", NULL);
        plan_free(&p);
}

static void test_quoting(void) {
        static const struct {
                const char *name, *value;
        } want[] = {
                { "Q1", "a\"b\\c$d" },       /* \" \\ \$ inside "..." */
                { "Q2", "lit ${HOME} \\n" }, /* '...' is literal */
                { "Q3", "a b" },             /* \ outside quotes */
                { "Q4", "/usr/bin:/home/u/bin" },
                { "Q5", "" },
                { "Q6", "a b  c" }, /* a value with blanks stays one word */
                { "Q7", "xy zw" },
        };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/quote.policy", &p, &e);

        ok(r == 0, "the quoting examples load", e.msg);
        for (size_t i = 0; i < ELEMENTSOF(want); i++) {
                char title[128];
                snprintf(title, sizeof title, "quoting: %s is '%s'", want[i].name, want[i].value);
                ok(r == 0 && env_is(&p, want[i].name, want[i].value), title, env_value(&p, want[i].name));
        }
        plan_free(&p);
}

static void test_variables(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        env_xdg_runtime = "/run/user/1000";
        r = load_policy("/t/vars.policy", &p, &e);
        env_xdg_runtime = NULL;
        ok(r == 0, "every documented variable expands", e.msg);
        ok(env_is(&p, "H", "/home/u") && env_is(&p, "P", "/work") && env_is(&p, "U", "1000") &&
                   env_is(&p, "G", "100") && env_is(&p, "X", "/run/user/1000") && env_is(&p, "E", "tee"),
           "${HOME} ${PWD} ${UID} ${GID} ${XDG_RUNTIME_DIR} ${ENV:T} have their values", NULL);
        plan_free(&p);

        expect_policy_error("/t/vars.policy", "/t/vars.policy:5:10: ${XDG_RUNTIME_DIR} is not set (an unset variable "
                                              "is an error, not an empty string)");
        expect_text_error("setenv A ok\nsetenv B x${ENV:NOPE}", "/t/inline.policy:2:11: ${ENV:NOPE} is not set");
        expect_text_error("setenv A \"in ${FOO} quotes\"",
                          "/t/inline.policy:1:14: unknown variable ${FOO} (known: HOME, "
                          "PWD, UID, GID, XDG_RUNTIME_DIR or ENV:NAME)");
        expect_text_error("setenv A ${ENV:}", "/t/inline.policy:1:10: ${ENV:} names no variable");
        expect_text_error("setenv A ${HOME", "/t/inline.policy:1:10: unterminated ${ in a variable");
        expect_text_error("setenv A ${home}", "unknown variable ${home}");
        expect_text_error("setenv A ${PATH}", "unknown variable ${PATH}");
}

static void test_unset_home_and_pwd(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        options_io_t o = io();
        int r;

        env_home = NULL;
        expect_text_error("dir ${HOME}/x", "/t/inline.policy:1:5: ${HOME} is not set");
        env_home = "/home/u";
        o.cwd = NULL;
        plan_init(&p);
        memset(&e, 0, sizeof e);
        r = policy_load(&p, "/t/vars.policy", NULL, &o, &e);
        ok_error(r, &e, "/t/vars.policy:2:10: ${PWD} is not set", "without a working directory ${PWD} is an error");
        plan_free(&p);
}

static void test_quote_errors(void) {
        expect_text_error("setenv X \"abc", "/t/inline.policy:1:10: unterminated \" quote");
        expect_text_error("setenv X 'abc", "/t/inline.policy:1:10: unterminated ' quote");
        expect_text_error("\n\n   setenv X ab'c", "/t/inline.policy:3:15: unterminated ' quote");
}

static void test_directive_errors(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        expect_text_error("dir /a\n  unshar-pid", "/t/inline.policy:2:3: unknown directive 'unshar-pid' (did you mean "
                                                  "'unshare-pid'?)");
        expect_text_error("--unshare-pid", "unknown directive '--unshare-pid' (directives are written without dashes: "
                                           "'unshare-pid')");
        expect_text_error("bind /a", "/t/inline.policy:1:1: 'bind' takes 2 arguments (SRC DEST), got 1");
        expect_text_error("unshare-pid now", "'unshare-pid' takes 0 arguments, got 1");
        expect_text_error("hostname a b", "'hostname' takes 1 argument (NAME), got 2");
        expect_text_error("limit io-read-bps 8:0", "'limit' takes 3 arguments, got 2");
        expect_text_error("limit memory", "'limit' takes 2 arguments (KIND VALUE), got 1");
        expect_text_error("include", "/t/inline.policy:1:1: 'include' takes one argument (NAME or PATH), got 0");
        expect_text_error("policy a b", "'policy' takes one argument (NAME or PATH), got 2");
        expect_text_error("\n\n\t uid abc", "/t/inline.policy:3:3: --uid: 'abc' is not a valid id (0 to 4294967294)");
        expect_text_error("limit memory 12Q", "/t/inline.policy:1:1: --limit memory: '12Q' is not a size");

        r = load_text("qqqqqqqqqqqq", &p, &e);
        ok_error(r, &e, "/t/inline.policy:1:1: unknown directive 'qqqqqqqqqqqq'", "an unknown directive is named");
        ok(r < 0 && !strstr(e.msg, "did you mean"), "no suggestion when nothing is close", e.msg);
        plan_free(&p);
}

/* The command line's actions are no directives (sandbox.policy(5), DESCRIPTION). */
static void test_cli_actions(void) {
        static const char *const actions[] = { "help", "version", "args 3", "print-policy", "check-policy x" };

        for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
                char needle[128];
                snprintf(needle, sizeof needle,
                         "/t/inline.policy:1:1: '%.*s' is a command-line action, not a directive",
                         (int) strcspn(actions[i], " "), actions[i]);
                expect_text_error(actions[i], needle);
        }
        ok(policy_suggest("unshar-pid") && strcmp(policy_suggest("unshar-pid"), "unshare-pid") == 0,
           "policy_suggest finds a directive one edit away", NULL);
        ok(policy_suggest("hlp") == NULL || strcmp(policy_suggest("hlp"), "help") != 0,
           "policy_suggest never suggests a command-line action", NULL);
        ok(policy_suggest("zzzzzzzzzzzz") == NULL, "policy_suggest gives nothing for a word far from every name", NULL);
}

static void test_order_and_override(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/order.policy", &p, &e);

        ok(r == 0 && p.hostname && strcmp(p.hostname, "b") == 0, "a later directive overrides an earlier one", e.msg);
        ok(r == 0 && p.n_ops == 3 && strcmp(p.ops[0].dest, "/one") == 0 && p.ops[1].type == MOUNT_TMPFS &&
                   strcmp(p.ops[2].dest, "/three") == 0,
           "mount operations run in the order written", NULL);
        ok(r == 0 && strcmp(p.ops[1].origin, "/t/order.policy:3: --tmpfs /two") == 0,
           "a directive's operation keeps its option's origin, after its file:line", r == 0 ? p.ops[1].origin : e.msg);
        plan_free(&p);
}

static void test_not_a_policy(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/nul.policy", &p, &e);

        ok_error(r, &e, "/t/nul.policy: not a policy file (it holds a NUL byte)",
                 "a file holding a NUL byte is refused");
        plan_free(&p);

        plan_init(&p);
        r = policy_load(&p, "any", NULL, NULL, &e);
        ok_error(r, &e, "--policy any: reading policy files is not possible here", "without an io, nothing is read");
        plan_free(&p);
}

static void test_include_search(void) {
        static const char *const want[] = { "local", "user", "sys", "data", "plain", "both.policy", "again" };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/search.policy", &p, &e);

        ok(r == 0 && p.n_env == ELEMENTSOF(want), "include finds names in every search directory", e.msg);
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(want) && i < p.n_env; i++) {
                char title[160];
                snprintf(title, sizeof title, "include %zu comes from '%s'", i + 1, want[i]);
                ok(strcmp(p.env[i].value, want[i]) == 0, title, p.env[i].value);
        }
        plan_free(&p);

        env_xdg_config = "/xdg";
        r = load_policy("user", &p, &e);
        ok(r == 0 && env_is(&p, "FROM", "xdg"), "$XDG_CONFIG_HOME/sandbox/policies replaces ~/.config/sandbox/policies",
           unit_tried);
        plan_free(&p);
        env_xdg_config = NULL;
}

static void test_include_order(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/main.policy", &p, &e);

        ok(strcmp(unit_tried, "/t/main.policy /t/nothere.policy /t/nothere " USER_DIR "/nothere.policy " USER_DIR
                              "/nothere " SYS_DIR "/nothere.policy " SYS_DIR "/nothere " DATA_DIR
                              "/nothere.policy " DATA_DIR "/nothere") == 0,
           "the search order: including dir, user dir, system dirs; NAME.policy, then NAME", unit_tried);
        ok_error(r, &e, "/t/main.policy:1:1: include nothere", "a missing include is located");
        ok(r == -ENOENT && e.err == ENOENT, "a missing include is ENOENT", e.msg);
        ok(strstr(e.hint, "searched /t, " USER_DIR ", " SYS_DIR ", " DATA_DIR) != NULL,
           "the hint lists the directories", e.hint);
        plan_free(&p);

        r = load_policy("nothere", &p, &e);
        ok(strncmp(unit_tried, USER_DIR "/nothere.policy", strlen(USER_DIR "/nothere.policy")) == 0,
           "on the command line a name is not looked for in the current directory", unit_tried);
        ok_error(r, &e, "--policy nothere", "a missing --policy names the option");
        plan_free(&p);
}

static void test_include_paths(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/path.policy", &p, &e);

        ok(r == 0 && p.n_ops == 2 && strcmp(p.ops[0].dest, "/rel") == 0 && strcmp(p.ops[1].dest, "/abs") == 0,
           "a relative include path is taken from the including file's directory, an absolute one as is", e.msg);
        plan_free(&p);

        r = load_from("sub/rel.policy", "/t/path.policy", &p, &e);
        ok(r == 0 && p.n_ops == 1, "policy_load resolves a relative path against FROM's directory", e.msg);
        plan_free(&p);

        r = load_policy("sub/rel.policy", &p, &e);
        ok(r < 0 && strcmp(unit_tried, "sub/rel.policy") == 0,
           "on the command line a relative path is read as given (from the current directory)", unit_tried);
        plan_free(&p);
}

static void test_include_unreadable(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/eacces.policy", &p, &e);

        ok(r == 0 && env_is(&p, "FROM", "behind"), "a directory that can't be read (EACCES) is passed over", e.msg);
        plan_free(&p);

        r = load_policy("/t/eio.policy", &p, &e);
        ok_error(r, &e, "/t/eio.policy:1:1: include broken", "another read error stops the search");
        ok(r == -EIO && e.err == EIO, "and keeps its errno", e.msg);
        plan_free(&p);
}

static void test_cycles(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        expect_policy_error("/t/self.policy", "/t/self.policy:1:1: include self: /t/self.policy includes itself");
        expect_policy_error("/t/cyc-a.policy", "/t/cyc-b.policy:1:1: include cyc-a.policy: /t/cyc-a.policy includes "
                                               "itself (included from /t/cyc-a.policy:2)");
        expect_policy_error("/t/chain-a.policy",
                            "/t/chain-c.policy:3:3: --uid: 'abc' is not a valid id (0 to "
                            "4294967294) (included from /t/chain-b.policy:2, from /t/chain-a.policy:1)");

        r = load_policy("/t/twice.policy", &p, &e);
        ok(r == 0 && p.n_ops == 2, "including one file twice, one after the other, is no cycle", e.msg);
        plan_free(&p);
}

static void test_depth(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("/t/deep16-0.policy", &p, &e);

        ok(r == 0 && (p.unshare & NS_PID) && p.policy_depth == 0, "policies nest 16 deep", e.msg);
        plan_free(&p);
        expect_policy_error("/t/deep17-0.policy", "/t/deep17-15.policy:1:1: include deep17-16: policies nested more "
                                                  "than 16 deep (included from /t/deep17-14.policy:1");
}

static bool libseccomp_usable(void) {
        sandbox_error_t e = { 0 };
        return libseccomp_open(&e) == 0;
}

static void test_syscall_directive(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        if (!libseccomp_usable()) {
                skip("syscall directives", "libseccomp.so.2 can't be loaded");
                return;
        }
        r = load_text("syscall   deny  uname \t getpid   # why\n", &p, &e);
        ok(r == 0 && p.n_rules == 1 && p.rules[0].n_names == 2 && strcmp(p.rules[0].text, "deny uname getpid") == 0,
           "syscall takes the rest of the line, its words joined by single blanks", r == 0 ? p.rules[0].text : e.msg);
        plan_free(&p);
        expect_text_error("\nsyscall deny ptarce", "/t/inline.policy:2:9: --syscall: unknown syscall 'ptarce' (did "
                                                   "you mean 'ptrace'?)");
        expect_text_error("syscall", "'syscall' takes 1 argument (RULE), got 0");
}

static bool has_rule_for(const sandbox_plan_t *p, const char *name) {
        for (size_t i = 0; i < p->n_rules; i++)
                for (size_t k = 0; k < p->rules[i].n_names; k++)
                        if (strcmp(p->rules[i].names[k], name) == 0)
                                return true;
        return false;
}

static bool has_op(const sandbox_plan_t *p, mount_type_t type, const char *dest) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == type && p->ops[i].dest && strcmp(p->ops[i].dest, dest) == 0)
                        return true;
        return false;
}

static void test_default_policy(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("default", &p, &e);

        ok(r == 0, "the built-in default policy loads", e.msg);
        ok(r == 0 && (p.unshare & (NS_PID | NS_IPC | NS_UTS)) == (NS_PID | NS_IPC | NS_UTS) &&
                   (p.unshare_try & (NS_USER | NS_CGROUP)) == (NS_USER | NS_CGROUP) && !(p.unshare & NS_NET) &&
                   p.die_with_parent,
           "default: new user, pid, ipc, uts and cgroup namespaces, the network kept, die-with-parent", NULL);
        ok(r == 0 && has_rule_for(&p, "keyctl") && has_rule_for(&p, "clone3") && has_rule_for(&p, "io_uring_setup") &&
                   has_rule_for(&p, "ioctl") && has_rule_for(&p, "personality") && has_rule_for(&p, "mount"),
           "default: denies the keyring, clone3, io_uring, ioctl requests, personality and mount", NULL);
        ok(strstr(unit_tried, USER_DIR "/default.policy") && strstr(unit_tried, SYS_DIR "/default.policy"),
           "a built-in policy is looked for on the search path first", unit_tried);
        plan_free(&p);
}

static void test_builtin_shadowed(void) {
        static const fake_file_t mine[] = { { SYS_DIR "/default.policy", "unshare-net\n" } };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        fake_files_set(mine, ELEMENTSOF(mine));
        r = load_policy("default", &p, &e);
        ok(r == 0 && (p.unshare & NS_NET) && p.n_rules == 0,
           "a default.policy on the search path replaces the built-in", e.msg);
        plan_free(&p);
        fake_files_set(files, ELEMENTSOF(files));
}

static void test_builtin_policies(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_policy("build", &p, &e);

        ok(r == 0 && (p.unshare & NS_NET) && has_op(&p, MOUNT_BIND, "/work") && p.chdir &&
                   strcmp(p.chdir, "/work") == 0 && has_op(&p, MOUNT_TMPFS, "/tmp") && !p.default_included,
           "build: no network, ${PWD} bound and the working directory (the default policy comes from the launcher)",
           e.msg);
        ok(!strstr(unit_tried, "(built in)"), "a built-in's include is never looked for beside it", unit_tried);
        plan_free(&p);

        r = load_policy("shell", &p, &e);
        ok(r == 0 && !(p.unshare & NS_NET) && has_op(&p, MOUNT_TMPFS, "/home/u") && p.chdir &&
                   strcmp(p.chdir, "/home/u") == 0 && !p.default_included,
           "shell: the network kept, an empty $HOME", e.msg);
        plan_free(&p);

        r = load_policy("test", &p, &e);
        ok(r == 0 && (p.unshare & NS_NET) && has_op(&p, MOUNT_BIND, "/work") && env_is(&p, "TMPDIR", "/tmp"),
           "test: no network, ${PWD} bound, TMPDIR=/tmp", e.msg);
        plan_free(&p);

        r = load_policy("desktop", &p, &e);
        ok(r == 0 && !(p.unshare & NS_NET) && has_op(&p, MOUNT_TMPFS, "/home/u") &&
                   has_op(&p, MOUNT_BIND, "/etc/machine-id") && has_op(&p, MOUNT_BIND, "/etc/fonts") && !p.app_id,
           "desktop: the network kept, an empty $HOME, machine-id and fonts; the app id is the caller's", e.msg);
        plan_free(&p);

        env_home = NULL;
        r = load_policy("shell", &p, &e);
        ok_error(r, &e, "${HOME} is not set", "shell without $HOME is an error, not an empty path");
        ok(r < 0 && strstr(e.msg, "(built in)/shell.policy:"), "the error names the built-in policy", e.msg);
        plan_free(&p);
        env_home = "/home/u";
}

/* no-default-policy is a directive; the default, by name, is recorded as one include (--print-policy). */
static void test_default_recorded(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = load_text("no-default-policy\ndir /a\n", &p, &e);

        ok(r == 0 && p.no_default_policy, "no-default-policy is a directive", e.msg);
        ok(r == 0 && p.n_applied == 1 && strcmp(p.applied[0].option->name, "dir") == 0,
           "it is not recorded where it stands (--print-policy writes it once, first)", NULL);
        plan_free(&p);

        r = load_text("dir /a\ninclude default\ndir /b\n", &p, &e);
        ok(r == 0 && p.default_included && p.default_depth == 0, "include default: marked as included", e.msg);
        ok(r == 0 && p.n_applied > 3 && strcmp(p.applied[1].option->name, "policy") == 0 &&
                   strcmp(p.applied[1].args[0], "default") == 0 && !p.applied[1].in_default &&
                   p.applied[2].in_default && !p.applied[p.n_applied - 1].in_default,
           "... recorded as one include, its directives marked as the default's", NULL);
        plan_free(&p);

        ok(policy_is_path("ci.policy") && policy_is_path("a/b") && !policy_is_path("build") &&
                   !policy_is_path(".policy"),
           "a name with a '/' or ending in .policy is a path", NULL);
}

int main(void) {
        fake_files_set(files, ELEMENTSOF(files));
        test_lines_and_comments();
        test_quoting();
        test_variables();
        test_unset_home_and_pwd();
        test_quote_errors();
        test_directive_errors();
        test_cli_actions();
        test_order_and_override();
        test_not_a_policy();
        test_include_search();
        test_include_order();
        test_include_paths();
        test_include_unreadable();
        test_cycles();
        test_depth();
        test_syscall_directive();
        if (libseccomp_usable()) {
                test_default_policy();
                test_builtin_shadowed();
                test_builtin_policies();
                test_default_recorded();
        } else
                skip("the built-in policies", "libseccomp.so.2 can't be loaded (their syscall rules need it)");
        return unit_done();
}
