/* Where a page comes from. Scraped pages rarely name their publisher in a
 * field, but the text does, in a few fixed shapes:
 *
 *   "March 30 (UPI) -- ..."              a wire dateline
 *   "Washington D.C./Turan: ..."         a place/agency dateline
 *   "TURAN's Washington correspondent"   an agency's own correspondent
 *   "... told VOA", "briefed the Voice of America"
 *
 * Known agencies keep their usual spelling; datelines may also name an
 * agency this table does not know. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

typedef struct {
    const char *alias;
    const char *canon;
} agency_t;

static const agency_t AGENCIES[] = {
    {"Reuters", "Reuters"},
    {"Thomson Reuters", "Reuters"},
    {"AP", "AP"},
    {"Associated Press", "AP"},
    {"The Associated Press", "AP"},
    {"AFP", "AFP"},
    {"Agence France-Presse", "AFP"},
    {"Agence France Presse", "AFP"},
    {"UPI", "UPI"},
    {"United Press International", "UPI"},
    {"VOA", "VOA"},
    {"Voice of America", "VOA"},
    {"TURAN", "TURAN"},
    {"BBC", "BBC"},
    {"CNN", "CNN"},
    {"Bloomberg", "Bloomberg"},
    {"Xinhua", "Xinhua"},
    {"TASS", "TASS"},
    {"Interfax", "Interfax"},
    {"dpa", "dpa"},
    {"Deutsche Presse-Agentur", "dpa"},
    {"ANSA", "ANSA"},
    {"EFE", "EFE"},
    {"Kyodo", "Kyodo"},
    {"Yonhap", "Yonhap"},
    {"Anadolu Agency", "Anadolu"},
    {"RFE/RL", "RFE/RL"},
    {"Radio Free Europe/Radio Liberty", "RFE/RL"},
    {"APA", "APA"},
    {"Al Jazeera", "Al Jazeera"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A wire dateline's "(AGENCY)" comes early in the first paragraph. */
#define WIRE_PAREN_MAX_BYTES 80
/* A "Place/Agency:" dateline is short. */
#define SLASH_DATELINE_MAX_BYTES 60
/* An agency this table does not know is one short word. */
#define AGENCY_WORD_MAX_BYTES 20
/* "SPRINGFIELD, Ill., March 30": parts of a dateline place. */
#define PLACE_MAX_PARTS 3
/* "TURAN's Washington correspondent": words allowed between. */
#define CORRESPONDENT_GAP_WORDS 3

/* Verbs after which a publication is the one being spoken to. */
static const char *const TOLD[] = {"told ",        "briefed ",  "interview with ",
                                   "speaking to ", "spoke to ", "spoke with "};
static const char *const REPORTERS[] = {"correspondent", "correspondents", "reporter", "reporters",
                                        "bureau"};

const char *ex_agency(const char *s, size_t n) {
    while (n > 0 && s[0] == ' ') s++, n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    for (size_t i = 0; i < COUNT(AGENCIES); i++)
        if (strlen(AGENCIES[i].alias) == n && strncasecmp(s, AGENCIES[i].alias, n) == 0)
            return AGENCIES[i].canon;
    return NULL;
}

/* The longest known agency written at s, ending at a word boundary; its
 * length goes to *len. A name in running text is capitalised ("Turan"). */
static const char *agency_at(const char *s, size_t *len) {
    const char *best = NULL;
    *len = 0;
    if (!isupper((unsigned char)s[0])) return NULL;
    for (size_t i = 0; i < COUNT(AGENCIES); i++) {
        size_t k = strlen(AGENCIES[i].alias);
        if (k > *len && ex_prefix_ci(s, AGENCIES[i].alias) && !ex_word_byte(s[k]))
            best = AGENCIES[i].canon, *len = k;
    }
    return best;
}

/* One word of letters, capitalised: an agency the table does not know. */
static bool agency_word(const char *s, size_t n) {
    if (n < 2 || n > AGENCY_WORD_MAX_BYTES || !isupper((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i])) return false;
    return true;
}

static bool all_caps(const char *s, size_t n) {
    if (n < 2 || n > AGENCY_WORD_MAX_BYTES) return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i])) return false;
    return true;
}

static lede_status_t set_source(lede_article_t *a, const char *s, size_t n) {
    const char *canon = ex_agency(s, n);
    if (a->source) return LEDE_OK;
    a->source = canon ? strdup(canon) : strndup(s, n);
    return a->source ? LEDE_OK : LEDE_E_NOMEM;
}

/* A dateline place: one name, or a few joined by commas ("WASHINGTON,
 * D.C.", "Springfield, Ill."). */
static bool place_like(const char *s, size_t n) {
    size_t parts = 0;
    for (size_t i = 0; i <= n; parts++) {
        const char *comma = memchr(s + i, ',', n - i);
        size_t j = comma ? (size_t)(comma - s) : n;
        if (parts == PLACE_MAX_PARTS || ex_meta_name_words(s + i, j - i) == 0) return false;
        i = j + 1;
        while (i < n && s[i] == ' ') i++;
    }
    return parts > 0;
}

static lede_status_t add_place(lede_article_t *a, const char *s, size_t n) {
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',')) n--;
    if (!place_like(s, n)) return LEDE_OK;
    char *place = strndup(s, n);
    lede_status_t st = place ? ex_push_unique(&a->places, place) : LEDE_E_NOMEM;
    free(place);
    return st;
}

/* The dash after "(UPI)": "--", "-", "—" or "–", then a space. */
static bool wire_dash(const char *p) {
    while (*p == ' ') p++;
    if (strncmp(p, "--", 2) == 0) return p[2] == ' ';
    if (strncmp(p, "\xE2\x80\x94", 3) == 0 || strncmp(p, "\xE2\x80\x93", 3) == 0)
        return p[3] == ' ';
    return p[0] == '-' && p[1] == ' ';
}

