/* SPDX-License-Identifier: MIT */
#include "desktop.h"

#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "landlock.h"
#include "monitor.h"

/* ---- the options (pure) ---- */

/* The D-Bus rules for a well-known name, which is what Flatpak takes an app id to be. */
const char *desktop_app_id_invalid(const char *id) {
        size_t elements = 0;

        if (!*id)
                return "it is empty";
        if (strlen(id) > 255)
                return "it is longer than 255 bytes";
        for (const char *s = id;; s++) {
                size_t len = strcspn(s, ".");

                if (len == 0)
                        return *s == '.' && s == id ? "it starts with a dot"
                               : !*s                ? "it ends with a dot"
                                                    : "it has an empty element (two dots in a row)";
                if (s[0] >= '0' && s[0] <= '9')
                        return "an element starts with a digit";
                for (size_t i = 0; i < len; i++)
                        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", s[i]))
                                return "it holds a character other than A-Z, a-z, 0-9, '_', '-' and the dots";
                elements++;
                s += len;
                if (!*s)
                        break;
        }
        return elements < 2 ? "it needs at least two elements separated by dots" : NULL;
}

int desktop_opt_app_id(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        const char *why = desktop_app_id_invalid(args[0]);

        if (why) {
                error_msg(e, "--%s '%s': not a valid application id: %s", o->name, args[0], why);
                error_hint(e, "an application id is in reverse-DNS form, like org.example.Editor");
                return -EINVAL;
        }
        p->app_id = args[0];
        return 0;
}

typedef struct named_bit {
        const char *name;
        unsigned bit;
} named_bit_t;

static const named_bit_t socket_names[] = {
        { "wayland", SOCKET_WAYLAND },       { "x11", SOCKET_X11 },           { "fallback-x11", SOCKET_FALLBACK_X11 },
        { "pulseaudio", SOCKET_PULSEAUDIO }, { "pipewire", SOCKET_PIPEWIRE }, { "session-bus", SOCKET_SESSION_BUS },
        { "system-bus", SOCKET_SYSTEM_BUS }, { "ssh-auth", SOCKET_SSH_AUTH },
};

static const named_bit_t device_names[] = {
        { "dri", DEVICE_DRI },
        { "all", DEVICE_ALL },
};

const char *desktop_word(bool device, size_t i) {
        if (device)
                return i < ELEMENTSOF(device_names) ? device_names[i].name : NULL;
        return i < ELEMENTSOF(socket_names) ? socket_names[i].name : NULL;
}

static int named_bit(const char *option, const char *what, const named_bit_t *names, size_t n, const char *word,
                     unsigned *bits, sandbox_error_t *e) {
        suggestion_t s = SUGGESTION_INIT;
        char list[256] = "";
        size_t len = 0;

        for (size_t i = 0; i < n; i++) {
                if (strcmp(names[i].name, word) == 0) {
                        *bits |= names[i].bit;
                        return 0;
                }
                suggestion_consider(&s, word, names[i].name);
                len += (size_t) snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i].name);
        }
        error_msg(e, "--%s '%s': unknown %s", option, word, what);
        if (s.best)
                error_hint(e, "did you mean '%s'? (one of %s)", s.best, list);
        else
                error_hint(e, "one of %s", list);
        return -EINVAL;
}

int desktop_opt_socket(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return named_bit(o->name, "socket", socket_names, ELEMENTSOF(socket_names), args[0], &p->sockets, e);
}

int desktop_opt_device(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        return named_bit(o->name, "device", device_names, ELEMENTSOF(device_names), args[0], &p->devices, e);
}

/* Flatpak's names for the user's directories, and the user-dirs.dirs key of each. */
static const struct {
        const char *name, *key;
} user_dirs[] = {
        { "xdg-desktop", "DESKTOP" },     { "xdg-documents", "DOCUMENTS" }, { "xdg-download", "DOWNLOAD" },
        { "xdg-music", "MUSIC" },         { "xdg-pictures", "PICTURES" },   { "xdg-public-share", "PUBLICSHARE" },
        { "xdg-templates", "TEMPLATES" }, { "xdg-videos", "VIDEOS" },
};

