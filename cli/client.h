/* client: one request line to lede-searchd and its reply line. */
#ifndef LEDE_CLI_CLIENT_H
#define LEDE_CLI_CLIENT_H

#include <stddef.h>

#include "lede/status.h"

/* Connects to host:port, sends line (with its \n) and reads one reply
 * line into *reply (malloc'd, without its \n); a message for a person in
 * err when it cannot. */
lede_status_t client_call(const char *host, const char *port, const char *line, int timeout_ms,
                          char **reply, lede_err_t *err);

#endif
