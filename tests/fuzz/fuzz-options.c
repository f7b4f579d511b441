/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: the input is a command line, its arguments separated by NUL bytes
 * (without argv[0], as options_parse takes it; at most MAX_ARGS). An argument "%%" ends it:
 * the bytes after it are what every file (--policy, --syscall-import, include) and every
 * --args fd reads, except paths with "missing" in them. Without "%%" no file or fd exists,
 * so a policy name falls through to the built-in ones. Nothing real is read or opened. */
#include <stdint.h>
#include <string.h>

#include "setup/options.h"
#include "fuzz.h"

#define MAX_ARGS 64

static const char *file;
static size_t file_size;

static int fuzz_file(const char *path, char **ret, size_t *ret_size) {
        if (!file || strstr(path, "missing"))
                return -ENOENT;
        *ret = xmalloc0(file_size + 1);
        memcpy(*ret, file, file_size);
        *ret_size = file_size;
        return 0;
}

static int fuzz_fd(int fd, char **ret, size_t *ret_size) {
        return file ? fuzz_file("fd", ret, ret_size) : -EBADF;
}

static const char *fuzz_env(const char *name) {
        return strcmp(name, "HOME") == 0 ? "/home/fuzz" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static FILE *devnull;
        options_io_t io = { .read_fd = fuzz_fd,
                            .read_file = fuzz_file,
                            .getenv = fuzz_env,
                            .uid = 1000,
                            .gid = 1000,
                            .cwd = "/w",
                            .kernel = "6.1",
                            .system_dirs = { "/etc/sandbox/policies" } };
        _cleanup_free_ char *buf = xmalloc0(size + 1);
        char *argv[MAX_ARGS + 1];
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        int argc = 0;

        memcpy(buf, data, size);
        file = NULL;
        file_size = 0;
        /* Like --args, the last argument needs no terminating NUL. */
        for (size_t i = 0; i < size && argc < MAX_ARGS;) {
                char *arg = buf + i;
                i += strlen(arg) + 1;
                if (strcmp(arg, "%%") == 0) {
                        file = buf + (i < size ? i : size);
                        file_size = i < size ? size - i : 0;
                        break;
                }
                argv[argc++] = arg;
        }
        argv[argc] = NULL;

        if (!devnull && !(devnull = fopen("/dev/null", "we")))
                abort();
        plan_init(&p);
        if (options_parse(&p, argc, argv, &io, &e) == 0) {
                /* --export-pfc compiles before validation, so the compiler sees unvalidated plans too. */
                (void) options_validate(&p, 1000, &e);
                options_print_policy(devnull, &p);
                fuzz_compile(&p);
        }
        plan_free(&p);
        return 0;
}
