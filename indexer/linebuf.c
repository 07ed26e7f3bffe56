/* Bounded lines from chunks (linebuf.h). */
#include "linebuf.h"

#include <stdlib.h>
#include <string.h>

static lede_status_t append(linebuf_t *lb, const char *p, size_t n) {
    if (lb->skipping) {
        lb->skipped += n;
        return LEDE_OK;
    }
    if (lb->len + n > lb->max) {
        lb->skipping = true;
        lb->skipped = lb->len + n;
        lb->len = 0;
        return LEDE_OK;
    }
    if (lb->len + n + 1 > lb->cap) {
        size_t cap = lb->cap ? lb->cap : 4096;
        while (cap < lb->len + n + 1) cap *= 2;
        char *grown = realloc(lb->buf, cap);
        if (!grown) return LEDE_E_NOMEM;
        lb->buf = grown;
        lb->cap = cap;
    }
    memcpy(lb->buf + lb->len, p, n);
    lb->len += n;
    return LEDE_OK;
}

static lede_status_t emit(linebuf_t *lb, linebuf_fn fn, void *ctx) {
    bool over = lb->skipping;
    size_t len = over ? lb->skipped : lb->len;
    uint64_t bytes = lb->part;
    linebuf_reset(lb);
    return fn(ctx, over ? NULL : lb->buf, len, bytes);
}

lede_status_t linebuf_feed(linebuf_t *lb, const char *chunk, size_t n, linebuf_fn fn, void *ctx) {
    lede_status_t st = LEDE_OK;
    while (n > 0 && st == LEDE_OK) {
        const char *nl = memchr(chunk, '\n', n);
        size_t take = nl ? (size_t)(nl - chunk) : n;
        st = append(lb, chunk, take);
        take += nl ? 1 : 0;
        lb->part += take;
        if (st == LEDE_OK && nl) st = emit(lb, fn, ctx);
        chunk += take;
        n -= take;
    }
    return st;
}

lede_status_t linebuf_finish(linebuf_t *lb, linebuf_fn fn, void *ctx) {
    return lb->part > 0 ? emit(lb, fn, ctx) : LEDE_OK;
}

void linebuf_reset(linebuf_t *lb) {
    lb->len = 0;
    lb->skipping = false;
    lb->skipped = 0;
    lb->part = 0;
}

void linebuf_free(linebuf_t *lb) {
    free(lb->buf);
    lb->buf = NULL;
    lb->len = lb->cap = 0;
}

bool linebuf_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}
