/* Each field of an HTML article chosen from the page's claims: what the
 * page declares wins over what it only prints, and a declared value that
 * cannot be right (a "title" that is the site's name, an "author" that is
 * the desk, a date that does not parse) gives way to the next. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

/* A declared title is confirmed by another source that shares this much
 * of its words. */
#define CONFIRM_SHARE 0.5
/* Words of a title compared at most. */
#define TITLE_MAX_WORDS 64
/* Keywords kept at most. */
#define TAGS_MAX 20

/* ---- words ---------------------------------------------------------------- */

typedef struct {
    char w[TITLE_MAX_WORDS][32];
    size_t n;
} words_t;

static void split_words(const char *s, size_t len, words_t *out) {
    out->n = 0;
    for (size_t i = 0; i < len && out->n < TITLE_MAX_WORDS;) {
        while (i < len && (unsigned char)s[i] < 0x80 && !isalnum((unsigned char)s[i])) i++;
        size_t k = 0;
        while (i < len && ((unsigned char)s[i] >= 0x80 || isalnum((unsigned char)s[i]))) {
            if (k + 1 < sizeof out->w[0]) out->w[out->n][k++] = (char)tolower((unsigned char)s[i]);
            i++;
        }
        if (k) out->w[out->n++][k] = '\0';
    }
}

/* Share of a's words that are in b. */
static double shared(const words_t *a, const words_t *b) {
    size_t hit = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (strcmp(a->w[i], b->w[j]) == 0) {
                hit++;
                break;
            }
    return a->n ? (double)hit / (double)a->n : 0;
}

/* ---- title ---------------------------------------------------------------- */

typedef struct {
    const html_claim_t *claim;
    size_t len; /* without the site's suffix */
    words_t words;
} title_t;

/* A title that is only the site's name ("Quanta Magazine"). */
static bool names_site(const html_claims_t *c, const char *s, size_t n) {
    char buf[HTML_NAME_BYTES];
    if (n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].field == HC_SITE && html_names_same_site(buf, c->v[i].value)) return true;
    return false;
}

/* A title is confirmed by one from another source; two declared ones
 * (JSON-LD, OpenGraph, <meta>, microdata) do not confirm each other (a
 * site may fill og:title and twitter:title with the same generic name),
 * a shown one (<title>, <h1>) confirms any. */
static bool shown(const html_claim_t *c) {
    return c->rank >= HC_TITLE_TAG;
}

static bool confirmed(const title_t *v, size_t n, size_t k) {
    for (size_t i = 0; i < n; i++) {
        if (i == k || strcmp(v[i].claim->origin, v[k].claim->origin) == 0) continue;
        if (!shown(v[i].claim) && !shown(v[k].claim)) continue;
        if (shared(&v[k].words, &v[i].words) >= CONFIRM_SHARE) return true;
    }
    return false;
}

char *html_fields_title(const html_claims_t *c, const html_claim_t **from) {
    title_t *v = calloc(c->n + 1, sizeof *v);
    size_t n = 0, best = SIZE_MAX;
    if (!v) return NULL;
    for (size_t i = 0; i < c->n; i++) {
        const html_claim_t *cl = &c->v[i];
        if (cl->field != HC_TITLE) continue;
        size_t len = html_names_strip_site(cl->value, c, NULL);
        if (len == 0 || names_site(c, cl->value, len)) continue;
        v[n].claim = cl, v[n].len = len;
        split_words(cl->value, len, &v[n].words);
        n++;
    }
    /* The best-ranked title another source confirms; else the best-ranked. */
    for (int pass = 0; pass < 2 && best == SIZE_MAX; pass++)
        for (size_t k = 0; k < n; k++)
            if ((pass == 1 || confirmed(v, n, k)) &&
                (best == SIZE_MAX || v[k].claim->rank < v[best].claim->rank))
                best = k;
    char *title = best == SIZE_MAX ? NULL : strndup(v[best].claim->value, v[best].len);
    *from = best == SIZE_MAX ? NULL : v[best].claim;
    free(v);
    return title;
}

/* ---- authors ---------------------------------------------------------------- */

typedef struct {
    lede_article_t *a;
    ex_trace_t *t;
    const html_claim_t *claim;
    lede_status_t st;
} names_ctx_t;

static void add_author(void *ctx, const char *name) {
    names_ctx_t *n = ctx;
    for (size_t i = 0; i < n->a->authors.n; i++)
        if (strcasecmp(n->a->authors.v[i], name) == 0) return;
    if (n->st == LEDE_OK) n->st = strv_push(&n->a->authors, name);
    ex_trace_field(n->t, 0, "author", name, "%s", n->claim->origin);
}

