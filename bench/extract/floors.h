/* floors: the figures a change must not fall below, from a checked-in
 * file (bench/extract/floors.txt). One rule a line, '#' starts a comment:
 *
 *   SET FIELD N         at least N pages pass FIELD      (text title 36)
 *   SET FIELD N%        at least N% of the scored pages  (text title 55%)
 *   SET body_f1 N%      the mean body F1 is at least N/100
 *   SET invented.KIND <=N    at most N pages with an invented KIND value
 *   SET invented.KIND <=N%   at most N% of the pages
 *
 * SET is text or html; FIELD one of checks.h's field names; KIND one of
 * its invented kinds. */
#ifndef LEDE_EVAL_FLOORS_H
#define LEDE_EVAL_FLOORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tally.h"

typedef enum floor_metric { FLOOR_FIELD, FLOOR_F1, FLOOR_INVENTED } floor_metric_t;

typedef struct floor_rule {
    char set[8];
    floor_metric_t metric;
    int index;    /* the field or invented kind */
    bool percent; /* the bound is a percentage */
    double bound;
    unsigned line;
} floor_rule_t;

typedef struct floors {
    char *path;
    floor_rule_t *v;
    size_t n;
} floors_t;

/* Reads the floors file. On failure returns false with "path:line:
 * reason" in err; either way the caller frees f with floors_free(). */
bool floors_load(const char *path, floors_t *f, char *err, size_t size);
void floors_free(floors_t *f);

/* Checks the rules for set `name` against its tally, printing one line to
 * msgs for each broken rule ("text title: 30/65 pages (46.2%), below its
 * floor 36 (floors.txt:12)"). Returns how many were broken. */
size_t floors_check(const floors_t *f, const char *name, const tally_t *t, FILE *msgs);

#endif
