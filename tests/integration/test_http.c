/* Integration tests for lede-searchd's HTTP/JSON API (docs/http.md): the
 * real daemon on 127.0.0.1 with ports it picks, an index built by
 * lede-indexer from fixtures, and a small HTTP/1.1 client on raw sockets,
 * so that every byte on the wire is what a browser or curl would see. */
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "searchd_client.h"

#define WAIT_MS 5000

static const char *searchd, *indexer;
static char *tmp;
static char db[SD_PATH_BYTES];
static sd_daemon_t main_d; /* default settings, plus a page root and CORS */

/* ---- a small HTTP client ---------------------------------------------------- */

typedef struct reply {
    int status; /* 0: no complete reply */
    char *head; /* status line and headers */
    char *body; /* NUL-terminated */
    size_t body_len;
    json_t *json; /* the body parsed, when it is JSON */
} reply_t;

static void reply_free(reply_t *r) {
    free(r->head);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* The value of header name in r->head (static storage), or NULL. */
static const char *header(const reply_t *r, const char *name) {
    static char value[512];
    size_t n = strlen(name);
    for (const char *p = r->head ? strstr(r->head, "\r\n") : NULL; p && p[2];
         p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1 + strspn(line + n + 1, " ");
            size_t len = strcspn(v, "\r");
            snprintf(value, sizeof value, "%.*s", (int)(len < 511 ? len : 511), v);
            return value;
        }
    }
    return NULL;
}

/* Reads one reply from c: headers, then Content-Length bytes (or up to
 * the close when there is none), waiting up to wait_ms for each part. A
 * HEAD reply has no body. */
static bool read_reply_within(sd_conn_t *c, reply_t *r, bool head_only, int wait_ms) {
    memset(r, 0, sizeof *r);
    char *line;
    size_t cap = 4096, len = 0;
    r->head = calloc(1, cap);
    while ((line = sd_read_line(c, wait_ms)) != NULL) {
        size_t n = strlen(line);
        if (len + n + 3 > cap) r->head = realloc(r->head, cap = 2 * (len + n + 3));
        memcpy(r->head + len, line, n);
        len += n;
        memcpy(r->head + len, "\n", 2), len++;
        bool blank = n == 0 || (n == 1 && line[0] == '\r');
        free(line);
        if (blank) break;
    }
    if (!line) return false;
    const char *cl = header(r, "Content-Length");
    long want = cl ? atol(cl) : -1;
    sscanf(r->head, "HTTP/1.%*d %d", &r->status);
    if (head_only || r->status == 204 || r->status == 304) want = 0; /* no body */
    if (want < 0) /* no length: the body runs to the close */
        sd_fill(c, (size_t)-1, wait_ms);
    else
        sd_fill(c, (size_t)want, wait_ms);
    if (want < 0) want = (long)c->len;
    if ((long)c->len < want) return false;
    r->body = malloc((size_t)want + 1);
    memcpy(r->body, c->buf, (size_t)want);
    r->body[want] = '\0';
    r->body_len = (size_t)want;
    memmove(c->buf, c->buf + want, c->len - (size_t)want);
    c->len -= (size_t)want;
    r->json = json_loadb(r->body, r->body_len, 0, NULL);
    return r->status != 0;
}

static bool read_reply(sd_conn_t *c, reply_t *r, bool head_only) {
    return read_reply_within(c, r, head_only, WAIT_MS);
}

/* Sends "METHOD TARGET" with extra header lines ("X: y\r\n...") on c. */
static bool send_request(sd_conn_t *c, const char *method, const char *target, const char *extra) {
    char *req = malloc(strlen(target) + (extra ? strlen(extra) : 0) + 128);
    sprintf(req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", method, target, extra ? extra : "");
    bool ok = sd_send_str(c, req);
    free(req);
    return ok;
}

/* One request on a new connection; the reply in r (status 0 when none). */
static void http(unsigned port, const char *method, const char *target, const char *extra,
                 reply_t *r) {
    sd_conn_t *c = sd_connect(port);
    memset(r, 0, sizeof *r);
    if (c && send_request(c, method, target, extra)) read_reply(c, r, strcmp(method, "HEAD") == 0);
    sd_close(c);
}

static reply_t get(const char *target) {
    reply_t r;
    http(main_d.http_port, "GET", target, NULL, &r);
    return r;
}

#define CHECK_STATUS(r, want)                                                                      \
    do {                                                                                           \
        CHECK_INT((r).status, want);                                                               \
        if ((r).status != (want)) fprintf(stderr, "  body: %.300s\n", (r).body ? (r).body : "");   \
    } while (0)

/* GET target must fail with status, error code and a message naming what. */
static void expect_error(const char *target, int status, const char *code, const char *names) {
    reply_t r = get(target);
    CHECK_STATUS(r, status);
    CHECK_STR(header(&r, "Content-Type"), "application/json; charset=utf-8");
    CHECK(json_is_false(json_object_get(r.json, "ok")));
    CHECK_STR(sd_str(r.json, "error.code"), code);
    const char *msg = sd_str(r.json, "error.message");
    CHECK(msg && strstr(msg, names));
    if (!msg || !strstr(msg, names))
        fprintf(stderr, "  %s: message %s lacks '%s'\n", target, msg, names);
    reply_free(&r);
}

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    snprintf(out, SD_PATH_BYTES, "%s/%s", tmp, name);
    return out;
}

