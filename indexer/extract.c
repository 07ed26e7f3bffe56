/* extract_text(): the steps of extract_parts.h put together, then the
 * finishing touches that need the whole body (datelines, the source named
 * in the text) and the hand-over of the articles to the caller. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_parts.h"

/* Room for "#" and a decimal item number after the base id. */
#define ITEM_SUFFIX_BYTES 24

static lede_status_t fail(char *why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, ARTICLE_WHY_BYTES, fmt, ap);
    va_end(ap);
    return LEDE_E_INVALID;
}

static lede_status_t check_input(const char *text, size_t len, const char *base_id, char *why) {
    size_t bad;
    const char *nul;
    if (!base_id || !*base_id) return fail(why, "no id for the page");
    if (!text || len == 0) return fail(why, "empty page");
    if (!utf8_valid(text, len, &bad)) return fail(why, "invalid UTF-8 at byte %zu", bad);
    if ((nul = memchr(text, '\0', len)) != NULL)
        return fail(why, "NUL byte at byte %zu", (size_t)(nul - text));
    return LEDE_OK;
}

/* Why a page without a text line has no title. */
static lede_status_t no_title(const ex_page_t *page, char *why) {
    for (size_t i = 0; i < page->n; i++)
        if (page->lines[i].kind != EX_BLANK)
            return fail(why, "no title: the page holds only separators and site furniture");
    return fail(why, "no title: the page is blank");
}

/* Moves the body out of its buffer; an empty body stays NULL. */
static lede_status_t take_body(ex_piece_t *p) {
    if (p->body.failed) return LEDE_E_NOMEM;
    if (p->body.len > 0) p->a.body = p->body.s, p->body.s = NULL;
    return LEDE_OK;
}

/* Datelines lead the story, so only the first paragraph is read for one;
 * the source may be named anywhere in the text. */
static lede_status_t finish_from_body(lede_article_t *a) {
    const char *end = strstr(a->body, "\n\n");
    size_t first = end ? (size_t)(end - a->body) : strlen(a->body);
    char iso[EX_DATE_BYTES], source[EX_SOURCE_BYTES];
    lede_status_t st = ex_source_dateline(a->body, first, a);
    if (st == LEDE_OK && !a->date && ex_date_weekday_paren(a->body, first, iso) &&
        !(a->date = strdup(iso)))
        st = LEDE_E_NOMEM;
    if (st == LEDE_OK && !a->source && ex_source_in_text(a->body, source) &&
        !(a->source = strdup(source)))
        st = LEDE_E_NOMEM;
    return st;
}

static lede_status_t finish_main(ex_piece_t *p, const char *title, const char *base_id, char *why) {
    lede_article_t *a = &p->a;
    if (!(a->id = strdup(base_id)) || !(a->title = strdup(title))) return LEDE_E_NOMEM;
    lede_status_t st = take_body(p);
    if (st == LEDE_OK && a->body) st = finish_from_body(a);
    return st == LEDE_OK ? article_validate(a, why) : st;
}

/* A sidebar item gets a title from its first sentence, the next number
 * after the base id, and the page's source. An item without text, or one
 * whose id validation refuses (a base id near the length limit), is
 * dropped: losing an item must not lose the main article. */
static lede_status_t finish_item(ex_piece_t *p, const char *base_id, const char *source,
                                 size_t number, bool *keep) {
    lede_article_t *a = &p->a;
    char why[ARTICLE_WHY_BYTES];
    size_t id_bytes = strlen(base_id) + ITEM_SUFFIX_BYTES;
    *keep = false;
    lede_status_t st = take_body(p);
    if (st != LEDE_OK || !a->body) return st;
    if (!(a->title = ex_title_from_text(a->body)) || !(a->id = malloc(id_bytes)) ||
        (source && !a->source && !(a->source = strdup(source))))
        return LEDE_E_NOMEM;
    snprintf(a->id, id_bytes, "%s#%zu", base_id, number);
    st = article_validate(a, why);
    *keep = st == LEDE_OK;
    return st == LEDE_E_INVALID ? LEDE_OK : st;
}

static lede_status_t finish_items(ex_pieces_t *pieces, const char *base_id) {
    size_t number = 2;
    for (size_t i = 1; i < pieces->n; i++) {
        bool keep;
        lede_status_t st =
            finish_item(&pieces->v[i], base_id, pieces->v[0].a.source, number, &keep);
        if (st != LEDE_OK) return st;
        if (keep)
            number++;
        else
            article_free(&pieces->v[i].a); /* an id-less article is not handed over */
    }
    return LEDE_OK;
}

/* Moves the finished articles into one caller-owned array. */
static lede_status_t hand_over(ex_pieces_t *pieces, lede_article_t **out, size_t *n) {
    size_t count = 0;
    for (size_t i = 0; i < pieces->n; i++) count += pieces->v[i].a.id != NULL;
    lede_article_t *arts = malloc(count * sizeof *arts);
    if (!arts) return LEDE_E_NOMEM;
    for (size_t i = 0, k = 0; i < pieces->n; i++) {
        if (!pieces->v[i].a.id) continue;
        arts[k++] = pieces->v[i].a;
        article_init(&pieces->v[i].a);
    }
    *out = arts;
    *n = count;
    return LEDE_OK;
}

static lede_status_t extract_page(ex_page_t *page, const char *base_id, lede_article_t **out,
                                  size_t *n, char *why) {
    ex_pieces_t pieces = {0};
    size_t title = ex_page_title(page);
    if (title == page->n) return no_title(page, why);
    lede_status_t st = ex_walk(page, title, &pieces);
    if (st == LEDE_OK) st = finish_main(&pieces.v[0], page->lines[title].s, base_id, why);
    if (st == LEDE_OK) st = finish_items(&pieces, base_id);
    if (st == LEDE_OK) st = hand_over(&pieces, out, n);
    ex_pieces_free(&pieces);
    return st;
}

lede_status_t extract_text(const char *text, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           char *why) {
    (void)opts;
    ex_page_t page;
    *out = NULL;
    *n = 0;
    lede_status_t st = check_input(text, len, base_id, why);
    if (st != LEDE_OK) return st;
    st = ex_page_split(text, len, &page);
    if (st == LEDE_OK) st = extract_page(&page, base_id, out, n, why);
    ex_page_free(&page);
    if (st == LEDE_E_NOMEM) snprintf(why, ARTICLE_WHY_BYTES, "out of memory");
    return st;
}
