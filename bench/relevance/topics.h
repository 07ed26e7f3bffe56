/* topics: the query file of a test collection in, a TREC run file out,
 * shared by lede-trecrun and lede-sphinxrun.
 *
 * The query file holds one query per line, "qid<TAB>query text" (the form
 * of ../shared/eval/<collection>/queries.tsv); blank lines are skipped. */
#ifndef LEDE_BENCH_TOPICS_H
#define LEDE_BENCH_TOPICS_H

#include <stdbool.h>
#include <stdio.h>

/* Runs one query and writes its run lines to out; false when it failed
 * (after printing why). */
typedef bool (*topics_fn)(const char *qid, const char *text, FILE *out, void *ctx);

/* Opens the run file at output (standard output when NULL), calls fn for
 * each query of the file at queries in file order, and closes the run
 * file. A malformed line stops the run with "tool: queries:LINE: reason".
 * Returns the exit status: 0 when every query ran and the run file was
 * written, 1 otherwise (after printing why). */
int topics_run(const char *tool, const char *queries, const char *output, topics_fn fn, void *ctx);

#endif
