/* Which elements of a page hold its article: a scorer in the manner of
 * Arc90's Readability. Each paragraph (a <p>, <pre>, <td>, a heading, or
 * the loose text of a <div>) earns points for its length and its commas,
 * and passes them to the elements above it (less at each level); an
 * element's points shrink with the share of its text that is links. The
 * best element, climbed up to where its rivals meet, with the siblings
 * that read like more of the same, is the article. Furniture is dropped
 * first by tag, ARIA role and hiding, and by class/id words, which are
 * the step most likely to throw the article out with it: when the body
 * comes out short, the scorer tries again without them (then without
 * class/id weights, then without cleaning inside the article) and keeps
 * the longest. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract_html.h"

/* A paragraph shorter than this (weighted characters) scores nothing. */
#define PARA_MIN_WEIGHT 25
/* Points for length: one per this many characters, at most LENGTH_MAX. */
#define LENGTH_UNIT 100
#define LENGTH_MAX 3
/* Points reach this many levels of ancestors. */
#define ANCESTOR_LEVELS 5
/* Rivals within this share of the best score, and how many of them must
 * meet in one ancestor for it to be taken instead. */
#define RIVAL_SHARE 0.75
#define RIVALS_MIN 3
#define TOP_KEEP 5
/* Climbing: through ancestors scoring this share of the chosen element,
 * to one scoring at least CLIMB_MIN of it. */
#define CLIMB_FLOOR (1.0 / 3)
#define CLIMB_MIN 0.5
/* A sibling joins the article with this share of the best score... */
#define SIBLING_SHARE 0.2
#define SIBLING_MIN_SCORE 10.0
/* ... or when it is a paragraph that reads like text. */
#define SIBLING_PARA_WEIGHT 80
#define SIBLING_PARA_LINKS 0.25
/* Blocks of the chosen element's class looked at, at most: each is
 * checked against everything already taken. */
#define JOIN_MAX 32
/* A <header> or <form> holding this many long paragraphs is kept
 * (ASP.NET pages wrap the whole page in a form). */
#define LONG_PARA_WEIGHT 80
#define WRAPPER_MIN_PARAS 2

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned ATTEMPTS[] = {
    HB_ALL,
    HB_ALL & ~HB_STRIP_UNLIKELY,
    HB_ALL & ~HB_STRIP_UNLIKELY & ~HB_WEIGHT_CLASSES,
    0,
};

/* Everything known about the page's elements, built once. */
typedef struct {
    hb_nodes_t nodes;
    unsigned *long_paras; /* long paragraphs below each element, read or not */
} page_t;

static const hb_drop_t WRAPPER = {"<header> or <form> without paragraphs", EX_ROLE_FURNITURE};

static size_t index_of(const xmlNode *n) {
    return (size_t)(uintptr_t)n->_private - 1;
}

/* ---- the element array ------------------------------------------------- */

static size_t commas_in(const char *s) {
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ',') n++;
        /* U+FF0C, U+3001, U+060C: full-width, ideographic and Arabic commas */
        if (strncmp(p, "\xEF\xBC\x8C", 3) == 0 || strncmp(p, "\xE3\x80\x81", 3) == 0 ||
            strncmp(p, "\xD8\x8C", 2) == 0)
            n++;
    }
    return n;
}

/* Weighted length of s with runs of white space counted once. */
static size_t collapsed_weight(const char *s) {
    size_t w = 0;
    bool space = true;
    for (const char *p = s; *p;) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            if (!space) w++;
            space = true;
            p++;
            continue;
        }
        size_t k = 1;
        while (p[k] && ((unsigned char)p[k] & 0xC0) == 0x80) k++;
        w += html_text_weight(p, k);
        space = false;
        p += k;
    }
    return w;
}

