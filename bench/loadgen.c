/* lede-loadgen: a closed-loop load generator for lede-searchd, and for
 * Sphinx's searchd over SphinxQL as its peer.
 *
 * Each of N threads holds one persistent TCP connection and, until the
 * run is over, sends one search request, reads its reply, records the
 * latency and sends the next. Connection k starts at query k*Q/N of the
 * query file and cycles through it. Requests started during the warmup are
 * not recorded. The run stops by itself after warmup + duration (plus at
 * most one reply timeout).
 *
 * With --protocol sphinxql each connection is a libmariadb session with
 * Sphinx's mysql41 listener and each query goes as the SELECT of
 * sphinxql.h. With --protocol http each is a keep-alive HTTP/1.1
 * connection to lede-searchd's HTTP API and each request the GET of the
 * same request (http_request.h). With --totals FILE there is no load: each
 * query runs once and its number of matches is written down, to compare
 * the two engines. With --series FILE the latencies of each --interval are
 * also written as a CSV line (series.h), and with --reconnect a failed
 * connection is counted and made again instead of ending its thread: what
 * bench/soak.sh runs. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "http_request.h"
#include "queries.h"
#include "report.h"
#include "series.h"
#include "sphinxql.h"
#include "usage.h"

#define TOOL "lede-loadgen"
#define ERR_BYTES 512
/* Connections at most: one thread each. */
#define MAX_CONNECTIONS 4096
/* Error replies whose message is printed; the rest are only counted. */
#define ERRORS_SHOWN 5
/* A reply not complete after this long ends the connection's run. */
#define DEFAULT_TIMEOUT_MS 10000
/* First size of a connection's reply buffer; it grows for long replies. */
#define FIRST_BUFFER_BYTES 65536

static const char USAGE[] =
    "Usage: " TOOL " --queries FILE [options]\n"
    "\n"
    "Replays a query file against lede-searchd (or Sphinx's searchd) over N\n"
    "persistent connections, one request at a time on each, and reports\n"
    "queries/s and latencies.\n"
    "\n"
    "Options:\n"
    "  --host HOST          the server (default 127.0.0.1)\n"
    "  --port PORT          its port (default 7878)\n"
    "  --connections N      concurrent connections, one thread each (default 1)\n"
    "  --duration SECONDS   measured time after the warmup (default 10)\n"
    "  --warmup SECONDS     time before measuring (default 2)\n"
    "  --queries FILE       one query per line, or a JSON request object\n"
    "  --mode ids|page      ids: hits without snippets or suggestions;\n"
    "                       page: snippets, suggestion and facets (default ids)\n"
    "  --as-is              send JSON lines of the file unchanged\n"
    "  --protocol lede|sphinxql|http\n"
    "                       lede: lede's line protocol (default); sphinxql: Sphinx's\n"
    "                       searchd on its mysql41 listener, each query as a SELECT\n"
    "                       with the same semantics (ids mode only); http: lede-searchd's\n"
    "                       HTTP API (--port is its http_listen port)\n"
    "  --series FILE        also append one CSV line per interval to FILE: unix time,\n"
    "                       protocol, requests, errors, broken connections, p50, p99, max\n"
    "  --interval SECONDS   the interval of --series (default 5)\n"
    "  --reconnect          a connection that fails is counted and made again\n"
    "                       (without it, it ends its thread's run)\n"
    "  --index NAME         the Sphinx index to query (default " SPHINXQL_DEFAULT_INDEX ")\n"
    "  --totals FILE        no load: run each query once on one connection and\n"
    "                       write \"N<TAB>TOTAL<TAB>REQUEST\" lines to FILE, TOTAL\n"
    "                       being lede's \"total\" or Sphinx's total_found (-1 for\n"
    "                       an error reply)\n"
    "  --timeout-ms MS      give up on a reply after MS (default 10000)\n"
    "  --server-pid PID     also report the CPU time that process (the server,\n"
    "                       on this machine) used while measuring\n"
    "  --json               print the report as one JSON object\n"
    "  -h, --help           show this help\n";

