/* HTTP connections: counted from accept, refused over max_connections,
 * busy while a request is answered (see http_conn.h). */
#include "http_conn.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "access_log.h"
#include "http_errpage.h"
#include "log.h"
#include "tls.h"

struct http_conn {
    http_conns_t *set;
    struct bufferevent *bev;             /* made here for evhttp; referenced until adopted */
    struct evhttp_connection *evcon;     /* NULL until adopted */
    struct event *deadline;              /* request_timeout_ms for the request begun */
    struct evbuffer_cb_entry *watch;     /* on the input: a request begins */
    struct evbuffer_cb_entry *out_watch; /* on the output: evhttp answers itself */
    bool busy;
    bool timing;    /* part of a request has arrived: the deadline runs */
    bool refused;   /* over max_connections at accept: never counted as open */
    bool closing;   /* to be closed once its reply is written */
    bool errpage;   /* evhttp wrote a reply of its own, to rewrite as JSON */
    double started; /* when the request being answered arrived whole */
    http_conn_t *prev, *next;
};

struct http_conns {
    shared_t *sh;
    struct event *adopt_ev;
    http_conn_t *pending; /* accepted; evhttp has not finished setting them up */
    http_conn_t *open;    /* most recently used first */
    struct event *closer_ev;
    struct event *errpage_ev;
    size_t busy;
};

static void unlink_from(http_conn_t **list, http_conn_t *hc) {
    if (hc->prev)
        hc->prev->next = hc->next;
    else
        *list = hc->next;
    if (hc->next) hc->next->prev = hc->prev;
    hc->prev = hc->next = NULL;
}

static void push(http_conn_t **list, http_conn_t *hc) {
    hc->prev = NULL, hc->next = *list;
    if (*list) (*list)->prev = hc;
    *list = hc;
}

/* Frees a record whose bufferevent is gone or going. */
static void free_record(http_conn_t *hc) {
    if (hc->deadline) event_free(hc->deadline);
    free(hc);
}

static void set_idle(http_conn_t *hc) {
    if (!hc->busy) return;
    hc->busy = false;
    hc->set->busy--;
}

/* The request_timeout_ms clock: started by the first byte of a request,
 * stopped when the whole request has arrived. */
static void start_deadline(http_conn_t *hc) {
    uint64_t ms = hc->set->sh->cfg->request_timeout_ms;
    if (hc->timing || hc->busy || !ms || !hc->deadline) return;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(hc->deadline, &tv);
    hc->timing = true;
}

static void stop_deadline(http_conn_t *hc) {
    if (hc->timing) evtimer_del(hc->deadline);
    hc->timing = false;
}

/* Bytes came in: they begin a request unless one is being answered. */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg) {
    (void)buf;
    if (info->n_added > 0) start_deadline(arg);
}

static void on_close(struct evhttp_connection *evcon, void *arg) {
    (void)evcon;
    http_conn_t *hc = arg;
    http_conns_t *set = hc->set;
    unlink_from(&set->open, hc);
    stats_conn_closed(&set->sh->stats);
    set_idle(hc);
    if (hc->watch) evbuffer_remove_cb_entry(bufferevent_get_input(hc->bev), hc->watch);
    if (hc->out_watch) evbuffer_remove_cb_entry(bufferevent_get_output(hc->bev), hc->out_watch);
    free_record(hc);
    set->sh->conn_closed(
        set->sh->conn_closed_arg); /* a stop may be waiting; a descriptor is free */
}

/* Closes the connections marked closing that are not busy. Made active
 * from on_complete, it runs in the same loop turn, after evhttp is done
 * with the reply and before it reads another request. */
static void close_marked(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    http_conns_t *set = arg;
    for (http_conn_t *hc = set->open, *next; hc; hc = next) {
        next = hc->next;
        if (hc->closing && !hc->busy) evhttp_connection_free(hc->evcon); /* on_close frees hc */
    }
}

void http_conn_close_after_reply(http_conn_t *hc) {
    hc->closing = true;
}

static const char *peer_of(http_conn_t *hc, char out[80]);

static const char *method_name(enum evhttp_cmd_type m) {
    switch (m) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_HEAD:
        return "HEAD";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_OPTIONS:
        return "OPTIONS";
    case EVHTTP_REQ_TRACE:
        return "TRACE";
    case EVHTTP_REQ_CONNECT:
        return "CONNECT";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    default:
        return "OTHER";
    }
}

/* One access_log line for a reply sent. */
static void log_access(http_conn_t *hc, struct evhttp_request *req) {
    char peer[80];
    const char *length =
        evhttp_find_header(evhttp_request_get_output_headers(req), "Content-Length");
    access_entry_t e = {
        .peer = peer_of(hc, peer),
        .method = method_name(evhttp_request_get_command(req)),
        .target = evhttp_request_get_uri(req),
        .user_agent = evhttp_find_header(evhttp_request_get_input_headers(req), "User-Agent"),
        .status = evhttp_request_get_response_code(req),
        .bytes = length ? strtoull(length, NULL, 10) : 0,
        .ms = (stats_now() - hc->started) * 1000.0,
    };
    access_log_write(&e);
}

