/* Unit tests for the reading side of the shim: opening, query syntax,
 * filters, dates, sorting, paging, facets, fallbacks, spelling, snippets,
 * more-like-this, completion, stats, and following a writer (reopen,
 * discarded revisions, stub switches). One small news index is built in a
 * temporary directory and shared by the tests that only read it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "lede/search.h"
#include "lede/shim.h"
#include "old_layout.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* The corpus                                                           */
/* ------------------------------------------------------------------ */

typedef struct article {
    const char *id;
    const char *title;
    const char *body;
    const char *author;
    const char *source;
    const char *category;
    const char *tags[2];
    const char *place;
    const char *date_key;
} article_t;

/* Eight invented articles. By date: a6 a7 a3 a1 a2 a5 a4 a8. The words are
 * chosen so that each test below has one exact answer; the comments on the
 * tests say which words they rely on. Formatting is off because one article
 * per block reads better than one field per line. */
/* clang-format off */
static const article_t CORPUS[] = {
    {"a1", "Human rights groups condemn prison conditions",
     "A report by human rights groups describes a violation of basic standards in three "
     "prisons. Inspectors found overcrowding & poor sanitation.",
     "Jane Doe", "Reuters", "Politics", {"rights", "prisons"}, "Geneva", "20220315093000"},
    {"a2", "Central bank raises interest rates",
     "The central bank raised its interest rate by half a point to fight inflation. "
     "Economists expect another rise before summer.",
     "Carlos Ruiz", "Bloomberg", "Economy", {"banks", "inflation"}, "Frankfurt",
     "20220601120000"},
    {"a3", "Volcano erupts near coastal village",
     "Lava reached the coast overnight and residents of the village were evacuated by boat.",
     "Jane Doe", "AP", "Science", {"volcanoes", NULL}, "Iceland", "20210910080000"},
    {"a4", "Storm batters the coast",
     "A winter storm brought high winds to the northern coast, and humid air followed. No "
     "humans were hurt, the coast guard said.",
     "Ali Khan", "Reuters", "Weather", {"storms", NULL}, "Norway", "20230105070000"},
    {"a5", "Rice harvest breaks records",
     "Farmers reported a record rice harvest this year. Humans have grown rice for thousands "
     "of years, and the interest in new varieties is rising. The rate of growth surprised "
     "analysts.",
     "Mai Tran", "AP", "Economy", {"farming", "rice"}, "Vietnam", "20221120150000"},
    {"a6", "Court hears case on the violation of human rights",
     "Judges heard evidence from lawyers about the alleged violation of human rights at a "
     "detention centre.",
     "Ali Khan", "Reuters", "Politics", {"rights", "courts"}, "Strasbourg", "20200214100000"},
    {"a7", "Ash cloud delays flights",
     "An ash cloud from the erupting volcano delayed flights for a second day as lava kept "
     "flowing toward the village.",
     "Jane Doe", "Reuters", "Science", {"volcanoes", "aviation"}, "Iceland", "20210412063000"},
    {"a8", "Storm season forecast published",
     "Forecasters published their outlook on Monday. They expect an active season with many "
     "named systems, and humans living near the eastern coast should prepare.",
     "Carlos Ruiz", "Guardian", "Science", {"storms", "forecasts"}, "Florida",
     "20230301110000"},
};
/* clang-format on */

/* The corpus in date order, oldest first: the answer of DATE_ASC. */
static const char ALL_BY_DATE[] = "a6,a7,a3,a1,a2,a5,a4,a8";

static char *g_dir;     /* the temporary directory of this run */
static char *g_path;    /* the shared corpus index */
static shim_db_t *g_db; /* a reader on it */

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static char *path_in(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static char *make_data(const char *id) {
    size_t n = strlen(id) + 16;
    char *d = malloc(n);
    if (!d) abort();
    snprintf(d, n, "{\"id\":\"%s\"}", id);
    return d;
}

static lede_status_t put_article(shim_writer_t *w, const article_t *a) {
    size_t n_tags = a->tags[1] ? 2 : a->tags[0] ? 1 : 0;
    char *data = make_data(a->id);
    shim_doc_t d = {.id = a->id,
                    .title = a->title,
                    .body = a->body,
                    .authors = &a->author,
                    .n_authors = a->author ? 1 : 0,
                    .source = a->source,
                    .category = a->category,
                    .tags = a->tags,
                    .n_tags = n_tags,
                    .places = &a->place,
                    .n_places = a->place ? 1 : 0,
                    .date_key = a->date_key,
                    .data = data,
                    .data_len = strlen(data),
                    .stamp = 1};
    lede_status_t st = shim_writer_upsert(w, &d);
    if (st != LEDE_OK) fprintf(stderr, "  upsert %s: %s\n", a->id, shim_writer_errmsg(w));
    free(data);
    return st;
}

/* A plain article with only an id, a title, a body and a date. */
static lede_status_t put_plain(shim_writer_t *w, const char *id, const char *title,
                               const char *body, const char *date_key) {
    article_t a = {.id = id, .title = title, .body = body, .date_key = date_key};
    return put_article(w, &a);
}

static shim_writer_t *open_writer(const char *path, bool spelling) {
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .spelling = spelling};
    shim_writer_t *w = NULL;
    char *err = NULL;
    lede_status_t st = shim_writer_open(&o, &w, &err);
    if (st != LEDE_OK) fprintf(stderr, "  shim_writer_open(%s): %s\n", path, err ? err : "");
    CHECK_INT(st, LEDE_OK);
    free(err);
    return w;
}

static void close_writer(shim_writer_t *w) {
    if (w) CHECK_INT(shim_writer_close(w, false, NULL), LEDE_OK);
}

static void commit(shim_writer_t *w) {
    lede_status_t st = shim_writer_commit(w);
    if (st != LEDE_OK) fprintf(stderr, "  commit: %s\n", shim_writer_errmsg(w));
    CHECK_INT(st, LEDE_OK);
}

static shim_db_t *open_reader(const char *path) {
    shim_db_t *db = NULL;
    char *err = NULL;
    lede_status_t st = shim_db_open(path, &db, &err);
    if (st != LEDE_OK) fprintf(stderr, "  shim_db_open(%s): %s\n", path, err ? err : "");
    CHECK_INT(st, LEDE_OK);
    CHECK(err == NULL);
    free(err);
    return db;
}

/* The id in a hit's payload {"id":"..."}, or "?" when it has none. */
static void hit_id(const shim_hit_t *h, char *buf, size_t size) {
    const char *key = "{\"id\":\"";
    size_t klen = strlen(key);
    snprintf(buf, size, "?");
    if (h->data_len < klen || memcmp(h->data, key, klen) != 0) return;
    const char *start = h->data + klen;
    const char *end = memchr(start, '"', h->data_len - klen);
    if (end && (size_t)(end - start) < size) {
        memcpy(buf, start, (size_t)(end - start));
        buf[end - start] = '\0';
    }
}

/* The hit ids of r, comma-separated, in result order. Static storage. */
static const char *ids_of(const shim_results_t *r) {
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < shim_results_size(r); i++) {
        shim_hit_t h;
        char id[64];
        shim_results_hit(r, i, &h);
        hit_id(&h, id, sizeof id);
        size_t used = strlen(out);
        snprintf(out + used, sizeof out - used, "%s%s", i ? "," : "", id);
    }
    return out;
}

/* Runs q on db and checks the status; returns the results (or NULL). */
static shim_results_t *run(shim_db_t *db, const shim_query_t *q, lede_status_t want) {
    shim_results_t *r = (shim_results_t *)&r; /* must be reset */
    lede_status_t st = shim_search(db, q, &r);
    if (st != want)
        fprintf(stderr, "  query '%s': %s (%s), want %s\n", q->text ? q->text : "",
                lede_status_to_string(st), shim_db_errmsg(db), lede_status_to_string(want));
    CHECK_INT(st, want);
    if (st != LEDE_OK) {
        CHECK(r == NULL);
        return NULL;
    }
    return r;
}

/* Searches q and compares the hit ids with want; "ERROR" when it fails. */
static void expect_ids(shim_db_t *db, const shim_query_t *q, const char *want) {
    shim_results_t *r = NULL;
    lede_status_t st = shim_search(db, q, &r);
    if (st != LEDE_OK)
        fprintf(stderr, "  query '%s': %s (%s)\n", q->text ? q->text : "",
                lede_status_to_string(st), shim_db_errmsg(db));
    const char *got = st == LEDE_OK ? ids_of(r) : "ERROR";
    if (strcmp(got, want) != 0) fprintf(stderr, "  query '%s'\n", q->text ? q->text : "");
    CHECK_STR(got, want);
    shim_results_free(r);
}

/* The ids matching text on the corpus, oldest first. */
static void expect_text(const char *text, const char *want) {
    shim_query_t q = {.text = text, .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q, want);
}

/* The ids matching text, by relevance. */
static void expect_ranked(const char *text, const char *want) {
    shim_query_t q = {.text = text, .limit = 20};
    expect_ids(g_db, &q, want);
}

static void expect_status(const shim_query_t *q, lede_status_t want) {
    shim_results_t *r = run(g_db, q, want);
    shim_results_free(r);
    if (want != LEDE_OK) CHECK(shim_db_errmsg(g_db)[0] != '\0');
}

static void expect_bad_query(const char *text) {
    shim_query_t q = {.text = text, .limit = 10};
    expect_status(&q, LEDE_E_BAD_QUERY);
}

/* Checks that facet k of r is named name and holds exactly the values
 * "v1=n1,v2=n2,...", in order. */
static void expect_facet(const shim_results_t *r, size_t k, const char *name, const char *want) {
    if (k >= shim_results_facet_count(r)) {
        CHECK(k < shim_results_facet_count(r));
        return;
    }
    CHECK_STR(shim_results_facet_name(r, k), name);
    char got[1024] = "";
    for (size_t j = 0; j < shim_results_facet_size(r, k); j++) {
        const char *value = NULL;
        uint32_t count = 0;
        shim_results_facet_value(r, k, j, &value, &count);
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%s=%u", j ? "," : "", value, count);
    }
    CHECK_STR(got, want);
}

/* ------------------------------------------------------------------ */
/* Opening                                                              */
/* ------------------------------------------------------------------ */

static void test_open_errors(void) {
    char *missing = path_in(g_dir, "no-such-index");
    shim_db_t *db = (shim_db_t *)&db;
    char *err = NULL;
    CHECK_INT(shim_db_open(missing, &db, &err), LEDE_E_OPEN);
    CHECK(db == NULL);
    CHECK(err != NULL && strstr(err, "no-such-index") != NULL);
    free(err);

    /* An existing directory that holds no database. */
    char *empty = path_in(g_dir, "empty-dir");
    CHECK(mkdir(empty, 0755) == 0);
    err = NULL;
    CHECK_INT(shim_db_open(empty, &db, &err), LEDE_E_OPEN);
    CHECK(db == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);

    CHECK_INT(shim_db_open(NULL, &db, NULL), LEDE_E_INVALID);
    CHECK(db == NULL);
    err = NULL;
    CHECK_INT(shim_db_open("", &db, &err), LEDE_E_INVALID);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    free(empty);
    free(missing);
}

