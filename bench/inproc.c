/* lede-inproc: the in-process peer of lede-loadgen.
 *
 * Runs the same query file in the same mode through search_execute() in
 * this process: N threads, each with its own index handle and its own
 * parsed copy of the requests, each running one search after another for
 * the same warmup and duration. The requests are the very lines
 * lede-loadgen sends, parsed once before the clock starts by the daemon's
 * own parser (proto_parse) with the daemon's default limits, and run with
 * the daemon's default time budget. What is timed is search_execute()
 * building the reply object: no JSON text, no socket, no event loop, no
 * queue. That is calling Xapian in-process, the ceiling for the daemon. */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/protocol.h"
#include "lede/search.h"
#include "lede/shim.h"
#include "queries.h"
#include "report.h"
#include "usage.h"

#define TOOL "lede-inproc"
#define ERR_BYTES 512
/* Threads at most. */
#define MAX_THREADS 1024
/* Error results whose message is printed; the rest are only counted. */
#define ERRORS_SHOWN 5
/* lede-searchd's query_timeout_ms default: the budget it gives a search. */

/* lede-searchd's default request limits (conf/searchd.conf). */
static const proto_limits_t DAEMON_LIMITS = {
    .max_line = 65536, .max_limit = 100, .max_offset = 10000, .default_limit = 10};

static const char USAGE[] =
    "Usage: " TOOL " --db DIR --queries FILE [options]\n"
    "\n"
    "Runs a query file through search_execute() in this process, one index\n"
    "handle per thread, and reports queries/s and latencies like lede-loadgen.\n"
    "\n"
    "Options:\n"
    "  --db DIR             the index\n"
    "  --threads N          threads, each with its own handle (default 1)\n"
    "  --duration SECONDS   measured time after the warmup (default 10)\n"
    "  --warmup SECONDS     time before measuring (default 2)\n"
    "  --queries FILE       one query per line, or a JSON request object\n"
    "  --mode ids|page      as for lede-loadgen (default ids)\n"
    "  --as-is              take JSON lines of the file unchanged\n"
    "  --json               print the report as one JSON object\n"
    "  -h, --help           show this help\n";

typedef struct options {
    const char *db, *queries;
    unsigned threads;
    double duration, warmup;
    bench_mode_t mode;
    bool as_is, json;
} options_t;

/* One request line, parsed, or the reason it could not be. */
typedef struct parsed {
    bool ok;
    proto_request_t req;
    char message[320]; /* "code: " and proto_error_t's message */
} parsed_t;

typedef struct worker {
    unsigned index;
    shim_db_t *db;
    parsed_t *reqs; /* one per query line, owned */
    bench_samples_t samples;
    double finished;
    struct run *run;
} worker_t;

typedef struct run {
    const options_t *opt;
    const bench_queries_t *queries;
    double warm_end, end;
    double cpu_s; /* used in the measured window */
    atomic_uint errors_shown;
} run_t;

enum { O_DB = 256, O_THREADS, O_DURATION, O_WARMUP, O_QUERIES, O_MODE, O_AS_IS, O_JSON };

static const struct option OPTIONS[] = {
    {"db", required_argument, NULL, O_DB},
    {"threads", required_argument, NULL, O_THREADS},
    {"duration", required_argument, NULL, O_DURATION},
    {"warmup", required_argument, NULL, O_WARMUP},
    {"queries", required_argument, NULL, O_QUERIES},
    {"mode", required_argument, NULL, O_MODE},
    {"as-is", no_argument, NULL, O_AS_IS},
    {"json", no_argument, NULL, O_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){.threads = 1, .duration = 10, .warmup = 2};
    int opt, which = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", OPTIONS, &which)) != -1) {
        bool ok = true;
        switch (opt) {
        case O_DB:
            o->db = optarg;
            break;
        case O_THREADS:
            ok = bench_parse_uint(optarg, 1, MAX_THREADS, &o->threads);
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
        case O_JSON:
            o->json = true;
            break;
        default: /* -h, a missing value, an unknown option */
            return bench_getopt_other(TOOL, opt, argv, USAGE);
        }
        if (!ok) return bench_bad_value(TOOL, OPTIONS[which].name, optarg);
    }
    if (optind < argc) return bench_usage_error(TOOL, "unexpected argument ", argv[optind]);
    if (!o->db || !o->queries)
        return bench_usage_error(TOOL, "--db DIR and --queries FILE are required", NULL);
    return 0;
}

/* Parses one request line as lede-searchd would; out->ok false, with
 * the reason in out->message, when it is refused. */
static void parse_one(const char *line, parsed_t *out) {
    size_t len = strlen(line), used;
    char *framed = malloc(len + 2);
    proto_error_t err;
    memset(out, 0, sizeof *out);
    if (!framed) {
        snprintf(out->message, sizeof out->message, "out of memory");
        return;
    }
    memcpy(framed, line, len);
    memcpy(framed + len, "\n", 2);
    proto_result_t r = proto_parse(framed, len + 1, &DAEMON_LIMITS, &out->req, &used, &err);
    free(framed);
    if (r != PROTO_OK) {
        snprintf(out->message, sizeof out->message, "%s: %s", proto_error_name(err.code),
                 err.message);
        proto_error_free(&err);
        return;
    }
    out->ok = true;
}

static parsed_t *parse_all(const run_t *r) {
    parsed_t *reqs = calloc(r->queries->n, sizeof *reqs);
    for (size_t i = 0; reqs && i < r->queries->n; i++) parse_one(r->queries->lines[i], &reqs[i]);
    return reqs;
}

static void free_parsed(parsed_t *reqs, size_t n) {
    for (size_t i = 0; reqs && i < n; i++)
        if (reqs[i].ok) proto_request_free(&reqs[i].req);
    free(reqs);
}

