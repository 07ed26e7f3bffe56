/* shared: what every part of the daemon reads and counts: the settings,
 * the parser's limits, the environment requests run in, the counters,
 * TLS, the accept gate, and the "connection closed" callback. The server
 * owns it and outlives everything that points to it, so the parts it owns
 * (listener, workers, connections, HTTP) never call back into the server
 * itself: they read this, and signal through the callback. */
#ifndef LEDE_SEARCHD_SHARED_H
#define LEDE_SEARCHD_SHARED_H

#include <event2/event.h>
#include <stdbool.h>

#include "config.h"
#include "gate.h"
#include "lede/protocol.h"
#include "lede/request.h"
#include "stats.h"
#include "tls.h"

typedef struct shared {
    const config_t *cfg;
    proto_limits_t limits;
    request_env_t env;       /* its STATS are stats_report() */
    stats_t stats;           /* its own lock: any thread */
    gate_t gate;             /* main loop, but gate_paused() */
    tls_ctx_t *tls;          /* NULL: plain TCP */
    struct event_base *base; /* the main loop */
    bool stopping;           /* main loop's; workers keep their own */
    /* On the main loop: a connection or reply ended; a stop may be done,
     * and paused listeners can take a connection again. */
    void (*conn_closed)(void *arg);
    void *conn_closed_arg;
} shared_t;

#endif
