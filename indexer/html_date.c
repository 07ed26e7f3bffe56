/* Dates as HTML pages write them, into the ISO 8601 form article.h
 * stores. Machine-readable values come in ISO 8601 and its relatives
 * (a space for the "T", "-0800" for "-08:00", microseconds), in Unix
 * date(1) form from Java back ends, or as "20170113"; printed ones in the
 * page's language ("March 18, 2015", "18 mars 2015", "21 de dezembro de
 * 2018", "21.12.2018", "2016年10月14日07:17"), with a time in 12 or 24
 * hours. A named zone ("EST") is dropped and the time kept as printed;
 * only offsets and UTC/GMT are kept. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Years outside this range are not a publication date. */
#define YEAR_MIN 1980
#define YEAR_MAX 2100
/* A label before a date line ("Published on") has at most this many words. */
#define LABEL_MAX_WORDS 3
/* Words allowed between a date and its time ("at", ",", "às"). */
#define FILLER_MAX 2
/* Only the start of a long text is searched for a date. */
#define SEARCH_MAX_BYTES 400

typedef struct {
    int y, mo, d, h, mi, s;
    bool time;
    char zone[8]; /* "", "Z" or "+01:00" */
} when_t;

typedef struct {
    const char *name;
    int month;
} month_t;

/* Month names in the languages the pages come in; an abbreviation is any
 * prefix of three letters or more ("Sept.", "déc.", "fev"). */
static const month_t MONTHS[] = {
    {"january", 1},   {"february", 2},  {"march", 3},      {"april", 4},      {"may", 5},
    {"june", 6},      {"july", 7},      {"august", 8},     {"september", 9},  {"october", 10},
    {"november", 11}, {"december", 12}, {"janvier", 1},    {"février", 2},    {"fevrier", 2},
    {"mars", 3},      {"avril", 4},     {"mai", 5},        {"juin", 6},       {"juillet", 7},
    {"août", 8},      {"aout", 8},      {"septembre", 9},  {"octobre", 10},   {"novembre", 11},
    {"décembre", 12}, {"decembre", 12}, {"januar", 1},     {"jänner", 1},     {"februar", 2},
    {"märz", 3},      {"maerz", 3},     {"juni", 6},       {"juli", 7},       {"oktober", 10},
    {"dezember", 12}, {"enero", 1},     {"febrero", 2},    {"marzo", 3},      {"abril", 4},
    {"mayo", 5},      {"junio", 6},     {"julio", 7},      {"agosto", 8},     {"septiembre", 9},
    {"setiembre", 9}, {"octubre", 10},  {"noviembre", 11}, {"diciembre", 12}, {"janeiro", 1},
    {"fevereiro", 2}, {"março", 3},     {"maio", 5},       {"junho", 6},      {"julho", 7},
    {"setembro", 9},  {"outubro", 10},  {"dezembro", 12},  {"gennaio", 1},    {"febbraio", 2},
    {"aprile", 4},    {"maggio", 5},    {"giugno", 6},     {"luglio", 7},     {"settembre", 9},
    {"ottobre", 10},  {"dicembre", 12},
};

static const char *const WEEKDAYS[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun",
                                       "lun", "mar", "mer", "jeu", "ven", "sam", "dim"};

/* ---- small readers --------------------------------------------------------- */

static bool word_byte(unsigned char c) {
    return isalpha(c) || c >= 0x80;
}

