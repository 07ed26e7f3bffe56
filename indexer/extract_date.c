/* Dates as news pages write them: "23 December 2022 18:09", "Dec. 23,
 * 2022", "2022-12-23", "23.12.2022", "2017 October 13 ( Friday ) 16:52:05",
 * "November 22, 2023 9:03AM AKST", "Jul 12 2014 | 7:56 AM IST", "2 Dekabr
 * 2015", with a weekday, a label ("Posted", "Last Updated"), a time, and a
 * zone or offset ("GMT+4", "(UTC +04:00)"). Each is turned into the ISO form
 * that article_validate() understands, and checked with date_parse_iso() so
 * that no impossible date (30 February) is ever handed on.
 *
 * A time keeps the clock the page printed unless the page names an offset
 * or a zone with one meaning all year (GMT, UTC, AKST, IST, MSK, ...); then
 * the offset is kept and the date is stored in UTC. "ET" or "PT" say
 * nothing of summer time, so they leave the clock as printed. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* Month names, English first, then the other languages of the pages lede
 * reads most: each row is one language, January to December. */
static const char *const MONTHS[][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"Yanvar", "Fevral", "Mart", "Aprel", "May", "\xC4\xB0yun", "\xC4\xB0yul", "Avqust", "Sentyabr",
     "Oktyabr", "Noyabr", "Dekabr"}, /* Azerbaijani */
    {"Ocak",
     "\xC5\x9E"
     "ubat",
     "Mart", "Nisan", "May\xC4\xB1s", "Haziran", "Temmuz", "A\xC4\x9Fustos", "Eyl\xC3\xBCl", "Ekim",
     "Kas\xC4\xB1m", "Aral\xC4\xB1k"}, /* Turkish */
    {"janvier", "f\xC3\xA9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\xC3\xBBt",
     "septembre", "octobre", "novembre",
     "d\xC3\xA9"
     "cembre"}, /* French */
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"}, /* Spanish */
    {"Januar", "Februar", "M\xC3\xA4rz", "April", "Mai", "Juni", "Juli", "August", "September",
     "Oktober", "November", "Dezember"}, /* German */
};
static const char *const WEEKDAYS[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* Words that may introduce a date line: "Published: 23 December 2022". */
static const char *const LABELS[] = {
    "Last updated", "Last Updated", "First Published", "Published on", "Published", "Updated on",
    "Updated",      "Posted on",    "Posted",          "Date",         "Created"};

typedef struct {
    const char *name;
    int minutes; /* east of UTC */
} zone_t;

/* Zones with one offset all year. */
static const zone_t ZONES[] = {
    {"GMT", 0},    {"UTC", 0},    {"Z", 0},      {"AKST", -540}, {"AKDT", -480}, {"EST", -300},
    {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420},  {"MDT", -360},  {"PST", -480},
    {"PDT", -420}, {"HST", -600}, {"CET", 60},   {"CEST", 120},  {"EET", 120},   {"EEST", 180},
    {"MSK", 180},  {"IST", 330},  {"AZT", 240},  {"JST", 540},   {"KST", 540},   {"AEST", 600},
    {"AEDT", 660}, {"BST", 60},   {"WET", 0},    {"SGT", 480},   {"HKT", 480},
};

/* Zones that do not say whether summer time applies: the clock is kept. */
static const char *const VAGUE_ZONES[] = {"ET", "PT", "CT", "MT"};

/* A dateline is short; a longer prefix is not one. */
#define DATELINE_MAX_BYTES 128
/* A typo of a month name ("Febuary") is one letter off a name this long. */
#define MONTH_TYPO_MIN 6

typedef struct {
    int year; /* 0 when the text gives none */
    int month, day;
    int hour, min, sec;
    bool has_time;
    bool has_zone;
    int zone_minutes;
} ymd_t;

/* Bytes of letters (ASCII or any multi-byte character) at s. */
static size_t alpha_run(const char *s) {
    size_t n = 0;
    while (isalpha((unsigned char)s[n]) || (unsigned char)s[n] >= 0x80) n++;
    return n;
}

static void skip_blanks(const char **p) {
    while (**p == ' ' || **p == ',') (*p)++;
}

/* Reads 1..max digits at *p; false (and *p unchanged) when there are none
 * or more than max. */
static bool read_int(const char **p, int max, int *v) {
    int n = 0, x = 0;
    while (isdigit((unsigned char)(*p)[n])) {
        if (++n > max) return false;
        x = x * 10 + ((*p)[n - 1] - '0');
    }
    if (n == 0) return false;
    *p += n;
    *v = x;
    return true;
}

/* True when a and b (of lengths n and m) differ by at most one letter
 * left out, ignoring ASCII case: "Febuary" for "February". */
static bool one_letter_off(const char *a, size_t n, const char *b, size_t m) {
    if (n + 1 != m) return false;
    size_t i = 0;
    while (i < n && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i])) i++;
    return strncasecmp(a + i, b + i + 1, n - i) == 0;
}

