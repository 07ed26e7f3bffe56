/* Progress line: documents, docs/s, MB/s, and percent with ETA when the
 * input size is known. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

#define REDRAW_SECONDS 0.25

double progress_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress_t *p, bool enabled) {
    p->enabled = enabled;
    p->start = progress_now();
    p->last_draw = 0;
    p->drawn = false;
}

void progress_update(progress_t *p, const input_t *in, uint64_t docs) {
    if (!p->enabled) return;
    double now = progress_now();
    if (now - p->last_draw < REDRAW_SECONDS) return;
    p->last_draw = now;
    double secs = now - p->start > 1e-3 ? now - p->start : 1e-3;
    char tail[64] = "";
    if (in->size_known && in->total_bytes > 0) {
        double frac = (double)in->read_bytes / (double)in->total_bytes;
        double eta = frac > 0.01 ? secs / frac - secs : 0;
        snprintf(tail, sizeof tail, "  %3.0f%%  ETA %.0fs", frac * 100, eta > 0 ? eta : 0);
    }
    fprintf(stderr, "\r\033[K%llu docs  %.0f docs/s  %.1f MB/s%s", (unsigned long long)docs,
            (double)docs / secs, (double)in->text_bytes / secs / 1e6, tail);
    p->drawn = true;
}

void progress_phase(progress_t *p, const char *what) {
    if (!p->enabled) return;
    fprintf(stderr, "\r\033[K%s", what);
    p->drawn = true;
}

void progress_clear(progress_t *p) {
    if (p->enabled && p->drawn) fprintf(stderr, "\r\033[K");
    p->drawn = false;
}
