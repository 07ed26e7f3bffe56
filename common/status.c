/* Names of lede_status_t values: stable, used in error replies and logs. */
#include "lede/status.h"

static const char *const STATUS_NAMES[LEDE_STATUS_COUNT] = {
    [LEDE_OK] = "ok",
    [LEDE_E_NOMEM] = "out_of_memory",
    [LEDE_E_INVALID] = "invalid_argument",
    [LEDE_E_NOT_FOUND] = "not_found",
    [LEDE_E_BAD_QUERY] = "bad_query",
    [LEDE_E_OPEN] = "cannot_open",
    [LEDE_E_LOCKED] = "locked",
    [LEDE_E_MODIFIED] = "modified",
    [LEDE_E_CORRUPT] = "corrupt",
    [LEDE_E_IO] = "io_error",
    [LEDE_E_NETWORK] = "network_error",
    [LEDE_E_UNSUPPORTED] = "unsupported",
    [LEDE_E_INTERNAL] = "internal_error",
    [LEDE_E_TIMEOUT] = "timeout",
};

const char *lede_status_to_string(lede_status_t status) {
    if ((unsigned)status >= LEDE_STATUS_COUNT) return "unknown_status";
    return STATUS_NAMES[status];
}
