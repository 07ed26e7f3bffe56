/* Integration tests for the lede CLI, run twice: searching an index
 * directly (--db), then asking the real lede-searchd over TCP (--port);
 * both must print the same. */
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>

#include "../unit/check.h"
#include "searchd_client.h"

static const char *lede, *indexer, *searchd;
static char db[4300];

/* Where the commands under test search: "--db" DIR or "--port" PORT. */
static char *where_opt = "--db", *where_val = db;
static char port_text[16];
#define WHERE where_opt, where_val

static int run_lede(char **out, char **err, ...) {
    char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, err);
    argv[n++] = (char *)lede;
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return check_run(argv, NULL, out, err, 0);
}

#define LEDE(out, err, ...) run_lede(out, err, __VA_ARGS__, (char *)NULL)

static void test_search_text(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalination"), 0);
    CHECK(out && strstr(out, "  1. City council approves desalination plant\n"));
    CHECK(out && strstr(out, "Harbor Wire · 2023-04-12 · Mara Quist"));
    CHECK(out && strstr(out, "[g1]"));
    CHECK(out && strstr(out, "1 result ("));
    CHECK(out && !strstr(out, "\033[")); /* no colour when not a terminal */
    CHECK(out && !strstr(out, "\x02"));   /* markers never reach a person */
    free(out), free(err);
}

static void test_search_json(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--facets", "source,year",
                   "--sort", "date", "water"), 0);
    json_t *reply = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(reply != NULL);
    CHECK_INT(json_integer_value(json_object_get(reply, "total")), 3);
    json_t *hits = json_object_get(reply, "hits");
    CHECK_STR(json_string_value(json_object_get(json_array_get(hits, 0), "id")), "g6");
    CHECK_STR(json_string_value(json_object_get(json_array_get(hits, 2), "id")), "g2");
    const char *snippet = json_string_value(json_object_get(json_array_get(hits, 0), "snippet"));
    CHECK(snippet && strstr(snippet, "\x02water\x03"));
    json_t *years = json_object_get(json_object_get(reply, "facets"), "year");
    CHECK_INT(json_integer_value(json_object_get(years, "2023")), 3);
    json_decref(reply);
    free(out), free(err);
}

static void test_filters_and_paging(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--source", "harbor wire",
                   "--from", "2024", "city"), 0);
    CHECK(out && strstr(out, "\"total\":1,") && strstr(out, "\"id\":\"g4\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--limit", "1", "--offset", "1",
                   "--any", "water drought"), 0);
    CHECK(out && strstr(out, "\"rank\":2"));
    free(out), free(err);
    /* The total is exact, whatever the page size. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--limit", "1", "water"), 0);
    CHECK(out && strstr(out, "1 of 3 results ("));
    free(out), free(err);
}

static void test_no_hits_and_suggestion(void) {
    char *out, *err;
    /* A misspelling that finds nothing is answered with its correction. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalinaton"), 0);
    CHECK(out && strstr(out, "City council approves desalination plant"));
    free(out), free(err);
    /* One whose query finds something gets a suggestion that finds more. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "drought OR reservior"), 0);
    CHECK(out && strstr(out, "\n2 results"));
    CHECK(out && strstr(out, "Did you mean: drought OR reservoir"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "qqzxvv"), 1);
    CHECK(out && strstr(out, "0 results"));
    free(out), free(err);
}

/* No article has both words: the search falls back to either, and says
 * so; --all keeps to both. */
static void test_relaxed(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalination", "zebra"), 0);
    CHECK(out && strstr(out, "No article has all the words; these have some of them.\n"));
    CHECK(out && strstr(out, "City council approves desalination plant"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "desalination", "zebra"), 1);
    CHECK(out && strstr(out, "0 results") && !strstr(out, "No article has all"));
    free(out), free(err);
}

static void test_get(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "g3"), 0);
    CHECK(out && strstr(out, "Central bank holds interest rates\n"));
    CHECK(out && strstr(out, "The central bank held its benchmark rate"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "--json", "g3"), 0);
    CHECK(out && strstr(out, "\"id\":\"g3\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "nope"), 1);
    CHECK(err && strstr(err, "lede: not_found: no document with id 'nope'"));
    free(out), free(err);
}

static void test_similar_and_suggest(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "similar", WHERE, "--json", "g2"), 0);
    CHECK(out && strstr(out, "\"id\":\"g1\"") && !strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", WHERE, "desal"), 0);
    CHECK(out && strstr(out, "desalination\n"));
    CHECK(out && strstr(out, "  City council approves desalination plant [g1]\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", WHERE, "zzzq"), 1);
    free(out), free(err);
}

