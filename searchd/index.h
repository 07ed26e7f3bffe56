/* index: opening what lede-searchd serves: one index (the db key), or the
 * shards key's local paths and tcp://HOST:PORT remotes, searched as one
 * database (shim_db_open_shards). Each thread opens its own handle. */
#ifndef LEDE_SEARCHD_INDEX_H
#define LEDE_SEARCHD_INDEX_H

#include "config.h"
#include "lede/shim.h"
#include "lede/status.h"

/* The most shards one shards key may list. */
#define INDEX_MAX_SHARDS 64

lede_status_t index_open(const config_t *c, shim_db_t **out, lede_err_t *err);

#endif
