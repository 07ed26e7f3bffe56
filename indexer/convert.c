/* Records to articles, and articles to shim documents. */
#include "convert.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "tidy.h"

lede_status_t convert_record(const record_t *rec, const extract_opts_t *opts, bool keep_text,
                             lede_article_t **out, size_t *n, lede_err_t *err) {
    *out = NULL;
    *n = 0;
    if (rec->kind == RECORD_TEXT)
        return extract_text(rec->bytes, rec->len, rec->base_id, opts, out, n, err);
    if (rec->kind == RECORD_HTML)
        return extract_html(rec->bytes, rec->len, rec->base_id, opts, out, n, err);
    lede_article_t *a = malloc(sizeof *a);
    if (!a) return LEDE_E_NOMEM;
    lede_status_t st = article_from_json(rec->bytes, rec->len, a, err);
    if (st == LEDE_OK && !keep_text && (st = tidy_article(a)) != LEDE_OK) {
        article_free(a);
        lede_errf(err, LEDE_E_NOMEM, "out of memory");
    }
    if (st != LEDE_OK) {
        free(a);
        return st;
    }
    *out = a;
    *n = 1;
    return LEDE_OK;
}

void convert_free(lede_article_t *arts, size_t n) {
    for (size_t i = 0; i < n; i++) article_free(&arts[i]);
    free(arts);
}

lede_status_t convert_document(const lede_article_t *a, uint64_t stamp, shim_doc_t *doc,
                               char **data) {
    size_t len = 0, summary_len = 0;
    char *whole = article_to_json(a, &len), *summary = article_summary_json(a, &summary_len);
    /* One block for both, so the caller frees one pointer. */
    *data = whole && summary ? malloc(len + summary_len + 2) : NULL;
    if (*data) {
        memcpy(*data, whole, len + 1);
        memcpy(*data + len + 1, summary, summary_len + 1);
    }
    free(whole);
    free(summary);
    if (!*data) return LEDE_E_NOMEM;
    *doc = (shim_doc_t){
        .id = a->id,
        /* A title made from the first sentence is shown, not indexed as a
         * title: its words are the body's and weigh as body words. */
        .title = a->title_from_body ? NULL : a->title,
        .body = a->body,
        .authors = (const char *const *)a->authors.v,
        .n_authors = a->authors.n,
        .source = a->source,
        .category = a->category,
        .tags = (const char *const *)a->tags.v,
        .n_tags = a->tags.n,
        .places = (const char *const *)a->places.v,
        .n_places = a->places.n,
        .date_key = a->date_key[0] ? a->date_key : NULL,
        .data = *data,
        .data_len = len,
        .summary = *data + len + 1,
        .summary_len = summary_len,
        .stamp = stamp,
    };
    return LEDE_OK;
}
