/* http_static: the search page's files from http_root. */
#ifndef LEDE_SEARCHD_HTTP_STATIC_H
#define LEDE_SEARCHD_HTTP_STATIC_H

#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Before start-up: checks that http_root holds the page (index.html),
 * or with http_root empty, finds it and sets http_root: in a build tree,
 * the source tree's web/; else the page installed beside the running
 * executable (its ../share/lede/web, wherever the package put it), else
 * at the install path compiled in. Nothing to do with http_listen = off.
 * False with err naming every directory tried. */
lede_status_t http_static_resolve(config_t *c, lede_err_t *err);

/* The directory served: http_root (set by http_static_resolve), else the
 * source tree's web/. */
const char *http_static_root(const config_t *c);

/* Sends the file that path ("/", "/app.js") names and returns its status
 * (200, 304); or returns 404 or 500 without sending anything, for the
 * caller's JSON error. */
int http_static_serve(struct evhttp_request *req, const config_t *c, const char *path);

#endif
