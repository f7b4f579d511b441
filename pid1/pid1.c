/* SPDX-License-Identifier: MIT */
/* The sandbox's pid 1 where the launcher set the sandbox up in its own memory (setup/init.h,
 * init_exec_stub()): a program of its own, without libc, so that starting it costs an exec of a
 * few pages and not a copy of the launcher. It does what init_main() and init_run() do, in the
 * same order: no capability left, stay dumpable (the command is fenced off by Landlock), re-arm
 * the parent-death signal, install pid 1's filter, then reap, forward signals to the command, and
 * pass the command's wait statuses up the status pipe.
 *
 * Arguments, all decimal but the filter: STATUS-FD SETUP-SOCKET COMMAND-PID FLAGS UID GID
 * SETUP-EXIT-CODE FILTER-HEX PROGRAM-NAME; FLAGS: 1 the command has a session of its own, 2
 * re-arm the parent-death signal. */
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <linux/signalfd.h>
#include <linux/wait.h>
#include <asm/poll.h>
#include <asm/signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#define FLAG_OWN_SESSION 1
#define FLAG_PARENT_DEATH 2
#define FLAG_KILL_ALL 4
#define MAX_INSNS 256

#if defined(__x86_64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
        register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
        long r;

        __asm__ volatile("syscall"
                         : "=a"(r)
                         : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
        return r;
}
__asm__(".text\n.globl _start\n_start:\n\txor %rbp, %rbp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall pid1_main\n\thlt\n");
#else
#error "pid1.c: no system call convention for this architecture (meson builds it only on x86_64)"
#endif

#define sys(n, a, b, c) sys6((n), (long) (a), (long) (b), (long) (c), 0, 0, 0)

/* A compiler may call it for a struct's initialiser (clang at -O0 does); volatile, so that no
 * optimiser turns the loop back into a call to itself. */
void *memset(void *s, int c, size_t n);
void *memset(void *s, int c, size_t n) {
        volatile unsigned char *p = s;

        while (n--)
                *p++ = (unsigned char) c;
        return s;
}

static const char *program = "sandbox";
static long setup_code = 125;

static size_t length(const char *s) {
        size_t n = 0;
        while (s[n])
                n++;
        return n;
}

static void say(int fd, const char *s) {
        (void) sys(SYS_write, fd, s, length(s));
}

static const char *errno_text(long err) {
        switch (err) {
        case 1:
                return "Operation not permitted";
        case 9:
                return "Bad file descriptor";
        case 12:
                return "Cannot allocate memory";
        case 13:
                return "Permission denied";
        case 14:
                return "Bad address";
        case 22:
                return "Invalid argument";
        case 38:
                return "Function not implemented";
        default:
                return "unexpected error";
        }
}

/* As init_fail(): the command goes too, the monitor may no longer be listening, so we say it. */
static void fail(long cmd, const char *what, long r) {
        if (cmd > 0)
                (void) sys(SYS_kill, cmd, SIGKILL, 0);
        say(2, program);
        say(2, ": pid 1: ");
        say(2, what);
        if (r < 0) {
                say(2, ": ");
                say(2, errno_text(-r));
        }
        say(2, "\n");
        (void) sys(SYS_exit_group, setup_code, 0, 0);
        __builtin_unreachable();
}

static long number(const char *s) {
        long v = 0, sign = 1;

        if (*s == '-') {
                sign = -1;
                s++;
        }
        while (*s >= '0' && *s <= '9')
                v = v * 10 + (*s++ - '0');
        return sign * v;
}

