/* A JSON record's article made fit to show: bylines, capitals, missing
 * titles, wrapped lines. See tidy.h. */
#include "tidy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract.h"
#include "extract_parts.h"

/* True when s has letters and none of them is small, all in ASCII: a name
 * typed in capitals ("PATTI DOMM"). Other scripts are left alone. */
static bool all_capitals(const char *s) {
    bool letters = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80 || islower(*p)) return false;
        letters |= isupper(*p) != 0;
    }
    return letters;
}

/* "NAILENE CHOU-WIEST, REUTERS" -> "Nailene Chou-Wiest, Reuters": a
 * capital after a space, a hyphen or an apostrophe ("O'Brien"). */
static void ordinary_capitals(char *s) {
    for (char *p = s; *p; p++)
        if (p > s && isalpha((unsigned char)p[-1])) *p = (char)tolower((unsigned char)*p);
    for (char *p = s; (p = strstr(p, " And ")) != NULL; p += 4)
        p[1] = 'a'; /* "JUKES AND SHEHADI" */
}

/* Cuts an agency credit off the end of a byline ("Joshua So, Reuters"),
 * keeping the agency for the source. */
static void cut_agency(char *s, lede_article_t *names) {
    char *comma = strrchr(s, ',');
    if (!comma) return;
    const char *agency =
        ex_agency(comma + 1 + strspn(comma + 1, " "), strlen(comma + 1 + strspn(comma + 1, " ")));
    if (!agency) return;
    if (!names->source) names->source = strdup(agency); /* a copy failing costs the source only */
    *comma = '\0';
}

/* A byline's opening ("By ", "by ", "By: "), or 0. */
static size_t by_prefix(const char *s) {
    if (strncasecmp(s, "by", 2) != 0) return 0;
    size_t k = 2;
    if (s[k] == ':') k++;
    if (s[k] != ' ') return 0;
    while (s[k] == ' ') k++;
    return k;
}

/* Names joined with " and " or " & ", each kept as written. */
static lede_status_t push_names(char *s, lede_article_t *names) {
    lede_status_t st = LEDE_OK;
    while (st == LEDE_OK && *s) {
        char *and = strstr(s, " and "), *amp = strstr(s, " & ");
        char *end = and&&(!amp || and < amp) ? and : amp;
        if (end) *end = '\0';
        if (*s) st = ex_push_unique(&names->authors, s);
        s = end ? end + (end == and? 5 : 3) : s + strlen(s);
    }
    return st;
}

/* The names in one author string. A byline the extractor can read gives
 * its names (and its agency, kept for the source); another "By ..." line
 * gives its text without the "By" and the agency, split at "and"; any
 * other string (an address, "jd@example.com (Jane Doe)") stays as it is. */
static lede_status_t read_author(const char *given, lede_article_t *names) {
    char *s = strdup(given);
    if (!s) return LEDE_E_NOMEM;
    if (all_capitals(s) && !strchr(s, '@')) ordinary_capitals(s);
    lede_status_t st = LEDE_OK;
    if (ex_meta_is_byline(s)) st = ex_meta_byline(s, names, NULL, 0, "byline");
    if (st == LEDE_OK && names->authors.n == 0) {
        char *rest = s;
        for (size_t k; (k = by_prefix(rest)) > 0;) rest += k; /* "By By Lisa Vaughan" */
        if (rest > s) cut_agency(rest, names);
        st = rest > s ? push_names(rest, names) : ex_push_unique(&names->authors, s);
    }
    free(s);
    return st;
}

static lede_status_t tidy_authors(lede_article_t *a) {
    lede_article_t out;
    article_init(&out);
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; st == LEDE_OK && i < a->authors.n; i++) {
        lede_article_t one;
        article_init(&one);
        st = read_author(a->authors.v[i], &one);
        for (size_t k = 0; st == LEDE_OK && k < one.authors.n; k++) {
            char *name = one.authors.v[k];
            if (all_capitals(name) && !strchr(name, '@')) ordinary_capitals(name);
            st = ex_push_unique(&out.authors, name);
        }
        if (st == LEDE_OK && !out.source && one.source) out.source = one.source, one.source = NULL;
        article_free(&one);
    }
    if (st == LEDE_OK) {
        strv_free(&a->authors);
        a->authors = out.authors, out.authors = (lede_strv_t){0};
        if (!a->source) a->source = out.source, out.source = NULL;
    }
    article_free(&out);
    return st;
}

bool tidy_body_is_wrapped(const char *body) {
    for (const char *p = strchr(body, '\n'); p; p = strchr(p + 1, '\n')) {
        const char *next = p + 1;
        while (*next == ' ' || *next == '\t' || *next == '\r') next++;
        if (*next == '\n' || *next == '\0') continue;
        const char *prev = p;
        while (prev > body && (prev[-1] == ' ' || prev[-1] == '\t' || prev[-1] == '\r')) prev--;
        if (prev > body && prev[-1] != '\n') return true;
    }
    return false;
}

