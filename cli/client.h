/* client: one request line to lede-searchd and its reply line. */
#ifndef LEDE_CLI_CLIENT_H
#define LEDE_CLI_CLIENT_H

#include <stddef.h>

/* Connects to host:port, sends line (with its \n) and reads one reply
 * line. Returns the malloc'd reply without its \n, or NULL with a message
 * for a person in err. */
char *client_call(const char *host, const char *port, const char *line, int timeout_ms, char *err,
                  size_t err_size);

#endif
