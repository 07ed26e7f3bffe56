/* rejects: where bad records go. Each is reported on stderr as
 * "file:line: reason" and, with --rejects FILE, its raw line is kept so it
 * can be fixed and fed again. Safe to call from several threads. */
#ifndef LEDE_REJECTS_H
#define LEDE_REJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "lede/status.h"

typedef struct rejects rejects_t;

/* keep_path may be NULL. *out is freed with rejects_close(). Rejects are
 * errors, so they are reported even under --quiet (which only silences the
 * summary and progress): a run that exits 1 always says why. */
lede_status_t rejects_open(const char *keep_path, rejects_t **out, lede_err_t *err);

/* line 0 means the whole file. raw/len may be NULL/0 (nothing to keep). */
void rejects_report(rejects_t *r, const char *file, uint64_t line, const char *reason,
                    const char *raw, size_t len);

uint64_t rejects_count(const rejects_t *r);

/* Flushes the keep file; LEDE_E_IO, with the reason in err, when a line
 * could not be written. Called before the index changes, so that a run
 * whose rejects are lost leaves it as it was. */
lede_status_t rejects_flush(rejects_t *r, lede_err_t *err);

/* Closes the keep file; returns LEDE_E_IO if it could not be written. */
lede_status_t rejects_close(rejects_t *r, lede_err_t *err);

#endif
