/* Unit tests for lede-searchd's configuration: the shipped conf file
 * documents exactly the defaults, and bad input is named precisely. */
#include <stdlib.h>

#include "../../searchd/config.h"
#include "check.h"

static void test_shipped_file_matches_defaults(void) {
    config_t defaults, loaded;
    lede_err_t err = {""};
    char path[4096];
    config_defaults(&defaults);
    config_defaults(&loaded);
    snprintf(path, sizeof path, "%s/conf/searchd.conf", LEDE_SOURCE_DIR);
    CHECK(config_load(&loaded, path, &err) == LEDE_OK);
    CHECK_STR(err.msg, "");
    CHECK(memcmp(&defaults, &loaded, sizeof defaults) == 0);
    CHECK_STR(defaults.listen_host, "127.0.0.1");
    CHECK_INT(defaults.listen_port, 7878);
    CHECK_INT(defaults.max_line_bytes, 65536);
}

static void test_every_key_is_documented(void) {
    /* Setting a key in the file to a non-default value must change the
     * struct: a key missing from conf/searchd.conf would not be caught by
     * the comparison above, so each key of the table is looked for here. */
    char path[4096];
    snprintf(path, sizeof path, "%s/conf/searchd.conf", LEDE_SOURCE_DIR);
    char *text = check_read_file(path, NULL);
    for (size_t i = 0; text && config_key_name(i); i++) {
        char line[128];
        snprintf(line, sizeof line, "\n%s =", config_key_name(i));
        if (!strstr(text, line)) fprintf(stderr, "  not documented: %s\n", config_key_name(i));
        CHECK(strstr(text, line) != NULL);
    }
    free(text);
}

static void expect_load_error(const char *body, const char *want) {
    char *tmp = check_tmpdir("conf");
    lede_err_t err = {""};
    char *path = check_write_file(tmp, "bad.conf", body);
    config_t c;
    config_defaults(&c);
    CHECK(config_load(&c, path, &err) != LEDE_OK);
    if (!strstr(err.msg, want)) fprintf(stderr, "  got: %s\n  want: %s\n", err.msg, want);
    CHECK(strstr(err.msg, want) != NULL);
    free(path);
    check_rmtree(tmp);
}

static void test_errors_name_file_and_line(void) {
    expect_load_error("# ok\nthreads = 2\nnosuchkey = 1\n", "bad.conf:3: unknown key 'nosuchkey'");
    expect_load_error("max_connections = lots\n",
                      "bad.conf:1: max_connections takes a whole number from 1 to 100000");
    expect_load_error("\n\nmax_limit = 0\n",
                      "bad.conf:3: max_limit takes a whole number from 1 to 10000");
    expect_load_error("listen = nowhere\n", "bad.conf:1: listen takes HOST:PORT");
    expect_load_error("listen = 1.2.3.4:99999\n", "bad.conf:1: listen: bad port");
    expect_load_error("\nhttp_listen = 7879\n",
                      "bad.conf:2: http_listen takes HOST:PORT, not '7879'");
    expect_load_error("query_log = maybe\n", "bad.conf:1: query_log takes yes or no, not 'maybe'");
    expect_load_error("log_level = loud\n",
                      "bad.conf:1: log_level takes error, warn, info or debug");
    expect_load_error("tls_min_version = 1.1\n",
                      "bad.conf:1: tls_min_version takes 1.2 or 1.3, not '1.1'");
    expect_load_error("just words\n", "bad.conf:1: expected 'key = value'");
    expect_load_error("threads =\n", "bad.conf:1: threads takes a whole number");
    char *huge = malloc(6000);
    memcpy(huge, "db = ", 5);
    memset(huge + 5, 'x', 5990);
    strcpy(huge + 5995, "\n");
    expect_load_error(huge, "bad.conf:1: line longer than 4350 bytes");
    free(huge);
    config_t c;
    lede_err_t err;
    CHECK(config_load(&c, "/nonexistent/searchd.conf", &err) != LEDE_OK);
    CHECK(strstr(err.msg, "/nonexistent/searchd.conf: No such file or directory") != NULL);
}

