/* Integration tests for TLS on lede-searchd's two listeners (tls_cert,
 * tls_key, tls_min_version): the real daemon with a throwaway certificate
 * made by openssl, spoken to by `openssl s_client` (line protocol) and
 * `curl --cacert` (HTTP), as an operator would check it. Skipped, with a
 * message, where the openssl or curl programs are missing. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#include "searchd_client.h"

#define WAIT_MS 10000
#define TOKEN "tls-test-token"

static const char *searchd, *indexer;
static char *tmp;
static char db[SD_PATH_BYTES], cert[SD_PATH_BYTES], key[SD_PATH_BYTES];
static char other_cert[SD_PATH_BYTES], other_key[SD_PATH_BYTES];
static sd_daemon_t secured; /* TLS and a token */

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    return sd_path(out, tmp, name);
}

static char openssl[SD_PATH_BYTES], curl_bin[SD_PATH_BYTES], timeout_bin[SD_PATH_BYTES];

/* A self-signed certificate for localhost and 127.0.0.1 (its own CA). */
static bool make_cert(const char *cert_path, const char *key_path) {
    char *argv[] = {openssl,
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout",
                    (char *)key_path,
                    "-out",
                    (char *)cert_path,
                    NULL};
    char *err = NULL;
    int rc = check_run(argv, NULL, NULL, &err);
    if (rc != 0) fprintf(stderr, "openssl req: exit %d: %s\n", rc, err ? err : "");
    free(err);
    return rc == 0;
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

/* Runs `openssl s_client` to port with the requests in `input`; its exit
 * status, and what it printed in *out. more: extra s_client options. */
static int s_client(unsigned port, const char *ca, const char *input, const char *more,
                    char **out) {
    char connect[64], in_path[SD_PATH_BYTES];
    snprintf(connect, sizeof connect, "127.0.0.1:%u", port);
    char *input_file = check_write_file(tmp, "s_client.in", input);
    snprintf(in_path, sizeof in_path, "%s", input_file);
    free(input_file);
    char *argv[16];
    int n = 0;
    argv[n++] = timeout_bin, argv[n++] = "10", argv[n++] = openssl, argv[n++] = "s_client";
    argv[n++] = "-connect", argv[n++] = connect, argv[n++] = "-CAfile", argv[n++] = (char *)ca;
    argv[n++] = "-verify_return_error", argv[n++] = "-quiet";
    if (more) argv[n++] = (char *)more;
    argv[n] = NULL;
    check_run_opts_t opts = {.stdin_path = in_path};
    return check_run(argv, &opts, out, NULL);
}

/* curl to the HTTP port: its exit status and the body in *out. */
static int curl(const char *url, const char *ca, const char *header, char **out) {
    char *argv[16];
    int n = 0;
    argv[n++] = curl_bin, argv[n++] = "-sS", argv[n++] = "--max-time", argv[n++] = "10";
    if (ca) argv[n++] = "--cacert", argv[n++] = (char *)ca;
    if (header) argv[n++] = "-H", argv[n++] = (char *)header;
    argv[n++] = (char *)url;
    argv[n] = NULL;
    return check_run(argv, NULL, out, NULL);
}

static void test_line_protocol_over_tls(void) {
    char *out = NULL;
    int rc = s_client(secured.port, cert, "PING\nSEARCH oil\nAUTH " TOKEN "\nSEARCH oil\nQUIT\n",
                      NULL, &out);
    CHECK_INT(rc, 0);
    CHECK(out && strstr(out, "{\"ok\":true,\"pong\":true}\n"));
    CHECK(out && strstr(out, "\"auth_required\""));
    CHECK(out && strstr(out, "\"total\":"));
    CHECK(out && strstr(out, "\"bye\":true"));
    free(out);
}

/* A client that does not trust the certificate stops at the handshake. */
static void test_untrusted_certificate(void) {
    char *out = NULL;
    int rc = s_client(secured.port, other_cert, "PING\n", NULL, &out);
    CHECK(rc != 0);
    CHECK(!out || !strstr(out, "pong"));
    free(out);
}

/* Plain TCP to a TLS port gets no answer in the clear. */
static void test_plain_client_refused(void) {
    sd_conn_t *c = sd_connect(secured.port);
    CHECK(c != NULL);
    if (!c) return;
    CHECK(sd_send_str(c, "PING\n"));
    char *line = sd_read_line(c, 3000);
    CHECK(line == NULL);
    CHECK(!c->buf || !strstr(c->buf, "pong"));
    free(line);
    sd_close(c);
}

static void test_http_over_tls(void) {
    char url[128], *out = NULL;
    snprintf(url, sizeof url, "https://127.0.0.1:%u/search?q=oil", secured.http_port);
    CHECK_INT(curl(url, cert, "Authorization: Bearer " TOKEN, &out), 0);
    CHECK(out && strstr(out, "{\"ok\":true"));
    free(out), out = NULL;
    CHECK_INT(curl(url, cert, NULL, &out), 0); /* TLS is not authentication */
    CHECK(out && strstr(out, "\"auth_required\""));
    free(out), out = NULL;
    snprintf(url, sizeof url, "https://localhost:%u/health", secured.http_port);
    CHECK_INT(curl(url, cert, NULL, &out), 0);
    CHECK(out && strstr(out, "\"ok\":true"));
    free(out), out = NULL;
    CHECK_INT(curl(url, other_cert, NULL, &out),
              60); /* curl: peer certificate cannot be verified */
    free(out), out = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%u/health", secured.http_port);
    CHECK(curl(url, NULL, NULL, &out) != 0); /* no plain HTTP on it */
    CHECK(!out || !strstr(out, "\"ok\":true"));
    free(out);
}

static void test_min_version(void) {
    const char *extra[] = {"-o", "tls_min_version=1.3", "-o", NULL, "-o", NULL, NULL};
    char cert_opt[SD_PATH_BYTES + 16], key_opt[SD_PATH_BYTES + 16];
    snprintf(cert_opt, sizeof cert_opt, "tls_cert=%s", cert);
    snprintf(key_opt, sizeof key_opt, "tls_key=%s", key);
    extra[3] = cert_opt, extra[5] = key_opt;
    sd_daemon_t d;
    if (!start(&d, "tls13", extra)) return;
    char *out = NULL;
    CHECK(s_client(d.port, cert, "PING\n", "-tls1_2", &out) != 0);
    CHECK(!out || !strstr(out, "pong"));
    free(out), out = NULL;
    CHECK_INT(s_client(d.port, cert, "PING\nQUIT\n", "-tls1_3", &out), 0);
    CHECK(out && strstr(out, "pong"));
    free(out);
    stop(&d);
}

static void refused(const char *want, const char *cert_path, const char *key_path) {
    char cert_opt[SD_PATH_BYTES + 16], key_opt[SD_PATH_BYTES + 16];
    snprintf(cert_opt, sizeof cert_opt, "tls_cert=%s", cert_path);
    snprintf(key_opt, sizeof key_opt, "tls_key=%s", key_path);
    char *argv[] = {(char *)searchd, "--db", db,      "--listen", "127.0.0.1:0", "-o",
                    cert_opt,        "-o",   key_opt, NULL};
    char *out = NULL, *err = NULL;
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = WAIT_MS}, &out, &err), 1);
    if (!err || !strstr(err, want)) fprintf(stderr, "  stderr: %s\n  want: %s\n", err, want);
    CHECK(err && strstr(err, want));
    free(out), free(err);
}

