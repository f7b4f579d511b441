/* SPDX-License-Identifier: MIT */
#include "systemd.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

/* How long systemd may take to start the scope. It is usually a few milliseconds; a busy
 * or wedged manager gets an error naming this rather than a hang. */
#define SCOPE_TIMEOUT_USEC (30ULL * 1000 * 1000)

/* The few sd-bus calls we make, loaded from libsystemd.so.0 on first use: most launches
 * never ask systemd for anything, and they shouldn't pay for loading it. */
typedef struct libsystemd {
        int (*bus_open_user)(sd_bus **ret);
        sd_bus *(*bus_flush_close_unref)(sd_bus *bus);
        int (*bus_match_signal)(sd_bus *bus, sd_bus_slot **ret, const char *sender, const char *path,
                                const char *interface, const char *member, sd_bus_message_handler_t callback,
                                void *userdata);
        int (*bus_message_new_method_call)(sd_bus *bus, sd_bus_message **m, const char *destination, const char *path,
                                           const char *interface, const char *member);
        int (*bus_message_append)(sd_bus_message *m, const char *types, ...);
        int (*bus_message_read)(sd_bus_message *m, const char *types, ...);
        sd_bus_message *(*bus_message_unref)(sd_bus_message *m);
        int (*bus_call)(sd_bus *bus, sd_bus_message *m, uint64_t usec, sd_bus_error *ret_error, sd_bus_message **reply);
        int (*bus_process)(sd_bus *bus, sd_bus_message **r);
        int (*bus_wait)(sd_bus *bus, uint64_t timeout_usec);
        void (*bus_error_free)(sd_bus_error *e);
} libsystemd_t;

static libsystemd_t systemd_lib;

static int libsystemd_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define SD_SYMBOL(field) { "sd_" #field, offsetof(libsystemd_t, field) }
                SD_SYMBOL(bus_open_user),      SD_SYMBOL(bus_flush_close_unref),
                SD_SYMBOL(bus_match_signal),   SD_SYMBOL(bus_message_new_method_call),
                SD_SYMBOL(bus_message_append), SD_SYMBOL(bus_message_read),
                SD_SYMBOL(bus_message_unref),  SD_SYMBOL(bus_call),
                SD_SYMBOL(bus_process),        SD_SYMBOL(bus_wait),
                SD_SYMBOL(bus_error_free),
#undef S
        };
        static void *handle;

        return dl_load(&handle, "libsystemd.so.0", syms, ELEMENTSOF(syms), &systemd_lib,
                       "cgroup limits through systemd", "libsystemd0", e);
}

/* Cleanups through the table: only ever reached after libsystemd_open() succeeded, or with NULL. */
static void busp(sd_bus **b) {
        if (*b)
                systemd_lib.bus_flush_close_unref(*b);
}
static void messagep(sd_bus_message **m) {
        if (*m)
                systemd_lib.bus_message_unref(*m);
}
static void bus_errorp(sd_bus_error *err) {
        if (err->name)
                systemd_lib.bus_error_free(err);
}

static uint64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

/* The job we wait for, and what became of it. */
typedef struct job_wait {
        const char *path; /* the job's object path, known once StartTransientUnit returns */
        char *result;     /* "done", "failed", "canceled", ... once JobRemoved for it arrived */
} job_wait_t;

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        job_wait_t *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        /* Signals are only dispatched by sd_bus_process(), after the call has returned the
         * path; those of other jobs (the user's own) are ignored. */
        if (systemd_lib.bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0 || !w->path)
                return 0;
        if (strcmp(path, w->path) == 0 && !w->result)
                w->result = xstrdup(result);
        return 0;
}

static int open_user_bus(sd_bus **ret, sandbox_error_t *e) {
        int r = systemd_lib.bus_open_user(ret);
        if (r >= 0)
                return 0;
        const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS"), *rt = getenv("XDG_RUNTIME_DIR");
        if (addr)
                error_errno(e, -r, "cannot connect to the user bus at %s", addr);
        else if (rt)
                error_errno(e, -r, "cannot connect to the user bus at %s/bus", rt);
        else
                error_msg(e, "no user bus: neither $DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR is set");
        error_hint(e, "run inside a login session, or let the user's systemd run without one: "
                      "loginctl enable-linger $USER");
        return r;
}

