/* Integration tests for the answers lede-searchd gives a reader (issue
 * 12): honest totals, the timeline facet and facet limits, spelling
 * suggestions and corrections, the fallback for syntax errors, relaxed
 * matching, browse snippets and health. The real daemon on 127.0.0.1
 * with ports it picks, over the line protocol; the HTTP parameters of the
 * same names are checked in test_http. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "searchd_client.h"

/* Articles of the counts index: "alpha" in every 2nd, "beta" in every
 * 3rd, so that "alpha beta" matches every 6th, more than the 100 up to
 * which totals are exact by default. */
#define COUNT_ARTICLES 1200
#define COUNT_BOTH (COUNT_ARTICLES / 6)

static const char *searchd, *indexer, *good_jsonl;
static char *tmp;                     /* this run's files, removed at the end */
static char good_db[SD_PATH_BYTES];   /* tests/fixtures/jsonl/good.jsonl: g1..g6 */
static char counts_db[SD_PATH_BYTES]; /* COUNT_ARTICLES generated articles */
static sd_daemon_t good_d;            /* serves good_db with the default settings */
static sd_daemon_t counts_d;          /* serves counts_db with the default settings */
static sd_daemon_t tight_d;           /* serves good_db with small limits (TIGHT below) */
static const char *const TIGHT[] = {"-o", "max_timeline_buckets=3", "-o", "max_facet_limit=2",
                                    "-o", "relax_below=1",          NULL};

/* ---- helpers ------------------------------------------------------------------ */

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    snprintf(out, SD_PATH_BYTES, "%s/%s", tmp, name);
    return out;
}

/* Builds an index at dir from a JSON Lines file; false after saying why. */
static bool build_index(const char *dir, const char *jsonl) {
    char *argv[] = {(char *)indexer, "--db", (char *)dir, "--quiet", (char *)jsonl, NULL};
    char *err = NULL;
    int rc = check_run(argv, NULL, NULL, &err);
    if (rc != 0) fprintf(stderr, "lede-indexer --db %s %s: exit %d: %s\n", dir, jsonl, rc, err);
    free(err);
    return rc == 0;
}

static bool write_counts(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    for (int i = 0; i < COUNT_ARTICLES; i++)
        fprintf(f, "{\"id\":\"c%d\",\"title\":\"Count %d\",\"body\":\"filler %s %s\"}\n", i, i,
                i % 2 ? "gamma" : "alpha", i % 3 ? "delta" : "beta");
    /* For case: n2 (first in docid order) has "bakers", n1 "baker". */
    fprintf(f, "{\"id\":\"n2\",\"title\":\"Shop news\",\"body\":\"The bakers opened a shop.\"}\n");
    fprintf(f, "{\"id\":\"n1\",\"title\":\"Shop news\",\"body\":\"The baker opened a shop.\"}\n");
    /* For browse snippets: a long wire story in wrapped lines. */
    fprintf(f, "{\"id\":\"l1\",\"source\":\"Lead Wire\",\"title\":\"Long story\",\"body\":"
               "\"The port reopened on Monday after a week of storms.\\nShips queued for two days "
               "to\\nunload grain and fuel, officials said. Prices of bread rose by a tenth in the "
               "capital. The harbour master said repairs to the breakwater would take a month, and "
               "that the north quay would stay shut until then. Fishermen were told to use the old "
               "slipway.\"}\n");
    fprintf(f,
            "{\"id\":\"l2\",\"source\":\"Lead Wire\",\"title\":\"One long sentence\","
            "\"body\":\"%s\"}\n",
            "A sentence that goes on and on about the weather and the sea and the ships and the "
            "harbour and the quay and the grain and the fuel and the bread and the storms and the "
            "repairs and the fishermen and the slipway and much else besides without ever "
            "stopping at all");
    /* For relaxed matching: r1 says "kestrel" often, r2 has "kestrel"
     * and "osprey" once each in a longer text. */
    fprintf(f, "{\"id\":\"r1\",\"title\":\"Kestrel kestrel\",\"body\":\"kestrel kestrel "
               "kestrel kestrel\"}\n");
    fprintf(f, "{\"id\":\"r2\",\"title\":\"Birds of the coast\",\"body\":\"A kestrel and "
               "an osprey were seen over the dunes, with gulls, terns, herons, egrets, plovers "
               "and a great many other birds of the coast and the marsh.\"}\n");
    return fclose(f) == 0;
}