static lede_status_t add_node(page_t *pg, size_t *cap, xmlNode *n) {
    hb_nodes_t *ns = &pg->nodes;
    if (ns->n == *cap) {
        size_t want = *cap ? *cap * 2 : 1024;
        hb_node_t *bigger = realloc(ns->v, want * sizeof *bigger);
        if (!bigger) return LEDE_E_NOMEM;
        ns->v = bigger, *cap = want;
    }
    hb_node_t *h = &ns->v[ns->n];
    *h = (hb_node_t){.node = n, .parent = -1, .tag = hb_tag(n)};
    hb_hints(n, &h->weight, &h->unlikely);
    h->fixed = hb_static_drop(n);
    if (n->parent && n->parent->type == XML_ELEMENT_NODE && n->parent->_private) {
        h->parent = (int)index_of(n->parent);
        h->in_link = ns->v[h->parent].in_link;
    }
    h->in_link = h->in_link || html_is(n, "a");
    n->_private = (void *)(uintptr_t)(ns->n + 1);
    ns->n++;
    return LEDE_OK;
}

static void add_text(page_t *pg, const xmlNode *text) {
    if (!text->parent || !text->parent->_private || !text->content) return;
    hb_node_t *h = &pg->nodes.v[index_of(text->parent)];
    size_t w = collapsed_weight((const char *)text->content);
    h->own_text += w;
    h->own_commas += commas_in((const char *)text->content);
    if (h->in_link) h->own_links += w;
}

/* Numbers every element in document order (the index is kept in the
 * node's _private) and reads what does not change between attempts. */
static lede_status_t build(xmlDoc *doc, page_t *pg) {
    xmlNode *root = xmlDocGetRootElement(doc);
    size_t cap = 0;
    lede_status_t st = LEDE_OK;
    for (xmlNode *n = root; n && st == LEDE_OK; n = html_next(n, root, html_no_text(n))) {
        if (n->type == XML_ELEMENT_NODE)
            st = add_node(pg, &cap, n);
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            add_text(pg, n);
    }
    pg->long_paras = calloc(pg->nodes.n + 1, sizeof *pg->long_paras);
    return st == LEDE_OK && pg->long_paras ? LEDE_OK : LEDE_E_NOMEM;
}

static void page_free(page_t *pg) {
    for (size_t i = 0; i < pg->nodes.n; i++) pg->nodes.v[i].node->_private = NULL;
    free(pg->nodes.v), free(pg->long_paras);
}

/* ---- one attempt ------------------------------------------------------------ */

static bool is_wrapper(const hb_node_t *h) {
    return html_is(h->node, "header") || html_is(h->node, "form");
}

static bool any_of(const xmlNode *n, const char *const *tags, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (html_is(n, tags[i])) return true;
    return false;
}

/* Adds h's totals to its parent's. Form controls and embedded frames
 * count wherever they are (they are never read, but say what a block
 * is); the rest only where it is read. */
static void sum_up(hb_nodes_t *ns, hb_node_t *h) {
    static const char *const INPUTS[] = {"input", "select", "textarea", "button"};
    static const char *const EMBEDS[] = {"iframe", "embed", "object", "video"};
    hb_node_t *p = h->parent >= 0 ? &ns->v[h->parent] : NULL;
    h->inputs += any_of(h->node, INPUTS, COUNT(INPUTS));
    h->embeds += any_of(h->node, EMBEDS, COUNT(EMBEDS));
    if (p) p->inputs += h->inputs, p->embeds += h->embeds;
    if (h->drop || h->dropped_above) return;
    bool heading = h->tag && (h->tag->flags & HT_HEADING);
    h->paras += html_is(h->node, "p");
    h->imgs += html_is(h->node, "img");
    h->lis += html_is(h->node, "li");
    h->headings += heading;
    if (heading) h->heading_text = h->text;
    if (!p) return;
    p->text += h->text, p->links += h->links, p->commas += h->commas;
    p->heading_text += h->heading_text;
    p->paras += h->paras, p->imgs += h->imgs, p->lis += h->lis, p->headings += h->headings;
}

/* Marks what is not read under these flags, then sums text, links and
 * counts bottom-up over what is read. */
