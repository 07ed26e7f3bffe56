/* http_host: which Host headers the HTTP API answers.
 *
 * DNS rebinding: a page served to a browser from evil.example can have
 * that name resolve to 127.0.0.1 a moment later, and then read a loopback
 * daemon as if it were its own origin. The browser still sends
 * "Host: evil.example", so the API answers only the names that a page of
 * its own would use: the loopback names (localhost, 127.0.0.1, [::1]),
 * the listen address itself, and http_allowed_hosts. A daemon listening
 * on every interface (0.0.0.0, ::) with http_allowed_hosts empty answers
 * any name, not knowing its own; "*" answers any name in all cases. */
#ifndef LEDE_SEARCHD_HTTP_HOST_H
#define LEDE_SEARCHD_HTTP_HOST_H

#include <stdbool.h>

/* Whether a request with this Host header (NULL: none, as HTTP/1.0 may
 * send) is answered by a daemon listening on listen_host, with allowed
 * the http_allowed_hosts list (names separated by commas or spaces, "*",
 * or ""). The port of the header is ignored; names compare without case. */
bool http_host_allowed(const char *listen_host, const char *allowed, const char *header);

#endif
