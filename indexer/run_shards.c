/* The jobs of lede-indexer on a sharded index (run_shards.h, shards.h). */
#include "run_shards.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furniture.h"
#include "ingest.h"
#include "merge.h"
#include "shards.h"
#include "watch.h"

/* A run on the shards of DIR. */
typedef struct sharded {
    index_run_t *j;
    shards_t s;
} sharded_t;

/* ---- layout ------------------------------------------------------------------ */

/* N as DIR/spelling records it, when DIR/XAPIANDB does not list the shards:
 * a first run that died before writing it. 0 when there is none. */
static unsigned recorded_shards(const index_run_t *j) {
    char path[INDEX_PATH_MAX + 32], *msg = NULL, *value = NULL;
    shim_db_t *db = NULL;
    unsigned long n = 0;
    snprintf(path, sizeof path, "%s/" SHARDS_SPELLING_NAME "/XAPIANDB", j->dir.path);
    if (access(path, F_OK) != 0) return 0;
    snprintf(path, sizeof path, "%s/" SHARDS_SPELLING_NAME, j->dir.path);
    if (shim_db_open(path, &db, &msg) == LEDE_OK &&
        shim_db_metadata(db, SHARDS_META_KEY, &value) == LEDE_OK)
        n = strtoul(value, NULL, 10);
    shim_db_close(db);
    free(value);
    free(msg);
    return n <= SHARDS_MAX ? (unsigned)n : 0;
}

lede_status_t run_shards_layout(index_run_t *j) {
    unsigned have = j->dir.shards ? j->dir.shards : j->dir.live_gen ? 0 : recorded_shards(j);
    unsigned want = j->o->shards;
    j->shards = want ? want : have;
    if (!want || j->o->rebuild) return LEDE_OK;
    if (j->dir.live_gen)
        return lede_errf(&j->err, LEDE_E_INVALID,
                         "%s is an unsharded index; give --rebuild to rebuild it as %u shards",
                         j->dir.path, want);
    if (have && have != want)
        return lede_errf(&j->err, LEDE_E_INVALID,
                         "%s has %u shards, not %u; give --rebuild to rebuild it as %u shards",
                         j->dir.path, have, want, want);
    return LEDE_OK;
}

/* Every shard and spelling have a live generation: what a direct update
 * and a delete need. */
static bool layout_live(const sharded_t *x) {
    for (unsigned k = 0; k < x->s.n; k++)
        if (!x->s.dirs[k].live_gen) return false;
    return x->s.spelling.live_gen != 0;
}

static void live_path(const index_dir_t *d, char *out, size_t size) {
    index_dir_gen_path(d, d->live_gen, out, size);
}

/* ---- bulk: a new generation for each shard that has new documents -------- */

/* One merge of a bulk run, into a new generation of a shard or of spelling;
 * the tasks of a run go in parallel, each with its own scratch directory. */
typedef struct merge_task {
    index_dir_t *dir;     /* where the generation goes */
    const char *language; /* for an empty one */
    char live[INDEX_PATH_MAX + 32];
    bool with_live;
    bool always;  /* a new generation even with no new sources */
    char **srcs;  /* the new databases (borrowed) */
    size_t n;     /* how many */
    unsigned gen; /* the generation built, 0 when none */
    char dst[INDEX_PATH_MAX + 32];
    char scratch[INDEX_PATH_MAX + 64];
    uint64_t removed;
    lede_status_t st;
    lede_err_t err;
} merge_task_t;

static void task_run(merge_task_t *t) {
    progress_t quiet = {0}; /* the progress line is not for threads */
    if (t->n == 0 && t->with_live && !t->always) return;
    t->gen = t->dir->live_gen + 1;
    index_dir_gen_path(t->dir, t->gen, t->dst, sizeof t->dst);
    if (t->n == 0 && !t->with_live) {
        t->st = job_make_empty(t->dst, t->language, &t->err);
        return;
    }
    if (mkdir(t->scratch, 0755) != 0) {
        t->st = lede_errf(&t->err, LEDE_E_IO, "cannot create %s: %s", t->scratch, strerror(errno));
        return;
    }
    merge_job_t m = {.tmp = t->scratch,
                     .live = t->with_live ? t->live : NULL,
                     .shards = t->srcs,
                     .n_shards = t->n,
                     .progress = &quiet};
    t->st = merge_run(&m, t->dst, &t->removed, &t->err);
}

typedef struct {
    merge_task_t *tasks;
    size_t n;
    atomic_size_t next;
} task_queue_t;

