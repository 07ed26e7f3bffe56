/* http: the HTTP/JSON API and the search page (docs/http.md). */
#ifndef LEDE_SEARCHD_HTTP_H
#define LEDE_SEARCHD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "server.h"
#include "worker.h"

/* Listens on http_host:http_port; false with err. Sets s->http. */
bool http_start(server_t *s, char *err, size_t err_size);

/* A worker finished an HTTP request's job; the job is freed. */
void http_job_done(job_t *job, server_t *s);

/* Stops accepting; open connections finish their requests. */
void http_stop(http_server_t *h);

/* Requests received and not yet fully answered. */
size_t http_busy(const http_server_t *h);

void http_free(http_server_t *h);

#endif
