/* stats: what STATS reports. Updated on the main thread only. */
#ifndef LEDE_SEARCHD_STATS_H
#define LEDE_SEARCHD_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "lede/protocol.h"

/* Latency histogram: 8 buckets per doubling from 1 µs, up to ~1100 s. */
#define STATS_BUCKETS 240
#define STATS_OPS 7
/* Requests the parser refused count under this op ("invalid"). */
#define STATS_OP_INVALID STATS_OPS
#define STATS_WINDOW_S 60 /* queries per second over this many seconds */

typedef struct stats {
    double started;                 /* monotonic seconds */
    uint64_t conns_current, conns_total, conns_rejected;
    uint64_t requests[STATS_OPS + 1];
    uint64_t errors[PROTO_E_COUNT];
    uint64_t reloads;
    uint64_t idle_timeouts;          /* connections closed for idle_timeout_ms */
    uint64_t output_stalls;          /* reading paused for max_output_bytes */
    uint64_t latency[STATS_BUCKETS];
    uint64_t latency_count;
    double latency_sum_ms;
    uint64_t http_responses[6];      /* HTTP replies by status class: [2] 2xx ... [5] 5xx */
    uint64_t window[STATS_WINDOW_S]; /* requests per second, a ring */
    int64_t window_second;           /* the second window[] last advanced to */
} stats_t;

double stats_now(void);
void stats_init(stats_t *s);

/* One answered request (ok or not) that took latency_ms; op may be
 * STATS_OP_INVALID. */
void stats_request(stats_t *s, int op, proto_error_code_t error, double latency_ms);

/* The latency below which a fraction q (0.5, 0.99) of requests finished. */
double stats_percentile(const stats_t *s, double q);

/* Requests that took at most ms (to the histogram's resolution: 9%). */
uint64_t stats_count_le(const stats_t *s, double ms);

/* Requests per second over the last STATS_WINDOW_S seconds. */
double stats_qps(stats_t *s);

/* Counters as a JSON object (the caller adds the index fields). */
json_t *stats_json(stats_t *s);

#endif