static void *task_worker(void *arg) {
    task_queue_t *q = arg;
    size_t i;
    while ((i = atomic_fetch_add(&q->next, 1)) < q->n) task_run(&q->tasks[i]);
    return NULL;
}

/* Runs the tasks on up to `threads` threads, this one included. */
static void tasks_run(merge_task_t *tasks, size_t n, unsigned threads) {
    task_queue_t q = {tasks, n, 0};
    pthread_t *extra = calloc(threads, sizeof *extra);
    unsigned started = 0;
    for (unsigned i = 1; extra && i < threads && i < n; i++)
        if (pthread_create(&extra[started], NULL, task_worker, &q) == 0) started++;
    task_worker(&q);
    for (unsigned i = 0; i < started; i++) pthread_join(extra[i], NULL);
    free(extra);
}

/* Task k < n merges shard k's live generation (unless --rebuild) with the
 * build shards routed to it; task n builds spelling's from its live
 * generation and spell (the new words), or "" for none. */
static merge_task_t *tasks_new(sharded_t *x, const char *tmp, pipeline_shards_t *built,
                               char *spell) {
    const index_run_t *j = x->j;
    merge_task_t *t = calloc(x->s.n + 1, sizeof *t);
    char **by_route = calloc(built->n + 1, sizeof *by_route);
    if (!t || !by_route) {
        free(t);
        free(by_route);
        return NULL;
    }
    for (unsigned k = 0; k <= x->s.n; k++) {
        t[k].dir = k < x->s.n ? &x->s.dirs[k] : &x->s.spelling;
        t[k].language = j->o->language;
        t[k].with_live = !j->o->rebuild && t[k].dir->live_gen;
        if (t[k].with_live) live_path(t[k].dir, t[k].live, sizeof t[k].live);
        snprintf(t[k].scratch, sizeof t[k].scratch, "%s/merge-%u", tmp, k);
        t[k].srcs = by_route;
        for (size_t i = 0; k < x->s.n && i < built->n; i++)
            if (built->routes[i] == k) *by_route++ = built->paths[i];
        t[k].n = (size_t)(by_route - t[k].srcs);
    }
    t[x->s.n].always = true;
    if (*spell) *by_route = spell, t[x->s.n].n = 1;
    return t;
}

/* The array tasks_new gave the sources lives at the first task's. */
static void tasks_free(merge_task_t *t) {
    if (t) free(t[0].srcs);
    free(t);
}

/* The spelling data of every new document, in one database below tmp
 * (spell, "" when there is none to make). */
static lede_status_t build_spelling(sharded_t *x, const char *tmp, const pipeline_shards_t *built,
                                    char *spell, size_t size) {
    index_run_t *j = x->j;
    char *msg = NULL;
    spell[0] = '\0';
    if (!j->o->spelling || built->n == 0) return LEDE_OK;
    snprintf(spell, size, "%s/spelling", tmp);
    progress_phase(&j->progress, "recording spelling data");
    lede_status_t st =
        shim_build_spelling(spell, (const char *const *)built->paths, built->n, NULL, &msg);
    if (st != LEDE_OK) lede_errf(&j->err, st, "%s: %s", spell, msg ? msg : "out of memory");
    free(msg);
    return st;
}

/* The first failed task's error, and the duplicates the others removed. */
static lede_status_t tasks_result(sharded_t *x, merge_task_t *t) {
    for (unsigned k = 0; k <= x->s.n; k++) {
        if (t[k].st != LEDE_OK) {
            x->j->err = t[k].err;
            return t[k].st;
        }
        x->j->counts.replaced += t[k].removed;
    }
    x->j->counts.added = x->j->counts.written - x->j->counts.replaced;
    return LEDE_OK;
}

/* Spelling's new generation also keeps the furniture and N. */
static lede_status_t finish_spelling(sharded_t *x, const merge_task_t *t) {
    index_run_t *j = x->j;
    shim_writer_t *w;
    char n[16];
    snprintf(n, sizeof n, "%u", x->s.n);
    lede_status_t st = job_open_writer(j, t->dst, false, &w);
    if (st != LEDE_OK) return st;
    if ((st = furniture_store(w, j->learned)) == LEDE_OK)
        st = shim_writer_set_metadata(w, SHARDS_META_KEY, n);
    if (st != LEDE_OK) lede_errf(&j->err, st, "%s: %s", t->dst, shim_writer_errmsg(w));
    return job_close_writer(j, w, st) ? LEDE_OK : LEDE_E_IO;
}