/* Starts a daemon on db with extra arguments (NULL-terminated); its log is
 * tmp/NAME.log. */
static bool start(sd_daemon_t *d, const char *db, const char *name, const char *const *extra) {
    char log[SD_PATH_BYTES], file[256];
    snprintf(file, sizeof file, "%s.log", name);
    bool ok = sd_start(d, searchd, db, in_tmp(log, file), extra);
    CHECK(ok);
    return ok;
}

/* Stops a daemon: it must exit 0 without a sanitizer report. */
static void stop(sd_daemon_t *d) {
    CHECK_INT(sd_stop(d, SIGTERM), 0);
    CHECK(sd_log_clean(d));
}

#define CHECK_OK(reply) CHECK(json_is_true(json_object_get(reply, "ok")))

/* One request on a new connection to d; its reply (caller frees). */
static json_t *call(const sd_daemon_t *d, const char *request) {
    sd_conn_t *c = sd_connect(d->port);
    json_t *r = c ? sd_call(c, request) : NULL;
    sd_close(c);
    if (!r) fprintf(stderr, "  no reply to %s\n", request);
    return r;
}

/* The raw reply line to request on d (caller frees), for checks on the
 * order of keys. */
static char *call_raw(const sd_daemon_t *d, const char *request) {
    sd_conn_t *c = sd_connect(d->port);
    char *line = c && sd_send_line(c, request, strlen(request)) ? sd_read_line(c, 5000) : NULL;
    sd_close(c);
    return line;
}

/* Request must fail with code and a message containing what. */
static void expect_error(const sd_daemon_t *d, const char *request, const char *code,
                         const char *what) {
    json_t *r = call(d, request);
    const char *msg = sd_str(r, "error.message");
    CHECK_STR(sd_str(r, "error.code"), code);
    CHECK(msg && strstr(msg, what));
    if (!msg || !strstr(msg, what))
        fprintf(stderr, "  %s: message %s lacks %s\n", request, msg, what);
    json_decref(r);
}

/* ---- totals -------------------------------------------------------------------- */

/* total_exact is always there; the bounds only when it is false. */
static void test_totals(void) {
    json_t *r = call(&counts_d, "{\"op\":\"search\",\"q\":\"alpha beta\",\"snippet\":false}");
    CHECK_OK(r);
    CHECK(json_is_false(json_object_get(r, "total_exact")));
    long long lo = sd_int(r, "total_min"), hi = sd_int(r, "total_max"), total = sd_int(r, "total");
    CHECK(lo > 0 && lo <= total && total <= hi && lo < hi);
    CHECK(lo <= COUNT_BOTH && COUNT_BOTH <= hi);
    json_decref(r);

    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"alpha beta\",\"exact_total\":true}");
    CHECK_OK(r);
    CHECK(json_is_true(json_object_get(r, "total_exact")));
    CHECK_INT(sd_int(r, "total"), COUNT_BOTH);
    CHECK(!json_object_get(r, "total_min") && !json_object_get(r, "total_max"));
    CHECK_INT(json_array_size(json_object_get(r, "hits")), 10);
    json_decref(r);

    /* Few matches: exact without asking. */
    r = call(&good_d, "SEARCH water");
    CHECK_OK(r);
    CHECK_INT(sd_int(r, "total"), 3);
    CHECK(json_is_true(json_object_get(r, "total_exact")));
    CHECK(!json_object_get(r, "total_min"));
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"water\",\"exact_total\":false}");
    CHECK(json_is_true(json_object_get(r, "total_exact")));
    json_decref(r);
    /* More-like-this replies say it too. */
    r = call(&good_d, "SIMILAR g1");
    CHECK_OK(r);
    CHECK(json_is_boolean(json_object_get(r, "total_exact")));
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"exact_total\":1}");
    CHECK_STR(sd_str(r, "error.code"), "bad_request");
    CHECK(sd_str(r, "error.message") && strstr(sd_str(r, "error.message"), "exact_total"));
    json_decref(r);
}

/* ---- the timeline facet ----------------------------------------------------------- */

