/* shard_compare: whether lede-searchd over shards answers a request as it
 * does over one index of the same articles. Hits must come in the same
 * order with the same scores; only hits whose scores (and, sorted by date,
 * dates) are equal may trade places, since a tie is broken by document
 * number and documents are numbered differently across shards. */
#ifndef LEDE_TEST_SHARD_COMPARE_H
#define LEDE_TEST_SHARD_COMPARE_H

#include <jansson.h>
#include <stdbool.h>

/* Scores agree when they differ by at most this much, relatively: Xapian
 * combines shard statistics exactly, so only rounding may differ. */
#define SC_SCORE_REL 1e-9

/* NULL when the replies a (one index) and b (shards) agree on the members
 * named in members (NULL-terminated; compared with json_equal, absent on
 * both sides counts as equal) and, when hits is true, on "hits" (above;
 * every other member of a hit must be equal: id, title, snippet, facets of
 * the article...). Else the first difference, in static storage
 * overwritten by the next call. by_date: the hits are sorted by date. */
const char *sc_diff(json_t *a, json_t *b, const char *const *members, bool hits, bool by_date);

/* The members a search reply is compared on: ok, the error's code, the
 * totals, facets, and what spelling and relaxing did. */
extern const char *const SC_SEARCH_MEMBERS[];

#endif
