/* stats: what STATS reports. Updated from the event loop and the worker
 * loops alike, so every change and every read goes through the functions
 * below, which hold the lock; readers work on a snapshot. */
#ifndef LEDE_SEARCHD_STATS_H
#define LEDE_SEARCHD_STATS_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "config.h"
#include "index_status.h"
#include "job.h"
#include "lede/protocol.h"
#include "lede/shim.h"
#include "lede/status.h"

/* Latency histogram: 8 buckets per doubling from 1 µs, up to ~1100 s. */
#define STATS_BUCKETS 240
#define STATS_OPS PROTO_OP_COUNT
/* Requests the parser refused count under this op ("invalid"). */
#define STATS_OP_INVALID STATS_OPS
#define STATS_WINDOW_S 60 /* queries per second over this many seconds */

typedef struct stats {
    pthread_mutex_t lock; /* guards the rest; not valid in a snapshot */
    double started;       /* monotonic seconds */
    uint64_t conns_current, conns_total, conns_rejected;
    uint64_t requests[STATS_OPS + 1];
    uint64_t errors[PROTO_E_COUNT];
    uint64_t reloads;
    uint64_t hosts_refused;        /* HTTP requests for a Host not allowed */
    uint64_t auth_failures;        /* wrong tokens, line protocol and HTTP */
    uint64_t queries_too_long;     /* refused for max_query_terms and the like */
    uint64_t timelines_too_long;   /* refused for max_timeline_buckets */
    uint64_t facet_limits_refused; /* refused for max_facet_limit */
    uint64_t idle_timeouts;        /* connections closed for idle_timeout_ms */
    uint64_t output_stalls;        /* reading paused for max_output_bytes */
    uint64_t accept_pauses;        /* episodes at the file-descriptor limit */
    uint64_t request_timeouts;     /* closed for request_timeout_ms */
    uint64_t latency[STATS_BUCKETS];
    uint64_t latency_count;
    double latency_sum_ms;
    uint64_t http_responses[6];      /* HTTP replies by status class: [2] 2xx ... [5] 5xx */
    uint64_t window[STATS_WINDOW_S]; /* requests per second, a ring */
    int64_t window_second;           /* the second window[] last advanced to */
} stats_t;

double stats_now(void);
void stats_init(stats_t *s);
void stats_destroy(stats_t *s);

/* A copy to read without the lock (the functions that take a const
 * stats_t, and stats_qps, work on snapshots). */
void stats_snapshot(stats_t *s, stats_t *out);

/* One answered request (ok or not) that took latency_ms; op may be
 * STATS_OP_INVALID. */
void stats_request(stats_t *s, int op, proto_error_code_t error, double latency_ms);

/* Connection events. */
void stats_conn_opened(stats_t *s);
void stats_conn_closed(stats_t *s);
void stats_conn_rejected(stats_t *s); /* over max_connections */
void stats_idle_timeout(stats_t *s);
void stats_output_stall(stats_t *s);
void stats_accept_paused(stats_t *s);
void stats_request_timeout(stats_t *s); /* also counts an error "timeout" */
void stats_reloaded(stats_t *s);
void stats_host_refused(stats_t *s);
void stats_auth_failed(stats_t *s);
void stats_query_too_long(stats_t *s);
void stats_timeline_too_long(stats_t *s);
void stats_facet_limit_refused(stats_t *s);
void stats_http_response(stats_t *s, int status_class); /* 2 to 5 */
uint64_t stats_conns_current(stats_t *s);

/* The latency below which a fraction q (0.5, 0.99) of requests finished. */
double stats_percentile(const stats_t *s, double q);

/* Requests that took at most ms (to the histogram's resolution: 9%). */
uint64_t stats_count_le(const stats_t *s, double ms);

/* Requests per second over the last STATS_WINDOW_S seconds (of a
 * snapshot: it moves the ring to the current second). */
double stats_qps(stats_t *snap);

/* Counters as a JSON object; takes a snapshot itself. */
json_t *stats_json(stats_t *s);

/* A finished job (either protocol): counts it, and logs it when
 * query_log is on or it was slow. */
void stats_job_done(stats_t *s, const config_t *c, const job_t *job);

/* The whole STATS reply: the counters, the index's status (read through
 * a worker's own handle, or the reload thread's copy), the protocol and
 * program versions. */
json_t *stats_report(stats_t *s, const config_t *c, const index_status_t *ix);

#endif
