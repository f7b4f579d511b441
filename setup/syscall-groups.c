/* SPDX-License-Identifier: MIT */
/* The syscall groups of the rule language (declared in rules.h) and the resolution of names
 * to numbers, libseccomp's table first and ours (syscall-table.c) for the newest calls: the
 * data half of the rules, apart from the grammar in rules.c. */
#include "rules.h"

#include <string.h>

#include "libseccomp.h"
#include "syscall-groups.h"
#include "syscall-table.h"

/* Groups: systemd's names and members (systemd.exec(5), SystemCallFilter=; "systemd-analyze
 * syscall-filter" lists them), plus our own @mount-api and @io-uring. Compared with systemd 252
 * and with upstream's main branch of 2025 (src/shared/seccomp-util.c): each group is the union,
 * and every way one differs from systemd's is in differences[] below, with the reason;
 * tests/cli/groups.sh holds the two to systemd-analyze. Members sorted as systemd sorts them,
 * groups first. A member may be a group; members this architecture lacks, or that neither
 * libseccomp nor our table knows, are skipped. Every syscall belongs to a group or to reviewed[]
 * below (a unit test holds it so): a new syscall with the reach of a denied one must join its
 * group, or a deny-list leaks. */
static const struct {
        const char *name;
        const char *members; /* separated by spaces: a relocation per group, not one per member */
} groups[] = {
        { "@aio", "io_cancel io_destroy io_getevents io_pgetevents io_pgetevents_time64 io_setup io_submit "
                  "io_uring_enter io_uring_register io_uring_setup" },
        { "@basic-io", "_llseek close close_range dup dup2 dup3 llseek lseek pread64 preadv preadv2 pwrite64 "
                       "pwritev pwritev2 read readv write writev" },
        { "@chown", "chown chown32 fchown fchown32 fchownat lchown lchown32" },
        { "@clock", "adjtimex clock_adjtime clock_adjtime64 clock_settime clock_settime64 settimeofday stime" },
        { "@cpu-emulation", "modify_ldt subpage_prot switch_endian vm86 vm86old" },
        { "@debug", "lookup_dcookie perf_event_open pidfd_getfd ptrace rtas s390_runtime_instr "
                    "sys_debug_setcontext" },
        { "@default", "@sandbox arch_prctl brk cacheflush clock_getres clock_getres_time64 clock_gettime "
                      "clock_gettime64 clock_nanosleep clock_nanosleep_time64 execve exit exit_group futex "
                      "futex_requeue futex_time64 futex_wait futex_waitv futex_wake get_robust_list "
                      "get_thread_area getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups "
                      "getgroups32 getpgid getpgrp getpid getppid getrandom getresgid getresgid32 getresuid "
                      "getresuid32 getrlimit getsid gettid gettimeofday getuid getuid32 lsm_get_self_attr "
                      "lsm_list_modules map_shadow_stack membarrier mmap mmap2 mprotect mseal munmap nanosleep "
                      "pause prlimit64 restart_syscall riscv_flush_icache riscv_hwprobe rseq rt_sigreturn "
                      "sched_getaffinity sched_yield set_robust_list set_thread_area set_tid_address set_tls "
                      "sigreturn time ugetrlimit uretprobe" },
        { "@file-system", "access chdir chmod close creat faccessat faccessat2 fallocate fchdir fchmod fchmodat "
                          "fchmodat2 fcntl fcntl64 fgetxattr file_getattr file_setattr flistxattr fremovexattr "
                          "fsetxattr fstat fstat64 fstatat fstatat64 fstatfs fstatfs64 ftruncate ftruncate64 "
                          "futimesat getcwd getdents getdents64 getxattr getxattrat inotify_add_watch inotify_init "
                          "inotify_init1 inotify_rm_watch lgetxattr link linkat listmount listxattr listxattrat "
                          "llistxattr lremovexattr lsetxattr lstat lstat64 mkdir mkdirat mknod mknodat newfstat "
                          "newfstatat oldfstat oldlstat oldstat open open_tree openat openat2 readlink readlinkat "
                          "removexattr removexattrat rename renameat renameat2 rmdir setxattr setxattrat stat "
                          "stat64 statfs statfs64 statmount statx symlink symlinkat truncate truncate64 unlink "
                          "unlinkat utime utimensat utimensat_time64 utimes" },
        { "@io-event", "_newselect epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 "
                       "epoll_wait epoll_wait_old eventfd eventfd2 poll ppoll ppoll_time64 pselect6 "
                       "pselect6_time64 select" },
        { "@io-uring", "io_uring_enter io_uring_register io_uring_setup" },
        { "@ipc", "ipc memfd_create memfd_secret mq_getsetattr mq_notify mq_open mq_timedreceive "
                  "mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink msgctl msgget msgrcv "
                  "msgsnd pipe pipe2 process_madvise process_vm_readv process_vm_writev semctl semget semop "
                  "semtimedop semtimedop_time64 shmat shmctl shmdt shmget" },
        { "@keyring", "add_key keyctl request_key" },
        { "@memlock", "mlock mlock2 mlockall munlock munlockall" },
        { "@module", "delete_module finit_module init_module" },
        { "@mount", "chroot fsconfig fsmount fsopen fspick mount mount_setattr move_mount open_tree "
                    "open_tree_attr pivot_root umount umount2" },
        { "@mount-api", "fsconfig fsmount fsopen fspick mount_setattr move_mount open_tree open_tree_attr" },
        { "@network-io", "accept accept4 bind connect getpeername getsockname getsockopt listen recv recvfrom "
                         "recvmmsg recvmmsg_time64 recvmsg send sendmmsg sendmsg sendto setsockopt shutdown socket "
                         "socketcall socketpair" },
        { "@obsolete", "_sysctl afs_syscall bdflush break create_module ftime get_kernel_syms getpmsg gtty idle "
                       "lock mpx prof profil putpmsg query_module security sgetmask ssetmask stime stty sysfs "
                       "tuxcall ulimit uselib ustat vserver" },
        { "@pkey", "pkey_alloc pkey_free pkey_mprotect" },
        { "@privileged", "@chown @clock @module @raw-io @reboot @swap _sysctl acct bpf capset chroot fanotify_init "
                         "fanotify_mark nfsservctl open_by_handle_at pivot_root quotactl quotactl_fd setdomainname "
                         "setfsuid setfsuid32 setgroups setgroups32 sethostname setresuid setresuid32 setreuid "
                         "setreuid32 setuid setuid32 vhangup" },
        { "@process", "capget clone clone3 execveat fork getrusage kill pidfd_open pidfd_send_signal prctl "
                      "process_mrelease rt_sigqueueinfo rt_tgsigqueueinfo setns swapcontext tgkill times tkill "
                      "unshare vfork wait4 waitid waitpid" },
        { "@raw-io", "ioperm iopl pciconfig_iobase pciconfig_read pciconfig_write s390_pci_mmio_read "
                     "s390_pci_mmio_write" },
        { "@reboot", "kexec_file_load kexec_load reboot" },
        { "@resources", "ioprio_set mbind migrate_pages move_pages nice sched_setaffinity sched_setattr "
                        "sched_setparam sched_setscheduler set_mempolicy set_mempolicy_home_node setpriority "
                        "setrlimit" },
        { "@sandbox", "landlock_add_rule landlock_create_ruleset landlock_restrict_self seccomp" },
        { "@setuid", "setgid setgid32 setgroups setgroups32 setregid setregid32 setresgid setresgid32 "
                     "setresuid setresuid32 setreuid setreuid32 setuid setuid32" },
        { "@signal", "rt_sigaction rt_sigpending rt_sigprocmask rt_sigsuspend rt_sigtimedwait "
                     "rt_sigtimedwait_time64 sigaction sigaltstack signal signalfd signalfd4 sigpending "
                     "sigprocmask sigsuspend" },
        { "@swap", "swapoff swapon" },
        { "@sync", "fdatasync fsync msync sync sync_file_range sync_file_range2 syncfs" },
        { "@system-service", "@aio @basic-io @chown @default @file-system @io-event @ipc @keyring @memlock @network-io "
                             "@process @resources @setuid @signal @sync @timer arm_fadvise64_64 cachestat capget "
                             "capset copy_file_range fadvise64 fadvise64_64 flock get_mempolicy getcpu getpriority "
                             "ioctl ioprio_get kcmp lsm_set_self_attr madvise mremap name_to_handle_at oldolduname "
                             "olduname personality readahead readdir remap_file_pages sched_get_priority_max "
                             "sched_get_priority_min sched_getattr sched_getparam sched_getscheduler "
                             "sched_rr_get_interval sched_rr_get_interval_time64 sched_yield sendfile sendfile64 "
                             "setfsgid setfsgid32 setfsuid setfsuid32 setpgid setsid splice sysinfo tee umask uname "
                             "userfaultfd vmsplice" },
        { "@timer", "alarm getitimer setitimer timer_create timer_delete timer_getoverrun timer_gettime "
                    "timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime "
                    "timerfd_gettime64 timerfd_settime timerfd_settime64 times" },
};

