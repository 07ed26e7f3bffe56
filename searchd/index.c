/* Opening the index or the shards that lede-searchd serves. */
#include "index.h"

#include <stdlib.h>
#include <string.h>

/* Splits the shards key at its commas (spaces around each are dropped)
 * into specs, pointing into copy; how many. */
static size_t split_shards(char *copy, const char *specs[INDEX_MAX_SHARDS + 1]) {
    size_t n = 0;
    for (char *p = strtok(copy, ","); p && n <= INDEX_MAX_SHARDS; p = strtok(NULL, ",")) {
        p += strspn(p, " \t");
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) p[--len] = '\0';
        if (len) specs[n++] = p;
    }
    return n;
}

static lede_status_t open_shards(const config_t *c, shim_db_t **out, lede_err_t *err) {
    char copy[CONFIG_PATH_MAX], *msg = NULL;
    const char *specs[INDEX_MAX_SHARDS + 1];
    memcpy(copy, c->shards, sizeof copy);
    size_t n = split_shards(copy, specs);
    if (n == 0 || n > INDEX_MAX_SHARDS)
        return lede_errf(err, LEDE_E_INVALID, "shards lists %s shards (1 to %d)",
                         n ? "too many" : "no", INDEX_MAX_SHARDS);
    shim_shard_opts_t o = {.connect_timeout_ms = (unsigned)c->shard_connect_timeout_ms,
                           .timeout_ms = (unsigned)c->shard_timeout_ms,
                           .partial = c->shard_partial,
                           .spelling = c->spelling_db[0] ? c->spelling_db : NULL};
    lede_status_t st = shim_db_open_shards(specs, n, &o, out, &msg);
    if (st != LEDE_OK)
        lede_errf(err, st, "cannot open the shards %s: %s", c->shards, msg ? msg : "out of memory");
    free(msg);
    return st;
}

lede_status_t index_open(const config_t *c, shim_db_t **out, lede_err_t *err) {
    if (c->shards[0]) return open_shards(c, out, err);
    char *msg = NULL;
    lede_status_t st = shim_db_open(c->db, out, &msg);
    if (st != LEDE_OK)
        lede_errf(err, st,
                  "cannot open the index at %s: %s (build one with lede-indexer --db %s ...)",
                  c->db, msg ? msg : "out of memory", c->db);
    free(msg);
    return st;
}
