/* The article's paragraphs, read from the elements html_body.c chose.
 * Every block element (p, div, li, a heading, a table cell) ends the
 * paragraph before it; two <br> in a row end one too. Inside the article,
 * what is furniture by tag or class stays out, and so do blocks that are
 * mostly links (related stories), mostly images (galleries) or a few
 * words (ad labels), as in Readability's conditional cleaning; the
 * headline and lines repeating it stay out of the body. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract_html.h"

/* A block inside the article is dropped (with HB_CLEAN_BLOCKS) when ... */
#define CLEAN_KEEP_COMMAS 10    /* ... unless it has this many commas */
#define CLEAN_SHORT_WEIGHT 25   /* ... it is shorter than this */
#define CLEAN_LINKS_PLAIN 0.2   /* ... links are this much of a plain block */
#define CLEAN_LINKS_ARTICLE 0.5 /* ... or of one whose class reads as article */
#define CLEAN_ARTICLE_WEIGHT 25
#define CAPTION_MAX_WEIGHT 300 /* ... it is an image and less text than this */
#define EMBED_TEXT_WEIGHT 75   /* ... it is a frame and less text than this */
/* A paragraph that is this much link text is a link, not text. */
#define LINK_PARA_SHARE 0.5
static const char LINK_WHY[] = "a link, not text";
/* A paragraph this long under a subheading is a section's text. */
#define SECTION_TEXT_WEIGHT 150

/* An alt text this long is a description a caption may repeat. */
#define ALT_MIN_BYTES 20
/* Descriptions compared at most: every paragraph is compared with each. */
#define ALTS_MAX 256
/* Room for a paragraph's text in the trace's "where". */
#define WHERE_BYTES 96

typedef struct {
    hb_nodes_t *nodes;
    unsigned flags;
    const char *title;
    const char **alts; /* the page's image descriptions (alt=), borrowed */
    size_t n_alts;
    ex_trace_t *t;
    hb_paras_t out;
    html_buf_t para;
    size_t para_links, para_emphasis;
    const xmlNode *block; /* the block the current paragraph is in */
    int brs;              /* <br> in a row */
    int emphasis;         /* <em>, <i>, <strong>, <b> around the text */
} para_t;

static const hb_node_t *info(const para_t *p, const xmlNode *n) {
    return n && n->_private ? &p->nodes->v[(size_t)(uintptr_t)n->_private - 1] : NULL;
}

static void add_para(para_t *p, ex_role_t role, const char *why) {
    hb_paras_t *o = &p->out;
    if (o->failed) return;
    if (o->n == o->cap) {
        size_t want = o->cap ? o->cap * 2 : 32;
        hb_para_t *bigger = realloc(o->v, want * sizeof *bigger);
        if (!bigger) {
            o->failed = true;
            return;
        }
        o->v = bigger, o->cap = want;
    }
    char *text = strndup(p->para.s, p->para.len);
    if (!text) {
        o->failed = true;
        return;
    }
    o->v[o->n++] = (hb_para_t){text,
                               p->para.len,
                               html_text_weight(text, p->para.len),
                               p->para_links,
                               p->para_emphasis,
                               p->block,
                               role,
                               why};
}

