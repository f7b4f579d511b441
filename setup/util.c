/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

const char *log_program = "sandbox";
bool log_level_prefix = false;

_printf_(3, 0) static void vformat(char *buf, size_t size, const char *fmt, va_list ap) {
        vsnprintf(buf, size, fmt, ap);
}

int error_errno(sandbox_error_t *e, int err, const char *fmt, ...) {
        va_list ap;

        err = abs(err);
        if (e) {
                e->err = err;
                e->bwrap[0] = 0;
                va_start(ap, fmt);
                vformat(e->msg, sizeof e->msg, fmt, ap);
                va_end(ap);
        }
        return err ? -err : -EINVAL;
}

int error_msg(sandbox_error_t *e, const char *fmt, ...) {
        va_list ap;

        if (e) {
                e->err = 0;
                e->bwrap[0] = 0;
                va_start(ap, fmt);
                vformat(e->msg, sizeof e->msg, fmt, ap);
                va_end(ap);
        }
        return -EINVAL;
}

void error_hint(sandbox_error_t *e, const char *fmt, ...) {
        va_list ap;

        if (!e)
                return;
        va_start(ap, fmt);
        vformat(e->hint, sizeof e->hint, fmt, ap);
        va_end(ap);
}

void error_bwrap(sandbox_error_t *e, const char *fmt, ...) {
        va_list ap;

        if (!e)
                return;
        va_start(ap, fmt);
        vformat(e->bwrap, sizeof e->bwrap, fmt, ap);
        va_end(ap);
}

void error_prefix(sandbox_error_t *e, const char *fmt, ...) {
        char prefix[512], old[sizeof e->msg];
        va_list ap;

        if (!e)
                return;
        va_start(ap, fmt);
        vformat(prefix, sizeof prefix, fmt, ap);
        va_end(ap);
        memcpy(old, e->msg, sizeof old);
        /* Truncation is acceptable here: a message that long is already unreadable. */
        snprintf(e->msg, sizeof e->msg, "%s", prefix);
        if (old[0]) {
                size_t n = strlen(e->msg);
                snprintf(e->msg + n, sizeof e->msg - n, ": %.*s", (int) (sizeof e->msg - n), old);
        }
}

_printf_(2, 0) static void vlog(int level, const char *fmt, va_list ap) {
        char buf[2048];

        vformat(buf, sizeof buf, fmt, ap);
        if (log_level_prefix)
                fprintf(stderr, "<%d>%s: %s\n", level, log_program, buf);
        else
                fprintf(stderr, "%s: %s\n", log_program, buf);
}

void log_error(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vlog(3, fmt, ap);
        va_end(ap);
}

void log_warning(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vlog(4, fmt, ap);
        va_end(ap);
}

void log_sandbox_error(const sandbox_error_t *e) {
        if (e->bwrap[0] && strcmp(log_program, "bwrap") == 0) {
                log_error("%s", e->bwrap);
                return;
        }
        if (e->err)
                log_error("%s: %s", e->msg, strerror(e->err));
        else
                log_error("%s", e->msg);
        if (e->hint[0]) {
                if (log_level_prefix)
                        fprintf(stderr, "<5>%s: hint: %s\n", log_program, e->hint);
                else
                        fprintf(stderr, "%s: hint: %s\n", log_program, e->hint);
        }
}

/* Allocation failure is not an error a user can act on: abort like glib does. */
static _noreturn_ void oom(void) {
        log_error("out of memory");
        abort();
}

