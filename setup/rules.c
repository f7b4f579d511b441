/* SPDX-License-Identifier: MIT */
#include "rules.h"

#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "libseccomp.h"
#include "syscall-table.h"
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>

/* Named constants, straight from the system headers. */
#define NAMED_CONSTANT(x) \
        { #x, (uint64_t) (x) }
static const struct {
        const char *name;
        uint64_t value;
} constants[] = {
        NAMED_CONSTANT(TIOCSTI),
        NAMED_CONSTANT(TIOCLINUX),
        NAMED_CONSTANT(TIOCSETD),
        NAMED_CONSTANT(TIOCCONS),
        NAMED_CONSTANT(AF_UNIX),
        NAMED_CONSTANT(AF_LOCAL),
        NAMED_CONSTANT(AF_INET),
        NAMED_CONSTANT(AF_INET6),
        NAMED_CONSTANT(AF_NETLINK),
        NAMED_CONSTANT(AF_PACKET),
        NAMED_CONSTANT(AF_KEY),
        NAMED_CONSTANT(AF_ALG),
        NAMED_CONSTANT(AF_VSOCK),
        NAMED_CONSTANT(AF_BLUETOOTH),
        NAMED_CONSTANT(AF_CAN),
        NAMED_CONSTANT(AF_APPLETALK),
        NAMED_CONSTANT(AF_X25),
        NAMED_CONSTANT(AF_AX25),
        NAMED_CONSTANT(AF_NETROM),
        NAMED_CONSTANT(SOCK_STREAM),
        NAMED_CONSTANT(SOCK_DGRAM),
        NAMED_CONSTANT(SOCK_RAW),
        NAMED_CONSTANT(SOCK_SEQPACKET),
        NAMED_CONSTANT(SOCK_PACKET),
        NAMED_CONSTANT(CLONE_NEWUSER),
        NAMED_CONSTANT(CLONE_NEWNS),
        NAMED_CONSTANT(CLONE_NEWPID),
        NAMED_CONSTANT(CLONE_NEWNET),
        NAMED_CONSTANT(CLONE_NEWUTS),
        NAMED_CONSTANT(CLONE_NEWIPC),
        NAMED_CONSTANT(CLONE_NEWCGROUP),
        NAMED_CONSTANT(CLONE_NEWTIME),
        NAMED_CONSTANT(CLONE_THREAD),
        NAMED_CONSTANT(CLONE_VM),
        NAMED_CONSTANT(CLONE_FS),
        NAMED_CONSTANT(CLONE_FILES),
        NAMED_CONSTANT(O_RDONLY),
        NAMED_CONSTANT(O_WRONLY),
        NAMED_CONSTANT(O_RDWR),
        NAMED_CONSTANT(O_CREAT),
        NAMED_CONSTANT(O_EXCL),
        NAMED_CONSTANT(O_TRUNC),
        NAMED_CONSTANT(O_APPEND),
        NAMED_CONSTANT(O_PATH),
        NAMED_CONSTANT(O_TMPFILE),
        NAMED_CONSTANT(O_DIRECTORY),
        NAMED_CONSTANT(O_NOFOLLOW),
        NAMED_CONSTANT(O_CLOEXEC),
        NAMED_CONSTANT(PR_SET_NO_NEW_PRIVS),
        NAMED_CONSTANT(PR_SET_SECCOMP),
        NAMED_CONSTANT(PR_SET_DUMPABLE),
        NAMED_CONSTANT(PR_SET_PDEATHSIG),
        NAMED_CONSTANT(PR_CAPBSET_DROP),
        NAMED_CONSTANT(PR_SET_MM),
        NAMED_CONSTANT(PR_SET_PTRACER),
        NAMED_CONSTANT(PR_CAP_AMBIENT),
        NAMED_CONSTANT(PER_LINUX),
        NAMED_CONSTANT(PER_LINUX32),
        NAMED_CONSTANT(ADDR_NO_RANDOMIZE),
        NAMED_CONSTANT(READ_IMPLIES_EXEC),
};

int rules_parse_action(const char *s, uint32_t *ret, sandbox_error_t *e) {
        if (strcmp(s, "allow") == 0)
                *ret = SCMP_ACT_ALLOW;
        else if (strcmp(s, "deny") == 0)
                *ret = SCMP_ACT_ERRNO(EPERM);
        else if (strcmp(s, "kill") == 0)
                *ret = SCMP_ACT_KILL_PROCESS;
        else if (strcmp(s, "trap") == 0)
                *ret = SCMP_ACT_TRAP;
        else if (strcmp(s, "log") == 0)
                *ret = SCMP_ACT_LOG;
        else if (strncmp(s, "errno:", 6) == 0) {
                for (int n = 1; n < 4096; n++) {
                        const char *name = strerrorname_np(n);
                        if (name && strcmp(name, s + 6) == 0) {
                                *ret = SCMP_ACT_ERRNO((uint32_t) n);
                                return 0;
                        }
                }
                return error_msg(e, "unknown errno '%s' (names as in errno(3), e.g. errno:ENOSYS)", s + 6);
        } else
                return error_msg(e, "unknown action '%s' (allow, deny, errno:NAME, kill, trap or log)", s);
        return 0;
}

void rules_format_action(uint32_t action, char *buf, size_t size) {
        const char *name;

        if (action == SCMP_ACT_ALLOW)
                snprintf(buf, size, "allow");
        else if (action == SCMP_ACT_ERRNO(EPERM))
                snprintf(buf, size, "deny");
        else if ((action & SECCOMP_RET_ACTION_FULL) == SCMP_ACT_ERRNO(0) &&
                 (name = strerrorname_np((int) (action & SECCOMP_RET_DATA))))
                snprintf(buf, size, "errno:%s", name);
        else if (action == SCMP_ACT_KILL_PROCESS)
                snprintf(buf, size, "kill");
        else if (action == SCMP_ACT_TRAP)
                snprintf(buf, size, "trap");
        else if (action == SCMP_ACT_LOG)
                snprintf(buf, size, "log");
        else
                snprintf(buf, size, "action:%#x", action);
}

static void format_value(FILE *f, uint64_t v) {
        fprintf(f, v < 0x10000 ? "%" PRIu64 : "%#" PRIx64, v);
}

char *rules_format(const syscall_rule_t *r) {
        static const char *const ops[] = {
                [COND_EQ] = "==", [COND_NE] = "!=",        [COND_LT] = "<",  [COND_LE] = "<=",        [COND_GT] = ">",
                [COND_GE] = ">=", [COND_MASKED_EQ] = "==", [COND_IN] = "in", [COND_NOT_IN] = "not-in"
        };
        char *text = NULL, action[32];
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return xstrdup(r->text ? r->text : "");
        rules_format_action(r->action, action, sizeof action);
        fputs(action, f);
        for (size_t k = 0; k < r->n_names; k++)
                fprintf(f, " %s", r->names[k]);
        for (size_t j = 0; j < r->n_conds; j++) {
                const rule_cond_t *c = &r->conds[j];
                fprintf(f, "%s arg%u ", j ? " &&" : " if", c->arg);
                if (c->op == COND_MASKED_EQ) {
                        fputc('&', f);
                        format_value(f, c->mask);
                        fputc(' ', f);
                }
                fprintf(f, "%s ", ops[c->op]);
                if (c->op == COND_IN || c->op == COND_NOT_IN)
                        fputc('{', f);
                for (size_t v = 0; v < c->n_values; v++) {
                        if (v)
                                fputs(", ", f);
                        format_value(f, c->values[v]);
                }
                if (c->op == COND_IN || c->op == COND_NOT_IN)
                        fputc('}', f);
        }
        if (fclose(f) != 0 || !text) {
                free(text);
                return xstrdup(r->text ? r->text : "");
        }
        return text;
}

static int parse_value(const char *s, uint64_t *ret, sandbox_error_t *e) {
        unsigned long long v;

        for (size_t i = 0; i < ELEMENTSOF(constants); i++)
                if (strcmp(constants[i].name, s) == 0) {
                        *ret = constants[i].value;
                        return 0;
                }
        if (parse_uint64(s, 0, &v) < 0)
                return error_msg(e, "'%s' is neither a number nor a known constant", s);
        *ret = v;
        return 0;
}

/* Words of the rule, with "{", "}" and "," as words of their own. */
static char **tokenize(const char *text, size_t *ret_n) {
        char *buf = xmalloc0(strlen(text) * 3 + 1), *w = buf, *save = NULL, **words = NULL;
        size_t n = 0;

        for (const char *s = text; *s; s++)
                if (strchr("{},", *s)) {
                        *w++ = ' ';
                        *w++ = *s;
                        *w++ = ' ';
                } else
                        *w++ = *s;
        for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
                words = xrealloc_array(words, n + 2, sizeof(char *));
                words[n++] = xstrdup(t);
        }
        free(buf);
        if (words)
                words[n] = NULL;
        *ret_n = n;
        return words;
}

