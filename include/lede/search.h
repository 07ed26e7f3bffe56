/* search.h: one search, from parameters to the JSON reply fields.
 *
 * Shared by lede-searchd and the lede CLI (which can search an index
 * directly), so that both return exactly the same hits and fields. */
#ifndef LEDE_SEARCH_H
#define LEDE_SEARCH_H

#include <jansson.h>

#include "lede/query.h"
#include "lede/shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Matched words in a snippet are wrapped in these two control characters
 * (U+0002 START OF TEXT, U+0003 END OF TEXT), which never occur in the
 * snippet's text itself: clients replace them with their own markup. */
#define SEARCH_HI_START "\x02"
#define SEARCH_HI_END "\x03"

/* "total" is exact up to this many matches, an estimate beyond (unless
 * exact_total asks for every match to be counted). */
#define SEARCH_EXACT_TOTAL 100

/* Snippet length in bytes of text. */
#define SEARCH_SNIPPET_BYTES 240

/* Spelling correction looks each unknown word up in the spelling data, a
 * few milliseconds each: it dominated long queries (7,000 words: 6 s with,
 * 1.9 s without). A query of more words than this gets no suggestion. */
#define SEARCH_SPELLING_MAX_WORDS 8

/* How big a query is, as its text says, before anything parses it. */
typedef struct search_query_size {
    size_t words;             /* runs of letters and digits (any byte >= 0x80 is
                               * a letter), in and out of phrases */
    size_t longest_phrase;    /* words in the longest "quoted phrase" */
    size_t wildcards;         /* words followed by '*' */
    size_t shortest_wildcard; /* bytes before the '*' of the shortest one
                               * (0 with no wildcard) */
} search_query_size_t;

/* Measures q (NULL or "": all zero). */
void search_query_size(const char *q, search_query_size_t *out);

/* Runs p against db and adds "total", "total_exact" (with "total_min" and
 * "total_max" when it is false), "hits", and when asked "facets"
 * and "suggestion" to reply (a JSON object the caller owns); a suggestion
 * only when it finds more than the query, and with spelling auto, when
 * the query finds too few, the suggestion's results instead, with
 * "corrected": {"q": the query run, "from": p->q}; "relaxed":
 * true when p->relax turned an all-words query that found too few into an
 * any-word one (the articles with every word first); "query_fallback":
 * true when the query had a syntax error and its plain words were
 * searched. On failure
 * the status and shim_db_errmsg(db) say why; reply may hold partial
 * fields. */
lede_status_t search_execute(shim_db_t *db, const search_params_t *p, json_t *reply);

/* Documents like doc: adds "total", "total_exact" (and its bounds) and
 * "hits" (with snippets) to reply. */
lede_status_t search_similar(shim_db_t *db, const char *doc, uint32_t offset, uint32_t limit,
                             json_t *reply);

/* Completions of a prefix: adds "suggestions" (the last word completed
 * from the vocabulary, most frequent first) and "titles" (titles of the
 * best articles matching the prefix as typed so far) to reply. */
lede_status_t search_suggest(shim_db_t *db, const char *prefix, uint32_t limit, json_t *reply);

/* The article with this id: adds "doc" (its stored JSON) to reply;
 * LEDE_E_NOT_FOUND when there is none, LEDE_E_CORRUPT when its data is
 * not a JSON object. */
lede_status_t search_get(shim_db_t *db, const char *id, json_t *reply);

#ifdef __cplusplus
}
#endif

#endif
