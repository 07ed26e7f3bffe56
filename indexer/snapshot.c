/* Snapshots of a live index (snapshot.h). */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "index_dir.h"
#include "lede/shim.h"
#include "run.h"

/* Copies started again when the writer discarded the revision being read. */
#define SNAPSHOT_TRIES 5

/* Ends the run with the message in err: EXIT_FAILED. */
static int report(const lede_err_t *err) {
    fprintf(stderr, "lede-indexer: %s\n", err->msg);
    return EXIT_FAILED;
}

/* OUT may be missing or an empty directory, never anything else: a backup
 * must not land on top of another index or files. */
static lede_status_t out_is_free(const char *path, bool *existed, lede_err_t *err) {
    DIR *d = opendir(path);
    *existed = d != NULL;
    if (!d) return errno == ENOENT ? LEDE_OK : lede_errf(err, LEDE_E_OPEN, "%s", strerror(errno));
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (empty) return LEDE_OK;
    return lede_errf(err, LEDE_E_INVALID,
                     "exists and is not empty (a snapshot goes to a new directory)");
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Compacts the live revision of src into gen_path, again when it moved on. */
static lede_status_t copy_live(const char *src, const char *gen_path, char **msg) {
    lede_status_t st = LEDE_E_INTERNAL;
    for (int i = 0; i < SNAPSHOT_TRIES; i++) {
        free(*msg);
        *msg = NULL;
        st = shim_compact(&src, 1, gen_path, msg);
        if (st != LEDE_E_MODIFIED) break;
        index_dir_rmtree(gen_path);
    }
    return st;
}

/* Checks that the index can be opened, before OUT is made. */
static lede_status_t check_live(const char *db_path, lede_err_t *err) {
    char *msg = NULL;
    shim_db_t *live = NULL;
    lede_status_t st = shim_db_open(db_path, &live, &msg);
    if (st != LEDE_OK)
        lede_errf(err, st, "--db %s: cannot open the index: %s", db_path,
                  msg ? msg : "out of memory");
    free(msg);
    shim_db_close(live);
    return st;
}

/* Opens the copy and counts its documents. */
static lede_status_t read_back(const char *path, shim_stats_t *stats, lede_err_t *err) {
    char *msg = NULL;
    shim_db_t *db = NULL;
    lede_status_t st = shim_db_open(path, &db, &msg);
    if (st == LEDE_OK) st = shim_db_stats(db, stats);
    if (st != LEDE_OK)
        lede_errf(err, st, "the copy cannot be read back: %s", msg ? msg : shim_db_errmsg(db));
    free(msg);
    shim_db_close(db);
    return st;
}

static lede_status_t take(const indexer_opts_t *o, index_dir_t *out, double started,
                          lede_err_t *err) {
    char gen_path[INDEX_PATH_MAX + 32], *msg = NULL;
    shim_stats_t stats = {0};
    index_dir_gen_path(out, 1, gen_path, sizeof gen_path);
    lede_status_t st = copy_live(o->db, gen_path, &msg);
    if (st != LEDE_OK) {
        lede_errf(err, st, "cannot copy %s: %s", o->db, msg ? msg : lede_status_to_string(st));
        free(msg);
        index_dir_rmtree(gen_path);
        return st;
    }
    if ((st = index_dir_publish(out, 1, err)) != LEDE_OK) return st;
    if ((st = read_back(o->snapshot, &stats, err)) != LEDE_OK) return st;
    if (!o->quiet)
        printf("lede-indexer: snapshot of %s: %u documents written to %s in %.2f s\n", o->db,
               stats.doccount, o->snapshot, now_s() - started);
    return LEDE_OK;
}

int snapshot_run(const indexer_opts_t *o) {
    double started = now_s();
    lede_err_t err;
    index_dir_t out;
    bool existed;
    if (check_live(o->db, &err) != LEDE_OK) return report(&err);
    lede_status_t st = out_is_free(o->snapshot, &existed, &err);
    if (st == LEDE_OK && (st = index_dir_open(&out, o->snapshot, &err)) == LEDE_OK) {
        st = take(o, &out, started, &err);
        index_dir_close(&out);
        if (st != LEDE_OK) { /* leave OUT as it was, for the next try */
            index_dir_rmtree(o->snapshot);
            if (existed) mkdir(o->snapshot, 0755);
        }
    }
    if (st == LEDE_OK) return EXIT_INDEXED;
    lede_err_context(&err, st, "--snapshot %s", o->snapshot);
    return report(&err);
}
