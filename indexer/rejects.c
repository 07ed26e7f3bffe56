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
    bool quiet;
    bool keep_failed;
    uint64_t count;
};

lede_status_t rejects_open(const char *keep_path, bool quiet, rejects_t **out, char *err,
                           size_t size) {
    rejects_t *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r) return LEDE_E_NOMEM;
    pthread_mutex_init(&r->lock, NULL);
    r->quiet = quiet;
    r->keep_path = keep_path;
    if (keep_path && !(r->keep = fopen(keep_path, "w"))) {
        snprintf(err, size, "--rejects %s: %s", keep_path, strerror(errno));
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
    if (!r->quiet && r->count <= REPORT_MAX_LINES) {
        if (line)
            fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)line, reason);
        else
            fprintf(stderr, "%s: %s\n", file, reason);
    } else if (!r->quiet && r->count == REPORT_MAX_LINES + 1) {
        fprintf(stderr, "(further rejects are counted, not listed)\n");
    }
    if (r->keep && raw && (fwrite(raw, 1, len, r->keep) != len || fputc('\n', r->keep) == EOF))
        r->keep_failed = true;
    pthread_mutex_unlock(&r->lock);
}

uint64_t rejects_count(const rejects_t *r) {
    return r->count;
}

lede_status_t rejects_close(rejects_t *r, char *err, size_t size) {
    lede_status_t st = LEDE_OK;
    if (!r) return st;
    if (r->keep && (fclose(r->keep) != 0 || r->keep_failed)) {
        snprintf(err, size, "--rejects %s: could not write every rejected line", r->keep_path);
        st = LEDE_E_IO;
    }
    pthread_mutex_destroy(&r->lock);
    free(r);
    return st;
}
