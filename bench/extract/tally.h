/* tally: the pages' verdicts added up, for all pages, whole and cut pages,
 * each `group` and each `host`. */
#ifndef LEDE_EVAL_TALLY_H
#define LEDE_EVAL_TALLY_H

#include <stddef.h>

#include "checks.h"

/* A site needs this many pages for its own column: fewer say nothing
 * about whether its repeated chrome is learnt. */
#define TALLY_HOST_MIN_PAGES 3

typedef struct tally_counts {
    size_t pass, total;
} tally_counts_t;

typedef struct tally_subset {
    char *name;
    size_t pages, missing;
    tally_counts_t f[CF_COUNT];
    tally_counts_t invented[CI_COUNT]; /* pass: pages with an invention */
    double f1_sum;
    size_t f1_pages;
} tally_subset_t;

typedef struct tally {
    tally_subset_t all, whole, cut;
    tally_subset_t *groups, *hosts; /* in order of first appearance */
    size_t n_groups, n_hosts;
} tally_t;

void tally_build(const check_page_t *pages, size_t n, tally_t *out);
void tally_free(tally_t *t);

/* 100 * pass / total; 0 when total is 0. */
double tally_percent(tally_counts_t c);

/* The mean F1 of the subset (0 without pages). */
double tally_f1(const tally_subset_t *s);

#endif