typedef enum protocol { PROTOCOL_LEDE, PROTOCOL_SPHINXQL, PROTOCOL_HTTP } protocol_t;

static const char *const PROTOCOL_NAMES[] = {"lede", "sphinxql", "http"};

typedef struct options {
    const char *host, *port, *queries, *index, *totals, *series;
    unsigned port_number, connections, timeout_ms, server_pid;
    double duration, warmup, interval;
    bench_mode_t mode;
    protocol_t protocol;
    bool as_is, json, reconnect;
} options_t;

/* What came of one request. */
typedef enum reply { REPLY_OK, REPLY_ERROR, REPLY_BROKEN } reply_t;

typedef struct conn {
    int fd;               /* lede: the socket, or -1 */
    sphinxql_conn_t *sql; /* sphinxql: the session, or NULL */
    unsigned index;
    char *buf; /* bytes received and not yet consumed */
    size_t len, cap;
    bench_samples_t samples;
    double finished;     /* when its last request completed */
    bool broken;         /* an I/O error or timeout ended its run */
    unsigned reconnects; /* --reconnect: failures it recovered from */
} conn_t;

typedef struct run {
    const options_t *opt;
    const bench_queries_t *queries;
    bench_series_t *series; /* or NULL */
    double warm_end, end;
    double cpu_s, server_cpu_s; /* used in the measured window */
    atomic_uint errors_shown;
} run_t;

typedef struct worker_arg {
    run_t *run;
    conn_t *conn;
} worker_arg_t;

enum {
    O_HOST = 256,
    O_PORT,
    O_CONNECTIONS,
    O_DURATION,
    O_WARMUP,
    O_QUERIES,
    O_MODE,
    O_AS_IS,
    O_TIMEOUT,
    O_SERVER_PID,
    O_JSON,
    O_PROTOCOL,
    O_INDEX,
    O_TOTALS,
    O_SERIES,
    O_INTERVAL,
    O_RECONNECT
};

