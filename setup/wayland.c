/* SPDX-License-Identifier: MIT */
#include "wayland.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <wayland-client-core.h>

/* libwayland-client, loaded on first use: only launches given a Wayland socket need it. */
typedef struct libwayland {
        struct wl_display *(*display_connect_to_fd)(int fd);
        void (*display_disconnect)(struct wl_display *display);
        int (*display_roundtrip)(struct wl_display *display);
        int (*display_get_error)(struct wl_display *display);
        struct wl_proxy *(*proxy_marshal_flags)(struct wl_proxy *proxy, uint32_t opcode,
                                                const struct wl_interface *interface, uint32_t version, uint32_t flags,
                                                ...);
        int (*proxy_add_listener)(struct wl_proxy *proxy, void (**implementation)(void), void *data);
        void (*proxy_destroy)(struct wl_proxy *proxy);
        uint32_t (*proxy_get_version)(struct wl_proxy *proxy);
        void (*proxy_set_user_data)(struct wl_proxy *proxy, void *user_data);
        void *(*proxy_get_user_data)(struct wl_proxy *proxy);
        const struct wl_interface *registry_interface; /* a data symbol */
} libwayland_t;

static libwayland_t wl;

/* The generated glue's inline requests call these by name: through the loaded library instead. */
#define wl_proxy_marshal_flags wl.proxy_marshal_flags
#define wl_proxy_add_listener wl.proxy_add_listener
#define wl_proxy_destroy wl.proxy_destroy
#define wl_proxy_get_version wl.proxy_get_version
#define wl_proxy_set_user_data wl.proxy_set_user_data
#define wl_proxy_get_user_data wl.proxy_get_user_data

#include "security-context-v1-client-protocol.h"

static int libwayland_open(sandbox_error_t *e) {
        static const dl_symbol_t syms[] = {
#define WL_SYMBOL(field) { "wl_" #field, offsetof(libwayland_t, field) }
                WL_SYMBOL(display_connect_to_fd), WL_SYMBOL(display_disconnect),  WL_SYMBOL(display_roundtrip),
                WL_SYMBOL(display_get_error),     WL_SYMBOL(proxy_marshal_flags), WL_SYMBOL(proxy_add_listener),
                WL_SYMBOL(proxy_destroy),         WL_SYMBOL(proxy_get_version),   WL_SYMBOL(proxy_set_user_data),
                WL_SYMBOL(proxy_get_user_data),   WL_SYMBOL(registry_interface),
#undef WL_SYMBOL
        };
        static void *handle;

        return dl_load(&handle, "libwayland-client.so.0", syms, ELEMENTSOF(syms), &wl, "Wayland security contexts",
                       "libwayland-client0", e);
}

static void on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
                      uint32_t version) {
        if (strcmp(interface, wp_security_context_manager_v1_interface.name) == 0)
                *(uint32_t *) data = name;
}

static void on_global_remove(void *data, struct wl_registry *registry, uint32_t name) {
}

static const struct wl_registry_listener registry_listener = { on_global, on_global_remove };

static int unix_socket(const char *path, bool do_listen, sandbox_error_t *e) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -1;

        if (strlen(path) >= sizeof sa.sun_path)
                return error_msg(e, "Wayland socket %s: the path is too long for a unix socket", path);
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return error_errno(e, errno, "Wayland socket %s: socket", path);
        if (!do_listen && connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return error_errno(e, errno, "Wayland display %s: connect", path);
        if (do_listen && (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(fd, 128) < 0))
                return error_errno(e, errno, "Wayland security context: listening at %s", path);
        return TAKE_FD(fd);
}