/* The facet of request: its raw text in the reply line, keys in order. */
static void expect_timeline(const char *request, const char *want) {
    char *line = call_raw(&good_d, request);
    const char *at = line ? strstr(line, "\"timeline\":") : NULL;
    const char *end = at ? strchr(at, '}') : NULL;
    char got[512] = "(none)";
    if (end) snprintf(got, sizeof got, "%.*s", (int)(end + 1 - at), at);
    CHECK_STR(got, want);
    free(line);
}

/* Every period with a match, in date order, in the bucket asked for. */
static void test_timeline(void) {
    expect_timeline("{\"op\":\"search\",\"facets\":[\"timeline\"]}",
                    "\"timeline\":{\"2021-05\":1,\"2022-11\":1,\"2023-03\":1,\"2023-04\":2,"
                    "\"2024-01\":1}");
    expect_timeline("{\"op\":\"search\",\"facets\":[\"timeline\"],\"timeline\":\"year\"}",
                    "\"timeline\":{\"2021\":1,\"2022\":1,\"2023\":3,\"2024\":1}");
    expect_timeline("{\"op\":\"search\",\"q\":\"water\",\"facets\":[\"timeline\",\"year\"],"
                    "\"timeline\":\"day\"}",
                    "\"timeline\":{\"2023-03-02\":1,\"2023-04-12\":1,\"2023-04-20\":1}");
    expect_timeline("{\"op\":\"search\",\"q\":\"zebra\",\"facets\":[\"timeline\"]}",
                    "\"timeline\":{}");
    /* Articles without a date are not counted. */
    json_t *r = call(&counts_d, "{\"op\":\"search\",\"facets\":[\"timeline\"]}");
    CHECK_OK(r);
    CHECK_INT(json_object_size(sd_get(r, "facets.timeline")), 0);
    json_decref(r);
    expect_error(&good_d, "{\"op\":\"search\",\"timeline\":\"week\"}", "bad_request", "'timeline'");
    expect_error(&good_d, "{\"op\":\"search\",\"facets\":[\"timelines\"]}", "bad_request",
                 "timeline");
}

/* max_timeline_buckets: a longer timeline is an over_limit error naming
 * the key, counted in STATS; within it the search is answered. */
static void test_timeline_limit(void) {
    json_t *before = call(&tight_d, "STATS");
    expect_error(&tight_d, "{\"op\":\"search\",\"facets\":[\"timeline\"],\"timeline\":\"day\"}",
                 "over_limit", "the timeline has 6 days, over max_timeline_buckets (3)");
    expect_error(&tight_d, "{\"op\":\"search\",\"facets\":[\"timeline\"],\"timeline\":\"year\"}",
                 "over_limit", "4 years");
    json_t *r = call(&tight_d, "{\"op\":\"search\",\"facets\":[\"timeline\"],\"timeline\":"
                               "\"year\",\"filter\":{\"date\":{\"from\":\"2023\"}}}");
    CHECK_OK(r);
    CHECK_INT(sd_int(r, "facets.timeline.2023"), 3);
    CHECK_INT(sd_int(r, "facets.timeline.2024"), 1);
    json_decref(r);
    json_t *after = call(&tight_d, "STATS");
    CHECK_INT(sd_int(after, "timelines_too_long") - sd_int(before, "timelines_too_long"), 2);
    CHECK_INT(sd_int(after, "errors.over_limit") - sd_int(before, "errors.over_limit"), 2);
    CHECK_INT(sd_int(after, "requests.search") - sd_int(before, "requests.search"), 3);
    json_decref(before);
    json_decref(after);
}

/* ---- facet_limit ------------------------------------------------------------------ */

/* Values per facet: 10 by default, facet_limit when given; the timeline
 * is not cut by it. */
static void test_facet_limit(void) {
    json_t *r = call(&good_d, "{\"op\":\"search\",\"facets\":[\"source\",\"tag\",\"timeline\"]}");
    CHECK_OK(r);
    CHECK_INT(json_object_size(sd_get(r, "facets.source")), 5);
    CHECK_INT(json_object_size(sd_get(r, "facets.tag")), 9); /* every tag */
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"facets\":[\"source\",\"tag\",\"timeline\"],"
                      "\"facet_limit\":1}");
    CHECK_OK(r);
    CHECK_INT(json_object_size(sd_get(r, "facets.source")), 1);
    CHECK_INT(sd_int(r, "facets.source.Harbor Wire"), 2); /* the top value */
    CHECK_INT(sd_int(r, "facets.tag.water"), 2);
    CHECK_INT(json_object_size(sd_get(r, "facets.tag")), 1);
    CHECK_INT(json_object_size(sd_get(r, "facets.timeline")), 5);
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"facets\":[\"tag\"],\"facet_limit\":3}");
    CHECK_INT(json_object_size(sd_get(r, "facets.tag")), 3);
    json_decref(r);
    expect_error(&good_d, "{\"op\":\"search\",\"facet_limit\":0}", "bad_request",
                 "field 'facet_limit' must be 1 or more");
    expect_error(&good_d, "{\"op\":\"search\",\"facet_limit\":\"5\"}", "bad_request",
                 "'facet_limit'");
    expect_error(&good_d, "{\"op\":\"search\",\"facet_limit\":101}", "over_limit",
                 "facet_limit 101 is over max_facet_limit (100)");
}