static const struct option OPTIONS[] = {
    {"host", required_argument, NULL, O_HOST},
    {"port", required_argument, NULL, O_PORT},
    {"connections", required_argument, NULL, O_CONNECTIONS},
    {"duration", required_argument, NULL, O_DURATION},
    {"warmup", required_argument, NULL, O_WARMUP},
    {"queries", required_argument, NULL, O_QUERIES},
    {"mode", required_argument, NULL, O_MODE},
    {"as-is", no_argument, NULL, O_AS_IS},
    {"timeout-ms", required_argument, NULL, O_TIMEOUT},
    {"server-pid", required_argument, NULL, O_SERVER_PID},
    {"json", no_argument, NULL, O_JSON},
    {"protocol", required_argument, NULL, O_PROTOCOL},
    {"index", required_argument, NULL, O_INDEX},
    {"totals", required_argument, NULL, O_TOTALS},
    {"series", required_argument, NULL, O_SERIES},
    {"interval", required_argument, NULL, O_INTERVAL},
    {"reconnect", no_argument, NULL, O_RECONNECT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){.host = "127.0.0.1",
                     .port = "7878",
                     .port_number = 7878,
                     .index = SPHINXQL_DEFAULT_INDEX,
                     .connections = 1,
                     .timeout_ms = DEFAULT_TIMEOUT_MS,
                     .duration = 10,
                     .warmup = 2,
                     .interval = 5};
    int opt, which = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", OPTIONS, &which)) != -1) {
        bool ok = true;
        switch (opt) {
        case O_HOST:
            o->host = optarg;
            break;
        case O_PORT:
            ok = bench_parse_uint(optarg, 1, 65535, &o->port_number);
            o->port = optarg;
            break;
        case O_CONNECTIONS:
            ok = bench_parse_uint(optarg, 1, MAX_CONNECTIONS, &o->connections);
            break;
        case O_DURATION:
            ok = bench_parse_seconds(optarg, &o->duration) && o->duration > 0;
            break;
        case O_WARMUP:
            ok = bench_parse_seconds(optarg, &o->warmup);
            break;
        case O_QUERIES:
            o->queries = optarg;
            break;
        case O_MODE:
            ok = bench_mode_parse(optarg, &o->mode);
            break;
        case O_AS_IS:
            o->as_is = true;
            break;
        case O_TIMEOUT:
            ok = bench_parse_uint(optarg, 1, 3600000, &o->timeout_ms);
            break;
        case O_SERVER_PID:
            ok = bench_parse_uint(optarg, 1, 1u << 30, &o->server_pid);
            break;
        case O_JSON:
            o->json = true;
            break;
        case O_PROTOCOL:
            ok = false;
            for (int k = 0; k < 3; k++)
                if (strcmp(optarg, PROTOCOL_NAMES[k]) == 0) ok = true, o->protocol = (protocol_t)k;
            break;
        case O_SERIES:
            o->series = optarg;
            break;
        case O_INTERVAL:
            ok = bench_parse_seconds(optarg, &o->interval) && o->interval >= 0.1;
            break;
        case O_RECONNECT:
            o->reconnect = true;
            break;
        case O_INDEX:
            o->index = optarg;
            break;
        case O_TOTALS:
            o->totals = optarg;
            break;
        default: /* -h, a missing value, an unknown option */
            return bench_getopt_other(TOOL, opt, argv, USAGE);
        }
        if (!ok) return bench_bad_value(TOOL, OPTIONS[which].name, optarg);
    }
    if (optind < argc) return bench_usage_error(TOOL, "unexpected argument ", argv[optind]);
    if (!o->queries) return bench_usage_error(TOOL, "--queries FILE is required", NULL);
    if (o->protocol == PROTOCOL_SPHINXQL && o->mode != BENCH_MODE_IDS)
        return bench_usage_error(TOOL, "--protocol sphinxql has --mode ids only", NULL);
    if (o->totals) o->connections = 1;
    return 0;
}

static void set_timeouts(int fd, unsigned ms) {
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* A connected socket, or -1 with err. */
static int connect_to(const options_t *o, char *err, size_t size) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(o->host, o->port, &hints, &ai);
    if (rc != 0) return snprintf(err, size, "%s:%s: %s", o->host, o->port, gai_strerror(rc)), -1;
    int fd = -1, e = 0;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            e = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        return snprintf(err, size, "cannot connect to %s:%s: %s", o->host, o->port, strerror(e)),
               -1;
    set_timeouts(fd, o->timeout_ms);
    return fd;
}

/* Sends the request and its "\n" in one call, so that they leave in one
 * segment (TCP_NODELAY is set). */
static bool send_request(int fd, const char *line, size_t len) {
    struct iovec iov[2] = {{(void *)line, len}, {(void *)"\n", 1}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
    while (msg.msg_iovlen) {
        ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        while (msg.msg_iovlen && (size_t)n >= msg.msg_iov->iov_len) {
            n -= (ssize_t)msg.msg_iov->iov_len;
            msg.msg_iov++, msg.msg_iovlen--;
        }
        if (msg.msg_iovlen) {
            msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + n;
            msg.msg_iov->iov_len -= (size_t)n;
        }
    }
    return true;
}

/* Receives until buf holds a whole line; returns its length (the "\n"
 * replaced by a NUL), or -1 on a closed connection, error or timeout. */
static ssize_t read_line(conn_t *c, const char **why) {
    size_t scanned = 0;
    for (;;) {
        char *nl = memchr(c->buf + scanned, '\n', c->len - scanned);
        if (nl) {
            *nl = '\0';
            return nl - c->buf;
        }
        scanned = c->len;
        if (c->cap - c->len < FIRST_BUFFER_BYTES / 2) {
            char *grown = realloc(c->buf, c->cap * 2);
            if (!grown) return *why = "out of memory", -1;
            c->buf = grown, c->cap *= 2;
        }
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) return *why = "the server closed the connection", -1;
        if (n < 0)
            return *why = errno == EAGAIN || errno == EWOULDBLOCK ? "no reply in time"
                                                                  : strerror(errno),
                   -1;
        c->len += (size_t)n;
    }
}

