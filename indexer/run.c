/* The jobs of lede-indexer on an unsharded index: a bulk build (parallel
 * shards merged into a new generation), a direct update of the live index,
 * and deletes; and the entry that picks the sharded ones (run_shards.h). */
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
#include "job.h"
#include "lede/shim.h"
#include "merge.h"
#include "run_shards.h"
#include "shards.h"
#include "watch.h"

/* The run under way, for on_fatal(). */
static index_run_t *running;

/* Xapian ended the process on a write error (see shim_set_fatal_handler):
 * say why, remove what this run built, and stop. The live generation is as
 * it was; what a direct update wrote into it is given back by the next
 * run (see job_reclaim); a sharded run's unpublished generations are
 * removed by the next run (index_dir_open). */
static void on_fatal(const char *why) {
    index_run_t *j = running;
    if (j) progress_clear(&j->progress);
    fprintf(stderr, "lede-indexer: %s (Xapian stopped the run)", why);
    if (j && j->build_tmp[0]) index_dir_rmtree(j->build_tmp);
    if (j && j->build_gen[0]) index_dir_rmtree(j->build_gen);
    if (j && j->partial)
        fprintf(stderr, "; some shards of %s were updated: run the same command again",
                j->dir.path);
    else if (j)
        fprintf(stderr, "; the index at %s is unchanged", j->dir.path);
    fputc('\n', stderr);
    fflush(stderr);
    _exit(EXIT_FAILED);
}

static bool use_direct(const index_run_t *j) {
    if (j->o->rebuild || j->dir.live_gen == 0) return false;
    if (j->o->mode != UPDATE_AUTO) return j->o->mode == UPDATE_DIRECT;
    if (!j->in.size_known) return false;
    return j->in.total_bytes * DIRECT_INPUT_FRACTION <
           index_dir_gen_bytes(&j->dir, j->dir.live_gen);
}

/* ---- bulk: parallel shards, merged into a new generation ----------------- */

static lede_status_t merge(index_run_t *j, const char *tmp, pipeline_shards_t *shards,
                           const char *dst) {
    char live[INDEX_PATH_MAX + 32];
    bool with_live = !j->o->rebuild && j->dir.live_gen;
    if (with_live) index_dir_gen_path(&j->dir, j->dir.live_gen, live, sizeof live);
    if (!with_live && shards->n == 0) return job_make_empty(dst, j->o->language, &j->err);
    merge_job_t m = {.tmp = tmp,
                     .live = with_live ? live : NULL,
                     .shards = shards->paths,
                     .n_shards = shards->n,
                     .spelling = j->o->spelling,
                     .progress = &j->progress};
    uint64_t removed = 0;
    lede_status_t st = merge_run(&m, dst, &removed, &j->err);
    j->counts.replaced = removed;
    j->counts.added = j->counts.written - removed;
    return st;
}

/* Documents in the live generation; -1 when it cannot be read. */
static long live_doccount(const index_run_t *j) {
    char path[INDEX_PATH_MAX + 32];
    if (j->dir.live_gen == 0) return 0;
    index_dir_gen_path(&j->dir, j->dir.live_gen, path, sizeof path);
    return job_doccount(path);
}

static int run_bulk(index_run_t *j) {
    char *tmp = j->build_tmp, *gen_path = j->build_gen;
    unsigned gen = j->dir.live_gen + 1;
    pipeline_shards_t shards;
    index_dir_tmp_path(&j->dir, tmp, sizeof j->build_tmp);
    index_dir_gen_path(&j->dir, gen, gen_path, sizeof j->build_gen);
    if (mkdir(tmp, 0755) != 0) {
        lede_errf(&j->err, LEDE_E_IO, "cannot create %s: %s", tmp, strerror(errno));
        return job_stop(j);
    }
    lede_status_t st = job_build(j, tmp, gen, 0, &shards);
    if (st == LEDE_OK && j->o->rebuild && j->counts.written == 0)
        st = job_refuse_emptying(j, live_doccount(j));
    if (st == LEDE_OK) st = merge(j, tmp, &shards, gen_path);
    pipeline_shards_free(&shards);
    index_dir_rmtree(tmp);
    tmp[0] = '\0';
    if (st == LEDE_OK) st = rejects_flush(j->rejects, &j->err);
    if (st == LEDE_OK) st = furniture_store_at(gen_path, j->learned, &j->err);
    if (st == LEDE_OK) st = index_dir_publish(&j->dir, gen, &j->err);
    if (st != LEDE_OK) index_dir_rmtree(gen_path);
    gen_path[0] = '\0';
    return st == LEDE_OK ? job_exit_status(j) : job_unchanged(j, st);
}

/* ---- direct: upserts into the live generation, in one transaction --------- */

