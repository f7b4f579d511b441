/* SPDX-License-Identifier: MIT */
#include "landlock.h"

#include <linux/landlock.h>
#include <stdint.h>
#include <sys/syscall.h>

/* The attributes as of ABI 6; older headers lack the last field. */
struct fence_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
        uint64_t scoped;
};
#define FENCE_SCOPE_SIGNAL (UINT64_C(1) << 1)

bool landlock_can_fence(void) {
        static int abi = -2;

        if (abi == -2)
                abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        return abi >= 6;
}

int landlock_fence(sandbox_error_t *e) {
        struct fence_attr attr = { .scoped = FENCE_SCOPE_SIGNAL };
        _cleanup_close_ int ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);

        if (ruleset < 0)
                return error_errno(e, errno, "creating the Landlock domain that keeps pid 1 out of reach");
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return error_errno(e, errno, "entering the Landlock domain that keeps pid 1 out of reach");
        return 0;
}
