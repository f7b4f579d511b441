/* SPDX-License-Identifier: MIT */
/* Replays a fuzzer corpus without libFuzzer: each argument is one input. Built with the
 * ordinary compiler, so the corpus runs as a test everywhere. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                FILE *f = fopen(argv[i], "rbe");
                char buf[65536];
                size_t n;

                if (!f) {
                        printf("not ok %d - %s: can't open\n", i, argv[i]);
                        return 1;
                }
                n = fread(buf, 1, sizeof buf, f);
                fclose(f);
                LLVMFuzzerTestOneInput((const uint8_t *) buf, n);
                printf("ok %d - %s\n", i, argv[i]);
        }
        printf("1..%d\n", argc - 1);
        return 0;
}
