/* merge: a new generation from the shards of a bulk build.
 *
 * The spelling data of the new shards' vocabulary is built into a database
 * of its own. Then every source (the live generation first when there is
 * one, the shards in the order they were made, the spelling database last,
 * as it holds no documents) is compacted into the new generation, and
 * duplicate ids are resolved. Compaction keeps all its sources open at
 * once, so large builds merge in rounds of a bounded number of databases,
 * through intermediate databases in the scratch directory; the shards are
 * removed once the first round has merged them. */
#ifndef LEDE_INDEXER_MERGE_H
#define LEDE_INDEXER_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/status.h"
#include "progress.h"

typedef struct merge_job {
    const char *tmp;     /* scratch directory; it must exist */
    const char *live;    /* live generation to merge first, or NULL */
    char *const *shards; /* the new shards, in order */
    size_t n_shards;
    bool spelling; /* build spelling data from the new shards */
    progress_t *progress;
} merge_job_t;

/* Builds the database dst (which must not exist) from the live generation
 * and the shards; there must be at least one of them. *removed counts the
 * duplicate documents deleted. On failure err says why. */
lede_status_t merge_run(const merge_job_t *m, const char *dst, uint64_t *removed, lede_err_t *err);

#endif
