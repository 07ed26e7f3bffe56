/* Learning a run's site furniture: a pass over its page files, the counts
 * already in the index, and storing the result. See furniture.h. */
#include "furniture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

typedef struct {
    ex_learned_t *l;
    shim_db_t *live; /* for ids already indexed; or NULL */
    lede_status_t st;
} counting_t;

/* Pages already in the index were counted when they were first indexed. */
static bool known(shim_db_t *live, const char *id) {
    char *data = NULL;
    size_t len;
    if (!live || shim_db_get(live, id, &data, &len) != LEDE_OK) return false;
    free(data);
    return true;
}

static lede_status_t count_record(void *ctx, record_t *rec) {
    counting_t *c = ctx;
    if (rec->kind == RECORD_TEXT && !known(c->live, rec->base_id))
        c->st = ex_learned_count_page(c->l, rec->bytes, rec->len);
    free(rec->bytes);
    free(rec->base_id);
    return c->st;
}

/* Pages over the limit or unreadable are reported by the indexing pass. */
static void skip_oversize(void *ctx, const char *file, uint64_t line, size_t len) {
    (void)ctx, (void)file, (void)line, (void)len;
}
static void skip_unreadable(void *ctx, const char *file, const char *why) {
    (void)ctx, (void)file, (void)why;
}
static void skip_skipped(void *ctx, const char *file, const char *why) {
    (void)ctx, (void)file, (void)why;
}

static lede_status_t read_counts(shim_db_t *db, ex_learned_t *l) {
    char *dump = NULL;
    lede_status_t st = shim_db_metadata(db, FURNITURE_META_KEY, &dump);
    if (st == LEDE_OK) ex_learned_load(l, dump);
    free(dump);
    return st;
}

/* The counts stored in live, added to l; NULL reads nothing. */
static lede_status_t add_stored(const char *live, ex_learned_t *l, lede_err_t *err) {
    shim_db_t *db;
    char *msg = NULL;
    if (!live) return LEDE_OK;
    lede_status_t st = shim_db_open(live, &db, &msg);
    if (st == LEDE_OK) {
        st = read_counts(db, l);
        shim_db_close(db);
    }
    if (st != LEDE_OK) lede_errf(err, st, "%s: %s", live, msg ? msg : "cannot read its metadata");
    free(msg);
    return st;
}

lede_status_t furniture_learn(const char *live, const char *ids, char *const *paths, size_t n,
                              size_t max_page_bytes, ex_learned_t **out, lede_err_t *err) {
    counting_t c = {ex_learned_new(), NULL, LEDE_OK};
    char *msg = NULL;
    input_t in;
    *out = NULL;
    if (!c.l) return LEDE_E_NOMEM;
    if (!ids) ids = live;
    lede_status_t st = add_stored(live, c.l, err);
    if (st == LEDE_OK && ids && (st = shim_db_open(ids, &c.live, &msg)) != LEDE_OK)
        lede_errf(err, st, "%s: %s", ids, msg ? msg : "cannot read");
    free(msg);
    if (st == LEDE_OK) st = input_prepare(&in, paths, n, max_page_bytes, err);
    if (st == LEDE_OK) {
        input_sink_t sink = {count_record, skip_oversize, skip_unreadable, skip_skipped, &c, true};
        st = input_scan(&in, paths, n, &sink, err);
        if (st == LEDE_OK) st = c.st;
        input_free(&in);
    }
    if (c.live) shim_db_close(c.live);
    if (st != LEDE_OK) {
        ex_learned_free(c.l);
        return st;
    }
    *out = c.l;
    return LEDE_OK;
}

lede_status_t furniture_read(const char *db_path, ex_learned_t **out, lede_err_t *err) {
    *out = ex_learned_new();
    if (!*out) return LEDE_E_NOMEM;
    lede_status_t st = add_stored(db_path, *out, err);
    if (st != LEDE_OK) {
        ex_learned_free(*out);
        *out = NULL;
    }
    return st;
}

lede_status_t furniture_store(shim_writer_t *w, const ex_learned_t *l) {
    char *dump = ex_learned_dump(l, FURNITURE_KEEP_LINES);
    if (!dump) return LEDE_E_NOMEM;
    lede_status_t st = shim_writer_set_metadata(w, FURNITURE_META_KEY, dump);
    free(dump);
    return st;
}

lede_status_t furniture_store_at(const char *path, const ex_learned_t *l, lede_err_t *err) {
    shim_writer_t *w;
    char *msg = NULL;
    shim_writer_opts_t wo = {.path = path};
    lede_status_t st = shim_writer_open(&wo, &w, &msg);
    if (st == LEDE_OK) {
        st = furniture_store(w, l);
        lede_status_t closed = shim_writer_close(w, st != LEDE_OK, &msg);
        if (st == LEDE_OK) st = closed;
    }
    if (st != LEDE_OK)
        lede_errf(err, st, "%s: storing the learnt site furniture: %s", path,
                  msg ? msg : "out of memory");
    free(msg);
    return st;
}
