/* Where a story comes from: the news agencies lede knows, with the
 * spellings pages use, and the source a text names ("TURAN's Washington
 * correspondent", "an AFP photographer", "told VOA", "News.Az reports",
 * "reports \"WORLD 24\""). Datelines are read in extract_dateline.c. */
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

/* News agencies (wire services), with the spellings pages use. */
static const agency_t AGENCIES[] = {
    {"Reuters", "Reuters"},
    {"Thomson Reuters", "Reuters"},
    {"Reuter", "Reuters"}, /* the old sign-off */
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
    {"the Voice of America", "VOA"},
    {"TURAN", "TURAN"},
    {"BBC", "BBC"},
    {"CNN", "CNN"},
    {"Bloomberg", "Bloomberg"},
    {"Xinhua", "Xinhua"},
    {"Xinhua News Agency", "Xinhua"},
    {"TASS", "TASS"},
    {"Interfax", "Interfax"},
    {"dpa", "dpa"},
    {"Deutsche Presse-Agentur", "dpa"},
    {"ANSA", "ANSA"},
    {"EFE", "EFE"},
    {"Kyodo", "Kyodo"},
    {"Yonhap", "Yonhap"},
    {"Anadolu Agency", "Anadolu"},
    {"Anadolu", "Anadolu"},
    {"RFE/RL", "RFE/RL"},
    {"Radio Free Europe/Radio Liberty", "RFE/RL"},
    {"APA", "APA"},
    {"Al Jazeera", "Al Jazeera"},
    {"IANS", "IANS"},
    {"Indo-Asian News Service", "IANS"},
    {"IRNA", "IRNA"},
    {"AZERTAC", "AZERTAC"},
    {"AzerTAc", "AZERTAC"},
    {"Trend", "Trend"},
    {"Trend News Agency", "Trend"},
    {"Report.az", "Report.az"},
    {"News.Az", "News.Az"},
    {"Mehr News Agency", "Mehr News Agency"},
    {"Mehr", "Mehr News Agency"},
    {"PTI", "PTI"},
    {"ANI", "ANI"},
    {"Press Trust of India", "PTI"},
    {"PA", "PA"},
    {"Press Association", "PA"},
    {"RIA Novosti", "RIA Novosti"},
    {"Sputnik", "Sputnik"},
    {"KCNA", "KCNA"},
    {"Bernama", "Bernama"},
    {"Antara", "Antara"},
    {"WAM", "WAM"},
    {"QNA", "QNA"},
    {"KUNA", "KUNA"},
    {"MENA", "MENA"},
    {"Ukrinform", "Ukrinform"},
    {"ISNA", "ISNA"},
    {"Fars", "Fars"},
    {"Tasnim", "Tasnim"},
    {"Kazinform", "Kazinform"},
    {"Belga", "Belga"},
    {"Lusa", "Lusa"},
    {"Europa Press", "Europa Press"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An agency this table does not know is one short word. */
#define AGENCY_WORD_MAX_BYTES 20
/* "TURAN's Washington correspondent": words allowed between. */
#define CORRESPONDENT_GAP_WORDS 3

/* Verbs after which a publication is the one being spoken to. */
static const char *const TOLD[] = {"told ",        "briefed ",  "interview with ",
                                   "speaking to ", "spoke to ", "spoke with "};
static const char *const REPORTERS[] = {
    "correspondent", "correspondents", "reporter",    "reporting",    "reporters",
    "bureau",        "journalist",     "journalists", "photographer", "photographers"};

const char *ex_agency(const char *s, size_t n) {
    while (n > 0 && s[0] == ' ') s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.')) n--;
    for (size_t i = 0; i < COUNT(AGENCIES); i++)
        if (strlen(AGENCIES[i].alias) == n && strncasecmp(s, AGENCIES[i].alias, n) == 0)
            return AGENCIES[i].canon;
    return NULL;
}

const char *ex_agency_at(const char *s, size_t *len) {
    const char *best = NULL;
    *len = 0;
    if (!isupper((unsigned char)s[0])) return NULL;
    for (size_t i = 0; i < COUNT(AGENCIES); i++) {
        if (toupper((unsigned char)AGENCIES[i].alias[0]) != s[0]) continue;
        size_t k = strlen(AGENCIES[i].alias);
        if (k > *len && ex_prefix_ci(s, AGENCIES[i].alias) && ex_word_end(s + k) &&
            (isupper((unsigned char)s[1]) || !isupper((unsigned char)AGENCIES[i].alias[1])))
            best = AGENCIES[i].canon, *len = k;
    }
    return best;
}

/* True when one of the next few words after p is "correspondent" or alike. */
static bool reporter_follows(const char *p) {
    for (int w = 0; w <= CORRESPONDENT_GAP_WORDS && *p; w++) {
        size_t n = 0;
        while (p[n] && p[n] != ' ' && p[n] != ',' && p[n] != '.') n++;
        for (size_t i = 0; i < COUNT(REPORTERS); i++)
            if (strlen(REPORTERS[i]) == n && strncmp(p, REPORTERS[i], n) == 0) return true;
        p += n;
        while (*p == ' ' || *p == ',') p++;
    }
    return false;
}

/* "TURAN's Washington correspondent", "An AFP journalist", "an AFP
 * photographer": an agency followed closely by a reporter's title. */
static bool correspondent(const char *text, char out[EX_SOURCE_BYTES]) {
    for (const char *p = text; *p; p++) {
        if (p > text && ex_word_byte(p[-1])) continue;
        size_t len = 0;
        const char *canon = ex_agency_at(p, &len);
        if (!canon) /* an agency in capitals the table does not know: "KAVKAZ's" */
            while (isupper((unsigned char)p[len])) len++;
        if (!canon && (len < 3 || len > AGENCY_WORD_MAX_BYTES)) continue;
        const char *q = p + len;
        if (strncmp(q, "'s ", 3) == 0)
            q += 3;
        else if (strncmp(q, "\xE2\x80\x99s ", 5) == 0)
            q += 5;
        else if (*q == ' ')
            q += 1;
        else
            continue;
        if (!reporter_follows(q) || (!canon && q == p + len + 1)) continue;
        if (canon)
            snprintf(out, EX_SOURCE_BYTES, "%s", canon);
        else
            snprintf(out, EX_SOURCE_BYTES, "%.*s", (int)len, p);
        return true;
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
            const char *canon = ex_agency_at(q, &len);
            if (!canon) continue;
            snprintf(out, EX_SOURCE_BYTES, "%s", canon);
            return true;
        }
    }
    return false;
}

/* A name that could be a publisher: a known agency, a domain-like word
 * ("News.Az"), or words in quotes ("“WORLD 24”"). */
static bool publisher_before(const char *text, const char *at, char out[EX_SOURCE_BYTES]) {
    const char *end = at;
    while (end > text && end[-1] == ' ') end--;
    if (end > text && end[-1] == ',') return false;
    const char *start = end;
    while (start > text && start[-1] != ' ' && start[-1] != ',' && start[-1] != '(') start--;
    /* "Anadolu Agency reports": one more word for a two-word name. */
    const char *two = start;
    if (two > text + 1 && two[-1] == ' ') {
        two--;
        while (two > text && two[-1] != ' ' && two[-1] != ',') two--;
    }
    const char *canon = ex_agency(two, (size_t)(end - two));
    if (!canon) canon = ex_agency(start, (size_t)(end - start));
    if (canon) {
        snprintf(out, EX_SOURCE_BYTES, "%s", canon);
        return true;
    }
    size_t n = (size_t)(end - start);
    const char *dot = memchr(start, '.', n);
    if (n >= 4 && n < 30 && isupper((unsigned char)*start) && dot && dot + 2 < end &&
        isalpha((unsigned char)dot[1])) {
        snprintf(out, EX_SOURCE_BYTES, "%.*s", (int)n, start);
        return true;
    }
    /* ", TurkicWorld reports.": a name alone between a comma and the verb. */
    if (start > text + 1 && start[-1] == ' ' && start[-2] == ',' && n >= 3 && n < 30 &&
        isupper((unsigned char)*start) && (end[8] == '.' || end[8] == ',')) {
        snprintf(out, EX_SOURCE_BYTES, "%.*s", (int)n, start);
        return true;
    }
    return false;
}

/* "News.Az reports", "Anadolu Agency reports.", "Trend reports", and
 * "reports “WORLD 24”": a publisher that says it is reporting. Only the
 * first paragraph is read: later ones quote other outlets. */
static bool reports(const char *text, char out[EX_SOURCE_BYTES]) {
    const char *end = strstr(text, "\n\n");
    size_t n = end ? (size_t)(end - text) : strlen(text);
    for (const char *p = text; (p = strstr(p, " reports")) && (size_t)(p - text) < n; p++) {
        const char *after = p + 8;
        if (ex_word_byte(*after)) continue;
        if (publisher_before(text, p, out)) return true;
        while (*after == ' ') after++;
        if (strncmp(after, "\xE2\x80\x9C", 3) == 0 || *after == '"') {
            const char *q = after + (*after == '"' ? 1 : 3), *close = q;
            while (*close && *close != '"' && strncmp(close, "\xE2\x80\x9D", 3) != 0) close++;
            if (*close && close - q > 1 && close - q < 40) {
                snprintf(out, EX_SOURCE_BYTES, "%.*s", (int)(close - q), q);
                return true;
            }
        }
    }
    return false;
}

bool ex_source_in_text(const char *text, char out[EX_SOURCE_BYTES]) {
    return correspondent(text, out) || reports(text, out) || told(text, out);
}
