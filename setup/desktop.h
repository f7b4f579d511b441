/* SPDX-License-Identifier: MIT */
/* Desktop confinement: an app named by --app-id sees its own data directories, an empty $HOME
 * but for what --filesystem grants, and a private XDG_RUNTIME_DIR holding only the sockets
 * --socket grants (the D-Bus proxy and the Wayland security context are dbus-proxy.c's and
 * wayland.c's). The options are checked when parsed (pure); desktop_prepare() resolves them on
 * the host before the clone and turns them into mount and environment operations of the plan.
 * The sockets are desktop-sockets.c's. */
#pragma once

#include <stdbool.h>

#include "launch.h"
#include "options.h"
#include "plan.h"
#include "util.h"

struct monitor;

/* The option handlers (options.c's table names them). */
int desktop_opt_app_id(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int desktop_opt_socket(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int desktop_opt_device(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);
int desktop_opt_filesystem(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);

/* The words --socket (or, with DEVICE, --device) takes, one by one; NULL past the last (for the
 * shell completions). */
const char *desktop_word(bool device, size_t i);
/* NULL when ID is a valid application id, else why not (a sentence for the error). */
const char *desktop_app_id_invalid(const char *id);

/* Whether the plan asks for desktop confinement (an app id): then abstract unix sockets on the
 * host are out of the command's reach too. */
bool desktop_confined(const sandbox_plan_t *p);
/* Whether the command's Landlock domain scopes abstract unix sockets (the kernel has it). */
bool desktop_scope_abstract(const launch_t *launch);

/* In the parent, before the clone: the app's directories, its runtime directory with the
 * sockets granted, the helpers, and the mount and environment operations that show them. */
int desktop_prepare(launch_t *launch, sandbox_error_t *e);
/* Hands the helpers to the monitor (a failure there ends the sandbox, as the monitor reports). */
void desktop_attach(launch_t *launch, struct monitor *m);
/* After the sandbox: the held fds closed, the helpers stopped, the runtime directory removed.
 * Safe to call more than once, and for a launch that never prepared one. */
void desktop_finish(launch_t *launch);

/* desktop-sockets.c: the sockets of plan->sockets found on the host and bound into the runtime
 * directory (RUNTIME_INSIDE inside), with their variables. */
int desktop_sockets(launch_t *launch, const char *runtime_inside, sandbox_error_t *e);