static void test_overrides(void) {
    config_t c;
    lede_err_t err;
    config_defaults(&c);
    CHECK(config_set(&c, "listen", "[::1]:9000", &err) == LEDE_OK);
    CHECK_STR(c.listen_host, "::1");
    CHECK_INT(c.listen_port, 9000);
    CHECK(c.http_enabled);
    CHECK(config_set(&c, "http_listen", "off", &err) == LEDE_OK);
    CHECK(!c.http_enabled);
    CHECK(config_set(&c, "http_listen", "[::1]:0", &err) == LEDE_OK);
    CHECK(c.http_enabled);
    CHECK_STR(c.http_host, "::1");
    CHECK_INT(c.http_port, 0);
    CHECK(config_set(&c, "listen", ":7000", &err) == LEDE_OK);
    CHECK_STR(c.listen_host, "0.0.0.0");
    CHECK(config_set(&c, "query_log", "yes", &err) == LEDE_OK);
    CHECK(c.query_log);
    CHECK(config_set(&c, "log_level", "DEBUG", &err) == LEDE_OK);
    CHECK_INT(c.log_level, LOG_DEBUG);
    CHECK(config_set(&c, "log_file", "", &err) == LEDE_OK);
    CHECK_STR(c.log_file, "");
    CHECK(config_set(&c, "threads", "-1", &err) != LEDE_OK);
}

/* config_finish: the token from a file, and the keys that go together. */
static void test_auth_token_keys(void) {
    char *tmp = check_tmpdir("auth");
    lede_err_t err = {""};
    char *good = check_write_file(tmp, "token", "s3cret-token\nsecond line\n");
    char *empty = check_write_file(tmp, "empty", "\n");
    config_t c;
    config_defaults(&c);
    CHECK(config_finish(&c, &err) == LEDE_OK);
    CHECK_STR(c.auth_token, "");
    CHECK(config_set(&c, "auth_token_file", good, &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) == LEDE_OK);
    CHECK_STR(c.auth_token, "s3cret-token");
    config_defaults(&c);
    CHECK(config_set(&c, "auth_token", "x", &err) == LEDE_OK);
    CHECK(config_set(&c, "auth_token_file", good, &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK_STR(err.msg, "set auth_token or auth_token_file, not both");
    config_defaults(&c);
    CHECK(config_set(&c, "auth_token_file", empty, &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "auth_token_file ") && strstr(err.msg, "empty: the first line is empty"));
    config_defaults(&c);
    CHECK(config_set(&c, "auth_token_file", "/nonexistent/token", &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK_STR(err.msg, "auth_token_file /nonexistent/token: No such file or directory");
    char *huge = malloc(CONFIG_PATH_MAX + 10);
    memset(huge, 'k', CONFIG_PATH_MAX + 8);
    strcpy(huge + CONFIG_PATH_MAX + 8, "\n");
    char *long_file = check_write_file(tmp, "long", huge);
    config_defaults(&c);
    CHECK(config_set(&c, "auth_token_file", long_file, &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "the token is longer than 4094 bytes") != NULL);
    free(huge), free(long_file);
    config_defaults(&c);
    CHECK(config_set(&c, "auth_token", "two words", &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "may not contain spaces") != NULL);
    config_defaults(&c);
    CHECK(config_set(&c, "tls_cert", "/etc/ssl/x.pem", &err) == LEDE_OK);
    CHECK(config_finish(&c, &err) != LEDE_OK);
    CHECK_STR(err.msg, "TLS needs both tls_cert and tls_key");
    free(good), free(empty);
    check_rmtree(tmp);
}

int main(void) {
    RUN(test_shipped_file_matches_defaults);
    RUN(test_every_key_is_documented);
    RUN(test_errors_name_file_and_line);
    RUN(test_overrides);
    RUN(test_auth_token_keys);
    return check_summary();
}
