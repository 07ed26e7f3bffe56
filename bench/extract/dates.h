/* dates: the date and time fields of the truth against lede's stored date.
 *
 * The truth writes a date as the page prints it: "YYYY-MM-DD",
 * "YYYY-MM-DDTHH:MM" (local time), "--MM-DD" (no year shown) or null, with
 * "tz" ("+05:30") when the page names its offset. lede stores
 * "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or "--MM-DD". The rules
 * (extraction-dev/README.md, "Scoring"):
 *
 *   day   the same calendar day; a year-less truth date matches the month
 *         and day whatever year the extractor gave; with tz, the UTC day
 *         of the truth's local time is also accepted.
 *   time  scored when the truth or the extractor has one, a midnight time
 *         counting as none; the same HH:MM, or with tz the UTC HH:MM. */
#ifndef LEDE_EVAL_DATES_H
#define LEDE_EVAL_DATES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dates_when {
    bool present;  /* false for NULL or "" */
    bool has_year; /* false for "--MM-DD" */
    bool has_time;
    int year, month, day, hour, min;
} dates_when_t;

/* Parses one of the forms above (seconds, fractions and a trailing zone
 * are read and ignored: the clock time is taken as written). false when s
 * is none of them. */
bool dates_parse(const char *s, dates_when_t *w);

/* Parses "+HH:MM", "-HH:MM", "+HHMM" or "Z" into minutes east of UTC. */
bool dates_parse_tz(const char *tz, int *east_min);

/* The day rule above; tz may be NULL. */
bool dates_same_day(const dates_when_t *truth, const char *tz, const dates_when_t *got);

/* The accepted times of the truth, as minutes after midnight: none, the
 * local time, and with tz also the UTC time. Returns how many (0-2). */
size_t dates_truth_times(const dates_when_t *truth, const char *tz, int out[2]);

/* The time of w in minutes after midnight, or -1 when it has none (or
 * midnight). */
int dates_time_of(const dates_when_t *w);

#endif
