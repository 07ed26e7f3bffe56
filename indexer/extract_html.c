/* extract_html(): the steps of extract_html.h put together. The page is
 * converted to UTF-8 and parsed; what it declares about itself is
 * gathered as claims; the headline is chosen, then the article's body
 * found by the scorer; then what is printed around the article (bylines,
 * date lines) is gathered too, every field chosen from the claims, and
 * the first paragraph read for a dateline (place, wire agency). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract.h"
#include "extract_html.h"
#include "extract_parts.h"

/* An error page's or a cookie notice's text is short; an article about
 * errors or cookies is longer. */
#define ERROR_PAGE_MAX_WEIGHT 1500
#define COOKIE_WALL_MAX_WEIGHT 1000
/* Teaser headlines (paragraphs that are links) among the text: this many,
 * and half as many as paragraphs of text, make an index page. */
#define INDEX_MIN_LINKS 5
/* A dateline ends within this many bytes of the paragraph's start. */
#define DATELINE_MAX_BYTES 60
/* A dateline's place has at most this many words. */
#define PLACE_MAX_WORDS 5

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    html_utf8_t page;
    xmlDoc *doc;
    html_claims_t claims;
    char *title;
    const html_claim_t *title_from;
    hb_result_t body;
    lede_article_t a;
    ex_trace_t *t;
} work_t;

/* ---- pages without an article ------------------------------------------------ */

static bool error_title(const char *title) {
    static const char *const PHRASES[] = {
        "404",
        "not found",
        "cannot be found",
        "can't be found",
        "no longer available",
        "page introuvable",
        "nicht gefunden",
        "no encontrada",
        "não encontrada",
        "non trovata",
        "error page",
    };
    for (size_t i = 0; title && i < COUNT(PHRASES); i++)
        if (html_contains_ci(title, PHRASES[i])) return true;
    return false;
}

static bool cookie_notice(const char *body) {
    return html_contains_ci(body, "cookie") &&
           (html_contains_ci(body, "accept") || html_contains_ci(body, "consent") ||
            html_contains_ci(body, "agree"));
}

/* Why the page holds no article, or NULL when it holds one. */
static const char *no_article(const work_t *w) {
    const hb_result_t *b = &w->body;
    if (!b->body || b->weight < HB_MIN_BODY_WEIGHT)
        return "too little text once the furniture is gone";
    if (b->weight < ERROR_PAGE_MAX_WEIGHT && error_title(w->title))
        return "an error page (its title says so)";
    if (b->weight < COOKIE_WALL_MAX_WEIGHT && cookie_notice(b->body)) return "a cookie notice";
    if (b->link_paragraphs >= INDEX_MIN_LINKS && b->link_paragraphs * 2 >= b->paragraphs)
        return "a list of links to other pages (an index page)";
    return NULL;
}

/* ---- the first paragraph: a dateline ------------------------------------------ */

/* Length of the dash that ends a dateline at p (" — ", " -- ", " – ",
 * " - "), or 0. */
static size_t dash_at(const char *p) {
    static const char *const DASHES[] = {" \xE2\x80\x94 ", " -- ", " \xE2\x80\x93 ", " - "};
    for (size_t i = 0; i < COUNT(DASHES); i++)
        if (strncmp(p, DASHES[i], strlen(DASHES[i])) == 0) return strlen(DASHES[i]);
    return 0;
}

/* "LONDON — After ...", "SEOUL, South Korea -- ...": a place whose first
 * word is in capitals, before a dash. Its length, or 0. */
static size_t dash_place(const char *p, size_t n) {
    size_t end = 0, words = 0;
    for (size_t i = 0; i < n && i < DATELINE_MAX_BYTES && !end; i++)
        if (p[i] == ' ' && dash_at(p + i)) end = i;
    if (end < 2) return 0;
    for (size_t i = 0; i < end; i++) {
        unsigned char c = (unsigned char)p[i];
        if (isdigit(c)) return 0;
        if (i == 0 || p[i - 1] == ' ') words++;
    }
    for (size_t i = 0; i < end && p[i] != ' ' && p[i] != ','; i++)
        if (!isupper((unsigned char)p[i]) && p[i] != '.') return 0;
    return words <= PLACE_MAX_WORDS && isupper((unsigned char)p[1]) ? end : 0;
}

