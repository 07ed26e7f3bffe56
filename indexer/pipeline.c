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
#include "shards.h"

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

/* A worker thread: takes batches off the queue and writes its own shards,
 * one open at a time for each route. */
typedef struct pipeline_worker {
    struct pipeline *p;
    unsigned index;
    pthread_t thread;
    ingest_t ingest;       /* writes through add_to_shard() */
    shim_writer_t **shard; /* one per route, or NULL */
    uint32_t *in_shard;    /* documents in each */
    unsigned shards_made;
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
    unsigned routes;     /* at least 1 */
    uint32_t route_docs; /* documents per build shard of one route */
    pipeline_shards_t out;
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

void pipeline_shards_free(pipeline_shards_t *s) {
    for (size_t i = 0; i < s->n; i++) free(s->paths[i]);
    free(s->paths);
    free(s->routes);
    *s = (pipeline_shards_t){0};
}

static bool add_shard_path(struct pipeline *p, const char *path, unsigned route) {
    pthread_mutex_lock(&p->lock);
    pipeline_shards_t *o = &p->out;
    char **grown = realloc(o->paths, (o->n + 1) * sizeof *grown);
    if (grown) o->paths = grown;
    unsigned *routes = grown ? realloc(o->routes, (o->n + 1) * sizeof *routes) : NULL;
    if (routes) o->routes = routes;
    char *copy = routes ? strdup(path) : NULL;
    if (copy) {
        o->routes[o->n] = route;
        o->paths[o->n++] = copy;
    }
    pthread_mutex_unlock(&p->lock);
    return copy != NULL;
}

static void shard_path(const pipeline_worker_t *w, unsigned k, char *out, size_t size) {
    snprintf(out, size, "%s/shard-%02u-%05u", w->p->o.build_dir, w->index, k);
}

static lede_status_t open_shard(pipeline_worker_t *w, unsigned route, lede_err_t *err) {
    char path[4096], *msg = NULL;
    shard_path(w, w->shards_made++, path, sizeof path);
    shim_writer_opts_t o = {.path = path,
                            .flags = SHIM_WRITER_FRESH,
                            .language = w->p->o.language,
                            .spelling = w->p->o.spelling};
    lede_status_t st = shim_writer_open(&o, &w->shard[route], &msg);
    if (st == LEDE_OK && !add_shard_path(w->p, path, route)) {
        shim_writer_close(w->shard[route], true, NULL);
        w->shard[route] = NULL;
        st = LEDE_E_NOMEM;
    }
    if (st != LEDE_OK)
        lede_errf(err, st, "cannot create shard %s: %s", path, msg ? msg : "out of memory");
    free(msg);
    w->in_shard[route] = 0;
    return st;
}

static lede_status_t close_shard(pipeline_worker_t *w, unsigned route, lede_err_t *err) {
    char *msg = NULL;
    if (!w->shard[route]) return LEDE_OK;
    lede_status_t st = shim_writer_close(w->shard[route], false, &msg);
    w->shard[route] = NULL;
    if (st != LEDE_OK)
        lede_errf(err, st, "cannot write a build shard: %s", msg ? msg : "out of memory");
    free(msg);
    return st;
}

/* The worker's writer for ingest_record(): the open shard of the document's
 * route, begun when needed and closed after route_docs documents. */
static lede_status_t add_to_shard(void *ctx, const record_t *rec, const shim_doc_t *doc,
                                  lede_err_t *err) {
    pipeline_worker_t *w = ctx;
    unsigned r = w->p->routes > 1 ? shards_route(doc->id, w->p->routes) : 0;
    lede_status_t st = w->shard[r] ? LEDE_OK : open_shard(w, r, err);
    if (st != LEDE_OK) return st;
    if ((st = shim_writer_add(w->shard[r], doc)) != LEDE_OK)
        return lede_errf(err, st, "%s: %s", rec->file, shim_writer_errmsg(w->shard[r]));
    atomic_fetch_add(&w->p->docs, 1);
    return ++w->in_shard[r] >= w->p->route_docs ? close_shard(w, r, err) : LEDE_OK;
}

/* Closes every open shard of w: committed, or discarded after a failure. */
static void close_all(pipeline_worker_t *w) {
    lede_err_t err;
    for (unsigned r = 0; r < w->p->routes; r++) {
        if (!w->p->failed && close_shard(w, r, &err) != LEDE_OK) pipeline_fail(w->p, &err);
        if (w->p->failed) shim_writer_close(w->shard[r], true, NULL), w->shard[r] = NULL;
    }
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
    close_all(w);
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

static bool worker_init(struct pipeline *p, unsigned i) {
    pipeline_worker_t *w = &p->workers[i];
    *w = (pipeline_worker_t){.p = p, .index = i};
    w->ingest = worker_ingest(p, w);
    w->shard = calloc(p->routes, sizeof *w->shard);
    w->in_shard = calloc(p->routes, sizeof *w->in_shard);
    return w->shard && w->in_shard;
}

lede_status_t pipeline_start(const pipeline_opts_t *opts, pipeline_t **out) {
    struct pipeline *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return LEDE_E_NOMEM;
    p->o = *opts;
    if (p->o.threads == 0) p->o.threads = 1;
    /* Each route's shard holds its share of shard_docs: the documents a
     * worker buffers stay as many as without routing. */
    p->routes = p->o.routes > 1 ? p->o.routes : 1;
    p->route_docs = p->o.shard_docs / p->routes ? p->o.shard_docs / p->routes : 1;
    p->cap = (size_t)p->o.threads * QUEUE_BATCHES_PER_WORKER;
    p->queue = calloc(p->cap, sizeof *p->queue);
    p->workers = calloc(p->o.threads, sizeof *p->workers);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->not_empty, NULL);
    pthread_cond_init(&p->not_full, NULL);
    atomic_init(&p->docs, 0);
    atomic_init(&p->failed, false);
    bool ok = p->queue && p->workers;
    for (unsigned i = 0; ok && i < p->o.threads; i++) ok = worker_init(p, i);
    if (!ok) {
        pipeline_finish(p, NULL, NULL, NULL);
        return LEDE_E_NOMEM;
    }
    for (unsigned i = 0; i < p->o.threads; i++) {
        if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]) != 0) break;
        p->started++;
    }
    if (p->started == 0) {
        pipeline_finish(p, NULL, NULL, NULL);
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
    pipeline_shards_free(&p->out);
    for (unsigned i = 0; p->workers && i < p->o.threads; i++) {
        free(p->workers[i].shard);
        free(p->workers[i].in_shard);
    }
    free(p->queue);
    free(p->workers);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->not_empty);
    pthread_cond_destroy(&p->not_full);
    free(p);
}

lede_status_t pipeline_finish(pipeline_t *p, pipeline_shards_t *out, uint64_t *docs,
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
    if (out) *out = (pipeline_shards_t){0};
    if (st == LEDE_OK && out) {
        *out = p->out;
        p->out = (pipeline_shards_t){0};
    }
    release(p);
    return st;
}
