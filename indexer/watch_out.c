/* Where the watcher writes (watch_parts.h): the one index, or each shard
 * of a sharded one with DIR/spelling beside them (shards.h).
 *
 * On shards a document goes to the shard its id routes to, and its words
 * to spelling's data, as a direct update sends them (run_shards.c). A
 * commit commits the shards in order, spelling last; the watch state is
 * written after all of them (watch.h). A crash between two shards' commits
 * leaves some of the batch committed and the state of the commit before:
 * the restart reads the batch's files again, and as every write is an
 * upsert or a delete by id, the shards converge on the files as they are. */
#include <stdlib.h>

#include "furniture.h"
#include "shards.h"
#include "watch_parts.h"

static shim_writer_t *writer_of(const watch_out_t *o, const char *id) {
    return o->w[o->spell ? shards_route(id, o->n) : 0];
}

/* The store of the furniture and of the spelling data. */
static shim_writer_t *meta_writer(const watch_out_t *o) {
    return o->spell ? o->spell : o->w[0];
}

lede_status_t wout_open(index_run_t *j, const shards_t *s, watch_out_t *o) {
    char path[INDEX_PATH_MAX + 32];
    *o = (watch_out_t){.n = s ? s->n : 1};
    if (!(o->w = calloc(o->n, sizeof *o->w)))
        return lede_errf(&j->err, LEDE_E_NOMEM, "out of memory");
    lede_status_t st = LEDE_OK;
    for (unsigned k = 0; k < o->n && st == LEDE_OK; k++) {
        const index_dir_t *d = s ? &s->dirs[k] : &j->dir;
        index_dir_gen_path(d, d->live_gen, path, sizeof path);
        /* An unsharded index keeps its spelling data itself. */
        st = job_open_writer(j, path, !s && j->o->spelling, &o->w[k]);
        if (st == LEDE_OK) o->before += shim_writer_doccount(o->w[k]);
    }
    if (st == LEDE_OK && s) {
        index_dir_gen_path(&s->spelling, s->spelling.live_gen, path, sizeof path);
        st = job_open_writer(j, path, j->o->spelling, &o->spell);
    }
    o->open = st == LEDE_OK;
    return st;
}

lede_status_t wout_upsert(watch_out_t *o, bool spelling, const shim_doc_t *doc, lede_err_t *err) {
    shim_writer_t *w = writer_of(o, doc->id);
    lede_status_t st = shim_writer_upsert(w, doc);
    if (st != LEDE_OK) return lede_errf(err, st, "%s", shim_writer_errmsg(w));
    if (!o->spell || !spelling) return LEDE_OK;
    /* Spelling holds no documents: the words are recorded as it indexes
     * the document, which is then deleted. */
    if ((st = shim_writer_add(o->spell, doc)) == LEDE_OK)
        st = shim_writer_delete(o->spell, doc->id, NULL);
    if (st != LEDE_OK) return lede_errf(err, st, "spelling: %s", shim_writer_errmsg(o->spell));
    return LEDE_OK;
}

lede_status_t wout_delete(watch_out_t *o, const char *id, bool *found, lede_err_t *err) {
    shim_writer_t *w = writer_of(o, id);
    lede_status_t st = shim_writer_delete(w, id, found);
    if (st != LEDE_OK) return lede_errf(err, st, "deleting %s: %s", id, shim_writer_errmsg(w));
    return LEDE_OK;
}

lede_status_t wout_commit(watch_out_t *o, const ex_learned_t *learned, lede_err_t *err) {
    shim_writer_t *meta = meta_writer(o);
    lede_status_t st = learned ? furniture_store(meta, learned) : LEDE_OK;
    if (st != LEDE_OK)
        return lede_errf(err, st, "storing the learnt site furniture: %s",
                         shim_writer_errmsg(meta));
    for (unsigned k = 0; k < o->n; k++)
        if ((st = job_commit_writer(o->w[k], err)) != LEDE_OK) return st;
    if (o->spell && (st = job_commit_writer(o->spell, err)) != LEDE_OK)
        lede_err_context(err, st, "the spelling database");
    return st;
}

uint32_t wout_doccount(const watch_out_t *o) {
    uint32_t n = 0;
    for (unsigned k = 0; o->w && k < o->n; k++)
        if (o->w[k]) n += shim_writer_doccount(o->w[k]);
    return n;
}

bool wout_close(index_run_t *j, watch_out_t *o, lede_status_t st) {
    bool ok = true;
    for (unsigned k = 0; o->w && k < o->n; k++)
        if (o->w[k]) ok = job_close_writer(j, o->w[k], st) && ok;
    if (o->spell) ok = job_close_writer(j, o->spell, st) && ok;
    free(o->w);
    *o = (watch_out_t){0};
    return ok;
}
