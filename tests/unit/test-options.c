/* SPDX-License-Identifier: MIT */
/* Unit tests of the options parser: pure, so no sandbox is started. Prints TAP. */
#include <limits.h>
#include <string.h>
#include <sys/resource.h>

#include "setup/options.h"
#include "setup/rules.h"
#include "unit.h"

/* Policy files for the tests, by path. */
static const fake_file_t files[] = {
        { "/p/any", "dir /from-policy\n" },
        { "/p/profile.json", "{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [ { \"names\": [\"uname\"], "
                             "\"action\": \"SCMP_ACT_ERRNO\" } ] }" },
        { "/etc/sandbox/policies/base.policy", "# shipped\nro-bind /usr /usr\nsymlink usr/bin /bin\n" },
        { "/p/main.policy",
          "include base\n  unshare-pid   # comment\nsetenv A \"x y\"\nsetenv B 'l$t'\nsetenv C ${UID}:${ENV:T}\n" },
        { "/p/typo.policy", "ro-bind /a /b\nunshar-pid\n" },
        { "/p/dashes.policy", "--unshare-pid\n" },
        { "/p/args.policy", "bind /a\n" },
        { "/p/badnum.policy", "\n\nuid    abc\n" },
        { "/p/unset.policy", "setenv X ${ENV:NOPE}\n" },
        { "/p/unknownvar.policy", "setenv X ${FOO}\n" },
        { "/p/quote.policy", "setenv X \"abc\n" },
        { "/p/outer.policy", "unshare-ipc\ninclude inner.policy\n" },
        { "/p/inner.policy", "hostname\n" },
        { "/p/cycle.policy", "include cycle.policy\n" },
        { "/p/cli.policy", "help\n" },
        { "/p/missing.policy", "include nowhere\n" },
};

static int fake_file(const char *path, char **ret, size_t *ret_size) {
        int level;

        /* /p/deep-N.policy includes deep-(N+1): a chain as deep as one wants. */
        if (sscanf(path, "/p/deep-%d.policy", &level) == 1) {
                *ret = xasprintf("include deep-%d.policy\n", level + 1);
                *ret_size = strlen(*ret);
                return 0;
        }
        return fake_read_file(path, ret, ret_size);
}

static const char *fake_env(const char *name) {
        return strcmp(name, "T") == 0 ? "tee" : NULL;
}

/* Parses a space-separated command line; returns the parser's result and leaves the plan and error. */
static int parse(const char *line, sandbox_plan_t *p, sandbox_error_t *e, int (*reader)(int, char **, size_t *)) {
        static char buf[4096];
        static char *argv[128];
        int argc = 0;

        snprintf(buf, sizeof buf, "%s", line);
        for (char *tok = strtok(buf, " "); tok && argc < 127; tok = strtok(NULL, " ")) {
                for (char *t = tok; *t; t++)
                        if (*t == '~')
                                *t = ' '; /* a blank inside one argument */
                argv[argc++] = tok;
        }
        argv[argc] = NULL;
        plan_init(p);
        memset(e, 0, sizeof *e);
        options_io_t io = { .read_fd = reader,
                            .read_file = fake_file,
                            .getenv = fake_env,
                            .uid = 7,
                            .system_dirs = { "/etc/sandbox/policies" } };
        return options_parse(p, argc, argv, &io, e);
}

static int fake_args(int fd, char **ret, size_t *ret_size) {
        static const char data[] = "--setenv\0A\0B\0--tmpfs\0/t";
        if (fd != 5)
                return -EBADF;
        *ret = xmalloc0(sizeof data);
        memcpy(*ret, data, sizeof data);
        *ret_size = sizeof data - 1;
        return 0;
}

/* A plausible value for an argument, by its name in the table ('~' is a blank). */
static const char *sample_arg(const char *metavar, unsigned a) {
        if (strstr(metavar, "KIND VALUE"))
                return a == 0 ? " pids" : " 5";
        if (strstr(metavar, "SOFT"))
                return a == 0 ? " nofile" : " 64:128";
        if (strcmp(metavar, "NAME=RULE") == 0 || strcmp(metavar, "NAME") == 0) /* D-Bus; NAME: also a host name */
                return metavar[4] ? " org.example.A=*" : " org.example.A";
        if (strcmp(metavar, "ID") == 0 || strcmp(metavar, "SOCKET") == 0 || strcmp(metavar, "DEVICE") == 0)
                return metavar[0] == 'I' ? " org.example.App" : metavar[0] == 'S' ? " wayland" : " dri";
        if (strcmp(metavar, "PATH[:MODE]") == 0)
                return " xdg-documents:rw";
        return strstr(metavar, "MANAGER")  ? " auto"
               : strstr(metavar, "OCTAL")  ? " 0755"
               : strstr(metavar, "CAP")    ? " CAP_CHOWN"
               : strstr(metavar, "ACTION") ? " deny"
               : strstr(metavar, "RULE")   ? " deny~uname"
               : strstr(metavar, "ARCH")   ? " native"
               : strstr(metavar, "FILE")   ? " /p/profile.json"
                                           : " 5";
}