/* Drops the line just read (and its "\n") from the buffer. */
static void consume_line(conn_t *c, size_t line_len) {
    size_t used = line_len + 1;
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
}

/* Prints one of the first error replies; the rest are only counted. */
static void show_error(run_t *r, const char *what, const char *request) {
    if (atomic_fetch_add(&r->errors_shown, 1) >= ERRORS_SHOWN) return;
    fprintf(stderr, TOOL ": %s (request: %.200s)\n", what, request);
}

/* The code and message of a lede error reply, for show_error(). */
static void show_lede_error(run_t *r, const char *reply, const char *request) {
    json_t *root = json_loads(reply, 0, NULL);
    json_t *e = json_object_get(root, "error");
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *message = json_string_value(json_object_get(e, "message"));
    char what[ERR_BYTES];
    if (code && message)
        snprintf(what, sizeof what, "error reply %s: %s", code, message);
    else
        snprintf(what, sizeof what, "unexpected reply %.200s", reply);
    show_error(r, what, request);
    json_decref(root);
}

/* "total" of a lede search reply; -1 when it has none. */
static long long lede_total(const char *reply) {
    json_t *root = json_loads(reply, 0, NULL);
    json_t *total = json_object_get(root, "total");
    long long n = json_is_integer(total) ? (long long)json_integer_value(total) : -1;
    json_decref(root);
    return n;
}

/* One request line and its reply line; with total, also the reply's
 * "total" (-1 for an error reply). */
static reply_t lede_exchange(run_t *r, conn_t *c, const char *request, long long *total) {
    const char *why = "cannot send";
    ssize_t n = send_request(c->fd, request, strlen(request)) ? read_line(c, &why) : -1;
    if (n < 0) {
        fprintf(stderr, TOOL ": connection %u: %s\n", c->index, why);
        return REPLY_BROKEN;
    }
    /* Only a top-level member can hold "ok":false with unescaped quotes:
     * quotes inside strings are escaped. */
    bool error = strstr(c->buf, "\"ok\":false") != NULL || strstr(c->buf, "\"ok\":true") == NULL;
    if (error) show_lede_error(r, c->buf, request);
    if (total) *total = error ? -1 : lede_total(c->buf);
    consume_line(c, (size_t)n);
    return error ? REPLY_ERROR : REPLY_OK;
}

/* Receives until buf holds a whole HTTP reply (headers and a body of
 * Content-Length bytes); its length, with the status in *status, or -1
 * on a closed connection, error or timeout. */
static ssize_t read_http_reply(conn_t *c, int *status, size_t *body_at, const char **why) {
    for (;;) {
        size_t head = 0, body = 0;
        for (size_t i = 0; i + 4 <= c->len && !head; i++)
            if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) head = i + 4;
        if (head) {
            for (size_t i = 0; i + 17 < head; i++) /* the header block's Content-Length */
                if (strncasecmp(c->buf + i, "\r\nContent-Length:", 17) == 0)
                    body = strtoul(c->buf + i + 17, NULL, 10);
            *status = 0;
            sscanf(c->buf, "HTTP/1.%*d %d", status);
            *body_at = head;
            if (c->len >= head + body) return (ssize_t)(head + body);
        }
        if (c->cap - c->len < FIRST_BUFFER_BYTES / 2) {
            char *grown = realloc(c->buf, c->cap * 2);
            if (!grown) return *why = "out of memory", -1;
            c->buf = grown, c->cap *= 2;
        }
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) return *why = "the server closed the connection", -1;
        if (n < 0)
            return *why = errno == EAGAIN || errno == EWOULDBLOCK ? "no reply in time"
                                                                  : strerror(errno),
                   -1;
        c->len += (size_t)n;
    }
}

