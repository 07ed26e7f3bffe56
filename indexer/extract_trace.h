/* extract_trace.h: what the page extractors decided, and why, for
 * `lede-indexer --explain`.
 *
 * An extractor given a trace records two things as it works: every block
 * of the page (a line or paragraph of a text page, an element of an HTML
 * page) with the role it was given and the reason, and every field of the
 * articles it made with where the value came from ("dateline", "JSON-LD
 * headline", "learned furniture"). Extraction without a trace records
 * nothing and costs nothing: every call below accepts a NULL trace.
 *
 * The trace keeps its own copies of everything. An allocation failure is
 * sticky: later calls do nothing and ex_trace_failed() says so, so the
 * extractors never have to check. */
#ifndef LEDE_EXTRACT_TRACE_H
#define LEDE_EXTRACT_TRACE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    EX_ROLE_BODY,      /* text of an article's body */
    EX_ROLE_TITLE,     /* an article's headline */
    EX_ROLE_META,      /* a byline, date, dateline, section or credit line */
    EX_ROLE_FURNITURE, /* site chrome: menus, share bars, notices, banners */
    EX_ROLE_CAPTION,   /* a photo or video caption, or its credit */
    EX_ROLE_SIDEBAR,   /* related links and teasers, unrelated stories */
    EX_ROLE_SKIPPED,   /* blank lines, separators, repeated copies, markup */
    EX_ROLE_COUNT
} ex_role_t;

/* "body", "title", "meta", ...; static storage. */
const char *ex_role_name(ex_role_t role);

typedef struct ex_trace ex_trace_t;

/* A new, empty trace; NULL when out of memory. Free with ex_trace_free(). */
ex_trace_t *ex_trace_new(void);
void ex_trace_free(ex_trace_t *t);

/* Records a block: where it is on the page ("line 12", "lines 3-5",
 * "<p> in <article>"), its text (at most the first EX_TRACE_TEXT_BYTES are
 * kept), its role, the article it went to (0 for the main one; ignored
 * for roles that belong to no article) and the reason. */
#define EX_TRACE_TEXT_BYTES 160
void ex_trace_block(ex_trace_t *t, const char *where, const char *text, size_t len, ex_role_t role,
                    size_t article, const char *reason_fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Records a field of article number `article` (0 = the main one): its
 * name ("title", "author", ...), value and origin. A field recorded twice
 * (an author list) keeps every value. */
void ex_trace_field(ex_trace_t *t, size_t article, const char *field, const char *value,
                    const char *origin_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records the page's format and a note about the whole page ("hard-wrapped
 * at 65 columns: lines joined into paragraphs"). */
void ex_trace_note(ex_trace_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool ex_trace_failed(const ex_trace_t *t);

/* Read access, for the printer (explain.c). Pointers are borrowed from
 * the trace and valid until it is freed. */
typedef struct {
    const char *where;
    const char *text; /* cut to EX_TRACE_TEXT_BYTES, on a character boundary */
    bool cut;         /* the text was longer */
    ex_role_t role;
    size_t article;
    const char *reason;
} ex_trace_block_t;

typedef struct {
    size_t article;
    const char *field;
    const char *value;
    const char *origin;
} ex_trace_field_t;

size_t ex_trace_n_blocks(const ex_trace_t *t);
const ex_trace_block_t *ex_trace_get_block(const ex_trace_t *t, size_t i);
size_t ex_trace_n_fields(const ex_trace_t *t);
const ex_trace_field_t *ex_trace_get_field(const ex_trace_t *t, size_t i);
size_t ex_trace_n_notes(const ex_trace_t *t);
const char *ex_trace_get_note(const ex_trace_t *t, size_t i);

#endif
