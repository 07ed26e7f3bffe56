/* watch_state: what a long-running indexer (--watch, --follow: watch.h)
 * has committed, kept beside the index as INDEX/watch-state.
 *
 * For each file of the watched folder: its path below the folder, size,
 * mtime (ns) and inode as they were when it was read, and the ids of the
 * articles it gave (at most WSTATE_IDS_MAX; past that its removal cannot
 * delete them all, which is warned about). For a followed file: its inode,
 * the byte offset and line number up to which its lines are committed.
 *
 * The file is JSON, written whole after each commit to a temporary file,
 * fsync'd, renamed over the old one, and the directory fsync'd: a crash
 * leaves the old state or the new one, never a mix. Memory grows with the
 * files of the folder only. */
#ifndef LEDE_INDEXER_WATCH_STATE_H
#define LEDE_INDEXER_WATCH_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "lede/status.h"

#define WSTATE_FILE_NAME "watch-state"
/* Ids remembered per file: a JSON Lines file of millions of records would
 * otherwise hold the whole state in memory. */
#define WSTATE_IDS_MAX 100000

typedef struct watch_state watch_state_t;

/* Reads the state at path (a missing file is an empty state). *out is
 * freed with wstate_free. A state that cannot be parsed is an error: the
 * user decides whether to remove it (which re-indexes everything). */
lede_status_t wstate_load(const char *path, watch_state_t **out, lede_err_t *err);
void wstate_free(watch_state_t *s);

/* Writes the state atomically (see above). */
lede_status_t wstate_save(watch_state_t *s, lede_err_t *err);

/* Whether rel was read as it is now (same size, mtime and inode). */
bool wstate_unchanged(const watch_state_t *s, const char *rel, const struct stat *st);

/* Whether rel is known at all. */
bool wstate_has(const watch_state_t *s, const char *rel);

/* The ids rel gave, a JSON array borrowed until the next change of rel;
 * NULL when rel is unknown. */
json_t *wstate_ids(const watch_state_t *s, const char *rel);

/* Records rel as read: st as it was, ids (a JSON array; the reference is
 * stolen). LEDE_E_NOMEM when that fails. */
lede_status_t wstate_put(watch_state_t *s, const char *rel, const struct stat *st, json_t *ids);

void wstate_remove(watch_state_t *s, const char *rel);

/* Calls fn for each file known (fn may not change the state); stops when
 * fn returns false. */
void wstate_each(const watch_state_t *s, bool (*fn)(void *ctx, const char *rel), void *ctx);

/* The committed position in a followed file: false when none is known. */
bool wstate_follow_get(const watch_state_t *s, uint64_t *ino, uint64_t *offset, uint64_t *line);
lede_status_t wstate_follow_set(watch_state_t *s, uint64_t ino, uint64_t offset, uint64_t line);

#endif
