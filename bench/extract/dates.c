/* Dates and times as the truth compares them (dates.h). */
#include "dates.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits at *p and advances *p. */
static bool digits(const char **p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return false;
        v = v * 10 + (*p)[i] - '0';
    }
    *p += n;
    *out = v;
    return true;
}

/* The rest of a time after HH:MM: seconds, a fraction and a zone. */
static bool time_tail(const char *p) {
    int sec, off;
    if (*p == ':' && (p++, !digits(&p, 2, &sec))) return false;
    if (*p == '.' || *p == ',')
        for (p++; isdigit((unsigned char)*p); p++) {
        }
    return *p == '\0' || dates_parse_tz(p, &off);
}

static bool parse_time(const char *p, dates_when_t *w) {
    if (!digits(&p, 2, &w->hour) || *p++ != ':' || !digits(&p, 2, &w->min)) return false;
    if (w->hour > 23 || w->min > 59) return false;
    w->has_time = true;
    return time_tail(p);
}

bool dates_parse(const char *s, dates_when_t *w) {
    *w = (dates_when_t){0};
    if (!s || !*s) return true;
    w->present = true;
    const char *p = s;
    if (p[0] == '-' && p[1] == '-') {
        p += 2;
    } else {
        if (!digits(&p, 4, &w->year) || *p++ != '-') return false;
        w->has_year = true;
    }
    if (!digits(&p, 2, &w->month) || *p++ != '-' || !digits(&p, 2, &w->day)) return false;
    if (w->month < 1 || w->month > 12 || w->day < 1 || w->day > 31) return false;
    if (*p == '\0') return true;
    if (!w->has_year || (*p != 'T' && *p != ' ')) return false;
    return parse_time(p + 1, w);
}

bool dates_parse_tz(const char *tz, int *east_min) {
    const char *p = tz;
    int hh, mm = 0;
    if (!p) return false;
    if (strcmp(p, "Z") == 0) return *east_min = 0, true;
    if (*p != '+' && *p != '-') return false;
    int sign = *p++ == '-' ? -1 : 1;
    if (!digits(&p, 2, &hh)) return false;
    if (*p == ':') p++;
    if (!digits(&p, 2, &mm) || *p || hh > 23 || mm > 59) return false;
    *east_min = sign * (hh * 60 + mm);
    return true;
}

/* The truth's local time moved to UTC: needs a year, a time and a zone. */
static bool to_utc(const dates_when_t *local, const char *tz, dates_when_t *utc) {
    int east;
    if (!tz || !local->has_year || !local->has_time || !dates_parse_tz(tz, &east)) return false;
    struct tm tm = {.tm_year = local->year - 1900,
                    .tm_mon = local->month - 1,
                    .tm_mday = local->day,
                    .tm_hour = local->hour,
                    .tm_min = local->min};
    time_t t = timegm(&tm) - (time_t)east * 60;
    if (!gmtime_r(&t, &tm)) return false;
    *utc = *local;
    utc->year = tm.tm_year + 1900, utc->month = tm.tm_mon + 1, utc->day = tm.tm_mday;
    utc->hour = tm.tm_hour, utc->min = tm.tm_min;
    return true;
}

static bool day_equal(const dates_when_t *a, const dates_when_t *b) {
    return a->has_year && b->has_year && a->year == b->year && a->month == b->month &&
           a->day == b->day;
}

bool dates_same_day(const dates_when_t *truth, const char *tz, const dates_when_t *got) {
    if (!truth->present || !got->present) return truth->present == got->present;
    if (!truth->has_year) return truth->month == got->month && truth->day == got->day;
    dates_when_t utc;
    return day_equal(truth, got) || (to_utc(truth, tz, &utc) && day_equal(&utc, got));
}

int dates_time_of(const dates_when_t *w) {
    if (!w->present || !w->has_time || (w->hour == 0 && w->min == 0)) return -1;
    return w->hour * 60 + w->min;
}

size_t dates_truth_times(const dates_when_t *truth, const char *tz, int out[2]) {
    size_t n = 0;
    dates_when_t utc;
    int local = dates_time_of(truth);
    if (local < 0) return 0;
    out[n++] = local;
    if (to_utc(truth, tz, &utc) && dates_time_of(&utc) >= 0) out[n++] = dates_time_of(&utc);
    return n;
}
