/* Executing requests: a table from op to handler, each building the reply
 * object; errors become {"ok":false,"error":{...}}. */
#include "lede/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lede/json_build.h"
#include "lede/search.h"

request_limits_t request_limits_default(void) {
    return (request_limits_t){.timeout_ms = REQUEST_DEFAULT_TIMEOUT_MS,
                              .max_query_terms = REQUEST_DEFAULT_MAX_QUERY_TERMS,
                              .max_phrase_terms = REQUEST_DEFAULT_MAX_PHRASE_TERMS,
                              .max_query_wildcards = REQUEST_DEFAULT_MAX_QUERY_WILDCARDS,
                              .max_timeline_buckets = REQUEST_DEFAULT_MAX_TIMELINE_BUCKETS,
                              .max_facet_limit = REQUEST_DEFAULT_MAX_FACET_LIMIT,
                              .relax_below = REQUEST_DEFAULT_RELAX_BELOW};
}

double request_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *request_reply_line(json_t *reply, size_t *len) {
    char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
    json_decref(reply);
    if (!text) return NULL;
    size_t n = strlen(text);
    char *line = realloc(text, n + 2);
    if (!line) {
        free(text);
        return NULL;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    *len = n + 1;
    return line;
}

char *request_error_line(json_t *id, proto_error_code_t code, const char *message, size_t *len) {
    json_t *reply = json_pack("{sb}", "ok", 0);
    if (reply && id) json_object_set(reply, "id", id);
    if (reply)
        json_object_set_new(
            reply, "error",
            json_pack("{ssss}", "code", proto_error_name(code), "message", message));
    char *line = request_reply_line(reply, len);
    if (!line) { /* out of memory: a fixed reply still tells the client */
        static const char OOM[] =
            "{\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
        line = strdup(OOM);
        *len = line ? sizeof OOM - 1 : 0;
    }
    return line;
}

/* The protocol error for a failed shim call. */
static proto_error_code_t error_of(lede_status_t st) {
    switch (st) {
    case LEDE_E_BAD_QUERY:
        return PROTO_E_BAD_QUERY;
    case LEDE_E_INVALID:
        return PROTO_E_BAD_REQUEST;
    case LEDE_E_NOT_FOUND:
        return PROTO_E_NOT_FOUND;
    case LEDE_E_OPEN:
    case LEDE_E_CORRUPT:
    case LEDE_E_IO:
    case LEDE_E_MODIFIED:
    case LEDE_E_NETWORK:
        return PROTO_E_UNAVAILABLE;
    case LEDE_E_TIMEOUT:
        return PROTO_E_TIMEOUT;
    default:
        return PROTO_E_INTERNAL;
    }
}

typedef lede_status_t (*handler_fn)(shim_db_t *, const request_env_t *, proto_request_t *,
                                    json_t *);

static lede_status_t run_search(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                                json_t *reply) {
    r->search.relax_below = (uint32_t)env->limits.relax_below;
    return search_execute(db, &r->search, reply);
}

static lede_status_t run_get(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                             json_t *reply) {
    (void)env;
    return search_get(db, r->doc, reply);
}

static lede_status_t run_similar(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                                 json_t *reply) {
    (void)env;
    return search_similar(db, r->doc, r->offset, r->limit, reply);
}

static lede_status_t run_suggest(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                                 json_t *reply) {
    (void)env;
    return search_suggest(db, r->prefix, r->limit, reply);
}

/* The caller's counters and the index facts. */
static lede_status_t run_stats(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                               json_t *reply) {
    (void)r;
    if (!env->stats) return LEDE_OK;
    json_t *stats = env->stats(env->stats_arg, db);
    if (!stats) return LEDE_E_NOMEM;
    int rc = json_object_update(reply, stats); /* takes references to the members */
    json_decref(stats);
    return rc == 0 ? LEDE_OK : LEDE_E_NOMEM;
}

static lede_status_t run_ping(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                              json_t *reply) {
    (void)db, (void)env, (void)r;
    return json_object_set_new(reply, "pong", json_true()) == 0 ? LEDE_OK : LEDE_E_NOMEM;
}

static lede_status_t run_quit(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                              json_t *reply) {
    (void)db, (void)env, (void)r;
    return json_object_set_new(reply, "bye", json_true()) == 0 ? LEDE_OK : LEDE_E_NOMEM;
}

/* The token itself was checked by whoever holds it (the server). */
static lede_status_t run_auth(shim_db_t *db, const request_env_t *env, proto_request_t *r,
                              json_t *reply) {
    (void)db, (void)env, (void)r, (void)reply;
    return LEDE_OK;
}

/* One per command of protocol.c's table. */
static const handler_fn HANDLERS[PROTO_OP_COUNT] = {
    [PROTO_OP_SEARCH] = run_search,   [PROTO_OP_GET] = run_get,
    [PROTO_OP_SIMILAR] = run_similar, [PROTO_OP_SUGGEST] = run_suggest,
    [PROTO_OP_STATS] = run_stats,     [PROTO_OP_PING] = run_ping,
    [PROTO_OP_QUIT] = run_quit,       [PROTO_OP_AUTH] = run_auth,
};

/* An error reply in out. */
static void refuse(request_reply_t *out, json_t *id, proto_error_code_t code, request_refusal_t why,
                   const char *msg) {
    out->error = code;
    out->refused = why;
    out->line = request_error_line(id, code, msg, &out->len);
}

/* Why the query text q is too big to run (parsing, spelling and matching
 * all grow with it), in msg; PROTO_E_NONE when it is not. */
static proto_error_code_t too_big(const request_limits_t *lim, const char *q, bool wildcards,
                                  char *msg, size_t size) {
    search_query_size_t n;
    search_query_size(q, &n);
    const struct {
        const char *key, *what;
        size_t got;
        uint64_t max;
    } LIMITS[] = {
        {"max_query_terms", "words", n.words, lim->max_query_terms},
        {"max_phrase_terms", "words in one phrase", n.longest_phrase, lim->max_phrase_terms},
        {"max_query_wildcards", "wildcards (word*)", wildcards ? n.wildcards : 0,
         lim->max_query_wildcards},
    };
    for (size_t i = 0; i < sizeof LIMITS / sizeof LIMITS[0]; i++) {
        if (LIMITS[i].got <= LIMITS[i].max) continue;
        snprintf(msg, size, "the query has %zu %s, over %s (%llu)", LIMITS[i].got, LIMITS[i].what,
                 LIMITS[i].key, (unsigned long long)LIMITS[i].max);
        return PROTO_E_LIMIT;
    }
    if (!wildcards || !n.wildcards || n.shortest_wildcard >= 2) return PROTO_E_NONE;
    snprintf(msg, size, "a wildcard needs at least 2 letters before its '*'");
    return PROTO_E_BAD_QUERY;
}

/* Refuses a search or suggest whose query is too big, or a search whose
 * facet_limit is over max_facet_limit; true when it did. */
static bool refuse_before(const request_limits_t *lim, proto_request_t *r, request_reply_t *out) {
    char msg[160];
    proto_error_code_t code = PROTO_E_NONE;
    if (r->op == PROTO_OP_SEARCH) code = too_big(lim, r->search.q, true, msg, sizeof msg);
    if (r->op == PROTO_OP_SUGGEST) code = too_big(lim, r->prefix, false, msg, sizeof msg);
    if (code != PROTO_E_NONE) return refuse(out, r->id, code, REQUEST_QUERY_TOO_LONG, msg), true;
    if (r->op != PROTO_OP_SEARCH || r->search.facet_limit <= lim->max_facet_limit) return false;
    snprintf(msg, sizeof msg, "facet_limit %u is over max_facet_limit (%llu)",
             r->search.facet_limit, (unsigned long long)lim->max_facet_limit);
    refuse(out, r->id, PROTO_E_LIMIT, REQUEST_FACETS_TOO_WIDE, msg);
    return true;
}

/* A timeline of more periods than max_timeline_buckets is refused once
 * the search has counted them: only then is their number known. True
 * when it was. */
static bool refuse_after(const request_limits_t *lim, proto_request_t *r, json_t *reply,
                         request_reply_t *out) {
    static const char *const PERIODS[] = {[SHIM_TIMELINE_MONTH] = "months",
                                          [SHIM_TIMELINE_YEAR] = "years",
                                          [SHIM_TIMELINE_DAY] = "days"};
    json_t *timeline = json_object_get(json_object_get(reply, "facets"), "timeline");
    size_t n = json_object_size(timeline);
    if (r->op != PROTO_OP_SEARCH || n <= lim->max_timeline_buckets) return false;
    char msg[256];
    snprintf(msg, sizeof msg,
             "the timeline has %zu %s, over max_timeline_buckets (%llu): ask for a coarser "
             "\"timeline\" or narrow the dates",
             n, PERIODS[r->search.timeline], (unsigned long long)lim->max_timeline_buckets);
    refuse(out, r->id, PROTO_E_LIMIT, REQUEST_TIMELINE_TOO_LONG, msg);
    return true;
}

/* A reply from some shards only says so: "partial" and the shards it
 * lacks ("missing"). */
static lede_status_t mark_partial(shim_db_t *db, json_t *reply) {
    if (!db || shim_db_shards_down(db) == 0) return LEDE_OK;
    json_build_t b = {false};
    json_t *missing = json_array();
    for (size_t k = 0; k < shim_db_shard_count(db); k++) {
        shim_shard_info_t info;
        shim_db_shard_info(db, k, &info);
        if (!info.up) jb_append(&b, missing, json_string(info.spec));
    }
    jb_set(&b, reply, "partial", json_true());
    jb_set(&b, reply, "missing", missing);
    return jb_status(&b);
}

/* A request that waited past its whole budget before it could start is
 * answered with a timeout without running: under overload, shed work
 * early. */
static bool expired(const request_limits_t *lim, double arrived) {
    return (request_now() - arrived) * 1000.0 > (double)lim->timeout_ms;
}

/* The message of a failed handler. */
static const char *failure(shim_db_t *db, const request_limits_t *lim, lede_status_t st, char *buf,
                           size_t size) {
    if (st == LEDE_E_NOMEM) return "out of memory";
    if (st != LEDE_E_TIMEOUT) return db ? shim_db_errmsg(db) : lede_status_to_string(st);
    snprintf(buf, size, "the search ran past query_timeout_ms (%llu ms) and was stopped",
             (unsigned long long)lim->timeout_ms);
    return buf;
}

void request_execute(shim_db_t *db, const request_env_t *env, proto_request_t *r, double arrived,
                     request_reply_t *out) {
    const request_limits_t *lim = &env->limits;
    const proto_command_t *cmd = proto_command(r->op);
    double start = request_now();
    *out = (request_reply_t){0};
    if (cmd && cmd->on_index && expired(lim, arrived))
        return refuse(out, r->id, PROTO_E_TIMEOUT, REQUEST_NOT_REFUSED,
                      "the server is overloaded: the request waited past query_timeout_ms before "
                      "it could start");
    if (refuse_before(lim, r, out)) return;
    /* The budget counts from arrival: a search stops between its steps
     * once it is spent. */
    r->search.deadline = arrived + (double)lim->timeout_ms / 1000.0;
    json_t *reply = json_pack("{sb}", "ok", 1);
    if (reply && r->id) json_object_set(reply, "id", r->id);
    handler_fn fn = cmd ? HANDLERS[r->op] : NULL;
    lede_status_t st = !reply ? LEDE_E_NOMEM : fn ? fn(db, env, r, reply) : LEDE_E_UNSUPPORTED;
    if (st == LEDE_OK && refuse_after(lim, r, reply, out)) return json_decref(reply);
    if (st == LEDE_OK && cmd->on_index) st = mark_partial(db, reply);
    if (st == LEDE_OK && cmd->on_index)
        json_object_set_new(reply, "took_ms", json_real((request_now() - start) * 1000.0));
    if (st == LEDE_OK && (out->line = request_reply_line(reply, &out->len))) return;
    if (st != LEDE_OK)
        json_decref(reply);
    else
        st = LEDE_E_NOMEM; /* request_reply_line took reply */
    char buf[128];
    out->error = error_of(st);
    out->line =
        request_error_line(r->id, out->error, failure(db, lim, st, buf, sizeof buf), &out->len);
}
