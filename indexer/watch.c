/* The long-running indexer (watch.h): its writer, batches, commits, the
 * loop and its signals. The folder is watch_dir.c's, the stream follow.c's. */
#define _GNU_SOURCE /* F_SETLEASE */
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "shards.h"
#include "watch_parts.h"

/* How often a followed file (not standard input) is looked at for new lines. */
#define FOLLOW_POLL_MS 20

/* Written by the signal handler, read by the loop's poll. */
static int stop_pipe[2] = {-1, -1};

static void on_stop(int sig) {
    int saved = errno;
    char c = (char)sig;
    if (write(stop_pipe[1], &c, 1) < 0) { /* full: a stop is pending already */
    }
    errno = saved;
}

/* ---- the batch ------------------------------------------------------------- */

static void mark_dirty(watcher_t *x) {
    if (!x->dirty) x->batch_start = progress_now();
    x->dirty = true;
}

static lede_status_t commit(watcher_t *x) {
    index_run_t *j = x->j;
    lede_status_t st = rejects_flush(j->rejects, &j->err);
    if (st == LEDE_OK) st = wout_commit(&x->out, x->learned_new ? j->learned : NULL, &j->err);
    if (st == LEDE_OK && x->follow && (st = follow_mark(x)) != LEDE_OK)
        lede_errf(&j->err, st, "out of memory");
    if (st == LEDE_OK) st = wstate_save(x->state, &j->err);
    x->dirty = x->learned_new = false;
    x->batch_docs = 0;
    return st;
}

lede_status_t watch_tick(watcher_t *x) {
    if (!x->dirty) return LEDE_OK;
    double due = x->batch_start + x->j->o->commit_ms / 1000.0;
    if (x->batch_docs < x->j->o->batch_docs && progress_now() < due) return LEDE_OK;
    return commit(x);
}

/* ---- writing ------------------------------------------------------------------ */

static lede_status_t upsert(void *ctx, const record_t *rec, const shim_doc_t *doc,
                            lede_err_t *err) {
    watcher_t *x = ctx;
    lede_status_t st = wout_upsert(&x->out, x->j->o->spelling, doc, err);
    if (st != LEDE_OK) return lede_err_context(err, st, "%s", rec->file);
    x->j->counts.written++;
    x->batch_docs++;
    mark_dirty(x);
    if (!x->cur_ids) return LEDE_OK;
    if (json_array_size(x->cur_ids) >= WSTATE_IDS_MAX) {
        x->cur_over++;
        return LEDE_OK;
    }
    if (json_array_append_new(x->cur_ids, json_string(doc->id)) != 0)
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    return LEDE_OK;
}

lede_status_t watch_record(void *ctx, record_t *rec) {
    watcher_t *x = ctx;
    index_run_t *j = x->j;
    /* A page counts once for the furniture, when its file is first read
     * (furniture.h: an article updated ten times is not a site's line). */
    if (rec->kind == RECORD_TEXT && x->cur_new && j->learned) {
        if (ex_learned_count_page(j->learned, rec->bytes, rec->len) != LEDE_OK) {
            free(rec->bytes);
            free(rec->base_id);
            return lede_errf(&j->err, LEDE_E_NOMEM, "out of memory");
        }
        x->learned_new = true;
    }
    lede_status_t st = job_ingest(j, &x->ingest, rec);
    return st == LEDE_OK ? watch_tick(x) : st;
}

static lede_status_t delete_id(watcher_t *x, const char *id) {
    bool found = false;
    lede_status_t st = wout_delete(&x->out, id, &found, &x->j->err);
    if (st != LEDE_OK) return st;
    x->j->counts.deleted += found;
    mark_dirty(x);
    return LEDE_OK;
}

/* With --delete-removed, the ids the old version of rel gave and the new
 * one does not. */
static lede_status_t drop_stale(watcher_t *x, const char *rel, json_t *now) {
    json_t *old = wstate_ids(x->state, rel), *v, *keep = json_object();
    size_t i;
    lede_status_t st = keep ? LEDE_OK : LEDE_E_NOMEM;
    json_array_foreach(now, i, v) {
        if (st == LEDE_OK && json_object_set(keep, json_string_value(v), json_true()) != 0)
            st = LEDE_E_NOMEM;
    }
    if (st != LEDE_OK) lede_errf(&x->j->err, st, "out of memory");
    json_array_foreach(old, i, v) {
        if (st == LEDE_OK && !json_object_get(keep, json_string_value(v)))
            st = delete_id(x, json_string_value(v));
    }
    json_decref(keep);
    return st;
}

