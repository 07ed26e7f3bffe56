/* Unit tests for HTTP query strings to protocol requests
 * (searchd/http_params.c): the messages of refused parameters. */
#include <stdlib.h>

#include "../../searchd/http_params.h"
#include "check.h"
#include "lede/article.h"

/* Refused with a message a JSON reply can carry (UTF-8) that says why. */
static void expect_refused(proto_op_t op, const char *query, const char *doc, const char *why) {
    proto_error_t e;
    size_t bad;
    json_t *req = http_params_request(op, query, doc, &e);
    CHECK(req == NULL);
    json_decref(req);
    CHECK_INT(e.code, PROTO_E_BAD_REQUEST);
    CHECK(utf8_valid(e.message, strlen(e.message), &bad));
    if (!strstr(e.message, why)) fprintf(stderr, "  message: %s\n  want:    %s\n", e.message, why);
    CHECK(strstr(e.message, why) != NULL);
}

/* A quoted name or value is cut on a character boundary: cut inside one,
 * the message was not UTF-8, the 400 reply could not be built and the
 * client got a 500 "out of memory". Found by fuzz_http_query. */
static void test_quoted_text_stays_utf8(void) {
    /* 39 ASCII bytes, then an e-acute (%C3%A9) across the 40-byte cut. */
    expect_refused(PROTO_OP_SEARCH, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%C3%A9=1", NULL,
                   "unknown parameter 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' for search");
    expect_refused(PROTO_OP_SEARCH, "limit=123456789012345678901234567890123456789%C3%A9", NULL,
                   "not '123456789012345678901234567890123456789'");
    expect_refused(PROTO_OP_SEARCH, "snippet=yesyesyesyesyesyesyesyesyesyesyesyesyes%C3%A9", NULL,
                   "must be 1 or 0");
    /* Control characters are shown as '?'. */
    expect_refused(PROTO_OP_SUGGEST, "q=a&%1B%5B2J=1", NULL, "unknown parameter '?[2J'");
}

static void test_accepted(void) {
    proto_error_t e;
    json_t *req = http_params_request(PROTO_OP_SEARCH, "q=caf%C3%A9+au+lait&limit=5", NULL, &e);
    CHECK(req != NULL);
    CHECK_STR(json_string_value(json_object_get(req, "q")), "caf\xc3\xa9 au lait");
    CHECK_INT(json_integer_value(json_object_get(req, "limit")), 5);
    json_decref(req);
}

int main(void) {
    RUN(test_quoted_text_stays_utf8);
    RUN(test_accepted);
    return check_summary();
}