/* The manager's registry name, 0 if the compositor doesn't advertise it. */
static int find_manager(struct wl_display *display, const char *display_path, struct wl_registry **ret,
                        uint32_t *ret_name, sandbox_error_t *e) {
        struct wl_proxy *registry;

        *ret_name = 0;
        registry = wl.proxy_marshal_flags((struct wl_proxy *) display, WL_DISPLAY_GET_REGISTRY, wl.registry_interface,
                                          wl.proxy_get_version((struct wl_proxy *) display), 0, NULL);
        if (!registry)
                return error_errno(e, ENOMEM, "Wayland display %s: getting the registry", display_path);
        *ret = (struct wl_registry *) registry;
        wl.proxy_add_listener(registry, (void (**)(void)) & registry_listener, ret_name);
        if (wl.display_roundtrip(display) < 0)
                return error_errno(e, wl.display_get_error(display), "Wayland display %s: listing its globals",
                                   display_path);
        return 0;
}

/* create_listener and the metadata, committed; the compositor has its copies of the fds once
 * the roundtrip returns. */
static int attach_context(struct wl_display *display, struct wl_registry *registry, uint32_t name, int listen_fd,
                          int close_fd, const char *app_id, const char *instance_id, sandbox_error_t *e) {
        struct wp_security_context_manager_v1 *manager;
        struct wp_security_context_v1 *context;

        manager = (struct wp_security_context_manager_v1 *)
                          wl.proxy_marshal_flags((struct wl_proxy *) registry, WL_REGISTRY_BIND,
                                                 &wp_security_context_manager_v1_interface, 1, 0, name,
                                                 wp_security_context_manager_v1_interface.name, 1, NULL);
        if (!manager)
                return -ENOMEM;
        context = wp_security_context_manager_v1_create_listener(manager, listen_fd, close_fd);
        if (!context) {
                wp_security_context_manager_v1_destroy(manager);
                return -ENOMEM;
        }
        wp_security_context_v1_set_sandbox_engine(context, "sandbox");
        if (app_id)
                wp_security_context_v1_set_app_id(context, app_id);
        if (instance_id)
                wp_security_context_v1_set_instance_id(context, instance_id);
        wp_security_context_v1_commit(context);
        wp_security_context_v1_destroy(context);
        wp_security_context_manager_v1_destroy(manager);
        if (wl.display_roundtrip(display) < 0)
                return -(wl.display_get_error(display) ?: EPROTO);
        return 0;
}

int wayland_security_context(const char *display_path, const char *listen_path, const char *app_id,
                             const char *instance_id, int *ret_close_fd, sandbox_error_t *e) {
        _cleanup_close_ int listen_fd = -1, close_r = -1, close_w = -1;
        struct wl_registry *registry = NULL;
        struct wl_display *display;
        uint32_t name = 0;
        int fd, fds[2], r;

        *ret_close_fd = -1;
        if ((r = libwayland_open(e)) < 0)
                return r;
        if ((fd = unix_socket(display_path, false, e)) < 0)
                return fd;
        display = wl.display_connect_to_fd(fd);
        if (!display) {
                close(fd);
                return error_errno(e, errno ?: ENOMEM, "Wayland display %s: connecting", display_path);
        }
        r = find_manager(display, display_path, &registry, &name, e);
        if (r < 0 || name == 0)
                goto out;
        if ((r = listen_fd = unix_socket(listen_path, true, e)) < 0)
                goto out;
        if (pipe2(fds, O_CLOEXEC) < 0) {
                r = error_errno(e, errno, "Wayland security context: creating its close pipe");
                goto out;
        }
        close_r = fds[0];
        close_w = fds[1];
        /* The compositor stops accepting clients on the listener once the pipe's write end, ours
         * to hold while the sandbox runs, is closed. */
        r = attach_context(display, registry, name, listen_fd, close_r, app_id, instance_id, e);
        if (r < 0) {
                error_errno(e, -r, "Wayland display %s: creating a security context", display_path);
                error_hint(e, "the compositor advertises wp_security_context_manager_v1 but refused the request");
                (void) unlink(listen_path);
                goto out;
        }
        *ret_close_fd = TAKE_FD(close_w);
        r = 1;
out:
        if (registry)
                wl.proxy_destroy((struct wl_proxy *) registry);
        wl.display_disconnect(display);
        return r;
}
