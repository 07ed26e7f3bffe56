/* Integration tests for running lede-searchd as a service: readiness on
 * $NOTIFY_SOCKET for a Type=notify systemd unit (searchd/notify.c), and
 * where the search page is found when http_root is empty
 * (searchd/http_static.c): beside an installed copy of the executable, in
 * the source tree for the build tree's, and a refusal to start naming the
 * directories tried when there is none. */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "../unit/check.h"
#include "searchd_client.h"

#define WAIT_MS 5000

static const char *searchd, *web_dir, *install_web_dir;
static char *tmp;
static char db[SD_PATH_BYTES];

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    snprintf(out, SD_PATH_BYTES, "%s/%s", tmp, name);
    return out;
}

/* ---- $NOTIFY_SOCKET ---------------------------------------------------------- */

/* A datagram socket bound to name (a path, or "@abstract"), as systemd
 * makes for a Type=notify service; -1 on failure. */
static int notify_listen(const char *name) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t n = strlen(name);
    memcpy(addr.sun_path, name, n);
    if (name[0] == '@') addr.sun_path[0] = '\0';
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct timeval tv = {WAIT_MS / 1000, 0};
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, len) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
        fprintf(stderr, "cannot bind %s: %s\n", name, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* The next datagram (static storage), or "" after WAIT_MS. */
static const char *notify_recv(int fd) {
    static char msg[256];
    ssize_t n = recv(fd, msg, sizeof msg - 1, 0);
    msg[n > 0 ? n : 0] = '\0';
    return msg;
}

static bool ping_ok(unsigned port) {
    sd_conn_t *c = sd_connect(port);
    json_t *r = c ? sd_call(c, "PING") : NULL;
    bool ok = r && json_is_true(json_object_get(r, "ok"));
    json_decref(r);
    if (c) sd_close(c);
    return ok;
}

/* Starts the daemon with NOTIFY_SOCKET=name: READY=1 once it answers,
 * STOPPING=1 on SIGTERM, then a clean exit. */
static void check_notify(const char *name, const char *log_name) {
    int fd = notify_listen(name);
    CHECK(fd >= 0);
    if (fd < 0) return;
    setenv("NOTIFY_SOCKET", name, 1);
    sd_daemon_t d;
    char log[SD_PATH_BYTES];
    bool started = sd_start(&d, searchd, db, in_tmp(log, log_name), NULL);
    unsetenv("NOTIFY_SOCKET");
    CHECK(started);
    if (started) {
        CHECK_STR(notify_recv(fd), "READY=1");
        CHECK(ping_ok(d.port));
        kill(d.pid, SIGTERM);
        CHECK_STR(notify_recv(fd), "STOPPING=1");
        CHECK_INT(check_wait(d.pid, WAIT_MS), 0);
        d.pid = 0;
        CHECK(!sd_log_has(&d, "NOTIFY_SOCKET"));
        CHECK(sd_log_clean(&d));
    }
    close(fd);
}

static void test_notify_socket_path(void) {
    char path[SD_PATH_BYTES];
    check_notify(in_tmp(path, "notify.sock"), "notify-path.log");
}

static void test_notify_abstract_socket(void) {
    char name[64];
    snprintf(name, sizeof name, "@lede-test-notify-%ld", (long)getpid());
    check_notify(name, "notify-abstract.log");
}

/* A manager that cannot be reached is a warning, not a failed start. */
static void check_notify_unreachable(const char *value, const char *log_name, const char *warning) {
    setenv("NOTIFY_SOCKET", value, 1);
    sd_daemon_t d;
    char log[SD_PATH_BYTES];
    bool started = sd_start(&d, searchd, db, in_tmp(log, log_name), NULL);
    unsetenv("NOTIFY_SOCKET");
    CHECK(started);
    if (!started) return;
    CHECK(sd_wait_log(&d, warning, WAIT_MS));
    CHECK(ping_ok(d.port));
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
    CHECK(sd_log_clean(&d));
}

static void test_notify_socket_missing(void) {
    char path[SD_PATH_BYTES];
    in_tmp(path, "no-such.sock");
    check_notify_unreachable(path, "notify-missing.log",
                             "warn: cannot send READY=1 to NOTIFY_SOCKET");
}

static void test_notify_socket_not_a_path(void) {
    check_notify_unreachable("relative.sock", "notify-bad.log",
                             "warn: NOTIFY_SOCKET=relative.sock is not a socket path or @name");
}

/* ---- the page's root --------------------------------------------------------- */

/* Copies lede-searchd to PREFIX/sbin/, as an install would; the copy's
 * path in exe. */
static bool install_copy(const char *prefix, char exe[SD_PATH_BYTES]) {
    char dir[SD_PATH_BYTES];
    size_t len = 0;
    char *bytes = check_read_file(searchd, &len);
    snprintf(dir, sizeof dir, "%.4000s/sbin", prefix);
    snprintf(exe, SD_PATH_BYTES, "%.4000s/lede-searchd", dir);
    mkdir(prefix, 0755);
    mkdir(dir, 0755);
    FILE *f = bytes ? fopen(exe, "wb") : NULL;
    bool ok = f && fwrite(bytes, 1, len, f) == len;
    if (f) ok = fclose(f) == 0 && ok;
    free(bytes);
    ok = ok && chmod(exe, 0755) == 0;
    if (!ok) fprintf(stderr, "cannot copy %s to %s\n", searchd, exe);
    return ok;
}

/* GET path on the daemon's HTTP port: the whole reply (malloc'd), or NULL. */
static char *http_get(unsigned port, const char *path) {
    sd_conn_t *c = sd_connect(port);
    if (!c) return NULL;
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
             path);
    sd_send_str(c, req);
    sd_fill(c, 1u << 20, WAIT_MS);
    char *reply = strndup(c->buf ? c->buf : "", c->len);
    sd_close(c);
    return reply;
}

