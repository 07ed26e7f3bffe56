/* The search page's files, straight from http_root. Only plain names in
 * that one directory are served (no '/', no leading '.'), so no request
 * can reach outside it; the kernel sends the bytes (evbuffer_add_file). */
#include "http_static.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LEDE_WEB_DIR
#define LEDE_WEB_DIR "web"
#endif

typedef struct {
    const char *ext, *type;
} mime_t;

static const mime_t MIME[] = {
    {".html", "text/html; charset=utf-8"},      {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},  {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},                  {".png", "image/png"},
    {".ico", "image/x-icon"},                   {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},                   {".webmanifest", "application/manifest+json"},
};

/* The page's own defence against injected markup: only its own scripts
 * and styles run, nothing is framed or posted elsewhere. */
static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'";

const char *http_static_root(const config_t *c) {
    return c->http_root[0] ? c->http_root : LEDE_WEB_DIR;
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
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull + (unsigned long long)st->st_mtim.tv_nsec);
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
