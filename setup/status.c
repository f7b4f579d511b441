/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "launch.h"
#include "libseccomp.h"
#include "limits.h"
#include "rules.h"

static uint64_t timeval_usec(const struct timeval *tv) {
        return (uint64_t) tv->tv_sec * 1000000 + (uint64_t) tv->tv_usec;
}

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

int status_write_exit(int fd, int exit_code, const cgroup_report_t *c, const status_usage_t *u, sandbox_error_t *e) {
        char buf[1024];
        int n = snprintf(buf, sizeof buf, "{ \"exit-code\": %d", exit_code), r;

        if (c) {
                if (c->have_oom)
                        n += snprintf(buf + n, sizeof buf - n, ", \"oom-kills\": %" PRIu64, c->oom_kills);
                if (c->have_pids_events)
                        n += snprintf(buf + n, sizeof buf - n, ", \"pids-max-events\": %" PRIu64, c->pids_max_events);
                n += snprintf(buf + n, sizeof buf - n,
                              ", \"cpu-usage-usec\": %" PRIu64 ", \"cpu-user-usec\": %" PRIu64
                              ", \"cpu-system-usec\": %" PRIu64,
                              c->usage_usec, c->user_usec, c->system_usec);
                if (c->have_cpu_max)
                        n += snprintf(buf + n, sizeof buf - n, ", \"cpu-nr-throttled\": %" PRIu64, c->nr_throttled);
                if (c->have_memory)
                        n += snprintf(buf + n, sizeof buf - n, ", \"memory-peak\": %" PRIu64, c->memory_peak);
                if (c->have_pids_peak)
                        n += snprintf(buf + n, sizeof buf - n, ", \"pids-peak\": %" PRIu64, c->pids_peak);
        }
        if (u) {
                n += snprintf(buf + n, sizeof buf - n, ", \"wall-time-usec\": %" PRIu64, u->wall_usec);
                if (u->have_rusage)
                        n += snprintf(buf + n, sizeof buf - n,
                                      ", \"rusage-user-usec\": %" PRIu64 ", \"rusage-system-usec\": %" PRIu64
                                      ", \"rusage-maxrss\": %" PRIu64,
                                      timeval_usec(&u->rusage.ru_utime), timeval_usec(&u->rusage.ru_stime),
                                      (uint64_t) u->rusage.ru_maxrss * 1024);
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

/* 0.2 s, 10 s, 90 s: milliseconds as the shortest exact seconds. */
static void format_ms(char *buf, size_t n, unsigned long long ms) {
        int len = snprintf(buf, n, "%llu.%03llu", ms / 1000, ms % 1000);

        while (len > 0 && (size_t) len < n && buf[len - 1] == '0')
                buf[--len] = 0;
        if (len > 0 && (size_t) len < n && buf[len - 1] == '.')
                buf[--len] = 0;
        snprintf(buf + len, n - (size_t) len, " s");
}

/* Whether the sandbox has a pid 1 of ours in front of the command, as child.c decides: in a pid
 * namespace unless --as-pid-1, and wherever locks or sync fds must be held. */
bool status_report_limits(const sandbox_plan_t *p, cgroup_report_t *r, int wstatus, int first_status) {
        bool oom;
        char limit[32] = "max", peak[32] = "unknown";

        /* A group kill takes our pid 1 with the command, and the kernel counts it. */
        if (r->oom_group_killed && r->oom_kills > 0 && launch_has_init(p) && WIFSIGNALED(first_status) &&
            WTERMSIG(first_status) == SIGKILL)
                r->oom_kills--;
        oom = r->oom_kills > 0 && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;
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
        return oom;
}

void status_report_timeout(const sandbox_plan_t *p, bool killed) {
        unsigned long long grace = limits_timeout_grace_ms(p);
        char after[32], grace_s[32];

        format_ms(after, sizeof after, p->timeout_ms);
        format_ms(grace_s, sizeof grace_s, grace);
        if (!killed)
                log_error("timeout: the command was still running after %s; stopped with SIGTERM", after);
        else if (grace == 0)
                log_error("timeout: the command was still running after %s; killed at once (--timeout-grace 0)", after);
        else
                log_error("timeout: the command was still running after %s; killed after a %s grace period", after,
                          grace_s);
}

/* One figure of --stats: "PROGRAM: stats: KEY VALUE..." (the format is documented in sandbox(1)). */
_printf_(1, 2) static void stat_line(const char *fmt, ...) {
        va_list ap;

        fprintf(stderr, "%s: stats: ", log_program);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

void status_report_stats(const sandbox_plan_t *p, const cgroup_report_t *r, const status_usage_t *u) {
        const char *cpu_from, *memory_from;
        uint64_t user, system, peak;
        char human[32];

        stat_line("wall %.3f s (from the sandbox's start to its end)", (double) u->wall_usec / 1e6);
        /* wait4() sees what was reaped: in a pid namespace all of it (its pid 1 reaps the orphans,
         * and the kernel what is left when pid 1 exits); without one only what the command waited for. */
        cpu_from = (p->unshare & NS_PID) ? "getrusage: every process of the sandbox, as it was reaped"
                                         : "getrusage: the command and what it waited for, not what it left running";
        if (r) {
                user = r->user_usec;
                system = r->system_usec;
                cpu_from = "cgroup cpu.stat: every process of the sandbox";
        } else {
                user = timeval_usec(&u->rusage.ru_utime);
                system = timeval_usec(&u->rusage.ru_stime);
        }
        if (r || u->have_rusage) {
                stat_line("cpu-user %.3f s (%s)", (double) user / 1e6, cpu_from);
                stat_line("cpu-system %.3f s (%s)", (double) system / 1e6, cpu_from);
        }
        if (r && r->have_memory) {
                peak = r->memory_peak;
                memory_from = "cgroup memory.peak: all processes together, page cache included";
        } else {
                /* ru_maxrss is in KiB, and the largest of the processes, not their sum. */
                peak = (uint64_t) u->rusage.ru_maxrss * 1024;
                memory_from = r ? "max RSS of one process, getrusage; the cgroup's peak needs the memory controller "
                                  "and Linux 5.19"
                                : "max RSS of one process, getrusage; the cgroup's peak needs a delegated cgroup";
        }
        format_bytes(human, sizeof human, peak);
        if ((r && r->have_memory) || u->have_rusage)
                stat_line("memory-peak %" PRIu64 " B, %s (%s)", peak, human, memory_from);
        if (!r)
                return;
        if (r->have_pids_peak)
                stat_line("tasks-peak %" PRIu64 " (cgroup pids.peak)", r->pids_peak);
        if (r->have_cpu_max)
                stat_line("cpu-throttled %" PRIu64
                          " (cgroup cpu.stat nr_throttled: periods in which cpu.max held it back)",
                          r->nr_throttled);
        if (r->have_oom)
                stat_line("oom-kills %" PRIu64 " (cgroup memory.events: processes the OOM killer ended, not "
                          "counting the sandbox's own pid 1)",
                          r->oom_kills);
        if (r->have_pids_events)
                stat_line("forks-refused %" PRIu64 " (cgroup pids.events: forks and clones pids.max refused)",
                          r->pids_max_events);
}

void status_report_init_killed(int sig) {
        if (sig == SIGSYS)
                log_error("the sandbox's pid 1 (its init, not the command) was killed by its own syscall filter: "
                          "a bug in %s, please report it",
                          log_program);
        else
                log_error("the sandbox's pid 1 (its init, not the command) was killed by signal %d (%s)", sig,
                          strsignal(sig));
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