/* Shards first, spelling last (see shards.h), then DIR/XAPIANDB when the
 * layout is new. */
static lede_status_t publish(sharded_t *x, merge_task_t *t) {
    index_run_t *j = x->j;
    lede_status_t st = rejects_flush(j->rejects, &j->err);
    for (unsigned k = 0; k <= x->s.n && st == LEDE_OK; k++) {
        if (!t[k].gen) continue;
        st = index_dir_publish(t[k].dir, t[k].gen, &j->err);
        if (st == LEDE_OK) t[k].gen = 0, j->partial = true;
    }
    if (st == LEDE_OK && j->dir.shards != x->s.n)
        st = index_dir_publish_shards(&j->dir, x->s.n, &j->err);
    if (st == LEDE_OK) j->partial = false;
    return st;
}

static void remove_unpublished(const merge_task_t *t, unsigned n) {
    for (unsigned k = 0; k <= n; k++)
        if (t[k].gen) index_dir_rmtree(t[k].dst);
}

static lede_status_t merge_and_publish(sharded_t *x, const char *tmp, pipeline_shards_t *built) {
    char spell[INDEX_PATH_MAX + 48];
    lede_status_t st = build_spelling(x, tmp, built, spell, sizeof spell);
    if (st != LEDE_OK) return st;
    merge_task_t *t = tasks_new(x, tmp, built, spell);
    if (!t) return lede_errf(&x->j->err, LEDE_E_NOMEM, "out of memory");
    progress_phase(&x->j->progress, "merging the shards");
    tasks_run(t, x->s.n + 1, x->j->o->threads);
    st = tasks_result(x, t);
    if (st == LEDE_OK) st = finish_spelling(x, &t[x->s.n]);
    if (st == LEDE_OK) st = publish(x, t);
    remove_unpublished(t, x->s.n);
    tasks_free(t);
    return st;
}

static int bulk(sharded_t *x) {
    index_run_t *j = x->j;
    char *tmp = j->build_tmp;
    pipeline_shards_t built;
    index_dir_tmp_path(&j->dir, tmp, sizeof j->build_tmp);
    if (mkdir(tmp, 0755) != 0) {
        lede_errf(&j->err, LEDE_E_IO, "cannot create %s: %s", tmp, strerror(errno));
        return job_stop(j);
    }
    lede_status_t st = job_build(j, tmp, shards_max_gen(&x->s) + 1, x->s.n, &built);
    if (st == LEDE_OK && j->o->rebuild && j->counts.written == 0)
        st = job_refuse_emptying(j, j->dir.shards ? job_doccount(j->dir.path) : 0);
    if (st == LEDE_OK) st = merge_and_publish(x, tmp, &built);
    pipeline_shards_free(&built);
    index_dir_rmtree(tmp);
    tmp[0] = '\0';
    return st == LEDE_OK ? job_exit_status(j) : job_unchanged(j, st);
}

/* ---- direct updates and deletes: a transaction on each shard touched ------ */

typedef struct {
    index_run_t *j; /* first: see job_sink() */
    sharded_t *x;
    shim_writer_t **w; /* each shard's, opened when a document goes there */
    uint32_t *before;  /* its documents then */
    shim_writer_t *spell;
    ingest_t ingest; /* writes through upsert_routed() */
} routed_t;

static lede_status_t routed_init(routed_t *r, sharded_t *x) {
    *r = (routed_t){.j = x->j, .x = x};
    r->w = calloc(x->s.n, sizeof *r->w);
    r->before = calloc(x->s.n, sizeof *r->before);
    if (r->w && r->before) return LEDE_OK;
    return lede_errf(&x->j->err, LEDE_E_NOMEM, "out of memory");
}

static lede_status_t writer_for(routed_t *r, const char *id, shim_writer_t **w) {
    unsigned k = shards_route(id, r->x->s.n);
    char path[INDEX_PATH_MAX + 32];
    if (!r->w[k]) {
        live_path(&r->x->s.dirs[k], path, sizeof path);
        lede_status_t st = job_open_writer(r->j, path, false, &r->w[k]);
        if (st != LEDE_OK) return st;
        r->before[k] = shim_writer_doccount(r->w[k]);
    }
    *w = r->w[k];
    return LEDE_OK;
}

/* Commits (or, after a failure, discards) every transaction: the shards in
 * order, spelling last. False, with j->err set, when anything failed. */
