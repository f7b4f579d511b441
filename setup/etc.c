/* SPDX-License-Identifier: MIT */
#include "etc.h"
#include "userns.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#define NOBODY_ID 65534UL

/* A name /etc/passwd can hold: no separator, no newline, and not NIS's +/- entries. */
static bool name_ok(const char *s) {
        return s && *s && *s != '+' && *s != '-' && !strpbrk(s, ":\n");
}

/* The caller's name for its own id, unless it is one of the names the files give other ids. */
static const char *own_name(unsigned long id, const char *host_name, const char *nobody) {
        if (id == 0)
                return "root";
        if (!name_ok(host_name) || strcmp(host_name, "root") == 0 ||
            (id != NOBODY_ID && strcmp(host_name, nobody) == 0))
                return "user";
        return host_name;
}

const char *etc_user_name(const etc_input_t *in) {
        return own_name(in->uid, in->user, "nobody");
}

const char *etc_group_name(const etc_input_t *in) {
        return own_name(in->gid, in->group, "nogroup");
}

/* Whether ID has an entry already: root, nobody, the command's own, or one listed before it. */
static bool listed(unsigned long id, unsigned long own, const unsigned long *ids, size_t i) {
        if (id == 0 || id == NOBODY_ID || id == own)
                return true;
        for (size_t j = 0; j < i; j++)
                if (ids[j] == id)
                        return true;
        return false;
}

static void write_passwd(FILE *f, const etc_input_t *in) {
        const char *name = etc_user_name(in), *shell = in->shell ? in->shell : "/bin/sh";

        if (in->uid == 0)
                fprintf(f, "root:x:0:%lu:root:%s:%s\n", in->gid, in->home, shell);
        else
                fprintf(f, "root:x:0:0:root:/root:/bin/sh\n");
        if (in->uid != 0)
                fprintf(f, "%s:x:%lu:%lu:%s:%s:%s\n", name, in->uid, in->gid, name, in->home, shell);
        if (in->uid != NOBODY_ID)
                fprintf(f, "nobody:x:%lu:%lu:nobody:/nonexistent:/usr/sbin/nologin\n", NOBODY_ID, NOBODY_ID);
        for (size_t i = 0; i < in->n_uids; i++)
                if (!listed(in->uids[i], in->uid, in->uids, i))
                        fprintf(f, "uid%lu:x:%lu:%lu:uid%lu:/nonexistent:/usr/sbin/nologin\n", in->uids[i], in->uids[i],
                                NOBODY_ID, in->uids[i]);
}

static void write_group(FILE *f, const etc_input_t *in) {
        fprintf(f, "root:x:0:\n");
        if (in->gid != 0)
                fprintf(f, "%s:x:%lu:\n", etc_group_name(in), in->gid);
        if (in->gid != NOBODY_ID)
                fprintf(f, "nogroup:x:%lu:\n", NOBODY_ID);
        for (size_t i = 0; i < in->n_gids; i++)
                if (!listed(in->gids[i], in->gid, in->gids, i))
                        fprintf(f, "gid%lu:x:%lu:\n", in->gids[i], in->gids[i]);
}

static void write_hosts(FILE *f, const etc_input_t *in) {
        fprintf(f, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        /* As Debian's installer writes it: the host's own name on a loopback address. */
        if (in->hostname && *in->hostname && !strpbrk(in->hostname, " \t\n#") && strcmp(in->hostname, "localhost"))
                fprintf(f, "127.0.1.1\t%s\n", in->hostname);
}

static void write_nsswitch(FILE *f) {
        /* dns after files: without a resolv.conf bound in, a lookup fails at once on loopback. */
        fprintf(f, "# sandbox --etc-minimal: names come from the files beside this one\n"
                   "passwd:         files\n"
                   "group:          files\n"
                   "shadow:         files\n"
                   "gshadow:        files\n"
                   "hosts:          files dns\n"
                   "networks:       files\n"
                   "protocols:      files\n"
                   "services:       files\n"
                   "ethers:         files\n"
                   "rpc:            files\n"
                   "netgroup:       files\n");
}

char *etc_text(etc_file_t file, const etc_input_t *in) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                abort(); /* out of memory, as the x* allocators treat it */
        switch (file) {
        case ETC_PASSWD:
                write_passwd(f, in);
                break;
        case ETC_GROUP:
                write_group(f, in);
                break;
        case ETC_HOSTS:
                write_hosts(f, in);
                break;
        case ETC_NSSWITCH:
                write_nsswitch(f);
                break;
        case ETC_NONE:
        case _ETC_FILE_MAX:
                break;
        }
        if (fclose(f) != 0)
                abort();
        return text;
}

