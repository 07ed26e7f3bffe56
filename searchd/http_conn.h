/* http_conn: HTTP connections, from accept to close.
 *
 * evhttp accepts and parses; this module keeps a record of each
 * connection. Every accepted socket counts against max_connections at
 * once, as a line-protocol one does: evhttp asks for a new connection's
 * bufferevent right after accept (evhttp_set_bevcb), which is the hook.
 * A socket over the limit is answered with a 503 in JSON, written
 * straight to it, and closed. A connection is "busy" from a request's
 * arrival until its reply has been written, so that a graceful stop
 * waits for it. A request must arrive whole within request_timeout_ms of
 * its first byte (seen through a callback on the bufferevent's input),
 * or it gets a 408 and the connection is closed. Main loop only. */
#ifndef LEDE_SEARCHD_HTTP_CONN_H
#define LEDE_SEARCHD_HTTP_CONN_H

#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>

#include "shared.h"

typedef struct http_conn http_conn_t;
typedef struct http_conns http_conns_t;

/* Starts keeping records of the connections evhttp accepts; NULL when
 * out of memory. */
http_conns_t *http_conns_new(shared_t *s, struct evhttp *http);

/* The record of the connection req came on, now busy; NULL when it has
 * none and cannot have one (over max_connections): the caller refuses
 * the request. */
http_conn_t *http_conn_begin(http_conns_t *set, struct evhttp_request *req);

/* Closes the connection once the reply to its request is written, even
 * when evhttp would keep it (it keeps a CONNECT's whatever the headers). */
void http_conn_close_after_reply(http_conn_t *hc);

/* Connections with a request being answered. */
size_t http_conns_busy(const http_conns_t *set);

/* Frees the records; after evhttp_free (which closes the connections). */
void http_conns_free(http_conns_t *set);

#endif
