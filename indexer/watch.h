/* watch: lede-indexer --watch FOLDER and --follow FILE|-, a long-running
 * indexer that writes into the live generation (index_dir.h) through one
 * writer (one per shard on a sharded index: watch_out.c), committing in
 * small batches.
 *
 *   --watch FOLDER   each page (.txt, .html, .htm) and JSON Lines file
 *                    (.jsonl, .json; each also .gz) in FOLDER and below it
 *                    is read once it is complete: after the writer closes
 *                    it (IN_CLOSE_WRITE) or it is renamed into the folder
 *                    (IN_MOVED_TO); a file still open for writing by anyone
 *                    is never read (a read lease, F_SETLEASE, says so: it
 *                    cannot be taken while the file is open for writing).
 *                    A page's id is its path below FOLDER without its
 *                    extensions, as `lede-indexer --db X FOLDER` gives it.
 *                    Names starting with "." are not read (write there,
 *                    then rename). A removed file deletes its articles
 *                    with --delete-removed. Symbolic links are not followed.
 *   --follow FILE    the lines appended to FILE, followed across a rotation
 *                    by rename (the old file is read to its end first) or
 *                    by truncation; "-" reads standard input to its end.
 *
 * A batch is committed --commit-ms after its first change or once it holds
 * --batch-docs documents, whichever is first; then INDEX/watch-state
 * (watch_state.h) is written: per file its size, mtime, inode and ids, and
 * the committed offset of a followed file. At start-up the folder is
 * walked and what differs from the state is read (files added or changed
 * while the indexer was down), and files the state knows that are gone
 * are treated as removed.
 *
 * The crash story (kill -9 at any point). The index and the state are two
 * files, each switched atomically (Xapian's commit; the state's rename),
 * and the state is written only after the index commit it describes. So
 * after a crash the state is never ahead of the index: it describes the
 * last commit or an earlier one.
 *   - Killed before a commit: the transaction is lost (its space given
 *     back by the next writer: shim.h's lede-undo note), the state is that
 *     of the commit before, and the restart reads the same files again.
 *   - Killed between a commit and its state: the restart reads files whose
 *     articles are already in the index. Every write is an upsert by id
 *     (a page's id comes from its path, a record's from its id field), so
 *     reading a file again replaces its documents with the same ones:
 *     nothing is there twice. A removal is a delete by id, which is
 *     idempotent too. Only the spelling counts of those articles' words are
 *     added twice, as when a batch update is run again.
 *   - A followed file restarts at the committed offset (when its inode is
 *     the one recorded; otherwise, rotated while the indexer was down, at
 *     the start of the new file): lines after it are read again, upserted.
 * Nothing is lost either: a file's state is recorded only after the commit
 * that holds its articles.
 *
 * SIGTERM and SIGINT finish the batch under way, commit it, write the
 * state and exit 0. Memory: the state grows with the files in FOLDER, the
 * rest is freed per file or per batch. */
#ifndef LEDE_INDEXER_WATCH_H
#define LEDE_INDEXER_WATCH_H

#include "job.h"

typedef struct shards shards_t;

/* Runs --watch and/or --follow on the index of j, or on its shards s (NULL:
 * unsharded; each shard and spelling with a live generation), until a
 * signal (or the end of standard input); returns the exit status. */
int watch_run(index_run_t *j, const shards_t *s);

#endif
