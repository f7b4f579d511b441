/* SPDX-License-Identifier: MIT */
/* --socket: each socket found on the host where its variable says, and shown in the app's
 * runtime directory (or at its usual path) with the variable the app reads set to it. The
 * variables of sockets not granted are unset, so that nothing points the app at the host's. */
#include "desktop.h"

#include <X11/Xauth.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "dbus-proxy.h"
#include "wayland.h"

/* A socket asked for and found: where on the host, and which variable said so. */
typedef struct found {
        char *path;
        const char *variable; /* for the error: "$WAYLAND_DISPLAY in $XDG_RUNTIME_DIR" */
} found_t;

static int missing(const char *socket, const char *path, const char *variable, sandbox_error_t *e) {
        if (path && *path)
                error_msg(e, "--socket %s: no socket at %s (from %s)", socket, path, variable);
        else if (strstr(variable, " in $XDG_RUNTIME_DIR"))
                error_msg(e,
                          "--socket %s: no socket to grant: XDG_RUNTIME_DIR, where it is looked for (%s), is not set",
                          socket, variable);
        else
                error_msg(e, "--socket %s: no socket to grant: %s is not set", socket, variable);
        error_hint(e, "is the service running? --socket grants only a socket the host has");
        return -ENOENT;
}

static bool is_socket(const char *path) {
        struct stat st;
        return path && stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* NAME in the host's $XDG_RUNTIME_DIR (or NAME itself when it is absolute). */
static char *in_host_runtime(const char *name) {
        const char *dir = getenv("XDG_RUNTIME_DIR");

        if (name[0] == '/')
                return xstrdup(name);
        return dir && dir[0] == '/' ? xasprintf("%s/%s", dir, name) : NULL;
}

/* "unix:path=/run/user/1000/bus,guid=..." -> "/run/user/1000/bus"; NULL for other transports. */
static char *dbus_unix_path(const char *address) {
        const char *s = address ? strstr(address, "unix:path=") : NULL;

        if (!s || (s != address && s[-1] != ';'))
                return NULL;
        s += strlen("unix:path=");
        return xasprintf("%.*s", (int) strcspn(s, ",;"), s);
}

/* ---- Wayland ---- */

/* 1 when granted, 0 when absent and FALLBACK lets X11 stand in, or an error. */
static int add_wayland(launch_t *launch, const char *inside, bool fallback, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        const char *name = getenv("WAYLAND_DISPLAY");
        _cleanup_free_ char *host = in_host_runtime(name && *name ? name : "wayland-0");
        _cleanup_free_ char *listen = xasprintf("%s/wayland-0", launch->runtime_dir);
        _cleanup_free_ char *dest = xasprintf("%s/wayland-0", inside);
        int fd = -1, r;

        if (!is_socket(host))
                return fallback ? 0
                                : missing("wayland", host,
                                          name && *name ? "$WAYLAND_DISPLAY in $XDG_RUNTIME_DIR"
                                                        : "wayland-0 in $XDG_RUNTIME_DIR ($WAYLAND_DISPLAY is unset)",
                                          e);
        /* A listener of the compositor's that tags the app's clients; the host's socket where the
         * compositor has no security contexts. */
        r = wayland_security_context(host, listen, p->app_id, launch->instance_id, &fd, e);
        if (r < 0)
                return r;
        if (r > 0) {
                if (launch->n_held_fds >= ELEMENTSOF(launch->held_fds)) {
                        closep(&fd);
                        return error_msg(e, "--socket wayland: too many descriptors to hold");
                }
                launch->held_fds[launch->n_held_fds++] = fd;
        } else
                plan_add_bind(p, "socket", "wayland", host, dest, MOUNT_FLAG_RO);
        plan_setenv(p, "WAYLAND_DISPLAY", "wayland-0");
        return 1;
}

/* ---- X11 ---- */

typedef struct libxau {
        Xauth *(*XauReadAuth)(FILE *);
        int (*XauWriteAuth)(FILE *, Xauth *);
        void (*XauDisposeAuth)(Xauth *);
        char *(*XauFileName)(void);
} libxau_t;

static int xau_open(libxau_t *lib, sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
                { "XauReadAuth", offsetof(libxau_t, XauReadAuth) },
                { "XauWriteAuth", offsetof(libxau_t, XauWriteAuth) },
                { "XauDisposeAuth", offsetof(libxau_t, XauDisposeAuth) },
                { "XauFileName", offsetof(libxau_t, XauFileName) },
        };
        static void *handle;

        return dl_load(&handle, "libXau.so.6", syms, ELEMENTSOF(syms), lib, "--socket x11's Xauthority", "libxau6", e);
}

/* The cookies of display NUMBER, and no other display's, to OUT for display INSIDE: as
 * FamilyWild, since the app's host name may differ from the one they were written for (Flatpak
 * does the same). */
