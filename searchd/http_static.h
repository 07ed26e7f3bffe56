/* http_static: the search page's files from http_root. */
#ifndef LEDE_SEARCHD_HTTP_STATIC_H
#define LEDE_SEARCHD_HTTP_STATIC_H

#include <event2/http.h>

#include "config.h"

/* The directory served: http_root, or the web/ directory built in. */
const char *http_static_root(const config_t *c);

/* Sends the file that path ("/", "/app.js") names and returns its status
 * (200, 304); or returns 404 or 500 without sending anything, for the
 * caller's JSON error. */
int http_static_serve(struct evhttp_request *req, const config_t *c, const char *path);

#endif
