/* JSON-LD: the schema.org objects a page declares in <script
 * type="application/ld+json">. The article object (NewsArticle and its
 * kin) may stand alone, in an array, in an @graph or under mainEntity;
 * from it come the headline, the writers (people only: an author that is
 * an Organization is a desk or the publisher), the dates, the section,
 * the keywords and the publisher. A site's own Organization or WebSite
 * object gives its name. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Objects visited in one script at most: the walk is bounded whatever
 * the page holds. */
#define MAX_NODES 20000
/* Room for "@type" names such as "ReportageNewsArticle". */
#define TYPE_BYTES 48

static const char *const ARTICLE_TYPES[] = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SatiricalArticle",
    "Report",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "DiscussionForumPosting",
};

static const char *const SITE_TYPES[] = {"Organization", "NewsMediaOrganization", "WebSite",
                                         "Corporation"};

typedef struct {
    html_claims_t *c;
    size_t articles;
} jl_t;

/* ---- entities ----------------------------------------------------------- */

/* Appends the UTF-8 form of code point cp. */
static void put_cp(html_buf_t *b, unsigned long cp) {
    char u[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    html_buf_raw(b, u, n);
}

/* The length of the entity at s ("&amp;", "&#39;") decoded into b, or 0. */
static size_t entity(const char *s, html_buf_t *b) {
    static const struct {
        const char *name;
        unsigned cp;
    } NAMED[] = {{"amp;", '&'},   {"lt;", '<'},    {"gt;", '>'},   {"quot;", '"'},
                 {"apos;", '\''}, {"nbsp;", 0xA0}, {"#039;", '\''}};
    for (size_t i = 0; i < COUNT(NAMED); i++) {
        size_t k = strlen(NAMED[i].name);
        if (strncmp(s + 1, NAMED[i].name, k) == 0) {
            put_cp(b, NAMED[i].cp);
            return k + 1;
        }
    }
    if (s[1] != '#') return 0;
    char *end;
    bool hex = s[2] == 'x' || s[2] == 'X';
    unsigned long cp = strtoul(s + (hex ? 3 : 2), &end, hex ? 16 : 10);
    if (end == s + (hex ? 3 : 2) || *end != ';' || end - s > 12) return 0;
    put_cp(b, cp);
    return (size_t)(end - s) + 1;
}

char *html_entities_decode(const char *s) {
    html_buf_t b = {0};
    while (*s) {
        size_t k = *s == '&' ? entity(s, &b) : 0;
        if (k) {
            s += k;
        } else if (*s == '<' && strchr(s, '>')) {
            s = strchr(s, '>') + 1;
            b.space = true;
        } else {
            html_buf_raw(&b, s++, 1);
        }
    }
    if (b.failed) {
        html_buf_free(&b);
        return NULL;
    }
    return b.s ? b.s : strdup("");
}

static void claim_str(jl_t *j, hc_field_t f, hc_rank_t rank, const char *s, const char *type,
                      const char *key) {
    if (strlen(s) > HC_VALUE_MAX_BYTES) return; /* not a field value; not worth decoding */
    char *v = html_entities_decode(s);
    if (!v) {
        j->c->failed = true;
        return;
    }
    html_claim(j->c, f, rank, v, strlen(v), "JSON-LD %s %s", type, key);
    free(v);
}

/* ---- types ---------------------------------------------------------------- */

/* "http://schema.org/NewsArticle" -> "NewsArticle". */
static const char *short_type(const char *t) {
    const char *slash = strrchr(t, '/');
    return slash ? slash + 1 : t;
}

static bool type_in(const json_t *o, const char *const *types, size_t n, char out[TYPE_BYTES]) {
    const json_t *t = json_object_get(o, "@type");
    size_t count = json_is_array(t) ? json_array_size(t) : 1;
    for (size_t k = 0; k < count; k++) {
        const json_t *one = json_is_array(t) ? json_array_get(t, k) : t;
        if (!json_is_string(one)) continue;
        const char *name = short_type(json_string_value(one));
        for (size_t i = 0; i < n; i++) {
            if (strcasecmp(name, types[i]) != 0) continue;
            snprintf(out, TYPE_BYTES, "%s", types[i]);
            return true;
        }
    }
    return false;
}

static const char *person_type(const json_t *o) {
    const json_t *t = json_object_get(o, "@type");
    if (json_is_array(t)) t = json_array_get(t, 0);
    return json_is_string(t) ? short_type(json_string_value(t)) : NULL;
}

/* ---- the article's fields ------------------------------------------------- */

/* One author: a string, or an object that is not an organisation. */
static void author(jl_t *j, const json_t *a, const char *type) {
    if (json_is_string(a)) {
        claim_str(j, HC_AUTHOR, HC_JSONLD, json_string_value(a), type, "author");
        return;
    }
    if (!json_is_object(a)) return;
    const char *t = person_type(a);
    const json_t *name = json_object_get(a, "name");
    if (t && strcasecmp(t, "Person") != 0) return; /* Organization: a desk, not a writer */
    if (json_is_string(name))
        claim_str(j, HC_AUTHOR, HC_JSONLD, json_string_value(name), type, "author");
}

/* A string, or each string of an array (keywords, sections). */
static void strings(jl_t *j, const json_t *v, hc_field_t f, const char *type, const char *key,
                    bool split_commas) {
    size_t count = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t k = 0; k < count; k++) {
        const json_t *one = json_is_array(v) ? json_array_get(v, k) : v;
        if (!json_is_string(one)) continue;
        const char *s = json_string_value(one);
        if (!split_commas) {
            claim_str(j, f, HC_JSONLD, s, type, key);
            continue;
        }
        for (const char *p = s; *p;) {
            size_t n = strcspn(p, ",");
            html_claim(j->c, f, HC_JSONLD, p, n, "JSON-LD %s %s", type, key);
            p += n + (p[n] == ',');
        }
    }
}

