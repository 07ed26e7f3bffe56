/* One-line renderings of values for failure lines (show.h). */
#include "show.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PARAGRAPH_MARK " \xC2\xB6 " /* " ¶ " */
#define CUT_MARK "\xE2\x80\xA6"     /* "…" */

/* s on one line: runs of white space become one space, or " ¶ " when they
 * hold a blank line (two newlines). */
static char *flatten(const char *s) {
    ev_buf_t b = {0};
    while (*s) {
        size_t run = strspn(s, " \t\r\n\v\f");
        if (run == 0) {
            ev_buf_add(&b, s++, 1);
            continue;
        }
        size_t newlines = 0;
        for (size_t i = 0; i < run; i++) newlines += s[i] == '\n';
        const char *gap = newlines >= 2 ? PARAGRAPH_MARK : " ";
        if (b.len > 0 && s[run]) ev_buf_add(&b, gap, strlen(gap));
        s += run;
    }
    return ev_buf_take(&b);
}

static bool continuation(char c) {
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The byte offset of character number `chars` of s, or its length. */
static size_t offset_of_char(const char *s, size_t chars) {
    size_t i = 0;
    for (size_t seen = 0; s[i]; i++) {
        if (continuation(s[i])) continue;
        if (seen++ == chars) break;
    }
    return i;
}

char *show_head(const char *s, size_t chars) {
    if (!s) return ev_xstrdup("none");
    char *flat = flatten(s);
    size_t cut = offset_of_char(flat, chars);
    char *out = ev_sprintf("\"%.*s%s\"", (int)cut, flat, flat[cut] ? CUT_MARK : "");
    free(flat);
    return out;
}

char *show_tail(const char *s, size_t chars) {
    if (!s) return ev_xstrdup("none");
    char *flat = flatten(s);
    size_t total = 0;
    for (const char *p = flat; *p; p++) total += !continuation(*p);
    size_t from = total > chars ? offset_of_char(flat, total - chars) : 0;
    char *out = ev_sprintf("\"%s%s\"", from ? CUT_MARK : "", flat + from);
    free(flat);
    return out;
}

char *show_list(const ev_strv_t *l) {
    ev_buf_t b = {0};
    ev_buf_add(&b, "[", 1);
    for (size_t i = 0; i < l->n; i++) ev_buf_addf(&b, "%s\"%s\"", i ? ", " : "", l->v[i]);
    ev_buf_add(&b, "]", 1);
    return ev_buf_take(&b);
}

char *show_alts(const char *value, const ev_strv_t *alts, size_t chars) {
    ev_buf_t b = {0};
    char *first = show_head(value, chars);
    ev_buf_add(&b, first, strlen(first));
    free(first);
    for (size_t i = 0; i < alts->n; i++) {
        char *alt = show_head(alts->v[i], chars);
        ev_buf_addf(&b, " or %s", alt);
        free(alt);
    }
    return ev_buf_take(&b);
}
