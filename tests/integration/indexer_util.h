/* indexer_util: what the lede-indexer integration tests share: running the
 * real binary, and looking at the index it leaves through the shim, as
 * lede-searchd would see it. */
#ifndef LEDE_TEST_INDEXER_UTIL_H
#define LEDE_TEST_INDEXER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "lede/shim.h"

/* The lede-indexer binary under test; set by main(). */
extern const char *indexer;

/* The path of a fixture below tests/fixtures. Static storage, overwritten
 * by the next call. */
const char *fx(const char *name);

/* tmp/idx, in static storage. */
char *db_path(const char *tmp);

/* Runs lede-indexer with a NULL-terminated argument list through check_run
 * (../unit/check.h), stdin from stdin_path (or /dev/null), under a
 * file-size limit of fsize bytes (0: no limit); returns its exit status
 * (128+N when killed by signal N) and its output in *out and *err
 * (malloc'd). */
int run_indexer(char **out, char **err, long fsize, const char *stdin_path, ...);

#define INDEX(out, err, ...) run_indexer(out, err, 0, NULL, __VA_ARGS__, (char *)NULL)

/* Starts `lede-indexer --db db --rebuild input` and kills it (SIGKILL)
 * after delay_ms. */
void kill_rebuild(const char *db, const char *input, int delay_ms);

/* The index at dir opened for reading, or NULL (after printing why). */
shim_db_t *open_db(const char *dir);

/* Documents in the index at dir; 0 when it cannot be opened. */
uint32_t doccount(const char *dir);

/* The stored JSON of a document, or NULL. Caller frees. */
char *get_doc(const char *dir, const char *id);

/* The spelling suggestion for text in the index at dir, or "" (copied
 * into out). */
void suggestion(const char *dir, const char *text, char *out, size_t size);

/* Writes n generated articles, ids k0 to k(n-1), to path. */
void write_corpus(const char *path, int n);

/* The same for ids k(first) to k(first+n-1). */
void write_corpus_from(const char *path, int first, int n);

#endif
