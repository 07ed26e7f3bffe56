/* What an element's markup says before its text is read: its tag (a
 * paragraph, a list, navigation, a figure), its class and id ("story-body"
 * reads as the article, "share-bar" as furniture), and hiding. These are
 * vocabulary for the scorer in html_body.c, which decides from text. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What one class/id word is worth. */
#define CLASS_WEIGHT 25

/* Sorted by name for bsearch. */
static const hb_tag_t TAGS[] = {
    {"address", HT_BLOCK, -3, EX_ROLE_BODY},
    {"article", HT_BLOCK, 10, EX_ROLE_BODY},
    {"aside", HT_BLOCK | HT_DROP, 0, EX_ROLE_SIDEBAR},
    {"audio", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"blockquote", HT_BLOCK | HT_PARA, 3, EX_ROLE_BODY},
    {"body", HT_BLOCK, 0, EX_ROLE_BODY},
    {"button", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"canvas", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"caption", HT_BLOCK, 0, EX_ROLE_BODY},
    {"center", HT_BLOCK, 0, EX_ROLE_BODY},
    {"dd", HT_BLOCK, -3, EX_ROLE_BODY},
    {"details", HT_BLOCK, 0, EX_ROLE_BODY},
    {"dialog", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"div", HT_BLOCK | HT_CLEANABLE, 5, EX_ROLE_BODY},
    {"dl", HT_BLOCK | HT_LIST | HT_CLEANABLE, -3, EX_ROLE_BODY},
    {"dt", HT_BLOCK, -3, EX_ROLE_BODY},
    {"embed", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"fieldset", HT_BLOCK | HT_CLEANABLE, -3, EX_ROLE_BODY},
    {"figcaption", HT_BLOCK | HT_DROP, 0, EX_ROLE_CAPTION},
    {"figure", HT_BLOCK | HT_DROP, 0, EX_ROLE_CAPTION},
    {"footer", HT_BLOCK | HT_DROP, 0, EX_ROLE_FURNITURE},
    {"form", HT_BLOCK | HT_CLEANABLE, -3, EX_ROLE_BODY},
    {"h1", HT_BLOCK | HT_HEADING, -5, EX_ROLE_BODY},
    {"h2", HT_BLOCK | HT_HEADING | HT_PARA, -5, EX_ROLE_BODY},
    {"h3", HT_BLOCK | HT_HEADING | HT_PARA, -5, EX_ROLE_BODY},
    {"h4", HT_BLOCK | HT_HEADING | HT_PARA, -5, EX_ROLE_BODY},
    {"h5", HT_BLOCK | HT_HEADING | HT_PARA, -5, EX_ROLE_BODY},
    {"h6", HT_BLOCK | HT_HEADING | HT_PARA, -5, EX_ROLE_BODY},
    {"head", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"header", HT_BLOCK, 0, EX_ROLE_BODY},
    {"hgroup", HT_BLOCK, 0, EX_ROLE_BODY},
    {"hr", HT_BLOCK, 0, EX_ROLE_BODY},
    {"html", HT_BLOCK, 0, EX_ROLE_BODY},
    {"iframe", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"input", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"label", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"li", HT_BLOCK, -3, EX_ROLE_BODY},
    {"main", HT_BLOCK, 10, EX_ROLE_BODY},
    {"map", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"menu", HT_BLOCK | HT_DROP, 0, EX_ROLE_FURNITURE},
    {"nav", HT_BLOCK | HT_DROP, 0, EX_ROLE_FURNITURE},
    {"noscript", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"object", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"ol", HT_BLOCK | HT_LIST | HT_CLEANABLE, -3, EX_ROLE_BODY},
    {"option", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"p", HT_BLOCK | HT_PARA, 0, EX_ROLE_BODY},
    {"picture", HT_DROP, 0, EX_ROLE_CAPTION},
    {"pre", HT_BLOCK | HT_PARA, 3, EX_ROLE_BODY},
    {"script", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"section", HT_BLOCK | HT_CLEANABLE, 0, EX_ROLE_BODY},
    {"select", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"style", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"summary", HT_BLOCK, 0, EX_ROLE_BODY},
    {"svg", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"table", HT_BLOCK | HT_CLEANABLE, 0, EX_ROLE_BODY},
    {"td", HT_BLOCK | HT_PARA, 3, EX_ROLE_BODY},
    {"template", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"textarea", HT_DROP, 0, EX_ROLE_FURNITURE},
    {"th", HT_BLOCK, -5, EX_ROLE_BODY},
    {"title", HT_DROP, 0, EX_ROLE_SKIPPED},
    {"tr", HT_BLOCK, 0, EX_ROLE_BODY},
    {"ul", HT_BLOCK | HT_LIST | HT_CLEANABLE, -3, EX_ROLE_BODY},
    {"video", HT_DROP, 0, EX_ROLE_CAPTION},
};

