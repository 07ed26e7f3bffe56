/* ISO 8601 dates and date-times, normalised to UTC. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lede/article.h"

typedef struct {
    int year, month, day, hour, min, sec;
    int offset_min; /* east of UTC */
    bool has_time;
} when_t;

/* Reads exactly n digits at *p into *out and advances *p. */
static bool digits(const char **p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : DAYS[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), and back. */
static long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool parse_zone(const char *p, when_t *w) {
    if (*p == '\0') return true; /* no zone: taken as UTC */
    if (*p == 'Z' || *p == 'z') return p[1] == '\0';
    if (*p != '+' && *p != '-') return false;
    int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
    if (!digits(&p, 2, &hh)) return false;
    if (*p == ':') p++;
    if (*p && !digits(&p, 2, &mm)) return false;
    if (*p || hh > 23 || mm > 59) return false;
    w->offset_min = sign * (hh * 60 + mm);
    return true;
}

static bool parse_time(const char *p, when_t *w) {
    if (!digits(&p, 2, &w->hour) || *p++ != ':' || !digits(&p, 2, &w->min)) return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &w->sec)) return false;
        if (*p == '.' || *p == ',') /* fractions of a second are dropped */
            for (p++; isdigit((unsigned char)*p); p++) {
            }
    }
    if (w->hour > 23 || w->min > 59 || w->sec > 60) return false;
    w->has_time = true;
    return parse_zone(p, w);
}

static bool parse_when(const char *p, when_t *w) {
    memset(w, 0, sizeof *w);
    if (!digits(&p, 4, &w->year) || *p++ != '-' || !digits(&p, 2, &w->month) || *p++ != '-' ||
        !digits(&p, 2, &w->day))
        return false;
    if (w->month < 1 || w->month > 12 || w->day < 1 || w->day > days_in_month(w->year, w->month))
        return false;
    if (*p == '\0') return true;
    if (*p != 'T' && *p != 't' && *p != ' ') return false;
    return parse_time(p + 1, w);
}

/* Shifts a local time with a zone offset to UTC. */
static void to_utc(when_t *w) {
    long minutes = (long)w->hour * 60 + w->min - w->offset_min;
    long days = days_from_civil(w->year, w->month, w->day);
    days += minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    minutes = ((minutes % 1440) + 1440) % 1440;
    civil_from_days(days, &w->year, &w->month, &w->day);
    w->hour = (int)(minutes / 60);
    w->min = (int)(minutes % 60);
    w->offset_min = 0;
}

/* "--MM-DD": a day of a year nobody said. */
static bool parse_yearless(const char *p, char norm[32], char key[15]) {
    int m, d;
    if (p[0] != '-' || p[1] != '-') return false;
    p += 2;
    if (!digits(&p, 2, &m) || *p++ != '-' || !digits(&p, 2, &d) || *p) return false;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(2000, m)) return false;
    snprintf(norm, 32, "--%02d-%02d", m, d);
    key[0] = '\0';
    return true;
}

bool date_parse_iso(const char *s, char norm[32], char key[15]) {
    when_t w;
    if (!s) return false;
    if (s[0] == '-') return parse_yearless(s, norm, key);
    if (!parse_when(s, &w)) return false;
    if (w.sec == 60) w.sec = 59; /* a leap second sorts with its minute */
    if (w.has_time) to_utc(&w);
    if (w.year < 0 || w.year > 9999) return false; /* shifted out of range */
    /* Every field is in range now, but the compiler cannot know: format
     * into roomy buffers and copy the (fixed-length) results. */
    char text[96], digits[96];
    if (w.has_time)
        snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", w.year, w.month, w.day,
                 w.hour, w.min, w.sec);
    else
        snprintf(text, sizeof text, "%04d-%02d-%02d", w.year, w.month, w.day);
    snprintf(digits, sizeof digits, "%04d%02d%02d%02d%02d%02d", w.year, w.month, w.day, w.hour,
             w.min, w.sec);
    snprintf(norm, 32, "%.31s", text);
    snprintf(key, 15, "%.14s", digits);
    return true;
}
