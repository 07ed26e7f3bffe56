/* Integration tests for `lede-indexer --snapshot` (indexer/snapshot.h):
 * backups of a live index taken while lede-searchd serves it and another
 * lede-indexer writes to it, restored by serving the copy. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "searchd_client.h"

#define WAIT_MS 5000
#define WRITER_RUNS 15
#define WRITER_DOCS 40

static const char *searchd, *indexer, *fixture;
static char *tmp;
static char live[SD_PATH_BYTES];

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    return sd_path(out, tmp, name);
}

static int snapshot(const char *out_dir, char **err) {
    char *argv[] = {(char *)indexer, "--db", live, "--snapshot", (char *)out_dir, NULL};
    return check_run(argv, NULL, NULL, err);
}

static long long documents(const sd_daemon_t *d) {
    sd_conn_t *c = sd_connect(d->port);
    json_t *s = c ? sd_call(c, "STATS") : NULL;
    long long n = sd_int(s, "index.documents");
    json_decref(s);
    sd_close(c);
    return n;
}

/* WRITER_RUNS direct updates of WRITER_DOCS new articles each, one after
 * another, in the background: a writer busy with the live index. */
static pid_t start_writer(void) {
    char dir[SD_PATH_BYTES];
    in_tmp(dir, "feed");
    mkdir(dir, 0755);
    for (int run = 0; run < WRITER_RUNS; run++) {
        char name[64], *text = malloc(WRITER_DOCS * 160), *p = text;
        for (int i = 0; i < WRITER_DOCS; i++)
            p += sprintf(
                p,
                "{\"id\":\"w%d-%d\",\"title\":\"snapword report %d\",\"body\":\"Feed article %d "
                "of run %d about snapword.\"}\n",
                run, i, i, i, run);
        snprintf(name, sizeof name, "feed/run%02d.jsonl", run);
        free(check_write_file(tmp, name, text));
        free(text);
    }
    char script[SD_PATH_BYTES * 3];
    snprintf(script, sizeof script,
             "for f in %s/run*.jsonl; do %s --db %s --quiet --update direct \"$f\" || exit 1; done",
             dir, indexer, live);
    char *argv[] = {"/bin/sh", "-c", script, NULL};
    char out[SD_PATH_BYTES];
    return check_spawn(argv, NULL, in_tmp(out, "writer.log"), NULL);
}

/* The hits of a search on a daemon, as "id:score" pairs. */
static char *hits_of(const sd_daemon_t *d, const char *q) {
    sd_conn_t *c = sd_connect(d->port);
    json_t *r = c ? sd_callf(c, "{ss ss si}", "op", "search", "q", q, "limit", 100) : NULL;
    size_t i;
    json_t *hit;
    char *out = calloc(1, 16384);
    size_t n = 0;
    snprintf(out, 64, "total=%lld;", sd_int(r, "total"));
    n = strlen(out);
    json_array_foreach(json_object_get(r, "hits"), i, hit) {
        n += (size_t)snprintf(out + n, 16384 - n, "%s:%.6f,",
                              json_string_value(json_object_get(hit, "id")),
                              json_real_value(json_object_get(hit, "score")));
        if (n >= 16000) break;
    }
    json_decref(r);
    sd_close(c);
    return out;
}

