/* lede-indexer --shards: the layout it builds, routing of later updates and
 * deletes, the same answers as one index, changesets, and re-runs after a
 * crash. Runs the real binary and reads the index through the shim. */
#define _GNU_SOURCE /* asprintf */
#include <jansson.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../unit/check.h"
#include "indexer_util.h"
#include "lede/shim.h"
#include "shards.h"

/* Reuters records for the comparison with one index: enough for real
 * vocabulary and statistics, few enough for a quick test. */
#define REUTERS_RECORDS 3000

static const char *lede_cli;

static char *path_in(const char *dir, const char *name) {
    static char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static bool exists(const char *dir, const char *name) {
    struct stat st;
    return stat(path_in(dir, name), &st) == 0;
}

static char *metadata(const char *dir, const char *key) {
    shim_db_t *db = open_db(dir);
    char *value = NULL;
    if (db && shim_db_metadata(db, key, &value) != LEDE_OK) value = NULL;
    shim_db_close(db);
    return value;
}

/* The hits of a query as "id score" lines, sorted by score then id: the
 * order of equal scores depends on document numbers, which differ. */
static int by_line(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define RANKED_MAX 200

/* Sorts and joins the lines (freeing them) into out. With a full page, the
 * hits tied with the last are left out: which of them made the page
 * depends on document numbers. */
static void join_ranked(char **lines, size_t n, char *out, size_t size) {
    out[0] = '\0';
    qsort(lines, n, sizeof *lines, by_line);
    size_t keep = n, score_len = strcspn(n ? lines[n - 1] : "", " ");
    while (n == RANKED_MAX && keep > 0 && strncmp(lines[keep - 1], lines[n - 1], score_len) == 0)
        keep--;
    for (size_t i = 0; i < n; i++) {
        if (i < keep) snprintf(out + strlen(out), size - strlen(out), "%s\n", lines[i]);
        free(lines[i]);
    }
}

static void ranked(const char *dir, const char *text, char *out, size_t size) {
    shim_db_t *db = open_db(dir);
    shim_results_t *r = NULL;
    shim_query_t q = {.text = text, .limit = RANKED_MAX};
    char *lines[RANKED_MAX];
    size_t n = 0;
    if (db && shim_search(db, &q, &r) == LEDE_OK) {
        for (size_t i = 0; i < shim_results_size(r) && n < RANKED_MAX; i++) {
            shim_hit_t h;
            shim_results_hit(r, i, &h);
            const char *id = strstr(h.data, "\"id\":\"");
            size_t len = id ? strcspn(id + 6, "\"") : 0;
            /* Scores first, inverted, so the lines sort best first. */
            if (id && asprintf(&lines[n], "%024.15f %.*s", 1e6 - h.score, (int)len, id + 6) > 0)
                n++;
        }
    }
    join_ranked(lines, n, out, size);
    shim_results_free(r);
    shim_db_close(db);
}

/* `lede --db dir --json search text`: the hits the CLI prints, as "score
 * id" lines sorted as ranked() sorts them. */
static void cli_ranked(const char *dir, const char *text, char *out, size_t size) {
    char *argv[] = {(char *)lede_cli, "--db",       (char *)dir, "--json", "--limit", "200",
                    "search",         (char *)text, NULL};
    char *reply = NULL, *lines[RANKED_MAX];
    size_t n = 0, i;
    json_t *hit, *root = NULL;
    if (check_run(argv, NULL, &reply, NULL) == 0) root = json_loads(reply, 0, NULL);
    json_array_foreach(json_object_get(root, "hits"), i, hit) {
        const char *id = json_string_value(json_object_get(hit, "id"));
        double score = json_real_value(json_object_get(hit, "score"));
        if (n < RANKED_MAX && id && asprintf(&lines[n], "%024.15f %s", 1e6 - score, id) > 0) n++;
    }
    join_ranked(lines, n, out, size);
    json_decref(root);
    free(reply);
}

/* ---- routing ------------------------------------------------------------ */

/* The route must never change: FNV-1a 64's published test vectors. */
static void test_route_function(void) {
    CHECK(shards_hash("") == 0xcbf29ce484222325ull);
    CHECK(shards_hash("a") == 0xaf63dc4c8601ec8cull);
    CHECK(shards_hash("foobar") == 0x85944171f73967e8ull);
    CHECK_INT(shards_route("foobar", 3), 0x85944171f73967e8ull % 3);
    CHECK_INT(shards_route("anything", 1), 0);
}

/* ---- layout ------------------------------------------------------------- */

static void check_layout(const char *db, unsigned n) {
    char want[256] = "", *stub = check_read_file(path_in(db, "XAPIANDB"), NULL);
    for (unsigned k = 0; k < n; k++) snprintf(want + strlen(want), 32, "auto shard-%u\n", k);
    strcat(want, "auto spelling\n");
    CHECK_STR(stub, want);
    free(stub);
    char *spelling = strdup(path_in(db, "spelling")), count[16];
    CHECK_INT(doccount(spelling), 0);
    char *meta = metadata(spelling, SHARDS_META_KEY);
    snprintf(count, sizeof count, "%u", n);
    CHECK_STR(meta, count);
    free(meta);
    free(spelling);
    CHECK(!exists(db, "gen-000001"));
    char name[32];
    snprintf(name, sizeof name, "shard-%u", n);
    CHECK(!exists(db, name));
}

static void test_layout(void) {
    char *tmp = check_tmpdir("shl"), *out, *err, corpus[4300];
    char *db = strdup(db_path(tmp));
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", tmp);
    write_corpus(corpus, 60);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "3", corpus), 0);
    CHECK(out && strstr(out, "added 60, replaced 0"));
    check_layout(db, 3);
    uint32_t sum = 0;
    for (unsigned k = 0; k < 3; k++) {
        char name[32], *stub;
        snprintf(name, sizeof name, "shard-%u", k);
        char *shard = strdup(path_in(db, name));
        stub = check_read_file(path_in(shard, "XAPIANDB"), NULL);
        CHECK_STR(stub, "auto gen-000001\n");
        CHECK(exists(shard, "lock"));
        free(stub);
        sum += doccount(shard);
        for (int i = 0; i < 60; i++) {
            char id[16], *doc;
            snprintf(id, sizeof id, "k%d", i);
            doc = get_doc(shard, id);
            CHECK((doc != NULL) == (shards_route(id, 3) == k)); /* each where its hash says */
            free(doc);
        }
        char *lang = metadata(shard, "lede.language");
        CHECK_STR(lang, "english");
        free(lang);
        free(shard);
    }
    CHECK_INT(sum, 60);
    CHECK_INT(doccount(db), 60); /* DIR opens as one database */
    free(out), free(err);
    free(db);
    check_rmtree(tmp);
}

