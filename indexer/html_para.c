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
/* A paragraph that is this much link text is a link, not text. */
#define LINK_PARA_SHARE 0.5
/* Room for a paragraph's text in the trace's "where". */
#define WHERE_BYTES 96

typedef struct {
    hb_nodes_t *nodes;
    unsigned flags;
    const char *title;
    ex_trace_t *t;
    html_buf_t body, para;
    size_t para_links, paragraphs;
    const xmlNode *block; /* the block the current paragraph is in */
    const xmlNode *first;
    int brs; /* <br> in a row */
} para_t;

static const hb_node_t *info(const para_t *p, const xmlNode *n) {
    return n && n->_private ? &p->nodes->v[(size_t)(uintptr_t)n->_private - 1] : NULL;
}

/* a and b hold the same letters and digits, ignoring ASCII case. */
static bool same_text(const char *a, const char *b) {
    for (;;) {
        while (*a && ((unsigned char)*a < 0x80 && !isalnum((unsigned char)*a))) a++;
        while (*b && ((unsigned char)*b < 0x80 && !isalnum((unsigned char)*b))) b++;
        if (!*a || !*b) return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
        a++, b++;
    }
}

static void trace_para(para_t *p, ex_role_t role, const char *reason) {
    char where[WHERE_BYTES] = "text";
    if (!p->t) return;
    if (p->block) html_describe(p->block, where, sizeof where);
    ex_trace_block(p->t, where, p->para.s, p->para.len, role, 0, "%s", reason);
}

/* Ends the current paragraph: into the body, or left out with a reason. */
static void flush(para_t *p) {
    while (p->para.len > 0 &&
           (p->para.s[p->para.len - 1] == ' ' || p->para.s[p->para.len - 1] == '\n'))
        p->para.s[--p->para.len] = '\0';
    size_t start = 0;
    while (start < p->para.len && (p->para.s[start] == ' ' || p->para.s[start] == '\n')) start++;
    if (start) memmove(p->para.s, p->para.s + start, p->para.len - start + 1), p->para.len -= start;
    if (p->para.len > 0 && !p->para.failed) {
        size_t w = html_text_weight(p->para.s, p->para.len);
        if (p->title && same_text(p->para.s, p->title)) {
            trace_para(p, EX_ROLE_TITLE, "repeats the headline");
        } else if ((double)p->para_links > LINK_PARA_SHARE * (double)w) {
            trace_para(p, EX_ROLE_SIDEBAR, "a link, not text");
        } else {
            if (p->body.len) html_buf_raw(&p->body, "\n\n", 2);
            html_buf_raw(&p->body, p->para.s, p->para.len);
            p->paragraphs++;
            if (!p->first) p->first = p->block;
            trace_para(p, EX_ROLE_BODY, "paragraph of the article");
        }
    }
    if (p->para.failed) p->body.failed = true;
    p->para.len = 0, p->para.space = false;
    if (p->para.s) p->para.s[0] = '\0';
    p->para_links = 0, p->brs = 0;
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

/* Enters n; false when its subtree is not read. */
static bool enter(para_t *p, const xmlNode *n, bool root) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        const char *s = (const char *)n->content;
        if (!s) return false;
        size_t before = p->para.len;
        if (p->brs > 0 && p->para.len > 0) p->para.space = false, html_buf_raw(&p->para, "\n", 1);
        html_buf_text(&p->para, s, strlen(s));
        const hb_node_t *parent = info(p, n->parent);
        if (parent && parent->in_link)
            p->para_links += html_text_weight(p->para.s + before, p->para.len - before);
        if (p->para.len > before + 1) p->brs = 0;
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
    return true;
}

static void leave(para_t *p, const xmlNode *n) {
    const hb_node_t *h = info(p, n);
    if (h && h->tag && (h->tag->flags & HT_BLOCK)) flush(p);
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

lede_status_t html_para_build(hb_nodes_t *nodes, const bool *keep, unsigned flags,
                              const char *title, ex_trace_t *t, hb_result_t *out) {
    para_t p = {.nodes = nodes, .flags = flags, .title = title, .t = t};
    for (size_t i = 0; i < nodes->n; i++) {
        if (!keep[i]) continue;
        p.block = nodes->v[i].node;
        read_tree(&p, nodes->v[i].node);
    }
    bool failed = p.body.failed || p.para.failed;
    html_buf_free(&p.para);
    if (failed) {
        html_buf_free(&p.body);
        return LEDE_E_NOMEM;
    }
    out->body = p.body.s;
    out->paragraphs = p.paragraphs;
    out->weight = p.body.s ? html_text_weight(p.body.s, p.body.len) : 0;
    out->first = p.first;
    return LEDE_OK;
}
