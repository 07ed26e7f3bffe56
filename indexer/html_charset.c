/* A page's bytes to UTF-8. Pages name their charset in a byte order mark,
 * a <meta charset>, an http-equiv Content-Type or an XML declaration;
 * one that names none is UTF-8 when its bytes are valid UTF-8 and
 * windows-1252 when not (what browsers assume for Western pages). Labels
 * are read as the WHATWG Encoding standard says browsers read them
 * ("iso-8859-1" means windows-1252, "gb2312" means GB18030), and the
 * conversion is iconv's. Bytes invalid in the charset become U+FFFD, as
 * in a browser; a charset iconv does not know refuses the page. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Declarations are looked for this far into the page: the standard says
 * 1024 bytes, but real heads put scripts and comments before them. */
#define PRESCAN_BYTES 65536
/* A charset name longer than this is not one. */
#define LABEL_MAX_BYTES 40

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

typedef struct {
    const char *label;
    const char *name; /* for iconv */
} alias_t;

/* WHATWG labels whose meaning differs from iconv's reading of the same
 * name, or that iconv does not know. Others go to iconv as they are. */
static const alias_t ALIASES[] = {
    {"unicode-1-1-utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"utf-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8"},
    /* A <meta> read as ASCII cannot be UTF-16: the page is UTF-8. */
    {"utf-16", "UTF-8"},
    {"utf-16le", "UTF-8"},
    {"utf-16be", "UTF-8"},
    {"us-ascii", "WINDOWS-1252"},
    {"ascii", "WINDOWS-1252"},
    {"ansi_x3.4-1968", "WINDOWS-1252"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso88591", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"iso_8859-1:1987", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"cp819", "WINDOWS-1252"},
    {"ibm819", "WINDOWS-1252"},
    {"csisolatin1", "WINDOWS-1252"},
    {"iso-ir-100", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"},
    {"iso-8859-9", "WINDOWS-1254"},
    {"latin5", "WINDOWS-1254"},
    {"l5", "WINDOWS-1254"},
    {"tis-620", "WINDOWS-874"},
    {"iso-8859-11", "WINDOWS-874"},
    {"gb2312", "GB18030"},
    {"gb_2312", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"csgb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"chinese", "GB18030"},
    {"iso-ir-58", "GB18030"},
    {"big5", "BIG5-HKSCS"},
    {"cn-big5", "BIG5-HKSCS"},
    {"x-x-big5", "BIG5-HKSCS"},
    {"csbig5", "BIG5-HKSCS"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"ms_kanji", "CP932"},
    {"ms932", "CP932"},
    {"windows-31j", "CP932"},
    {"csshiftjis", "CP932"},
    {"euc-kr", "CP949"},
    {"ks_c_5601-1987", "CP949"},
    {"ksc5601", "CP949"},
    {"korean", "CP949"},
    {"windows-949", "CP949"},
    {"x-mac-cyrillic", "MAC-CYRILLIC"},
    {"x-mac-roman", "MACINTOSH"},
};

static bool label_byte(char c) {
    return isalnum((unsigned char)c) || strchr("._:-+()", c) != NULL;
}

const char *html_charset_name(const char *label, char name[HTML_CHARSET_BYTES]) {
    size_t n = 0;
    while (label[n] && label_byte(label[n])) n++;
    if (n == 0 || n > LABEL_MAX_BYTES) return NULL;
    for (size_t i = 0; i < COUNT(ALIASES); i++)
        if (strlen(ALIASES[i].label) == n && strncasecmp(label, ALIASES[i].label, n) == 0)
            return ALIASES[i].name;
    memcpy(name, label, n);
    name[n] = '\0';
    return name;
}

/* ---- finding the declaration ------------------------------------------ */

typedef struct {
    const char *name, *value;
    size_t name_len, value_len;
} raw_attr_t;

static bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The next attribute of a tag at s[*i]; false at the tag's end. */
static bool next_attr(const char *s, size_t n, size_t *i, raw_attr_t *a) {
    size_t p = *i;
    while (p < n && (blank(s[p]) || s[p] == '/')) p++;
    if (p >= n || s[p] == '>') return false;
    *a = (raw_attr_t){s + p, NULL, 0, 0};
    while (p < n && !blank(s[p]) && s[p] != '>' && s[p] != '=' && s[p] != '/') p++;
    a->name_len = (size_t)(s + p - a->name);
    while (p < n && blank(s[p])) p++;
    if (p < n && s[p] == '=') {
        for (p++; p < n && blank(s[p]);) p++;
        char q = p < n ? s[p] : 0;
        if (q == '"' || q == '\'') {
            const char *close = memchr(s + p + 1, q, n - p - 1);
            a->value = s + p + 1;
            p = close ? (size_t)(close - s) + 1 : n;
            a->value_len = close ? (size_t)(close - a->value) : 0;
        } else {
            a->value = s + p;
            while (p < n && !blank(s[p]) && s[p] != '>') p++;
            a->value_len = (size_t)(s + p - a->value);
        }
    }
    *i = p;
    return true;
}

static bool is_attr(const raw_attr_t *a, const char *name) {
    return a->name_len == strlen(name) && strncasecmp(a->name, name, a->name_len) == 0;
}

/* "text/html; charset=windows-1251" -> the label after "charset=". */
static bool charset_param(const char *v, size_t n, char label[HTML_CHARSET_BYTES]) {
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(v + i, "charset", 7) != 0) continue;
        size_t p = i + 7;
        while (p < n && blank(v[p])) p++;
        if (p >= n || v[p] != '=') continue;
        for (p++; p < n && (blank(v[p]) || v[p] == '"' || v[p] == '\'');) p++;
        size_t k = 0;
        while (p + k < n && k + 1 < HTML_CHARSET_BYTES && !blank(v[p + k]) && v[p + k] != ';' &&
               v[p + k] != '"' && v[p + k] != '\'')
            k++;
        memcpy(label, v + p, k);
        label[k] = '\0';
        return k > 0;
    }
    return false;
}

static void copy_label(const char *v, size_t n, char label[HTML_CHARSET_BYTES]) {
    const char *s = v;
    n = html_trim(&s, n);
    if (n >= HTML_CHARSET_BYTES) n = HTML_CHARSET_BYTES - 1;
    memcpy(label, s, n);
    label[n] = '\0';
}

/* A <meta> tag's declaration: charset="...", or http-equiv="Content-Type"
 * with content="...; charset=...". */
static const char *meta_label(const char *s, size_t n, size_t i, char label[HTML_CHARSET_BYTES]) {
    raw_attr_t a;
    bool content_type = false, has_param = false;
    char param[HTML_CHARSET_BYTES];
    while (next_attr(s, n, &i, &a)) {
        if (is_attr(&a, "charset") && a.value) {
            copy_label(a.value, a.value_len, label);
            return "<meta charset>";
        }
        if (is_attr(&a, "http-equiv") && a.value && a.value_len == 12 &&
            strncasecmp(a.value, "content-type", 12) == 0)
            content_type = true;
        if (is_attr(&a, "content") && a.value)
            has_param = charset_param(a.value, a.value_len, param);
    }
    if (!content_type || !has_param) return NULL;
    memcpy(label, param, sizeof param);
    return "<meta http-equiv=\"Content-Type\">";
}

/* <?xml version="1.0" encoding="..."?> at the very start. */
static const char *xml_label(const char *s, size_t n, char label[HTML_CHARSET_BYTES]) {
    if (n < 6 || strncmp(s, "<?xml", 5) != 0 || !blank(s[5])) return NULL;
    size_t i = 5;
    raw_attr_t a;
    while (next_attr(s, n < 200 ? n : 200, &i, &a)) {
        if (a.name_len >= 2 && a.name[0] == '?') break;
        if (is_attr(&a, "encoding") && a.value) {
            copy_label(a.value, a.value_len, label);
            return "XML declaration";
        }
    }
    return NULL;
}

/* The charset the page declares, and where (static), or NULL. */
static const char *declared(const char *s, size_t n, char label[HTML_CHARSET_BYTES]) {
    if (n > PRESCAN_BYTES) n = PRESCAN_BYTES;
    const char *from = xml_label(s, n, label);
    for (size_t i = 0; !from && i < n;) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - s);
        if (n - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
            const char *end = NULL;
            for (size_t j = i + 4; j + 3 <= n && !end; j++)
                if (memcmp(s + j, "-->", 3) == 0) end = s + j;
            if (!end) break;
            i = (size_t)(end - s) + 3;
        } else if (n - i >= 6 && strncasecmp(s + i, "<meta", 5) == 0 &&
                   (blank(s[i + 5]) || s[i + 5] == '/')) {
            from = meta_label(s, n, i + 5, label);
            i += 5;
        } else {
            i++;
        }
    }
    return from;
}

