/* UTF-8 validation (RFC 3629): rejects overlong forms, surrogates and
 * code points past U+10FFFF, all of which Xapian would index as garbage;
 * and excerpts of untrusted text that are safe to quote in messages. */
#include <stdint.h>
#include <string.h>

#include "lede/article.h"

/* Length of the sequence that starts with byte c, or 0 if c cannot start one. */
static size_t seq_len(unsigned char c) {
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) return 3;
    if (c >= 0xF0 && c <= 0xF4) return 4;
    return 0;
}

static bool seq_ok(const unsigned char *p, size_t len) {
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return false;
    if (len == 3) {
        if (p[0] == 0xE0 && p[1] < 0xA0) return false;  /* overlong */
        if (p[0] == 0xED && p[1] >= 0xA0) return false; /* surrogate */
    }
    if (len == 4) {
        if (p[0] == 0xF0 && p[1] < 0x90) return false;  /* overlong */
        if (p[0] == 0xF4 && p[1] >= 0x90) return false; /* > U+10FFFF */
    }
    return true;
}

size_t utf8_char_len(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = n ? seq_len(p[0]) : 0;
    return len && len <= n && seq_ok(p, len) ? len : 0;
}

bool utf8_valid(const char *s, size_t n, size_t *bad) {
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_char_len(s + i, n - i);
        if (len == 0) {
            if (bad) *bad = i;
            return false;
        }
        i += len;
    }
    return true;
}

char *utf8_excerpt(char *out, size_t size, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t len = seq_len(*p);
        bool ok = len > 0 && strnlen((const char *)p, len) == len && seq_ok(p, len);
        if (!ok || *p < 0x20 || *p == 0x7F) len = 1;
        if (o + len >= size) break;
        if (ok && *p >= 0x20 && *p != 0x7F)
            memcpy(out + o, p, len);
        else
            out[o] = '?';
        o += len, p += len;
    }
    out[o] = '\0';
    return out;
}
