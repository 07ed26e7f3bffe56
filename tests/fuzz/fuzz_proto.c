/* Fuzz target for the line protocol (common/protocol.c): a stream of bytes
 * as a connection receives it, parsed request after request the way a
 * connection does, consuming what each call reports. Small limits, so the
 * over-long line and the over-limit numbers are within reach. An error
 * whose message a JSON reply cannot carry (empty, or not UTF-8) aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lede/article.h"
#include "lede/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const proto_error_t *err) {
    size_t bad;
    if (err->code == PROTO_E_NONE || !err->message[0]) abort();
    if (!utf8_valid(err->message, strlen(err->message), &bad)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const proto_limits_t LIMITS = {
        .max_line = 512, .max_limit = 100, .max_offset = 1000, .default_limit = 10};
    const char *buf = (const char *)data;
    for (size_t off = 0; off < size;) {
        proto_request_t req;
        proto_error_t err;
        size_t used = 0;
        proto_result_t r = proto_parse(buf + off, size - off, &LIMITS, &req, &used, &err);
        if (used > size - off) abort(); /* consumed bytes it was not given */
        if (r == PROTO_ERROR || r == PROTO_FATAL) check_error(&err);
        if (r == PROTO_OK)
            proto_request_free(&req);
        else
            proto_error_free(&err);
        if (r == PROTO_NEED_MORE || r == PROTO_FATAL || used == 0) break;
        off += used;
    }
    return 0;
}
