/* Claims: what a page says about itself, each with where it was read and
 * what it is worth, gathered before any field is chosen, so that what the
 * page declares can win over what is only printed, and --explain can show
 * every candidate. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract_html.h"

static const char *const FIELD_NAMES[HC_FIELD_COUNT] = {
    [HC_TITLE] = "title",       [HC_AUTHOR] = "author", [HC_DATE] = "date",
    [HC_MODIFIED] = "modified", [HC_SITE] = "site",     [HC_SECTION] = "section",
    [HC_TAG] = "tag",           [HC_URL] = "url",       [HC_LANG] = "language",
    [HC_TYPE] = "type",
};

const char *html_field_name(hc_field_t field) {
    return field < HC_FIELD_COUNT ? FIELD_NAMES[field] : "?";
}

/* value[0..len) with white space collapsed into a new string. */
static char *clean(const char *value, size_t len) {
    html_buf_t b = {0};
    html_buf_text(&b, value, len);
    if (b.failed) {
        html_buf_free(&b);
        return NULL;
    }
    while (b.len > 0 && b.s[b.len - 1] == ' ') b.s[--b.len] = '\0';
    return b.s ? b.s : strdup("");
}

void html_claim(html_claims_t *c, hc_field_t field, hc_rank_t rank, const char *value, size_t len,
                const char *origin_fmt, ...) {
    if (c->failed || !value || c->n >= HC_MAX_CLAIMS) return;
    len = html_trim(&value, len);
    if (len == 0 || len > HC_VALUE_MAX_BYTES) return;
    if (c->n == c->cap) {
        size_t want = c->cap ? c->cap * 2 : 32;
        html_claim_t *bigger = realloc(c->v, want * sizeof *bigger);
        if (!bigger) {
            c->failed = true;
            return;
        }
        c->v = bigger, c->cap = want;
    }
    char origin[160];
    va_list ap;
    va_start(ap, origin_fmt);
    vsnprintf(origin, sizeof origin, origin_fmt, ap);
    va_end(ap);
    html_claim_t *cl = &c->v[c->n];
    *cl = (html_claim_t){field, rank, 0, false, clean(value, len), strdup(origin)};
    if (!cl->value || !cl->origin) {
        free(cl->value), free(cl->origin);
        c->failed = true;
        return;
    }
    if (*cl->value)
        c->n++;
    else
        free(cl->value), free(cl->origin);
}

void html_claim_shown(html_claims_t *c, hc_field_t field, hc_rank_t rank, const char *value,
                      const char *origin_fmt, const char *arg) {
    size_t before = c->n;
    html_claim(c, field, rank, value, strlen(value), origin_fmt, arg);
    if (c->n > before) c->v[before].shown = true;
}

void html_claims_free(html_claims_t *c) {
    for (size_t i = 0; i < c->n; i++) free(c->v[i].value), free(c->v[i].origin);
    free(c->v);
    *c = (html_claims_t){0};
}

bool html_claim_before(const html_claim_t *a, const html_claim_t *b) {
    return a->rank < b->rank || (a->rank == b->rank && a->order < b->order);
}

const html_claim_t *html_claims_best(const html_claims_t *c, hc_field_t field) {
    const html_claim_t *best = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].field == field && (!best || html_claim_before(&c->v[i], best))) best = &c->v[i];
    return best;
}
