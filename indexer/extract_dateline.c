/* Datelines: where and when a story was filed, and by which agency, in the
 * families news sites print at the start of the first paragraph
 *
 *   "WASHINGTON, March 30 (Reuters) -"   place, date, (agency), dash
 *   "Baku / 13.10.17 / Turan:"          place / date / agency:
 *   "UN, September 20. /TASS/."         place, date. /agency/.
 *   "Tehran, IRNA -"                    place, agency, dash
 *   "BAKU, Azerbaijan, August 25."      place, date.
 *   "Baku. 18 Febuary. REPORT.AZ/"      place. date. agency/
 *   "Arden - KESTREL."                  place - agency.
 *   "CAPE CANAVERAL, Fla. --"           PLACE, dash
 *   "WASHINGTON, June 6 The ..."        PLACE, date
 *
 * and on a line of their own ("Baku, Azerbaijan, May 16", "Baku, December
 * 2, AZERTAC", "Georgia, Tbilisi, Feb. 7 /Trend, N. Kirtskhalia/", "IANS
 * Gaza"). Known agencies (extract_source.c) keep their usual spelling; a
 * dateline may also name one the table does not know. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* A dateline comes early in the first paragraph. */
#define DATELINE_MAX_BYTES 90
/* An agency the table does not know is one short word. */
#define AGENCY_WORD_MAX_BYTES 20
/* "SPRINGFIELD, Ill., March 30": parts of a dateline place. */
#define PLACE_MAX_PARTS 3

/* A word of letters (and dots: "REPORT.AZ"), capitalised: an agency the
 * table does not know. */
static bool agency_word(const char *s, size_t n) {
    if (n < 2 || n > AGENCY_WORD_MAX_BYTES || !isupper((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]) && s[i] != '.') return false;
    return true;
}

static bool all_caps(const char *s, size_t n) {
    if (n < 2 || n > AGENCY_WORD_MAX_BYTES) return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && s[i] != '.' && s[i] != ' ') return false;
    return true;
}

static void set_source(ex_dateline_t *d, const char *s, size_t n) {
    while (n > 0 && s[n - 1] == ' ') n--;
    while (n > 0 && *s == ' ') s++, n--;
    const char *canon = ex_agency(s, n);
    if (canon)
        snprintf(d->source, sizeof d->source, "%s", canon);
    else
        snprintf(d->source, sizeof d->source, "%.*s", (int)n, s);
}

/* A dateline place: one name, or a few joined by commas ("WASHINGTON,
 * D.C.", "Springfield, Ill.", "SEOUL, South Korea"). Capitals are kept
 * only on the first letter of a word written in capitals. */
static bool place_like(const char *s, size_t n) {
    size_t parts = 0;
    for (size_t i = 0; i < n; parts++) {
        const char *comma = memchr(s + i, ',', n - i);
        size_t j = comma ? (size_t)(comma - s) : n;
        if (parts == PLACE_MAX_PARTS || ex_meta_name_words(s + i, j - i) == 0) return false;
        i = j + 1;
        while (i < n && s[i] == ' ') i++;
    }
    return parts > 0;
}

/* Copies a place, a word written in capitals given capitals on its first
 * letter only ("WASHINGTON" reads as "Washington"); words of two or three
 * letters stay as they are ("UN", "US"). */
static void set_place(ex_dateline_t *d, const char *s, size_t n) {
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',')) n--;
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof d->place;) {
        size_t w = 0;
        while (i + w < n && isalpha((unsigned char)s[i + w])) w++;
        if (w == 0) {
            d->place[k++] = s[i++];
            continue;
        }
        bool caps = w >= 4 && all_caps(s + i, w);
        for (size_t j = 0; j < w && k + 1 < sizeof d->place; j++)
            d->place[k++] = caps && j > 0 ? (char)tolower((unsigned char)s[i + j]) : s[i + j];
        i += w;
    }
    d->place[k] = '\0';
}

