/* Unit tests for lede_status_to_string: every status has its own stable,
 * lower_snake_case name, and a value outside the enum is still named. */
#include <stdbool.h>

#include "check.h"
#include "lede/status.h"

/* True when s is lower_snake_case: [a-z][a-z0-9]* words joined by single
 * underscores, with no leading or trailing underscore. */
static bool is_lower_snake(const char *s) {
    if (!s || !(*s >= 'a' && *s <= 'z')) return false;
    for (const char *p = s; *p; p++) {
        bool word_char = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
        if (word_char) continue;
        if (*p != '_' || p[1] == '_' || p[1] == '\0') return false;
    }
    return true;
}

static void test_every_status_named(void) {
    for (int i = 0; i < LEDE_STATUS_COUNT; i++) {
        const char *name = lede_status_to_string((lede_status_t)i);
        CHECK(name != NULL);
        if (!name) continue;
        CHECK(name[0] != '\0');
        if (!is_lower_snake(name)) fprintf(stderr, "  status %d is named '%s'\n", i, name);
        CHECK(is_lower_snake(name));
    }
}

static void test_names_distinct(void) {
    for (int i = 0; i < LEDE_STATUS_COUNT; i++) {
        for (int j = i + 1; j < LEDE_STATUS_COUNT; j++) {
            const char *a = lede_status_to_string((lede_status_t)i);
            const char *b = lede_status_to_string((lede_status_t)j);
            bool same = a && b && strcmp(a, b) == 0;
            if (same) fprintf(stderr, "  statuses %d and %d are both '%s'\n", i, j, a);
            CHECK(!same);
        }
    }
}

/* The names other programs see in error replies: pinned, so that a rename
 * is a deliberate act. */
static void test_known_names(void) {
    CHECK_STR(lede_status_to_string(LEDE_OK), "ok");
    CHECK_STR(lede_status_to_string(LEDE_E_BAD_QUERY), "bad_query");
    CHECK_STR(lede_status_to_string(LEDE_E_NOT_FOUND), "not_found");
    CHECK_STR(lede_status_to_string(LEDE_E_LOCKED), "locked");
    CHECK_STR(lede_status_to_string(LEDE_E_MODIFIED), "modified");
}

static void expect_unknown(lede_status_t st) {
    const char *name = lede_status_to_string(st);
    CHECK(name != NULL);
    if (!name) return;
    CHECK(name[0] != '\0');
    CHECK(is_lower_snake(name));
    /* An unknown value must not pass for a real status. */
    for (int i = 0; i < LEDE_STATUS_COUNT; i++)
        CHECK(strcmp(name, lede_status_to_string((lede_status_t)i)) != 0);
}

static void test_out_of_range(void) {
    expect_unknown(LEDE_STATUS_COUNT);
    expect_unknown((lede_status_t)(LEDE_STATUS_COUNT + 1));
    expect_unknown((lede_status_t)1000);
    expect_unknown((lede_status_t)-1);
    CHECK_STR(lede_status_to_string(LEDE_STATUS_COUNT), lede_status_to_string((lede_status_t)-1));
}

/* lede_errf writes the message and hands back the status; NULL means
 * the caller does not want the text. */
static void test_errf(void) {
    lede_err_t err = {{0}};
    CHECK_INT(lede_errf(&err, LEDE_E_IO, "cannot write %s: %s", "x.db", "disk full"), LEDE_E_IO);
    CHECK_STR(err.msg, "cannot write x.db: disk full");
    CHECK_INT(lede_errf(NULL, LEDE_E_NOMEM, "out of memory"), LEDE_E_NOMEM);
    /* Too long for the buffer: cut, still terminated. */
    char big[LEDE_ERR_BYTES * 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lede_errf(&err, LEDE_E_INVALID, "%s", big);
    CHECK_INT(strlen(err.msg), LEDE_ERR_BYTES - 1);
}

/* Context goes in front of what the callee said; a message too long for
 * the room left is cut at the end, never the prefix. */
static void test_err_context(void) {
    lede_err_t err;
    lede_errf(&err, LEDE_E_IO, "disk full");
    CHECK_INT(lede_err_context(&err, LEDE_E_IO, "line %d of %s", 7, "a.jsonl"), LEDE_E_IO);
    CHECK_STR(err.msg, "line 7 of a.jsonl: disk full");
    char big[LEDE_ERR_BYTES];
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lede_errf(&err, LEDE_E_IO, "%s", big);
    lede_err_context(&err, LEDE_E_IO, "ctx");
    CHECK(strncmp(err.msg, "ctx: bbb", 8) == 0);
    CHECK_INT(strlen(err.msg), LEDE_ERR_BYTES - 1);
    CHECK_INT(lede_err_context(NULL, LEDE_E_OPEN, "x"), LEDE_E_OPEN);
}

int main(void) {
    RUN(test_every_status_named);
    RUN(test_names_distinct);
    RUN(test_known_names);
    RUN(test_out_of_range);
    RUN(test_errf);
    RUN(test_err_context);
    return check_summary();
}