/* The reply has been written. */
static void on_complete(struct evhttp_request *req, void *arg) {
    http_conn_t *hc = arg;
    if (access_log_enabled()) log_access(hc, req);
    set_idle(hc);
    if (hc->closing) event_active(hc->set->closer_ev, EV_READ, 0);
    if (evbuffer_get_length(bufferevent_get_input(hc->bev)) > 0) start_deadline(hc); /* pipelined */
    hc->set->sh->conn_closed(
        hc->set->sh->conn_closed_arg); /* a stop may be waiting for this reply */
}

/* Output while no request of lede's is being answered is evhttp's own
 * reply (http_errpage.h); it is looked at once evhttp has written it all,
 * later in the same loop turn, before it goes out. */
static void on_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg) {
    (void)buf;
    http_conn_t *hc = arg;
    if (info->n_added == 0 || hc->busy || hc->errpage) return;
    hc->errpage = true;
    event_active(hc->set->errpage_ev, EV_READ, 0);
}

/* Rewrites the error pages evhttp wrote as JSON, and counts them. */
static void rewrite_errpages(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    http_conns_t *set = arg;
    for (http_conn_t *hc = set->open; hc; hc = hc->next) {
        if (!hc->errpage) continue;
        hc->errpage = false;
        struct evbuffer *out = bufferevent_get_output(hc->bev);
        proto_error_code_t code = PROTO_E_NONE;
        evbuffer_cb_clear_flags(out, hc->out_watch, EVBUFFER_CB_ENABLED); /* our own writes */
        int status = http_errpage_rewrite(out, &code);
        evbuffer_cb_set_flags(out, hc->out_watch, EVBUFFER_CB_ENABLED);
        if (!status) continue;
        stats_request(&set->sh->stats, STATS_OP_INVALID, code, 0);
        stats_http_response(&set->sh->stats, status / 100);
    }
}

/* Writes a whole JSON error reply straight to the socket, when there is
 * no request to answer: best effort, the client may be gone. What it
 * has sent is read first, so that the close that follows is not a reset
 * that could destroy the reply in transit. */