static int write_xauthority(const char *number, unsigned inside, const char *out, sandbox_error_t *e) {
        char inside_number[16];
        libxau_t lib;
        _cleanup_fclose_ FILE *in = NULL, *f = NULL;
        const char *file;
        Xauth *a;
        int r;

        if ((r = xau_open(&lib, e)) < 0)
                return r;
        if (!(f = fopen(out, "wxe")))
                return error_errno(e, errno, "--socket x11: creating %s", out);
        file = lib.XauFileName();
        /* No Xauthority: the server takes no cookies, and the app gets an empty file. */
        if (!file || !(in = fopen(file, "re")))
                return 0;
        while ((a = lib.XauReadAuth(in))) {
                bool ours = (a->family == FamilyLocal || a->family == FamilyWild) &&
                            a->number_length == strlen(number) && memcmp(a->number, number, a->number_length) == 0;

                if (ours) {
                        snprintf(inside_number, sizeof inside_number, "%u", inside);
                        a->family = FamilyWild;
                        a->address_length = 0;
                        free(a->number);
                        a->number = xstrdup(inside_number);
                        a->number_length = (unsigned short) strlen(inside_number);
                        if (!lib.XauWriteAuth(f, a)) {
                                lib.XauDisposeAuth(a);
                                return error_errno(e, errno, "--socket x11: writing %s", out);
                        }
                }
                lib.XauDisposeAuth(a);
        }
        if (fflush(f) != 0)
                return error_errno(e, errno, "--socket x11: writing %s", out);
        return 0;
}

/* The display number the app sees. Xlib tries the abstract socket @/tmp/.X11-unix/XN first and
 * gives up on any error but ENOENT and ECONNREFUSED, so the EPERM of Landlock's scope would stop
 * it before it tries the path: inside, the display is a number no abstract socket of this network
 * namespace has (as Flatpak, from 99). */
static unsigned free_display_number(void) {
        _cleanup_free_ char *table = NULL;
        size_t size;
        unsigned n = 99;

        if (read_file_path("/proc/net/unix", &table, &size) < 0)
                return n;
        for (; n < 9999; n++) {
                char name[32];
                snprintf(name, sizeof name, " @/tmp/.X11-unix/X%u\n", n);
                if (!strstr(table, name))
                        break;
        }
        return n;
}

/* DISPLAY ":N", ":N.S", "unix:N": N, the local server's number. */
static char *display_number(const char *display) {
        const char *s = display;
        size_t n;

        if (!s)
                return NULL;
        if (strncmp(s, "unix:", 5) == 0)
                s += 4;
        if (*s++ != ':')
                return NULL;
        n = strspn(s, "0123456789");
        if (!n || (s[n] && s[n] != '.'))
                return NULL;
        return xasprintf("%.*s", (int) n, s);
}

static int add_x11(launch_t *launch, const char *inside, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        const char *display = getenv("DISPLAY") && *getenv("DISPLAY") ? getenv("DISPLAY") : NULL;
        _cleanup_free_ char *number = display_number(display), *host = NULL, *dest = NULL, *auth = NULL,
                            *auth_inside = NULL, *dpy = NULL;
        unsigned inside_number;
        int r;

        if (!number) {
                error_msg(e, "--socket x11: %s",
                          display ? "DISPLAY is not a local display (:N)" : "DISPLAY is not set");
                if (display)
                        error_hint(e, "DISPLAY=%s: only a local server's unix socket can be granted", display);
                return -ENOENT;
        }
        host = xasprintf("/tmp/.X11-unix/X%s", number);
        if (!is_socket(host))
                return missing("x11", host, "$DISPLAY", e);
        inside_number = free_display_number();
        dest = xasprintf("/tmp/.X11-unix/X%u", inside_number);
        plan_add_bind(p, "socket", "x11", host, dest, MOUNT_FLAG_RO);
        auth = xasprintf("%s/Xauthority", launch->runtime_dir);
        auth_inside = xasprintf("%s/Xauthority", inside);
        if ((r = write_xauthority(number, inside_number, auth, e)) < 0)
                return r;
        dpy = xasprintf(":%u", inside_number);
        plan_setenv(p, "DISPLAY", dpy);
        plan_setenv(p, "XAUTHORITY", auth_inside);
        return 0;
}

/* ---- the others: one socket each, bound ---- */

static int add_simple(launch_t *launch, const char *socket, const char *host, const char *variable, const char *dest,
                      sandbox_error_t *e) {
        if (!is_socket(host))
                return missing(socket, host, variable, e);
        plan_add_bind(launch->plan, "socket", socket, host, dest, MOUNT_FLAG_RO);
        return 0;
}

/* An unfiltered bus: the socket of VARIABLE's unix:path= address, or the usual place without it. */
static int add_bus(launch_t *launch, const char *socket, const char *variable, const char *dest, sandbox_error_t *e) {
        const char *v = getenv(variable);
        bool session = strcmp(socket, "session-bus") == 0;
        _cleanup_free_ char *host = v         ? dbus_unix_path(v)
                                    : session ? in_host_runtime("bus")
                                              : xstrdup("/run/dbus/system_bus_socket");
        _cleanup_free_ char *from = v         ? xasprintf("$%s", variable)
                                    : session ? xstrdup("bus in $XDG_RUNTIME_DIR")
                                              : xstrdup("the system bus's default address");

        if (v && !host) {
                error_msg(e, "--socket %s: %s=%s has no unix:path= address to bind", socket, variable, v);
                error_hint(e, "an abstract socket can't be shown in the sandbox (the app is kept from the host's): "
                              "run the bus on a path (dbus-daemon --address=unix:path=...)");
                return -EINVAL;
        }
        return add_simple(launch, socket, host, from, dest, e);
}

