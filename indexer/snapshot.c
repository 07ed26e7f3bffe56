/* Snapshots of a live index (snapshot.h). */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
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

static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lede-indexer: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_FAILED;
}

/* OUT may be missing or an empty directory, never anything else: a backup
 * must not land on top of another index or files. */
static bool out_is_free(const char *path, bool *existed, char *why, size_t size) {
    DIR *d = opendir(path);
    *existed = d != NULL;
    if (!d) {
        if (errno == ENOENT) return true;
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty) snprintf(why, size, "exists and is not empty (a snapshot goes to a new directory)");
    return empty;
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

static int take(const indexer_opts_t *o, index_dir_t *out, double started) {
    char gen_path[INDEX_PATH_MAX + 32], err[512];
    char *msg = NULL;
    index_dir_gen_path(out, 1, gen_path, sizeof gen_path);
    lede_status_t st = copy_live(o->db, gen_path, &msg);
    if (st != LEDE_OK) {
        fail("--snapshot %s: cannot copy %s: %s", o->snapshot, o->db,
             msg ? msg : lede_status_to_string(st));
        free(msg);
        index_dir_rmtree(gen_path);
        return EXIT_FAILED;
    }
    if (index_dir_publish(out, 1, err, sizeof err) != LEDE_OK)
        return fail("--snapshot %s: %s", o->snapshot, err);
    shim_db_t *db = NULL;
    shim_stats_t stats = {0};
    if (shim_db_open(o->snapshot, &db, &msg) != LEDE_OK || shim_db_stats(db, &stats) != LEDE_OK) {
        fail("--snapshot %s: the copy cannot be read back: %s", o->snapshot,
             msg ? msg : shim_db_errmsg(db));
        free(msg);
        shim_db_close(db);
        return EXIT_FAILED;
    }
    shim_db_close(db);
    if (!o->quiet)
        printf("lede-indexer: snapshot of %s: %u documents written to %s in %.2f s\n", o->db,
               stats.doccount, o->snapshot, now_s() - started);
    return EXIT_INDEXED;
}

int snapshot_run(const indexer_opts_t *o) {
    double started = now_s();
    char why[256], err[512];
    char *msg = NULL;
    shim_db_t *live = NULL;
    if (shim_db_open(o->db, &live, &msg) != LEDE_OK) { /* say so before making OUT */
        fail("--db %s: cannot open the index: %s", o->db, msg ? msg : "out of memory");
        free(msg);
        return EXIT_FAILED;
    }
    shim_db_close(live);
    bool existed;
    if (!out_is_free(o->snapshot, &existed, why, sizeof why))
        return fail("--snapshot %s: %s", o->snapshot, why);
    index_dir_t out;
    if (index_dir_open(&out, o->snapshot, err, sizeof err) != LEDE_OK)
        return fail("--snapshot %s: %s", o->snapshot, err);
    int rc = take(o, &out, started);
    index_dir_close(&out);
    if (rc != EXIT_INDEXED) { /* leave OUT as it was, for the next try */
        index_dir_rmtree(o->snapshot);
        if (existed) mkdir(o->snapshot, 0755);
    }
    return rc;
}