/* The names above in small letters (ASCII folded), by length, built once:
 * every word of a page may be tried as a month. */
#define MONTH_NAME_MAX 12
#define MONTH_SLOTS (sizeof MONTHS / sizeof MONTHS[0] * 12 + 13)

typedef struct {
    char name[MONTH_NAME_MAX + 1];
    size_t len;
    int month;
    bool english;
} month_name_t;

static month_name_t month_names[MONTH_SLOTS];
static size_t n_month_names;

static void fold(const char *s, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
}

static void add_month_name(const char *s, size_t n, int month, bool english) {
    month_name_t *m = &month_names[n_month_names++];
    fold(s, n, m->name);
    m->len = n, m->month = month, m->english = english;
}

static void build_month_names(void) {
    for (size_t lang = 0; lang < sizeof MONTHS / sizeof MONTHS[0]; lang++)
        for (int m = 0; m < 12; m++) {
            size_t n = strlen(MONTHS[lang][m]);
            if (n <= MONTH_NAME_MAX) add_month_name(MONTHS[lang][m], n, m + 1, lang == 0);
            if (lang == 0) add_month_name(MONTHS[0][m], 3, m + 1, true); /* "Dec" */
        }
    add_month_name("Sept", 4, 9, true);
}

/* Month names by hash of their folded spelling: each slot the index in
 * month_names + 1, or 0. */
#define MONTH_HASH_SLOTS 256

static unsigned char month_hash[MONTH_HASH_SLOTS];

static unsigned hash_word(const char *w, size_t n) {
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h & (MONTH_HASH_SLOTS - 1);
}

static void build_month_hash(void) {
    build_month_names();
    for (size_t i = 0; i < n_month_names; i++) {
        unsigned k = hash_word(month_names[i].name, month_names[i].len);
        while (month_hash[k]) k = (k + 1) & (MONTH_HASH_SLOTS - 1);
        month_hash[k] = (unsigned char)(i + 1);
    }
}

static int match_month(const char *s, size_t n) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    char word[MONTH_NAME_MAX + 2];
    pthread_once(&once, build_month_hash);
    if (n < 3 || n > MONTH_NAME_MAX + 1) return 0;
    fold(s, n, word);
    for (unsigned k = hash_word(word, n); month_hash[k]; k = (k + 1) & (MONTH_HASH_SLOTS - 1)) {
        const month_name_t *m = &month_names[month_hash[k] - 1];
        if (m->len == n && memcmp(word, m->name, n) == 0) return m->month;
    }
    /* A typo of a long English name, one letter left out: "Febuary". */
    if (n + 1 < MONTH_TYPO_MIN) return 0;
    for (size_t i = 0; i < n_month_names; i++) {
        const month_name_t *m = &month_names[i];
        if (m->english && m->len == n + 1 && word[0] == m->name[0] &&
            one_letter_off(word, n, m->name, m->len))
            return m->month;
    }
    return 0;
}

bool ex_date_month_at(const char *s, size_t *n, int *month) {
    size_t k = alpha_run(s);
    int m = k >= 3 ? match_month(s, k) : 0;
    if (!m) return false;
    *n = k + (s[k] == '.' && k <= 4 ? 1 : 0);
    *month = m;
    return true;
}

/* A month name, abbreviation, "Sept" or a one-letter typo, with an
 * optional dot; returns 1-12 and advances *p, or returns 0. */
