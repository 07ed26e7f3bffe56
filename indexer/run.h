/* run: what lede-indexer does with its options. */
#ifndef LEDE_INDEXER_RUN_H
#define LEDE_INDEXER_RUN_H

#include "options.h"

/* Exit statuses. */
#define EXIT_INDEXED 0
#define EXIT_REJECTS 1
#define EXIT_FAILED 2

/* Runs an indexing or delete job; returns the exit status. */
int indexer_run(const indexer_opts_t *o);

#endif
