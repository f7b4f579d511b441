/* SPDX-License-Identifier: MIT */
/* Unit tests of the denial reporter's pure parts: the notifying program made from the default
 * policy's stack notifies exactly where the stack denies (bpf_merge_notifying, with bpf_run as the
 * judge of the stack's verdict), the exemption for the child's own sendmsg, the copy that keeps
 * sendmsg's verdict, and the names given to argument values. Prints TAP. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "setup/multiplexers.h"
#include "setup/options.h"
#include "setup/plan.h"
#include "setup/policy.h"
#include "setup/rules.h"
#include "setup/seccomp-bpf.h"
#include "setup/seccomp.h"
#include "unit.h"

/* The kernel's verdict of a stack: the last installed first, the strictest wins. */

static void test_default_policy(void) {
        const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };
        const uint64_t args[] = { 0, 1, 17, 0x10000000, 0xffffffff, 0x5412, 0x541c, 0x100005412 };
        sandbox_error_t e = { 0 };
        seccomp_program_t *progs = NULL, notifying = { 0 }, guard = { 0 };
        size_t n = 0, wrong = 0, notified = 0, tried = 0;
        char detail[256] = "";
        int r;

        if (!unit_can_compile()) {
                skip("the default policy's notifying program",
                     "libseccomp can't make a filter here (valgrind doesn't know seccomp(2))");
                return;
        }
        r = unit_compile_default(&progs, &n, &e);
        ok(r == 0 && n > 0, "the default policy compiles", e.msg);
        if (r < 0)
                return;
        for (size_t i = 0; i < n; i++)
                ok(bpf_mergeable(&progs[i], false), "each of its programs can notify", NULL);
        r = bpf_merge_notifying(progs, n, &notifying);
        ok(r == 0, "merged into one notifying program", strerror(-r));
        for (size_t a = 0; a < ELEMENTSOF(arches) && r == 0; a++)
                for (int nr = 0; nr < 600; nr++)
                        for (size_t k = 0; k < ELEMENTSOF(args); k++) {
                                struct seccomp_data d = { .nr = nr, .arch = arches[a], .args = { args[k], args[k] } };
                                uint32_t plain = bpf_run_stack(progs, n, &d), got = bpf_run(&notifying, &d);
                                uint32_t want = plain == SECCOMP_RET_ALLOW ? SECCOMP_RET_ALLOW : SECCOMP_RET_USER_NOTIF;
                                tried++;
                                notified += got == SECCOMP_RET_USER_NOTIF;
                                if (got != want && !wrong++)
                                        snprintf(detail, sizeof detail, "arch %#x nr %d arg %#llx: %#x, want %#x",
                                                 arches[a], nr, (unsigned long long) args[k], got, want);
                        }
        ok(wrong == 0 && notified > 0 && notified < tried,
           "it notifies exactly where the stack denies, and allows the rest", detail);

        /* The child's sendmsg on the setup socket passes; another fd's is judged as before. */
        {
                struct seccomp_data mine = { .nr = SYS_sendmsg, .arch = AUDIT_ARCH_X86_64, .args = { 7 } };
                struct seccomp_data other = { .nr = SYS_sendmsg, .arch = AUDIT_ARCH_X86_64, .args = { 8 } };
                struct seccomp_data keyctl = { .nr = SYS_keyctl, .arch = AUDIT_ARCH_X86_64 };

                r = bpf_listener_exemption(&notifying, 7);
                ok(r == 0 && bpf_run(&notifying, &mine) == SECCOMP_RET_ALLOW, "the exemption: sendmsg(7) passes", NULL);
                ok(bpf_run(&notifying, &other) == bpf_run_stack(progs, n, &other), "sendmsg(8) is judged as before",
                   NULL);
                ok(bpf_run(&notifying, &keyctl) == SECCOMP_RET_USER_NOTIF, "keyctl still notifies", NULL);
        }
        /* The installs after it pass too: seccomp(SECCOMP_SET_MODE_FILTER, 0, ...), no other form. */
        {
                struct seccomp_data install = { .nr = SYS_seccomp, .arch = AUDIT_ARCH_X86_64, .args = { 1, 0 } };
                struct seccomp_data listener = { .nr = SYS_seccomp, .arch = AUDIT_ARCH_X86_64, .args = { 1, 8 } };
                struct seccomp_data strict = { .nr = SYS_seccomp, .arch = AUDIT_ARCH_X86_64, .args = { 0, 0 } };

                ok(bpf_run(&notifying, &install) == SECCOMP_RET_ALLOW, "the exemption: seccomp(FILTER, 0) passes",
                   NULL);
                ok(bpf_run(&notifying, &listener) == bpf_run_stack(progs, n, &listener) &&
                           bpf_run(&notifying, &strict) == bpf_run_stack(progs, n, &strict),
                   "seccomp() with flags, or another operation, is judged as before", NULL);
        }
        /* A copy that decides sendmsg and seccomp alone: with a rule denying them, the denial holds. */
        {
                seccomp_program_t deny = { 0 };
                struct sock_filter f[] = {
                        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 0, 1),
                        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
                        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
                };
                struct seccomp_data sendmsg = { .nr = SYS_sendmsg, .arch = AUDIT_ARCH_X86_64, .args = { 7 } };
                struct seccomp_data install = { .nr = SYS_seccomp, .arch = AUDIT_ARCH_X86_64, .args = { 1, 0 } };
                struct seccomp_data other = { .nr = SYS_keyctl, .arch = AUDIT_ARCH_X86_64 };

                deny.prog = (struct sock_fprog){ .len = ELEMENTSOF(f), .filter = f };
                r = bpf_only_listener_calls(&deny, &guard);
                ok(r == 0 && bpf_run(&guard, &sendmsg) == (SECCOMP_RET_ERRNO | EACCES),
                   "the guard keeps the plain verdict on sendmsg", NULL);
                ok(bpf_run(&guard, &install) == (SECCOMP_RET_ERRNO | EPERM), "and on seccomp", NULL);
                ok(bpf_run(&guard, &other) == SECCOMP_RET_ALLOW, "and allows every other call", NULL);
        }
        free(notifying.prog.filter);
        free(guard.prog.filter);
        seccomp_programs_free(progs, n);
}

