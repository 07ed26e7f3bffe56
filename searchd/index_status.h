/* index_status: what /health, /stats, /metrics and STATS say about the
 * served index, read from a handle at one moment and kept apart from it:
 * the main loop answers from the copy the reload thread last took
 * (reloader.h), never from a handle that may be waiting on a shard. */
#ifndef LEDE_SEARCHD_INDEX_STATUS_H
#define LEDE_SEARCHD_INDEX_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lede/shim.h"
#include "lede/status.h"

typedef struct index_shard {
    char *spec; /* as configured: a path or tcp://HOST:PORT */
    bool remote, up;
    char *error;       /* why it is down; "" when up */
    uint32_t doccount; /* when up */
} index_shard_t;

typedef struct index_status {
    bool up;               /* the index can be read */
    lede_err_t why;        /* when not up: why not, naming the index */
    shim_stats_t st;       /* when up */
    size_t n_shards;       /* with the shards key; else 0 */
    size_t shards_down;    /* of those */
    index_shard_t *shards; /* n_shards of them; owned */
} index_status_t;

/* Reads db's status into out (which index_status_free releases). Out of
 * memory, out is empty and says the index is down, and why. */
void index_status_read(const config_t *c, shim_db_t *db, index_status_t *out);

/* A deep copy of src into dst; out of memory, as index_status_read. */
void index_status_copy(index_status_t *dst, const index_status_t *src);

void index_status_free(index_status_t *s);

#endif