static bool routed_close(routed_t *r, lede_status_t st) {
    bool ok = st == LEDE_OK;
    for (unsigned k = 0; k < r->x->s.n; k++) {
        if (!r->w[k]) continue;
        uint32_t after = shim_writer_doccount(r->w[k]);
        r->j->counts.added += after > r->before[k] ? after - r->before[k] : 0;
        ok = job_close_writer(r->j, r->w[k], ok ? LEDE_OK : LEDE_E_INTERNAL) && ok;
        if (ok) r->j->partial = true;
    }
    if (r->spell) ok = job_close_writer(r->j, r->spell, ok ? LEDE_OK : LEDE_E_INTERNAL) && ok;
    if (ok) r->j->partial = false;
    free(r->w);
    free(r->before);
    return ok;
}

/* The document goes into its shard; its words into spelling's data, as a
 * writer with spelling records them when it indexes a document, which is
 * then deleted: spelling holds no documents. */
static lede_status_t upsert_routed(void *ctx, const record_t *rec, const shim_doc_t *doc,
                                   lede_err_t *err) {
    routed_t *r = ctx;
    shim_writer_t *w;
    lede_status_t st = writer_for(r, doc->id, &w);
    if (st != LEDE_OK) return lede_errf(err, st, "%s", r->j->err.msg);
    if ((st = shim_writer_upsert(w, doc)) != LEDE_OK) {
        w = r->w[shards_route(doc->id, r->x->s.n)];
        return lede_errf(err, st, "%s: %s", rec->file, shim_writer_errmsg(w));
    }
    if (r->j->o->spelling && (st = shim_writer_add(r->spell, doc)) == LEDE_OK)
        st = shim_writer_delete(r->spell, doc->id, NULL);
    if (st != LEDE_OK)
        return lede_errf(err, st, "%s: spelling: %s", rec->file, shim_writer_errmsg(r->spell));
    r->j->counts.written++;
    return LEDE_OK;
}

static lede_status_t routed_record(void *ctx, record_t *rec) {
    routed_t *r = ctx;
    return job_ingest(r->j, &r->ingest, rec);
}

static int direct(sharded_t *x) {
    index_run_t *j = x->j;
    routed_t r;
    char path[INDEX_PATH_MAX + 32];
    if (routed_init(&r, x) != LEDE_OK) return job_stop(j);
    live_path(&x->s.spelling, path, sizeof path);
    lede_status_t st = job_open_writer(j, path, j->o->spelling, &r.spell);
    r.ingest = (ingest_t){.learned = j->learned,
                          .keep_text = j->o->keep_text,
                          .stamp_base = (uint64_t)shards_max_gen(&x->s) << STAMP_GEN_SHIFT,
                          .rejects = j->rejects,
                          .write = upsert_routed,
                          .ctx = &r};
    input_sink_t sink = job_sink(routed_record, &r);
    if (st == LEDE_OK) st = input_scan(&j->in, j->o->args, j->o->n_args, &sink, &j->err);
    if (st == LEDE_OK && (st = furniture_store(r.spell, j->learned)) != LEDE_OK)
        lede_errf(&j->err, st, "storing the learnt site furniture: %s",
                  shim_writer_errmsg(r.spell));
    if (st == LEDE_OK) st = rejects_flush(j->rejects, &j->err);
    if (!routed_close(&r, st)) return job_unchanged(j, st != LEDE_OK ? st : LEDE_E_IO);
    j->counts.replaced = j->counts.written - j->counts.added;
    return job_exit_status(j);
}

static lede_status_t delete_one(routed_t *r, const char *id) {
    shim_writer_t *w;
    bool found = false;
    lede_status_t st = writer_for(r, id, &w);
    if (st == LEDE_OK && (st = shim_writer_delete(w, id, &found)) != LEDE_OK)
        lede_errf(&r->j->err, st, "deleting %s: %s", id, shim_writer_errmsg(w));
    if (st == LEDE_OK && !found) {
        r->j->counts.missing++;
        if (!r->j->o->quiet) fprintf(stderr, "lede-indexer: no document with id '%s'\n", id);
    }
    return st;
}

static int delete_ids(sharded_t *x) {
    index_run_t *j = x->j;
    routed_t r;
    if (routed_init(&r, x) != LEDE_OK) return job_stop(j);
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; i < j->o->n_args && st == LEDE_OK; i++) st = delete_one(&r, j->o->args[i]);
    if (!routed_close(&r, st)) return job_unchanged(j, st != LEDE_OK ? st : LEDE_E_IO);
    j->counts.deleted = j->o->n_args - j->counts.missing;
    return job_exit_status(j);
}