static int read_month(const char **p) {
    size_t n;
    int m;
    if (!ex_date_month_at(*p, &n, &m)) return 0;
    *p += n;
    return m;
}

/* A weekday, in full or in three letters, with an optional dot. */
static bool read_weekday(const char **p) {
    size_t n = alpha_run(*p);
    for (int d = 0; d < 7 && n >= 3; d++) {
        if ((n != strlen(WEEKDAYS[d]) && n != 3) || strncasecmp(*p, WEEKDAYS[d], n) != 0) continue;
        *p += n;
        if (**p == '.') (*p)++;
        return true;
    }
    return false;
}

/* "( Friday )" after a date. */
static void skip_paren_weekday(const char **p) {
    const char *q = *p;
    while (*q == ' ') q++;
    if (*q != '(') return;
    q++;
    while (*q == ' ') q++;
    if (!read_weekday(&q)) return;
    while (*q == ' ') q++;
    if (*q == ')') *p = q + 1;
}

/* "1st", "2nd", "23rd", "30th": the suffix is skipped. */
static void skip_ordinal(const char **p) {
    if (ex_prefix_ci(*p, "st") || ex_prefix_ci(*p, "nd") || ex_prefix_ci(*p, "rd") ||
        ex_prefix_ci(*p, "th"))
        if (!isalpha((unsigned char)(*p)[2])) *p += 2;
}

static bool read_year(const char **p, ymd_t *t) {
    const char *y = *p;
    int year;
    skip_blanks(&y);
    if (y == *p || !read_int(&y, 4, &year) || year < 1000 || isalpha((unsigned char)*y))
        return false;
    t->year = year;
    *p = y;
    return true;
}

/* "23 December 2022" or "23 Dec, 2022"; the year is optional when
 * need_year is false. */
static bool read_day_month(const char **p, ymd_t *t, bool need_year) {
    const char *q = *p;
    t->year = 0;
    if (!read_int(&q, 2, &t->day)) return false;
    skip_ordinal(&q);
    if (*q == '.') q++;
    if (*q++ != ' ' || !(t->month = read_month(&q))) return false;
    if (!read_year(&q, t) && need_year) return false;
    *p = q;
    return true;
}

/* "December 23, 2022" or "Dec. 23 2022"; the year as above. */
static bool read_month_day(const char **p, ymd_t *t, bool need_year) {
    const char *q = *p;
    t->year = 0;
    if (!(t->month = read_month(&q)) || *q++ != ' ' || !read_int(&q, 2, &t->day)) return false;
    skip_ordinal(&q);
    if (isalpha((unsigned char)*q)) return false;
    if (!read_year(&q, t) && need_year) return false;
    *p = q;
    return true;
}

/* "2017 October 13": the year first. */
static bool read_year_month_day(const char **p, ymd_t *t) {
    const char *q = *p;
    if (!read_int(&q, 4, &t->year) || t->year < 1000 || *q++ != ' ') return false;
    if (!(t->month = read_month(&q)) || *q++ != ' ' || !read_int(&q, 2, &t->day)) return false;
    *p = q;
    return true;
}

/* "2022-12-23", "23.12.2022", "13.10.17" (two-digit years only with dots
 * and a day that comes first, as Azerbaijani datelines write them). */
static bool read_numeric(const char **p, ymd_t *t) {
    const char *q = *p;
    int a, b, c;
    if (!read_int(&q, 4, &a)) return false;
    char sep = *q;
    if ((sep != '-' && sep != '.' && sep != '/') || !(q++, read_int(&q, 2, &b)) || *q++ != sep)
        return false;
    const char *year_at = q;
    if (!read_int(&q, 4, &c) || isdigit((unsigned char)*q)) return false;
    size_t year_digits = (size_t)(q - year_at);
    bool iso = sep == '-' && q - *p == 10 && a >= 1000;
    bool dotted = (sep == '.' || sep == '/') && a <= 31 && (c >= 1000 || year_digits == 2);
    if (!iso && !dotted) return false;
    if (dotted && year_digits == 2) c += c < 70 ? 2000 : 1900;
    t->year = iso ? a : c, t->month = b, t->day = iso ? c : a;
    *p = q;
    return true;
}

