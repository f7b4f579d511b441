/* SPDX-License-Identifier: MIT */
#include "oci-seccomp.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "libcap.h"
#include "libjsonc.h"
#include "libseccomp.h"
#include "rules.h"

/* One import: where its messages point, and what it noted on the way. */
typedef struct importer {
        sandbox_plan_t *plan;
        const char *origin; /* the profile's path, first in every message */
        const char *kernel; /* "major.minor..." of the running kernel */
        sandbox_error_t *e;
        char *unknown; /* syscall names neither libseccomp nor our table knows, for the note */
        size_t n_unknown;
} importer_t;

static void json_put(json_object **o) {
        if (*o)
                jsonc_lib.object_put(*o);
        *o = NULL;
}

static void tokener_free(json_tokener **t) {
        if (*t)
                jsonc_lib.tokener_free(*t);
}

/* "PROFILE: FIELD: what is wrong". */
static int fail(const importer_t *im, const char *field, const char *fmt, ...) _printf_(3, 4);
static int fail(const importer_t *im, const char *field, const char *fmt, ...) {
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        return error_msg(im->e, "%s: %s: %s", im->origin, field, msg);
}

static const char *type_name(json_object *v) {
        static const char *const names[] = { [json_type_null] = "null",
                                             [json_type_boolean] = "a boolean",
                                             [json_type_double] = "a number with a fraction or exponent",
                                             [json_type_int] = "a number",
                                             [json_type_object] = "an object",
                                             [json_type_array] = "an array",
                                             [json_type_string] = "a string" };
        for (size_t t = 0; t < ELEMENTSOF(names); t++)
                if (jsonc_lib.object_is_type(v, (enum json_type) t))
                        return names[t];
        return "something else";
}

/* A member; null counts as absent, as Go reads it into a slice, a pointer or an empty string. */
static json_object *member(json_object *o, const char *key) {
        json_object *v = NULL;
        return jsonc_lib.object_object_get_ex(o, key, &v) && !jsonc_lib.object_is_type(v, json_type_null) ? v : NULL;
}

static int get_string(const importer_t *im, const char *field, json_object *v, const char **ret) {
        if (!jsonc_lib.object_is_type(v, json_type_string))
                return fail(im, field, "must be a string, not %s", type_name(v));
        *ret = jsonc_lib.object_get_string(v);
        /* "read\u0000x" would read as "read" here, and as no syscall at all in the engines. */
        if ((size_t) jsonc_lib.object_get_string_len(v) != strlen(*ret))
                return fail(im, field, "holds a NUL character");
        return 0;
}

/* A whole number from 0 to 2^64-1, as Go's uint64: not a string, a fraction or a negative one,
 * which json-c would otherwise turn into some number. */
static int get_u64(const importer_t *im, const char *field, json_object *v, uint64_t *ret) {
        if (!v)
                return fail(im, field, "is missing");
        if (!jsonc_lib.object_is_type(v, json_type_int) || jsonc_lib.object_get_int64(v) < 0)
                return fail(im, field, "must be a whole number from 0 to 18446744073709551615, not %s",
                            jsonc_lib.object_is_type(v, json_type_int) ? "a negative one" : type_name(v));
        *ret = jsonc_lib.object_get_uint64(v);
        return 0;
}

/* An array (null is an empty one, as Go writes a nil slice); its length. */
static int get_array(const importer_t *im, const char *field, json_object *v, size_t *ret_n) {
        *ret_n = 0;
        if (!v)
                return 0;
        if (!jsonc_lib.object_is_type(v, json_type_array))
                return fail(im, field, "must be an array, not %s", type_name(v));
        *ret_n = jsonc_lib.object_array_length(v);
        return 0;
}

static int get_object(const importer_t *im, const char *field, json_object *v) {
        if (v && !jsonc_lib.object_is_type(v, json_type_object))
                return fail(im, field, "must be an object, not %s", type_name(v));
        return 0;
}

