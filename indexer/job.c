/* What the modes of a lede-indexer run share: reporting, the parallel
 * build, writers on a live generation (job.h). */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

int job_stop(index_run_t *j) {
    progress_clear(&j->progress);
    fprintf(stderr, "lede-indexer: %s\n", j->err.msg);
    return EXIT_FAILED;
}

int job_unchanged(index_run_t *j, lede_status_t st) {
    lede_err_t why = j->err;
    if (why.msg[0] == '\0')
        lede_errf(&why, st, "%s", st == LEDE_E_NOMEM ? "out of memory" : lede_status_to_string(st));
    if (j->partial)
        lede_errf(&j->err, st,
                  "%s; some shards of %s were updated and others not: run the same command "
                  "again",
                  why.msg, j->dir.path);
    else
        lede_errf(&j->err, st, "%s; the index at %s is unchanged", why.msg, j->dir.path);
    return job_stop(j);
}

/* ---- reporting ---------------------------------------------------------- */

/* ctx is the mode's context; it begins with the run. */
static void oversize(void *ctx, const char *file, uint64_t line, size_t len) {
    index_run_t *j = *(index_run_t **)ctx;
    char why[160];
    snprintf(why, sizeof why, "record of %zu bytes is over the limit of %zu (--max-doc-bytes)", len,
             j->o->max_doc_bytes);
    rejects_report(j->rejects, file, line, why, NULL, 0);
}

/* A file in a directory that could not be opened counts as a rejected
 * record: something the user gave was not indexed. */
static void unreadable(void *ctx, const char *path, const char *why) {
    index_run_t *j = *(index_run_t **)ctx;
    rejects_report(j->rejects, path, 0, why, NULL, 0);
}

static void skipped(void *ctx, const char *path, const char *why) {
    index_run_t *j = *(index_run_t **)ctx;
    if (j->o->quiet) return;
    progress_clear(&j->progress);
    fprintf(stderr, "lede-indexer: %s: skipped: %s\n", path, why);
}

input_sink_t job_sink(lede_status_t (*record)(void *ctx, record_t *rec), void *ctx) {
    return (input_sink_t){record, oversize, unreadable, skipped, ctx, false};
}

static void summary(index_run_t *j) {
    double secs = progress_now() - j->progress.start;
    progress_clear(&j->progress);
    if (j->o->quiet) return;
    printf("lede-indexer: added %llu, replaced %llu, deleted %llu, rejected %llu in %.2f s",
           (unsigned long long)j->counts.added, (unsigned long long)j->counts.replaced,
           (unsigned long long)j->counts.deleted, (unsigned long long)j->counts.rejected, secs);
    if (j->counts.written && secs > 0)
        printf(" (%.0f docs/s, %.2f MB/s)", (double)j->counts.written / secs,
               (double)j->in.text_bytes / secs / 1e6);
    if (j->counts.missing)
        printf("; %llu ids to delete were not found", (unsigned long long)j->counts.missing);
    putchar('\n');
}

int job_exit_status(index_run_t *j) {
    j->counts.rejected = rejects_count(j->rejects);
    lede_status_t st = rejects_close(j->rejects, &j->err);
    j->rejects = NULL;
    summary(j);
    if (st != LEDE_OK) return job_stop(j);
    return j->counts.rejected ? EXIT_REJECTS : EXIT_INDEXED;
}

lede_status_t job_ingest(index_run_t *j, const ingest_t *g, record_t *rec) {
    lede_err_t err;
    lede_status_t st = ingest_record(g, rec, &err);
    if (st != LEDE_OK) j->err = err;
    free(rec->bytes);
    free(rec->base_id);
    progress_update(&j->progress, &j->in, j->counts.written);
    return st;
}

/* ---- the parallel build ---------------------------------------------------- */

typedef struct {
    index_run_t *j; /* first: see job_sink() */
    pipeline_t *p;
    bool refused; /* the pipeline refused a record: its error is the cause */
} build_ctx_t;

static lede_status_t build_record(void *ctx, record_t *rec) {
    build_ctx_t *b = ctx;
    lede_status_t st = pipeline_push(b->p, rec);
    b->refused = st != LEDE_OK;
    progress_update(&b->j->progress, &b->j->in, pipeline_docs(b->p));
    return st;
}