static void measure(page_t *pg, unsigned flags) {
    hb_nodes_t *ns = &pg->nodes;
    for (size_t i = 0; i < ns->n; i++) {
        hb_node_t *h = &ns->v[i];
        h->drop = h->fixed;
        if (!h->drop && (flags & HB_STRIP_UNLIKELY)) h->drop = h->unlikely;
        if (!h->drop && is_wrapper(h) && pg->long_paras[i] < WRAPPER_MIN_PARAS) h->drop = &WRAPPER;
        h->dropped_above =
            h->parent >= 0 && (ns->v[h->parent].drop || ns->v[h->parent].dropped_above);
        h->text = h->own_text, h->links = h->own_links, h->commas = h->own_commas;
        h->paras = h->imgs = h->lis = h->headings = h->inputs = h->embeds = 0;
        h->heading_text = 0;
        h->score = 0, h->candidate = false;
    }
    for (size_t i = ns->n; i-- > 0;) sum_up(ns, &ns->v[i]);
}

/* Long paragraphs below each element, with only the fixed drops: decides
 * whether a <header> or <form> is a wrapper of the article. */
static void count_long_paras(page_t *pg) {
    hb_nodes_t *ns = &pg->nodes;
    measure(pg, 0);
    for (size_t i = ns->n; i-- > 0;) {
        hb_node_t *h = &ns->v[i];
        if (h->drop || h->dropped_above) continue;
        if (html_is(h->node, "p") && h->text >= LONG_PARA_WEIGHT) pg->long_paras[i]++;
        if (h->parent >= 0) pg->long_paras[h->parent] += pg->long_paras[i];
    }
}

static double link_density(const hb_node_t *h) {
    return h->text ? (double)h->links / (double)h->text : 0.0;
}

static double final_score(const hb_node_t *h) {
    return h->score * (1.0 - link_density(h));
}

static void make_candidate(hb_node_t *h, unsigned flags) {
    if (h->candidate) return;
    h->candidate = true;
    h->score = (h->tag ? h->tag->base : 0) + ((flags & HB_WEIGHT_CLASSES) ? h->weight : 0);
}

/* A paragraph's points, or 0 when it is not one: a scored tag, or loose
 * text directly in a block. */
static double para_points(const hb_node_t *h) {
    size_t w, commas;
    if (h->tag && (h->tag->flags & HT_PARA))
        w = h->text, commas = h->commas;
    else if (h->tag && (h->tag->flags & HT_BLOCK))
        w = h->own_text, commas = h->own_commas;
    else
        return 0;
    if (w < PARA_MIN_WEIGHT) return 0;
    double length = floor((double)w / LENGTH_UNIT);
    return 1.0 + (double)commas + (length < LENGTH_MAX ? length : LENGTH_MAX);
}

