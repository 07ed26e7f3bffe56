/* Integration tests for the lede CLI searching an index directly (--db). */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>

#include "../unit/check.h"

static const char *lede, *indexer;
static char db[4300];

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
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "desalination"), 0);
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
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--json", "--facets", "source,year",
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
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--json", "--source", "harbor wire",
                   "--from", "2024", "city"), 0);
    CHECK(out && strstr(out, "\"total\":1,") && strstr(out, "\"id\":\"g4\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--json", "--limit", "1", "--offset", "1",
                   "--any", "water drought"), 0);
    CHECK(out && strstr(out, "\"rank\":2"));
    free(out), free(err);
    /* The total is exact, whatever the page size. */
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--limit", "1", "water"), 0);
    CHECK(out && strstr(out, "1 of 3 results ("));
    free(out), free(err);
}

static void test_no_hits_and_suggestion(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "desalinaton"), 1);
    CHECK(out && strstr(out, "0 results"));
    CHECK(out && strstr(out, "Did you mean: desalination"));
    free(out), free(err);
}

static void test_get(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "g3"), 0);
    CHECK(out && strstr(out, "Central bank holds interest rates\n"));
    CHECK(out && strstr(out, "The central bank held its benchmark rate"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "--json", "g3"), 0);
    CHECK(out && strstr(out, "\"id\":\"g3\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "nope"), 1);
    CHECK(err && strstr(err, "lede: not_found: no document with id 'nope'"));
    free(out), free(err);
}

static void test_similar_and_suggest(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "similar", "--db", db, "--json", "g2"), 0);
    CHECK(out && strstr(out, "\"id\":\"g1\"") && !strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", "--db", db, "desal"), 0);
    CHECK(out && strstr(out, "desalination\n"));
    CHECK(out && strstr(out, "  City council approves desalination plant [g1]\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", "--db", db, "zzzq"), 1);
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

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_cli PATH-TO-lede PATH-TO-lede-indexer\n");
        return 2;
    }
    lede = argv[1];
    indexer = argv[2];
    char *tmp = check_tmpdir("cli"), fixture[4200];
    snprintf(db, sizeof db, "%s/idx", tmp);
    snprintf(fixture, sizeof fixture, "%s/jsonl/good.jsonl", LEDE_FIXTURES);
    char *args[] = {(char *)indexer, "--db", db, "--quiet", fixture, NULL};
    if (check_run(args, NULL, NULL, NULL, 0) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    RUN(test_search_text);
    RUN(test_search_json);
    RUN(test_filters_and_paging);
    RUN(test_no_hits_and_suggestion);
    RUN(test_get);
    RUN(test_similar_and_suggest);
    RUN(test_errors);
    check_rmtree(tmp);
    return check_summary();
}
