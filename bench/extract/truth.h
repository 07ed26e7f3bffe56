/* truth: the hand-written truth of extraction-dev (truth-*.jsonl), one
 * record per page, read and checked once so that the checks can rely on
 * every field's type. The meaning of each field is in
 * extraction-dev/README.md ("Truth fields"). */
#ifndef LEDE_EVAL_TRUTH_H
#define LEDE_EVAL_TRUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "lede/status.h"
#include "util.h"

typedef struct truth_page {
    char *file;  /* as written: "x.txt" or "text/x.txt" */
    char *id;    /* the document id: the file name without directory and
                  * extension (.txt, .html, .htm, each also with .gz) */
    char *page;  /* (HTML) Readability's test-page name, or NULL */
    char *group; /* "" when absent */
    char *host;  /* "" when absent */
    bool truncated;
    char *title; /* NULL: the page shows no headline */
    ev_strv_t title_alt;
    ev_strv_t author;
    ev_strvv_t author_alt;
    char *date, *tz; /* NULL when absent */
    char *source;
    ev_strv_t source_alt;
    bool source_in_text;
    char *category; /* NULL: no section shown */
    ev_strv_t category_alt;
    ev_strv_t place;
    ev_strvv_t place_alt;
    char *first_body, *last_body;
    ev_strv_t first_body_alt, last_body_alt;
    ev_strv_t furniture, captions, meta_lines, sidebar;
    long sidebar_items;
    ev_strv_t unjudged;
    unsigned line; /* in the truth file, for messages */
} truth_page_t;

typedef struct truth_set {
    truth_page_t *v;
    size_t n;
} truth_set_t;

/* Reads the JSON Lines file at path. On failure returns a status with
 * "path:line: reason" in err (e.g. "field 'author' must be an array of
 * strings"); either way the caller frees set with truth_free(). */
lede_status_t truth_load(const char *path, truth_set_t *set, lede_err_t *err);
void truth_free(truth_set_t *set);

/* True when the truth marks `field` as not judged on this page. */
bool truth_unjudged(const truth_page_t *p, const char *field);

/* The document id of a page file name (see truth_page_t.id). Caller frees. */
char *truth_id_of(const char *file);

#endif