/* ---- the same answers as one index --------------------------------------- */

typedef void (*answer_fn)(const char *dir, const char *text, char *out, size_t size);

/* The answers of one and sharded to each text: the same, and not empty. */
static void compare_answers(answer_fn answer, const char *one, const char *sharded,
                            const char *const *texts) {
    char a[16384], b[16384];
    for (size_t i = 0; texts[i]; i++) {
        answer(one, texts[i], a, sizeof a);
        answer(sharded, texts[i], b, sizeof b);
        if (a[0] == '\0') fprintf(stderr, "nothing for '%s'\n", texts[i]);
        CHECK(a[0] != '\0');
        CHECK_STR(b, a);
    }
}

static void compare_indexes(const char *one, const char *sharded, const char *const *queries,
                            const char *const *typos) {
    CHECK_INT(doccount(sharded), doccount(one));
    compare_answers(ranked, one, sharded, queries);
    compare_answers(suggestion, one, sharded, typos);
}

/* Fixtures and generated articles: built in one go, then a bulk update,
 * a direct update and deletes, each the same on both. */
static void test_same_as_one_index(void) {
    char *tmp = check_tmpdir("shsame"), *out, *err, corpus[4300], more[4300];
    char one[4300], sh[4300];
    snprintf(one, sizeof one, "%s/one", tmp);
    snprintf(sh, sizeof sh, "%s/sharded", tmp);
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", tmp);
    snprintf(more, sizeof more, "%s/more.jsonl", tmp);
    write_corpus(corpus, 120);
    write_corpus_from(more, 100, 40);
    const char *q[] = {"tides",
                       "harbors ferries",
                       "\"generated article\"",
                       "desalination",
                       "interest rates",
                       "728",
                       NULL};
    const char *typos[] = {"tidse", "harbros", "feries", "desalinaton", NULL};
    const char *jsonl[] = {"jsonl/good.jsonl", "jsonl/wire.jsonl"};
    for (int s = 0; s < 2; s++) {
        const char *db = s ? sh : one;
        CHECK_INT(INDEX(&out, &err, "--db", db, s ? "--shards" : "--threads", s ? "3" : "2", corpus,
                        (char *)fx(jsonl[0]), (char *)fx(jsonl[1])),
                  0);
        free(out), free(err);
    }
    compare_indexes(one, sh, q, typos);
    const char *steps[][4] = {{"--update", "bulk", more, NULL},
                              {"--update", "direct", (char *)fx("jsonl/update.jsonl"), NULL},
                              {"--delete", "k3", "k77", "g2"}};
    for (size_t i = 0; i < 3; i++) {
        for (int s = 0; s < 2; s++) {
            CHECK_INT(INDEX(&out, &err, "--db", s ? sh : one, steps[i][0], steps[i][1], steps[i][2],
                            steps[i][3]),
                      0);
            free(out), free(err);
        }
        compare_indexes(one, sh, q, typos);
    }
    CHECK_INT(doccount(path_in(sh, "spelling")), 0);
    check_rmtree(tmp);
}

