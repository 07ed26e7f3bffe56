/* conn: one line-protocol connection, owned by one worker's event loop,
 * an explicit state machine.
 *
 *   READING   parsing buffered requests and answering each in turn on the
 *             worker's thread, so replies keep the order of the requests;
 *             a request begun must end within request_timeout_ms
 *   DRAINING  too much output is queued for a slow reader: reading paused
 *             until it drains below half of max_output_bytes
 *   PAUSED    a wrong auth token: nothing more is read or answered for
 *             auth_fail_delay_ms; then the auth_failed reply and READING,
 *             or CLOSING after max_auth_failures
 *   CLOSING   writing the last replies
 *   LINGERING the replies are out and our side is shut down; what the
 *             client still sends is discarded until it closes (or a
 *             short timeout), so that unread requests never turn our
 *             close into a reset that could destroy replies in transit
 *   CLOSED    done: counted as closed and off the worker's list, its
 *             events silenced; freed by conn_reap() on the loop's next
 *             turn, never inside a call chain that may still use it (as
 *             memcached's conn_closing and Redis's freeClientAsync)
 *
 * Every transition goes through conn_set_state(). */
#ifndef LEDE_SEARCHD_CONN_H
#define LEDE_SEARCHD_CONN_H

#include <event2/bufferevent.h>
#include <event2/util.h>

#include "shared.h"
#include "worker.h"

typedef enum {
    CONN_READING,
    CONN_DRAINING,
    CONN_PAUSED,
    CONN_CLOSING,
    CONN_LINGERING,
    CONN_CLOSED
} conn_state_t;

typedef struct conn {
    shared_t *sh;
    worker_t *worker; /* the loop it lives on */
    struct bufferevent *bev;
    conn_state_t state;
    bool eof;                    /* the peer sent end of file: no more requests,
                                  * but it still reads the replies */
    struct event *request_timer; /* request_timeout_ms for the request begun */
    bool partial;                /* part of a request is buffered: the timer runs */
    bool authed;                 /* gave the token, or none is needed */
    unsigned auth_failures;      /* wrong tokens given */
    struct event *auth_timer;    /* PAUSED: when the auth_failed reply goes */
    json_t *failed_id;           /* PAUSED: the id of the request it answers */
    uint64_t id;
    char peer[64];
    struct conn *prev, *next;
} conn_t;

/* On a worker: takes a socket accepted on the main loop. */
void conn_accept(worker_t *w, evutil_socket_t fd, uint64_t id, const char *peer);

/* On a worker: frees its CLOSED connections. */
void conn_reap(worker_t *w);

/* Frees every connection of a worker whose loop has ended. */
void conn_close_all(worker_t *w);

/* Server stop: answers the requests already received, then closes. */
void conn_shutdown(conn_t *c);

#endif
