/* SPDX-License-Identifier: MIT */
#include "notify.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"
#include "libseccomp.h"
#include "monitor.h"
#include "multiplexers.h"
#include "options.h"
#include "rules.h"
#include "seccomp-bpf.h"
#include "seccomp-embedded.h"
#include "values.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* What denied a call, besides a rule of the plan. */
#define RULE_DEFAULT (-1) /* syscall-default */
#define RULE_ABI (-2)     /* another ABI: killed */
#define RULE_NONE (-3)    /* no rule of the plan says so (a caller's own BPF program, ...) */

/* One kind of denial: (syscall, rule, program), counted. */
typedef struct denial_kind {
        uint32_t arch;
        int nr;
        int rule;
        uint32_t verdict;
        char *exe;
        char *name;
        unsigned long long count;
} denial_kind_t;

typedef struct notify_state {
        const sandbox_plan_t *plan;
        /* The plain programs the notifying one was merged from, in the order of installing: the
         * verdict the kernel would give without the supervisor, computed again for each call. */
        seccomp_program_t *plain;
        size_t n_plain;
        denial_kind_t *kinds;
        size_t n_kinds;
        bool have_handler;
        notify_handler_t handler;
        bool json_failed; /* --denials-fd could not be written: not tried again */
        /* The rules denials are named by (load_rules()); those from n_plan_rules on are ours. */
        syscall_rule_t *rules;
        size_t n_rules, n_plan_rules;
        bool rules_loaded;
} notify_state_t;

/* One launch a process: the state lives from notify_prepare() to the monitor's teardown. */
static notify_state_t state;

void notify_use_handler(const notify_handler_t *h) {
        state.handler = *h;
        state.have_handler = true;
}

bool notify_wanted(const launch_t *launch) {
        return launch->listener_prog >= 0;
}

/* ---- options ---- */

int notify_option_report(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        p->report_denials = true;
        return 0;
}

int notify_option_fd(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return values_fd(o->name, args[0], &p->denials_fd, e);
}

const char *notify_where(sandbox_plan_t *p) {
        static const char builtin[] = "(built in)/";
        const char *path = p->where_path;
        char *where;

        if (!path)
                return NULL;
        if (p->default_depth > 0)
                where = xasprintf("default:%u", p->where_line);
        else if (strncmp(path, builtin, strlen(builtin)) == 0)
                where = xasprintf("%.*s:%u", (int) strcspn(path + strlen(builtin), "."), path + strlen(builtin),
                                  p->where_line);
        else
                where = xasprintf("%s:%u", path, p->where_line);
        APPEND(p->owned, p->n_owned, where);
        return where;
}

/* ---- the notifying program ---- */

/* Whether WORD (a syscall, or a group) names NAME. */
static bool group_holds(const char *word, const char *name, unsigned depth) {
        const char *const *members = word[0] == '@' && depth < 8 ? rules_group(word) : NULL;

        if (strcmp(word, name) == 0)
                return true;
        for (size_t i = 0; members && members[i]; i++)
                if (group_holds(members[i], name, depth + 1))
                        return true;
        return false;
}

/* A rule not parsed yet (the default policy's, where its precompiled filter stands in): whether
 * it names NAME, itself or in a group, with an action other than allow or log. */
static bool text_may_deny(const char *text, const char *name) {
        char word[128];
        bool first = true;

        for (const char *c = text; *c;) {
                size_t len = strcspn(c, " \t");
                snprintf(word, sizeof word, "%.*s", (int) len, c);
                if (first && (strcmp(word, "allow") == 0 || strcmp(word, "log") == 0))
                        return false;
                if (strcmp(word, "if") == 0)
                        break;
                if (!first && group_holds(word, name, 0))
                        return true;
                first = false;
                c += len;
                c += strspn(c, " \t");
        }
        return false;
}

/* Whether the policy may deny the native NAME. */
static bool may_be_denied(const sandbox_plan_t *p, const char *name) {
        if (verdict_denies(plan_default_action(p)))
                return true;
        for (size_t i = 0; i < p->n_rules; i++)
                if (verdict_denies(p->rules[i].action) && rule_names(&p->rules[i], name))
                        return true;
        for (size_t i = 0; i < p->n_deferred_rules; i++)
                if (text_may_deny(p->deferred_rules[i], name))
                        return true;
        return false;
}

