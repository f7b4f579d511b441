/* SPDX-License-Identifier: MIT */
/* Logging, cleanup attributes, the error struct and fd helpers. No policy decisions here. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _noreturn_ __attribute__((noreturn))

/* Where a failure happened; the child sends it to the parent with the error. */
typedef enum {
        STAGE_PARSE,
        STAGE_PREPARE,
        STAGE_USERNS,
        STAGE_MOUNTS,
        STAGE_PROCESS,
        STAGE_EXEC,
        _STAGE_MAX,
} sandbox_stage_t;

/* What went wrong, where and why. Filled by deep helpers, printed only by sandbox.c.
 * Fixed size so that the child can send it to the parent as one datagram. */
typedef struct sandbox_error {
        int stage;
        int err; /* positive errno, or 0 when the message says it all */
        char msg[768];
        char hint[256];
        char bwrap[1024]; /* bubblewrap's own wording, printed instead under the name bwrap */
} sandbox_error_t;

/* Both return -err (or -EINVAL when err is 0) so callers can `return error_...(...)`. */
int error_errno(sandbox_error_t *e, int err, const char *fmt, ...) _printf_(3, 4);
int error_msg(sandbox_error_t *e, const char *fmt, ...) _printf_(2, 3);
void error_hint(sandbox_error_t *e, const char *fmt, ...) _printf_(2, 3);
/* Where scripts match on bubblewrap's wording, the message it prints for this failure; call it
 * after error_msg()/error_errno(), which clear it. Used as is, without our hint, as `bwrap`. */
void error_bwrap(sandbox_error_t *e, const char *fmt, ...) _printf_(2, 3);
/* Prefixes the message: "OPTION ARGS: " + old message. */
void error_prefix(sandbox_error_t *e, const char *fmt, ...) _printf_(2, 3);

/* Diagnostics go to stderr as "NAME: message", with a syslog level prefix under --level-prefix. */
extern const char *log_program;
extern bool log_level_prefix;
void log_error(const char *fmt, ...) _printf_(1, 2);
void log_warning(const char *fmt, ...) _printf_(1, 2);
void log_sandbox_error(const sandbox_error_t *e);

static inline void freep(void *p) {
        free(*(void **) p);
}
static inline void closep(int *fd) {
        /* Never retried: Linux releases the fd even when close() reports EINTR. */
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                *fd = -1;
                errno = saved;
        }
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Grows a malloc'd array by one element. */
#define APPEND(array, n, value) \
        do { \
                (array) = xrealloc_array((array), (n) + 1, sizeof(*(array))); \
                (array)[(n)++] = (value); \
        } while (0)

#define TAKE_FD(fd) \
        ({ \
                int _fd = (fd); \
                (fd) = -1; \
                _fd; \
        })
#define TAKE_PTR(p) \
        ({ \
                __typeof__(p) _p = (p); \
                (p) = NULL; \
                _p; \
        })

void *xmalloc0(size_t n);
void *xrealloc_array(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);
/* A + B + C in a new string: what the child joins, without printf (see format_long()). */
char *xconcat3(const char *a, const char *b, const char *c);

/* Number parsing that rejects junk, signs and overflow. */
int parse_uint64(const char *s, int base, unsigned long long *ret);
int parse_fd(const char *s, int *ret);
/* V in decimal into BUF, NUL-terminated; returns BUF. No printf: in the child, which shares our
 * memory, one number would fault printf's code in (and add its pages to our peak RSS). */
char *format_long(char buf[static 21], long v);
/* V's DIGITS lowest hex digits, lower case, into DST (no NUL). */
void format_hex(char *dst, unsigned long v, int digits);
/* One size syntax for every option (sandbox(1), SIZES): bytes, or a number with an optional
 * fraction and K, M, G or T (powers of 1024, either case, optionally followed by iB), rounded
 * down to a whole byte: "512", "64k", "1.5G", "2MiB". No sign, no blanks; KB, MB, ... are
 * refused as ambiguous (powers of 1000 to some). -EINVAL for anything else, -ERANGE above
 * 2^64 - 1. */
int parse_size(const char *s, unsigned long long *ret);
/* A duration as GNU timeout(1) writes it: a number with an optional fraction and s, m, h or d
 * (seconds when none): "90", "1.5", "2m", "0.5h", "1d". As nanoseconds, rounded up. -EINVAL for
 * anything else (a sign, an exponent, blanks), -ERANGE above 2^64 - 1 ns. */
int parse_duration_ns(const char *s, unsigned long long *ret_ns);

ssize_t read_full(int fd, void *buf, size_t n);
int write_full(int fd, const void *buf, size_t n);
/* Reads all of fd into a malloc'd buffer (NUL-terminated for convenience). */
int read_all(int fd, size_t max, char **ret, size_t *ret_size);
int write_file_at(int dirfd, const char *path, const char *data);
int fd_is_open(int fd);
/* read_all() with the signature options_parse() wants for --args. */
int read_all_fd(int fd, char **ret, size_t *ret_size);
/* A whole file (up to 1 MiB): policy files, /proc and cgroup files; path relative to dirfd. */
int read_file_at(int dirfd, const char *path, char **ret, size_t *ret_size);
int read_file_path(const char *path, char **ret, size_t *ret_size);
/* Levenshtein distance, for "did you mean" (99 when b is too long to bother). */
unsigned edit_distance(const char *a, const char *b);
/* "Did you mean": fed the candidates one at a time, it keeps the closest within two edits. Every
 * suggestion (options, directives, capabilities, policy names) goes through it. */
typedef struct suggestion {
        const char *best; /* NULL: nothing close */
        unsigned distance;
} suggestion_t;
#define SUGGESTION_INIT ((suggestion_t){ .best = NULL, .distance = 3 })
void suggestion_consider(suggestion_t *s, const char *word, const char *candidate);

/* Loads an optional library on first use: each of the n symbols is stored as a function
 * pointer at its offset inside `table`. *handle stays open until exit. */
typedef struct dl_symbol {
        const char *name;
        size_t offset;
} dl_symbol_t;
int dl_load(void **handle, const char *soname, const dl_symbol_t *syms, size_t n, void *table, const char *why,
            const char *package, sandbox_error_t *e);
