/* What the body of a page marks up and prints about its article:
 *
 *   microdata    itemprop="headline", "author", "datePublished", ... of the
 *                article's itemscope (or of none: a video's datePublished
 *                is not the article's)
 *   bylines      rel="author", a class or id with "byline" or "author",
 *                and lines opening with "By", between the headline and the
 *                article's first paragraph (a byline after the article
 *                belongs to a teaser or an author box)
 *   dates        <time datetime> and lines that are only a date, in the
 *                same place
 *   headlines    the page's <h1>s, which confirm a declared title
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A byline or a date line is short. */
#define BYLINE_MAX_BYTES 200
#define DATE_LINE_MAX_BYTES 80
/* The first few <h1>s are headlines; later ones are page furniture. */
#define H1_MAX 3

static const char *const ARTICLE_SCOPES[] = {"Article",
                                             "NewsArticle",
                                             "BlogPosting",
                                             "Report",
                                             "ReportageNewsArticle",
                                             "OpinionNewsArticle",
                                             "AnalysisNewsArticle",
                                             "LiveBlogPosting",
                                             "WebPage",
                                             "ItemPage"};

/* Class or id words that mark a byline or its writer; "auteur", "autor"
 * in the languages that spell it so. */
static const char *const BYLINE_WORDS[] = {"byline", "author",   "auteur",   "autor",
                                           "writer", "byauthor", "by-author"};
/* ... and words that make such an element something else. */
static const char *const NOT_BYLINE[] = {"photo", "avatar",   "image", "img",    "bio",
                                         "about", "headshot", "more",  "follow", "twitter",
                                         "email", "social",   "date",  "time"};

/* Class or id words of an element that holds a date. */
static const char *const DATE_WORDS[] = {"date", "time", "posted", "published", "dateline"};

/* Words that open a printed byline. */
static const char *const BY_OPENERS[] = {"By ",  "BY ",  "by ",  "Par ", "par ",
                                         "Por ", "por ", "Von ", "von "};

static bool word_at(const char *s, const char *const *words, size_t n) {
    for (size_t i = 0; s && i < n; i++)
        if (html_contains_ci(s, words[i])) return true;
    return false;
}

/* ---- microdata -------------------------------------------------------------- */

/* The itemscope a property of n belongs to: the nearest ancestor with
 * itemscope (n's own itemscope is the value's, not the owner's). */
static const xmlNode *owner_scope(const xmlNode *n) {
    for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (html_attr(p, "itemscope")) return p;
    return NULL;
}

static bool article_scope(const xmlNode *scope) {
    const char *type = scope ? html_attr(scope, "itemtype") : NULL;
    if (!scope) return true;
    if (!type) return false;
    const char *slash = strrchr(type, '/');
    const char *name = slash ? slash + 1 : type;
    for (size_t i = 0; i < COUNT(ARTICLE_SCOPES); i++)
        if (strcasecmp(name, ARTICLE_SCOPES[i]) == 0) return true;
    return false;
}

/* A property's value: content=, datetime=, or the element's text. */
static char *prop_value(const xmlNode *n) {
    const char *v = html_attr(n, "content");
    if (!v) v = html_attr(n, "datetime");
    return v ? strdup(v) : html_text_dup(n);
}

/* The name of an itemscope value (an author's Person): its itemprop=name. */
static char *scope_name(const xmlNode *n) {
    for (const xmlNode *d = n; d; d = html_next(d, n, false))
        if (d != n && html_attr_word(d, "itemprop", "name")) return prop_value(d);
    return prop_value(n);
}

static bool organisation(const xmlNode *n) {
    const char *type = html_attr(n, "itemtype");
    return html_contains_ci(type, "Organization");
}

typedef struct {
    const char *prop;
    hc_field_t field;
} prop_t;

static const prop_t PROPS[] = {
    {"headline", HC_TITLE},         {"author", HC_AUTHOR},    {"creator", HC_AUTHOR},
    {"datePublished", HC_DATE},     {"dateCreated", HC_DATE}, {"dateModified", HC_MODIFIED},
    {"articleSection", HC_SECTION}, {"publisher", HC_SITE},   {"keywords", HC_TAG},
};

static void read_props(const xmlNode *n, html_claims_t *c) {
    if (!html_attr(n, "itemprop") || !article_scope(owner_scope(n))) return;
    for (size_t i = 0; i < COUNT(PROPS); i++) {
        if (!html_attr_word(n, "itemprop", PROPS[i].prop)) continue;
        bool person = PROPS[i].field == HC_AUTHOR || PROPS[i].field == HC_SITE;
        if (person && PROPS[i].field == HC_AUTHOR && organisation(n)) continue;
        char *v = person && html_attr(n, "itemscope") ? scope_name(n) : prop_value(n);
        if (!v) {
            c->failed = true;
            return;
        }
        html_claim(c, PROPS[i].field, HC_MICRODATA, v, strlen(v), "itemprop=\"%s\"", PROPS[i].prop);
        free(v);
    }
}

