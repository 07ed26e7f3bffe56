/* Connections: reading requests, answering them on the worker's thread,
 * writing replies in order, enforcing the per-connection limits. */
#include "conn.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"
#include "tls.h"

static const char *const STATE_NAMES[] = {"reading", "draining",  "paused",
                                          "closing", "lingering", "closed"};

/* How long a closing connection waits for the client to close its side. */
#define LINGER_MS 2000
/* Pipelined requests answered in one turn before the loop moves on to its
 * other connections. */
#define REQUESTS_PER_TURN 16

static void conn_process(conn_t *c);

/* The one place where a connection changes state. */
static void conn_set_state(conn_t *c, conn_state_t to) {
    if (c->state == to) return;
    log_msg(LOG_DEBUG, "conn %llu %s: %s -> %s", (unsigned long long)c->id, c->peer,
            STATE_NAMES[c->state], STATE_NAMES[to]);
    c->state = to;
    if (to != CONN_READING) { /* a partial request waits for us, not the client */
        evtimer_del(c->request_timer);
        c->partial = false;
    }
    /* A stopping server reads no new requests; a lingering connection
     * reads only to discard. */
    bool open = !c->worker->stopping && !c->eof;
    bool reading = (to == CONN_READING && open) || to == CONN_LINGERING;
    if (reading)
        bufferevent_enable(c->bev, EV_READ);
    else
        bufferevent_disable(c->bev, EV_READ);
}

/* What a connection holds besides itself. */
static void conn_release(conn_t *c) {
    bufferevent_free(c->bev);
    event_free(c->request_timer);
    event_free(c->auth_timer);
    json_decref(c->failed_id);
}

/* CLOSED: counted and unlinked now, freed by conn_reap() later; whatever
 * called this may go on using c until it returns to the loop. */
static void conn_close(conn_t *c) {
    worker_t *w = c->worker;
    if (c->state == CONN_CLOSED) return;
    conn_set_state(c, CONN_CLOSED);
    bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
    bufferevent_disable(c->bev, EV_READ | EV_WRITE);
    evtimer_del(c->auth_timer);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->prev = NULL, c->next = w->closed;
    w->closed = c;
    event_active(w->reap_ev, EV_READ, 0);
    stats_conn_closed(&c->sh->stats);
    worker_conn_closed(w);
}

void conn_reap(worker_t *w) {
    while (w->closed) {
        conn_t *c = w->closed;
        w->closed = c->next;
        conn_release(c);
        free(c);
    }
}