/* The strings of an array member (null elements read as ""). */
static int string_at(const importer_t *im, const char *field, json_object *a, size_t i, const char **ret) {
        json_object *v = jsonc_lib.object_array_get_idx(a, i);
        char where[160];

        if (!v || jsonc_lib.object_is_type(v, json_type_null)) {
                *ret = "";
                return 0;
        }
        snprintf(where, sizeof where, "%s[%zu]", field, i);
        return get_string(im, where, v, ret);
}

/* An integer literal beyond what 64 bits hold: json-c clamps it without a word, Go refuses it. */
static int check_numbers(const importer_t *im, const char *data, size_t size) {
        bool in_string = false;
        unsigned line = 1;

        for (size_t i = 0; i < size; i++) {
                size_t start = i, end;
                bool whole = true;

                line += data[i] == '\n';
                if (in_string) {
                        if (data[i] == '\\')
                                i++;
                        else if (data[i] == '"')
                                in_string = false;
                        continue;
                }
                in_string = data[i] == '"';
                if (data[i] != '-' && (data[i] < '0' || data[i] > '9'))
                        continue;
                for (end = i + 1; end < size && strchr("0123456789.eE+-", data[end]); end++)
                        whole &= !strchr(".eE", data[end]);
                i = end - 1;
                if (whole) {
                        const char *limit = data[start] == '-' ? "9223372036854775808" : "18446744073709551615";
                        size_t digits = end - start - (data[start] == '-'), n = strlen(limit);
                        if (digits > n || (digits == n && strncmp(data + end - digits, limit, n) > 0))
                                return error_msg(im->e, "%s: line %u: the number %.*s doesn't fit in 64 bits",
                                                 im->origin, line, (int) (end - start), data + start);
                }
        }
        return 0;
}

/* ---- actions ---- */

/* errnoRet, defaultErrnoRet: what the call returns as its errno. */
static int errno_of(const importer_t *im, const char *field, json_object *v, int *ret) {
        uint64_t n;
        int r;

        if ((r = get_u64(im, field, v, &n)) < 0)
                return r;
        if (n > 4095)
                return fail(im, field, "%" PRIu64 " is no errno seccomp can return (0 to 4095)", n);
        *ret = (int) n;
        return 0;
}

/* ACTION_FIELD's action; ERRNO_FIELD, if present, is the errno of SCMP_ACT_ERRNO, else EPERM (as the
 * runtime spec says: defaultErrnoRet applies to the default action only). */
static int action_of(const importer_t *im, json_object *o, const char *action_field, const char *errno_field,
                     const char *where, uint32_t *ret) {
        json_object *v = member(o, action_field), *errno_ret = member(o, errno_field);
        char field[160];
        const char *name;
        int err = EPERM, r;

        snprintf(field, sizeof field, "%s%s", where, errno_field);
        if (errno_ret && (r = errno_of(im, field, errno_ret, &err)) < 0)
                return r;
        snprintf(field, sizeof field, "%s%s", where, action_field);
        if (!v)
                return fail(im, field, "is missing");
        if ((r = get_string(im, field, v, &name)) < 0)
                return r;
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
        else if (strcmp(name, "SCMP_ACT_TRACE") == 0 || strcmp(name, "SCMP_ACT_NOTIFY") == 0) {
                r = fail(im, field, "%s is not supported: %s", name,
                         name[9] == 'T' ? "no tracer runs under sandbox to answer it (the call would fail with ENOSYS)"
                                        : "no seccomp agent listens for the sandbox's notifications");
                error_hint(im->e, "make it SCMP_ACT_ERRNO (refused) or SCMP_ACT_LOG (allowed and logged)");
                return r;
        } else
                return fail(im, field,
                            "unknown action \"%s\" (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, "
                            "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP or SCMP_ACT_LOG)",
                            name);
        return 0;
}

/* ---- architectures ---- */

/* "SCMP_ARCH_X86_64" (the OCI spec's names), "x86_64" (libseccomp's) or "amd64" (Go's, in
 * Docker's includes); 0 if unknown. */
