/* Executing requests: a table from op to handler, each building the reply
 * object; errors become {"ok":false,"error":{...}}. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/search.h"
#include "stats.h"

char *cmd_reply_line(json_t *reply, size_t *len) {
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

char *cmd_error_line(json_t *id, proto_error_code_t code, const char *message, size_t *len) {
    json_t *reply = json_pack("{sb}", "ok", 0);
    if (reply && id) json_object_set(reply, "id", id);
    if (reply)
        json_object_set_new(reply, "error", json_pack("{ssss}", "code", proto_error_name(code),
                                                      "message", message));
    char *line = cmd_reply_line(reply, len);
    if (!line) { /* out of memory: a fixed reply still tells the client */
        static const char OOM[] = "{\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
        line = strdup(OOM);
        *len = line ? sizeof OOM - 1 : 0;
    }
    return line;
}

/* The protocol error for a failed shim call. */
static proto_error_code_t error_of(lede_status_t st) {
    switch (st) {
    case LEDE_E_BAD_QUERY: return PROTO_E_BAD_QUERY;
    case LEDE_E_INVALID: return PROTO_E_BAD_REQUEST;
    case LEDE_E_NOT_FOUND: return PROTO_E_NOT_FOUND;
    case LEDE_E_OPEN:
    case LEDE_E_CORRUPT:
    case LEDE_E_IO:
    case LEDE_E_MODIFIED:
    case LEDE_E_NETWORK: return PROTO_E_UNAVAILABLE;
    case LEDE_E_TIMEOUT: return PROTO_E_TIMEOUT;
    default: return PROTO_E_INTERNAL;
    }
}

typedef lede_status_t (*handler_fn)(shim_db_t *, const config_t *, proto_request_t *, json_t *);

static lede_status_t do_search(shim_db_t *db, const config_t *c, proto_request_t *r, json_t *reply) {
    r->search.time_limit_ms = (uint32_t)c->query_timeout_ms;
    r->search.relax_below = (uint32_t)c->relax_below;
    return search_execute(db, &r->search, reply);
}

/* Why the query text q is too big to run (parsing, spelling and matching
 * all grow with it), in msg; PROTO_E_NONE when it is not. */
