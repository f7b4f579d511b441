/* SPDX-License-Identifier: MIT */
/* Learn mode's writer (setup/learn-policy.c): mapping sandbox paths back to the host, collapsing
 * to directories, the special mounts, the syscall list with whole groups, and that what it
 * writes loads back as a policy. The host is a table of strings here. */
#include <string.h>

#include "setup/learn-policy.h"
#include "setup/libseccomp.h"
#include "setup/options.h"
#include "setup/policy.h"
#include "setup/rules.h"
#include "unit.h"

/* The host: directories, files, and symlinks (merged /usr). */
static const char *const host_dirs[] = { "/",     "/usr",    "/usr/bin",  "/usr/lib",      "/etc",
                                         "/home", "/home/u", "/home/u/p", "/home/u/p/inc", "/home/u/p/out",
                                         "/tmp",  "/opt",    "/opt/tc",   "/opt/tc/bin",   "/home/u/my dir" };
static const char *const host_links[][2] = { { "/bin", "usr/bin" }, { "/lib", "usr/lib" } };

static const char *link_target(const char *host) {
        for (size_t i = 0; i < ELEMENTSOF(host_links); i++)
                if (strcmp(host_links[i][0], host) == 0)
                        return host_links[i][1];
        return NULL;
}

static learn_host_t host_type(const char *host) {
        char buf[512];

        for (size_t i = 0; i < ELEMENTSOF(host_links); i++) {
                size_t n = strlen(host_links[i][0]);
                if (strncmp(host, host_links[i][0], n) == 0 && (!host[n] || host[n] == '/')) {
                        snprintf(buf, sizeof buf, "/%s%s", host_links[i][1], host + n);
                        return host_type(buf);
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(host_dirs); i++)
                if (strcmp(host_dirs[i], host) == 0)
                        return LEARN_HOST_DIR;
        /* Files: anything not "missing" whose directory exists. */
        return strstr(host, "missing") ? LEARN_HOST_ABSENT : LEARN_HOST_FILE;
}

static char *host_symlink(const char *host) {
        const char *t = link_target(host);
        return t ? xstrdup(t) : NULL;
}

/* The native ABI of the test: no *32 calls, no vm86. */
static bool syscall_exists(const char *name) {
        size_t n = strlen(name);
        return !(n > 2 && strcmp(name + n - 2, "32") == 0) && strncmp(name, "vm86", 4) != 0;
}

static mount_op_t op(mount_type_t type, unsigned flags, const char *source, const char *dest) {
        return (mount_op_t){ .type = type, .flags = flags, .source = source, .dest = dest, .fd = -1, .mode = -1 };
}

static mount_op_t ops[8];
static learn_env_t env;

static void setup_env(void) {
        size_t n = 0;

        ops[n++] = op(MOUNT_BIND, MOUNT_FLAG_RO, "/", "/");
        ops[n++] = op(MOUNT_PROC, 0, NULL, "/proc");
        ops[n++] = op(MOUNT_DEV, 0, NULL, "/dev");
        ops[n++] = op(MOUNT_BIND, 0, "/home/u/p", "/src");
        ops[n++] = op(MOUNT_SYMLINK, 0, "src/inc", "/include");
        ops[n++] = op(MOUNT_DIR, 0, NULL, "/made");
        env = (learn_env_t){ .ops = ops,
                             .n_ops = n,
                             .cwd = "/home/u",
                             .host_type = host_type,
                             .host_symlink = host_symlink,
                             .syscall_exists = syscall_exists };
}

static void test_map(void) {
        char *host = NULL;
        ssize_t i;

        i = learn_map_path(&env, "/usr/bin/cc", &host);
        ok(i == 0 && host && strcmp(host, "/usr/bin/cc") == 0, "a path under --ro-bind / / is the same host path",
           host);
        free(host);
        i = learn_map_path(&env, "/", &host);
        ok(i == 0 && host && strcmp(host, "/") == 0, "/ itself", host);
        free(host);
        i = learn_map_path(&env, "/src/a.c", &host);
        ok(i == 3 && host && strcmp(host, "/home/u/p/a.c") == 0, "a bind maps back to its source", host);
        free(host);
        i = learn_map_path(&env, "/include/x.h", &host);
        ok(i == 3 && host && strcmp(host, "/home/u/p/inc/x.h") == 0, "a --symlink is followed to the bind under it",
           host);
        free(host);
        i = learn_map_path(&env, "/proc/self/maps", &host);
        ok(i == 1 && !host, "a path on the sandbox's proc is that mount, no host path", host);
        i = learn_map_path(&env, "/made/x", &host);
        ok(i == 5 && !host, "a path under --dir has no host path", host);
        i = learn_map_path(&env, "/srcx", &host);
        ok(i == 0 && host && strcmp(host, "/srcx") == 0, "prefixes match whole components only", host);
        free(host);
}

static bool has_line(const char *text, const char *line) {
        size_t n = strlen(line);
        for (const char *s = text; (s = strstr(s, line)); s++)
                if ((s == text || s[-1] == '\n') && (s[n] == '\n' || s[n] == ' '))
                        return true;
        return false;
}

static void see(learn_obs_t *obs, const char *path, unsigned access, bool existed) {
        learn_path_t *p = learn_obs_path(obs, path, access);
        if (access & LEARN_CREATE) {
                p->create_seen = true;
                p->existed = existed;
        }
}

static char *write_sample(learn_obs_t *obs) {
        static char *const argv[] = { "make", "-C", "/src", NULL };
        char name[64];

        *obs = (learn_obs_t){ .argv = argv };
        for (int i = 0; i < 30; i++) {
                snprintf(name, sizeof name, "/usr/lib/gcc/x/%d.so", i);
                see(obs, name, LEARN_READ, false);
        }
        see(obs, "/usr/bin/cc", LEARN_EXEC | LEARN_READ, false);
        see(obs, "/bin/sh", LEARN_EXEC, false);
        see(obs, "/opt/tc/bin/tool", LEARN_EXEC, false);
        see(obs, "/etc/hostname", LEARN_READ, false);
        see(obs, "/lib/x86_64-linux-gnu/libc.so.6", LEARN_READ, false);
        see(obs, "/lib/x86_64-linux-gnu", LEARN_STAT, false);
        for (int i = 0; i < 5; i++) {
                snprintf(name, sizeof name, "/etc/f%d", i);
                see(obs, name, LEARN_READ, false);
                snprintf(name, sizeof name, "/src/inc/h%d.h", i);
                see(obs, name, LEARN_READ, false);
        }
        see(obs, "/src/main.c", LEARN_READ, false);
        see(obs, "/etc/missing.conf", LEARN_READ, false);
        see(obs, "/proc/self/maps", LEARN_READ, false);
        see(obs, "/dev/null", LEARN_WRITE, false);
        see(obs, "/tmp/cc123.o", LEARN_CREATE | LEARN_WRITE, false);
        see(obs, "/src/out", LEARN_STAT, false);
        see(obs, "/src/out/new", LEARN_CREATE, false);
        see(obs, "/src/out/new/a.o", LEARN_CREATE | LEARN_WRITE, false);
        see(obs, "/home/u/my dir/notes", LEARN_READ, false);
        see(obs, "/home/u", LEARN_STAT, false);
        see(obs, "/made/x", LEARN_READ, false);
        learn_obs_syscall(obs, NULL, 257, "openat");
        learn_obs_syscall(obs, NULL, 257, "openat");
        unsigned long nr = 248;
        for (const char *const *m = rules_group("@keyring"); *m; m++)
                learn_obs_syscall(obs, NULL, nr++, *m);
        learn_obs_syscall(obs, NULL, 59, "execve");
        learn_obs_syscall(obs, "x32", 0x40000027, "getpid");
        learn_obs_syscall(obs, NULL, 999, NULL);
        obs->notifications = 100;
        return learn_policy_write(obs, &env);
}

static void test_write(void) {
        learn_obs_t obs;
        _cleanup_free_ char *text = write_sample(&obs);

        ok(has_line(text, "ro-bind /usr /usr"), "a toolchain under /usr is bound whole", text);
        ok(!strstr(text, "/usr/lib/gcc"), "and none of its files one by one", text);
        ok(has_line(text, "symlink usr/bin /bin"), "/bin, a symlink on the host, is the same symlink", text);
        ok(has_line(text, "symlink usr/lib /lib"), "so is /lib, for a library read through it", text);
        ok(has_line(text, "ro-bind /opt/tc /opt/tc"), "a tree under /opt is bound whole", text);
        ok(has_line(text, "ro-bind /etc/hostname /etc/hostname"), "a few files of /etc stay exact files", text);
        ok(has_line(text, "ro-bind /etc/f3 /etc/f3") && !has_line(text, "ro-bind /etc /etc"),
           "/etc is never bound whole, however many files were read", text);
        ok(has_line(text, "ro-bind /home/u/p/inc /src/inc"), "a directory with many files read is bound whole", text);
        ok(has_line(text, "ro-bind /home/u/p/main.c /src/main.c"), "a single file of a bind is bound alone", text);
        ok(!strstr(text, "missing.conf"), "a path absent on the host is not bound", text);
        ok(strstr(text, "1 path looked for and not found") != NULL, "and the comment counts it", text);
        ok(has_line(text, "proc /proc") && has_line(text, "dev /dev"), "proc and dev where they were used", text);
        ok(has_line(text, "tmpfs /tmp"), "a file made in /tmp: a tmpfs there", text);
        ok(has_line(text, "bind /home/u/p/out /src/out"),
           "files made in a directory made by the run: the first one up that existed is writable", text);
        ok(has_line(text, "ro-bind \"/home/u/my dir/notes\" \"/home/u/my dir/notes\""), "a path with a blank is quoted",
           text);
        ok(!has_line(text, "dir /home/u"), "a directory only looked at, with mounts beneath, needs no line", text);
        ok(strstr(text, "came from --dir") != NULL, "what --dir made is named, not bound", text);
        ok(!strstr(text, "secret") && !has_line(text, "ro-bind / /"), "nothing else of the host is bound", text);
        ok(has_line(text, "syscall-default deny"), "syscalls not seen are denied", text);
        ok(has_line(text, "syscall allow openat"), "a syscall seen is allowed by name", text);
        ok(strstr(text, "syscall allow openat  # 2 times") != NULL, "with how often it was made", text);
        ok(has_line(text, "syscall allow @keyring") && !has_line(text, "syscall allow keyctl"),
           "a group seen whole is allowed as the group", text);
        ok(has_line(text, "syscall-arch x32"), "another ABI seen gets syscall-arch", text);
        ok(strstr(text, "syscall 999") && strstr(text, "stays denied"), "a number without a name is a comment", text);
        ok(strstr(text, "make -C /src") != NULL, "the header names the command", text);
        learn_obs_free(&obs);
}

/* What the writer makes loads as a policy, with no error. */
static void test_loads(void) {
        learn_obs_t obs;
        _cleanup_free_ char *text = write_sample(&obs);
        fake_file_t files[] = { { "/t/learned.policy", text } };
        options_io_t io = { .read_file = fake_read_file, .cwd = "/" };
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        int r;

        fake_files_set(files, ELEMENTSOF(files));
        plan_init(&p);
        r = policy_load(&p, "/t/learned.policy", NULL, &io, &e);
        ok(r == 0, "the learned policy loads back", e.msg);
        ok(r == 0 && p.syscall_default_set, "with its syscall-default", e.msg);
        plan_free(&p);
        learn_obs_free(&obs);
}

static void test_obs(void) {
        learn_obs_t obs = { 0 };
        char name[64];
        learn_path_t *p;

        for (int i = 0; i < 5000; i++) {
                snprintf(name, sizeof name, "/d/%d", i % 2500);
                learn_obs_path(&obs, name, i < 2500 ? LEARN_READ : LEARN_WRITE);
        }
        p = learn_obs_path(&obs, "/d/7", LEARN_EXEC);
        ok(obs.n_paths == 2500, "paths are counted once each", NULL);
        ok(p->count == 3 && p->access == (LEARN_READ | LEARN_WRITE | LEARN_EXEC),
           "with every kind of access and how often", NULL);
        learn_obs_free(&obs);
}

int main(void) {
        sandbox_error_t e = { 0 };

        if (libseccomp_open(&e) < 0)
                skip_all("libseccomp can't be loaded");
        setup_env();
        test_map();
        test_write();
        test_loads();
        test_obs();
        return unit_done();
}
