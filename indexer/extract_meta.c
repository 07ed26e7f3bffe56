/* Metadata lines: what a short line of a page stands for. A lone section
 * name is the category, a lone date the date, "By ..." the byline, and a
 * line of a few capitalised words a name (whose role, author or place,
 * depends on where it stands: see extract_fields.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* News section names, in the spelling kept. A lone line that equals one of
 * them (ignoring case) is the page's category. Place names are left out on
 * purpose ("Europe" alone is more often a dateline place than a section). */
static const char *const CATEGORIES[] = {
    "Politics",    "Economy",        "Business",   "Society",       "World",
    "Sports",      "Sport",          "Culture",    "Health",        "Science",
    "Technology",  "Tech",           "Opinion",    "Analytics",     "Analysis",
    "Interview",   "Region",         "Regions",    "Entertainment", "Education",
    "Environment", "Energy",         "Finance",    "Markets",       "Lifestyle",
    "Travel",      "Arts",           "Local",      "National",      "International",
    "Editorial",   "Features",       "Crime",      "Justice",       "Law",
    "Military",    "Defense",        "Security",   "Climate",       "Religion",
    "Media",       "Human Rights",   "World News", "US News",       "Diplomacy",
    "Incidents",   "Foreign Policy", "Top News",   "Weather",       "Obituaries",
};

/* Lower-case particles allowed inside a name: "Ursula von der Leyen". */
static const char *const PARTICLES[] = {"de", "da",  "del", "der", "di",  "du", "la",
                                        "le", "van", "von", "bin", "ibn", "al", "el"};

/* Job titles that may trail a byline ("By Jane Doe, Staff Writer"). */
static const char *const ROLE_WORDS[] = {"Staff",  "Writer",      "Reporter",  "Correspondent",
                                         "Editor", "Contributor", "Bureau",    "Chief",
                                         "Senior", "Special",     "Political", "Diplomatic"};

/* Separators between the names of a byline and its agency. */
static const char *const BYLINE_SEPS[] = {", ", " and ",          " & ",           " | ", " - ",
                                          "; ", " \xE2\x80\x94 ", " \xE2\x80\x93 "};

/* A byline line is short. */
#define BYLINE_MAX_BYTES 160

/* A name line is short; anything longer is a sentence. */
#define NAME_MAX_BYTES 60
#define NAME_MAX_WORDS 4
/* "By A, B, C and D, Reuters": at most this many parts. */
#define BYLINE_MAX_PARTS 8
/* An abbreviation inside a name ("Jr.", "D.C.") is short. */
#define ABBREV_MAX_BYTES 5

typedef struct {
    const char *p;
    size_t n;
} span_t;

typedef struct {
    span_t names[BYLINE_MAX_PARTS];
    size_t n_names;
    const char *agency; /* canonical, static; or NULL */
    span_t publisher;   /* "China Daily" in "By A | China Daily | ...": or {NULL, 0} */
} byline_t;

const char *ex_meta_category(const char *s) {
    for (size_t i = 0; i < COUNT(CATEGORIES); i++)
        if (strcasecmp(s, CATEGORIES[i]) == 0) return CATEGORIES[i];
    return NULL;
}

static bool in_list(const char *w, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncmp(w, list[i], n) == 0) return true;
    return false;
}

/* Bytes of the letter at s: an ASCII letter, or a two-byte Latin, Greek or
 * Cyrillic letter (U+00C0 to U+04FF, without × and ÷); 0 otherwise. */
static size_t letter_len(const unsigned char *s, size_t n) {
    if (isalpha(s[0])) return 1;
    if (n < 2 || s[0] < 0xC3 || s[0] > 0xD3 || (s[1] & 0xC0) != 0x80) return 0;
    unsigned cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    return cp == 0xD7 || cp == 0xF7 ? 0 : 2;
}