static void score(page_t *pg, unsigned flags) {
    hb_nodes_t *ns = &pg->nodes;
    for (size_t i = 0; i < ns->n; i++) {
        hb_node_t *h = &ns->v[i];
        double points = h->drop || h->dropped_above ? 0 : para_points(h);
        if (points <= 0) continue;
        int level = 0;
        for (int a = h->parent; a >= 0 && level < ANCESTOR_LEVELS; a = ns->v[a].parent, level++) {
            hb_node_t *anc = &ns->v[a];
            make_candidate(anc, flags);
            anc->score += points / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
}

/* The best candidates, best first, in top[0..*n). */
static void best_candidates(const hb_nodes_t *ns, int top[TOP_KEEP], size_t *n) {
    *n = 0;
    for (size_t i = 0; i < ns->n; i++) {
        if (!ns->v[i].candidate) continue;
        double s = final_score(&ns->v[i]);
        size_t at = *n;
        while (at > 0 && final_score(&ns->v[top[at - 1]]) < s) at--;
        if (at >= TOP_KEEP) continue;
        if (*n < TOP_KEEP) (*n)++;
        memmove(&top[at + 1], &top[at], (*n - at - 1) * sizeof top[0]);
        top[at] = (int)i;
    }
}

static bool is_ancestor(const hb_nodes_t *ns, int a, int n) {
    for (int p = ns->v[n].parent; p >= 0; p = ns->v[p].parent)
        if (p == a) return true;
    return false;
}

static bool is_body(const hb_node_t *h) {
    return html_is(h->node, "body") || html_is(h->node, "html");
}

/* Where the best candidate's close rivals meet: when RIVALS_MIN of them
 * sit under one ancestor of the best, the article is that ancestor (a
 * story split into several blocks by ads or images). */
static int rivals_meet(const hb_nodes_t *ns, const int *top, size_t n) {
    int best = top[0], rivals[TOP_KEEP];
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
        if (final_score(&ns->v[top[i]]) >= RIVAL_SHARE * final_score(&ns->v[best]))
            rivals[k++] = top[i];
    if (k < RIVALS_MIN) return best;
    for (int a = ns->v[best].parent; a >= 0 && !is_body(&ns->v[a]); a = ns->v[a].parent) {
        size_t holding = 0;
        for (size_t i = 0; i < k; i++) holding += is_ancestor(ns, a, rivals[i]);
        if (holding >= RIVALS_MIN) return a;
    }
    return best;
}

/* Climbs to an ancestor that scores higher than the one below it (the
 * story goes on around the chosen element: an intro, a "read more" box),
 * through ancestors that score at least a third of the chosen one; the
 * ancestor must score half the chosen one itself (a page's wrapper scores
 * higher than the header between it and the story, but not that much).
 * Then past parents that hold nothing but the chosen element. */
static int climb(const hb_nodes_t *ns, int top) {
    double best = ns->v[top].score, last = best;
    for (int p = ns->v[top].parent; p >= 0 && !is_body(&ns->v[p]); p = ns->v[p].parent) {
        if (!ns->v[p].candidate) continue;
        double s = ns->v[p].score;
        if (s < best * CLIMB_FLOOR) break;
        if (s > last && s >= best * CLIMB_MIN) {
            top = p;
            break;
        }
        last = s;
    }
    for (int p = ns->v[top].parent; p >= 0 && !is_body(&ns->v[p]); p = ns->v[p].parent) {
        size_t elements = 0;
        for (const xmlNode *c = ns->v[p].node->children; c; c = c->next)
            elements += c->type == XML_ELEMENT_NODE;
        if (elements != 1) break;
        top = p;
    }
    return top;
}

static int body_element(const hb_nodes_t *ns) {
    for (size_t i = 0; i < ns->n; i++)
        if (html_is(ns->v[i].node, "body")) return (int)i;
    return ns->n ? 0 : -1;
}

static bool ends_sentence(const xmlNode *n) {
    char *s = html_text_dup(n);
    size_t k = s ? strlen(s) : 0;
    bool ends = k > 0 && strchr(".!?\"", s[k - 1]);
    if (k >= 3 && !ends) ends = strcmp(s + k - 3, "\xE3\x80\x82") == 0; /* 。 */
    free(s);
    return ends;
}

/* A <p>, or a block used as one (no blocks inside: a standfirst in a
 * <div>). */
static bool para_like(const hb_node_t *h) {
    if (html_is(h->node, "p")) return true;
    if (!h->tag || !(h->tag->flags & HT_BLOCK) || (h->tag->flags & HT_LIST)) return false;
    for (const xmlNode *c = h->node->children; c; c = c->next) {
        const hb_tag_t *t = hb_tag(c);
        if (t && (t->flags & HT_BLOCK)) return false;
    }
    return true;
}

/* A sibling of the chosen element that is more of the article. */
static bool sibling_joins(const hb_nodes_t *ns, int top, int s) {
    const hb_node_t *h = &ns->v[s], *t = &ns->v[top];
    if (h->drop) return false;
    double threshold = final_score(t) * SIBLING_SHARE;
    if (threshold < SIBLING_MIN_SCORE) threshold = SIBLING_MIN_SCORE;
    const char *c1 = html_attr(h->node, "class"), *c2 = html_attr(t->node, "class");
    double bonus = c1 && c2 && *c1 && strcmp(c1, c2) == 0 ? final_score(t) * SIBLING_SHARE : 0;
    if (h->candidate && final_score(h) + bonus >= threshold) return true;
    if (!para_like(h)) return false;
    double ld = link_density(h);
    if (h->text >= SIBLING_PARA_WEIGHT) return ld < SIBLING_PARA_LINKS;
    return h->text > 0 && ld == 0 && ends_sentence(h->node);
}

/* The first word of n's class, into out; false when it has none. */
static bool first_class(const xmlNode *n, char *out, size_t size) {
    const char *c = html_attr(n, "class");
    size_t k = 0;
    while (c && (*c == ' ' || *c == '\t')) c++;
    while (c && c[k] && c[k] != ' ' && c[k] != '\t' && k + 1 < size) out[k] = c[k], k++;
    out[k] = '\0';
    return k > 0;
}

static bool related(const hb_nodes_t *ns, int a, int b) {
    return a == b || is_ancestor(ns, a, b) || is_ancestor(ns, b, a);
}

/* A story split into blocks of one class ("story-body-1", ads, then
 * "story-body-2"): blocks elsewhere on the page with the best candidate's
 * first class word that score like part of it join the article. */
static void join_same_class(const hb_nodes_t *ns, int best, bool *keep) {
    char cls[64], other[64];
    if (!first_class(ns->v[best].node, cls, sizeof cls)) return;
    double threshold = final_score(&ns->v[best]) * SIBLING_SHARE;
    if (threshold < SIBLING_MIN_SCORE) threshold = SIBLING_MIN_SCORE;
    size_t tried = 0;
    for (size_t i = 0; i < ns->n && tried < JOIN_MAX; i++) {
        const hb_node_t *h = &ns->v[i];
        if (!h->candidate || h->drop || h->dropped_above || final_score(h) < threshold ||
            link_density(h) >= SIBLING_PARA_LINKS || !first_class(h->node, other, sizeof other) ||
            strcmp(cls, other) != 0)
            continue;
        bool clash = false;
        tried++;
        for (size_t k = 0; k < ns->n && !clash; k++) clash = keep[k] && related(ns, (int)k, (int)i);
        if (!clash) keep[i] = true;
    }
}

static void trace_candidates(page_t *pg, const int *top, size_t n, int chosen, ex_trace_t *t) {
    for (size_t i = 0; t && i < n; i++) {
        const hb_node_t *h = &pg->nodes.v[top[i]];
        char where[96];
        html_describe(h->node, where, sizeof where);
        if (top[i] == chosen) continue;
        ex_trace_block(t, where, "", 0, EX_ROLE_SKIPPED, 0,
                       "candidate not taken: score %.1f, link density %.2f, %u paragraphs",
                       final_score(h), link_density(h), h->paras);
    }
}

/* A sibling of the chosen element left out, with why: its own drop, or
 * its score. */
static void trace_sibling(const hb_node_t *h, ex_trace_t *t) {
    if (!t || h->text == 0) return;
    char where[96], *text = html_text_dup(h->node);
    html_describe(h->node, where, sizeof where);
    if (h->drop)
        ex_trace_block(t, where, text ? text : "", text ? strlen(text) : 0, h->drop->role, 0,
                       "left out: %s", h->drop->why);
    else
        ex_trace_block(t, where, text ? text : "", text ? strlen(text) : 0, EX_ROLE_SKIPPED, 0,
                       "next to the article, not joined: score %.1f, link density %.2f",
                       final_score(h), link_density(h));
    free(text);
}

/* Chooses the article's elements under flags: keep[i] marks them. */
static int choose(page_t *pg, unsigned flags, bool *keep, ex_trace_t *t) {
    hb_nodes_t *ns = &pg->nodes;
    int top[TOP_KEEP];
    size_t n;
    measure(pg, flags);
    score(pg, flags);
    best_candidates(ns, top, &n);
    int chosen = n ? climb(ns, rivals_meet(ns, top, n)) : body_element(ns);
    if (chosen < 0) return -1;
    trace_candidates(pg, top, n, chosen, t);
    memset(keep, 0, ns->n * sizeof *keep);
    const xmlNode *parent = ns->v[chosen].node->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE || is_body(&ns->v[chosen])) {
        keep[chosen] = true;
        if (n) join_same_class(ns, top[0], keep);
        return chosen;
    }
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !c->_private) continue;
        int s = (int)index_of(c);
        keep[s] = s == chosen || sibling_joins(ns, chosen, s);
        if (!keep[s]) trace_sibling(&ns->v[s], t);
    }
    join_same_class(ns, top[0], keep);
    return chosen;
}

