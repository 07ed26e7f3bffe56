/* indexrun: one run of the real lede-indexer over a folder of pages, into
 * a private temporary directory that is removed afterwards. One run over
 * the whole folder, not one per page: the indexer learns a site's
 * repeated furniture across the pages of one run. */
#ifndef LEDE_EVAL_INDEXRUN_H
#define LEDE_EVAL_INDEXRUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct indexrun {
    int status;    /* the indexer's exit status (128 + N when killed by N) */
    char *summary; /* its "lede-indexer: added ..." line, or NULL */
    char *output;  /* everything it printed (stdout and stderr) */
} indexrun_t;

/* Makes a fresh directory under $TMPDIR (or /tmp). Caller frees the path
 * and removes the directory with indexrun_remove(). NULL (with the reason
 * in err) on failure. */
char *indexrun_tmpdir(char *err, size_t size);

/* Removes the tree at path (best effort). */
void indexrun_remove(const char *path);

/* Runs `indexer --db db --no-progress dir`, its output into log, and
 * kills it when it runs longer than timeout_s seconds (0: no limit).
 * false (with the reason in err) when it could not be started or was
 * killed; a run that fails on its own is reported through out->status.
 * The caller frees out with indexrun_free(). */
bool indexrun_run(const char *indexer, const char *dir, const char *db, const char *log,
                  unsigned timeout_s, indexrun_t *out, char *err, size_t size);
void indexrun_free(indexrun_t *r);

#endif