static void send_raw(http_conn_t *hc, const char *status, proto_error_code_t code,
                     const char *message) {
    if (tls_in_use(hc->bev)) return; /* plain bytes would be garbage: the close says it all */
    size_t len = 0;
    char *body = request_error_line(NULL, code, message, &len);
    char head[256], junk[4096];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                     status, body ? len : 0);
    evutil_socket_t fd = bufferevent_getfd(hc->bev);
    while (recv(fd, junk, sizeof junk, MSG_DONTWAIT) > 0) {
    }
    if (send(fd, head, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n && body)
        if (send(fd, body, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) { /* gone */
        }
    free(body);
}

static const char *peer_of(http_conn_t *hc, char out[80]) {
    char *host = NULL;
    ev_uint16_t port = 0;
    evhttp_connection_get_peer(hc->evcon, &host, &port);
    snprintf(out, 80, "%s:%u", host ? host : "?", port);
    return out;
}

/* A socket over max_connections: a 503, then close. */
static void refuse(http_conns_t *set, http_conn_t *hc) {
    shared_t *s = set->sh;
    char peer[80];
    stats_conn_rejected(&s->stats); /* first: a client that reads the 503 sees it counted */
    stats_http_response(&s->stats, 5);
    send_raw(hc, "503 Service Unavailable", PROTO_E_TOO_MANY_CONNECTIONS,
             "the server is at max_connections; try again later");
    log_msg(LOG_WARN, "rejected http %s: max_connections (%llu) reached", peer_of(hc, peer),
            (unsigned long long)s->cfg->max_connections);
    evhttp_connection_free(hc->evcon); /* closes the socket; no close callback is set */
    free_record(hc);
}

/* The request begun did not arrive whole in time: a 408, then close. */
static void on_deadline(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    http_conn_t *hc = arg;
    shared_t *s = hc->set->sh;
    hc->timing = false;
    if (hc->busy || !hc->evcon) return;
    char msg[160], peer[80];
    uint64_t ms = s->cfg->request_timeout_ms;
    snprintf(msg, sizeof msg,
             "the request did not arrive whole within request_timeout_ms (%llu ms); closing",
             (unsigned long long)ms);
    stats_request_timeout(&s->stats); /* first: the client may ask STATS at once */
    stats_http_response(&s->stats, 4);
    send_raw(hc, "408 Request Timeout", PROTO_E_TIMEOUT, msg);
    log_msg(LOG_WARN, "http %s: request_timeout_ms: a request is not whole after %llu ms",
            peer_of(hc, peer), (unsigned long long)ms);
    evhttp_connection_free(hc->evcon); /* on_close frees hc */
}

/* Takes over the connections evhttp set up since the last turn: each
 * bufferevent's callback argument is its evhttp_connection. */
static void adopt(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    http_conns_t *set = arg;
    while (set->pending) {
        http_conn_t *hc = set->pending;
        unlink_from(&set->pending, hc);
        bufferevent_data_cb readcb = NULL;
        void *evcon = NULL;
        bufferevent_getcb(hc->bev, &readcb, NULL, NULL, &evcon);
        if (!readcb || !evcon) { /* evhttp failed and freed it already */
            if (!hc->refused) stats_conn_closed(&set->sh->stats);
            bufferevent_decref(hc->bev);
            free_record(hc);
            continue;
        }
        bufferevent_decref(hc->bev); /* evhttp's reference remains */
        hc->evcon = evcon;
        if (hc->refused) {
            refuse(set, hc);
            continue;
        }
        push(&set->open, hc);
        evhttp_connection_set_closecb(hc->evcon, on_close, hc);
    }
}

/* evhttp wants a bufferevent for a socket it has just accepted. */
static struct bufferevent *on_accepted(struct event_base *base, void *arg) {
    http_conns_t *set = arg;
    shared_t *s = set->sh;
    /* evhttp sets the socket later and closes it, unless the bufferevent
     * does (a TLS one must, to free its SSL with it). */
    struct bufferevent *bev = tls_bufferevent(s->tls, base, -1, s->tls ? BEV_OPT_CLOSE_ON_FREE : 0);
    http_conn_t *hc = bev ? calloc(1, sizeof *hc) : NULL;
    if (!hc) return bev; /* recorded at its first request, if it has one */
    hc->set = set, hc->bev = bev;
    hc->refused = s->stopping || stats_conns_current(&s->stats) >= s->cfg->max_connections;
    if (!hc->refused) {
        stats_conn_opened(&s->stats);
        hc->deadline = evtimer_new(base, on_deadline, hc); /* none: no deadline */
        hc->watch = evbuffer_add_cb(bufferevent_get_input(bev), on_input, hc);
        hc->out_watch = evbuffer_add_cb(bufferevent_get_output(bev), on_output, hc);
    }
    bufferevent_incref(bev); /* alive until adopt() looks at it, whatever evhttp does */
    push(&set->pending, hc);
    event_active(set->adopt_ev, EV_READ, 0);
    return bev;
}

http_conns_t *http_conns_new(shared_t *s, struct evhttp *http) {
    http_conns_t *set = calloc(1, sizeof *set);
    if (!set) return NULL;
    set->sh = s;
    set->adopt_ev = event_new(s->base, -1, 0, adopt, set);
    set->closer_ev = event_new(s->base, -1, 0, close_marked, set);
    set->errpage_ev = event_new(s->base, -1, 0, rewrite_errpages, set);
    if (!set->adopt_ev || !set->closer_ev || !set->errpage_ev) {
        http_conns_free(set);
        return NULL;
    }
    evhttp_set_bevcb(http, on_accepted, set);
    return set;
}

/* A connection without a record: made when evhttp could not be given a
 * bufferevent of ours (out of memory). */
static http_conn_t *late_record(http_conns_t *set, struct evhttp_connection *evcon) {
    stats_t *st = &set->sh->stats;
    http_conn_t *hc = NULL;
    if (stats_conns_current(st) >= set->sh->cfg->max_connections || !(hc = calloc(1, sizeof *hc)))
        return NULL;
    hc->set = set, hc->evcon = evcon;
    push(&set->open, hc);
    stats_conn_opened(st);
    evhttp_connection_set_closecb(evcon, on_close, hc);
    return hc;
}

http_conn_t *http_conn_begin(http_conns_t *set, struct evhttp_request *req) {
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    http_conn_t *hc = set->open;
    while (hc && hc->evcon != evcon) hc = hc->next;
    if (hc) { /* to the front: the next request is likely from the same */
        unlink_from(&set->open, hc);
        push(&set->open, hc);
    } else if (!(hc = late_record(set, evcon))) {
        stats_conn_rejected(&set->sh->stats);
        return NULL;
    }
    stop_deadline(hc); /* it has arrived */
    hc->started = stats_now();
    if (!hc->busy) hc->busy = true, set->busy++;
    evhttp_request_set_on_complete_cb(req, on_complete, hc);
    return hc;
}

size_t http_conns_busy(const http_conns_t *set) {
    return set ? set->busy : 0;
}

void http_conns_free(http_conns_t *set) {
    if (!set) return;
    while (set->pending) { /* set up by evhttp, which has freed them by now */
        http_conn_t *hc = set->pending;
        unlink_from(&set->pending, hc);
        bufferevent_decref(hc->bev);
        free_record(hc);
    }
    while (set->open) { /* any it did not report */
        http_conn_t *hc = set->open;
        unlink_from(&set->open, hc);
        free_record(hc);
    }
    if (set->adopt_ev) event_free(set->adopt_ev);
    if (set->closer_ev) event_free(set->closer_ev);
    if (set->errpage_ev) event_free(set->errpage_ev);
    free(set);
}
