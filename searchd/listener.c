/* The line protocol's listener: accepting, refusing, handing over. */
#include "listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/listener.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

struct listener {
    struct evconnlistener *ev;
    shared_t *sh;
    pool_t *pool;
    uint64_t next_conn_id;
};

/* The "host:port" of a socket address. */
static void describe_peer(const struct sockaddr *addr, char *out, size_t size) {
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        evutil_inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        evutil_inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
    }
    snprintf(out, size, "%s:%u", host, port);
}

/* Over max_connections or stopping: one error line, written directly,
 * then close; true when it was refused. */
static bool refuse(shared_t *s, evutil_socket_t fd, const char *peer) {
    if (!s->stopping && stats_conns_current(&s->stats) < s->cfg->max_connections) return false;
    stats_conn_rejected(&s->stats); /* first: a client that reads the refusal sees it counted */
    size_t len;
    char *line = request_error_line(NULL, PROTO_E_TOO_MANY_CONNECTIONS,
                                    "the server is at max_connections; try again later", &len);
    /* Under TLS plain bytes would be garbage: the close says it all. */
    if (line && !s->tls && send(fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        /* Best effort: the client may already be gone. */
    }
    free(line);
    evutil_closesocket(fd);
    log_msg(LOG_WARN, "rejected %s: max_connections (%llu) reached", peer,
            (unsigned long long)s->cfg->max_connections);
    return true;
}

static void on_accept(struct evconnlistener *ev, evutil_socket_t fd, struct sockaddr *addr, int len,
                      void *arg) {
    (void)ev, (void)len;
    listener_t *l = arg;
    char peer[64];
    describe_peer(addr, peer, sizeof peer);
    if (refuse(l->sh, fd, peer)) return;
    stats_conn_opened(&l->sh->stats);
    pool_accept(l->pool, fd, ++l->next_conn_id, peer);
}

static lede_status_t bind_to(listener_t *l, lede_err_t *err) {
    const config_t *c = l->sh->cfg;
    char port[8];
    snprintf(port, sizeof port, "%u", c->listen_port);
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(c->listen_host, port, &hints, &ai);
    if (rc != 0)
        return lede_errf(err, LEDE_E_INVALID, "listen %s:%s: %s", c->listen_host, port,
                         gai_strerror(rc));
    l->ev =
        evconnlistener_new_bind(l->sh->base, on_accept, l,
                                LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
                                -1, ai->ai_addr, (int)ai->ai_addrlen);
    int e = errno;
    freeaddrinfo(ai);
    if (!l->ev)
        return lede_errf(err, LEDE_E_IO, "cannot listen on %s:%s: %s", c->listen_host, port,
                         strerror(e));
    gate_add(&l->sh->gate, l->ev);
    return LEDE_OK;
}

lede_status_t listener_open(listener_t **out, shared_t *sh, pool_t *pool, lede_err_t *err) {
    listener_t *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    *l = (listener_t){.sh = sh, .pool = pool};
    lede_status_t st = bind_to(l, err);
    if (st != LEDE_OK) {
        free(l);
        return st;
    }
    *out = l;
    return LEDE_OK;
}

void listener_disable(listener_t *l) {
    if (l) evconnlistener_disable(l->ev);
}

unsigned listener_port(const listener_t *l) {
    return socket_port(evconnlistener_get_fd(l->ev));
}

void listener_free(listener_t *l) {
    if (!l) return;
    evconnlistener_free(l->ev);
    free(l);
}

unsigned socket_port(evutil_socket_t fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return 0;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return 0;
}