static bool answerable(uint32_t action) {
        uint32_t a = action & SECCOMP_RET_ACTION_FULL;
        return a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_LOG || a == SECCOMP_RET_ERRNO ||
               a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD;
}

/* Whether every verdict of the plan is one the supervisor can give in the kernel's place (allow,
 * log, an errno, a kill): then a program that computes its verdict (a merged stack) can notify. */
static bool verdicts_answerable(const sandbox_plan_t *p) {
        if (!answerable(plan_default_action(p)))
                return false;
        for (size_t i = 0; i < p->n_rules; i++)
                if (!answerable(p->rules[i].action))
                        return false;
        return true;
}

/* Which of the policy's programs go into the notifying one: the mergeable ones, the last (the main
 * filter) first, as many as fit in one program. */
static size_t pick_merged(const launch_t *launch, bool *ret_picked) {
        size_t total = 16, n = 0; /* room for the exemption and the tails */
        bool ret_a_ok = verdicts_answerable(launch->plan);

        for (size_t i = launch->n_seccomp_policy; i-- > 0;) {
                const seccomp_program_t *prog = &launch->seccomp[i];
                ret_picked[i] = bpf_mergeable(prog, ret_a_ok) && total + prog->prog.len + 3 <= BPF_MAXINSNS;
                if (ret_picked[i]) {
                        total += prog->prog.len + 3;
                        n++;
                }
        }
        return n;
}

/* launch->seccomp becomes: the notifying program (the listener's, installed first: its exemption
 * lets the child pass the listener up and install the rest, whatever the policy says of sendmsg
 * and seccomp), the guards that keep the policy's verdict on those two calls, the policy's
 * programs that stay plain, then the caller's own programs. */
static int build_listener(launch_t *launch, sandbox_error_t *e) {
        size_t n_policy = launch->n_seccomp_policy, n = 0;
        _cleanup_free_ bool *picked = xrealloc_array(NULL, n_policy, sizeof *picked);
        bool guard = may_be_denied(launch->plan, "sendmsg") || may_be_denied(launch->plan, "seccomp");
        seccomp_program_t *out, notifying;
        int r;

        if (pick_merged(launch, picked) == 0) {
                log_warning("--report-denials: the policy's filters give verdicts (trap, log) the supervisor "
                            "can't give in the kernel's place: denials are not reported");
                return 0;
        }
        state.plain = xrealloc_array(NULL, n_policy, sizeof *state.plain);
        for (size_t i = 0; i < n_policy; i++)
                if (picked[i])
                        state.plain[state.n_plain++] = launch->seccomp[i];
        if ((r = bpf_merge_notifying(state.plain, state.n_plain, &notifying)) < 0 ||
            (r = bpf_listener_exemption(&notifying, launch->sock)) < 0)
                return error_errno(e, r, "--report-denials: making the notifying seccomp filter");

        out = xrealloc_array(NULL, launch->n_seccomp + state.n_plain + 1, sizeof *out);
        launch->listener_prog = 0;
        out[n++] = notifying;
        for (size_t i = 0; i < state.n_plain && guard; i++)
                if ((r = bpf_only_listener_calls(&state.plain[i], &out[n++])) < 0) {
                        seccomp_programs_free(out, n - 1);
                        return error_errno(
                                e, r,
                                "--report-denials: making the filter that keeps the policy's verdict on sendmsg and seccomp");
                }
        for (size_t i = 0; i < n_policy; i++)
                if (!picked[i])
                        out[n++] = launch->seccomp[i];
        launch->n_seccomp_policy = n;
        for (size_t i = n_policy; i < launch->n_seccomp; i++)
                out[n++] = launch->seccomp[i];
        free(launch->seccomp);
        launch->seccomp = out;
        launch->n_seccomp = n;
        launch->listener_fallback = state.plain;
        launch->n_listener_fallback = state.n_plain;
        return 0;
}

int notify_prepare(launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;

        state.plan = p;
        /* Learn mode brings its own notifying program. */
        if (state.have_handler || (!p->report_denials && p->denials_fd < 0))
                return 0;
        /* No rules: nothing is denied. */
        if (launch->n_seccomp_policy == 0)
                return 0;
        return build_listener(launch, e);
}

/* ---- in the child: installing it, passing the listener up ---- */

/* One byte and the fd, up the setup socket. The notifying program lets this very call through
 * (bpf_listener_exemption), as nobody could answer it yet. */
