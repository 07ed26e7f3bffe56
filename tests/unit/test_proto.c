/* Unit tests for the pure protocol parser. */
#include <stdlib.h>

#include "check.h"
#include "lede/article.h"
#include "lede/protocol.h"

static const proto_limits_t LIMITS = {
    .max_line = 400, .max_limit = 100, .max_offset = 1000, .default_limit = 10};

/* Parses text; returns the result and fills req/err/consumed. */
static proto_result_t parse(const char *text, proto_request_t *req, proto_error_t *err,
                            size_t *consumed) {
    return proto_parse(text, strlen(text), &LIMITS, req, consumed, err);
}

static void test_inline_commands(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    CHECK_INT(parse("SEARCH human rights\r\nPING\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_SEARCH);
    CHECK_STR(r.search.q, "human rights");
    CHECK_INT(r.search.limit, 10);
    CHECK(r.search.snippet && r.search.suggest);
    CHECK_INT(used, strlen("SEARCH human rights\r\n"));
    proto_request_free(&r);
    CHECK_INT(parse("  get   doc-1  \n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_GET);
    CHECK_STR(r.doc, "doc-1");
    proto_request_free(&r);
    const char *ops[] = {"similar x\n", "Suggest hum\n", "STATS\n", "ping\n", "QUIT\n"};
    proto_op_t want[] = {PROTO_OP_SIMILAR, PROTO_OP_SUGGEST, PROTO_OP_STATS, PROTO_OP_PING,
                         PROTO_OP_QUIT};
    for (size_t i = 0; i < 5; i++) {
        CHECK_INT(parse(ops[i], &r, &e, &used), PROTO_OK);
        CHECK_INT(r.op, want[i]);
        proto_request_free(&r);
    }
}

static void expect_error(const char *text, proto_result_t want_r, proto_error_code_t code,
                         const char *msg) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    CHECK_INT(parse(text, &r, &e, &used), want_r);
    CHECK_STR(proto_error_name(e.code), proto_error_name(code));
    if (!strstr(e.message, msg)) fprintf(stderr, "  message: %s\n  want:    %s\n", e.message, msg);
    CHECK(strstr(e.message, msg) != NULL);
    CHECK(used > 0);
    proto_error_free(&e);
}

static void test_inline_errors(void) {
    expect_error("FROB x\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "unknown command 'FROB'");
    expect_error("SEARCH\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "usage: SEARCH <query>");
    expect_error("PING now\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "usage: PING");
}

static void test_auth(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    CHECK_INT(parse("auth  tok-1 \n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_AUTH);
    CHECK_STR(r.token, "tok-1");
    CHECK(r.search.q == NULL); /* the token is nobody's query */
    proto_request_free(&r);
    CHECK_INT(parse("SEARCH tok-1\n", &r, &e, &used), PROTO_OK);
    CHECK(r.token == NULL);
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"auth\",\"token\":\"t\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_STR(r.token, "t");
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"get\",\"doc\":\"d\",\"auth\":\"t2\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_GET);
    CHECK_STR(r.token, "t2");
    proto_request_free(&r);
    expect_error("AUTH\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "usage: AUTH <token>");
    expect_error("{\"op\":\"auth\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "op 'auth' needs a \"token\"");
    expect_error("{\"op\":\"auth\",\"token\":1}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'token' must be a string");
    expect_error("{\"op\":\"ping\",\"token\":\"t\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "unknown field 'token' for op 'ping'");
    expect_error("{\"op\":\"auth\",\"token\":\"a\",\"auth\":\"b\"}\n", PROTO_ERROR,
                 PROTO_E_BAD_REQUEST, "give the token once");
    CHECK_STR(proto_error_name(PROTO_E_AUTH_REQUIRED), "auth_required");
    CHECK_STR(proto_error_name(PROTO_E_AUTH_FAILED), "auth_failed");
    CHECK_STR(proto_op_name(PROTO_OP_AUTH), "auth");
}

static void test_json_search(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    const char *req =
        "{\"op\":\"search\",\"q\":\"human rights\",\"limit\":5,\"offset\":10,"
        "\"filter\":{\"source\":[\"TURAN\",\"UPI\"],\"category\":\"Politics\","
        "\"date\":{\"from\":\"2022-01-01\",\"to\":\"2022-12-31\"}},\"sort\":\"-date\","
        "\"facets\":[\"source\",\"year\"],\"snippet\":false,\"suggest\":false,\"match\":\"any\","
        "\"id\":\"r1\"}\n";
    CHECK_INT(parse(req, &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_SEARCH);
    CHECK_STR(r.search.q, "human rights");
    CHECK_INT(r.search.limit, 5);
    CHECK_INT(r.search.offset, 10);
    CHECK_INT(r.search.filter_counts[LEDE_FIELD_SOURCE], 2);
    CHECK_STR(r.search.filter_values[LEDE_FIELD_SOURCE][1], "UPI");
    CHECK_STR(r.search.filter_values[LEDE_FIELD_CATEGORY][0], "Politics");
    CHECK_STR(r.search.date_from, "2022-01-01");
    CHECK_STR(r.search.date_to, "2022-12-31");
    CHECK_INT(r.search.sort, SHIM_SORT_DATE_ASC);
    CHECK_INT(r.search.n_facets, 2);
    CHECK(!r.search.snippet && !r.search.suggest);
    CHECK_INT(r.search.match, SHIM_MATCH_ANY);
    CHECK(!r.search.relax);
    CHECK(!r.search.exact_total);
    CHECK_STR(json_string_value(r.id), "r1");
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"search\",\"exact_total\":true}\n", &r, &e, &used), PROTO_OK);
    CHECK(r.search.exact_total);
    CHECK_INT(r.search.timeline, SHIM_TIMELINE_MONTH); /* the default */
    CHECK_INT(r.search.facet_limit, 0);                /* 0: 10 values */
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"search\",\"facet_limit\":50}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.search.facet_limit, 50);
    CHECK_INT(r.search.spelling, SEARCH_SPELLING_AUTO); /* the default */
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"search\",\"spelling\":\"suggest\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.search.spelling, SEARCH_SPELLING_SUGGEST);
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"search\",\"spelling\":\"off\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.search.spelling, SEARCH_SPELLING_OFF);
    proto_request_free(&r);
    static const char *const TIMELINES[] = {"month", "year", "day"};
    for (int i = 0; i < 3; i++) {
        char line[128];
        snprintf(line, sizeof line,
                 "{\"op\":\"search\",\"facets\":[\"timeline\"],\"timeline\":\"%s\"}\n",
                 TIMELINES[i]);
        CHECK_INT(parse(line, &r, &e, &used), PROTO_OK);
        CHECK_INT(r.search.timeline, i);
        CHECK_INT(r.search.n_facets, 1);
        CHECK_STR(r.search.facets[0], "timeline");
        proto_request_free(&r);
    }
}

/* "match": auto (the default) is all words, relaxed to any when nothing
 * matches; "all" and "any" are strict. */
static void test_match_modes(void) {
    static const struct {
        const char *line;
        shim_match_t match;
        bool relax;
    } CASES[] = {
        {"{\"op\":\"search\",\"q\":\"a b\"}\n", SHIM_MATCH_ALL, true},
        {"SEARCH a b\n", SHIM_MATCH_ALL, true},
        {"{\"op\":\"search\",\"q\":\"a b\",\"match\":\"auto\"}\n", SHIM_MATCH_ALL, true},
        {"{\"op\":\"search\",\"q\":\"a b\",\"match\":\"all\"}\n", SHIM_MATCH_ALL, false},
        {"{\"op\":\"search\",\"q\":\"a b\",\"match\":\"any\"}\n", SHIM_MATCH_ANY, false},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        proto_request_t r;
        proto_error_t e;
        size_t used;
        CHECK_INT(parse(CASES[i].line, &r, &e, &used), PROTO_OK);
        CHECK_INT(r.search.match, CASES[i].match);
        CHECK_INT(r.search.relax, CASES[i].relax);
        proto_request_free(&r);
    }
    expect_error("{\"op\":\"search\",\"q\":\"a b\",\"match\":\"most\"}\n", PROTO_ERROR,
                 PROTO_E_BAD_REQUEST, "field 'match' must be \"auto\", \"all\" or \"any\"");
}

static void test_json_other_ops(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    CHECK_INT(parse("{\"op\":\"get\",\"doc\":\"a b\",\"id\":7}\n", &r, &e, &used), PROTO_OK);
    CHECK_STR(r.doc, "a b");
    CHECK_INT(json_integer_value(r.id), 7);
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"similar\",\"doc\":\"x\",\"limit\":3}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.limit, 3);
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"suggest\",\"q\":\"hum\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_STR(r.prefix, "hum");
    proto_request_free(&r);
    CHECK_INT(parse("{\"op\":\"stats\"}\n", &r, &e, &used), PROTO_OK);
    CHECK_INT(r.op, PROTO_OP_STATS);
    proto_request_free(&r);
}

static void test_json_errors(void) {
    expect_error("{\"op\":\"search\",\n", PROTO_ERROR, PROTO_E_BAD_JSON, "malformed JSON");
    expect_error("[1]\n", PROTO_ERROR, PROTO_E_BAD_JSON, "must be a JSON object");
    expect_error("{\"q\":\"x\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "missing field 'op'");
    expect_error("{\"op\":\"frob\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "unknown op 'frob'");
    expect_error("{\"op\":\"search\",\"qq\":1}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "unknown field 'qq' for op 'search'");
    expect_error("{\"op\":\"get\",\"q\":\"x\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "unknown field 'q' for op 'get'");
    expect_error("{\"op\":\"search\",\"q\":5}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'q' must be a string");
    expect_error("{\"op\":\"search\",\"limit\":-1}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'limit' must be a whole number");
    expect_error("{\"op\":\"search\",\"limit\":500}\n", PROTO_ERROR, PROTO_E_LIMIT,
                 "limit 500 is over the maximum of 100 (max_limit)");
    expect_error("{\"op\":\"search\",\"offset\":5000}\n", PROTO_ERROR, PROTO_E_LIMIT,
                 "offset 5000 is over the maximum of 1000 (max_offset)");
    expect_error("{\"op\":\"search\",\"sort\":\"old\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'sort'");
    expect_error("{\"op\":\"search\",\"facets\":[\"colour\"]}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "unknown facet 'colour'");
    expect_error("{\"op\":\"search\",\"filter\":{\"lang\":\"en\"}}\n", PROTO_ERROR,
                 PROTO_E_BAD_REQUEST, "unknown filter 'lang'");
    expect_error("{\"op\":\"search\",\"filter\":{\"tag\":[1]}}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "filter 'tag' item 1 must be a string");
    expect_error("{\"op\":\"search\",\"filter\":{\"date\":{\"since\":\"x\"}}}\n", PROTO_ERROR,
                 PROTO_E_BAD_REQUEST, "unknown field 'date.since'");
    expect_error("{\"op\":\"search\",\"exact_total\":\"yes\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'exact_total' must be true or false");
    expect_error("{\"op\":\"similar\",\"doc\":\"x\",\"exact_total\":true}\n", PROTO_ERROR,
                 PROTO_E_BAD_REQUEST, "unknown field 'exact_total' for op 'similar'");
    expect_error("{\"op\":\"search\",\"timeline\":\"week\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'timeline' must be \"year\", \"month\" or \"day\"");
    expect_error("{\"op\":\"search\",\"timeline\":1}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'timeline' must be a string");
    expect_error("{\"op\":\"search\",\"spelling\":false}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'spelling' must be a string");
    expect_error("{\"op\":\"search\",\"spelling\":\"on\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'spelling' must be \"auto\", \"suggest\" or \"off\"");
    expect_error("{\"op\":\"search\",\"facet_limit\":0}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'facet_limit' must be 1 or more");
    expect_error("{\"op\":\"search\",\"facet_limit\":-1}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'facet_limit' must be a whole number");
    expect_error("{\"op\":\"get\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST, "needs a \"doc\" id");
    expect_error("{\"op\":\"suggest\"}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "needs a \"q\" prefix");
    expect_error("{\"op\":\"ping\",\"id\":[1]}\n", PROTO_ERROR, PROTO_E_BAD_REQUEST,
                 "field 'id' must be a string or an integer");
    expect_error("{\"op\":\"ping\",\"op\":\"quit\"}\n", PROTO_ERROR, PROTO_E_BAD_JSON, "duplicate");
    expect_error("SEARCH caf\xe9\n", PROTO_ERROR, PROTO_E_INVALID_UTF8, "not UTF-8 (byte 10)");
}

static void test_error_echoes_id(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used;
    CHECK_INT(parse("{\"op\":\"search\",\"id\":\"r9\",\"limit\":\"x\"}\n", &r, &e, &used),
              PROTO_ERROR);
    CHECK_STR(json_string_value(e.id), "r9");
    proto_error_free(&e);
}

static void test_framing(void) {
    proto_request_t r;
    proto_error_t e;
    size_t used = 99;
    CHECK_INT(parse("SEARCH partial", &r, &e, &used), PROTO_NEED_MORE);
    CHECK_INT(used, 0);
    CHECK_INT(parse("\n\r\n  \nPI", &r, &e, &used), PROTO_NEED_MORE);
    CHECK_INT(used, 6); /* blank lines are dropped */
    /* A NUL byte inside a line, with an explicit length. */
    const char nul[] = "SEARCH a\0b\nPING\n";
    CHECK_INT(proto_parse(nul, sizeof nul - 1, &LIMITS, &r, &used, &e), PROTO_ERROR);
    CHECK_INT(e.code, PROTO_E_NUL_BYTE);
    CHECK_INT(used, 11);
    /* Too long: with or without a newline yet, fatal. */
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "SEARCH ", 7);
    CHECK_INT(parse(big, &r, &e, &used), PROTO_FATAL);
    CHECK_INT(e.code, PROTO_E_LINE_TOO_LONG);
    CHECK(strstr(e.message, "over the limit of 400 bytes") != NULL);
    /* Exactly at the limit is fine. */
    char edge[420];
    memset(edge, 'b', 400);
    memcpy(edge, "SEARCH ", 7);
    edge[400] = '\n';
    edge[401] = '\0';
    CHECK_INT(parse(edge, &r, &e, &used), PROTO_OK);
    proto_request_free(&r);
}

/* A quoted bit of a bad request is cut on a character boundary: a
 * message cut inside a character is not UTF-8, and a JSON reply cannot
 * carry it (the client got {"ok":false} with no error at all). Found by
 * fuzz_proto. */
static void test_quoted_text_stays_utf8(void) {
    /* 38 ASCII bytes, then a 4-byte character across the 40-byte cut. */
    const char *bad[] = {
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\xf1\x96\x98\x98\n",
        "{\"op\":\"^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\xe2\x82\xac\"}\n",
        "{\"op\":\"search\",\"^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\xc3\xa9\xc3\xa9\":1}\n",
        "{\"op\":\"search\",\"facets\":[\"^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\xc3\xa9\"]}\n",
        "{\"op\":\"search\",\"filter\":{\"^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\xc3\xa9\":1}}\n",
        "{\"op\":\"search\",\"filter\":{\"date\":{\"^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
        "\xc3\xa9\":1}}}\n",
    };
    /* jansson's message quotes the token it stopped in: here '"\u' and
     * the first byte of the e-acute. Found by fuzz_request. */
    const char *bad_json = "{\"q\":\"\\u\xc3\xa9\"}\n";
    proto_request_t r;
    proto_error_t e;
    size_t used, at;
    CHECK_INT(parse(bad_json, &r, &e, &used), PROTO_ERROR);
    CHECK_INT(e.code, PROTO_E_BAD_JSON);
    CHECK(utf8_valid(e.message, strlen(e.message), &at));
    CHECK(strstr(e.message, "invalid escape near '\"\\u?'") != NULL);
    proto_error_free(&e);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        proto_request_t r;
        proto_error_t e;
        size_t used, at;
        CHECK_INT(parse(bad[i], &r, &e, &used), PROTO_ERROR);
        CHECK_INT(e.code, PROTO_E_BAD_REQUEST);
        CHECK(utf8_valid(e.message, strlen(e.message), &at));
        CHECK(strstr(e.message, "^^^^") != NULL);
        proto_error_free(&e);
    }
}

static void test_names(void) {
    CHECK_STR(proto_error_name(PROTO_E_LINE_TOO_LONG), "line_too_long");
    CHECK_STR(proto_error_name(PROTO_E_COUNT), "internal");
    CHECK_STR(proto_op_name(PROTO_OP_SUGGEST), "suggest");
    for (int i = 1; i < PROTO_E_COUNT; i++) CHECK(proto_error_name(i)[0] != '\0');
}

int main(void) {
    RUN(test_inline_commands);
    RUN(test_inline_errors);
    RUN(test_auth);
    RUN(test_json_search);
    RUN(test_match_modes);
    RUN(test_json_other_ops);
    RUN(test_json_errors);
    RUN(test_error_echoes_id);
    RUN(test_framing);
    RUN(test_quoted_text_stays_utf8);
    RUN(test_names);
    return check_summary();
}
