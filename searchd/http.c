/* The HTTP/JSON API (docs/http.md) on libevent's evhttp, on the same event
 * loop, worker pool and counters as the line protocol.
 *
 * Requests that touch the index become line-protocol requests
 * (http_params.c) and run as jobs on the workers; /health, /metrics,
 * /stats and the page's files are answered on the loop. evhttp keeps a
 * request alive until it is answered even when its client has gone, so a
 * job always replies, and evhttp frees what nobody will read. */
#include "http.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http_conn.h"
#include "http_host.h"
#include "http_params.h"
#include "http_static.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"

/* A 401 for a wrong token, held back for auth_fail_delay_ms. */
typedef struct held_reply {
    struct http_server *h;
    struct evhttp_request *req;
    struct event *timer;
    struct held_reply *prev, *next;
} held_reply_t;

struct http_server {
    shared_t *sh;
    pool_t *pool;
    reloader_t *reloader; /* /health, /stats, /metrics: its index status */
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    http_conns_t *conns;
    held_reply_t *held; /* waiting to be sent */
};

typedef enum { R_EXACT, R_PREFIX } route_match_t;

typedef struct {
    const char *path;
    route_match_t match;
    int op; /* a proto_op_t, or one of the loop's own pages below */
} route_t;

enum { PAGE_HEALTH = 100, PAGE_METRICS, PAGE_STATS };

static const route_t ROUTES[] = {
    {"/search", R_EXACT, PROTO_OP_SEARCH}, {"/suggest", R_EXACT, PROTO_OP_SUGGEST},
    {"/doc/", R_PREFIX, PROTO_OP_GET},     {"/similar/", R_PREFIX, PROTO_OP_SIMILAR},
    {"/health", R_EXACT, PAGE_HEALTH},     {"/metrics", R_EXACT, PAGE_METRICS},
    {"/stats", R_EXACT, PAGE_STATS},
};

static int status_of(proto_error_code_t code) {
    switch (code) {
    case PROTO_E_NONE:
        return 200;
    case PROTO_E_NOT_FOUND:
        return 404;
    case PROTO_E_LINE_TOO_LONG:
        return 413;
    case PROTO_E_UNAVAILABLE:
    case PROTO_E_TOO_MANY_CONNECTIONS:
    case PROTO_E_TIMEOUT:
        return 503;
    case PROTO_E_INTERNAL:
        return 500;
    case PROTO_E_AUTH_REQUIRED:
    case PROTO_E_AUTH_FAILED:
        return 401;
    default:
        return 400;
    }
}