/* The dash after a dateline: "--", "-", "—" or "–", perhaps without a
 * space after it; its length (with spaces) goes to *len. */
static bool dash_at(const char *p, size_t *len) {
    const char *q = p;
    while (*q == ' ') q++;
    if (strncmp(q, "--", 2) == 0)
        q += 2;
    else if (strncmp(q, "\xE2\x80\x94", 3) == 0 || strncmp(q, "\xE2\x80\x93", 3) == 0)
        q += 3;
    else if (*q == '-' || *q == ':')
        q += 1;
    else
        return false;
    if (*q != ' ' && !isupper((unsigned char)*q) && *q != '"' && (unsigned char)*q < 0x80)
        return false;
    while (*q == ' ') q++;
    *len = (size_t)(q - p);
    return true;
}

/* The text before "(AGENCY)" or before the dash: nothing, a date, a place,
 * or a place and a date ("WASHINGTON, March 30"). With need_date, only a
 * dated prefix will do. */
static bool place_and_date(const char *s, size_t n, bool need_date, ex_dateline_t *d) {
    char iso[EX_DATE_BYTES];
    size_t start = n;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.')) n--, start = n;
    bool dated = n > 0 && ex_date_tail(s, n, iso, &start);
    size_t place_n = dated ? start : n;
    while (place_n > 0 && (s[place_n - 1] == ' ' || s[place_n - 1] == ',')) place_n--;
    if ((!dated && need_date) || (place_n > 0 && !place_like(s, place_n))) return false;
    if (dated) snprintf(d->date, sizeof d->date, "%s", iso);
    if (place_n > 0) set_place(d, s, place_n);
    return true;
}

/* "PLACE, DATE (AGENCY) -": the agency in brackets, then a dash. */
static bool wire(const char *para, size_t n, ex_dateline_t *d) {
    size_t lim = n < DATELINE_MAX_BYTES ? n : DATELINE_MAX_BYTES, dash = 0;
    const char *open = memchr(para, '(', lim);
    const char *close = open ? memchr(open, ')', n - (size_t)(open - para)) : NULL;
    /* "(AFP) - The", or "(AFP)The" with no dash and no space at all. */
    if (!close || (!dash_at(close + 1, &dash) && !isupper((unsigned char)close[1]))) return false;
    size_t k = (size_t)(close - open - 1);
    bool known = ex_agency(open + 1, k) || all_caps(open + 1, k);
    if (!known && !agency_word(open + 1, k)) return false;
    /* A capitalised word the table does not know could be any aside in
     * brackets ("Lions (Champions) - ..."); with a date before it,
     * "SEOUL, May 3 (Newsis) -", it is a dateline. */
    if (!place_and_date(para, (size_t)(open - para), !known, d)) return false;
    set_source(d, open + 1, k);
    d->len = (size_t)(close + 1 - para) + dash;
    d->how = "wire dateline";
    return true;
}

/* "Baku / 13.10.17 / Turan:" and "Washington D.C./Turan:". */
static bool slashed(const char *para, size_t n, ex_dateline_t *d) {
    size_t lim = n < DATELINE_MAX_BYTES ? n : DATELINE_MAX_BYTES;
    const char *colon = memchr(para, ':', lim);
    const char *first = colon ? memchr(para, '/', (size_t)(colon - para)) : NULL;
    if (!first) return false;
    const char *last = first;
    for (const char *p = first; p < colon; p++)
        if (*p == '/') last = p;
    size_t k = (size_t)(colon - last - 1), place_n = (size_t)(first - para);
    while (k > 0 && last[1] == ' ') last++, k--;
    if (!ex_agency(last + 1, k) && !all_caps(last + 1, k) && !agency_word(last + 1, k))
        return false;
    while (place_n > 0 && para[place_n - 1] == ' ') place_n--;
    if (!place_like(para, place_n)) return false;
    if (last > first) {
        char iso[EX_DATE_BYTES];
        size_t at, end;
        char mid[64];
        snprintf(mid, sizeof mid, "%.*s", (int)(last - first - 1), first + 1);
        if (ex_date_find(mid, iso, &at, &end)) snprintf(d->date, sizeof d->date, "%s", iso);
    }
    set_source(d, last + 1, k);
    set_place(d, para, place_n);
    d->len = (size_t)(colon + 1 - para);
    while (para[d->len] == ' ') d->len++;
    d->how = "place/agency dateline";
    return true;
}

