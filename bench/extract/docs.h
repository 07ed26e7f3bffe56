/* docs: a page's documents as lede-indexer stored them, read straight
 * from the index (shim_db_get) and parsed from the stored article JSON
 * (common/article.c: id, title, body, author[], source, category, date,
 * places[], ...). A page's main document has the page's id; the stories
 * split off it are ID#2, ID#3, ... */
#ifndef LEDE_EVAL_DOCS_H
#define LEDE_EVAL_DOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "lede/shim.h"
#include "util.h"

typedef struct doc {
    char *id;
    char *title, *body, *source, *category, *date; /* NULL when absent or "" */
    ev_strv_t authors, places;
} doc_t;

/* v[0] is the main document and v[1..n) the split-off items; n == 0 when
 * the index has no document with the page's id. */
typedef struct doc_page {
    doc_t *v;
    size_t n;
} doc_page_t;

/* Reads the documents of the page with this id: the main one, then ID#2,
 * ID#3, ... up to the first that is missing. false (with the id and the
 * reason in err) on a read error or a stored document that is not an
 * article; either way the caller frees out with docs_page_free(). db may
 * be NULL (no index): then every page is missing. */
bool docs_read_page(shim_db_t *db, const char *id, doc_page_t *out, char *err, size_t size);
void docs_page_free(doc_page_t *p);

/* Parses one stored article (exposed for the tests). false when data is
 * not a JSON object. */
bool docs_parse(const char *data, size_t len, doc_t *out);
void docs_free(doc_t *d);

#endif
