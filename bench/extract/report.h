/* report: a scored set as markdown (ready for bench/RESULTS.md) or JSON.
 *
 * Markdown: the indexer's summary line; a table of pass/total and % per
 * field for all pages (and whole and cut pages when the set has cut
 * ones); the invented values; tables per group and per host (hosts with
 * TALLY_HOST_MIN_PAGES pages or more); for html the mean body F1. With
 * failures: for each field, one line per failed page with what the truth
 * accepts and what the extractor gave, the pages without a document, and
 * the body F1 of each page, lowest first.
 *
 * JSON: the same figures and every page's verdicts, one object per set. */
#ifndef LEDE_EVAL_REPORT_H
#define LEDE_EVAL_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "evalset.h"

void report_markdown(FILE *out, const evalset_t *s, bool failures);

/* A new JSON object for the set; caller owns it. */
json_t *report_json(const evalset_t *s);

#endif
