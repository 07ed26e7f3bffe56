/* log: one line per event, to stderr or a file. Safe from any thread. */
#ifndef LEDE_SEARCHD_LOG_H
#define LEDE_SEARCHD_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Opens the log destination; false with a reason in err. */
lede_status_t log_open(const config_t *c, lede_err_t *err);
void log_close(void);

/* Opens log_file again by name (logrotate moved it: SIGUSR1); on failure
 * keeps writing to the old file and says why in err. Lines are never
 * lost: writers wait for the swap. */
lede_status_t log_reopen(lede_err_t *err);

void log_msg(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies at most 128 bytes of untrusted text into out[132], replacing
 * non-printable bytes with '?', for logging bad input safely. */
const char *log_safe(const char *s, size_t n, char out[132]);

#endif
