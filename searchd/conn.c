/* Connections: reading requests, dispatching them, writing replies in
 * order, enforcing the per-connection limits. */
#include "conn.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"

static const char *const STATE_NAMES[] = {"reading", "waiting", "draining", "closing", "lingering"};

/* How long a closing connection waits for the client to close its side. */
#define LINGER_MS 2000

static void conn_process(conn_t *c);

/* The one place where a connection changes state. */
static void conn_set_state(conn_t *c, conn_state_t to) {
    if (c->state == to) return;
    log_msg(LOG_DEBUG, "conn %llu %s: %s -> %s", (unsigned long long)c->id, c->peer,
            STATE_NAMES[c->state], STATE_NAMES[to]);
    c->state = to;
    /* A stopping server reads no new requests; a lingering connection
     * reads only to discard. While a worker has its request, the socket
     * is still read (up to the read watermark) but nothing is parsed:
     * turning reading off and on around every request cost two epoll_ctl
     * calls per request. */
    bool open = !c->srv->stopping && !c->eof;
    bool reading = ((to == CONN_READING || to == CONN_WAITING) && open) || to == CONN_LINGERING;
    if (reading) bufferevent_enable(c->bev, EV_READ);
    else bufferevent_disable(c->bev, EV_READ);
}

static void conn_free(conn_t *c) {
    server_t *s = c->srv;
    if (c->prev) c->prev->next = c->next;
    else s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    bufferevent_free(c->bev);
    s->stats.conns_current--;
    free(c);
    server_conn_closed(s);
}

