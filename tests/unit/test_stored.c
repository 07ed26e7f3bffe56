/* Unit tests for common/stored.c: fields found and decoded as jansson
 * would, everything that is not well-formed refused (the caller then
 * parses with jansson), arrays walked. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "lede/stored.h"

static const char *const KEYS[] = {"id", "title", "body", "author", "flag"};
enum { K_ID, K_TITLE, K_BODY, K_AUTHOR, K_FLAG, N_KEYS };

static bool find(const char *json, stored_span_t *v) {
    return stored_find(json, strlen(json), KEYS, N_KEYS, v);
}

/* The decoded value of key k in json, for CHECK_STR; "(absent)" when
 * stored_string gives NULL. Caller frees. */
static char *value_of(const char *json, int k) {
    stored_span_t v[N_KEYS];
    if (!find(json, v)) return strdup("(refused)");
    char *s = stored_string(v[k]);
    return s ? s : strdup("(absent)");
}

static void check_value(const char *json, int k, const char *want) {
    char *got = value_of(json, k);
    CHECK_STR(got, want);
    free(got);
}

static void test_plain_fields(void) {
    const char *doc = "{\"id\":\"r-1\",\"title\":\"Oil\",\"n\":12.5e3,\"ok\":false,\"x\":null,"
                      "\"body\":\"Prices rose.\"}";
    check_value(doc, K_ID, "r-1");
    check_value(doc, K_TITLE, "Oil");
    check_value(doc, K_BODY, "Prices rose.");
    check_value(doc, K_AUTHOR, "(absent)");
    check_value(" \n{ \"id\" : \"a\" , \"title\":\"\" }\r\n", K_TITLE, "");
    check_value("{}", K_ID, "(absent)");
}

static void test_escapes_decoded(void) {
    check_value("{\"body\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\"}", K_BODY, "a\"b\\c/d\b\f\n\r\te");
    check_value("{\"body\":\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"}", K_BODY,
                "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    check_value("{\"body\":\"caf\xc3\xa9\"}", K_BODY, "caf\xc3\xa9");
}

/* Whatever the object holds besides the wanted keys is skipped whole. */
static void test_nested_values_skipped(void) {
    const char *doc = "{\"extra\":{\"id\":\"inner\",\"l\":[1,[2,{\"body\":\"no\"}],\"]\"]},"
                      "\"id\":\"outer\",\"body\":\"yes\"}";
    check_value(doc, K_ID, "outer");
    check_value(doc, K_BODY, "yes");
}

/* As in jansson, the last of a repeated key counts. */
static void test_repeated_key_last_wins(void) {
    check_value("{\"id\":\"first\",\"id\":\"second\"}", K_ID, "second");
}

static void test_not_a_string(void) {
    check_value("{\"id\":42}", K_ID, "(absent)");
    check_value("{\"id\":[\"x\"]}", K_ID, "(absent)");
    stored_span_t v[N_KEYS];
    CHECK(find("{\"flag\":true,\"id\":\"true\"}", v));
    CHECK(stored_true(v[K_FLAG]));
    CHECK(!stored_true(v[K_ID]));
    CHECK(!stored_true(v[K_TITLE]));
}

static void test_array_walked(void) {
    stored_span_t v[N_KEYS], item;
    CHECK(find("{\"author\":[ \"Ann\" , \"B\\u00f6\", 3 ]}", v));
    const char *want[] = {"Ann", "B\xc3\xb6", NULL};
    int n = 0;
    while (stored_next(&v[K_AUTHOR], &item)) {
        char *s = stored_string(item);
        if (n < 3 && want[n]) CHECK_STR(s, want[n]);
        if (n == 2) CHECK(s == NULL && item.n == 1 && item.p[0] == '3');
        free(s);
        n++;
    }
    CHECK_INT(n, 3);
    CHECK(find("{\"author\":[]}", v));
    CHECK(!stored_next(&v[K_AUTHOR], &item));
    CHECK(find("{\"author\":\"Ann\"}", v));
    CHECK(!stored_next(&v[K_AUTHOR], &item));
    CHECK(find("{}", v));
    CHECK(!stored_next(&v[K_AUTHOR], &item));
}

