/* pipeline: the parallel build.
 *
 * The reading thread batches records into a bounded queue. Each worker
 * thread parses records, analyses articles and writes them into small
 * shard databases of its own (no locking between workers, no shared Xapian
 * object); a shard is closed after `shard_docs` documents and a fresh one
 * begun, so Xapian's in-memory buffers stay small. The shards are merged
 * afterwards by compaction.
 *
 * For a sharded index (shards.h) each worker keeps one build shard per
 * index shard and writes each document into the one its id routes to. */
#ifndef LEDE_PIPELINE_H
#define LEDE_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "extract.h"
#include "input.h"
#include "rejects.h"

typedef struct pipeline_opts {
    unsigned threads;
    const char *build_dir; /* shards are created below it */
    const char *language;
    bool spelling;
    uint32_t shard_docs;
    unsigned routes;     /* index shards to route to (shards_route); 0 or 1: one */
    uint64_t stamp_base; /* added to each record's seq */
    rejects_t *rejects;
    const ex_learned_t *learned; /* site furniture for the page extractors; or NULL */
    bool keep_text;              /* JSON records stored as given (--keep-text) */
} pipeline_opts_t;

typedef struct pipeline pipeline_t;

/* The build shards of a pipeline: paths[i] (malloc'd) holds documents of
 * index shard routes[i] (always 0 without routing). */
typedef struct pipeline_shards {
    char **paths;
    unsigned *routes;
    size_t n;
} pipeline_shards_t;

/* Frees the paths and arrays (not the databases); s is then empty. */
void pipeline_shards_free(pipeline_shards_t *s);

lede_status_t pipeline_start(const pipeline_opts_t *opts, pipeline_t **out);

/* Queues a record, taking ownership of its bytes. Blocks while the queue
 * is full. Returns an error once a worker has failed. */
lede_status_t pipeline_push(pipeline_t *p, record_t *rec);

/* Documents written so far (for progress). */
uint64_t pipeline_docs(const pipeline_t *p);

/* Waits for the workers and hands over the build shards (out may be NULL;
 * the caller frees them with pipeline_shards_free) and the number of
 * documents written. On failure err (which may be NULL) says why, and out
 * is empty. Frees p. */
lede_status_t pipeline_finish(pipeline_t *p, pipeline_shards_t *out, uint64_t *docs,
                              lede_err_t *err);

#endif