static size_t output_len(conn_t *c) {
    return evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* All replies are out: shut down our side, then wait for the client's
 * end of file (discarding what it sends) before freeing. */
static void linger(conn_t *c) {
    if (c->eof) return conn_free(c); /* the client has closed its side already */
    shutdown(bufferevent_getfd(c->bev), SHUT_WR);
    evbuffer_drain(bufferevent_get_input(c->bev), evbuffer_get_length(bufferevent_get_input(c->bev)));
    struct timeval tv = {LINGER_MS / 1000, (LINGER_MS % 1000) * 1000};
    bufferevent_set_timeouts(c->bev, &tv, NULL);
    conn_set_state(c, CONN_LINGERING);
}

/* CLOSING: lingers once the output is written. */
static void close_when_flushed(conn_t *c) {
    conn_set_state(c, CONN_CLOSING);
    if (output_len(c) == 0) linger(c);
}

static void free_line(const void *data, size_t len, void *arg) {
    (void)len, (void)arg;
    free((void *)data);
}

/* Queues a reply line, handing the buffer itself to libevent (no copy);
 * it is freed once written. */
static void send_line(conn_t *c, char *line, size_t len) {
    if (!line) return;
    struct evbuffer *out = bufferevent_get_output(c->bev);
    if (evbuffer_add_reference(out, line, len, free_line, NULL) != 0) free(line); /* not taken */
}

static void send_error(conn_t *c, proto_op_t op, json_t *id, proto_error_code_t code, const char *msg) {
    size_t len = 0;
    stats_request(&c->srv->stats, op, code, 0);
    char *line = cmd_error_line(id, code, msg, &len);
    send_line(c, line, len);
}

/* PING, QUIT and STATS are answered on the event loop: they touch no index. */
static void answer_inline(conn_t *c, proto_request_t *req) {
    double start = stats_now();
    json_t *reply = json_object();
    json_object_set_new(reply, "ok", json_true());
    if (req->id) json_object_set(reply, "id", req->id);
    if (req->op == PROTO_OP_STATS) {
        json_t *stats = server_stats_json(c->srv);
        json_object_update(reply, stats); /* takes references to the members only */
        json_decref(stats);
    }
    if (req->op == PROTO_OP_PING) json_object_set_new(reply, "pong", json_true());
    if (req->op == PROTO_OP_QUIT) json_object_set_new(reply, "bye", json_true());
    size_t len = 0;
    char *line = cmd_reply_line(reply, &len);
    send_line(c, line, len);
    stats_request(&c->srv->stats, req->op, PROTO_E_NONE, (stats_now() - start) * 1000.0);
    if (req->op == PROTO_OP_QUIT) close_when_flushed(c);
}

static void dispatch(conn_t *c, proto_request_t *req) {
    if (req->op == PROTO_OP_PING || req->op == PROTO_OP_QUIT || req->op == PROTO_OP_STATS) {
        answer_inline(c, req);
        proto_request_free(req);
        return;
    }
    job_t *job = calloc(1, sizeof *job);
    if (!job) {
        send_error(c, req->op, req->id, PROTO_E_INTERNAL, "out of memory");
        proto_request_free(req);
        return;
    }
    job->conn = c;
    proto_request_move(&job->req, req); /* the job owns the request now */
    conn_set_state(c, CONN_WAITING);
    pool_submit(c->srv->pool, job);
}

/* Handles a request the parser refused; false when the connection must close. */
static bool refuse(conn_t *c, proto_result_t r, proto_error_t *err, const char *line, size_t n) {
    char safe[132];
    stats_request(&c->srv->stats, STATS_OP_INVALID, err->code, 0);
    log_msg(r == PROTO_FATAL ? LOG_WARN : LOG_DEBUG, "conn %llu %s: %s: %s (request: %s)",
            (unsigned long long)c->id, c->peer, proto_error_name(err->code), err->message,
            log_safe(line, n, safe));
    size_t len = 0;
    char *reply = cmd_error_line(err->id, err->code, err->message, &len);
    send_line(c, reply, len);
    proto_error_free(err);
    return r != PROTO_FATAL;
}

/* Parses and dispatches buffered requests while the state allows. */
static void conn_process(conn_t *c) {
    struct evbuffer *in = bufferevent_get_input(c->bev);
    const proto_limits_t *lim = &c->srv->limits;
    while (c->state == CONN_READING) {
        if (output_len(c) > c->srv->cfg->max_output_bytes) {
            bufferevent_setwatermark(c->bev, EV_WRITE, c->srv->cfg->max_output_bytes / 2, 0);
            c->srv->stats.output_stalls++;
            conn_set_state(c, CONN_DRAINING);
            return;
        }
        size_t len = evbuffer_get_length(in);
        struct evbuffer_ptr eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
        if (eol.pos < 0 && len <= lim->max_line) { /* no complete request buffered */
            if (c->srv->stopping || c->eof) close_when_flushed(c);
            return;
        }
        size_t take = eol.pos >= 0 ? (size_t)eol.pos + 1 : len;
        if (take > lim->max_line + 2) take = lim->max_line + 2; /* enough to see it is too long */
        const char *buf = (const char *)evbuffer_pullup(in, (ev_ssize_t)take);
        proto_request_t req;
        proto_error_t err;
        size_t used = 0;
        proto_result_t r = proto_parse(buf, take, lim, &req, &used, &err);
        if (r == PROTO_OK) dispatch(c, &req);
        else if (r != PROTO_NEED_MORE && !refuse(c, r, &err, buf, take)) return close_when_flushed(c);
        evbuffer_drain(in, used);
        /* NEED_MORE after skipping blank lines: the rest may hold requests. */
        if (r == PROTO_NEED_MORE && used == 0) {
            if (c->srv->stopping || c->eof) close_when_flushed(c);
            return;
        }
    }
}

void conn_job_done(job_t *job, void *server) {
    server_t *s = server;
    conn_t *c = job->conn;
    server_job_finished(s, job);
    if (c->dead) {
        job_free(job);
        conn_free(c);
        return;
    }
    send_line(c, job->reply, job->reply_len);
    job->reply = NULL;
    job_free(job);
    conn_set_state(c, CONN_READING);
    conn_process(c); /* the next buffered request, if any */
}

static void on_read(struct bufferevent *bev, void *arg) {
    conn_t *c = arg;
    if (c->state == CONN_LINGERING) { /* only waiting for the client's close */
        struct evbuffer *in = bufferevent_get_input(bev);
        evbuffer_drain(in, evbuffer_get_length(in));
        return;
    }
    conn_process(c);
}

static void on_write(struct bufferevent *bev, void *arg) {
    conn_t *c = arg;
    if (c->state == CONN_CLOSING && output_len(c) == 0) return linger(c);
    if (c->state == CONN_DRAINING) {
        bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
        conn_set_state(c, CONN_READING);
        conn_process(c);
    }
}

static void on_event(struct bufferevent *bev, short what, void *arg) {
    (void)bev;
    conn_t *c = arg;
    if ((what & BEV_EVENT_TIMEOUT) && c->state != CONN_LINGERING) {
        c->srv->stats.idle_timeouts++;
        log_msg(LOG_DEBUG, "conn %llu %s: idle timeout", (unsigned long long)c->id, c->peer);
    }
    if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))) return;
    if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) && c->state != CONN_LINGERING) {
        /* A half-close: the client has sent its last request and waits for
         * the replies (nc, scripts). Answer what was received, then close. */
        c->eof = true;
        if (c->state == CONN_READING) conn_process(c);
        return;
    }
    if (c->state == CONN_WAITING) { /* the worker still has its request */
        c->dead = true;
        bufferevent_disable(c->bev, EV_READ | EV_WRITE);
        return;
    }
    conn_free(c);
}

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

