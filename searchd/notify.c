/* The sd_notify datagram protocol (see notify.h). */
#include "notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/* Fills addr from $NOTIFY_SOCKET's value; its length, or 0 when the name
 * is neither an absolute path nor an abstract '@' name, or too long. */
static socklen_t notify_address(const char *name, struct sockaddr_un *addr) {
    size_t n = strlen(name);
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if ((name[0] != '/' && name[0] != '@') || n < 2 || n >= sizeof addr->sun_path) return 0;
    memcpy(addr->sun_path, name, n);
    /* An abstract name starts with a NUL byte and has no terminator: its
     * length is part of the name. */
    if (name[0] == '@') addr->sun_path[0] = '\0';
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (name[0] == '/'));
}

bool notify_send(const char *state) {
    const char *name = getenv("NOTIFY_SOCKET");
    if (!name || !name[0]) return true;
    struct sockaddr_un addr;
    socklen_t len = notify_address(name, &addr);
    if (len == 0) {
        log_msg(LOG_WARN, "NOTIFY_SOCKET=%s is not a socket path or @name: cannot send %s", name,
                state);
        return false;
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ssize_t sent = fd < 0 ? -1
                          : sendto(fd, state, strlen(state), MSG_NOSIGNAL,
                                   (const struct sockaddr *)&addr, len);
    int e = errno;
    if (fd >= 0) close(fd);
    if (sent < 0) {
        log_msg(LOG_WARN, "cannot send %s to NOTIFY_SOCKET %s: %s", state, name, strerror(e));
        return false;
    }
    return true;
}
