/* furniture: the site furniture an indexing run learns, and keeps with the
 * index (see extract_learn.h for what is learnt and why).
 *
 * A run that reads pages first counts their lines (a pass over the page
 * files only; JSON Lines inputs are not read twice), adds the counts the
 * index already holds, and extracts every page with the result; when the
 * run succeeds, the new counts are stored in the index's metadata under
 * FURNITURE_META_KEY, so that the next run, even one of a single page,
 * knows the furniture of the sites seen before. A page whose id is already
 * in the index is not counted again: an article updated ten times must not
 * make its own lines look like a site's. A --rebuild starts from nothing. */
#ifndef LEDE_INDEXER_FURNITURE_H
#define LEDE_INDEXER_FURNITURE_H

#include <stdbool.h>
#include <stddef.h>

#include "extract_learn.h"
#include "lede/shim.h"
#include "lede/status.h"

#define FURNITURE_META_KEY "lede.furniture"
/* Lines kept in the index: the most frequent ones. */
#define FURNITURE_KEEP_LINES 5000

/* Learns from the pages among paths (files and directories, as indexing
 * reads them). live is the live generation whose counts are added, or
 * NULL; ids, when not NULL, is the index whose documents are already
 * counted, when that is not live (a sharded index keeps its counts apart
 * from its documents: shards.h); max_page_bytes skips pages over the size
 * limit. *out is a new table (the caller frees it with ex_learned_free)
 * even when no page was read. On failure err says why. */
lede_status_t furniture_learn(const char *live, const char *ids, char *const *paths, size_t n,
                              size_t max_page_bytes, ex_learned_t **out, lede_err_t *err);

/* Reads the counts stored in an index (for --explain --db): *out is a new
 * table, empty when the index holds none. */
lede_status_t furniture_read(const char *db_path, ex_learned_t **out, lede_err_t *err);

/* Stores l in the database a writer is building (before its commit). */
lede_status_t furniture_store(shim_writer_t *w, const ex_learned_t *l);

/* Stores l in the database at path (a generation just merged). */
lede_status_t furniture_store_at(const char *path, const ex_learned_t *l, lede_err_t *err);

#endif
