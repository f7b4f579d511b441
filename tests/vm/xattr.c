/* vm-xattr: sets or reads one extended attribute. The initramfs's busybox has no
 * setfattr/getfattr, and /init needs one to mark the delegated cgroup the way systemd's
 * Delegate=yes does (trusted.delegate, and user.delegate for readers without
 * CAP_SYS_ADMIN, who can't see trusted.* at all).
 *
 *   vm-xattr set PATH NAME VALUE
 *   vm-xattr get PATH NAME        prints the value and a newline
 */
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv) {
        if (argc == 5 && strcmp(argv[1], "set") == 0) {
                if (setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0) < 0) {
                        fprintf(stderr, "vm-xattr: set %s on %s: %m\n", argv[3], argv[2]);
                        return 1;
                }
                return 0;
        }
        if (argc == 4 && strcmp(argv[1], "get") == 0) {
                char value[256];
                ssize_t n = getxattr(argv[2], argv[3], value, sizeof value);
                if (n < 0) {
                        fprintf(stderr, "vm-xattr: get %s of %s: %m\n", argv[3], argv[2]);
                        return 1;
                }
                printf("%.*s\n", (int) n, value);
                return 0;
        }
        fprintf(stderr, "usage: vm-xattr set PATH NAME VALUE | vm-xattr get PATH NAME\n");
        return 2;
}
