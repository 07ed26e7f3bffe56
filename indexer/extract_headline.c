/* The headline of a story: the best-scored headline-shaped line above its
 * text. Each candidate scores for what headlines have and captions, decks,
 * kickers, menus and slogans lack:
 *
 *   +3    it opens the page's <title> line ("Headline - Site")
 *   +2/1  it is printed again on the page (menus repeat entries too)
 *   +2    a byline, a date or a dateline comes right under it
 *   +1    the text comes right under it
 *   +2/1  it is the first text of the page (or the first after furniture)
 *   +1    it is the candidate closest above the text
 *   +1.5  the first paragraph restates it, five words in a row
 *   +0.5  it has 4 to 15 words; -1 over 15 (more often a standfirst)
 *   -1.5  it touches furniture on a page parted by blank lines
 *   -1    words run together ("EditionASIA"), fewer than 15 bytes, a name
 *         or an agency alone, a date line of five words or fewer */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

#define NONE SIZE_MAX

/* A lede restates its headline: this many words in a row, in its first
 * bytes. */
#define RESTATED_WORDS 5
#define RESTATE_SCAN_BYTES 400
/* Headlines are looked for among the units closest above the text, and
 * the first few of the page. */
#define HEADLINE_NEAR_UNITS 64
#define HEADLINE_TOP_UNITS 8
/* Where a page's <title> line stands when a scraper kept it. */
#define TITLE_LINE_UNITS 3
/* Headlines longer than this are more often standfirsts. */
#define HEADLINE_LONG_WORDS 15

/* Another unit begins with u's text followed by a site suffix or more
 * text: the page's <title> line ("Headline | Site"), or a headline glued
 * to its standfirst. */
static size_t prefix_of_other(const ex_page_t *page, size_t i) {
    const ex_unit_t *u = &page->u[i];
    for (size_t j = 0; j < page->n; j++) {
        const ex_unit_t *v = &page->u[j];
        if (j != i && v->len > u->len + 2 && u->shape.words >= 3 && ex_unit_prefix(v->s, u->s))
            return j;
    }
    return NONE;
}

/* Words glued without a space ("EditionASIA", "JinpingChinese"): a menu or
 * an image's text run into the next line. */
static bool glued(const char *s) {
    for (size_t i = 2; s[i] && s[i + 1]; i++)
        if (s[i - 2] >= 'a' && s[i - 2] <= 'z' && s[i - 1] >= 'a' && s[i - 1] <= 'z' &&
            s[i] >= 'A' && s[i] <= 'Z' && s[i + 1] >= 'A' && s[i + 1] <= 'Z')
            return true;
    return false;
}

static bool beside_furniture(const ex_page_t *page, size_t i) {
    const ex_unit_t *u = &page->u[i];
    if (!page->blank_lines) return false;
    bool before = i > 0 && !u->gap_before && page->u[i - 1].decided &&
                  page->u[i - 1].role == EX_ROLE_FURNITURE;
    bool after = i + 1 < page->n && !u->gap_after && page->u[i + 1].decided &&
                 page->u[i + 1].role == EX_ROLE_FURNITURE;
    return before || after;
}

/* What a headline is followed by: a byline or a date (strong), a
 * section line (weak), or the text itself. */
static double followed_by(const ex_page_t *page, size_t i, size_t body) {
    size_t next = ex_next_real(page, i, page->n);
    if (next == NONE) return 0;
    const ex_unit_t *n = &page->u[next];
    if (next == body) return 1;
    if (!ex_unit_meta(n)) return 0;
    switch (n->kind) {
    case EX_K_BYLINE:
    case EX_K_DATE:
    case EX_K_DATELINE:
    case EX_K_LABEL:
    case EX_K_AGENCY:
        return 2;
    case EX_K_SECTION:
        return 0.5;
    default:
        return 0;
    }
}

/* The words of a text, as spans, for comparing runs of words. */
#define RUN_MAX_WORDS 80

typedef struct {
    const char *w[RUN_MAX_WORDS];
    size_t n[RUN_MAX_WORDS];
    size_t count;
} words_t;

static void split_words(const char *s, size_t max_bytes, words_t *out) {
    out->count = 0;
    for (const char *p = s, *end = s + strnlen(s, max_bytes);
         p < end && out->count < RUN_MAX_WORDS;) {
        size_t w = ex_word_len(p);
        if (w == 0) {
            p++;
            continue;
        }
        out->w[out->count] = p;
        out->n[out->count++] = w;
        p += w;
    }
}

/* The longest run of words two texts share, ignoring case: a lede tends
 * to restate its headline word for word. */
static unsigned common_run(const words_t *a, const words_t *b) {
    unsigned best = 0;
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < b->count; j++) {
            unsigned run = 0;
            while (i + run < a->count && j + run < b->count && a->n[i + run] == b->n[j + run] &&
                   strncasecmp(a->w[i + run], b->w[j + run], a->n[i + run]) == 0)
                run++;
            if (run > best) best = run;
        }
    return best;
}

