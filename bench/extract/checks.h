/* checks: one page's documents against its truth, field by field, with
 * the rules of extraction-dev/README.md ("Scoring"):
 *
 *   title            equal tokens (title or a title_alt); not scored when
 *                    the truth has no title
 *   author, place    equal sets (trimmed of trailing punctuation), any alt
 *   date, time       see dates.h
 *   source           equal tokens (source or a source_alt); source_named:
 *                    the same, on pages with source_in_text only;
 *                    no_wrong_source: no source, or the right one
 *   category         equal tokens (category or a category_alt); none
 *                    when the truth has none
 *   body_start/_end  the main body's first/last N tokens are those of
 *                    first_body_words/last_body_words or an alt (N: the
 *                    number of tokens of that truth text)
 *   furniture,       (pages that list some) see leaks.h
 *   captions,
 *   meta_lines,
 *   sidebar_in_main
 *   sidebar_split    (pages with sidebar_items > 0) that many extra
 *                    documents
 *   no_stray_docs    (pages with sidebar_items == 0) no extra document
 *
 * A page without a document fails every field it is scored on. Fields the
 * truth lists as `unjudged` are not scored ("date" takes "time" with it,
 * "source" takes source_named and no_wrong_source).
 *
 * "Invented" values are counted apart: the extractor gave an author,
 * date, time, source, category or place where the truth has none and the
 * field failed (an accepted alternative is not an invention). */
#ifndef LEDE_EVAL_CHECKS_H
#define LEDE_EVAL_CHECKS_H

#include <stdbool.h>

#include "docs.h"
#include "tokens.h"
#include "truth.h"

typedef enum check_field {
    CF_TITLE,
    CF_AUTHOR,
    CF_DATE,
    CF_TIME,
    CF_SOURCE,
    CF_SOURCE_NAMED,
    CF_NO_WRONG_SOURCE,
    CF_CATEGORY,
    CF_PLACE,
    CF_BODY_START,
    CF_BODY_END,
    CF_FURNITURE,
    CF_CAPTIONS,
    CF_META_LINES,
    CF_SIDEBAR_IN_MAIN,
    CF_SIDEBAR_SPLIT,
    CF_NO_STRAY_DOCS,
    CF_COUNT
} check_field_t;

/* "title", "no_stray_docs", ... (static storage). */
const char *check_field_name(int field);
/* The field with this name, or -1. */
int check_field_by_name(const char *name);

typedef enum check_invent {
    CI_AUTHOR,
    CI_DATE,
    CI_TIME,
    CI_SOURCE,
    CI_CATEGORY,
    CI_PLACE,
    CI_COUNT
} check_invent_t;

const char *check_invent_name(int kind);
int check_invent_by_name(const char *name);

typedef enum check_verdict { CHECK_SKIP = 0, CHECK_PASS, CHECK_FAIL } check_verdict_t;

typedef struct check_result {
    check_verdict_t verdict;
    char *want, *got; /* on CHECK_FAIL: what the truth accepts and what the
                       * extractor gave, one line each; else NULL */
} check_result_t;

typedef struct check_page {
    const truth_page_t *truth; /* borrowed */
    size_t docs;               /* documents found; 0: the page is missing */
    check_result_t r[CF_COUNT];
    bool invent_scored[CI_COUNT]; /* the truth has no value for the field */
    bool invented[CI_COUNT];
    bool has_f1; /* a reference body was given */
    tokens_f1_t f1;
} check_page_t;

/* Scores one page. reference: the text of the page's reference body (for
 * the body F1), or NULL. Free out with check_page_free(). */
void check_page(const truth_page_t *t, const doc_page_t *docs, const char *reference,
                check_page_t *out);
void check_page_free(check_page_t *p);

/* Sets r to CHECK_PASS, or to CHECK_FAIL with want and got (each taken
 * over; freed when the verdict is a pass). */
void check_set(check_result_t *r, bool pass, char *want, char *got);

#endif