static void words_free(char **w, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(w[i]);
        free(w);
}

/* The native syscall closest to a misspelt name, within two edits. */
static char *suggest_syscall(const char *name) {
        char *best = NULL;
        unsigned best_d = 3;

        for (int nr = 0; nr < 1024; nr++) {
                char *candidate = seccomp_lib.syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
                unsigned d;

                if (!candidate)
                        continue;
                d = edit_distance(name, candidate);
                if (d < best_d) {
                        free(best);
                        best = candidate;
                        best_d = d;
                } else
                        free(candidate);
        }
        for (int nr = syscall_table_first(); nr <= syscall_table_last(); nr++)
                if (edit_distance(name, syscall_table_name(nr)) < best_d) {
                        free(best);
                        best = xstrdup(syscall_table_name(nr));
                        best_d = edit_distance(name, best);
                }
        return best;
}

static int add_name(syscall_rule_t *r, const char *name, bool from_group, sandbox_error_t *e) {
        if (rules_syscall_number(SCMP_ARCH_NATIVE, name) == __NR_SCMP_ERROR) {
                _cleanup_free_ char *suggestion = NULL;

                if (from_group)
                        return 0; /* not on this architecture, or unknown to libseccomp */
                suggestion = suggest_syscall(name);
                if (suggestion)
                        return error_msg(e, "unknown syscall '%s' (did you mean '%s'?)", name, suggestion);
                return error_msg(e, "unknown syscall '%s'", name);
        }
        r->names = xrealloc_array(r->names, r->n_names + 1, sizeof(char *));
        r->names[r->n_names++] = xstrdup(name);
        return 0;
}