static uint32_t arch_of(const char *name) {
        static const struct {
                const char *go, *scmp;
        } go_names[] = {
                { "amd64", "x86_64" },      { "386", "x86" },       { "arm64", "aarch64" },
                { "mips64le", "mipsel64" }, { "mipsle", "mipsel" },
        };
        char lower[32];
        size_t i;

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
        return strcmp(lower, "native") == 0 ? seccomp_lib.arch_native() : seccomp_lib.arch_resolve_name(lower);
}

/* The ABIs a kernel of the native architecture runs besides its own: those a profile names that
 * no process here can use are left out (they make no syscalls on this machine). */
static bool runs_here(uint32_t arch) {
        static const struct {
                uint32_t native, others[2];
        } compat[] = {
                { SCMP_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
                { SCMP_ARCH_AARCH64, { SCMP_ARCH_ARM } },
                { SCMP_ARCH_S390X, { SCMP_ARCH_S390 } },
                { SCMP_ARCH_PPC64, { SCMP_ARCH_PPC } },
                { SCMP_ARCH_MIPS64, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32 } },
                { SCMP_ARCH_MIPS64N32, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64 } },
                { SCMP_ARCH_MIPSEL64, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32 } },
                { SCMP_ARCH_MIPSEL64N32, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64 } },
        };
        for (size_t i = 0; i < ELEMENTSOF(compat); i++)
                if (compat[i].native == seccomp_lib.arch_native())
                        return arch && (arch == compat[i].others[0] || arch == compat[i].others[1]);
        return false;
}

static int add_arch(importer_t *im, const char *field, json_object *list, size_t i) {
        sandbox_plan_t *p = im->plan;
        const char *name;
        char where[160];
        uint32_t arch;
        int r;

        snprintf(where, sizeof where, "%s[%zu]", field, i);
        if ((r = string_at(im, field, list, i, &name)) < 0)
                return r;
        if (!(arch = arch_of(name)))
                return fail(im, where, "unknown architecture \"%s\" (such as SCMP_ARCH_X86_64)", name);
        if (!runs_here(arch))
                return 0;
        for (size_t k = 0; k < p->n_arches; k++)
                if (p->arches[k] == arch)
                        return 0;
        APPEND(p->arches, p->n_arches, arch);
        return 0;
}

/* "architectures" (the runtime spec's), or Docker's "archMap": the sub-architectures listed for
 * the native one. Not both, as Docker and Podman refuse. */
static int import_arches(importer_t *im, json_object *root) {
        json_object *list = member(root, "architectures"), *map = member(root, "archMap");
        size_t n_list, n_map, n;
        int r;

        if ((r = get_array(im, "architectures", list, &n_list)) < 0 || (r = get_array(im, "archMap", map, &n_map)) < 0)
                return r;
        if (n_list && n_map)
                return fail(im, "archMap", "a profile gives either \"architectures\" or \"archMap\", not both");
        for (size_t i = 0; i < n_list; i++)
                if ((r = add_arch(im, "architectures", list, i)) < 0)
                        return r;
        for (size_t i = 0; i < n_map; i++) {
                json_object *m = jsonc_lib.object_array_get_idx(map, i), *subs;
                char field[160];
                const char *name = "";

                snprintf(field, sizeof field, "archMap[%zu]", i);
                if ((r = get_object(im, field, m)) < 0 || !m)
                        return r;
                snprintf(field, sizeof field, "archMap[%zu].architecture", i);
                if (member(m, "architecture") && (r = get_string(im, field, member(m, "architecture"), &name)) < 0)
                        return r;
                snprintf(field, sizeof field, "archMap[%zu].subArchitectures", i);
                if ((r = get_array(im, field, subs = member(m, "subArchitectures"), &n)) < 0)
                        return r;
                for (size_t k = 0; k < n && arch_of(name) == seccomp_lib.arch_native(); k++)
                        if ((r = add_arch(im, field, subs, k)) < 0)
                                return r;
        }
        return 0;
}

/* ---- includes and excludes ---- */

/* "MAJOR.MINOR" as Docker reads it (each 0 to 255, not both 0), or with LENIENT the start of
 * the running kernel's release ("6.1.0-13-amd64"); 0 if it isn't one. */
