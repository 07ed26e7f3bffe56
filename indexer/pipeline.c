/* The parallel build: a bounded queue of record batches, and workers that
 * each write their own shards. */
#include "pipeline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "lede/shim.h"

/* A batch amortises the queue's locking over many small records. */
#define BATCH_RECORDS 128
#define BATCH_BYTES (1024 * 1024)
/* Batches queued per worker: enough to hide jitter, little memory. */
#define QUEUE_BATCHES_PER_WORKER 4

typedef struct batch {
    record_t recs[BATCH_RECORDS];
    size_t n;
    size_t bytes;
} batch_t;

/* A worker thread: takes batches off the queue and writes its own shards. */
typedef struct pipeline_worker {
    struct pipeline *p;
    unsigned index;
    pthread_t thread;
    ingest_t ingest; /* writes through add_to_shard() */
    shim_writer_t *shard;
    unsigned shards_made;
    uint32_t in_shard;
} pipeline_worker_t;

struct pipeline {
    pipeline_opts_t o;
    pipeline_worker_t *workers;
    unsigned started;
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    batch_t **queue;
    size_t cap, head, len;
    bool closing;
    atomic_bool failed; /* read by workers without the lock */
    lede_err_t err;
    batch_t *filling;
    char **shards;
    size_t n_shards;
    atomic_uint_fast64_t docs;
};

/* ---- failure ---------------------------------------------------------- */

/* Records the first fatal error and wakes everyone so the run stops. */
static void pipeline_fail(struct pipeline *p, const lede_err_t *err) {
    pthread_mutex_lock(&p->lock);
    if (!p->failed) {
        p->failed = true;
        p->err = *err;
    }
    pthread_cond_broadcast(&p->not_full);
    pthread_cond_broadcast(&p->not_empty);
    pthread_mutex_unlock(&p->lock);
}

/* ---- shards ----------------------------------------------------------- */

static bool add_shard_path(struct pipeline *p, const char *path) {
    pthread_mutex_lock(&p->lock);
    char **grown = realloc(p->shards, (p->n_shards + 1) * sizeof *grown);
    char *copy = strdup(path);
    bool ok = grown && copy;
    if (grown) p->shards = grown;
    if (ok)
        p->shards[p->n_shards++] = copy;
    else
        free(copy);
    pthread_mutex_unlock(&p->lock);
    return ok;
}

static void shard_path(const pipeline_worker_t *w, unsigned k, char *out, size_t size) {
    snprintf(out, size, "%s/shard-%02u-%05u", w->p->o.build_dir, w->index, k);
}

static lede_status_t open_shard(pipeline_worker_t *w, lede_err_t *err) {
    char path[4096], *msg = NULL;
    shard_path(w, w->shards_made, path, sizeof path);
    shim_writer_opts_t o = {.path = path,
                            .flags = SHIM_WRITER_FRESH,
                            .language = w->p->o.language,
                            .spelling = w->p->o.spelling};
    lede_status_t st = shim_writer_open(&o, &w->shard, &msg);
    if (st != LEDE_OK)
        lede_errf(err, st, "cannot create shard %s: %s", path, msg ? msg : "out of memory");
    free(msg);
    w->in_shard = 0;
    return st;
}

static lede_status_t close_shard(pipeline_worker_t *w, lede_err_t *err) {
    char path[4096], *msg = NULL;
    if (!w->shard) return LEDE_OK;
    shard_path(w, w->shards_made++, path, sizeof path);
    lede_status_t st = shim_writer_close(w->shard, false, &msg);
    w->shard = NULL;
    if (st != LEDE_OK)
        lede_errf(err, st, "cannot write shard %s: %s", path, msg ? msg : "out of memory");
    free(msg);
    if (st == LEDE_OK && !add_shard_path(w->p, path))
        st = lede_errf(err, LEDE_E_NOMEM, "out of memory");
    return st;
}

/* The worker's writer for ingest_record(): its shard, begun when needed and
 * closed after shard_docs documents. */
static lede_status_t add_to_shard(void *ctx, const record_t *rec, const shim_doc_t *doc,
                                  lede_err_t *err) {
    pipeline_worker_t *w = ctx;
    lede_status_t st = w->shard ? LEDE_OK : open_shard(w, err);
    if (st != LEDE_OK) return st;
    if ((st = shim_writer_add(w->shard, doc)) != LEDE_OK)
        return lede_errf(err, st, "%s: %s", rec->file, shim_writer_errmsg(w->shard));
    atomic_fetch_add(&w->p->docs, 1);
    return ++w->in_shard >= w->p->o.shard_docs ? close_shard(w, err) : LEDE_OK;
}

/* ---- the queue -------------------------------------------------------- */

static void batch_free(batch_t *b) {
    for (size_t i = 0; i < b->n; i++) {
        free(b->recs[i].bytes);
        free(b->recs[i].base_id);
    }
    free(b);
}

static batch_t *queue_pop(struct pipeline *p) {
    pthread_mutex_lock(&p->lock);
    while (p->len == 0 && !p->closing && !p->failed) pthread_cond_wait(&p->not_empty, &p->lock);
    batch_t *b = NULL;
    if (p->len > 0) {
        b = p->queue[p->head];
        p->head = (p->head + 1) % p->cap;
        p->len--;
        pthread_cond_signal(&p->not_full);
    }
    pthread_mutex_unlock(&p->lock);
    return b;
}

