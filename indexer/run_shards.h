/* run_shards: the jobs of lede-indexer on a sharded index (shards.h). */
#ifndef LEDE_INDEXER_RUN_SHARDS_H
#define LEDE_INDEXER_RUN_SHARDS_H

#include "job.h"

/* Sets j->shards from --shards and what DIR holds (0: unsharded). Fails,
 * with the reason in j->err, when --shards asks for a layout DIR does not
 * have and the run is no --rebuild. */
lede_status_t run_shards_layout(index_run_t *j);

/* Runs the job on the j->shards shards of DIR: a bulk build, a direct
 * update or deletes, each document routed to its shard and the spelling
 * data kept in DIR/spelling. Returns the exit status. */
int run_shards(index_run_t *j);

#endif
