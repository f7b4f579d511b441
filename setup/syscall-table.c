/* SPDX-License-Identifier: MIT */
#include "syscall-table.h"

#include <stddef.h>
#include <string.h>

#define SYSCALL_TABLE_FIRST 424

/* Indexed by number - 424; from the kernel's syscall tables (arch/x86/entry/syscalls,
 * scripts/syscall.tbl). A syscall some architectures skip keeps its number everywhere. A line
 * per kernel release or two, the number of its first call in the comment. */
/* clang-format off */
static const char *const newest[] = {
        "pidfd_send_signal", "io_uring_setup", "io_uring_enter", "io_uring_register",   /* 424: 5.1 */
        "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",           /* 428: 5.2 */
        "pidfd_open", "clone3", "close_range", "openat2", "pidfd_getfd", "faccessat2",  /* 434: 5.3-5.8 */
        "process_madvise", "epoll_pwait2", "mount_setattr", "quotactl_fd",              /* 440: 5.10-5.14 */
        "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",       /* 444: 5.13 */
        "memfd_secret", "process_mrelease", "futex_waitv", "set_mempolicy_home_node",   /* 447: 5.14-5.17 */
        "cachestat", "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait",       /* 451: 6.5-6.7 */
        "futex_requeue", "statmount", "listmount", "lsm_get_self_attr",                 /* 456: 6.7-6.8 */
        "lsm_set_self_attr", "lsm_list_modules", "mseal", "setxattrat", "getxattrat",   /* 460: 6.8-6.13 */
        "listxattrat", "removexattrat", "open_tree_attr", "file_getattr", "file_setattr", /* 465: 6.13-6.17 */
};
/* clang-format on */

int syscall_table_number(const char *name) {
        for (size_t i = 0; i < sizeof(newest) / sizeof(newest[0]); i++)
                if (strcmp(newest[i], name) == 0)
                        return SYSCALL_TABLE_FIRST + (int) i;
        return -1;
}

const char *syscall_table_name(int number) {
        if (number < SYSCALL_TABLE_FIRST || number > syscall_table_last())
                return NULL;
        return newest[number - SYSCALL_TABLE_FIRST];
}

int syscall_table_first(void) {
        return SYSCALL_TABLE_FIRST;
}

int syscall_table_last(void) {
        return SYSCALL_TABLE_FIRST + (int) (sizeof(newest) / sizeof(newest[0])) - 1;
}
