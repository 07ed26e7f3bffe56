/* Unit tests for the article model: JSON in, validation, dates, UTF-8. */
#include <stdlib.h>

#include "check.h"
#include "lede/article.h"

static lede_status_t parse(const char *json, lede_article_t *a, lede_err_t *why) {
    return article_from_json(json, strlen(json), a, why);
}

static void test_full_record(void) {
    lede_article_t a;
    lede_err_t why = {""};
    const char *json =
        "{\"id\":\"r1\",\"title\":\"Cocoa\",\"body\":\"Showers.\","
        "\"author\":\"Jane Doe\",\"source\":\"Reuters\",\"date\":\"1987-02-26T15:01:01.79\","
        "\"category\":\"cocoa\",\"tags\":[\"cocoa\",\"\"],\"places\":[\"usa\"],"
        "\"url\":\"http://x\",\"lewis_split\":\"TRAIN\",\"n\":3}";
    CHECK_INT(parse(json, &a, &why), LEDE_OK);
    CHECK_STR(a.id, "r1");
    CHECK_INT(a.authors.n, 1);
    CHECK_STR(a.authors.v[0], "Jane Doe");
    CHECK_INT(a.tags.n, 1);
    CHECK_STR(a.date, "1987-02-26T15:01:01Z");
    CHECK_STR(a.date_key, "19870226150101");
    CHECK(a.extra && json_object_size(a.extra) == 2);
    size_t len;
    char *out = article_to_json(&a, &len);
    CHECK(out && strstr(out, "\"author\":[\"Jane Doe\"]"));
    CHECK(out && strstr(out, "\"extra\":{"));
    CHECK(out && strlen(out) == len);
    free(out);
    article_free(&a);
}

static void test_integer_id_and_author_list(void) {
    lede_article_t a;
    lede_err_t why;
    CHECK_INT(parse("{\"id\":42,\"body\":\"x\",\"author\":[\"A\",\"B\"]}", &a, &why), LEDE_OK);
    CHECK_STR(a.id, "42");
    CHECK_INT(a.authors.n, 2);
    article_free(&a);
}

static void expect_reject(const char *json, const char *reason) {
    lede_article_t a;
    lede_err_t why = {""};
    CHECK_INT(parse(json, &a, &why), LEDE_E_INVALID);
    if (!strstr(why.msg, reason)) fprintf(stderr, "  reason was: %s (want %s)\n", why.msg, reason);
    CHECK(strstr(why.msg, reason) != NULL);
    CHECK(a.id == NULL && a.extra == NULL);
}

static void test_rejections(void) {
    expect_reject("{\"id\":\"x\",\"title\":", "malformed JSON");
    expect_reject("[1,2]", "must be a JSON object");
    expect_reject("{\"title\":\"t\"}", "missing field 'id'");
    expect_reject("{\"id\":\"  \",\"title\":\"t\"}", "field 'id' is empty");
    expect_reject("{\"id\":\"x\",\"source\":\"s\"}", "no 'title' and no 'body'");
    expect_reject("{\"id\":\"x\",\"title\":\"t\",\"date\":\"yesterday\"}", "field 'date'");
    expect_reject("{\"id\":\"x\",\"title\":\"t\",\"date\":\"2022-02-30\"}", "field 'date'");
    expect_reject("{\"id\":\"x\",\"title\":7}", "field 'title' must be a string");
    expect_reject("{\"id\":\"x\",\"title\":\"t\",\"tags\":[1]}", "field 'tags' item 1");
    expect_reject("{\"id\":\"x\",\"title\":\"t\\u0000\"}", "NUL");
    expect_reject("{\"id\":\"x\",\"title\":\"caf\xe9\"}", "invalid UTF-8");
}

/* A reason goes to stderr ("file:line: reason") and to --explain --json:
 * what it quotes of the record is cut on a character boundary and shows
 * control characters (a terminal's escape sequences) as '?'. Found by
 * fuzz_jsonl. */
