/* http: the HTTP/JSON API and the search page (docs/http.md). */
#ifndef LEDE_SEARCHD_HTTP_H
#define LEDE_SEARCHD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "lede/shim.h"
#include "lede/status.h"
#include "reloader.h"
#include "shared.h"
#include "worker.h"

typedef struct http_server http_server_t;

/* Listens on http_host:http_port; requests that read the index go to the
 * pool's workers, /health, /metrics and /stats answer on the loop from
 * the index status the reload thread last found. *out is set even on
 * failure: http_free frees it. */
lede_status_t http_start(http_server_t **out, shared_t *s, pool_t *pool, reloader_t *reloader,
                         lede_err_t *err);

/* A worker finished an HTTP request's job (a pool_done_fn, arg the
 * http_server_t); the job is freed. */
void http_job_done(job_t *job, void *arg);

/* Stops accepting; open connections finish their requests. */
void http_stop(http_server_t *h);

/* Requests received and not yet fully answered. */
size_t http_busy(const http_server_t *h);

void http_free(http_server_t *h);

#endif