static void expect_error(const char *line, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char name[256];
        int r = parse(line, &p, &e, fake_args);

        snprintf(name, sizeof name, "'%s' fails naming '%s'", line, needle);
        ok(r < 0 && strstr(e.msg, needle), name, e.msg);
        plan_free(&p);
}

typedef struct {
        const char *line, *needle;
} bad_line_t;

static void expect_errors(const bad_line_t *bad, size_t n) {
        for (size_t i = 0; i < n; i++)
                expect_error(bad[i].line, bad[i].needle);
}

static void test_bwrap_command_line(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse("--ro-bind /usr /usr --symlink usr/bin /bin --proc /proc --dev /dev --unshare-all -- sh -c x", &p,
                      &e, NULL);

        ok(r == 0, "a bwrap command line parses", e.msg);
        ok(p.n_ops == 4 && p.ops[0].type == MOUNT_BIND && (p.ops[0].flags & MOUNT_FLAG_RO) &&
                   p.ops[1].type == MOUNT_SYMLINK && p.ops[2].type == MOUNT_PROC && p.ops[3].type == MOUNT_DEV,
           "mount operations are kept in order", NULL);
        ok(strcmp(p.ops[0].origin, "--ro-bind /usr /usr") == 0, "each operation remembers how it was written",
           p.ops[0].origin);
        ok((p.unshare & (NS_USER | NS_PID | NS_NET | NS_IPC | NS_UTS | NS_CGROUP)) ==
                           (NS_USER | NS_PID | NS_NET | NS_IPC | NS_UTS | NS_CGROUP) &&
                   (p.unshare_try & NS_USER) && (p.unshare_try & NS_CGROUP),
           "--unshare-all unshares all, user and cgroup as -try", NULL);
        ok(p.argc == 3 && strcmp(p.argv[0], "sh") == 0 && p.argv[3] == NULL, "the command follows --", NULL);
        plan_free(&p);

        r = parse("--unshare-all --share-net true", &p, &e, NULL);
        ok(r == 0 && !(p.unshare & NS_NET), "--share-net undoes the network part of --unshare-all", e.msg);
        plan_free(&p);
}

static void test_modifiers(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse("--perms 0700 --size 1M --tmpfs /t --dir /d true", &p, &e, NULL);

        ok(r == 0 && p.ops[0].mode == 0700 && p.ops[0].size == 1 << 20 && p.ops[1].mode == -1,
           "--perms and --size apply to the next operation only", e.msg);
        plan_free(&p);

        r = parse("--overlay-src /a --overlay-src /b --tmp-overlay /o true", &p, &e, NULL);
        ok(r == 0 && p.ops[0].n_layers == 2 && strcmp(p.ops[0].layers[0], "/a") == 0 &&
                   (p.ops[0].flags & MOUNT_FLAG_TMP),
           "--overlay-src layers go to the next overlay, in order", e.msg);
        plan_free(&p);
}

static void test_args_caps_help(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse("--args 5 --dir /d true", &p, &e, fake_args);

        ok(r == 0 && p.n_env == 1 && strcmp(p.env[0].value, "B") == 0 && p.n_ops == 2 && p.ops[0].type == MOUNT_TMPFS &&
                   p.ops[1].type == MOUNT_DIR,
           "--args splices NUL-separated arguments where it stands", e.msg);
        plan_free(&p);

        r = parse("--cap-add ALL --cap-drop cap_sys_admin --cap-drop NET_RAW true", &p, &e, NULL);
        ok(r == 0 && p.caps_changed && !(p.caps & (UINT64_C(1) << 21)) && !(p.caps & (UINT64_C(1) << 13)) &&
                   (p.caps & 1),
           "--cap-add/--cap-drop accept ALL, any case, with or without CAP_", e.msg);
        plan_free(&p);

        r = parse("--help", &p, &e, NULL);
        ok(r == 0 && p.action == ACTION_HELP, "--help needs no command", e.msg);
        plan_free(&p);
}