static void test_stats(void) {
    shim_stats_t s;
    memset(&s, 0xff, sizeof s);
    CHECK_INT(shim_db_stats(g_db, &s), LEDE_OK);
    CHECK_INT(s.doccount, 8);
    CHECK_INT(s.lastdocid, 8);
    CHECK(s.avg_length > 0);
    CHECK(s.revision > 0);
    CHECK_STR(s.date_min, "20200214100000");
    CHECK_STR(s.date_max, "20230301110000");
    CHECK_STR(s.language, "english");
    CHECK(s.has_positions);
    CHECK(strlen(shim_xapian_version()) > 0);
}

static void test_get(void) {
    char *data = NULL;
    size_t len = 0;
    CHECK_INT(shim_db_get(g_db, "a5", &data, &len), LEDE_OK);
    CHECK_STR(data, "{\"id\":\"a5\"}");
    CHECK_INT(len, strlen("{\"id\":\"a5\"}"));
    free(data);
    data = (char *)&data;
    CHECK_INT(shim_db_get(g_db, "a9", &data, &len), LEDE_E_NOT_FOUND);
    CHECK(data == NULL);
    CHECK(strstr(shim_db_errmsg(g_db), "a9") != NULL);
    /* Ids are exact: no case folding, no prefix matching. */
    CHECK_INT(shim_db_get(g_db, "A5", &data, &len), LEDE_E_NOT_FOUND);
    CHECK_INT(shim_db_get(g_db, "a", &data, &len), LEDE_E_NOT_FOUND);
}

/* A query with summary_only gets each hit's summary, or its data when it
 * has none (an index from before summaries); get and other queries the
 * data. */
static void test_summary_only(void) {
    char *dir = path_in(g_dir, "summary");
    shim_writer_t *w = open_writer(dir, false);
    shim_doc_t with = {.id = "s1",
                       .title = "Ferry strike",
                       .data = "WHOLE-1",
                       .data_len = 7,
                       .summary = "SUM-1",
                       .summary_len = 5,
                       .stamp = 1};
    shim_doc_t without = {
        .id = "s2", .title = "Ferry strike ends", .data = "WHOLE-2", .data_len = 7, .stamp = 1};
    CHECK_INT(shim_writer_add(w, &with), LEDE_OK);
    CHECK_INT(shim_writer_add(w, &without), LEDE_OK);
    commit(w);
    close_writer(w);
    shim_db_t *db = open_reader(dir);
    for (int summary = 0; db && summary <= 1; summary++) {
        shim_query_t q = {
            .text = "ferry", .limit = 10, .sort = SHIM_SORT_DATE_ASC, .summary_only = summary};
        shim_results_t *r = run(db, &q, LEDE_OK);
        char got[64] = "";
        for (size_t i = 0; r && i < shim_results_size(r); i++) {
            shim_hit_t h;
            shim_results_hit(r, i, &h);
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", i ? "," : "",
                     (int)h.data_len, h.data);
        }
        /* Equal dates: relevance orders them, the shorter title first. */
        CHECK_STR(got, summary ? "SUM-1,WHOLE-2" : "WHOLE-1,WHOLE-2");
        shim_results_free(r);
    }
    char *data = NULL;
    size_t len;
    CHECK_INT(db ? shim_db_get(db, "s1", &data, &len) : LEDE_E_OPEN, LEDE_OK);
    CHECK_STR(data, "WHOLE-1");
    free(data);
    shim_db_close(db);
    free(dir);
}

/* ------------------------------------------------------------------ */
/* Query syntax                                                         */
/* ------------------------------------------------------------------ */

static void test_boolean_operators(void) {
    /* storm: a4 a8. coast: a3 a4 a8 ("coastal" in a3's title is another word). */
    expect_text("coast", "a3,a4,a8");
    expect_text("storm coast", "a4,a8"); /* AND by default */
    expect_text("storm AND coast", "a4,a8");
    expect_text("volcano OR storm", "a7,a3,a4,a8");
    expect_text("coast NOT storm", "a3");
    expect_text("coast -storm", "a3");
    expect_text("volcano bank", "");
    /* Match-any turns the default into OR. */
    shim_query_t q = {
        .text = "volcano bank", .match = SHIM_MATCH_ANY, .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q, "a7,a3,a2");
    /* Lower-case operators are words, not operators ("and" is a stop word). */
    expect_text("storm and coast", "a4,a8");
}

static void test_phrase_and_near(void) {
    /* a2 has "interest rate"; a5 has both words, far apart. */
    expect_text("interest rate", "a2,a5");
    expect_text("\"interest rate\"", "a2");
    /* a4: "winter storm ... northern coast" within ten words; a8 has storm in
     * its title and coast at the end of its body. */
    expect_text("storm NEAR coast", "a4");
    expect_text("\"human rights\"", "a6,a1");
    expect_text("\"rights human\"", "");
}

static void test_field_prefixes(void) {
    expect_text("title:storm", "a4,a8");
    expect_text("title:coast", "a4"); /* a8 has coast only in its body */
    expect_text("title:violation", "a6");
    expect_text("author:doe", "a7,a3,a1");
    expect_text("author:khan rights", "a6");
    expect_text("title:(storm OR volcano)", "a3,a4,a8");
}

static void test_boolean_prefixes(void) {
    expect_text("source:reuters", "a6,a7,a1,a4");
    expect_text("source:REUTERS", "a6,a7,a1,a4");
    expect_text("source:Reuters rights", "a6,a1");
    expect_text("source:ap source:bloomberg", "a3,a2,a5"); /* one field: ORed */
    expect_text("source:ap category:economy", "a5");       /* two fields: ANDed */
    expect_text("category:ECONOMY", "a2,a5");
    expect_text("tag:Volcanoes", "a7,a3");
    expect_text("tag:rights", "a6,a1");
    expect_text("place:ICELAND", "a7,a3");
    expect_text("place:geneva", "a1");
    expect_text("source:nobody", "");
    /* Filter words do not match free text: "rice" is a tag of a5 only. */
    expect_text("tag:rice", "a5");
}

static void test_date_ranges(void) {
    expect_text("date:2022-01-01..2022-12-31", "a1,a2,a5");
    expect_text("date:2022..", "a1,a2,a5,a4,a8");
    expect_text("date:..2021", "a6,a7,a3");
    expect_text("date:2022..2022", "a1,a2,a5");
    expect_text("date:2022-06..2022-06", "a2");
    expect_text("date:20221120..20221120", "a5");
    expect_text("volcano date:2021-06..2021-12", "a3");
    expect_text("rights date:2021..", "a1");
    expect_bad_query("date:yesterday..today");
    expect_bad_query("date:2022-13..2023");
    expect_bad_query("date:2022-01-32..");
}

static void test_wildcard(void) {
    /* human: a1 a6; humans: a4 a5 a8; humid: a4. */
    expect_text("hum*", "a6,a1,a5,a4,a8");
    expect_text("humi*", "a4");
    expect_text("hum* rights", "a6,a1");
    expect_text("zebra*", "");
    /* A word* that no word begins with, after + (Xapian 1.4.22's parser
     * crashed on it: fuzz_query), and the placeholder the shim writes for
     * a word*, typed by a user. */
    expect_text("+zebra* humans", "");
    expect_text("humans +zebra*", "");
    expect_text("+ledewildcard:7 humans", "");
    expect_text("-zebra* humid", "a4");
    /* Xapian 1.4.22's parser crashed on a field processor's value followed
     * by ".x" after +, with AND as the default operator ("café +pl*.ceZ'e>
     * zi": fuzz_query), so the placeholder's value ends at the '*', and a
     * typed placeholder is a word. */
    static const char *const CRASHED[] = {"humans +zebra*.c", "humans +hum*.c",
                                          "humans +ledewildcard:0.c", "humid +ledewildcard:a.c"};
    for (size_t i = 0; i < sizeof CRASHED / sizeof CRASHED[0]; i++) {
        shim_query_t all = {.text = CRASHED[i], .match = SHIM_MATCH_ALL, .limit = 20};
        shim_results_t *r = run(g_db, &all, LEDE_OK);
        shim_results_free(r);
    }
    /* And the word after the '.' is still searched: as with a space. */
    shim_query_t dot = {.text = "hum*.rights", .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &dot, "a6,a1");
    /* Capping the expansion at the most frequent term keeps "humans". */
    shim_query_t q = {.text = "hum*", .sort = SHIM_SORT_DATE_ASC, .limit = 20, .max_expansion = 1};
    expect_ids(g_db, &q, "a5,a4,a8");
}

static void test_stemming(void) {
    /* Only "violation" is in the index; the query's plural is stemmed. */
    expect_text("violations", "a6,a1");
    expect_text("violation", "a6,a1");
    expect_text("erupted", "a7,a3"); /* erupting, erupts */
    expect_text("flight", "a7");     /* flights */
}

/* a3 has "volcano" in its title, a7 only in its body. */
static void test_title_outranks_body(void) {
    expect_ranked("volcano", "a3,a7");
    shim_query_t q = {.text = "volcano", .limit = 20};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (!r) return;
    CHECK_INT(shim_results_size(r), 2);
    if (shim_results_size(r) == 2) {
        shim_hit_t first, second;
        shim_results_hit(r, 0, &first);
        shim_results_hit(r, 1, &second);
        CHECK(first.score > second.score);
        CHECK_INT(first.rank, 1);
        CHECK_INT(second.rank, 2);
        CHECK_INT(first.percent, 100);
        CHECK(second.percent > 0 && second.percent < 100);
        CHECK_INT(first.docid, 3);
        CHECK_INT(second.docid, 7);
    }
    shim_results_free(r);
}

