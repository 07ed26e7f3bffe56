/* server: the owner of everything else: the main event loop, the
 * listeners (listener.h, http.h), the workers (worker.h), the reload
 * thread (reloader.h), the index watcher and the signals. What the parts it owns read is in
 * shared.h; no part calls back into the server. */
#ifndef LEDE_SEARCHD_SERVER_H
#define LEDE_SEARCHD_SERVER_H

#include <event2/event.h>
#include <event2/listener.h>
#include <stdbool.h>

#include "config.h"
#include "http.h"
#include "index_watch.h"
#include "lede/shim.h"
#include "listener.h"
#include "reloader.h"
#include "shared.h"
#include "worker.h"

typedef struct server {
    shared_t sh; /* what the parts below read (shared.h) */
    listener_t *listener;
    pool_t *pool;
    reloader_t *reloader; /* reload checks and the index status, on a thread */
    struct event *sighup, *sigterm, *sigint, *sigusr1;
    index_watch_t *index_watch; /* commits seen at once; NULL: polling only */
    http_server_t *http;        /* NULL with http_listen = off */
} server_t;

/* Opens the index, starts the workers and listens. */
lede_status_t server_start(server_t *s, const config_t *c, lede_err_t *err);

/* Runs until SIGTERM or SIGINT and the requests in flight are answered. */
void server_run(server_t *s);

void server_free(server_t *s);

#endif
