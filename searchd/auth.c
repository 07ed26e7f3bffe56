/* The shared-secret check (auth.h). */
#include "auth.h"

#include <string.h>
#include <strings.h>

bool auth_enabled(const config_t *c) {
    return c->auth_token[0] != '\0';
}

/* Every byte of the token is looked at whatever the guess: the time
 * depends on the token's length alone. */
static bool same_secret(const char *want, const char *given) {
    size_t n = strlen(want), m = strlen(given);
    volatile unsigned char diff = n != m;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)want[i] ^ (unsigned char)(i < m ? given[i] : 0);
    return diff == 0;
}

bool auth_token_ok(const config_t *c, const char *given) {
    return auth_enabled(c) && given && same_secret(c->auth_token, given);
}

bool auth_bearer_ok(const config_t *c, const char *header) {
    if (!header || strncasecmp(header, "Bearer ", 7) != 0) return false;
    header += 7;
    while (*header == ' ') header++;
    return auth_token_ok(c, header);
}