static void test_syntax_errors_and_fallback(void) {
    expect_bad_query("foo AND");
    expect_bad_query("bank AND");
    expect_bad_query("title:(volcano OR");
    /* With fallback the words are searched plainly: "and" is a stop word,
     * "bank" finds a2. */
    shim_query_t q = {.text = "bank AND", .fallback = true, .limit = 10};
    expect_ids(g_db, &q, "a2");
    q.text = "foo AND";
    expect_ids(g_db, &q, "");
    q.text = "title:(volcano OR";
    q.match = SHIM_MATCH_ANY;
    q.sort = SHIM_SORT_DATE_ASC;
    expect_ids(g_db, &q, "a7,a3");
    /* Without the operators and the field name: "title" is not a word
     * every article must have. */
    q.match = SHIM_MATCH_ALL;
    expect_ids(g_db, &q, "a7,a3");
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (r) CHECK(shim_results_fell_back(r));
    shim_results_free(r);
    /* NEAR/n or ADJ/n after a boolean operator, where Xapian 1.4.22 leaks
     * what it parsed (the ASan build's leak check fails without the
     * shim's guard); it stays a syntax error, the fallback searches the
     * words, and NEAR/n between words is untouched. */
    expect_bad_query("volcano AND NEAR/5 storm");
    expect_bad_query("volcano OR\x15"
                     "ADJ/3 storm");
    expect_bad_query("NOT NEAR/2");
    expect_bad_query("volcano OR(ADJ/2 storm");
    expect_bad_query("volcano AND+NEAR/3 storm");
    /* Other syntax errors in a query with NEAR/n or ADJ/n leak the terms
     * before it (288 bytes for the first), and "ADJ/5[" or "NEAR/3h" are
     * read in ways of their own (found by fuzz_query): such a query must be
     * words and operators in turn, or it is a syntax error here. */
    expect_bad_query("OR volcano h/6 ADJ/2");
    expect_bad_query("OR R ADJ/5[ADJ/2");
    expect_bad_query("] -b5 NEAR/3h/6");
    expect_bad_query("OR\x15R\x15"
                     "ADJ/5[SEA h\x15"
                     "ADJ/ADJ/5[SEA h/6\x15"
                     "ADJ/2");
    expect_bad_query("\"volcano village\" NEAR/3 storm");
    expect_bad_query("] -b5 NEAR(volcano 3q9 h/6"); /* NEAR without a window too */
    expect_bad_query("volcano NEAR(storm");
    q.text = "volcano NEAR/5 village OR storm";
    q.fallback = false;
    q.match = SHIM_MATCH_ANY;
    expect_ids(g_db, &q, "a3,a4,a8");
    q.fallback = true;
    q.text = "volcano XOR ADJ/5 storm";
    q.match = SHIM_MATCH_ANY;
    expect_ids(g_db, &q, "a7,a3,a4,a8");
    q.text = "volcano NEAR/5 village";
    q.fallback = false;
    expect_ids(g_db, &q, "a3");
    q.fallback = true;
    q.match = SHIM_MATCH_ALL;
    /* A correct query is unaffected by fallback. */
    q.text = "volcano OR storm";
    expect_ids(g_db, &q, "a7,a3,a4,a8");
    r = run(g_db, &q, LEDE_OK);
    if (r) CHECK(!shim_results_fell_back(r));
    shim_results_free(r);
}

/* Writes the articles of the relaxed-matching test: k1 says "kestrel"
 * often, k2 has "kestrel" and "osprey" once each in a longer text, and
 * fillers; in shard `part` of 2 (ids alternate between the shards). */
static void write_birds(const char *path, int part) {
    shim_writer_t *w = open_writer(path, false);
    if (!w) return;
    if (part == 0)
        CHECK_INT(
            put_plain(w, "k1", "Kestrel kestrel", "kestrel kestrel kestrel", "20240101000000"),
            LEDE_OK);
    else
        CHECK_INT(put_plain(w, "k2", "Birds of the coast",
                            "A kestrel and an osprey over the dunes, with gulls, terns, herons, "
                            "egrets and plovers.",
                            "20240102000000"),
                  LEDE_OK);
    for (int i = part; i < 20; i += 2) {
        char id[16];
        snprintf(id, sizeof id, "f%d", i);
        CHECK_INT(put_plain(w, id, "Filler", "Nothing about birds here.", NULL), LEDE_OK);
    }
    close_writer(w);
}

/* SHIM_MATCH_RELAXED: any word, the articles with every word first; over
 * two shards behind a stub, whose docids the matcher numbers its own way.
 * Any-word ranking alone puts k1 first. */
static void test_relaxed_order(void) {
    char *dir = path_in(g_dir, "birds"), *a = path_in(dir, "a"), *b = path_in(dir, "b");
    CHECK(mkdir(dir, 0755) == 0);
    write_birds(a, 0);
    write_birds(b, 1);
    free(check_write_file(dir, "XAPIANDB", "auto a\nauto b\n"));
    shim_db_t *db = open_reader(dir);
    if (db) {
        shim_query_t q = {.text = "kestrel osprey", .match = SHIM_MATCH_ANY, .limit = 10};
        expect_ids(db, &q, "k1,k2");
        q.match = SHIM_MATCH_RELAXED;
        expect_ids(db, &q, "k2,k1");
        q.offset = 1;
        expect_ids(db, &q, "k1"); /* pages follow the same order */
        q.offset = 0;
        q.sort = SHIM_SORT_DATE_ASC; /* an order asked for holds */
        expect_ids(db, &q, "k1,k2");
    }
    shim_db_close(db);
    free(dir), free(a), free(b);
    /* Filters apply to both parts: no Reuters article has both words. */
    const char *reuters[] = {"Reuters"};
    shim_filter_t f = {"source", reuters, 1};
    shim_query_t q = {.text = "coast volcano",
                      .match = SHIM_MATCH_RELAXED,
                      .limit = 10,
                      .filters = &f,
                      .n_filters = 1,
                      .sort = SHIM_SORT_DATE_ASC};
    expect_ids(g_db, &q, "a7,a4");
}

/* Capitals do not change what is found: every word is stemmed. */
static void test_case_folding(void) {
    shim_query_t q = {.text = "volcanoes", .limit = 10, .sort = SHIM_SORT_DATE_ASC};
    expect_ids(g_db, &q, "a7,a3");
    q.text = "Volcanoes";
    expect_ids(g_db, &q, "a7,a3");
    q.text = "VOLCANOES";
    expect_ids(g_db, &q, "a7,a3");
    q.text = "Volcanoes NOT Lava";
    expect_ids(g_db, &q, "");
    q.text = "Storm OR Volcano";
    expect_ids(g_db, &q, "a7,a3,a4,a8");
}

static void test_empty_and_stopword_queries(void) {
    shim_query_t q = {.sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q, ALL_BY_DATE); /* NULL text matches everything */
    q.text = "";
    expect_ids(g_db, &q, ALL_BY_DATE);
    /* Stop words alone are searched as words: every article but a1 has "the". */
    expect_text("the", "a6,a7,a3,a2,a5,a4,a8");
}

/* ------------------------------------------------------------------ */
/* Filters, dates, sorting, paging                                      */
/* ------------------------------------------------------------------ */

static void test_filters(void) {
    const char *sources[] = {"reuters", "AP"};
    const char *economy[] = {"Economy"};
    shim_filter_t f[2] = {{"source", sources, 2}, {"category", economy, 1}};
    shim_query_t q = {.filters = f, .n_filters = 1, .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q, "a6,a7,a3,a1,a5,a4"); /* values ORed */
    q.n_filters = 2;
    expect_ids(g_db, &q, "a5"); /* fields ANDed */
    q.text = "rice";
    expect_ids(g_db, &q, "a5");
    q.text = "bank";
    expect_ids(g_db, &q, "");

    const char *tags[] = {"STORMS", "volcanoes"};
    const char *iceland[] = {"iceland"};
    const char *aviation[] = {"aviation"};
    const char *doe[] = {"jane doe"};
    shim_filter_t g[2] = {{"tag", tags, 2}, {"place", iceland, 1}};
    shim_query_t q2 = {.filters = g, .n_filters = 1, .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q2, "a7,a3,a4,a8");
    q2.n_filters = 2;
    expect_ids(g_db, &q2, "a7,a3");
    g[0] = (shim_filter_t){"tag", aviation, 1};
    expect_ids(g_db, &q2, "a7");
    g[0] = (shim_filter_t){"author", doe, 1};
    q2.n_filters = 1;
    expect_ids(g_db, &q2, "a7,a3,a1");

    /* Unknown fields, and fields that cannot be filtered on. */
    const char *red[] = {"red"};
    shim_filter_t bad = {"colour", red, 1};
    shim_query_t q3 = {.filters = &bad, .n_filters = 1, .limit = 10};
    expect_status(&q3, LEDE_E_INVALID);
    CHECK(strstr(shim_db_errmsg(g_db), "colour") != NULL);
    bad.field = "year";
    expect_status(&q3, LEDE_E_INVALID);
    bad.field = NULL;
    expect_status(&q3, LEDE_E_INVALID);
}

static void test_date_filters(void) {
    shim_query_t q = {
        .date_from = "20220101", .date_to = "20221231", .sort = SHIM_SORT_DATE_ASC, .limit = 20};
    expect_ids(g_db, &q, "a1,a2,a5");
    q.date_to = NULL;
    q.date_from = "2023-01-01";
    expect_ids(g_db, &q, "a4,a8");
    q.date_from = NULL;
    q.date_to = "2021";
    expect_ids(g_db, &q, "a6,a7,a3");
    q.date_from = "2022-06-01"; /* both ends inclusive */
    q.date_to = "2022-06-01";
    expect_ids(g_db, &q, "a2");
    q.date_from = "";
    q.date_to = "";
    expect_ids(g_db, &q, ALL_BY_DATE);
    q.text = "rights";
    q.date_from = "2021";
    expect_ids(g_db, &q, "a1");
    /* Combined with a field filter. */
    const char *reuters[] = {"Reuters"};
    shim_filter_t f = {"source", reuters, 1};
    shim_query_t q2 = {.filters = &f,
                       .n_filters = 1,
                       .date_from = "2021",
                       .date_to = "2022",
                       .sort = SHIM_SORT_DATE_ASC,
                       .limit = 20};
    expect_ids(g_db, &q2, "a7,a1");

    shim_query_t bad = {.date_from = "soon", .limit = 10};
    expect_status(&bad, LEDE_E_INVALID);
    bad.date_from = NULL;
    bad.date_to = "2022-02-30x";
    expect_status(&bad, LEDE_E_INVALID);
}

static void test_sort(void) {
    shim_query_t q = {.sort = SHIM_SORT_DATE_DESC, .limit = 20};
    expect_ids(g_db, &q, "a8,a4,a5,a2,a1,a3,a7,a6");
    q.sort = SHIM_SORT_DATE_ASC;
    expect_ids(g_db, &q, ALL_BY_DATE);
    /* Relevance over everything is docid order. */
    q.sort = SHIM_SORT_RELEVANCE;
    expect_ids(g_db, &q, "a1,a2,a3,a4,a5,a6,a7,a8");
    /* Sorting applies to text matches too. */
    shim_query_t q2 = {.text = "humans", .sort = SHIM_SORT_DATE_DESC, .limit = 20};
    expect_ids(g_db, &q2, "a8,a4,a5,a1,a6"); /* stemmed: human too */
}

static void test_paging(void) {
    shim_query_t q = {.sort = SHIM_SORT_DATE_DESC, .offset = 2, .limit = 3};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (r) {
        CHECK_STR(ids_of(r), "a5,a2,a1");
        CHECK_INT(shim_results_total(r), 8);
        CHECK_INT(shim_results_total_lower(r), 8);
        CHECK_INT(shim_results_total_upper(r), 8);
        for (size_t i = 0; i < shim_results_size(r); i++) {
            shim_hit_t h;
            shim_results_hit(r, i, &h);
            CHECK_INT(h.rank, 3 + i);
        }
        shim_results_free(r);
    }
    q.offset = 7;
    expect_ids(g_db, &q, "a6");
    q.offset = 8;
    expect_ids(g_db, &q, "");
    q.offset = 1000;
    expect_ids(g_db, &q, "");
    /* A page of text matches, with the exact total. */
    shim_query_t q2 = {
        .text = "hum*", .sort = SHIM_SORT_DATE_ASC, .offset = 1, .limit = 2, .check_at_least = 100};
    r = run(g_db, &q2, LEDE_OK);
    if (r) {
        CHECK_STR(ids_of(r), "a1,a5");
        CHECK_INT(shim_results_total(r), 5);
        CHECK_INT(shim_results_total_lower(r), 5);
        CHECK_INT(shim_results_total_upper(r), 5);
        shim_results_free(r);
    }
    /* A zero limit returns no hits but still counts. */
    q2.offset = 0;
    q2.limit = 0;
    r = run(g_db, &q2, LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_size(r), 0);
        CHECK_INT(shim_results_total(r), 5);
        shim_results_free(r);
    }
}

