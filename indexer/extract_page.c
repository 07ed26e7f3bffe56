/* Lines of a page: splitting, trimming, and telling site furniture from
 * text. Nothing here looks at what a text line means; extract_walk.c does. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* Lines that are the site talking, not the article: share widgets, review
 * prompts, section headers of link lists. Compared whole, ignoring case,
 * after a list bullet is dropped ("- Social"). */
/* clang-format off */
static const char *const FURNITURE[] = {
    "Leave a review", "Follow us", "Follow us on social networks", "Subscribe",
    "News Line", "Latest Headlines", "Latest News", "Top Stories", "More Stories",
    "Most Read", "Most Popular", "Trending", "Tags", "Advertisement", "Back to top",
    "Related", "Related News", "Related Articles", "Related Stories",
    "Read more", "Read also", "See also", "Comments",
    "Social", "Share", "Share this", "Share this article", "Tweet", "Print", "Email",
    "Facebook", "Twitter", "WhatsApp", "Telegram",
};
/* clang-format on */

/* Teasers and credits announced by their first words. Upper-case markers
 * are matched exactly ("RELATED EU, U.S. appeasement ..."), because the
 * same words in lower case can open a real sentence; the ones with a colon
 * are safe to match ignoring case. */
static const char *const TEASER_UPPER[] = {"RELATED ", "READ MORE", "SEE ALSO", "ALSO READ"};
static const char *const TEASER_COLON[] = {
    "Related:",      "Read more:", "Read also:",    "See also:",   "Also read:",
    "Follow us on ", "Photo:",     "Photo credit:", "File photo:", "Image:",
};

/* Markers after which a photo credit names a photographer and agency:
 * "... Pool Photo by Leah Millis/UPI". */
static const char *const CREDIT_MARKERS[] = {"Photo by ",      "photo by ", "Photos by ",
                                             "Photograph by ", "Image by ", "Picture by "};