/* Over max_connections: one error line, written directly, then close. */
static void reject(server_t *s, evutil_socket_t fd, const char *peer) {
    size_t len;
    char *line = cmd_error_line(NULL, PROTO_E_TOO_MANY_CONNECTIONS,
                                "the server is at max_connections; try again later", &len);
    if (line && send(fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        /* Best effort: the client may already be gone. */
    }
    free(line);
    evutil_closesocket(fd);
    s->stats.conns_rejected++;
    s->stats.errors[PROTO_E_TOO_MANY_CONNECTIONS]++;
    log_msg(LOG_WARN, "rejected %s: max_connections (%llu) reached", peer,
            (unsigned long long)s->cfg->max_connections);
}

void conn_accept(server_t *s, evutil_socket_t fd, const struct sockaddr *addr) {
    char peer[64];
    describe_peer(addr, peer, sizeof peer);
    if (s->stopping || s->stats.conns_current >= s->cfg->max_connections) return reject(s, fd, peer);
    conn_t *c = calloc(1, sizeof *c);
    struct bufferevent *bev = c ? bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE) : NULL;
    if (!bev) {
        free(c);
        evutil_closesocket(fd);
        return log_msg(LOG_ERROR, "out of memory accepting %s", peer);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* replies are small */
    *c = (conn_t){.srv = s, .bev = bev, .state = CONN_READING, .id = ++s->next_conn_id, .next = s->conns};
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    s->stats.conns_current++;
    s->stats.conns_total++;
    bufferevent_setcb(bev, on_read, on_write, on_event, c);
    /* Requests read while one is with a worker wait in the input buffer:
     * bound it, leaving room to see that a line is too long. */
    size_t max_line = s->cfg->max_line_bytes;
    bufferevent_setwatermark(bev, EV_READ, 0, max_line * 2 > 65536 ? max_line * 2 + 2 : 65536);
    if (s->cfg->idle_timeout_ms) {
        struct timeval tv = {(time_t)(s->cfg->idle_timeout_ms / 1000),
                             (suseconds_t)(s->cfg->idle_timeout_ms % 1000) * 1000};
        bufferevent_set_timeouts(bev, &tv, &tv);
    }
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}

void conn_shutdown(conn_t *c) {
    /* WAITING and DRAINING go on to the buffered requests, then close;
     * CLOSING and LINGERING are on their way out already. */
    if (c->state == CONN_READING || c->state == CONN_WAITING)
        bufferevent_disable(c->bev, EV_READ); /* what is buffered is all it gets */
    if (c->state == CONN_READING) conn_process(c);
}