static double headline_score(const ex_page_t *page, size_t i, size_t body, int first, bool closest,
                             const words_t *lede) {
    const ex_unit_t *u = &page->u[i];
    double score = 1.0;
    words_t mine;
    split_words(u->s, u->len, &mine);
    if (common_run(&mine, lede) >= RESTATED_WORDS) score += 1.5;
    /* The page's <title> line opens with the headline ("Headline - Site"):
     * the strongest sign. A line printed again elsewhere is one too, but
     * menus repeat their entries as well. */
    size_t title_line = prefix_of_other(page, i);
    if (title_line != NONE && title_line < TITLE_LINE_UNITS)
        score += 3;
    else if (u->prev_copy != NONE || u->next_copy != NONE || title_line != NONE)
        score += u->shape.words >= 4 ? 2 : 1;
    score += followed_by(page, i, body);
    score += first;
    if (closest) score += 1;
    if (beside_furniture(page, i)) score -= 1.5;
    if (glued(u->s)) score -= 1;
    if (u->shape.words >= 4 && u->shape.words <= HEADLINE_LONG_WORDS) score += 0.5;
    if (u->shape.words > HEADLINE_LONG_WORDS) score -= 1;
    if (u->len < 15) score -= 1;
    if (u->kind == EX_K_NAME || u->kind == EX_K_AGENCY) score -= 1;
    if (u->kind == EX_K_DATE && u->shape.words <= 5) score -= 1; /* "May 3, 2017 | Reuters" */
    return score;
}

static bool headline_candidate(const ex_unit_t *u) {
    bool copied = u->prev_copy != NONE || u->next_copy != NONE;
    if (u->kind == EX_K_DATE) return ex_headline_text(&u->shape, u->len);
    if (u->kind == EX_K_NAME) return copied && ex_headline_shape(u);
    return ex_headline_shape(u);
}

/* The first headline on the page gets 2 when nothing but furniture and
 * blank lines come before it in the first two units, 1 when only
 * furniture and metadata do. */
size_t ex_headline_choose(ex_page_t *page, size_t body) {
    size_t best = NONE, last_candidate = NONE;
    double best_score = 0;
    bool text_before = false;
    size_t near = body > HEADLINE_NEAR_UNITS ? body - HEADLINE_NEAR_UNITS : 0;
    words_t lede = {.count = 0};
    if (body < page->n) split_words(page->u[body].s, RESTATE_SCAN_BYTES, &lede);
    for (size_t i = 0; i < body; i++)
        if ((!page->u[i].decided || page->u[i].kind == EX_K_DATE) &&
            headline_candidate(&page->u[i]))
            last_candidate = i;
    for (size_t i = 0; i < body; i++) {
        ex_unit_t *u = &page->u[i];
        if (u->decided && u->kind != EX_K_DATE) continue;
        if ((i < HEADLINE_TOP_UNITS || i >= near) && headline_candidate(u)) {
            int first = text_before ? 0 : i < 2 ? 2 : 1;
            double sc = headline_score(page, i, body, first, i == last_candidate, &lede);
            if (page->tracing)
                snprintf(u->why, sizeof u->why, "headline candidate: score %.1f", sc);
            if (best == NONE || sc > best_score) best = i, best_score = sc;
        }
        if (!u->decided) text_before = true;
    }
    return best;
}

/* Copies of the headline elsewhere on the page are furniture. */
void ex_headline_mark(ex_page_t *page, size_t t, size_t article) {
    ex_unit_t *u = &page->u[t];
    size_t title_line = prefix_of_other(page, t);
    char why[EX_WHY_BYTES];
    if (title_line != NONE) {
        ex_unit_t *v = &page->u[title_line];
        char iso[EX_DATE_BYTES];
        size_t at, end;
        bool dated = ex_date_find(v->s, iso, &at, &end);
        v->decided = false;
        ex_unit_set(page, v, dated ? EX_K_DATE : EX_K_REPEAT,
                    dated ? EX_ROLE_META : EX_ROLE_FURNITURE, true,
                    "the headline with more after it: the page's title line%s",
                    dated ? " (its date is read)" : "");
    }
    memcpy(why, u->why, sizeof why);
    u->decided = false;
    ex_unit_set(page, u, EX_K_TEXT, EX_ROLE_TITLE, true, "headline (%s)", why);
    u->article = article;
    for (size_t j = u->next_copy; j != NONE; j = page->u[j].next_copy) {
        page->u[j].decided = false;
        ex_unit_set(page, &page->u[j], EX_K_REPEAT, EX_ROLE_FURNITURE, true, "the headline again");
    }
    for (size_t j = u->prev_copy; j != NONE; j = page->u[j].prev_copy) {
        page->u[j].decided = false;
        ex_unit_set(page, &page->u[j], EX_K_REPEAT, EX_ROLE_FURNITURE, true, "the headline again");
    }
}
