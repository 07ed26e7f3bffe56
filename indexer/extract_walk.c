/* The walk over a page's lines, after its title. Three states:
 *
 *   BODY   paragraphs go to the main article; metadata lines (a byline
 *          before the text, a date, a category) fill its fields
 *   TAIL   the closing block (byline, place, date, category) that ends the
 *          article; the walk enters it only when a metadata line after the
 *          body is followed by nothing but metadata, furniture, or a
 *          separator, so that a short subheading is never taken for a byline
 *   ITEMS  text after the closing block: unrelated sidebar items, one per
 *          stretch between separator lines
 */
#include <stdlib.h>
#include <string.h>

#include "extract_parts.h"

/* The first allocation of a body; it doubles from there. */
#define BUF_FIRST_BYTES 256

typedef enum { WALK_BODY, WALK_TAIL, WALK_ITEMS } walk_state_t;

typedef struct {
    const ex_page_t *page;
    ex_pieces_t *pieces;
    walk_state_t state;
    bool tail_split;     /* a separator was passed since the closing block began */
    size_t tail_names;   /* name lines of the closing block: the first is the byline */
    bool item_open;      /* the last item takes text until the next separator */
    size_t no_tail_till; /* lines before this one cannot start the closing block */
} walk_t;

void ex_buf_para(ex_buf_t *b, const char *s, size_t n) {
    size_t sep = b->len ? 2 : 0, need = b->len + sep + n + 1;
    if (b->failed) return;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : BUF_FIRST_BYTES;
        while (cap < need) cap *= 2;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s + b->len, "\n\n", sep);
    memcpy(b->s + b->len + sep, s, n);
    b->len += sep + n;
    b->s[b->len] = '\0';
}

static ex_piece_t *pieces_add(ex_pieces_t *p) {
    ex_piece_t *grown = realloc(p->v, (p->n + 1) * sizeof *grown);
    if (!grown) return NULL;
    p->v = grown;
    ex_piece_t *piece = &p->v[p->n++];
    memset(piece, 0, sizeof *piece);
    article_init(&piece->a);
    return piece;
}

void ex_pieces_free(ex_pieces_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        article_free(&p->v[i].a);
        free(p->v[i].body.s);
    }
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* Whether line i opens the closing block: the lines after it, up to the
 * next separator or the end, are all metadata or furniture. A failed look
 * stops at a paragraph, and no line before that paragraph can succeed, so
 * it is remembered: the walk stays linear. */
static bool closing_block_ahead(walk_t *w, size_t i) {
    if (i < w->no_tail_till) return false;
    for (size_t j = i + 1; j < w->page->n; j++) {
        const ex_line_t *l = &w->page->lines[j];
        if (l->kind == EX_SEPARATOR) return true;
        if (l->kind == EX_TEXT && ex_meta_classify(l->s) == EX_META_NONE) {
            w->no_tail_till = j;
            return false;
        }
    }
    return true;
}

static lede_status_t set_once(char **field, const char *value) {
    if (*field || !value) return LEDE_OK;
    *field = strdup(value);
    return *field ? LEDE_OK : LEDE_E_NOMEM;
}

/* Fills a from a metadata line; a field already set is kept. */
static lede_status_t apply_meta(lede_article_t *a, const char *line, ex_meta_t m) {
    const char *s = ex_unbullet(line);
    char iso[EX_DATE_BYTES];
    switch (m) {
    case EX_META_DATE:
        return ex_date_line(s, iso) ? set_once(&a->date, iso) : LEDE_OK;
    case EX_META_CATEGORY:
        return set_once(&a->category, ex_meta_category(s));
    case EX_META_BYLINE:
        return ex_meta_byline(s, a);
    case EX_META_AGENCY:
        return set_once(&a->source, ex_agency(s, strlen(s)));
    default:
        return LEDE_OK;
    }
}

static lede_status_t add_text(ex_piece_t *p, const ex_line_t *l) {
    ex_buf_para(&p->body, l->s, l->len);
    return p->body.failed ? LEDE_E_NOMEM : LEDE_OK;
}

/* Text and names are paragraphs; other metadata fills fields. */
static lede_status_t take_line(ex_piece_t *p, const ex_line_t *l, ex_meta_t m) {
    if (m == EX_META_NONE || m == EX_META_NAME) return add_text(p, l);
    return apply_meta(&p->a, l->s, m);
}

static lede_status_t item_line(walk_t *w, const ex_line_t *l, ex_meta_t m) {
    if (!w->item_open) {
        if (!pieces_add(w->pieces)) return LEDE_E_NOMEM;
        w->item_open = true;
    }
    return take_line(&w->pieces->v[w->pieces->n - 1], l, m);
}

/* In the closing block the first name is the byline when it reads as a
 * person's name; later ones ("Washington D.C.") are places. */
static lede_status_t tail_name(walk_t *w, const char *line) {
    lede_article_t *a = &w->pieces->v[0].a;
    const char *s = ex_unbullet(line);
    bool author = w->tail_names++ == 0 && ex_meta_person(s);
    return ex_push_unique(author ? &a->authors : &a->places, s);
}

/* Names count only before the block's first separator; after it, a line
 * that is not plain metadata begins the sidebar items. */
static lede_status_t tail_line(walk_t *w, const ex_line_t *l, ex_meta_t m) {
    if (m == EX_META_NAME && !w->tail_split) return tail_name(w, l->s);
    if (m != EX_META_NONE && m != EX_META_NAME) return apply_meta(&w->pieces->v[0].a, l->s, m);
    w->state = WALK_ITEMS;
    return item_line(w, l, EX_META_NONE);
}

static lede_status_t body_line(walk_t *w, size_t i, ex_meta_t m) {
    ex_piece_t *story = &w->pieces->v[0];
    const ex_line_t *l = &w->page->lines[i];
    if (m != EX_META_NONE && story->body.len > 0 && closing_block_ahead(w, i)) {
        w->state = WALK_TAIL;
        return tail_line(w, l, m);
    }
    return take_line(story, l, m);
}

static lede_status_t step(walk_t *w, size_t i) {
    const ex_line_t *l = &w->page->lines[i];
    if (l->kind == EX_SEPARATOR) {
        if (w->state == WALK_TAIL) w->tail_split = true;
        if (w->state == WALK_ITEMS) w->item_open = false;
        return LEDE_OK;
    }
    if (l->kind != EX_TEXT) return LEDE_OK;
    ex_meta_t m = ex_meta_classify(l->s);
    switch (w->state) {
    case WALK_BODY:
        return body_line(w, i, m);
    case WALK_TAIL:
        return tail_line(w, l, m);
    case WALK_ITEMS:
        return item_line(w, l, m);
    }
    return LEDE_E_INTERNAL;
}

lede_status_t ex_walk(const ex_page_t *page, size_t title, ex_pieces_t *out) {
    walk_t w = {.page = page, .pieces = out, .state = WALK_BODY};
    lede_status_t st = LEDE_OK;
    memset(out, 0, sizeof *out);
    if (!pieces_add(out)) return LEDE_E_NOMEM;
    for (size_t i = title + 1; i < page->n && st == LEDE_OK; i++) st = step(&w, i);
    return st;
}