/* max_facet_limit: over it an over_limit error naming the key, counted. */
static void test_facet_limit_refused(void) {
    json_t *before = call(&tight_d, "STATS");
    expect_error(&tight_d, "{\"op\":\"search\",\"facets\":[\"tag\"],\"facet_limit\":3}",
                 "over_limit", "facet_limit 3 is over max_facet_limit (2)");
    json_t *r = call(&tight_d, "{\"op\":\"search\",\"facets\":[\"tag\"],\"facet_limit\":2}");
    CHECK_OK(r);
    CHECK_INT(json_object_size(sd_get(r, "facets.tag")), 2);
    json_decref(r);
    json_t *after = call(&tight_d, "STATS");
    CHECK_INT(sd_int(after, "facet_limits_refused") - sd_int(before, "facet_limits_refused"), 1);
    CHECK_INT(sd_int(after, "errors.over_limit") - sd_int(before, "errors.over_limit"), 1);
    json_decref(before);
    json_decref(after);
}

/* ---- spelling ------------------------------------------------------------------- */

/* The search of request must have been corrected from `from` to `to`,
 * with hits ids. */
static void expect_corrected(const char *request, const char *from, const char *to,
                             const char *ids) {
    json_t *r = call(&good_d, request);
    CHECK_OK(r);
    CHECK_STR(sd_str(r, "corrected.from"), from);
    CHECK_STR(sd_str(r, "corrected.q"), to);
    CHECK(!json_object_get(r, "suggestion"));
    CHECK_STR(sd_hit_ids(r), ids);
    json_decref(r);
}

/* Request must have neither correction nor suggestion; total hits. */
static void expect_as_typed(const char *request, long long total) {
    json_t *r = call(&good_d, request);
    CHECK_OK(r);
    CHECK(!json_object_get(r, "corrected") && !json_object_get(r, "suggestion"));
    CHECK_INT(sd_int(r, "total"), total);
    if (json_object_get(r, "suggestion"))
        fprintf(stderr, "  %s: suggestion %s\n", request, sd_str(r, "suggestion"));
    json_decref(r);
}

/* spelling auto (the default): a query that finds too few is answered
 * with its correction when that finds more; suggest only suggests; off
 * (and the old "suggest":false) does neither. */
static void test_spelling_modes(void) {
    expect_corrected("SEARCH desalinaton", "desalinaton", "desalination", "g1");
    expect_corrected("{\"op\":\"search\",\"q\":\"Desalinaton PLANT\",\"spelling\":\"auto\"}",
                     "Desalinaton PLANT", "Desalination PLANT", "g1");
    expect_corrected("{\"op\":\"search\",\"q\":\"\\\"reservior levels\\\"\"}",
                     "\"reservior levels\"", "\"reservoir levels\"", "g2");
    json_t *r = call(&good_d, "{\"op\":\"search\",\"q\":\"desalinaton\",\"spelling\":\"suggest\"}");
    CHECK_INT(sd_int(r, "total"), 0);
    CHECK_STR(sd_str(r, "suggestion"), "desalination");
    CHECK(!json_object_get(r, "corrected"));
    json_decref(r);
    expect_as_typed("{\"op\":\"search\",\"q\":\"desalinaton\",\"spelling\":\"off\"}", 0);
    expect_as_typed("{\"op\":\"search\",\"q\":\"desalinaton\",\"suggest\":false}", 0);
    /* With match all, only a query that finds nothing is corrected; one
     * that finds something is offered a suggestion that finds more. */
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"drought OR reservior\",\"match\":\"all\"}");
    CHECK_INT(sd_int(r, "total"), 2);
    CHECK_STR(sd_str(r, "suggestion"), "drought OR reservoir");
    CHECK(!json_object_get(r, "corrected"));
    json_decref(r);
    expect_error(&good_d, "{\"op\":\"search\",\"spelling\":\"fix\"}", "bad_request",
                 "field 'spelling' must be \"auto\", \"suggest\" or \"off\"");
}