static const char *spaces(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* Reads 1 to max digits; *end after them. */
static bool number(const char *p, int min_digits, int max_digits, int *v, const char **end) {
    int k = 0, n = 0;
    while (k < max_digits && isdigit((unsigned char)p[k])) n = n * 10 + (p[k] - '0'), k++;
    if (k < min_digits || isdigit((unsigned char)p[k])) return false;
    *v = n;
    *end = p + k;
    return true;
}

/* A month name (or abbreviation, with an optional dot) at p. */
static bool month_name(const char *p, int *month, const char **end) {
    size_t n = 0;
    while (word_byte((unsigned char)p[n])) n++;
    if (n < 3) return false;
    int found = 0;
    for (size_t i = 0; i < COUNT(MONTHS); i++) {
        if (strlen(MONTHS[i].name) < n || strncasecmp(p, MONTHS[i].name, n) != 0) continue;
        if (found && found != MONTHS[i].month) return false;
        found = MONTHS[i].month;
    }
    if (!found) return false;
    *month = found;
    *end = p + n + (p[n] == '.');
    return true;
}

/* A weekday ("Fri", "Friday,", "lundi") before a date: skipped. */
static const char *weekday(const char *p) {
    size_t n = 0;
    while (word_byte((unsigned char)p[n])) n++;
    for (size_t i = 0; n >= 3 && i < COUNT(WEEKDAYS); i++) {
        if (strncasecmp(p, WEEKDAYS[i], 3) != 0) continue;
        int m;
        const char *e;
        if (month_name(p, &m, &e) && n <= 5) return p; /* "mar" is also March */
        p += n;
        while (*p == ',' || *p == '.' || *p == ' ') p++;
        return p;
    }
    return p;
}

/* "st", "nd", "rd", "th" after a day number; "." after a German one. */
static const char *ordinal(const char *p) {
    static const char *const SUFFIXES[] = {"st", "nd", "rd", "th", "er", "."};
    for (size_t i = 0; i < COUNT(SUFFIXES); i++) {
        size_t k = strlen(SUFFIXES[i]);
        if (strncasecmp(p, SUFFIXES[i], k) == 0 && !isalpha((unsigned char)p[k])) return p + k;
    }
    return p;
}

/* Optional "de" of Spanish and Portuguese dates ("21 de dezembro de 2018"). */
static const char *de(const char *p) {
    const char *q = spaces(p);
    if ((q[0] == 'd' || q[0] == 'D') && q[1] == 'e' && q[2] == ' ') return spaces(q + 3);
    return q;
}

/* ---- times and zones -------------------------------------------------------- */

static const char *zone(const char *p, when_t *w) {
    const char *q = spaces(p);
    if (*q == 'Z' && !isalpha((unsigned char)q[1])) {
        snprintf(w->zone, sizeof w->zone, "Z");
        return q + 1;
    }
    if ((strncmp(q, "UTC", 3) == 0 || strncmp(q, "GMT", 3) == 0) && !isalpha((unsigned char)q[3])) {
        q += 3;
        if (*q != '+' && *q != '-') {
            snprintf(w->zone, sizeof w->zone, "Z");
            return q;
        }
    }
    if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2])) {
        int hh = (q[1] - '0') * 10 + (q[2] - '0'), mm = 0;
        const char *e = q + 3;
        if (*e == ':') e++;
        if (isdigit((unsigned char)e[0]) && isdigit((unsigned char)e[1]))
            mm = (e[0] - '0') * 10 + (e[1] - '0'), e += 2;
        if (hh > 14 || mm > 59) return p;
        w->zone[0] = *q;
        w->zone[1] = (char)('0' + hh / 10), w->zone[2] = (char)('0' + hh % 10), w->zone[3] = ':';
        w->zone[4] = (char)('0' + mm / 10), w->zone[5] = (char)('0' + mm % 10), w->zone[6] = '\0';
        return e;
    }
    /* A named zone ("EST", "PST", "ET", "BST"): dropped, time kept. */
    size_t n = 0;
    while (isupper((unsigned char)q[n])) n++;
    if (n >= 2 && n <= 5 && !isalpha((unsigned char)q[n])) return q + n;
    return p;
}

