/* SPDX-License-Identifier: MIT */
#include "seccomp-embedded.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "rules.h"

/* Defined in the generated default-filter.c that only the sandbox binary links; the library's
 * other users (tests, fuzzers, the generator itself) compile the default policy as any other. */
extern const seccomp_embedded_t seccomp_embedded_default __attribute__((weak));

uint64_t seccomp_embedded_hash(const char *text, size_t len) {
        uint64_t h = 0xcbf29ce484222325ULL;

        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char) text[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

static const seccomp_embedded_t *embedded(void) {
        const seccomp_embedded_t *d = &seccomp_embedded_default;

        if (!d || !d->len || !d->filter || !bpf_native_arch() || d->arch != bpf_native_arch())
                return NULL;
        return d;
}

bool seccomp_embedded_matches(const char *text) {
        const seccomp_embedded_t *d = embedded();
        size_t len = strlen(text);

        return d && d->text_len == len && d->text_hash == seccomp_embedded_hash(text, len);
}

void seccomp_defer_rule(sandbox_plan_t *p, const char *text, const char *where) {
        size_t n = p->n_deferred_rules;

        p->deferred_rules = xrealloc_array(p->deferred_rules, n + 1, sizeof *p->deferred_rules);
        p->deferred_where = xrealloc_array(p->deferred_where, n + 1, sizeof *p->deferred_where);
        p->deferred_rules[n] = text;
        p->deferred_where[n] = where;
        p->n_deferred_rules = n + 1;
}

/* Nothing in the plan besides the default policy's rules shapes the filter. */
static bool embedded_serves(const sandbox_plan_t *p) {
        return p->action == ACTION_RUN && !p->n_rules && !p->syscall_default_set && !p->n_arches && !p->learn_file &&
               !p->export_bpf && embedded();
}

int seccomp_deferred_rule(const sandbox_plan_t *p, size_t i, syscall_rule_t *ret, sandbox_error_t *e) {
        int r = rules_parse(p->deferred_rules[i], ret, e);

        if (r < 0) {
                error_prefix(e, "%s", p->deferred_where[i] ? p->deferred_where[i] : "default");
                return r;
        }
        ret->where = p->deferred_where[i];
        return 0;
}

int seccomp_settle_default(sandbox_plan_t *p, sandbox_error_t *e) {
        int r;

        if (!p->n_deferred_rules)
                return 0;
        if (embedded_serves(p)) {
                p->default_embedded = true;
                return 0;
        }
        for (size_t i = 0; i < p->n_deferred_rules; i++) {
                syscall_rule_t rule;

                if ((r = seccomp_deferred_rule(p, i, &rule, e)) < 0)
                        return r;
                APPEND(p->rules, p->n_rules, rule);
        }
        p->n_deferred_rules = 0;
        return 0;
}

void seccomp_embedded_program(seccomp_program_t *ret) {
        const seccomp_embedded_t *d = embedded();

        ret->prog.len = d->len;
        ret->prog.filter = xrealloc_array(NULL, d->len, sizeof *d->filter);
        memcpy(ret->prog.filter, d->filter, d->len * sizeof *d->filter);
}