typedef struct {
    index_run_t *j; /* first: see job_sink() */
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
    return job_ingest(d->j, &d->ingest, rec);
}

static lede_status_t open_live(index_run_t *j, shim_writer_t **w) {
    char path[INDEX_PATH_MAX + 32];
    index_dir_gen_path(&j->dir, j->dir.live_gen, path, sizeof path);
    return job_open_writer(j, path, j->o->spelling, w);
}

static int finish_direct(index_run_t *j, shim_writer_t *w, lede_status_t st, uint32_t before) {
    uint32_t after = shim_writer_doccount(w);
    if (st == LEDE_OK) st = rejects_flush(j->rejects, &j->err);
    if (!job_close_writer(j, w, st)) return job_unchanged(j, st);
    j->counts.added = after > before ? after - before : 0;
    j->counts.replaced = j->counts.written - j->counts.added;
    return job_exit_status(j);
}

static int run_direct(index_run_t *j) {
    shim_writer_t *w;
    if (open_live(j, &w) != LEDE_OK) return job_stop(j);
    uint32_t before = shim_writer_doccount(w);
    direct_ctx_t ctx = {j,
                        w,
                        {.learned = j->learned,
                         .keep_text = j->o->keep_text,
                         .stamp_base = (uint64_t)j->dir.live_gen << STAMP_GEN_SHIFT,
                         .rejects = j->rejects,
                         .write = upsert_live,
                         .ctx = &ctx}};
    input_sink_t sink = job_sink(direct_record, &ctx);
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
        return job_stop(j);
    }
    if (open_live(j, &w) != LEDE_OK) return job_stop(j);
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
    if (!job_close_writer(j, w, st)) return job_unchanged(j, st);
    j->counts.deleted = j->o->n_args - j->counts.missing;
    return job_exit_status(j);
}

/* ---- entry ------------------------------------------------------------------- */

/* The site furniture of this run: what the live index learnt (unless the
 * run rebuilds it) and this run's pages. */
static lede_status_t learn(index_run_t *j) {
    char live[INDEX_PATH_MAX + 32];
    bool with_live = !j->o->rebuild && j->dir.live_gen;
    if (with_live) index_dir_gen_path(&j->dir, j->dir.live_gen, live, sizeof live);
    return furniture_learn(with_live ? live : NULL, NULL, j->o->args, j->o->n_args,
                           j->o->max_doc_bytes, &j->learned, &j->err);
}

static int run_unsharded(index_run_t *j) {
    job_reclaim(&j->dir);
    if (j->o->delete_ids) return run_delete(j);
    if (learn(j) != LEDE_OK) return job_stop(j);
    if (j->o->watch || j->o->follow) return watch_run(j, NULL);
    return use_direct(j) ? run_direct(j) : run_bulk(j);
}

static bool show_progress(const indexer_opts_t *o) {
    if (o->quiet) return false;
    return o->progress < 0 ? isatty(STDERR_FILENO) : o->progress > 0;
}

/* Xapian's writers read XAPIAN_MAX_CHANGESETS when they open a database:
 * with it, each commit also writes a changeset that xapian-replicate can
 * send instead of a full copy. Set before any thread starts. */
static void keep_changesets(const indexer_opts_t *o) {
    char n[16];
    if (!o->changesets) return;
    snprintf(n, sizeof n, "%u", o->changesets);
    setenv("XAPIAN_MAX_CHANGESETS", n, 1);
}

static int run_in_dir(index_run_t *j) {
    lede_status_t st = run_shards_layout(j);
    if (st != LEDE_OK) return job_stop(j);
    return j->shards ? run_shards(j) : run_unsharded(j);
}

int indexer_run(const indexer_opts_t *o) {
    index_run_t j = {.o = o};
    int status;
    /* A file-size limit should fail a write, which is reported, not kill us. */
    signal(SIGXFSZ, SIG_IGN);
    shim_set_fatal_handler(on_fatal);
    keep_changesets(o);
    progress_init(&j.progress, show_progress(o));
    if (!o->delete_ids &&
        input_prepare(&j.in, o->args, o->n_args, o->max_doc_bytes, &j.err) != LEDE_OK)
        return job_stop(&j);
    if (rejects_open(o->rejects, &j.rejects, &j.err) != LEDE_OK) return job_stop(&j);
    if (index_dir_open(&j.dir, o->db, &j.err) != LEDE_OK) {
        rejects_close(j.rejects, &j.err);
        return job_stop(&j);
    }
    running = &j;
    status = run_in_dir(&j);
    ex_learned_free(j.learned);
    running = NULL;
    if (j.rejects) rejects_close(j.rejects, &j.err);
    index_dir_close(&j.dir);
    input_free(&j.in);
    return status;
}