/* "8:02", "08:02:59", "3:46 PM", "8:02 p.m.", "10h55": a time. */
static const char *clock_time(const char *p, when_t *w) {
    int h, mi, s = 0;
    const char *e;
    if (!number(p, 1, 2, &h, &e) || (*e != ':' && *e != 'h') || !number(e + 1, 2, 2, &mi, &e))
        return NULL;
    if (*e == ':' && !number(e + 1, 2, 2, &s, &e)) return NULL;
    if (*e == '.' && isdigit((unsigned char)e[1]))
        for (e++; isdigit((unsigned char)*e);) e++; /* fractions of a second */
    const char *q = spaces(e);
    bool pm = strncasecmp(q, "pm", 2) == 0 || strncasecmp(q, "p.m.", 4) == 0;
    bool am = strncasecmp(q, "am", 2) == 0 || strncasecmp(q, "a.m.", 4) == 0;
    if (am || pm) {
        if (h < 1 || h > 12) return NULL;
        h = h % 12 + (pm ? 12 : 0);
        e = q + (q[1] == '.' ? 4 : 2);
    }
    if (h > 23 || mi > 59 || s > 60) return NULL;
    w->h = h, w->mi = mi, w->s = s, w->time = true;
    return zone(e, w);
}

/* A time after a date, maybe behind a few filler words ("at", ",", "-",
 * "às", "|"); p itself when there is none. */
static const char *later_time(const char *p, when_t *w) {
    const char *q = p;
    for (int i = 0; i <= FILLER_MAX; i++) {
        q = spaces(q);
        if (isdigit((unsigned char)*q)) {
            const char *e = clock_time(q, w);
            return e ? e : p;
        }
        size_t n = 0;
        while (q[n] && !isdigit((unsigned char)q[n]) && q[n] != ' ') n++;
        if (n == 0 || n > 4) break;
        q += n;
    }
    return p;
}

/* ---- dates ------------------------------------------------------------------- */

/* 2015-03-13, 2015/03/13, then an optional time after "T" or a space. */
static const char *iso(const char *p, when_t *w) {
    const char *e;
    if (!number(p, 4, 4, &w->y, &e) || (*e != '-' && *e != '/')) return NULL;
    char sep = *e;
    if (!number(e + 1, 1, 2, &w->mo, &e) || *e != sep || !number(e + 1, 1, 2, &w->d, &e))
        return NULL;
    if ((*e == 'T' || *e == ' ') && isdigit((unsigned char)e[1])) {
        const char *t = clock_time(e + 1, w);
        if (t) return t;
    }
    return zone(e, w);
}

/* 20170113 */
static const char *compact(const char *p, when_t *w) {
    const char *e;
    int v;
    if (!number(p, 8, 8, &v, &e)) return NULL;
    w->y = v / 10000, w->mo = v / 100 % 100, w->d = v % 100;
    return e;
}

/* March 18, 2015 / Mar 13 21:30:09 EST 2015 (date(1)). */
static const char *month_first(const char *p, when_t *w) {
    const char *e;
    if (!month_name(weekday(p), &w->mo, &e)) return NULL;
    e = spaces(e);
    if (!number(e, 1, 2, &w->d, &e)) return NULL;
    e = ordinal(e);
    if (*e == ',') e++;
    const char *q = spaces(e);
    if (number(q, 4, 4, &w->y, &e)) return later_time(e, w);
    const char *t = clock_time(q, w); /* date(1): the year after the time */
    if (!t) return NULL;
    t = spaces(t);
    return number(t, 4, 4, &w->y, &e) ? e : NULL;
}

/* 18 March 2015 / 18. März 2015 / 21 de dezembro de 2018 / 21.dez.2018 */
static const char *day_first(const char *p, when_t *w) {
    const char *e;
    if (!number(weekday(p), 1, 2, &w->d, &e)) return NULL;
    e = ordinal(e);
    e = de(e);
    if (!month_name(e, &w->mo, &e)) return NULL;
    if (*e == '.') e++;
    e = de(e);
    if (*e == ',') e = spaces(e + 1);
    if (!number(e, 4, 4, &w->y, &e)) return NULL;
    return later_time(e, w);
}

/* 21.12.2018 (day first) / 2/26/2015 (month first, unless the first
 * number cannot be a month) */
