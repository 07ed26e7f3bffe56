/* evhttp's error pages rewritten as JSON (see http_errpage.h). */
#include "http_errpage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lede/request.h"

/* Enough of the output to hold the status line and the headers. */
#define ERRPAGE_HEAD_BYTES 1024

typedef struct {
    int status;
    proto_error_code_t code;
    const char *message;
} errpage_t;

static const errpage_t PAGES[] = {
    {400, PROTO_E_BAD_REQUEST,
     "the request could not be read as HTTP: a malformed request line or "
     "header, or a request line or headers over max_line_bytes"},
    {413, PROTO_E_LINE_TOO_LONG, "the request's headers or body are over max_line_bytes"},
    {417, PROTO_E_BAD_REQUEST, "the Expect header asks for something this server does not do"},
};

static const errpage_t *page_of(int status) {
    static const errpage_t OTHER = {0, PROTO_E_BAD_REQUEST, "the request was refused"};
    for (size_t i = 0; i < sizeof PAGES / sizeof PAGES[0]; i++)
        if (PAGES[i].status == status) return &PAGES[i];
    return &OTHER;
}

/* Whether head (NUL-terminated, the start of a reply) is an HTML reply of
 * status 400 or more; its status and reason phrase then. */
static bool is_error_page(const char *head, int *status, char reason[64]) {
    int n = 0;
    if (sscanf(head, "HTTP/1.%*d %3d %63[^\r\n]%n", status, reason, &n) != 2 || *status < 400)
        return false;
    const char *end = strstr(head, "\r\n\r\n");
    for (const char *p = strstr(head, "\r\n"); p && (!end || p < end); p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, "Content-Type: text/html", 23) == 0) return true;
    return false;
}

int http_errpage_rewrite(struct evbuffer *out, proto_error_code_t *code) {
    size_t len = evbuffer_get_length(out), n = len < ERRPAGE_HEAD_BYTES ? len : ERRPAGE_HEAD_BYTES;
    char head[ERRPAGE_HEAD_BYTES + 1], reason[64];
    int status = 0;
    if (evbuffer_copyout(out, head, n) != (ev_ssize_t)n) return 0;
    head[n] = '\0';
    if (!is_error_page(head, &status, reason)) return 0;
    const errpage_t *page = page_of(status);
    size_t body_len = 0;
    char *body = request_error_line(NULL, page->code, page->message, &body_len);
    if (!body) return 0;
    evbuffer_drain(out, len);
    evbuffer_add_printf(
        out,
        "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        status, reason, body_len);
    evbuffer_add(out, body, body_len);
    free(body);
    *code = page->code;
    return status;
}
