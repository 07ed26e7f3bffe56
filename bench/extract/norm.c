/* Normalisation and word tokens (norm.h), on libutf8proc. */
#include "norm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

/* Keeps only the well-formed UTF-8 sequences of s. */
static char *drop_invalid(const char *s) {
    size_t len = strlen(s);
    char *out = ev_xmalloc(len + 1), *o = out;
    const uint8_t *p = (const uint8_t *)s, *end = p + len;
    while (p < end) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
        if (n < 1) {
            p++;
            continue;
        }
        memcpy(o, p, (size_t)n);
        o += n, p += n;
    }
    *o = '\0';
    return out;
}

/* NFKC and case folding in one pass of utf8proc. */
static char *nfkc_casefold(const char *s) {
    const unsigned opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                          UTF8PROC_CASEFOLD;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out, opts);
    if (n == UTF8PROC_ERROR_NOMEM) ev_out_of_memory();
    if (n < 0) {
        char *clean = drop_invalid(s);
        n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &out, opts);
        free(clean);
        if (n < 0) return ev_xstrdup("");
    }
    return (char *)out;
}

/* The plain form of a typographic quote or dash, or c itself. */
static utf8proc_int32_t plain(utf8proc_int32_t c) {
    if ((c >= 0x2018 && c <= 0x201B) || c == 0x2032 || c == 0x2035 || c == 0x2039 || c == 0x203A)
        return '\'';
    if ((c >= 0x201C && c <= 0x201F) || c == 0x2033 || c == 0x2036 || c == 0x00AB || c == 0x00BB)
        return '"';
    if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x2E3A || c == 0x2E3B) return '-';
    return c;
}

/* White space as Python's str.isspace() sees it. */
static bool is_space(utf8proc_int32_t c) {
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85) return true;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

char *norm_text(const char *s) {
    char *folded = nfkc_casefold(s ? s : "");
    size_t len = strlen(folded);
    /* A plain quote or dash is never longer than what it replaces. */
    char *out = ev_xmalloc(len + 1), *o = out;
    const uint8_t *p = (const uint8_t *)folded, *end = p + len;
    bool pending_space = false;
    while (p < end) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
        p += n;
        if (is_space(c)) {
            pending_space = o > out;
            continue;
        }
        if (pending_space) *o++ = ' ', pending_space = false;
        o += utf8proc_encode_char(plain(c), (utf8proc_uint8_t *)o);
    }
    *o = '\0';
    free(folded);
    return out;
}

static bool is_punct(utf8proc_int32_t c) {
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO;
}

/* The start of the last code point of s[0..len), len > 0. */
static size_t last_char(const char *s, size_t len) {
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

char *norm_trimmed(const char *s) {
    char *t = norm_text(s);
    size_t len = strlen(t);
    while (len > 0) {
        size_t at = last_char(t, len);
        utf8proc_int32_t c;
        utf8proc_iterate((const uint8_t *)t + at, (utf8proc_ssize_t)(len - at), &c);
        if (!is_punct(c) && c != ' ') break;
        len = at;
    }
    t[len] = '\0';
    return t;
}

size_t norm_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Han, kana and Hangul: scripts written without spaces between words
 * (Hangul has them, but a run of it is a word all the same). */
static bool is_cjk(utf8proc_int32_t c) {
    return (c >= 0x1100 && c <= 0x11FF) || c == 0x3005 || c == 0x3007 ||
           (c >= 0x3021 && c <= 0x3029) || (c >= 0x3041 && c <= 0x30FF) ||
           (c >= 0x3131 && c <= 0x318E) || (c >= 0x31F0 && c <= 0x31FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3134F);
}

enum { C_OTHER, C_WORD, C_CJK, C_MARK };

static int char_class(utf8proc_int32_t c) {
    utf8proc_category_t k = utf8proc_category(c);
    if (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) return C_MARK;
    bool word = (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
                (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO) || c == '_';
    if (!word) return C_OTHER;
    return is_cjk(c) ? C_CJK : C_WORD;
}

static void add_token(norm_tokens_t *t, size_t at) {
    t->at = ev_xrealloc(t->at, (t->n + 1) * sizeof *t->at);
    t->at[t->n++] = at;
}

void norm_tokenize(const char *s, norm_tokens_t *out) {
    char *text = norm_text(s);
    size_t len = strlen(text);
    *out = (norm_tokens_t){.buf = ev_xmalloc(2 * len + 1)}; /* a NUL after each char at most */
    char *o = out->buf;
    const uint8_t *p = (const uint8_t *)text, *end = p + len;
    int run = C_OTHER; /* the class of the token being built */
    while (p < end) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
        int k = char_class(c);
        if (k == C_MARK) k = run; /* a mark belongs to the run it follows */
        if (k != run && run != C_OTHER) *o++ = '\0';
        if (k != run && k != C_OTHER) add_token(out, (size_t)(o - out->buf));
        if (k != C_OTHER) memcpy(o, p, (size_t)n), o += n;
        run = k;
        p += n;
    }
    *o = '\0';
    free(text);
}

void norm_tokens_free(norm_tokens_t *t) {
    free(t->buf);
    free(t->at);
    *t = (norm_tokens_t){0};
}

char *norm_tokens_join(const norm_tokens_t *t, size_t from, size_t n) {
    ev_buf_t b = {0};
    for (size_t i = from; i < from + n && i < t->n; i++) {
        if (i > from) ev_buf_add(&b, " ", 1);
        ev_buf_add(&b, norm_token(t, i), strlen(norm_token(t, i)));
    }
    return ev_buf_take(&b);
}
