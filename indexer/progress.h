/* progress: the one-line progress display and the closing summary. */
#ifndef LEDE_PROGRESS_H
#define LEDE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "input.h"

typedef struct progress {
    bool enabled; /* draw the progress line on stderr */
    double start; /* monotonic seconds */
    double last_draw;
    bool drawn;
} progress_t;

double progress_now(void);

void progress_init(progress_t *p, bool enabled);

/* Redraws at most a few times a second. docs = documents indexed so far. */
void progress_update(progress_t *p, const input_t *in, uint64_t docs);

/* Shows a phase that has no counter ("merging 12 shards"). */
void progress_phase(progress_t *p, const char *what);

/* Clears the line so ordinary output can follow. */
void progress_clear(progress_t *p);

#endif