static void test_option_errors(void) {
        static const bad_line_t bad[] = {
                { "--bind /a", "--bind: missing argument" },
                { "--uid x true", "--uid" },
                { "--uid -1 true", "--uid" },
                { "--info-fd 3x true", "--info-fd" },
                { "--perms 8 --dir /d true", "--perms" },
                { "--perms 0700 --bind /a /b true", "--perms must be followed" },
                { "--size 1M --dir /d true", "--size must be followed" },
                { "--size 12Q --tmpfs /t true", "--size" },
                { "--overlay-src /a --dir /d true", "--overlay-src must be followed" },
                { "--tmp-overlay /o true", "needs at least one --overlay-src" },
                { "--overlay-src /a --ro-overlay /o true", "needs at least two --overlay-src" },
                { "--perms 0700", "--perms is not followed" },
                { "--cap-add CAP_FROB true", "unknown capability 'CAP_FROB'" },
                { "--cap-add 12 true", "unknown capability" },
                { "--setenv A=B C true", "--setenv" },
                { "--frobnicate true", "unknown option '--frobnicate'" },
                { "--bind=/a /b true", "separate words" },
                { "--seccomp 3 --add-seccomp-fd 4 true", "cannot be combined" },
                { "--args 6 true", "--args" },
                { "--uid-map 0 1000 0 true", "--uid-map" },
                { "--unshare-pid", "no command given" },
        };

        expect_errors(bad, ELEMENTSOF(bad));
}

/* The desktop options: each rule of an app id, the socket, device and filesystem words. */
static void test_desktop_errors(void) {
        static const bad_line_t bad[] = {
                { "--app-id org true", "at least two elements" },
                { "--app-id org..x true", "empty element" },
                { "--app-id .org.x true", "starts with a dot" },
                { "--app-id org.x. true", "ends with a dot" },
                { "--app-id org.1x true", "starts with a digit" },
                { "--app-id org.x/y true", "a character other than" },
                { "--socket wayladn true", "--socket 'wayladn': unknown socket" },
                { "--socket X11 true", "unknown socket" },
                { "--device gpu true", "--device 'gpu': unknown device" },
                { "--filesystem rel/path true", "not an absolute path, ~/PATH or a known name" },
                { "--filesystem xdg-downloads true", "not an absolute path" },
                { "--filesystem /a:rx true", "unknown access 'rx'" },
                { "--filesystem /a/../b true", "'..' is not allowed" },
                { "--filesystem / true", "refusing to grant the whole filesystem" },
        };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        expect_errors(bad, ELEMENTSOF(bad));
        r = parse("--app-id org.example.App_2-x --socket wayland --socket x11 --device dri --filesystem "
                  "xdg-config/app:create --filesystem /src:rw --filesystem /srv true",
                  &p, &e, fake_args);
        ok(r == 0 && strcmp(p.app_id, "org.example.App_2-x") == 0 && p.sockets == (SOCKET_WAYLAND | SOCKET_X11) &&
                   p.devices == DEVICE_DRI && p.n_filesystems == 3 &&
                   strcmp(p.filesystems[0].path, "xdg-config/app") == 0 && p.filesystems[0].mode == FILESYSTEM_CREATE &&
                   p.filesystems[1].mode == FILESYSTEM_RW && p.filesystems[2].mode == FILESYSTEM_RO,
           "the desktop options fill the plan", e.msg);
        plan_free(&p);
}