static int send_listener(int sock, int listener, sandbox_error_t *e) {
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control = { 0 };
        struct iovec iov = { .iov_base = (char[]){ NOTIFY_LISTENER_MSG }, .iov_len = 1 };
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
        };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &listener, sizeof(int));
        if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
                return error_errno(e, errno, "passing the seccomp listener to the supervisor");
        return 0;
}

/* With a listener, or the plain fallback where the kernel has none to give: EINVAL before Linux
 * 5.0 (an unknown flag), EBUSY when a filter of ours already has one (an outer sandbox's). Probed
 * by trying: no version compared. */
static int install_listening(const launch_t *launch, const seccomp_program_t *prog, sandbox_error_t *e) {
        /* SANDBOX_TEST_LEGACY: the tests' stand-in for a kernel without the flag. */
        long fd = launch->legacy ? (errno = EINVAL, -1)
                                 : syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
                                           &prog->prog);
        int err = errno;

        if (fd >= 0)
                return send_listener(launch->sock, (int) fd, e);
        if ((err != EBUSY && err != EINVAL) || !launch->n_listener_fallback) {
                error_errno(e, err, "installing the notifying seccomp filter");
                if (err == EBUSY)
                        error_hint(e, "an outer sandbox already holds this process's seccomp listener, and there "
                                      "can be only one");
                else if (err == EINVAL)
                        error_hint(e, "this kernel has no seccomp user notification (Linux 5.0)");
                return -err;
        }
        log_warning("denials can't be reported by name: %s; the plain filter is installed, and its denials go to "
                    "the kernel's audit log",
                    err == EBUSY ? "an outer sandbox already holds the seccomp listener"
                                 : "this kernel has no seccomp user notification");
        for (size_t i = 0; i < launch->n_listener_fallback; i++)
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG,
                            &launch->listener_fallback[i].prog) < 0)
                        return error_errno(e, errno, "installing seccomp filter (plain, logged) %zu of %zu", i + 1,
                                           launch->n_listener_fallback);
        return 0;
}

