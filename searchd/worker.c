/* The workers: one event loop per thread, each with its own index handle
 * and connections; an inbox for what the main loop hands over; a done
 * list for the HTTP jobs going back. */
#include "worker.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "conn.h"
#include "index.h"
#include "log.h"

/* HTTP jobs run in one turn of the inbox; the rest wait for the next, so
 * that the line-protocol connections of the same loop get their turns. */
#define JOBS_PER_TURN 4
/* Callbacks a worker's loop runs before it polls for I/O again. libevent
 * runs every active callback by default, and the inbox, made active again
 * by each job handed over, kept it from polling at all under HTTP load:
 * the loop's line-protocol clients waited seconds (a soak test saw a p99
 * of 4 s for them, 0.24 s for HTTP). */
#define CALLBACKS_PER_POLL 1

/* An accepted socket on its way to a worker. */
struct handoff {
    evutil_socket_t fd;
    uint64_t id;
    char peer[64];
    struct handoff *next;
};

struct pool {
    shared_t *sh;
    worker_t *workers;
    unsigned n;          /* workers allocated */
    unsigned started;    /* threads running */
    unsigned next;       /* round robin for sockets and jobs */
    atomic_uint epoch;   /* bumped by pool_reload() */
    atomic_size_t conns; /* line-protocol connections on all workers */
    size_t pending;      /* jobs out; main loop only */
    /* Finished HTTP jobs, for the main loop. */
    pthread_mutex_t done_lock;
    job_t *done;
    struct event *done_ev, *closed_ev; /* on the main loop */
    pool_done_fn done_fn;
    void *ctx;
};

/* ---- on a worker ------------------------------------------------------ */

/* Reopens the worker's handle when the index epoch moved. A failure is
 * logged; the old handle keeps serving. */
static void refresh(worker_t *w) {
    unsigned epoch = atomic_load(&w->pool->epoch);
    if (epoch == w->epoch) return;
    if (shim_db_reopen(w->db, NULL) != LEDE_OK)
        log_msg(LOG_ERROR, "reopening the index: %s", shim_db_errmsg(w->db));
    w->epoch = epoch;
}

shim_db_t *worker_db(worker_t *w) {
    refresh(w);
    return w->db;
}

void worker_execute(worker_t *w, job_t *job) {
    request_execute(worker_db(w), &w->sh->env, &job->req, job->enqueued, &job->reply);
    job->latency_ms = (stats_now() - job->enqueued) * 1000.0;
}

double worker_poll_time(worker_t *w) {
    /* libevent caches the wall time when its poll returns; the age of that
     * cache, taken from the monotonic clock, is how long the data handled
     * now has waited on this loop. */
    struct timeval polled, now;
    double mono = stats_now();
    if (event_base_gettimeofday_cached(w->base, &polled) != 0 ||
        evutil_gettimeofday(&now, NULL) != 0)
        return mono;
    double age =
        (double)(now.tv_sec - polled.tv_sec) + (double)(now.tv_usec - polled.tv_usec) / 1e6;
    return age > 0 ? mono - age : mono;
}

void worker_conn_closed(worker_t *w) {
    atomic_fetch_sub(&w->pool->conns, 1);
    /* The main loop may be waiting for this: to stop, or to accept again. */
    if (w->stopping || gate_paused(&w->sh->gate)) event_active(w->pool->closed_ev, EV_READ, 0);
}

/* Returns an HTTP job to the main loop. */
static void finish(pool_t *p, job_t *j) {
    pthread_mutex_lock(&p->done_lock);
    j->next = p->done;
    p->done = j;
    pthread_mutex_unlock(&p->done_lock);
    event_active(p->done_ev, EV_READ, 0);
}

static void begin_stop(worker_t *w) {
    w->stopping = true;
    for (struct conn *c = w->conns, *next; c; c = next) {
        next = c->next;
        conn_shutdown(c);
    }
    event_active(w->pool->closed_ev, EV_READ, 0); /* it may have had none */
}

/* Takes what other threads handed over: sockets first, so that a stop
 * asked after them also closes them; jobs last. */
