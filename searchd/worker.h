/* worker: the threads that run queries. Each owns a Xapian handle of its
 * own (Xapian objects are not shared between threads); the event loop
 * hands them jobs and gets the finished jobs back, so a slow query never
 * stalls the loop or other clients. */
#ifndef LEDE_SEARCHD_WORKER_H
#define LEDE_SEARCHD_WORKER_H

#include <event2/event.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "lede/protocol.h"

struct conn;
struct evhttp_request;

typedef struct job {
    struct conn *conn;          /* the connection waiting for the reply, or */
    struct evhttp_request *http; /* the HTTP request waiting for it */
    proto_request_t req;        /* owned */
    double enqueued;            /* monotonic seconds */
    double latency_ms;          /* from enqueue to finish */
    proto_error_code_t error;   /* PROTO_E_NONE when it worked */
    char *reply;                /* the reply line with its \n; malloc'd */
    size_t reply_len;
    struct job *next;
} job_t;

typedef struct pool pool_t;

/* Called on the event loop's thread for each finished job; it owns job. */
typedef void (*pool_done_fn)(job_t *job, void *ctx);

/* Starts the workers, each opening the index; false with err when the
 * index cannot be opened. */
bool pool_start(pool_t **out, struct event_base *base, const config_t *c, unsigned threads,
                pool_done_fn done, void *ctx, char *err, size_t err_size);

/* Queues a job; the pool owns it until done() gets it back. */
void pool_submit(pool_t *p, job_t *job);

/* Tells the workers that the index changed: each reopens before its next
 * job. */
void pool_reload(pool_t *p);

/* Jobs queued or running. */
size_t pool_pending(const pool_t *p);

/* Finishes the jobs in hand and joins the threads. */
void pool_stop(pool_t *p);

void job_free(job_t *job);

#endif
