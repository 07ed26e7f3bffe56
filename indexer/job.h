/* job: one run of lede-indexer, as its modes share it: run.c for an
 * unsharded index, run_shards.c for a sharded one (shards.h). Private to
 * lede-indexer. */
#ifndef LEDE_INDEXER_JOB_H
#define LEDE_INDEXER_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "extract_learn.h"
#include "index_dir.h"
#include "ingest.h"
#include "input.h"
#include "lede/shim.h"
#include "options.h"
#include "pipeline.h"
#include "progress.h"
#include "rejects.h"

/* auto picks a direct update when the input is under 1/N of the index. */
#define DIRECT_INPUT_FRACTION 20

/* Ids are stamped with the generation in the high bits, so a document from
 * a later run always beats an older copy of the same id in a merge. */
#define STAMP_GEN_SHIFT 32

typedef struct counts {
    uint64_t written; /* documents written */
    uint64_t added;
    uint64_t replaced;
    uint64_t deleted;
    uint64_t missing; /* ids to delete that were not there */
    uint64_t rejected;
} counts_t;

/* One run of lede-indexer, from its options to its exit status. */
typedef struct index_run {
    const indexer_opts_t *o;
    index_dir_t dir; /* --db DIR */
    unsigned shards; /* shards of DIR (shards.h), or 0 for an unsharded index */
    input_t in;
    rejects_t *rejects;
    progress_t progress;
    counts_t counts;
    ex_learned_t *learned;               /* site furniture for this run's pages */
    char build_tmp[INDEX_PATH_MAX + 32]; /* a bulk run's build area, while it exists */
    char build_gen[INDEX_PATH_MAX + 32]; /* the generation it builds, until published */
    bool partial;                        /* some shards were changed, not all */
    lede_err_t err;                      /* why the run failed */
} index_run_t;

/* Ends the run with the message in j->err: EXIT_FAILED. */
int job_stop(index_run_t *j);

/* Fails the run with j->err (or, when a failure deep in the reader came
 * without one, what st says), adding that the index is as it was (or, for
 * a sharded run that changed some shards, that re-running converges). */
int job_unchanged(index_run_t *j, lede_status_t st);

/* Closes the rejects, prints the summary; the exit status of a run that
 * worked. */
int job_exit_status(index_run_t *j);

/* The sink of input_scan for a job: record with ctx, whose first member
 * must be the index_run_t *. */
input_sink_t job_sink(lede_status_t (*record)(void *ctx, record_t *rec), void *ctx);

/* Writes the documents of rec through g (ingest_record) for a mode that
 * writes in the reading thread; frees rec's bytes, keeps the reason of a
 * failure in j->err and updates the progress line. */
lede_status_t job_ingest(index_run_t *j, const ingest_t *g, record_t *rec);

/* Builds this run's input into build shards below tmp, each document
 * routed to one of `routes` index shards (0: no routing); stamp_gen is the
 * generation its stamps carry. out is the caller's to free. */
lede_status_t job_build(index_run_t *j, const char *tmp, unsigned stamp_gen, unsigned routes,
                        pipeline_shards_t *out);

/* Documents in the database at path; -1 when it cannot be read. */
long job_doccount(const char *path);

/* A --rebuild whose input gave no documents would swap an empty index in
 * for the live one (of live documents), which is more likely a wrong path
 * or a failed export than what was meant: it takes --allow-empty. */
lede_status_t job_refuse_emptying(index_run_t *j, long live);

/* An index with no documents at path, when every record was rejected.
 * Safe to call from several threads. */
lede_status_t job_make_empty(const char *path, const char *language, lede_err_t *err);

/* Opens a writer on the live generation at path (committed to in one
 * transaction by job_close_writer). */
lede_status_t job_open_writer(index_run_t *j, const char *path, bool spelling, shim_writer_t **w);

/* Commits w's transaction when st is OK, discards it otherwise; false
 * (with j->err set) when anything failed. */
bool job_close_writer(index_run_t *j, shim_writer_t *w, lede_status_t st);

/* Commits w; when Xapian's spelling bug made it commit the batch without
 * its spelling data (shim_writer_spelling_skips), warns on stderr. */
lede_status_t job_commit_writer(shim_writer_t *w, lede_err_t *err);

/* Gives back the space an interrupted direct update took in the live
 * generation of d (see shim_db_reclaim); a failure is only warned about. */
void job_reclaim(const index_dir_t *d);

#endif
