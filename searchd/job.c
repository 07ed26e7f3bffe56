/* Jobs: what a request owns on its way through the daemon. */
#include "job.h"

#include <stdlib.h>

void job_clear(job_t *job) {
    proto_request_free(&job->req);
    free(job->reply.line);
    job->reply.line = NULL;
}

void job_free(job_t *job) {
    if (!job) return;
    job_clear(job);
    free(job);
}
