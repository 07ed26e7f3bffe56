/* report: latency samples, the clock, and the one-line (or JSON) report
 * shared by lede-loadgen and lede-inproc, so that both print the same
 * figures computed the same way. */
#ifndef LEDE_BENCH_REPORT_H
#define LEDE_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Seconds since 1970 (the wall clock). */
double bench_wall_now(void);

/* Sleeps until bench_now() reaches t. */
void bench_sleep_until(double t);

/* CPU seconds (user + system) this process has used so far. */
double bench_cpu_self(void);

/* CPU seconds (user + system) process pid has used so far, from
 * /proc/PID/stat (clock-tick resolution); -1 when it cannot be read. */
double bench_cpu_of(long pid);

/* Latencies in milliseconds of the requests one thread timed. Owned by
 * that thread while it runs; merged by bench_report_print() afterwards. */
typedef struct bench_samples {
    double *ms;
    size_t n, cap;
    uint64_t errors; /* replies with "ok":false (also in ms) */
    bool failed;     /* out of memory: the report says so */
} bench_samples_t;

/* Appends one latency; sets s->failed (and drops it) when out of memory. */
void bench_samples_add(bench_samples_t *s, double ms, bool error);
void bench_samples_free(bench_samples_t *s);

typedef struct bench_run {
    const char *tool;     /* "lede-loadgen", "lede-inproc" */
    const char *mode;     /* "ids", "page" */
    unsigned concurrency; /* connections or threads */
    double seconds;       /* the measured window, after warmup */
    double cpu_s;         /* this process's CPU seconds in the window */
    double server_cpu_s;  /* the server's, or < 0 when not measured */
    bench_samples_t *per_thread;
    size_t n_threads;
} bench_run_t;

/* Prints requests, errors, queries/s, exact p50/p95/p99/max latencies
 * over every sample of every thread, and the CPU seconds used in the
 * window: one line of text, or with json one JSON object on one line. Sorts the samples in place.
 * false when a thread ran out of memory or there is no sample. */
bool bench_report_print(const bench_run_t *run, bool json);

/* Parses a non-negative number of seconds ("10", "2.5"); false if bad. */
bool bench_parse_seconds(const char *text, double *out);

/* Parses a whole number in [lo, hi]; false if bad. */
bool bench_parse_uint(const char *text, unsigned lo, unsigned hi, unsigned *out);

#endif
