/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "libseccomp.h"
#include "limits.h"
#include "rules.h"

int status_write_info(int fd, pid_t child, unsigned namespaces, bool pretty, sandbox_error_t *e) {
        /* Same order and names as bubblewrap. The user namespace is left out as there: with
         * --userns it is not the sandbox's own. */
        static const struct {
                const char *name;
                unsigned ns;
        } list[] = {
                { "cgroup", NS_CGROUP }, { "ipc", NS_IPC }, { "mnt", 0 },
                { "net", NS_NET },       { "pid", NS_PID }, { "uts", NS_UTS },
        };
        const char *sep = pretty ? ",\n    " : ", ";
        char buf[1024];
        int n, r;

        n = snprintf(buf, sizeof buf, pretty ? "{\n    \"child-pid\": %d" : "{ \"child-pid\": %d", (int) child);
        for (size_t i = 0; i < ELEMENTSOF(list); i++) {
                char path[64];
                struct stat st;

                if (list[i].ns && !(namespaces & list[i].ns))
                        continue;
                snprintf(path, sizeof path, "/proc/%d/ns/%s", (int) child, list[i].name);
                if (stat(path, &st) < 0)
                        return error_errno(e, errno, "reading %s for the status", path);
                n += snprintf(buf + n, sizeof buf - n, "%s\"%s-namespace\": %llu", sep, list[i].name,
                              (unsigned long long) st.st_ino);
        }
        n += snprintf(buf + n, sizeof buf - n, pretty ? "\n}\n" : " }\n");
        if ((r = write_full(fd, buf, (size_t) n)) < 0)
                return error_errno(e, r, "writing the sandbox's status to fd %d", fd);
        return 0;
}

int status_write_exit(int fd, int exit_code, const cgroup_report_t *c, sandbox_error_t *e) {
        char buf[512];
        int n = snprintf(buf, sizeof buf, "{ \"exit-code\": %d", exit_code), r;

        if (c) {
                n += snprintf(buf + n, sizeof buf - n,
                              ", \"oom-kills\": %" PRIu64 ", \"pids-max-events\": %" PRIu64
                              ", \"cpu-usage-usec\": %" PRIu64 ", \"cpu-user-usec\": %" PRIu64
                              ", \"cpu-system-usec\": %" PRIu64,
                              c->oom_kills, c->pids_max_events, c->usage_usec, c->user_usec, c->system_usec);
                if (c->have_cpu_max)
                        n += snprintf(buf + n, sizeof buf - n, ", \"cpu-nr-throttled\": %" PRIu64, c->nr_throttled);
                if (c->have_memory)
                        n += snprintf(buf + n, sizeof buf - n, ", \"memory-peak\": %" PRIu64, c->memory_peak);
                if (c->have_pids_peak)
                        n += snprintf(buf + n, sizeof buf - n, ", \"pids-peak\": %" PRIu64, c->pids_peak);
        }
        n += snprintf(buf + n, sizeof buf - n, " }\n");
        r = write_full(fd, buf, (size_t) n);

        if (r < 0)
                return error_errno(e, r, "writing the exit code to fd %d", fd);
        return 0;
}

/* 1.5 GiB, 512.0 MiB, 12 KiB: what a person reads in a message. */
static void format_bytes(char *buf, size_t n, unsigned long long v) {
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
        double d = (double) v;
        size_t u = 0;

        while (d >= 1024 && u < ELEMENTSOF(units) - 1) {
                d /= 1024;
                u++;
        }
        if (u == 0)
                snprintf(buf, n, "%llu B", v);
        else
                snprintf(buf, n, "%.1f %s", d, units[u]);
}

bool status_report_limits(const sandbox_plan_t *p, const cgroup_report_t *r, int wstatus) {
        bool oom = r->oom_kills > 0 && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;
        char limit[32] = "max", peak[32] = "unknown";

        if (p->limits_set & (1U << LIMIT_MEMORY) && p->limits[LIMIT_MEMORY] != ULLONG_MAX)
                format_bytes(limit, sizeof limit, p->limits[LIMIT_MEMORY]);
        if (r->have_memory)
                format_bytes(peak, sizeof peak, r->memory_peak);
        if (oom)
                log_error("command killed by the OOM killer: memory limit %s reached (peak %s)", limit, peak);
        else if (r->oom_kills)
                log_warning("the OOM killer ended %" PRIu64
                            " process%s in the sandbox: memory limit %s reached (peak %s)",
                            r->oom_kills, r->oom_kills == 1 ? "" : "es", limit, peak);
        if (r->pids_max_events)
                log_warning("pids limit %llu reached: %" PRIu64 " fork%s refused", p->limits[LIMIT_PIDS],
                            r->pids_max_events, r->pids_max_events == 1 ? " was" : "s were");
        if (p->stats) {
                char tasks[48] = "";
                if (r->have_pids_peak)
                        snprintf(tasks, sizeof tasks, ", tasks max %" PRIu64, r->pids_peak);
                fprintf(stderr, "%s: stats: memory peak %s; cpu %.2f s user, %.2f s system", log_program, peak,
                        (double) r->user_usec / 1e6, (double) r->system_usec / 1e6);
                if (r->have_cpu_max)
                        fprintf(stderr, ", throttled %" PRIu64 " time%s", r->nr_throttled,
                                r->nr_throttled == 1 ? "" : "s");
                fprintf(stderr, "%s; oom kills %" PRIu64 ", forks refused %" PRIu64 "\n", tasks, r->oom_kills,
                        r->pids_max_events);
        }
        return oom;
}

void status_report_sigsys(const sandbox_plan_t *p) {
        char names[512] = "";
        size_t n = 0, len = 0;

        for (size_t i = 0; i < p->n_rules; i++)
                if (p->rules[i].action == SCMP_ACT_KILL_PROCESS)
                        for (size_t k = 0; k < p->rules[i].n_names && len < sizeof names - 64; k++, n++)
                                len += (size_t) snprintf(names + len, sizeof names - len, "%s%s", n ? ", " : "",
                                                         p->rules[i].names[k]);
        if ((p->syscall_default_set && p->syscall_default == SCMP_ACT_KILL_PROCESS) || n == 0)
                log_error("the command was killed by the syscall filter (SIGSYS): a syscall no rule allows");
        else
                log_error("the command was killed by the syscall filter (SIGSYS): %s %s",
                          n == 1 ? "its kill rule for" : "one of the syscalls its kill rules name:", names);
}
