/* Comparing a sharded daemon's replies with a monolithic one's. */
#include "shard_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd_client.h"

const char *const SC_SEARCH_MEMBERS[] = {
    "ok",        "error.code", "total",          "total_exact", "facets", "suggestion",
    "corrected", "relaxed",    "query_fallback", "partial",     NULL};

static char why[1024];

static bool same_score(json_t *x, json_t *y) {
    double a = json_number_value(json_object_get(x, "score"));
    double b = json_number_value(json_object_get(y, "score"));
    return fabs(a - b) <= SC_SCORE_REL * fmax(fabs(a), fabs(b));
}

/* Whether two hits of one reply may be in either order. */
static bool tied(json_t *x, json_t *y, bool by_date) {
    return same_score(x, y) &&
           (!by_date || json_equal(json_object_get(x, "date"), json_object_get(y, "date")));
}

/* A hit without what depends on its place (rank) or is compared apart
 * (score). Caller frees. */
static json_t *hit_body(json_t *hit) {
    json_t *copy = json_deep_copy(hit);
    json_object_del(copy, "rank");
    json_object_del(copy, "score");
    return copy;
}

static bool same_hit(json_t *x, json_t *y) {
    json_t *a = hit_body(x), *b = hit_body(y);
    bool same = same_score(x, y) && json_equal(a, b);
    json_decref(a), json_decref(b);
    return same;
}

/* The hit of b[from, to) whose id is id's, or NULL. */
static json_t *find_hit(json_t *b, size_t from, size_t to, json_t *id) {
    for (size_t k = from; k < to; k++)
        if (json_equal(json_object_get(json_array_get(b, k), "id"), id))
            return json_array_get(b, k);
    return NULL;
}

static const char *diff_hits(json_t *a, json_t *b, bool by_date) {
    size_t n = json_array_size(a);
    if (n != json_array_size(b))
        return snprintf(why, sizeof why, "%zu hits, not %zu", json_array_size(b), n), why;
    for (size_t i = 0, end; i < n; i = end) {
        for (end = i + 1; end < n && tied(json_array_get(a, i), json_array_get(a, end), by_date);)
            end++;
        for (size_t k = i; k < end; k++) {
            json_t *want = json_array_get(a, k);
            json_t *got = find_hit(b, i, end, json_object_get(want, "id"));
            if (got && same_hit(want, got)) continue;
            char *w = json_dumps(want, JSON_COMPACT),
                 *g = got ? json_dumps(got, JSON_COMPACT) : NULL;
            snprintf(why, sizeof why,
                     "hit %zu (tied: %zu to %zu):\n    want %.400s\n    got  %.400s", k, i, end - 1,
                     w, g ? g : "(not among the tied hits)");
            free(w), free(g);
            return why;
        }
    }
    return NULL;
}

const char *sc_diff(json_t *a, json_t *b, const char *const *members, bool hits, bool by_date) {
    if (!a || !b)
        return snprintf(why, sizeof why, "no reply (%s)", a ? "shards" : "one index"), why;
    for (; members && *members; members++) {
        json_t *x = sd_get(a, *members), *y = sd_get(b, *members);
        if (x == y || (x && y && json_equal(x, y))) continue;
        char *xs = x ? json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        char *ys = y ? json_dumps(y, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        snprintf(why, sizeof why, "%s: %.400s, not %.400s", *members, ys ? ys : "(absent)",
                 xs ? xs : "(absent)");
        free(xs), free(ys);
        return why;
    }
    return hits ? diff_hits(json_object_get(a, "hits"), json_object_get(b, "hits"), by_date) : NULL;
}