/* ------------------------------------------------------------------ */
/* Facets                                                               */
/* ------------------------------------------------------------------ */

static void test_facets(void) {
    const char *names[] = {"source", "category", "tag", "year"};
    shim_query_t q = {.limit = 1, .facets = names, .n_facets = 4};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (r) {
        /* A one-hit page still counts every match. */
        CHECK_INT(shim_results_size(r), 1);
        CHECK_INT(shim_results_facet_count(r), 4);
        expect_facet(r, 0, "source", "Reuters=4,AP=2,Bloomberg=1,Guardian=1");
        expect_facet(r, 1, "category", "Science=3,Economy=2,Politics=2,Weather=1");
        /* Eleven tags; the default limit keeps ten (ties by name). */
        expect_facet(r, 2, "tag",
                     "rights=2,storms=2,volcanoes=2,aviation=1,banks=1,courts=1,farming=1,"
                     "forecasts=1,inflation=1,prisons=1");
        expect_facet(r, 3, "year", "2022=3,2021=2,2023=2,2020=1");
        shim_results_free(r);
    }

    /* Facets of a text match, a limit per facet, and the other fields. */
    const char *more[] = {"category", "place", "author", "source"};
    shim_query_t q2 = {
        .text = "coast", .limit = 10, .facets = more, .n_facets = 4, .facet_limit = 2};
    r = run(g_db, &q2, LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_facet_count(r), 4);
        expect_facet(r, 0, "category", "Science=2,Weather=1");
        expect_facet(r, 1, "place", "Florida=1,Iceland=1");
        expect_facet(r, 2, "author", "Ali Khan=1,Carlos Ruiz=1");
        expect_facet(r, 3, "source", "AP=1,Guardian=1");
        shim_results_free(r);
    }

    /* With a filter the facets follow the filtered matches. */
    const char *politics[] = {"politics"};
    shim_filter_t f = {"category", politics, 1};
    const char *year[] = {"year"};
    shim_query_t q3 = {.filters = &f, .n_filters = 1, .limit = 10, .facets = year, .n_facets = 1};
    r = run(g_db, &q3, LEDE_OK);
    if (r) {
        expect_facet(r, 0, "year", "2020=1,2022=1");
        shim_results_free(r);
    }
    /* No facets asked, none given. */
    shim_query_t q4 = {.limit = 10};
    r = run(g_db, &q4, LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_facet_count(r), 0);
        shim_results_free(r);
    }

    /* The timeline: every period with a match, oldest first, whatever the
     * facet limit. */
    const char *timeline[] = {"timeline"};
    shim_query_t q6 = {.limit = 1, .facets = timeline, .n_facets = 1, .facet_limit = 2};
    static const struct {
        shim_timeline_t bucket;
        const char *text, *want;
    } TIMELINES[] = {
        {SHIM_TIMELINE_YEAR, NULL, "2020=1,2021=2,2022=3,2023=2"},
        {SHIM_TIMELINE_MONTH, NULL,
         "2020-02=1,2021-04=1,2021-09=1,2022-03=1,2022-06=1,2022-11=1,2023-01=1,2023-03=1"},
        {SHIM_TIMELINE_DAY, "storm", "2023-01-05=1,2023-03-01=1"},
        {SHIM_TIMELINE_MONTH, "zebra", ""},
    };
    for (size_t i = 0; i < N_ITEMS(TIMELINES); i++) {
        q6.timeline = TIMELINES[i].bucket;
        q6.text = TIMELINES[i].text;
        r = run(g_db, &q6, LEDE_OK);
        if (!r) continue;
        expect_facet(r, 0, "timeline", TIMELINES[i].want);
        shim_results_free(r);
    }

    const char *bad[] = {"source", "colour"};
    shim_query_t q5 = {.limit = 10, .facets = bad, .n_facets = 2};
    expect_status(&q5, LEDE_E_INVALID);
    CHECK(strstr(shim_db_errmsg(g_db), "colour") != NULL);
}

/* ------------------------------------------------------------------ */
/* Totals                                                               */
/* ------------------------------------------------------------------ */

/* Articles of the totals test: "alpha" in every 2nd, "beta" in every 3rd,
 * so that "alpha beta" matches every 6th: 200 of them. */
#define COUNT_ARTICLES 1200

static shim_db_t *build_counts(const char *path) {
    shim_writer_t *w = open_writer(path, false);
    if (!w) return NULL;
    for (int i = 0; i < COUNT_ARTICLES; i++) {
        char id[16], body[64];
        snprintf(id, sizeof id, "c%d", i);
        snprintf(body, sizeof body, "filler %s %s", i % 2 ? "gamma" : "alpha",
                 i % 3 ? "delta" : "beta");
        CHECK_INT(put_plain(w, id, "Counting", body, NULL), LEDE_OK);
    }
    close_writer(w);
    return open_reader(path);
}

/* A total is exact when Xapian's bounds meet: up to check_at_least
 * matches, or with exact_total; past them it is an estimate between
 * the bounds. */
static void test_exact_total(void) {
    char *path = path_in(g_dir, "counts");
    shim_db_t *db = build_counts(path);
    shim_query_t q = {.text = "alpha beta", .limit = 10, .check_at_least = 10};
    shim_results_t *r = db ? run(db, &q, LEDE_OK) : NULL;
    if (r) {
        uint32_t lower = shim_results_total_lower(r), upper = shim_results_total_upper(r);
        CHECK(lower < upper);
        CHECK(lower <= shim_results_total(r) && shim_results_total(r) <= upper);
        CHECK(lower <= 200 && 200 <= upper);
        shim_results_free(r);
    }
    q.exact_total = true;
    r = db ? run(db, &q, LEDE_OK) : NULL;
    if (r) {
        CHECK_INT(shim_results_total_lower(r), 200);
        CHECK_INT(shim_results_total_upper(r), 200);
        CHECK_INT(shim_results_total(r), 200);
        CHECK_INT(shim_results_size(r), 10);
        shim_results_free(r);
    }
    /* Fewer matches than check_at_least: exact without asking. */
    q = (shim_query_t){.text = "alpha beta", .limit = 10, .check_at_least = 500};
    r = db ? run(db, &q, LEDE_OK) : NULL;
    if (r) {
        CHECK_INT(shim_results_total_lower(r), 200);
        CHECK_INT(shim_results_total_upper(r), 200);
        shim_results_free(r);
    }
    /* The reply says which: total_min and total_max only when inexact. */
    search_params_t p = {.q = "alpha beta", .limit = 10};
    json_t *reply = json_object();
    CHECK_INT(db ? search_execute(db, &p, reply) : LEDE_E_OPEN, LEDE_OK);
    CHECK(json_is_false(json_object_get(reply, "total_exact")));
    json_int_t lo = json_integer_value(json_object_get(reply, "total_min"));
    json_int_t hi = json_integer_value(json_object_get(reply, "total_max"));
    json_int_t total = json_integer_value(json_object_get(reply, "total"));
    CHECK(lo > 0 && lo <= total && total <= hi && lo < hi);
    json_object_clear(reply);
    p.exact_total = true;
    CHECK_INT(db ? search_execute(db, &p, reply) : LEDE_E_OPEN, LEDE_OK);
    CHECK(json_is_true(json_object_get(reply, "total_exact")));
    CHECK_INT(json_integer_value(json_object_get(reply, "total")), 200);
    CHECK(!json_object_get(reply, "total_min") && !json_object_get(reply, "total_max"));
    json_decref(reply);
    /* Articles without a date are not in the timeline. */
    const char *timeline[] = {"timeline", "year"};
    shim_query_t t = {.text = "alpha", .limit = 1, .facets = timeline, .n_facets = 2};
    r = db ? run(db, &t, LEDE_OK) : NULL;
    if (r) {
        expect_facet(r, 0, "timeline", "");
        expect_facet(r, 1, "year", "");
        shim_results_free(r);
    }
    shim_db_close(db);
    free(path);
}

/* ------------------------------------------------------------------ */
/* Spelling, snippets, similar documents, completion                    */
/* ------------------------------------------------------------------ */

static void expect_suggestion(const char *text, const char *want) {
    shim_query_t q = {.text = text, .limit = 10, .suggest = true};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (!r) return;
    const char *got = shim_results_suggestion(r);
    if (want) {
        CHECK_STR(got, want);
    } else {
        if (got) fprintf(stderr, "  unexpected suggestion for '%s': %s\n", text, got);
        CHECK(got == NULL);
    }
    shim_results_free(r);
}

static void test_spelling(void) {
    expect_suggestion("inflaton", "inflation");
    expect_suggestion("storm inflaton", "storm inflation");
    /* "volcanoe" stems to volcano's stem, so it finds the volcano
     * articles: a word with a form in the index is never corrected. */
    expect_suggestion("volcanoe", NULL);
    expect_text("volcanoe", "a7,a3");
    expect_suggestion("inflation", NULL); /* spelt right */
    /* Capitals, plurals and tenses of indexed words are not corrected. */
    expect_suggestion("Inflation", NULL);
    expect_suggestion("INFLATION Volcanoes", NULL);
    expect_suggestion("erupted volcanoes delaying flights", NULL);
    /* The user's capitals, phrases, operators, field names, values and
     * wildcards are kept; only the misspelt word changes. */
    expect_suggestion("Inflaton", "Inflation");
    expect_suggestion("INFLATON", "INFLATION");
    expect_suggestion("\"erupting volcanoe\" AND inflaton", "\"erupting volcanoe\" AND inflation");
    expect_suggestion("title:inflaton inflaton", "title:inflaton inflation");
    expect_suggestion("source:Reuterz inflaton", "source:Reuterz inflation");
    expect_suggestion("inflaton volc*", "inflation volc*");
    expect_suggestion("infla* volc*", NULL);
    /* No suggestion unless asked for. */
    shim_query_t q = {.text = "inflaton", .limit = 10};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_size(r), 0);
        CHECK(shim_results_suggestion(r) == NULL);
        shim_results_free(r);
    }
}

/* A query whose deadline has passed stops with LEDE_E_TIMEOUT and says
 * why; one with time left runs; search_execute passes the deadline on. */
static void test_deadline(void) {
    shim_query_t q = {.text = "inflation", .limit = 10, .deadline = shim_clock() - 0.001};
    run(g_db, &q, LEDE_E_TIMEOUT);
    CHECK(strstr(shim_db_errmsg(g_db), "time budget") != NULL);
    q.deadline = shim_clock() + 60;
    shim_results_free(run(g_db, &q, LEDE_OK));
    search_params_t p = {
        .q = "inflation", .limit = 10, .snippet = true, .deadline = shim_clock() - 0.001};
    json_t *reply = json_object();
    CHECK_INT(search_execute(g_db, &p, reply), LEDE_E_TIMEOUT);
    p.deadline = shim_clock() + 60;
    CHECK_INT(search_execute(g_db, &p, reply), LEDE_OK);
    json_decref(reply);
}