/* A group's members; a member that is a group itself (@privileged holds @chown) is expanded. */
static int add_group(syscall_rule_t *r, const char *group, unsigned depth, sandbox_error_t *e) {
        const char *const *members = rules_group(group);
        int rr;

        if (!members)
                return error_msg(e, "unknown syscall group '%s'", group);
        if (depth > 4)
                return error_msg(e, "syscall group '%s' nests too deep", group);
        for (; *members; members++) {
                if ((*members)[0] == '@')
                        rr = add_group(r, *members, depth + 1, e);
                else
                        rr = add_name(r, *members, true, e);
                if (rr < 0)
                        return rr;
        }
        return 0;
}

static int parse_cond(syscall_rule_t *r, char **w, size_t n, size_t *i, sandbox_error_t *e) {
        rule_cond_t c = { .mask = UINT64_MAX };
        const char *op;
        int k;

        if (*i >= n || sscanf(w[*i], "arg%u%n", &c.arg, &k) != 1 || w[*i][k] || c.arg > 5)
                return error_msg(e, "expected arg0 to arg5 in the condition, got '%s'", *i < n ? w[*i] : "(end)");
        (*i)++;
        if (*i < n && w[*i][0] == '&') {
                int rr = parse_value(w[*i][1] ? w[*i] + 1 : (*i + 1 < n ? w[++*i] : ""), &c.mask, e);
                if (rr < 0)
                        return rr;
                (*i)++;
                if (*i >= n || strcmp(w[*i], "==") != 0)
                        return error_msg(e, "a masked comparison is written argN &MASK == VALUE");
        }
        if (*i >= n)
                return error_msg(e, "condition on arg%u has no operator", c.arg);
        op = w[(*i)++];
        if (strcmp(op, "in") == 0 || strcmp(op, "not-in") == 0) {
                c.op = strcmp(op, "not-in") == 0 ? COND_NOT_IN : COND_IN;
                if (*i >= n || strcmp(w[(*i)++], "{") != 0)
                        return error_msg(e, "'%s' is followed by {VALUE, ...}", op);
                while (*i < n && strcmp(w[*i], "}") != 0) {
                        uint64_t v;
                        int rr;
                        if (strcmp(w[*i], ",") == 0) {
                                (*i)++;
                                continue;
                        }
                        if ((rr = parse_value(w[(*i)++], &v, e)) < 0) {
                                free(c.values);
                                return rr;
                        }
                        c.values = xrealloc_array(c.values, c.n_values + 1, sizeof(uint64_t));
                        c.values[c.n_values++] = v;
                }
                if (*i >= n || c.n_values == 0) {
                        free(c.values);
                        return error_msg(e, "'in {' needs values and a closing '}'");
                }
                (*i)++;
        } else {
                static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
                uint64_t v;
                int rr;
                size_t o;

                for (o = 0; o < ELEMENTSOF(ops) && strcmp(ops[o], op) != 0; o++)
                        ;
                if (o == ELEMENTSOF(ops))
                        return error_msg(e, "unknown operator '%s' (== != < <= > >= in)", op);
                c.op = c.mask != UINT64_MAX ? COND_MASKED_EQ : (cond_op_t) o;
                if (*i >= n)
                        return error_msg(e, "'%s' needs a value", op);
                if ((rr = parse_value(w[(*i)++], &v, e)) < 0)
                        return rr;
                c.values = xmalloc0(sizeof(uint64_t));
                c.values[0] = v;
                c.n_values = 1;
        }
        for (size_t j = 0; j < r->n_conds; j++)
                if (r->conds[j].arg == c.arg) {
                        free(c.values);
                        return error_msg(e, "two conditions on arg%u in one rule are not expressible in seccomp",
                                         c.arg);
                }
        r->conds = xrealloc_array(r->conds, r->n_conds + 1, sizeof(rule_cond_t));
        r->conds[r->n_conds++] = c;
        return 0;
}

