/* access_log: one JSON line per HTTP request answered, to the file named
 * by access_log (docs/http.md "Logs"), for log tools rather than
 * people: {"time","peer","method","target","status","bytes","ms",
 * "user_agent"}. Written from the main loop; reopened on SIGUSR1 like
 * log_file, so logrotate can move it away. */
#ifndef LEDE_SEARCHD_ACCESS_LOG_H
#define LEDE_SEARCHD_ACCESS_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

typedef struct access_entry {
    const char *peer;       /* "127.0.0.1:50312" */
    const char *method;     /* "GET" */
    const char *target;     /* the request's path and query, as sent */
    const char *user_agent; /* NULL: none sent */
    int status;
    size_t bytes; /* of the body */
    double ms;    /* from the request's arrival to its reply */
} access_entry_t;

/* Opens the file when access_log is set; false with a reason in err. */
lede_status_t access_log_open(const config_t *c, lede_err_t *err);

bool access_log_enabled(void);

void access_log_write(const access_entry_t *e);

/* Opens the file again by name; on failure keeps writing to the old one
 * and says why in err. */
lede_status_t access_log_reopen(lede_err_t *err);

void access_log_close(void);

#endif