static void test_reasons_are_safe_to_print(void) {
    expect_reject("{\"id\":\"x\",\"title\":\"t\",\"date\":\"\\u001b[2J\\u001b]0;owned\\u0007\"}",
                  "cannot parse '?[2J?]0;owned?'");
    expect_reject("{\"id\":\"x\",\"title\":\"t\",\"date\":"
                  "\"12345678901234567890123456789012345678\xe2\x82\xac\"}",
                  "cannot parse '12345678901234567890123456789012345678' as");
    expect_reject("\x01", "near '?'");
    expect_reject("{\"q\":\"\\u\xc3\xa9\"}", "invalid escape near '\"\\u?'");
}

static void test_dates(void) {
    char norm[32], key[15];
    CHECK(date_parse_iso("2022-12-23", norm, key));
    CHECK_STR(norm, "2022-12-23");
    CHECK_STR(key, "20221223000000");
    CHECK(date_parse_iso("2022-12-23 18:09", norm, key));
    CHECK_STR(norm, "2022-12-23T18:09:00Z");
    CHECK(date_parse_iso("2022-12-31T23:30:00-02:00", norm, key));
    CHECK_STR(norm, "2023-01-01T01:30:00Z");
    CHECK(date_parse_iso("2022-01-01T01:00:00+0200", norm, key));
    CHECK_STR(norm, "2021-12-31T23:00:00Z");
    CHECK(date_parse_iso("--03-30", norm, key));
    CHECK_STR(norm, "--03-30");
    CHECK_STR(key, "");
    CHECK(date_parse_iso("2024-02-29", norm, key));
    CHECK(!date_parse_iso("2023-02-29", norm, key));
    CHECK(!date_parse_iso("2022-13-01", norm, key));
    CHECK(!date_parse_iso("2022-12-23T25:00", norm, key));
    CHECK(!date_parse_iso("2022-12-23junk", norm, key));
    CHECK(!date_parse_iso("9999-12-31T23:00-05:00", norm, key));
}

static void test_utf8(void) {
    size_t bad = 99;
    {
        const char *s = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x93\xb0";
        CHECK(utf8_valid(s, strlen(s), NULL));
    }
    CHECK(!utf8_valid("ab\xc0\xaf", 4, &bad));
    CHECK_INT(bad, 2);
    CHECK(!utf8_valid("\xed\xa0\x80", 3, &bad)); /* a surrogate */
    CHECK(!utf8_valid("\xe2\x82", 2, &bad));     /* truncated */
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4, &bad));
}

static void test_utf8_excerpt(void) {
    char out[8];
    CHECK_STR(utf8_excerpt(out, sizeof out, "short"), "short");
    CHECK_STR(utf8_excerpt(out, sizeof out, "longer than seven"), "longer ");
    /* "abcde" + e-acute: the two bytes of the e-acute do not fit with 5 + 1
     * before them in 7, so the cut comes before it, never inside. */
    CHECK_STR(utf8_excerpt(out, 7, "abcde\xc3\xa9"), "abcde");
    CHECK_STR(utf8_excerpt(out, 8, "abcde\xc3\xa9"), "abcde\xc3\xa9");
    /* Control characters (an escape sequence) and bytes that are not UTF-8. */
    CHECK_STR(utf8_excerpt(out, sizeof out, "\x1b[2J\x7f"), "?[2J?");
    CHECK_STR(utf8_excerpt(out, sizeof out, "a\xff\xc3x\xe2\x82"), "a?"
                                                                   "?x?"
                                                                   "?");
    CHECK_STR(utf8_excerpt(out, 1, "anything"), "");
}

int main(void) {
    RUN(test_full_record);
    RUN(test_integer_id_and_author_list);
    RUN(test_rejections);
    RUN(test_reasons_are_safe_to_print);
    RUN(test_dates);
    RUN(test_utf8);
    RUN(test_utf8_excerpt);
    return check_summary();
}