static void expect_size(const char *q, size_t words, size_t phrase, size_t wildcards,
                        size_t shortest) {
    search_query_size_t n;
    search_query_size(q, &n);
    CHECK(n.words == words && n.longest_phrase == phrase && n.wildcards == wildcards &&
          n.shortest_wildcard == shortest);
    if (n.words != words || n.longest_phrase != phrase || n.wildcards != wildcards ||
        n.shortest_wildcard != shortest)
        fprintf(stderr, "  '%s': %zu words, phrase %zu, %zu wildcards, shortest %zu\n",
                q ? q : "(null)", n.words, n.longest_phrase, n.wildcards, n.shortest_wildcard);
}

static void test_query_size(void) {
    expect_size(NULL, 0, 0, 0, 0);
    expect_size("", 0, 0, 0, 0);
    expect_size("  human   rights ", 2, 0, 0, 0);
    expect_size("U.S. title:oil-price 2022", 6, 0, 0, 0);
    expect_size("\"the the the\" a \"b c\"", 6, 3, 0, 0);
    expect_size("\"never closed phrase", 3, 3, 0, 0);
    expect_size("infl* a* climate stat*", 4, 0, 3, 1);
    expect_size("caf\xc3\xa9 na\xc3\xafve*", 2, 0, 1, 6);
    expect_size("*** ---", 0, 0, 0, 0);
}

/* The snippet of text for the results of query, or NULL. Caller frees. */
static char *snippet_for(const char *query, const char *text, size_t max_bytes) {
    shim_query_t q = {.text = query, .limit = 10};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (!r) return NULL;
    char *out = NULL;
    CHECK_INT(shim_results_snippet(r, text, max_bytes, "[", "]", &out), LEDE_OK);
    shim_results_free(r);
    return out;
}

static void expect_snippet(const char *query, const char *text, size_t max_bytes,
                           const char *want) {
    char *out = snippet_for(query, text, max_bytes);
    CHECK_STR(out, want);
    free(out);
}

static void test_snippets(void) {
    /* The stemmed form is highlighted, and & comes back as stored. */
    expect_snippet("violations", CORPUS[0].body, 500,
                   "A report by human rights groups describes a [violation] of basic "
                   "standards in three prisons. Inspectors found overcrowding & poor "
                   "sanitation.");
    /* A phrase is highlighted as a whole. */
    expect_snippet("\"interest rate\"", CORPUS[1].body, 500,
                   "The central bank raised its [interest rate] by half a point to fight "
                   "inflation. Economists expect another rise before summer.");
    /* Markup-like text is not escaped, nor entities unescaped. */
    expect_snippet("volcano", "Ash <b>&</b> a volcano > AT&amp;T & co <i>", 500,
                   "Ash <b>&</b> a [volcano] > AT&amp;T & co <i>");
    /* Every matched word, with a wildcard too. */
    expect_snippet("storm OR coast", "Storm hits the coast.", 500, "[Storm] hits the [coast].");
    expect_snippet("hum*", "Humid air, humans unhurt.", 500, "[Humid] air, [humans] unhurt.");

    /* A short budget cuts the text around the match. */
    shim_query_t q = {.text = "sanitation", .limit = 10};
    shim_results_t *r = run(g_db, &q, LEDE_OK);
    if (r) {
        char *out = NULL;
        CHECK_INT(shim_results_snippet(r, CORPUS[0].body, 40, "<<", ">>", &out), LEDE_OK);
        CHECK(out && strstr(out, "<<sanitation>>") != NULL);
        CHECK(out && strstr(out, "report") == NULL);
        free(out);
        /* No text, no snippet. */
        CHECK_INT(shim_results_snippet(r, "", 100, "[", "]", &out), LEDE_OK);
        CHECK_STR(out, "");
        free(out);
        shim_results_free(r);
    }
}

/* The snippets of one search share what they learn of the words (each is
 * stemmed once per search): a text's snippet is the same after other
 * texts' snippets as from a search of its own. */
static void test_snippets_share_words(void) {
    static const char *const TEXTS[] = {"Violations were found. The violation was old.",
                                        "Ash from a volcano; violating rules.", "Nothing here.",
                                        "A violation of rights, violations of law.", ""};
    shim_query_t q = {.text = "violations OR volcano", .limit = 10};
    shim_results_t *shared = run(g_db, &q, LEDE_OK);
    for (size_t i = 0; shared && i < N_ITEMS(TEXTS); i++) {
        char *got = NULL;
        CHECK_INT(shim_results_snippet(shared, TEXTS[i], 60, "[", "]", &got), LEDE_OK);
        char *alone = snippet_for(q.text, TEXTS[i], 60);
        CHECK_STR(got, alone);
        free(alone);
        free(got);
    }
    shim_results_free(shared);
}

/* Whether s is well-formed UTF-8 (no sequence cut short). */
static bool valid_utf8(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;
        if (*p >= 0x80 && (*p & 0xc0) == 0x80) return false;
        for (p++; n > 0; n--, p++)
            if ((*p & 0xc0) != 0x80) return false;
    }
    return true;
}

/* The snippet finds the query's words as the indexer reads them: any
 * case, stemmed forms, a possessive, title: words; phrases as wholes;
 * never filter terms or excluded words. */
static void test_snippet_matches(void) {
    expect_snippet("nissan autoparts", "Nissan's autoparts unit; AUTOPARTS for Nissans.", 500,
                   "[Nissan's] [autoparts] unit; [AUTOPARTS] for [Nissans].");
    expect_snippet("\"interest rate\"", "The interest rate rose; interest in a rate cut waned.",
                   500, "The [interest rate] rose; interest in a rate cut waned.");
    expect_snippet("title:volcano", "The volcano erupted.", 500, "The [volcano] erupted.");
    expect_snippet("lava source:reuters", "Reuters said lava flowed.", 500,
                   "Reuters said [lava] flowed.");
    expect_snippet("lava -village", "Lava reached the village.", 500,
                   "[Lava] reached the village.");
    expect_snippet("c++", "Written in C++ and C.", 500, "Written in [C++] and C.");
}

/* Three sentences; only the second has the match. */
static const char THREE_SENTENCES[] =
    "Officials met on Monday to discuss the budget for the coming year and new roads. "
    "Heavy rain fell overnight, and the storm flooded several coastal towns. "
    "Cleanup crews were sent in the morning to clear the debris from the streets.";

/* The window starts at the start of the sentence with the match, and "…"
 * marks what was left out on either side. */
static void test_snippet_window(void) {
    expect_snippet("storm", THREE_SENTENCES, 90,
                   "…Heavy rain fell overnight, and the [storm] flooded several coastal towns. "
                   "Cleanup crews were…");
    expect_snippet("officials", THREE_SENTENCES, 60,
                   "[Officials] met on Monday to discuss the budget for the coming…");
    expect_snippet(
        "debris", THREE_SENTENCES, 100,
        "…Cleanup crews were sent in the morning to clear the [debris] from the streets.");
    /* Nothing matches: the text's opening. */
    expect_snippet("glacier", THREE_SENTENCES, 60,
                   "Officials met on Monday to discuss the budget for the coming…");
    /* A paragraph with no match at the end (a sign-off) is left out. */
    expect_snippet("storm", "Storm hits the coast.\n\nReuter", 100, "[Storm] hits the coast.…");
    /* Distinct words count more than a repeated one. */
    expect_snippet("storm coast",
                   "Calm at first. Storm after storm after storm hit. The storm reached the coast.",
                   40, "…The [storm] reached the [coast].");
}

/* Cuts fall between words and characters, never inside a UTF-8 sequence. */
static void test_snippet_cuts(void) {
    expect_snippet("alpha", "alpha beta gamma delta", 13, "[alpha] beta…");
    expect_snippet("gamma", "alpha beta gamma delta", 11, "…beta [gamma]…");
    char text[4096] = "", *out;
    for (int i = 0; i < 30; i++)
        strcat(text, "\xce\xba\xce\xb1\xce\xbb\xce\xae \xce\xbc\xce\xad\xcf\x81\xce\xb1 ");
    strcat(text, "\xcf\x83\xce\xb5\xce\xb9\xcf\x83\xce\xbc\xcf\x8c\xcf\x82 "); /* σεισμός */
    for (int i = 0; i < 30; i++)
        strcat(text, "\xce\xba\xce\xb1\xce\xbb\xce\xae \xce\xbd\xcf\x8d\xcf\x87\xcf\x84\xce\xb1 ");
    out = snippet_for("\xcf\x83\xce\xb5\xce\xb9\xcf\x83\xce\xbc\xcf\x8c\xcf\x82", text, 61);
    CHECK(out && valid_utf8(out));
    CHECK(out && strstr(out, "[\xcf\x83\xce\xb5\xce\xb9\xcf\x83\xce\xbc\xcf\x8c\xcf\x82]"));
    CHECK(out && strncmp(out, "…", 3) == 0 && strlen(out) >= 6 &&
          !strcmp(out + strlen(out) - 3, "…"));
    CHECK(out && strlen(out) <= 61 + 2 + 6);
    free(out);
    /* One word longer than the window is cut at a character's boundary. */
    memset(text, 0, sizeof text);
    for (int i = 0; i < 100; i++) strcat(text, "\xce\xb1");
    out = snippet_for("glacier", text, 51);
    CHECK(out && valid_utf8(out) && strlen(out) == 50 + 3);
    free(out);
}

/* Edges: no text, a text of punctuation only, a text shorter than the
 * window (whole), and a very long text (bounded time). */
static void test_snippet_edges(void) {
    expect_snippet("storm", "", 100, "");
    expect_snippet("storm", " -- ... ", 100, "");
    expect_snippet("storm", "(Storm)", 100, "([Storm])");
    size_t n = 4u << 20;
    char *big = malloc(n + 1);
    if (!big) abort();
    for (size_t i = 0; i < n; i++) big[i] = "storm calm "[i % 11];
    big[n] = '\0';
    double start = check_now_ms();
    char *out = snippet_for("storm", big, 240);
    printf("  a snippet of a 4 MB text: %.0f ms\n", check_now_ms() - start);
    CHECK(out && strncmp(out, "[storm] calm [storm]", 20) == 0);
    CHECK(check_now_ms() - start < 5000);
    free(out);
    free(big);
}

