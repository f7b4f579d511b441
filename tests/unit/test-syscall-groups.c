/* SPDX-License-Identifier: MIT */
/* Every syscall the installed kernel headers know, and every one of our own table, belongs to a
 * syscall group or to the reviewed list of setup/rules.c: a new syscall fails this test until
 * someone decides where it goes (a deny-list that lacks it would let it through). The groups'
 * members and their differences from systemd's agree. Prints TAP; with --list, prints every
 * group and every difference from systemd's instead, for tests/cli/groups.sh. */
#include <seccomp.h>

#include "setup/libseccomp.h"
#include "setup/rules.h"
#include "setup/syscall-groups.h"
#include "setup/syscall-table.h"
#include "unit.h"

static bool in_group(const char *group, const char *name, unsigned depth) {
        const char *const *members = rules_group(group);

        for (; members && *members && depth < 5; members++)
                if ((*members)[0] == '@' ? in_group(*members, name, depth + 1) : strcmp(*members, name) == 0)
                        return true;
        return false;
}

static bool placed(const char *name) {
        for (const char *const *g = rules_group_names(); *g; g++)
                if (in_group(*g, name, 0))
                        return true;
        for (const char *const *r = rules_reviewed(); *r; r++)
                if (strcmp(*r, name) == 0)
                        return true;
        return false;
}

/* Appends the names of PATH's "#define __NR_name number" lines that are nowhere; -errno if unreadable. */
static int unplaced_in_header(const char *path, char *out, size_t size, unsigned *ret_n) {
        char line[256], name[128];
        FILE *f = fopen(path, "re");

        *ret_n = 0;
        if (!f)
                return -errno;
        while (fgets(line, sizeof line, f))
                if (sscanf(line, "#define __NR_%127s", name) == 1) {
                        (*ret_n)++;
                        if (!placed(name))
                                snprintf(out + strlen(out), size - strlen(out), " %s", name);
                }
        fclose(f);
        return 0;
}

static void headers(void) {
        static const char *const files[] = { "asm/unistd_64.h", "asm/unistd_32.h", "asm/unistd_x32.h" };

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                char path[256], missing[4096] = "", name[512], detail[4200];
                unsigned n;
                int r;

                snprintf(path, sizeof path, "/usr/include/x86_64-linux-gnu/%s", files[i]);
                if ((r = unplaced_in_header(path, missing, sizeof missing, &n)) < 0 || n < 300) {
                        snprintf(name, sizeof name, "%s lists the kernel's syscalls", path);
                        ok(false, name, r < 0 ? strerror(-r) : "too few __NR_ lines");
                        continue;
                }
                snprintf(name, sizeof name, "each of the %u syscalls of %s is in a group or reviewed", n, files[i]);
                snprintf(detail, sizeof detail, "in no group and not in rules.c's reviewed list:%s", missing);
                ok(!missing[0], name, detail);
        }
}

static void our_table(void) {
        char missing[1024] = "", detail[1100];

        for (int nr = syscall_table_first(); nr <= syscall_table_last(); nr++)
                if (!placed(syscall_table_name(nr)))
                        snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s",
                                 syscall_table_name(nr));
        snprintf(detail, sizeof detail, "in no group and not reviewed:%s", missing);
        ok(!missing[0], "each syscall of our own table is in a group or reviewed", detail);
}

/* Deny groups cover every syscall with the same reach. */
static void same_reach(void) {
        static const char *const pairs[][2] = {
                { "@privileged", "quotactl_fd" },
                { "@mount-api", "open_tree_attr" },
                { "@mount", "open_tree_attr" },
                { "@resources", "set_mempolicy_home_node" },
                { "@file-system", "fchmodat2" },
                { "@file-system", "setxattrat" },
                { "@sandbox", "landlock_restrict_self" },
                { "@basic-io", "close_range" },
                { "@io-event", "epoll_pwait2" },
                { "@ipc", "process_madvise" },
                { "@mount", "open_tree" },
                { "@file-system", "statmount" },
        };
        for (size_t i = 0; i < ELEMENTSOF(pairs); i++) {
                char name[128];
                snprintf(name, sizeof name, "%s holds %s", pairs[i][0], pairs[i][1]);
                ok(in_group(pairs[i][0], pairs[i][1], 0), name, NULL);
        }
}

