/* shards: a lede index split into N shards (lede-indexer --shards N).
 *
 *   DIR/XAPIANDB       "auto shard-0" ... "auto shard-<N-1>", then "auto spelling":
 *                      readers open DIR and Xapian searches every shard as one
 *                      database, with global statistics (nested stubs work:
 *                      DIR/XAPIANDB -> shard-k/XAPIANDB -> shard-k/gen-NNNNNN)
 *   DIR/shard-k/       an ordinary lede index directory (index_dir.h): its
 *                      generations, its own XAPIANDB stub and lock; it holds
 *                      the documents whose id routes to k, and no spelling
 *                      data, so that xapian-tcpsrv DIR/shard-k can serve it
 *   DIR/spelling/      an ordinary lede index directory with no documents:
 *                      the spelling data of every shard, the learnt site
 *                      furniture (furniture.h) and SHARDS_META_KEY = N
 *   DIR/lock           held by the one indexer working on DIR
 *
 * Xapian reads metadata from the first database of a stub only, so a reader
 * of DIR sees shard-0's (its language, which every shard has); the furniture
 * and SHARDS_META_KEY are read from DIR/spelling.
 *
 * A run builds every new generation first (shards, then spelling) and only
 * then publishes them, one shard after another, spelling last, and writes
 * DIR/XAPIANDB when the layout is new or N changed. Each shard's switch is
 * atomic (index_dir_publish), the set of them is not: a crash or a failure
 * while publishing, or between the commits of a direct update or delete,
 * leaves some shards updated and others as they were (never a half-written
 * shard). Re-running the same command converges: upserts and deletes are
 * idempotent per shard, a --rebuild replaces every shard, and spelling,
 * published last, has counted a run's words once when it succeeds. Only a
 * run that died after publishing spelling and is then run again counts its
 * words twice, as re-running an unsharded update does. */
#ifndef LEDE_INDEXER_SHARDS_H
#define LEDE_INDEXER_SHARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index_dir.h"
#include "lede/status.h"

/* Upper bound of --shards: each shard is a database a query opens. */
#define SHARDS_MAX 1024
#define SHARDS_META_KEY "lede.shards"
#define SHARDS_SPELLING_NAME "spelling"

/* The stable hash of an article id: 64-bit FNV-1a over its bytes (offset
 * basis 0xcbf29ce484222325, prime 0x100000001b3). It decides where every
 * document lives, so it must never change. */
uint64_t shards_hash(const char *id);

/* The shard (0 to n-1) of the document with this id: shards_hash(id) % n. */
unsigned shards_route(const char *id, unsigned n);

/* The open layout: the shards' and spelling's index directories, locked. */
typedef struct shards {
    unsigned n;
    index_dir_t *dirs; /* n of them */
    index_dir_t spelling;
} shards_t;

/* Opens (creating when missing) DIR/shard-0 .. shard-<n-1> and
 * DIR/spelling below the locked top directory top. On failure err says
 * why and nothing is left open. */
lede_status_t shards_open(shards_t *s, const index_dir_t *top, unsigned n, lede_err_t *err);

/* The highest live generation of any shard (0 when none has one). */
unsigned shards_max_gen(const shards_t *s);

/* Bytes of the shards' live generations. */
uint64_t shards_live_bytes(const shards_t *s);

/* Unlocks everything; s may be partly open. */
void shards_close(shards_t *s);

/* Where the learnt furniture of the index at db is read: db/spelling for a
 * sharded index, db itself otherwise. */
void shards_meta_path(const char *db, char *out, size_t size);

#endif