static bool start(sd_daemon_t *d, const char *name, const char *const *extra) {
    char log[SD_PATH_BYTES], file[256];
    snprintf(file, sizeof file, "%s.log", name);
    bool ok = sd_start(d, searchd, db, in_tmp(log, file), extra);
    CHECK(ok);
    return ok;
}

static void stop(sd_daemon_t *d) {
    CHECK_INT(sd_stop(d, SIGTERM), 0);
    CHECK(sd_log_clean(d));
}

/* The line protocol's reply to request, without took_ms. */
static json_t *line_reply(const char *request) {
    sd_conn_t *c = sd_connect(main_d.port);
    json_t *r = c ? sd_call(c, request) : NULL;
    sd_close(c);
    json_object_del(r, "took_ms");
    return r;
}

/* GET target must answer exactly what the line protocol answers. */
static void expect_same(const char *target, const char *request) {
    reply_t r = get(target);
    json_t *want = line_reply(request);
    CHECK_STATUS(r, 200);
    json_object_del(r.json, "took_ms");
    CHECK(want && json_equal(r.json, want));
    if (!json_equal(r.json, want)) fprintf(stderr, "  %s\n  got  %.300s\n", target, r.body);
    json_decref(want);
    reply_free(&r);
}

/* ---- the API ------------------------------------------------------------------ */

static void test_search_same_as_line_protocol(void) {
    expect_same("/search?q=water", "{\"op\":\"search\",\"q\":\"water\"}");
    expect_same(
        "/search?q=city+water&match=any&limit=3&offset=1",
        "{\"op\":\"search\",\"q\":\"city water\",\"match\":\"any\",\"limit\":3,\"offset\":1}");
    expect_same("/search?q=%22desalination%20plant%22&snippet=0&suggest=false",
                "{\"op\":\"search\",\"q\":\"\\\"desalination "
                "plant\\\"\",\"snippet\":false,\"suggest\":false}");
    expect_same(
        "/search?source=Harbor+Wire&source=Valley%20Times&sort=date&facets=source,year,category",
        "{\"op\":\"search\",\"filter\":{\"source\":[\"Harbor Wire\",\"Valley "
        "Times\"]},\"sort\":\"date\","
        "\"facets\":[\"source\",\"year\",\"category\"]}");
    expect_same("/search?from=2023&to=2023-12-31&sort=-date&tag=drought",
                "{\"op\":\"search\",\"filter\":{\"date\":{\"from\":\"2023\",\"to\":\"2023-12-31\"},"
                "\"tag\":\"drought\"},"
                "\"sort\":\"-date\"}");
    expect_same("/search?q=resevoir",
                "{\"op\":\"search\",\"q\":\"resevoir\"}"); /* with a suggestion */
    expect_same("/search?q=desalination+zebra", "{\"op\":\"search\",\"q\":\"desalination zebra\"}");
    expect_same("/search?q=desalination+zebra&match=all",
                "{\"op\":\"search\",\"q\":\"desalination zebra\",\"match\":\"all\"}");
    expect_same("/search?q=water&exact_total=1",
                "{\"op\":\"search\",\"q\":\"water\",\"exact_total\":true}");
    expect_same("/search?facets=tag,source&facet_limit=2",
                "{\"op\":\"search\",\"facets\":[\"tag\",\"source\"],\"facet_limit\":2}");
    expect_same("/search?q=desalinaton", "{\"op\":\"search\",\"q\":\"desalinaton\"}");
    expect_same("/search?q=title%3A(desalination+AND", /* query_fallback */
                "{\"op\":\"search\",\"q\":\"title:(desalination AND\"}");
    expect_same("/search?q=desalinaton&spelling=suggest",
                "{\"op\":\"search\",\"q\":\"desalinaton\",\"spelling\":\"suggest\"}");
    expect_same("/search?q=desalinaton&spelling=off",
                "{\"op\":\"search\",\"q\":\"desalinaton\",\"spelling\":\"off\"}");
    expect_same("/search?facets=timeline,year&timeline=day",
                "{\"op\":\"search\",\"facets\":[\"timeline\",\"year\"],\"timeline\":\"day\"}");
    reply_t relaxed = get("/search?q=desalination+zebra");
    CHECK(json_is_true(json_object_get(relaxed.json, "relaxed")));
    CHECK_INT(json_integer_value(json_object_get(relaxed.json, "total")), 1);
    reply_free(&relaxed);
    reply_t r = get("/search?q=water&source=harbor+wire&facets=source");
    CHECK_STATUS(r, 200);
    CHECK_STR(sd_hit_ids(r.json), "g1"); /* filters are case-insensitive */
    CHECK_INT(sd_int(r.json, "facets.source.Harbor Wire"), 1);
    CHECK_STR(header(&r, "Cache-Control"), "no-store");
    reply_free(&r);
    r = get("/search"); /* no query: every article */
    CHECK_INT(sd_int(r.json, "total"), 6);
    reply_free(&r);
}