static bool send_all(int fd, const char *s, size_t len) {
    while (len) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        s += n, len -= (size_t)n;
    }
    return true;
}

/* One HTTP request and its reply: an error when the status is not 200 or
 * the JSON says "ok":false; with total, also the reply's "total". */
static reply_t http_exchange(run_t *r, conn_t *c, const char *request, long long *total) {
    const char *why = "cannot send";
    int status = 0;
    size_t body_at = 0;
    ssize_t n = send_all(c->fd, request, strlen(request))
                    ? read_http_reply(c, &status, &body_at, &why)
                    : -1;
    if (n < 0) {
        fprintf(stderr, TOOL ": connection %u: %s\n", c->index, why);
        return REPLY_BROKEN;
    }
    char saved = c->buf[n];
    c->buf[n] = '\0';
    const char *body = c->buf + body_at;
    bool error = status != 200 || strstr(body, "\"ok\":false") || !strstr(body, "\"ok\":true");
    if (error) show_lede_error(r, body, request);
    if (total) *total = error ? -1 : lede_total(body);
    c->buf[n] = saved;
    memmove(c->buf, c->buf + n, c->len - (size_t)n);
    c->len -= (size_t)n;
    return error ? REPLY_ERROR : REPLY_OK;
}

/* One SELECT and its result set; with total, also its total_found. */
static reply_t sql_exchange(run_t *r, conn_t *c, const char *stmt, long long *total) {
    char err[ERR_BYTES];
    sphinxql_status_t st = sphinxql_run(c->sql, stmt, err, sizeof err);
    if (total) *total = -1;
    if (st == SPHINXQL_OK && total) st = sphinxql_total_found(c->sql, total, err, sizeof err);
    if (st == SPHINXQL_BROKEN) {
        fprintf(stderr, TOOL ": connection %u: %s\n", c->index, err);
        return REPLY_BROKEN;
    }
    if (st == SPHINXQL_OK) return REPLY_OK;
    char what[ERR_BYTES + 16];
    snprintf(what, sizeof what, "error reply %s", err);
    show_error(r, what, stmt);
    return REPLY_ERROR;
}

static reply_t exchange(run_t *r, conn_t *c, const char *request, long long *total) {
    if (r->opt->protocol == PROTOCOL_SPHINXQL) return sql_exchange(r, c, request, total);
    if (r->opt->protocol == PROTOCOL_HTTP) return http_exchange(r, c, request, total);
    return lede_exchange(r, c, request, total);
}

/* One timed request; false when the connection cannot go on. */
static bool round_trip(run_t *r, conn_t *c, const char *request) {
    double start = bench_now();
    reply_t got = exchange(r, c, request, NULL);
    double done = bench_now();
    if (got == REPLY_BROKEN) {
        if (r->series) bench_series_broken(r->series);
        return false;
    }
    if (start >= r->warm_end) {
        bench_samples_add(&c->samples, (done - start) * 1000.0, got == REPLY_ERROR);
        if (r->series) bench_series_add(r->series, (done - start) * 1000.0, got == REPLY_ERROR);
    }
    c->finished = done;
    return true;
}

static bool connect_one(const options_t *o, conn_t *c, char *err, size_t size);

/* --reconnect: the connection failed; makes a new one, trying every
 * 100 ms until the run ends. Whether it did. */
static bool reconnect(run_t *r, conn_t *c) {
    char err[ERR_BYTES];
    if (c->fd >= 0) close(c->fd);
    sphinxql_close(c->sql);
    c->fd = -1, c->sql = NULL, c->len = 0;
    free(c->buf);
    c->buf = NULL;
    while (bench_now() < r->end) {
        if (connect_one(r->opt, c, err, sizeof err)) return true;
        fprintf(stderr, TOOL ": connection %u: %s\n", c->index, err);
        free(c->buf);
        c->buf = NULL;
        bench_sleep_until(bench_now() + 0.1);
    }
    return false;
}