static const char *reason_of(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

static void count_status(http_server_t *h, int status) {
    stats_http_response(&h->sh->stats, status / 100);
}

/* Sends body (which may be NULL) with a status; every reply goes here. */
static void respond(http_server_t *h, struct evhttp_request *req, int status, const char *type,
                    struct evbuffer *body) {
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    if (type) evhttp_add_header(out, "Content-Type", type);
    if (h->sh->stopping) evhttp_add_header(out, "Connection", "close");
    count_status(h, status);
    evhttp_send_reply(req, status, reason_of(status), body);
}

static void send_text(http_server_t *h, struct evhttp_request *req, int status, const char *type,
                      const char *text, size_t len) {
    struct evbuffer *body = evbuffer_new();
    if (body) evbuffer_add(body, text, len);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
    respond(h, req, status, type, body);
    if (body) evbuffer_free(body);
}

static void send_json(http_server_t *h, struct evhttp_request *req, int status, json_t *reply) {
    size_t len = 0;
    char *line = request_reply_line(reply, &len);
    if (!line)
        line = request_error_line(NULL, PROTO_E_INTERNAL, "out of memory", &len), status = 500;
    send_text(h, req, status, "application/json; charset=utf-8", line, len);
    free(line);
}

static void send_error(http_server_t *h, struct evhttp_request *req, int status, const char *code,
                       const char *message) {
    json_t *reply = json_pack("{sbs{ssss}}", "ok", 0, "error", "code", code, "message", message);
    send_json(h, req, status, reply);
}

static void send_proto_error(http_server_t *h, struct evhttp_request *req, proto_error_code_t code,
                             const char *message) {
    stats_request(&h->sh->stats, STATS_OP_INVALID, code, 0);
    send_error(h, req, status_of(code), proto_error_name(code), message);
}

/* ---- CORS ---- */

/* Whether origin is one of the comma-separated http_cors_origins. */
static bool origin_allowed(const char *list, const char *origin, size_t n) {
    for (const char *p = list; *p;) {
        p += strspn(p, " ,");
        size_t len = strcspn(p, " ,");
        if (len == n && strncmp(p, origin, n) == 0) return true;
        p += len;
    }
    return false;
}

static bool add_cors(http_server_t *h, struct evhttp_request *req) {
    const char *list = h->sh->cfg->http_cors_origins;
    const char *origin = evhttp_find_header(evhttp_request_get_input_headers(req), "Origin");
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    if (!*list || !origin) return false;
    if (strcmp(list, "*") == 0) {
        evhttp_add_header(out, "Access-Control-Allow-Origin", "*");
        return true;
    }
    evhttp_add_header(out, "Vary", "Origin");
    if (!origin_allowed(list, origin, strlen(origin))) return false;
    evhttp_add_header(out, "Access-Control-Allow-Origin", origin);
    return true;
}

static void preflight(http_server_t *h, struct evhttp_request *req, bool allowed) {
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    evhttp_add_header(out, "Allow", "GET, HEAD, OPTIONS");
    if (allowed) {
        const char *want = evhttp_find_header(evhttp_request_get_input_headers(req),
                                              "Access-Control-Request-Headers");
        evhttp_add_header(out, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        if (want) evhttp_add_header(out, "Access-Control-Allow-Headers", want);
        evhttp_add_header(out, "Access-Control-Max-Age", "600");
    }
    respond(h, req, 204, NULL, NULL);
}

/* ---- pages answered on the loop ---- */

static void health(http_server_t *h, struct evhttp_request *req) {
    if (h->sh->stopping) return send_error(h, req, 503, "unavailable", "the server is stopping");
    index_status_t ix;
    reloader_status(h->reloader, &ix);
    if (!ix.up) {
        send_error(h, req, 503, "unavailable", ix.why.msg);
        return index_status_free(&ix);
    }
    json_t *reply = json_pack("{sbsIsIss}", "ok", 1, "documents", (json_int_t)ix.st.doccount,
                              "revision", (json_int_t)ix.st.revision, "version", LEDE_VERSION);
    if (reply && h->sh->cfg->shards[0]) { /* shard_policy = partial: up, with some down */
        json_object_set_new(reply, "shards", json_integer((json_int_t)ix.n_shards));
        json_object_set_new(reply, "shards_down", json_integer((json_int_t)ix.shards_down));
    }
    index_status_free(&ix);
    send_json(h, req, 200, reply);
}

static void metrics(http_server_t *h, struct evhttp_request *req) {
    struct evbuffer *body = evbuffer_new();
    if (!body) return send_error(h, req, 500, "internal", "out of memory");
    index_status_t ix;
    reloader_status(h->reloader, &ix);
    metrics_write(h->sh, &ix, body);
    index_status_free(&ix);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
    respond(h, req, 200, "text/plain; version=0.0.4; charset=utf-8", body);
    evbuffer_free(body);
}

static void stats_page(http_server_t *h, struct evhttp_request *req) {
    index_status_t ix;
    reloader_status(h->reloader, &ix);
    json_t *reply = json_pack("{sb}", "ok", 1),
           *stats = stats_report(&h->sh->stats, h->sh->cfg, &ix);
    index_status_free(&ix);
    if (!reply || !stats || json_object_update(reply, stats) != 0) {
        json_decref(reply);
        reply = NULL; /* send_json answers 500 */
    }
    json_decref(stats);
    send_json(h, req, 200, reply);
}

static void static_file(http_server_t *h, struct evhttp_request *req, const char *path) {
    int status = http_static_serve(req, h->sh->cfg, path);
    if (status == 404)
        return send_error(h, req, 404, "not_found",
                          "no such page; the API is under /search, /doc/{id}, /similar/{id}, "
                          "/suggest, /health, /metrics");
    if (status == 500) return send_error(h, req, 500, "internal", "cannot read the page's files");
    count_status(h, status);
}

/* ---- requests run by the workers ---- */

static void submit(http_server_t *h, struct evhttp_request *req, proto_op_t op, const char *query,
                   const char *doc) {
    proto_error_t err = {0};
    json_t *jreq = http_params_request(op, query, doc, &err);
    if (!jreq) return send_proto_error(h, req, err.code, err.message);
    job_t *job = calloc(1, sizeof *job);
    if (!job) {
        json_decref(jreq);
        return send_proto_error(h, req, PROTO_E_INTERNAL, "out of memory");
    }
    /* The same parser as the line protocol's JSON form, given the object. */
    if (proto_parse_object(jreq, &h->sh->limits, &job->req, &err) != PROTO_OK) {
        free(job);
        send_proto_error(h, req, err.code, err.message);
        return proto_error_free(&err);
    }
    job->http = req;
    pool_submit(h->pool, job);
}

static void free_reply(const void *data, size_t len, void *extra) {
    (void)len, (void)extra;
    free((void *)data);
}

void http_job_done(job_t *job, void *arg) {
    http_server_t *h = arg;
    stats_job_done(&h->sh->stats, h->sh->cfg, job);
    struct evbuffer *body = evbuffer_new();
    if (body) {
        /* The body's bytes move into the connection: it frees them. */
        evbuffer_add_reference(body, job->reply.line, job->reply.len, free_reply, NULL);
        job->reply.line = NULL;
        evhttp_add_header(evhttp_request_get_output_headers(job->http), "Cache-Control",
                          "no-store");
        respond(h, job->http, status_of(job->reply.error), "application/json; charset=utf-8", body);
        evbuffer_free(body);
    } else {
        respond(h, job->http, 500, NULL, NULL);
    }
    job_free(job);
}

/* ---- authentication (auth.h) ---- */

static void send_unauthorised(http_server_t *h, struct evhttp_request *req,
                              proto_error_code_t code) {
    bool wrong = code == PROTO_E_AUTH_FAILED;
    evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                      wrong ? "Bearer realm=\"lede\", error=\"invalid_token\""
                            : "Bearer realm=\"lede\"");
    send_proto_error(h, req, code,
                     wrong ? "wrong token in the Authorization header"
                           : "this server needs a token: send \"Authorization: Bearer <token>\"");
}

static void held_unlink(held_reply_t *r) {
    if (r->prev)
        r->prev->next = r->next;
    else
        r->h->held = r->next;
    if (r->next) r->next->prev = r->prev;
    event_free(r->timer);
    free(r);
}

static void on_held_reply(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    held_reply_t *r = arg;
    send_unauthorised(r->h, r->req, PROTO_E_AUTH_FAILED);
    held_unlink(r);
}

/* A wrong token: the 401 goes auth_fail_delay_ms later (evhttp keeps the
 * request until it is answered, even when its client has gone). */
static void hold_failure(http_server_t *h, struct evhttp_request *req) {
    held_reply_t *r = calloc(1, sizeof *r);
    struct event *timer = r ? evtimer_new(h->sh->base, on_held_reply, r) : NULL;
    if (!timer) {
        free(r);
        return send_unauthorised(h, req, PROTO_E_AUTH_FAILED);
    }
    *r = (held_reply_t){.h = h, .req = req, .timer = timer, .next = h->held};
    if (h->held) h->held->prev = r;
    h->held = r;
    uint64_t ms = h->sh->cfg->auth_fail_delay_ms;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(timer, &tv);
}

/* Whether the request has the token, or none is needed; answers it when not. */
static bool authorised(http_server_t *h, struct evhttp_request *req) {
    const config_t *c = h->sh->cfg;
    if (!auth_enabled(c)) return true;
    const char *given = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    if (auth_bearer_ok(c, given)) return true;
    if (!given) return send_unauthorised(h, req, PROTO_E_AUTH_REQUIRED), false;
    stats_auth_failed(&h->sh->stats);
    log_msg(LOG_WARN, "http: wrong auth token");
    hold_failure(h, req);
    return false;
}

/* ---- routing ---- */

static void route(http_server_t *h, struct evhttp_request *req, const char *path,
                  const char *query) {
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        const route_t *r = &ROUTES[i];
        size_t n = strlen(r->path);
        if (r->match == R_EXACT ? strcmp(path, r->path) != 0 : strncmp(path, r->path, n) != 0)
            continue;
        if (r->op != PAGE_HEALTH && !authorised(h, req)) return;
        switch (r->op) {
        case PAGE_HEALTH:
            return health(h, req);
        case PAGE_METRICS:
            return metrics(h, req);
        case PAGE_STATS:
            return stats_page(h, req);
        default:
            if (r->match == R_PREFIX && (!path[n] || strchr(path + n, '/')))
                return send_error(h, req, 404, "not_found",
                                  "the path needs one document id: /doc/{id}, /similar/{id} "
                                  "(escape '/' in an id as %2F)");
            return submit(h, req, (proto_op_t)r->op, query, r->match == R_PREFIX ? path + n : NULL);
        }
    }
    static_file(h, req, path);
}