static int add_dbus(launch_t *launch, const char *inside, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        bool session = (p->sockets & SOCKET_SESSION_BUS) && !dbus_proxy_wanted(p, DBUS_BUS_SESSION);
        bool system = (p->sockets & SOCKET_SYSTEM_BUS) && !dbus_proxy_wanted(p, DBUS_BUS_SYSTEM);
        _cleanup_free_ char *bus = xasprintf("%s/bus", inside), *address = xasprintf("unix:path=%s", bus);
        int r;

        if (session && (r = add_bus(launch, "session-bus", "DBUS_SESSION_BUS_ADDRESS", bus, e)) < 0)
                return r;
        if (system &&
            (r = add_bus(launch, "system-bus", "DBUS_SYSTEM_BUS_ADDRESS", "/run/dbus/system_bus_socket", e)) < 0)
                return r;
        if (dbus_proxy_wanted(p, DBUS_BUS_SESSION) || dbus_proxy_wanted(p, DBUS_BUS_SYSTEM)) {
                if (launch->n_helpers >= ELEMENTSOF(launch->helpers))
                        return error_msg(e, "--talk-name: too many helpers");
                launch->helpers[launch->n_helpers] = HELPER_NULL;
                if ((r = dbus_proxy_start(p, launch->runtime_dir, &launch->helpers[launch->n_helpers], e)) < 0)
                        return r;
                launch->n_helpers++;
                if (dbus_proxy_wanted(p, DBUS_BUS_SYSTEM)) {
                        _cleanup_free_ char *proxy = xasprintf("%s/system_bus_socket", launch->runtime_dir);
                        plan_add_bind(p, "system-talk-name", "(proxy)", proxy, "/run/dbus/system_bus_socket",
                                      MOUNT_FLAG_RO);
                }
        }
        if (session || dbus_proxy_wanted(p, DBUS_BUS_SESSION))
                plan_setenv(p, "DBUS_SESSION_BUS_ADDRESS", address);
        else
                plan_unsetenv(p, "DBUS_SESSION_BUS_ADDRESS");
        if (system || dbus_proxy_wanted(p, DBUS_BUS_SYSTEM))
                plan_setenv(p, "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/dbus/system_bus_socket");
        else
                plan_unsetenv(p, "DBUS_SYSTEM_BUS_ADDRESS");
        return 0;
}

int desktop_sockets(launch_t *launch, const char *inside, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        bool fallback = p->sockets & SOCKET_FALLBACK_X11, x11;
        int wayland = 0, r;

        if ((p->sockets & SOCKET_WAYLAND) && (wayland = add_wayland(launch, inside, fallback, e)) < 0)
                return wayland;
        if (!wayland)
                plan_unsetenv(p, "WAYLAND_DISPLAY");
        /* As Flatpak: fallback-x11 gives X11 where the app has no Wayland display. */
        x11 = (p->sockets & SOCKET_X11) || (fallback && !wayland);
        if (x11 && (r = add_x11(launch, inside, e)) < 0)
                return r;
        if (!x11) {
                plan_unsetenv(p, "DISPLAY");
                plan_unsetenv(p, "XAUTHORITY");
        }

        if (p->sockets & SOCKET_PULSEAUDIO) {
                _cleanup_free_ char *host = in_host_runtime("pulse/native");
                _cleanup_free_ char *dest = xasprintf("%s/pulse/native", inside);
                _cleanup_free_ char *server = xasprintf("unix:%s", dest);
                if ((r = add_simple(launch, "pulseaudio", host, "pulse/native in $XDG_RUNTIME_DIR", dest, e)) < 0)
                        return r;
                plan_setenv(p, "PULSE_SERVER", server);
        } else
                plan_unsetenv(p, "PULSE_SERVER");

        if (p->sockets & SOCKET_PIPEWIRE) {
                _cleanup_free_ char *host = in_host_runtime("pipewire-0");
                _cleanup_free_ char *dest = xasprintf("%s/pipewire-0", inside);
                if ((r = add_simple(launch, "pipewire", host, "pipewire-0 in $XDG_RUNTIME_DIR", dest, e)) < 0)
                        return r;
        }
        /* libpipewire would follow it to the host's. */
        plan_unsetenv(p, "PIPEWIRE_REMOTE");

        if (p->sockets & SOCKET_SSH_AUTH) {
                _cleanup_free_ char *dest = xasprintf("%s/ssh-auth", inside);
                if ((r = add_simple(launch, "ssh-auth", getenv("SSH_AUTH_SOCK"), "$SSH_AUTH_SOCK", dest, e)) < 0)
                        return r;
                plan_setenv(p, "SSH_AUTH_SOCK", dest);
        } else
                plan_unsetenv(p, "SSH_AUTH_SOCK");

        return add_dbus(launch, inside, e);
}