static void *worker_main(void *arg) {
    worker_arg_t *w = arg;
    run_t *r = w->run;
    conn_t *c = w->conn;
    const bench_queries_t *q = r->queries;
    size_t i = (size_t)((unsigned long long)c->index * q->n / r->opt->connections);
    while (!c->broken && bench_now() < r->end) {
        c->broken = !round_trip(r, c, q->lines[i]);
        if (c->broken && r->opt->reconnect) c->reconnects++, c->broken = !reconnect(r, c);
        i = (i + 1) % q->n;
    }
    return NULL;
}

static void close_conns(conn_t *conns, unsigned n) {
    for (unsigned k = 0; k < n; k++) {
        if (conns[k].fd >= 0) close(conns[k].fd);
        sphinxql_close(conns[k].sql);
        free(conns[k].buf);
        bench_samples_free(&conns[k].samples);
    }
    free(conns);
}

/* Connects one connection in the options' protocol; false with err. */
static bool connect_one(const options_t *o, conn_t *c, char *err, size_t size) {
    if (o->protocol == PROTOCOL_SPHINXQL)
        return sphinxql_connect(o->host, o->port_number, o->timeout_ms, &c->sql, err, size);
    c->cap = FIRST_BUFFER_BYTES;
    if (!(c->buf = malloc(c->cap))) return snprintf(err, size, "out of memory"), false;
    return (c->fd = connect_to(o, err, size)) >= 0;
}

/* Connects every connection before the clock starts. */
static conn_t *open_conns(const options_t *o) {
    conn_t *conns = calloc(o->connections, sizeof *conns);
    char err[ERR_BYTES];
    if (!conns) return fprintf(stderr, TOOL ": out of memory\n"), NULL;
    for (unsigned k = 0; k < o->connections; k++) conns[k].fd = -1;
    for (unsigned k = 0; k < o->connections; k++) {
        conns[k].index = k;
        if (!connect_one(o, &conns[k], err, sizeof err)) {
            fprintf(stderr, TOOL ": %s\n", err);
            return close_conns(conns, o->connections), NULL;
        }
    }
    return conns;
}

/* Runs the threads to the end; false when one could not start. */
static bool run_threads(run_t *r, conn_t *conns) {
    unsigned n = r->opt->connections, started = 0;
    pthread_t *threads = calloc(n, sizeof *threads);
    worker_arg_t *args = calloc(n, sizeof *args);
    double t0 = bench_now();
    r->warm_end = t0 + r->opt->warmup;
    r->end = r->warm_end + r->opt->duration;
    for (; threads && args && started < n; started++) {
        args[started] = (worker_arg_t){r, &conns[started]};
        if (pthread_create(&threads[started], NULL, worker_main, &args[started]) != 0) break;
    }
    /* The CPU time of the measured window: from the end of the warmup
     * until the last reply. */
    bench_sleep_until(r->warm_end);
    double cpu0 = bench_cpu_self(),
           server0 = r->opt->server_pid ? bench_cpu_of(r->opt->server_pid) : -1;
    for (double cut = r->warm_end + r->opt->interval; r->series && cut <= r->end;
         cut += r->opt->interval) {
        bench_sleep_until(cut);
        bench_series_cut(r->series, bench_wall_now());
    }
    for (unsigned k = 0; k < started; k++) pthread_join(threads[k], NULL);
    double server1 = r->opt->server_pid ? bench_cpu_of(r->opt->server_pid) : -1;
    r->cpu_s = bench_cpu_self() - cpu0;
    r->server_cpu_s = server0 >= 0 && server1 >= 0 ? server1 - server0 : -1;
    free(threads);
    free(args);
    if (started < n) fprintf(stderr, TOOL ": cannot start %u threads\n", n);
    return started == n;
}

