/* job: one request on its way through the daemon, from its parse to its
 * reply: a line-protocol request answered on its worker at once, or an
 * HTTP request handed from the main loop to a worker and back. */
#ifndef LEDE_SEARCHD_JOB_H
#define LEDE_SEARCHD_JOB_H

#include "lede/protocol.h"
#include "lede/request.h"

struct evhttp_request;

typedef struct job {
    struct evhttp_request *http; /* the HTTP request waiting for the reply, or
                                  * NULL for a line-protocol request */
    proto_request_t req;         /* owned */
    double enqueued;             /* monotonic seconds: when it arrived */
    double latency_ms;           /* from arrival to finish */
    request_reply_t reply;       /* its line is owned */
    struct job *next;
} job_t;

/* Frees a heap job and what it owns; job_clear for one on the stack. */
void job_free(job_t *job);
void job_clear(job_t *job);

#endif
