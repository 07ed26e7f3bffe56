/* snapshot: `lede-indexer --db DIR --snapshot OUT`, a consistent copy of a
 * live index for backups, taken while lede-searchd serves it and another
 * lede-indexer may be writing to it.
 *
 * The copy is what a reader of DIR sees at one revision: Xapian compacts
 * that revision into OUT's first generation, which becomes live by the
 * same atomic stub switch as any build (index_dir.h), so OUT is a lede
 * index (`--db OUT` serves or updates it) and is either complete or
 * absent. DIR's lock is not taken: a writer goes on. If the writer moves
 * on so far that the revision being copied is discarded, the copy starts
 * again from the newest revision, a few times at most. Learned furniture,
 * spelling data and the language (Xapian metadata and tables) come along. */
#ifndef LEDE_SNAPSHOT_H
#define LEDE_SNAPSHOT_H

#include "options.h"

/* Exit status as indexer_run's: EXIT_INDEXED or EXIT_FAILED. */
int snapshot_run(const indexer_opts_t *o);

#endif
