/* worker: the threads that run queries, one event loop each (memcached's
 * model). Each worker owns a Xapian handle (Xapian objects are not shared
 * between threads) and the line-protocol connections handed to it: it
 * reads their requests, runs them and writes the replies on its own loop,
 * with no hand-off to another thread. HTTP requests stay on the main loop
 * and come to the workers as jobs, whose results go back to the main loop.
 *
 * A worker's inbox (sockets, jobs, the stop notice) is the only thing
 * other threads touch, under its lock. */
#ifndef LEDE_SEARCHD_WORKER_H
#define LEDE_SEARCHD_WORKER_H

#include <event2/event.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job.h"
#include "lede/shim.h"
#include "shared.h"

struct conn;

typedef struct pool pool_t;
typedef struct handoff handoff_t;

typedef struct worker {
    pool_t *pool;
    shared_t *sh;
    pthread_t thread;
    struct event_base *base;
    shim_db_t *db;
    unsigned epoch;         /* the index epoch db was opened at */
    struct event *inbox_ev; /* made active by other threads */
    /* The inbox, under lock. */
    pthread_mutex_t lock;
    job_t *jobs, *jobs_tail;
    handoff_t *sockets;
    bool stop_asked; /* pool_shutdown() */
    bool quit;       /* pool_stop(): leave the loop */
    /* This thread's own. */
    struct conn *conns;         /* the open line-protocol connections */
    struct conn *closed;        /* CLOSED, to be freed by reap_ev */
    struct event *reap_ev;      /* made active when a connection closes */
    struct event *keepalive_ev; /* shards: pings idle remote connections */
    bool stopping;              /* answering what was read, then closing */
} worker_t;

/* Called on the main loop's thread for each finished job; it owns job. */
typedef void (*pool_done_fn)(job_t *job, void *ctx);

/* Starts the workers, each opening the index; false with err when the
 * index cannot be opened. */
lede_status_t pool_start(pool_t **out, shared_t *sh, unsigned threads, lede_err_t *err);

/* Who gets the finished jobs submitted (HTTP's): set before the first. */
void pool_on_done(pool_t *p, pool_done_fn done, void *ctx);

/* Hands an accepted line-protocol socket to a worker (round robin). */
void pool_accept(pool_t *p, evutil_socket_t fd, uint64_t conn_id, const char *peer);

/* Queues a job from the main loop; the pool owns it until done() gets it
 * back. */
void pool_submit(pool_t *p, job_t *job);

/* Tells the workers that the index changed: each reopens before its next
 * request. */
void pool_reload(pool_t *p);

/* Jobs submitted and not yet returned (main loop only). */
size_t pool_pending(const pool_t *p);

/* Line-protocol connections open on all workers. */
size_t pool_connections(pool_t *p);

/* Graceful stop: each worker answers the requests its connections have
 * sent, then closes them. */
void pool_shutdown(pool_t *p);

/* Stops the loops, frees what is left and joins the threads. */
void pool_stop(pool_t *p);

/* On a worker: its index handle, reopened first when the index changed. */
shim_db_t *worker_db(worker_t *w);

/* On a worker: runs one request on the worker's handle (reopened first
 * when the index changed) and fills job->reply and job->latency_ms. */
void worker_execute(worker_t *w, job_t *job);

/* On a worker: a monotonic time no later than the arrival of the data
 * being handled now, i.e. when the loop's poll last returned. */
double worker_poll_time(worker_t *w);

/* On a worker: its connection count changed; during a stop the main loop
 * checks whether everything is done. */
void worker_conn_closed(worker_t *w);

#endif