lede_status_t job_build(index_run_t *j, const char *tmp, unsigned stamp_gen, unsigned routes,
                        pipeline_shards_t *out) {
    /* Spelling data is built once from the merged vocabulary (see merge). */
    pipeline_opts_t po = {.threads = j->o->threads,
                          .build_dir = tmp,
                          .language = j->o->language,
                          .spelling = false,
                          .shard_docs = j->o->shard_docs,
                          .routes = routes,
                          .stamp_base = (uint64_t)stamp_gen << STAMP_GEN_SHIFT,
                          .rejects = j->rejects,
                          .learned = j->learned,
                          .keep_text = j->o->keep_text};
    pipeline_t *p;
    *out = (pipeline_shards_t){0};
    if (pipeline_start(&po, &p) != LEDE_OK)
        return lede_errf(&j->err, LEDE_E_NOMEM, "cannot start threads");
    build_ctx_t ctx = {j, p, false};
    input_sink_t sink = job_sink(build_record, &ctx);
    lede_status_t scan = input_scan(&j->in, j->o->args, j->o->n_args, &sink, &j->err);
    lede_err_t perr;
    lede_status_t st = pipeline_finish(p, out, &j->counts.written, &perr);
    /* Reading stops when a worker fails; the worker's error says why. */
    if (st != LEDE_OK && (scan == LEDE_OK || ctx.refused)) j->err = perr;
    return scan != LEDE_OK ? scan : st;
}

/* ---- databases ------------------------------------------------------------- */

long job_doccount(const char *path) {
    char *msg = NULL;
    shim_db_t *db = NULL;
    shim_stats_t stats = {0};
    bool ok = shim_db_open(path, &db, &msg) == LEDE_OK && shim_db_stats(db, &stats) == LEDE_OK;
    shim_db_close(db);
    free(msg);
    return ok ? (long)stats.doccount : -1;
}

lede_status_t job_refuse_emptying(index_run_t *j, long live) {
    if (!j->o->rebuild || j->o->allow_empty || j->counts.written > 0 || live == 0) return LEDE_OK;
    char docs[32] = "";
    if (live > 0) snprintf(docs, sizeof docs, " %ld", live);
    return lede_errf(&j->err, LEDE_E_INVALID,
                     "--rebuild: the input gave no documents; it would replace the%s documents "
                     "of the index with none (give --allow-empty to do that)",
                     docs);
}

lede_status_t job_make_empty(const char *path, const char *language, lede_err_t *err) {
    shim_writer_t *w;
    char *msg = NULL;
    shim_writer_opts_t wo = {.path = path, .flags = SHIM_WRITER_FRESH, .language = language};
    lede_status_t st = shim_writer_open(&wo, &w, &msg);
    if (st == LEDE_OK) st = shim_writer_close(w, false, &msg);
    if (st != LEDE_OK) lede_errf(err, st, "%s: %s", path, msg ? msg : "out of memory");
    free(msg);
    return st;
}

lede_status_t job_open_writer(index_run_t *j, const char *path, bool spelling, shim_writer_t **w) {
    char *msg = NULL;
    shim_writer_opts_t wo = {.path = path, .language = j->o->language, .spelling = spelling};
    lede_status_t st = shim_writer_open(&wo, w, &msg);
    if (st != LEDE_OK) lede_errf(&j->err, st, "%s: %s", path, msg ? msg : "out of memory");
    free(msg);
    return st;
}

lede_status_t job_commit_writer(shim_writer_t *w, lede_err_t *err) {
    uint64_t before = shim_writer_spelling_skips(w, NULL);
    lede_status_t st = shim_writer_commit(w);
    if (st != LEDE_OK) return lede_errf(err, st, "committing: %s", shim_writer_errmsg(w));
    const char *why;
    uint64_t skips = shim_writer_spelling_skips(w, &why);
    if (skips > before)
        fprintf(stderr,
                "lede-indexer: warning: a batch was committed without its spelling data (%s, "
                "a Xapian 1.4 bug; %llu batches so far): its articles are indexed, but \"did "
                "you mean\" will not learn their new words\n",
                why, (unsigned long long)skips);
    return LEDE_OK;
}

bool job_close_writer(index_run_t *j, shim_writer_t *w, lede_status_t st) {
    char *msg = NULL;
    /* Committed first, for the warning above; closing then commits nothing. */
    if (st == LEDE_OK && job_commit_writer(w, &j->err) != LEDE_OK) {
        shim_writer_close(w, true, NULL);
        return false;
    }
    lede_status_t closed = shim_writer_close(w, st != LEDE_OK, &msg);
    if (st == LEDE_OK && closed != LEDE_OK)
        lede_errf(&j->err, closed, "committing: %s", msg ? msg : "out of memory");
    free(msg);
    return st == LEDE_OK && closed == LEDE_OK;
}

/* A direct update or delete that died (kill -9, or Xapian aborting on a
 * full disk) leaves the live generation grown by what its transaction
 * wrote; that space is given back before anything else needs room. A
 * failure here is not fatal: a --rebuild, say, does not need the old
 * generation at all. */
void job_reclaim(const index_dir_t *d) {
    char path[INDEX_PATH_MAX + 32], *msg = NULL;
    if (d->live_gen == 0) return;
    index_dir_gen_path(d, d->live_gen, path, sizeof path);
    if (shim_db_reclaim(path, NULL, &msg) != LEDE_OK)
        fprintf(stderr,
                "lede-indexer: warning: %s: cannot give back what an interrupted run took: %s\n",
                path, msg ? msg : "out of memory");
    free(msg);
}