/* The base directories, which take a subdirectory (xdg-config/foo) as the user's dirs do. */
static const struct {
        const char *name, *variable, *fallback;
} base_dirs[] = {
        { "xdg-config", "XDG_CONFIG_HOME", ".config" },
        { "xdg-data", "XDG_DATA_HOME", ".local/share" },
        { "xdg-cache", "XDG_CACHE_HOME", ".cache" },
};

/* The symbolic name PATH starts with (home, xdg-...), NULL for a path; *ret_sub is what follows
 * it ("" or "/sub/dir"). */
static const char *symbolic_prefix(const char *path, const char **ret_sub) {
        size_t len = strcspn(path, "/");

        *ret_sub = path + len;
        if (len == 4 && strncmp(path, "home", 4) == 0)
                return "home";
        for (size_t i = 0; i < ELEMENTSOF(user_dirs); i++)
                if (strlen(user_dirs[i].name) == len && strncmp(path, user_dirs[i].name, len) == 0)
                        return user_dirs[i].name;
        for (size_t i = 0; i < ELEMENTSOF(base_dirs); i++)
                if (strlen(base_dirs[i].name) == len && strncmp(path, base_dirs[i].name, len) == 0)
                        return base_dirs[i].name;
        return NULL;
}

static bool has_dotdot(const char *path) {
        for (const char *s = path; (s = strstr(s, "..")); s += 2)
                if ((s == path || s[-1] == '/') && (s[2] == '/' || !s[2]))
                        return true;
        return false;
}

int desktop_opt_filesystem(sandbox_plan_t *p, const option_def_t *o, char **args, sandbox_error_t *e) {
        static const char *const modes[] = {
                [FILESYSTEM_RO] = "ro", [FILESYSTEM_RW] = "rw", [FILESYSTEM_CREATE] = "create"
        };
        const char *colon = strrchr(args[0], ':'), *sub;
        filesystem_grant_t g = { .mode = FILESYSTEM_RO };
        char *path;

        path = colon ? xasprintf("%.*s", (int) (colon - args[0]), args[0]) : xstrdup(args[0]);
        APPEND(p->owned, p->n_owned, path);
        if (colon) {
                size_t m = 0;
                while (m < ELEMENTSOF(modes) && strcmp(colon + 1, modes[m]) != 0)
                        m++;
                if (m == ELEMENTSOF(modes)) {
                        error_msg(e, "--%s %s: unknown access '%s'", o->name, args[0], colon + 1);
                        error_hint(e, "PATH:ro (the default), PATH:rw or PATH:create");
                        return -EINVAL;
                }
                g.mode = (filesystem_mode_t) m;
        }
        if (!*path ||
            (path[0] != '/' && strcmp(path, "~") != 0 && strncmp(path, "~/", 2) != 0 && !symbolic_prefix(path, &sub))) {
                error_msg(e, "--%s %s: not an absolute path, ~/PATH or a known name", o->name, args[0]);
                error_hint(e, "the names are home, xdg-desktop, xdg-documents, xdg-download, xdg-music, "
                              "xdg-pictures, xdg-public-share, xdg-templates, xdg-videos, and xdg-config, "
                              "xdg-data, xdg-cache (each may be followed by /SUBDIR)");
                return -EINVAL;
        }
        if (has_dotdot(path))
                return error_msg(e, "--%s %s: '..' is not allowed in the path", o->name, args[0]);
        if (strcmp(path, "/") == 0) {
                error_msg(e, "--%s %s: refusing to grant the whole filesystem", o->name, args[0]);
                error_hint(e, "grant the directories the app needs, one --%s each", o->name);
                return -EINVAL;
        }
        g.path = path;
        APPEND(p->filesystems, p->n_filesystems, g);
        return 0;
}

bool desktop_confined(const sandbox_plan_t *p) {
        return p->app_id != NULL;
}

/* ---- plan operations ---- */

