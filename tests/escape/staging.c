/* The escape probe for the staging of setup objects (tests/escape/staging.sh).
 *
 * Sandbox A builds its root over a shared directory (--bind DIR /) while sandbox B, with the
 * same directory bound, runs `race`: every name that appears in DIR is reported and at once
 * exchanged (renameat2 RENAME_EXCHANGE) with a symlink to a file or directory outside both
 * roots. Had A staged its --bind-data file or --tmp-overlay directory in DIR and reopened it
 * by name, it would have bound the host's file instead of its own; A runs `read` or `append`
 * on its destination to show what it got.
 *
 * Exit status: 0 done, 2 usage or setup error. Static, so it runs in a root holding nothing
 * but itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

enum {
        DONE = 0,
        USAGE = 2
};

/* The racer's own names in DIR: the symlinks it swaps in, and the test's word to stop. */
#define RACER_PREFIX ".racer-"
#define RACER_STOP ".racer-stop"

/* read PATH: prints the file's first line ("unreadable: ..." if it can't be read). */
static int cmd_read(int argc, char **argv) {
        char line[256] = "";
        FILE *f;

        if (argc != 2)
                return USAGE;
        f = fopen(argv[1], "re");
        if (!f || !fgets(line, sizeof line, f)) {
                printf("unreadable: %s\n", strerror(errno));
                return DONE;
        }
        fclose(f);
        line[strcspn(line, "\n")] = 0;
        printf("%s\n", line);
        return DONE;
}

/* append PATH TEXT: appends TEXT and a newline to PATH, then prints its first line. */
static int cmd_append(int argc, char **argv) {
        int fd;

        if (argc != 3)
                return USAGE;
        fd = open(argv[1], O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0 || dprintf(fd, "%s\n", argv[2]) < 0) {
                printf("unwritable: %s\n", strerror(errno));
                return DONE;
        }
        close(fd);
        return cmd_read(2, argv);
}

/* A symlink to TARGET under a fresh name of ours, ready to be exchanged in. */
static int plant(int dirfd, const char *target, unsigned *counter, char name[static 64]) {
        snprintf(name, 64, RACER_PREFIX "%u", (*counter)++);
        if (symlinkat(target, dirfd, name) < 0) {
                perror(name);
                return -1;
        }
        return 0;
}

/* race DIR FILE-TARGET DIR-TARGET READY: watches DIR; each name that is created or moved in
 * there (but ours) is printed as "appeared NAME" and exchanged with a symlink to FILE-TARGET
 * (or DIR-TARGET for a directory) made beforehand, so the swap is one syscall after the
 * event. Writes "up" to the fifo READY once the watch is in place; ends when RACER_STOP
 * appears, printing "swapped N". */
static int cmd_race(int argc, char **argv) {
        char file_link[64], dir_link[64], last_swapped[NAME_MAX + 1] = "";
        char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
        unsigned counter = 0;
        long swapped = 0;
        int dirfd, ino;
        FILE *ready;

        if (argc != 5)
                return USAGE;
        dirfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
        ino = inotify_init1(IN_CLOEXEC);
        if (dirfd < 0 || ino < 0 || inotify_add_watch(ino, argv[1], IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
                perror(argv[1]);
                return USAGE;
        }
        if (plant(dirfd, argv[2], &counter, file_link) < 0 || plant(dirfd, argv[3], &counter, dir_link) < 0)
                return USAGE;
        ready = fopen(argv[4], "we");
        if (!ready || fputs("up\n", ready) < 0 || fclose(ready) != 0) {
                perror(argv[4]);
                return USAGE;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        for (;;) {
                ssize_t n = read(ino, buf, sizeof buf);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        perror("inotify");
                        return USAGE;
                }
                for (char *p = buf; p < buf + n;) {
                        const struct inotify_event *ev = (const struct inotify_event *) p;
                        bool dir = ev->mask & IN_ISDIR;
                        char *link = dir ? dir_link : file_link;

                        p += sizeof *ev + ev->len;
                        if (ev->len == 0)
                                continue;
                        if (strcmp(ev->name, RACER_STOP) == 0) {
                                printf("swapped %ld\n", swapped);
                                return DONE;
                        }
                        if (strncmp(ev->name, RACER_PREFIX, strlen(RACER_PREFIX)) == 0)
                                continue;
                        /* Our own exchange moves the symlink in under the name: seen once, not news. */
                        if ((ev->mask & IN_MOVED_TO) && strcmp(ev->name, last_swapped) == 0) {
                                last_swapped[0] = 0;
                                continue;
                        }
                        printf("appeared %s\n", ev->name);
                        if (syscall(SYS_renameat2, dirfd, ev->name, dirfd, link, RENAME_EXCHANGE) == 0) {
                                swapped++;
                                snprintf(last_swapped, sizeof last_swapped, "%s", ev->name);
                                if (plant(dirfd, dir ? argv[3] : argv[2], &counter, link) < 0)
                                        return USAGE;
                        }
                }
        }
}

static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
} commands[] = {
        { "read", cmd_read },
        { "append", cmd_append },
        { "race", cmd_race },
};

int main(int argc, char **argv) {
        if (argc < 2)
                goto usage;
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(argv[1], commands[i].name) == 0) {
                        int r = commands[i].fn(argc - 1, argv + 1);
                        if (r == USAGE)
                                goto usage;
                        return r;
                }
usage:
        fprintf(stderr, "usage: staging read PATH | append PATH TEXT | race DIR FILE-TARGET DIR-TARGET READY\n");
        return USAGE;
}