static void test_doc_similar_suggest(void) {
    expect_same("/doc/g2", "{\"op\":\"get\",\"doc\":\"g2\"}");
    expect_same("/similar/g1?limit=2", "{\"op\":\"similar\",\"doc\":\"g1\",\"limit\":2}");
    expect_same("/suggest?q=rese", "{\"op\":\"suggest\",\"q\":\"rese\"}");
    expect_same("/suggest?q=w&limit=2", "{\"op\":\"suggest\",\"q\":\"w\",\"limit\":2}");
    expect_error("/doc/nope", 404, "not_found", "nope");
    expect_error("/doc/has%2Fslash", 404, "not_found", "has/slash");
    expect_error("/similar/nope", 404, "not_found", "nope");
    expect_error("/doc/", 404, "not_found", "/doc/{id}");
    expect_error("/doc/a/b", 404, "not_found", "%2F");
}

static void test_bad_parameters(void) {
    expect_error("/search?q=water&bogus=1", 400, "bad_request", "bogus");
    expect_error("/search?limit=ten", 400, "bad_request", "limit");
    expect_error("/search?offset=-1", 400, "bad_request", "offset");
    expect_error("/search?q=a&q=b", 400, "bad_request", "'q' is given more than once");
    expect_error("/search?snippet=maybe", 400, "bad_request", "snippet");
    expect_error("/search?sort=oldest", 400, "bad_request", "sort");
    expect_error("/search?exact_total=all", 400, "bad_request", "exact_total");
    expect_error("/search?facets=timeline&timeline=week", 400, "bad_request", "timeline");
    expect_error("/search?facets=tag&facet_limit=0", 400, "bad_request", "facet_limit");
    expect_error("/search?q=x&spelling=yes", 400, "bad_request", "'spelling'");
    expect_error("/search?facets=tag&facet_limit=ten", 400, "bad_request", "facet_limit");
    expect_error("/search?facets=tag&facet_limit=101", 400, "over_limit",
                 "facet_limit 101 is over max_facet_limit (100)");
    expect_error("/search?match=some", 400, "bad_request", "match");
    expect_error("/search?facets=colour", 400, "bad_request", "colour");
    expect_error("/search?from=yesterday", 400, "bad_request", "date");
    expect_error("/search?limit=101", 400, "over_limit", "limit 101");
    expect_error("/search?offset=99999999999", 400, "over_limit", "offset");
    expect_error("/search?q=%FF%FE", 400, "invalid_utf8", "'q'");
    expect_error("/search?q=a%00b", 400, "nul_byte", "'q'");
    expect_error("/doc/x%00y", 400, "nul_byte", "'id'");
    expect_error("/suggest?q=w&offset=1", 400, "bad_request", "offset");
    expect_error("/doc/g1?limit=1", 400, "bad_request", "limit");
    expect_error("/search?q=date:2020..bad", 400, "bad_query", "date");
    expect_error("/nowhere", 404, "not_found", "/search");
}

static void test_bad_percent_encoding(void) {
    expect_error("/search?q=%zz", 400, "bad_request", "'q'");
    expect_error("/search?q=water%", 400, "bad_request", "'q'");
    expect_error("/search?q=%4", 400, "bad_request", "%4");
    expect_error("/search?q=a%4g", 400, "bad_request", "percent");
    expect_error("/search?li%mit=1", 400, "bad_request", "name");
    expect_error("/doc/g%zz1", 400, "bad_request", "'id'");
    expect_error("/suggest?q=wa%", 400, "bad_request", "'q'");
    expect_same("/search?q=%77ater+%2B",
                "{\"op\":\"search\",\"q\":\"water +\"}"); /* good ones decode */
}

/* Sends raw bytes on a new connection and reads one reply. */
static void http_raw(unsigned port, const char *bytes, reply_t *r) {
    sd_conn_t *c = sd_connect(port);
    memset(r, 0, sizeof *r);
    if (c && sd_send_str(c, bytes)) read_reply(c, r, false);
    sd_close(c);
}

static void test_methods(void) {
    static const char *const METHODS[] = {"POST", "PUT", "DELETE", "PATCH", "TRACE"};
    for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
        reply_t r;
        http(main_d.http_port, METHODS[i], "/search?q=water", "Content-Length: 0\r\n", &r);
        CHECK_STATUS(r, 405);
        CHECK_STR(header(&r, "Allow"), "GET, HEAD, OPTIONS");
        CHECK_STR(sd_str(r.json, "error.code"), "method_not_allowed");
        reply_free(&r);
    }
    reply_t r;
    http(main_d.http_port, "HEAD", "/search?q=water", NULL, &r);
    CHECK_STATUS(r, 200);
    CHECK_INT(r.body_len, 0);
    reply_free(&r);
    /* A method libevent does not know is answered by lede, in JSON. */
    http_raw(main_d.http_port, "BREW /search?q=water HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", &r);
    CHECK_STATUS(r, 501);
    CHECK_STR(header(&r, "Content-Type"), "application/json; charset=utf-8");
    CHECK_STR(sd_str(r.json, "error.code"), "not_implemented");
    CHECK_STR(header(&r, "Allow"), "GET, HEAD, OPTIONS");
    reply_free(&r);
}

/* The server closes a connection when the client asks, and after a
 * CONNECT (which evhttp would otherwise keep open whatever it says). */
