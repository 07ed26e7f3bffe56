/* article.h: the article model, its validation, and its stored form.
 *
 * An article is what lede-indexer reads (from a JSON line or a scraped text
 * file) and what a search hit returns. Every string member is malloc'd and
 * owned by the article; article_free() releases them all. */
#ifndef LEDE_ARTICLE_H
#define LEDE_ARTICLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lede/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest id accepted; longer ones are rejected rather than truncated, so
 * that two distinct ids can never collide. */
#define ARTICLE_MAX_ID_BYTES 512

typedef struct lede_strv {
    char **v;
    size_t n;
} lede_strv_t;

typedef struct lede_article {
    char *id;             /* required, unique: the upsert key */
    char *title;          /* at least one of title and body is required */
    bool title_from_body; /* the title was made from the body's first
                           * sentence: the article came without one */
    char *body;
    char *source; /* agency or publication: "Reuters", "TURAN" */
    char *category;
    char *url;
    char *language;    /* ISO 639-1 as given, e.g. "en"; stored, not used yet */
    char *date;        /* normalised: "2022-12-23T18:09:00Z", "2022-12-23",
                        * or "--03-30" when the year is unknown */
    char date_key[15]; /* "YYYYMMDDhhmmss" (UTC) for ranges and sorting;
                        * "" when the date is absent or has no year */
    lede_strv_t authors;
    lede_strv_t tags;
    lede_strv_t places;
    json_t *extra; /* unknown JSON fields, stored but not indexed; or NULL */
} lede_article_t;

void article_init(lede_article_t *a);
void article_free(lede_article_t *a);

/* Appends a copy of s to v. LEDE_E_NOMEM on failure. */
lede_status_t strv_push(lede_strv_t *v, const char *s);
void strv_free(lede_strv_t *v);

/* Parses one JSON Lines record into a (freshly initialised) article and
 * validates it. On failure returns LEDE_E_INVALID with a reason in err
 * and leaves *a freed. */
lede_status_t article_from_json(const char *line, size_t len, lede_article_t *a, lede_err_t *err);

/* Checks what every article must satisfy, whatever its origin: an id, a
 * title or a body, valid UTF-8 in every field, and a parseable date (which
 * it normalises into a->date and a->date_key). */
lede_status_t article_validate(lede_article_t *a, lede_err_t *err);

/* The stored payload: one compact JSON object with every field that is
 * present ("author" as an array, unknown fields under "extra"). Caller
 * frees with free(). NULL when out of memory. */
char *article_to_json(const lede_article_t *a, size_t *len);

/* The same JSON with only what a search hit shows (id, title, author,
 * source, date, category, url): stored beside the article so that a
 * search without snippets reads a few hundred bytes per hit, not the
 * whole article. */
char *article_summary_json(const lede_article_t *a, size_t *len);

/* Parses an ISO 8601 date or date-time ("2022-12-23", "2022-12-23T18:09",
 * "1987-02-26T15:01:01.79", "2022-12-23 18:09:00+04:00", "...Z") and
 * "--MM-DD" (no year). Fills norm[32] with the normalised form and key[15]
 * with "YYYYMMDDhhmmss" in UTC ("" without a year). */
bool date_parse_iso(const char *s, char norm[32], char key[15]);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates);
 * otherwise *bad gets the offset of the first bad byte. */
bool utf8_valid(const char *s, size_t n, size_t *bad);

/* The length of the well-formed UTF-8 character that starts s (1 to 4,
 * at most n), or 0 when s[0..n) does not start with one. */
size_t utf8_char_len(const char *s, size_t n);

/* A piece of untrusted text fit to quote in a message: the start of s, at
 * most size - 1 bytes, cut on a character boundary, with each control
 * character and each byte that is not UTF-8 shown as '?'. So a message
 * quoting it stays UTF-8 (a JSON reply can carry it) and a terminal shows
 * it without obeying it. Returns out (size >= 1). */
char *utf8_excerpt(char *out, size_t size, const char *s);

#ifdef __cplusplus
}
#endif

#endif
