/* explain: `lede-indexer --explain FILE...`, which shows what the page
 * extractors make of pages without touching any index: each field of each
 * article with where it came from, and every block of the page with the
 * role it was given and why. With --db, the site furniture learnt into
 * that index is used (read only), as an indexing run would. */
#ifndef LEDE_INDEXER_EXPLAIN_H
#define LEDE_INDEXER_EXPLAIN_H

#include "options.h"

/* Explains o->args; returns the exit status: 0 when every page gave an
 * article, 1 when one did not, 2 when a file could not be read. */
int explain_run(const indexer_opts_t *o);

#endif