/* Lower-case words that may sit inside a credit: "Photo by Jan de Vries via AFP". */
static const char *const CREDIT_SMALL_WORDS[] = {"via", "for", "and", "of", "de",
                                                 "van", "von", "la",  "le", "al"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A photo credit is a byline for a picture, never long. */
#define CREDIT_TAIL_MAX_BYTES 80

bool ex_prefix_ci(const char *s, const char *prefix) {
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool ex_word_byte(char c) {
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Bytes of the white space character at s (ASCII blanks, U+00A0 no-break
 * space, U+200B zero-width space, U+FEFF byte order mark), or 0. */
static size_t space_at(const unsigned char *s, size_t n) {
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\f' || s[0] == '\v')) return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) return 3;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return 3;
    return 0;
}

/* The same, for the character that ends s[0..n). */
static size_t space_before(const unsigned char *s, size_t n) {
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (space_at(s + n - k, k) == k) return k;
    return 0;
}

static void trim(ex_line_t *l) {
    size_t k;
    while ((k = space_at((unsigned char *)l->s, l->len)) > 0) l->s += k, l->len -= k;
    while ((k = space_before((unsigned char *)l->s, l->len)) > 0) l->len -= k;
    l->s[l->len] = '\0';
}

const char *ex_unbullet(const char *s) {
    static const char *const BULLETS[] = {"- ", "* ", "\xE2\x80\xA2 ", "\xE2\x80\x93 ",
                                          "\xE2\x80\x94 "};
    for (size_t i = 0; i < COUNT(BULLETS); i++) {
        size_t n = strlen(BULLETS[i]);
        if (strncmp(s, BULLETS[i], n) == 0) {
            for (s += n; *s == ' '; s++) {
            }
            return s;
        }
    }
    return s;
}

/* A divider: only dashes, stars, bullets and the like ("-", "***", "—"). */
static bool is_separator(const char *s) {
    static const char *const WIDE[] = {"\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\xA2", "\xC2\xB7"};
    while (*s) {
        size_t step = strchr("-*_=~#|. ", *s) ? 1 : 0;
        for (size_t i = 0; !step && i < COUNT(WIDE); i++)
            if (strncmp(s, WIDE[i], strlen(WIDE[i])) == 0) step = strlen(WIDE[i]);
        if (!step) return false;
        s += step;
    }
    return true;
}

static bool credit_word(const char *w, size_t n) {
    if (isupper((unsigned char)w[0]) || isdigit((unsigned char)w[0]) || (unsigned char)w[0] >= 0x80)
        return true;
    for (size_t i = 0; i < COUNT(CREDIT_SMALL_WORDS); i++)
        if (strlen(CREDIT_SMALL_WORDS[i]) == n && strncmp(w, CREDIT_SMALL_WORDS[i], n) == 0)
            return true;
    return false;
}

/* What follows "Photo by": capitalised names and agencies joined by spaces
 * and slashes ("Leah Millis/UPI"), perhaps closed by ")" or ".". */
static bool credit_tail(const char *t) {
    size_t n = strlen(t);
    if (n == 0 || n > CREDIT_TAIL_MAX_BYTES) return false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && t[j] != ' ' && t[j] != '/') {
            if (!ex_word_byte(t[j]) && !strchr(".-'&)]", t[j])) return false;
            j++;
        }
        if (j > i && !credit_word(t + i, j - i)) return false;
        i = j + 1;
    }
    return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix) {
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool is_credit(const char *s, size_t n) {
    const char *last = NULL;
    if (ends_with(s, n, "License Photo")) return true;
    for (size_t i = 0; i < COUNT(CREDIT_MARKERS); i++) {
        for (const char *p = strstr(s, CREDIT_MARKERS[i]); p; p = strstr(p + 1, CREDIT_MARKERS[i]))
            if (!last || p + strlen(CREDIT_MARKERS[i]) > last) last = p + strlen(CREDIT_MARKERS[i]);
    }
    return last && credit_tail(last);
}

static bool is_furniture(const char *line) {
    const char *s = ex_unbullet(line);
    for (size_t i = 0; i < COUNT(FURNITURE); i++)
        if (strcasecmp(s, FURNITURE[i]) == 0) return true;
    for (size_t i = 0; i < COUNT(TEASER_UPPER); i++)
        if (strncmp(s, TEASER_UPPER[i], strlen(TEASER_UPPER[i])) == 0) return true;
    for (size_t i = 0; i < COUNT(TEASER_COLON); i++)
        if (ex_prefix_ci(s, TEASER_COLON[i])) return true;
    return false;
}

static void classify(ex_line_t *l) {
    l->credit = false;
    if (l->len == 0)
        l->kind = EX_BLANK;
    else if (is_separator(l->s))
        l->kind = EX_SEPARATOR;
    else if (is_credit(l->s, l->len))
        l->kind = EX_FURNITURE, l->credit = true;
    else
        l->kind = is_furniture(l->s) ? EX_FURNITURE : EX_TEXT;
}

/* A caption printed twice, once bare and once with its credit appended:
 * the bare copy is furniture too. */
static void mark_bare_captions(ex_page_t *page) {
    for (size_t i = 0; i < page->n; i++) {
        ex_line_t *l = &page->lines[i];
        size_t k = i + 1;
        if (l->kind != EX_TEXT) continue;
        while (k < page->n && page->lines[k].kind == EX_BLANK) k++;
        if (k < page->n && page->lines[k].credit && page->lines[k].len > l->len &&
            memcmp(page->lines[k].s, l->s, l->len) == 0)
            l->kind = EX_FURNITURE;
    }
}

static size_t count_lines(const char *s, size_t len) {
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) n++;
    return n;
}

/* Cuts copy[0..len) into lines in place: each line end becomes a NUL. */
static void cut_lines(char *copy, size_t len, ex_page_t *page) {
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && copy[i] != '\n' && copy[i] != '\r') continue;
        ex_line_t *l = &page->lines[page->n++];
        l->s = copy + start;
        l->len = i - start;
        if (i < len && copy[i] == '\r' && i + 1 < len && copy[i + 1] == '\n') copy[i++] = '\0';
        copy[i] = '\0';
        start = i + 1;
        trim(l);
        classify(l);
    }
}

lede_status_t ex_page_split(const char *text, size_t len, ex_page_t *page) {
    memset(page, 0, sizeof *page);
    page->copy = malloc(len + 1);
    page->lines = page->copy ? calloc(count_lines(text, len), sizeof *page->lines) : NULL;
    if (!page->lines) {
        ex_page_free(page);
        return LEDE_E_NOMEM;
    }
    memcpy(page->copy, text, len);
    page->copy[len] = '\0';
    cut_lines(page->copy, len, page);
    mark_bare_captions(page);
    return LEDE_OK;
}

void ex_page_free(ex_page_t *page) {
    free(page->copy);
    free(page->lines);
    memset(page, 0, sizeof *page);
}

size_t ex_page_title(ex_page_t *page) {
    size_t t = 0;
    while (t < page->n && page->lines[t].kind != EX_TEXT) t++;
    for (size_t i = t + 1; i < page->n; i++)
        if (page->lines[i].kind == EX_TEXT && strcmp(page->lines[i].s, page->lines[t].s) == 0)
            page->lines[i].kind = EX_FURNITURE;
    return t;
}