static void on_inbox(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    worker_t *w = arg;
    pthread_mutex_lock(&w->lock);
    handoff_t *sockets = w->sockets;
    job_t *jobs = w->jobs, *last = jobs;
    for (int n = 1; last && last->next && n < JOBS_PER_TURN; n++) last = last->next;
    bool stop = w->stop_asked, quit = w->quit, more = last && last->next;
    if (!quit) {
        w->sockets = NULL;
        w->jobs = more ? last->next : NULL;
        if (!more) w->jobs_tail = NULL;
        if (last) last->next = NULL;
    }
    pthread_mutex_unlock(&w->lock);
    if (quit) { /* what is left is freed after the thread ends */
        event_base_loopbreak(w->base);
        return;
    }
    while (sockets) {
        handoff_t *next = sockets->next;
        conn_accept(w, sockets->fd, sockets->id, sockets->peer);
        free(sockets);
        sockets = next;
    }
    if (stop && !w->stopping) begin_stop(w);
    while (jobs) {
        job_t *next = jobs->next;
        worker_execute(w, jobs);
        finish(w->pool, jobs);
        jobs = next;
    }
    if (more) event_active(w->inbox_ev, EV_READ, 0); /* after the others' turns */
}

/* Frees the connections closed since the last turn of the loop. */
static void on_reap(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    conn_reap(arg);
}

/* Remote shards: an idle connection would be closed by xapian-tcpsrv
 * (after 60 s by default) and a shard that went down is tried again. */
static void on_keepalive(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    worker_t *w = arg;
    if (shim_db_keepalive(w->db) != LEDE_OK)
        log_msg(LOG_DEBUG, "keep-alive: %s", shim_db_errmsg(w->db));
}

/* The keep-alive timer of a worker whose shards include remote ones. */
static bool add_keepalive(worker_t *w) {
    uint64_t ms = w->sh->cfg->shard_keepalive_ms;
    if (!w->sh->cfg->shards[0] || !ms) return true;
    struct timeval every = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
    w->keepalive_ev = event_new(w->base, -1, EV_PERSIST, on_keepalive, w);
    return w->keepalive_ev && event_add(w->keepalive_ev, &every) == 0;
}

static void *worker_main(void *arg) {
    worker_t *w = arg;
    event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* ---- on the main loop ------------------------------------------------- */

/* Hands every finished job to done(), oldest first. */
static void drain_done(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    pool_t *p = arg;
    pthread_mutex_lock(&p->done_lock);
    job_t *list = p->done, *ordered = NULL;
    p->done = NULL;
    pthread_mutex_unlock(&p->done_lock);
    while (list) { /* the done list is newest first: reverse it */
        job_t *next = list->next;
        list->next = ordered;
        ordered = list;
        list = next;
    }
    while (ordered) {
        job_t *next = ordered->next;
        p->pending--;
        p->done_fn(ordered, p->ctx);
        ordered = next;
    }
}

static void on_conn_closed(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    pool_t *p = arg;
    p->sh->conn_closed(p->sh->conn_closed_arg);
}

static lede_status_t start_worker(pool_t *p, worker_t *w, lede_err_t *err) {
    w->pool = p, w->sh = p->sh;
    pthread_mutex_init(&w->lock, NULL);
    lede_status_t st = index_open(p->sh->cfg, &w->db, err);
    if (st != LEDE_OK) return st;
    struct event_config *cfg = event_config_new();
    if (cfg) event_config_set_max_dispatch_interval(cfg, NULL, CALLBACKS_PER_POLL, 0);
    w->base = cfg ? event_base_new_with_config(cfg) : NULL;
    if (cfg) event_config_free(cfg);
    w->inbox_ev = w->base ? event_new(w->base, -1, 0, on_inbox, w) : NULL;
    w->reap_ev = w->base ? event_new(w->base, -1, 0, on_reap, w) : NULL;
    if (!w->inbox_ev || !w->reap_ev || !add_keepalive(w))
        return lede_errf(err, LEDE_E_NOMEM, "cannot start a worker's event loop");
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        return lede_errf(err, LEDE_E_INTERNAL, "cannot start worker threads");
    p->started++;
    return LEDE_OK;
}

lede_status_t pool_start(pool_t **out, shared_t *sh, unsigned threads, lede_err_t *err) {
    pool_t *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p || !(p->workers = calloc(threads, sizeof *p->workers))) {
        free(p);
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    }
    p->sh = sh;
    pthread_mutex_init(&p->done_lock, NULL);
    atomic_init(&p->epoch, 0);
    atomic_init(&p->conns, 0);
    p->done_ev = event_new(sh->base, -1, 0, drain_done, p);
    p->closed_ev = event_new(sh->base, -1, 0, on_conn_closed, p);
    if (!p->done_ev || !p->closed_ev) {
        pool_stop(p);
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    }
    for (; p->n < threads; p->n++) {
        lede_status_t st = start_worker(p, &p->workers[p->n], err);
        if (st != LEDE_OK) {
            p->n++; /* so that pool_stop frees what it made */
            pool_stop(p);
            return st;
        }
    }
    *out = p;
    return LEDE_OK;
}