/* "UN, September 20. /TASS/." */
static bool tass(const char *para, size_t n, ex_dateline_t *d) {
    size_t lim = n < DATELINE_MAX_BYTES ? n : DATELINE_MAX_BYTES;
    const char *open = memchr(para, '/', lim);
    const char *close = open ? memchr(open + 1, '/', n - (size_t)(open - para) - 1) : NULL;
    if (!close || close[1] != '.') return false;
    size_t k = (size_t)(close - open - 1);
    if (!ex_agency(open + 1, k) && !all_caps(open + 1, k)) return false;
    if (!place_and_date(para, (size_t)(open - para), true, d)) return false;
    set_source(d, open + 1, k);
    d->len = (size_t)(close + 2 - para);
    while (para[d->len] == ' ') d->len++;
    d->how = "place, date. /agency/.";
    return true;
}

/* The end of the first "word group" of a dateline: a comma, a dot or a
 * dash after a place. */
static size_t place_end(const char *para, size_t n) {
    size_t i = 0;
    while (i < n && i < DATELINE_MAX_BYTES && para[i] != ',' && para[i] != '.' &&
           !(para[i] == ' ' && (para[i + 1] == '-' || (unsigned char)para[i + 1] == 0xE2)))
        i++;
    return i;
}

/* "Tehran, IRNA -": a place, a comma, a known agency, a dash. */
static bool comma_agency(const char *para, size_t n, ex_dateline_t *d) {
    size_t p = place_end(para, n), len, dash;
    if (p == 0 || p >= n || para[p] != ',' || !place_like(para, p)) return false;
    const char *a = para + p + 1;
    while (*a == ' ') a++;
    const char *canon = ex_agency_at(a, &len);
    if (!canon || !dash_at(a + len, &dash)) return false;
    snprintf(d->source, sizeof d->source, "%s", canon);
    set_place(d, para, p);
    d->len = (size_t)(a + len - para) + dash;
    d->how = "place, agency dateline";
    return true;
}

/* "Arden - KESTREL. The ...": a place, a dash, an agency and a full stop. */
static bool place_dash_agency(const char *para, size_t n, ex_dateline_t *d) {
    size_t lim = n < DATELINE_MAX_BYTES / 2 ? n : DATELINE_MAX_BYTES / 2, dash, alen;
    for (size_t i = 1; i < lim; i++) {
        if (para[i] != ' ' || !dash_at(para + i, &dash)) continue;
        if (para[i + 1] == ':' || !place_like(para, i)) return false;
        const char *a = para + i + dash;
        const char *canon = ex_agency_at(a, &alen);
        if (!canon) {
            while (alen < AGENCY_WORD_MAX_BYTES &&
                   (isupper((unsigned char)a[alen]) || a[alen] == '.'))
                alen++;
            while (alen > 0 && a[alen - 1] == '.') alen--;
            if (alen < 2) return false;
        }
        if (a[alen] != '.' || a[alen + 1] != ' ') return false;
        set_place(d, para, i);
        set_source(d, a, alen);
        d->len = (size_t)(a + alen + 2 - para);
        d->how = "place - agency. dateline";
        return true;
    }
    return false;
}

/* "GAZA -", "CAPE CANAVERAL, Fla. --", "WASHINGTON - APA.": a place whose
 * first word is in capitals, then a dash (and perhaps an agency). */