static int nibble(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* DIGITS hex digits from *S into *RET; false if one isn't. */
static int hex(const char **s, int digits, uint32_t *ret) {
        uint32_t v = 0;

        for (int i = 0; i < digits; i++) {
                int n = nibble(**s);
                if (n < 0)
                        return 0;
                v = v << 4 | (uint32_t) n;
                (*s)++;
        }
        *ret = v;
        return 1;
}

/* "CCCCTTFFKKKKKKKK" per instruction, as init_exec_stub() writes it; 0 if malformed. */
static unsigned short parse_filter(const char *s, struct sock_filter *out) {
        unsigned short n = 0;

        while (*s && n < MAX_INSNS) {
                uint32_t code, jt, jf, k;
                if (!hex(&s, 4, &code) || !hex(&s, 2, &jt) || !hex(&s, 2, &jf) || !hex(&s, 8, &k))
                        return 0;
                out[n++] = (struct sock_filter){ (unsigned short) code, (unsigned char) jt, (unsigned char) jf, k };
        }
        return *s ? 0 : n;
}

/* What caps_lockdown(0, UID, GID) leaves, made sure of: the child emptied the bounding set and
 * changed ids before its exec, while it still could (init_exec_stub()), so that this exec gave us no
 * capability even as uid 0; none is left, none comes back, no exec gains privileges. */
static void lock_down(long cmd, long uid, long gid) {
        struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
        struct __user_cap_data_struct none[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
        long r;

        if (sys(SYS_getegid, 0, 0, 0) != gid || sys(SYS_geteuid, 0, 0, 0) != uid)
                fail(cmd, "started with the wrong ids", 0);
        if ((r = sys(SYS_capset, &header, none, 0)) < 0)
                fail(cmd, "dropping the capabilities", r);
        if ((r = sys6(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0, 0)) < 0 && r != -22)
                fail(cmd, "clearing ambient capabilities", r);
        if ((r = sys6(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0)) < 0)
                fail(cmd, "prctl(PR_SET_NO_NEW_PRIVS)", r);
}

static int forwarded(uint32_t sig) {
        return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2 ||
               sig == SIGWINCH;
}

static long exit_status(int wstatus) {
        if ((wstatus & 0x7f) == 0)
                return (wstatus >> 8) & 0xff;
        if (((signed char) ((wstatus & 0x7f) + 1) >> 1) > 0)
                return 128 + (wstatus & 0x7f);
        return 255;
}

/* init.c's reap_rest(): what is left is killed and reaped, to stay in our rusage; waiting only
 * where every process has our uid (FLAG_KILL_ALL), and only as the init of our own pid
 * namespace. -3: ESRCH, -4: EINTR. */
static void reap_rest(int kill_all) {
        long k = kill_all && sys(SYS_getpid, 0, 0, 0) == 1 ? sys(SYS_kill, -1, SIGKILL, 0) : -1;
        int wait = k == 0 || k == -3;

        for (;;) {
                long pid = sys6(SYS_wait4, -1, 0, wait ? 0 : WNOHANG, 0, 0, 0);
                if (pid <= 0 && pid != -4)
                        return;
        }
}

/* init_run(): reap, forward, report; returns the command's wait status. */
static int run(long cmd, long status_fd, int own_session, int kill_all) {
        unsigned long mask = 1UL << (SIGCHLD - 1);
        long sfd;

        for (uint32_t s = 1; s < 32; s++)
                if (forwarded(s))
                        mask |= 1UL << (s - 1);
        sfd = sys6(SYS_signalfd4, -1, (long) &mask, sizeof mask, SFD_CLOEXEC, 0, 0);
        for (;;) {
                struct signalfd_siginfo si;
                int status;
                long pid;

                if (sfd >= 0) {
                        long n = sys(SYS_read, sfd, &si, sizeof si);
                        if (n == -4)
                                continue;
                        if (n == (long) sizeof si && si.ssi_signo != SIGCHLD) {
                                /* As init_should_forward(): from a process, or the tty where the
                                 * command has a session of its own. */
                                if (si.ssi_code <= 0 || own_session)
                                        (void) sys(SYS_kill, cmd, si.ssi_signo, 0);
                                continue;
                        }
                }
                while ((pid = sys6(SYS_wait4, -1, (long) &status, WUNTRACED | (sfd >= 0 ? WNOHANG : 0), 0, 0, 0)) > 0 ||
                       pid == -4) {
                        if (pid != cmd)
                                continue;
                        (void) sys(SYS_write, status_fd, &status, sizeof status);
                        if ((status & 0xff) != 0x7f) {
                                reap_rest(kill_all);
                                return status;
                        }
                }
                if (pid == -10) /* ECHILD */
                        return 255 << 8;
        }
}

__attribute__((used, noreturn)) void pid1_main(long *sp);
__attribute__((used, noreturn)) void pid1_main(long *sp) {
        static struct sock_filter insns[MAX_INSNS];
        long argc = sp[0];
        char **argv = (char **) (sp + 1);
        long status_fd, sock, cmd, flags, uid, gid, r;
        struct sock_fprog prog;
        struct pollfd pfd;

        if (argc != 10)
                fail(-1, "started with the wrong arguments", 0);
        status_fd = number(argv[1]);
        sock = number(argv[2]);
        cmd = number(argv[3]);
        flags = number(argv[4]);
        uid = number(argv[5]);
        gid = number(argv[6]);
        setup_code = number(argv[7]);
        program = argv[9];
        prog.len = parse_filter(argv[8], insns);
        prog.filter = insns;
        if (!prog.len)
                fail(cmd, "its filter is malformed", 0);

        lock_down(cmd, uid, gid);
        /* Dumpable, for our owner outside: we run only where Landlock fences the command off from
         * us (stub_fits() in setup/init.c), and the ids may have changed on the way. */
        if ((r = sys(SYS_prctl, PR_SET_DUMPABLE, 1, 0)) < 0)
                fail(cmd, "PR_SET_DUMPABLE", r);
        /* launch_rearm_parent_death(): the monitor is outside our pid namespace, so its end of
         * the setup socket tells whether it is still there. */
        if (flags & FLAG_PARENT_DEATH) {
                pfd = (struct pollfd){ .fd = (int) sock, .events = POLLRDHUP };
                if (sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0) < 0 || sock < 0 ||
                    (sys6(SYS_ppoll, (long) &pfd, 1, (long) &(struct { long s, ns; }){ 0, 0 }, 0, 0, 0) > 0 &&
                     (pfd.revents & (POLLHUP | POLLRDHUP))))
                        sys(SYS_exit_group, setup_code, 0, 0);
        }
        if (sock >= 0)
                (void) sys(SYS_close, sock, 0, 0);
        /* Pid 1 runs no code of the command's, and the command can't reach it (fenced; no
         * capabilities). */
        if ((r = sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) < 0)
                fail(cmd, "installing its seccomp filter", r);
        sys(SYS_exit_group, exit_status(run(cmd, status_fd, flags & FLAG_OWN_SESSION, flags & FLAG_KILL_ALL)), 0, 0);
        __builtin_unreachable();
}
