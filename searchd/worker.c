/* The worker pool: a job queue, threads with their own index handles, and
 * a done list drained on the event loop. */
#include "worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "log.h"
#include "stats.h"

typedef struct worker {
    struct pool *pool;
    pthread_t thread;
    shim_db_t *db;
    unsigned epoch;             /* the index epoch db was opened at */
} worker_t;

struct pool {
    const config_t *cfg;
    worker_t *workers;
    unsigned n;                 /* workers allocated, each with a handle */
    unsigned started;           /* threads running */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job_t *head, *tail;         /* waiting jobs */
    job_t *done;                /* finished, for the event loop */
    size_t pending;
    bool stopping;
    atomic_uint epoch;          /* bumped by pool_reload() */
    struct event *done_ev;
    pool_done_fn done_fn;
    void *ctx;
};

void job_free(job_t *job) {
    if (!job) return;
    proto_request_free(&job->req);
    free(job->reply);
    free(job);
}

static job_t *next_job(struct pool *p) {
    pthread_mutex_lock(&p->lock);
    while (!p->head && !p->stopping) pthread_cond_wait(&p->wake, &p->lock);
    job_t *j = p->head;
    if (j) {
        p->head = j->next;
        if (!p->head) p->tail = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void finish(struct pool *p, job_t *j) {
    pthread_mutex_lock(&p->lock);
    j->next = p->done;
    p->done = j;
    pthread_mutex_unlock(&p->lock);
    event_active(p->done_ev, EV_READ, 0);
}

/* Reopens the worker's handle when the index epoch moved. A failure is
 * logged; the old handle keeps serving. */
static void refresh(worker_t *w) {
    unsigned epoch = atomic_load(&w->pool->epoch);
    if (epoch == w->epoch) return;
    if (shim_db_reopen(w->db, NULL) != LEDE_OK)
        log_msg(LOG_ERROR, "reopening the index: %s", shim_db_errmsg(w->db));
    w->epoch = epoch;
}

static void *worker_main(void *arg) {
    worker_t *w = arg;
    job_t *j;
    while ((j = next_job(w->pool)) != NULL) {
        refresh(w);
        cmd_execute(w->db, w->pool->cfg, j);
        j->latency_ms = (stats_now() - j->enqueued) * 1000.0;
        finish(w->pool, j);
    }
    return NULL;
}

/* On the event loop: hand every finished job to done(), oldest first. */
static void drain_done(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    struct pool *p = arg;
    pthread_mutex_lock(&p->lock);
    job_t *list = p->done, *ordered = NULL;
    p->done = NULL;
    pthread_mutex_unlock(&p->lock);
    while (list) { /* the done list is newest first: reverse it */
        job_t *next = list->next;
        list->next = ordered;
        ordered = list;
        list = next;
    }
    while (ordered) {
        job_t *next = ordered->next;
        pthread_mutex_lock(&p->lock);
        p->pending--;
        pthread_mutex_unlock(&p->lock);
        p->done_fn(ordered, p->ctx);
        ordered = next;
    }
}

static bool open_handles(struct pool *p, char *err, size_t size) {
    for (unsigned i = 0; i < p->n; i++) {
        char *msg = NULL;
        p->workers[i].pool = p;
        if (shim_db_open(p->cfg->db, &p->workers[i].db, &msg) != LEDE_OK) {
            snprintf(err, size, "cannot open the index at %s: %s", p->cfg->db, msg ? msg : "out of memory");
            free(msg);
            return false;
        }
    }
    return true;
}

bool pool_start(pool_t **out, struct event_base *base, const config_t *c, unsigned threads,
                pool_done_fn done, void *ctx, char *err, size_t size) {
    struct pool *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p || !(p->workers = calloc(threads, sizeof *p->workers))) {
        free(p);
        return snprintf(err, size, "out of memory"), false;
    }
    p->cfg = c, p->n = threads, p->done_fn = done, p->ctx = ctx;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    atomic_init(&p->epoch, 0);
    p->done_ev = event_new(base, -1, 0, drain_done, p);
    if (!open_handles(p, err, size) || !p->done_ev) {
        pool_stop(p);
        return false;
    }
    for (unsigned i = 0; i < threads; i++, p->started++) {
        if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]) != 0) {
            pool_stop(p);
            return snprintf(err, size, "cannot start worker threads"), false;
        }
    }
    *out = p;
    return true;
}

void pool_submit(pool_t *p, job_t *job) {
    job->enqueued = stats_now();
    job->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->tail) p->tail->next = job;
    else p->head = job;
    p->tail = job;
    p->pending++;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

void pool_reload(pool_t *p) {
    atomic_fetch_add(&p->epoch, 1);
}

size_t pool_pending(const pool_t *p) {
    return p->pending;
}

void pool_stop(pool_t *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->started; i++) pthread_join(p->workers[i].thread, NULL);
    for (unsigned i = 0; i < p->n; i++) shim_db_close(p->workers[i].db);
    while (p->head) {
        job_t *j = p->head;
        p->head = j->next;
        job_free(j);
    }
    while (p->done) {
        job_t *j = p->done;
        p->done = j->next;
        job_free(j);
    }
    if (p->done_ev) event_free(p->done_ev);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->workers);
    free(p);
}
