/* The SphinxQL client half of sphinxql.h when libmariadb was not found at
 * build time: every connection fails and says how to get one. */
#include "sphinxql.h"

#include <stdio.h>

bool sphinxql_library_init(char *err, size_t size) {
    (void)err, (void)size;
    return true;
}

void sphinxql_library_end(void) {}

bool sphinxql_connect(const char *host, unsigned port, unsigned timeout_ms, sphinxql_conn_t **out,
                      char *err, size_t size) {
    (void)host, (void)port, (void)timeout_ms;
    *out = NULL;
    snprintf(err, size,
             "built without libmariadb, so without SphinxQL; install it with "
             "'apt-get install libmariadb-dev' and rebuild");
    return false;
}

sphinxql_status_t sphinxql_run(sphinxql_conn_t *c, const char *stmt, char *err, size_t size) {
    (void)c, (void)stmt;
    snprintf(err, size, "built without libmariadb");
    return SPHINXQL_BROKEN;
}

sphinxql_status_t sphinxql_total_found(sphinxql_conn_t *c, long long *total, char *err,
                                       size_t size) {
    (void)c;
    *total = -1;
    snprintf(err, size, "built without libmariadb");
    return SPHINXQL_BROKEN;
}

void sphinxql_close(sphinxql_conn_t *c) {
    (void)c;
}
