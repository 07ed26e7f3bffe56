/* Unit tests for shard sets in the shim (shim_db_open_shards, and a stub
 * listing several databases): the same hits and scores as one index for
 * words, phrases, wildcards, partial words and SIMILAR; a shard that is missing fails
 * the open, or is left out and named with partial; per-shard facts. The
 * remote side (xapian-tcpsrv) is tested by tests/integration/test_shards. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lede/shim.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Twelve invented articles: shared words with different frequencies, so
 * that the weights of a word* depend on every shard's counts. */
static const char *const TEXTS[][2] = {
    {"reservoir levels fall", "the reservoir fell as the drought went on"},
    {"reserve bank holds rates", "the reserve bank kept its rate"},
    {"reserved seats sold out", "every reserved seat was sold"},
    {"water rationing begins", "water rationing starts in the city; water is short"},
    {"watershed protection plan", "a plan to protect the watershed and its water"},
    {"waterfront homes flood", "homes on the waterfront flooded after rain"},
    {"reservoir repairs delayed", "repairs to the reservoir dam were delayed"},
    {"bank reserves grow", "reserves at the bank grew for a third month"},
    {"drought eases", "rain ended the drought; the reservoir rose"},
    {"water prices rise", "water prices rose by ten percent"},
    {"reservists called up", "the army called up reservists"},
    {"waterways reopen", "waterways reopened to barges after the flood"},
};

static char *g_dir;

static char *path_in(const char *name) {
    size_t n = strlen(g_dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", g_dir, name);
    return p;
}

static void put(shim_writer_t *w, size_t i) {
    char id[16], data[48];
    snprintf(id, sizeof id, "s%02zu", i);
    snprintf(data, sizeof data, "{\"id\":\"%s\"}", id);
    shim_doc_t d = {.id = id,
                    .title = TEXTS[i][0],
                    .body = TEXTS[i][1],
                    .date_key = "20230101",
                    .data = data,
                    .data_len = strlen(data),
                    .stamp = 1};
    CHECK_INT(shim_writer_upsert(w, &d), LEDE_OK);
}

/* An index of the articles i with i % parts == part (parts 1: all). */
static void build(const char *path, size_t part, size_t parts) {
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .spelling = true};
    shim_writer_t *w = NULL;
    char *err = NULL;
    CHECK_INT(shim_writer_open(&o, &w, &err), LEDE_OK);
    free(err);
    for (size_t i = 0; w && i < N_ITEMS(TEXTS); i++)
        if (i % parts == part) put(w, i);
    if (w) CHECK_INT(shim_writer_close(w, false, NULL), LEDE_OK);
}

/* "id:score ..." of the first ten hits, into buf. */
static const char *hits_of(shim_results_t *r, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; r && i < shim_results_size(r) && n < size; i++) {
        shim_hit_t h;
        shim_results_hit(r, i, &h);
        n += (size_t)snprintf(buf + n, size - n, "%.*s:%.9f ", (int)h.data_len - 9, h.data + 7,
                              h.score);
    }
    return buf;
}

static const char *search_with(shim_db_t *db, const shim_query_t *q, char *buf, size_t size) {
    shim_results_t *r = NULL;
    lede_status_t st = shim_search(db, q, &r);
    if (st != LEDE_OK) fprintf(stderr, "  search '%s': %s\n", q->text, shim_db_errmsg(db));
    hits_of(r, buf, size);
    shim_results_free(r);
    return buf;
}

static const char *search_expanding(shim_db_t *db, const char *text, unsigned expansion, char *buf,
                                    size_t size) {
    shim_query_t q = {
        .text = text, .match = SHIM_MATCH_ANY, .limit = 10, .max_expansion = expansion};
    return search_with(db, &q, buf, size);
}

static const char *search(shim_db_t *db, const char *text, char *buf, size_t size) {
    return search_expanding(db, text, 0, buf, size);
}

static shim_db_t *open_set(const char *const *specs, size_t n, bool partial) {
    shim_shard_opts_t o = {.partial = partial};
    shim_db_t *db = NULL;
    char *err = NULL;
    lede_status_t st = shim_db_open_shards(specs, n, &o, &db, &err);
    if (st != LEDE_OK) fprintf(stderr, "  open shards: %s\n", err ? err : "");
    free(err);
    return db;
}

/* The whole corpus as one index and as three shards, opened. */
typedef struct pair {
    shim_db_t *mono, *set;
} pair_t;

static pair_t open_pair(void) {
    char *one = path_in("one"), *a = path_in("a"), *b = path_in("b"), *c = path_in("c");
    const char *specs[] = {a, b, c};
    pair_t p = {NULL, open_set(specs, 3, false)};
    char *err = NULL;
    CHECK_INT(shim_db_open(one, &p.mono, &err), LEDE_OK);
    free(err), free(one), free(a), free(b), free(c);
    return p;
}

