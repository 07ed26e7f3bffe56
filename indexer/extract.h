/* extract.h: one raw scraped news page (plain text) in, lede articles out.
 *
 * The pages are what a scraper keeps of a news site: the headline on the
 * first line, one paragraph per line, and the site's furniture around them
 * ("Leave a review", "RELATED ..." teasers, photo credits, share buttons).
 * Metadata is not marked up; it is recognised by shape:
 *
 *   title     the first line that is neither blank nor furniture
 *   author    "By Jane Doe" before the body, or a lone name line after it
 *   date      a line that is only a date ("23 December 2022 18:09"), else a
 *             wire dateline ("March 30 (UPI) --" gives the year-less
 *             "--03-30"), else "Tuesday (April 20)" in the first paragraph
 *   category  a lone section name ("Politics")
 *   source    a dateline agency ("(UPI) --", "Washington D.C./Turan:"),
 *             "TURAN's ... correspondent", "told VOA"; known agencies get
 *             their usual spelling
 *   places    the place of a dateline, or a lone place line after the byline
 *
 * Some sites put short unrelated items after the article's closing
 * metadata (byline, date, category), between lone "-" lines. Those become
 * articles of their own, so that a search for their words does not find
 * the main article. Nothing here is specific to one site: see
 * extract_parts.h for the pieces. */
#ifndef LEDE_EXTRACT_H
#define LEDE_EXTRACT_H

#include <stddef.h>

#include "lede/article.h"
#include "lede/status.h"

/* Extracts the articles of one page. text[0..len) is the whole file: it need
 * not be NUL-terminated, may lack a final newline and may use \r\n.
 *
 * On LEDE_OK, *out is a malloc'd array of *n >= 1 articles, each already
 * passed through article_validate(); the caller frees each with
 * article_free() and then the array with free(). out[0] is the main article,
 * with id base_id; sidebar items follow with ids base_id + "#2", "#3", ...
 *
 * On LEDE_E_INVALID (empty or blank page, no title, invalid UTF-8, a NUL
 * byte, or an id that article_validate() refuses) and on LEDE_E_NOMEM,
 * *out is NULL, *n is 0, and why[ARTICLE_WHY_BYTES] says what went wrong. */
lede_status_t extract_text(const char *text, size_t len, const char *base_id, lede_article_t **out,
                           size_t *n, char *why);

#endif
