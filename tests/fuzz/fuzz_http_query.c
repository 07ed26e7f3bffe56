/* Fuzz target for the HTTP API's query strings (searchd/http_params.c):
 * the first byte picks the op (search, get, similar, suggest), the bytes
 * up to a newline are the raw query string, and what follows the newline
 * (if any) the document id of the path, as lede-searchd passes them.
 * Like the daemon, a request that converts is given to the protocol
 * parser as an object; it must also survive as a line (it is JSON the
 * line parser reads the same way), and every error must carry a message
 * a JSON reply can hold (UTF-8). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../searchd/config.h"
#include "../../searchd/http_params.h"
#include "lede/article.h"
#include "lede/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *m) {
    size_t bad;
    if (!m[0] || !utf8_valid(m, strlen(m), &bad)) abort();
}

/* The line protocol's reading of the converted request. */
static void parse_converted(json_t *jreq) {
    static proto_limits_t limits;
    if (!limits.max_line) {
        config_t *c = malloc(sizeof *c);
        if (!c) abort();
        config_defaults(c);
        limits = (proto_limits_t){.max_line = c->max_line_bytes,
                                  .max_limit = (uint32_t)c->max_limit,
                                  .max_offset = (uint32_t)c->max_offset,
                                  .default_limit = (uint32_t)c->default_limit};
        free(c);
    }
    proto_request_t req;
    proto_error_t err;
    proto_result_t as_object = proto_parse_object(json_incref(jreq), &limits, &req, &err);
    if (as_object == PROTO_OK)
        proto_request_free(&req);
    else
        proto_error_free(&err);
    size_t len = 0, used;
    char *line = request_reply_line(jreq, &len);
    if (!line) return;
    proto_result_t r = proto_parse(line, len, &limits, &req, &used, &err);
    if (r != as_object) abort(); /* one parser: the same verdict both ways */
    if (r == PROTO_OK) {
        proto_request_free(&req);
    } else {
        /* Bytes JSON or the parser cannot take should have been refused. */
        if (err.code == PROTO_E_BAD_JSON || err.code == PROTO_E_INVALID_UTF8 ||
            err.code == PROTO_E_NUL_BYTE || r == PROTO_NEED_MORE)
            abort();
        check_message(err.message);
        proto_error_free(&err);
    }
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const proto_op_t OPS[] = {PROTO_OP_SEARCH, PROTO_OP_GET, PROTO_OP_SIMILAR,
                                     PROTO_OP_SUGGEST};
    if (size < 1) return 0;
    char *text = malloc(size); /* the bytes after the op, NUL-terminated */
    if (!text) return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *nl = strchr(text, '\n'), *doc = NULL;
    if (nl) *nl = '\0', doc = nl + 1;
    proto_error_t e;
    json_t *jreq = http_params_request(OPS[data[0] & 3], text, doc, &e);
    if (jreq)
        parse_converted(jreq);
    else if (e.code == PROTO_E_NONE)
        abort();
    else
        check_message(e.message);
    free(text);
    return 0;
}