/* mkdir -p, the directories it makes private to the user. */
static int mkdir_parents(const char *path, sandbox_error_t *e, const char *what) {
        _cleanup_free_ char *copy = xstrdup(path);

        for (char *s = copy + 1;; s++) {
                if (*s && *s != '/')
                        continue;
                char c = *s;
                *s = 0;
                if (mkdir(copy, 0700) < 0 && errno != EEXIST)
                        return error_errno(e, errno, "%s: creating %s", what, copy);
                if (!(*s = c))
                        break;
        }
        return 0;
}

/* ---- --filesystem on the host ---- */

/* The directory user-dirs.dirs gives KEY ($HOME/... or absolute), or NULL. */
static char *user_dir(const char *home, const char *key) {
        const char *config = getenv("XDG_CONFIG_HOME");
        _cleanup_free_ char *file = config && config[0] == '/' ? xasprintf("%s/user-dirs.dirs", config)
                                                               : xasprintf("%s/.config/user-dirs.dirs", home);
        _cleanup_free_ char *text = NULL, *prefix = xasprintf("XDG_%s_DIR=\"", key);
        size_t size;

        if (read_file_path(file, &text, &size) < 0)
                return strcmp(key, "DESKTOP") == 0 ? xasprintf("%s/Desktop", home) : NULL;
        for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                size_t len;
                char *value;

                if (strncmp(line, prefix, strlen(prefix)) != 0)
                        continue;
                value = line + strlen(prefix);
                len = strcspn(value, "\"\n");
                if (strncmp(value, "$HOME", 5) == 0 && (len == 5 || value[5] == '/'))
                        return xasprintf("%s%.*s", home, (int) len - 5, value + 5);
                if (value[0] == '/')
                        return xasprintf("%.*s", (int) len, value);
                return NULL;
        }
        return strcmp(key, "DESKTOP") == 0 ? xasprintf("%s/Desktop", home) : NULL;
}

static char *resolve_grant(const char *home, const filesystem_grant_t *g, sandbox_error_t *e) {
        const char *sub, *name = symbolic_prefix(g->path, &sub);
        _cleanup_free_ char *base = NULL;

        if (g->path[0] == '/')
                return xstrdup(g->path);
        if (g->path[0] == '~')
                return xasprintf("%s%s", home, g->path + 1);
        if (strcmp(name, "home") == 0)
                return xasprintf("%s%s", home, sub);
        for (size_t i = 0; i < ELEMENTSOF(user_dirs); i++) {
                if (strcmp(name, user_dirs[i].name) != 0)
                        continue;
                base = user_dir(home, user_dirs[i].key);
                for (size_t l = base ? strlen(base) : 0; l > 1 && base[l - 1] == '/';)
                        base[--l] = 0;
                /* One set to the home itself means "none", as in xdg-user-dirs: never the whole home. */
                if (!base || strcmp(base, home) == 0) {
                        error_msg(e, "--filesystem %s: the user-dirs.dirs of this user names no XDG_%s_DIR", g->path,
                                  user_dirs[i].key);
                        error_hint(e, "set it in ~/.config/user-dirs.dirs (xdg-user-dirs-update), or grant the path");
                        return NULL;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(base_dirs); i++)
                if (strcmp(name, base_dirs[i].name) == 0) {
                        const char *v = getenv(base_dirs[i].variable);
                        base = v && v[0] == '/' ? xstrdup(v) : xasprintf("%s/%s", home, base_dirs[i].fallback);
                }
        return xasprintf("%s%s", base, sub);
}

static int grant_filesystems(sandbox_plan_t *p, const char *home, sandbox_error_t *e) {
        for (size_t i = 0; i < p->n_filesystems; i++) {
                const filesystem_grant_t *g = &p->filesystems[i];
                _cleanup_free_ char *what = xasprintf("--filesystem %s", g->path);
                _cleanup_free_ char *path = resolve_grant(home, g, e);
                struct stat st;
                int r;

                if (!path)
                        return -ENOENT;
                if (g->mode == FILESYSTEM_CREATE && (r = mkdir_parents(path, e, what)) < 0)
                        return r;
                if (stat(path, &st) < 0) {
                        error_errno(e, errno, "--filesystem %s: %s", g->path, path);
                        if (errno == ENOENT)
                                error_hint(e, "--filesystem %s:create makes it", g->path);
                        return -errno;
                }
                plan_add_bind(p, "filesystem", g->path, path, path, g->mode == FILESYSTEM_RO ? MOUNT_FLAG_RO : 0);
        }
        return 0;
}

/* ---- the app's own directories ---- */

/* XDG_DATA_HOME/sandbox/apps/APP_ID/{data,config,cache,state}, at the same path inside: made on
 * first use, kept across runs, one set per app id. */
static int app_directories(sandbox_plan_t *p, const char *home, sandbox_error_t *e) {
        static const struct {
                const char *dir, *variable;
        } dirs[] = {
                { "data", "XDG_DATA_HOME" },
                { "config", "XDG_CONFIG_HOME" },
                { "cache", "XDG_CACHE_HOME" },
                { "state", "XDG_STATE_HOME" },
        };
        const char *data = getenv("XDG_DATA_HOME");
        _cleanup_free_ char *base = data && data[0] == '/'
                                            ? xasprintf("%s/sandbox/apps/%s", data, p->app_id)
                                            : xasprintf("%s/.local/share/sandbox/apps/%s", home, p->app_id);
        _cleanup_free_ char *what = xasprintf("--app-id %s", p->app_id);
        int r;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *dir = xasprintf("%s/%s", base, dirs[i].dir);

                if ((r = mkdir_parents(dir, e, what)) < 0)
                        return r;
                plan_add_bind(p, "app-id", p->app_id, dir, dir, 0);
                plan_setenv(p, dirs[i].variable, dir);
        }
        return 0;
}

