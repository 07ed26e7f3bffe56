/* lede status codes: the one error idiom of the whole tree.
 *
 * Every fallible call returns a lede_status_t. LEDE_OK is zero so that
 * `if (st != LEDE_OK)` and `if (st)` both read naturally. The message that
 * explains a failure lives with the object that failed (see shim.h). */
#ifndef LEDE_STATUS_H
#define LEDE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lede_status {
    LEDE_OK = 0,
    LEDE_E_NOMEM,        /* out of memory */
    LEDE_E_INVALID,      /* a bad argument or value from the caller */
    LEDE_E_NOT_FOUND,    /* no such document (or term) */
    LEDE_E_BAD_QUERY,    /* the query string could not be parsed */
    LEDE_E_OPEN,         /* the index does not exist or cannot be opened */
    LEDE_E_LOCKED,       /* another writer holds the index */
    LEDE_E_MODIFIED,     /* the revision being read was discarded: reopen */
    LEDE_E_CORRUPT,      /* the index is damaged */
    LEDE_E_IO,           /* a read or write failed: disk full, permissions */
    LEDE_E_NETWORK,      /* a remote shard failed or timed out */
    LEDE_E_UNSUPPORTED,  /* the operation is not possible on this index */
    LEDE_E_INTERNAL,     /* anything else; the message says what */
    LEDE_E_TIMEOUT,      /* stopped at its deadline */
    LEDE_STATUS_COUNT
} lede_status_t;

/* A stable lower_snake_case name for the status ("bad_query"); never NULL. */
const char *lede_status_to_string(lede_status_t status);

#ifdef __cplusplus
}
#endif

#endif
