/* index_dir: the on-disk layout of a lede index and its atomic switch.
 *
 *   DIR/XAPIANDB       stub naming the live generation: "auto gen-000007"
 *   DIR/gen-000007/    the live Xapian database (with a lede-undo note while a
 *                      direct update or delete writes into it: see shim.h)
 *   DIR/gen-000006/    the previous one, kept for readers still using it
 *   DIR/tmp-<pid>/     shards of a build in progress
 *   DIR/lock           held (flock) by the one indexer working on DIR
 *
 * A sharded index (shards.h) has instead a stub listing its shards,
 * "auto shard-0" ... "auto spelling", each an index directory like this one.
 *
 * Readers open DIR; Xapian follows the stub. A new generation becomes live
 * only by rename(2) of a complete stub, so a reader never sees a half-built
 * index and a crash at any point leaves the live one as it was. */
#ifndef LEDE_INDEX_DIR_H
#define LEDE_INDEX_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/status.h"

#define INDEX_PATH_MAX 4096

typedef struct index_dir {
    char path[INDEX_PATH_MAX];
    int lock_fd;
    unsigned live_gen; /* 0 when there is no live generation yet */
    unsigned shards;   /* shards the stub lists, for a sharded index; or 0 */
} index_dir_t;

/* Opens (creating if missing) and locks DIR, and clears what an earlier
 * crash left behind. On failure returns a status with a message in
 * err; LEDE_E_LOCKED when another indexer holds DIR. */
lede_status_t index_dir_open(index_dir_t *d, const char *path, lede_err_t *err);

/* Path of generation gen, or of the build area of this process. */
void index_dir_gen_path(const index_dir_t *d, unsigned gen, char *out, size_t size);
void index_dir_tmp_path(const index_dir_t *d, char *out, size_t size);

/* Makes generation gen live: syncs it, switches the stub atomically and
 * removes generations older than the previous one. */
lede_status_t index_dir_publish(index_dir_t *d, unsigned gen, lede_err_t *err);

/* Makes DIR a sharded index of n shards: switches the stub atomically to
 * list DIR/shard-0 .. shard-<n-1> and DIR/spelling, then removes shards
 * past n and the generations of an unsharded index DIR was before. */
lede_status_t index_dir_publish_shards(index_dir_t *d, unsigned n, lede_err_t *err);

/* Bytes on disk of generation gen: the sizes of its files summed (0 when
 * it cannot be read). */
uint64_t index_dir_gen_bytes(const index_dir_t *d, unsigned gen);

/* Removes a directory tree; best effort. */
void index_dir_rmtree(const char *path);

/* Releases the lock. */
void index_dir_close(index_dir_t *d);

#endif