/* ---- devices ---- */

static void add_devices(sandbox_plan_t *p) {
        /* What Mesa reads besides the nodes: the device's sysfs entries (PCI ids, driver). */
        static const char *const dri_sys[] = { "/sys/dev/char", "/sys/devices", "/sys/bus/pci", "/sys/class/drm" };

        if (p->devices & DEVICE_ALL)
                plan_add_bind(p, "device", "all", "/dev", "/dev", MOUNT_FLAG_DEV);
        else if ((p->devices & DEVICE_DRI) && access("/dev/dri", F_OK) == 0) {
                plan_add_bind(p, "device", "dri", "/dev/dri", "/dev/dri", MOUNT_FLAG_DEV);
                for (size_t i = 0; i < ELEMENTSOF(dri_sys); i++)
                        if (access(dri_sys[i], F_OK) == 0)
                                plan_add_bind(p, "device", "dri", dri_sys[i], dri_sys[i], MOUNT_FLAG_RO);
        }
}

/* ---- the runtime directory ---- */

/* The removal after the sandbox, for the process that made it only. */
static char *made_runtime_dir;
static pid_t made_by;

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st;
        (void) ftw;
        if (type == FTW_DP)
                rmdir(path);
        else
                unlink(path);
        return 0;
}

static void remove_runtime_dir(void) {
        if (!made_runtime_dir || getpid() != made_by)
                return;
        (void) nftw(made_runtime_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
        free(made_runtime_dir);
        made_runtime_dir = NULL;
}

/* $XDG_RUNTIME_DIR/sandbox/INSTANCE, or a new directory in /tmp without one; private. */
static int make_runtime_dir(launch_t *launch, sandbox_error_t *e) {
        const char *host = getenv("XDG_RUNTIME_DIR");
        unsigned char bytes[8];
        char id[2 * sizeof bytes + 1];
        _cleanup_free_ char *parent = NULL;

        if (getrandom(bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
                return error_errno(e, errno, "--app-id: choosing an instance id");
        for (size_t i = 0; i < sizeof bytes; i++)
                snprintf(id + 2 * i, 3, "%02x", bytes[i]);
        launch->instance_id = xstrdup(id);
        if (host && host[0] == '/') {
                parent = xasprintf("%s/sandbox", host);
                if (mkdir(parent, 0700) < 0 && errno != EEXIST)
                        return error_errno(e, errno, "--app-id: creating the runtime directory %s", parent);
                launch->runtime_dir = xasprintf("%s/%s", parent, id);
                if (mkdir(launch->runtime_dir, 0700) < 0)
                        return error_errno(e, errno, "--app-id: creating the runtime directory %s",
                                           launch->runtime_dir);
        } else {
                launch->runtime_dir = xstrdup("/tmp/sandbox-runtime-XXXXXX");
                if (!mkdtemp(launch->runtime_dir))
                        return error_errno(e, errno, "--app-id: creating a runtime directory in /tmp");
        }
        made_runtime_dir = xstrdup(launch->runtime_dir);
        made_by = getpid();
        atexit(remove_runtime_dir);
        return 0;
}

/* Abstract unix sockets ignore the filesystem: with the network namespace shared, only Landlock
 * keeps the host's (X11's @/tmp/.X11-unix/X0, D-Bus's) from the app. */
static int check_abstract_scope(const launch_t *launch, sandbox_error_t *e) {
        const sandbox_plan_t *p = launch->plan;

        if ((p->unshare & NS_NET) || (landlock_can_fence() && !launch->legacy))
                return 0;
        error_msg(e,
                  "--app-id %s: the host's abstract unix sockets (X11, D-Bus) would stay reachable: this "
                  "kernel lacks Landlock's abstract unix socket scope (Landlock ABI 6, Linux 6.12) and the "
                  "network namespace is shared",
                  p->app_id);
        error_hint(e, "add --unshare-net (the app then has no network), or run on Linux 6.12 or later with "
                      "Landlock enabled (lsm=...,landlock)");
        return -EPERM;
}

bool desktop_scope_abstract(const launch_t *launch) {
        return desktop_confined(launch->plan) && !launch->legacy && landlock_can_fence();
}

static unsigned long command_uid(const sandbox_plan_t *p) {
        return p->uid_set ? p->uid : (unsigned long) getuid();
}

int desktop_prepare(launch_t *launch, sandbox_error_t *e) {
        sandbox_plan_t *p = launch->plan;
        const char *home = getenv("HOME");
        _cleanup_free_ char *inside = NULL;
        int r;

        if (!desktop_confined(p)) {
                if (p->sockets || p->n_dbus_rules || p->n_filesystems) {
                        const char *what = p->sockets         ? "socket"
                                           : p->n_filesystems ? "filesystem"
                                                              : "talk-name (and every D-Bus option)";
                        error_msg(e, "--%s needs --app-id, which names the app's directories", what);
                        error_hint(e, "add --app-id ID, a reverse-DNS name like org.example.App");
                        return -EINVAL;
                }
                add_devices(p);
                return 0;
        }
        if ((r = check_abstract_scope(launch, e)) < 0)
                return r;
        if (!home || home[0] != '/') {
                error_msg(e, "--app-id %s: HOME is %s", p->app_id, home ? "not an absolute path" : "not set");
                error_hint(e, "the app's directories are made under it: set HOME");
                return -EINVAL;
        }
        if ((r = make_runtime_dir(launch, e)) < 0)
                return r;
        inside = xasprintf("/run/user/%lu", command_uid(p));
        plan_add_bind(p, "app-id", p->app_id, launch->runtime_dir, inside, 0);
        plan_setenv(p, "XDG_RUNTIME_DIR", inside);
        /* The sockets first: a launch they stop leaves nothing made in the user's directories. */
        if ((r = desktop_sockets(launch, inside, e)) < 0 || (r = grant_filesystems(p, home, e)) < 0 ||
            (r = app_directories(p, home, e)) < 0)
                return r;
        add_devices(p);
        return 0;
}

void desktop_attach(launch_t *launch, struct monitor *m) {
        for (size_t i = 0; i < launch->n_helpers; i++) {
                sandbox_error_t e = { .stage = STAGE_PREPARE };
                if (helper_attach(&launch->helpers[i], m, &e) < 0) {
                        monitor_fail(m, &e);
                        return;
                }
        }
}

void desktop_finish(launch_t *launch) {
        for (size_t i = 0; i < launch->n_held_fds; i++)
                closep(&launch->held_fds[i]);
        launch->n_held_fds = 0;
        for (size_t i = 0; i < launch->n_helpers; i++)
                helper_stop(&launch->helpers[i]);
        remove_runtime_dir();
        free(launch->runtime_dir);
        free(launch->instance_id);
        launch->runtime_dir = launch->instance_id = NULL;
}
