/* SPDX-License-Identifier: MIT */
#include "dbus-proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define DBUS_NAME_MAX 255

static const char *const rule_option[] = {
        [DBUS_RULE_SEE] = "see",   [DBUS_RULE_TALK] = "talk",           [DBUS_RULE_OWN] = "own",
        [DBUS_RULE_CALL] = "call", [DBUS_RULE_BROADCAST] = "broadcast",
};

static bool is_element_char(char c, bool dash) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
               (dash && c == '-');
}

/* Dot-separated elements of [A-Za-z0-9_] (and '-' in bus names), none empty or starting with a
 * digit, at least `min` of them: the D-Bus specification's bus and interface names. NULL when
 * valid, else why not. */
static const char *check_elements(const char *s, size_t len, bool dash, unsigned min) {
        unsigned n = 1;

        if (len == 0)
                return "it is empty";
        if (len > DBUS_NAME_MAX)
                return "it is longer than 255 bytes";
        for (size_t i = 0; i < len; i++) {
                bool start = i == 0 || s[i - 1] == '.';
                if (s[i] == '.') {
                        if (start)
                                return "it has an empty element (two dots, or a dot first)";
                        n++;
                } else if (!is_element_char(s[i], dash))
                        return dash ? "only A-Z a-z 0-9 _ - and dots may appear in it"
                                    : "only A-Z a-z 0-9 _ and dots may appear in it";
                else if (start && s[i] >= '0' && s[i] <= '9')
                        return "an element starts with a digit";
        }
        if (s[len - 1] == '.')
                return "it ends with a dot";
        if (n < min)
                return min == 2 ? "it needs at least two dot-separated elements (org.example.Name)"
                                : "it needs an interface and a member (org.example.Interface.Method)";
        return NULL;
}

/* A well-known name, or a prefix of them as NAME.* (that name and those below it). */
static int check_bus_name(const char *option, const char *name, sandbox_error_t *e) {
        size_t len = strlen(name);
        const char *why;

        if (name[0] == ':')
                return error_msg(e,
                                 "%s '%s': a unique connection name can't be granted (it changes with each "
                                 "connection); name a well-known one",
                                 option, name);
        if (len >= 2 && strcmp(name + len - 2, ".*") == 0)
                len -= 2;
        why = check_elements(name, len, true, 2);
        if (why)
                return error_msg(e, "%s '%s': not a valid D-Bus bus name: %s", option, name, why);
        return 0;
}

/* An object path, or a subtree of them as PATH/ *. */
static const char *check_object_path(const char *path) {
        size_t len = strlen(path);

        if (len >= 2 && strcmp(path + len - 2, "/*") == 0)
                len -= 2;
        else if (len == 1 && path[0] == '/')
                return NULL;
        if (path[0] != '/' && len > 0)
                return "an object path starts with /";
        if (len > 0 && path[len - 1] == '/')
                return "an object path doesn't end with / (but /* may end it)";
        for (size_t i = 0; i < len; i++) {
                if (path[i] == '/' ? (i > 0 && path[i - 1] == '/') : !is_element_char(path[i], false))
                        return "an object path is /-separated elements of A-Z a-z 0-9 _, none empty";
        }
        return NULL;
}

/* xdg-dbus-proxy's RULE: [METHOD][@OBJECT_PATH], METHOD being *, INTERFACE.MEMBER or
 * INTERFACE.*; the proxy itself takes anything, so a typo would silently match nothing. */
static int check_rule(const char *option, const char *arg, const char *rule, sandbox_error_t *e) {
        const char *at = strchr(rule, '@'), *why = NULL;
        size_t method_len = at ? (size_t) (at - rule) : strlen(rule);

        if (!*rule)
                why = "the rule after = is empty (* allows every method)";
        else if (at && !at[1])
                why = "an object path must follow @";
        else if (at && strchr(at + 1, '@'))
                why = "more than one @";
        else if (at && (why = check_object_path(at + 1)))
                ;
        else if (method_len == 1 && rule[0] == '*')
                ;
        else if (method_len > 0) {
                /* The member is the last element, "*" for any; the interface is what precedes it. */
                const char *dot = memrchr(rule, '.', method_len);
                if (!dot)
                        why = "a method is INTERFACE.MEMBER, INTERFACE.* or *";
                else if (!(dot + 2 == rule + method_len && dot[1] == '*') &&
                         (why = check_elements(dot + 1, (size_t) (rule + method_len - dot - 1), false, 1)))
                        ;
                else
                        why = check_elements(rule, (size_t) (dot - rule), false, 2);
        }
        if (why)
                return error_msg(e, "%s '%s': not a valid rule '%s': %s", option, arg, rule, why);
        return 0;
}

int dbus_option(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        dbus_rule_t rule = { .bus = (dbus_bus_t) (o->data >> 4),
                             .kind = (dbus_rule_kind_t) (o->data & 0xf),
                             .value = args[0] };
        char option[64];
        int r;

        snprintf(option, sizeof option, "--%s", o->name);
        if (rule.kind == DBUS_RULE_CALL || rule.kind == DBUS_RULE_BROADCAST) {
                const char *eq = strchr(args[0], '=');
                _cleanup_free_ char *name = NULL;

                if (!eq)
                        return error_msg(e,
                                         "%s '%s': expected NAME=RULE (org.example.App=org.example.Iface.Method@/path)",
                                         option, args[0]);
                name = strndup(args[0], (size_t) (eq - args[0]));
                if (!name)
                        return -ENOMEM;
                if ((r = check_bus_name(option, name, e)) < 0 || (r = check_rule(option, args[0], eq + 1, e)) < 0)
                        return r;
        } else if ((r = check_bus_name(option, args[0], e)) < 0)
                return r;
        APPEND(p->dbus_rules, p->n_dbus_rules, rule);
        return 0;
}

