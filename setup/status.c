/* SPDX-License-Identifier: MIT */
#include "status.h"

#include <string.h>
#include <sys/stat.h>

int status_write_info(int fd, pid_t child, unsigned namespaces, bool pretty, sandbox_error_t *e) {
        /* Same order and names as bubblewrap. The user namespace is left out as there: with
         * --userns it is not the sandbox's own. */
        static const struct { const char *name; unsigned ns; } list[] = {
                { "cgroup", NS_CGROUP }, { "ipc", NS_IPC }, { "mnt", 0 },
                { "net", NS_NET }, { "pid", NS_PID }, { "uts", NS_UTS },
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

int status_write_exit(int fd, int exit_code, sandbox_error_t *e) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "{ \"exit-code\": %d }\n", exit_code);
        int r = write_full(fd, buf, (size_t) n);

        if (r < 0)
                return error_errno(e, r, "writing the exit code to fd %d", fd);
        return 0;
}
