/* index_status: the served index's status, read once and copied. */
#include "index_status.h"

#include <stdlib.h>
#include <string.h>

/* An empty status that says the index is down for want of memory. */
static void out_of_memory(index_status_t *s) {
    index_status_free(s);
    lede_errf(&s->why, LEDE_E_NOMEM, "out of memory reading the index's status");
}

/* s->shards[k] as a copy of from (whose strings may be borrowed); false
 * when out of memory. */
static bool set_shard(index_status_t *s, size_t k, const index_shard_t *from) {
    index_shard_t *to = &s->shards[k];
    *to = (index_shard_t){.remote = from->remote, .up = from->up, .doccount = from->doccount};
    to->spec = strdup(from->spec);
    to->error = strdup(from->error);
    s->shards_down += !from->up;
    return to->spec && to->error;
}

/* Room for n shards in s (none yet filled); false when out of memory. */
static bool alloc_shards(index_status_t *s, size_t n) {
    s->shards = n ? calloc(n, sizeof *s->shards) : NULL;
    s->n_shards = s->shards ? n : 0;
    s->shards_down = 0;
    return !n || s->shards;
}

void index_status_read(const config_t *c, shim_db_t *db, index_status_t *out) {
    memset(out, 0, sizeof *out);
    out->up = shim_db_check(db) == LEDE_OK && shim_db_stats(db, &out->st) == LEDE_OK;
    if (!out->up)
        lede_errf(&out->why, LEDE_E_OPEN, "the index at %.200s cannot be read: %.280s",
                  config_index_name(c), shim_db_errmsg(db));
    if (!c->shards[0]) return;
    size_t n = shim_db_shard_count(db);
    if (!alloc_shards(out, n)) return out_of_memory(out);
    for (size_t k = 0; k < n; k++) {
        shim_shard_info_t info;
        shim_db_shard_info(db, k, &info); /* its strings live until the next call */
        index_shard_t view = {.spec = (char *)info.spec,
                              .remote = info.remote,
                              .up = info.up,
                              .error = (char *)info.error,
                              .doccount = info.doccount};
        if (!set_shard(out, k, &view)) return out_of_memory(out);
    }
}

void index_status_copy(index_status_t *dst, const index_status_t *src) {
    *dst = *src;
    if (!alloc_shards(dst, src->n_shards)) return out_of_memory(dst);
    for (size_t k = 0; k < src->n_shards; k++)
        if (!set_shard(dst, k, &src->shards[k])) return out_of_memory(dst);
}

void index_status_free(index_status_t *s) {
    for (size_t k = 0; k < s->n_shards; k++) free(s->shards[k].spec), free(s->shards[k].error);
    free(s->shards);
    memset(s, 0, sizeof *s);
}
