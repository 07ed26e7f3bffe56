/* Dates as news pages write them: "23 December 2022 18:09", "Dec. 23,
 * 2022", "2022-12-23", "23.12.2022". Each is turned into the ISO form that
 * article_validate() understands, and checked with date_parse_iso() so
 * that no impossible date (30 February) is ever handed on. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

static const char *const MONTHS[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
static const char *const WEEKDAYS[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* Words that may introduce a date line: "Published: 23 December 2022". */
static const char *const LABELS[] = {"Last updated", "Published", "Updated", "Posted", "Date"};

/* A dateline is short; a longer prefix is not one. */
#define DATELINE_MAX_BYTES 128

typedef struct {
    int year; /* 0 when the text gives none */
    int month, day;
    int hour, min, sec;
    bool has_time;
} ymd_t;

static size_t alpha_run(const char *s) {
    size_t n = 0;
    while (isalpha((unsigned char)s[n])) n++;
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

/* A month name, its three-letter abbreviation or "Sept", with an optional
 * dot; returns 1-12 and advances *p, or returns 0. */
static int read_month(const char **p) {
    size_t n = alpha_run(*p);
    for (int m = 0; m < 12 && n >= 3; m++) {
        size_t full = strlen(MONTHS[m]);
        bool fits = n == full || n == 3 || (m == 8 && n == 4);
        if (!fits || n > full || strncasecmp(*p, MONTHS[m], n) != 0) continue;
        *p += n;
        if (**p == '.' && n < full) (*p)++;
        return m + 1;
    }
    return 0;
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

/* "1st", "2nd", "23rd", "30th": the suffix is skipped. */
static void skip_ordinal(const char **p) {
    if (ex_prefix_ci(*p, "st") || ex_prefix_ci(*p, "nd") || ex_prefix_ci(*p, "rd") ||
        ex_prefix_ci(*p, "th"))
        if (!isalpha((unsigned char)(*p)[2])) *p += 2;
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
    const char *y = q;
    skip_blanks(&y);
    if (!(y > q && read_int(&y, 4, &t->year) && t->year >= 1000) && need_year) return false;
    if (t->year < 1000) t->year = 0;
    *p = t->year ? y : q;
    return true;
}

/* "December 23, 2022" or "Dec. 23 2022"; the year as above. */
static bool read_month_day(const char **p, ymd_t *t, bool need_year) {
    const char *q = *p;
    t->year = 0;
    if (!(t->month = read_month(&q)) || *q++ != ' ' || !read_int(&q, 2, &t->day)) return false;
    skip_ordinal(&q);
    const char *y = q;
    skip_blanks(&y);
    if (!(y > q && read_int(&y, 4, &t->year) && t->year >= 1000) && need_year) return false;
    if (t->year < 1000) t->year = 0;
    *p = t->year ? y : q;
    return true;
}

/* "2022-12-23" or "23.12.2022". */
static bool read_numeric(const char **p, ymd_t *t) {
    const char *q = *p;
    int a, b, c;
    if (!read_int(&q, 4, &a)) return false;
    char sep = *q;
    if ((sep != '-' && sep != '.') || !(q++, read_int(&q, 2, &b)) || *q++ != sep ||
        !read_int(&q, 4, &c))
        return false;
    bool iso = sep == '-' && q - *p == 10, dotted = sep == '.' && c >= 1000;
    if (!iso && !dotted) return false;
    t->year = iso ? a : c, t->month = b, t->day = iso ? c : a;
    *p = q;
    return true;
}

static bool read_date(const char **p, ymd_t *t) {
    return read_numeric(p, t) || read_day_month(p, t, true) || read_month_day(p, t, true);
}

/* An optional time after the date: "18:09", ", 6:09 PM", " at 18:09:30". */
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
    if (am || pm) q = r + (r[1] == '.' ? 4 : 2);
    if (pm && t->hour < 12) t->hour += 12;
    if (am && t->hour == 12) t->hour = 0;
    t->has_time = true;
    *p = q;
}

/* Only UTC can be named after a time: other zones are not worked out. */
static void skip_utc(const char **p) {
    const char *q = *p;
    while (*q == ' ') q++;
    if (ex_prefix_ci(q, "GMT") || ex_prefix_ci(q, "UTC")) *p = q + 3;
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
    else if (t->has_time)
        snprintf(iso, EX_DATE_BYTES, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month, t->day,
                 t->hour, t->min, t->sec);
    else
        snprintf(iso, EX_DATE_BYTES, "%04d-%02d-%02d", t->year, t->month, t->day);
    return date_parse_iso(iso, norm, key);
}

bool ex_date_line(const char *line, char iso[EX_DATE_BYTES]) {
    const char *p = skip_label(line);
    ymd_t t = {0};
    if (read_weekday(&p)) skip_blanks(&p);
    if (!read_date(&p, &t)) return false;
    read_time(&p, &t);
    skip_utc(&p);
    while (*p == ' ' || *p == '.') p++;
    return *p == '\0' && format_iso(&t, iso);
}

/* A date (day first or month first, year optional) that fills the rest of
 * s, give or take blanks and commas. */
static bool date_to_end(const char *s, ymd_t *t) {
    const char *p = s;
    memset(t, 0, sizeof *t);
    bool ok =
        isdigit((unsigned char)*s) ? read_day_month(&p, t, false) : read_month_day(&p, t, false);
    skip_blanks(&p);
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
