/* Comparisons of token sequences (tokens.h). */
#include "tokens.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* True when tokens [from, from + want->n) of have are want's. */
static bool equal_at(const norm_tokens_t *have, size_t from, const norm_tokens_t *want, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(norm_token(have, from + i), norm_token(want, i)) != 0) return false;
    return true;
}

bool tokens_equal(const norm_tokens_t *a, const norm_tokens_t *b) {
    return a->n == b->n && equal_at(a, 0, b, b->n);
}

bool tokens_start_with(const norm_tokens_t *have, const norm_tokens_t *want) {
    return have->n >= want->n && equal_at(have, 0, want, want->n);
}

bool tokens_end_with(const norm_tokens_t *have, const norm_tokens_t *want) {
    return have->n >= want->n && equal_at(have, have->n - want->n, want, want->n);
}

bool tokens_contain(const norm_tokens_t *hay, const norm_tokens_t *needle, size_t n) {
    if (n > needle->n) n = needle->n;
    if (n == 0 || hay->n < n) return false;
    for (size_t i = 0; i + n <= hay->n; i++)
        if (equal_at(hay, i, needle, n)) return true;
    return false;
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The tokens of t as a sorted array of pointers into t. Caller frees. */
static const char **sorted(const norm_tokens_t *t) {
    const char **v = ev_xmalloc(t->n * sizeof *v);
    for (size_t i = 0; i < t->n; i++) v[i] = norm_token(t, i);
    qsort(v, t->n, sizeof *v, by_string);
    return v;
}

tokens_f1_t tokens_f1(const norm_tokens_t *got, const norm_tokens_t *want) {
    tokens_f1_t r = {0};
    if (got->n == 0 || want->n == 0) return r;
    const char **g = sorted(got), **w = sorted(want);
    size_t common = 0;
    for (size_t i = 0, j = 0; i < got->n && j < want->n;) {
        int c = strcmp(g[i], w[j]);
        if (c == 0) common++;
        i += c <= 0;
        j += c >= 0;
    }
    free(g);
    free(w);
    r.precision = (double)common / (double)got->n;
    r.recall = (double)common / (double)want->n;
    if (common > 0) r.f1 = 2 * r.precision * r.recall / (r.precision + r.recall);
    return r;
}