/* The writers of the best rank that names any person. */
static lede_status_t fill_authors(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    names_ctx_t ctx = {a, t, NULL, LEDE_OK};
    for (int rank = 0; rank < HC_RANK_COUNT && a->authors.n == 0; rank++)
        for (size_t i = 0; i < c->n; i++) {
            if (c->v[i].field != HC_AUTHOR || c->v[i].rank != (hc_rank_t)rank) continue;
            ctx.claim = &c->v[i];
            html_names_split(c->v[i].value, c, add_author, &ctx);
        }
    return ctx.st;
}

/* ---- date ------------------------------------------------------------------- */

/* The best claim of field whose value reads as a date. */
static const html_claim_t *best_date(const html_claims_t *c, hc_field_t field, char norm[32]) {
    const html_claim_t *best = NULL;
    for (size_t i = 0; i < c->n; i++) {
        char iso[HTML_DATE_BYTES], key[15], n[32];
        if (c->v[i].field != field || (best && !html_claim_before(&c->v[i], best))) continue;
        if (!html_date_parse(c->v[i].value, true, iso) || !date_parse_iso(iso, n, key)) continue;
        best = &c->v[i];
        memcpy(norm, n, sizeof n);
    }
    return best;
}

/* The day the page shows, when it shows the declared date d's day
 * (as d is written) and never with a time: then the page shows no time,
 * and the date is kept as the day alone. NULL otherwise. */
static const html_claim_t *shown_day(const html_claims_t *c, const html_claim_t *d) {
    char written[HTML_DATE_BYTES], iso[HTML_DATE_BYTES];
    const html_claim_t *day = NULL;
    if (!html_date_parse(d->value, true, written) || strlen(written) <= 10) return NULL;
    for (size_t i = 0; i < c->n; i++) {
        const html_claim_t *s = &c->v[i];
        if (s->field != HC_DATE || !s->shown || !html_date_parse(s->value, true, iso)) continue;
        if (strncmp(iso, written, 10) != 0) continue;
        if (strlen(iso) > 10) return NULL; /* the page shows a time too */
        if (!day) day = s;
    }
    return day;
}

/* The date as article.h stores it (UTC when an offset is known). */
static lede_status_t fill_date(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    char iso[32];
    const html_claim_t *d = best_date(c, HC_DATE, iso);
    if (!d) d = best_date(c, HC_MODIFIED, iso);
    if (!d) return LEDE_OK;
    const html_claim_t *day = d->shown ? NULL : shown_day(c, d);
    if (day) iso[10] = '\0';
    if (!(a->date = strdup(iso))) return LEDE_E_NOMEM;
    if (day)
        ex_trace_field(t, 0, "date", iso, "%s (the page shows the day only: %s)", d->origin,
                       day->origin);
    else
        ex_trace_field(t, 0, "date", iso, "%s", d->origin);
    return LEDE_OK;
}

/* ---- source ------------------------------------------------------------------- */

/* The first claim of field with this rank. */
static const html_claim_t *first_of(const html_claims_t *c, hc_field_t field, hc_rank_t rank) {
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].field == field && c->v[i].rank == rank) return &c->v[i];
    return NULL;
}

/* "money.cnn.com" -> "cnn": the name a host is registered under. */
static bool host_name(const char *url, char out[HTML_NAME_BYTES]) {
    static const char *const SECOND_LEVEL[] = {"co", "com", "org", "net", "gov", "ac", "edu"};
    const char *p = strstr(url, "//");
    p = p ? p + 2 : url;
    size_t n = strcspn(p, "/:?#");
    const char *label[8];
    size_t len[8], k = 0;
    for (size_t i = 0; i < n && k < 8;) {
        size_t j = i;
        while (j < n && p[j] != '.') j++;
        label[k] = p + i, len[k++] = j - i;
        i = j + 1;
    }
    if (k < 2) return false;
    k--; /* the top-level domain */
    for (size_t i = 0; k >= 2 && i < sizeof SECOND_LEVEL / sizeof SECOND_LEVEL[0]; i++)
        if (len[k - 1] == strlen(SECOND_LEVEL[i]) &&
            strncmp(label[k - 1], SECOND_LEVEL[i], len[k - 1]) == 0) {
            k--;
            break;
        }
    if (len[k - 1] == 0 || len[k - 1] >= HTML_NAME_BYTES) return false;
    memcpy(out, label[k - 1], len[k - 1]);
    out[len[k - 1]] = '\0';
    return true;
}

static lede_status_t set_source(lede_article_t *a, ex_trace_t *t, const char *value,
                                const char *origin) {
    char name[HTML_NAME_BYTES];
    if (!html_names_site(value, name)) return LEDE_OK;
    if (!(a->source = strdup(name))) return LEDE_E_NOMEM;
    ex_trace_field(t, 0, "source", name, "%s", origin);
    return LEDE_OK;
}

/* The publisher JSON-LD names; else the site's name, as OpenGraph and the
 * <title> spell it (the <title>'s spelling when both name the same site:
 * "Herald Sun" rather than "HeraldSun"); else any other site claim; else
 * the name the page's address is registered under. */