/* ---- converting ---------------------------------------------------------- */

static bool out_grow(html_utf8_t *out, size_t *cap, size_t more) {
    if (out->len + more + 1 <= *cap) return true;
    size_t want = *cap * 2 > out->len + more + 1 ? *cap * 2 : out->len + more + 1;
    char *bigger = realloc(out->s, want);
    if (!bigger) return false;
    out->s = bigger;
    *cap = want;
    return true;
}

/* Converts with iconv; bytes invalid in the charset become U+FFFD. */
static lede_status_t convert(const char *in, size_t len, const char *name, html_utf8_t *out,
                             lede_err_t *err) {
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return lede_errf(err, LEDE_E_INVALID, "unknown charset \"%s\" (%s)", out->charset,
                         out->from);
    size_t cap = len + len / 2 + 64;
    out->s = malloc(cap);
    out->len = 0;
    char *src = (char *)in;
    size_t left = len;
    lede_status_t st = out->s ? LEDE_OK : LEDE_E_NOMEM;
    while (st == LEDE_OK && left > 0) {
        char *dst = out->s + out->len;
        size_t room = cap - out->len - 1, before = room;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        out->len += before - room;
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            if (!out_grow(out, &cap, len)) st = LEDE_E_NOMEM;
        } else if (out_grow(out, &cap, 3)) { /* EILSEQ, or EINVAL at the end */
            memcpy(out->s + out->len, REPLACEMENT, 3);
            out->len += 3, out->replaced++;
            src++, left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        } else {
            st = LEDE_E_NOMEM;
        }
    }
    iconv_close(cd);
    if (st == LEDE_OK) out->s[out->len] = '\0';
    return st;
}

