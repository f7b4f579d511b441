/* SPDX-License-Identifier: MIT */
#include "caps.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* capset(2) itself, as libcap's cap_set_proc() makes it: the launch needs no library for it. */
static int set_sets(uint64_t keep, sandbox_error_t *e) {
        struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

        for (size_t i = 0; i < ELEMENTSOF(data); i++)
                data[i].effective = data[i].permitted = data[i].inheritable = (uint32_t) (keep >> (32 * i));
        if (syscall(SYS_capset, &head, data) < 0)
                return error_errno(e, errno, "setting the capability sets");
        return 0;
}

int caps_lockdown(uint64_t keep, uid_t uid, gid_t gid, sandbox_error_t *e) {
        unsigned last;
        int r;

        /* Bounding set first, while CAP_SETPCAP is still effective (a uid change below clears
         * the effective set). It is what stops a uid-0 command from regaining all at exec. The
         * first capability this kernel doesn't know (EINVAL) ends the loop, and the others. */
        for (last = 0; last < 64; last++) {
                bool kept = keep & (UINT64_C(1) << last);
                if (prctl(kept ? PR_CAPBSET_READ : PR_CAPBSET_DROP, last, 0, 0, 0) >= 0)
                        continue;
                if (errno == EINVAL)
                        break;
                return error_errno(e, errno, "dropping capability %u from the bounding set", last);
        }
        keep &= last < 64 ? (UINT64_C(1) << last) - 1 : UINT64_MAX;

        /* Changing uid away from 0 would clear the permitted set before we have chosen from it. */
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return error_errno(e, errno, "prctl(PR_SET_KEEPCAPS)");
        if (getegid() != gid && setresgid(gid, gid, gid) < 0)
                return error_errno(e, errno, "setting gid %u", (unsigned) gid);
        if (geteuid() != uid && setresuid(uid, uid, uid) < 0)
                return error_errno(e, errno, "setting uid %u", (unsigned) uid);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return error_errno(e, errno, "prctl(PR_SET_KEEPCAPS)");

        if ((r = set_sets(keep, e)) < 0)
                return r;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return error_errno(e, errno, "clearing ambient capabilities");
        /* Ambient keeps the asked-for caps across exec for a non-root uid too. */
        for (unsigned v = 0; v < last; v++)
                if ((keep & (UINT64_C(1) << v)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
                        return error_errno(e, errno, "raising ambient capability %u", v);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return error_errno(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        return 0;
}
