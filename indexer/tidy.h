/* tidy: a JSON record's article made fit to show, before it is indexed.
 *
 * Feeds and archives store what their own systems needed, and a reader
 * sees it as noise: bylines with their "By" and the agency ("By Rich
 * Miller, Reuters"), names in capitals ("BY PATTI DOMM"), briefs with no
 * headline, and wire copy with a line break at the end of every wrapped
 * line, which shows as one wall of text or as ragged lines. tidy_article()
 * cleans this once, at indexing, so every client shows the same text:
 *
 *   author  each byline read as names ("Rich Miller"), its agency becoming
 *           the source when the record names none; a name written all in
 *           capitals given ordinary capitals ("Patti Domm")
 *   title   when there is none, the body's first sentence, marked
 *           title_from_body (clients may show it differently; it is not
 *           indexed as a title)
 *   body    hard-wrapped lines joined into paragraphs (extract_reflow());
 *           quoted lines and tables keep their line breaks
 *
 * Pages need none of this: the extractors already read them this way.
 * lede-indexer --keep-text stores JSON records exactly as given. */
#ifndef LEDE_TIDY_H
#define LEDE_TIDY_H

#include "lede/article.h"
#include "lede/status.h"

/* Tidies a (validated) article in place. LEDE_E_NOMEM on failure, with
 * the article still valid (each field is replaced only once its new value
 * is made). */
lede_status_t tidy_article(lede_article_t *a);

/* Whether a body has lines broken inside its paragraphs: a line break
 * that is not part of a blank line, after a line of text. */
bool tidy_body_is_wrapped(const char *body);

#endif