/* options_validate: the cross-option rules. */
static void test_validate(void) {
        static const bad_line_t rules[] = {
                { "--hostname h true", "--hostname needs --unshare-uts" },
                { "--as-pid-1 true", "--as-pid-1 needs --unshare-pid" },
                { "--mqueue /m true", "needs --unshare-ipc" },
                { "--keep-fd 5 true", "--keep-fd" },
                { "--unshare-pid --as-pid-1 --lock-file /l true", "--as-pid-1 can't be combined with --lock-file" },
                { "--userns-block-fd 5 --unshare-user true", "needs --info-fd" },
                { "--uid-map 0 1000 1 --uid 5 true", "--uid 5 is not inside" },
        };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                char name[256];
                r = parse(rules[i].line, &p, &e, NULL);
                if (r == 0)
                        r = options_validate(&p, 1000, &e);
                snprintf(name, sizeof name, "'%s' is refused: %s", rules[i].line, rules[i].needle);
                ok(r < 0 && strstr(e.msg, rules[i].needle), name, e.msg);
                plan_free(&p);
        }
        r = parse("--uid 5 true", &p, &e, NULL);
        ok(r == 0 && options_validate(&p, 0, &e) < 0 && strstr(e.msg, "needs a user namespace"),
           "as root, --uid without a user namespace is refused", e.msg);
        plan_free(&p);
        r = parse("--uid 5 true", &p, &e, NULL);
        ok(r == 0 && options_validate(&p, 1000, &e) == 0 && (p.unshare & NS_USER),
           "unprivileged, a user namespace is implied", e.msg);
        plan_free(&p);
}

/* A command line that uses option t with plausible arguments (and what it needs around it). */
static void table_line(const option_def_t *t, char *line, size_t size) {
        snprintf(line, size, "--%s", t->name);
        for (unsigned a = 0; a < t->nargs; a++)
                strcat(line, sample_arg(t->metavar, a));
        if (t->flags & OPT_MODIFIER)
                strcat(line, strcmp(t->name, "size") == 0          ? " --tmpfs /t"
                             : strcmp(t->name, "overlay-src") == 0 ? " --tmp-overlay /o"
                                                                   : " --dir /d");
        if (strstr(t->name, "overlay") && !(t->flags & OPT_MODIFIER))
                memmove(line + 34, line, strlen(line) + 1), memcpy(line, "--overlay-src /l --overlay-src /k ", 34);
        if (strcmp(t->name, "policy") == 0 || strcmp(t->name, "check-policy") == 0)
                snprintf(line, size, "--%s /p/any", t->name);
        strcat(line, " true");
}

/* Every option in the table parses with plausible arguments and has help text. */
static void test_table(void) {
        size_t n;
        const option_def_t *t = options_table(&n);

        for (size_t i = 0; i < n; i++) {
                sandbox_plan_t p;
                sandbox_error_t e;
                char line[256], name[128];
                int r;

                table_line(&t[i], line, sizeof line);
                r = parse(line, &p, &e, fake_args);
                snprintf(name, sizeof name, "table: --%s parses and has help", t[i].name);
                ok(r == 0 && t[i].help && *t[i].help, name, e.msg);
                plan_free(&p);
        }
}

static void test_limits(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse(
                "--limit memory 2G --limit cpu 1.5 --limit pids max --limit io-read-bps 8:0 1M --limit io-write-bps /dev/sda 2K "
                "--rlimit nofile 64:unlimited --rlimit stack 8M --timeout 2.5 --limit memory-swap 0 true",
                &p, &e, NULL);

        ok(r == 0 && p.limits[LIMIT_MEMORY] == 2ULL << 30 && p.limits[LIMIT_CPU] == 150000 &&
                   p.limits[LIMIT_PIDS] == ULLONG_MAX && p.limits[LIMIT_MEMORY_SWAP] == 0 &&
                   (p.limits_set & (1U << LIMIT_MEMORY_SWAP)) && p.n_io_limits == 2 && p.io_limits[0].bps == 1 << 20 &&
                   !p.io_limits[0].write && p.io_limits[1].write && p.n_rlimits == 2 && p.rlimits[0].soft == 64 &&
                   p.rlimits[0].hard == RLIM_INFINITY && p.rlimits[1].hard == 8 << 20 && p.timeout_ms == 2500 &&
                   strcmp(p.argv[0], "true") == 0,
           "limits, io limits with three arguments, rlimits and a timeout parse", e.msg);
        plan_free(&p);
}