void *xmalloc0(size_t n) {
        void *p = calloc(1, n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xrealloc_array(void *p, size_t n, size_t size) {
        if (size && n > SIZE_MAX / size)
                oom();
        p = realloc(p, n * size > 0 ? n * size : 1);
        if (!p)
                oom();
        return p;
}

char *xstrdup(const char *s) {
        char *p = strdup(s);
        if (!p)
                oom();
        return p;
}

char *xasprintf(const char *fmt, ...) {
        va_list ap;
        char *p;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&p, fmt, ap);
        va_end(ap);
        if (r < 0)
                oom();
        return p;
}

int parse_uint64(const char *s, int base, unsigned long long *ret) {
        unsigned long long v;
        char *end;

        if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, base);
        if (errno)
                return -errno;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_fd(const char *s, int *ret) {
        unsigned long long v;
        int r = parse_uint64(s, 10, &v);

        if (r < 0)
                return r;
        if (v > INT_MAX)
                return -ERANGE;
        *ret = (int) v;
        return 0;
}

/* "D[.D]" over s[0..len), at least one digit, times SCALE: the whole part exactly, the fraction
 * rounded down, with *ret_inexact saying whether it was. Horner's rule from the last digit keeps
 * every step below 10 * SCALE, and flooring each step floors the whole (n integer:
 * floor((n + y) / 10) == floor((n + floor(y)) / 10)). */
static int parse_scaled(const char *s, size_t len, unsigned long long scale, unsigned long long *ret,
                        bool *ret_inexact) {
        const char *dot = memchr(s, '.', len);
        size_t whole_len = dot ? (size_t) (dot - s) : len;
        unsigned long long whole = 0, frac = 0;
        bool inexact = false, digits = false;

        for (size_t i = 0; i < len; i++)
                if (s + i != dot) {
                        if (s[i] < '0' || s[i] > '9')
                                return -EINVAL;
                        digits = true;
                }
        if (!digits)
                return -EINVAL;
        for (size_t i = 0; i < whole_len; i++) {
                unsigned d = (unsigned) (s[i] - '0');
                if (whole > (ULLONG_MAX - d) / 10)
                        return -ERANGE;
                whole = whole * 10 + d;
        }
        if (scale && whole > ULLONG_MAX / scale)
                return -ERANGE;
        for (size_t i = len; dot && i-- > whole_len + 1;) {
                unsigned long long step = (unsigned long long) (s[i] - '0') * scale + frac;
                inexact |= step % 10 != 0;
                frac = step / 10;
        }
        if (whole * scale > ULLONG_MAX - frac)
                return -ERANGE;
        *ret = whole * scale + frac;
        *ret_inexact = inexact;
        return 0;
}

int parse_size(const char *s, unsigned long long *ret) {
        static const char units[] = "kmgt"; /* K = 2^10, M = 2^20, ... */
        size_t len = s ? strlen(s) : 0, num = len;
        unsigned shift = 0;
        const char *u;
        bool inexact;

        if (!len)
                return -EINVAL;
        if (len >= 3 && (s[len - 2] == 'i' || s[len - 2] == 'I') && (s[len - 1] == 'b' || s[len - 1] == 'B'))
                num = len - 2; /* KiB, MiB, ...: the unit letter must come before */
        if (num >= 1 && s[num - 1] && (u = strchr(units, s[num - 1] | 0x20)) != NULL)
                shift = 10 * (unsigned) (u - units + 1), num--;
        else if (num != len)
                return -EINVAL;
        /* A fraction of a byte means nothing: fractions come with a unit, rounded down to bytes. */
        if (!shift && memchr(s, '.', len))
                return -EINVAL;
        return parse_scaled(s, num, 1ULL << shift, ret, &inexact);
}

int parse_duration_ns(const char *s, unsigned long long *ret_ns) {
        static const struct {
                char suffix;
                unsigned long long seconds;
        } units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
        size_t len = s ? strlen(s) : 0;
        unsigned long long scale = 1000000000ULL, ns;
        bool inexact;
        int r;

        if (!len)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (s[len - 1] == units[i].suffix) {
                        scale *= units[i].seconds;
                        len--;
                        break;
                }
        if ((r = parse_scaled(s, len, scale, &ns, &inexact)) < 0)
                return r;
        /* Rounded up: a duration above 0 stays above 0. */
        if (inexact && ns++ == ULLONG_MAX)
                return -ERANGE;
        *ret_ns = ns;
        return 0;
}

ssize_t read_full(int fd, void *buf, size_t n) {
        size_t done = 0;

        while (done < n) {
                ssize_t k = read(fd, (char *) buf + done, n - done);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                done += k;
        }
        return (ssize_t) done;
}

int write_full(int fd, const void *buf, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, buf, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                buf = (const char *) buf + k;
                n -= k;
        }
        return 0;
}