/* The text in a sealed memfd, read from its start by the mount code in the child. */
static int memfd_with(const char *name, const char *text, int *ret_fd) {
        _cleanup_close_ int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int r;

        if (fd < 0)
                return -errno;
        if ((r = write_full(fd, text, strlen(text))) < 0)
                return r;
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0 ||
            lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The ids the command gets, as userns_setup_child() will choose them. */
static void command_ids(const sandbox_plan_t *p, unsigned long *ret_uid, unsigned long *ret_gid) {
        unsigned long uid = getuid(), gid = getgid();

        *ret_uid = p->uid_set ? p->uid : p->n_uid_maps ? userns_inside_id(p->uid_maps, p->n_uid_maps, uid, 0) : uid;
        *ret_gid = p->gid_set ? p->gid : p->n_gid_maps ? userns_inside_id(p->gid_maps, p->n_gid_maps, gid, 0) : gid;
}

static bool plan_generates(const sandbox_plan_t *p) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].generated != ETC_NONE)
                        return true;
        return false;
}

int etc_generate(sandbox_plan_t *p, sandbox_error_t *e) {
        _cleanup_free_ char *user = NULL, *group = NULL, *shell = NULL, *home = NULL;
        _cleanup_free_ unsigned long *uids = NULL, *gids = NULL;
        const char *env_home = getenv("HOME");
        etc_input_t in = { 0 };
        struct passwd *pw;
        struct group *gr;
        struct utsname uts;
        int r;

        if (!plan_generates(p))
                return 0;
        /* The host's names for the caller, while nothing has started: NSS may load modules. */
        if ((pw = getpwuid(getuid()))) {
                user = xstrdup(pw->pw_name);
                if (pw->pw_shell && pw->pw_shell[0] == '/' && !strpbrk(pw->pw_shell, ":\n"))
                        shell = xstrdup(pw->pw_shell);
                if (pw->pw_dir && pw->pw_dir[0] == '/')
                        home = xstrdup(pw->pw_dir);
        }
        if ((gr = getgrgid(getgid())))
                group = xstrdup(gr->gr_name);
        /* $HOME, which the policies give a tmpfs and set HOME to; the account's directory else. */
        in.home = env_home && env_home[0] == '/' ? env_home : home ? home : "/";
        if (strpbrk(in.home, ":\n")) {
                error_msg(e,
                          "--etc-minimal: the home directory '%s' holds a ':' or a newline, which /etc/passwd "
                          "can't hold",
                          in.home);
                error_hint(e, "set HOME to a path without them");
                return -EINVAL;
        }
        command_ids(p, &in.uid, &in.gid);
        in.user = user;
        in.group = group;
        in.shell = shell;
        for (size_t i = 0; i < p->n_uid_maps; i++)
                APPEND(uids, in.n_uids, p->uid_maps[i].inside);
        for (size_t i = 0; i < p->n_gid_maps; i++)
                APPEND(gids, in.n_gids, p->gid_maps[i].inside);
        in.uids = uids;
        in.gids = gids;
        in.hostname = p->hostname ? p->hostname : uname(&uts) == 0 ? uts.nodename : NULL;

        for (size_t i = 0; i < p->n_ops; i++) {
                mount_op_t *op = &p->ops[i];
                _cleanup_free_ char *text = NULL;

                if (op->generated == ETC_NONE || op->fd >= 0)
                        continue;
                text = etc_text(op->generated, &in);
                if ((r = memfd_with(op->dest, text, &op->fd)) < 0)
                        return error_errno(e, -r, "%s: making the file's content", op->origin);
        }
        for (size_t i = 0; i < p->n_env; i++)
                if (p->env[i].type == ENV_SET && !p->env[i].value) {
                        char *name = xstrdup(etc_user_name(&in));
                        APPEND(p->owned, p->n_owned, name);
                        p->env[i].value = name;
                }
        return 0;
}
