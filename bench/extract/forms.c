/* Normalised forms of documents and truth values (forms.h). */
#include "forms.h"

#include <stdlib.h>
#include <string.h>

#include "tokens.h"

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void forms_set_of(const ev_strv_t *values, forms_set_t *out) {
    *out = (forms_set_t){0};
    for (size_t i = 0; i < values->n; i++) {
        char *t = norm_trimmed(values->v[i]);
        if (*t) ev_strv_push(out, t);
        free(t);
    }
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, by_string);
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (kept > 0 && strcmp(out->v[kept - 1], out->v[i]) == 0)
            free(out->v[i]);
        else
            out->v[kept++] = out->v[i];
    }
    out->n = kept;
}

bool forms_set_equal(const forms_set_t *a, const forms_set_t *b) {
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0) return false;
    return true;
}

bool forms_set_has(const forms_set_t *s, const char *trimmed) {
    return s->n > 0 && bsearch(&trimmed, s->v, s->n, sizeof *s->v, by_string) != NULL;
}

/* The blocks of body between blank lines, normalised; empty ones dropped. */
static void paragraphs_of(const char *body, ev_strv_t *out) {
    const char *p = body ? body : "";
    while (*p) {
        /* A blank line: a newline, white space, a newline. */
        const char *end = p, *next = NULL;
        for (; *end; end++) {
            if (*end != '\n') continue;
            const char *q = end + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r') q++;
            if (*q == '\n') {
                next = q + 1;
                break;
            }
        }
        char *raw = ev_xstrndup(p, (size_t)(end - p)), *n = norm_text(raw);
        if (*n) ev_strv_push(out, n);
        free(raw);
        free(n);
        p = next ? next : end;
    }
}

void forms_of_doc(const doc_t *d, doc_forms_t *out) {
    *out = (doc_forms_t){0};
    norm_tokenize(d->title, &out->title);
    norm_tokenize(d->body, &out->body);
    norm_tokenize(d->source, &out->source);
    norm_tokenize(d->category, &out->category);
    paragraphs_of(d->body, &out->paragraphs);
    forms_set_of(&d->authors, &out->authors);
    forms_set_of(&d->places, &out->places);
}

void forms_doc_free(doc_forms_t *f) {
    norm_tokens_free(&f->title);
    norm_tokens_free(&f->body);
    norm_tokens_free(&f->source);
    norm_tokens_free(&f->category);
    ev_strv_free(&f->paragraphs);
    ev_strv_free(&f->authors);
    ev_strv_free(&f->places);
}

static void alts_add(forms_alts_t *a, const char *s) {
    a->v = ev_xrealloc(a->v, (a->n + 1) * sizeof *a->v);
    norm_tokenize(s, &a->v[a->n++]);
}

void forms_alts_of(const char *value, const ev_strv_t *alts, forms_alts_t *out) {
    *out = (forms_alts_t){0};
    if (value) alts_add(out, value);
    for (size_t i = 0; i < alts->n; i++) alts_add(out, alts->v[i]);
}

bool forms_alts_match(const forms_alts_t *a, const norm_tokens_t *t) {
    for (size_t i = 0; i < a->n; i++)
        if (tokens_equal(&a->v[i], t)) return true;
    return false;
}

void forms_alts_free(forms_alts_t *a) {
    for (size_t i = 0; i < a->n; i++) norm_tokens_free(&a->v[i]);
    free(a->v);
    *a = (forms_alts_t){0};
}

void forms_sets_of(const ev_strv_t *value, const ev_strvv_t *alts, forms_sets_t *out) {
    out->n = 1 + alts->n;
    out->v = ev_xmalloc(out->n * sizeof *out->v);
    forms_set_of(value, &out->v[0]);
    for (size_t i = 0; i < alts->n; i++) forms_set_of(&alts->v[i], &out->v[i + 1]);
}

bool forms_sets_match(const forms_sets_t *s, const forms_set_t *got) {
    for (size_t i = 0; i < s->n; i++)
        if (forms_set_equal(&s->v[i], got)) return true;
    return false;
}

bool forms_sets_hold(const forms_sets_t *s, const char *trimmed) {
    for (size_t i = 0; i < s->n; i++)
        if (forms_set_has(&s->v[i], trimmed)) return true;
    return false;
}

void forms_sets_free(forms_sets_t *s) {
    for (size_t i = 0; i < s->n; i++) ev_strv_free(&s->v[i]);
    free(s->v);
    *s = (forms_sets_t){0};
}
