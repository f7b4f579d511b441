/* SPDX-License-Identifier: MIT */
#include "oci-seccomp.h"

#include <string.h>
#include <sys/capability.h>

#include "libjsonc.h"
#include "libseccomp.h"
#include "rules.h"

static void json_put(json_object **o) {
        if (*o)
                jsonc_lib.object_put(*o);
}

/* json-c aborts when anything but an array is used as one: the shapes are checked before use
 * (check_array), and this stays safe should one be missed. */
static size_t array_length(json_object *a) {
        return jsonc_lib.object_is_type(a, json_type_array) ? jsonc_lib.object_array_length(a) : 0;
}

/* null stands for an empty list (Go writes nil slices so); any other non-array is an error, not
 * ignored: a lost "caps" or "args" would widen an allow rule, a lost "arches" drop a deny. */
static int check_array(const char *origin, json_object *o, const char *key, sandbox_error_t *e) {
        json_object *v;

        if (jsonc_lib.object_object_get_ex(o, key, &v) && v && !jsonc_lib.object_is_type(v, json_type_array))
                return error_msg(e, "%s: \"%s\" is not an array", origin, key);
        return 0;
}

static int check_filter(const char *origin, json_object *s, const char *key, sandbox_error_t *e) {
        json_object *f;
        int r;

        if (!jsonc_lib.object_object_get_ex(s, key, &f) || !f)
                return 0;
        if (!jsonc_lib.object_is_type(f, json_type_object))
                return error_msg(e, "%s: \"%s\" is not an object", origin, key);
        if ((r = check_array(origin, f, "caps", e)) < 0 || (r = check_array(origin, f, "arches", e)) < 0)
                return r;
        return 0;
}

static const char *str_field(json_object *o, const char *key) {
        json_object *v;
        return jsonc_lib.object_object_get_ex(o, key, &v) && jsonc_lib.object_is_type(v, json_type_string)
                       ? jsonc_lib.object_get_string(v)
                       : NULL;
}

/* errnoRet, defaultErrnoRet: what the call returns as its errno. A string ("EPERM") or a number
 * seccomp can't carry would otherwise read as 0, a call that "succeeds" without running. */
static int errno_of(const char *origin, const char *key, json_object *v, int *ret, sandbox_error_t *e) {
        int32_t n = jsonc_lib.object_is_type(v, json_type_int) ? jsonc_lib.object_get_int(v) : -1;

        if (n < 0 || n > 4095)
                return error_msg(e, "%s: \"%s\" must be an errno number from 0 to 4095", origin, key);
        *ret = (int) n;
        return 0;
}

static int action_of(const char *origin, const char *name, json_object *errno_ret, int default_errno, uint32_t *ret,
                     sandbox_error_t *e) {
        int err = default_errno, r;

        if (errno_ret && (r = errno_of(origin, "errnoRet", errno_ret, &err, e)) < 0)
                return r;
        if (!name)
                return error_msg(e, "%s: a rule has no action", origin);
        if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
                *ret = SCMP_ACT_ALLOW;
        else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
                *ret = SCMP_ACT_ERRNO((uint32_t) err);
        else if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0 ||
                 strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
                *ret = SCMP_ACT_KILL_PROCESS; /* a thread alone is never what a sandbox wants killed */
        else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
                *ret = SCMP_ACT_TRAP;
        else if (strcmp(name, "SCMP_ACT_LOG") == 0)
                *ret = SCMP_ACT_LOG;
        else
                return error_msg(e, "%s: action %s is not supported (no tracer or notifier runs here)", origin, name);
        return 0;
}