/* Trims the paragraph of white space, ideographic spaces included. */
static void trim_para(html_buf_t *b) {
    static const char IDEO_SPACE[] = "\xE3\x80\x80";
    size_t start = 0;
    for (;;) {
        if (start < b->len && (b->s[start] == ' ' || b->s[start] == '\n'))
            start++;
        else if (b->len - start >= 3 && memcmp(b->s + start, IDEO_SPACE, 3) == 0)
            start += 3;
        else
            break;
    }
    if (start) memmove(b->s, b->s + start, b->len - start + 1), b->len -= start;
    while (b->len > 0 && (b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\n'))
        b->s[--b->len] = '\0';
}

/* True when s holds a letter or a digit ("___" and "* * *" do not). */
static bool has_word_char(const char *s) {
    for (; *s; s++)
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80) return true;
    return false;
}

/* A linked name in a table of data ("Groundhog Day" in a list of films)
 * is data, not a link away. */
static bool table_cell(const xmlNode *block) {
    return html_is(block, "td") || html_is(block, "th");
}

/* A caption often repeats its image's alt text. */
static bool is_alt(const para_t *p, const char *text) {
    for (size_t i = 0; i < p->n_alts; i++)
        if (html_same_text(text, strlen(text), p->alts[i])) return true;
    return false;
}

/* "[Sign up for our newsletter.]": an insert, not text. */
static bool bracketed(const char *s, size_t n) {
    return n > 2 && s[0] == '[' && s[n - 1] == ']';
}

/* Ends the current paragraph: article text, or left out with a reason. */
static void flush(para_t *p) {
    if (p->para.len > 0) trim_para(&p->para);
    if (p->para.len > 0 && !p->para.failed) {
        size_t w = html_text_weight(p->para.s, p->para.len);
        if (!has_word_char(p->para.s))
            add_para(p, EX_ROLE_SKIPPED, "a separator");
        else if (is_alt(p, p->para.s))
            add_para(p, EX_ROLE_CAPTION, "repeats an image's description");
        else if (p->para_links > 0 && bracketed(p->para.s, p->para.len))
            add_para(p, EX_ROLE_FURNITURE, "a promotion in brackets");
        else if (p->title && html_same_text(p->para.s, p->para.len, p->title))
            add_para(p, EX_ROLE_TITLE, "repeats the headline");
        else if ((double)p->para_links > LINK_PARA_SHARE * (double)w && !table_cell(p->block))
            add_para(p, EX_ROLE_SIDEBAR, LINK_WHY);
        else
            add_para(p, EX_ROLE_BODY, "paragraph of the article");
    }
    if (p->para.failed) p->out.failed = true;
    p->para.len = 0, p->para.space = false;
    if (p->para.s) p->para.s[0] = '\0';
    p->para_links = 0, p->para_emphasis = 0, p->brs = 0;
}

/* Why a block inside the article is cleaned out, or NULL. */
static const char *clean_reason(const para_t *p, const hb_node_t *h, ex_role_t *role) {
    if (!(p->flags & HB_CLEAN_BLOCKS) || !h->tag || !(h->tag->flags & HT_CLEANABLE)) return NULL;
    int weight = (p->flags & HB_WEIGHT_CLASSES) ? h->weight : 0;
    bool list = (h->tag->flags & HT_LIST) != 0;
    double ld = h->text ? (double)h->links / (double)h->text : 0;
    *role = EX_ROLE_FURNITURE;
    if (weight < 0) return "class/id reads as furniture";
    if (h->commas >= CLEAN_KEEP_COMMAS) return NULL;
    if (h->imgs > 1 && h->paras * 2 < h->imgs && h->headings == 0) {
        *role = EX_ROLE_CAPTION;
        return "images with little text";
    }
    if (!list && h->text < CLEAN_SHORT_WEIGHT && h->headings == 0) return "a few words in a block";
    if (h->imgs > 0 && h->paras == 0 && h->text < CAPTION_MAX_WEIGHT) {
        *role = EX_ROLE_CAPTION;
        return "an image and its caption";
    }
    if (h->inputs > 0 && h->inputs * 3 > h->paras) return "a form";
    if ((h->embeds == 1 && h->text < EMBED_TEXT_WEIGHT) || h->embeds > 1)
        return "an embedded frame";
    if (h->headings > 0 && h->heading_text == h->text) return "a heading without text";
    *role = EX_ROLE_SIDEBAR;
    if (weight < CLEAN_ARTICLE_WEIGHT && ld > (list ? CLEAN_LINKS_ARTICLE : CLEAN_LINKS_PLAIN))
        return list ? "a list of links" : "mostly links";
    if (ld > CLEAN_LINKS_ARTICLE) return "mostly links";
    return NULL;
}

static void trace_drop(para_t *p, const xmlNode *n, ex_role_t role, const char *why) {
    if (!p->t) return;
    char where[WHERE_BYTES];
    html_describe(n, where, sizeof where);
    char *text = html_text_dup(n);
    ex_trace_block(p->t, where, text ? text : "", text ? strlen(text) : 0, role, 0, "left out: %s",
                   why);
    free(text);
}

static int emphasis_tag(const xmlNode *n) {
    return html_is(n, "em") || html_is(n, "i") || html_is(n, "strong") || html_is(n, "b");
}

/* Appends a text node to the current paragraph, counting what is in a
 * link and what is emphasised. */
static void add_text(para_t *p, const xmlNode *n) {
    const char *s = (const char *)n->content;
    if (!s) return;
    size_t before = p->para.len;
    if (p->brs > 0 && p->para.len > 0) p->para.space = false, html_buf_raw(&p->para, "\n", 1);
    html_buf_text(&p->para, s, strlen(s));
    const hb_node_t *parent = info(p, n->parent);
    size_t w = html_text_weight(p->para.s + before, p->para.len - before);
    if (parent && parent->in_link) p->para_links += w;
    if (p->emphasis > 0) p->para_emphasis += w;
    if (p->para.len > before + 1) p->brs = 0;
}

/* Enters n; false when its subtree is not read. */
static bool enter(para_t *p, const xmlNode *n, bool root) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        add_text(p, n);
        return false;
    }
    if (n->type != XML_ELEMENT_NODE || html_no_text(n)) return false;
    const hb_node_t *h = info(p, n);
    if (!h) return false;
    ex_role_t role;
    const char *why;
    if (h->drop) {
        flush(p);
        trace_drop(p, n, h->drop->role, h->drop->why);
        return false;
    }
    if (!root && (why = clean_reason(p, h, &role)) != NULL) {
        flush(p);
        trace_drop(p, n, role, why);
        return false;
    }
    if (html_is(n, "h1")) {
        flush(p);
        trace_drop(p, n, EX_ROLE_TITLE, "the headline");
        return false;
    }
    if (html_is(n, "br")) {
        if (++p->brs >= 2) flush(p);
        return false;
    }
    if (h->tag && (h->tag->flags & HT_BLOCK)) {
        flush(p);
        p->block = n;
    }
    p->emphasis += emphasis_tag(n);
    return true;
}