/* Runs one parsed request into reply, as lede-searchd's handlers do. */
static lede_status_t execute(shim_db_t *db, proto_request_t *req, json_t *reply) {
    switch (req->op) {
    case PROTO_OP_GET:
        return search_get(db, req->doc, reply);
    case PROTO_OP_SEARCH:
        return search_execute(db, &req->search, reply);
    case PROTO_OP_SIMILAR:
        return search_similar(db, req->doc, req->offset, req->limit, reply);
    case PROTO_OP_SUGGEST:
        return search_suggest(db, req->prefix, req->limit, reply);
    default:
        return LEDE_E_UNSUPPORTED;
    }
}

static void show_error(run_t *r, const char *message, const char *request) {
    if (atomic_fetch_add(&r->errors_shown, 1) >= ERRORS_SHOWN) return;
    fprintf(stderr, TOOL ": error: %s (request: %.200s)\n", message, request);
}

/* One request, timed; an error is counted and its first few shown. */
static void run_one(worker_t *w, size_t i) {
    parsed_t *p = &w->reqs[i];
    double start = bench_now();
    json_t *reply = json_pack("{sb}", "ok", 1);
    if (reply && p->ok && p->req.id) json_object_set(reply, "id", p->req.id);
    lede_status_t st = !p->ok   ? LEDE_E_INVALID
                       : !reply ? LEDE_E_NOMEM
                                : execute(w->db, &p->req, reply);
    json_decref(reply);
    double done = bench_now();
    if (start >= w->run->warm_end)
        bench_samples_add(&w->samples, (done - start) * 1000.0, st != LEDE_OK);
    w->finished = done;
    if (st == LEDE_OK) return;
    char message[512];
    snprintf(message, sizeof message, "%s: %s", lede_status_to_string(st),
             !p->ok                     ? p->message
             : st == LEDE_E_UNSUPPORTED ? "op not run in-process"
                                        : shim_db_errmsg(w->db));
    show_error(w->run, message, w->run->queries->lines[i]);
}

static void *worker_main(void *arg) {
    worker_t *w = arg;
    const run_t *r = w->run;
    size_t n = r->queries->n;
    size_t i = (size_t)((unsigned long long)w->index * n / r->opt->threads);
    while (bench_now() < r->end) {
        run_one(w, i);
        i = (i + 1) % n;
    }
    return NULL;
}

static void free_workers(worker_t *ws, const run_t *r) {
    for (unsigned k = 0; ws && k < r->opt->threads; k++) {
        shim_db_close(ws[k].db);
        free_parsed(ws[k].reqs, r->queries->n);
        bench_samples_free(&ws[k].samples);
    }
    free(ws);
}

/* Opens a handle and parses the requests for every thread, before the
 * clock starts. */
static worker_t *make_workers(run_t *r) {
    worker_t *ws = calloc(r->opt->threads, sizeof *ws);
    if (!ws) return fprintf(stderr, TOOL ": out of memory\n"), NULL;
    for (unsigned k = 0; k < r->opt->threads; k++) {
        char *msg = NULL;
        ws[k].index = k, ws[k].run = r;
        if (shim_db_open(r->opt->db, &ws[k].db, &msg) != LEDE_OK) {
            fprintf(stderr, TOOL ": cannot open the index at %s: %s\n", r->opt->db,
                    msg ? msg : "out of memory");
            free(msg);
            return free_workers(ws, r), NULL;
        }
        if (!(ws[k].reqs = parse_all(r))) {
            fprintf(stderr, TOOL ": out of memory\n");
            return free_workers(ws, r), NULL;
        }
    }
    return ws;
}

static bool run_threads(run_t *r, worker_t *ws) {
    unsigned n = r->opt->threads, started = 0;
    pthread_t *threads = calloc(n, sizeof *threads);
    r->warm_end = bench_now() + r->opt->warmup;
    r->end = r->warm_end + r->opt->duration;
    for (; threads && started < n; started++)
        if (pthread_create(&threads[started], NULL, worker_main, &ws[started]) != 0) break;
    /* The CPU time of the measured window: from the end of the warmup
     * until the last search. */
    bench_sleep_until(r->warm_end);
    double cpu0 = bench_cpu_self();
    for (unsigned k = 0; k < started; k++) pthread_join(threads[k], NULL);
    r->cpu_s = bench_cpu_self() - cpu0;
    free(threads);
    if (started < n) fprintf(stderr, TOOL ": cannot start %u threads\n", n);
    return started == n;
}

static int report(const run_t *r, worker_t *ws) {
    unsigned n = r->opt->threads;
    double last = r->end;
    bench_samples_t *per = calloc(n, sizeof *per);
    if (!per) return fprintf(stderr, TOOL ": out of memory\n"), 1;
    for (unsigned k = 0; k < n; k++) {
        per[k] = ws[k].samples;
        if (ws[k].finished > last) last = ws[k].finished;
    }
    bench_run_t run = {
        TOOL, bench_mode_name(r->opt->mode), n, last - r->warm_end, r->cpu_s, -1, per, n};
    bool ok = bench_report_print(&run, r->opt->json);
    free(per);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    char err[ERR_BYTES];
    bench_queries_t queries;
    if (!bench_queries_load(o.queries, o.mode, o.as_is, &queries, err, sizeof err))
        return fprintf(stderr, TOOL ": %s\n", err), 1;
    run_t r = {.opt = &o, .queries = &queries};
    atomic_init(&r.errors_shown, 0);
    worker_t *ws = make_workers(&r);
    rc = !ws ? 1 : !run_threads(&r, ws) ? 1 : report(&r, ws);
    free_workers(ws, &r);
    bench_queries_free(&queries);
    return rc;
}
