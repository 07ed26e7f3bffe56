/* reloader: the reload check on its own thread (see reloader.h). */
#include "reloader.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct reloader {
    shared_t *sh;
    pool_t *pool;
    shim_db_t *db; /* the thread's alone once it runs */
    pthread_t thread;
    bool running;
    pthread_mutex_t lock; /* guards what follows */
    pthread_cond_t wake;
    bool kicked, forced, stop;
    index_status_t status;
    bool failing; /* the thread's: the last check failed (logged once) */
};

/* Keeps db's status for reloader_status. */
static void publish(reloader_t *r) {
    index_status_t fresh;
    index_status_read(r->sh->cfg, r->db, &fresh);
    pthread_mutex_lock(&r->lock);
    index_status_t old = r->status;
    r->status = fresh;
    pthread_mutex_unlock(&r->lock);
    index_status_free(&old);
}

/* Reopens the handle; when the index changed (or forced) the workers
 * reopen theirs before their next request. */
static void check(reloader_t *r, bool forced) {
    bool changed = false;
    if (shim_db_reopen(r->db, &changed) != LEDE_OK) {
        /* Once, not every reload_interval_ms: /health and STATS say it. */
        if (!r->failing)
            log_msg(LOG_ERROR, "checking the index for changes: %s", shim_db_errmsg(r->db));
        r->failing = true;
    } else {
        if (r->failing) log_msg(LOG_INFO, "the index can be read again");
        r->failing = false;
        if (changed || forced) {
            pool_reload(r->pool);
            if (changed) stats_reloaded(&r->sh->stats);
            shim_stats_t st;
            if (shim_db_stats(r->db, &st) == LEDE_OK)
                log_msg(LOG_INFO, "index %s: %u documents, revision %llu",
                        changed ? "reloaded" : "reopened", st.doccount,
                        (unsigned long long)st.revision);
        }
    }
    publish(r);
}

/* Under r->lock: waits until kicked, stopped or interval_ms have passed. */
static void wait_for_work(reloader_t *r, uint64_t interval_ms) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)(interval_ms / 1000);
    until.tv_nsec += (long)(interval_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    while (!r->kicked && !r->stop)
        if (pthread_cond_timedwait(&r->wake, &r->lock, &until) == ETIMEDOUT) break;
}

static void *run(void *arg) {
    reloader_t *r = arg;
    pthread_mutex_lock(&r->lock);
    while (!r->stop) {
        wait_for_work(r, r->sh->cfg->reload_interval_ms);
        if (r->stop) break;
        bool forced = r->forced;
        r->kicked = r->forced = false;
        pthread_mutex_unlock(&r->lock);
        check(r, forced);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

lede_status_t reloader_start(reloader_t **out, shared_t *sh, pool_t *pool, shim_db_t *db,
                             lede_err_t *err) {
    *out = NULL;
    reloader_t *r = calloc(1, sizeof *r);
    if (!r) {
        shim_db_close(db);
        return lede_errf(err, LEDE_E_NOMEM, "out of memory starting the reload thread");
    }
    r->sh = sh, r->pool = pool, r->db = db;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, &attr);
    pthread_condattr_destroy(&attr);
    index_status_read(sh->cfg, db, &r->status);
    r->running = pthread_create(&r->thread, NULL, run, r) == 0;
    if (!r->running) {
        reloader_free(r);
        return lede_errf(err, LEDE_E_INTERNAL, "cannot start the reload thread");
    }
    *out = r;
    return LEDE_OK;
}

void reloader_kick(reloader_t *r, bool forced) {
    pthread_mutex_lock(&r->lock);
    r->kicked = true;
    r->forced = r->forced || forced;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
}

void reloader_status(reloader_t *r, index_status_t *out) {
    pthread_mutex_lock(&r->lock);
    index_status_copy(out, &r->status);
    pthread_mutex_unlock(&r->lock);
}

void reloader_stop(reloader_t *r) {
    if (!r) return;
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
}

void reloader_free(reloader_t *r) {
    if (!r) return;
    reloader_stop(r);
    if (r->running) pthread_join(r->thread, NULL);
    shim_db_close(r->db);
    index_status_free(&r->status);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
