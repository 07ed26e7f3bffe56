/* extract_text(): the steps of extract_parts.h put together: units, the
 * detectors, the layout, the fields of each story; then the trace of every
 * unit for --explain and the hand-over of the articles to the caller. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_parts.h"

/* Room for "#" and a decimal item number after the base id. */
#define ITEM_SUFFIX_BYTES 24

static lede_status_t check_input(const char *text, size_t len, const char *base_id,
                                 lede_err_t *err) {
    size_t bad;
    const char *nul;
    if (!base_id || !*base_id) return lede_errf(err, LEDE_E_INVALID, "no id for the page");
    if (!text || len == 0) return lede_errf(err, LEDE_E_INVALID, "empty page");
    if (!utf8_valid(text, len, &bad))
        return lede_errf(err, LEDE_E_INVALID, "invalid UTF-8 at byte %zu", bad);
    if ((nul = memchr(text, '\0', len)) != NULL)
        return lede_errf(err, LEDE_E_INVALID, "NUL byte at byte %zu: not a text page",
                         (size_t)(nul - text));
    return LEDE_OK;
}

/* Why a page has no article, in the words of the unit kinds it holds. */
static lede_status_t no_article(const ex_page_t *page, lede_err_t *err) {
    size_t text = 0, other = 0;
    for (size_t i = 0; i < page->n; i++) {
        const ex_unit_t *u = &page->u[i];
        if (u->role == EX_ROLE_SKIPPED) continue;
        if (u->role == EX_ROLE_FURNITURE && u->kind != EX_K_TEXT)
            other++;
        else
            text++;
    }
    if (page->n == 0)
        return lede_errf(err, LEDE_E_INVALID, "%s (the page is blank)", EXTRACT_NO_ARTICLE);
    if (text == 0)
        return lede_errf(err, LEDE_E_INVALID, "%s (only separators and site furniture)",
                         EXTRACT_NO_ARTICLE);
    return lede_errf(err, LEDE_E_INVALID, "%s (no paragraph of text among %zu lines)",
                     EXTRACT_NO_ARTICLE, text + other);
}

static void trace_units(const ex_page_t *page, ex_trace_t *t) {
    if (!t) return;
    if (page->prefix_date[0])
        ex_trace_note(t, "a crawler's date prefix on the first line: %s", page->prefix_date);
    if (page->wrap)
        ex_trace_note(t, "hard-wrapped at %u columns: lines joined into paragraphs", page->wrap);
    for (size_t i = 0; i < page->n; i++) {
        const ex_unit_t *u = &page->u[i];
        char where[32];
        if (u->first == u->last)
            snprintf(where, sizeof where, "line %u", u->first);
        else
            snprintf(where, sizeof where, "lines %u-%u", u->first, u->last);
        ex_trace_block(t, where, u->s, u->len, u->role, u->article, "%s", u->why);
    }
}

/* A title made from the first sentence, for a story without a headline. */
static lede_status_t made_title(lede_article_t *a, ex_trace_t *t, size_t k) {
    ex_dateline_t d;
    if (a->title || !a->body) return LEDE_OK;
    const char *from = a->body;
    if (ex_dateline(from, strcspn(from, "\n"), &d) && d.len > 0)
        from += d.len; /* after "CITY (AP) -" */
    if (!(a->title = ex_title_from_text(from))) return LEDE_E_NOMEM;
    a->title_from_body = true;
    ex_trace_field(t, k, "title", a->title, "made from the first sentence: no headline");
    return LEDE_OK;
}

/* Story k as an article: fields, id, and for later stories the page's
 * source when they name none. An invalid later story is dropped (*keep
 * false): losing it must not lose the main article. */
