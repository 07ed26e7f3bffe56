/* gate: accepting, paused at the file-descriptor limit.
 *
 * When accept() fails for want of a descriptor (EMFILE, ENFILE) or of
 * kernel memory, the connection stays in the listen queue and wakes the
 * listener again at once: libevent would spin on it, logging each
 * failure. The gate disables every listener instead (line protocol and
 * HTTP) and enables them again when a connection closes, since that
 * frees a descriptor, or after GATE_RETRY_MS. Connections already open
 * are served meanwhile; new ones wait in the listen queue. One log line
 * and one count (STATS connections.accept_pauses) per episode.
 *
 * Main loop only, except gate_paused(). */
#ifndef LEDE_SEARCHD_GATE_H
#define LEDE_SEARCHD_GATE_H

#include <event2/event.h>
#include <event2/listener.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "stats.h"

#define GATE_LISTENERS 2

typedef struct gate {
    struct evconnlistener *listeners[GATE_LISTENERS]; /* borrowed */
    int n;
    struct event *retry;
    stats_t *stats;
    atomic_bool paused;
    bool closed;     /* the server is stopping: never enable again */
    double last_hit; /* monotonic seconds of the last failed accept */
} gate_t;

/* false when out of memory. */
bool gate_init(gate_t *g, struct event_base *base, stats_t *stats);

/* Puts a listener behind the gate: its accept errors come here. The gate
 * of the process is the last one initialised (there is one server). */
void gate_add(gate_t *g, struct evconnlistener *l);

/* A connection closed: enables the listeners again if they were paused. */
void gate_fd_freed(gate_t *g);

/* Whether accepting is paused; any thread. */
bool gate_paused(gate_t *g);

/* The server is stopping: disables the listeners for good and forgets
 * them (they are freed next). */
void gate_close(gate_t *g);

void gate_free(gate_t *g);

#endif