bool dbus_proxy_wanted(const sandbox_plan_t *p, dbus_bus_t bus) {
        for (size_t i = 0; i < p->n_dbus_rules; i++)
                if (p->dbus_rules[i].bus == bus)
                        return true;
        return false;
}

/* The host bus's address, and that it is there where we can tell: a missing bus would only show
 * as the app's connections failing, long after the launch. */
static int host_bus_address(dbus_bus_t bus, char **ret, sandbox_error_t *e) {
        const char *what = bus == DBUS_BUS_SESSION ? "session" : "system";
        const char *var = bus == DBUS_BUS_SESSION ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS";
        const char *value = getenv(var), *source = var, *path, *end;
        _cleanup_free_ char *address = NULL, *socket_path = NULL;
        struct stat st;

        if (value && *value)
                address = xstrdup(value);
        else if (bus == DBUS_BUS_SYSTEM) {
                address = xstrdup("unix:path=/run/dbus/system_bus_socket");
                source = "the default, DBUS_SYSTEM_BUS_ADDRESS being unset";
        } else if ((value = getenv("XDG_RUNTIME_DIR")) && *value) {
                address = xasprintf("unix:path=%s/bus", value);
                source = "XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS being unset";
        } else
                return error_msg(e, "D-Bus rules for the session bus: no session bus (DBUS_SESSION_BUS_ADDRESS and "
                                    "XDG_RUNTIME_DIR are unset)");
        /* Only a plain unix:path= address names a file to look at. */
        if (strncmp(address, "unix:path=", 10) == 0 && !strchr(address, ';')) {
                path = address + 10;
                end = strchr(path, ',');
                socket_path = strndup(path, end ? (size_t) (end - path) : strlen(path));
                if (!socket_path)
                        return -ENOMEM;
                int err = stat(socket_path, &st) < 0 ? errno : !S_ISSOCK(st.st_mode) ? ENOTSOCK : 0;
                if (err) {
                        int r = error_errno(e, err, "D-Bus rules for the %s bus: %s (from %s)", what, socket_path,
                                            source);
                        error_hint(e, "is the %s bus running? %s names its address", what, var);
                        return r;
                }
        }
        *ret = TAKE_PTR(address);
        return 0;
}

/* Appends S, keeping the array NULL-terminated at every step: freed whole on any way out. */
static void argv_push(char ***argv, size_t *n, char *s) {
        *argv = xrealloc_array(*argv, *n + 2, sizeof **argv);
        (*argv)[(*n)++] = s;
        (*argv)[*n] = NULL;
}

static void free_strv(char ***v) {
        if (*v)
                for (char **s = *v; *s; s++)
                        free(*s);
        free(*v);
}

/* ADDRESS PATH --filter and the rules, for one bus. */
static int add_bus(const sandbox_plan_t *p, dbus_bus_t bus, const char *dir, char ***argv, size_t *n,
                   sandbox_error_t *e) {
        char *address = NULL;
        int r;

        if (!dbus_proxy_wanted(p, bus))
                return 0;
        if ((r = host_bus_address(bus, &address, e)) < 0)
                return r;
        argv_push(argv, n, address);
        argv_push(argv, n, xasprintf("%s/%s", dir, bus == DBUS_BUS_SESSION ? "bus" : "system_bus_socket"));
        argv_push(argv, n, xstrdup("--filter"));
        for (size_t i = 0; i < p->n_dbus_rules; i++)
                if (p->dbus_rules[i].bus == bus)
                        argv_push(argv, n,
                                  xasprintf("--%s=%s", rule_option[p->dbus_rules[i].kind], p->dbus_rules[i].value));
        return 0;
}

int dbus_proxy_start(const sandbox_plan_t *p, const char *dir, helper_t *ret, sandbox_error_t *e) {
        _cleanup_(free_strv) char **argv = NULL;
        _cleanup_close_ int ready_r = -1, ready_w = -1;
        helper_t h = HELPER_NULL;
        size_t n = 0;
        int fds[2], r;

        *ret = HELPER_NULL;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return error_errno(e, errno, "xdg-dbus-proxy: creating its readiness pipe");
        ready_r = fds[0];
        ready_w = fds[1];
        argv_push(&argv, &n, xstrdup("xdg-dbus-proxy"));
        /* It writes a byte there once its sockets listen, and exits when the pipe breaks: it keeps
         * the read end itself, so only its death (ours, through the helper's death signal, or the
         * monitor's teardown) ends it. */
        argv_push(&argv, &n, xasprintf("--fd=%d", ready_w));
        if ((r = add_bus(p, DBUS_BUS_SESSION, dir, &argv, &n, e)) < 0 ||
            (r = add_bus(p, DBUS_BUS_SYSTEM, dir, &argv, &n, e)) < 0)
                return r;
        if ((r = helper_start(&h, "xdg-dbus-proxy", argv, (const int[]){ ready_w, ready_r }, 2, e)) < 0) {
                if (r == -ENOENT)
                        error_hint(e, "the D-Bus rules (--talk-name, --own-name, ...) need xdg-dbus-proxy in PATH; "
                                      "install it (Debian package xdg-dbus-proxy)");
                return r;
        }
        closep(&ready_w); /* a helper that dies before it is ready gives EOF */
        if ((r = helper_wait_ready(&h, ready_r, e)) < 0) {
                helper_stop(&h);
                return r;
        }
        *ret = h;
        return 0;
}
