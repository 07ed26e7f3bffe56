/* extract_learn.h: site furniture learnt from many pages.
 *
 * Pages of one site repeat the same menus, slogans, share bars and
 * notices; articles do not repeat each other's lines. So a short line that
 * occurs on several pages is furniture, wherever it stands, even when the
 * general detectors would not know it ("Online Payment", "Want to Say").
 *
 * Counting is the first pass of an indexing run over its pages: each page
 * counts each of its lines once (hard-wrapped lines joined first). Lines
 * that read as prose never count, so that one story syndicated to many
 * sites (the same AP paragraphs on a hundred pages) is never learnt as
 * furniture. The counts are kept in
 * the index (ex_learned_dump/load) and added to by later runs, so that a
 * site's furniture learnt from a big run is known to a small update.
 *
 * A table is written by one thread; once settled it is only read, and may
 * be shared by the extraction threads. */
#ifndef LEDE_EXTRACT_LEARN_H
#define LEDE_EXTRACT_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"
#include "lede/status.h"

/* A line seen on this many pages is furniture. */
#define EX_LEARN_MIN_PAGES 3

/* An empty table; NULL when out of memory. Free with ex_learned_free(). */
ex_learned_t *ex_learned_new(void);
void ex_learned_free(ex_learned_t *l);

/* Counts the lines of one text page (each distinct line once). Lines past
 * the table's size limit are not counted (the limit keeps memory bounded
 * on runs of millions of pages). */
lede_status_t ex_learned_count_page(ex_learned_t *l, const char *text, size_t len);

/* Pages counted so far, and lines that count as furniture now. */
unsigned long ex_learned_pages(const ex_learned_t *l);
size_t ex_learned_size(const ex_learned_t *l);

/* The table as a compact JSON text for the index's metadata: the lines
 * seen on two pages or more, most frequent first, at most `max` of them.
 * Caller frees; NULL when out of memory. */
char *ex_learned_dump(const ex_learned_t *l, size_t max);

/* Adds the counts of a dump (from an earlier run) to l. A text that is not
 * a dump is ignored: learnt furniture is a hint, never a reason to fail. */
void ex_learned_load(ex_learned_t *l, const char *dump);

/* Each learnt line with its count, for --explain and the tests; stops when
 * fn returns false. */
void ex_learned_each(const ex_learned_t *l, bool (*fn)(void *ctx, const char *line, unsigned pages),
                     void *ctx);

#endif