/* ---- --watch and --follow: the watcher writes into the live shards -------- */

/* A new generation of nothing for d, published. */
static lede_status_t make_empty_live(index_run_t *j, index_dir_t *d) {
    char path[INDEX_PATH_MAX + 32];
    index_dir_gen_path(d, 1, path, sizeof path);
    lede_status_t st = job_make_empty(path, j->o->language, &j->err);
    return st == LEDE_OK ? index_dir_publish(d, 1, &j->err) : st;
}

/* A layout of empty shards and spelling for a new DIR (the watcher writes
 * into live generations), published as a bulk run publishes: shards,
 * spelling with N, then DIR/XAPIANDB. */
static lede_status_t make_layout(sharded_t *x) {
    index_run_t *j = x->j;
    char path[INDEX_PATH_MAX + 32], n[16];
    lede_status_t st = LEDE_OK;
    for (unsigned k = 0; k < x->s.n && st == LEDE_OK; k++)
        if (!x->s.dirs[k].live_gen) st = make_empty_live(j, &x->s.dirs[k]);
    if (st == LEDE_OK && !x->s.spelling.live_gen) {
        shim_writer_t *w;
        index_dir_gen_path(&x->s.spelling, 1, path, sizeof path);
        snprintf(n, sizeof n, "%u", x->s.n);
        if ((st = job_make_empty(path, j->o->language, &j->err)) == LEDE_OK &&
            (st = job_open_writer(j, path, false, &w)) == LEDE_OK) {
            if ((st = shim_writer_set_metadata(w, SHARDS_META_KEY, n)) != LEDE_OK)
                lede_errf(&j->err, st, "%s: %s", path, shim_writer_errmsg(w));
            st = job_close_writer(j, w, st) ? LEDE_OK : LEDE_E_IO;
        }
        if (st == LEDE_OK) st = index_dir_publish(&x->s.spelling, 1, &j->err);
    }
    if (st == LEDE_OK && j->dir.shards != x->s.n)
        st = index_dir_publish_shards(&j->dir, x->s.n, &j->err);
    return st;
}

/* make_layout makes only what is missing: after a crash while it ran, the
 * next start finishes it. */
static int watch(sharded_t *x) {
    if (make_layout(x) != LEDE_OK) return job_stop(x->j);
    return watch_run(x->j, &x->s);
}

/* ---- entry ------------------------------------------------------------------- */

static bool use_direct(const sharded_t *x) {
    const indexer_opts_t *o = x->j->o;
    if (o->rebuild || !layout_live(x) || x->j->dir.shards != x->s.n) return false;
    if (o->mode != UPDATE_AUTO) return o->mode == UPDATE_DIRECT;
    if (!x->j->in.size_known) return false;
    return x->j->in.total_bytes * DIRECT_INPUT_FRACTION < shards_live_bytes(&x->s);
}

/* The furniture: counts from spelling, ids from every shard (DIR itself,
 * once its stub lists them). */
static lede_status_t learn(sharded_t *x) {
    index_run_t *j = x->j;
    char live[INDEX_PATH_MAX + 32];
    bool with_live = !j->o->rebuild && x->s.spelling.live_gen;
    if (with_live) live_path(&x->s.spelling, live, sizeof live);
    const char *ids = with_live && j->dir.shards ? j->dir.path : NULL;
    return furniture_learn(with_live ? live : NULL, ids, j->o->args, j->o->n_args,
                           j->o->max_doc_bytes, &j->learned, &j->err);
}

static int run_job(sharded_t *x) {
    index_run_t *j = x->j;
    for (unsigned k = 0; k < x->s.n; k++) job_reclaim(&x->s.dirs[k]);
    job_reclaim(&x->s.spelling);
    if (j->o->delete_ids && !layout_live(x)) {
        lede_errf(&j->err, LEDE_E_OPEN, "no index at %s to delete from", j->dir.path);
        return job_stop(j);
    }
    if (j->o->delete_ids) return delete_ids(x);
    if (learn(x) != LEDE_OK) return job_stop(j);
    if (j->o->watch || j->o->follow) return watch(x);
    return use_direct(x) ? direct(x) : bulk(x);
}

int run_shards(index_run_t *j) {
    sharded_t x = {.j = j};
    if (shards_open(&x.s, &j->dir, j->shards, &j->err) != LEDE_OK) return job_stop(j);
    int status = run_job(&x);
    shards_close(&x.s);
    return status;
}
