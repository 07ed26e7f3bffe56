/* reloader: the reload check, on a thread of its own. It owns a handle on
 * the index and reopens it every reload_interval_ms, and at once when
 * kicked (index_watch saw a commit; SIGHUP). When the index changed it
 * tells the workers (pool_reload), which reopen their own handles before
 * their next request. After each check it keeps a copy of the index's
 * status (index_status.h), which the main loop's /health, /stats and
 * /metrics answer from.
 *
 * Why a thread: a reopen can wait on a shard that hangs (up to
 * shard_connect_timeout_ms or shard_timeout_ms, again at each retry).
 * On the main loop that wait stopped accepting connections and answering
 * /health for as long; here the main loop goes on meanwhile. */
#ifndef LEDE_SEARCHD_RELOADER_H
#define LEDE_SEARCHD_RELOADER_H

#include <stdbool.h>

#include "index_status.h"
#include "lede/shim.h"
#include "lede/status.h"
#include "shared.h"
#include "worker.h"

typedef struct reloader reloader_t;

/* Takes db (the caller has opened it and said what it found), reads its
 * status and starts the thread. On failure db is closed. */
lede_status_t reloader_start(reloader_t **out, shared_t *sh, pool_t *pool, shim_db_t *db,
                             lede_err_t *err);

/* A check now rather than at the next interval; forced: the workers
 * reopen even when nothing changed (SIGHUP). Any thread. */
void reloader_kick(reloader_t *r, bool forced);

/* A copy of the status the last check found; free it with
 * index_status_free. Any thread; never waits for a check. */
void reloader_status(reloader_t *r, index_status_t *out);

/* Asks the thread to stop after the check under way; returns at once. */
void reloader_stop(reloader_t *r);

/* Stops the thread, waits for it and closes its handle. NULL: nothing. */
void reloader_free(reloader_t *r);

#endif
