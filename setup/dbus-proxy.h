/* SPDX-License-Identifier: MIT */
/* Filtered D-Bus access, in Flatpak's words: --talk-name, --own-name, --see-name, --call,
 * --broadcast and their --system-* forms, enforced by xdg-dbus-proxy, one process for both
 * buses, a helper of the monitor. */
#pragma once

#include <stdbool.h>

#include "helper.h"
#include "options.h"
#include "plan.h"
#include "util.h"

/* An option row's data: which bus and what kind of rule. */
#define DBUS_OPTION_DATA(bus, kind) ((unsigned) (bus) << 4 | (unsigned) (kind))

/* The handler of every D-Bus rule option: the name (and rule) checked, the rule added. */
int dbus_option(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e);

/* Whether the plan asks for filtered access to that bus. */
bool dbus_proxy_wanted(const sandbox_plan_t *p, dbus_bus_t bus);
/* Starts xdg-dbus-proxy for the buses the plan filters, listening at DIR/bus (session) and
 * DIR/system_bus_socket (system), ready before it returns. */
int dbus_proxy_start(const sandbox_plan_t *p, const char *dir, helper_t *ret, sandbox_error_t *e);