/* A program that returns its verdict from A (as a merged stack does) gets a tail that notifies. */
static void test_ret_a(void) {
        struct sock_filter f[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2),
                BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ERRNO | EPERM),
                BPF_STMT(BPF_RET | BPF_A, 0),
                BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_RET | BPF_A, 0),
        };
        seccomp_program_t plain = { .prog = { .len = ELEMENTSOF(f), .filter = f } }, both[2] = { plain, plain }, merged;
        struct seccomp_data denied = { .nr = 1 }, allowed = { .nr = 2 };

        ok(!bpf_mergeable(&plain, false) && bpf_mergeable(&plain, true), "RET A: mergeable only when allowed", NULL);
        ok(bpf_merge_notifying(both, 2, &merged) == 0 && bpf_run(&merged, &denied) == SECCOMP_RET_USER_NOTIF &&
                   bpf_run(&merged, &allowed) == SECCOMP_RET_ALLOW,
           "RET A: two merged, a denial notifies and the rest is allowed", NULL);
        free(merged.prog.filter);
}

static void test_names(void) {
        char buf[128];

        ok(rules_value_name("AF_", false, AF_PACKET, buf, sizeof buf) && strcmp(buf, "AF_PACKET") == 0,
           "AF_PACKET by name", buf);
        ok(rules_value_name("CLONE_", true, CLONE_NEWUSER | CLONE_NEWNS | 0x11, buf, sizeof buf) &&
                   strcmp(buf, "CLONE_NEWUSER|CLONE_NEWNS|0x11") == 0,
           "clone flags by name, the rest in hex", buf);
        ok(!rules_value_name("CLONE_", true, 0x11, buf, sizeof buf), "no name fits: false", buf);
        ok(!rules_value_name("TIOC", false, 0x1234, buf, sizeof buf), "an unknown ioctl: false", buf);
        ok(rules_args_known("mount") == 5 && rules_args_known("keyctl") >= 1 && rules_args_known("nosuchcall") == 0,
           "how many arguments the tables know of", NULL);
}

int main(void) {
        test_default_policy();
        test_ret_a();
        test_names();
        return unit_done();
}
