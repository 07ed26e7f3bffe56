/* Names on HTML pages: the people a byline credits (never the desk, the
 * publisher or a job title), the site's own name in its several spellings
 * ("HeraldSun", "Herald Sun", "heraldsun.com.au"), and the site's name
 * after a page title (" - BBC News", " | Herald Sun", "_光明网"). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"
#include "extract_parts.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A person's name is short. */
#define NAME_MAX_WORDS 6
/* A label segment after a headline ("Esporte", "Tech") has few words. */
#define LABEL_MAX_WORDS 3

/* Words that open a byline, in the languages of the dev set and their
 * neighbours. Matched whole, case ignored. */
static const char *const BY_WORDS[] = {
    "by",    "par",    "por",        "von",      "di",        "door",    "av",      "af",
    "text:", "autor:", "written by", "words by", "posted by", "author:", "texte :", "texte:"};

/* Separators between the names of one byline. */
static const char *const NAME_SEPS[] = {",",      ";",      " and ", " & ", " y ", " et ", " und ",
                                        " e ",    " og ",   " en ",  " i ", " a ", " / ",  " | ",
                                        " avec ", " with ", "、",    "·",   "•"};

/* Words that join a co-writer on ("(avec Anne Roe)", "with John Roe"):
 * a bracket opening with one separates names; other brackets are part
 * of a name ("Richard (R.J.) Eskow"). */
static const char *const JOINERS[] = {"avec ", "with ", "and ", "et ",  "und ",
                                      "y ",    "e ",    "con ", "mit ", "com "};

/* Words that make a "name" an organisation, a desk or a job title. */
static const char *const NOT_PERSON[] = {
    "staff",      "news",        "desk",          "team",         "editors",      "editorial",
    "editor",     "press",       "agency",        "newsroom",     "reporters",    "reporter",
    "bureau",     "wire",        "services",      "service",      "online",       "magazine",
    "media",      "foreign",     "correspondent", "writer",       "contributor",  "associated",
    "report",     "times",       "post",          "daily",        "network",      "group",
    "inc",        "ltd",         "llc",           "corp",         "company",      "redaktion",
    "rédaction",  "redacción",   "redação",       "staff writer", "organization", "organisation",
    "foundation", "association", "institute",     "university",   "committee",    "council",
    "society",    "project",     "department",    "ministry",     "developers",   "updated",
    "published",  "posted",      "follow",        "share",        "comments",
};

/* Where a byline stops naming its writers: "Edited by", "Reviewed by". */
static const char *const BYLINE_ENDS[] = {"edited by",          "editing by",      "reviewed by",
                                          "medically reviewed", "updated by",      "photos by",
                                          "photographs by",     "illustrations by"};

/* Credentials and job words that may trail a name ("Jane Doe, MA"): dropped. */
static const char *const TRAILERS[] = {"MA", "MD",  "PhD", "MS", "MPH",
                                       "RN", "Jr.", "Sr.", "II", "III"};

static bool word_in(const char *w, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0) return true;
    return false;
}

/* ---- site names ------------------------------------------------------- */

static const char *const GENERIC_TLDS[] = {".com", ".net", ".org", ".info", ".co"};

/* s[0..n) without "http(s)://", "www." and a path; a host stays a host. */
static size_t strip_address(const char **s, size_t n) {
    static const char *const SCHEMES[] = {"https://", "http://", "//"};
    for (size_t i = 0; i < COUNT(SCHEMES); i++) {
        size_t k = strlen(SCHEMES[i]);
        if (n >= k && strncasecmp(*s, SCHEMES[i], k) == 0) {
            *s += k, n -= k;
            const char *slash = memchr(*s, '/', n);
            if (slash) n = (size_t)(slash - *s);
            break;
        }
    }
    if (n > 4 && strncasecmp(*s, "www.", 4) == 0) *s += 4, n -= 4;
    return n;
}

/* n without a final top-level domain: every one with any_tld, else only
 * the generic ones (".cz" is part of "Aktuálně.cz", ".com" of nothing). */
static size_t strip_tld(const char *s, size_t n, bool any_tld) {
    for (size_t i = 0; i < COUNT(GENERIC_TLDS); i++) {
        size_t k = strlen(GENERIC_TLDS[i]);
        if (n > k && strncasecmp(s + n - k, GENERIC_TLDS[i], k) == 0) return n - k;
    }
    if (!any_tld) return n;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '.' && n - i >= 3 && n - i <= 4 && i > 0) return i;
        if (!isalpha((unsigned char)s[i])) break;
    }
    return n;
}

/* A comparable key: lower case ASCII, letters and digits only (other
 * UTF-8 bytes kept), no leading "the". */