static lede_status_t add_place(work_t *w, const char *place, const char *origin) {
    lede_status_t st = ex_push_unique(&w->a.places, place);
    ex_trace_field(w->t, 0, "place", place, "%s", origin);
    return st;
}

/* A date opening the paragraph before a dash: "Feb. 23, 2015 -- ...". */
static lede_status_t leading_date(work_t *w, const char *p, size_t n) {
    char head[DATELINE_MAX_BYTES + 1], iso[HTML_DATE_BYTES], norm[32], key[15];
    for (size_t i = 0; i < n && i < DATELINE_MAX_BYTES; i++) {
        if (p[i] != ' ' || !dash_at(p + i)) continue;
        memcpy(head, p, i);
        head[i] = '\0';
        if (!html_date_parse(head, true, iso) || !date_parse_iso(iso, norm, key)) return LEDE_OK;
        if (!(w->a.date = strdup(norm))) return LEDE_E_NOMEM;
        ex_trace_field(w->t, 0, "date", norm, "date opening the first paragraph");
        return LEDE_OK;
    }
    return LEDE_OK;
}

/* The agency of a byline printed on the page ("By Jane Doe, Associated
 * Press"), or NULL. */
static const char *byline_agency(const html_claims_t *c) {
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].field != HC_AUTHOR || c->v[i].rank < HC_MARKUP) continue;
        for (const char *p = c->v[i].value; *p;) {
            size_t k = strcspn(p, ",;|/");
            const char *agency = ex_agency(p, k);
            if (agency) return agency;
            p += k + (p[k] != '\0');
        }
    }
    return NULL;
}

static lede_status_t wire_date(work_t *w, const char *date) {
    char norm[32], key[15];
    if (!date_parse_iso(date, norm, key)) return LEDE_OK;
    if (!(w->a.date = strdup(norm))) return LEDE_E_NOMEM;
    ex_trace_field(w->t, 0, "date", norm, "wire dateline");
    return LEDE_OK;
}

static lede_status_t set_agency(work_t *w, const char *agency, const char *origin) {
    free(w->a.source);
    if (!(w->a.source = strdup(agency))) return LEDE_E_NOMEM;
    ex_trace_field(w->t, 0, "source", agency, "%s", origin);
    return LEDE_OK;
}

/* A wire dateline ("MOSCOW (AP) — ") names the agency, which wins over
 * the site; a dash dateline names the place; a leading date the date. */
static lede_status_t read_dateline(work_t *w) {
    const char *p = w->a.body, *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    ex_dateline_t d;
    lede_status_t st = LEDE_OK;
    bool found = ex_dateline(p, n, &d);
    bool wired = found && d.source[0];
    if (wired) st = set_agency(w, d.source, d.how);
    if (st == LEDE_OK && found && d.place[0]) st = add_place(w, d.place, d.how);
    if (st == LEDE_OK && found && !w->a.date && d.date[0]) st = wire_date(w, d.date);
    size_t k = dash_place(p, n);
    if (st == LEDE_OK && w->a.places.n == 0 && k > 0) {
        char place[DATELINE_MAX_BYTES + 1];
        while (k > 0 && p[k - 1] == ',') k--;
        memcpy(place, p, k);
        place[k] = '\0';
        st = add_place(w, place, "dateline before a dash");
    }
    if (st == LEDE_OK && !w->a.date) st = leading_date(w, p, n);
    const char *agency = st == LEDE_OK && !wired ? byline_agency(&w->claims) : NULL;
    if (agency) st = set_agency(w, agency, "agency in the byline");
    return st;
}

/* ---- writers named only in a bio after the text ------------------------------ */

typedef struct {
    work_t *w;
    lede_status_t st;
} bio_ctx_t;

static void add_bio_author(void *ctx, const char *name) {
    bio_ctx_t *b = ctx;
    if (b->st == LEDE_OK && !html_names_person(name, &b->w->claims)) return;
    if (b->st == LEDE_OK) b->st = ex_push_unique(&b->w->a.authors, name);
    ex_trace_field(b->w->t, 0, "author", name, "the writer's bio after the text");
}

