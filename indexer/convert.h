/* convert: records to articles, articles to documents for the shim. */
#ifndef LEDE_CONVERT_H
#define LEDE_CONVERT_H

#include "extract.h"
#include "input.h"
#include "lede/article.h"
#include "lede/shim.h"

/* Parses a record into one article (a JSON line) or several (a page with
 * further stories); opts go to the page extractors and may be NULL. A
 * JSON line's article is tidied (tidy.h) unless keep_text is set.
 * *out is malloc'd; free with convert_free(). On LEDE_E_INVALID, err
 * says what was wrong. */
lede_status_t convert_record(const record_t *rec, const extract_opts_t *opts, bool keep_text,
                             lede_article_t **out, size_t *n, lede_err_t *err);

void convert_free(lede_article_t *arts, size_t n);

/* A document view of a: *data receives the stored JSON and the hit
 * summary in one block, which the caller frees (with free()) after using
 * doc. LEDE_E_NOMEM on failure. */
lede_status_t convert_document(const lede_article_t *a, uint64_t stamp, shim_doc_t *doc,
                               char **data);

#endif
