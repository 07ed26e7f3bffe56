/* http_errpage: libevent's own HTTP error pages, as lede's JSON errors.
 *
 * evhttp answers some requests itself, before they reach lede: one it
 * cannot parse (400), headers or a body over its limits (400 or 413), an
 * Expect it does not know (417). It writes an HTML page for them. So that
 * every reply of the API is JSON, the connection's output is rewritten
 * before it is sent (http_conn.c sees evhttp write it while no request of
 * lede's is being answered). */
#ifndef LEDE_SEARCHD_HTTP_ERRPAGE_H
#define LEDE_SEARCHD_HTTP_ERRPAGE_H

#include <event2/buffer.h>

#include "lede/protocol.h"

/* When out holds one of evhttp's error pages (status 400 or more, HTML),
 * replaces it with the same status and a JSON error body, sets *code to
 * the error's code and returns the status; otherwise returns 0 and leaves
 * out as it is. */
int http_errpage_rewrite(struct evbuffer *out, proto_error_code_t *code);

#endif
