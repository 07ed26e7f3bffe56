/* pipeline: the parallel build.
 *
 * The reading thread batches records into a bounded queue. Each worker
 * thread parses records, analyses articles and writes them into small
 * shard databases of its own (no locking between workers, no shared Xapian
 * object); a shard is closed after `shard_docs` documents and a fresh one
 * begun, so Xapian's in-memory buffers stay small. The shards are merged
 * afterwards by compaction. */
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
    uint64_t stamp_base; /* added to each record's seq */
    rejects_t *rejects;
    const ex_learned_t *learned; /* site furniture for the page extractors; or NULL */
    bool keep_text;              /* JSON records stored as given (--keep-text) */
} pipeline_opts_t;

typedef struct pipeline pipeline_t;

lede_status_t pipeline_start(const pipeline_opts_t *opts, pipeline_t **out);

/* Queues a record, taking ownership of its bytes. Blocks while the queue
 * is full. Returns an error once a worker has failed. */
lede_status_t pipeline_push(pipeline_t *p, record_t *rec);

/* Documents written so far (for progress). */
uint64_t pipeline_docs(const pipeline_t *p);

/* Waits for the workers and hands over the shard paths (*shards and each
 * string malloc'd; caller frees) and the number of documents written. On
 * failure err (which may be NULL) says why. Frees p. */
lede_status_t pipeline_finish(pipeline_t *p, char ***shards, size_t *n, uint64_t *docs,
                              lede_err_t *err);

#endif
