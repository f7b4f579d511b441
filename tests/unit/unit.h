/* SPDX-License-Identifier: MIT */
/* What the unit tests share: TAP output, and a table of files standing in for the file system
 * that the parsers read through options_io_t. Each test is one program that includes this. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/options.h"
#include "setup/plan.h"
#include "setup/policy.h"
#include "setup/seccomp.h"

static int unit_n_test, unit_n_failed;

/* One TAP line; the detail (usually the error message) is shown only on failure. */
static inline void ok(bool cond, const char *name, const char *detail) {
        unit_n_test++;
        if (!cond)
                unit_n_failed++;
        printf("%sok %d - %s%s%s\n", cond ? "" : "not ", unit_n_test, name, detail && !cond ? ": " : "",
               detail && !cond ? detail : "");
}

/* A call that must fail with a message holding `needle`. */
static inline void ok_error(int r, const sandbox_error_t *e, const char *needle, const char *name) {
        char buf[1024];

        snprintf(buf, sizeof buf, "%s (r=%d, wanted '%s')", e->msg, r, needle);
        ok(r < 0 && strstr(e->msg, needle) != NULL, name, buf);
}

static inline void skip(const char *name, const char *reason) {
        unit_n_test++;
        printf("ok %d - %s # SKIP %s\n", unit_n_test, name, reason);
}

/* Nothing in this file can run here: says why and exits as skipped. The TAP plan "1..0 # SKIP"
 * is what says so: meson's TAP protocol counts any exit status but 0 as an error, 77 too, so
 * this exits 0 as tests/lib/tap.sh does. */
static inline _noreturn_ void skip_all(const char *reason) {
        printf("1..0 # SKIP %s\n", reason);
        exit(EXIT_SUCCESS);
}

static inline int unit_done(void) {
        printf("1..%d\n", unit_n_test);
        return unit_n_failed ? 1 : 0;
}

/* libseccomp makes filters here: not under valgrind, which doesn't know seccomp(2). */
static inline bool unit_can_compile(void) {
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        seccomp_program_t *progs = NULL;
        size_t n = 0;
        int r;

        plan_init(&p);
        p.syscall_default_set = true;
        p.syscall_default = 0x7fff0000U; /* allow */
        r = seccomp_compile(&p, &progs, &n, &e);
        seccomp_programs_free(progs, n);
        plan_free(&p);
        return r == 0;
}

static inline int unit_no_file(const char *path, char **ret, size_t *ret_size) {
        (void) path, (void) ret, (void) ret_size;
        return -ENOENT;
}

/* The built-in default policy compiled, as the launcher compiles it (without its embedded filter). */
static inline int unit_compile_default(seccomp_program_t **ret, size_t *ret_n, sandbox_error_t *e) {
        options_io_t io = { .read_file = unit_no_file, .kernel = "6.1" };
        sandbox_plan_t p;
        int r;

        plan_init(&p);
        r = policy_load(&p, "default", NULL, &io, e);
        if (r == 0)
                r = seccomp_compile(&p, ret, ret_n, e);
        plan_free(&p);
        return r;
}

/* ---- a file system of strings ---- */

typedef struct fake_file {
        const char *path, *text;
} fake_file_t;

static const fake_file_t *unit_files;
static size_t unit_n_files;
/* Every path asked for, in order, separated by blanks: for the search-order tests. */
static char unit_tried[4096];

static inline void fake_files_set(const fake_file_t *files, size_t n) {
        unit_files = files;
        unit_n_files = n;
        unit_tried[0] = 0;
}

static inline int fake_read_file(const char *path, char **ret, size_t *ret_size) {
        size_t len = strlen(unit_tried);

        snprintf(unit_tried + len, sizeof unit_tried - len, "%s%s", len ? " " : "", path);
        for (size_t i = 0; i < unit_n_files; i++) {
                if (strcmp(unit_files[i].path, path) != 0)
                        continue;
                *ret = xstrdup(unit_files[i].text);
                *ret_size = strlen(unit_files[i].text);
                return 0;
        }
        return -ENOENT;
}
