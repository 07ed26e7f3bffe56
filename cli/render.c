/* Search replies at a terminal: numbered hits, then the totals. */
#include <string.h>

#include "term.h"

/* "Source · 2023-04-12 · Author" */
static void put_byline(FILE *out, const render_opts_t *o, json_t *hit) {
    const char *parts[] = {term_str(hit, "source"), term_str(hit, "date"), term_str(hit, "author")};
    char line[1024] = "";
    for (size_t i = 0; i < 3; i++) {
        if (!*parts[i]) continue;
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "%s%.*s", *line ? " · " : "", i == 1 ? 10 : 300,
                 parts[i]); /* the day of a date-time */
    }
    if (*line)
        fprintf(out, "%*s%s%s%s\n", TERM_INDENT, "", term_sgr(o, TERM_DIM), line,
                term_sgr(o, TERM_RESET));
}

static void put_facets(FILE *out, const render_opts_t *o, json_t *facets) {
    const char *name;
    json_t *values;
    json_object_foreach(facets, name, values) {
        fprintf(out, "%s%s:%s", term_sgr(o, TERM_BOLD), name, term_sgr(o, TERM_RESET));
        const char *value;
        json_t *count;
        json_object_foreach(values, value, count)
            fprintf(out, "  %s (%lld)", value, (long long)json_integer_value(count));
        fputc('\n', out);
    }
}

static void put_hit(FILE *out, const render_opts_t *o, json_t *hit) {
    fprintf(out, "%3lld. %s%s%s\n", (long long)json_integer_value(json_object_get(hit, "rank")),
            term_sgr(o, TERM_BOLD), term_str(hit, "title"), term_sgr(o, TERM_RESET));
    put_byline(out, o, hit);
    if (*term_str(hit, "snippet")) term_wrap(out, o, term_str(hit, "snippet"));
    fprintf(out, "%*s%s[%s]%s\n\n", TERM_INDENT, "", term_sgr(o, TERM_DIM), term_str(hit, "id"),
            term_sgr(o, TERM_RESET));
}

/* "1–10 of 73 results (0.4 ms)", or "no results past 73" for an offset
 * past the end. */
static void put_totals(FILE *out, json_t *reply, long long offset) {
    json_t *hits = json_object_get(reply, "hits");
    double took_ms = json_real_value(json_object_get(reply, "took_ms"));
    long long total = json_integer_value(json_object_get(reply, "total"));
    size_t shown = json_array_size(hits);
    if (!shown && total > 0 && offset > 0) {
        fprintf(out, "no results past %lld (%lld result%s in all; --offset %lld)\n", total, total,
                total == 1 ? "" : "s", offset);
    } else if (shown && (long long)shown < total) {
        long long first = json_integer_value(json_object_get(json_array_get(hits, 0), "rank"));
        long long last = first + (long long)shown - 1;
        if (first == last)
            fprintf(out, "%lld of %lld results (%.1f ms)\n", first, total, took_ms);
        else
            fprintf(out, "%lld–%lld of %lld results (%.1f ms)\n", first, last, total, took_ms);
    } else {
        fprintf(out, "%lld result%s (%.1f ms)\n", total, total == 1 ? "" : "s", took_ms);
    }
}

void render_search(FILE *out, const render_opts_t *o, json_t *reply, long long offset) {
    json_t *hit;
    size_t i;
    if (json_is_true(json_object_get(reply, "relaxed")))
        fprintf(out, "%sNo article has all the words; these have some of them.%s\n\n",
                term_sgr(o, TERM_DIM), term_sgr(o, TERM_RESET));
    json_array_foreach(json_object_get(reply, "hits"), i, hit) put_hit(out, o, hit);
    put_totals(out, reply, offset);
    const char *suggestion = term_str(reply, "suggestion");
    if (*suggestion)
        fprintf(out, "Did you mean: %s%s%s\n", term_sgr(o, TERM_BOLD), suggestion,
                term_sgr(o, TERM_RESET));
    json_t *facets = json_object_get(reply, "facets");
    if (facets && json_object_size(facets)) {
        fputc('\n', out);
        put_facets(out, o, facets);
    }
}
