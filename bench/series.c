/* Interval latency series (see series.h). */
#include "series.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bench_series {
    FILE *out;
    char label[32];
    pthread_mutex_t lock;
    double *ms; /* this interval's latencies */
    size_t n, cap;
    unsigned long long errors, broken;
};

bench_series_t *bench_series_open(const char *path, const char *label, char *err, size_t size) {
    bench_series_t *s = calloc(1, sizeof *s);
    if (!s || !(s->out = fopen(path, "a"))) {
        snprintf(err, size, "cannot write %s", path);
        free(s);
        return NULL;
    }
    snprintf(s->label, sizeof s->label, "%s", label);
    pthread_mutex_init(&s->lock, NULL);
    if (ftell(s->out) == 0)
        fputs("unix_time,label,requests,errors,broken,p50_ms,p99_ms,max_ms\n", s->out);
    fflush(s->out);
    return s;
}

void bench_series_add(bench_series_t *s, double ms, bool error) {
    pthread_mutex_lock(&s->lock);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        double *grown = realloc(s->ms, cap * sizeof *grown);
        if (grown) s->ms = grown, s->cap = cap;
    }
    if (s->n < s->cap) s->ms[s->n++] = ms;
    s->errors += error;
    pthread_mutex_unlock(&s->lock);
}

void bench_series_broken(bench_series_t *s) {
    pthread_mutex_lock(&s->lock);
    s->broken++;
    pthread_mutex_unlock(&s->lock);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of sorted v[0..n) (nearest rank); 0 when empty. */
static double quantile(const double *v, size_t n, double q) {
    if (n == 0) return 0;
    size_t rank = (size_t)(q * (double)n + 0.999999);
    return v[rank == 0 ? 0 : rank - 1];
}

void bench_series_cut(bench_series_t *s, double now) {
    pthread_mutex_lock(&s->lock);
    double *ms = s->ms;
    size_t n = s->n;
    unsigned long long errors = s->errors, broken = s->broken;
    s->ms = NULL, s->n = s->cap = 0, s->errors = s->broken = 0;
    pthread_mutex_unlock(&s->lock);
    if (n) qsort(ms, n, sizeof *ms, by_value);
    fprintf(s->out, "%.0f,%s,%zu,%llu,%llu,%.3f,%.3f,%.3f\n", now, s->label, n, errors, broken,
            quantile(ms, n, 0.5), quantile(ms, n, 0.99), n ? ms[n - 1] : 0.0);
    fflush(s->out);
    free(ms);
}

void bench_series_close(bench_series_t *s) {
    if (!s) return;
    fclose(s->out);
    pthread_mutex_destroy(&s->lock);
    free(s->ms);
    free(s);
}
