/* queries: a benchmark's query file turned into request lines.
 *
 * The file holds one query per line in the lede query language, or a whole
 * JSON request object (a line starting with '{'). Each becomes one line of
 * the line protocol (docs/protocol.md), without its "\n", for the mode:
 *
 *   ids   {"op":"search","q":Q,"limit":10,"snippet":false,"suggest":false}
 *   page  {"op":"search","q":Q,"limit":10,"snippet":true,"suggest":true,
 *          "facets":["source","category","year"]}
 *
 * A JSON line gets the mode's fields it does not set itself (so a filtered
 * query still asks for what the mode asks for), unless `as_is` is set, in
 * which case it is sent byte for byte. A JSON line that does not parse is
 * kept as is too: the server answers it with an error, which is counted. */
#ifndef LEDE_BENCH_QUERIES_H
#define LEDE_BENCH_QUERIES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum bench_mode { BENCH_MODE_IDS, BENCH_MODE_PAGE } bench_mode_t;

/* Results per page in both modes. */
#define BENCH_PAGE_LIMIT 10

typedef struct bench_queries {
    char **lines; /* request lines, NUL-terminated, no "\n" */
    size_t n;
} bench_queries_t;

/* "ids" or "page" to a mode; false for anything else. */
bool bench_mode_parse(const char *name, bench_mode_t *out);
const char *bench_mode_name(bench_mode_t mode);

/* Reads the query file at path. false with a message in err when it cannot
 * be read or holds no query. On success the caller frees with
 * bench_queries_free(). */
bool bench_queries_load(const char *path, bench_mode_t mode, bool as_is, bench_queries_t *out,
                        char *err, size_t size);

/* Turns one line of the query file (no line end, not blank) into the line
 * to send. Returns a string the caller frees with free(), or NULL with a
 * message in err (at most size bytes) when the line cannot be turned. */
typedef char *bench_line_fn(const char *line, void *arg, char *err, size_t size);

/* Like bench_queries_load(), with each line turned by fn(line, arg, ...).
 * When fn fails, the load fails with "PATH:LINE: " and fn's message. */
bool bench_queries_load_with(const char *path, bench_line_fn *fn, void *arg, bench_queries_t *out,
                             char *err, size_t size);

void bench_queries_free(bench_queries_t *q);

#endif
