/* http_request: a line-protocol request (docs/protocol.md) as the HTTP/1.1
 * GET of the same request on lede-searchd's HTTP API (docs/http.md), for
 * lede-loadgen --protocol http. */
#ifndef LEDE_BENCH_HTTP_REQUEST_H
#define LEDE_BENCH_HTTP_REQUEST_H

#include <stddef.h>

/* The whole request, "GET /search?q=... HTTP/1.1\r\nHost: HOST\r\n\r\n",
 * for the JSON request line (ops search, get, similar and suggest).
 * Malloc'd, or NULL with a reason in err. Usable as a bench_line_fn with
 * the host as its argument. */
char *bench_http_request(const char *line, void *host, char *err, size_t size);

#endif
