/* Fuzz target for the JSON form of the line protocol (common/protocol.c):
 * the input is one request line (a newline in it is read as a space), with
 * the daemon's default limits. What the parser hands on must hold what
 * the executor relies on, and an error's message must fit in a JSON reply
 * (UTF-8); a request that breaks either aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lede/article.h"
#include "lede/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const proto_limits_t LIMITS = {
    .max_line = 65536, .max_limit = 100, .max_offset = 10000, .default_limit = 10};

static void check_string(const char *s) {
    size_t bad;
    if (s && !utf8_valid(s, strlen(s), &bad)) abort();
}

/* What every parsed request promises the executor. */
static void check_request(const proto_request_t *r) {
    const search_params_t *p = &r->search;
    if (r->limit > LIMITS.max_limit || r->offset > LIMITS.max_offset) abort();
    if (p->limit > LIMITS.max_limit || p->offset > LIMITS.max_offset) abort();
    if ((r->op == PROTO_OP_GET || r->op == PROTO_OP_SIMILAR) && (!r->doc || !*r->doc)) abort();
    if (r->op == PROTO_OP_SUGGEST && (!r->prefix || !*r->prefix)) abort();
    if (p->n_facets > sizeof r->facets / sizeof r->facets[0]) abort();
    for (size_t i = 0; i < p->n_facets; i++) check_string(p->facets[i]);
    for (int k = 0; k < LEDE_FIELD_COUNT; k++) {
        if (p->filter_counts[k] > sizeof r->values[k] / sizeof r->values[k][0]) abort();
        for (size_t i = 0; i < p->filter_counts[k]; i++) check_string(p->filter_values[k][i]);
    }
    check_string(p->q);
    check_string(p->date_from);
    check_string(p->date_to);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *line = malloc(size + 1);
    if (!line) return 0;
    for (size_t i = 0; i < size; i++) line[i] = data[i] == '\n' ? ' ' : (char)data[i];
    line[size] = '\n';
    proto_request_t req, moved;
    proto_error_t err;
    size_t used = 0;
    proto_result_t r = proto_parse(line, size + 1, &LIMITS, &req, &used, &err);
    if (r == PROTO_OK) {
        proto_request_move(&moved, &req); /* as a connection queues it */
        check_request(&moved);
        proto_request_free(&moved);
    } else {
        if (r != PROTO_NEED_MORE && (err.code == PROTO_E_NONE || !err.message[0])) abort();
        check_string(err.message); /* a JSON reply carries it */
        proto_error_free(&err);
    }
    free(line);
    return 0;
}
