/* conn: one client connection, an explicit state machine.
 *
 *   READING   parsing buffered requests; replies to PING/STATS/errors are
 *             written at once, others go to a worker
 *   WAITING   a worker has this connection's request (nothing parsed, so
 *             pipelined requests wait in the input buffer and replies keep
 *             order)
 *   DRAINING  too much output is queued for a slow reader: reading paused
 *             until it drains below half of max_output_bytes
 *   CLOSING   writing the last replies
 *   LINGERING the replies are out and our side is shut down; what the
 *             client still sends is discarded until it closes (or a
 *             short timeout), so that unread requests never turn our
 *             close into a reset that could destroy replies in transit
 *
 * Every transition goes through conn_set_state(). A connection whose
 * request is with a worker is never freed: it is marked and freed when the
 * job comes back (conn_job_done). */
#ifndef LEDE_SEARCHD_CONN_H
#define LEDE_SEARCHD_CONN_H

#include <event2/bufferevent.h>
#include <event2/util.h>

#include "server.h"
#include "worker.h"

typedef enum { CONN_READING, CONN_WAITING, CONN_DRAINING, CONN_CLOSING, CONN_LINGERING } conn_state_t;

typedef struct conn {
    server_t *srv;
    struct bufferevent *bev;
    conn_state_t state;
    bool dead;                  /* the peer is gone; free when the job returns */
    bool eof;                   /* the peer sent end of file: no more requests,
                                 * but it still reads the replies */
    uint64_t id;
    char peer[64];
    struct conn *prev, *next;
} conn_t;

/* Takes a freshly accepted socket. */
void conn_accept(server_t *s, evutil_socket_t fd, const struct sockaddr *addr);

/* A worker finished this connection's request. */
void conn_job_done(job_t *job, void *server);

/* Server stop: answers the requests already received, then closes. */
void conn_shutdown(conn_t *c);

#endif