/* Words with a form in the index are never corrected, whatever their
 * case or ending; a suggestion that finds no more is not offered. */
static void test_spelling_leaves_correct_words(void) {
    expect_as_typed("SEARCH reservoirs", 1);
    expect_as_typed("SEARCH Reservoirs", 1);
    expect_as_typed("SEARCH RESERVOIR LEVELS", 2); /* relaxed: g2 has both, g6 levels */
    expect_as_typed("SEARCH voted buses", 2);      /* relaxed: none has both */
    expect_as_typed("SEARCH desalinated", 1);
    /* Nonsense near no word of the index: nothing to say. */
    expect_as_typed("{\"op\":\"search\",\"q\":\"qqzxvv wwyyjj\"}", 0);
    /* The correction of "desalinaton" finds no more with "zebra", which
     * no article has. */
    expect_as_typed("{\"op\":\"search\",\"q\":\"desalinaton zebra\",\"match\":\"all\"}", 0);
}

/* ---- relaxed matching ------------------------------------------------------------ */

/* match auto: all words finding fewer than relax_below (10) is too few;
 * any word then, the articles with every word first. */
static void test_relax_below(void) {
    json_t *r = call(&good_d, "SEARCH water drought"); /* 2 have both, g2 only water */
    CHECK_OK(r);
    CHECK_STR(sd_hit_ids(r), "g6,g1,g2");
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    CHECK_INT(sd_int(r, "total"), 3);
    json_decref(r);
    /* Every word first, though r1's one word outweighs r2's two. */
    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"kestrel osprey\",\"match\":\"any\"}");
    CHECK_STR(sd_hit_ids(r), "r1,r2");
    json_decref(r);
    r = call(&counts_d, "SEARCH kestrel osprey");
    CHECK_STR(sd_hit_ids(r), "r2,r1");
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    json_decref(r);
    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"kestrel osprey\",\"offset\":1}");
    CHECK_STR(sd_hit_ids(r), "r1"); /* pages follow the same order */
    json_decref(r);
    /* Sorted by date, the order asked for holds. */
    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"kestrel osprey\",\"sort\":\"date\"}");
    CHECK_INT(sd_int(r, "total"), 2);
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    json_decref(r);
    /* Enough with every word: not relaxed. */
    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"alpha beta\",\"snippet\":false}");
    CHECK(!json_object_get(r, "relaxed"));
    json_decref(r);
    /* match all never relaxes; one word has nothing to relax. */
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"water drought\",\"match\":\"all\"}");
    CHECK_STR(sd_hit_ids(r), "g6,g1");
    CHECK(!json_object_get(r, "relaxed"));
    json_decref(r);
    r = call(&good_d, "SEARCH water");
    CHECK(!json_object_get(r, "relaxed"));
    json_decref(r);
}

/* relax_below=1: only a query that finds nothing is relaxed. */
static void test_relax_below_config(void) {
    json_t *r = call(&tight_d, "SEARCH water drought");
    CHECK_STR(sd_hit_ids(r), "g6,g1");
    CHECK(!json_object_get(r, "relaxed"));
    json_decref(r);
    r = call(&tight_d, "SEARCH desalination zebra");
    CHECK_STR(sd_hit_ids(r), "g1");
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    json_decref(r);
}

/* ---- case ------------------------------------------------------------------------ */

/* Capitals find what lower case finds (capitalised words are stemmed
 * too); a capitalised word among lower-case ones (a name) has its exact
 * form ranked first among equals. */