/* The first REUTERS_RECORDS records of the shared Reuters corpus into
 * path; false when it is not there. */
static bool reuters_sample(const char *path) {
    const char *shared = check_shared_dir();
    char src[4300], line[65536];
    if (!shared) return false;
    snprintf(src, sizeof src, "%s/corpora/reuters21578/articles.jsonl.gz", shared);
    gzFile in = gzopen(src, "rb");
    FILE *out = fopen(path, "w");
    int n = 0;
    while (in && out && n < REUTERS_RECORDS && gzgets(in, line, sizeof line))
        n += fputs(line, out) >= 0;
    if (in) gzclose(in);
    if (out) fclose(out);
    if (n < REUTERS_RECORDS) printf("SKIP: %s not readable\n", src);
    return n == REUTERS_RECORDS;
}

/* Reuters, one index vs 3 shards: ids and scores through the shim and
 * through `lede --db`, and spelling suggestions. */
static void test_reuters_same_as_one_index(void) {
    char *tmp = check_tmpdir("shreut"), *out, *err, sample[4300], one[4300], sh[4300];
    snprintf(sample, sizeof sample, "%s/reuters.jsonl", tmp);
    snprintf(one, sizeof one, "%s/one", tmp);
    snprintf(sh, sizeof sh, "%s/sharded", tmp);
    if (!reuters_sample(sample)) {
        check_rmtree(tmp);
        return;
    }
    int rc = INDEX(&out, &err, "--db", one, "-q", sample);
    CHECK(rc == 0 || rc == 1); /* records with no text are rejected */
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", sh, "-q", "--shards", "3", sample), rc);
    free(out), free(err);
    const char *q[] = {"cocoa",      "oil prices opec", "\"interest rates\"",
                       "bank -loan", "wheat OR corn",   "title:coffee",
                       NULL};
    const char *typos[] = {"cocao", "petrolium", "intrest rates", "tradign", "shipmnets", NULL};
    compare_indexes(one, sh, q, typos);
    compare_answers(cli_ranked, one, sh, q); /* ids and scores, as the CLI prints them */
    check_rmtree(tmp);
}

/* ---- later runs ------------------------------------------------------------ */

static void test_layout_errors(void) {
    char *tmp = check_tmpdir("sherr"), *out, *err, plain[4300];
    char *db = strdup(db_path(tmp));
    snprintf(plain, sizeof plain, "%s/plain", tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "3", (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "2", (char *)fx("jsonl/update.jsonl")), 2);
    CHECK(err && strstr(err, "has 3 shards, not 2; give --rebuild"));
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", plain, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", plain, "--shards", "2", (char *)fx("jsonl/update.jsonl")),
              2);
    CHECK(err && strstr(err, "is an unsharded index; give --rebuild"));
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "0", (char *)fx("jsonl/good.jsonl")), 2);
    CHECK(err && strstr(err, "--shards takes 1 to 1024"));
    free(out), free(err);
    /* --rebuild changes the layout: 3 shards to 2, a plain index to 2. */
    CHECK_INT(
        INDEX(&out, &err, "--db", db, "--rebuild", "--shards", "2", (char *)fx("jsonl/good.jsonl")),
        0);
    check_layout(db, 2);
    CHECK_INT(doccount(db), 6);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", plain, "--rebuild", "--shards", "2",
                    (char *)fx("jsonl/good.jsonl")),
              0);
    check_layout(plain, 2);
    CHECK_INT(doccount(plain), 6);
    free(out), free(err);
    free(db);
    check_rmtree(tmp);
}