/* ---- the region before the article ----------------------------------------- */

/* Text of n with a space at every element boundary ("Lucas Nolan" and
 * "22 Dec 2016" in adjacent spans stay apart), leaving out <time> and
 * date-classed parts of a byline. */
static char *spaced_text(const xmlNode *top, bool skip_dates) {
    html_buf_t b = {0};
    for (const xmlNode *n = top; n;) {
        bool skip =
            n != top &&
            (html_no_text(n) ||
             (skip_dates && (html_is(n, "time") ||
                             word_at(html_attr(n, "class"), (const char *[]){"date", "time"}, 2))));
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            html_buf_text(&b, (const char *)n->content, strlen((const char *)n->content));
        else if (n->type == XML_ELEMENT_NODE)
            b.space = true;
        n = html_next(n, top, skip);
    }
    if (b.failed) {
        html_buf_free(&b);
        return NULL;
    }
    while (b.len > 0 && b.s[b.len - 1] == ' ') b.s[--b.len] = '\0';
    return b.s ? b.s : strdup("");
}

static bool byline_marked(const xmlNode *n) {
    if (html_attr_word(n, "rel", "author")) return true;
    const char *cls = html_attr(n, "class"), *id = html_attr(n, "id");
    bool marked = word_at(cls, BYLINE_WORDS, COUNT(BYLINE_WORDS)) ||
                  word_at(id, BYLINE_WORDS, COUNT(BYLINE_WORDS));
    return marked && !word_at(cls, NOT_BYLINE, COUNT(NOT_BYLINE)) &&
           !word_at(id, NOT_BYLINE, COUNT(NOT_BYLINE));
}

static bool opens_byline(const char *s) {
    for (size_t i = 0; i < COUNT(BY_OPENERS); i++)
        if (strncmp(s, BY_OPENERS[i], strlen(BY_OPENERS[i])) == 0) return true;
    return false;
}

static bool has_block_child(const xmlNode *n) {
    for (const xmlNode *c = n->children; c; c = c->next) {
        const hb_tag_t *t = hb_tag(c);
        if (t && (t->flags & HT_BLOCK)) return true;
    }
    return false;
}

/* A part of a byline that names someone: a link, a name-marked element
 * (itemprop=name, class "fn") or a byline-marked one. */
static bool name_part(const xmlNode *n) {
    return n->type == XML_ELEMENT_NODE &&
           (html_is(n, "a") || html_attr_word(n, "itemprop", "name") ||
            html_attr_word(n, "class", "fn") || byline_marked(n));
}

/* The names inside a byline element: its name parts ("By <a>Jane Doe</a>
 * Follow @jdoe", <span class="fn">) joined with commas into *parts, and
 * the rest of its text ("By", "WebMD Health News") into *rest; *parts is
 * NULL when there are none. */
static void byline_parts(const xmlNode *top, char **parts, char **rest) {
    html_buf_t p = {0}, r = {0};
    for (const xmlNode *n = top->children; n;) {
        bool part = name_part(n);
        char *text = part ? spaced_text(n, true) : NULL;
        if (text && *text) {
            if (p.len) html_buf_raw(&p, ", ", 2);
            html_buf_raw(&p, text, strlen(text));
        }
        if (part && !text) p.failed = true;
        free(text);
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            html_buf_text(&r, (const char *)n->content, strlen((const char *)n->content));
        else if (n->type == XML_ELEMENT_NODE)
            r.space = true;
        bool skip = part || html_no_text(n) || html_is(n, "time");
        n = html_next(n, top, skip);
    }
    if (p.failed) html_buf_free(&p);
    *parts = p.s;
    *rest = r.failed ? (html_buf_free(&r), NULL) : r.s;
}

/* What a byline credits besides its writers ("By <a>Jane Doe</a>, WebMD
 * Health News"): the publisher, when it reads as an organisation. */
static void read_credit(const char *rest, const char *where, html_claims_t *c) {
    if (!rest) return;
    char buf[HTML_NAME_BYTES];
    const char *s = rest;
    for (size_t i = 0; i < COUNT(BY_OPENERS); i++)
        if (strncmp(s, BY_OPENERS[i], strlen(BY_OPENERS[i])) == 0) s += strlen(BY_OPENERS[i]);
    size_t n = html_trim(&s, strlen(s));
    while (n > 0 && strchr(",/|-", s[0])) s++, n--;
    n = html_trim(&s, n);
    if (n == 0 || n >= sizeof buf) return;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (html_names_organisation(buf))
        html_claim(c, HC_SITE, HC_PRINTED, buf, n, "organisation in the byline %s", where);
}

/* The page's byline: the first element marked as one (outermost: "By
 * <a>A</a> and <a>B</a>" is read whole), else the first line opening with
 * "By". *found is set once one is claimed. */
