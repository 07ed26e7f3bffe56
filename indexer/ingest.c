/* One record into an index: its articles as documents, or a reject. */
#include "ingest.h"

#include <stdlib.h>

#include "convert.h"

static void reject(const ingest_t *g, const record_t *rec, const char *why) {
    /* A JSON line is kept (--rejects) to be fixed and fed again; a page is not. */
    bool raw = rec->kind == RECORD_JSON;
    rejects_report(g->rejects, rec->file, rec->line, why, raw ? rec->bytes : NULL,
                   raw ? rec->len : 0);
}

static lede_status_t write_article(const ingest_t *g, const record_t *rec, const lede_article_t *a,
                                   lede_err_t *err) {
    shim_doc_t doc;
    char *data;
    if (convert_document(a, g->stamp_base + rec->seq, &doc, &data) != LEDE_OK)
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    lede_status_t st = g->write(g->ctx, rec, &doc, err);
    free(data);
    return st;
}

lede_status_t ingest_record(const ingest_t *g, const record_t *rec, lede_err_t *err) {
    lede_article_t *arts;
    size_t n;
    lede_err_t why;
    extract_opts_t eo = {.learned = g->learned};
    lede_status_t st = convert_record(rec, &eo, g->keep_text, &arts, &n, &why);
    if (st == LEDE_E_INVALID) {
        reject(g, rec, why.msg);
        return LEDE_OK;
    }
    if (st != LEDE_OK)
        return lede_errf(err, st, "%s",
                         st == LEDE_E_NOMEM ? "out of memory" : lede_status_to_string(st));
    for (size_t i = 0; i < n && st == LEDE_OK; i++) st = write_article(g, rec, &arts[i], err);
    convert_free(arts, n); /* also when a write failed half-way through a page's articles */
    return st;
}
