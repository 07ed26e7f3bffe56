/* The tree of an HTML page: libxml2's HTML parser behind guards against
 * hostile input, and the few ways the extractor reads the tree (walking it
 * in document order, attributes, text), none of them recursive, so a
 * page's depth never reaches the C stack.
 *
 * libxml2's HTML parser is kept by a large project and fuzzed continuously
 * (OSS-Fuzz); it recovers from the tag soup real pages are made of the way
 * browsers of its era did. Two of its costs need a guard: it stops at 256
 * levels of nesting (a page cut there would lose its end silently, so such
 * a page is refused), and it checks each attribute of a tag against all
 * the earlier ones (a tag with 200,000 attributes took minutes), so tags
 * are counted before it runs. */
#include <ctype.h>
#include <libxml/parserInternals.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

/* RECOVER: script and style end only at their own end tag, as in browsers.
 * NONET: never fetch anything. The parser's messages go nowhere; a page
 * it cannot read fully is refused with the reason. */
#define PARSE_OPTIONS                                                                              \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

/* libxml2 must be initialised once, before threads use it. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void silent(void *ctx, const char *msg, ...) {
    (void)ctx, (void)msg;
}

static void init_libxml(void) {
    xmlInitParser();
}

/* ---- counting attributes before the parser does ----------------------- */

static bool at_ci(const char *s, size_t n, size_t i, const char *word) {
    size_t k = strlen(word);
    return i + k <= n && strncasecmp(s + i, word, k) == 0;
}

/* Offset just after the first occurrence of needle (ASCII case ignored;
 * its first byte is not a letter) at or after i, or n when there is none. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *needle) {
    size_t k = strlen(needle);
    while (i + k <= n) {
        const char *p = memchr(s + i, needle[0], n - i - k + 1);
        if (!p) break;
        i = (size_t)(p - s);
        if (strncasecmp(p, needle, k) == 0) return i + k;
        i++;
    }
    return n;
}

static bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Reads a tag's attributes from s[i] (just after its name) to its '>',
 * the way libxml2 does: names, '=', values quoted or not. Returns the
 * offset after the tag and the count in *attrs. */
static size_t scan_attrs(const char *s, size_t n, size_t i, size_t *attrs) {
    *attrs = 0;
    while (i < n) {
        while (i < n && (blank(s[i]) || s[i] == '/')) i++;
        if (i >= n || s[i] == '>') return i + 1;
        (*attrs)++;
        while (i < n && !blank(s[i]) && s[i] != '>' && s[i] != '=' && s[i] != '/') i++;
        while (i < n && blank(s[i])) i++;
        if (i >= n || s[i] != '=') continue;
        for (i++; i < n && blank(s[i]);) i++;
        if (i < n && (s[i] == '"' || s[i] == '\'')) {
            const char *close = memchr(s + i + 1, s[i], n - i - 1);
            i = close ? (size_t)(close - s) + 1 : n;
        } else {
            while (i < n && !blank(s[i]) && s[i] != '>') i++;
        }
    }
    return n;
}

static unsigned line_of(const char *s, size_t at) {
    unsigned line = 1;
    for (size_t i = 0; i < at; i++) line += s[i] == '\n';
    return line;
}

/* The tag with the most attributes. With strict, the page is read as the
 * parser reads it (comments, <script> and <style> bodies, declarations
 * passed over); without, every '<' and a letter starts a tag, wherever it
 * is. A tag over the limit is caught by one reading or the other even
 * where this scan and the parser disagree about what is markup. */
static size_t most_attrs(const char *s, size_t n, bool strict, size_t *where) {
    size_t most = 0;
    for (size_t i = 0; i < n;) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - s);
        if (strict && at_ci(s, n, i, "<!--")) {
            i = skip_past(s, n, i + 4, "-->");
        } else if (strict &&
                   (at_ci(s, n, i, "<!doctype") || at_ci(s, n, i, "<?") || at_ci(s, n, i, "</"))) {
            i = skip_past(s, n, i + 2, ">");
        } else if (i + 1 < n && isalpha((unsigned char)s[i + 1])) {
            size_t name = i + 1, count;
            while (i < n && !blank(s[i]) && s[i] != '>' && s[i] != '/') i++;
            const char *raw_end = NULL;
            if (strict && i - name == 6 && at_ci(s, n, name, "script")) raw_end = "</script";
            if (strict && i - name == 5 && at_ci(s, n, name, "style")) raw_end = "</style";
            i = scan_attrs(s, n, i, &count);
            if (count > most) most = count, *where = name - 1;
            if (raw_end) i = skip_past(s, n, i, raw_end);
        } else {
            i++;
        }
    }
    return most;
}

/* Start tags ('<' and a letter) in the page, counting up to one more
 * than the limit. */