static void test_snapshot_while_serving_and_writing(void) {
    sd_daemon_t served;
    char log[SD_PATH_BYTES], snap1[SD_PATH_BYTES], snap2[SD_PATH_BYTES];
    bool up = sd_start(&served, searchd, live, in_tmp(log, "live.log"), NULL);
    CHECK(up);
    if (!up) return;
    pid_t writer = start_writer();
    CHECK(writer > 0);
    check_sleep_ms(300); /* into its runs */
    char *err = NULL;
    CHECK_INT(snapshot(in_tmp(snap1, "snap1"), &err), 0);
    if (err && *err) fprintf(stderr, "%s", err);
    free(err), err = NULL;
    CHECK_INT(check_wait(writer, 60000), 0);
    sd_daemon_t restored;
    if (sd_start(&restored, searchd, snap1, in_tmp(log, "snap1.log"), NULL)) {
        long long n = documents(&restored);
        printf("  snapshot taken during the writes: %lld documents (6 before, %d after)\n", n,
               6 + WRITER_RUNS * WRITER_DOCS);
        CHECK(n >= 6 && n <= 6 + WRITER_RUNS * WRITER_DOCS);
        CHECK((n - 6) % WRITER_DOCS == 0); /* whole runs: a committed revision */
        CHECK_INT(sd_stop(&restored, SIGTERM), 0);
    }
    /* Quiet now: a snapshot serves exactly what the live index serves. */
    CHECK_INT(snapshot(in_tmp(snap2, "snap2"), NULL), 0);
    if (sd_start(&restored, searchd, snap2, in_tmp(log, "snap2.log"), NULL)) {
        CHECK_INT(documents(&restored), 6 + WRITER_RUNS * WRITER_DOCS);
        const char *queries[] = {"snapword", "water drought", "council", "report 7",
                                 "\"feed article\""};
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            char *a = hits_of(&served, queries[i]), *b = hits_of(&restored, queries[i]);
            if (strcmp(a, b) != 0)
                fprintf(stderr, "  %s:\n  live %.200s\n  snap %.200s\n", queries[i], a, b);
            CHECK_STR(a, b);
            free(a), free(b);
        }
        CHECK_INT(sd_stop(&restored, SIGTERM), 0);
        CHECK(sd_log_clean(&restored));
    }
    CHECK_INT(sd_stop(&served, SIGTERM), 0);
    CHECK(sd_log_clean(&served));
    /* A snapshot is a lede index of its own: it takes updates. */
    char *argv[] = {(char *)indexer, "--db", snap2, "--quiet", (char *)fixture, NULL};
    CHECK_INT(check_run(argv, NULL, NULL, NULL), 0);
}

static void test_errors(void) {
    char *err = NULL, busy[SD_PATH_BYTES], missing[SD_PATH_BYTES];
    in_tmp(busy, "busy");
    mkdir(busy, 0755);
    free(check_write_file(tmp, "busy/file", "x"));
    CHECK_INT(snapshot(busy, &err), 2);
    CHECK(err && strstr(err, "/busy: exists and is not empty"));
    free(err), err = NULL;
    in_tmp(missing, "no-index");
    char *argv[] = {(char *)indexer, "--db", missing, "--snapshot", busy, NULL};
    CHECK_INT(check_run(argv, NULL, NULL, &err), 2);
    CHECK(err && strstr(err, "no-index: cannot open the index"));
    free(err), err = NULL;
    char empty[SD_PATH_BYTES];
    in_tmp(empty, "empty");
    mkdir(empty, 0755); /* an empty directory is fine */
    CHECK_INT(snapshot(empty, NULL), 0);
    char *mixed[] = {(char *)indexer, "--db", live, "--snapshot", busy, (char *)fixture, NULL};
    CHECK_INT(check_run(mixed, NULL, NULL, &err), 2);
    CHECK(err && strstr(err, "--snapshot OUT copies --db DIR; it takes no INPUT"));
    free(err);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_snapshot LEDE-SEARCHD LEDE-INDEXER FIXTURE.jsonl\n");
        return 2;
    }
    searchd = argv[1], indexer = argv[2], fixture = argv[3];
    tmp = check_tmpdir("snapshot");
    in_tmp(live, "live");
    char *ix[] = {(char *)indexer, "--db", live, "--quiet", (char *)fixture, NULL};
    if (check_run(ix, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    RUN(test_snapshot_while_serving_and_writing);
    RUN(test_errors);
    if (check_failures == 0)
        check_rmtree(tmp); /* frees tmp */
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
