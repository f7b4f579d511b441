/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: the input is a policy file (and the files it includes are itself). */
#include <stdint.h>
#include <string.h>

#include "setup/options.h"

static const uint8_t *input;
static size_t input_size;

static int fuzz_file(const char *path, char **ret, size_t *ret_size) {
        if (strstr(path, "missing"))
                return -ENOENT;
        *ret = xmalloc0(input_size + 1);
        memcpy(*ret, input, input_size);
        *ret_size = input_size;
        return 0;
}

static const char *fuzz_env(const char *name) {
        return strcmp(name, "HOME") == 0 ? "/home/fuzz" : NULL;
}

static int fuzz_fd(int fd, char **ret, size_t *ret_size) {
        return fuzz_file("fd", ret, ret_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        options_io_t io = { .read_fd = fuzz_fd,
                            .read_file = fuzz_file,
                            .getenv = fuzz_env,
                            .cwd = "/w",
                            .system_dirs = { "/etc/sandbox/policies" } };
        char *argv[] = { (char *) "--policy", (char *) "/p/fuzz.policy", (char *) "--print-policy", NULL };
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };

        input = data;
        input_size = size;
        plan_init(&p);
        if (options_parse(&p, 3, argv, &io, &e) == 0) {
                FILE *f = fopen("/dev/null", "we");
                if (f) {
                        options_print_policy(f, &p);
                        fclose(f);
                }
                (void) options_validate(&p, 1000, &e);
        }
        plan_free(&p);
        return 0;
}