static lede_status_t tidy_body(lede_article_t *a) {
    if (!a->body || !tidy_body_is_wrapped(a->body)) return LEDE_OK;
    char *flowed = extract_reflow(a->body, strlen(a->body));
    if (!flowed) return LEDE_E_NOMEM;
    free(a->body);
    a->body = flowed;
    return LEDE_OK;
}

static bool blank(const char *s) {
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* The end of a word of capitals at s ("ACCORD", "3RD", "<STRA.O>",
 * "-"), or NULL when the word has a small letter. */
static const char *capital_word_end(const char *s) {
    const char *p = s;
    for (; *p && *p != ' ' && *p != '\n'; p++)
        if (islower((unsigned char)*p) || (unsigned char)*p >= 0x80) return NULL;
    return p;
}

/* Whether the words at first and second name one place together. */
static bool two_word_place(const char *first, const char *second) {
    static const char *const FIRST[] = {"NEW ",  "LOS ",    "LAS ", "SAN ", "SANTA ", "SAO ",
                                        "HONG ", "BUENOS ", "RIO ", "TEL ", "KUALA ", "ABU ",
                                        "EL ",   "LA ",     "ST. ", "ST ",  "PORT ",  "CAPE ",
                                        "HO ",   "DAR ",    "SRI "};
    if (strncmp(second, "CITY", 4) == 0) return true;
    for (size_t i = 0; i < sizeof FIRST / sizeof FIRST[0]; i++)
        if (strncmp(first, FIRST[i], strlen(FIRST[i])) == 0) return true;
    return false;
}

/* Length of the headline a wire brief opens with, in capitals: "LIBRA
 * BANK EXPECTS BRAZIL TO REACH DEBT ACCORD LONDON, March 5 - ..." gives
 * the words before the dateline, "LONDON GOLD CLOSING - APRIL 7" all of
 * its line. 0 when the text does not open so. */
static size_t capitals_headline(const char *text) {
    char head[2 * EX_TITLE_MAX_BYTES + 1]; /* the opening, lines joined: a dateline may wrap */
    snprintf(head, sizeof head, "%s", text);
    for (char *p = head; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    size_t words = 0, len = 0, starts[EX_TITLE_MAX_BYTES], line_end = strcspn(text, "\n");
    for (const char *p = head, *end; (size_t)(p - head) < line_end; p = end + strspn(end, " ")) {
        if (!(end = capital_word_end(p)) || end == p) break;
        if (strpbrk(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") < end) starts[words++] = (size_t)(p - head);
        len = (size_t)(end - head);
        if (words == EX_TITLE_MAX_BYTES || strncmp(end, "  ", 2) == 0)
            break; /* a table's columns */
    }
    /* A dateline that runs on past the capitals ("LONDON, March 25 -") is
     * the text's, not the headline's. The place is taken as the last word
     * (any longer run of capitals would read as a place too), or two for
     * the names that need them ("NEW YORK", "MEXICO CITY"). */
    for (size_t w = words; w-- > 2;) {
        ex_dateline_t d;
        if (!ex_dateline(head + starts[w], strlen(head + starts[w]), &d) ||
            starts[w] + d.len <= len)
            continue;
        if (w > 2 && two_word_place(head + starts[w - 1], head + starts[w])) w--;
        len = starts[w];
        break;
    }
    while (len > 0 && strchr(" ,-:", head[len - 1])) len--;
    return words >= 2 && len <= EX_TITLE_MAX_BYTES ? len : 0;
}

/* The first line, when it reads as a headline above the text: short, not
 * a sentence, with more lines after it, and left a line of its own when
 * the text's lines are joined (flowed is the text reflowed). */
static size_t headline_line(const char *text, const char *flowed) {
    size_t n = strcspn(text, "\n");
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\r')) n--;
    if (n == 0 || n > EX_TITLE_MAX_BYTES || !text[strcspn(text, "\n")] ||
        strchr(".!?,;:", text[n - 1]))
        return 0;
    return strncmp(flowed, text, n) == 0 && flowed[n] == '\n' ? n : 0;
}

/* A title for an article without one, from the start of its body (as
 * given: its line breaks tell a headline line apart). */
static lede_status_t tidy_title(lede_article_t *a) {
    if (!blank(a->title) || blank(a->body)) return LEDE_OK;
    const char *text = a->body + strspn(a->body, " \t\r\n");
    char *flowed = extract_reflow(text, strlen(text)), *title = NULL;
    if (!flowed) return LEDE_E_NOMEM;
    size_t n = capitals_headline(text);
    if (n == 0) n = headline_line(text, flowed);
    title = n > 0 ? strndup(text, n) : ex_title_from_text(flowed);
    free(flowed);
    if (!title) return LEDE_E_NOMEM;
    free(a->title);
    a->title = title;
    a->title_from_body = true;
    return LEDE_OK;
}

lede_status_t tidy_article(lede_article_t *a) {
    lede_status_t st = tidy_authors(a);
    if (st == LEDE_OK) st = tidy_title(a); /* before the body's lines are joined */
    if (st == LEDE_OK) st = tidy_body(a);
    return st;
}