/* ---- files ---------------------------------------------------------------------- */

/* Whether some process has path open for writing: a read lease cannot be
 * taken then (fcntl(2)). Where leases are refused for another reason (a
 * file of another user, a file system without them), the file is read:
 * IN_CLOSE_WRITE has said it was closed. */
static bool open_for_writing(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) return false;
    bool busy = fcntl(fd, F_SETLEASE, F_RDLCK) != 0 && (errno == EAGAIN || errno == EBUSY);
    if (!busy) fcntl(fd, F_SETLEASE, F_UNLCK);
    close(fd);
    return busy;
}

static void warn_over(watcher_t *x, const char *rel) {
    if (!x->cur_over) return;
    fprintf(stderr,
            "lede-indexer: warning: %s/%s: %llu articles past the %d remembered; its removal "
            "would not delete them\n",
            x->root, rel, (unsigned long long)x->cur_over, WSTATE_IDS_MAX);
}

static lede_status_t read_file(watcher_t *x, const char *path, const char *rel,
                               const struct stat *st) {
    index_run_t *j = x->j;
    input_sink_t sink = job_sink(watch_record, x);
    x->cur_ids = json_array();
    x->cur_new = !wstate_has(x->state, rel);
    x->cur_over = 0;
    if (!x->cur_ids) return lede_errf(&j->err, LEDE_E_NOMEM, "out of memory");
    lede_status_t s = input_scan_file(&j->in, path, rel, &sink, &j->err);
    json_t *ids = x->cur_ids;
    x->cur_ids = NULL;
    warn_over(x, rel);
    if (s == LEDE_OK && j->o->delete_removed) s = drop_stale(x, rel, ids);
    if (s == LEDE_OK && (s = wstate_put(x->state, rel, st, ids)) != LEDE_OK)
        return lede_errf(&j->err, s, "out of memory");
    if (s != LEDE_OK) json_decref(ids);
    mark_dirty(x);      /* the state changed, even for a file of rejects */
    input_free(&j->in); /* the names its records borrowed */
    return s == LEDE_OK ? watch_tick(x) : s;
}

lede_status_t watch_file(watcher_t *x, const char *rel) {
    char path[INDEX_PATH_MAX * 2];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", x->root, rel) >= (int)sizeof path) return LEDE_OK;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return LEDE_OK;
    if (wstate_unchanged(x->state, rel, &st) || open_for_writing(path)) return LEDE_OK;
    return read_file(x, path, rel, &st);
}

lede_status_t watch_gone(watcher_t *x, const char *rel) {
    json_t *ids = wstate_ids(x->state, rel), *v;
    size_t i;
    lede_status_t st = LEDE_OK;
    if (!wstate_has(x->state, rel)) return LEDE_OK;
    if (x->j->o->delete_removed) json_array_foreach(ids, i, v) {
            if (st == LEDE_OK) st = delete_id(x, json_string_value(v));
        }
    if (st != LEDE_OK) return st;
    wstate_remove(x->state, rel);
    mark_dirty(x);
    return watch_tick(x);
}

/* ---- the loop ------------------------------------------------------------------- */

static int poll_timeout(const watcher_t *x) {
    int t = -1;
    if (x->dirty) {
        double left = x->batch_start + x->j->o->commit_ms / 1000.0 - progress_now();
        t = left <= 0 ? 0 : (int)(left * 1000) + 1;
    }
    if (x->follow && follow_fd(x->follow) < 0 && (t < 0 || t > FOLLOW_POLL_MS)) t = FOLLOW_POLL_MS;
    return t;
}

/* Until a signal, or the end of standard input when nothing else is read.
 * *stopped says which. */
