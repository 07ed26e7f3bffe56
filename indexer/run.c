/* The jobs of lede-indexer: a bulk build (parallel shards merged into a new
 * generation), a direct update of the live index, and deletes. */
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furniture.h"
#include "index_dir.h"
#include "ingest.h"
#include "lede/shim.h"
#include "merge.h"
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
    index_dir_t dir;
    input_t in;
    rejects_t *rejects;
    progress_t progress;
    counts_t counts;
    ex_learned_t *learned;               /* site furniture for this run's pages */
    char build_tmp[INDEX_PATH_MAX + 32]; /* a bulk run's build area, while it exists */
    char build_gen[INDEX_PATH_MAX + 32]; /* the generation it builds, until published */
    lede_err_t err;                      /* why the run failed */
} index_run_t;

/* The run under way, for on_fatal(). */
static index_run_t *running;

/* Ends the run with the message in j->err: EXIT_FAILED. */
static int stop(index_run_t *j) {
    progress_clear(&j->progress);
    fprintf(stderr, "lede-indexer: %s\n", j->err.msg);
    return EXIT_FAILED;
}

/* Xapian ended the process on a write error (see shim_set_fatal_handler):
 * say why, remove what this run built, and stop. The live generation is as
 * it was; what a direct update wrote into it is given back by the next
 * run (see reclaim_live). */
static void on_fatal(const char *why) {
    index_run_t *j = running;
    if (j) progress_clear(&j->progress);
    fprintf(stderr, "lede-indexer: %s (Xapian stopped the run)", why);
    if (j && j->build_tmp[0]) index_dir_rmtree(j->build_tmp);
    if (j && j->build_gen[0]) index_dir_rmtree(j->build_gen);
    if (j) fprintf(stderr, "; the index at %s is unchanged", j->dir.path);
    fputc('\n', stderr);
    fflush(stderr);
    _exit(EXIT_FAILED);
}

/* Fails the run with j->err (or, when a failure deep in the reader came
 * without one, what st says), adding that the index is as it was. */
static int unchanged(index_run_t *j, lede_status_t st) {
    lede_err_t why = j->err;
    if (why.msg[0] == '\0')
        lede_errf(&why, st, "%s", st == LEDE_E_NOMEM ? "out of memory" : lede_status_to_string(st));
    lede_errf(&j->err, st, "%s; the index at %s is unchanged", why.msg, j->dir.path);
    return stop(j);
}

static bool use_direct(const index_run_t *j) {
    if (j->o->rebuild || j->dir.live_gen == 0) return false;
    if (j->o->mode != UPDATE_AUTO) return j->o->mode == UPDATE_DIRECT;
    if (!j->in.size_known) return false;
    return j->in.total_bytes * DIRECT_INPUT_FRACTION <
           index_dir_gen_bytes(&j->dir, j->dir.live_gen);
}

/* ---- reporting ---------------------------------------------------------- */

/* ctx is a bulk_ctx_t or a direct_ctx_t; both begin with the run. */
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

static int exit_status(index_run_t *j) {
    j->counts.rejected = rejects_count(j->rejects);
    lede_status_t st = rejects_close(j->rejects, &j->err);
    j->rejects = NULL;
    summary(j);
    if (st != LEDE_OK) return stop(j);
    return j->counts.rejected ? EXIT_REJECTS : EXIT_INDEXED;
}

/* ---- bulk: parallel shards, merged into a new generation ----------------- */

typedef struct {
    index_run_t *j; /* first: see oversize() */
    pipeline_t *p;
    bool refused; /* the pipeline refused a record: its error is the cause */
} bulk_ctx_t;

static lede_status_t bulk_record(void *ctx, record_t *rec) {
    bulk_ctx_t *b = ctx;
    lede_status_t st = pipeline_push(b->p, rec);
    b->refused = st != LEDE_OK;
    progress_update(&b->j->progress, &b->j->in, pipeline_docs(b->p));
    return st;
}

static void free_shards(char **shards, size_t n) {
    for (size_t i = 0; i < n; i++) free(shards[i]);
    free(shards);
}