void pool_on_done(pool_t *p, pool_done_fn done, void *ctx) {
    p->done_fn = done, p->ctx = ctx;
}

static worker_t *next_worker(pool_t *p) {
    return &p->workers[p->next++ % p->n];
}

void pool_accept(pool_t *p, evutil_socket_t fd, uint64_t conn_id, const char *peer) {
    handoff_t *h = calloc(1, sizeof *h);
    if (!h) {
        evutil_closesocket(fd);
        return log_msg(LOG_ERROR, "out of memory accepting %s", peer);
    }
    h->fd = fd, h->id = conn_id;
    snprintf(h->peer, sizeof h->peer, "%s", peer);
    atomic_fetch_add(&p->conns, 1);
    worker_t *w = next_worker(p);
    pthread_mutex_lock(&w->lock);
    h->next = w->sockets;
    w->sockets = h;
    pthread_mutex_unlock(&w->lock);
    event_active(w->inbox_ev, EV_READ, 0);
}

void pool_submit(pool_t *p, job_t *job) {
    job->enqueued = stats_now();
    job->next = NULL;
    p->pending++;
    worker_t *w = next_worker(p);
    pthread_mutex_lock(&w->lock);
    if (w->jobs_tail)
        w->jobs_tail->next = job;
    else
        w->jobs = job;
    w->jobs_tail = job;
    pthread_mutex_unlock(&w->lock);
    event_active(w->inbox_ev, EV_READ, 0);
}

void pool_reload(pool_t *p) {
    atomic_fetch_add(&p->epoch, 1);
}

size_t pool_pending(const pool_t *p) {
    return p->pending;
}

size_t pool_connections(pool_t *p) {
    return atomic_load(&p->conns);
}

void pool_shutdown(pool_t *p) {
    for (unsigned i = 0; i < p->started; i++) {
        worker_t *w = &p->workers[i];
        pthread_mutex_lock(&w->lock);
        w->stop_asked = true;
        pthread_mutex_unlock(&w->lock);
        event_active(w->inbox_ev, EV_READ, 0);
    }
}

/* After its thread has ended: what the worker still holds. */
static void free_worker(worker_t *w) {
    conn_close_all(w);
    while (w->sockets) {
        handoff_t *h = w->sockets;
        w->sockets = h->next;
        evutil_closesocket(h->fd);
        free(h);
    }
    while (w->jobs) {
        job_t *j = w->jobs;
        w->jobs = j->next;
        job_free(j);
    }
    if (w->inbox_ev) event_free(w->inbox_ev);
    if (w->reap_ev) event_free(w->reap_ev);
    if (w->keepalive_ev) event_free(w->keepalive_ev);
    if (w->base) event_base_free(w->base);
    shim_db_close(w->db);
    pthread_mutex_destroy(&w->lock);
}

/* Asks a worker's thread to leave its loop. Through the inbox, because a
 * loopbreak sent before the thread has entered its loop would be lost. */
static void ask_to_quit(worker_t *w) {
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_mutex_unlock(&w->lock);
    event_active(w->inbox_ev, EV_READ, 0);
}

void pool_stop(pool_t *p) {
    if (!p) return;
    for (unsigned i = 0; i < p->started; i++) ask_to_quit(&p->workers[i]);
    for (unsigned i = 0; i < p->started; i++) pthread_join(p->workers[i].thread, NULL);
    for (unsigned i = 0; i < p->n; i++) free_worker(&p->workers[i]);
    while (p->done) {
        job_t *j = p->done;
        p->done = j->next;
        job_free(j);
    }
    if (p->done_ev) event_free(p->done_ev);
    if (p->closed_ev) event_free(p->closed_ev);
    pthread_mutex_destroy(&p->done_lock);
    free(p->workers);
    free(p);
}