/* seccomp sees a pointer's address, not what it points to: a condition on one filters nothing
 * that the rule's author meant (a path, a struct), so the rule language refuses it. */
static int check_pointers(const syscall_rule_t *r, sandbox_error_t *e) {
        for (size_t j = 0; j < r->n_conds; j++)
                for (size_t k = 0; k < r->n_names; k++)
                        if (rules_arg_is_pointer(r->names[k], r->conds[j].arg))
                                return error_msg(e,
                                                 "arg%u of %s is a pointer: seccomp sees the address, not what it "
                                                 "points to, so a condition on it filters nothing",
                                                 r->conds[j].arg, r->names[k]);
        return 0;
}

int rules_parse(const char *text, syscall_rule_t *ret, sandbox_error_t *e) {
        syscall_rule_t r = { .text = text };
        size_t n, i = 1;
        char **w;
        int rr;

        if ((rr = libseccomp_open(e)) < 0)
                return rr;
        w = tokenize(text, &n);

        if (n < 2) {
                words_free(w, n);
                return error_msg(e, "a rule is ACTION NAME... [if CONDITION], got '%s'", text);
        }
        if ((rr = rules_parse_action(w[0], &r.action, e)) < 0)
                goto fail;
        for (; i < n && strcmp(w[i], "if") != 0; i++) {
                if (strcmp(w[i], RULES_UNKNOWN) == 0)
                        r.unknown_numbers = true;
                else if (w[i][0] == '@') {
                        if ((rr = add_group(&r, w[i], 0, e)) < 0)
                                goto fail;
                } else if ((rr = add_name(&r, w[i], false, e)) < 0)
                        goto fail;
        }
        if (r.n_names == 0 && i == 1) {
                rr = error_msg(e, "the rule names no syscall");
                goto fail;
        }
        if (r.unknown_numbers && (i < n || r.action == SCMP_ACT_ALLOW || r.action == SCMP_ACT_LOG)) {
                rr = error_msg(e,
                               "'%s' (the numbers above the highest syscall this build knows) takes no condition, "
                               "and only an action that refuses: they are unknown, so there is nothing to allow",
                               RULES_UNKNOWN);
                goto fail;
        }
        if (i < n) {
                i++;
                do {
                        if ((rr = parse_cond(&r, w, n, &i, e)) < 0)
                                goto fail;
                } while (i < n && strcmp(w[i], "&&") == 0 && ++i);
                if (i < n) {
                        rr = error_msg(e, "unexpected '%s' after the condition (join conditions with &&)", w[i]);
                        goto fail;
                }
                for (size_t j = 0; j < r.n_conds; j++)
                        if (r.conds[j].op == COND_NOT_IN && (r.n_conds > 1 || r.action == SCMP_ACT_ALLOW)) {
                                rr = error_msg(e, "'not-in' must be the only condition of a rule that denies");
                                goto fail;
                        }
                if ((rr = check_pointers(&r, e)) < 0)
                        goto fail;
        }
        words_free(w, n);
        *ret = r;
        return 0;
fail:
        words_free(w, n);
        rules_free(&r);
        return rr;
}