static void test_limit_errors(void) {
        static const bad_line_t bad[] = {
                { "--limit memory 12Q true", "--limit memory: '12Q' is not a size" },
                { "--limit memory 0 true", "--limit memory: 0 would leave the command nothing" },
                { "--limit pids 0 true", "--limit pids: '0' is not a number from 1" },
                { "--limit cpu 1.5.2 true", "--limit cpu: '1.5.2' is not a number of CPUs" },
                { "--limit cpu 0.001 true", "--limit cpu: '0.001' is not a number of CPUs" },
                { "--limit cpu -1 true", "--limit cpu: '-1' is not a number of CPUs" },
                { "--limit cpu-weight 10001 true", "--limit cpu-weight: '10001' is not a number from 1 to 10000" },
                { "--limit io-weight 0 true", "--limit io-weight: '0' is not a number from 1 to 10000" },
                { "--limit io-read-bps sda 1M true", "--limit io-read-bps: 'sda' is not a device" },
                { "--limit io-write-bps 8:0 fast true", "--limit io-write-bps: 'fast' is not a rate" },
                { "--limit io-read-bps 8:0", "--limit io-read-bps: missing argument (needs 2)" },
                { "--limit disk 1 true", "--limit: unknown kind 'disk'" },
                { "--rlimit files 1 true", "--rlimit: unknown resource 'files'" },
                { "--rlimit nofile 10:5 true", "--rlimit nofile 10:5: the soft limit is above the hard one" },
                { "--rlimit nofile 1K true", "--rlimit nofile: '1K' is not a number" },
                { "--rlimit nofile : true", "--rlimit nofile: '' is not a number" },
                { "--timeout -1 true", "--timeout: '-1' is not a duration" },
                { "--timeout 1e3 true", "--timeout: '1e3' is not a duration" },
                { "--cgroup-manager systemdd true",
                  "--cgroup-manager: 'systemdd' is not one of auto, cgroupfs, systemd" },
        };

        expect_errors(bad, ELEMENTSOF(bad));
}

static void test_syscall_rules(void) {
        static const bad_line_t bad[] = {
                { "--syscall deny~ptarce true", "unknown syscall 'ptarce' (did you mean 'ptrace'?)" },
                { "--syscall deny true", "a rule is ACTION NAME" },
                { "--syscall deny~uname~if~arg7~==~1 true", "expected arg0 to arg5" },
                { "--syscall deny~uname~if~arg0~=~1 true", "unknown operator '='" },
                { "--syscall deny~uname~if~arg0~==~1~arg1 true", "join conditions with &&" },
                { "--syscall deny~uname~if~arg0~in~{1 true", "closing '}'" },
                { "--syscall-default maybe true", "unknown action 'maybe'" },
        };
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse("--syscall deny~ioctl~if~arg1~==~TIOCSTI --syscall errno:ENOSYS~@io-uring~clone3 true", &p, &e,
                      NULL);

        rule_cond_t narrowed = { 0 };

        if (r == 0 && p.n_rules == 2 && p.rules[0].n_conds == 1)
                rules_narrow("ioctl", &p.rules[0].conds[0], &narrowed);
        ok(narrowed.n_values == 1 && narrowed.mask == UINT32_MAX && narrowed.values[0] == 0x5412,
           "a 32-bit argument is compared under a 32-bit mask", e.msg);
        rules_cond_free(&narrowed);
        ok(r == 0 && p.rules[1].n_names == 4, "a group expands to its members", e.msg);
        plan_free(&p);
        r = parse("--syscall deny~clone~if~arg0~&CLONE_NEWUSER~==~CLONE_NEWUSER~&&~arg1~in~{1,~2} true", &p, &e, NULL);
        ok(r == 0 && p.rules[0].n_conds == 2 && p.rules[0].conds[0].op == COND_MASKED_EQ &&
                   p.rules[0].conds[1].op == COND_IN && p.rules[0].conds[1].n_values == 2,
           "masks, in {...} and &&", e.msg);
        plan_free(&p);
        expect_errors(bad, ELEMENTSOF(bad));
}

static void test_policy_option(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        int r = parse("--policy /p/main.policy --dir /after true", &p, &e, NULL);

        ok(r == 0 && p.n_ops == 3 && p.ops[0].type == MOUNT_BIND && p.ops[1].type == MOUNT_SYMLINK &&
                   p.ops[2].type == MOUNT_DIR && (p.unshare & NS_PID),
           "--policy applies include and directives where it stands", e.msg);
        ok(r == 0 && p.n_env == 3 && strcmp(p.env[0].value, "x y") == 0 && strcmp(p.env[1].value, "l$t") == 0 &&
                   strcmp(p.env[2].value, "7:tee") == 0,
           "quoting and ${VAR} expansion", r == 0 && p.n_env == 3 ? p.env[2].value : e.msg);
        ok(r == 0 && strcmp(p.ops[0].origin, "/etc/sandbox/policies/base.policy:2: --ro-bind /usr /usr") == 0,
           "directives keep their option's origin, after their file:line", r == 0 ? p.ops[0].origin : e.msg);
        ok(r == 0 && strcmp(p.ops[2].origin, "--dir /after") == 0, "an option's origin is the option alone",
           r == 0 ? p.ops[2].origin : e.msg);
        plan_free(&p);
}

