/* SPDX-License-Identifier: MIT */
#include "seccomp.h"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int seccomp_read_fd(const char *option, int fd, seccomp_program_t *ret, sandbox_error_t *e) {
        char *data = NULL;
        size_t size;
        int r;

        r = read_all(fd, BPF_MAXINSNS * sizeof(struct sock_filter), &data, &size);
        if (r < 0)
                return error_errno(e, r, "--%s: reading fd %d", option, fd);
        if (size == 0 || size % sizeof(struct sock_filter) != 0) {
                free(data);
                return error_msg(e, "--%s: fd %d holds %zu bytes, not a BPF program (a non-empty array of "
                                 "8-byte struct sock_filter)", option, fd, size);
        }
        ret->prog.len = (unsigned short) (size / sizeof(struct sock_filter));
        ret->prog.filter = (struct sock_filter *) data;
        return 0;
}

int seccomp_install(const seccomp_program_t *progs, size_t n, sandbox_error_t *e) {
        for (size_t i = 0; i < n; i++)
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &progs[i].prog) < 0)
                        return error_errno(e, errno, "installing seccomp filter %zu of %zu", i + 1, n);
        return 0;
}