static size_t count_tags(const char *s, size_t n) {
    size_t tags = 0;
    for (const char *p = memchr(s, '<', n); p && tags <= HTML_MAX_TAGS;
         p = memchr(p + 1, '<', n - (size_t)(p + 1 - s)))
        tags += p + 1 < s + n && isalpha((unsigned char)p[1]);
    return tags;
}

static lede_status_t check_attrs(const char *s, size_t n, lede_err_t *err) {
    size_t where = 0, strict = most_attrs(s, n, true, &where), loose_at = 0;
    size_t loose = most_attrs(s, n, false, &loose_at);
    if (loose > strict) strict = loose, where = loose_at;
    if (strict > HTML_MAX_ATTRS)
        return lede_errf(err, LEDE_E_INVALID,
                         "a tag with %zu attributes at line %u (at most %d are read)", strict,
                         line_of(s, where), HTML_MAX_ATTRS);
    return LEDE_OK;
}

/* ---- parsing ------------------------------------------------------------ */

/* The depth of the deepest element, walking without recursion. */
static size_t tree_depth(const xmlDoc *doc) {
    size_t depth = 0, most = 0;
    const xmlNode *n = (const xmlNode *)doc;
    while (n) {
        if (n->children) {
            n = n->children;
            if (++depth > most) most = depth;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            depth--;
        }
        if (n) n = n->next;
    }
    return most;
}

lede_status_t html_parse(const char *utf8, size_t len, xmlDoc **doc, lede_err_t *err) {
    *doc = NULL;
    pthread_once(&init_once, init_libxml);
    xmlSetGenericErrorFunc(NULL, silent); /* per thread in libxml2 */
    if (len > INT_MAX)
        return lede_errf(err, LEDE_E_INVALID, "page of %zu bytes is too large to parse", len);
    if (count_tags(utf8, len) > HTML_MAX_TAGS)
        return lede_errf(err, LEDE_E_INVALID, "more than %d tags (at most %d are read)",
                         HTML_MAX_TAGS, HTML_MAX_TAGS);
    lede_status_t st = check_attrs(utf8, len, err);
    if (st != LEDE_OK) return st;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) return LEDE_E_NOMEM;
    *doc = htmlCtxtReadMemory(ctxt, utf8, (int)len, NULL, "UTF-8", PARSE_OPTIONS);
    const xmlError *xerr = xmlCtxtGetLastError(ctxt);
    bool fatal = xerr && xerr->level == XML_ERR_FATAL;
    int line = xerr ? xerr->line : 0, code = xerr ? xerr->code : 0;
    char msg[120] = "";
    if (fatal && xerr->message) snprintf(msg, sizeof msg, "%s", xerr->message);
    htmlFreeParserCtxt(ctxt);
    if (!*doc) {
        if (code == XML_ERR_NO_MEMORY) return LEDE_E_NOMEM;
        return lede_errf(err, LEDE_E_INVALID, "no HTML document in the page");
    }
    if (tree_depth(*doc) >= HTML_MAX_DEPTH || (fatal && strstr(msg, "depth"))) {
        xmlFreeDoc(*doc), *doc = NULL;
        return lede_errf(err, LEDE_E_INVALID, "HTML nested deeper than %d elements (line %d)",
                         HTML_MAX_DEPTH, line);
    }
    if (fatal) {
        xmlFreeDoc(*doc), *doc = NULL;
        if (code == XML_ERR_NO_MEMORY) return LEDE_E_NOMEM;
        msg[strcspn(msg, "\n")] = '\0';
        return lede_errf(err, LEDE_E_INVALID, "the HTML parser stopped at line %d: %s", line, msg);
    }
    return LEDE_OK;
}

/* ---- reading the tree --------------------------------------------------- */

xmlNode *html_next(const xmlNode *n, const xmlNode *top, bool skip) {
    if (!skip && n->children) return n->children;
    while (n && n != top) {
        if (n->next) return n->next;
        n = n->parent;
    }
    return NULL;
}

bool html_is(const xmlNode *n, const char *tag) {
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, tag) == 0;
}

const char *html_attr(const xmlNode *n, const char *name) {
    if (!n || n->type != XML_ELEMENT_NODE) return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcasecmp((const char *)a->name, name) != 0) continue;
        if (!a->children) return "";
        return a->children->content ? (const char *)a->children->content : "";
    }
    return NULL;
}

bool html_attr_word(const xmlNode *n, const char *attr, const char *word) {
    const char *v = html_attr(n, attr);
    size_t k = strlen(word);
    while (v && *v) {
        while (*v && blank(*v)) v++;
        size_t w = 0;
        while (v[w] && !blank(v[w])) w++;
        if (w == k && strncasecmp(v, word, k) == 0) return true;
        v += w;
    }
    return false;
}

bool html_no_text(const xmlNode *n) {
    static const char *const TAGS[] = {"script", "style", "noscript", "template", "head"};
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE)
        return true;
    if (n->type != XML_ELEMENT_NODE) return false;
    for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++)
        if (strcmp((const char *)n->name, TAGS[i]) == 0) return true;
    return false;
}