static bool read_date(const char **p, ymd_t *t) {
    return read_numeric(p, t) || read_year_month_day(p, t) || read_day_month(p, t, true) ||
           read_month_day(p, t, true);
}

/* A zone name at *q ("GMT", "AKST"), or an offset ("+04:00", "+4",
 * "GMT+4", "UTC +04:00"), perhaps in brackets. */
static bool read_zone(const char **p, ymd_t *t) {
    const char *q = *p;
    bool paren = *q == '(';
    if (paren) q++;
    while (*q == ' ') q++;
    size_t n = 0;
    while (isupper((unsigned char)q[n])) n++;
    int base = 0;
    bool named = false;
    for (size_t i = 0; n && i < sizeof ZONES / sizeof ZONES[0]; i++)
        if (strlen(ZONES[i].name) == n && strncmp(q, ZONES[i].name, n) == 0)
            base = ZONES[i].minutes, named = true;
    for (size_t i = 0; n && !named && i < sizeof VAGUE_ZONES / sizeof VAGUE_ZONES[0]; i++)
        if (strlen(VAGUE_ZONES[i]) == n && strncmp(q, VAGUE_ZONES[i], n) == 0) {
            *p = q + n;
            return false; /* known, but says nothing exact */
        }
    if (named) q += n;
    while (*q == ' ') q++;
    int hh = 0, mm = 0;
    bool offset = false;
    if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1])) {
        int sign = *q == '-' ? -1 : 1;
        q++;
        if (!read_int(&q, 2, &hh)) return false;
        if (*q == ':' && !(q++, read_int(&q, 2, &mm))) return false;
        base = sign * (hh * 60 + mm);
        offset = true;
    }
    if (!named && !offset) return false;
    while (*q == ' ') q++;
    if (paren && *q++ != ')') return false;
    t->has_zone = true;
    t->zone_minutes = base;
    *p = q;
    return true;
}

/* An optional time after the date: "18:09", ", 6:09 PM", " at 18:09:30",
 * " | 7:56 AM IST", "9:03AM AKST", "16:52:05". */
static void read_time(const char **p, ymd_t *t) {
    const char *q = *p;
    if (*q == 'T') q++;
    while (*q == ' ' || *q == ',' || *q == '|' || *q == '-' || *q == '/') q++;
    if (ex_prefix_ci(q, "at ")) q += 3;
    if (!read_int(&q, 2, &t->hour) || *q++ != ':' || !read_int(&q, 2, &t->min)) return;
    if (*q == ':' && !(q++, read_int(&q, 2, &t->sec))) return;
    const char *r = q;
    while (*r == ' ') r++;
    bool pm = ex_prefix_ci(r, "pm") || ex_prefix_ci(r, "p.m."),
         am = ex_prefix_ci(r, "am") || ex_prefix_ci(r, "a.m.");
    if ((am || pm) && (t->hour < 1 || t->hour > 12)) return;
    if (t->hour > 23 || t->min > 59 || t->sec > 59) return;
    if (am || pm) q = r + (r[1] == '.' ? 4 : 2);
    if (pm && t->hour < 12) t->hour += 12;
    if (am && t->hour == 12) t->hour = 0;
    t->has_time = true;
    const char *z = q;
    while (*z == ' ') z++;
    if (read_zone(&z, t) || z > q) q = z;
    *p = q;
}

static const char *skip_label(const char *s) {
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
        if (!ex_prefix_ci(s, LABELS[i])) continue;
        const char *p = s + strlen(LABELS[i]);
        if (*p != ':' && *p != ' ') continue;
        if (*p == ':') p++;
        while (*p == ' ') p++;
        if (ex_prefix_ci(p, "on ")) p += 3;
        return p;
    }
    return s;
}