void rules_free(syscall_rule_t *r) {
        for (size_t i = 0; i < r->n_names; i++)
                free(r->names[i]);
        free(r->names);
        for (size_t i = 0; i < r->n_conds; i++)
                rules_cond_free(&r->conds[i]);
        free(r->conds);
        *r = (syscall_rule_t){ 0 };
}

bool rules_value_name(const char *prefix, bool flags, uint64_t v, char *buf, size_t size) {
        size_t len = strlen(prefix), at = 0;
        uint64_t rest = v;

        for (size_t i = 0; i < ELEMENTSOF(constants) && !flags; i++)
                if (strncmp(constants[i].name, prefix, len) == 0 && constants[i].value == v) {
                        snprintf(buf, size, "%s", constants[i].name);
                        return true;
                }
        if (!flags || size == 0)
                return false;
        buf[0] = 0;
        /* open(2)'s access mode is a number in the low two bits, not flags. */
        if (strcmp(prefix, "O_") == 0) {
                static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };
                at += (size_t) snprintf(buf, size, "%s", modes[rest & O_ACCMODE]);
                rest &= ~(uint64_t) O_ACCMODE;
        }
        for (size_t i = 0; i < ELEMENTSOF(constants) && at < size; i++) {
                uint64_t c = constants[i].value;
                if (strncmp(constants[i].name, prefix, len) != 0 || !c || (rest & c) != c)
                        continue;
                at += (size_t) snprintf(buf + at, size - at, "%s%s", at ? "|" : "", constants[i].name);
                rest &= ~c;
        }
        if (rest && at < size)
                at += (size_t) snprintf(buf + at, size - at, "%s%#" PRIx64, at ? "|" : "", rest);
        return at > 0 && at < size && rest != v;
}
