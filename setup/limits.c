/* SPDX-License-Identifier: MIT */
#include "limits.h"
#include "values.h"

#include <limits.h>
#include <string.h>
#include <sys/resource.h>

static const char *const kind_names[_LIMIT_MAX] = {
        [LIMIT_MEMORY] = "memory",
        [LIMIT_MEMORY_HIGH] = "memory-high",
        [LIMIT_MEMORY_SWAP] = "memory-swap",
        [LIMIT_PIDS] = "pids",
        [LIMIT_CPU] = "cpu",
        [LIMIT_CPU_WEIGHT] = "cpu-weight",
        [LIMIT_IO_WEIGHT] = "io-weight",
};

static const struct {
        const char *name;
        int resource;
        bool bytes; /* takes size suffixes */
} rlimit_names[] = {
        { "as", RLIMIT_AS, true },
        { "core", RLIMIT_CORE, true },
        { "cpu", RLIMIT_CPU, false },
        { "data", RLIMIT_DATA, true },
        { "fsize", RLIMIT_FSIZE, true },
        { "locks", RLIMIT_LOCKS, false },
        { "memlock", RLIMIT_MEMLOCK, true },
        { "msgqueue", RLIMIT_MSGQUEUE, true },
        { "nice", RLIMIT_NICE, false },
        { "nofile", RLIMIT_NOFILE, false },
        { "nproc", RLIMIT_NPROC, false },
        { "rss", RLIMIT_RSS, true },
        { "rtprio", RLIMIT_RTPRIO, false },
        { "rttime", RLIMIT_RTTIME, false },
        { "sigpending", RLIMIT_SIGPENDING, false },
        { "stack", RLIMIT_STACK, true },
};

const char *limit_kind_name(limit_kind_t k) {
        return k < _LIMIT_MAX ? kind_names[k] : "?";
}

const char *rlimit_name(int resource) {
        for (size_t i = 0; i < ELEMENTSOF(rlimit_names); i++)
                if (rlimit_names[i].resource == resource)
                        return rlimit_names[i].name;
        return "?";
}

unsigned limit_nargs(const char *kind) {
        return kind && (strcmp(kind, "io-read-bps") == 0 || strcmp(kind, "io-write-bps") == 0) ? 3 : 2;
}

bool limits_need_cgroup(const sandbox_plan_t *p) {
        /* A manager named outright must give one, even for --stats. */
        return p->limits_set || p->n_io_limits || (p->stats && p->cgroup_manager != CGROUP_MANAGER_AUTO);
}

bool limits_want_cgroup(const sandbox_plan_t *p) {
        return limits_need_cgroup(p) || p->stats;
}

static int limit_size(const char *kind, const char *s, bool zero_ok, unsigned long long *ret, sandbox_error_t *e) {
        _cleanup_free_ char *option = xasprintf("limit %s", kind);
        int r;

        if (strcmp(s, "max") == 0) {
                *ret = ULLONG_MAX;
                return 0;
        }
        /* ULLONG_MAX itself stands for max. */
        if ((r = values_size(option, "size", s, "; or max", ULLONG_MAX - 1, ret, e)) < 0)
                return r;
        if (!zero_ok && *ret == 0)
                return error_msg(e, "--limit %s: 0 would leave the command nothing to run with", kind);
        return 0;
}

static int limit_range(const char *kind, const char *s, unsigned long long lo, unsigned long long hi,
                       unsigned long long *ret, sandbox_error_t *e) {
        if (parse_uint64(s, 10, ret) < 0 || *ret < lo || *ret > hi)
                return error_msg(e, "--limit %s: '%s' is not a number from %llu to %llu", kind, s, lo, hi);
        return 0;
}

static int limit_io(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        io_limit_t limit = { .device = args[1], .write = strcmp(args[0], "io-write-bps") == 0 };
        _cleanup_free_ char *option = xasprintf("limit %s", args[0]);
        unsigned maj, min;
        char end;
        int r;

        if (args[1][0] != '/' && sscanf(args[1], "%u:%u%c", &maj, &min, &end) != 2)
                return error_msg(
                        e, "--limit %s: '%s' is not a device (MAJOR:MINOR, or a block device's path such as /dev/sda)",
                        args[0], args[1]);
        /* A rate: bytes per second, in the size syntax. */
        if ((r = values_size(option, "rate", args[2], " per second", ULLONG_MAX - 1, &limit.bps, e)) < 0)
                return r;
        if (limit.bps == 0)
                return error_msg(e, "--limit %s: a rate of 0 would stop all io; give at least 1 byte per second",
                                 args[0]);
        APPEND(p->io_limits, p->n_io_limits, limit);
        return 0;
}

