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
#define FENCE_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)
#define FENCE_SCOPE_SIGNAL (UINT64_C(1) << 1)

bool landlock_can_fence(void) {
        static int abi = -2;

        if (abi == -2)
                abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        return abi >= 6;
}

int landlock_fence(bool signals, bool abstract_unix, sandbox_error_t *e) {
        struct fence_attr attr = {
                .scoped = (signals ? FENCE_SCOPE_SIGNAL : 0) | (abstract_unix ? FENCE_SCOPE_ABSTRACT_UNIX_SOCKET : 0),
        };
        const char *why = !abstract_unix ? "that keeps pid 1 out of reach"
                          : signals      ? "that keeps pid 1 and the host's abstract unix sockets out of reach"
                                         : "that keeps the host's abstract unix sockets out of reach";
        _cleanup_close_ int ruleset = -1;

        if (!attr.scoped)
                return 0;
        if ((ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)) < 0)
                return error_errno(e, errno, "creating the Landlock domain %s", why);
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return error_errno(e, errno, "entering the Landlock domain %s", why);
        return 0;
}
