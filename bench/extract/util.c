/* Memory and string lists for the extraction scorer (util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ev_out_of_memory(void) {
    fputs("lede-extract-eval: out of memory\n", stderr);
    exit(2);
}

void *ev_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) ev_out_of_memory();
    return p;
}

void *ev_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) ev_out_of_memory();
    return q;
}

char *ev_xstrndup(const char *s, size_t n) {
    char *d = ev_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ev_xstrdup(const char *s) {
    return ev_xstrndup(s, strlen(s));
}

static char *vformat(const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) n = 0;
    char *s = ev_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *ev_sprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    return s;
}

void ev_strv_push(ev_strv_t *l, const char *s) {
    l->v = ev_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = ev_xstrdup(s);
}

void ev_strv_free(ev_strv_t *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

ev_strv_t *ev_strvv_add(ev_strvv_t *l) {
    l->v = ev_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n] = (ev_strv_t){0};
    return &l->v[l->n++];
}

void ev_strvv_free(ev_strvv_t *l) {
    for (size_t i = 0; i < l->n; i++) ev_strv_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void ev_buf_add(ev_buf_t *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = ev_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ev_buf_addf(ev_buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    ev_buf_add(b, s, strlen(s));
    free(s);
}

char *ev_buf_take(ev_buf_t *b) {
    char *s = b->s ? b->s : ev_xstrdup("");
    *b = (ev_buf_t){0};
    return s;
}