/* StartTransientUnit(name, "fail", properties, aux): the job's object path in *ret_job. */
static int start_scope(sd_bus *bus, const char *name, pid_t pid, char **ret_job, sandbox_error_t *e) {
        _cleanup_(messagep) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(bus_errorp) sd_bus_error err = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *desc = xasprintf("sandbox (pid %d)", (int) pid);
        const char *job;
        int r;

        r = systemd_lib.bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                                    "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r >= 0)
                r = systemd_lib.bus_message_append(m, "ss", name, "fail");
        /* Delegate: the subtree is ours to write (limits, leaves). CollectMode: a scope whose
         * processes got OOM-killed ends "failed"; without this it would linger until reset. */
        if (r >= 0)
                r = systemd_lib.bus_message_append(m, "a(sv)", 4, "Delegate", "b", 1, "PIDs", "au", 1, (uint32_t) pid,
                                                   "Description", "s", desc, "CollectMode", "s", "inactive-or-failed");
        if (r >= 0)
                r = systemd_lib.bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return error_errno(e, -r, "building the StartTransientUnit call for %s", name);

        r = systemd_lib.bus_call(bus, m, SCOPE_TIMEOUT_USEC, &err, &reply);
        if (r < 0) {
                if (err.name) /* the D-Bus error says it all, the errno adds nothing */
                        error_msg(e, "systemd refused to start %s: %s: %s", name, err.name,
                                  err.message ? err.message : "(no message)");
                else
                        error_errno(e, -r, "asking systemd for %s", name);
                return r;
        }
        r = systemd_lib.bus_message_read(reply, "o", &job);
        if (r < 0)
                return error_errno(e, -r, "reading the job of StartTransientUnit(%s)", name);
        *ret_job = xstrdup(job);
        return 0;
}

/* The "0::" line of /proc/PID/cgroup: the path relative to the cgroup2 root as this process
 * sees it, which is also where /sys/fs/cgroup is mounted from in our cgroup namespace. */
static int pid_cgroup_path(pid_t pid, char **ret, sandbox_error_t *e) {
        _cleanup_free_ char *file = xasprintf("/proc/%d/cgroup", (int) pid);
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;

        if (!f)
                return error_errno(e, errno, "open %s", file);
        while (getline(&line, &size, f) > 0) {
                if (strncmp(line, "0::", 3) != 0)
                        continue;
                line[strcspn(line, "\n")] = '\0';
                *ret = xstrdup(line + 3);
                return 0;
        }
        return error_errno(e, ENOENT, "%s has no cgroup v2 (\"0::\") line", file);
}

int systemd_delegated_scope(const char *name, pid_t pid, char **ret_path, sandbox_error_t *e) {
        _cleanup_(busp) sd_bus *bus = NULL;
        _cleanup_free_ char *job = NULL;
        job_wait_t w = { 0 };
        int r;

        r = libsystemd_open(e);
        if (r < 0)
                return r;
        r = open_user_bus(&bus, e);
        if (r < 0)
                return r;

        /* The match goes in before the call, synchronously, so that JobRemoved can't pass
         * before we listen. No Subscribe(): systemd sends a job's signals to the client that
         * queued it anyway (it tracks the job's requester). */
        r = systemd_lib.bus_match_signal(bus, NULL, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                         "org.freedesktop.systemd1.Manager", "JobRemoved", on_job_removed, &w);
        if (r < 0)
                return error_errno(e, -r, "subscribing to systemd's JobRemoved signal");

        r = start_scope(bus, name, pid, &job, e);
        if (r < 0)
                return r;
        w.path = job;

        uint64_t deadline = now_usec() + SCOPE_TIMEOUT_USEC;
        while (!w.result) {
                r = systemd_lib.bus_process(bus, NULL);
                if (r < 0) {
                        r = error_errno(e, -r, "waiting for systemd to start %s", name);
                        break;
                }
                if (r > 0)
                        continue; /* there may be more queued */
                uint64_t now = now_usec();
                if (now >= deadline) {
                        error_msg(e, "systemd did not start %s within %llu s", name, SCOPE_TIMEOUT_USEC / 1000000);
                        r = -ETIMEDOUT;
                        break;
                }
                r = systemd_lib.bus_wait(bus, deadline - now);
                if (r < 0 && r != -EINTR) {
                        r = error_errno(e, -r, "waiting for systemd to start %s", name);
                        break;
                }
        }
        _cleanup_free_ char *result = w.result;
        if (r < 0)
                return r;
        if (strcmp(result, "done") != 0) {
                error_msg(e, "systemd could not start %s: job %s", name, result);
                error_hint(e, "see: journalctl --user -u %s", name);
                return -EIO;
        }
        return pid_cgroup_path(pid, ret_path, e);
}
