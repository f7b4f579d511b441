/* SPDX-License-Identifier: MIT */
#include "caps.h"

#include <sys/capability.h>
#include <sys/prctl.h>

static int set_sets(uint64_t keep, sandbox_error_t *e) {
        cap_t caps = cap_init();
        cap_value_t v;
        int r = 0;

        if (!caps)
                return error_errno(e, errno, "allocating capability state");
        for (v = 0; v <= (cap_value_t) cap_max_bits() - 1 && v < 64; v++)
                if (keep & (UINT64_C(1) << v)) {
                        cap_flag_t sets[] = { CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE };
                        for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                                if (cap_set_flag(caps, sets[i], 1, &v, CAP_SET) < 0) {
                                        r = error_errno(e, errno, "setting capability %d", v);
                                        goto out;
                                }
                }
        if (cap_set_proc(caps) < 0)
                r = error_errno(e, errno, "setting the capability sets");
out:
        cap_free(caps);
        return r;
}

int caps_lockdown(uint64_t keep, uid_t uid, gid_t gid, sandbox_error_t *e) {
        unsigned last = cap_max_bits();
        int r;

        /* Bounding set first, while CAP_SETPCAP is still effective (a uid change below clears
         * the effective set). It is what stops a uid-0 command from regaining all at exec. */
        for (unsigned v = 0; v < last && v < 64; v++)
                if (!(keep & (UINT64_C(1) << v)) && prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
                        return error_errno(e, errno, "dropping capability %u from the bounding set", v);

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
        for (unsigned v = 0; v < last && v < 64; v++)
                if ((keep & (UINT64_C(1) << v)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
                        return error_errno(e, errno, "raising ambient capability %u", v);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return error_errno(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        return 0;
}
