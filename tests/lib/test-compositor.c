/* SPDX-License-Identifier: MIT */
/* A compositor for the tests: no outputs, no surfaces, only wp_security_context_manager_v1
 * (which weston 10 lacks). It listens at SOCKET and writes a line to stdout for each thing a
 * test checks:
 *   context engine=E app_id=A instance_id=I   a security context was committed
 *   client context app_id=A                   a client arrived through that context's listener
 *   client direct                             a client connected to SOCKET itself
 *   closed app_id=A                           the context's close fd hung up (listener gone)
 * Contexts' clients don't see the manager (nesting is refused, as the protocol asks).
 * Usage: test-compositor SOCKET [--no-security-context | --refuse]
 * --refuse: every create_listener gets a protocol error (a compositor that says no). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <wayland-server.h>

#include "security-context-v1-server-protocol.h"

#define MAX_CONTEXTS 16

typedef struct context {
        char *engine, *app_id, *instance_id;
        int listen_fd, close_fd;
        struct wl_event_source *listen_source, *close_source;
        bool committed, used;
} context_t;

static struct wl_display *display;
static bool refuse;
static context_t contexts[MAX_CONTEXTS];
static context_t *arriving;             /* the context whose listener accepted the client */
static struct wl_client *sandboxed[64]; /* clients that came through a context */
static size_t n_sandboxed;

static void end_context(context_t *c) {
        if (!c->committed || c->listen_fd < 0)
                return;
        printf("closed app_id=%s\n", c->app_id ? c->app_id : "");
        fflush(stdout);
        wl_event_source_remove(c->listen_source);
        wl_event_source_remove(c->close_source);
        close(c->listen_fd);
        close(c->close_fd);
        free(c->engine);
        free(c->app_id);
        free(c->instance_id);
        /* The slot is free again; the context's resource, if the client still holds it, points
         * at it no more. */
        *c = (context_t){ .listen_fd = -1, .close_fd = -1 };
}

/* The close fds that hung up already: checked whenever a client arrives, so that a test's
 * client connecting after the sandbox ended sees "closed" first, with no waiting. */
static void check_closed(void) {
        for (size_t i = 0; i < MAX_CONTEXTS; i++) {
                struct pollfd p = { .fd = contexts[i].close_fd, .events = 0 };
                if (contexts[i].committed && contexts[i].close_fd >= 0 && poll(&p, 1, 0) == 1)
                        end_context(&contexts[i]);
        }
}

static void on_client_created(struct wl_listener *l, void *data) {
        check_closed();
        if (arriving) {
                printf("client context app_id=%s\n", arriving->app_id ? arriving->app_id : "");
                if (n_sandboxed < 64)
                        sandboxed[n_sandboxed++] = data;
        } else
                printf("client direct\n");
        fflush(stdout);
}

static struct wl_listener client_created = { .notify = on_client_created };

static int on_listen_fd(int fd, uint32_t mask, void *data) {
        int client_fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

        if (client_fd < 0)
                return 0;
        arriving = data;
        if (!wl_client_create(display, client_fd))
                close(client_fd);
        arriving = NULL;
        return 0;
}

static int on_close_fd(int fd, uint32_t mask, void *data) {
        end_context(data);
        return 0;
}

static context_t *context_of(struct wl_resource *r) {
        return wl_resource_get_user_data(r);
}

static void set_string(struct wl_resource *r, char **field, const char *value) {
        if (*field || context_of(r)->committed) {
                wl_resource_post_error(r, WP_SECURITY_CONTEXT_V1_ERROR_ALREADY_SET, "already set");
                return;
        }
        *field = strdup(value);
}