static void leave(para_t *p, const xmlNode *n) {
    const hb_node_t *h = info(p, n);
    if (h && h->tag && (h->tag->flags & HT_BLOCK)) flush(p);
    p->emphasis -= emphasis_tag(n);
}

/* Reads one chosen element's subtree, without recursion. */
static void read_tree(para_t *p, const xmlNode *top) {
    const xmlNode *n = top;
    bool down = enter(p, n, true);
    for (;;) {
        if (down && n->children) {
            n = n->children;
            down = enter(p, n, false);
            continue;
        }
        if (n->type == XML_ELEMENT_NODE && down) leave(p, n);
        while (n != top && !n->next) {
            n = n->parent;
            leave(p, n);
        }
        if (n == top) break;
        n = n->next;
        down = enter(p, n, false);
    }
    flush(p);
}

static void trace_paras(const para_t *p) {
    for (size_t i = 0; p->t && i < p->out.n; i++) {
        const hb_para_t *q = &p->out.v[i];
        char where[WHERE_BYTES] = "text";
        if (q->block) html_describe(q->block, where, sizeof where);
        ex_trace_block(p->t, where, q->text, q->len, q->role, 0, "%s", q->why);
    }
}

/* Joins the paragraphs of text into out->body; keeps the writer's bio. */
static lede_status_t join(const hb_paras_t *paras, hb_result_t *out) {
    html_buf_t body = {0};
    for (size_t i = 0; i < paras->n; i++) {
        const hb_para_t *q = &paras->v[i];
        if (q->role == EX_ROLE_META && strcmp(q->why, "the writer's bio") == 0 && !out->bio &&
            !(out->bio = strdup(q->text)))
            body.failed = true;
        out->link_paragraphs += q->role == EX_ROLE_SIDEBAR && q->why == LINK_WHY;
        if (q->role != EX_ROLE_BODY) continue;
        if (body.len) html_buf_raw(&body, "\n\n", 2);
        html_buf_raw(&body, q->text, q->len);
        out->paragraphs++;
        if (!out->first) out->first = q->block;
    }
    if (body.failed) {
        html_buf_free(&body);
        return LEDE_E_NOMEM;
    }
    out->body = body.s;
    out->weight = body.s ? html_text_weight(body.s, body.len) : 0;
    return LEDE_OK;
}

/* A subheading that is a link ("<h3><a>Rez Infinite</a></h3>" in a list
 * of reviews) is the title of the text under it: kept when a paragraph of
 * text follows. A teaser's headline on an index page is followed by a
 * line or nothing. */
static void link_headings(hb_paras_t *paras) {
    for (size_t i = 0; i + 1 < paras->n; i++) {
        hb_para_t *q = &paras->v[i], *next = &paras->v[i + 1];
        const hb_tag_t *tag = hb_tag(q->block);
        if (q->why != LINK_WHY || !tag || !(tag->flags & HT_HEADING)) continue;
        if (next->role == EX_ROLE_BODY && next->weight >= SECTION_TEXT_WEIGHT)
            q->role = EX_ROLE_BODY, q->why = "a subheading that is a link";
    }
}

lede_status_t html_para_build(hb_nodes_t *nodes, const bool *keep, unsigned flags,
                              const char *title, ex_trace_t *t, hb_result_t *out) {
    para_t p = {.nodes = nodes, .flags = flags, .title = title, .t = t};
    p.alts = calloc(ALTS_MAX, sizeof *p.alts);
    if (!p.alts) return LEDE_E_NOMEM;
    for (size_t i = 0; i < nodes->n; i++) {
        const char *alt =
            html_is(nodes->v[i].node, "img") ? html_attr(nodes->v[i].node, "alt") : NULL;
        if (alt && strlen(alt) >= ALT_MIN_BYTES && p.n_alts < ALTS_MAX) p.alts[p.n_alts++] = alt;
    }
    for (size_t i = 0; i < nodes->n; i++) {
        if (!keep[i]) continue;
        p.block = nodes->v[i].node;
        read_tree(&p, nodes->v[i].node);
    }
    html_buf_free(&p.para);
    lede_status_t st = p.out.failed ? LEDE_E_NOMEM : LEDE_OK;
    if (st == LEDE_OK) {
        link_headings(&p.out);
        html_edges_mark(&p.out);
        trace_paras(&p);
        st = join(&p.out, out);
    }
    for (size_t i = 0; i < p.out.n; i++) free(p.out.v[i].text);
    free(p.out.v);
    free(p.alts);
    return st;
}