static lede_status_t queue_push(struct pipeline *p, batch_t *b) {
    pthread_mutex_lock(&p->lock);
    while (p->len == p->cap && !p->failed) pthread_cond_wait(&p->not_full, &p->lock);
    bool failed = p->failed;
    if (!failed) {
        p->queue[(p->head + p->len) % p->cap] = b;
        p->len++;
        pthread_cond_signal(&p->not_empty);
    }
    pthread_mutex_unlock(&p->lock);
    if (failed) batch_free(b);
    return failed ? LEDE_E_INTERNAL : LEDE_OK;
}

static void *worker_main(void *arg) {
    pipeline_worker_t *w = arg;
    batch_t *b;
    lede_err_t err;
    while ((b = queue_pop(w->p)) != NULL) {
        for (size_t i = 0; i < b->n && !w->p->failed; i++)
            if (ingest_record(&w->ingest, &b->recs[i], &err) != LEDE_OK) pipeline_fail(w->p, &err);
        batch_free(b);
    }
    if (!w->p->failed && close_shard(w, &err) != LEDE_OK) pipeline_fail(w->p, &err);
    if (w->p->failed) shim_writer_close(w->shard, true, NULL), w->shard = NULL;
    return NULL;
}

/* ---- life cycle ------------------------------------------------------- */

static ingest_t worker_ingest(const struct pipeline *p, pipeline_worker_t *w) {
    return (ingest_t){.learned = p->o.learned,
                      .keep_text = p->o.keep_text,
                      .stamp_base = p->o.stamp_base,
                      .rejects = p->o.rejects,
                      .write = add_to_shard,
                      .ctx = w};
}

lede_status_t pipeline_start(const pipeline_opts_t *opts, pipeline_t **out) {
    struct pipeline *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return LEDE_E_NOMEM;
    p->o = *opts;
    if (p->o.threads == 0) p->o.threads = 1;
    p->cap = (size_t)p->o.threads * QUEUE_BATCHES_PER_WORKER;
    p->queue = calloc(p->cap, sizeof *p->queue);
    p->workers = calloc(p->o.threads, sizeof *p->workers);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->not_empty, NULL);
    pthread_cond_init(&p->not_full, NULL);
    atomic_init(&p->docs, 0);
    atomic_init(&p->failed, false);
    if (!p->queue || !p->workers) {
        pipeline_finish(p, NULL, NULL, NULL, NULL);
        return LEDE_E_NOMEM;
    }
    for (unsigned i = 0; i < p->o.threads; i++) {
        p->workers[i] = (pipeline_worker_t){.p = p, .index = i};
        p->workers[i].ingest = worker_ingest(p, &p->workers[i]);
        if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]) != 0) break;
        p->started++;
    }
    if (p->started == 0) {
        pipeline_finish(p, NULL, NULL, NULL, NULL);
        return LEDE_E_INTERNAL;
    }
    *out = p;
    return LEDE_OK;
}

lede_status_t pipeline_push(pipeline_t *p, record_t *rec) {
    if (p->failed) {
        free(rec->bytes);
        free(rec->base_id);
        return LEDE_E_INTERNAL;
    }
    if (!p->filling && !(p->filling = calloc(1, sizeof *p->filling))) {
        free(rec->bytes);
        free(rec->base_id);
        return LEDE_E_NOMEM;
    }
    batch_t *b = p->filling;
    b->recs[b->n++] = *rec;
    b->bytes += rec->len;
    if (b->n < BATCH_RECORDS && b->bytes < BATCH_BYTES) return LEDE_OK;
    p->filling = NULL;
    return queue_push(p, b);
}

uint64_t pipeline_docs(const pipeline_t *p) {
    return atomic_load(&p->docs);
}

static void release(struct pipeline *p) {
    while (p->len > 0) {
        batch_free(p->queue[p->head]);
        p->head = (p->head + 1) % p->cap;
        p->len--;
    }
    if (p->filling) batch_free(p->filling);
    for (size_t i = 0; i < p->n_shards; i++) free(p->shards[i]);
    free(p->shards);
    free(p->queue);
    free(p->workers);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->not_empty);
    pthread_cond_destroy(&p->not_full);
    free(p);
}

lede_status_t pipeline_finish(pipeline_t *p, char ***shards, size_t *n, uint64_t *docs,
                              lede_err_t *err) {
    if (p->filling && p->filling->n > 0) {
        batch_t *b = p->filling;
        p->filling = NULL;
        queue_push(p, b);
    }
    pthread_mutex_lock(&p->lock);
    p->closing = true;
    pthread_cond_broadcast(&p->not_empty);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->started; i++) pthread_join(p->workers[i].thread, NULL);
    lede_status_t st = p->failed ? LEDE_E_IO : LEDE_OK;
    if (docs) *docs = atomic_load(&p->docs);
    if (st != LEDE_OK && err) *err = p->err;
    if (st == LEDE_OK && shards) {
        *shards = p->shards;
        *n = p->n_shards;
        p->shards = NULL;
        p->n_shards = 0;
    }
    release(p);
    return st;
}