static lede_status_t loop(watcher_t *x, bool *stopped) {
    bool ended = false;
    lede_status_t st = LEDE_OK;
    while (st == LEDE_OK && !(ended && x->ino_fd < 0)) {
        struct pollfd p[3] = {{stop_pipe[0], POLLIN, 0}, {x->ino_fd, POLLIN, 0}, {-1, POLLIN, 0}};
        if (x->follow && !ended) p[2].fd = follow_fd(x->follow);
        if (poll(p, 3, poll_timeout(x)) < 0 && errno != EINTR)
            return lede_errf(&x->j->err, LEDE_E_IO, "poll: %s", strerror(errno));
        if (p[0].revents) {
            *stopped = true;
            return LEDE_OK;
        }
        if (p[1].revents) st = wdir_events(x);
        if (st == LEDE_OK && x->follow && !ended && (p[2].fd < 0 || p[2].revents))
            st = follow_read(x, &ended);
        if (st == LEDE_OK) st = watch_tick(x);
    }
    return st;
}

static lede_status_t catch_signals(lede_err_t *err) {
    struct sigaction sa = {0};
    if (stop_pipe[0] < 0 && pipe(stop_pipe) != 0)
        return lede_errf(err, LEDE_E_IO, "pipe: %s", strerror(errno));
    fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
    sa.sa_handler = on_stop; /* no SA_RESTART: poll returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    return LEDE_OK;
}

/* ---- start and end ---------------------------------------------------------------- */

/* A new index gets an empty first generation to write into. */
static lede_status_t ensure_live(index_run_t *j) {
    char path[INDEX_PATH_MAX + 32];
    if (j->dir.live_gen) return LEDE_OK;
    index_dir_gen_path(&j->dir, 1, path, sizeof path);
    lede_status_t st = job_make_empty(path, j->o->language, &j->err);
    if (st == LEDE_OK) st = index_dir_publish(&j->dir, 1, &j->err);
    return st;
}

static lede_status_t start(watcher_t *x, const shards_t *shards) {
    index_run_t *j = x->j;
    char path[INDEX_PATH_MAX + 32];
    lede_status_t st = shards ? LEDE_OK : ensure_live(j);
    if (st != LEDE_OK) return st;
    if ((st = wout_open(j, shards, &x->out)) != LEDE_OK) return st;
    snprintf(path, sizeof path, "%s/%s", j->dir.path, WSTATE_FILE_NAME);
    if ((st = wstate_load(path, &x->state, &j->err)) != LEDE_OK) return st;
    if ((st = catch_signals(&j->err)) != LEDE_OK) return st;
    if (j->o->watch && (st = wdir_open(x)) != LEDE_OK) return st;
    if (j->o->follow) st = follow_open(x, j->o->follow);
    return st;
}

static int finish(watcher_t *x, lede_status_t st, bool stopped) {
    index_run_t *j = x->j;
    bool opened = x->out.open;
    if (st == LEDE_OK && x->dirty) st = commit(x);
    uint32_t before = x->out.before, after = wout_doccount(&x->out);
    wdir_close(x);
    follow_close(x->follow);
    wstate_free(x->state);
    bool closed = wout_close(j, &x->out, st);
    if (!opened) return job_stop(j);
    if (!closed) {
        lede_err_context(&j->err, st, "the index holds what was committed before");
        return job_stop(j);
    }
    j->counts.added = after > before ? after - before : 0;
    j->counts.replaced =
        j->counts.written > j->counts.added ? j->counts.written - j->counts.added : 0;
    int status = job_exit_status(j);
    /* A stop by signal is the normal end of a daemon; rejects were reported as they came. */
    return stopped && status == EXIT_REJECTS ? EXIT_INDEXED : status;
}

int watch_run(index_run_t *j, const shards_t *shards) {
    watcher_t x = {.j = j, .ino_fd = -1};
    unsigned gen = shards ? shards_max_gen(shards) : j->dir.live_gen;
    x.ingest = (ingest_t){.learned = j->learned,
                          .keep_text = j->o->keep_text,
                          .stamp_base = (uint64_t)(gen ? gen : 1) << STAMP_GEN_SHIFT,
                          .rejects = j->rejects,
                          .write = upsert,
                          .ctx = &x};
    bool stopped = false;
    lede_status_t st = start(&x, shards);
    if (st == LEDE_OK) st = loop(&x, &stopped);
    return finish(&x, st, stopped);
}
