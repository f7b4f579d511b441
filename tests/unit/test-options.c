/* SPDX-License-Identifier: MIT */
/* Unit tests of the options parser: pure, so no sandbox is started. Prints TAP. */
#include <string.h>

#include "options.h"

static int n_test, n_failed;

static void ok(bool cond, const char *name, const char *detail) {
        n_test++;
        if (!cond)
                n_failed++;
        printf("%sok %d - %s%s%s\n", cond ? "" : "not ", n_test, name, detail && !cond ? ": " : "", detail && !cond ? detail : "");
}

/* Parses a space-separated command line; returns the parser's result and leaves the plan and error. */
static int parse(const char *line, sandbox_plan_t *p, sandbox_error_t *e, options_read_fd_t reader) {
        static char buf[4096];
        static char *argv[128];
        int argc = 0;

        snprintf(buf, sizeof buf, "%s", line);
        for (char *tok = strtok(buf, " "); tok && argc < 127; tok = strtok(NULL, " "))
                argv[argc++] = tok;
        argv[argc] = NULL;
        plan_init(p);
        memset(e, 0, sizeof *e);
        return options_parse(p, argc, argv, reader, e);
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

static void expect_error(const char *line, const char *needle) {
        sandbox_plan_t p;
        sandbox_error_t e;
        char name[256];
        int r = parse(line, &p, &e, fake_args);

        snprintf(name, sizeof name, "'%s' fails naming '%s'", line, needle);
        ok(r < 0 && strstr(e.msg, needle), name, e.msg);
        plan_free(&p);
}

int main(void) {
        sandbox_plan_t p;
        sandbox_error_t e;
        size_t n;
        const option_def_t *t = options_table(&n);
        int r;

        r = parse("--ro-bind /usr /usr --symlink usr/bin /bin --proc /proc --dev /dev --unshare-all -- sh -c x", &p, &e, NULL);
        ok(r == 0, "a bwrap command line parses", e.msg);
        ok(p.n_ops == 4 && p.ops[0].type == MOUNT_BIND && (p.ops[0].flags & MOUNT_FLAG_RO) &&
           p.ops[1].type == MOUNT_SYMLINK && p.ops[2].type == MOUNT_PROC && p.ops[3].type == MOUNT_DEV,
           "mount operations are kept in order", NULL);
        ok(strcmp(p.ops[0].origin, "--ro-bind /usr /usr") == 0, "each operation remembers how it was written", p.ops[0].origin);
        ok((p.unshare & (NS_USER | NS_PID | NS_NET | NS_IPC | NS_UTS | NS_CGROUP)) == (NS_USER | NS_PID | NS_NET | NS_IPC | NS_UTS | NS_CGROUP) &&
           (p.unshare_try & NS_USER) && (p.unshare_try & NS_CGROUP), "--unshare-all unshares all, user and cgroup as -try", NULL);
        ok(p.argc == 3 && strcmp(p.argv[0], "sh") == 0 && p.argv[3] == NULL, "the command follows --", NULL);
        plan_free(&p);

        r = parse("--unshare-all --share-net true", &p, &e, NULL);
        ok(r == 0 && !(p.unshare & NS_NET), "--share-net undoes the network part of --unshare-all", e.msg);
        plan_free(&p);

        r = parse("--perms 0700 --size 1M --tmpfs /t --dir /d true", &p, &e, NULL);
        ok(r == 0 && p.ops[0].mode == 0700 && p.ops[0].size == 1 << 20 && p.ops[1].mode == -1,
           "--perms and --size apply to the next operation only", e.msg);
        plan_free(&p);

        r = parse("--overlay-src /a --overlay-src /b --tmp-overlay /o true", &p, &e, NULL);
        ok(r == 0 && p.ops[0].n_layers == 2 && strcmp(p.ops[0].layers[0], "/a") == 0 && (p.ops[0].flags & MOUNT_FLAG_TMP),
           "--overlay-src layers go to the next overlay, in order", e.msg);
        plan_free(&p);

        r = parse("--args 5 --dir /d true", &p, &e, fake_args);
        ok(r == 0 && p.n_env == 1 && strcmp(p.env[0].value, "B") == 0 && p.n_ops == 2 && p.ops[0].type == MOUNT_TMPFS &&
           p.ops[1].type == MOUNT_DIR, "--args splices NUL-separated arguments where it stands", e.msg);
        plan_free(&p);

        r = parse("--cap-add ALL --cap-drop cap_sys_admin --cap-drop NET_RAW true", &p, &e, NULL);
        ok(r == 0 && p.caps_changed && !(p.caps & (UINT64_C(1) << 21)) && !(p.caps & (UINT64_C(1) << 13)) && (p.caps & 1),
           "--cap-add/--cap-drop accept ALL, any case, with or without CAP_", e.msg);
        plan_free(&p);

        r = parse("--help", &p, &e, NULL);
        ok(r == 0 && p.action == ACTION_HELP, "--help needs no command", e.msg);
        plan_free(&p);

        expect_error("--bind /a", "--bind: missing argument");
        expect_error("--uid x true", "--uid");
        expect_error("--uid -1 true", "--uid");
        expect_error("--info-fd 3x true", "--info-fd");
        expect_error("--perms 8 --dir /d true", "--perms");
        expect_error("--perms 0700 --bind /a /b true", "--perms must be followed");
        expect_error("--size 1M --dir /d true", "--size must be followed");
        expect_error("--size 12Q --tmpfs /t true", "--size");
        expect_error("--overlay-src /a --dir /d true", "--overlay-src must be followed");
        expect_error("--tmp-overlay /o true", "needs at least one --overlay-src");
        expect_error("--overlay-src /a --ro-overlay /o true", "needs at least two --overlay-src");
        expect_error("--perms 0700", "--perms is not followed");
        expect_error("--cap-add CAP_FROB true", "unknown capability 'CAP_FROB'");
        expect_error("--cap-add 12 true", "unknown capability");
        expect_error("--setenv A=B C true", "--setenv");
        expect_error("--frobnicate true", "unknown option '--frobnicate'");
        expect_error("--bind=/a /b true", "separate words");
        expect_error("--seccomp 3 --add-seccomp-fd 4 true", "cannot be combined");
        expect_error("--args 6 true", "--args");
        expect_error("--uid-map 0 1000 0 true", "--uid-map");
        expect_error("--unshare-pid", "no command given");

        /* validate: cross-option rules */
        {
                static const struct { const char *line; const char *needle; } rules[] = {
                        { "--hostname h true", "--hostname needs --unshare-uts" },
                        { "--as-pid-1 true", "--as-pid-1 needs --unshare-pid" },
                        { "--mqueue /m true", "needs --unshare-ipc" },
                        { "--keep-fd 5 true", "--keep-fd" },
                        { "--unshare-pid --as-pid-1 --lock-file /l true", "--as-pid-1 can't be combined with --lock-file" },
                        { "--userns-block-fd 5 --unshare-user true", "needs --info-fd" },
                        { "--uid-map 0 1000 1 --uid 5 true", "--uid 5 is not inside" },
                };
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

        /* Every option in the table parses with plausible arguments and has help text. */
        for (size_t i = 0; i < n; i++) {
                char line[256], name[128];
                snprintf(line, sizeof line, "--%s", t[i].name);
                for (unsigned a = 0; a < t[i].nargs; a++)
                        strcat(line, strstr(t[i].metavar, "OCTAL") ? " 0755" : strstr(t[i].metavar, "CAP") ? " CAP_CHOWN" : " 5");
                if (t[i].flags & OPT_MODIFIER)
                        strcat(line, strcmp(t[i].name, "size") == 0 ? " --tmpfs /t" :
                                     strcmp(t[i].name, "overlay-src") == 0 ? " --tmp-overlay /o" : " --dir /d");
                if (strstr(t[i].name, "overlay") && !(t[i].flags & OPT_MODIFIER))
                        memmove(line + 34, line, strlen(line) + 1), memcpy(line, "--overlay-src /l --overlay-src /k ", 34);
                strcat(line, " true");
                r = parse(line, &p, &e, fake_args);
                snprintf(name, sizeof name, "table: --%s parses and has help", t[i].name);
                ok(r == 0 && t[i].help && *t[i].help, name, e.msg);
                plan_free(&p);
        }

        printf("1..%d\n", n_test);
        return n_failed ? 1 : 0;
}