/* The text before "(AGENCY)": nothing, a date, a place, or a place and a
 * date ("WASHINGTON, March 30"). Anything else means it was no dateline.
 * With need_date, only a dated prefix will do. */
static lede_status_t wire_prefix(const char *s, size_t n, bool need_date, lede_article_t *a,
                                 bool *ok) {
    char iso[EX_DATE_BYTES];
    size_t start = n;
    while (n > 0 && s[n - 1] == ' ') n--, start = n;
    bool dated = n > 0 && ex_date_tail(s, n, iso, &start);
    size_t place_n = start;
    while (place_n > 0 && (s[place_n - 1] == ' ' || s[place_n - 1] == ',')) place_n--;
    *ok = (dated || !need_date) && (place_n == 0 || place_like(s, place_n));
    if (!*ok) return LEDE_OK;
    if (dated && !a->date && !(a->date = strdup(iso))) return LEDE_E_NOMEM;
    return add_place(a, s, place_n);
}

static lede_status_t wire_dateline(const char *para, size_t n, lede_article_t *a, bool *found) {
    const char *open = memchr(para, '(', n < WIRE_PAREN_MAX_BYTES ? n : WIRE_PAREN_MAX_BYTES);
    const char *close = open ? memchr(open, ')', n - (size_t)(open - para)) : NULL;
    *found = false;
    if (!close || !wire_dash(close + 1)) return LEDE_OK;
    size_t k = (size_t)(close - open - 1);
    bool known = ex_agency(open + 1, k) || all_caps(open + 1, k);
    if (!known && !agency_word(open + 1, k)) return LEDE_OK;
    /* A capitalised word the table does not know could be any aside in
     * brackets ("Lions (Champions) - ..."); with a date before it,
     * "SEOUL, May 3 (Newsis) -", it is a dateline. */
    lede_status_t st = wire_prefix(para, (size_t)(open - para), !known, a, found);
    return st == LEDE_OK && *found ? set_source(a, open + 1, k) : st;
}

static lede_status_t slash_dateline(const char *para, size_t n, lede_article_t *a) {
    const char *colon =
        memchr(para, ':', n < SLASH_DATELINE_MAX_BYTES ? n : SLASH_DATELINE_MAX_BYTES);
    const char *first = colon ? memchr(para, '/', (size_t)(colon - para)) : NULL;
    if (!first) return LEDE_OK;
    const char *last = first;
    for (const char *p = first; p < colon; p++)
        if (*p == '/') last = p;
    size_t k = (size_t)(colon - last - 1), place_n = (size_t)(first - para);
    if (!ex_agency(last + 1, k) && !all_caps(last + 1, k)) return LEDE_OK;
    if (!place_like(para, place_n)) return LEDE_OK;
    lede_status_t st = set_source(a, last + 1, k);
    return st == LEDE_OK ? add_place(a, para, place_n) : st;
}

lede_status_t ex_source_dateline(const char *para, size_t n, lede_article_t *a) {
    bool found;
    lede_status_t st = wire_dateline(para, n, a, &found);
    if (st != LEDE_OK || found) return st;
    return slash_dateline(para, n, a);
}

/* True when one of the next few words after p is "correspondent" or alike. */
static bool reporter_follows(const char *p) {
    for (int w = 0; w <= CORRESPONDENT_GAP_WORDS && *p; w++) {
        size_t n = 0;
        while (p[n] && p[n] != ' ') n++;
        for (size_t i = 0; i < COUNT(REPORTERS); i++)
            if (strlen(REPORTERS[i]) == n && strncmp(p, REPORTERS[i], n) == 0) return true;
        p += n;
        while (*p == ' ') p++;
    }
    return false;
}

/* "TURAN's Washington correspondent": the agency before "'s" (or "’s"). */
static bool correspondent(const char *text, char out[EX_SOURCE_BYTES]) {
    static const char *const POSSESSIVES[] = {"'s ", "\xE2\x80\x99s "};
    for (size_t i = 0; i < COUNT(POSSESSIVES); i++) {
        for (const char *p = strstr(text, POSSESSIVES[i]); p; p = strstr(p + 1, POSSESSIVES[i])) {
            const char *w = p;
            while (w > text && isalpha((unsigned char)w[-1])) w--;
            size_t n = (size_t)(p - w);
            const char *canon = ex_agency(w, n);
            if ((!canon && !all_caps(w, n)) || !reporter_follows(p + strlen(POSSESSIVES[i])))
                continue;
            if (canon)
                snprintf(out, EX_SOURCE_BYTES, "%s", canon);
            else
                snprintf(out, EX_SOURCE_BYTES, "%.*s", (int)n, w);
            return true;
        }
    }
    return false;
}

/* "told VOA", "briefed the Voice of America". */
static bool told(const char *text, char out[EX_SOURCE_BYTES]) {
    for (size_t i = 0; i < COUNT(TOLD); i++) {
        for (const char *p = strstr(text, TOLD[i]); p; p = strstr(p + 1, TOLD[i])) {
            const char *q = p + strlen(TOLD[i]);
            size_t len;
            if (p > text && ex_word_byte(p[-1])) continue;
            if (strncmp(q, "the ", 4) == 0) q += 4;
            const char *canon = agency_at(q, &len);
            if (!canon) continue;
            snprintf(out, EX_SOURCE_BYTES, "%s", canon);
            return true;
        }
    }
    return false;
}

bool ex_source_in_text(const char *text, char out[EX_SOURCE_BYTES]) {
    return correspondent(text, out) || told(text, out);
}