static void test_policy_option_errors(void) {
        static const struct {
                const char *policy, *needle;
        } bad[] = {
                { "/p/typo.policy",
                  "/p/typo.policy:2:1: unknown directive 'unshar-pid' (did you mean 'unshare-pid'?)" },
                { "/p/dashes.policy",
                  "/p/dashes.policy:1:1: unknown directive '--unshare-pid' (directives are written without dashes: 'unshare-pid')" },
                { "/p/args.policy", "/p/args.policy:1:1: 'bind' takes 2 arguments (SRC DEST), got 1" },
                { "/p/badnum.policy", "/p/badnum.policy:3:1: --uid: 'abc' is not a valid id" },
                { "/p/unset.policy", "/p/unset.policy:1:10: ${ENV:NOPE} is not set" },
                { "/p/unknownvar.policy", "/p/unknownvar.policy:1:10: unknown variable ${FOO}" },
                { "/p/quote.policy", "/p/quote.policy:1:10: unterminated \" quote" },
                { "/p/outer.policy",
                  "/p/inner.policy:1:1: 'hostname' takes 1 argument (NAME), got 0 (included from /p/outer.policy:2)" },
                { "/p/cycle.policy", "includes itself" },
                { "/p/cli.policy", "'help' is a command-line action, not a directive" },
                { "/p/missing.policy", "/p/missing.policy:1:1: include nowhere" },
                { "/p/none.policy", "--policy /p/none.policy" },
                { "/p/deep-0.policy", "policies nested more than 16 deep" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                sandbox_plan_t p;
                sandbox_error_t e;
                char line[128], name[256];
                int r;

                snprintf(line, sizeof line, "--policy %s true", bad[i].policy);
                r = parse(line, &p, &e, NULL);
                snprintf(name, sizeof name, "policy error: %s", bad[i].needle);
                ok(r < 0 && strstr(e.msg, bad[i].needle), name, e.msg);
                plan_free(&p);
        }
}

/* Applies directive t, written as TEXT ('~' a blank inside an argument), as a policy would. */
static int apply_directive(const option_def_t *t, const char *text, sandbox_error_t *qe) {
        sandbox_plan_t q;
        char *words[4] = { NULL };
        char buf[256];
        int r;

        plan_init(&q);
        snprintf(buf, sizeof buf, "%s", text);
        strtok(buf, " ");
        for (unsigned a = 0; a < t->nargs; a++)
                words[a] = strtok(NULL, " ");
        for (unsigned a = 0; a < t->nargs; a++)
                for (char *x = words[a]; x && *x; x++)
                        if (*x == '~')
                                *x = ' ';
        if (strstr(t->name, "overlay") && !(t->flags & OPT_MODIFIER)) {
                char *layer[] = { (char *) "/l", NULL };
                options_apply(&q, options_find("overlay-src"), layer, qe);
                options_apply(&q, options_find("overlay-src"), layer, qe);
        }
        r = options_find(t->name) == t ? options_apply(&q, t, words, qe) : -1;
        plan_free(&q);
        return r;
}

/* Every option that is not a command-line action is a directive: the table walked through a policy. */
static void test_directives(void) {
        size_t n;
        const option_def_t *t = options_table(&n);

        for (size_t i = 0; i < n; i++) {
                sandbox_error_t qe = { 0 };
                char text[256], name[128];

                if (t[i].flags & OPT_CLI_ONLY || strcmp(t[i].name, "policy") == 0)
                        continue;
                snprintf(text, sizeof text, "%s", t[i].name);
                for (unsigned a = 0; a < t[i].nargs; a++)
                        strcat(text, sample_arg(t[i].metavar, a));
                snprintf(name, sizeof name, "directive '%s' loads from a policy file", t[i].name);
                ok(apply_directive(&t[i], text, &qe) == 0, name, qe.msg);
        }
}

int main(void) {
        fake_files_set(files, ELEMENTSOF(files));
        test_bwrap_command_line();
        test_modifiers();
        test_args_caps_help();
        test_option_errors();
        test_desktop_errors();
        test_validate();
        test_table();
        test_limits();
        test_limit_errors();
        test_syscall_rules();
        test_policy_option();
        test_policy_option_errors();
        test_directives();
        return unit_done();
}