/* Counts the dots of a name word, or returns -1 when it is not one. */
static int name_word_dots(const char *word, size_t n, bool inner) {
    const unsigned char *w = (const unsigned char *)word;
    if (inner && in_list(word, n, PARTICLES, COUNT(PARTICLES))) return 0;
    /* A particle glued to a name by a hyphen: "al-Mughrabi", "el-Sisi". */
    const char *hyphen = memchr(word, '-', n);
    if (hyphen && in_list(word, (size_t)(hyphen - word), PARTICLES, COUNT(PARTICLES)) &&
        (size_t)(hyphen - word) + 1 < n) {
        size_t skip = (size_t)(hyphen - word) + 1;
        word += skip, n -= skip, w += skip;
    }
    size_t k = letter_len(w, n);
    if (k == 0 || (k == 1 && !isupper(w[0]))) return -1;
    int dots = 0;
    for (size_t i = k; i < n; i += k) {
        k = letter_len(w + i, n - i);
        if (!k && (w[i] == '-' || w[i] == '\'' || w[i] == '.')) k = 1, dots += w[i] == '.';
        if (!k && n - i >= 3 && memcmp(w + i, "\xE2\x80\x99", 3) == 0) k = 3; /* ’ */
        if (!k) return -1;
    }
    return dots > 0 && n > ABBREV_MAX_BYTES ? -1 : dots;
}

/* Walks the words of s[0..n); returns their count (0 when one is not a
 * name word) and the most dots seen in one word. */
static int scan_name(const char *s, size_t n, int *max_dots) {
    int words = 0;
    *max_dots = 0;
    if (n == 0 || n > NAME_MAX_BYTES) return 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        int dots = j > i ? name_word_dots(s + i, j - i, words > 0 && j < n) : -1;
        if (dots < 0 || ++words > NAME_MAX_WORDS) return 0;
        if (dots > *max_dots) *max_dots = dots;
        i = j + 1;
    }
    return words;
}

int ex_meta_name_words(const char *s, size_t n) {
    int dots;
    return scan_name(s, n, &dots);
}

/* A person's name has no word of the site's vocabulary ("You Might Also
 * Like", "Related Topics", "Sponsored Links") and no word twice ("Taboola
 * Taboola"). */
static bool plain_name_words(const char *s, size_t n) {
    const char *prev = NULL;
    size_t prev_n = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        unsigned flags = ex_word_flags(s + i, j - i);
        /* Two capitals are a name's syllable as often as a word ("AN BAIJIE"). */
        bool short_caps =
            j - i <= 2 && isupper((unsigned char)s[i]) && isupper((unsigned char)s[j - 1]);
        if (!short_caps &&
            (flags & (EX_VOCAB_STOP | EX_VOCAB_SITE | EX_VOCAB_IMPERATIVE | EX_VOCAB_SECTION)))
            return false;
        if (prev && prev_n == j - i && strncasecmp(prev, s + i, prev_n) == 0) return false;
        prev = s + i, prev_n = j - i;
        i = j + 1;
    }
    return true;
}

static bool person_span(const char *s, size_t n) {
    int dots, words = scan_name(s, n, &dots);
    return words >= 2 && dots < 2 && plain_name_words(s, n);
}

bool ex_meta_person(const char *line) {
    return person_span(line, strlen(line));
}

static bool is_role(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        if (!in_list(s + i, j - i, ROLE_WORDS, COUNT(ROLE_WORDS))) return false;
        i = j + 1;
    }
    return n > 0;
}

/* Length of the byline separator at s, or 0. */
static size_t sep_at(const char *s) {
    for (size_t i = 0; i < COUNT(BYLINE_SEPS); i++)
        if (strncmp(s, BYLINE_SEPS[i], strlen(BYLINE_SEPS[i])) == 0) return strlen(BYLINE_SEPS[i]);
    return 0;
}

/* Words of a publication's name, which a byline may name after its
 * writers ("By Jane Doe | China Daily"): never a person. */
static const char *const ORG_WORDS[] = {
    "Daily",    "News",    "Times",    "Post",      "Herald",    "Press",      "Agency",
    "Journal",  "Gazette", "Tribune",  "Telegraph", "Standard",  "Mail",       "Express",
    "Observer", "Review",  "Magazine", "Radio",     "TV",        "Television", "Network",
    "Online",   "Today",   "Weekly",   "Monitor",   "Chronicle", "Guardian",   "Independent",
    "Service",  "Staff",   "Desk",     "Bureau",    "Media",     "Group",      "Company",
    "Wire",     "Reports", "Newsroom",
};