/* allow @system-service expands its nested groups as systemd's does, two levels deep included
 * (@system-service holds @default, which holds @sandbox). */
static void expansion(void) {
        static const char *const wanted[] = { "close_range",     "epoll_pwait2", "fchmodat2",
                                              "process_madvise", "mmap",         "getrandom",
                                              "arch_prctl",      "seccomp",      "landlock_create_ruleset",
                                              "statmount",       "mseal" };
        sandbox_error_t e = { 0 };
        syscall_rule_t r = { 0 };
        int rr = rules_parse("allow @system-service", &r, &e);

        ok(rr == 0, "allow @system-service parses", e.msg);
        for (size_t i = 0; i < ELEMENTSOF(wanted); i++) {
                bool found = false;
                char name[128];

                for (size_t k = 0; k < r.n_names && !found; k++)
                        found = strcmp(r.names[k], wanted[i]) == 0;
                snprintf(name, sizeof name, "@system-service allows %s", wanted[i]);
                ok(found, name, NULL);
        }
        rules_free(&r);
}

static bool direct_member(const char *group, const char *name) {
        for (const char *const *m = rules_group(group); m && *m; m++)
                if (strcmp(*m, name) == 0)
                        return true;
        return false;
}

/* Names that neither libseccomp 2.5 nor our table knows, from architectures we don't build for
 * (or x86_64's uretprobe, which the kernel calls itself): group members all the same. */
static bool known_name(const char *name) {
        static const char *const foreign[] = { "fstatat", "llseek", "newfstat", "riscv_hwprobe", "uretprobe" };

        if (name[0] == '@')
                return rules_group(name) != NULL;
        if (seccomp_lib.syscall_resolve_name(name) != __NR_SCMP_ERROR || syscall_table_number(name) >= 0)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(foreign); i++)
                if (strcmp(foreign[i], name) == 0)
                        return true;
        return false;
}

/* systemd's order: groups first, then names, each once; and every name a syscall name. */
static void members_well_formed(void) {
        char bad[1024] = "", detail[1100];

        for (const char *const *g = rules_group_names(); *g; g++) {
                const char *const *m = rules_group(*g), *prev = NULL;

                for (; m && *m; prev = *m++) {
                        bool in_order = !prev || (prev[0] == '@') > ((*m)[0] == '@') ||
                                        ((prev[0] == '@') == ((*m)[0] == '@') && strcmp(prev, *m) < 0);
                        if (!in_order || !known_name(*m))
                                snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s:%s%s", *g, *m,
                                         in_order ? "(unknown)" : "(out of order)");
                }
        }
        snprintf(detail, sizeof detail, "%s", bad);
        ok(!bad[0], "each group's members are known names, sorted as systemd sorts them, each once", detail);
}

/* The table of differences says what the groups hold: a member ours adds is in our group, one
 * ours leaves out is not, and each decision of ours has its reason. */
static void differences_agree(void) {
        char bad[1024] = "", detail[1100];
        unsigned n = 0;

        for (const group_diff_t *d = rules_group_differences(); d->group; d++, n++) {
                bool ours = d->member ? direct_member(d->group, d->member) : rules_group(d->group) != NULL;
                bool want = d->kind != GROUP_DIFF_LEFT_OUT;

                if (ours != want || (d->kind != GROUP_DIFF_LATER && !(d->reason && d->reason[0])))
                        snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s:%s", d->group,
                                 d->member ? d->member : "(group)");
                for (const group_diff_t *o = rules_group_differences(); o < d; o++)
                        if (strcmp(o->group, d->group) == 0 && o->kind == d->kind &&
                            strcmp(o->member ? o->member : "", d->member ? d->member : "") == 0)
                                snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s:%s(twice)", d->group,
                                         d->member ? d->member : "(group)");
        }
        snprintf(detail, sizeof detail, "entries that don't hold:%s", bad);
        ok(n > 0 && !bad[0], "the table of differences from systemd agrees with the groups", detail);
        ok(direct_member("@basic-io", "close_range") && direct_member("@ipc", "process_madvise") &&
                   !direct_member("@system-service", "process_madvise") && !direct_member("@file-system", "mmap") &&
                   direct_member("@default", "mmap") && !direct_member("@process", "arch_prctl"),
           "members sit in the group systemd puts them in (close_range, process_madvise, mmap, arch_prctl)", NULL);
}

