/* series: a load's latencies cut into intervals, one CSV line each, so
 * that a long run (bench/soak.sh) shows how they move over time. Threads
 * add samples; one thread cuts. */
#ifndef LEDE_BENCH_SERIES_H
#define LEDE_BENCH_SERIES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bench_series bench_series_t;

/* Opens path for appending, writing the header line when it is empty.
 * Every line carries label (the protocol, say). NULL with err. */
bench_series_t *bench_series_open(const char *path, const char *label, char *err, size_t size);

/* One request that took ms; error: the reply was an error. Any thread. */
void bench_series_add(bench_series_t *s, double ms, bool error);

/* A connection failed (closed, reset, no reply in time). Any thread. */
void bench_series_broken(bench_series_t *s);

/* Writes the interval ending at unix time now and starts the next:
 * "unix_time,label,requests,errors,broken,p50_ms,p99_ms,max_ms". */
void bench_series_cut(bench_series_t *s, double now);

void bench_series_close(bench_series_t *s);

#endif
