/* Integration tests for lede-searchd's shared-secret authentication
 * (auth_token; docs/protocol.md "Authentication", docs/http.md): the real
 * daemon on 127.0.0.1, the line protocol and HTTP on raw sockets, as a
 * client that knows the token, one that does not and one that guesses. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "searchd_client.h"

#define WAIT_MS 5000
#define TOKEN "s3cret-Token_42"
#define DELAY_MS 300

static const char *searchd, *indexer;
static char *tmp;
static char db[SD_PATH_BYTES];
static sd_daemon_t locked; /* auth_token = TOKEN, a short delay, 2 failures */

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    return sd_path(out, tmp, name);
}

static bool start(sd_daemon_t *d, const char *name, const char *const *extra) {
    bool ok = sd_start_in(d, searchd, db, tmp, name, extra);
    CHECK(ok);
    return ok;
}

static void stop(sd_daemon_t *d) {
    CHECK_INT(sd_stop(d, SIGTERM), 0);
    CHECK(sd_log_clean(d));
}

static const char *code_of(json_t *reply) {
    return sd_str(reply, "error.code");
}

/* ---- the line protocol ------------------------------------------------------ */

static void test_line_needs_token(void) {
    sd_conn_t *c = sd_connect(locked.port);
    CHECK(c != NULL);
    if (!c) return;
    json_t *r = sd_call(c, "PING");
    CHECK(r && json_is_true(json_object_get(r, "ok"))); /* health checks need no token */
    json_decref(r);
    const char *refused[] = {"SEARCH oil", "GET g1",
                             "SIMILAR g1", "SUGGEST oi",
                             "STATS",      "{\"op\":\"search\",\"q\":\"oil\",\"id\":\"r1\"}"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        r = sd_call(c, refused[i]);
        CHECK_STR(code_of(r), "auth_required");
        CHECK(r && strstr(sd_str(r, "error.message"), "AUTH <token>"));
        json_decref(r);
    }
    r = sd_call(c, "{\"op\":\"stats\",\"id\":7}");
    CHECK_INT(sd_int(r, "id"), 7); /* the id comes back with the refusal */
    json_decref(r);
    r = sd_call(c, "AUTH " TOKEN);
    CHECK(r && json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    r = sd_call(c, "SEARCH oil");
    CHECK(r && json_is_true(json_object_get(r, "ok")) && sd_int(r, "total") >= 0);
    json_decref(r);
    sd_close(c);
}

static void test_token_in_request(void) {
    sd_conn_t *c = sd_connect(locked.port);
    CHECK(c != NULL);
    if (!c) return;
    json_t *r = sd_call(c, "{\"op\":\"search\",\"q\":\"oil\",\"auth\":\"" TOKEN "\",\"id\":1}");
    CHECK(r && json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    r = sd_call(c, "STATS"); /* the connection stays authenticated */
    CHECK(r && json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    r = sd_call(c, "{\"op\":\"auth\",\"id\":2}");
    CHECK_STR(code_of(r), "bad_request");
    CHECK_STR(sd_str(r, "error.message"), "op 'auth' needs a \"token\"");
    json_decref(r);
    r = sd_call(c, "{\"op\":\"auth\",\"token\":\"a\",\"auth\":\"b\"}");
    CHECK_STR(code_of(r), "bad_request");
    json_decref(r);
    r = sd_call(c, "AUTH");
    CHECK_STR(sd_str(r, "error.message"), "usage: AUTH <token>");
    json_decref(r);
    sd_close(c);
}

/* A wrong token is answered late, nothing after it overtakes it, and the
 * last allowed failure closes the connection. */
static void test_wrong_token(void) {
    sd_conn_t *c = sd_connect(locked.port);
    CHECK(c != NULL);
    if (!c) return;
    double t0 = check_now_ms();
    CHECK(sd_send_str(c, "AUTH guess\nPING\n"));
    char *first = sd_read_line(c, WAIT_MS), *second = sd_read_line(c, WAIT_MS);
    double waited = check_now_ms() - t0;
    CHECK(first && strstr(first, "\"auth_failed\"") && strstr(first, "1 of max_auth_failures 2"));
    CHECK(second && strstr(second, "\"pong\""));
    if (waited < DELAY_MS * 0.9) fprintf(stderr, "  answered after %.0f ms\n", waited);
    CHECK(waited >= DELAY_MS * 0.9);
    free(first), free(second);
    json_t *r =
        sd_call(c, "{\"op\":\"search\",\"q\":\"x\",\"auth\":\"still wrong\",\"id\":\"q9\"}");
    CHECK_STR(code_of(r), "auth_failed");
    CHECK_STR(sd_str(r, "id"), "q9");
    CHECK(r && strstr(sd_str(r, "error.message"), "closing"));
    json_decref(r);
    CHECK(sd_wait_closed(c, WAIT_MS));
    sd_close(c);
    CHECK(sd_wait_log(&locked, "wrong auth token (2 of max_auth_failures 2)", WAIT_MS));
    CHECK(!sd_log_has(&locked, "still wrong")); /* a guess is never logged */
}

/* Other connections go on while one waits out its delay. */
static void test_delay_blocks_only_its_connection(void) {
    sd_conn_t *guesser = sd_connect(locked.port), *other = sd_connect(locked.port);
    CHECK(guesser && other);
    if (!guesser || !other) return;
    CHECK(sd_send_str(guesser, "AUTH guess\n"));
    check_sleep_ms(20);
    double t0 = check_now_ms();
    json_t *r = sd_call(other, "PING");
    CHECK(r && json_is_true(json_object_get(r, "pong")));
    CHECK(check_now_ms() - t0 < DELAY_MS / 2);
    json_decref(r);
    char *line = sd_read_line(guesser, WAIT_MS);
    CHECK(line && strstr(line, "auth_failed"));
    free(line);
    sd_close(guesser), sd_close(other);
}

/* ---- HTTP -------------------------------------------------------------------- */

typedef struct {
    int status;
    char *text; /* the whole response; malloc'd */
} http_reply_t;

static http_reply_t http_get(const char *target, const char *extra) {
    http_reply_t r;
    r.text = sd_http_get(locked.http_port, target, extra, &r.status);
    return r;
}

static void test_http_needs_bearer(void) {
    http_reply_t r = http_get("/health", NULL);
    CHECK_INT(r.status, 200); /* load balancers need no token */
    free(r.text);
    const char *paths[] = {"/search?q=oil", "/doc/g1", "/similar/g1",
                           "/suggest?q=oi", "/stats",  "/metrics"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        r = http_get(paths[i], NULL);
        CHECK_INT(r.status, 401);
        CHECK(r.text && strstr(r.text, "WWW-Authenticate: Bearer realm=\"lede\"\r\n"));
        CHECK(r.text && strstr(r.text, "\"code\":\"auth_required\""));
        free(r.text);
    }
    r = http_get("/search?q=oil", "Authorization: Bearer " TOKEN "\r\n");
    CHECK_INT(r.status, 200);
    CHECK(r.text && strstr(r.text, "\"ok\":true"));
    free(r.text);
    r = http_get("/search?q=oil", "Authorization: bearer   " TOKEN "\r\n");
    CHECK_INT(r.status, 200);
    free(r.text);
    double t0 = check_now_ms();
    r = http_get("/search?q=oil", "Authorization: Bearer " TOKEN "x\r\n");
    CHECK(check_now_ms() - t0 >= DELAY_MS * 0.9);
    CHECK_INT(r.status, 401);
    CHECK(r.text && strstr(r.text, "error=\"invalid_token\""));
    CHECK(r.text && strstr(r.text, "\"code\":\"auth_failed\""));
    free(r.text);
    r = http_get("/search?q=oil", "Authorization: Basic dXNlcjpwYXNz\r\n");
    CHECK_INT(r.status, 401);
    free(r.text);
}

/* Failures of both kinds are counted, in STATS and /metrics. */
static void test_failures_counted(void) {
    http_reply_t r = http_get("/metrics", "Authorization: Bearer " TOKEN "\r\n");
    CHECK_INT(r.status, 200);
    /* 3 on the line protocol (test_wrong_token, test_delay...), 2 over HTTP. */
    CHECK(r.text && strstr(r.text, "\nlede_auth_failures_total 5\n"));
    CHECK(r.text && strstr(r.text, "# TYPE lede_auth_failures_total counter\n"));
    free(r.text);
    sd_conn_t *c = sd_connect(locked.port);
    CHECK(c != NULL);
    if (!c) return;
    json_t *s = sd_call(c, "{\"op\":\"stats\",\"auth\":\"" TOKEN "\"}");
    CHECK_INT(sd_int(s, "auth_failures"), 5);
    CHECK(sd_int(s, "errors.auth_required") >= 7);
    CHECK(sd_int(s, "errors.auth_failed") >= 3);
    json_decref(s);
    sd_close(c);
}

/* ---- without a token, and start-up -------------------------------------------- */

static void test_open_server_accepts_auth(void) {
    sd_daemon_t open;
    if (!start(&open, "open", NULL)) return;
    sd_conn_t *c = sd_connect(open.port);
    json_t *r = c ? sd_call(c, "AUTH anything") : NULL;
    CHECK(r && json_is_true(json_object_get(r, "ok"))); /* a client with a token still works */
    json_decref(r);
    r = c ? sd_call(c, "{\"op\":\"search\",\"q\":\"oil\",\"auth\":\"whatever\"}") : NULL;
    CHECK(r && json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    sd_close(c);
    stop(&open);
}

static void test_token_file_and_errors(void) {
    char *file = check_write_file(tmp, "token", "from-a-file\n");
    char opt[SD_PATH_BYTES + 32];
    snprintf(opt, sizeof opt, "auth_token_file=%s", file);
    const char *extra[] = {"-o", opt, NULL};
    sd_daemon_t d;
    if (start(&d, "tokenfile", extra)) {
        sd_conn_t *c = sd_connect(d.port);
        json_t *r = c ? sd_call(c, "AUTH from-a-file") : NULL;
        CHECK(r && json_is_true(json_object_get(r, "ok")));
        json_decref(r);
        sd_close(c);
        stop(&d);
    }
    char *out = NULL, *err = NULL;
    char *argv[] = {(char *)searchd, "--db", db, "-o", "auth_token_file=/nonexistent/token", NULL};
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = WAIT_MS}, &out, &err), 1);
    CHECK(err && strstr(err, "auth_token_file /nonexistent/token: No such file or directory"));
    free(out), free(err), free(file);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_auth LEDE-SEARCHD LEDE-INDEXER FIXTURE.jsonl\n");
        return 2;
    }
    searchd = argv[1], indexer = argv[2];
    tmp = check_tmpdir("auth");
    in_tmp(db, "idx");
    char *ix[] = {(char *)indexer, "--db", db, "--quiet", argv[3], NULL};
    if (check_run(ix, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    char delay[64];
    snprintf(delay, sizeof delay, "auth_fail_delay_ms=%d", DELAY_MS);
    const char *extra[] = {"-o", "auth_token=" TOKEN,   "-o", delay,
                           "-o", "max_auth_failures=2", NULL};
    if (!start(&locked, "locked", extra)) return check_summary();
    RUN(test_line_needs_token);
    RUN(test_token_in_request);
    RUN(test_wrong_token);
    RUN(test_delay_blocks_only_its_connection);
    RUN(test_http_needs_bearer);
    RUN(test_failures_counted);
    RUN(test_open_server_accepts_auth);
    RUN(test_token_file_and_errors);
    stop(&locked);
    if (check_failures == 0)
        check_rmtree(tmp); /* frees tmp */
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