static void read_byline(const xmlNode *n, html_claims_t *c, bool *found) {
    bool marked = byline_marked(n);
    if (!marked && (n->type != XML_ELEMENT_NODE || has_block_child(n))) return;
    char *text = spaced_text(n, true);
    if (!text) {
        c->failed = true;
        return;
    }
    size_t len = strlen(text);
    char where[96];
    html_describe(n, where, sizeof where);
    if (len > 0 && len <= BYLINE_MAX_BYTES && (marked || opens_byline(text))) {
        char *parts, *rest;
        byline_parts(n, &parts, &rest);
        const char *v = parts ? parts : text;
        hc_rank_t rank = marked ? HC_MARKUP : HC_PRINTED;
        html_claim(c, HC_AUTHOR, rank, v, strlen(v), "byline %s", where);
        read_credit(parts ? rest : NULL, where, c);
        free(parts), free(rest);
        *found = true;
    }
    free(text);
}

static void read_date_line(const xmlNode *n, html_claims_t *c) {
    if (has_block_child(n)) return;
    char *text = spaced_text(n, false), iso[HTML_DATE_BYTES];
    if (!text) {
        c->failed = true;
        return;
    }
    char where[96];
    html_describe(n, where, sizeof where);
    size_t len = strlen(text);
    /* An element marked as a date may hold more ("2/26/2015 7:11 AM PST
     * BY TMZ STAFF"); anything else must be only a date. */
    bool marked = word_at(html_attr(n, "class"), DATE_WORDS, COUNT(DATE_WORDS)) ||
                  word_at(html_attr(n, "id"), DATE_WORDS, COUNT(DATE_WORDS));
    if (len > 0 && len <= DATE_LINE_MAX_BYTES && html_date_parse(text, !marked, iso))
        html_claim_shown(c, HC_DATE, HC_PRINTED, iso, "date line %s", where);
    free(text);
}

static void read_time(const xmlNode *n, html_claims_t *c) {
    const char *dt = html_attr(n, "datetime");
    if (!dt) return;
    bool modified = word_at(html_attr(n, "class"), (const char *[]){"modif", "updat"}, 2) ||
                    word_at(html_attr(n, "itemprop"), (const char *[]){"dateModified"}, 1);
    html_claim_shown(c, modified ? HC_MODIFIED : HC_DATE, HC_MARKUP, dt, "<time datetime>%s", "");
}

/* ---- the walk --------------------------------------------------------------- */

static bool headline(const xmlNode *h1, const char *title) {
    char *text = title ? html_text_dup(h1) : NULL;
    bool same = text && html_same_text(text, strlen(text), title);
    free(text);
    return same;
}

/* Document positions of first and of the parent of the headline: the
 * <h1> before first that reads as the title, else the last one (a date
 * line often stands just before the headline, in its parent). */
static void positions(const xmlNode *root, const xmlNode *first, const char *title,
                      size_t *pos_first, size_t *pos_head) {
    size_t pos = 0;
    const xmlNode *h1 = NULL, *titled = NULL;
    *pos_first = SIZE_MAX, *pos_head = 0;
    for (const xmlNode *n = root; n; n = html_next(n, root, html_no_text(n)), pos++) {
        if (n == first) {
            *pos_first = pos;
            break;
        }
        if (!html_is(n, "h1")) continue;
        h1 = n;
        if (!titled && headline(n, title)) titled = n;
    }
    if (titled) h1 = titled;
    if (!h1) return;
    const xmlNode *head = h1->parent && h1->parent->type == XML_ELEMENT_NODE ? h1->parent : h1;
    pos = 0;
    for (const xmlNode *n = root; n && n != head; n = html_next(n, root, html_no_text(n))) pos++;
    *pos_head = pos;
}

/* Script, style and templates hold no claims; <head> holds microdata. */
static bool no_claims(const xmlNode *n) {
    return html_no_text(n) && !html_is(n, "head");
}

void html_markup_items(const xmlDoc *doc, html_claims_t *c) {
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t h1s = 0;
    for (const xmlNode *n = root; n; n = html_next(n, root, no_claims(n))) {
        if (n->type != XML_ELEMENT_NODE) continue;
        read_props(n, c);
        if (html_is(n, "h1") && h1s++ < H1_MAX) {
            char *text = html_text_dup(n);
            if (!text) c->failed = true;
            if (text) html_claim(c, HC_TITLE, HC_PRINTED, text, strlen(text), "<h1>");
            free(text);
        }
    }
}

void html_markup_near(const xmlDoc *doc, const xmlNode *first, const char *title,
                      html_claims_t *c) {
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t pos_first, pos_head, pos = 0;
    bool time_seen = false, byline_seen = false;
    positions(root, first, title, &pos_first, &pos_head);
    for (const xmlNode *n = root; n && pos < pos_first;
         n = html_next(n, root, html_no_text(n)), pos++) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (html_is(n, "time") && !time_seen) {
            read_time(n, c);
            time_seen = html_attr(n, "datetime") != NULL;
        }
        if (pos < pos_head) continue;
        if (!byline_seen) read_byline(n, c, &byline_seen);
        read_date_line(n, c);
    }
}
