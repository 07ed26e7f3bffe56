/* watch_parts: what watch.c, watch_dir.c and follow.c share (watch.h).
 * Private to them. */
#ifndef LEDE_INDEXER_WATCH_PARTS_H
#define LEDE_INDEXER_WATCH_PARTS_H

#include <jansson.h>
#include <stdbool.h>

#include "job.h"
#include "watch_state.h"

typedef struct follow follow_t;
typedef struct shards shards_t;

/* Where the watcher writes (watch_out.c): the one index, or the shards of
 * a sharded one (shards.h) and their spelling database. */
typedef struct watch_out {
    unsigned n;           /* writers in w: 1, or the shards */
    shim_writer_t **w;    /* open for the whole run */
    shim_writer_t *spell; /* sharded: DIR/spelling's; NULL: w[0] keeps the spelling data */
    uint32_t before;      /* documents when the run began */
    bool open;            /* every writer opened */
} watch_out_t;

typedef struct watcher {
    index_run_t *j; /* first: see job_sink() */
    watch_out_t out;
    ingest_t ingest; /* writes through the writer w */
    watch_state_t *state;
    json_t *cur_ids;     /* ids of the file being read, or NULL */
    bool cur_new;        /* that file is new: its pages count for the furniture */
    uint64_t cur_over;   /* its ids past WSTATE_IDS_MAX */
    bool dirty;          /* changes not yet committed */
    double batch_start;  /* when the first of them was made */
    unsigned batch_docs; /* documents written since the last commit */
    bool learned_new;    /* pages counted since the last commit */
    /* --watch */
    const char *root;
    int ino_fd;  /* inotify, or -1 */
    json_t *wds; /* watch descriptor (decimal) -> directory below root ("" for root) */
    /* --follow */
    follow_t *follow;
} watcher_t;

/* watch_out.c: the writers ------------------------------------------------ */

/* Opens the writers of the live generations: of j's index (s NULL), or of
 * each shard of s and its spelling. */
lede_status_t wout_open(index_run_t *j, const shards_t *s, watch_out_t *o);

/* doc into the index (its shard), its words into spelling's data when
 * spelling is set. */
lede_status_t wout_upsert(watch_out_t *o, bool spelling, const shim_doc_t *doc, lede_err_t *err);

lede_status_t wout_delete(watch_out_t *o, const char *id, bool *found, lede_err_t *err);

/* Stores learned (when not NULL) and commits every writer, spelling last. */
lede_status_t wout_commit(watch_out_t *o, const ex_learned_t *learned, lede_err_t *err);

uint32_t wout_doccount(const watch_out_t *o);

/* Commits (st OK) or discards what is not committed, and frees o; false,
 * with j->err set, when anything failed. */
bool wout_close(index_run_t *j, watch_out_t *o, lede_status_t st);

/* watch.c ---------------------------------------------------------------- */

/* Reads root/rel when it changed since the state says; a file open for
 * writing is left for its IN_CLOSE_WRITE. */
lede_status_t watch_file(watcher_t *x, const char *rel);

/* rel is gone: its articles are deleted with --delete-removed. */
lede_status_t watch_gone(watcher_t *x, const char *rel);

/* The sink's record callback (job_sink): the record's documents written. */
lede_status_t watch_record(void *ctx, record_t *rec);

/* Commits when the batch is due (--commit-ms, --batch-docs). */
lede_status_t watch_tick(watcher_t *x);

/* watch_dir.c: the folder -------------------------------------------------- */

/* Starts inotify on root and its directories, reads what changed since the
 * state and treats what the state knows and is gone as removed. */
lede_status_t wdir_open(watcher_t *x);

/* Handles the events inotify has ready. */
lede_status_t wdir_events(watcher_t *x);

void wdir_close(watcher_t *x);

/* follow.c: a JSON Lines stream --------------------------------------------- */

lede_status_t follow_open(watcher_t *x, const char *path);

/* Reads what there is now, up to a bound. *ended when standard input ended. */
lede_status_t follow_read(watcher_t *x, bool *ended);

/* The descriptor to poll (standard input), or -1: poll a file by time. */
int follow_fd(const follow_t *f);

/* Records the position read so far in the state (at a commit). */
lede_status_t follow_mark(watcher_t *x);

void follow_close(follow_t *f);

#endif