static int report(const run_t *r, conn_t *conns) {
    unsigned n = r->opt->connections, broken = 0, reconnects = 0;
    double last = r->end;
    bench_samples_t *per = calloc(n, sizeof *per);
    if (!per) return fprintf(stderr, TOOL ": out of memory\n"), 1;
    for (unsigned k = 0; k < n; k++) {
        per[k] = conns[k].samples;
        if (conns[k].finished > last) last = conns[k].finished;
        broken += conns[k].broken;
        reconnects += conns[k].reconnects;
    }
    bench_run_t run = {
        TOOL, bench_mode_name(r->opt->mode), n, last - r->warm_end, r->cpu_s, r->server_cpu_s, per,
        n};
    bool ok = bench_report_print(&run, r->opt->json);
    free(per);
    if (broken) fprintf(stderr, TOOL ": %u of %u connections failed before the end\n", broken, n);
    if (reconnects)
        fprintf(stderr, TOOL ": %u connection failures, each connected again\n", reconnects);
    return ok && !broken && !reconnects ? 0 : 1;
}

/* Runs each query once on the first connection and writes its number of
 * matches to o->totals. 0, or 1 after a failure (printed). */
static int write_totals(run_t *r, conn_t *c) {
    FILE *out = fopen(r->opt->totals, "w");
    if (!out) return fprintf(stderr, TOOL ": cannot write %s\n", r->opt->totals), 1;
    reply_t got = REPLY_OK;
    size_t errors = 0;
    for (size_t i = 0; i < r->queries->n && got != REPLY_BROKEN; i++) {
        long long total = -1;
        got = exchange(r, c, r->queries->lines[i], &total);
        errors += got == REPLY_ERROR;
        fprintf(out, "%zu\t%lld\t%s\n", i + 1, total, r->queries->lines[i]);
    }
    bool ok = fclose(out) == 0;
    if (!ok) fprintf(stderr, TOOL ": write error on %s\n", r->opt->totals);
    /* Error replies are written as -1 and left to the reader to count. */
    if (errors) fprintf(stderr, TOOL ": %zu error replies in %s\n", errors, r->opt->totals);
    return ok && got != REPLY_BROKEN ? 0 : 1;
}

/* The query file as request lines for the options' protocol. */
static bool load_queries(const options_t *o, bench_queries_t *q) {
    char err[ERR_BYTES];
    bool ok;
    if (o->protocol == PROTOCOL_SPHINXQL)
        ok = bench_queries_load_with(o->queries, sphinxql_from_line, (void *)o->index, q, err,
                                     sizeof err);
    else
        ok = bench_queries_load(o->queries, o->mode, o->as_is, q, err, sizeof err);
    for (size_t i = 0; ok && o->protocol == PROTOCOL_HTTP && i < q->n; i++) {
        char *request = bench_http_request(q->lines[i], (void *)o->host, err, sizeof err);
        if (!request)
            ok = false;
        else
            free(q->lines[i]), q->lines[i] = request;
    }
    if (!ok) fprintf(stderr, TOOL ": %s\n", err);
    return ok;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    signal(SIGPIPE, SIG_IGN);
    char err[ERR_BYTES];
    if (o.protocol == PROTOCOL_SPHINXQL && !sphinxql_library_init(err, sizeof err))
        return fprintf(stderr, TOOL ": %s\n", err), 1;
    bench_queries_t queries;
    if (!load_queries(&o, &queries)) rc = 1;
    run_t r = {.opt = &o, .queries = &queries};
    atomic_init(&r.errors_shown, 0);
    if (!rc && o.series &&
        !(r.series = bench_series_open(o.series, PROTOCOL_NAMES[o.protocol], err, sizeof err)))
        rc = 1, fprintf(stderr, TOOL ": %s\n", err);
    conn_t *conns = rc ? NULL : open_conns(&o);
    if (!conns)
        rc = 1;
    else if (o.totals)
        rc = write_totals(&r, &conns[0]);
    else
        rc = !run_threads(&r, conns) ? 1 : report(&r, conns);
    if (conns) close_conns(conns, o.connections);
    bench_series_close(r.series);
    bench_queries_free(&queries);
    if (o.protocol == PROTOCOL_SPHINXQL) sphinxql_library_end();
    return rc;
}