static void test_similar(void) {
    /* a3 and a7 share volcano, lava and village. */
    shim_results_t *r = NULL;
    CHECK_INT(shim_similar(g_db, "a3", 0, 10, &r), LEDE_OK);
    if (r) {
        CHECK(shim_results_size(r) >= 1);
        const char *ids = ids_of(r);
        CHECK(strncmp(ids, "a7,", 3) == 0 || strcmp(ids, "a7") == 0);
        CHECK(strstr(ids, "a3") == NULL);
        shim_results_free(r);
    }
    CHECK_INT(shim_similar(g_db, "a3", 0, 1, &r), LEDE_OK);
    if (r) {
        CHECK_STR(ids_of(r), "a7");
        shim_results_free(r);
    }
    /* a1 and a6 share human rights and violation. */
    CHECK_INT(shim_similar(g_db, "a6", 0, 1, &r), LEDE_OK);
    if (r) {
        CHECK_STR(ids_of(r), "a1");
        shim_results_free(r);
    }
    /* Paging skips the best match. */
    CHECK_INT(shim_similar(g_db, "a3", 1, 10, &r), LEDE_OK);
    if (r) {
        const char *ids = ids_of(r);
        CHECK(strstr(ids, "a7") == NULL && strstr(ids, "a3") == NULL);
        shim_results_free(r);
    }
    r = (shim_results_t *)&r;
    CHECK_INT(shim_similar(g_db, "a99", 0, 10, &r), LEDE_E_NOT_FOUND);
    CHECK(r == NULL);
    CHECK(strstr(shim_db_errmsg(g_db), "a99") != NULL);
}

static void expect_completions(const char *prefix, size_t limit, const char *want) {
    char **v = NULL;
    size_t n = 99;
    CHECK_INT(shim_complete(g_db, prefix, limit, &v, &n), LEDE_OK);
    char got[512] = "";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%s", i ? "|" : "", v[i]);
    }
    if (n == 0) CHECK(v == NULL);
    CHECK_STR(got, want);
    shim_strings_free(v, n);
}

static void test_complete(void) {
    /* humans is in three articles, human in two, humid in one. */
    expect_completions("hum", 10, "humans|human|humid");
    expect_completions("hum", 2, "humans|human");
    expect_completions("HUM", 10, "humans|human|humid");
    /* The words before the last are kept. */
    expect_completions("human ri", 10, "human rights|human rice|human rise|human rising");
    expect_completions("human ri", 1, "human rights");
    expect_completions("zzz", 10, "");
    expect_completions("", 10, "");
    expect_completions("storm ", 10, "");
    expect_completions("hum", 0, "");
}

/* ------------------------------------------------------------------ */
/* Following a writer                                                   */
/* ------------------------------------------------------------------ */

/* A reader keeps its snapshot until shim_db_reopen() moves it to the
 * writer's newest commit. */
static void test_reopen_sees_commits(void) {
    char *path = path_in(g_dir, "live");
    shim_writer_t *w = open_writer(path, false);
    if (!w) goto out;
    CHECK_INT(put_plain(w, "r1", "Ferry timetable", "Ferries leave hourly.", "20240101000000"),
              LEDE_OK);
    commit(w);
    shim_db_t *db = open_reader(path);
    if (!db) {
        close_writer(w);
        goto out;
    }
    shim_query_t q = {.text = "ferries", .sort = SHIM_SORT_DATE_ASC, .limit = 10};
    expect_ids(db, &q, "r1");

    CHECK_INT(put_plain(w, "r2", "Ferry strike", "No ferries today.", "20240102000000"), LEDE_OK);
    expect_ids(db, &q, "r1"); /* not committed */
    commit(w);
    expect_ids(db, &q, "r1"); /* committed, but db reads its snapshot */
    bool changed = false;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(changed);
    expect_ids(db, &q, "r1,r2");
    char *data = NULL;
    CHECK_INT(shim_db_get(db, "r2", &data, NULL), LEDE_OK);
    CHECK_STR(data, "{\"id\":\"r2\"}");
    free(data);
    changed = true;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(!changed);
    CHECK_INT(shim_db_reopen(db, NULL), LEDE_OK);
    shim_stats_t s;
    CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
    CHECK_INT(s.doccount, 2);
    shim_db_close(db);
    close_writer(w);
out:
    free(path);
}

/* Documents in the index for test_retry_after_discarded_revision: enough,
 * with large enough payloads, that its tables have several levels. The
 * root blocks a reader holds in memory never go stale, so only then does
 * a reader go back to disk for blocks a writer may have recycled. */
enum { RETRY_DOCS = 600, RETRY_PAD_BYTES = 1500 };

/* Rewrites every document of the retry index as generation gen. */
static void rewrite_generation(shim_writer_t *w, int gen) {
    static char data[RETRY_PAD_BYTES + 64], pad[RETRY_PAD_BYTES + 1];
    memset(pad, 'p', RETRY_PAD_BYTES);
    /* One of four harbours per document: the words more-like-this can use,
     * as words in every document tell nothing apart. */
    static const char *const HARBOURS[] = {"Dover", "Calais", "Ostend", "Zeebrugge"};
    for (int k = 0; k < RETRY_DOCS; k++) {
        char id[16], body[96];
        snprintf(id, sizeof id, "d%03d", k);
        snprintf(data, sizeof data, "{\"id\":\"%s\",\"gen\":%d,\"pad\":\"%s\"}", id, gen, pad);
        snprintf(body, sizeof body, "Ferries sail route %d from %s harbour in generation %d.", k,
                 HARBOURS[k % 4], gen);
        shim_doc_t d = {.id = id,
                        .title = "Ferry timetable",
                        .body = body,
                        .data = data,
                        .data_len = strlen(data),
                        .stamp = 1};
        if (shim_writer_upsert(w, &d) != LEDE_OK) {
            CHECK_STR(shim_writer_errmsg(w), "");
            return;
        }
    }
    commit(w);
}

/* True when every hit of r is of generation gen. */
static bool all_of_generation(const shim_results_t *r, int gen) {
    char want[32];
    snprintf(want, sizeof want, "\"gen\":%d,", gen);
    for (size_t i = 0; i < shim_results_size(r); i++) {
        shim_hit_t h;
        shim_results_hit(r, i, &h);
        if (!strstr(h.data, want)) return false;
    }
    return true;
}

/* After two more commits the revision a reader was reading is discarded
 * (Xapian reuses its blocks). shim_search and shim_similar then reopen
 * and retry by themselves, and so see the newest commit; the calls
 * without a retry report LEDE_E_MODIFIED until the caller reopens. */
static void test_retry_after_discarded_revision(void) {
    char *path = path_in(g_dir, "busy");
    shim_writer_t *w = open_writer(path, false);
    if (!w) goto out;
    rewrite_generation(w, 0);
    shim_db_t *db = open_reader(path);
    if (!db) {
        close_writer(w);
        goto out;
    }
    shim_query_t all = {.limit = RETRY_DOCS + 10};
    shim_results_t *r = run(db, &all, LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_size(r), RETRY_DOCS);
        CHECK(all_of_generation(r, 0));
        shim_results_free(r);
    }

    rewrite_generation(w, 1);
    rewrite_generation(w, 2);
    r = run(db, &all, LEDE_OK); /* no reopen by the caller */
    if (r) {
        CHECK_INT(shim_results_size(r), RETRY_DOCS);
        CHECK(all_of_generation(r, 2)); /* retried on the newest revision */
        shim_results_free(r);
    }

    rewrite_generation(w, 3);
    rewrite_generation(w, 4);
    char *data = NULL; /* get retries like search: no reopen by the caller */
    CHECK_INT(shim_db_get(db, "d300", &data, NULL), LEDE_OK);
    CHECK(data && strstr(data, "\"gen\":4,") != NULL);
    free(data);
    bool changed = true;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(!changed); /* the retry already moved to the newest revision */

    rewrite_generation(w, 5);
    rewrite_generation(w, 6);
    r = NULL;
    CHECK_INT(shim_similar(db, "d001", 0, RETRY_DOCS, &r), LEDE_OK);
    if (r) {
        /* The other documents from Calais. */
        CHECK_INT(shim_results_size(r), RETRY_DOCS / 4 - 1);
        CHECK(all_of_generation(r, 6));
        shim_results_free(r);
    }
    shim_db_close(db);
    close_writer(w);
out:
    free(path);
}

/* Writes dir/name through a temporary file and rename(), as the indexer
 * does when it switches the live index. */
static void replace_file(const char *dir, const char *name, const char *text) {
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    char *tmp_path = check_write_file(dir, tmp, text);
    char *path = path_in(dir, name);
    CHECK(rename(tmp_path, path) == 0);
    free(path);
    free(tmp_path);
}

/* Rewrites SNIPPET_DOCS documents whose bodies hold words of their own
 * and of generation gen, so that each commit rewrites much of the
 * postlist table (where a snippet reads the frequencies of its words). */
enum { SNIPPET_DOCS = 400, SNIPPET_WORDS = 60 };
static void rewrite_words(shim_writer_t *w, int gen) {
    static char body[SNIPPET_WORDS * 16 + 64];
    for (int k = 0; k < SNIPPET_DOCS; k++) {
        char id[16];
        size_t n = (size_t)snprintf(body, sizeof body, "Ferries sail from harbour");
        for (int j = 0; j < SNIPPET_WORDS; j++)
            n += (size_t)snprintf(body + n, sizeof body - n, " w%dx%dg%d", k, j, gen);
        snprintf(id, sizeof id, "s%03d", k);
        shim_doc_t d = {
            .id = id, .title = "Ferries", .body = body, .data = "{}", .data_len = 2, .stamp = 1};
        if (shim_writer_upsert(w, &d) != LEDE_OK) {
            CHECK_STR(shim_writer_errmsg(w), "");
            return;
        }
    }
    commit(w);
}

/* A snippet is taken after the search, and the revision it read can be
 * discarded meanwhile (an index update between the two): the snippet then
 * fails with LEDE_E_MODIFIED and a message on the handle, never an empty
 * one. */
static void test_snippet_after_discarded_revision(void) {
    char *path = path_in(g_dir, "snippets");
    shim_writer_t *w = open_writer(path, false);
    shim_db_t *db = NULL;
    shim_results_t *r = NULL;
    if (!w) goto out;
    rewrite_words(w, 0);
    if (!(db = open_reader(path))) goto out;
    shim_query_t q = {.text = "ferries", .limit = 10};
    if (!(r = run(db, &q, LEDE_OK))) goto out;
    rewrite_words(w, 1);
    rewrite_words(w, 2);
    char text[SNIPPET_WORDS * 16 + 64], *snippet = NULL;
    size_t n = (size_t)snprintf(text, sizeof text, "Ferries");
    for (int j = 0; j < SNIPPET_WORDS; j++)
        n += (size_t)snprintf(text + n, sizeof text - n, " w%dx%dg0", 7 * j, j);
    lede_status_t st = shim_results_snippet(r, text, 200, "[", "]", &snippet);
    printf("  a snippet after two commits: %s (%s)\n", lede_status_to_string(st),
           shim_db_errmsg(db));
    CHECK(st == LEDE_OK || (st == LEDE_E_MODIFIED && *shim_db_errmsg(db)));
    free(snippet);
out:
    shim_results_free(r);
    shim_db_close(db);
    close_writer(w);
    free(path);
}

