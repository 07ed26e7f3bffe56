/* Reporting and keeping rejected records. */
#include "rejects.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past this many messages on stderr, only the count goes on. */
#define REPORT_MAX_LINES 1000

struct rejects {
    pthread_mutex_t lock;
    FILE *keep;
    const char *keep_path;
    int keep_errno; /* why writing the rejects file first failed; 0 if it did not */
    uint64_t count;
};

lede_status_t rejects_open(const char *keep_path, rejects_t **out, lede_err_t *err) {
    rejects_t *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    pthread_mutex_init(&r->lock, NULL);
    r->keep_path = keep_path;
    if (keep_path && !(r->keep = fopen(keep_path, "w"))) {
        lede_errf(err, LEDE_E_IO, "--rejects %s: %s", keep_path, strerror(errno));
        pthread_mutex_destroy(&r->lock);
        free(r);
        return LEDE_E_IO;
    }
    *out = r;
    return LEDE_OK;
}

void rejects_report(rejects_t *r, const char *file, uint64_t line, const char *reason,
                    const char *raw, size_t len) {
    pthread_mutex_lock(&r->lock);
    r->count++;
    if (r->count <= REPORT_MAX_LINES) {
        if (line)
            fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)line, reason);
        else
            fprintf(stderr, "%s: %s\n", file, reason);
    } else if (r->count == REPORT_MAX_LINES + 1) {
        fprintf(stderr, "(further rejects are counted, not listed)\n");
    }
    if (r->keep && raw && (fwrite(raw, 1, len, r->keep) != len || fputc('\n', r->keep) == EOF) &&
        !r->keep_errno)
        r->keep_errno = errno ? errno : EIO;
    pthread_mutex_unlock(&r->lock);
}

uint64_t rejects_count(const rejects_t *r) {
    return r->count;
}

static lede_status_t keep_status(const rejects_t *r, lede_err_t *err) {
    if (!r->keep_errno) return LEDE_OK;
    return lede_errf(err, LEDE_E_IO, "--rejects %s: could not write every rejected line: %s",
                     r->keep_path, strerror(r->keep_errno));
}

lede_status_t rejects_flush(rejects_t *r, lede_err_t *err) {
    pthread_mutex_lock(&r->lock);
    if (r->keep && fflush(r->keep) != 0 && !r->keep_errno) r->keep_errno = errno ? errno : EIO;
    lede_status_t st = keep_status(r, err);
    pthread_mutex_unlock(&r->lock);
    return st;
}

lede_status_t rejects_close(rejects_t *r, lede_err_t *err) {
    if (!r) return LEDE_OK;
    if (r->keep && fclose(r->keep) != 0 && !r->keep_errno) r->keep_errno = errno ? errno : EIO;
    lede_status_t st = keep_status(r, err);
    pthread_mutex_destroy(&r->lock);
    free(r);
    return st;
}