static lede_status_t fill_source(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    const html_claim_t *pub = first_of(c, HC_SITE, HC_JSONLD),
                       *og = first_of(c, HC_SITE, HC_OPENGRAPH);
    char suffix[HTML_NAME_BYTES] = "", host[HTML_NAME_BYTES];
    const html_claim_t *title = first_of(c, HC_TITLE, HC_TITLE_TAG);
    if (title) html_names_strip_site(title->value, c, suffix);
    if (pub) return set_source(a, t, pub->value, pub->origin);
    if (og && *suffix && html_names_same_site(og->value, suffix))
        return set_source(a, t, suffix, "<title> suffix (the site OpenGraph names)");
    if (og) return set_source(a, t, og->value, og->origin);
    if (*suffix) return set_source(a, t, suffix, "<title> suffix");
    const html_claim_t *other = html_claims_best(c, HC_SITE);
    if (other) return set_source(a, t, other->value, other->origin);
    const html_claim_t *url = html_claims_best(c, HC_URL);
    if (url && host_name(url->value, host)) return set_source(a, t, host, "the page's address");
    return LEDE_OK;
}

/* ---- the rest ------------------------------------------------------------------ */

static lede_status_t fill_category(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    for (int rank = 0; rank < HC_RANK_COUNT; rank++)
        for (size_t i = 0; i < c->n; i++) {
            const html_claim_t *cl = &c->v[i];
            if (cl->field != HC_SECTION || cl->rank != (hc_rank_t)rank || cl->value[0] == '/')
                continue;
            if (!(a->category = strdup(cl->value))) return LEDE_E_NOMEM;
            ex_trace_field(t, 0, "category", cl->value, "%s", cl->origin);
            return LEDE_OK;
        }
    return LEDE_OK;
}

/* The keywords of the best rank that has any. */
static lede_status_t fill_tags(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    for (int rank = 0; rank < HC_RANK_COUNT && a->tags.n == 0; rank++)
        for (size_t i = 0; i < c->n && a->tags.n < TAGS_MAX; i++) {
            const html_claim_t *cl = &c->v[i];
            bool dup = false;
            if (cl->field != HC_TAG || cl->rank != (hc_rank_t)rank) continue;
            for (size_t k = 0; k < a->tags.n && !dup; k++)
                dup = strcasecmp(a->tags.v[k], cl->value) == 0;
            if (dup) continue;
            if (strv_push(&a->tags, cl->value) != LEDE_OK) return LEDE_E_NOMEM;
            ex_trace_field(t, 0, "tag", cl->value, "%s", cl->origin);
        }
    return LEDE_OK;
}

static lede_status_t fill_url(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    for (int rank = 0; rank < HC_RANK_COUNT; rank++)
        for (size_t i = 0; i < c->n; i++) {
            const html_claim_t *cl = &c->v[i];
            if (cl->field != HC_URL || cl->rank != (hc_rank_t)rank) continue;
            const char *v = cl->value;
            bool relative = strncmp(v, "//", 2) == 0;
            if (!relative && strncasecmp(v, "http://", 7) != 0 &&
                strncasecmp(v, "https://", 8) != 0)
                continue;
            size_t n = strlen(v) + 7;
            if (!(a->url = malloc(n))) return LEDE_E_NOMEM;
            snprintf(a->url, n, "%s%s", relative ? "https:" : "", v);
            ex_trace_field(t, 0, "url", a->url, "%s", cl->origin);
            return LEDE_OK;
        }
    return LEDE_OK;
}

/* "en-US", "cs_CZ" -> "en", "cs". */
static lede_status_t fill_language(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    const html_claim_t *cl = html_claims_best(c, HC_LANG);
    if (!cl) return LEDE_OK;
    char code[4];
    size_t k = 0;
    while (k < 3 && isalpha((unsigned char)cl->value[k]))
        code[k] = (char)tolower((unsigned char)cl->value[k]), k++;
    if (k < 2 || isalpha((unsigned char)cl->value[k])) return LEDE_OK;
    code[k] = '\0';
    if (!(a->language = strdup(code))) return LEDE_E_NOMEM;
    ex_trace_field(t, 0, "language", code, "%s", cl->origin);
    return LEDE_OK;
}

lede_status_t html_fields_fill(const html_claims_t *c, lede_article_t *a, ex_trace_t *t) {
    lede_status_t st = fill_authors(c, a, t);
    if (st == LEDE_OK) st = fill_date(c, a, t);
    if (st == LEDE_OK) st = fill_source(c, a, t);
    if (st == LEDE_OK) st = fill_category(c, a, t);
    if (st == LEDE_OK) st = fill_tags(c, a, t);
    if (st == LEDE_OK) st = fill_url(c, a, t);
    if (st == LEDE_OK) st = fill_language(c, a, t);
    return st;
}