static void test_stub_switch(void) {
    char *stub_dir = path_in(g_dir, "index");
    CHECK(mkdir(stub_dir, 0755) == 0);
    char *gen1 = path_in(stub_dir, "gen1");
    char *gen2 = path_in(stub_dir, "gen2");
    shim_writer_t *w = open_writer(gen1, false);
    if (w) {
        CHECK_INT(put_plain(w, "g1a", "Old edition", "Printed yesterday.", "20240107000000"),
                  LEDE_OK);
        close_writer(w);
    }
    w = open_writer(gen2, false);
    if (w) {
        CHECK_INT(put_plain(w, "g2a", "New edition", "Printed today.", "20240108000000"), LEDE_OK);
        CHECK_INT(put_plain(w, "g2b", "Late edition", "Printed tonight.", "20240109000000"),
                  LEDE_OK);
        close_writer(w);
    }
    free(check_write_file(stub_dir, "XAPIANDB", "auto gen1\n"));

    shim_db_t *db = open_reader(stub_dir);
    if (!db) goto out;
    shim_query_t q = {.text = "printed", .sort = SHIM_SORT_DATE_ASC, .limit = 10};
    expect_ids(db, &q, "g1a");
    bool changed = true;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(!changed);

    replace_file(stub_dir, "XAPIANDB", "auto gen2\n");
    changed = false;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(changed);
    expect_ids(db, &q, "g2a,g2b");
    shim_stats_t s;
    CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
    CHECK_INT(s.doccount, 2);
    changed = true;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(!changed);

    /* After the switch, commits to the new database are followed too. */
    w = open_writer(gen2, false);
    if (w) {
        CHECK_INT(put_plain(w, "g2c", "Extra edition", "Printed at dawn.", "20240110000000"),
                  LEDE_OK);
        close_writer(w);
    }
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(changed);
    expect_ids(db, &q, "g2a,g2b,g2c");

    /* And back: switching to the old generation is a switch as well. */
    replace_file(stub_dir, "XAPIANDB", "auto gen1\n");
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(changed);
    expect_ids(db, &q, "g1a");
    shim_db_close(db);

    /* The stub file itself can be opened too. */
    char *stub_file = path_in(stub_dir, "XAPIANDB");
    db = open_reader(stub_file);
    if (db) {
        expect_ids(db, &q, "g1a");
        replace_file(stub_dir, "XAPIANDB", "auto gen2\n");
        CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
        CHECK(changed);
        expect_ids(db, &q, "g2a,g2b,g2c");
        shim_db_close(db);
    }
    free(stub_file);
out:
    free(gen2);
    free(gen1);
    free(stub_dir);
}

/* A stub that lists two databases searches them as one. */
static void test_stub_shards(void) {
    char *dir = path_in(g_dir, "sharded");
    CHECK(mkdir(dir, 0755) == 0);
    char *s1 = path_in(dir, "s1");
    char *s2 = path_in(dir, "s2");
    shim_writer_t *w = open_writer(s1, false);
    if (w) {
        CHECK_INT(put_plain(w, "x1", "Glacier retreats", "The glacier lost ice.", "20240111000000"),
                  LEDE_OK);
        close_writer(w);
    }
    w = open_writer(s2, false);
    if (w) {
        CHECK_INT(put_plain(w, "x2", "Glacier museum", "Ice on display.", "20240112000000"),
                  LEDE_OK);
        close_writer(w);
    }
    free(check_write_file(dir, "XAPIANDB", "auto s1\nauto s2\n"));
    shim_db_t *db = open_reader(dir);
    if (db) {
        shim_query_t q = {.text = "glacier", .limit = 10, .sort = SHIM_SORT_DATE_ASC};
        shim_results_t *r = run(db, &q, LEDE_OK);
        if (r) {
            CHECK_INT(shim_results_size(r), 2);
            CHECK_STR(ids_of(r), "x1,x2");
            shim_results_free(r);
        }
        shim_stats_t s;
        CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
        CHECK_INT(s.doccount, 2);
        CHECK_INT(s.revision, 0);
        char *data = NULL;
        CHECK_INT(shim_db_get(db, "x2", &data, NULL), LEDE_OK);
        CHECK_STR(data, "{\"id\":\"x2\"}");
        free(data);
        shim_db_close(db);
    }
    free(s2);
    free(s1);
    free(dir);
}

/* ------------------------------------------------------------------ */
/* List facets: item slots, the layout before them, remote shards      */
/* ------------------------------------------------------------------ */

/* Articles with many tags, places and authors: case variants, a place
 * repeated in one article, an empty tag, a tag with a LIST_SEP inside, ties.
 * Lists end at the first NULL. */
typedef struct listed {
    const char *id, *text;
    const char *tags[6], *places[4], *authors[4];
} listed_t;

/* clang-format off */
static const listed_t LISTED[] = {
    {"l1", "oil news", {"Oil", "crude", "trade"}, {"usa", "UK"}, {"Jane Doe", "John Roe"}},
    {"l2", "oil supply news", {"oil", "crude"}, {"usa", "usa"}, {"jane doe"}},
    {"l3", "grain trade news", {"OIL", "grain", "trade", "wheat", "corn"}, {"Canada", "usa", "uk"},
     {"John Roe", "Jane Doe", "Ann Poe"}},
    {"l4", "coffee news", {"coffee", "", "cocoa"}, {"Brazil"}, {NULL}},
    {"l5", "sugar trade news", {"sugar\x1f" "cane"}, {"Brazil", "usa"}, {"Ann Poe"}},
    {"l6", "plain news", {NULL}, {NULL}, {NULL}},
};
/* clang-format on */

/* What list_spy has always counted for every article of LISTED. */
static const char LISTED_TAGS[] =
    "crude=2,trade=2,OIL=1,Oil=1,cocoa=1,coffee=1,corn=1,grain=1,oil=1,sugarcane=1,wheat=1";
static const char LISTED_PLACES[] = "usa=5,Brazil=2,Canada=1,UK=1,uk=1";
static const char LISTED_AUTHORS[] = "Ann Poe=2,Jane Doe=2,John Roe=2,jane doe=1";

static size_t list_len(const char *const *items, size_t max) {
    size_t n = 0;
    while (n < max && items[n]) n++;
    return n;
}

static lede_status_t put_listed(shim_writer_t *w, const listed_t *a) {
    shim_doc_t d = {.id = a->id,
                    .body = a->text,
                    .tags = a->tags,
                    .n_tags = list_len(a->tags, N_ITEMS(a->tags)),
                    .places = a->places,
                    .n_places = list_len(a->places, N_ITEMS(a->places)),
                    .authors = a->authors,
                    .n_authors = list_len(a->authors, N_ITEMS(a->authors)),
                    .data = "{}",
                    .data_len = 2,
                    .stamp = 1};
    return shim_writer_upsert(w, &d);
}

/* An article "long" with n tags "t00", "t01", ... and "crude" last. */
static lede_status_t put_long(shim_writer_t *w, const char *id, size_t n) {
    char names[40][8];
    const char *tags[40];
    if (n > N_ITEMS(tags)) return LEDE_E_INVALID;
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "t%02zu", i);
        tags[i] = names[i];
    }
    if (n) tags[n - 1] = "crude";
    shim_doc_t d = {
        .id = id, .body = "long news", .tags = tags, .n_tags = n, .data = "{}", .data_len = 2};
    return shim_writer_upsert(w, &d);
}

/* Builds dir/name from the articles of LISTED whose ids are in ids (all
 * when NULL), with one of n_long tags when n_long > 0. Returns the path. */
static char *build_listed(const char *dir, const char *name, const char *ids, size_t n_long) {
    char *path = path_in(dir, name);
    shim_writer_t *w = open_writer(path, false);
    if (!w) return path;
    for (size_t i = 0; i < N_ITEMS(LISTED); i++)
        if (!ids || strstr(ids, LISTED[i].id)) CHECK_INT(put_listed(w, &LISTED[i]), LEDE_OK);
    if (n_long) CHECK_INT(put_long(w, "long", n_long), LEDE_OK);
    close_writer(w);
    return path;
}

/* The facets tag, place and author of text on db, one line each, all
 * values (facet_limit 100) or limit of each; "ERROR: message" on failure.
 * Caller frees. */
static char *list_facets(shim_db_t *db, const char *text, uint32_t limit) {
    const char *names[] = {"tag", "place", "author"};
    shim_query_t q = {.text = text,
                      .limit = 1,
                      .facets = names,
                      .n_facets = 3,
                      .facet_limit = limit ? limit : 100};
    shim_results_t *r = NULL;
    char *out = calloc(1, 4096);
    if (!out) abort();
    if (shim_search(db, &q, &r) != LEDE_OK) {
        snprintf(out, 4096, "ERROR: %s", shim_db_errmsg(db));
        return out;
    }
    for (size_t k = 0; k < shim_results_facet_count(r); k++) {
        for (size_t j = 0; j < shim_results_facet_size(r, k); j++) {
            const char *value = NULL;
            uint32_t count = 0;
            shim_results_facet_value(r, k, j, &value, &count);
            size_t used = strlen(out);
            snprintf(out + used, 4096 - used, "%s%s=%u", j ? "," : "", value, count);
        }
        size_t used = strlen(out);
        snprintf(out + used, 4096 - used, "\n");
    }
    shim_results_free(r);
    return out;
}

/* Queries whose list facets are compared between two indexes. */
static const char *const LIST_QUERIES[] = {"news", "oil",  "trade", "coffee OR sugar",
                                           "long", "zebra"};

/* Every query of LIST_QUERIES has the same list facets on a and b, with
 * every value and with a limit of 2 that cuts ties. */
static void expect_same_lists(shim_db_t *a, shim_db_t *b) {
    for (size_t i = 0; i < N_ITEMS(LIST_QUERIES); i++) {
        for (uint32_t limit = 0; limit <= 2; limit += 2) {
            char *fa = list_facets(a, LIST_QUERIES[i], limit);
            char *fb = list_facets(b, LIST_QUERIES[i], limit);
            if (strcmp(fa, fb) != 0) fprintf(stderr, "  query '%s'\n", LIST_QUERIES[i]);
            CHECK_STR(fa, fb);
            CHECK(strncmp(fa, "ERROR", 5) != 0);
            free(fb);
            free(fa);
        }
    }
}

/* An index with the item slots gives the same list facets as the same
 * articles without them (an index from before them, or one where some
 * articles are from before them), including a list of exactly
 * LIST_ITEM_SLOTS (32) items and one longer. Locally both are counted by
 * list_spy; test_remote_list_facets checks the item slots, which only a
 * remote shard counts by, against it. */
static void test_list_facets(void) {
    char *dir = path_in(g_dir, "lists");
    CHECK(mkdir(dir, 0755) == 0);
    static const struct {
        size_t n_long;
        const char *strip; /* "": none, NULL: every article */
    } CASES[] = {{0, NULL}, {32, NULL}, {33, NULL}, {32, "l3"}, {5, "long"}};
    for (size_t i = 0; i < N_ITEMS(CASES); i++) {
        char *now = build_listed(dir, "now", NULL, CASES[i].n_long);
        char *old = build_listed(dir, "old", NULL, CASES[i].n_long);
        CHECK_INT(old_layout_strip(old, CASES[i].strip), 0);
        shim_db_t *a = open_reader(now), *b = open_reader(old);
        if (a && b) expect_same_lists(a, b);
        if (a && CASES[i].n_long == 0) {
            char *got = list_facets(a, "news", 0);
            char want[512];
            snprintf(want, sizeof want, "%s\n%s\n%s\n", LISTED_TAGS, LISTED_PLACES, LISTED_AUTHORS);
            CHECK_STR(got, want);
            free(got);
        }
        shim_db_close(b);
        shim_db_close(a);
        check_rmtree(old);
        check_rmtree(now);
        CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
    }
    free(dir);
}

