/* trec: TREC run files and qrels, and four of trec_eval's measures.
 *
 * A run file has one retrieved document per line, six fields separated by
 * blanks: "qid Q0 docno rank score tag". A qrels file has one judgment per
 * line: "qid iter docno rel" (TREC's four fields) or "qid docno rel" (three,
 * as in ../shared/eval). Blank lines are skipped.
 *
 * The measures follow trec_eval 9 (usnistgov/trec_eval) exactly:
 *
 *  - A query's retrieved documents are ordered by score, highest first,
 *    ties by docno in descending strcmp() order; the rank column is
 *    ignored. The same docno twice in one query is an error.
 *  - A document is relevant when its judgment is >= 1. Unjudged documents
 *    and negative judgments count as not relevant, and a negative judgment
 *    does not count towards the relevant total.
 *  - ndcg_cut_10: DCG of the first 10 with gain = the judgment (when > 0)
 *    and discount log2(rank + 1), divided by the DCG of the ideal order of
 *    every positive judgment of the query (0 when there is none).
 *  - map: average precision, the sum of the precision at each relevant
 *    retrieved document over the number of relevant documents (0 when the
 *    query has none); every retrieved document counts, not only the first
 *    100.
 *  - P_10: relevant among the first 10, divided by 10 even when fewer were
 *    retrieved.
 *  - recall_100: relevant among the first 100 over all relevant (0 when
 *    none).
 *  - Queries: those that are both in the run and in the qrels are
 *    evaluated, including a query whose judgments are all 0 (it scores 0).
 *    A run query with no judgments is ignored. A judged query missing from
 *    the run is ignored, unless `complete` is set (trec_eval -c): then it
 *    scores 0 and counts in the means. Means are arithmetic over the
 *    evaluated queries. */
#ifndef LEDE_BENCH_TREC_H
#define LEDE_BENCH_TREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lede/status.h"

/* One line of a run (value = score) or qrels file (value = judgment). */
typedef struct trec_entry {
    char *qid;
    char *docno;
    double value;
    unsigned line; /* 1-based, for messages */
} trec_entry_t;

/* The lines of one file, in file order until trec_evaluate() sorts them. */
typedef struct trec_file {
    char *name; /* for messages */
    trec_entry_t *v;
    size_t n, cap;
} trec_file_t;

/* Reads a run or qrels file from f; `name` is used in messages. On
 * failure returns a status with "name:line: reason" in err. Either way the
 * caller frees out with trec_file_free(). */
lede_status_t trec_read_run(FILE *f, const char *name, trec_file_t *out, lede_err_t *err);
lede_status_t trec_read_qrels(FILE *f, const char *name, trec_file_t *out, lede_err_t *err);

void trec_file_free(trec_file_t *f);

typedef struct trec_measures {
    double ndcg_cut_10, map, p_10, recall_100;
    size_t num_ret, num_rel, num_rel_ret;
} trec_measures_t;

typedef struct trec_query {
    char *qid; /* borrowed from the files evaluated */
    trec_measures_t m;
} trec_query_t;

typedef struct trec_results {
    trec_query_t *queries; /* evaluated queries, by qid in strcmp() order */
    size_t n;
    trec_measures_t mean; /* num_* are totals, the rest means */
} trec_results_t;

/* Evaluates run against qrels (both are sorted in place). Fails with a
 * message in err on a duplicate document in one query, or when no query
 * is both in the run and the qrels. The results borrow qids from run and
 * qrels; the caller frees them with trec_results_free(). */
lede_status_t trec_evaluate(trec_file_t *qrels, trec_file_t *run, bool complete,
                            trec_results_t *out, lede_err_t *err);

void trec_results_free(trec_results_t *r);

/* The measures of one query from the judgments of its retrieved
 * documents in rank order (rels[0..n_ret): the judgment, or a negative
 * number for an unjudged document) and every judgment of the query
 * (judged[0..n_judged)). */
void trec_measure(const double *rels, size_t n_ret, const double *judged, size_t n_judged,
                  trec_measures_t *out);

#endif
