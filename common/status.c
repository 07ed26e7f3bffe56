/* Names of lede_status_t values: stable, used in error replies and logs. */
#include "lede/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

lede_status_t lede_errf(lede_err_t *err, lede_status_t st, const char *fmt, ...) {
    if (!err) return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return st;
}

lede_status_t lede_err_context(lede_err_t *err, lede_status_t st, const char *fmt, ...) {
    if (!err) return st;
    char prefix[LEDE_ERR_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    size_t head = strlen(prefix) + 2, keep = strnlen(err->msg, sizeof err->msg - 1);
    if (head >= sizeof err->msg) head = sizeof err->msg - 1, keep = 0;
    if (head + keep >= sizeof err->msg) keep = sizeof err->msg - 1 - head;
    memmove(err->msg + head, err->msg, keep); /* the old message, shifted right */
    err->msg[head + keep] = '\0';
    memcpy(err->msg, prefix, head - 2);
    memcpy(err->msg + head - 2, ": ", head >= 2 ? 2 : 0);
    return st;
}