static size_t output_len(conn_t *c) {
    return evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* All replies are out: shut down our side, then wait for the client's
 * end of file (discarding what it sends) before freeing. */
static void linger(conn_t *c) {
    if (c->eof) return conn_close(c); /* the client has closed its side already */
    tls_close_notify(c->bev);
    shutdown(bufferevent_getfd(c->bev), SHUT_WR);
    evbuffer_drain(bufferevent_get_input(c->bev),
                   evbuffer_get_length(bufferevent_get_input(c->bev)));
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

static void send_error(conn_t *c, json_t *id, proto_error_code_t code, const char *message) {
    size_t len = 0;
    char *line = request_error_line(id, code, message, &len);
    send_line(c, line, len);
}

/* A wrong token: nothing more is read or answered until the delay has
 * passed (on_auth_delay), so that guessing is slow. */
static void auth_failed(conn_t *c, proto_request_t *req) {
    const config_t *cfg = c->sh->cfg;
    c->auth_failures++;
    stats_auth_failed(&c->sh->stats);
    stats_request(&c->sh->stats, req->op, PROTO_E_AUTH_FAILED, 0);
    log_msg(LOG_WARN, "conn %llu %s: wrong auth token (%u of max_auth_failures %llu)",
            (unsigned long long)c->id, c->peer, c->auth_failures,
            (unsigned long long)cfg->max_auth_failures);
    c->failed_id = req->id ? json_incref(req->id) : NULL;
    conn_set_state(c, CONN_PAUSED);
    uint64_t ms = cfg->auth_fail_delay_ms;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(c->auth_timer, &tv);
}

static void on_auth_delay(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    conn_t *c = arg;
    uint64_t max = c->sh->cfg->max_auth_failures;
    bool last = c->auth_failures >= max;
    char msg[160];
    snprintf(msg, sizeof msg, "wrong token (%u of max_auth_failures %llu)%s", c->auth_failures,
             (unsigned long long)max, last ? "; closing" : "");
    send_error(c, c->failed_id, PROTO_E_AUTH_FAILED, msg);
    json_decref(c->failed_id);
    c->failed_id = NULL;
    if (last) return close_when_flushed(c);
    conn_set_state(c, CONN_READING);
    conn_process(c);
}

/* Whether the request may run: the connection has given the token (this
 * request may carry it), none is needed, or the op needs none. Answers
 * the request when it may not. */
static bool authorise(conn_t *c, proto_request_t *req) {
    const config_t *cfg = c->sh->cfg;
    if (req->token && auth_enabled(cfg)) {
        if (!auth_token_ok(cfg, req->token)) return auth_failed(c, req), false;
        c->authed = true;
    }
    if (c->authed || proto_command(req->op)->open) return true;
    stats_request(&c->sh->stats, req->op, PROTO_E_AUTH_REQUIRED, 0);
    send_error(c, req->id, PROTO_E_AUTH_REQUIRED,
               "this server needs a token first: AUTH <token>, or \"auth\" in the request");
    return false;
}

/* Answers one request, here and now; its time counts from arrival, when
 * the loop's poll returned. */
static void answer(conn_t *c, proto_request_t *req, double arrival) {
    if (!authorise(c, req)) return proto_request_free(req);
    job_t job = {.enqueued = arrival};
    proto_request_move(&job.req, req); /* the job owns the request now */
    worker_execute(c->worker, &job);
    stats_job_done(&c->sh->stats, c->sh->cfg, &job);
    send_line(c, job.reply.line, job.reply.len); /* takes the reply */
    job.reply.line = NULL;
    if (proto_command(job.req.op)->closes) close_when_flushed(c);
    job_clear(&job);
}

/* Handles a request the parser refused; false when the connection must close. */
static bool refuse(conn_t *c, proto_result_t r, proto_error_t *err, const char *line, size_t n) {
    char safe[132];
    stats_request(&c->sh->stats, STATS_OP_INVALID, err->code, 0);
    log_msg(r == PROTO_FATAL ? LOG_WARN : LOG_DEBUG, "conn %llu %s: %s: %s (request: %s)",
            (unsigned long long)c->id, c->peer, proto_error_name(err->code), err->message,
            log_safe(line, n, safe));
    size_t len = 0;
    char *reply = request_error_line(err->id, err->code, err->message, &len);
    send_line(c, reply, len);
    proto_error_free(err);
    return r != PROTO_FATAL;
}

/* Runs the request_timeout_ms clock while part of a request is buffered:
 * from when it began (restarted when an earlier request was taken from
 * the same bytes), stopped when none is. */
static void watch_partial(conn_t *c, bool took_request) {
    uint64_t ms = c->sh->cfg->request_timeout_ms;
    if (c->state != CONN_READING || !ms ||
        evbuffer_get_length(bufferevent_get_input(c->bev)) == 0) {
        evtimer_del(c->request_timer);
        c->partial = false;
        return;
    }
    if (c->partial && !took_request) return;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(c->request_timer, &tv);
    c->partial = true;
}

/* The request begun did not arrive whole in time: an error, then close. */
static void on_request_timeout(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    conn_t *c = arg;
    struct evbuffer *in = bufferevent_get_input(c->bev);
    c->partial = false;
    if (c->state != CONN_READING) return;
    uint64_t ms = c->sh->cfg->request_timeout_ms;
    stats_request_timeout(&c->sh->stats);
    log_msg(LOG_WARN,
            "conn %llu %s: request_timeout_ms (%llu ms) passed with %zu bytes of a request",
            (unsigned long long)c->id, c->peer, (unsigned long long)ms, evbuffer_get_length(in));
    char msg[160];
    snprintf(msg, sizeof msg,
             "the request did not arrive whole within request_timeout_ms (%llu ms); closing",
             (unsigned long long)ms);
    size_t len = 0;
    char *reply = request_error_line(NULL, PROTO_E_TIMEOUT, msg, &len);
    send_line(c, reply, len);
    evbuffer_drain(in, evbuffer_get_length(in));
    close_when_flushed(c);
}

/* The kernel counts how long ago a connection's last data arrived in
 * ticks of its clock (jiffies: 4 ms here, 10 ms at the coarsest common
 * setting); one tick off the count never overstates a wait. */
#define KERNEL_TICK_MS 10.0

/* When the data handled now arrived. The loop's own poll time misses the
 * wait of data that came in while the worker was busy on another
 * connection: the loop polls again before each callback (worker.c), so
 * that data looks fresh. The kernel knows better, for TCP: the age of
 * the connection's last data segment. Pipelined requests count from the
 * last segment, so their wait is understated, never overstated. */
static double data_arrival(conn_t *c) {
    double arrival = worker_poll_time(c->worker);
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    evutil_socket_t fd = bufferevent_getfd(c->bev);
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
        len < offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv)
        return arrival; /* not TCP (a test's socketpair): the poll time */
    double age_ms = (double)ti.tcpi_last_data_recv - KERNEL_TICK_MS;
    double kernel = stats_now() - age_ms / 1000.0;
    return age_ms > 0 && kernel < arrival ? kernel : arrival;
}

/* Parses and answers buffered requests while the state allows, up to
 * REQUESTS_PER_TURN; the rest wait for the loop's next turn. It may free
 * the connection (a client that has closed its side). */
static void conn_process(conn_t *c) {
    struct evbuffer *in = bufferevent_get_input(c->bev);
    const proto_limits_t *lim = &c->sh->limits;
    double arrival = data_arrival(c);
    size_t start_len = evbuffer_get_length(in);
    for (unsigned turn = 0; c->state == CONN_READING; turn++) {
        if (output_len(c) > c->sh->cfg->max_output_bytes) {
            bufferevent_setwatermark(c->bev, EV_WRITE, c->sh->cfg->max_output_bytes / 2, 0);
            stats_output_stall(&c->sh->stats);
            conn_set_state(c, CONN_DRAINING);
            return;
        }
        if (turn == REQUESTS_PER_TURN) {
            bufferevent_trigger(c->bev, EV_READ,
                                BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
            return;
        }
        size_t len = evbuffer_get_length(in);
        struct evbuffer_ptr eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
        if (eol.pos < 0 && len <= lim->max_line) { /* no complete request buffered */
            if (c->worker->stopping || c->eof) return close_when_flushed(c);
            return watch_partial(c, len < start_len);
        }
        size_t take = eol.pos >= 0 ? (size_t)eol.pos + 1 : len;
        if (take > lim->max_line + 2) take = lim->max_line + 2; /* enough to see it is too long */
        const char *buf = (const char *)evbuffer_pullup(in, (ev_ssize_t)take);
        proto_request_t req;
        proto_error_t err;
        size_t used = 0;
        proto_result_t r = proto_parse(buf, take, lim, &req, &used, &err);
        if (r == PROTO_OK)
            answer(c, &req, arrival);
        else if (r != PROTO_NEED_MORE && !refuse(c, r, &err, buf, take))
            return close_when_flushed(c);
        evbuffer_drain(in, used);
        /* NEED_MORE after skipping blank lines: the rest may hold requests. */
        if (r == PROTO_NEED_MORE && used == 0) {
            if (c->worker->stopping || c->eof) return close_when_flushed(c);
            return watch_partial(c, evbuffer_get_length(in) < start_len);
        }
    }
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
        stats_idle_timeout(&c->sh->stats);
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
    conn_close(c);
}

void conn_accept(worker_t *w, evutil_socket_t fd, uint64_t id, const char *peer) {
    shared_t *s = w->sh;
    conn_t *c = calloc(1, sizeof *c);
    struct bufferevent *bev =
        c ? tls_bufferevent(s->tls, w->base, fd, BEV_OPT_CLOSE_ON_FREE) : NULL;
    struct event *timer = bev ? evtimer_new(w->base, on_request_timeout, c) : NULL;
    struct event *auth_timer = timer ? evtimer_new(w->base, on_auth_delay, c) : NULL;
    if (!auth_timer) {
        if (timer) event_free(timer);
        if (bev) bufferevent_free(bev);
        free(c);
        evutil_closesocket(fd);
        stats_conn_closed(&s->stats);
        worker_conn_closed(w);
        return log_msg(LOG_ERROR, "out of memory accepting %s", peer);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* replies are small */
    *c = (conn_t){.sh = s,
                  .worker = w,
                  .bev = bev,
                  .request_timer = timer,
                  .auth_timer = auth_timer,
                  .authed = !auth_enabled(s->cfg),
                  .state = CONN_READING,
                  .id = id,
                  .next = w->conns};
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    if (w->conns) w->conns->prev = c;
    w->conns = c;
    bufferevent_setcb(bev, on_read, on_write, on_event, c);
    /* Bound what a client can have buffered here unanswered, leaving room
     * to see that a line is too long. */
    size_t max_line = s->cfg->max_line_bytes;
    bufferevent_setwatermark(bev, EV_READ, 0, max_line * 2 > 65536 ? max_line * 2 + 2 : 65536);
    if (s->cfg->idle_timeout_ms) {
        struct timeval tv = {(time_t)(s->cfg->idle_timeout_ms / 1000),
                             (suseconds_t)(s->cfg->idle_timeout_ms % 1000) * 1000};
        bufferevent_set_timeouts(bev, &tv, &tv);
    }
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    if (w->stopping) conn_shutdown(c);
}

void conn_shutdown(conn_t *c) {
    /* DRAINING goes on to the buffered requests, then closes; CLOSING and
     * LINGERING are on their way out already. */
    if (c->state == CONN_READING) {
        bufferevent_disable(c->bev, EV_READ); /* what is buffered is all it gets */
        conn_process(c);
    }
}

void conn_close_all(worker_t *w) {
    conn_reap(w);
    while (w->conns) {
        conn_t *c = w->conns;
        w->conns = c->next;
        conn_release(c);
        free(c);
    }
}