/* Openings of a byline line, before the names. */
static const char *const BYLINE_INTROS[] = {
    "By ",       "BY ",       "by ",          "By: ", "Posted By ", "Posted by ", "Written by ",
    "Words by ", "Story by ", "Reported by ", "-By ", "- By ",      "Text by ",   "Author: "};

static bool org_name(const char *p, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j] != ' ') j++;
        if (in_list(p + i, j - i, ORG_WORDS, COUNT(ORG_WORDS))) return true;
        i = j + 1;
    }
    return false;
}

/* One part of a byline: a person, an agency (perhaps with a title after
 * it: "CNN Correspondent"), or a job title (dropped). False at the first
 * part that is none of these: the rest of the line is not names. */
static bool byline_part(const char *p, size_t n, byline_t *b) {
    while (n > 0 && (p[n - 1] == ':' || p[n - 1] == ' ' || p[n - 1] == ',')) n--;
    size_t alen;
    const char *agency = ex_agency(p, n);
    if (!agency && (agency = ex_agency_at(p, &alen)) &&
        !is_role(p + alen + 1, n > alen ? n - alen - 1 : 0))
        agency = NULL;
    if (agency) {
        b->agency = agency;
        return true;
    }
    if (is_role(p, n)) return true;
    if (org_name(p, n) && !b->publisher.p) {
        b->publisher = (span_t){p, n};
        return true;
    }
    if (!person_span(p, n)) return false;
    if (b->n_names < BYLINE_MAX_PARTS) b->names[b->n_names++] = (span_t){p, n};
    return true;
}

static const char *byline_start(const char *line) {
    for (size_t i = 0; i < COUNT(BYLINE_INTROS); i++) {
        size_t k = strlen(BYLINE_INTROS[i]);
        if (strncmp(line, BYLINE_INTROS[i], k) != 0) continue;
        if (strncmp(line + k, BYLINE_INTROS[i], k) == 0) k *= 2; /* "By By Jane Doe" */
        return line + k;
    }
    return NULL;
}

/* Reads names and an agency from the start of a byline; stops quietly at
 * the first part that is neither ("| Updated: 2019-11-23 02:47"). */
static bool parse_byline(const char *line, byline_t *b) {
    memset(b, 0, sizeof *b);
    const char *p = byline_start(line), *start = p;
    if (!p) return false;
    for (size_t parts = 0;; p++) {
        size_t k = *p ? sep_at(p) : 0;
        if (*p && !k && *p != ':') continue;
        if (++parts > BYLINE_MAX_PARTS || !byline_part(start, (size_t)(p - start), b)) break;
        if (!*p || *p == ':') break;
        p += k - 1;
        start = p + 1;
    }
    return b->n_names > 0 || b->agency;
}

bool ex_meta_is_byline(const char *line) {
    byline_t b;
    return strlen(line) < BYLINE_MAX_BYTES && parse_byline(ex_unbullet(line), &b);
}

lede_status_t ex_push_unique(lede_strv_t *v, const char *s) {
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0) return LEDE_OK;
    return strv_push(v, s);
}

lede_status_t ex_meta_byline(const char *line, lede_article_t *a, ex_trace_t *t, size_t article,
                             const char *origin) {
    byline_t b;
    if (!parse_byline(ex_unbullet(line), &b)) return LEDE_OK;
    for (size_t i = 0; i < b.n_names; i++) {
        char *name = strndup(b.names[i].p, b.names[i].n);
        lede_status_t st = name ? ex_push_unique(&a->authors, name) : LEDE_E_NOMEM;
        ex_trace_field(t, article, "author", name, "%s", origin);
        free(name);
        if (st != LEDE_OK) return st;
    }
    if (!a->source && (b.agency || b.publisher.p)) {
        a->source = b.agency ? strdup(b.agency) : strndup(b.publisher.p, b.publisher.n);
        if (!a->source) return LEDE_E_NOMEM;
        ex_trace_field(t, article, "source", a->source, "%s", origin);
    }
    return LEDE_OK;
}