int limits_parse_limit(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        const char *kind = args[0], *v = args[1];
        unsigned long long value;
        limit_kind_t k;
        int r;

        if (limit_nargs(kind) == 3)
                return limit_io(p, args, e);
        for (k = 0; k < _LIMIT_MAX; k++)
                if (strcmp(kind, kind_names[k]) == 0)
                        break;
        switch (k) {
        case LIMIT_MEMORY:
        case LIMIT_MEMORY_HIGH:
                r = limit_size(kind, v, false, &value, e);
                break;
        case LIMIT_MEMORY_SWAP:
                r = limit_size(kind, v, true, &value, e);
                break;
        case LIMIT_PIDS:
                r = strcmp(v, "max") == 0 ? (value = ULLONG_MAX, 0) : limit_range(kind, v, 1, INT_MAX, &value, e);
                break;
        case LIMIT_CPU:
                /* cpu.max's quota is at least 1 ms per 100 ms period. */
                if (values_decimal(v, 100000, &value) < 0 || value < 1000 || value > 100000ULL * 1000000)
                        return error_msg(e, "--limit cpu: '%s' is not a number of CPUs (0.01 or more, e.g. 0.5 or 2)",
                                         v);
                r = 0;
                break;
        case LIMIT_CPU_WEIGHT:
        case LIMIT_IO_WEIGHT:
                r = limit_range(kind, v, 1, 10000, &value, e);
                break;
        default:
                return error_msg(e,
                                 "--limit: unknown kind '%s' (memory, memory-high, memory-swap, pids, cpu, "
                                 "cpu-weight, io-weight, io-read-bps, io-write-bps)",
                                 kind);
        }
        if (r < 0)
                return r;
        p->limits[k] = value;
        p->limits_set |= 1U << k;
        return 0;
}

static int rlimit_value(const char *name, bool bytes, const char *s, unsigned long long *ret, sandbox_error_t *e) {
        _cleanup_free_ char *option = xasprintf("rlimit %s", name);

        if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
                *ret = RLIM_INFINITY;
                return 0;
        }
        if (bytes)
                return values_size(option, "size", s, "; or unlimited", RLIM_INFINITY - 1, ret, e);
        if (parse_uint64(s, 10, ret) < 0 || *ret >= RLIM_INFINITY)
                return error_msg(e, "--rlimit %s: '%s' is not a number (or unlimited)", name, s);
        return 0;
}

int limits_parse_rlimit(sandbox_plan_t *p, char **args, sandbox_error_t *e) {
        _cleanup_free_ char *soft = xstrdup(args[1]);
        char *hard = strchr(soft, ':');
        rlimit_op_t limit;
        size_t i;
        int r;

        for (i = 0; i < ELEMENTSOF(rlimit_names); i++)
                if (strcmp(args[0], rlimit_names[i].name) == 0)
                        break;
        if (i == ELEMENTSOF(rlimit_names))
                return error_msg(e,
                                 "--rlimit: unknown resource '%s' (as, core, cpu, data, fsize, locks, memlock, "
                                 "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)",
                                 args[0]);
        if (hard)
                *hard++ = 0;
        limit.resource = rlimit_names[i].resource;
        if ((r = rlimit_value(args[0], rlimit_names[i].bytes, soft, &limit.soft, e)) < 0)
                return r;
        limit.hard = limit.soft;
        if (hard && (r = rlimit_value(args[0], rlimit_names[i].bytes, hard, &limit.hard, e)) < 0)
                return r;
        if (limit.soft > limit.hard)
                return error_msg(e, "--rlimit %s %s: the soft limit is above the hard one", args[0], args[1]);
        APPEND(p->rlimits, p->n_rlimits, limit);
        return 0;
}

int limits_parse_timeout(sandbox_plan_t *p, const char *duration, sandbox_error_t *e) {
        /* 0 is no timeout, as in GNU timeout(1): it undoes a policy's. */
        return values_duration_ms("timeout", duration, &p->timeout_ms, e);
}

int limits_parse_timeout_grace(sandbox_plan_t *p, const char *duration, sandbox_error_t *e) {
        int r = values_duration_ms("timeout-grace", duration, &p->timeout_grace_ms, e);

        if (r >= 0)
                p->timeout_grace_set = true;
        return r;
}

unsigned long long limits_timeout_grace_ms(const sandbox_plan_t *p) {
        return p->timeout_grace_set ? p->timeout_grace_ms : LIMITS_TIMEOUT_GRACE_DEFAULT_MS;
}

int limits_parse_cgroup_manager(sandbox_plan_t *p, const char *manager, sandbox_error_t *e) {
        static const char *const names[] = {
                [CGROUP_MANAGER_AUTO] = "auto",
                [CGROUP_MANAGER_CGROUPFS] = "cgroupfs",
                [CGROUP_MANAGER_SYSTEMD] = "systemd",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(manager, names[i]) == 0) {
                        p->cgroup_manager = (cgroup_manager_t) i;
                        return 0;
                }
        return error_msg(e, "--cgroup-manager: '%s' is not one of auto, cgroupfs, systemd", manager);
}
