/* forms: the normalised forms in which the checks compare values, made
 * once per page: a document's title, body, source and category as tokens,
 * its body as normalised paragraphs, its authors and places as sets; and
 * the truth's accepted values (a field and its alternatives) the same way.
 *
 * Titles, sources and categories compare as tokens; authors and places as
 * sets of normalised strings with trailing punctuation trimmed
 * (extraction-dev/README.md, "Scoring"). */
#ifndef LEDE_EVAL_FORMS_H
#define LEDE_EVAL_FORMS_H

#include <stdbool.h>

#include "docs.h"
#include "norm.h"
#include "util.h"

/* A set: sorted, without repeats. */
typedef ev_strv_t forms_set_t;

/* The set of the norm_trimmed() forms of values (empty ones dropped). */
void forms_set_of(const ev_strv_t *values, forms_set_t *out);
bool forms_set_equal(const forms_set_t *a, const forms_set_t *b);
bool forms_set_has(const forms_set_t *s, const char *trimmed);

typedef struct doc_forms {
    norm_tokens_t title, body, source, category;
    ev_strv_t paragraphs; /* norm_text() of each blank-line-separated block */
    forms_set_t authors, places;
} doc_forms_t;

void forms_of_doc(const doc_t *d, doc_forms_t *out);
void forms_doc_free(doc_forms_t *f);

/* The accepted token forms of a text field: the value (when not NULL) and
 * its alternatives. */
typedef struct forms_alts {
    norm_tokens_t *v;
    size_t n;
} forms_alts_t;

void forms_alts_of(const char *value, const ev_strv_t *alts, forms_alts_t *out);
bool forms_alts_match(const forms_alts_t *a, const norm_tokens_t *t);
void forms_alts_free(forms_alts_t *a);

/* The accepted sets of a set field: the value and its alternatives. */
typedef struct forms_sets {
    forms_set_t *v;
    size_t n;
} forms_sets_t;

void forms_sets_of(const ev_strv_t *value, const ev_strvv_t *alts, forms_sets_t *out);
bool forms_sets_match(const forms_sets_t *s, const forms_set_t *got);
/* True when some accepted set holds this (trimmed) value. */
bool forms_sets_hold(const forms_sets_t *s, const char *trimmed);
void forms_sets_free(forms_sets_t *s);

#endif