static unsigned parse_kernel(const char *s, bool lenient) {
        unsigned v[2] = { 0, 0 };

        for (size_t k = 0; k < 2; k++) {
                size_t digits = 0;
                for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
                        v[k] = v[k] * 10 + (unsigned) (*s - '0');
                if (!digits || v[k] > 255 || (k == 0 && *s++ != '.'))
                        return 0;
        }
        if (!lenient && (*s || !(v[0] || v[1])))
                return 0;
        return v[0] << 8 | v[1];
}

/* includes or excludes: *ret_holds whether its arches and minKernel hold here (all of them, or
 * any for excludes); *ret_caps its capabilities, *ret_unknown_cap when one isn't a capability
 * this system can name (so the sandbox can never keep it). */
static int import_filter(importer_t *im, json_object *f, const char *field, bool any, bool *ret_holds,
                         uint64_t *ret_caps, bool *ret_unknown_cap) {
        json_object *arches = member(f, "arches"), *caps = member(f, "caps"), *min = member(f, "minKernel");
        bool all = true, some = false, found = false;
        char where[160];
        size_t n;
        int r;

        *ret_caps = 0;
        *ret_unknown_cap = false;
        snprintf(where, sizeof where, "%s.arches", field);
        if ((r = get_array(im, where, arches, &n)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const char *name;
                if ((r = string_at(im, where, arches, i, &name)) < 0)
                        return r;
                found |= arch_of(name) == seccomp_lib.arch_native();
        }
        if (n) {
                all &= found;
                some |= found;
        }
        snprintf(where, sizeof where, "%s.minKernel", field);
        if (min) {
                const char *want;
                if ((r = get_string(im, where, min, &want)) < 0)
                        return r;
                if (*want && !parse_kernel(want, false))
                        return fail(im, where, "\"%s\" is not a kernel version MAJOR.MINOR, such as \"4.8\"", want);
                if (*want) {
                        bool ok = parse_kernel(im->kernel, true) >= parse_kernel(want, false);
                        all &= ok;
                        some |= ok;
                }
        }
        snprintf(where, sizeof where, "%s.caps", field);
        if ((r = get_array(im, where, caps, &n)) < 0)
                return r;
        if (n > 0 && (r = libcap_open(im->e)) < 0) {
                error_prefix(im->e, "%s: %s", im->origin, where);
                return r;
        }
        for (size_t i = 0; i < n; i++) {
                const char *name;
                cap_value_t v;
                if ((r = string_at(im, where, caps, i, &name)) < 0)
                        return r;
                _cleanup_free_ char *lower = xstrdup(name);
                for (char *c = lower; *c; c++)
                        *c = (char) (*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
                /* By name only, as the engines compare them: libcap would read "21" as a number. */
                if (strncmp(lower, "cap_", 4) == 0 && cap_lib.from_name(lower, &v) == 0 && v >= 0 && v < 64)
                        *ret_caps |= UINT64_C(1) << v;
                else if (!any) {
                        *ret_unknown_cap = true;
                        APPEND(im->plan->warnings, im->plan->n_warnings,
                               xasprintf("%s: %s[%zu]: \"%s\" is no capability this system knows, so the sandbox "
                                         "never keeps it: the rule never applies",
                                         im->origin, where, i, name));
                }
        }
        *ret_holds = any ? some : all;
        return 0;
}

/* Whether the rule applies here; the capabilities it needs or excludes go to the rule, decided
 * when compiling (the options may add capabilities after the import). A capability no one can
 * name here is one the sandbox never keeps: a rule that needs it never applies (as in Docker and
 * Podman, which compare names), and one that excludes it is not excluded by it. */
static int import_filters(importer_t *im, json_object *s, const char *field, syscall_rule_t *r, bool *ret_applies) {
        json_object *inc = member(s, "includes"), *exc = member(s, "excludes");
        bool holds = true, unknown_cap = false;
        char where[160];
        int k;

        *ret_applies = true;
        snprintf(where, sizeof where, "%s.includes", field);
        if ((k = get_object(im, where, inc)) < 0)
                return k;
        if (inc && (k = import_filter(im, inc, where, false, &holds, &r->need_caps, &unknown_cap)) < 0)
                return k;
        if (!holds || unknown_cap)
                *ret_applies = false;
        snprintf(where, sizeof where, "%s.excludes", field);
        if ((k = get_object(im, where, exc)) < 0)
                return k;
        holds = false;
        if (exc && (k = import_filter(im, exc, where, true, &holds, &r->exclude_caps, &unknown_cap)) < 0)
                return k;
        if (holds)
                *ret_applies = false;
        return 0;
}

/* ---- rules ---- */

static void add_name(importer_t *im, syscall_rule_t *r, const char *name) {
        if (rules_syscall_number(SCMP_ARCH_NATIVE, name) == __NR_SCMP_ERROR) {
                /* Profiles list the syscalls of every kernel and architecture: the engines skip
                 * those unknown to them, and so does this, saying which. */
                char *more = xasprintf("%s%s\"%s\"", im->unknown ? im->unknown : "", im->unknown ? ", " : "", name);
                free(im->unknown);
                im->unknown = more;
                im->n_unknown++;
                return;
        }
        r->names = xrealloc_array(r->names, r->n_names + 1, sizeof(char *));
        r->names[r->n_names++] = xstrdup(name);
}

/* "name" (older profiles) or "names", not both (as Docker and Podman refuse). */
static int import_names(importer_t *im, json_object *s, const char *field, syscall_rule_t *r) {
        json_object *name = member(s, "name"), *names = member(s, "names");
        const char *one = "";
        char where[160];
        size_t n;
        int k;

        snprintf(where, sizeof where, "%s.name", field);
        if (name && (k = get_string(im, where, name, &one)) < 0)
                return k;
        snprintf(where, sizeof where, "%s.names", field);
        if ((k = get_array(im, where, names, &n)) < 0)
                return k;
        if (*one && n)
                return fail(im, field, "a rule gives either \"name\" or \"names\", not both");
        if (*one)
                add_name(im, r, one);
        for (size_t i = 0; i < n; i++) {
                const char *s_name;
                if ((k = string_at(im, where, names, i, &s_name)) < 0)
                        return k;
                add_name(im, r, s_name);
        }
        return 0;
}

static int import_arg(importer_t *im, json_object *a, const char *field, rule_cond_t *c) {
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
        uint64_t index, value, value2 = 0;
        const char *op = "";
        char where[224];
        size_t o;
        int k;

        if ((k = get_object(im, field, a)) < 0)
                return k;
        if (!a)
                return fail(im, field, "must be an object, not null");
        snprintf(where, sizeof where, "%s.index", field);
        if ((k = get_u64(im, where, member(a, "index"), &index)) < 0)
                return k;
        if (index > 5)
                return fail(im, where, "%" PRIu64 " is out of range (0 to 5)", index);
        snprintf(where, sizeof where, "%s.value", field);
        if ((k = get_u64(im, where, member(a, "value"), &value)) < 0)
                return k;
        snprintf(where, sizeof where, "%s.valueTwo", field);
        if (member(a, "valueTwo") && (k = get_u64(im, where, member(a, "valueTwo"), &value2)) < 0)
                return k;
        snprintf(where, sizeof where, "%s.op", field);
        if (!member(a, "op"))
                return fail(im, where, "is missing");
        if ((k = get_string(im, where, member(a, "op"), &op)) < 0)
                return k;
        for (o = 0; o < ELEMENTSOF(ops) && strcmp(ops[o].name, op) != 0; o++)
                ;
        if (o == ELEMENTSOF(ops))
                return fail(im, where, "unknown operator \"%s\" (SCMP_CMP_EQ, _NE, _LT, _LE, _GT, _GE or _MASKED_EQ)",
                            op);
        /* For SCMP_CMP_MASKED_EQ the spec's value is the mask, valueTwo what the masked bits equal. */
        *c = (rule_cond_t){ .arg = (unsigned) index, .op = ops[o].op, .mask = UINT64_MAX, .n_values = 1 };
        c->values = xmalloc0(sizeof(uint64_t));
        if (c->op == COND_MASKED_EQ) {
                c->mask = value;
                c->values[0] = value2;
        } else
                c->values[0] = value;
        return 0;
}

/* The comparisons, joined by AND. Several on one argument can't be: runc then makes a rule of
 * each (OR), which refuses more than the profile's AND for a rule that refuses, and allows more
 * for one that allows; so the first is done, the second refused. */
static int import_args(importer_t *im, json_object *s, const char *field, syscall_rule_t *r, bool *ret_or) {
        json_object *args = member(s, "args");
        char where[160];
        size_t n;
        int k;

        *ret_or = false;
        snprintf(where, sizeof where, "%s.args", field);
        if ((k = get_array(im, where, args, &n)) < 0)
                return k;
        for (size_t i = 0; i < n; i++) {
                rule_cond_t c;
                snprintf(where, sizeof where, "%s.args[%zu]", field, i);
                if ((k = import_arg(im, jsonc_lib.object_array_get_idx(args, i), where, &c)) < 0)
                        return k;
                r->conds = xrealloc_array(r->conds, r->n_conds + 1, sizeof(rule_cond_t));
                r->conds[r->n_conds++] = c;
                for (size_t j = 0; j + 1 < r->n_conds; j++)
                        *ret_or |= r->conds[j].arg == c.arg;
        }
        if (*ret_or && (r->action == SCMP_ACT_ALLOW || r->action == SCMP_ACT_LOG))
                return fail(im, where,
                            "compares an argument twice, which seccomp can't in one rule; runc would make each "
                            "comparison a rule of its own, allowing what either one matches, and that is refused "
                            "here");
        return 0;
}

static char *keep(sandbox_plan_t *p, char *s) {
        APPEND(p->owned, p->n_owned, s);
        return s;
}

/* Appends R (taking it), or one rule per comparison when OR. */
static void add_rules(sandbox_plan_t *p, syscall_rule_t *r, bool or) {
        if (! or) {
                APPEND(p->rules, p->n_rules, *r);
                return;
        }
        for (size_t j = 0; j < r->n_conds; j++) {
                syscall_rule_t one = *r;
                one.names = xrealloc_array(NULL, r->n_names + 1, sizeof(char *));
                for (size_t k = 0; k < r->n_names; k++)
                        one.names[k] = xstrdup(r->names[k]);
                one.conds = xmalloc0(sizeof(rule_cond_t));
                one.conds[0] = r->conds[j];
                one.n_conds = 1;
                r->conds[j].values = NULL;
                APPEND(p->rules, p->n_rules, one);
        }
        rules_free(r);
}

/* Rules that don't apply here (arches, minKernel, a capability no one has) are left before the
 * rest is read: the engines never see them either. */
static int import_rule(importer_t *im, json_object *s, size_t i) {
        syscall_rule_t r = { 0 };
        char field[64], prefix[72];
        bool applies, or = false;
        int k;

        snprintf(field, sizeof field, "syscalls[%zu]", i);
        snprintf(prefix, sizeof prefix, "%s.", field);
        if ((k = get_object(im, field, s)) < 0)
                return k;
        if (!s)
                return fail(im, field, "must be an object, not null");
        if ((k = import_filters(im, s, field, &r, &applies)) < 0 || !applies ||
            (k = import_names(im, s, field, &r)) < 0 ||
            (k = action_of(im, s, "action", "errnoRet", prefix, &r.action)) < 0 ||
            (k = import_args(im, s, field, &r, & or)) < 0 || r.n_names == 0) {
                rules_free(&r);
                return k;
        }
        r.origin = r.text = keep(im->plan, xasprintf("%s: %s", im->origin, field));
        add_rules(im->plan, &r, or);
        return 0;
}

/* ---- the profile ---- */

static int import_default(importer_t *im, json_object *root) {
        json_object *flags = member(root, "flags"), *listener = member(root, "listenerPath");
        const char *path = "";
        size_t n;
        int r;

        if (listener && (r = get_string(im, "listenerPath", listener, &path)) < 0)
                return r;
        if (*path) {
                r = fail(im, "listenerPath", "seccomp notifications are not supported: no agent is handed them here");
                error_hint(im->e, "leave out listenerPath and the SCMP_ACT_NOTIFY rules");
                return r;
        }
        /* Not applied, and harmless so: TSYNC (one thread installs the filter), LOG (logging),
         * SPEC_ALLOW (keeps the Spectre mitigation the flag would turn off: stricter). */
        if ((r = get_array(im, "flags", flags, &n)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                static const char *const known[] = { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                                     "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                                     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" };
                const char *flag;
                char where[64];
                size_t k;
                if ((r = string_at(im, "flags", flags, i, &flag)) < 0)
                        return r;
                for (k = 0; k < ELEMENTSOF(known) && strcmp(known[k], flag) != 0; k++)
                        ;
                snprintf(where, sizeof where, "flags[%zu]", i);
                if (k == ELEMENTSOF(known))
                        return fail(im, where, "unknown flag \"%s\"", flag);
        }
        if ((r = action_of(im, root, "defaultAction", "defaultErrnoRet", "", &im->plan->syscall_default)) < 0)
                return r;
        im->plan->syscall_default_set = true;
        return 0;
}

static int parse(const importer_t *im, const char *data, size_t size, json_object **ret) {
        _cleanup_(tokener_free) json_tokener *t = NULL;
        enum json_tokener_error err;
        unsigned line = 1;
        int r;

        if (memchr(data, 0, size))
                return error_msg(im->e, "%s: not a JSON seccomp profile (it holds a NUL byte)", im->origin);
        if (size > INT_MAX)
                return error_msg(im->e, "%s: not a JSON seccomp profile (it is larger than 2 GiB)", im->origin);
        if ((r = check_numbers(im, data, size)) < 0)
                return r;
        if (!(t = jsonc_lib.tokener_new()))
                return error_msg(im->e, "%s: out of memory", im->origin);
        /* Strict: what Go reads, no comments, trailing commas or text after the object. */
        jsonc_lib.tokener_set_flags(t, JSON_TOKENER_STRICT);
        *ret = jsonc_lib.tokener_parse_ex(t, data, (int) size);
        err = jsonc_lib.tokener_get_error(t);
        if (err == json_tokener_continue)
                err = json_tokener_error_parse_eof;
        if (*ret && err == json_tokener_success && jsonc_lib.object_is_type(*ret, json_type_object))
                return 0;
        json_put(ret);
        for (size_t i = 0; i < (size_t) t->char_offset && i < size; i++)
                line += data[i] == '\n';
        if (err == json_tokener_success)
                return error_msg(im->e, "%s: not a JSON seccomp profile (the top level is not an object)", im->origin);
        return error_msg(im->e, "%s: not a JSON seccomp profile (line %u: %s)", im->origin, line,
                         jsonc_lib.tokener_error_desc(err));
}

int oci_seccomp_import(sandbox_plan_t *p, const char *origin, const char *data, size_t size, const char *kernel,
                       sandbox_error_t *e) {
        _cleanup_(json_put) json_object *root = NULL;
        importer_t im = { .plan = p, .origin = origin, .kernel = kernel ? kernel : "0.0", .e = e };
        json_object *syscalls;
        size_t n;
        int r;

        if ((r = libseccomp_open(e)) < 0 || (r = libjsonc_open(e)) < 0 || (r = parse(&im, data, size, &root)) < 0)
                return r;
        if ((r = import_default(&im, root)) < 0 || (r = import_arches(&im, root)) < 0)
                return r;
        syscalls = member(root, "syscalls");
        if ((r = get_array(&im, "syscalls", syscalls, &n)) < 0)
                return r;
        for (size_t i = 0; i < n && r == 0; i++)
                r = import_rule(&im, jsonc_lib.object_array_get_idx(syscalls, i), i);
        if (r == 0 && im.n_unknown)
                APPEND(p->warnings, p->n_warnings,
                       xasprintf("%s: skipped %zu syscall name%s that libseccomp and this build don't know, as "
                                 "container engines do: %s",
                                 origin, im.n_unknown, im.n_unknown == 1 ? "" : "s", im.unknown));
        free(im.unknown);
        return r;
}
