/* A minimal blocking client for the line protocol. */
#include "client.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Replies are single lines; a search page with snippets is a few KB. */
#define MAX_REPLY_BYTES (64u * 1024 * 1024)

static int connect_to(const char *host, const char *port, lede_err_t *err) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai, *a;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        lede_errf(err, LEDE_E_NETWORK, "cannot resolve %s: %s", host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, e = 0;
    for (a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            e = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        lede_errf(err, LEDE_E_NETWORK,
                  "cannot connect to %s:%s: %s; is lede-searchd running? start it with: "
                  "lede-searchd --db INDEX-DIR",
                  host, port, strerror(e));
    return fd;
}

static bool send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

static char *read_line(int fd, int timeout_ms, lede_err_t *err) {
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout_ms);
        if (ready == 0)
            return free(buf), lede_errf(err, LEDE_E_TIMEOUT, "no reply within %d ms", timeout_ms),
                   NULL;
        ssize_t r = ready < 0 ? -1 : recv(fd, buf + len, cap - len - 1, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0)
            return free(buf), lede_errf(err, LEDE_E_NETWORK, "the server closed the connection"),
                   NULL;
        len += (size_t)r;
        char *nl = memchr(buf, '\n', len);
        if (nl) {
            *nl = '\0';
            return buf;
        }
        if (len + 1 == cap) {
            char *grown = cap < MAX_REPLY_BYTES ? realloc(buf, cap * 2) : NULL;
            if (!grown) return free(buf), lede_errf(err, LEDE_E_INVALID, "reply too large"), NULL;
            buf = grown, cap *= 2;
        }
    }
    lede_errf(err, LEDE_E_NOMEM, "out of memory");
    return NULL;
}

lede_status_t client_call(const char *host, const char *port, const char *line, int timeout_ms,
                          char **reply, lede_err_t *err) {
    int fd = connect_to(host, port, err);
    *reply = NULL;
    if (fd < 0) return LEDE_E_NETWORK;
    lede_status_t st = LEDE_OK;
    if (!send_all(fd, line, strlen(line)))
        st = lede_errf(err, LEDE_E_NETWORK, "sending to %s:%s: %s", host, port, strerror(errno));
    else if (!(*reply = read_line(fd, timeout_ms, err)))
        st = LEDE_E_NETWORK;
    close(fd);
    return st;
}
