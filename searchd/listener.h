/* listener: the line protocol's accepting socket. Each socket accepted is
 * refused with an error line (over max_connections, or during a stop) or
 * handed to a worker. Behind the gate (gate.h). Main loop only. */
#ifndef LEDE_SEARCHD_LISTENER_H
#define LEDE_SEARCHD_LISTENER_H

#include <event2/util.h>

#include "lede/status.h"
#include "shared.h"
#include "worker.h"

typedef struct listener listener_t;

/* Listens on listen_host:listen_port. */
lede_status_t listener_open(listener_t **out, shared_t *sh, pool_t *pool, lede_err_t *err);

/* Accepts no more (a stop). */
void listener_disable(listener_t *l);

/* The port it is bound to (listen ...:0 picks one). */
unsigned listener_port(const listener_t *l);

void listener_free(listener_t *l);

/* The port a listening socket is bound to; 0 when unknown. */
unsigned socket_port(evutil_socket_t fd);

#endif