static void test_connection_close(void) {
    static const char *const ASKS[] = {
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /health HTTP/1.0\r\n\r\n",
        "CONNECT 127.0.0.1:7879 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "CONNECT 127.0.0.1:7879 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    };
    static const int STATUS[] = {200, 200, 405, 405};
    for (size_t i = 0; i < sizeof ASKS / sizeof ASKS[0]; i++) {
        sd_conn_t *c = sd_connect(main_d.http_port);
        reply_t r;
        CHECK(c && sd_send_str(c, ASKS[i]) && read_reply(c, &r, false));
        CHECK_STATUS(r, STATUS[i]);
        CHECK(json_is_object(r.json));
        if (strstr(ASKS[i], "HTTP/1.1")) CHECK_STR(header(&r, "Connection"), "close");
        bool closed = c && sd_wait_closed(c, WAIT_MS);
        CHECK(closed);
        if (!closed) fprintf(stderr, "  still open after: %.40s\n", ASKS[i]);
        reply_free(&r);
        sd_close(c);
    }
}

/* What libevent's HTTP parser refuses itself, before lede sees a request,
 * is answered in JSON too, with the same status, and the connection is
 * closed. */
static void test_parser_errors_in_json(void) {
    static const char *const EXTRA[] = {"-o", "max_line_bytes=512", NULL};
    sd_daemon_t d;
    if (!start(&d, "parser", EXTRA)) return;
    char long_line[800], big_body[900];
    snprintf(long_line, sizeof long_line,
             "GET /search?q=%0600d HTTP/1.1\r\nHost: localhost\r\n\r\n", 0);
    snprintf(big_body, sizeof big_body,
             "POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 600\r\n\r\n%0600d", 0);
    const struct {
        const char *request;
        int status;
        const char *code;
    } CASES[] = {
        {"GARBAGE\r\n\r\n", 400, "bad_request"},
        {"GET /health HTTP/9.9\r\nHost: localhost\r\n\r\n", 400, "bad_request"},
        {"GET /health HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "bad_request"},
        {long_line, 400, "bad_request"},
        {big_body, 413, "line_too_long"},
    };
    reply_t before = {0}, after = {0};
    http(d.http_port, "GET", "/stats", NULL, &before);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        sd_conn_t *c = sd_connect(d.http_port);
        reply_t r;
        CHECK(c && sd_send_str(c, CASES[i].request) && read_reply(c, &r, false));
        CHECK_STATUS(r, CASES[i].status);
        CHECK_STR(header(&r, "Content-Type"), "application/json; charset=utf-8");
        CHECK_STR(sd_str(r.json, "error.code"), CASES[i].code);
        if (!r.json)
            fprintf(stderr, "  %.30s: not JSON: %.200s\n", CASES[i].request, r.body ? r.body : "");
        CHECK(c && sd_wait_closed(c, WAIT_MS));
        reply_free(&r);
        sd_close(c);
    }
    http(d.http_port, "GET", "/stats", NULL, &after);
    CHECK_INT(sd_int(after.json, "requests.invalid") - sd_int(before.json, "requests.invalid"), 5);
    reply_free(&before), reply_free(&after);
    stop(&d);
}

/* GET /health with a given Host header (NULL: none); the status. */
static int health_for_host(unsigned port, const char *host, reply_t *r) {
    char req[512];
    if (host)
        snprintf(req, sizeof req, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", host);
    else
        snprintf(req, sizeof req, "GET /health HTTP/1.0\r\n\r\n");
    http_raw(port, req, r);
    return r->status;
}

/* DNS rebinding: a page from evil.example whose name now resolves to
 * 127.0.0.1 must not read a loopback daemon. Only the listen address's
 * own names are accepted, and those in http_allowed_hosts. */
static void test_host_header(void) {
    static const char *const GOOD[] = {"127.0.0.1", "127.0.0.1:7879", "localhost", "LocalHost:80",
                                       "[::1]",     "[::1]:7879",     NULL};
    static const char *const BAD[] = {"evil.example",
                                      "evil.example:7879",
                                      "127.0.0.1.evil.example",
                                      "localhost.evil.example",
                                      "[::1].evil",
                                      "127.0.0.1:x@evil",
                                      ""};
    reply_t r;
    for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++) {
        CHECK_INT(health_for_host(main_d.http_port, GOOD[i], &r), 200);
        reply_free(&r);
    }
    reply_t before = get("/stats");
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        int status = health_for_host(main_d.http_port, BAD[i], &r);
        CHECK_INT(status, 403);
        if (status != 403) fprintf(stderr, "  Host: %s\n", BAD[i]);
        CHECK_STR(sd_str(r.json, "error.code"), "host_not_allowed");
        CHECK(sd_str(r.json, "error.message") &&
              strstr(sd_str(r.json, "error.message"), "http_allowed_hosts"));
        reply_free(&r);
    }
    reply_t after = get("/stats");
    CHECK_INT(sd_int(after.json, "hosts_refused") - sd_int(before.json, "hosts_refused"),
              (long long)(sizeof BAD / sizeof BAD[0]));
    reply_free(&before);
    reply_free(&after);
    static const char *const EXTRA[] = {"-o", "http_allowed_hosts=search.example.com, News.Example",
                                        NULL};
    sd_daemon_t d;
    if (!start(&d, "hosts", EXTRA)) return;
    CHECK_INT(health_for_host(d.http_port, "search.example.com", &r), 200);
    reply_free(&r);
    CHECK_INT(health_for_host(d.http_port, "news.example:8080", &r), 200);
    reply_free(&r);
    CHECK_INT(health_for_host(d.http_port, "localhost", &r), 200);
    reply_free(&r);
    CHECK_INT(health_for_host(d.http_port, "evil.example", &r), 403);
    reply_free(&r);
    stop(&d);
    static const char *const ANY[] = {"-o", "http_allowed_hosts=*", NULL};
    if (!start(&d, "anyhost", ANY)) return;
    CHECK_INT(health_for_host(d.http_port, "evil.example", &r), 200);
    reply_free(&r);
    stop(&d);
}