/* Articles for the facet key: fields missing in turn, values that share
 * a prefix, a value with a space and one not in ASCII. */
static const article_t KEYED[] = {
    {.id = "k1", .body = "grain news", .source = "AP", .category = "Farm", .date_key = "20210101"},
    {.id = "k2", .body = "grain news", .source = "AP", .category = "Farm", .date_key = "20220101"},
    {.id = "k3", .body = "grain news", .source = "APF", .category = "Farm Policy"},
    {.id = "k4", .body = "grain news", .category = "F\xc3\xa9rias", .date_key = "20210505"},
    {.id = "k5", .body = "grain oil", .source = "AP", .date_key = "20210505"},
    {.id = "k6", .body = "oil"},
};

/* source, category and year of text on db, asked for together (one facet
 * key spy) or one at a time (each facet's own slot), as facet_lines. */
static char *keyed_facets(shim_db_t *db, const char *text, bool together) {
    static const char *NAMES[] = {"year", "category", "source"};
    char *out = calloc(1, 4096);
    if (!out) abort();
    for (size_t k = 0; k < (together ? 1 : N_ITEMS(NAMES)); k++) {
        shim_query_t q = {.text = text,
                          .limit = 1,
                          .facets = together ? NAMES : &NAMES[k],
                          .n_facets = together ? N_ITEMS(NAMES) : 1,
                          .facet_limit = 100};
        shim_results_t *r = NULL;
        if (shim_search(db, &q, &r) != LEDE_OK) {
            snprintf(out, 4096, "ERROR: %s", shim_db_errmsg(db));
            return out;
        }
        for (size_t f = 0; f < shim_results_facet_count(r); f++) {
            size_t used = strlen(out);
            snprintf(out + used, 4096 - used, "%s:", shim_results_facet_name(r, f));
            for (size_t j = 0; j < shim_results_facet_size(r, f); j++) {
                const char *value = NULL;
                uint32_t count = 0;
                shim_results_facet_value(r, f, j, &value, &count);
                used = strlen(out);
                snprintf(out + used, 4096 - used, "%s%s=%u", j ? "," : "", value, count);
            }
            used = strlen(out);
            snprintf(out + used, 4096 - used, "\n");
        }
        shim_results_free(r);
    }
    return out;
}

/* The source, category and year facets asked for together are counted
 * from the facet key (shim/facet_key.h) and give what each gives alone;
 * on an index where some or all articles have no key (built before keys
 * existed) each is counted from its own slot, with the same counts. */
static void test_facet_keys(void) {
    char *dir = path_in(g_dir, "keyed");
    CHECK(mkdir(dir, 0755) == 0);
    static const char *const STRIP[] = {"", "k2", NULL}; /* "": none, NULL: all */
    for (size_t s = 0; s < N_ITEMS(STRIP); s++) {
        char *path = path_in(dir, s == 0 ? "all" : s == 1 ? "some" : "none");
        shim_writer_t *w = open_writer(path, false);
        for (size_t i = 0; w && i < N_ITEMS(KEYED); i++)
            CHECK_INT(put_article(w, &KEYED[i]), LEDE_OK);
        close_writer(w);
        if (!STRIP[s] || *STRIP[s]) CHECK_INT(old_layout_strip(path, STRIP[s]), 0);
        shim_db_t *db = open_reader(path);
        static const char *const QUERIES[] = {"grain", "oil", "news", "zebra"};
        for (size_t i = 0; db && i < N_ITEMS(QUERIES); i++) {
            char *together = keyed_facets(db, QUERIES[i], true);
            char *alone = keyed_facets(db, QUERIES[i], false);
            if (strcmp(together, alone) != 0) fprintf(stderr, "  %s, '%s'\n", path, QUERIES[i]);
            CHECK_STR(together, alone);
            if (i == 0)
                CHECK_STR(together, "year:2021=3,2022=1\n"
                                    "category:Farm=2,Farm Policy=1,F\xc3\xa9rias=1\n"
                                    "source:AP=3,APF=1\n");
            free(alone);
            free(together);
        }
        shim_db_close(db);
        free(path);
    }
    check_rmtree(dir);
}

/* The path of program on $PATH, or NULL. Caller frees. */
static char *find_on_path(const char *program) {
    const char *path = getenv("PATH");
    if (!path) return NULL;
    char *dirs = strdup(path);
    if (!dirs) abort();
    char *found = NULL, *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *p = path_in(d, program);
        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(dirs);
    return found;
}

/* A port on 127.0.0.1 that was free a moment ago, or 0. */
static unsigned free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

static bool port_accepts(unsigned port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

/* How long xapian-tcpsrv gets to listen. */
#define TCPSRV_START_MS 10000

/* Starts xapian-tcpsrv (at tcpsrv) on 127.0.0.1 serving db; its pid, or -1.
 * *port is where it listens. A port taken in the meantime is retried. */
static pid_t start_tcpsrv(const char *tcpsrv, const char *db, const char *log, unsigned *port) {
    for (int attempt = 0; attempt < 3; attempt++) {
        char port_arg[16];
        *port = free_port();
        snprintf(port_arg, sizeof port_arg, "%u", *port);
        char *argv[] = {(char *)tcpsrv, "--interface", "127.0.0.1", "--port",
                        port_arg,       (char *)db,    NULL};
        pid_t pid = check_spawn(argv, NULL, log, NULL);
        if (pid < 0) return -1;
        for (double t0 = check_now_ms(); check_now_ms() - t0 < TCPSRV_START_MS;) {
            if (port_accepts(*port)) return pid;
            if (check_poll(pid) != CHECK_RUNNING) break;
            check_sleep_ms(20);
        }
        kill(pid, SIGKILL);
        check_wait(pid, 0);
    }
    return -1;
}

/* SIGKILL: on SIGTERM xapian-tcpsrv sends SIGTERM to its whole process
 * group, which is the test's, ctest's and the shell's. The children it
 * forked for connections end when the connections close. */
static void stop_tcpsrv(pid_t pid) {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    check_wait(pid, 0);
}

/* The list facets of two shards, each served by its own xapian-tcpsrv and
 * opened together through a stub of two "remote" lines, equal those of one
 * local index of both. An index from before the item slots is counted by
 * list_spy, which Xapian 1.4 cannot send to a remote server: it fails, as
 * every list facet did over remote shards before the item slots. */
static void test_remote_list_facets(void) {
    char *tcpsrv = find_on_path("xapian-tcpsrv");
    if (!tcpsrv) {
        printf("skip test_remote_list_facets: xapian-tcpsrv not on PATH (Debian: xapian-tools)\n");
        return;
    }
    char *dir = path_in(g_dir, "remote");
    CHECK(mkdir(dir, 0755) == 0);
    char *all = build_listed(dir, "all", NULL, 20);
    char *s1 = build_listed(dir, "s1", "l1 l3 l5", 20);
    char *s2 = build_listed(dir, "s2", "l2 l4 l6", 0);
    char *old = build_listed(dir, "old", NULL, 0);
    CHECK_INT(old_layout_strip(old, NULL), 0);
    char *log = path_in(dir, "tcpsrv.log");
    unsigned p1 = 0, p2 = 0, p3 = 0;
    pid_t srv1 = start_tcpsrv(tcpsrv, s1, log, &p1);
    pid_t srv2 = start_tcpsrv(tcpsrv, s2, log, &p2);
    pid_t srv3 = start_tcpsrv(tcpsrv, old, log, &p3);
    CHECK(srv1 > 0 && srv2 > 0 && srv3 > 0);
    if (srv1 > 0 && srv2 > 0 && srv3 > 0) {
        char stub[128];
        snprintf(stub, sizeof stub, "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n", p1, p2);
        char *shards = check_write_file(dir, "shards.stub", stub);
        snprintf(stub, sizeof stub, "remote 127.0.0.1:%u\n", p3);
        char *old_stub = check_write_file(dir, "old.stub", stub);
        shim_db_t *local = open_reader(all), *remote = open_reader(shards);
        if (local && remote) expect_same_lists(local, remote);
        shim_db_close(remote);
        shim_db_close(local);

        shim_db_t *r_old = open_reader(old_stub);
        if (r_old) {
            char *got = list_facets(r_old, "news", 0);
            CHECK(strstr(got, "ERROR: ") == got && strstr(got, "MatchSpy") != NULL);
            free(got);
            shim_db_close(r_old);
        }
        free(old_stub);
        free(shards);
    }
    stop_tcpsrv(srv3);
    stop_tcpsrv(srv2);
    stop_tcpsrv(srv1);
    free(log);
    free(old);
    free(s2);
    free(s1);
    free(all);
    free(dir);
    free(tcpsrv);
}

/* ------------------------------------------------------------------ */

static bool build_corpus(void) {
    shim_writer_t *w = open_writer(g_path, true);
    if (!w) return false;
    for (size_t i = 0; i < N_ITEMS(CORPUS); i++) CHECK_INT(put_article(w, &CORPUS[i]), LEDE_OK);
    close_writer(w);
    g_db = open_reader(g_path);
    return g_db != NULL;
}

int main(void) {
    g_dir = check_tmpdir("shim-search");
    g_path = path_in(g_dir, "corpus");
    if (!build_corpus()) {
        fprintf(stderr, "cannot build the test index\n");
        check_rmtree(g_dir);
        free(g_path);
        return 1;
    }
    RUN(test_open_errors);
    RUN(test_stats);
    RUN(test_get);
    RUN(test_summary_only);
    RUN(test_boolean_operators);
    RUN(test_phrase_and_near);
    RUN(test_field_prefixes);
    RUN(test_boolean_prefixes);
    RUN(test_date_ranges);
    RUN(test_wildcard);
    RUN(test_stemming);
    RUN(test_title_outranks_body);
    RUN(test_syntax_errors_and_fallback);
    RUN(test_relaxed_order);
    RUN(test_case_folding);
    RUN(test_empty_and_stopword_queries);
    RUN(test_filters);
    RUN(test_date_filters);
    RUN(test_sort);
    RUN(test_paging);
    RUN(test_facets);
    RUN(test_exact_total);
    RUN(test_spelling);
    RUN(test_deadline);
    RUN(test_query_size);
    RUN(test_snippets);
    RUN(test_snippets_share_words);
    RUN(test_snippet_matches);
    RUN(test_snippet_window);
    RUN(test_snippet_cuts);
    RUN(test_snippet_edges);
    RUN(test_similar);
    RUN(test_complete);
    RUN(test_reopen_sees_commits);
    RUN(test_retry_after_discarded_revision);
    RUN(test_snippet_after_discarded_revision);
    RUN(test_stub_switch);
    RUN(test_stub_shards);
    RUN(test_list_facets);
    RUN(test_facet_keys);
    RUN(test_remote_list_facets);
    shim_db_close(g_db);
    free(g_path);
    check_rmtree(g_dir);
    return check_summary();
}