static proto_error_code_t too_big(const config_t *c, const char *q, bool wildcards, char *msg,
                                  size_t size) {
    search_query_size_t n;
    search_query_size(q, &n);
    const struct {
        const char *key, *what;
        size_t got;
        uint64_t max;
    } LIMITS[] = {
        {"max_query_terms", "words", n.words, c->max_query_terms},
        {"max_phrase_terms", "words in one phrase", n.longest_phrase, c->max_phrase_terms},
        {"max_query_wildcards", "wildcards (word*)", wildcards ? n.wildcards : 0,
         c->max_query_wildcards},
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

/* Refuses a search or suggest whose query is too big; true when it did. */
static bool refuse_big(const config_t *c, job_t *job) {
    proto_request_t *r = &job->req;
    char msg[160];
    proto_error_code_t code = PROTO_E_NONE;
    if (r->op == PROTO_OP_SEARCH) code = too_big(c, r->search.q, true, msg, sizeof msg);
    if (r->op == PROTO_OP_SUGGEST) code = too_big(c, r->prefix, false, msg, sizeof msg);
    if (code == PROTO_E_NONE) return false;
    job->error = code;
    job->too_big = true;
    job->reply = cmd_error_line(r->id, code, msg, &job->reply_len);
    return true;
}

/* Refuses a search whose facet_limit is over max_facet_limit; true when
 * it did, with the error reply in job. */
static bool refuse_wide_facets(const config_t *c, job_t *job) {
    proto_request_t *r = &job->req;
    if (r->op != PROTO_OP_SEARCH || r->search.facet_limit <= c->max_facet_limit) return false;
    char msg[160];
    snprintf(msg, sizeof msg, "facet_limit %u is over max_facet_limit (%llu)",
             r->search.facet_limit, (unsigned long long)c->max_facet_limit);
    job->error = PROTO_E_LIMIT;
    job->wide_facets = true;
    job->reply = cmd_error_line(r->id, PROTO_E_LIMIT, msg, &job->reply_len);
    return true;
}

static lede_status_t do_get(shim_db_t *db, const config_t *c, proto_request_t *r, json_t *reply) {
    (void)c;
    return search_get(db, r->doc, reply);
}

static lede_status_t do_similar(shim_db_t *db, const config_t *c, proto_request_t *r, json_t *reply) {
    (void)c;
    return search_similar(db, r->doc, r->offset, r->limit, reply);
}

static lede_status_t do_suggest(shim_db_t *db, const config_t *c, proto_request_t *r, json_t *reply) {
    (void)c;
    return search_suggest(db, r->prefix, r->limit, reply);
}

static const handler_fn HANDLERS[] = {
    [PROTO_OP_SEARCH] = do_search,
    [PROTO_OP_GET] = do_get,
    [PROTO_OP_SIMILAR] = do_similar,
    [PROTO_OP_SUGGEST] = do_suggest,
};

/* A timeline of more periods than max_timeline_buckets is refused once
 * the search has counted them: only then is their number known. True
 * when it was, with the error reply in job. */
static bool refuse_long_timeline(const config_t *c, job_t *job, json_t *reply) {
    static const char *const PERIODS[] = {[SHIM_TIMELINE_MONTH] = "months",
                                          [SHIM_TIMELINE_YEAR] = "years",
                                          [SHIM_TIMELINE_DAY] = "days"};
    json_t *timeline = json_object_get(json_object_get(reply, "facets"), "timeline");
    size_t n = json_object_size(timeline);
    if (job->req.op != PROTO_OP_SEARCH || n <= c->max_timeline_buckets) return false;
    char msg[256];
    snprintf(msg, sizeof msg,
             "the timeline has %zu %s, over max_timeline_buckets (%llu): ask for a coarser "
             "\"timeline\" or narrow the dates",
             n, PERIODS[job->req.search.timeline], (unsigned long long)c->max_timeline_buckets);
    job->error = PROTO_E_LIMIT;
    job->long_timeline = true;
    job->reply = cmd_error_line(job->req.id, PROTO_E_LIMIT, msg, &job->reply_len);
    return true;
}

/* A request that waited in the queue past its whole budget is answered
 * with a timeout without running: under overload, shed work early. */
static bool expired(const config_t *c, const job_t *job) {
    return (stats_now() - job->enqueued) * 1000.0 > (double)c->query_timeout_ms;
}

void cmd_execute(shim_db_t *db, const config_t *c, job_t *job) {
    proto_request_t *r = &job->req;
    double start = stats_now();
    if (expired(c, job)) {
        job->error = PROTO_E_TIMEOUT;
        job->reply = cmd_error_line(r->id, PROTO_E_TIMEOUT, "the server is overloaded: the request "
                                    "waited past query_timeout_ms before it could start", &job->reply_len);
        return;
    }
    if (refuse_big(c, job) || refuse_wide_facets(c, job)) return;
    /* The budget counts from arrival: a search stops between its steps
     * once it is spent. */
    r->search.deadline = job->enqueued + (double)c->query_timeout_ms / 1000.0;
    json_t *reply = json_pack("{sb}", "ok", 1);
    if (reply && r->id) json_object_set(reply, "id", r->id);
    handler_fn fn = (unsigned)r->op < sizeof HANDLERS / sizeof HANDLERS[0] ? HANDLERS[r->op] : NULL;
    lede_status_t st = !reply ? LEDE_E_NOMEM : fn ? fn(db, c, r, reply) : LEDE_E_UNSUPPORTED;
    if (st == LEDE_OK && refuse_long_timeline(c, job, reply)) {
        json_decref(reply);
        return;
    }
    if (st == LEDE_OK) {
        json_object_set_new(reply, "took_ms", json_real((stats_now() - start) * 1000.0));
        job->reply = cmd_reply_line(reply, &job->reply_len);
        if (job->reply) return;
        st = LEDE_E_NOMEM;
    } else {
        json_decref(reply);
    }
    job->error = error_of(st);
    char timeout[128];
    snprintf(timeout, sizeof timeout,
             "the search ran past query_timeout_ms (%llu ms) and was stopped",
             (unsigned long long)c->query_timeout_ms);
    const char *why = st == LEDE_E_NOMEM     ? "out of memory"
                      : st == LEDE_E_TIMEOUT ? timeout
                                             : shim_db_errmsg(db);
    job->reply = cmd_error_line(r->id, job->error, why, &job->reply_len);
}