static bool dash_place(const char *para, size_t n, ex_dateline_t *d) {
    size_t w = 0, dash;
    while (w < n && (isupper((unsigned char)para[w]) || para[w] == ' ' || para[w] == '.')) w++;
    while (w > 0 && para[w - 1] == ' ') w--;
    if (w < 3 || !all_caps(para, w < 3 ? w : 3)) return false;
    const char *end = memchr(para, ' ', n);
    size_t lim = n < DATELINE_MAX_BYTES / 2 ? n : DATELINE_MAX_BYTES / 2;
    for (size_t i = w; i < lim; i++) {
        if (!dash_at(para + i, &dash) || para[i] == ':') continue;
        if (i == 0 || (para[i] != ' ' && para[i - 1] != ' ' && para[i] != '-')) continue;
        if (!place_like(para, i) || end == NULL) return false;
        set_place(d, para, i);
        d->len = i + dash;
        d->how = "PLACE - dateline";
        /* "BAKU - APA. The ...": an agency after the dash. */
        size_t alen;
        const char *canon = ex_agency_at(para + d->len, &alen);
        if (canon && para[d->len + alen] == '.') {
            snprintf(d->source, sizeof d->source, "%s", canon);
            d->len += alen + 1;
            while (para[d->len] == ' ') d->len++;
        }
        return true;
    }
    return false;
}

/* "BAKU, Azerbaijan, August 25." and "Baku. 18 Febuary. REPORT.AZ/": a
 * place, a date and a full stop (and perhaps an agency and a slash). */
static bool dated_place(const char *para, size_t n, ex_dateline_t *d) {
    size_t lim = n < DATELINE_MAX_BYTES / 2 ? n : DATELINE_MAX_BYTES / 2;
    for (size_t i = 3; i < lim; i++) {
        if (para[i] != '.' || (para[i + 1] != ' ' && para[i + 1] != '\0')) continue;
        char buf[DATELINE_MAX_BYTES];
        snprintf(buf, sizeof buf, "%.*s", (int)i, para);
        for (char *p = buf; *p; p++)
            if (*p == '.' && p[1] == ' ') *p = ','; /* "Baku. 18 Febuary" */
        ex_dateline_t t = {0};
        char iso[EX_DATE_BYTES];
        size_t start;
        if (!ex_date_tail(buf, strlen(buf), iso, &start) || start == 0) continue;
        if (!place_and_date(buf, strlen(buf), true, &t)) continue;
        *d = t;
        d->len = i + 1;
        while (para[d->len] == ' ') d->len++;
        d->how = "place, date. dateline";
        const char *slash = strchr(para + d->len, '/');
        if (slash && slash - (para + d->len) < AGENCY_WORD_MAX_BYTES &&
            agency_word(para + d->len, (size_t)(slash - (para + d->len)))) {
            set_source(d, para + d->len, (size_t)(slash - (para + d->len)));
            d->len = (size_t)(slash + 1 - para);
            while (para[d->len] == ' ') d->len++;
        }
        return true;
    }
    return false;
}

/* "WASHINGTON, June 6 Representatives of ...": a place in capitals, a
 * date, and the text straight after it or after a dash ("LONDON, March 25
 * - BICC Plc said"). */
static bool caps_place_date(const char *para, size_t n, ex_dateline_t *d) {
    size_t w = 0;
    while (w < n && (isupper((unsigned char)para[w]) || para[w] == ' ' || para[w] == '.')) w++;
    while (w > 0 && para[w - 1] == ' ') w--;
    if (w < 3 || para[w] != ',' || !all_caps(para, w < AGENCY_WORD_MAX_BYTES ? w : 3)) return false;
    size_t lim = n < DATELINE_MAX_BYTES / 2 ? n : DATELINE_MAX_BYTES / 2;
    for (size_t i = w + 2; i < lim; i++) {
        size_t dash = 0;
        if (para[i] != ' ' || (!isupper((unsigned char)para[i + 1]) && !dash_at(para + i, &dash)))
            continue;
        char iso[EX_DATE_BYTES];
        size_t start;
        if (!isdigit((unsigned char)para[i - 1]) || !ex_date_tail(para, i, iso, &start) ||
            start <= w)
            continue;
        if (!place_and_date(para, i, true, d)) return false;
        d->len = dash ? i + dash : i + 1; /* "LONDON, March 25 - BICC Plc said" */
        d->how = "PLACE, date dateline";
        return true;
    }
    return false;
}

