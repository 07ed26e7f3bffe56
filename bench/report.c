/* Latency samples and the benchmark report. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Samples a thread starts with: a few seconds of a fast query. */
#define FIRST_SAMPLES 4096

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_sleep_until(double t) {
    double left;
    while ((left = t - bench_now()) > 0) {
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

double bench_cpu_self(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

double bench_cpu_of(long pid) {
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    /* The command name (field 2) may hold spaces and parentheses: the
     * fields after the last ')' start with field 3, state; utime and
     * stime are fields 14 and 15. */
    char *paren = got ? strrchr(line, ')') : NULL;
    unsigned long utime, stime;
    if (!paren || sscanf(paren + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                         &stime) != 2)
        return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? (double)(utime + stime) / (double)ticks : -1;
}

void bench_samples_add(bench_samples_t *s, double ms, bool error) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : FIRST_SAMPLES;
        double *grown = realloc(s->ms, cap * sizeof *grown);
        if (!grown) {
            s->failed = true;
            return;
        }
        s->ms = grown, s->cap = cap;
    }
    s->ms[s->n++] = ms;
    if (error) s->errors++;
}

void bench_samples_free(bench_samples_t *s) {
    free(s->ms);
    memset(s, 0, sizeof *s);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0 < p <= 1) of n sorted values: the
 * smallest value with at least p * n values at or below it. */
static double percentile(const double *sorted, size_t n, double p) {
    double rank = ceil(p * (double)n);
    size_t i = rank < 1 ? 0 : (size_t)rank - 1;
    return sorted[i < n ? i : n - 1];
}

/* Every thread's samples in one sorted array; caller frees. */
static double *merged(const bench_run_t *run, size_t *n, uint64_t *errors, bool *failed) {
    *n = 0, *errors = 0, *failed = false;
    for (size_t t = 0; t < run->n_threads; t++) {
        *n += run->per_thread[t].n;
        *errors += run->per_thread[t].errors;
        *failed |= run->per_thread[t].failed;
    }
    double *all = malloc((*n ? *n : 1) * sizeof *all);
    if (!all) return NULL;
    size_t k = 0;
    for (size_t t = 0; t < run->n_threads; t++) {
        memcpy(all + k, run->per_thread[t].ms, run->per_thread[t].n * sizeof *all);
        k += run->per_thread[t].n;
    }
    qsort(all, *n, sizeof *all, cmp_double);
    return all;
}

bool bench_report_print(const bench_run_t *run, bool json) {
    size_t n;
    uint64_t errors;
    bool failed;
    double *all = merged(run, &n, &errors, &failed);
    if (!all) return fprintf(stderr, "%s: out of memory\n", run->tool), false;
    double qps = run->seconds > 0 ? (double)n / run->seconds : 0;
    double p50 = n ? percentile(all, n, 0.50) : 0, p95 = n ? percentile(all, n, 0.95) : 0;
    double p99 = n ? percentile(all, n, 0.99) : 0, max = n ? all[n - 1] : 0;
    free(all);
    if (json) {
        printf("{\"tool\":\"%s\",\"mode\":\"%s\",\"concurrency\":%u,\"seconds\":%.3f,"
               "\"requests\":%zu,\"errors\":%llu,\"qps\":%.1f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,"
               "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"cpu_s\":%.3f",
               run->tool, run->mode, run->concurrency, run->seconds, n, (unsigned long long)errors,
               qps, p50, p95, p99, max, run->cpu_s);
        if (run->server_cpu_s >= 0) printf(",\"server_cpu_s\":%.3f", run->server_cpu_s);
        printf("}\n");
    } else {
        printf("%s: mode %s, concurrency %u, %.2f s: %zu requests, %llu errors, %.1f queries/s, "
               "latency ms p50 %.3f p95 %.3f p99 %.3f max %.3f; CPU s %.2f",
               run->tool, run->mode, run->concurrency, run->seconds, n, (unsigned long long)errors,
               qps, p50, p95, p99, max, run->cpu_s);
        if (run->server_cpu_s >= 0) printf(", server CPU s %.2f", run->server_cpu_s);
        printf("\n");
    }
    fflush(stdout);
    if (failed) fprintf(stderr, "%s: out of memory: some latencies were dropped\n", run->tool);
    if (!n) fprintf(stderr, "%s: no request completed after the warmup\n", run->tool);
    return !failed && n > 0;
}

bool bench_parse_seconds(const char *text, double *out) {
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= 0) || v > 86400) return false;
    *out = v;
    return true;
}

bool bench_parse_uint(const char *text, unsigned lo, unsigned hi, unsigned *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || end == text || *end || *text == '-' || v < lo || v > hi) return false;
    *out = (unsigned)v;
    return true;
}