static void test_page_beside_installed_exe(void) {
    char prefix[SD_PATH_BYTES], exe[SD_PATH_BYTES], web[SD_PATH_BYTES], log[SD_PATH_BYTES];
    in_tmp(prefix, "inst");
    if (!install_copy(prefix, exe)) {
        CHECK(false);
        return;
    }
    snprintf(web, sizeof web, "%.4000s/share", prefix);
    mkdir(web, 0755);
    strcat(web, "/lede");
    mkdir(web, 0755);
    strcat(web, "/web");
    mkdir(web, 0755);
    free(check_write_file(web, "index.html", "<!doctype html><title>installed page</title>\n"));
    sd_daemon_t d;
    if (!sd_start(&d, exe, db, in_tmp(log, "beside.log"), NULL)) {
        CHECK(false);
        return;
    }
    char *reply = http_get(d.http_port, "/");
    CHECK(reply && strstr(reply, "HTTP/1.1 200") && strstr(reply, "installed page"));
    free(reply);
    char want[SD_PATH_BYTES + 32];
    snprintf(want, sizeof want, "page from %s\n", web);
    CHECK(sd_log_has(&d, want));
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
    CHECK(sd_log_clean(&d));
}

static void test_no_page_refuses_to_start(void) {
    char path[SD_PATH_BYTES];
    snprintf(path, sizeof path, "%s/index.html", install_web_dir);
    if (access(path, F_OK) == 0) {
        printf("skip: %s is installed on this machine, so a page is always found\n", path);
        return;
    }
    char prefix[SD_PATH_BYTES], exe[SD_PATH_BYTES];
    in_tmp(prefix, "bare");
    if (!install_copy(prefix, exe)) {
        CHECK(false);
        return;
    }
    char *argv[] = {exe, "--db", db, "--listen", "127.0.0.1:0", "-o", "http_listen=127.0.0.1:0",
                    NULL};
    char *out = NULL, *err = NULL;
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = 10000}, &out, &err), 1);
    char beside[SD_PATH_BYTES + 32];
    snprintf(beside, sizeof beside, "%s/share/lede/web", prefix);
    CHECK(err && strstr(err, "lede-searchd: no search page to serve: no index.html in "));
    CHECK(err && strstr(err, beside) && strstr(err, install_web_dir));
    CHECK(err && strstr(err, "set http_root") && strstr(err, "http_listen = off"));
    if (err && !strstr(err, beside)) fprintf(stderr, "  got: %s\n", err);
    CHECK(sd_text_clean(err));
    free(out);
    free(err);
    /* Without HTTP no page is needed. */
    sd_daemon_t d;
    char log[SD_PATH_BYTES];
    const char *const off[] = {"-o", "http_listen=off", NULL};
    if (!sd_start(&d, exe, db, in_tmp(log, "bare-off.log"), off)) {
        CHECK(false);
        return;
    }
    CHECK(ping_ok(d.port));
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
}

static void test_http_root_without_page(void) {
    char root[SD_PATH_BYTES], opt[SD_PATH_BYTES + 16];
    in_tmp(root, "empty-root");
    mkdir(root, 0755);
    snprintf(opt, sizeof opt, "http_root=%s", root);
    char *argv[] = {(char *)searchd, "--db", db, "--listen", "127.0.0.1:0", "-o", opt, NULL};
    char *err = NULL;
    CHECK_INT(check_run(argv, &(check_run_opts_t){.timeout_ms = 10000}, NULL, &err), 1);
    char want[SD_PATH_BYTES + 64];
    snprintf(want, sizeof want, "lede-searchd: http_root %s has no index.html", root);
    CHECK(err && strstr(err, want));
    if (err && !strstr(err, want)) fprintf(stderr, "  got: %s\n", err);
    free(err);
}

/* The build tree's lede-searchd serves the source tree's page, as edited. */
static void test_build_tree_serves_source_page(void) {
    sd_daemon_t d;
    char log[SD_PATH_BYTES], path[SD_PATH_BYTES];
    if (!sd_start(&d, searchd, db, in_tmp(log, "build-tree.log"), NULL)) {
        CHECK(false);
        return;
    }
    snprintf(path, sizeof path, "%s/index.html", web_dir);
    char *page = check_read_file(path, NULL);
    char *reply = http_get(d.http_port, "/");
    CHECK(page && reply && strstr(reply, "HTTP/1.1 200") && strstr(reply, page));
    free(page);
    free(reply);
    char real[SD_PATH_BYTES], want[SD_PATH_BYTES + 32];
    snprintf(want, sizeof want, "page from %s\n", realpath(web_dir, real) ? real : web_dir);
    CHECK(sd_log_has(&d, want));
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(
            stderr,
            "usage: test_service LEDE-SEARCHD LEDE-INDEXER GOOD.JSONL WEB-DIR INSTALL-WEB-DIR\n");
        return 2;
    }
    searchd = argv[1], web_dir = argv[4], install_web_dir = argv[5];
    tmp = check_tmpdir("service");
    char *ix[] = {argv[2], "--db", (char *)in_tmp(db, "idx"), "--quiet", argv[3], NULL};
    if (check_run(ix, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    RUN(test_notify_socket_path);
    RUN(test_notify_abstract_socket);
    RUN(test_notify_socket_missing);
    RUN(test_notify_socket_not_a_path);
    RUN(test_page_beside_installed_exe);
    RUN(test_no_page_refuses_to_start);
    RUN(test_http_root_without_page);
    RUN(test_build_tree_serves_source_page);
    if (check_failures == 0)
        check_rmtree(tmp);
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
