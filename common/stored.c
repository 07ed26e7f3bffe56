/* Reading a stored article's fields in one pass (lede/stored.h).
 *
 * scan_* check RFC 8259's grammar and advance past one token; decoding is
 * left to stored_string, which may then assume a well-formed string. A
 * string's escapes are checked as jansson checks them (no \u0000, no lone
 * surrogate) and its bytes as UTF-8 (utf8_char_len), so that any string
 * this reader accepts decodes to what jansson would make of it. */
#include "lede/stored.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lede/article.h"

typedef struct scanner {
    const char *p, *end;
} scanner_t;

static void skip_ws(scanner_t *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The four hex digits at p as a number; -1 when they are not. */
static long hex4(const char *p) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A \u escape at p (the backslash): its code point and length (6, or 12
 * for a surrogate pair); -1 when malformed, a lone surrogate or U+0000. */
static long unicode_escape(const char *p, const char *end, size_t *len) {
    long cp = end - p >= 6 && p[1] == 'u' ? hex4(p + 2) : -1;
    *len = 6;
    if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return -1;
    if (cp < 0xD800 || cp > 0xDBFF) return cp;
    long lo = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
    if (lo < 0xDC00 || lo > 0xDFFF) return -1;
    *len = 12;
    return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
}

/* Past a string (s->p at its opening quote); *escaped says it holds a
 * backslash. */
static bool scan_string(scanner_t *s, bool *escaped) {
    const char *p = s->p + 1;
    *escaped = false;
    while (p < s->end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            s->p = p + 1;
            return true;
        }
        if (c < 0x20) return false;
        if (c == '\\') {
            *escaped = true;
            size_t len = 2;
            if (p + 1 >= s->end) return false;
            if (p[1] == 'u') {
                if (unicode_escape(p, s->end, &len) < 0) return false;
            } else if (!strchr("\"\\/bfnrt", p[1]) || p[1] == '\0') {
                return false;
            }
            p += len;
        } else if (c < 0x80) {
            p++;
        } else {
            size_t len = utf8_char_len(p, (size_t)(s->end - p));
            if (!len) return false;
            p += len;
        }
    }
    return false;
}

static bool scan_digits(scanner_t *s) {
    const char *start = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    return s->p > start;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool scan_number(scanner_t *s) {
    if (s->p < s->end && *s->p == '-') s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!scan_digits(s))
        return false;
    if (s->p < s->end && *s->p == '.' && (s->p++, !scan_digits(s))) return false;
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (!scan_digits(s)) return false;
    }
    return true;
}

static bool scan_word(scanner_t *s, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0) return false;
    s->p += n;
    return true;
}

static bool scan_value(scanner_t *s, int depth);

/* Past the members of an array or object (s->p just inside it). */
static bool scan_members(scanner_t *s, bool object, int depth) {
    char close = object ? '}' : ']';
    skip_ws(s);
    if (s->p < s->end && *s->p == close) return s->p++, true;
    for (;;) {
        bool escaped;
        skip_ws(s);
        if (object) {
            if (s->p >= s->end || *s->p != '"' || !scan_string(s, &escaped)) return false;
            skip_ws(s);
            if (s->p >= s->end || *s->p++ != ':') return false;
            skip_ws(s);
        }
        if (!scan_value(s, depth)) return false;
        skip_ws(s);
        if (s->p >= s->end) return false;
        char c = *s->p++;
        if (c == close) return true;
        if (c != ',') return false;
    }
}

static bool scan_value(scanner_t *s, int depth) {
    if (s->p >= s->end) return false;
    bool escaped;
    switch (*s->p) {
    case '"':
        return scan_string(s, &escaped);
    case '{':
    case '[':
        if (depth >= STORED_MAX_DEPTH) return false;
        return scan_members(s, *s->p++ == '{', depth + 1);
    case 't':
        return scan_word(s, "true");
    case 'f':
        return scan_word(s, "false");
    case 'n':
        return scan_word(s, "null");
    default:
        return scan_number(s);
    }
}

/* Sets vals[i] when the key key[0..n) is keys[i]. */
static void match_key(const char *key, size_t n, stored_span_t v, const char *const *keys,
                      size_t n_keys, stored_span_t *vals) {
    for (size_t i = 0; i < n_keys; i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], key, n) == 0) vals[i] = v;
}

bool stored_find(const char *json, size_t len, const char *const *keys, size_t n_keys,
                 stored_span_t *vals) {
    scanner_t s = {json, json + len};
    memset(vals, 0, n_keys * sizeof *vals);
    skip_ws(&s);
    if (s.p >= s.end || *s.p++ != '{') return false;
    skip_ws(&s);
    bool more = s.p < s.end && *s.p != '}';
    if (!more) s.p++;
    while (more) {
        bool escaped;
        skip_ws(&s);
        const char *key = s.p + 1;
        if (s.p >= s.end || *s.p != '"' || !scan_string(&s, &escaped) || escaped) return false;
        size_t key_len = (size_t)(s.p - 1 - key);
        skip_ws(&s);
        if (s.p >= s.end || *s.p++ != ':') return false;
        skip_ws(&s);
        const char *value = s.p;
        if (!scan_value(&s, 1)) return false;
        match_key(key, key_len, (stored_span_t){value, (size_t)(s.p - value)}, keys, n_keys, vals);
        skip_ws(&s);
        if (s.p >= s.end) return false;
        char c = *s.p++;
        if (c != ',' && c != '}') return false;
        more = c == ',';
    }
    skip_ws(&s);
    return s.p == s.end;
}

/* Writes code point cp as UTF-8 at w; returns the end. */
static char *put_utf8(char *w, long cp) {
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

static char simple_escape(char c) {
    switch (c) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default: /* '"', '\\', '/' */
        return c;
    }
}

char *stored_string(stored_span_t v) {
    /* stored_find and stored_next checked the string; it is not read again.
     * (Whatever the span, nothing is read outside it.) */
    if (!v.p || v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"') return NULL;
    /* Decoded text is never longer than its escaped form. */
    char *out = malloc(v.n - 1), *w = out;
    if (!out) return NULL;
    const char *p = v.p + 1, *end = v.p + v.n - 1;
    while (p < end) {
        const char *run = p;
        while (p < end && *p != '\\') p++;
        memcpy(w, run, (size_t)(p - run));
        w += p - run;
        if (p == end) break;
        size_t len = 2;
        if (p[1] == 'u')
            w = put_utf8(w, unicode_escape(p, end, &len));
        else
            *w++ = simple_escape(p[1]);
        p += len;
    }
    *w = '\0';
    return out;
}

bool stored_true(stored_span_t v) {
    return v.p && v.n == 4 && memcmp(v.p, "true", 4) == 0;
}

bool stored_next(stored_span_t *rest, stored_span_t *elem) {
    scanner_t s = {rest->p, rest->p ? rest->p + rest->n : NULL};
    if (!s.p || s.p >= s.end) return false;
    /* The first call starts at '[', later ones at ',' or ']'. */
    char c = *s.p++;
    if (c != '[' && c != ',') return false;
    skip_ws(&s);
    if (s.p >= s.end || *s.p == ']') return false;
    const char *start = s.p;
    if (!scan_value(&s, 1)) return false;
    *elem = (stored_span_t){start, (size_t)(s.p - start)};
    skip_ws(&s);
    *rest = (stored_span_t){s.p, (size_t)(s.end - s.p)};
    return true;
}
