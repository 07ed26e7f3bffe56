/* Reading and checking the floors file (floors.h). */
#include "floors.h"

#include <stdlib.h>
#include <string.h>

#include "evalset.h"
#include "util.h"

#define INVENTED_PREFIX "invented."

/* Reads "N", "N%", with `at_most` also "<=N" and "<=N%". */
static bool parse_bound(const char *s, bool at_most, floor_rule_t *r) {
    if (at_most != (strncmp(s, "<=", 2) == 0)) return false;
    if (at_most) s += 2;
    char *end;
    r->bound = strtod(s, &end);
    if (end == s || r->bound < 0) return false;
    r->percent = *end == '%';
    if (r->percent) end++;
    return *end == '\0' && (!r->percent || r->bound <= 100);
}

static bool parse_metric(const char *s, floor_rule_t *r, const char **why) {
    if (strcmp(s, "body_f1") == 0) return r->metric = FLOOR_F1, true;
    if (strncmp(s, INVENTED_PREFIX, strlen(INVENTED_PREFIX)) == 0) {
        r->metric = FLOOR_INVENTED;
        r->index = check_invent_by_name(s + strlen(INVENTED_PREFIX));
        *why = "unknown invented kind";
        return r->index >= 0;
    }
    r->metric = FLOOR_FIELD;
    r->index = check_field_by_name(s);
    *why = "unknown field";
    return r->index >= 0;
}

/* Parses one rule line (comments stripped, not blank). */
static bool parse_rule(char *line, floor_rule_t *r, char *err, size_t size) {
    char *save = NULL, *set = strtok_r(line, " \t", &save);
    char *metric = strtok_r(NULL, " \t", &save), *bound = strtok_r(NULL, " \t", &save);
    const char *why = NULL;
    if (!bound || strtok_r(NULL, " \t", &save))
        return snprintf(err, size, "want 'SET FIELD BOUND'"), false;
    if (!evalset_known(set)) return snprintf(err, size, "unknown set '%s'", set), false;
    snprintf(r->set, sizeof r->set, "%s", set);
    if (!parse_metric(metric, r, &why)) return snprintf(err, size, "%s '%s'", why, metric), false;
    if (!parse_bound(bound, r->metric == FLOOR_INVENTED, r) ||
        (r->metric == FLOOR_F1 && !r->percent))
        return snprintf(err, size, "bad bound '%s' for %s (%s)", bound, metric,
                        r->metric == FLOOR_INVENTED ? "<=N or <=N%"
                        : r->metric == FLOOR_F1     ? "N%"
                                                    : "N or N%"),
               false;
    return true;
}

bool floors_load(const char *path, floors_t *f, char *err, size_t size) {
    *f = (floors_t){.path = ev_xstrdup(path)};
    FILE *in = fopen(path, "r");
    if (!in) return snprintf(err, size, "%s: cannot open", path), false;
    char *line = NULL, why[256];
    size_t cap = 0;
    bool ok = true;
    for (unsigned lineno = 1; ok && getline(&line, &cap, in) != -1; lineno++) {
        line[strcspn(line, "#\r\n")] = '\0';
        if (line[strspn(line, " \t")] == '\0') continue;
        floor_rule_t r = {.line = lineno};
        if (!(ok = parse_rule(line, &r, why, sizeof why))) {
            snprintf(err, size, "%s:%u: %s", path, lineno, why);
            break;
        }
        f->v = ev_xrealloc(f->v, (f->n + 1) * sizeof *f->v);
        f->v[f->n++] = r;
    }
    free(line);
    fclose(in);
    return ok;
}

void floors_free(floors_t *f) {
    free(f->path);
    free(f->v);
    *f = (floors_t){0};
}

/* The figure a rule bounds, in its unit, and a text for messages. */
static double figure(const floor_rule_t *r, const tally_t *t, char *text, size_t size) {
    if (r->metric == FLOOR_F1) {
        snprintf(text, size, "mean F1 %.3f", tally_f1(&t->all));
        return 100.0 * tally_f1(&t->all);
    }
    tally_counts_t c = r->metric == FLOOR_FIELD ? t->all.f[r->index] : t->all.invented[r->index];
    snprintf(text, size, "%zu/%zu pages (%.1f%%)", c.pass, c.total, tally_percent(c));
    return r->percent ? tally_percent(c) : (double)c.pass;
}

size_t floors_check(const floors_t *f, const char *name, const tally_t *t, FILE *msgs) {
    size_t broken = 0;
    for (size_t i = 0; i < f->n; i++) {
        const floor_rule_t *r = &f->v[i];
        if (strcmp(r->set, name) != 0) continue;
        char text[96];
        double got = figure(r, t, text, sizeof text);
        bool at_most = r->metric == FLOOR_INVENTED;
        /* A small tolerance: percentages are computed in floating point. */
        bool ok = at_most ? got <= r->bound + 1e-9 : got >= r->bound - 1e-9;
        if (ok) continue;
        broken++;
        fprintf(msgs, "%s %s%s: %s, %s %s%g%s (%s:%u)\n", name,
                r->metric == FLOOR_INVENTED ? INVENTED_PREFIX : "",
                r->metric == FLOOR_F1         ? "body_f1"
                : r->metric == FLOOR_INVENTED ? check_invent_name(r->index)
                                              : check_field_name(r->index),
                text, at_most ? "above its ceiling" : "below its floor", at_most ? "<=" : "",
                r->bound, r->percent ? "%" : "", f->path, r->line);
    }
    return broken;
}
