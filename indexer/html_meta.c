/* What a page declares about itself outside its text: <meta> tags
 * (OpenGraph, Dublin Core, the usual name= keys of news sites), the
 * <title>, <link rel=canonical>, <html lang>, and the JSON-LD scripts. Each
 * is turned into a claim; choosing among them is extract_html.c's job. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    const char *key; /* the name= or property= value, lower case */
    hc_field_t field;
    hc_rank_t rank;
} meta_key_t;

/* The keys read, the more trusted first within a rank. OpenGraph and its
 * article: namespace rank above the rest, which sites fill less
 * carefully. */
static const meta_key_t KEYS[] = {
    {"og:title", HC_TITLE, HC_OPENGRAPH},
    {"twitter:title", HC_TITLE, HC_META},
    {"dc.title", HC_TITLE, HC_META},
    {"dcterms.title", HC_TITLE, HC_META},
    {"parsely-title", HC_TITLE, HC_META},
    {"sailthru.title", HC_TITLE, HC_META},
    {"headline", HC_TITLE, HC_META},
    {"article:author", HC_AUTHOR, HC_OPENGRAPH},
    {"og:article:author", HC_AUTHOR, HC_OPENGRAPH},
    {"author", HC_AUTHOR, HC_META},
    {"dc.creator", HC_AUTHOR, HC_META},
    {"dcterms.creator", HC_AUTHOR, HC_META},
    {"parsely-author", HC_AUTHOR, HC_META},
    {"sailthru.author", HC_AUTHOR, HC_META},
    {"byl", HC_AUTHOR, HC_META},
    {"citation_author", HC_AUTHOR, HC_META},
    {"article:published_time", HC_DATE, HC_OPENGRAPH},
    {"og:article:published_time", HC_DATE, HC_OPENGRAPH},
    {"article:published", HC_DATE, HC_OPENGRAPH},
    {"datepublished", HC_DATE, HC_META},
    {"date", HC_DATE, HC_META},
    {"dc.date", HC_DATE, HC_META},
    {"dc.date.issued", HC_DATE, HC_META},
    {"dcterms.issued", HC_DATE, HC_META},
    {"dcterms.created", HC_DATE, HC_META},
    {"pubdate", HC_DATE, HC_META},
    {"publishdate", HC_DATE, HC_META},
    {"publish-date", HC_DATE, HC_META},
    {"publish_date", HC_DATE, HC_META},
    {"published_time", HC_DATE, HC_META},
    {"published_at", HC_DATE, HC_META},
    {"parsely-pub-date", HC_DATE, HC_META},
    {"sailthru.date", HC_DATE, HC_META},
    {"article:publicationdate", HC_DATE, HC_META},
    {"displaydate", HC_DATE, HC_META},
    {"og:pubdate", HC_DATE, HC_META},
    {"pdate", HC_DATE, HC_META},
    {"article:modified_time", HC_MODIFIED, HC_OPENGRAPH},
    {"article:modified", HC_MODIFIED, HC_OPENGRAPH},
    {"og:updated_time", HC_MODIFIED, HC_OPENGRAPH},
    {"datemodified", HC_MODIFIED, HC_META},
    {"dcterms.modified", HC_MODIFIED, HC_META},
    {"og:site_name", HC_SITE, HC_OPENGRAPH},
    {"dc.publisher", HC_SITE, HC_META},
    {"publisher", HC_SITE, HC_META},
    {"article:section", HC_SECTION, HC_OPENGRAPH},
    {"og:article:section", HC_SECTION, HC_OPENGRAPH},
    {"section", HC_SECTION, HC_META},
    {"parsely-section", HC_SECTION, HC_META},
    {"article:tag", HC_TAG, HC_OPENGRAPH},
    {"keywords", HC_TAG, HC_META},
    {"news_keywords", HC_TAG, HC_META},
    {"og:url", HC_URL, HC_OPENGRAPH},
    {"og:locale", HC_LANG, HC_OPENGRAPH},
    {"dc.language", HC_LANG, HC_META},
    {"og:type", HC_TYPE, HC_OPENGRAPH},
};

static const meta_key_t *find_key(const char *key) {
    for (size_t i = 0; i < COUNT(KEYS); i++)
        if (strcasecmp(key, KEYS[i].key) == 0) return &KEYS[i];
    return NULL;
}

/* A value that is a web address (article:author often is a profile
 * page, article:publisher a Facebook page): not a name. */
static bool is_address(const char *v) {
    return strncasecmp(v, "http://", 7) == 0 || strncasecmp(v, "https://", 8) == 0 ||
           strncmp(v, "//", 2) == 0;
}

/* Keywords and tags are lists: one claim per item. */
static void claim_list(html_claims_t *c, const meta_key_t *k, const char *v, const char *attr,
                       const char *key) {
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",;");
        html_claim(c, k->field, k->rank, p, n, "<meta %s=\"%s\">", attr, key);
        p += n + (p[n] != '\0');
    }
}

