/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: the input is an OCI/Docker seccomp profile (JSON). What the importer
 * accepts is compiled to BPF as well (never loaded), so the compiler sees every rule shape
 * the importer lets through. */
#include <stdint.h>
#include <string.h>

#include "setup/oci-seccomp.h"
#include "setup/options.h"
#include "setup/rules.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = xmalloc0(size + 1); /* json-c wants a C string */
        sandbox_plan_t p;
        sandbox_error_t e = { 0 };
        bool by_caps = false;

        memcpy(text, data, size);
        plan_init(&p);
        if (oci_seccomp_import(&p, "/p/profile.json", text, size, "5.10", &e) == 0) {
                fuzz_compile(&p);
                /* The rules a profile gives by capability change with p->caps: every one kept, too. */
                for (size_t i = 0; i < p.n_rules; i++)
                        by_caps |= p.rules[i].need_caps || p.rules[i].exclude_caps;
                if (by_caps) {
                        p.caps = UINT64_MAX;
                        fuzz_compile(&p);
                }
        }
        plan_free(&p);
        return 0;
}