static void close_pair(pair_t p) {
    shim_db_close(p.mono), shim_db_close(p.set);
}

/* Words and phrases rank exactly as in one index: Xapian combines the
 * shards' statistics. */
static void test_same_as_one_index(void) {
    char *one = path_in("one"), *a = path_in("a"), *b = path_in("b"), *c = path_in("c");
    build(one, 0, 1), build(a, 0, 3), build(b, 1, 3), build(c, 2, 3);
    free(one), free(a), free(b), free(c);
    pair_t p = open_pair();
    shim_db_t *mono = p.mono, *set = p.set;
    static const char *const QUERIES[] = {"reservoir", "water OR drought", "\"reserve bank\"",
                                          "bank",      "title:reservoir",  "rain NOT flood"};
    for (size_t i = 0; mono && set && i < N_ITEMS(QUERIES); i++) {
        char want[1024], got[1024];
        search(mono, QUERIES[i], want, sizeof want);
        search(set, QUERIES[i], got, sizeof got);
        if (strcmp(want, got) != 0) fprintf(stderr, "  query '%s'\n", QUERIES[i]);
        CHECK_STR(got, want);
        CHECK(want[0] != '\0');
    }
    close_pair(p);
}

/* A word* is expanded once over all shards (the most frequent words of the
 * whole index, as one index picks them) into a synonym nested so that
 * Xapian 1.4 estimates its frequency alike in every shard: the same hits
 * with the same scores as one index. Before, the scores differed where an
 * expansion's words were in some shards only. */
static void test_wildcards_same_as_one_index(void) {
    pair_t p = open_pair();
    shim_db_t *mono = p.mono, *set = p.set;
    static const char *const QUERIES[] = {"reserv*",       "wat*",           "title:res*",
                                          "wat* NOT rain", "reserv* water*", "reservoir OR bank*",
                                          "b* r*",         "-wat* rain"};
    for (size_t i = 0; mono && set && i < N_ITEMS(QUERIES); i++) {
        char want[1024], got[1024];
        search(mono, QUERIES[i], want, sizeof want);
        search(set, QUERIES[i], got, sizeof got);
        if (strcmp(want, got) != 0) fprintf(stderr, "  query '%s'\n", QUERIES[i]);
        CHECK_STR(got, want);
        CHECK(want[0] != '\0');
    }
    /* Capped at the one most frequent word: "water" in the whole index,
     * where each shard alone would pick its own. */
    char want[1024], got[1024];
    if (mono && set)
        CHECK_STR(search_expanding(set, "wat*", 1, got, sizeof got),
                  search_expanding(mono, "wat*", 1, want, sizeof want));
    close_pair(p);
}

/* A query still being typed (SUGGEST's titles, search as you type): its
 * last word or any word it begins, ranked as one index ranks it. */
static void test_partial_same_as_one_index(void) {
    pair_t p = open_pair();
    shim_db_t *mono = p.mono, *set = p.set;
    static const char *const QUERIES[] = {"wat", "reservoir ra", "title:res", "b", "rain -wa"};
    for (size_t i = 0; mono && set && i < N_ITEMS(QUERIES); i++) {
        shim_query_t q = {
            .text = QUERIES[i], .match = SHIM_MATCH_ALL, .limit = 10, .partial = true};
        char want[1024], got[1024];
        search_with(mono, &q, want, sizeof want);
        search_with(set, &q, got, sizeof got);
        if (strcmp(want, got) != 0) fprintf(stderr, "  partial query '%s'\n", QUERIES[i]);
        CHECK_STR(got, want);
        CHECK(want[0] != '\0');
    }
    close_pair(p);
}

/* SIMILAR weighs the seed's terms by their frequency in the whole index. */
static void test_similar_same_as_one_index(void) {
    pair_t p = open_pair();
    shim_db_t *mono = p.mono, *set = p.set;
    static const char *const SEEDS[] = {"s00", "s03", "s07"};
    for (size_t i = 0; mono && set && i < N_ITEMS(SEEDS); i++) {
        shim_results_t *r1 = NULL, *r2 = NULL;
        CHECK_INT(shim_similar(mono, SEEDS[i], 0, 10, &r1), LEDE_OK);
        CHECK_INT(shim_similar(set, SEEDS[i], 0, 10, &r2), LEDE_OK);
        char want[1024], got[1024];
        CHECK_STR(hits_of(r2, got, sizeof got), hits_of(r1, want, sizeof want));
        shim_results_free(r1), shim_results_free(r2);
    }
    close_pair(p);
}

/* "Did you mean" over shards: from the spelling database given (remote
 * shards have none for Xapian to read), else from the shards' own, merged:
 * either way as one index suggests. */