static const char *diff_kind_name(group_diff_kind_t kind) {
        switch (kind) {
        case GROUP_DIFF_OURS:
                return "ours";
        case GROUP_DIFF_KEPT:
                return "kept";
        case GROUP_DIFF_LEFT_OUT:
                return "left-out";
        case GROUP_DIFF_LATER:
                return "later";
        }
        return "?";
}

/* "group @NAME MEMBER..." for every group, then "diff @GROUP MEMBER|- KIND" for every difference. */
static int list(void) {
        for (const char *const *g = rules_group_names(); *g; g++) {
                const char *const *m = rules_group(*g);

                if (!m)
                        continue; /* @unknown: numbers, not names */
                printf("group %s", *g);
                for (; *m; m++)
                        printf(" %s", *m);
                printf("\n");
        }
        for (const group_diff_t *d = rules_group_differences(); d->group; d++)
                printf("diff %s %s %s\n", d->group, d->member ? d->member : "-", diff_kind_name(d->kind));
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static void numbers(void) {
        ok(rules_syscall_number(SCMP_ARCH_X86_64, "open_tree_attr") == 467, "open_tree_attr is 467 on x86_64", NULL);
        ok(rules_syscall_number(SCMP_ARCH_X86, "open_tree_attr") == 467, "and 467 on i386", NULL);
        ok(rules_syscall_number(SCMP_ARCH_X32, "open_tree_attr") == (0x40000000 | 467), "and 0x40000000|467 on x32",
           NULL);
        ok(rules_syscall_number(SCMP_ARCH_X86_64, "quotactl_fd") == 443, "a name libseccomp knows keeps its number",
           NULL);
        ok(rules_syscall_number(SCMP_ARCH_X86_64, "socketcall") < 0 &&
                   !rules_syscall_ours_only(SCMP_ARCH_X86_64, "socketcall"),
           "a call libseccomp knows x86_64 lacks stays absent (not taken from our table)", NULL);
        ok(rules_syscall_number(SCMP_ARCH_X86_64, "no_such_call") == __NR_SCMP_ERROR, "an unknown name has no number",
           NULL);
}

static void grammar(void) {
        static const struct {
                const char *text, *error;
        } cases[] = {
                { "errno:ENOSYS @unknown", NULL },
                { "errno:ENOSYS clone3 @unknown", NULL },
                { "allow @unknown", "takes no condition, and only an action that refuses" },
                { "deny @unknown if arg0 == 1", "takes no condition" },
                { "deny open_tree_atr", "did you mean 'open_tree_attr'" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                sandbox_error_t e = { 0 };
                syscall_rule_t r = { 0 };
                int rr = rules_parse(cases[i].text, &r, &e);
                char name[160];

                snprintf(name, sizeof name, "rule '%s' %s", cases[i].text, cases[i].error ? "is refused" : "parses");
                if (cases[i].error)
                        ok_error(rr, &e, cases[i].error, name);
                else
                        ok(rr == 0 && r.unknown_numbers, name, e.msg);
                rules_free(&r);
        }
}

int main(int argc, char **argv) {
        sandbox_error_t e = { 0 };

        if (argc > 1 && strcmp(argv[1], "--list") == 0)
                return list();
        if (libseccomp_open(&e) < 0)
                skip_all(e.msg);
        headers();
        our_table();
        same_reach();
        expansion();
        members_well_formed();
        differences_agree();
        numbers();
        grammar();
        return unit_done();
}