static void test_case(void) {
    json_t *low = call(&good_d, "SEARCH reservoirs levels");
    json_t *caps = call(&good_d, "SEARCH Reservoirs Levels");
    json_t *upper = call(&good_d, "SEARCH RESERVOIRS LEVELS");
    CHECK_STR(sd_hit_ids(low), "g2,g6");
    CHECK_STR(sd_hit_ids(caps), "g2,g6");
    CHECK_STR(sd_hit_ids(upper), "g2,g6");
    json_decref(low);
    json_decref(caps);
    json_decref(upper);
    json_t *r = call(&counts_d, "SEARCH shop baker");
    CHECK_STR(sd_hit_ids(r), "n2,n1");
    json_decref(r);
    r = call(&counts_d, "SEARCH shop Baker");
    CHECK_STR(sd_hit_ids(r), "n1,n2");
    json_decref(r);
    /* Every word capitalised says nothing about names: as lower case. */
    r = call(&counts_d, "SEARCH Shop Baker");
    CHECK_STR(sd_hit_ids(r), "n2,n1");
    json_decref(r);
    /* Operators stay operators; field names and values work as before. */
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"Water NOT Drought\",\"match\":\"all\"}");
    CHECK_STR(sd_hit_ids(r), "g2");
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"Water source:HARBOR\",\"match\":\"all\"}");
    CHECK_INT(sd_int(r, "total"), 0); /* "harbor wire" is the value */
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"Plant title:Desalination\",\"match\":\"all\"}");
    CHECK_STR(sd_hit_ids(r), "g1");
    json_decref(r);
}

/* ---- syntax errors ---------------------------------------------------------------- */

/* A query that cannot be parsed is searched as its plain words, without
 * operators and field names, and the reply says so. */
static void test_query_fallback(void) {
    json_t *r =
        call(&good_d, "{\"op\":\"search\",\"q\":\"title:(desalination AND\",\"match\":\"all\"}");
    CHECK_OK(r);
    CHECK_STR(sd_hit_ids(r), "g1");
    CHECK(json_is_true(json_object_get(r, "query_fallback")));
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"water NOT\",\"match\":\"all\"}");
    CHECK_INT(sd_int(r, "total"), 3);
    CHECK(json_is_true(json_object_get(r, "query_fallback")));
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"q\":\"water NOT drought\",\"match\":\"all\"}");
    CHECK_STR(sd_hit_ids(r), "g2");
    CHECK(!json_object_get(r, "query_fallback"));
    json_decref(r);
    /* A bad date range is not a syntax error but a bad query. */
    expect_error(&good_d, "SEARCH water date:2022-13..", "bad_query", "date");
}

/* ---- browse snippets -------------------------------------------------------------- */

/* With no query, a hit's snippet is the article's opening: whole
 * sentences up to about 240 bytes, line breaks made spaces. */
static void test_browse_snippets(void) {
    json_t *r = call(&counts_d, "{\"op\":\"search\",\"filter\":{\"source\":\"Lead Wire\"},"
                                "\"sort\":\"-date\"}");
    CHECK_OK(r);
    json_t *hits = json_object_get(r, "hits");
    CHECK_INT(json_array_size(hits), 2);
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *h = json_array_get(hits, i);
        const char *id = sd_str(h, "id"), *snippet = sd_str(h, "snippet");
        if (id && strcmp(id, "l1") == 0)
            CHECK_STR(snippet, "The port reopened on Monday after a week of storms. Ships queued "
                               "for two days to unload grain and fuel, officials said. Prices of "
                               "bread rose by a tenth in the capital.");
        else
            CHECK(snippet && strncmp(snippet, "A sentence that goes on", 23) == 0 &&
                  strlen(snippet) <= 240 + 3 && strstr(snippet, "…") &&
                  strstr(snippet, " …") == NULL);
    }
    json_decref(r);
    r = call(&good_d, "{\"op\":\"search\",\"filter\":{\"source\":\"Harbor Wire\"},"
                      "\"sort\":\"date\"}");
    CHECK_STR(sd_str(json_array_get(json_object_get(r, "hits"), 1), "snippet"),
              "The council voted 7 to 2 on Tuesday to build a desalination plant on the north "
              "shore, ending months of debate over the drought. The plant will supply a fifth of "
              "the city's water by 2026.");
    json_decref(r);
    /* With a query, the snippet shows the matches as before. */
    r = call(&counts_d, "{\"op\":\"search\",\"q\":\"breakwater\"}");
    const char *s = sd_str(json_array_get(json_object_get(r, "hits"), 0), "snippet");
    CHECK(s && strstr(s, "\x02"
                         "breakwater"
                         "\x03"));
    json_decref(r);
}

/* ---- health -------------------------------------------------------------------- */

/* GET path over HTTP/1.0 from d: the whole response (caller frees), or
 * NULL. */
