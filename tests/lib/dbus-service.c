/* SPDX-License-Identifier: MIT */
/* A D-Bus service for the tests: owns each NAME given on the session bus
 * (DBUS_SESSION_BUS_ADDRESS) and answers org.example.Test.Ping on /org/example/Test with
 * "pong NAME", NAME being the name the call was addressed to. Prints "ready" once it owns
 * them all; runs until killed. Usage: dbus-service NAME... */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <systemd/sd-bus.h>

static int ping(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        char reply[300];

        snprintf(reply, sizeof reply, "pong %s", sd_bus_message_get_destination(m) ?: "");
        return sd_bus_reply_method_return(m, "s", reply);
}

static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("Ping", "", "s", ping, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        int r;

        if (argc < 2) {
                fprintf(stderr, "usage: dbus-service NAME...\n");
                return 2;
        }
        if ((r = sd_bus_open_user(&bus)) < 0 ||
            (r = sd_bus_add_object_vtable(bus, NULL, "/org/example/Test", "org.example.Test", vtable, NULL)) < 0) {
                fprintf(stderr, "dbus-service: connecting: %s\n", strerror(-r));
                return 1;
        }
        for (int i = 1; i < argc; i++)
                if ((r = sd_bus_request_name(bus, argv[i], 0)) < 0) {
                        fprintf(stderr, "dbus-service: %s: %s\n", argv[i], strerror(-r));
                        return 1;
                }
        printf("ready\n");
        fflush(stdout);
        for (;;) {
                if ((r = sd_bus_process(bus, NULL)) < 0)
                        return 1;
                if (r == 0 && (r = sd_bus_wait(bus, UINT64_MAX)) < 0)
                        return 1;
        }
}