static void test_errors(void) {
    char *out, *err;
    /* No daemon on that port: say what to do. */
    CHECK_INT(LEDE(&out, &err, "search", "--port", "1", "water"), 2);
    CHECK(err && strstr(err, "cannot connect to 127.0.0.1:1: Connection refused; is lede-searchd running?"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--db", db), 2);
    CHECK(err && strstr(err, "'stats' asks a running lede-searchd"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", "/nonexistent/index", "water"), 2);
    CHECK(err && strstr(err, "cannot open the index at /nonexistent/index"));
    CHECK(err && strstr(err, "lede-indexer --db /nonexistent/index"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--limit", "many", "water"), 2);
    CHECK(err && strstr(err, "--limit takes a whole number, not 'many'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--sort", "oldest", "water"), 2);
    CHECK(err && strstr(err, "--sort must be relevance, date or -date"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--facets", "colour", "water"), 2);
    CHECK(err && strstr(err, "lede: bad_request: unknown facet 'colour'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "--sort", "date", "g1"), 2);
    CHECK(err && strstr(err, "option '--sort' is for lede search only"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db), 2);
    CHECK(err && strstr(err, "'search' needs an argument"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "frobnicate"), 2);
    CHECK(err && strstr(err, "unknown command 'frobnicate'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--help"), 0);
    CHECK(out && strstr(out, "--facets LIST"));
    free(out), free(err);
}

/* The --json reply of one command, without its took_ms. */
static json_t *json_of(const char *opt, const char *val, const char *cmd, const char *arg) {
    char *out = NULL, *err = NULL;
    LEDE(&out, &err, cmd, (char *)opt, (char *)val, "--json", "--facets", "source,year", (char *)arg);
    if (strcmp(cmd, "search") != 0) { /* --facets is for search only: again without */
        free(out), free(err);
        LEDE(&out, &err, cmd, (char *)opt, (char *)val, "--json", (char *)arg);
    }
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    json_object_del(r, "took_ms");
    free(out), free(err);
    return r;
}

/* The daemon and the index answer alike. */
static void test_same_both_ways(void) {
    static const char *const CALLS[][2] = {{"search", "water"}, {"search", "\"desalination plant\""},
                                           {"search", "resevoir"}, {"search", "desalination zebra"},
                                           {"get", "g4"}, {"similar", "g1"},
                                           {"suggest", "wat"}};
    for (size_t i = 0; i < sizeof CALLS / sizeof CALLS[0]; i++) {
        json_t *direct = json_of("--db", db, CALLS[i][0], CALLS[i][1]);
        json_t *remote = json_of("--port", port_text, CALLS[i][0], CALLS[i][1]);
        CHECK(direct && remote && json_equal(direct, remote));
        if (!direct || !json_equal(direct, remote)) fprintf(stderr, "  differs: %s %s\n", CALLS[i][0], CALLS[i][1]);
        json_decref(direct), json_decref(remote);
    }
}

static void test_daemon_commands(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "ping", "--port", port_text), 0);
    CHECK(out && strstr(out, "pong"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--host", "127.0.0.1", "--port", port_text), 0);
    CHECK(out && strstr(out, "documents") && strstr(out, "6"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--port", port_text, "--json"), 0);
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(json_integer_value(json_object_get(json_object_get(r, "index"), "documents")) == 6);
    CHECK(json_integer_value(json_object_get(r, "requests_total")) > 0);
    json_decref(r);
    free(out), free(err);
    /* The daemon's limits reach the terminal as its error. */
    CHECK_INT(LEDE(&out, &err, "search", "--port", port_text, "--limit", "5000", "water"), 2);
    CHECK(err && strstr(err, "lede: over_limit: limit 5000 is over the maximum of 100"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--host", "no-such-host.invalid", "--port", port_text, "water"), 2);
    CHECK(err && strstr(err, "no-such-host.invalid"));
    free(out), free(err);
}

static void run_all(void) {
    RUN(test_search_text);
    RUN(test_search_json);
    RUN(test_filters_and_paging);
    RUN(test_no_hits_and_suggestion);
    RUN(test_relaxed);
    RUN(test_get);
    RUN(test_similar_and_suggest);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_cli PATH-TO-lede PATH-TO-lede-indexer PATH-TO-lede-searchd\n");
        return 2;
    }
    lede = argv[1];
    indexer = argv[2];
    searchd = argv[3];
    char *tmp = check_tmpdir("cli"), fixture[4200];
    snprintf(db, sizeof db, "%s/idx", tmp);
    snprintf(fixture, sizeof fixture, "%s/jsonl/good.jsonl", LEDE_FIXTURES);
    char *args[] = {(char *)indexer, "--db", db, "--quiet", fixture, NULL};
    if (check_run(args, NULL, NULL, NULL, 0) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    printf("-- with --db %s\n", db);
    run_all();
    RUN(test_errors);
    char log[4300];
    snprintf(log, sizeof log, "%s/searchd.log", tmp);
    sd_daemon_t d;
    CHECK(sd_start(&d, searchd, db, log, NULL));
    if (d.pid) {
        snprintf(port_text, sizeof port_text, "%u", d.port);
        where_opt = "--port", where_val = port_text;
        printf("-- with lede-searchd on port %s\n", port_text);
        run_all();
        RUN(test_same_both_ways);
        RUN(test_daemon_commands);
        CHECK_INT(sd_stop(&d, SIGTERM), 0);
        CHECK(sd_log_clean(&d));
    }
    if (check_failures == 0) check_rmtree(tmp);
    else printf("files kept in %s\n", tmp);
    return check_summary();
}