/* How our groups differ from systemd's: systemd 252's as Debian 12's systemd-analyze lists them,
 * and upstream's of 2025. A decision of ours says why; the man page's table is this one. */
static const group_diff_t differences[] = {
        { "@clock", "stime", GROUP_DIFF_OURS,
          "it sets the wall clock on i386 (systemd has it in @obsolete only), and the default policy denies @clock" },
        { "@default", "futex_requeue", GROUP_DIFF_OURS, "futex2's calls, beside futex and futex_waitv" },
        { "@default", "futex_wait", GROUP_DIFF_OURS, "futex2's calls, beside futex and futex_waitv" },
        { "@default", "futex_wake", GROUP_DIFF_OURS, "futex2's calls, beside futex and futex_waitv" },
        { "@default", "map_shadow_stack", GROUP_DIFF_OURS,
          "maps a shadow stack for one's own thread (glibc's threads with CET), like mmap" },
        { "@ipc", "memfd_secret", GROUP_DIFF_OURS, "an anonymous memory file, like memfd_create's" },
        { "@process", "process_mrelease", GROUP_DIFF_OURS,
          "frees the memory of a process already being killed, named by a pidfd" },
        { "@system-service", "cachestat", GROUP_DIFF_OURS,
          "the page-cache state of an open file, like readahead and fadvise64" },
        { "@system-service", "lsm_set_self_attr", GROUP_DIFF_OURS,
          "sets the caller's own LSM attributes, as /proc/self/attr does, checked by the LSM (systemd "
          "has lsm_get_self_attr and lsm_list_modules in @default)" },
        { "@mount", "open_tree", GROUP_DIFF_KEPT,
          "with OPEN_TREE_CLONE it copies a mount tree, the first step of a mount, so a denial of @mount "
          "keeps it; upstream moved it to @file-system, where ours has it too" },
        { "@io-uring", NULL, GROUP_DIFF_OURS, "io_uring's calls, also in @aio, to deny apart from the old AIO" },
        { "@mount-api", NULL, GROUP_DIFF_OURS,
          "the new mount API's calls, also in @mount; ENOSYS sends tools back to mount(2)" },
        { "@known", NULL, GROUP_DIFF_LEFT_OUT,
          "systemd's name for every syscall the kernel has; a policy names what it means" },
        { "@basic-io", "llseek", GROUP_DIFF_LATER, NULL },
        { "@default", "@sandbox", GROUP_DIFF_LATER, NULL },
        { "@default", "lsm_get_self_attr", GROUP_DIFF_LATER, NULL },
        { "@default", "lsm_list_modules", GROUP_DIFF_LATER, NULL },
        { "@default", "mseal", GROUP_DIFF_LATER, NULL },
        { "@file-system", "file_getattr", GROUP_DIFF_LATER, NULL },
        { "@file-system", "file_setattr", GROUP_DIFF_LATER, NULL },
        { "@file-system", "fstatat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "getxattrat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "listmount", GROUP_DIFF_LATER, NULL },
        { "@file-system", "listxattrat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "newfstat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "open_tree", GROUP_DIFF_LATER, NULL },
        { "@file-system", "removexattrat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "setxattrat", GROUP_DIFF_LATER, NULL },
        { "@file-system", "statmount", GROUP_DIFF_LATER, NULL },
        { "@mount", "open_tree_attr", GROUP_DIFF_LATER, NULL },
        { "@sandbox", NULL, GROUP_DIFF_LATER, NULL },
        { NULL, NULL, 0, NULL },
};

const group_diff_t *rules_group_differences(void) {
        return differences;
}

/* Syscalls decided one by one rather than by a group, with the reason. */
static const char *const reviewed[] = {
        "mincore", /* page residency of one's own mappings: allowed, as systemd leaves it */
        "syslog",  /* the kernel log: the default policy denies it by name */
        NULL,
};

const char *const *rules_reviewed(void) {
        return reviewed;
}

/* The number of NAME on the ABI ARCH (SCMP_ARCH_NATIVE too): libseccomp's, or ours for the
 * newest calls where libseccomp has no such name at all (not when it knows that this ABI lacks
 * the call: then its negative pseudo number); __NR_SCMP_ERROR when neither knows it. */
int rules_syscall_number(uint32_t arch, const char *name) {
        int nr = seccomp_lib.syscall_resolve_name_arch(arch, name), ours = syscall_table_number(name), anchor;

        if (nr != __NR_SCMP_ERROR || ours < 0)
                return nr;
        /* The ABI's offset, from the first call of our table, which libseccomp knows since 2.4. */
        anchor = seccomp_lib.syscall_resolve_name_arch(arch, syscall_table_name(syscall_table_first()));
        if (anchor < 0)
                return __NR_SCMP_ERROR;
        return anchor - syscall_table_first() + ours;
}

bool rules_syscall_ours_only(uint32_t arch, const char *name) {
        return seccomp_lib.syscall_resolve_name_arch(arch, name) == __NR_SCMP_ERROR &&
               rules_syscall_number(arch, name) >= 0;
}

const char *const *rules_group(const char *name) {
        /* Split on first use: most launches never look at a group. */
        static char **members_of[ELEMENTSOF(groups)];

        for (size_t i = 0; i < ELEMENTSOF(groups); i++) {
                char *words, *save = NULL;
                size_t n = 0;

                if (strcmp(groups[i].name, name) != 0)
                        continue;
                if (members_of[i])
                        return (const char *const *) members_of[i];
                words = xstrdup(groups[i].members);
                members_of[i] = xrealloc_array(NULL, strlen(words) / 2 + 2, sizeof *members_of[i]);
                for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
                        members_of[i][n++] = w;
                members_of[i][n] = NULL;
                return (const char *const *) members_of[i];
        }
        return NULL;
}

const char *const *rules_group_names(void) {
        static const char *names[ELEMENTSOF(groups) + 2];
        for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                names[i] = groups[i].name;
        names[ELEMENTSOF(groups)] = RULES_UNKNOWN;
        return names;
}