/* Whether the request's Host is one of ours (http_host.h); answers it
 * when not. */
static bool host_allowed(http_server_t *h, struct evhttp_request *req) {
    const config_t *c = h->sh->cfg;
    const char *host = evhttp_find_header(evhttp_request_get_input_headers(req), "Host");
    if (http_host_allowed(c->http_host, c->http_allowed_hosts, host)) return true;
    char safe[132], msg[256];
    snprintf(msg, sizeof msg,
             "Host '%s' is not a name of this server; add it to http_allowed_hosts to allow it",
             log_safe(host, strlen(host), safe));
    stats_host_refused(&h->sh->stats);
    send_error(h, req, 403, "host_not_allowed", msg);
    return false;
}

/* Methods libevent parses; any other reaches on_request as
 * EVHTTP_REQ_UNKNOWN_ (1 << 15), so that it is answered in JSON too. */
#define KNOWN_METHODS                                                                              \
    (EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |     \
     EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH)

/* Anything but GET, HEAD and OPTIONS: 405, or 501 for a method unknown. */
static void bad_method(http_server_t *h, struct evhttp_request *req, enum evhttp_cmd_type m) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD, OPTIONS");
    if (!(m & KNOWN_METHODS))
        return send_error(h, req, 501, "not_implemented",
                          "unknown method; only GET, HEAD and OPTIONS are served");
    send_error(h, req, 405, "method_not_allowed", "only GET, HEAD and OPTIONS are served");
}