/* A UTF-8 page with its invalid sequences replaced by U+FFFD (valid: it is
 * known to be valid already). */
static lede_status_t repair_utf8(const char *in, size_t len, html_utf8_t *out, bool valid) {
    size_t cap = len + 64, bad;
    out->s = malloc(cap);
    if (!out->s) return LEDE_E_NOMEM;
    while (!valid && !utf8_valid(in, len, &bad)) {
        if (!out_grow(out, &cap, bad + 3)) return LEDE_E_NOMEM;
        memcpy(out->s + out->len, in, bad);
        memcpy(out->s + out->len + bad, REPLACEMENT, 3);
        out->len += bad + 3, out->replaced++;
        in += bad + 1, len -= bad + 1;
    }
    if (!out_grow(out, &cap, len)) return LEDE_E_NOMEM;
    memcpy(out->s + out->len, in, len);
    out->len += len;
    out->s[out->len] = '\0';
    return LEDE_OK;
}

static lede_status_t from_bom(const char *bytes, size_t len, html_utf8_t *out, lede_err_t *err,
                              bool *found) {
    static const struct {
        const char *bom, *name;
    } BOMS[] = {{"\xEF\xBB\xBF", "UTF-8"}, {"\xFF\xFE", "UTF-16LE"}, {"\xFE\xFF", "UTF-16BE"}};
    *found = false;
    for (size_t i = 0; i < COUNT(BOMS); i++) {
        size_t k = strlen(BOMS[i].bom);
        if (len < k || memcmp(bytes, BOMS[i].bom, k) != 0) continue;
        *found = true;
        snprintf(out->charset, sizeof out->charset, "%s", BOMS[i].name);
        out->from = "byte order mark";
        if (i == 0) return repair_utf8(bytes + k, len - k, out, false);
        return convert(bytes + k, len - k, BOMS[i].name, out, err);
    }
    return LEDE_OK;
}

static lede_status_t no_nul(const char *s, size_t len, lede_err_t *err, const char *what) {
    const char *nul = memchr(s, '\0', len);
    if (nul)
        return lede_errf(err, LEDE_E_INVALID, "%s: NUL byte at byte %zu", what, (size_t)(nul - s));
    return LEDE_OK;
}

static bool ascii(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

static lede_status_t from_declaration(const char *bytes, size_t len, html_utf8_t *out,
                                      lede_err_t *err) {
    char label[HTML_CHARSET_BYTES], name_buf[HTML_CHARSET_BYTES];
    const char *from = declared(bytes, len, label);
    if (!from) {
        snprintf(out->charset, sizeof out->charset, "UTF-8");
        out->from = "no declaration; valid UTF-8";
        size_t bad;
        if (utf8_valid(bytes, len, &bad)) return repair_utf8(bytes, len, out, true);
        snprintf(out->charset, sizeof out->charset, "windows-1252");
        out->from = "no declaration; not valid UTF-8, so read as windows-1252";
        return convert(bytes, len, "WINDOWS-1252", out, err);
    }
    /* The label is the page's text: quoted in the reason and the trace,
     * it must stay UTF-8 and obey no terminal. */
    utf8_excerpt(out->charset, sizeof out->charset, label);
    out->from = from;
    const char *name = html_charset_name(label, name_buf);
    if (!name)
        return lede_errf(err, LEDE_E_INVALID, "unknown charset \"%s\" (%s)", out->charset, from);
    if (strcmp(name, "UTF-8") == 0) return repair_utf8(bytes, len, out, false);
    /* Scrapers often save a page as UTF-8 and leave its declaration: text
     * in another charset is almost never valid UTF-8 by chance. */
    size_t bad;
    if (utf8_valid(bytes, len, &bad) && !ascii(bytes, len)) {
        snprintf(out->charset, sizeof out->charset, "UTF-8");
        out->from = "the bytes are valid UTF-8, whatever the page declares";
        return repair_utf8(bytes, len, out, true);
    }
    return convert(bytes, len, name, out, err);
}

lede_status_t html_to_utf8(const char *bytes, size_t len, html_utf8_t *out, lede_err_t *err) {
    *out = (html_utf8_t){0};
    bool bom;
    lede_status_t st = from_bom(bytes, len, out, err, &bom);
    if (st == LEDE_OK && !bom) {
        st = no_nul(bytes, len, err, "binary data, not an HTML page");
        if (st == LEDE_OK) st = from_declaration(bytes, len, out, err);
    }
    if (st == LEDE_OK) st = no_nul(out->s, out->len, err, "NUL character in the page");
    if (st != LEDE_OK) {
        free(out->s);
        out->s = NULL;
        out->len = 0;
    }
    return st;
}
