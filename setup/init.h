/* SPDX-License-Identifier: MIT */
/* Signals that are passed on to the command, and the small pid 1 that stays in a pid namespace. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "launch.h"

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH. */
void init_forwarded_signals(sigset_t *ret);
/* Whether a signal the monitor or pid 1 received should be passed on. Signals the terminal
 * sends to the whole foreground process group already reached the command directly. */
bool init_should_forward(int code, bool command_has_own_session);
/* Converts a wait status into an exit status: the code, or 128+N for signal N. */
int init_exit_status(int wstatus);

/* pid 1: reap everything, pass the forwarded signals to `command`, and when the command ends
 * write its raw wait status to `status_fd` and return it (its stops are written there too).
 * Before it returns, what is left is killed and reaped where `kill_all` (every process has our
 * uid); elsewhere the kernel kills it as the caller exits. Never fails. */
int init_run(pid_t command, int status_fd, bool command_has_own_session, bool kill_all);

/* Pid 1 before the command is started: waits for the parent where the status fds need it, and
 * where Landlock can't fence the command off, makes itself not dumpable (the command's own
 * memory, after its exec, is dumpable again). Exits on error. */
void init_prepare(launch_t *launch);
/* Pid 1 once the command `cmd` has exec'd (or failed to): locks itself down (no capabilities,
 * the parent's death armed), installs its filter, then runs init_run(). Never returns. */
_noreturn_ void init_main(launch_t *launch, pid_t cmd, pid_t parent, uid_t uid, gid_t gid);

/* Pid 1 as a program of its own (pid1/pid1.c, built in). A fork of the launcher copies its page
 * tables and then faults on every page either process writes, the dearest part of a launch in a
 * guest whose page tables the host shadows. Where nothing passes between the monitor and the
 * child until the command has exec'd, the child instead shares our memory, with us suspended as
 * under vfork(), and becomes pid 1 by exec'ing this small program, which copies nothing.
 * Puts the program in a memfd (launch->stub_fd) where the launch fits; false where it doesn't
 * or the memfd can't be had (then the child is forked). */
bool init_stub_prepare(launch_t *launch);
/* In the child sharing our memory, once the command has exec'd: becomes pid 1 by exec'ing the
 * stub, which does what init_main() does. Never returns: where the exec fails, the command is
 * killed and the sandbox ends with the setup exit status. */
_noreturn_ void init_exec_stub(launch_t *launch, pid_t cmd, uid_t uid, gid_t gid);