/* Upserts and deletes after the build find the shards without --shards. */
static void test_routed_updates(void) {
    char *tmp = check_tmpdir("shupd"), *out, *err;
    char *db = strdup(db_path(tmp));
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "2", (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "direct", (char *)fx("jsonl/update.jsonl")),
              0);
    CHECK(out && strstr(out, "added 1, replaced 1"));
    free(out), free(err);
    char *doc = get_doc(db, "g1");
    CHECK(doc && strstr(doc, "revised"));
    free(doc);
    CHECK_INT(doccount(db), 7);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", "g1", "g4", "nope"), 0);
    CHECK(out && strstr(out, "deleted 2") && strstr(out, "1 ids to delete were not found"));
    free(out), free(err);
    CHECK_INT(doccount(db), 5);
    CHECK(get_doc(db, "g1") == NULL);
    CHECK_INT(doccount(path_in(db, "spelling")), 0);
    check_layout(db, 2);
    free(db);
    check_rmtree(tmp);
}

/* Bad records are rejected with file and line, the rest indexed. */
static void test_rejects(void) {
    char *tmp = check_tmpdir("shrej"), *out, *err, bad[4096];
    char *db = strdup(db_path(tmp));
    snprintf(bad, sizeof bad, "%s", fx("jsonl/bad.jsonl"));
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "2", bad), 1);
    CHECK(out && strstr(out, "added 3, replaced 0, deleted 0, rejected 7"));
    char want[4200];
    snprintf(want, sizeof want, "%s:3: missing field 'id'", bad);
    CHECK(err && strstr(err, want));
    CHECK_INT(doccount(db), 3);
    free(out), free(err);
    free(db);
    check_rmtree(tmp);
}

/* Changeset files (changesN) in a database directory. */
static int changesets_in(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL) n += strncmp(e->d_name, "changes", 7) == 0;
    if (d) closedir(d);
    return n;
}

/* A changes file for xapian-replicate after a direct update, in the shard
 * it touched and in spelling. */
static void test_changesets(void) {
    char *tmp = check_tmpdir("shchg"), *out, *err, shard[4400], spelling[4400];
    char *db = strdup(db_path(tmp));
    snprintf(shard, sizeof shard, "%s/shard-%u/gen-000001", db, shards_route("g1", 2));
    snprintf(spelling, sizeof spelling, "%s/spelling/gen-000001", db);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "2", "--changesets", "5",
                    (char *)fx("jsonl/good.jsonl")),
              0);
    free(out), free(err);
    int before = changesets_in(spelling);
    CHECK_INT(changesets_in(shard), 0); /* built by compaction: revision 1 */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--changesets", "5", "--update", "direct",
                    (char *)fx("jsonl/update.jsonl")),
              0);
    free(out), free(err);
    CHECK(exists(shard, "changes1"));
    CHECK_INT(changesets_in(spelling), before + 1);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--changesets", "0", "x"), 2);
    free(out), free(err);
    free(db);
    check_rmtree(tmp);
}

/* Runs killed at any point: the index stays searchable, and running the
 * same command again gives the index one run gives. */
static void test_kill_and_rerun(void) {
    char *tmp = check_tmpdir("shkill"), *out, *err, big[4300], a[16384], b[16384];
    char *db = strdup(db_path(tmp)), once[4300];
    snprintf(big, sizeof big, "%s/big.jsonl", tmp);
    snprintf(once, sizeof once, "%s/once", tmp);
    write_corpus(big, 8000);
    CHECK_INT(INDEX(&out, &err, "--db", once, "--shards", "3", big), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--shards", "3", (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    for (int delay_ms = 50; delay_ms <= 3200; delay_ms *= 4) {
        kill_rebuild(db, big, delay_ms);
        CHECK(doccount(db) > 0); /* every shard searchable, old or new */
    }
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", big), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 8000);
    ranked(once, "tides 1043", a, sizeof a);
    ranked(db, "tides 1043", b, sizeof b);
    CHECK_STR(b, a);
    free(db);
    check_rmtree(tmp);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_indexer_shards PATH-TO-lede-indexer PATH-TO-lede\n");
        return 2;
    }
    indexer = argv[1];
    lede_cli = argv[2];
    RUN(test_route_function);
    RUN(test_layout);
    RUN(test_same_as_one_index);
    RUN(test_reuters_same_as_one_index);
    RUN(test_layout_errors);
    RUN(test_routed_updates);
    RUN(test_rejects);
    RUN(test_changesets);
    RUN(test_kill_and_rerun);
    return check_summary();
}