static void test_health_metrics_stats(void) {
    reply_t r = get("/health");
    CHECK_STATUS(r, 200);
    CHECK_INT(sd_int(r.json, "documents"), 6);
    CHECK(sd_int(r.json, "revision") > 0);
    reply_free(&r);
    reply_t before = get("/stats");
    reply_free(&r);
    r = get("/search?q=water");
    reply_free(&r);
    r = get("/search?limit=x");
    reply_free(&r);
    reply_t after = get("/stats");
    CHECK_INT(sd_int(after.json, "requests.search") - sd_int(before.json, "requests.search"), 1);
    CHECK_INT(sd_int(after.json, "errors.bad_request") - sd_int(before.json, "errors.bad_request"),
              1);
    reply_free(&before);
    reply_free(&after);
    r = get("/metrics");
    CHECK_STATUS(r, 200);
    CHECK_STR(header(&r, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    static const char *const WANT[] = {"# TYPE lede_requests_total counter\n",
                                       "lede_requests_total{op=\"search\"} ",
                                       "lede_errors_total{code=\"bad_request\"} ",
                                       "# TYPE lede_request_duration_seconds histogram\n",
                                       "lede_request_duration_seconds_bucket{le=\"0.001\"} ",
                                       "lede_request_duration_seconds_bucket{le=\"+Inf\"} ",
                                       "lede_request_duration_seconds_sum ",
                                       "lede_request_duration_seconds_count ",
                                       "lede_index_documents 6\n",
                                       "lede_index_up 1\n",
                                       "lede_connections_open ",
                                       "lede_connections_total ",
                                       "lede_reloads_total 0\n",
                                       "lede_http_responses_total{class=\"4xx\"} ",
                                       "lede_accept_pauses_total 0\n"};
    for (size_t i = 0; i < sizeof WANT / sizeof WANT[0]; i++) {
        CHECK(r.body && strstr(r.body, WANT[i]));
        if (!r.body || !strstr(r.body, WANT[i])) fprintf(stderr, "  /metrics lacks %s\n", WANT[i]);
    }
    /* Histogram buckets are cumulative and end at the count. */
    const char *inf = r.body ? strstr(r.body, "le=\"+Inf\"} ") : NULL;
    const char *count = r.body ? strstr(r.body, "_seconds_count ") : NULL;
    CHECK(inf && count && atol(inf + 11) == atol(count + 15) && atol(count + 15) > 0);
    reply_free(&r);
}

/* ---- the page's files -------------------------------------------------------- */

static void test_static_files(void) {
    reply_t r = get("/");
    CHECK_STATUS(r, 200);
    CHECK_STR(header(&r, "Content-Type"), "text/html; charset=utf-8");
    CHECK(r.body && strstr(r.body, "<title>test page</title>"));
    const char *csp = header(&r, "Content-Security-Policy");
    CHECK(csp && strstr(csp, "script-src 'self'"));
    CHECK_STR(header(&r, "X-Content-Type-Options"), "nosniff");
    char etag[128];
    snprintf(etag, sizeof etag, "If-None-Match: %s\r\n",
             header(&r, "ETag") ? header(&r, "ETag") : "none");
    reply_free(&r);
    http(main_d.http_port, "GET", "/", etag, &r);
    CHECK_STATUS(r, 304);
    reply_free(&r);
    r = get("/app.js");
    CHECK_STATUS(r, 200);
    CHECK_STR(header(&r, "Content-Type"), "text/javascript; charset=utf-8");
    CHECK_STR(r.body, "window.ok = 1;\n");
    reply_free(&r);
    /* Nothing outside the root, nothing hidden, no unknown types. */
    static const char *const REFUSED[] = {"/../secret.txt", "/%2e%2e/secret.txt", "/.hidden.txt",
                                          "/sub/inner.txt", "/notes.bin",         "/missing.css"};
    for (size_t i = 0; i < sizeof REFUSED / sizeof REFUSED[0]; i++) {
        r = get(REFUSED[i]);
        CHECK_STATUS(r, 404);
        CHECK(!r.body || !strstr(r.body, "TOP SECRET"));
        reply_free(&r);
    }
}

/* ---- CORS, limits, connections -------------------------------------------------- */

static void test_cors(void) {
    reply_t r;
    http(main_d.http_port, "GET", "/search?q=water", "Origin: https://news.example\r\n", &r);
    CHECK_STR(header(&r, "Access-Control-Allow-Origin"), "https://news.example");
    CHECK_STR(header(&r, "Vary"), "Origin");
    reply_free(&r);
    http(main_d.http_port, "GET", "/search?q=water", "Origin: https://evil.example\r\n", &r);
    CHECK_STATUS(r, 200);
    CHECK(header(&r, "Access-Control-Allow-Origin") == NULL);
    reply_free(&r);
    http(main_d.http_port, "OPTIONS", "/search",
         "Origin: https://other.example\r\nAccess-Control-Request-Method: GET\r\n"
         "Access-Control-Request-Headers: X-Request-Id\r\n",
         &r);
    CHECK_STATUS(r, 204);
    CHECK_STR(header(&r, "Access-Control-Allow-Origin"), "https://other.example");
    CHECK_STR(header(&r, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
    CHECK_STR(header(&r, "Access-Control-Allow-Headers"), "X-Request-Id");
    reply_free(&r);
    http(main_d.http_port, "GET", "/health", NULL, &r); /* no Origin: no CORS headers */
    CHECK(header(&r, "Access-Control-Allow-Origin") == NULL);
    reply_free(&r);
}

static void test_keep_alive_and_pipelining(void) {
    sd_conn_t *c = sd_connect(main_d.http_port);
    CHECK(c != NULL);
    if (!c) return;
    /* Three requests in one write: three replies, in order. */
    sd_send_str(c, "GET /search?q=water&limit=1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "GET /doc/g5 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    reply_t r;
    CHECK(read_reply(c, &r, false) && sd_int(r.json, "total") == 3);
    reply_free(&r);
    CHECK(read_reply(c, &r, false) &&
          strcmp(sd_str(r.json, "doc.id") ? sd_str(r.json, "doc.id") : "", "g5") == 0);
    reply_free(&r);
    CHECK(read_reply(c, &r, false) && sd_int(r.json, "documents") == 6);
    reply_free(&r);
    sd_close(c);
}

static void test_limits(void) {
    static const char *const EXTRA[] = {"-o", "max_connections=2",   "-o", "max_line_bytes=512",
                                        "-o", "idle_timeout_ms=300", "-o", "max_limit=5",
                                        NULL};
    sd_daemon_t d;
    if (!start(&d, "limits", EXTRA)) return;
    reply_t r;
    http(d.http_port, "GET", "/search?limit=6", NULL, &r);
    CHECK_STR(sd_str(r.json, "error.code"), "over_limit");
    reply_free(&r);
    /* A request line over max_line_bytes: refused by the HTTP parser. */
    char target[700] = "/search?q=";
    memset(target + 10, 'a', 600);
    target[610] = '\0';
    http(d.http_port, "GET", target, NULL, &r);
    CHECK_STATUS(r, 400);
    reply_free(&r);
    /* A body over max_line_bytes: refused by evhttp before any handler. */
    char body_header[64];
    snprintf(body_header, sizeof body_header, "Content-Length: %d\r\n", 5000);
    sd_conn_t *big = sd_connect(d.http_port);
    if (big && send_request(big, "POST", "/search", body_header)) {
        char filler[5000];
        memset(filler, 'a', sizeof filler);
        sd_send(big, filler, sizeof filler);
        CHECK(read_reply(big, &r, false));
        CHECK_STATUS(r, 413);
        reply_free(&r);
    }
    sd_close(big);
    /* max_connections counts both protocols. */
    sd_conn_t *a = sd_connect(d.port), *b = sd_connect(d.http_port);
    json_t *pong = a ? sd_call(a, "PING") : NULL;
    CHECK(pong != NULL);
    json_decref(pong);
    send_request(b, "GET", "/health", NULL);
    CHECK(read_reply(b, &r, false) && r.status == 200);
    reply_free(&r);
    http(d.http_port, "GET", "/health", NULL, &r);
    CHECK_STATUS(r, 503);
    CHECK_STR(sd_str(r.json, "error.code"), "too_many_connections");
    CHECK_STR(header(&r, "Connection"), "close");
    reply_free(&r);
    /* An idle keep-alive connection is closed after idle_timeout_ms. */
    CHECK(sd_wait_closed(b, 3000));
    sd_close(b);
    sd_close(a);
    for (double end = check_now_ms() + 2000; check_now_ms() < end; check_sleep_ms(20)) {
        http(d.http_port, "GET", "/health", NULL, &r);
        bool in = r.status == 200;
        reply_free(&r);
        if (in) break;
    }
    http(d.http_port, "GET", "/stats", NULL, &r);
    CHECK_INT(sd_int(r.json, "connections.rejected"), 1);
    CHECK_INT(sd_int(r.json, "errors.too_many_connections"), 1);
    reply_free(&r);
    stop(&d);
}

/* Polls STATS on c until connections.current is want; whether it got there. */
static bool wait_current(sd_conn_t *c, long long want) {
    long long current = -1;
    for (double end = check_now_ms() + WAIT_MS; current != want && check_now_ms() < end;
         check_sleep_ms(20)) {
        json_t *st = sd_call(c, "STATS");
        current = sd_int(st, "connections.current");
        json_decref(st);
    }
    if (current != want)
        fprintf(stderr, "  connections.current is %lld, not %lld\n", current, want);
    return current == want;
}

/* HTTP connections count against max_connections from the moment they
 * are accepted, not from their first request: idle ones cannot starve
 * the line protocol, and one over the limit is answered at once. */
static void test_idle_connections_count(void) {
    enum { MAX = 5, IDLE = MAX - 1 };
    static const char *const EXTRA[] = {"-o", "max_connections=5", NULL};
    sd_daemon_t d;
    if (!start(&d, "idlecount", EXTRA)) return;
    sd_conn_t *watch = sd_connect(d.port), *idle[IDLE];
    for (int i = 0; i < IDLE; i++) idle[i] = sd_connect(d.http_port);
    CHECK(watch && wait_current(watch, MAX));
    sd_conn_t *line = sd_connect(d.port); /* the line protocol is refused */
    char *refusal = line ? sd_read_line(line, WAIT_MS) : NULL;
    CHECK(refusal && strstr(refusal, "\"too_many_connections\""));
    CHECK(line && sd_wait_closed(line, WAIT_MS));
    free(refusal);
    sd_close(line);
    sd_conn_t *more = sd_connect(d.http_port); /* and so is HTTP, before any request */
    reply_t r;
    CHECK(more && read_reply(more, &r, false));
    CHECK_STATUS(r, 503);
    CHECK_STR(sd_str(r.json, "error.code"), "too_many_connections");
    CHECK_STR(header(&r, "Connection"), "close");
    CHECK(more && sd_wait_closed(more, WAIT_MS));
    reply_free(&r);
    sd_close(more);
    sd_close(idle[0]); /* slots free again as idle ones leave */
    sd_close(idle[1]);
    CHECK(wait_current(watch, MAX - 2));
    line = sd_connect(d.port);
    json_t *pong = line ? sd_call(line, "PING") : NULL;
    CHECK(json_is_true(json_object_get(pong, "pong")));
    json_decref(pong);
    CHECK(send_request(idle[2], "GET", "/health", NULL) && read_reply(idle[2], &r, false));
    CHECK_STATUS(r, 200); /* an idle connection that was let in is served */
    reply_free(&r);
    json_t *st = sd_call(watch, "STATS");
    CHECK_INT(sd_int(st, "connections.rejected"), 2);
    CHECK_INT(sd_int(st, "errors.too_many_connections"), 2);
    CHECK_INT(sd_int(st, "connections.current"), MAX - 1);
    json_decref(st);
    sd_close(line);
    for (int i = 2; i < IDLE; i++) sd_close(idle[i]);
    sd_close(watch);
    stop(&d);
}

/* A request whose headers trickle in is cut at request_timeout_ms with a
 * 408 in JSON; a keep-alive connection idle between requests is not. */
static void test_request_timeout(void) {
    static const char *const EXTRA[] = {"-o", "request_timeout_ms=500", NULL};
    sd_daemon_t d;
    if (!start(&d, "reqtimeout", EXTRA)) return;
    sd_conn_t *slow = sd_connect(d.http_port), *keep = sd_connect(d.http_port);
    reply_t r;
    CHECK(send_request(keep, "GET", "/health", NULL) && read_reply(keep, &r, false));
    CHECK_STATUS(r, 200);
    reply_free(&r);
    const char *head =
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: one byte at a time\r\n\r\n";
    double t0 = check_now_ms();
    for (const char *p = head; slow && *p && !slow->closed; p++) {
        if (!sd_send(slow, p, 1)) break;
        sd_fill(slow, slow->len + 1, 100);
    }
    double took = check_now_ms() - t0;
    printf("  trickled headers were cut after %.0f ms\n", took);
    CHECK(slow && read_reply(slow, &r, false));
    CHECK_STATUS(r, 408);
    CHECK_STR(sd_str(r.json, "error.code"), "timeout");
    CHECK(sd_str(r.json, "error.message") &&
          strstr(sd_str(r.json, "error.message"), "request_timeout_ms"));
    CHECK(slow && sd_wait_closed(slow, WAIT_MS));
    CHECK(took >= 400 && took < 2000);
    reply_free(&r);
    CHECK(send_request(keep, "GET", "/stats", NULL) && read_reply(keep, &r, false));
    CHECK_STATUS(r, 200); /* idle for longer than the timeout between requests */
    CHECK_INT(sd_int(r.json, "connections.request_timeouts"), 1);
    CHECK_INT(sd_int(r.json, "errors.timeout"), 1);
    reply_free(&r);
    sd_close(slow), sd_close(keep);
    stop(&d);
}

/* HTTP jobs and line-protocol connections share the workers: under a
 * steady stream of HTTP searches a line-protocol client on the same
 * worker is still answered between them, not after them all. */
static void test_line_protocol_between_http_jobs(void) {
    enum { CONNS = 32, EACH = 20 };
    static const char *const EXTRA[] = {"-o", "threads=1", NULL};
    static const char REQ[] =
        "GET /search?q=the&facets=source,category,year HTTP/1.1\r\nHost: localhost\r\n\r\n";
    sd_daemon_t d;
    if (!start(&d, "between", EXTRA)) return;
    sd_conn_t *line = sd_connect(d.port), *conns[CONNS];
    json_t *pong = line ? sd_call(line, "PING") : NULL; /* set up before the load */
    CHECK(json_is_true(json_object_get(pong, "pong")));
    json_decref(pong);
    size_t one = sizeof REQ - 1;
    char *all = malloc(EACH * one);
    for (int i = 0; i < EACH; i++) memcpy(all + (size_t)i * one, REQ, one);
    for (int k = 0; k < CONNS; k++) {
        conns[k] = sd_connect(d.http_port);
        CHECK(conns[k] && sd_send(conns[k], all, EACH * one));
    }
    free(all);
    /* Long enough for the searches to be queued, short against the time
     * they take (about 0.1 ms each here: 20 ms once let 197 finish). */
    check_sleep_ms(5);
    json_t *st = line ? sd_call(line, "STATS") : NULL;
    long long seen = sd_int(st, "requests.search");
    json_decref(st);
    int ok = 0;
    for (int k = 0; k < CONNS; k++) {
        reply_t r;
        /* Generous: 640 searches on one worker take a while under sanitizers. */
        for (int i = 0; conns[k] && i < EACH && read_reply_within(conns[k], &r, false, 60000);
             i++) {
            ok += r.status == 200;
            reply_free(&r);
        }
        sd_close(conns[k]);
    }
    CHECK_INT(ok, CONNS * EACH);
    printf("  STATS answered after %lld of %d HTTP searches\n", seen, CONNS * EACH);
    CHECK(seen >= 0 && seen < CONNS * EACH / 2);
    sd_close(line);
    stop(&d);
}

/* Clients that leave before their reply, and a stop with requests in
 * flight: no crash, no leak, replies that were promised are whole. */
static void test_abandoned_and_stop(void) {
    sd_daemon_t d;
    if (!start(&d, "abandon", NULL)) return;
    for (int i = 0; i < 40; i++) {
        sd_conn_t *c = sd_connect(d.http_port);
        if (c)
            send_request(c, "GET", i % 2 ? "/search?q=water&facets=source" : "/similar/g1", NULL);
        sd_close(c); /* without reading */
    }
    reply_t r;
    http(d.http_port, "GET", "/health", NULL, &r);
    CHECK_STATUS(r, 200);
    reply_free(&r);
    sd_conn_t *c = sd_connect(d.http_port);
    for (int i = 0; c && i < 20; i++) send_request(c, "GET", "/search?q=water+OR+city", NULL);
    check_sleep_ms(20);
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
    int whole = 0;
    while (c && read_reply(c, &r, false)) { /* every reply that came is complete */
        CHECK(json_is_true(json_object_get(r.json, "ok")) || r.status == 503);
        whole++;
        reply_free(&r);
    }
    reply_free(&r);
    CHECK(whole >= 1);
    sd_close(c);
    CHECK(sd_log_clean(&d));
}

static void test_http_off_and_port_taken(void) {
    static const char *const OFF[] = {"-o", "http_listen=off", NULL};
    sd_daemon_t d;
    if (!start(&d, "off", OFF)) return;
    CHECK_INT(d.http_port, 0);
    CHECK(!sd_log_has(&d, "http listening"));
    stop(&d);
    char port[64];
    snprintf(port, sizeof port, "http_listen=127.0.0.1:%u", main_d.http_port);
    char *argv[] = {(char *)searchd, "--db", db, "--listen", "127.0.0.1:0", "-o", port, NULL};
    char *out = NULL, *err = NULL;
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = 10000}, &out, &err), 1);
    CHECK(err && strstr(err, "cannot listen for HTTP on 127.0.0.1:") && strstr(err, "http_listen"));
    if (!err || !strstr(err, "cannot listen for HTTP")) fprintf(stderr, "  got: %s\n", err);
    free(out);
    free(err);
}

/* ---- set-up ------------------------------------------------------------------ */

static void write_file(const char *dir, const char *name, const char *text) {
    char *p = check_write_file(dir, name, text);
    free(p);
}

/* A page root of our own, with a secret next to it that must stay unread. */
static void make_root(char root[SD_PATH_BYTES]) {
    in_tmp(root, "root");
    mkdir(root, 0755);
    write_file(root, "index.html", "<!doctype html><title>test page</title>\n");
    write_file(root, "app.js", "window.ok = 1;\n");
    write_file(root, ".hidden.txt", "TOP SECRET\n");
    write_file(root, "notes.bin", "TOP SECRET\n");
    char sub[SD_PATH_BYTES + 8];
    snprintf(sub, sizeof sub, "%s/sub", root);
    mkdir(sub, 0755);
    write_file(sub, "inner.txt", "TOP SECRET\n");
    write_file(tmp, "secret.txt", "TOP SECRET\n");
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_http LEDE-SEARCHD LEDE-INDEXER GOOD.JSONL\n");
        return 2;
    }
    searchd = argv[1], indexer = argv[2];
    tmp = check_tmpdir("http");
    in_tmp(db, "idx");
    char *ix[] = {(char *)indexer, "--db", db, "--quiet", argv[3], NULL};
    if (check_run(ix, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    char root[SD_PATH_BYTES], root_opt[SD_PATH_BYTES + 16];
    make_root(root);
    snprintf(root_opt, sizeof root_opt, "http_root=%s", root);
    const char *const extra[] = {"-o", root_opt, "-o",
                                 "http_cors_origins=https://news.example, https://other.example",
                                 NULL};
    if (!start(&main_d, "main", extra)) return 1;
    RUN(test_search_same_as_line_protocol);
    RUN(test_doc_similar_suggest);
    RUN(test_bad_parameters);
    RUN(test_bad_percent_encoding);
    RUN(test_methods);
    RUN(test_connection_close);
    RUN(test_parser_errors_in_json);
    RUN(test_host_header);
    RUN(test_health_metrics_stats);
    RUN(test_static_files);
    RUN(test_cors);
    RUN(test_keep_alive_and_pipelining);
    RUN(test_limits);
    RUN(test_idle_connections_count);
    RUN(test_request_timeout);
    RUN(test_line_protocol_between_http_jobs);
    RUN(test_abandoned_and_stop);
    RUN(test_http_off_and_port_taken);
    stop(&main_d);
    if (check_failures == 0)
        check_rmtree(tmp);
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
