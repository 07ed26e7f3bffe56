/* index_watch: tells the main loop within milliseconds that lede-indexer
 * has committed to the served index or switched it to a new generation,
 * so a new article is searchable at once rather than at the next
 * reload_interval_ms poll (which stays, as the fallback for filesystems
 * that report no changes, NFS among them, and for a full inotify queue).
 *
 * Xapian's glass backend commits by renaming a new version file to
 * "iamglass" in the database's directory; lede-indexer publishes a new
 * generation by renaming the stub "XAPIANDB" in the index directory
 * (indexer/index_dir.h). Those two renames are all that is watched, with
 * inotify: the served index directory, and the generation its stub names
 * (or the directory itself, for a plain Xapian database). */
#ifndef LEDE_SEARCHD_INDEX_WATCH_H
#define LEDE_SEARCHD_INDEX_WATCH_H

#include <event2/event.h>

#include "lede/status.h"

typedef struct index_watch index_watch_t;

/* Watches db; changed(arg) runs on base's loop after a commit or a switch
 * (it may also run when nothing changed: check). NULL, with a reason in
 * err, when inotify cannot be used; the caller then relies on polling. */
index_watch_t *index_watch_new(struct event_base *base, const char *db, void (*changed)(void *),
                               void *arg, lede_err_t *err);

void index_watch_free(index_watch_t *w);

#endif