static lede_status_t build_shards(index_run_t *j, const char *tmp, unsigned gen, char ***shards,
                                  size_t *n) {
    /* Spelling data is built once from the merged vocabulary (see merge). */
    pipeline_opts_t po = {.threads = j->o->threads,
                          .build_dir = tmp,
                          .language = j->o->language,
                          .spelling = false,
                          .shard_docs = j->o->shard_docs,
                          .stamp_base = (uint64_t)gen << STAMP_GEN_SHIFT,
                          .rejects = j->rejects,
                          .learned = j->learned,
                          .keep_text = j->o->keep_text};
    pipeline_t *p;
    if (pipeline_start(&po, &p) != LEDE_OK)
        return lede_errf(&j->err, LEDE_E_NOMEM, "cannot start threads");
    bulk_ctx_t ctx = {j, p, false};
    input_sink_t sink = {bulk_record, oversize, unreadable, skipped, &ctx, false};
    lede_status_t scan = input_scan(&j->in, j->o->args, j->o->n_args, &sink, &j->err);
    lede_err_t perr;
    /* The shards are handed over even when reading failed: the caller
     * frees them. */
    lede_status_t st = pipeline_finish(p, shards, n, &j->counts.written, &perr);
    /* Reading stops when a worker fails; the worker's error says why. */
    if (st != LEDE_OK && (scan == LEDE_OK || ctx.refused)) j->err = perr;
    return scan != LEDE_OK ? scan : st;
}

/* Documents in the live generation; -1 when it cannot be read. */
static long live_doccount(const index_run_t *j) {
    char path[INDEX_PATH_MAX + 32], *msg = NULL;
    shim_db_t *db = NULL;
    shim_stats_t stats = {0};
    index_dir_gen_path(&j->dir, j->dir.live_gen, path, sizeof path);
    bool ok = shim_db_open(path, &db, &msg) == LEDE_OK && shim_db_stats(db, &stats) == LEDE_OK;
    shim_db_close(db);
    free(msg);
    return ok ? (long)stats.doccount : -1;
}

/* A --rebuild whose input gave no documents would swap an empty index in
 * for the live one, which is more likely a wrong path or a failed export
 * than what was meant: it takes --allow-empty. */
static lede_status_t refuse_emptying(index_run_t *j) {
    if (!j->o->rebuild || j->o->allow_empty || j->counts.written > 0 || j->dir.live_gen == 0)
        return LEDE_OK;
    long live = live_doccount(j);
    if (live == 0) return LEDE_OK;
    char docs[32] = "";
    if (live > 0) snprintf(docs, sizeof docs, " %ld", live);
    return lede_errf(&j->err, LEDE_E_INVALID,
                     "--rebuild: the input gave no documents; it would replace the%s documents "
                     "of the index with none (give --allow-empty to do that)",
                     docs);
}

/* An index with no documents, when every record was rejected. */
static lede_status_t make_empty(index_run_t *j, const char *path) {
    shim_writer_t *w;
    char *msg = NULL;
    shim_writer_opts_t wo = {.path = path, .flags = SHIM_WRITER_FRESH, .language = j->o->language};
    lede_status_t st = shim_writer_open(&wo, &w, &msg);
    if (st == LEDE_OK) st = shim_writer_close(w, false, &msg);
    if (st != LEDE_OK) lede_errf(&j->err, st, "%s: %s", path, msg ? msg : "out of memory");
    free(msg);
    return st;
}

static lede_status_t merge(index_run_t *j, const char *tmp, char **shards, size_t n,
                           const char *dst) {
    char live[INDEX_PATH_MAX + 32];
    bool with_live = !j->o->rebuild && j->dir.live_gen;
    if (with_live) index_dir_gen_path(&j->dir, j->dir.live_gen, live, sizeof live);
    if (!with_live && n == 0) return make_empty(j, dst);
    merge_job_t m = {.tmp = tmp,
                     .live = with_live ? live : NULL,
                     .shards = shards,
                     .n_shards = n,
                     .spelling = j->o->spelling,
                     .progress = &j->progress};
    uint64_t removed = 0;
    lede_status_t st = merge_run(&m, dst, &removed, &j->err);
    j->counts.replaced = removed;
    j->counts.added = j->counts.written - removed;
    return st;
}