/* Each of these is refused; jansson refuses every one but the escaped
 * key and the deep nesting, which the caller then reads with jansson. */
static void test_refused(void) {
    static const char *const BAD[] = {
        "",
        "[]",
        "\"id\"",
        "{",
        "{\"id\":\"a\"",
        "{\"id\":\"a\"} x",
        "{\"id\":\"a\",}",
        "{\"id\" \"a\"}",
        "{id:\"a\"}",
        "{\"id\":\"a\"}}",
        "{\"id\":\"unterminated}",
        "{\"id\":\"tab\there\"}",
        "{\"id\":\"\\x\"}",
        "{\"id\":\"\\u12\"}",
        "{\"id\":\"\\u0000\"}",
        "{\"id\":\"\\ud800\"}",
        "{\"id\":\"\\udc00\\ud800\"}",
        "{\"id\":\"\\ud800\\u0041\"}",
        "{\"id\":\"\xc3\"}",
        "{\"id\":\"\xc0\xaf\"}",
        "{\"id\":\"\xed\xa0\x80\"}",
        "{\"n\":01}",
        "{\"n\":1.}",
        "{\"n\":-}",
        "{\"n\":1e}",
        "{\"n\":.5}",
        "{\"n\":tru}",
        "{\"n\":[1 2]}",
        "{\"n\":{\"a\"}}",
        "{\"i\\u0064\":\"escaped key\"}",
    };
    stored_span_t v[N_KEYS];
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        bool taken = find(BAD[i], v);
        if (taken) fprintf(stderr, "  taken: %s\n", BAD[i]);
        CHECK(!taken);
    }
    char deep[200] = "{\"x\":";
    for (int i = 0; i < STORED_MAX_DEPTH; i++) strcat(deep, "[");
    for (int i = 0; i < STORED_MAX_DEPTH; i++) strcat(deep, "]");
    strcat(deep, "}");
    CHECK(!find(deep, v));
    deep[strlen("{\"x\":")] = ' ';
    deep[strlen(deep) - 2] = ' ';
    CHECK(find(deep, v)); /* one level less */
}

/* A NUL inside the text is not the end of it. */
static void test_length_not_nul(void) {
    stored_span_t v[N_KEYS];
    const char doc[] = "{\"id\":\"a\"}\0garbage";
    CHECK(stored_find(doc, sizeof doc - 1, KEYS, N_KEYS, v) == false);
    CHECK(stored_find(doc, strlen(doc), KEYS, N_KEYS, v));
    const char in_string[] = "{\"id\":\"a\0b\"}";
    CHECK(!stored_find(in_string, sizeof in_string - 1, KEYS, N_KEYS, v));
}

/* What jansson makes of a record lede-indexer wrote, stored_string makes
 * of each field too. */
static void test_same_as_jansson(void) {
    json_t *doc = json_pack("{ss ss ss s[ss] sb s{s[i]}}", "id", "x/1", "title",
                            "Tab\there \"quoted\" \xe2\x80\x94 caf\xc3\xa9", "body",
                            "Line\nline \x01 \\ \xf0\x9f\x93\xb0 end", "author", "A", "B", "flag",
                            1, "extra", "deep", 1);
    for (int ascii = 0; ascii < 2; ascii++) {
        char *text = json_dumps(doc, JSON_COMPACT | (ascii ? JSON_ENSURE_ASCII : 0));
        stored_span_t v[N_KEYS];
        CHECK(text && find(text, v));
        for (int k = K_ID; k <= K_BODY; k++) {
            char *s = stored_string(v[k]);
            CHECK_STR(s, json_string_value(json_object_get(doc, KEYS[k])));
            free(s);
        }
        CHECK(stored_true(v[K_FLAG]));
        free(text);
    }
    json_decref(doc);
}

int main(void) {
    RUN(test_plain_fields);
    RUN(test_escapes_decoded);
    RUN(test_nested_values_skipped);
    RUN(test_repeated_key_last_wins);
    RUN(test_not_a_string);
    RUN(test_array_walked);
    RUN(test_refused);
    RUN(test_length_not_nul);
    RUN(test_same_as_jansson);
    return check_summary();
}
