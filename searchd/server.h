/* server: the event loop, its listener, the connections, the reload
 * watcher and the signals. */
#ifndef LEDE_SEARCHD_SERVER_H
#define LEDE_SEARCHD_SERVER_H

#include <event2/event.h>
#include <event2/listener.h>
#include <stdbool.h>

#include "config.h"
#include "gate.h"
#include "index_watch.h"
#include "lede/shim.h"
#include "stats.h"
#include "tls.h"
#include "worker.h"

struct conn;
typedef struct http_server http_server_t;

typedef struct server {
    const config_t *cfg;
    struct event_base *base;
    struct evconnlistener *listener;
    pool_t *pool;
    shim_db_t *watch_db;        /* the main thread's handle: reload checks, HTTP's stats */
    struct event *reload_timer, *sighup, *sigterm, *sigint, *sigusr1;
    index_watch_t *index_watch; /* commits seen at once; NULL: polling only */
    http_server_t *http;        /* NULL with http_listen = off */
    stats_t stats;
    gate_t gate;                /* pauses the listeners at the fd limit */
    proto_limits_t limits;
    tls_ctx_t *tls;             /* NULL: plain TCP */
    bool stopping;              /* main loop's; workers keep their own */
    bool reload_failing;        /* the last reload check failed (logged once) */
    uint64_t next_conn_id;
} server_t;

/* Opens the index, starts the workers and listens. false with err. */
bool server_start(server_t *s, const config_t *c, char *err, size_t err_size);

/* Runs until SIGTERM or SIGINT and the requests in flight are answered. */
void server_run(server_t *s);

void server_free(server_t *s);

/* Counts and logs a finished job (both protocols). */
void server_job_finished(server_t *s, job_t *job);

/* The port a listening socket is bound to (listen ...:0 picks one). */
unsigned server_socket_port(evutil_socket_t fd);

/* Whether the index served can be read through db (the calling thread's
 * own handle), its facts in *st; when not, why in why[size]. */
bool server_index_up(server_t *s, shim_db_t *db, shim_stats_t *st, char *why, size_t size);

/* The STATS reply fields, with the index facts read through db (the
 * calling thread's own handle). */
json_t *server_stats_json(server_t *s, shim_db_t *db);

/* Begins a graceful stop: no new connections; open ones close once their
 * requests are answered. */
void server_stop(server_t *s);

/* On the main loop: a connection or reply ended; the server may be done
 * stopping, and paused listeners can take a connection again. */
void server_conn_closed(server_t *s);

#endif