static const char *name_of(const json_t *v) {
    if (json_is_string(v)) return json_string_value(v);
    const json_t *name = json_object_get(v, "name");
    return json_is_string(name) ? json_string_value(name) : NULL;
}

static void article(jl_t *j, const json_t *o, const char *type) {
    const json_t *v;
    j->articles++;
    html_claim(j->c, HC_TYPE, HC_JSONLD, type, strlen(type), "JSON-LD @type");
    if (json_is_string(v = json_object_get(o, "headline")))
        claim_str(j, HC_TITLE, HC_JSONLD, json_string_value(v), type, "headline");
    else if (json_is_string(v = json_object_get(o, "name")))
        claim_str(j, HC_TITLE, HC_META, json_string_value(v), type, "name");
    v = json_object_get(o, "author");
    for (size_t k = 0; k < (json_is_array(v) ? json_array_size(v) : 1); k++)
        author(j, json_is_array(v) ? json_array_get(v, k) : v, type);
    if (json_is_string(v = json_object_get(o, "datePublished")))
        claim_str(j, HC_DATE, HC_JSONLD, json_string_value(v), type, "datePublished");
    if (json_is_string(v = json_object_get(o, "dateCreated")))
        claim_str(j, HC_DATE, HC_MARKUP, json_string_value(v), type, "dateCreated");
    if (json_is_string(v = json_object_get(o, "dateModified")))
        claim_str(j, HC_MODIFIED, HC_JSONLD, json_string_value(v), type, "dateModified");
    strings(j, json_object_get(o, "articleSection"), HC_SECTION, type, "articleSection", false);
    strings(j, json_object_get(o, "keywords"), HC_TAG, type, "keywords", true);
    const char *pub = name_of(json_object_get(o, "publisher"));
    if (pub) claim_str(j, HC_SITE, HC_JSONLD, pub, type, "publisher");
    if (json_is_string(v = json_object_get(o, "url")))
        claim_str(j, HC_URL, HC_META, json_string_value(v), type, "url");
    if (json_is_string(v = json_object_get(o, "inLanguage")))
        claim_str(j, HC_LANG, HC_JSONLD, json_string_value(v), type, "inLanguage");
}

/* ---- the walk ------------------------------------------------------------- */

typedef struct {
    const json_t **v;
    size_t n, cap;
} stack_t_;

static bool push(stack_t_ *s, const json_t *v) {
    if (s->n == s->cap) {
        size_t want = s->cap ? s->cap * 2 : 64;
        const json_t **bigger = realloc(s->v, want * sizeof *bigger);
        if (!bigger) return false;
        s->v = bigger, s->cap = want;
    }
    s->v[s->n++] = v;
    return true;
}

/* Visits every object of the document (depth first, by an explicit
 * stack), reading article objects and site objects. Inside an article
 * only its own fields are read. */
static void walk(jl_t *j, const json_t *root) {
    stack_t_ s = {0};
    size_t visited = 0;
    bool ok = push(&s, root);
    while (ok && s.n > 0 && visited++ < MAX_NODES) {
        const json_t *v = s.v[--s.n];
        char type[TYPE_BYTES];
        if (json_is_array(v)) {
            for (size_t k = json_array_size(v); ok && k > 0; k--)
                ok = push(&s, json_array_get(v, k - 1));
            continue;
        }
        if (!json_is_object(v)) continue;
        if (type_in(v, ARTICLE_TYPES, COUNT(ARTICLE_TYPES), type)) {
            article(j, v, type);
            continue;
        }
        if (type_in(v, SITE_TYPES, COUNT(SITE_TYPES), type) && name_of(v))
            claim_str(j, HC_SITE, HC_META, name_of(v), type, "name");
        const char *key;
        const json_t *child;
        json_object_foreach((json_t *)v, key, child) {
            if (ok && (json_is_object(child) || json_is_array(child))) ok = push(&s, child);
        }
    }
    if (!ok) j->c->failed = true;
    free(s.v);
}

/* The JSON inside a script, without the "<![CDATA[" or "<!--" wrappers
 * some pages put around it. */
static size_t unwrap(const char **text, size_t len) {
    static const char *const OPEN[] = {"//<![CDATA[", "<![CDATA[", "<!--"};
    static const char *const CLOSE[] = {"//]]>", "]]>", "-->"};
    const char *s = *text;
    len = html_trim(&s, len);
    for (size_t i = 0; i < COUNT(OPEN); i++) {
        size_t k = strlen(OPEN[i]);
        if (len >= k && strncmp(s, OPEN[i], k) == 0) s += k, len -= k;
    }
    len = html_trim(&s, len);
    for (size_t i = 0; i < COUNT(CLOSE); i++) {
        size_t k = strlen(CLOSE[i]);
        if (len >= k && strncmp(s + len - k, CLOSE[i], k) == 0) len -= k;
    }
    *text = s;
    return len;
}

void html_jsonld_read(const char *text, size_t len, html_claims_t *c, size_t *articles) {
    jl_t j = {c, 0};
    len = unwrap(&text, len);
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, NULL);
    if (root) walk(&j, root);
    json_decref(root);
    *articles += j.articles;
}