static const char *suggestion(shim_db_t *db, const char *text, char *buf, size_t size) {
    shim_query_t q = {.text = text, .limit = 1, .suggest = true};
    shim_results_t *r = NULL;
    CHECK_INT(shim_search(db, &q, &r), LEDE_OK);
    const char *s = r ? shim_results_suggestion(r) : NULL;
    snprintf(buf, size, "%s", s ? s : "");
    shim_results_free(r);
    return buf;
}

static void test_spelling(void) {
    char *one = path_in("one"), *a = path_in("a"), *b = path_in("b"), *c = path_in("c");
    const char *specs[] = {a, b, c};
    shim_shard_opts_t o = {.spelling = one};
    shim_db_t *given = NULL, *merged = open_set(specs, 3, false), *mono = NULL;
    char *err = NULL;
    CHECK_INT(shim_db_open_shards(specs, 3, &o, &given, &err), LEDE_OK);
    free(err);
    CHECK_INT(shim_db_open(one, &mono, &err), LEDE_OK);
    free(err);
    static const char *const TYPOS[] = {"resevoir", "drougth", "waterwys", "rationnig"};
    for (size_t i = 0; mono && given && merged && i < N_ITEMS(TYPOS); i++) {
        char want[128], got[128];
        suggestion(mono, TYPOS[i], want, sizeof want);
        CHECK(want[0] != '\0');
        CHECK_STR(suggestion(given, TYPOS[i], got, sizeof got), want);
        CHECK_STR(suggestion(merged, TYPOS[i], got, sizeof got), want);
    }
    shim_db_close(given), shim_db_close(merged), shim_db_close(mono);
    free(one), free(a), free(b), free(c);
}

/* A stub listing the shards opens them as a set too. */
static void test_stub_lists_shards(void) {
    char *stub = path_in("set.stub");
    char *text = check_write_file(g_dir, "set.stub", "auto a\nauto b\n# a comment\nauto c\n");
    free(text);
    shim_db_t *db = NULL;
    char *err = NULL;
    CHECK_INT(shim_db_open(stub, &db, &err), LEDE_OK);
    free(err);
    CHECK_INT(db ? shim_db_shard_count(db) : 0, 3);
    shim_stats_t st;
    if (db) CHECK_INT(shim_db_stats(db, &st), LEDE_OK);
    if (db) CHECK_INT(st.doccount, N_ITEMS(TEXTS));
    shim_db_close(db);
    free(stub);
}

/* A shard that is not there: the open fails naming it, or with partial the
 * others are served and it is reported down. */
static void test_missing_shard(void) {
    char *a = path_in("a"), *gone = path_in("gone");
    const char *specs[] = {a, gone};
    shim_db_t *db = NULL;
    char *err = NULL;
    shim_shard_opts_t strict = {.partial = false};
    CHECK(shim_db_open_shards(specs, 2, &strict, &db, &err) != LEDE_OK);
    CHECK(err && strstr(err, "gone") != NULL);
    free(err);
    db = open_set(specs, 2, true);
    CHECK(db != NULL);
    if (db) {
        CHECK_INT(shim_db_shard_count(db), 2);
        CHECK_INT(shim_db_shards_down(db), 1);
        shim_shard_info_t up, down;
        shim_db_shard_info(db, 0, &up);
        shim_db_shard_info(db, 1, &down);
        CHECK(up.up && !up.remote && up.doccount == 4);
        CHECK(!down.up && strstr(down.spec, "gone") && down.error[0]);
        char got[1024];
        CHECK(strstr(search(db, "reservoir", got, sizeof got), "s00") != NULL);
    }
    shim_db_close(db);
    free(a), free(gone);
}

/* A bad remote spec is refused with a message that names it. */
static void test_bad_spec(void) {
    const char *specs[] = {"tcp://127.0.0.1:notaport"};
    shim_db_t *db = NULL;
    char *err = NULL;
    CHECK_INT(shim_db_open_shards(specs, 1, NULL, &db, &err), LEDE_E_INVALID);
    CHECK(err && strstr(err, "tcp://127.0.0.1:notaport") != NULL);
    free(err);
    CHECK_INT(shim_db_open_shards(specs, 0, NULL, &db, &err), LEDE_E_INVALID);
    free(err);
}

int main(void) {
    g_dir = check_tmpdir("shards");
    RUN(test_same_as_one_index);
    RUN(test_wildcards_same_as_one_index);
    RUN(test_partial_same_as_one_index);
    RUN(test_similar_same_as_one_index);
    RUN(test_spelling);
    RUN(test_stub_lists_shards);
    RUN(test_missing_shard);
    RUN(test_bad_spec);
    check_rmtree(g_dir);
    return check_summary();
}
