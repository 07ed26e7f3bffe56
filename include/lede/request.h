/* request.h: runs one parsed request (protocol.h) against an index handle
 * and builds its reply line. lede-searchd's workers and the lede CLI's
 * --db mode both run requests through here, so both answer alike.
 *
 * Touches nothing shared: call it from any thread with that thread's own
 * shim_db_t. */
#ifndef LEDE_REQUEST_H
#define LEDE_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/protocol.h"
#include "lede/shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The defaults of lede-searchd's keys of the same names (searchd/config.c
 * takes them from here). */
#define REQUEST_DEFAULT_TIMEOUT_MS 2000
#define REQUEST_DEFAULT_MAX_QUERY_TERMS 64
#define REQUEST_DEFAULT_MAX_PHRASE_TERMS 12
#define REQUEST_DEFAULT_MAX_QUERY_WILDCARDS 4
#define REQUEST_DEFAULT_MAX_TIMELINE_BUCKETS 1000
#define REQUEST_DEFAULT_MAX_FACET_LIMIT 100
#define REQUEST_DEFAULT_RELAX_BELOW 10

/* What one request may cost. */
typedef struct request_limits {
    uint64_t timeout_ms;           /* query_timeout_ms, counted from arrival */
    uint64_t max_query_terms;      /* words in one query */
    uint64_t max_phrase_terms;     /* words in one "phrase" of a query */
    uint64_t max_query_wildcards;  /* word* in one query */
    uint64_t max_timeline_buckets; /* periods in one timeline facet */
    uint64_t max_facet_limit;      /* largest "facet_limit" */
    uint64_t relax_below;          /* match auto: fewer all-words hits are too few */
} request_limits_t;

/* Every limit at its default. */
request_limits_t request_limits_default(void);

/* The STATS reply's fields (the caller's counters and index facts), read
 * through db; NULL when out of memory. */
typedef json_t *(*request_stats_fn)(void *arg, shim_db_t *db);

typedef struct request_env {
    request_limits_t limits;
    request_stats_fn stats; /* NULL: STATS says only "ok" */
    void *stats_arg;
} request_env_t;

/* Which limit refused a request before or after it ran. */
typedef enum request_refusal {
    REQUEST_NOT_REFUSED = 0,
    REQUEST_QUERY_TOO_LONG,    /* max_query_terms and the like */
    REQUEST_FACETS_TOO_WIDE,   /* max_facet_limit */
    REQUEST_TIMELINE_TOO_LONG, /* max_timeline_buckets */
} request_refusal_t;

typedef struct request_reply {
    proto_error_code_t error; /* PROTO_E_NONE when it worked */
    request_refusal_t refused;
    char *line; /* the reply with its \n; malloc'd, the caller's */
    size_t len;
} request_reply_t;

/* Runs req on db. arrived is when the request arrived (stats_now()'s
 * monotonic seconds): a request that touches the index and waited past its
 * whole budget is answered with a timeout without running, and the budget
 * of the rest counts from then. Fills *out; req is left as it was but for
 * its search deadline. */
void request_execute(shim_db_t *db, const request_env_t *env, proto_request_t *req, double arrived,
                     request_reply_t *out);

/* Monotonic seconds (CLOCK_MONOTONIC), the clock of "arrived". */
double request_now(void);

/* An error reply line ("...\n", malloc'd) for a request id (may be NULL);
 * never NULL but when even a fixed line cannot be copied. */
char *request_error_line(json_t *id, proto_error_code_t code, const char *message, size_t *len);

/* Serialises a reply object as one line with its \n (malloc'd); steals
 * the reference to reply. NULL when out of memory. */
char *request_reply_line(json_t *reply, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