bool ex_dateline(const char *para, size_t n, ex_dateline_t *d) {
    memset(d, 0, sizeof *d);
    if (n == 0) return false;
    if (wire(para, n, d) || slashed(para, n, d) || tass(para, n, d)) return true;
    memset(d, 0, sizeof *d);
    if (comma_agency(para, n, d) || dated_place(para, n, d)) return true;
    memset(d, 0, sizeof *d);
    if (place_dash_agency(para, n, d)) return true;
    memset(d, 0, sizeof *d);
    if (dash_place(para, n, d)) return true;
    memset(d, 0, sizeof *d);
    if (caps_place_date(para, n, d)) return true;
    memset(d, 0, sizeof *d);
    return false;
}

/* "/Trend, N. Kirtskhalia/" or "/ Trend E. Kosolapova/": an agency and a
 * reporter between slashes at the end of a dateline line. */
static bool agency_reporter(const char *s, ex_dateline_t *d, char who[EX_SOURCE_BYTES]) {
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n < 3 || s[n - 1] != '/') return false;
    const char *open = s + n - 2;
    while (open > s && *open != '/') open--;
    if (*open != '/') return false;
    const char *a = open + 1;
    while (*a == ' ') a++;
    size_t alen;
    const char *canon = ex_agency_at(a, &alen);
    if (!canon) return false;
    snprintf(d->source, sizeof d->source, "%s", canon);
    const char *r = a + alen;
    while (*r == ',' || *r == ' ') r++;
    size_t rn = (size_t)(s + n - 1 - r);
    while (rn > 0 && r[rn - 1] == ' ') rn--;
    if (rn > 0 && ex_meta_name_words(r, rn) >= 1)
        snprintf(who, EX_SOURCE_BYTES, "%.*s", (int)rn, r);
    return place_and_date(s, (size_t)(open - s), true, d);
}

bool ex_dateline_line(const char *line, ex_dateline_t *d, char who[EX_SOURCE_BYTES]) {
    size_t n = strlen(line), len;
    memset(d, 0, sizeof *d);
    who[0] = '\0';
    if (n == 0 || n > DATELINE_MAX_BYTES) return false;
    if (agency_reporter(line, d, who)) {
        d->how = "dateline with agency and reporter";
        return true;
    }
    memset(d, 0, sizeof *d);
    /* "Baku, December 2, AZERTAC": the agency last. */
    const char *comma = strrchr(line, ',');
    if (comma && ex_agency(comma + 1, strlen(comma + 1)) &&
        place_and_date(line, (size_t)(comma - line), true, d)) {
        set_source(d, comma + 1, strlen(comma + 1));
        d->how = "place, date, agency line";
        return true;
    }
    memset(d, 0, sizeof *d);
    /* "IANS Gaza": an agency, then a place of a word or two. */
    const char *canon = ex_agency_at(line, &len);
    if (canon && line[len] == ' ' && ex_meta_name_words(line + len + 1, n - len - 1) > 0 &&
        ex_meta_name_words(line + len + 1, n - len - 1) <= 2) {
        snprintf(d->source, sizeof d->source, "%s", canon);
        set_place(d, line + len + 1, n - len - 1);
        d->how = "agency and place line";
        return true;
    }
    memset(d, 0, sizeof *d);
    if (place_and_date(line, n, true, d) && d->place[0]) {
        d->how = "place and date line";
        return true;
    }
    memset(d, 0, sizeof *d);
    return false;
}