static lede_status_t bio_authors(work_t *w) {
    bio_ctx_t b = {w, LEDE_OK};
    html_edges_bio_names(w->body.bio, add_bio_author, &b);
    return b.st;
}

/* ---- the steps ------------------------------------------------------------------ */

static lede_status_t read_page(const char *html, size_t len, work_t *w, lede_err_t *err) {
    lede_status_t st = html_to_utf8(html, len, &w->page, err);
    if (st != LEDE_OK) return st;
    ex_trace_note(w->t, "HTML page of %zu bytes, read as %s (%s)%s", len, w->page.charset,
                  w->page.from, w->page.replaced ? "; invalid bytes replaced" : "");
    return html_parse(w->page.s, w->page.len, &w->doc, err);
}

static void trace_claims(work_t *w) {
    for (size_t i = 0; w->t && i < w->claims.n; i++) {
        const html_claim_t *c = &w->claims.v[i];
        bool taken = c == w->title_from;
        ex_trace_block(w->t, c->origin, c->value, strlen(c->value), EX_ROLE_META, 0,
                       "declares the %s%s", html_field_name(c->field),
                       taken ? " (taken for the title)" : "");
    }
}

static lede_status_t find_article(work_t *w, lede_err_t *err) {
    size_t articles = 0;
    html_meta_read(w->doc, &w->claims, &articles);
    html_markup_items(w->doc, &w->claims);
    if (w->claims.failed) return LEDE_E_NOMEM;
    w->title = html_fields_title(&w->claims, &w->title_from);
    if (w->title_from && !w->title) return LEDE_E_NOMEM;
    if (w->title) ex_trace_field(w->t, 0, "title", w->title, "%s", w->title_from->origin);
    lede_status_t st = html_body_extract(w->doc, w->title, w->t, &w->body);
    if (st != LEDE_OK) return st;
    const char *none = no_article(w);
    if (none) {
        ex_trace_note(w->t, "no article: %s", none);
        trace_claims(w);
        return lede_errf(err, LEDE_E_INVALID, EXTRACT_NO_ARTICLE);
    }
    html_markup_near(w->doc, w->body.first, w->title, &w->claims);
    trace_claims(w);
    return w->claims.failed ? LEDE_E_NOMEM : LEDE_OK;
}

static lede_status_t make_article(work_t *w, const char *base_id, lede_err_t *err) {
    lede_article_t *a = &w->a;
    a->body = w->body.body, w->body.body = NULL;
    if (!(a->id = strdup(base_id))) return LEDE_E_NOMEM;
    if (w->title) {
        a->title = w->title, w->title = NULL;
    } else if (!(a->title = ex_title_from_text(a->body))) {
        return LEDE_E_NOMEM;
    } else {
        a->title_from_body = true;
        ex_trace_field(w->t, 0, "title", a->title, "the body's first sentence");
    }
    lede_status_t st = html_fields_fill(&w->claims, a, w->t);
    if (st == LEDE_OK && a->authors.n == 0 && w->body.bio) st = bio_authors(w);
    if (st == LEDE_OK) st = read_dateline(w);
    return st == LEDE_OK ? article_validate(a, err) : st;
}

lede_status_t extract_html(const char *html, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           lede_err_t *err) {
    work_t w = {.t = opts ? opts->trace : NULL};
    *out = NULL;
    *n = 0;
    article_init(&w.a);
    if (!base_id || !*base_id) return lede_errf(err, LEDE_E_INVALID, "no id for the page");
    if (!html || len == 0) return lede_errf(err, LEDE_E_INVALID, "empty page");
    lede_status_t st = read_page(html, len, &w, err);
    if (st == LEDE_OK) st = find_article(&w, err);
    if (st == LEDE_OK) st = make_article(&w, base_id, err);
    if (st == LEDE_OK && !(*out = malloc(sizeof **out))) st = LEDE_E_NOMEM;
    if (st == LEDE_OK) {
        **out = w.a, *n = 1;
        article_init(&w.a);
    }
    article_free(&w.a);
    free(w.title);
    free(w.body.body);
    free(w.body.bio);
    html_claims_free(&w.claims);
    if (w.doc) xmlFreeDoc(w.doc);
    free(w.page.s);
    if (st == LEDE_E_NOMEM) lede_errf(err, LEDE_E_NOMEM, "out of memory");
    return st;
}