/* Parse.ly's <meta name="parsely-page" content="{...}">: a JSON object
 * with the page's title, section, author, pub_date and tags. */
static void read_parsely(const char *key, const char *v, html_claims_t *c) {
    static const struct {
        const char *name;
        hc_field_t field;
    } FIELDS[] = {{"title", HC_TITLE},
                  {"section", HC_SECTION},
                  {"author", HC_AUTHOR},
                  {"pub_date", HC_DATE},
                  {"tags", HC_TAG}};
    json_t *o = json_loads(v, 0, NULL);
    for (size_t i = 0; json_is_object(o) && i < COUNT(FIELDS); i++) {
        json_t *f = json_object_get(o, FIELDS[i].name);
        for (size_t k = 0; k < (json_is_array(f) ? json_array_size(f) : 1); k++) {
            json_t *one = json_is_array(f) ? json_array_get(f, k) : f;
            if (!json_is_string(one)) continue;
            char *text = html_entities_decode(json_string_value(one));
            if (!text) c->failed = true;
            if (text)
                html_claim(c, FIELDS[i].field, HC_META, text, strlen(text), "<meta name=\"%s\"> %s",
                           key, FIELDS[i].name);
            free(text);
        }
    }
    json_decref(o);
}

static void read_meta(const xmlNode *n, html_claims_t *c) {
    const char *attr = "property", *key = html_attr(n, attr);
    if (!key || !*key) key = html_attr(n, attr = "name");
    const char *v = html_attr(n, "content");
    if (!key || !v) return;
    if (strcasecmp(key, "parsely-page") == 0 || strcasecmp(key, "parsely-metadata") == 0) {
        read_parsely(key, v, c);
        return;
    }
    const meta_key_t *k = find_key(key);
    if (!k) return;
    if (is_address(v) && k->field != HC_URL) return;
    if (k->field == HC_TAG) {
        claim_list(c, k, v, attr, key);
        return;
    }
    size_t before = c->n;
    html_claim(c, k->field, k->rank, v, strlen(v), "<meta %s=\"%s\">", attr, key);
    if (c->n == before) return;
    c->v[before].order = (unsigned)(k - KEYS);
    c->v[before].shown = strcasecmp(key, "displaydate") == 0; /* the date as printed */
}

/* <meta http-equiv="Content-Language" content="de">. */
static void read_http_equiv(const xmlNode *n, html_claims_t *c) {
    const char *equiv = html_attr(n, "http-equiv"), *v = html_attr(n, "content");
    if (equiv && v && strcasecmp(equiv, "content-language") == 0)
        html_claim(c, HC_LANG, HC_META, v, strlen(v), "<meta http-equiv=\"Content-Language\">");
}

static bool inside(const xmlNode *n, const char *tag) {
    for (const xmlNode *p = n->parent; p; p = p->parent)
        if (html_is(p, tag)) return true;
    return false;
}

static void read_title(const xmlNode *n, html_claims_t *c, bool *seen) {
    if (*seen || inside(n, "svg") || inside(n, "body")) return;
    char *text = html_text_dup(n);
    if (!text) {
        c->failed = true;
        return;
    }
    html_claim(c, HC_TITLE, HC_TITLE_TAG, text, strlen(text), "<title>");
    *seen = *text != '\0';
    free(text);
}

static void read_link(const xmlNode *n, html_claims_t *c) {
    const char *href = html_attr(n, "href");
    if (href && html_attr_word(n, "rel", "canonical") && is_address(href))
        html_claim(c, HC_URL, HC_JSONLD, href, strlen(href), "<link rel=\"canonical\">");
}

static void read_script(const xmlNode *n, html_claims_t *c, size_t *articles) {
    const char *type = html_attr(n, "type");
    if (!type || strcasecmp(type, "application/ld+json") != 0) return;
    html_buf_t b = {0};
    for (const xmlNode *k = n->children; k; k = k->next)
        if (k->content)
            html_buf_raw(&b, (const char *)k->content, strlen((const char *)k->content));
    if (b.failed) c->failed = true;
    if (b.len > 0) html_jsonld_read(b.s, b.len, c, articles);
    html_buf_free(&b);
}

void html_meta_read(const xmlDoc *doc, html_claims_t *c, size_t *jsonld_articles) {
    const xmlNode *root = xmlDocGetRootElement(doc);
    bool title_seen = false;
    *jsonld_articles = 0;
    for (const xmlNode *n = root; n; n = html_next(n, root, false)) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (html_is(n, "meta")) {
            read_meta(n, c);
            read_http_equiv(n, c);
        } else if (html_is(n, "title")) {
            read_title(n, c, &title_seen);
        } else if (html_is(n, "link")) {
            read_link(n, c);
        } else if (html_is(n, "script")) {
            read_script(n, c, jsonld_articles);
        } else if (html_is(n, "html")) {
            const char *lang = html_attr(n, "lang");
            if (lang) html_claim(c, HC_LANG, HC_MARKUP, lang, strlen(lang), "<html lang>");
        }
    }
}