int read_all(int fd, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, alloc = 0;

        for (;;) {
                ssize_t k;

                if (alloc - size < 4096) {
                        alloc = alloc ? alloc * 2 : 8192;
                        buf = xrealloc_array(buf, alloc + 1, 1);
                }
                k = read_full(fd, buf + size, alloc - size);
                if (k < 0)
                        return (int) k;
                if (k == 0)
                        break;
                size += (size_t) k;
                if (size > max)
                        return -EFBIG;
        }
        if (!buf)
                buf = xmalloc0(1);
        buf[size] = 0;
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

int write_file_at(int dirfd, const char *path, const char *data) {
        _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return write_full(fd, data, strlen(data));
}

int fd_is_open(int fd) {
        if (fcntl(fd, F_GETFD) < 0)
                return -errno;
        return 0;
}

int read_all_fd(int fd, char **ret, size_t *ret_size) {
        return read_all(fd, 16 * 1024 * 1024, ret, ret_size);
}

int read_file_at(int dirfd, const char *path, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return read_all(fd, 1024 * 1024, ret, ret_size);
}

int read_file_path(const char *path, char **ret, size_t *ret_size) {
        return read_file_at(AT_FDCWD, path, ret, ret_size);
}

unsigned edit_distance(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);
        unsigned row[64];

        if (lb >= ELEMENTSOF(row))
                return 99;
        for (size_t j = 0; j <= lb; j++)
                row[j] = (unsigned) j;
        for (size_t i = 1; i <= la; i++) {
                unsigned diag = row[0];
                row[0] = (unsigned) i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned up = row[j], best = diag + (a[i - 1] != b[j - 1]);
                        if (up + 1 < best)
                                best = up + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        diag = up;
                        row[j] = best;
                }
        }
        return row[lb];
}

char *xconcat3(const char *a, const char *b, const char *c) {
        size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
        char *s = xmalloc0(la + lb + lc + 1);

        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc);
        return s;
}

char *format_long(char buf[static 21], long v) {
        unsigned long u = v < 0 ? -(unsigned long) v : (unsigned long) v;
        char tmp[21], *p = tmp + sizeof tmp;

        *--p = 0;
        do
                *--p = (char) ('0' + u % 10);
        while (u /= 10);
        if (v < 0)
                *--p = '-';
        return memcpy(buf, p, (size_t) (tmp + sizeof tmp - p));
}

void format_hex(char *dst, unsigned long v, int digits) {
        static const char hex[] = "0123456789abcdef";

        while (digits-- > 0) {
                dst[digits] = hex[v & 15];
                v >>= 4;
        }
}

void suggestion_consider(suggestion_t *s, const char *word, const char *candidate) {
        unsigned d = edit_distance(word, candidate);

        if (d < s->distance) {
                s->best = candidate;
                s->distance = d;
        }
}

int dl_load(void **handle, const char *soname, const dl_symbol_t *syms, size_t n, void *table, const char *why,
            const char *package, sandbox_error_t *e) {
        if (*handle)
                return 0;
        *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!*handle) {
                error_msg(e, "%s need %s, which could not be loaded: %s", why, soname, dlerror());
                error_hint(e, "install %s (Debian: apt-get install %s)", package, package);
                return -ENOENT;
        }
        for (size_t i = 0; i < n; i++) {
                void *fn = dlsym(*handle, syms[i].name);
                if (!fn) {
                        error_msg(e, "%s lacks %s (too old?)", soname, syms[i].name);
                        dlclose(*handle);
                        *handle = NULL;
                        return -ENOENT;
                }
                memcpy((char *) table + syms[i].offset, &fn, sizeof fn);
        }
        return 0;
}
