/* query.h: what a reader asks of one search, as the protocol parser,
 * clients and the executor pass it around. Plain C with no Xapian: the
 * pure parser (protocol.h) and clients need nothing else. The enums are
 * the shim's own (shim.h includes this file), declared here so that a
 * client never has to see the shim. */
#ifndef LEDE_QUERY_H
#define LEDE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum shim_sort {
    SHIM_SORT_RELEVANCE = 0,
    SHIM_SORT_DATE_DESC, /* newest first */
    SHIM_SORT_DATE_ASC,  /* oldest first */
} shim_sort_t;

typedef enum shim_match {
    SHIM_MATCH_ALL = 0, /* every term must match (the default) */
    SHIM_MATCH_ANY,     /* any term may match; more matches rank higher */
    SHIM_MATCH_RELAXED, /* any term may match; with SHIM_SORT_RELEVANCE,
                         * the documents that match every term come
                         * first, then the others */
} shim_match_t;

/* The buckets of the "timeline" facet: matches counted per period of
 * their date, keys "YYYY-MM", "YYYY" or "YYYY-MM-DD". */
typedef enum shim_timeline {
    SHIM_TIMELINE_MONTH = 0,
    SHIM_TIMELINE_YEAR,
    SHIM_TIMELINE_DAY,
} shim_timeline_t;

/* How hits are scored. */
typedef enum shim_ranking {
    SHIM_RANKING_DEFAULT = 0, /* lede's ranking (docs/ranking.md) */
    SHIM_RANKING_XAPIAN_BM25, /* Xapian's BM25Weight with its own default
                               * parameters, every query word kept (no
                               * stopwords): a baseline for comparison */
} shim_ranking_t;

/* What a search does with a misspelt query. */
typedef enum search_spelling {
    SEARCH_SPELLING_AUTO = 0, /* suggest a spelling; answer with it when the
                               * query finds too few (SEARCH_RELAX_BELOW) */
    SEARCH_SPELLING_SUGGEST,  /* only suggest */
    SEARCH_SPELLING_OFF,      /* neither */
} search_spelling_t;

/* match "auto" searches any word when all words find fewer than this,
 * and spelling "auto" then answers with a corrected query that finds
 * more: fewer than a page of results is too few. */
#define SEARCH_RELAX_BELOW 10

typedef struct search_params {
    const char *q;
    shim_match_t match;
    bool relax;                                   /* with SHIM_MATCH_ALL: when a query of several
                                                   * words finds fewer than relax_below, search
                                                   * again with SHIM_MATCH_RELAXED and say so
                                                   * ("relaxed") when that finds more */
    const char **filter_values[LEDE_FIELD_COUNT]; /* by field id: each NULL or
                                                   * an array (LEDE_FIELD_FILTER
                                                   * fields only) */
    size_t filter_counts[LEDE_FIELD_COUNT];
    const char *date_from; /* YYYY-MM-DD (or YYYY, YYYY-MM) */
    const char *date_to;
    shim_sort_t sort;
    uint32_t offset;
    uint32_t limit;
    const char **facets;
    size_t n_facets;
    shim_timeline_t timeline; /* the buckets of the "timeline" facet */
    uint32_t facet_limit;     /* values per facet but the timeline; 0 = 10 */
    bool snippet;
    bool suggest; /* false: as spelling SEARCH_SPELLING_OFF */
    search_spelling_t spelling;
    uint32_t relax_below;   /* too few results, for match auto and
                             * spelling auto; 0 = SEARCH_RELAX_BELOW */
    bool exact_total;       /* count every match (see shim_query_t) */
    double deadline;        /* see shim_query_t; snippets stop there too */
    shim_ranking_t ranking; /* see shim_query_t */
} search_params_t;

#ifdef __cplusplus
}
#endif

#endif