int notify_install(const launch_t *launch, sandbox_error_t *e) {
        int r;

        for (size_t i = 0; i < launch->n_seccomp; i++) {
                if ((int) i == launch->listener_prog)
                        r = install_listening(launch, &launch->seccomp[i], e);
                else if ((r = seccomp_install(&launch->seccomp[i], 1, e)) < 0)
                        error_errno(e, -r, "installing seccomp filter %zu of %zu", i + 1, launch->n_seccomp);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- which rule, and what the kernel would have said ---- */

/* libseccomp names the syscalls and ABIs: loaded at the first denial, so that a launch with
 * nothing denied doesn't pay for it. Without it, numbers. */
static bool names_loaded(void) {
        static int loaded;

        if (!loaded)
                loaded = libseccomp_open(&(sandbox_error_t){ 0 }) >= 0 ? 1 : -1;
        return loaded > 0;
}

static uint32_t plain_verdict(const struct seccomp_data *d) {
        return bpf_run_stack(state.plain, state.n_plain, d);
}

static bool value_matches(const rule_cond_t *c, uint64_t a, size_t k) {
        uint64_t mask = c->masks ? c->masks[k] : c->mask;

        switch (c->op) {
        case COND_EQ:
                return a == c->values[k];
        case COND_NE:
                return a != c->values[k];
        case COND_LT:
                return a < c->values[k];
        case COND_LE:
                return a <= c->values[k];
        case COND_GT:
                return a > c->values[k];
        case COND_GE:
                return a >= c->values[k];
        case COND_MASKED_EQ:
        case COND_IN:
                return (a & mask) == c->values[k];
        case COND_NOT_IN:
                return a == c->values[k];
        }
        return false;
}

/* The condition as the kernel sees the argument (rules_narrow): one of its values matches. */
static bool cond_holds(const char *name, const rule_cond_t *c, const uint64_t *args) {
        rule_cond_t n;
        uint64_t a = args[c->arg];
        bool any = false;

        if (c->op == COND_NOT_IN && rules_arg_bits(name, c->arg) < 64)
                a &= UINT32_MAX;
        rules_narrow(name, c, &n);
        for (size_t k = 0; k < n.n_values && !any; k++)
                any = value_matches(&n, a, k);
        rules_cond_free(&n);
        return c->op == COND_NOT_IN ? !any : any;
}

/* The rules a denial is named by: the plan's, and the default policy's where its precompiled
 * filter stood in for them (seccomp-embedded.c keeps their text): parsed at the first denial, so
 * that a launch with nothing denied doesn't pay for it. */
static void load_rules(void) {
        const sandbox_plan_t *p = state.plan;

        if (state.rules_loaded)
                return;
        state.rules_loaded = true;
        state.rules = xrealloc_array(NULL, p->n_rules + p->n_deferred_rules + 1, sizeof *state.rules);
        for (size_t i = 0; i < p->n_rules; i++)
                state.rules[state.n_rules++] = p->rules[i];
        state.n_plan_rules = state.n_rules;
        for (size_t i = 0; i < p->n_deferred_rules && names_loaded(); i++) {
                syscall_rule_t r;
                /* The built-in default's rules: the build compiled them, so they parse. */
                if (seccomp_deferred_rule(p, i, &r, &(sandbox_error_t){ 0 }) == 0)
                        state.rules[state.n_rules++] = r;
        }
}

/* The first rule of the plan that gives this verdict to this call. */
static int find_rule(const char *name, const struct seccomp_data *d, uint32_t verdict) {
        const sandbox_plan_t *p = state.plan;

        load_rules();
        for (size_t i = 0; i < state.n_rules && name; i++) {
                const syscall_rule_t *r = &state.rules[i];
                bool holds = rule_applies(p, r) && r->action == verdict && rule_names(r, name);

                for (size_t j = 0; j < r->n_conds && holds; j++)
                        holds = cond_holds(name, &r->conds[j], (const uint64_t *) d->args);
                if (holds)
                        return (int) i;
        }
        for (size_t i = 0; i < state.n_rules && !name; i++)
                if (state.rules[i].unknown_numbers && state.rules[i].action == verdict)
                        return (int) i;
        if (verdict == SECCOMP_RET_KILL_PROCESS && names_loaded() && d->arch != seccomp_lib.arch_native())
                return RULE_ABI;
        if (p->syscall_default_set && verdict == p->syscall_default)
                return RULE_DEFAULT;
        return RULE_NONE;
}

/* "default:31" and the rule as written. */
static void rule_label(int rule, const char **ret_where, const char **ret_text) {
        const sandbox_plan_t *p = state.plan;

        *ret_text = NULL;
        if (rule >= 0) {
                const syscall_rule_t *r = &state.rules[rule];
                *ret_where = r->where ? r->where : r->origin ? r->origin : "--syscall";
                *ret_text = r->text;
        } else if (rule == RULE_DEFAULT)
                *ret_where = p->syscall_default_where ? p->syscall_default_where : "--syscall-default";
        else if (rule == RULE_ABI)
                *ret_where = "syscall-arch (other ABIs are killed)";
        else
                *ret_where = "(no rule of the policy)";
}

/* ---- what the caller is ---- */

typedef struct caller {
        char exe[PATH_MAX];
        char comm[32];
} caller_t;

static void read_exe(pid_t pid, caller_t *ret) {
        char path[64];
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%d/exe", (int) pid);
        n = readlink(path, ret->exe, sizeof ret->exe - 1);
        ret->exe[n > 0 ? n : 0] = 0;
        if (n <= 0)
                snprintf(ret->exe, sizeof ret->exe, "?");
}

static void read_comm(pid_t pid, caller_t *ret) {
        _cleanup_close_ int fd = -1;
        char path[64];
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%d/comm", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd >= 0 ? read(fd, ret->comm, sizeof ret->comm - 1) : -1;
        ret->comm[n > 0 ? n : 0] = 0;
        ret->comm[strcspn(ret->comm, "\n")] = 0;
}

/* ---- reporting ---- */

/* Arguments the policy language has names for: which constants name them. */
static const struct {
        const char *syscall;
        unsigned arg;
        const char *prefix;
        bool flags;
} named_args[] = {
        { "socket", 0, "AF_", false },       { "socket", 1, "SOCK_", false }, { "socketpair", 0, "AF_", false },
        { "socketpair", 1, "SOCK_", false }, { "ioctl", 1, "TIOC", false },   { "clone", 0, "CLONE_", true },
        { "unshare", 0, "CLONE_", true },    { "setns", 1, "CLONE_", true },  { "prctl", 0, "PR_", false },
        { "personality", 0, "PER_", false }, { "open", 1, "O_", true },       { "openat", 2, "O_", true },
};

static void format_arg(const char *name, unsigned arg, uint64_t v, char *buf, size_t size) {
        bool narrow = name && rules_arg_bits(name, arg) < 64;

        if (narrow)
                v &= UINT32_MAX;
        for (size_t i = 0; i < ELEMENTSOF(named_args) && name; i++)
                if (named_args[i].arg == arg && strcmp(named_args[i].syscall, name) == 0) {
                        if (!rules_value_name(named_args[i].prefix, named_args[i].flags, v, buf, size))
                                snprintf(buf, size, "%#" PRIx64, v);
                        return;
                }
        /* An int of the kernel's: -1 is more telling than 0xffffffff. */
        if (narrow && v > INT32_MAX)
                snprintf(buf, size, "%" PRId32, (int32_t) (uint32_t) v);
        else
                snprintf(buf, size, v < 0x10000 ? "%" PRIu64 : "%#" PRIx64, v);
}

/* The arguments the call shows: as many as it is known to take, from the tables of the rules
 * (a filter sees six registers, whatever the call reads); none for a call they don't list. */
static unsigned shown_args(const char *name, int rule) {
        unsigned n = name ? rules_args_known(name) : 0;

        for (size_t i = 0; i < ELEMENTSOF(named_args) && name; i++)
                if (strcmp(named_args[i].syscall, name) == 0 && named_args[i].arg + 1 > n)
                        n = named_args[i].arg + 1;
        for (size_t j = 0; rule >= 0 && j < state.rules[rule].n_conds; j++)
                if (state.rules[rule].conds[j].arg + 1 > n)
                        n = state.rules[rule].conds[j].arg + 1;
        return n;
}

static void json_string(FILE *f, const char *s) {
        fputc('"', f);
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        fprintf(f, "\\%c", c);
                else if (c < 0x20)
                        fprintf(f, "\\u%04x", c);
                else
                        fputc(c, f);
        }
        fputc('"', f);
}

static void write_json(const struct seccomp_notif *req, const char *name, const caller_t *who, int rule,
                       uint32_t verdict) {
        _cleanup_free_ char *line = NULL;
        const char *where, *text;
        size_t size = 0;
        char action[48], arg[128];
        bool errno_verdict = (verdict & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO;
        int err = (int) (verdict & SECCOMP_RET_DATA), r;
        FILE *f = open_memstream(&line, &size);

        if (!f)
                return;
        rule_label(rule, &where, &text);
        rules_format_action(verdict, action, sizeof action);
        fputs("{\"syscall\":", f);
        json_string(f, name ? name : "?");
        fprintf(f, ",\"nr\":%d,\"arch\":", req->data.nr);
        if (names_loaded())
                json_string(f, seccomp_arch_name(req->data.arch));
        else
                fprintf(f, "\"%#x\"", req->data.arch);
        fputs(",\"args\":[", f);
        for (unsigned i = 0; i < 6; i++) {
                format_arg(name, i, req->data.args[i], arg, sizeof arg);
                fputs(i ? "," : "", f);
                json_string(f, arg);
        }
        fprintf(f, "],\"args_raw\":[");
        for (unsigned i = 0; i < 6; i++)
                fprintf(f, "%s%" PRIu64, i ? "," : "", (uint64_t) req->data.args[i]);
        fprintf(f, "],\"pid\":%u,\"exe\":", req->pid);
        json_string(f, who->exe);
        fputs(",\"comm\":", f);
        json_string(f, who->comm);
        fputs(",\"rule\":", f);
        json_string(f, where);
        fputs(",\"rule_text\":", f);
        json_string(f, text ? text : "");
        fputs(",\"action\":", f);
        json_string(f, errno_verdict ? action : "kill");
        if (errno_verdict) {
                fprintf(f, ",\"errno\":%d,\"errno_name\":", err);
                json_string(f, strerrorname_np(err) ? strerrorname_np(err) : "");
        } else
                fputs(",\"errno\":null,\"errno_name\":null", f);
        fputs("}\n", f);
        if (fclose(f) == 0 && !state.json_failed && (r = write_full(state.plan->denials_fd, line, size)) < 0) {
                /* A reader that went away must not stop the sandbox: said once, then no more. */
                log_warning("--denials-fd %d: %s; no more denials are written there", state.plan->denials_fd,
                            strerror(-r));
                state.json_failed = true;
        }
}

static void print_first(const struct seccomp_notif *req, const char *name, const caller_t *who, int rule,
                        uint32_t verdict) {
        char args[6 * 130] = "", arg[128], outcome[64];
        const char *where, *text;
        int err = (int) (verdict & SECCOMP_RET_DATA);

        for (unsigned i = 0, n = shown_args(name, rule); i < n; i++) {
                format_arg(name, i, req->data.args[i], arg, sizeof arg);
                snprintf(args + strlen(args), sizeof args - strlen(args), "%s%s", i ? ", " : "", arg);
        }
        if (!args[0])
                snprintf(args, sizeof args, "...");
        if ((verdict & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
                snprintf(outcome, sizeof outcome, "%s", err ? strerrorname_np(err) : "0 (skipped)");
        else
                snprintf(outcome, sizeof outcome, "killed");
        rule_label(rule, &where, &text);
        log_warning("denied %s(%s) -> %s, in %s (pid %u, %s), by %s%s%s%s", name ? name : "?", args, outcome, who->exe,
                    req->pid, who->comm, where, text ? ": '" : "", text ? text : "", text ? "'" : "");
}

static denial_kind_t *find_kind(const struct seccomp_notif *req, const char *exe, int rule) {
        for (size_t i = 0; i < state.n_kinds; i++) {
                denial_kind_t *k = &state.kinds[i];
                if (k->arch == req->data.arch && k->nr == req->data.nr && k->rule == rule && strcmp(k->exe, exe) == 0)
                        return k;
        }
        return NULL;
}

static denial_kind_t *add_kind(const struct seccomp_notif *req, const char *name, const char *exe, int rule,
                               uint32_t verdict) {
        denial_kind_t kind = {
                req->data.arch, req->data.nr, rule, verdict, xstrdup(exe), xstrdup(name ? name : "?"), 0
        };

        APPEND(state.kinds, state.n_kinds, kind);
        return &state.kinds[state.n_kinds - 1];
}

/* What a kill needs to know of the calling thread: its process, and whether SIGSYS would kill it
 * as the kernel's kill does (not blocked, ignored or caught). */
typedef struct thread_signals {
        pid_t tgid;
        bool sigsys_default;
} thread_signals_t;

static void read_thread_signals(pid_t tid, thread_signals_t *ret) {
        _cleanup_fclose_ FILE *f = NULL;
        char path[64], line[256];
        uint64_t bit = UINT64_C(1) << (SIGSYS - 1), any = 0;

        *ret = (thread_signals_t){ .tgid = -1 };
        snprintf(path, sizeof path, "/proc/%d/status", (int) tid);
        if (!(f = fopen(path, "re")))
                return;
        while (fgets(line, sizeof line, f)) {
                unsigned long long mask;
                int tgid;
                if (sscanf(line, "Tgid: %d", &tgid) == 1)
                        ret->tgid = tgid;
                else if ((sscanf(line, "SigBlk: %llx", &mask) == 1 || sscanf(line, "SigIgn: %llx", &mask) == 1 ||
                          sscanf(line, "SigCgt: %llx", &mask) == 1))
                        any |= mask & bit;
        }
        ret->sigsys_default = ret->tgid > 0 && !any;
}

/* A kill rule: SIGSYS to the thread, which ends the whole process as the kernel's kill would (same
 * status, same core), when nothing in the process would catch it; else SIGKILL to the process.
 * Either way the call is not answered: should a handler have appeared in between, the call is
 * interrupted, asked again, and meets SIGKILL. */
static void kill_caller(const struct seccomp_notif *req, const thread_signals_t *t, int pidfd) {
        if (t->sigsys_default && syscall(SYS_tgkill, t->tgid, (pid_t) req->pid, SIGSYS) == 0)
                return;
        if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
                kill(t->tgid > 0 ? t->tgid : (pid_t) req->pid, SIGKILL);
}

/* One denial: the plain verdict, answered as the kernel would have; what is read about the caller
 * is trusted only if the notification is still valid after (its pid may have been reused). The
 * name (comm) is read only where it is shown. False: no answer is to be sent. */
static bool report_denial(int listener, const struct seccomp_notif *req, struct seccomp_notif_resp *resp) {
        uint32_t verdict = plain_verdict(&req->data);
        bool kill_it = (verdict & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO, first;
        _cleanup_free_ char *name = NULL;
        _cleanup_close_ int pidfd = -1;
        thread_signals_t thread = { .tgid = -1 };
        caller_t who = { .comm = "" };
        denial_kind_t *kind;
        int rule;

        if (verdict == SECCOMP_RET_ALLOW || (verdict & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG) {
                /* Not a denial after all (a call the plain filters allow): let it run. */
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                return true;
        }
        if (names_loaded())
                name = seccomp_lib.syscall_resolve_num_arch(req->data.arch, req->data.nr);
        rule = find_rule(name, &req->data, verdict);
        read_exe((pid_t) req->pid, &who);
        kind = find_kind(req, who.exe, rule);
        first = !kind;
        if (state.plan->denials_fd >= 0 || (first && state.plan->report_denials))
                read_comm((pid_t) req->pid, &who);
        if (kill_it) {
                read_thread_signals((pid_t) req->pid, &thread);
                if (thread.tgid > 0)
                        pidfd = (int) syscall(SYS_pidfd_open, thread.tgid, 0);
        }
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
                return false; /* gone: nothing to answer, nothing true to say */
        if (kill_it)
                kill_caller(req, &thread, pidfd);
        else
                resp->error = -(int) (verdict & SECCOMP_RET_DATA);
        if (!kind)
                kind = add_kind(req, name, who.exe, rule, verdict);
        kind->count++;
        if (first && state.plan->report_denials)
                print_first(req, name, &who, rule, verdict);
        if (state.plan->denials_fd >= 0)
                write_json(req, name, &who, rule, verdict);
        return !kill_it;
}

static void print_summary(void) {
        if (!state.plan->report_denials || !state.n_kinds)
                return;
        log_warning("denials while the sandbox ran:");
        for (size_t i = 0; i < state.n_kinds; i++) {
                const denial_kind_t *k = &state.kinds[i];
                const char *where, *text;
                char action[48];

                rule_label(k->rule, &where, &text);
                rules_format_action(k->verdict, action, sizeof action);
                log_warning("  %s denied %llu time%s (%s) in %s, by %s", k->name, k->count, k->count == 1 ? "" : "s",
                            action, k->exe, where);
        }
}

/* ---- the monitor's source ---- */

static bool on_listener(monitor_t *mon, monitor_source_t *s) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;

        struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

        /* Readable wakes us, but so does the end of the last task using the filter (hang-up), and a
         * notification whose caller died is withdrawn: RECV would then block. */
        if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
                return !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
        memset(&req, 0, sizeof req);
        if (ioctl(s->fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                return errno == EINTR || errno == ENOENT;
        resp = (struct seccomp_notif_resp){ .id = req.id };
        if (state.have_handler)
                state.handler.on_notify(state.handler.userdata, s->fd, &req, &resp);
        else if (!report_denial(s->fd, &req, &resp))
                return true;
        /* ENOENT: the caller is gone (killed, or interrupted by a signal: it will ask again). */
        (void) ioctl(s->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
        return true;
}

static void on_end(monitor_t *mon, monitor_source_t *s) {
        if (state.have_handler) {
                if (state.handler.on_end)
                        state.handler.on_end(state.handler.userdata);
                return;
        }
        print_summary();
        for (size_t i = state.n_plan_rules; i < state.n_rules; i++)
                rules_free(&state.rules[i]);
        free(state.rules);
        state.rules = NULL;
        state.n_rules = 0;
        for (size_t i = 0; i < state.n_kinds; i++) {
                free(state.kinds[i].exe);
                free(state.kinds[i].name);
        }
        free(state.kinds);
        state.kinds = NULL;
        state.n_kinds = 0;
}

int notify_attach(monitor_t *mon, int fd, sandbox_error_t *e) {
        monitor_source_t s = { .name = "seccomp supervisor", .fd = fd, .on_input = on_listener, .teardown = on_end };
        int r;

        if ((r = monitor_add_source(mon, &s, e)) < 0) {
                close(fd);
                return r;
        }
        /* A reader of --denials-fd that goes away gives EPIPE, not the end of the monitor. */
        if (mon->launch->plan->denials_fd >= 0) {
                sigset_t pipe;
                sigemptyset(&pipe);
                sigaddset(&pipe, SIGPIPE);
                sigprocmask(SIG_BLOCK, &pipe, NULL);
        }
        /* The caller waits for each answer: woken on our CPU at once, a storm of denials costs
         * little more than the switches (Linux 6.6; before, EINVAL and the usual wake-up). */
        (void) ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
        mon->launch->notify_fd = fd;
        return 0;
}