static int run_bulk(index_run_t *j) {
    char *tmp = j->build_tmp, *gen_path = j->build_gen;
    unsigned gen = j->dir.live_gen + 1;
    char **shards = NULL;
    size_t n = 0;
    index_dir_tmp_path(&j->dir, tmp, sizeof j->build_tmp);
    index_dir_gen_path(&j->dir, gen, gen_path, sizeof j->build_gen);
    if (mkdir(tmp, 0755) != 0) {
        lede_errf(&j->err, LEDE_E_IO, "cannot create %s: %s", tmp, strerror(errno));
        return stop(j);
    }
    lede_status_t st = build_shards(j, tmp, gen, &shards, &n);
    if (st == LEDE_OK) st = refuse_emptying(j);
    if (st == LEDE_OK) st = merge(j, tmp, shards, n, gen_path);
    free_shards(shards, n);
    index_dir_rmtree(tmp);
    tmp[0] = '\0';
    if (st == LEDE_OK) st = rejects_flush(j->rejects, &j->err);
    if (st == LEDE_OK) st = furniture_store_at(gen_path, j->learned, &j->err);
    if (st == LEDE_OK) st = index_dir_publish(&j->dir, gen, &j->err);
    if (st != LEDE_OK) index_dir_rmtree(gen_path);
    gen_path[0] = '\0';
    return st == LEDE_OK ? exit_status(j) : unchanged(j, st);
}

/* ---- direct: upserts into the live generation, in one transaction --------- */

typedef struct {
    index_run_t *j; /* first: see oversize() */
    shim_writer_t *w;
    ingest_t ingest; /* writes through upsert_live() */
} direct_ctx_t;

static lede_status_t upsert_live(void *ctx, const record_t *rec, const shim_doc_t *doc,
                                 lede_err_t *err) {
    direct_ctx_t *d = ctx;
    lede_status_t st = shim_writer_upsert(d->w, doc);
    if (st != LEDE_OK) return lede_errf(err, st, "%s: %s", rec->file, shim_writer_errmsg(d->w));
    d->j->counts.written++;
    return LEDE_OK;
}

static lede_status_t direct_record(void *ctx, record_t *rec) {
    direct_ctx_t *d = ctx;
    lede_err_t err;
    lede_status_t st = ingest_record(&d->ingest, rec, &err);
    if (st != LEDE_OK) d->j->err = err;
    free(rec->bytes);
    free(rec->base_id);
    progress_update(&d->j->progress, &d->j->in, d->j->counts.written);
    return st;
}

static lede_status_t open_live(index_run_t *j, shim_writer_t **w) {
    char path[INDEX_PATH_MAX + 32], *msg = NULL;
    index_dir_gen_path(&j->dir, j->dir.live_gen, path, sizeof path);
    shim_writer_opts_t wo = {.path = path, .language = j->o->language, .spelling = j->o->spelling};
    lede_status_t st = shim_writer_open(&wo, w, &msg);
    if (st != LEDE_OK) lede_errf(&j->err, st, "%s: %s", path, msg ? msg : "out of memory");
    free(msg);
    return st;
}

/* Commits the live writer's transaction when st is OK, discards it
 * otherwise; false (with j->err set) when anything failed. */
static bool close_live(index_run_t *j, shim_writer_t *w, lede_status_t st) {
    char *msg = NULL;
    lede_status_t closed = shim_writer_close(w, st != LEDE_OK, &msg);
    if (st == LEDE_OK && closed != LEDE_OK)
        lede_errf(&j->err, closed, "committing: %s", msg ? msg : "out of memory");
    free(msg);
    return st == LEDE_OK && closed == LEDE_OK;
}

static int finish_direct(index_run_t *j, shim_writer_t *w, lede_status_t st, uint32_t before) {
    uint32_t after = shim_writer_doccount(w);
    if (st == LEDE_OK) st = rejects_flush(j->rejects, &j->err);
    if (!close_live(j, w, st)) return unchanged(j, st);
    j->counts.added = after > before ? after - before : 0;
    j->counts.replaced = j->counts.written - j->counts.added;
    return exit_status(j);
}

static int run_direct(index_run_t *j) {
    shim_writer_t *w;
    if (open_live(j, &w) != LEDE_OK) return stop(j);
    uint32_t before = shim_writer_doccount(w);
    direct_ctx_t ctx = {j,
                        w,
                        {.learned = j->learned,
                         .keep_text = j->o->keep_text,
                         .stamp_base = (uint64_t)j->dir.live_gen << STAMP_GEN_SHIFT,
                         .rejects = j->rejects,
                         .write = upsert_live,
                         .ctx = &ctx}};
    input_sink_t sink = {direct_record, oversize, unreadable, skipped, &ctx, false};
    lede_status_t st = input_scan(&j->in, j->o->args, j->o->n_args, &sink, &j->err);
    if (st == LEDE_OK && (st = furniture_store(w, j->learned)) != LEDE_OK)
        lede_errf(&j->err, st, "storing the learnt site furniture: %s", shim_writer_errmsg(w));
    return finish_direct(j, w, st, before);
}

