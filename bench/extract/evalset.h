/* evalset: one set of the dev set (text or html) from pages to verdicts:
 * the truth read, the set's folder indexed by one lede-indexer run in a
 * temporary directory, each page's documents read back from that index
 * and checked, and the verdicts added up.
 *
 * Layout of the dev directory: SET/ (the pages), truth-SET.jsonl, and for
 * html html-readability/PAGE/expected.html (the reference body). */
#ifndef LEDE_EVAL_EVALSET_H
#define LEDE_EVAL_EVALSET_H

#include <stdbool.h>
#include <stddef.h>

#include "checks.h"
#include "indexrun.h"
#include "tally.h"
#include "truth.h"

typedef struct evalset_opts {
    const char *indexer; /* lede-indexer */
    const char *dev;     /* the dev directory */
    bool keep;           /* keep the temporary index (its path is printed) */
    unsigned timeout_s;  /* kill an indexer run after this long; 0: never */
} evalset_opts_t;

typedef struct evalset {
    const char *name; /* "text" or "html" (static storage) */
    truth_set_t truth;
    indexrun_t run;
    check_page_t *pages; /* one per truth record, in truth order */
    size_t n, documents; /* documents read back, items included */
    tally_t tally;
} evalset_t;

/* True for the names of the sets ("text", "html"). */
bool evalset_known(const char *name);

/* Scores one set. Problems with the indexer's run or its index are
 * printed as warnings (the pages concerned then score as missing); false
 * (with the reason in err) when the set cannot be scored at all: a
 * missing or malformed truth file, a temporary directory that cannot be
 * made, an indexer that cannot be started, or a read error. Either way
 * the caller frees out with evalset_free(). */
bool evalset_run(const char *name, const evalset_opts_t *o, evalset_t *out, char *err, size_t size);
void evalset_free(evalset_t *s);

#endif