static int tag_cmp(const void *key, const void *elem) {
    return strcmp((const char *)key, ((const hb_tag_t *)elem)->name);
}

const hb_tag_t *hb_tag(const xmlNode *n) {
    if (!n || n->type != XML_ELEMENT_NODE) return NULL;
    return bsearch(n->name, TAGS, COUNT(TAGS), sizeof TAGS[0], tag_cmp);
}

/* ---- class and id words ---------------------------------------------- */

typedef struct {
    const char *word;
    bool part;   /* matches inside a word ("sidebar" in "leftsidebar") */
    bool strong; /* wins over an article word ("post-body-bio", "article-share") */
    hb_drop_t drop;
} hint_t;

/* Furniture words: whole words of a class or id (split at "-", "_",
 * spaces and case changes), or parts of one where marked. */
static const hint_t FURNITURE[] = {
    {"ad", false, false, {"class/id \"ad\"", EX_ROLE_FURNITURE}},
    {"ads", false, false, {"class/id \"ads\"", EX_ROLE_FURNITURE}},
    {"adv", false, false, {"class/id \"adv\"", EX_ROLE_FURNITURE}},
    {"advert", true, true, {"class/id \"advert\"", EX_ROLE_FURNITURE}},
    {"dfp", false, false, {"class/id \"dfp\"", EX_ROLE_FURNITURE}},
    {"banner", true, false, {"class/id \"banner\"", EX_ROLE_FURNITURE}},
    {"breadcrumb", true, true, {"class/id \"breadcrumb\"", EX_ROLE_FURNITURE}},
    {"comment", true, true, {"class/id \"comment\"", EX_ROLE_FURNITURE}},
    {"disqus", true, true, {"class/id \"disqus\"", EX_ROLE_FURNITURE}},
    {"community", true, false, {"class/id \"community\"", EX_ROLE_FURNITURE}},
    {"footer", true, false, {"class/id \"footer\"", EX_ROLE_FURNITURE}},
    {"masthead", true, false, {"class/id \"masthead\"", EX_ROLE_FURNITURE}},
    {"menu", true, false, {"class/id \"menu\"", EX_ROLE_FURNITURE}},
    {"nav", false, false, {"class/id \"nav\"", EX_ROLE_FURNITURE}},
    {"navigation", false, false, {"class/id \"navigation\"", EX_ROLE_FURNITURE}},
    {"navbar", true, false, {"class/id \"navbar\"", EX_ROLE_FURNITURE}},
    {"share", true, true, {"class/id \"share\"", EX_ROLE_FURNITURE}},
    {"sharing", true, true, {"class/id \"sharing\"", EX_ROLE_FURNITURE}},
    {"social", true, true, {"class/id \"social\"", EX_ROLE_FURNITURE}},
    {"newsletter", true, true, {"class/id \"newsletter\"", EX_ROLE_FURNITURE}},
    {"subscri", true, true, {"class/id \"subscribe\"", EX_ROLE_FURNITURE}},
    {"signup", true, true, {"class/id \"signup\"", EX_ROLE_FURNITURE}},
    {"sponsor", true, true, {"class/id \"sponsor\"", EX_ROLE_FURNITURE}},
    {"popup", true, false, {"class/id \"popup\"", EX_ROLE_FURNITURE}},
    {"modal", false, false, {"class/id \"modal\"", EX_ROLE_FURNITURE}},
    {"overlay", false, false, {"class/id \"overlay\"", EX_ROLE_FURNITURE}},
    {"cookie", true, true, {"class/id \"cookie\"", EX_ROLE_FURNITURE}},
    {"consent", true, true, {"class/id \"consent\"", EX_ROLE_FURNITURE}},
    {"gdpr", true, false, {"class/id \"gdpr\"", EX_ROLE_FURNITURE}},
    {"paywall", true, true, {"class/id \"paywall\"", EX_ROLE_FURNITURE}},
    {"pagination", true, false, {"class/id \"pagination\"", EX_ROLE_FURNITURE}},
    {"pager", false, false, {"class/id \"pager\"", EX_ROLE_FURNITURE}},
    {"toolbar", true, false, {"class/id \"toolbar\"", EX_ROLE_FURNITURE}},
    {"tools", false, false, {"class/id \"tools\"", EX_ROLE_FURNITURE}},
    {"print", false, false, {"class/id \"print\"", EX_ROLE_FURNITURE}},
    {"skip", false, false, {"class/id \"skip\"", EX_ROLE_FURNITURE}},
    {"hidden", false, false, {"class/id \"hidden\"", EX_ROLE_FURNITURE}},
    {"outbrain", true, true, {"class/id \"outbrain\"", EX_ROLE_SIDEBAR}},
    {"taboola", true, true, {"class/id \"taboola\"", EX_ROLE_SIDEBAR}},
    {"sidebar", true, false, {"class/id \"sidebar\"", EX_ROLE_SIDEBAR}},
    {"rail", false, false, {"class/id \"rail\"", EX_ROLE_SIDEBAR}},
    {"related", true, true, {"class/id \"related\"", EX_ROLE_SIDEBAR}},
    {"recirc", true, false, {"class/id \"recirc\"", EX_ROLE_SIDEBAR}},
    {"recommend", true, true, {"class/id \"recommend\"", EX_ROLE_SIDEBAR}},
    {"trending", true, true, {"class/id \"trending\"", EX_ROLE_SIDEBAR}},
    {"popular", true, true, {"class/id \"popular\"", EX_ROLE_SIDEBAR}},
    {"promo", true, true, {"class/id \"promo\"", EX_ROLE_SIDEBAR}},
    {"teaser", true, false, {"class/id \"teaser\"", EX_ROLE_SIDEBAR}},
    {"widget", true, false, {"class/id \"widget\"", EX_ROLE_SIDEBAR}},
    {"pullquote", true, true, {"class/id \"pullquote\"", EX_ROLE_FURNITURE}},
    {"pull-quote", true, true, {"class/id \"pull-quote\"", EX_ROLE_FURNITURE}},
    {"caption", true, true, {"class/id \"caption\"", EX_ROLE_CAPTION}},
    {"credit", true, true, {"class/id \"credit\"", EX_ROLE_CAPTION}},
    {"gallery", true, false, {"class/id \"gallery\"", EX_ROLE_CAPTION}},
    {"photo", true, false, {"class/id \"photo\"", EX_ROLE_CAPTION}},
    {"image", false, false, {"class/id \"image\"", EX_ROLE_CAPTION}},
    {"img", false, false, {"class/id \"img\"", EX_ROLE_CAPTION}},
    {"figure", false, false, {"class/id \"figure\"", EX_ROLE_CAPTION}},
    {"byline", true, true, {"class/id \"byline\"", EX_ROLE_META}},
    {"author", true, true, {"class/id \"author\"", EX_ROLE_META}},
    {"bio", false, true, {"class/id \"bio\"", EX_ROLE_META}},
    {"dateline", true, true, {"class/id \"dateline\"", EX_ROLE_META}},
    {"timestamp", true, true, {"class/id \"timestamp\"", EX_ROLE_META}},
    {"meta", false, false, {"class/id \"meta\"", EX_ROLE_META}},
    {"tags", false, false, {"class/id \"tags\"", EX_ROLE_META}},
    {"keywords", false, false, {"class/id \"keywords\"", EX_ROLE_META}},
};