/* ---- delete ------------------------------------------------------------------ */

static int run_delete(index_run_t *j) {
    shim_writer_t *w;
    if (j->dir.live_gen == 0) {
        lede_errf(&j->err, LEDE_E_OPEN, "no index at %s to delete from", j->dir.path);
        return stop(j);
    }
    if (open_live(j, &w) != LEDE_OK) return stop(j);
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; i < j->o->n_args && st == LEDE_OK; i++) {
        bool found = false;
        st = shim_writer_delete(w, j->o->args[i], &found);
        if (st != LEDE_OK)
            lede_errf(&j->err, st, "deleting %s: %s", j->o->args[i], shim_writer_errmsg(w));
        if (st == LEDE_OK && !found) {
            j->counts.missing++;
            if (!j->o->quiet)
                fprintf(stderr, "lede-indexer: no document with id '%s'\n", j->o->args[i]);
        }
    }
    if (!close_live(j, w, st)) return unchanged(j, st);
    j->counts.deleted = j->o->n_args - j->counts.missing;
    return exit_status(j);
}

/* ---- entry ------------------------------------------------------------------- */

/* The site furniture of this run: what the live index learnt (unless the
 * run rebuilds it) and this run's pages. */
static lede_status_t learn(index_run_t *j) {
    char live[INDEX_PATH_MAX + 32];
    bool with_live = !j->o->rebuild && j->dir.live_gen;
    if (with_live) index_dir_gen_path(&j->dir, j->dir.live_gen, live, sizeof live);
    return furniture_learn(with_live ? live : NULL, j->o->args, j->o->n_args, j->o->max_doc_bytes,
                           &j->learned, &j->err);
}

/* A direct update or delete that died (kill -9, or Xapian aborting on a
 * full disk) leaves the live generation grown by what its transaction
 * wrote; that space is given back before anything else needs room. A
 * failure here is not fatal: a --rebuild, say, does not need the old
 * generation at all. */
static void reclaim_live(index_run_t *j) {
    char path[INDEX_PATH_MAX + 32], *msg = NULL;
    if (j->dir.live_gen == 0) return;
    index_dir_gen_path(&j->dir, j->dir.live_gen, path, sizeof path);
    if (shim_db_reclaim(path, NULL, &msg) != LEDE_OK)
        fprintf(stderr,
                "lede-indexer: warning: %s: cannot give back what an interrupted run took: %s\n",
                path, msg ? msg : "out of memory");
    free(msg);
}

static bool show_progress(const indexer_opts_t *o) {
    if (o->quiet) return false;
    return o->progress < 0 ? isatty(STDERR_FILENO) : o->progress > 0;
}

int indexer_run(const indexer_opts_t *o) {
    index_run_t j = {.o = o};
    int status;
    /* A file-size limit should fail a write, which is reported, not kill us. */
    signal(SIGXFSZ, SIG_IGN);
    shim_set_fatal_handler(on_fatal);
    progress_init(&j.progress, show_progress(o));
    if (!o->delete_ids &&
        input_prepare(&j.in, o->args, o->n_args, o->max_doc_bytes, &j.err) != LEDE_OK)
        return stop(&j);
    if (rejects_open(o->rejects, &j.rejects, &j.err) != LEDE_OK) return stop(&j);
    if (index_dir_open(&j.dir, o->db, &j.err) != LEDE_OK) {
        rejects_close(j.rejects, &j.err);
        return stop(&j);
    }
    running = &j;
    reclaim_live(&j);
    if (o->delete_ids)
        status = run_delete(&j);
    else if (learn(&j) != LEDE_OK)
        status = stop(&j);
    else
        status = use_direct(&j) ? run_direct(&j) : run_bulk(&j);
    ex_learned_free(j.learned);
    running = NULL;
    if (j.rejects) rejects_close(j.rejects, &j.err);
    index_dir_close(&j.dir);
    input_free(&j.in);
    return status;
}
