/* The extraction trace: three growing arrays of records whose strings the
 * trace owns. See extract_trace.h. */
#include "extract_trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ex_trace {
    ex_trace_block_t *blocks;
    size_t n_blocks, cap_blocks;
    ex_trace_field_t *fields;
    size_t n_fields, cap_fields;
    char **notes;
    size_t n_notes, cap_notes;
    bool failed;
};

static const char *const ROLE_NAMES[EX_ROLE_COUNT] = {
    [EX_ROLE_BODY] = "body",           [EX_ROLE_TITLE] = "title",     [EX_ROLE_META] = "meta",
    [EX_ROLE_FURNITURE] = "furniture", [EX_ROLE_CAPTION] = "caption", [EX_ROLE_SIDEBAR] = "sidebar",
    [EX_ROLE_SKIPPED] = "skipped",
};

const char *ex_role_name(ex_role_t role) {
    return role < EX_ROLE_COUNT ? ROLE_NAMES[role] : "unknown";
}

ex_trace_t *ex_trace_new(void) {
    return calloc(1, sizeof(ex_trace_t));
}

void ex_trace_free(ex_trace_t *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n_blocks; i++) {
        free((char *)t->blocks[i].where);
        free((char *)t->blocks[i].text);
        free((char *)t->blocks[i].reason);
    }
    for (size_t i = 0; i < t->n_fields; i++) {
        free((char *)t->fields[i].field);
        free((char *)t->fields[i].value);
        free((char *)t->fields[i].origin);
    }
    for (size_t i = 0; i < t->n_notes; i++) free(t->notes[i]);
    free(t->blocks);
    free(t->fields);
    free(t->notes);
    free(t);
}

bool ex_trace_failed(const ex_trace_t *t) {
    return t && t->failed;
}

/* Makes room for one more element of size `size` in *v; false (and the
 * trace marked failed) when out of memory. */
static bool grow(ex_trace_t *t, void **v, size_t n, size_t *cap, size_t size) {
    if (t->failed) return false;
    if (n < *cap) return true;
    size_t want = *cap ? *cap * 2 : 16;
    void *bigger = realloc(*v, want * size);
    if (!bigger) {
        t->failed = true;
        return false;
    }
    *v = bigger;
    *cap = want;
    return true;
}

static char *format(ex_trace_t *t, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    if (!s) t->failed = true;
    return s;
}

static char *copy(ex_trace_t *t, const char *s, size_t n) {
    char *c = malloc(n + 1);
    if (!c) {
        t->failed = true;
        return NULL;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* n cut back to at most max bytes without splitting a UTF-8 character. */
static size_t cut_utf8(const char *s, size_t n, size_t max) {
    if (n <= max) return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

void ex_trace_block(ex_trace_t *t, const char *where, const char *text, size_t len, ex_role_t role,
                    size_t article, const char *reason_fmt, ...) {
    if (!t || !grow(t, (void **)&t->blocks, t->n_blocks, &t->cap_blocks, sizeof *t->blocks)) return;
    size_t keep = cut_utf8(text, len, EX_TRACE_TEXT_BYTES);
    va_list ap;
    va_start(ap, reason_fmt);
    ex_trace_block_t b = {
        copy(t, where, strlen(where)), copy(t, text, keep), keep < len, role, article,
        format(t, reason_fmt, ap)};
    va_end(ap);
    if (t->failed) {
        free((char *)b.where), free((char *)b.text), free((char *)b.reason);
        return;
    }
    t->blocks[t->n_blocks++] = b;
}

void ex_trace_field(ex_trace_t *t, size_t article, const char *field, const char *value,
                    const char *origin_fmt, ...) {
    if (!t || !value ||
        !grow(t, (void **)&t->fields, t->n_fields, &t->cap_fields, sizeof *t->fields))
        return;
    va_list ap;
    va_start(ap, origin_fmt);
    ex_trace_field_t f = {article, copy(t, field, strlen(field)), copy(t, value, strlen(value)),
                          format(t, origin_fmt, ap)};
    va_end(ap);
    if (t->failed) {
        free((char *)f.field), free((char *)f.value), free((char *)f.origin);
        return;
    }
    t->fields[t->n_fields++] = f;
}

void ex_trace_note(ex_trace_t *t, const char *fmt, ...) {
    if (!t || !grow(t, (void **)&t->notes, t->n_notes, &t->cap_notes, sizeof *t->notes)) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = format(t, fmt, ap);
    va_end(ap);
    if (s) t->notes[t->n_notes++] = s;
}

size_t ex_trace_n_blocks(const ex_trace_t *t) {
    return t->n_blocks;
}
const ex_trace_block_t *ex_trace_get_block(const ex_trace_t *t, size_t i) {
    return i < t->n_blocks ? &t->blocks[i] : NULL;
}
size_t ex_trace_n_fields(const ex_trace_t *t) {
    return t->n_fields;
}
const ex_trace_field_t *ex_trace_get_field(const ex_trace_t *t, size_t i) {
    return i < t->n_fields ? &t->fields[i] : NULL;
}
size_t ex_trace_n_notes(const ex_trace_t *t) {
    return t->n_notes;
}
const char *ex_trace_get_note(const ex_trace_t *t, size_t i) {
    return i < t->n_notes ? t->notes[i] : NULL;
}
