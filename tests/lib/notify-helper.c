/* SPDX-License-Identifier: MIT */
/* notify-helper: what the denial tests need besides the probe.
 *
 *   notify-helper storm N NAME   makes the denied call NAME (keyctl, socket-packet) N times and
 *                                prints "N ERRNAME" when every one failed the same way
 *   notify-helper listen CMD...  installs a seccomp filter that allows everything but holds the
 *                                listener (as an outer sandbox's supervisor would), then runs CMD:
 *                                the sandbox inside can't have a listener of its own (EBUSY)
 *
 * Linked statically, like the probe, so that it runs in a root holding nothing else. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long one_call(const char *name) {
        if (strcmp(name, "keyctl") == 0)
                return syscall(SYS_keyctl, -1, 0, 0, 0, 0);
        if (strcmp(name, "socket-packet") == 0)
                return syscall(SYS_socket, AF_PACKET, SOCK_RAW, 0);
        fprintf(stderr, "notify-helper: unknown call '%s'\n", name);
        exit(2);
}

static int storm(long n, const char *name) {
        int first = 0;

        for (long i = 0; i < n; i++) {
                long r = one_call(name);
                int err = r < 0 ? errno : 0;
                if (i == 0)
                        first = err;
                else if (err != first) {
                        printf("call %ld: %s, the first: %s\n", i, strerrorname_np(err), strerrorname_np(first));
                        return 1;
                }
        }
        printf("%ld %s\n", n, first ? strerrorname_np(first) : "ok");
        return 0;
}

static int listen_and_exec(char **argv) {
        struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
        struct sock_fprog prog = { .len = 1, .filter = allow };
        long fd;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                perror("notify-helper: PR_SET_NO_NEW_PRIVS");
                return 125;
        }
        fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        if (fd < 0) {
                printf("SKIP no seccomp listener here: %s\n", strerror(errno));
                return 77;
        }
        /* The kernel forgets a listener once its fd is closed: it stays open across the exec, as an
         * outer supervisor would hold it. */
        if (fcntl((int) fd, F_SETFD, 0) < 0) {
                perror("notify-helper: fcntl");
                return 125;
        }
        execvp(argv[0], argv);
        perror("notify-helper: exec");
        return 127;
}

int main(int argc, char **argv) {
        if (argc == 4 && strcmp(argv[1], "storm") == 0)
                return storm(strtol(argv[2], NULL, 10), argv[3]);
        if (argc >= 3 && strcmp(argv[1], "listen") == 0)
                return listen_and_exec(argv + 2);
        fprintf(stderr, "usage: notify-helper storm N keyctl|socket-packet | listen CMD...\n");
        return 2;
}