/* "SCMP_ARCH_X86_64" (the OCI spec's names) or "amd64" (Go's, in Docker's includes). */
static uint32_t arch_of(const char *name) {
        static const struct {
                const char *go, *scmp;
        } go_names[] = {
                { "amd64", "x86_64" },      { "386", "x86" },       { "arm64", "aarch64" },
                { "mips64le", "mipsel64" }, { "mipsle", "mipsel" },
        };
        char lower[32];
        size_t i;

        if (!name)
                return 0;
        if (strncmp(name, "SCMP_ARCH_", 10) == 0)
                name += 10;
        if (strlen(name) >= sizeof lower)
                return 0;
        for (i = 0; name[i]; i++)
                lower[i] = (char) (name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
        lower[i] = 0;
        for (i = 0; i < ELEMENTSOF(go_names); i++)
                if (strcmp(lower, go_names[i].go) == 0)
                        return seccomp_lib.arch_resolve_name(go_names[i].scmp);
        return seccomp_lib.arch_resolve_name(lower);
}

static bool kernel_at_least(const char *have, const char *want) {
        unsigned hm = 0, hn = 0, wm = 0, wn = 0;
        sscanf(have, "%u.%u", &hm, &hn);
        sscanf(want, "%u.%u", &wm, &wn);
        return hm > wm || (hm == wm && hn >= wn);
}

static uint64_t caps_of(json_object *f) {
        json_object *caps;
        uint64_t bits = 0;

        if (jsonc_lib.object_object_get_ex(f, "caps", &caps))
                for (size_t i = 0; i < array_length(caps); i++) {
                        _cleanup_free_ char *lower = xstrdup(
                                jsonc_lib.object_get_string(jsonc_lib.object_array_get_idx(caps, i)) ?: "");
                        cap_value_t v;
                        for (char *c = lower; *c; c++)
                                *c = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
                        if (cap_from_name(lower, &v) == 0 && v < 64)
                                bits |= UINT64_C(1) << v;
                }
        return bits;
}

/* The parts of includes/excludes known now (arches, minKernel): includes need all of them,
 * excludes drop the rule if any holds. Capabilities are decided at compile time. */
static bool filter_matches(json_object *f, const char *kernel, bool any) {
        json_object *arches;
        const char *min = str_field(f, "minKernel");
        bool all = true, some = false;

        if (jsonc_lib.object_object_get_ex(f, "arches", &arches)) {
                bool found = false;
                for (size_t i = 0; i < array_length(arches); i++)
                        found |= arch_of(jsonc_lib.object_get_string(jsonc_lib.object_array_get_idx(arches, i))) ==
                                 seccomp_lib.arch_native();
                all &= found;
                some |= found;
        }
        if (min) {
                bool ok = kernel_at_least(kernel, min);
                all &= ok;
                some |= ok;
        }
        return any ? some : all;
}

static int add_args(syscall_rule_t *r, const char *origin, json_object *args, sandbox_error_t *e) {
        static const struct {
                const char *name;
                cond_op_t op;
        } ops[] = {
                { "SCMP_CMP_EQ", COND_EQ },
                { "SCMP_CMP_NE", COND_NE },
                { "SCMP_CMP_LT", COND_LT },
                { "SCMP_CMP_LE", COND_LE },
                { "SCMP_CMP_GT", COND_GT },
                { "SCMP_CMP_GE", COND_GE },
                { "SCMP_CMP_MASKED_EQ", COND_MASKED_EQ },
        };
        for (size_t i = 0; i < array_length(args); i++) {
                json_object *a = jsonc_lib.object_array_get_idx(args, i), *idx, *val, *val2;
                const char *op = str_field(a, "op");
                rule_cond_t c = { .mask = UINT64_MAX };
                size_t o;

                for (o = 0; o < ELEMENTSOF(ops) && (!op || strcmp(ops[o].name, op) != 0); o++)
                        ;
                if (o == ELEMENTSOF(ops) || !jsonc_lib.object_object_get_ex(a, "index", &idx) ||
                    !jsonc_lib.object_object_get_ex(a, "value", &val))
                        return error_msg(e, "%s: argument comparison %zu of %s needs index, value and a known op",
                                         origin, i, r->names ? r->names[0] : "a rule");
                c.arg = (unsigned) jsonc_lib.object_get_int(idx);
                if (c.arg > 5)
                        return error_msg(e, "%s: argument index %u is out of range (0 to 5)", origin, c.arg);
                c.op = ops[o].op;
                c.values = xmalloc0(sizeof(uint64_t));
                c.n_values = 1;
                if (c.op == COND_MASKED_EQ) {
                        /* OCI: value is the mask, valueTwo what the masked bits must equal. */
                        c.mask = jsonc_lib.object_get_uint64(val);
                        c.values[0] = jsonc_lib.object_object_get_ex(a, "valueTwo", &val2)
                                              ? jsonc_lib.object_get_uint64(val2)
                                              : 0;
                } else
                        c.values[0] = jsonc_lib.object_get_uint64(val);
                for (size_t j = 0; j < r->n_conds; j++)
                        if (r->conds[j].arg == c.arg) {
                                free(c.values);
                                return error_msg(e,
                                                 "%s: two comparisons of argument %u in one rule are not expressible",
                                                 origin, c.arg);
                        }
                r->conds = xrealloc_array(r->conds, r->n_conds + 1, sizeof(rule_cond_t));
                r->conds[r->n_conds++] = c;
        }
        return 0;
}

static int import_rule(sandbox_plan_t *p, const char *origin, json_object *s, int default_errno, const char *kernel,
                       sandbox_error_t *e) {
        json_object *names, *args, *inc, *exc, *errno_ret = NULL;
        syscall_rule_t r = { .text = origin };
        int k;

        if (str_field(s, "listenerPath") || jsonc_lib.object_object_get_ex(s, "listenerMetadata", &args))
                return error_msg(e, "%s: listenerPath/listenerMetadata (seccomp notify) is not supported", origin);
        if ((k = check_filter(origin, s, "includes", e)) < 0 || (k = check_filter(origin, s, "excludes", e)) < 0 ||
            (k = check_array(origin, s, "args", e)) < 0)
                return k;
        if (jsonc_lib.object_object_get_ex(s, "includes", &inc)) {
                if (!filter_matches(inc, kernel, false))
                        return 0;
                r.need_caps = caps_of(inc);
        }
        if (jsonc_lib.object_object_get_ex(s, "excludes", &exc)) {
                json_object *tmp;
                /* Without arches or minKernel, an excludes of caps alone must not drop the rule now. */
                if ((jsonc_lib.object_object_get_ex(exc, "arches", &tmp) || str_field(exc, "minKernel")) &&
                    filter_matches(exc, kernel, true))
                        return 0;
                r.exclude_caps = caps_of(exc);
        }
        jsonc_lib.object_object_get_ex(s, "errnoRet", &errno_ret);
        if ((k = action_of(origin, str_field(s, "action"), errno_ret, default_errno, &r.action, e)) < 0)
                return k;
        if (!jsonc_lib.object_object_get_ex(s, "names", &names) && !jsonc_lib.object_object_get_ex(s, "name", &names))
                return error_msg(e, "%s: a rule has no names", origin);
        if (names && !jsonc_lib.object_is_type(names, json_type_string) &&
            !jsonc_lib.object_is_type(names, json_type_array))
                return error_msg(e, "%s: \"names\" is neither an array nor a string", origin);
        if (jsonc_lib.object_is_type(names, json_type_string)) {
                r.names = xmalloc0(sizeof(char *));
                r.names[r.n_names++] = xstrdup(jsonc_lib.object_get_string(names));
        } else
                for (size_t i = 0; i < array_length(names); i++) {
                        const char *n = jsonc_lib.object_get_string(jsonc_lib.object_array_get_idx(names, i));
                        /* Profiles list syscalls of every kernel and arch; those unknown here are skipped. */
                        if (!n || seccomp_lib.syscall_resolve_name(n) == __NR_SCMP_ERROR)
                                continue;
                        r.names = xrealloc_array(r.names, r.n_names + 1, sizeof(char *));
                        r.names[r.n_names++] = xstrdup(n);
                }
        if (jsonc_lib.object_object_get_ex(s, "args", &args) && jsonc_lib.object_is_type(args, json_type_array) &&
            (k = add_args(&r, origin, args, e)) < 0) {
                rules_free(&r);
                return k;
        }
        if ((k = rules_apply_32bit(&r, e)) < 0) {
                rules_free(&r);
                return k;
        }
        if (r.n_names == 0) {
                rules_free(&r);
                return 0;
        }
        p->rules = xrealloc_array(p->rules, p->n_rules + 1, sizeof(syscall_rule_t));
        p->rules[p->n_rules++] = r;
        return 0;
}

int oci_seccomp_import(sandbox_plan_t *p, const char *origin, const char *data, size_t size, const char *kernel,
                       sandbox_error_t *e) {
        _cleanup_(json_put) json_object *root = NULL;
        json_object *v, *syscalls, *archmap;
        enum json_tokener_error jerr = json_tokener_success;
        int default_errno = EPERM, r;
        uint32_t native;

        if ((r = libseccomp_open(e)) < 0 || (r = libjsonc_open(e)) < 0)
                return r;
        native = seccomp_lib.arch_native();
        root = jsonc_lib.tokener_parse_verbose(data, &jerr);
        if (!root || !jsonc_lib.object_is_type(root, json_type_object))
                return error_msg(e, "%s: not a JSON seccomp profile (%s)", origin,
                                 root ? "the top level is not an object" : jsonc_lib.tokener_error_desc(jerr));
        (void) size;
        if (jsonc_lib.object_object_get_ex(root, "listenerPath", &v))
                return error_msg(e, "%s: listenerPath (seccomp notify) is not supported", origin);
        if (jsonc_lib.object_object_get_ex(root, "defaultErrnoRet", &v) && v &&
            (r = errno_of(origin, "defaultErrnoRet", v, &default_errno, e)) < 0)
                return r;
        if ((r = action_of(origin, str_field(root, "defaultAction"), NULL, default_errno, &p->syscall_default, e)) < 0)
                return r;
        p->syscall_default_set = true;
        /* The sub-architectures the profile names for ours (Docker's archMap), or its plain list. */
        if ((r = check_array(origin, root, "archMap", e)) < 0)
                return r;
        if (jsonc_lib.object_object_get_ex(root, "archMap", &archmap))
                for (size_t i = 0; i < array_length(archmap); i++) {
                        json_object *m = jsonc_lib.object_array_get_idx(archmap, i), *subs;
                        if ((r = check_array(origin, m, "subArchitectures", e)) < 0)
                                return r;
                        if (arch_of(str_field(m, "architecture")) != native ||
                            !jsonc_lib.object_object_get_ex(m, "subArchitectures", &subs))
                                continue;
                        for (size_t k = 0; k < array_length(subs); k++) {
                                uint32_t a = arch_of(
                                        jsonc_lib.object_get_string(jsonc_lib.object_array_get_idx(subs, k)));
                                if (a && a != native) {
                                        p->arches = xrealloc_array(p->arches, p->n_arches + 1, sizeof(uint32_t));
                                        p->arches[p->n_arches++] = a;
                                }
                        }
                }
        if (!jsonc_lib.object_object_get_ex(root, "syscalls", &syscalls))
                return 0;
        if (!jsonc_lib.object_is_type(syscalls, json_type_array))
                return error_msg(e, "%s: \"syscalls\" is not an array", origin);
        for (size_t i = 0; i < array_length(syscalls); i++) {
                json_object *s = jsonc_lib.object_array_get_idx(syscalls, i);
                if (!jsonc_lib.object_is_type(s, json_type_object))
                        return error_msg(e, "%s: syscalls[%zu] is not an object", origin, i);
                if ((r = import_rule(p, origin, s, default_errno, kernel, e)) < 0)
                        return r;
        }
        return 0;
}