static void test_startup_errors(void) {
    refused("tls_cert /nonexistent/cert.pem: No such file or directory", "/nonexistent/cert.pem",
            key);
    char want[SD_PATH_BYTES + 64];
    snprintf(want, sizeof want, "tls_key %s: cannot use the key: key values mismatch", other_key);
    refused(want, cert, other_key);
    snprintf(want, sizeof want, "tls_cert %s: cannot use the certificate", key);
    refused(want, key, key); /* a key where the certificate should be */
    char *argv[] = {(char *)searchd, "--db", db, "-o", "tls_cert=/x.pem", NULL};
    char *out = NULL, *err = NULL;
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = WAIT_MS}, &out, &err), 1);
    CHECK(err && strstr(err, "TLS needs both tls_cert and tls_key"));
    free(out), free(err);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_tls LEDE-SEARCHD LEDE-INDEXER FIXTURE.jsonl\n");
        return 2;
    }
    if (!sd_find_program("openssl", openssl) || !sd_find_program("curl", curl_bin) ||
        !sd_find_program("timeout", timeout_bin)) {
        printf("SKIP: test_tls needs the openssl, curl and timeout programs (scripts/setup.sh "
               "installs them)\n");
        return 77;
    }
    searchd = argv[1], indexer = argv[2];
    tmp = check_tmpdir("tls");
    in_tmp(db, "idx");
    char *ix[] = {(char *)indexer, "--db", db, "--quiet", argv[3], NULL};
    if (check_run(ix, NULL, NULL, NULL) != 0 ||
        !make_cert(in_tmp(cert, "cert.pem"), in_tmp(key, "key.pem")) ||
        !make_cert(in_tmp(other_cert, "other.pem"), in_tmp(other_key, "other-key.pem"))) {
        fprintf(stderr, "could not build the test index or certificates\n");
        return 1;
    }
    char cert_opt[SD_PATH_BYTES + 16], key_opt[SD_PATH_BYTES + 16];
    snprintf(cert_opt, sizeof cert_opt, "tls_cert=%s", cert);
    snprintf(key_opt, sizeof key_opt, "tls_key=%s", key);
    const char *extra[] = {"-o", cert_opt, "-o", key_opt, "-o", "auth_token=" TOKEN, NULL};
    if (!start(&secured, "secured", extra)) return check_summary();
    CHECK(sd_log_has(&secured, "(TLS)"));
    RUN(test_line_protocol_over_tls);
    RUN(test_untrusted_certificate);
    RUN(test_plain_client_refused);
    RUN(test_http_over_tls);
    RUN(test_min_version);
    RUN(test_startup_errors);
    stop(&secured);
    if (check_failures == 0)
        check_rmtree(tmp); /* frees tmp */
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