static char *http_get(const sd_daemon_t *d, const char *path) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)d->http_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        write(fd, req, (size_t)n) != n) {
        if (fd >= 0) close(fd);
        return NULL;
    }
    size_t len = 0, cap = 1 << 16;
    char *out = malloc(cap + 1);
    ssize_t got;
    while (out && len < cap && (got = read(fd, out + len, cap - len)) > 0) len += (size_t)got;
    close(fd);
    if (out) out[len] = '\0';
    return out;
}

/* The served index's directory deleted under the daemon: /health says 503
 * and why (at the reload thread's next check), /metrics lede_index_up 0, STATS index up false with
 * the error; the daemon keeps answering and stops cleanly. */
static void test_health_after_delete(void) {
    char dir[SD_PATH_BYTES], log[SD_PATH_BYTES];
    sd_daemon_t d;
    if (!build_index(in_tmp(dir, "doomed"), good_jsonl) ||
        !sd_start(&d, searchd, dir, in_tmp(log, "doomed.log"), NULL)) {
        CHECK(false);
        return;
    }
    char *health = http_get(&d, "/health"), *metrics = http_get(&d, "/metrics");
    CHECK(health && strstr(health, " 200 ") && strstr(health, "\"documents\":6"));
    CHECK(metrics && strstr(metrics, "\nlede_index_up 1\n"));
    free(health), free(metrics);
    json_t *r = call(&d, "STATS");
    CHECK(json_is_true(sd_get(r, "index.up")) && !sd_get(r, "index.error"));
    json_decref(r);

    check_rmtree(strdup(dir));
    /* /health and /metrics answer from the reload thread's last check
     * (reloader.h): within reload_interval_ms (500 ms), with room. */
    health = NULL;
    for (double end = check_now_ms() + 3000; check_now_ms() < end; check_sleep_ms(20)) {
        free(health);
        health = http_get(&d, "/health");
        if (!health || strstr(health, " 503 ")) break;
    }
    metrics = http_get(&d, "/metrics");
    CHECK(health && strstr(health, " 503 "));
    const char *body = health ? strstr(health, "\r\n\r\n") : NULL;
    json_t *j = body ? json_loads(body + 4, 0, NULL) : NULL;
    CHECK_STR(sd_str(j, "error.code"), "unavailable");
    CHECK(sd_str(j, "error.message") && strstr(sd_str(j, "error.message"), "cannot be read"));
    json_decref(j);
    CHECK(metrics && strstr(metrics, "\nlede_index_up 0\n"));
    free(health), free(metrics);
    r = call(&d, "STATS");
    CHECK_OK(r);
    CHECK(json_is_false(sd_get(r, "index.up")));
    CHECK(sd_str(r, "index.error") && strstr(sd_str(r, "index.error"), "cannot be read"));
    json_decref(r);
    r = call(&d, "PING");
    CHECK_OK(r);
    json_decref(r);
    stop(&d);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_answers LEDE-SEARCHD LEDE-INDEXER GOOD.JSONL\n");
        return 2;
    }
    searchd = argv[1], indexer = argv[2], good_jsonl = argv[3];
    tmp = check_tmpdir("answers");
    char counts[SD_PATH_BYTES];
    if (!write_counts(in_tmp(counts, "counts.jsonl")) ||
        !build_index(in_tmp(good_db, "good"), argv[3]) ||
        !build_index(in_tmp(counts_db, "counts"), counts)) {
        fprintf(stderr, "could not build the test indexes\n");
        return 1;
    }
    if (!start(&good_d, good_db, "good", NULL) || !start(&counts_d, counts_db, "counts", NULL) ||
        !start(&tight_d, good_db, "tight", TIGHT))
        return 1;
    RUN(test_totals);
    RUN(test_timeline);
    RUN(test_timeline_limit);
    RUN(test_facet_limit);
    RUN(test_facet_limit_refused);
    RUN(test_spelling_modes);
    RUN(test_spelling_leaves_correct_words);
    RUN(test_relax_below);
    RUN(test_relax_below_config);
    RUN(test_case);
    RUN(test_query_fallback);
    RUN(test_browse_snippets);
    RUN(test_health_after_delete);
    stop(&good_d);
    stop(&counts_d);
    stop(&tight_d);
    if (check_failures == 0)
        check_rmtree(tmp);
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
