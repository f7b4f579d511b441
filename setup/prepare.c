/* SPDX-License-Identifier: MIT */
#include "prepare.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "limits.h"

static bool selinux_enabled(void) {
        return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

static int check_labels(sandbox_plan_t *p, sandbox_error_t *e) {
        if (!(p->exec_label || p->file_label) || selinux_enabled())
                return 0;
        /* Asked for, a missing label is less confinement; bubblewrap ignores labels without SELinux. */
        if (!p->bwrap_mode)
                return error_msg(e, "--%s: SELinux is not enabled on this system, so the label can't be applied",
                                 p->exec_label ? "exec-label" : "file-label");
        p->exec_label = p->file_label = NULL;
        return 0;
}

/* Only root may raise a hard limit: say so before anything starts. */
static int check_rlimits(const sandbox_plan_t *p, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit cur;
                if (getrlimit(p->rlimits[i].resource, &cur) < 0)
                        return error_errno(e, errno, "--rlimit %s", rlimit_name(p->rlimits[i].resource));
                if (p->rlimits[i].hard > cur.rlim_max && cur.rlim_max != RLIM_INFINITY) {
                        error_msg(e, "--rlimit %s: the hard limit can't be raised above the current %llu",
                                  rlimit_name(p->rlimits[i].resource), (unsigned long long) cur.rlim_max);
                        error_hint(e, "ask for at most %llu (see ulimit -H)", (unsigned long long) cur.rlim_max);
                        return -EPERM;
                }
        }
        return 0;
}

int prepare_check(sandbox_plan_t *p, sandbox_error_t *e) {
        int r = check_labels(p, e);

        return r < 0 ? r : check_rlimits(p, e);
}

static int export_bpf(const char *path, const seccomp_program_t *prog, sandbox_error_t *e) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        int r;

        if (fd < 0)
                return error_errno(e, errno, "--export-bpf %s", path);
        if ((r = write_full(fd, prog->prog.filter, prog->prog.len * sizeof(struct sock_filter))) < 0)
                return error_errno(e, r, "--export-bpf %s", path);
        return 0;
}

/* libseccomp's filter, the last program, to FILE as ever; the programs before it to FILE.2,
 * FILE.3, ...: a caller must stack them too, and first. */
static int export_bpf_all(const char *path, const seccomp_program_t *progs, size_t n, sandbox_error_t *e) {
        int r;

        if (!n)
                return error_msg(e, "--export-bpf %s: there are no syscall rules to compile", path);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = i + 1 < n ? xasprintf("%s.%zu", path, i + 2) : xstrdup(path);
                if ((r = export_bpf(name, &progs[i], e)) < 0)
                        return r;
        }
        if (n == 2)
                fprintf(stderr,
                        "%s: --export-bpf: the rules compile to 2 stacked programs, %s.2 and %s; give "
                        "both to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n",
                        log_program, path, path, path);
        else if (n > 2)
                fprintf(stderr,
                        "%s: --export-bpf: the rules compile to %zu stacked programs, %s.2 to %s.%zu and "
                        "%s; give them all to --add-seccomp-fd, %s last (it may deny seccomp() itself)\n",
                        log_program, n, path, path, n, path, path);
        return 0;
}

int prepare_seccomp(launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;
        seccomp_program_t last = { 0 };
        int r;

        if ((r = seccomp_compile(p, &launch->seccomp, &launch->n_seccomp, e)) < 0)
                return r;
        if (p->export_bpf && (r = export_bpf_all(p->export_bpf, launch->seccomp, launch->n_seccomp, e)) < 0)
                return r;
        if (launch->n_seccomp)
                last = launch->seccomp[--launch->n_seccomp];
        launch->seccomp = xrealloc_array(launch->seccomp, launch->n_seccomp + p->n_seccomp_fds + 1,
                                         sizeof *launch->seccomp);
        for (size_t i = 0; i < p->n_seccomp_fds; i++) {
                r = seccomp_read_fd(p->seccomp_single ? "seccomp" : "add-seccomp-fd", p->seccomp_fds[i],
                                    &launch->seccomp[launch->n_seccomp], e);
                if (r < 0) {
                        free(last.prog.filter);
                        return r;
                }
                launch->n_seccomp++;
        }
        if (last.prog.filter)
                launch->seccomp[launch->n_seccomp++] = last;
        return 0;
}
