/* lede status codes: the one error idiom of the whole tree.
 *
 * Every fallible call returns a lede_status_t. LEDE_OK is zero so that
 * `if (st != LEDE_OK)` and `if (st)` both read naturally. The message that
 * explains a failure goes to the caller's lede_err_t, written by the one
 * formatter lede_errf():
 *
 *     lede_status_t config_load(config_t *c, const char *path, lede_err_t *err);
 *     ...
 *     if (!f) return lede_errf(err, LEDE_E_OPEN, "%s: %s", path, strerror(errno));
 *
 * A shim object keeps its own last message instead (shim_db_errmsg):
 * Xapian handles outlive a call. */
#ifndef LEDE_STATUS_H
#define LEDE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lede_status {
    LEDE_OK = 0,
    LEDE_E_NOMEM,       /* out of memory */
    LEDE_E_INVALID,     /* a bad argument or value from the caller */
    LEDE_E_NOT_FOUND,   /* no such document (or term) */
    LEDE_E_BAD_QUERY,   /* the query string could not be parsed */
    LEDE_E_OPEN,        /* the index does not exist or cannot be opened */
    LEDE_E_LOCKED,      /* another writer holds the index */
    LEDE_E_MODIFIED,    /* the revision being read was discarded: reopen */
    LEDE_E_CORRUPT,     /* the index is damaged */
    LEDE_E_IO,          /* a read or write failed: disk full, permissions */
    LEDE_E_NETWORK,     /* a remote shard failed or timed out */
    LEDE_E_UNSUPPORTED, /* the operation is not possible on this index */
    LEDE_E_INTERNAL,    /* anything else; the message says what */
    LEDE_E_TIMEOUT,     /* stopped at its deadline */
    LEDE_STATUS_COUNT
} lede_status_t;

/* Room for one message: a path or two and what went wrong. */
#define LEDE_ERR_BYTES 2048

typedef struct lede_err {
    char msg[LEDE_ERR_BYTES];
} lede_err_t;

/* Writes the printf-style message to err (which may be NULL: the caller
 * does not want it) and returns st, so a failure is one statement. */
lede_status_t lede_errf(lede_err_t *err, lede_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "prefix: " before the message err already holds (context added on
 * the way up); returns st. */
lede_status_t lede_err_context(lede_err_t *err, lede_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A stable lower_snake_case name for the status ("bad_query"); never NULL. */
const char *lede_status_to_string(lede_status_t status);

#ifdef __cplusplus
}
#endif

#endif