static const char *numeric(const char *p, when_t *w) {
    const char *e;
    int a, b;
    if (!number(p, 1, 2, &a, &e) || (*e != '.' && *e != '/')) return NULL;
    char sep = *e;
    if (!number(e + 1, 1, 2, &b, &e) || *e != sep || !number(e + 1, 4, 4, &w->y, &e)) return NULL;
    bool us = sep == '/' && a <= 12;
    w->mo = us ? a : b, w->d = us ? b : a;
    return later_time(e, w);
}

/* 2016年10月14日07:17 */
static const char *cjk(const char *p, when_t *w) {
    static const char YEAR[] = "\xE5\xB9\xB4", MONTH[] = "\xE6\x9C\x88", DAY[] = "\xE6\x97\xA5";
    const char *e;
    if (!number(p, 4, 4, &w->y, &e) || strncmp(e = spaces(e), YEAR, 3) != 0) return NULL;
    if (!number(spaces(e + 3), 1, 2, &w->mo, &e) || strncmp(e = spaces(e), MONTH, 3) != 0)
        return NULL;
    if (!number(spaces(e + 3), 1, 2, &w->d, &e) || strncmp(e = spaces(e), DAY, 3) != 0) return NULL;
    e += 3;
    const char *t = clock_time(spaces(e), w);
    return t ? t : e;
}

static bool valid(const when_t *w) {
    return w->y >= YEAR_MIN && w->y <= YEAR_MAX && w->mo >= 1 && w->mo <= 12 && w->d >= 1 &&
           w->d <= 31;
}

static const char *date_at(const char *p, when_t *w) {
    const char *(*const forms[])(const char *, when_t *) = {iso,         cjk,       compact,
                                                            month_first, day_first, numeric};
    for (size_t i = 0; i < COUNT(forms); i++) {
        *w = (when_t){0};
        const char *e = forms[i](p, w);
        if (e && valid(w)) return e;
    }
    return NULL;
}

/* ---- whole strings ------------------------------------------------------------ */

static void format(const when_t *w, char iso_out[HTML_DATE_BYTES]) {
    if (!w->time)
        snprintf(iso_out, HTML_DATE_BYTES, "%04d-%02d-%02d", w->y, w->mo, w->d);
    else
        snprintf(iso_out, HTML_DATE_BYTES, "%04d-%02d-%02dT%02d:%02d:%02d%s", w->y, w->mo, w->d,
                 w->h, w->mi, w->s, w->zone);
}

/* Nothing but spaces and punctuation (and a closing bracket) is left. */
static bool only_tail(const char *p) {
    for (; *p; p++)
        if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80) return false;
    return true;
}

/* Positions where a date may start in whole mode: the start, and after
 * each of the first few label words ("Published on", "Updated:"). */
static bool whole_date(const char *s, when_t *w) {
    const char *p = spaces(s);
    for (int words = 0; words <= LABEL_MAX_WORDS && *p; words++) {
        const char *e = date_at(p, w);
        if (e && only_tail(e)) return true;
        if (isdigit((unsigned char)*p)) return false;
        while (*p && *p != ' ') {
            if (isdigit((unsigned char)*p)) return false;
            p++;
        }
        p = spaces(p);
    }
    return false;
}

bool html_date_parse(const char *s, bool whole, char iso_out[HTML_DATE_BYTES]) {
    when_t w;
    if (whole) {
        if (!whole_date(s, &w)) return false;
        format(&w, iso_out);
        return true;
    }
    for (size_t i = 0; s[i] && i < SEARCH_MAX_BYTES; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((i > 0 && isalnum((unsigned char)s[i - 1])) || (c >= 0x80 && c < 0xC0)) continue;
        if (date_at(s + i, &w)) {
            format(&w, iso_out);
            return true;
        }
    }
    return false;
}

bool html_date_prefix(const char *s, char iso_out[HTML_DATE_BYTES], size_t *len) {
    when_t w;
    const char *e = date_at(s, &w);
    if (!e) return false;
    format(&w, iso_out);
    *len = (size_t)(e - s);
    return true;
}
