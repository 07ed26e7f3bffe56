/* index_status: the served index's status, read once and copied. */
#include "index_status.h"

#include <stdlib.h>
#include <string.h>

/* An empty status that says the index is down for want of memory. */
static bool out_of_memory(index_status_t *s) {
    index_status_free(s);
    lede_errf(&s->why, LEDE_E_NOMEM, "out of memory reading the index's status");
    return false;
}

static bool copy_shards(index_status_t *dst, const index_shard_t *src, size_t n) {
    dst->shards = n ? calloc(n, sizeof *dst->shards) : NULL;
    if (n && !dst->shards) return false;
    dst->n_shards = n;
    for (size_t k = 0; k < n; k++) {
        index_shard_t *to = &dst->shards[k];
        *to =
            (index_shard_t){.remote = src[k].remote, .up = src[k].up, .doccount = src[k].doccount};
        to->spec = strdup(src[k].spec);
        to->error = strdup(src[k].error);
        if (!to->spec || !to->error) return false;
    }
    return true;
}

bool index_status_read(const config_t *c, shim_db_t *db, index_status_t *out) {
    memset(out, 0, sizeof *out);
    out->up = shim_db_check(db) == LEDE_OK && shim_db_stats(db, &out->st) == LEDE_OK;
    if (!out->up)
        lede_errf(&out->why, LEDE_E_OPEN, "the index at %.200s cannot be read: %.280s",
                  config_index_name(c), shim_db_errmsg(db));
    if (!c->shards[0]) return true;
    size_t n = shim_db_shard_count(db);
    index_shard_t *infos = n ? calloc(n, sizeof *infos) : NULL;
    if (n && !infos) return out_of_memory(out);
    out->shards = infos, out->n_shards = n;
    for (size_t k = 0; k < n; k++) {
        shim_shard_info_t info;
        shim_db_shard_info(db, k, &info); /* its strings live until the next call */
        infos[k] = (index_shard_t){.remote = info.remote, .up = info.up, .doccount = info.doccount};
        infos[k].spec = strdup(info.spec);
        infos[k].error = strdup(info.error);
        if (!infos[k].spec || !infos[k].error) return out_of_memory(out);
        out->shards_down += !info.up;
    }
    return true;
}

bool index_status_copy(index_status_t *dst, const index_status_t *src) {
    *dst = *src;
    dst->shards = NULL, dst->n_shards = 0;
    if (!copy_shards(dst, src->shards, src->n_shards)) return out_of_memory(dst);
    return true;
}

void index_status_free(index_status_t *s) {
    for (size_t k = 0; k < s->n_shards; k++) free(s->shards[k].spec), free(s->shards[k].error);
    free(s->shards);
    memset(s, 0, sizeof *s);
}
