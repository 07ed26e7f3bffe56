/* auth: the shared secret that lets a client in when auth_token (or
 * auth_token_file) is set (docs/protocol.md, "Authentication"). The line
 * protocol gives it once per connection (AUTH, or an "auth" field); HTTP
 * in each request's "Authorization: Bearer" header. Comparisons take the
 * same time whatever the guess, so the token cannot be found byte by byte
 * from reply times; failures are counted and slowed down by the callers. */
#ifndef LEDE_SEARCHD_AUTH_H
#define LEDE_SEARCHD_AUTH_H

#include <stdbool.h>

#include "config.h"

/* Whether clients must give a token. */
bool auth_enabled(const config_t *c);

/* Whether given (NULL: none) is the token. */
bool auth_token_ok(const config_t *c, const char *given);

/* Whether an Authorization header value (NULL: none) is "Bearer <token>"
 * ("bearer" in any case, spaces after it ignored). */
bool auth_bearer_ok(const config_t *c, const char *header);

#endif
