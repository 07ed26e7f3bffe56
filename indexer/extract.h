/* extract.h: one raw news page in, lede articles out.
 *
 * Scrapers keep news pages in two forms, and lede reads both:
 *
 *   extract_text()  the visible text of a page, as a scraper saves it:
 *                   headline, byline, dateline, paragraphs, and the site's
 *                   furniture around them (menus, share bars, captions,
 *                   related links), with no markup to tell them apart
 *   extract_html()  the page's HTML: what the page declares (JSON-LD,
 *                   OpenGraph, <meta>, <title>, <link rel=canonical>) wins
 *                   over guessing; the article text comes from scoring the
 *                   DOM for the block that holds it
 *
 * Both return the main article first and, for pages that carry several
 * stories (a wire roundup, a news-line bulletin, a blog archive page),
 * the later stories as articles of their own, so that a search for their
 * words does not find the main article. How the text extractor reads a
 * page is described in extract_parts.h; the HTML one in extract_html.h.
 *
 * A page with no article in it (an index page, a "page not found" page,
 * a cookie wall, nothing left once the furniture is gone) is refused with
 * the reason "no article text found", never indexed as an article. */
#ifndef LEDE_EXTRACT_H
#define LEDE_EXTRACT_H

#include <stddef.h>

#include "lede/article.h"
#include "lede/status.h"

typedef struct ex_learned ex_learned_t; /* extract_learn.h */
typedef struct ex_trace ex_trace_t;     /* extract_trace.h */

/* What an extraction may use besides the page. Both members may be NULL;
 * a NULL opts pointer means both are. */
typedef struct extract_opts {
    /* Lines learnt to be site furniture (seen on many pages of one run or
     * of earlier runs into the same index). Read only: shared by threads. */
    const ex_learned_t *learned;
    /* When set, every decision is recorded there for --explain. */
    ex_trace_t *trace;
} extract_opts_t;

/* The reason given for a page without an article. */
#define EXTRACT_NO_ARTICLE "no article text found"

/* Extracts the articles of one page. The page is bytes[0..len): it need
 * not be NUL-terminated, may lack a final newline and may use \r\n.
 *
 * On LEDE_OK, *out is a malloc'd array of *n >= 1 articles, each already
 * passed through article_validate(); the caller frees each with
 * article_free() and then the array with free(). out[0] is the main
 * article, with id base_id; further stories follow with ids base_id +
 * "#2", "#3", ...
 *
 * On LEDE_E_INVALID (an empty page, invalid UTF-8 in a text page, a NUL
 * byte, a page without an article, an id that article_validate() refuses)
 * and on LEDE_E_NOMEM, *out is NULL, *n is 0, and err says what went
 * wrong. */
lede_status_t extract_text(const char *text, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           lede_err_t *err);

/* The same for an HTML page. Its bytes may be in any charset the page
 * declares (a byte order mark, <meta charset>, the http-equiv
 * Content-Type); they are converted to UTF-8 first. */
lede_status_t extract_html(const char *html, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           lede_err_t *err);

/* The text of an article body with its paragraphs rebuilt the way pages'
 * are read: hard-wrapped lines (wire copy wrapped at a fixed width) and
 * sentences broken across lines joined, paragraphs separated by one blank
 * line, spaces trimmed. For bodies stored with a line break per wrapped
 * line ("Showers continued throughout the week in\nthe Bahia cocoa zone").
 * Text already in paragraphs comes back the same. Caller frees; NULL when
 * out of memory. */
char *extract_reflow(const char *text, size_t len);

#endif
