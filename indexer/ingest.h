/* ingest: one record into an index, the same for the parallel build and a
 * direct update of the live index.
 *
 * The record is parsed into its articles (a JSON line is tidied unless
 * keep_text is set: see convert.h); a record that is not valid is reported
 * to the rejects and is no failure; each article becomes a document that
 * the caller's writer puts into its index. */
#ifndef LEDE_INGEST_H
#define LEDE_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "extract.h"
#include "input.h"
#include "lede/shim.h"
#include "lede/status.h"
#include "rejects.h"

/* Writes one document of rec (borrowed for the call); a failure, with its
 * message in err, stops the record and the run. */
typedef lede_status_t (*ingest_write_fn)(void *ctx, const record_t *rec, const shim_doc_t *doc,
                                         lede_err_t *err);

typedef struct ingest {
    const ex_learned_t *learned; /* site furniture for the page extractors; or NULL */
    bool keep_text;              /* JSON records stored as given (--keep-text) */
    uint64_t stamp_base;         /* added to each record's seq */
    rejects_t *rejects;          /* where invalid records are reported */
    ingest_write_fn write;
    void *ctx; /* the writer's */
} ingest_t;

/* Writes the documents of rec, or reports it as rejected. Fails, with the
 * reason in err, when memory runs out or the writer fails (the articles
 * before are written). rec's bytes stay the caller's. Safe to call from
 * several threads with an ingest_t each. */
lede_status_t ingest_record(const ingest_t *g, const record_t *rec, lede_err_t *err);

#endif