static void site_key(const char *s, char *out, size_t size) {
    size_t n = strip_address(&s, strlen(s)), k = 0;
    n = strip_tld(s, n, true);
    if (n > 4 && strncasecmp(s, "the ", 4) == 0) s += 4, n -= 4;
    for (size_t i = 0; i < n && k + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            out[k++] = (char)c;
        else if (isalnum(c))
            out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

bool html_names_same_site(const char *a, const char *b) {
    char ka[HTML_NAME_BYTES], kb[HTML_NAME_BYTES];
    site_key(a, ka, sizeof ka);
    site_key(b, kb, sizeof kb);
    return *ka && strcmp(ka, kb) == 0;
}

/* True when a's words start b's ("Folha" in "Folha de S.Paulo"). */
static bool site_prefix(const char *a, const char *b) {
    size_t n = strlen(a);
    return n >= 3 && strncasecmp(a, b, n) == 0 && (b[n] == ' ' || b[n] == '\0');
}

static bool names_a_site(const char *s, size_t n, const html_claims_t *sites) {
    char seg[HTML_NAME_BYTES];
    if (n == 0 || n >= sizeof seg) return false;
    memcpy(seg, s, n);
    seg[n] = '\0';
    for (size_t i = 0; sites && i < sites->n; i++) {
        const html_claim_t *c = &sites->v[i];
        if (c->field != HC_SITE && c->field != HC_URL) continue;
        if (html_names_same_site(seg, c->value) || site_prefix(seg, c->value)) return true;
    }
    return false;
}

/* True when title[0..n) is printed on the page as a headline (an <h1>):
 * what follows it in the <title> is the site's. */
static bool printed(const char *title, size_t n, const html_claims_t *c) {
    for (size_t i = 0; c && i < c->n; i++)
        if (c->v[i].field == HC_TITLE && c->v[i].rank == HC_PRINTED &&
            html_same_text(title, n, c->v[i].value))
            return true;
    return false;
}

/* Separators between a title and its site name, longest first. */
static const char *const TITLE_SEPS[] = {" | ", " - ", " – ", " — ", " :: ", " » ",
                                         " · ", " _",  "_",   " |",  "| "};

/* The last separator in s[0..n): its offset and length. */
static bool last_sep(const char *s, size_t n, size_t *at, size_t *len) {
    bool found = false;
    for (size_t i = 0; i < COUNT(TITLE_SEPS); i++) {
        size_t k = strlen(TITLE_SEPS[i]);
        for (size_t j = n >= k ? n - k + 1 : 0; j-- > 0;) {
            if (strncmp(s + j, TITLE_SEPS[i], k) != 0) continue;
            if (!found || j > *at) *at = j, *len = k, found = true;
            break;
        }
    }
    return found;
}

static size_t count_seps(const char *s, size_t n) {
    size_t count = 0, at = 0, len = 0;
    while (last_sep(s, n, &at, &len)) count++, n = at;
    return count;
}

static size_t words(const char *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) w++;
    return w;
}

size_t html_names_strip_site(const char *title, const html_claims_t *sites,
                             char site[HTML_NAME_BYTES]) {
    size_t n = strlen(title), at = 0, len = 0;
    bool several = count_seps(title, n) >= 2;
    if (site) site[0] = '\0';
    while (last_sep(title, n, &at, &len)) {
        const char *seg = title + at + len;
        size_t k = n - at - len;
        k = html_trim(&seg, k);
        char iso[HTML_DATE_BYTES], buf[HTML_NAME_BYTES];
        if (k >= sizeof buf) break;
        memcpy(buf, seg, k);
        buf[k] = '\0';
        bool date = html_date_parse(buf, true, iso);
        bool label = several && words(seg, k) <= LABEL_MAX_WORDS;
        bool cut = date || label || names_a_site(seg, k, sites) || printed(title, at, sites);
        if (at == 0 || !cut) break;
        if (site && !date && !site[0]) memcpy(site, buf, k + 1);
        n = at;
        while (n > 0 && title[n - 1] == ' ') n--;
    }
    return n;
}

bool html_names_site(const char *site, char out[HTML_NAME_BYTES]) {
    const char *s = site;
    size_t n = strip_address(&s, strlen(site));
    /* "Aktuálně.cz - Víte, co se právě děje": a slogan after the name. */
    for (size_t i = 0; i < COUNT(TITLE_SEPS); i++) {
        const char *sep = strstr(s, TITLE_SEPS[i]);
        if (sep && sep > s && (size_t)(sep - s) < n) n = (size_t)(sep - s);
    }
    n = strip_tld(s, n, false);
    n = html_trim(&s, n);
    if (n == 0 || n >= HTML_NAME_BYTES) return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* ---- people ------------------------------------------------------------ */

static bool all_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

bool html_names_organisation(const char *s) {
    size_t n = strlen(s), w = 0;
    bool org = ex_agency(s, n) != NULL;
    if (n < 2 || n >= HTML_NAME_BYTES || strpbrk(s, "0123456789@:/\\=<>{}[]|#?!\"")) return false;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ') i++;
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        if (j == i) break;
        w++;
        org = org || word_in(s + i, j - i, NOT_PERSON, COUNT(NOT_PERSON));
        if (!isupper((unsigned char)s[i]) && (unsigned char)s[i] < 0x80) return false;
        i = j;
    }
    return org && w <= NAME_MAX_WORDS;
}

bool html_names_person(const char *name, const html_claims_t *sites) {
    size_t n = strlen(name), w = 0;
    if (n < 2 || n >= HTML_NAME_BYTES || strpbrk(name, "0123456789@:/\\=<>{}[]|#?!\""))
        return false;
    if (names_a_site(name, n, sites) || ex_agency(name, n)) return false;
    for (size_t i = 0; i < n;) {
        while (i < n && name[i] == ' ') i++;
        size_t j = i;
        while (j < n && name[j] != ' ') j++;
        if (j == i) break;
        w++;
        size_t k = j - i;
        while (k > 0 && (name[i + k - 1] == '.' || name[i + k - 1] == ',')) k--;
        if (word_in(name + i, k, NOT_PERSON, COUNT(NOT_PERSON))) return false;
        i = j;
    }
    if (w == 0 || w > NAME_MAX_WORDS) return false;
    /* One word is a name only in scripts without spaces between words
     * ("春春"); in Latin script it is a user name ("devindra"). */
    if (w == 1 && all_ascii(name)) return false;
    /* A name in lower case only is a user name or a phrase. */
    if (all_ascii(name) && !isupper((unsigned char)name[0])) return false;
    return true;
}

/* Drops a byline's opening word ("By ", "Par ", "avec ") from s. */
static const char *skip_by(const char *s) {
    while (*s == ' ') s++;
    for (size_t i = 0; i < COUNT(JOINERS); i++)
        if (strncasecmp(s, JOINERS[i], strlen(JOINERS[i])) == 0) {
            s += strlen(JOINERS[i]);
            break;
        }
    for (size_t i = 0; i < COUNT(BY_WORDS); i++) {
        size_t k = strlen(BY_WORDS[i]);
        if (strncasecmp(s, BY_WORDS[i], k) == 0 && (s[k] == ' ' || s[k - 1] == ':')) {
            s += k;
            while (*s == ' ') s++;
            return s;
        }
    }
    return s;
}

/* The next separator in s: its offset and length, or the end. */
static size_t next_sep(const char *s, size_t *len) {
    size_t best = strlen(s);
    *len = 0;
    for (size_t i = 0; i < COUNT(NAME_SEPS); i++) {
        const char *p = strstr(s, NAME_SEPS[i]);
        if (p && (size_t)(p - s) < best) best = (size_t)(p - s), *len = strlen(NAME_SEPS[i]);
    }
    return best;
}

/* part without trailing credentials ("Goodman, MA" arrives as two parts;
 * "Jane Doe PhD" as one). */
static void clean_part(char *part) {
    size_t n = strlen(part);
    while (n > 0 && strchr(" ,;:-", part[n - 1])) part[--n] = '\0';
    for (;;) {
        char *sp = strrchr(part, ' ');
        if (!sp || !word_in(sp + 1, strlen(sp + 1), TRAILERS, COUNT(TRAILERS))) break;
        *sp = '\0';
    }
    /* "Brenda  Goodman": inner runs of spaces. */
    char *w = part;
    for (const char *r = part; *r; r++)
        if (*r != ' ' || (w > part && w[-1] != ' ')) *w++ = *r;
    *w = '\0';
    n = strlen(part);
    while (n > 0 && part[n - 1] == ' ') part[--n] = '\0';
}

/* byline cut where a date starts ("GILLIAN MOHNEY March 11, 2015") or
 * the editors do ("Edited by ..."), with brackets that open with a joiner
 * turned into separators; into out. */
static void prepare(const char *byline, char *out, size_t size) {
    size_t n = strlen(byline);
    if (n >= size) n = size - 1;
    memcpy(out, byline, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        char iso[HTML_DATE_BYTES];
        size_t len;
        if ((i == 0 || out[i - 1] == ' ') && html_date_prefix(out + i, iso, &len)) {
            out[i] = '\0';
            break;
        }
    }
    for (size_t i = 0; i < COUNT(BYLINE_ENDS); i++)
        for (char *p = out; *p; p++)
            if (strncasecmp(p, BYLINE_ENDS[i], strlen(BYLINE_ENDS[i])) == 0) {
                *p = '\0';
                break;
            }
    for (char *p = strchr(out, '('); p; p = strchr(p + 1, '(')) {
        bool joins = false;
        for (size_t i = 0; i < COUNT(JOINERS) && !joins; i++)
            joins = strncasecmp(p + 1, JOINERS[i], strlen(JOINERS[i])) == 0;
        char *close = strchr(p, ')');
        if (!joins) continue;
        *p = ',';
        if (close) *close = ',';
    }
}

size_t html_names_split(const char *byline, const html_claims_t *sites,
                        void (*add)(void *ctx, const char *name), void *ctx) {
    char buf[HC_VALUE_MAX_BYTES + 1];
    prepare(byline, buf, sizeof buf);
    const char *s = skip_by(buf);
    size_t added = 0;
    while (*s) {
        size_t len, k = next_sep(s, &len);
        char part[HTML_NAME_BYTES];
        if (k < sizeof part) {
            memcpy(part, s, k);
            part[k] = '\0';
            clean_part(part);
            const char *p = skip_by(part);
            if (html_names_person(p, sites)) add(ctx, p), added++;
        }
        s += k + len;
        while (*s == ' ') s++;
    }
    return added;
}