/* ---- text ---------------------------------------------------------------- */

static bool grow(html_buf_t *b, size_t more) {
    if (b->failed) return false;
    if (b->len + more + 1 <= b->cap) return true;
    size_t want = b->cap ? b->cap : 256;
    while (want < b->len + more + 1) want *= 2;
    char *bigger = realloc(b->s, want);
    if (!bigger) {
        b->failed = true;
        return false;
    }
    b->s = bigger;
    b->cap = want;
    return true;
}

void html_buf_raw(html_buf_t *b, const char *s, size_t n) {
    if (!grow(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Bytes of the white space at s: ASCII blanks, the no-break space and the
 * ideographic space. */
static size_t space_at(const char *s, size_t n) {
    if (blank(s[0]) || s[0] == '\v') return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) return 2;
    if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) return 3;
    return 0;
}

void html_buf_text(html_buf_t *b, const char *s, size_t n) {
    if (!grow(b, n + 1)) return;
    for (size_t i = 0; i < n;) {
        size_t k = space_at(s + i, n - i);
        if (k) {
            b->space = true;
            i += k;
            continue;
        }
        if (b->space && b->len > 0 && b->s[b->len - 1] != '\n' && b->s[b->len - 1] != ' ')
            b->s[b->len++] = ' ';
        b->space = false;
        b->s[b->len++] = s[i++];
    }
    b->s[b->len] = '\0';
}

void html_buf_free(html_buf_t *b) {
    free(b->s);
    *b = (html_buf_t){0};
}

void html_text(const xmlNode *top, html_buf_t *b) {
    for (const xmlNode *n = top; n; n = html_next(n, top, html_no_text(n) && n != top)) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            html_buf_text(b, (const char *)n->content, strlen((const char *)n->content));
        else if (html_is(n, "br"))
            b->space = true;
    }
}

char *html_text_dup(const xmlNode *n) {
    html_buf_t b = {0};
    html_text(n, &b);
    if (b.failed) {
        html_buf_free(&b);
        return NULL;
    }
    if (!b.s) return strdup("");
    while (b.len > 0 && b.s[b.len - 1] == ' ') b.s[--b.len] = '\0';
    return b.s;
}

size_t html_trim(const char **start, size_t n) {
    const char *s = *start;
    size_t k;
    while (n > 0 && (k = space_at(s, n)) != 0) s += k, n -= k;
    while (n > 0 && (blank(s[n - 1]) || s[n - 1] == '\v')) n--;
    while (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) n -= 2;
    *start = s;
    return n;
}

/* CJK ideographs, kana and hangul: U+2E80 to U+9FFF, U+AC00 to U+D7AF,
 * U+F900 to U+FAFF, and the full-width forms U+FF00 to U+FFEF. */
static bool cjk(unsigned cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

size_t html_text_weight(const char *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            w++, i++;
        } else if (c >= 0xE0 && c < 0xF0 && i + 2 < n) {
            unsigned cp = ((unsigned)(c & 0x0F) << 12) | ((unsigned)(s[i + 1] & 0x3F) << 6) |
                          (unsigned)(s[i + 2] & 0x3F);
            w += cjk(cp) ? HTML_CJK_WEIGHT : 1;
            i += 3;
        } else {
            w++;
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        }
    }
    return w;
}

/* Attribute values are the page's text: they are quoted as excerpts and
 * the whole is cut on a character boundary, so a description stays UTF-8
 * (--explain --json prints it) and a terminal shows it without obeying
 * it. */
void html_describe(const xmlNode *n, char *out, size_t size) {
    const char *id = html_attr(n, "id"), *cls = html_attr(n, "class");
    const char *prop = html_attr(n, "itemprop");
    const char *name = (const char *)n->name;
    char value[41], whole[160];
    if (id && *id)
        snprintf(whole, sizeof whole, "<%s id=\"%s\">", name, utf8_excerpt(value, 41, id));
    else if (cls && *cls)
        snprintf(whole, sizeof whole, "<%s class=\"%s\">", name, utf8_excerpt(value, 41, cls));
    else if (prop && *prop)
        snprintf(whole, sizeof whole, "<%s itemprop=\"%s\">", name, utf8_excerpt(value, 31, prop));
    else
        snprintf(whole, sizeof whole, "<%s> line %ld", name, xmlGetLineNo(n));
    utf8_excerpt(out, size, whole);
}

bool html_contains_ci(const char *s, const char *needle) {
    size_t k = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, k) == 0) return true;
    return false;
}

bool html_same_text(const char *a, size_t n, const char *b) {
    const char *end = a + n;
    for (;;) {
        while (a < end && (unsigned char)*a < 0x80 && !isalnum((unsigned char)*a)) a++;
        while (*b && (unsigned char)*b < 0x80 && !isalnum((unsigned char)*b)) b++;
        if (a == end || !*b) return a == end && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
        a++, b++;
    }
}