/* Article words: parts of a class or id. */
static const char *const ARTICLE[] = {"article", "body",  "content", "entry", "main",
                                      "post",    "story", "text",    "prose", "hentry"};

/* An element's class and id, lower-cased and joined by a space, with
 * where each of their words starts ("story-body__inner" holds "story",
 * "body", "inner"; "articleBody" holds "article", "body"). Matching runs
 * once per element over this copy: the page has thousands of elements
 * and the lists have dozens of words. */
#define NAMES_BYTES 256
/* An id of this many words joined by "-" or "_" is a heading's slug. */
#define SLUG_MIN_WORDS 4

typedef struct {
    char low[NAMES_BYTES];
    bool start[NAMES_BYTES + 1]; /* a word starts at i (or the text ends there) */
    size_t n;
    unsigned char pairs[26 * 26 / 8 + 1]; /* which two-letter sequences occur */
} names_t;

/* The bit of the letter pair at s, or -1 when s does not start with two
 * letters. A word whose first pair is not in the names is not there:
 * most words are ruled out without a search. */
static int pair(const char *s) {
    if (s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z') return -1;
    return (s[0] - 'a') * 26 + (s[1] - 'a');
}

static void names_add(names_t *w, const char *s) {
    if (!s) return;
    if (w->n > 0 && w->n + 1 < NAMES_BYTES) w->start[w->n] = true, w->low[w->n++] = ' ';
    for (size_t i = 0; s[i] && w->n + 1 < NAMES_BYTES; i++) {
        unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
        w->start[w->n] = !isalnum(prev) || (islower(prev) && isupper(c));
        w->low[w->n++] = (char)tolower(c);
    }
}

/* An id made from a heading ("sharing-with-a-single-developer", an
 * anchor for the section) says what the section is about, not what it is. */
static bool heading_slug(const char *id) {
    size_t words = 1;
    for (const char *p = id; p && *p; p++) words += *p == '-' || *p == '_';
    return id && words >= SLUG_MIN_WORDS;
}

static void names_of(const xmlNode *n, names_t *w) {
    const char *id = html_attr(n, "id");
    w->n = 0;
    names_add(w, html_attr(n, "class"));
    if (!heading_slug(id)) names_add(w, id);
    w->low[w->n] = '\0';
    w->start[w->n] = true;
    memset(w->pairs, 0, sizeof w->pairs);
    for (size_t i = 0; i + 1 < w->n; i++) {
        int b = pair(w->low + i);
        if (b >= 0) w->pairs[b / 8] |= (unsigned char)(1u << (b % 8));
    }
}

static bool boundary(const names_t *w, size_t i) {
    return i >= w->n || w->start[i] || !isalnum((unsigned char)w->low[i]);
}

/* True when word occurs in the names as a whole word (or, with part,
 * anywhere). */
static bool has_word(const names_t *w, const char *word, bool part) {
    int b = pair(word);
    if (b >= 0 && !(w->pairs[b / 8] & (1u << (b % 8)))) return false;
    size_t k = strlen(word);
    for (const char *p = strstr(w->low, word); p; p = strstr(p + 1, word)) {
        size_t i = (size_t)(p - w->low);
        if (part || (w->start[i] && boundary(w, i + k))) return true;
    }
    return false;
}

static const hb_drop_t *furniture_word(const names_t *w, bool *strong) {
    for (size_t i = 0; i < COUNT(FURNITURE); i++)
        if (has_word(w, FURNITURE[i].word, FURNITURE[i].part)) {
            *strong = FURNITURE[i].strong;
            return &FURNITURE[i].drop;
        }
    return NULL;
}

static bool article_word(const names_t *w) {
    for (size_t i = 0; i < COUNT(ARTICLE); i++)
        if (has_word(w, ARTICLE[i], true)) return true;
    return false;
}

static bool article_body(const xmlNode *n) {
    const char *prop = html_attr(n, "itemprop");
    return prop && html_attr_word(n, "itemprop", "articleBody");
}

static bool never_unlikely(const xmlNode *n) {
    return html_is(n, "body") || html_is(n, "html") || html_is(n, "article") ||
           html_is(n, "main") || html_is(n, "a") || article_body(n);
}

void hb_hints(const xmlNode *n, int *weight, const hb_drop_t **unlikely) {
    names_t w;
    bool strong = false;
    names_of(n, &w);
    bool article = w.n > 0 && article_word(&w);
    const hb_drop_t *d = w.n > 0 ? furniture_word(&w, &strong) : NULL;
    *weight = (article ? CLASS_WEIGHT : 0) - (d ? CLASS_WEIGHT : 0) +
              (article_body(n) ? CLASS_WEIGHT : 0);
    /* A dateline or byline inside a paragraph ("<span class="dateline">
     * CAIRO —</span> Gunmen opened fire") is part of its text. */
    const hb_tag_t *tag = hb_tag(n);
    if (d && d->role == EX_ROLE_META && !(tag && (tag->flags & HT_BLOCK))) d = NULL;
    *unlikely = d && (strong || !article) && !never_unlikely(n) ? d : NULL;
}

/* ---- always dropped --------------------------------------------------- */

static const hb_drop_t HIDDEN = {"hidden", EX_ROLE_SKIPPED};
static const hb_drop_t ROLE_NAV = {"role: navigation or page chrome", EX_ROLE_FURNITURE};
static const hb_drop_t ROLE_ASIDE = {"role: complementary", EX_ROLE_SIDEBAR};

/* One hb_drop_t per dropping tag, made from the tag table on demand. */
static const hb_drop_t TAG_DROPS[] = {
    {"<aside>", EX_ROLE_SIDEBAR},
    {"<nav>", EX_ROLE_FURNITURE},
    {"<footer>", EX_ROLE_FURNITURE},
    {"<figure>", EX_ROLE_CAPTION},
    {"<figcaption>", EX_ROLE_CAPTION},
    {"<menu>", EX_ROLE_FURNITURE},
    {"not text (script, style, form control or media)", EX_ROLE_SKIPPED},
};

static const hb_drop_t *tag_drop(const char *name) {
    for (size_t i = 0; i + 1 < COUNT(TAG_DROPS); i++) {
        size_t k = strlen(name);
        if (strncmp(TAG_DROPS[i].why + 1, name, k) == 0 && TAG_DROPS[i].why[k + 1] == '>')
            return &TAG_DROPS[i];
    }
    return &TAG_DROPS[COUNT(TAG_DROPS) - 1];
}

static bool hidden(const xmlNode *n) {
    const char *style = html_attr(n, "style");
    if (html_attr(n, "hidden")) return true;
    const char *aria = html_attr(n, "aria-hidden");
    if (aria && strcasecmp(aria, "true") == 0 && !html_is(n, "body")) return true;
    if (!style) return false;
    char flat[128];
    size_t k = 0;
    for (size_t i = 0; style[i] && k + 1 < sizeof flat; i++)
        if (!isspace((unsigned char)style[i])) flat[k++] = (char)tolower((unsigned char)style[i]);
    flat[k] = '\0';
    return strstr(flat, "display:none") || strstr(flat, "visibility:hidden");
}

const hb_drop_t *hb_static_drop(const xmlNode *n) {
    static const char *const NAV_ROLES[] = {"navigation", "banner", "contentinfo", "menu",
                                            "menubar",    "dialog", "alertdialog", "search",
                                            "toolbar",    "tablist"};
    const hb_tag_t *tag = hb_tag(n);
    if (tag && (tag->flags & HT_DROP)) return tag_drop(tag->name);
    if (hidden(n)) return &HIDDEN;
    for (size_t i = 0; i < COUNT(NAV_ROLES); i++)
        if (html_attr_word(n, "role", NAV_ROLES[i])) return &ROLE_NAV;
    if (html_attr_word(n, "role", "complementary")) return &ROLE_ASIDE;
    return NULL;
}
