/* The search page's files, straight from http_root. Only plain names in
 * that one directory are served (no '/', no leading '.'), so no request
 * can reach outside it; the kernel sends the bytes (evbuffer_add_file).
 * With http_root empty, the page is looked for where it was installed or
 * in the source tree (http_static_resolve). */
#include "http_static.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The source tree's web/, the build tree, and the page's install path
 * (CMAKE_INSTALL_FULL_DATADIR/lede/web), all fixed by CMake. */
#ifndef LEDE_WEB_DIR
#define LEDE_WEB_DIR "web"
#endif
#ifndef LEDE_BUILD_DIR
#define LEDE_BUILD_DIR ""
#endif
#ifndef LEDE_WEB_INSTALL_DIR
#define LEDE_WEB_INSTALL_DIR "/usr/local/share/lede/web"
#endif

/* The page's place relative to the installed lede-searchd: PREFIX/sbin
 * (or bin) beside PREFIX/share/lede/web. */
#define WEB_FROM_PREFIX "/share/lede/web"

typedef struct {
    const char *ext, *type;
} mime_t;

static const mime_t MIME[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
    {".webmanifest", "application/manifest+json"},
};

/* The page's own defence against injected markup: only its own scripts
 * and styles run, nothing is framed or posted elsewhere. */
static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

const char *http_static_root(const config_t *c) {
    return c->http_root[0] ? c->http_root : LEDE_WEB_DIR;
}

/* Whether dir holds the page (an index.html). */
static bool has_page(const char *dir) {
    char file[CONFIG_PATH_MAX + 16];
    snprintf(file, sizeof file, "%s/index.html", dir);
    return access(file, R_OK) == 0;
}

/* The directory of the running executable, resolved; false if unknown. */
static bool exe_dir(char out[PATH_MAX]) {
    if (!realpath("/proc/self/exe", out)) return false;
    char *slash = strrchr(out, '/');
    if (!slash) return false;
    *slash = '\0';
    return true;
}

/* PREFIX/share/lede/web for an executable in PREFIX/sbin (or bin). */
static void web_beside(char dir[PATH_MAX], char *out, size_t size) {
    char *up = strrchr(dir, '/');
    if (up) *up = '\0';
    snprintf(out, size, "%s%s", dir, WEB_FROM_PREFIX);
}

/* Whether the running lede-searchd is the one in the build tree (tests,
 * the quick start): then the page is the source tree's, as edited. */
static bool in_build_tree(const char *dir) {
    char build[PATH_MAX];
    if (!LEDE_BUILD_DIR[0] || !realpath(LEDE_BUILD_DIR, build)) return false;
    size_t n = strlen(build);
    return strncmp(dir, build, n) == 0 && (dir[n] == '/' || dir[n] == '\0');
}

/* Sets c->http_root to the first candidate that has the page, else
 * lists the candidates in tried. */
static bool find_page(config_t *c, const char *const *dirs, size_t n, char *tried, size_t size) {
    tried[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char real[PATH_MAX];
        const char *dir = realpath(dirs[i], real) ? real : dirs[i];
        if (has_page(dir)) {
            snprintf(c->http_root, sizeof c->http_root, "%s", dir);
            return true;
        }
        size_t used = strlen(tried);
        snprintf(tried + used, size - used, "%s%s", i ? ", " : "", dir);
    }
    return false;
}

lede_status_t http_static_resolve(config_t *c, lede_err_t *err) {
    if (!c->http_enabled) return LEDE_OK;
    if (c->http_root[0]) {
        if (has_page(c->http_root)) return LEDE_OK;
        return lede_errf(err, LEDE_E_OPEN,
                         "http_root %s has no index.html (set http_root to the search page's "
                         "directory, or http_listen = off)",
                         c->http_root);
    }
    char exe[PATH_MAX], beside[PATH_MAX + sizeof WEB_FROM_PREFIX];
    const char *dirs[2];
    size_t n = 0;
    bool known = exe_dir(exe);
    if (known && in_build_tree(exe)) {
        dirs[n++] = LEDE_WEB_DIR;
    } else {
        if (known) web_beside(exe, beside, sizeof beside), dirs[n++] = beside;
        dirs[n++] = LEDE_WEB_INSTALL_DIR;
    }
    char tried[2 * PATH_MAX + 8];
    if (find_page(c, dirs, n, tried, sizeof tried)) return LEDE_OK;
    return lede_errf(err, LEDE_E_OPEN,
                     "no search page to serve: no index.html in %s (set http_root to the search "
                     "page's directory, or http_listen = off)",
                     tried);
}

static const char *mime_of(const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof MIME / sizeof MIME[0]; i++) {
        size_t e = strlen(MIME[i].ext);
        if (n > e && strcmp(name + n - e, MIME[i].ext) == 0) return MIME[i].type;
    }
    return NULL;
}

static bool plain_name(const char *name) {
    size_t n = strlen(name);
    return n > 0 && n < 200 && name[0] != '.' &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* An ETag from size and modification time: cheap, and it changes when the
 * file is rewritten. */
static void make_etag(const struct stat *st, char *out, size_t size) {
    snprintf(out, size, "\"%llx-%llx\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st->st_mtim.tv_nsec);
}

static void add_headers(struct evkeyvalq *h, const char *type, const char *etag) {
    evhttp_add_header(h, "Content-Type", type);
    evhttp_add_header(h, "Cache-Control", "no-cache");
    evhttp_add_header(h, "ETag", etag);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Referrer-Policy", "no-referrer");
    if (strncmp(type, "text/html", 9) == 0) evhttp_add_header(h, "Content-Security-Policy", CSP);
}

int http_static_serve(struct evhttp_request *req, const config_t *c, const char *path) {
    const char *name = strcmp(path, "/") == 0 ? "index.html" : path + 1;
    const char *type = mime_of(name);
    if (!plain_name(name) || !type) return 404;
    char file[CONFIG_PATH_MAX + 256];
    snprintf(file, sizeof file, "%s/%s", http_static_root(c), name);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        if (fd >= 0) close(fd);
        return e == ENOENT || e == ENOTDIR || fd >= 0 ? 404 : 500;
    }
    char etag[64];
    make_etag(&st, etag, sizeof etag);
    add_headers(evhttp_request_get_output_headers(req), type, etag);
    const char *match = evhttp_find_header(evhttp_request_get_input_headers(req), "If-None-Match");
    if (match && strcmp(match, etag) == 0) {
        close(fd);
        evhttp_send_reply(req, 304, "Not Modified", NULL);
        return 304;
    }
    struct evbuffer *body = evbuffer_new();
    if (!body || evbuffer_add_file(body, fd, 0, st.st_size) != 0) { /* takes fd, even on failure */
        if (body) evbuffer_free(body);
        return 500;
    }
    evhttp_send_reply(req, 200, "OK", body);
    evbuffer_free(body);
    return 200;
}