static void on_request(struct evhttp_request *req, void *arg) {
    http_server_t *h = arg;
    http_conn_t *hc = http_conn_begin(h->conns, req);
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    if (!hc) {
        evhttp_add_header(out, "Connection", "close");
        return send_error(h, req, 503, "too_many_connections",
                          "the server is at max_connections; try again later");
    }
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    if (m == EVHTTP_REQ_CONNECT) { /* evhttp keeps a CONNECT's connection open otherwise */
        evhttp_add_header(out, "Connection", "close");
        http_conn_close_after_reply(hc);
    }
    if (!host_allowed(h, req)) return;
    bool cors = add_cors(h, req);
    if (h->sh->stopping) return send_error(h, req, 503, "unavailable", "the server is stopping");
    if (m == EVHTTP_REQ_OPTIONS) return preflight(h, req, cors);
    if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) return bad_method(h, req, m);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!path || !*path) path = "/";
    route(h, req, path, uri ? evhttp_uri_get_query(uri) : NULL);
}

/* ---- life cycle ---- */

static void limit(http_server_t *h, const config_t *c) {
    /* Every method reaches on_request, those libevent does not know
     * included, so that the 405 or 501 is ours, in JSON. */
    evhttp_set_allowed_methods(h->http, 0xffff);
    evhttp_set_max_headers_size(h->http, (ev_ssize_t)c->max_line_bytes);
    evhttp_set_max_body_size(h->http, (ev_ssize_t)c->max_line_bytes);
    if (c->idle_timeout_ms) {
        struct timeval tv = {(time_t)(c->idle_timeout_ms / 1000),
                             (suseconds_t)(c->idle_timeout_ms % 1000) * 1000};
        evhttp_set_timeout_tv(h->http, &tv);
    }
    evhttp_set_gencb(h->http, on_request, h);
}

lede_status_t http_start(http_server_t **out, shared_t *s, pool_t *pool, reloader_t *reloader,
                         lede_err_t *err) {
    const config_t *c = s->cfg;
    http_server_t *h = calloc(1, sizeof *h);
    *out = h; /* freed by http_free, whatever happens below */
    if (!h || !(h->http = evhttp_new(s->base)))
        return lede_errf(err, LEDE_E_NOMEM, "cannot start the HTTP server: out of memory");
    h->sh = s, h->pool = pool, h->reloader = reloader;
    pool_on_done(pool, http_job_done, h);
    if (!(h->conns = http_conns_new(s, h->http)))
        return lede_errf(err, LEDE_E_NOMEM, "cannot start the HTTP server: out of memory");
    limit(h, c);
    if (!(h->bound = evhttp_bind_socket_with_handle(h->http, c->http_host, c->http_port)))
        return lede_errf(
            err, LEDE_E_IO,
            "cannot listen for HTTP on %s:%u: %s (set http_listen, or http_listen = off)",
            c->http_host, c->http_port, strerror(errno));
    gate_add(&s->gate, evhttp_bound_socket_get_listener(h->bound));
    log_msg(LOG_INFO, "http listening on %s:%u%s, page from %s", c->http_host,
            socket_port(evhttp_bound_socket_get_fd(h->bound)), s->tls ? " (TLS)" : "",
            http_static_root(c));
    return LEDE_OK;
}

void http_stop(http_server_t *h) {
    if (!h || !h->bound) return;
    evhttp_del_accept_socket(h->http, h->bound);
    h->bound = NULL;
}

size_t http_busy(const http_server_t *h) {
    return h ? http_conns_busy(h->conns) : 0;
}

void http_free(http_server_t *h) {
    if (!h) return;
    while (h->held) held_unlink(h->held); /* their requests go with evhttp */
    /* evhttp_free closes the connections left, calling on_close for each. */
    if (h->http) evhttp_free(h->http);
    http_conns_free(h->conns);
    free(h);
}