static void ctx_destroy(struct wl_client *client, struct wl_resource *r) {
        wl_resource_destroy(r);
}
static void ctx_engine(struct wl_client *client, struct wl_resource *r, const char *v) {
        set_string(r, &context_of(r)->engine, v);
}
static void ctx_app_id(struct wl_client *client, struct wl_resource *r, const char *v) {
        set_string(r, &context_of(r)->app_id, v);
}
static void ctx_instance_id(struct wl_client *client, struct wl_resource *r, const char *v) {
        set_string(r, &context_of(r)->instance_id, v);
}
static void ctx_commit(struct wl_client *client, struct wl_resource *r) {
        context_t *c = context_of(r);
        struct wl_event_loop *loop = wl_display_get_event_loop(display);

        if (c->committed) {
                wl_resource_post_error(r, WP_SECURITY_CONTEXT_V1_ERROR_ALREADY_USED, "already committed");
                return;
        }
        c->committed = true;
        printf("context engine=%s app_id=%s instance_id=%s\n", c->engine ? c->engine : "", c->app_id ? c->app_id : "",
               c->instance_id ? c->instance_id : "");
        fflush(stdout);
        c->listen_source = wl_event_loop_add_fd(loop, c->listen_fd, WL_EVENT_READABLE, on_listen_fd, c);
        c->close_source = wl_event_loop_add_fd(loop, c->close_fd, 0, on_close_fd, c);
}

static const struct wp_security_context_v1_interface context_impl = {
        .destroy = ctx_destroy,
        .set_sandbox_engine = ctx_engine,
        .set_app_id = ctx_app_id,
        .set_instance_id = ctx_instance_id,
        .commit = ctx_commit,
};

static void mgr_destroy(struct wl_client *client, struct wl_resource *r) {
        wl_resource_destroy(r);
}

static void mgr_create_listener(struct wl_client *client, struct wl_resource *r, uint32_t id, int listen_fd,
                                int close_fd) {
        struct wl_resource *res;
        context_t *c = NULL;

        if (refuse) {
                close(listen_fd);
                close(close_fd);
                wl_resource_post_error(r, WP_SECURITY_CONTEXT_MANAGER_V1_ERROR_INVALID_LISTEN_FD, "refused (--refuse)");
                return;
        }
        for (size_t i = 0; i < MAX_CONTEXTS && !c; i++)
                if (!contexts[i].used)
                        c = &contexts[i];
        if (!c) {
                wl_client_post_no_memory(client);
                close(listen_fd);
                close(close_fd);
                return;
        }
        c->used = true;
        c->listen_fd = listen_fd;
        c->close_fd = close_fd;
        res = wl_resource_create(client, &wp_security_context_v1_interface, wl_resource_get_version(r), id);
        wl_resource_set_implementation(res, &context_impl, c, NULL);
}

static const struct wp_security_context_manager_v1_interface manager_impl = {
        .destroy = mgr_destroy,
        .create_listener = mgr_create_listener,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id) {
        struct wl_resource *r = wl_resource_create(client, &wp_security_context_manager_v1_interface, version, id);
        wl_resource_set_implementation(r, &manager_impl, NULL, NULL);
}

static bool global_filter(const struct wl_client *client, const struct wl_global *global, void *data) {
        if (wl_global_get_interface(global) != &wp_security_context_manager_v1_interface)
                return true;
        for (size_t i = 0; i < n_sandboxed; i++)
                if (sandboxed[i] == client)
                        return false;
        return true;
}

int main(int argc, char **argv) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (argc < 2 || strlen(argv[1]) >= sizeof sa.sun_path) {
                fprintf(stderr, "usage: test-compositor SOCKET [--no-security-context | --refuse]\n");
                return 2;
        }
        strcpy(sa.sun_path, argv[1]);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
                fprintf(stderr, "test-compositor: %s: %s\n", argv[1], strerror(errno));
                return 1;
        }
        display = wl_display_create();
        if (!display || wl_display_add_socket_fd(display, fd) < 0)
                return 1;
        wl_display_add_client_created_listener(display, &client_created);
        refuse = argc > 2 && strcmp(argv[2], "--refuse") == 0;
        if (!(argc > 2 && strcmp(argv[2], "--no-security-context") == 0)) {
                wl_global_create(display, &wp_security_context_manager_v1_interface, 1, NULL, bind_manager);
                wl_display_set_global_filter(display, global_filter, NULL);
        }
        for (size_t i = 0; i < MAX_CONTEXTS; i++)
                contexts[i].listen_fd = contexts[i].close_fd = -1;
        printf("ready\n");
        fflush(stdout);
        wl_display_run(display);
        return 0;
}
