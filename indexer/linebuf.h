/* linebuf: lines assembled from the chunks a reader gets, each bounded.
 * Shared by the JSON Lines readers: files and standard input (input.c)
 * and a followed stream (follow.c). */
#ifndef LEDE_INDEXER_LINEBUF_H
#define LEDE_INDEXER_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/status.h"

typedef struct linebuf {
    size_t max; /* longest line kept, in bytes */
    char *buf;  /* the line being assembled; owned */
    size_t len, cap;
    bool skipping;  /* the line is over max: dropped to its end */
    size_t skipped; /* its length so far */
    uint64_t part;  /* input bytes of the line so far, its newline included */
} linebuf_t;

/* One complete line: its bytes (without the newline, not NUL-terminated;
 * borrowed for the call), or NULL with len its length when it is over
 * max; bytes is what it took of the input, newline included. A non-OK
 * status stops linebuf_feed and is returned by it. */
typedef lede_status_t (*linebuf_fn)(void *ctx, const char *line, size_t len, uint64_t bytes);

/* Splits chunk into lines, calling fn for each one it completes; the rest
 * waits for the next chunk. LEDE_E_NOMEM when the line cannot grow. */
lede_status_t linebuf_feed(linebuf_t *lb, const char *chunk, size_t n, linebuf_fn fn, void *ctx);

/* The last line, not ended by a newline, if there is one. */
lede_status_t linebuf_finish(linebuf_t *lb, linebuf_fn fn, void *ctx);

/* Drops a line begun (the stream it came from is gone). */
void linebuf_reset(linebuf_t *lb);

void linebuf_free(linebuf_t *lb);

/* Whether a line holds only spaces, tabs and carriage returns. */
bool linebuf_blank(const char *s, size_t n);

#endif
