/* tokens: comparisons of token sequences (norm.h), as the truth fields are
 * scored: equality, a first or last run of words, a run anywhere, and the
 * bag-of-words F1 of two texts. */
#ifndef LEDE_EVAL_TOKENS_H
#define LEDE_EVAL_TOKENS_H

#include <stdbool.h>

#include "norm.h"

bool tokens_equal(const norm_tokens_t *a, const norm_tokens_t *b);

/* True when the first (last) want->n tokens of have are want's. */
bool tokens_start_with(const norm_tokens_t *have, const norm_tokens_t *want);
bool tokens_end_with(const norm_tokens_t *have, const norm_tokens_t *want);

/* True when the first n tokens of needle (all when it has fewer) occur in
 * a row somewhere in hay. A needle without tokens is never found. */
bool tokens_contain(const norm_tokens_t *hay, const norm_tokens_t *needle, size_t n);

typedef struct tokens_f1 {
    double precision, recall, f1; /* 0 when either side has no token */
} tokens_f1_t;

/* Bag-of-words overlap of got against want: each token counts as many
 * times as it occurs in both. */
tokens_f1_t tokens_f1(const norm_tokens_t *got, const norm_tokens_t *want);

#endif