static lede_status_t make_article(const ex_page_t *page, const ex_layout_t *l, size_t k,
                                  const char *base_id, const lede_article_t *main_a,
                                  lede_article_t *a, ex_trace_t *t, bool *keep, lede_err_t *err) {
    lede_err_t item_err; /* why a later story is dropped: not reported */
    article_init(a);
    *keep = false;
    lede_status_t st = ex_fields(page, l, k, a, t);
    if (st == LEDE_OK) st = made_title(a, t, k);
    if (st != LEDE_OK) return st;
    if (!a->body && k > 0) return LEDE_OK;
    if (!a->body) return lede_errf(err, LEDE_E_INVALID, EXTRACT_NO_ARTICLE);
    size_t id_bytes = strlen(base_id) + ITEM_SUFFIX_BYTES;
    if (!(a->id = malloc(id_bytes))) return LEDE_E_NOMEM;
    if (k == 0)
        snprintf(a->id, id_bytes, "%s", base_id);
    else
        snprintf(a->id, id_bytes, "%s#%zu", base_id, k + 1);
    if (k > 0 && !a->source && main_a->source && !(a->source = strdup(main_a->source)))
        return LEDE_E_NOMEM;
    st = article_validate(a, k == 0 ? err : &item_err);
    *keep = st == LEDE_OK;
    return k > 0 && st == LEDE_E_INVALID ? LEDE_OK : st;
}

static lede_status_t make_articles(const ex_page_t *page, const ex_layout_t *l, const char *base_id,
                                   ex_trace_t *t, lede_article_t **out, size_t *n,
                                   lede_err_t *err) {
    lede_article_t *arts = calloc(l->n, sizeof *arts);
    if (!arts) return LEDE_E_NOMEM;
    lede_status_t st = LEDE_OK;
    size_t kept = 0;
    for (size_t k = 0; k < l->n && st == LEDE_OK; k++) {
        bool keep;
        st = make_article(page, l, k, base_id, &arts[0], &arts[kept], t, &keep, err);
        if (keep)
            kept++;
        else if (k > 0)
            article_free(&arts[kept]);
    }
    if (st != LEDE_OK) {
        for (size_t i = 0; i <= kept && i < l->n; i++) article_free(&arts[i]);
        free(arts);
        return st;
    }
    *out = arts;
    *n = kept;
    return LEDE_OK;
}

lede_status_t extract_text(const char *text, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           lede_err_t *err) {
    ex_trace_t *t = opts ? opts->trace : NULL;
    ex_page_t page;
    ex_layout_t layout = {0};
    *out = NULL;
    *n = 0;
    lede_status_t st = check_input(text, len, base_id, err);
    if (st != LEDE_OK) return st;
    st = ex_page_split(text, len, t != NULL, &page);
    if (st == LEDE_OK) {
        ex_classify(&page, opts ? opts->learned : NULL);
        st = ex_layout(&page, &layout);
    }
    if (st == LEDE_OK && layout.n == 0) st = no_article(&page, err);
    if (st == LEDE_OK) st = make_articles(&page, &layout, base_id, t, out, n, err);
    trace_units(&page, t);
    ex_layout_free(&layout);
    ex_page_free(&page);
    if (st == LEDE_E_NOMEM) lede_errf(err, LEDE_E_NOMEM, "out of memory");
    return st;
}

char *extract_reflow(const char *text, size_t len) {
    ex_page_t page;
    if (ex_page_split_as(text, len, false, true, &page) != LEDE_OK) return NULL;
    size_t total = 1;
    for (size_t i = 0; i < page.n; i++) total += page.u[i].len + 2;
    char *out = malloc(total), *p = out;
    for (size_t i = 0; out && i < page.n; i++) {
        /* A paragraph starts after a blank line or at an indent; lines the
         * text kept apart (quotes, tables, one-line items) stay one line
         * break apart, as they came. */
        const ex_unit_t *u = &page.u[i];
        if (p > out) *p++ = '\n';
        if (p > out + 1 && (u->gap_before || (u->indented && !u->set_apart))) *p++ = '\n';
        memcpy(p, page.u[i].s, page.u[i].len);
        p += page.u[i].len;
    }
    if (out) *p = '\0';
    ex_page_free(&page);
    return out;
}