/* Writes t as ISO 8601 and checks it is a real date. */
static bool format_iso(const ymd_t *t, char iso[EX_DATE_BYTES]) {
    char norm[32], key[15];
    if (t->year == 0)
        snprintf(iso, EX_DATE_BYTES, "--%02d-%02d", t->month, t->day);
    else if (t->has_time && t->has_zone)
        snprintf(iso, EX_DATE_BYTES, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t->year, t->month,
                 t->day, t->hour, t->min, t->sec, t->zone_minutes < 0 ? '-' : '+',
                 abs(t->zone_minutes) / 60, abs(t->zone_minutes) % 60);
    else if (t->has_time)
        snprintf(iso, EX_DATE_BYTES, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month, t->day,
                 t->hour, t->min, t->sec);
    else
        snprintf(iso, EX_DATE_BYTES, "%04d-%02d-%02d", t->year, t->month, t->day);
    return date_parse_iso(iso, norm, key);
}

/* A date (with weekday, time and zone) at *p; advances past it. */
static bool read_full(const char **p, ymd_t *t) {
    const char *q = *p;
    memset(t, 0, sizeof *t);
    if (read_weekday(&q)) skip_blanks(&q);
    if (!read_date(&q, t)) return false;
    skip_paren_weekday(&q);
    read_time(&q, t);
    *p = q;
    return true;
}

bool ex_date_line(const char *line, char iso[EX_DATE_BYTES]) {
    const char *p = skip_label(ex_unbullet(line));
    ymd_t t;
    if (!read_full(&p, &t)) return false;
    while (*p == ' ' || *p == '.') p++;
    return *p == '\0' && format_iso(&t, iso);
}

bool ex_date_at(const char *s, char iso[EX_DATE_BYTES], size_t *end) {
    const char *p = s;
    ymd_t t;
    if (!isalnum((unsigned char)*s) && (unsigned char)*s < 0x80) return false;
    if (!read_full(&p, &t) || !format_iso(&t, iso)) return false;
    *end = (size_t)(p - s);
    return true;
}

bool ex_date_find(const char *s, char iso[EX_DATE_BYTES], size_t *at, size_t *end) {
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && isdigit((unsigned char)s[i - 1]) && isdigit((unsigned char)s[i])) continue;
        if (i > 0 && isalpha((unsigned char)s[i - 1]) && isalpha((unsigned char)s[i])) continue;
        const char *p = s + i;
        ymd_t t;
        if (read_full(&p, &t) && format_iso(&t, iso)) {
            *at = i;
            *end = (size_t)(p - s);
            return true;
        }
    }
    return false;
}

/* A date (day first or month first, year optional) that fills the rest of
 * s, give or take blanks, commas and dots. */
static bool date_to_end(const char *s, ymd_t *t) {
    const char *p = s;
    memset(t, 0, sizeof *t);
    bool ok =
        isdigit((unsigned char)*s) ? read_day_month(&p, t, false) : read_month_day(&p, t, false);
    while (*p == ' ' || *p == ',' || *p == '.') p++;
    return ok && *p == '\0';
}

bool ex_date_tail(const char *s, size_t n, char iso[EX_DATE_BYTES], size_t *start) {
    char buf[DATELINE_MAX_BYTES];
    ymd_t t;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',')) n--;
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ex_word_byte(buf[i - 1])) continue; /* not at a word start */
        if (date_to_end(buf + i, &t) && format_iso(&t, iso)) {
            *start = i;
            return true;
        }
    }
    return false;
}

/* "(April 20)" or "(April 20, 2021)" at p, just after the parenthesis. */
static bool paren_date(const char *p, ymd_t *t) {
    memset(t, 0, sizeof *t);
    if (!read_month_day(&p, t, false)) return false;
    return *p == ')';
}

/* True when the word that ends just before p (one space back) is a weekday. */
static bool weekday_before(const char *para, const char *p) {
    const char *end = p, *w;
    if (end == para || end[-1] != ' ') return false;
    for (w = --end; w > para && isalpha((unsigned char)w[-1]);) w--;
    if (w == end || (w > para && ex_word_byte(w[-1]))) return false;
    const char *q = w;
    return read_weekday(&q) && q == end;
}

bool ex_date_weekday_paren(const char *para, size_t n, char iso[EX_DATE_BYTES]) {
    ymd_t t;
    const char *end = para + n;
    for (const char *p = memchr(para, '(', n); p; p = memchr(p + 1, '(', (size_t)(end - p - 1)))
        if (weekday_before(para, p) && paren_date(p + 1, &t) && format_iso(&t, iso)) return true;
    return false;
}