static lede_status_t attempt(page_t *pg, unsigned flags, const char *title, ex_trace_t *t,
                             hb_result_t *out) {
    bool *keep = calloc(pg->nodes.n + 1, sizeof *keep);
    if (!keep) return LEDE_E_NOMEM;
    *out = (hb_result_t){0};
    int chosen = choose(pg, flags, keep, t);
    lede_status_t st = LEDE_OK;
    if (chosen >= 0) {
        const hb_node_t *h = &pg->nodes.v[chosen];
        out->top = h->node;
        out->score = final_score(h);
        char where[96];
        html_describe(h->node, where, sizeof where);
        ex_trace_block(t, where, "", 0, EX_ROLE_BODY, 0,
                       "the article: score %.1f, link density %.2f, %u paragraphs", out->score,
                       link_density(h), h->paras);
        st = html_para_build(&pg->nodes, keep, flags, title, t, out);
    }
    free(keep);
    return st;
}

static void result_free(hb_result_t *r) {
    free(r->body);
    free(r->bio);
    r->body = r->bio = NULL;
}

/* Tries the flags in turn; the first body long enough wins, else the
 * longest. *flags gets the winner's. */
static lede_status_t best_attempt(page_t *pg, const char *title, hb_result_t *out,
                                  unsigned *flags) {
    hb_result_t best = {0};
    for (size_t i = 0; i < COUNT(ATTEMPTS); i++) {
        hb_result_t r;
        lede_status_t st = attempt(pg, ATTEMPTS[i], title, NULL, &r);
        if (st != LEDE_OK) {
            result_free(&best);
            return st;
        }
        if (r.weight > best.weight) {
            result_free(&best);
            best = r, *flags = ATTEMPTS[i];
        } else {
            result_free(&r);
        }
        if (best.weight >= HB_GOOD_BODY_WEIGHT) break;
    }
    *out = best;
    return LEDE_OK;
}

lede_status_t html_body_extract(xmlDoc *doc, const char *title, ex_trace_t *t, hb_result_t *out) {
    page_t pg = {0};
    unsigned flags = HB_ALL;
    *out = (hb_result_t){0};
    lede_status_t st = build(doc, &pg);
    if (st == LEDE_OK) {
        count_long_paras(&pg);
        st = best_attempt(&pg, title, out, &flags);
    }
    if (st == LEDE_OK && t) {
        /* Once more with the trace, for the attempt that won. */
        ex_trace_note(t, "article chosen with%s%s%s",
                      flags & HB_STRIP_UNLIKELY ? " furniture class/id dropped," : "",
                      flags & HB_WEIGHT_CLASSES ? " class/id weights," : "",
                      flags & HB_CLEAN_BLOCKS ? " link lists and image blocks cleaned"
                                              : " nothing cleaned");
        result_free(out);
        st = attempt(&pg, flags, title, t, out);
    }
    page_free(&pg);
    if (st != LEDE_OK) result_free(out);
    return st;
}
