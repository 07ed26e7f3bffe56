/* Search replies at a terminal: numbered hits, then the totals. */
#include <string.h>

#include "term.h"

/* Columns of the longest bar of the timeline facet. */
#define TIMELINE_BAR_COLS 40

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

/* The timeline facet, one period a line in date order, with a bar as long
 * as its count relative to the largest:
 *   1987-02  ██         3
 */
static void put_timeline(FILE *out, const render_opts_t *o, json_t *periods) {
    long long most = 1;
    const char *period;
    json_t *count;
    json_object_foreach(periods, period, count) {
        if (json_integer_value(count) > most) most = json_integer_value(count);
    }
    fprintf(out, "%stimeline:%s\n", term_sgr(o, TERM_BOLD), term_sgr(o, TERM_RESET));
    json_object_foreach(periods, period, count) {
        long long n = json_integer_value(count);
        int len = n > 0 ? (int)((n * TIMELINE_BAR_COLS + most - 1) / most) : 0;
        fprintf(out, "  %-10s ", period);
        for (int i = 0; i < len; i++) fputs("█", out);
        fprintf(out, "%*s %lld\n", TIMELINE_BAR_COLS - len, "", n);
    }
}

static void put_facets(FILE *out, const render_opts_t *o, json_t *facets) {
    const char *name;
    json_t *values;
    json_object_foreach(facets, name, values) {
        if (!strcmp(name, "timeline")) {
            put_timeline(out, o, values);
            continue;
        }
        fprintf(out, "%s%s:%s", term_sgr(o, TERM_BOLD), name, term_sgr(o, TERM_RESET));
        const char *value;
        json_t *count;
        json_object_foreach(values, value, count)
            fprintf(out, "  %s (%lld)", value, (long long)json_integer_value(count));
        fputc('\n', out);
    }
}

/* A headline the indexer made from the first sentence (the article had
 * none) is not set in bold, and says what it is. */
static void put_hit(FILE *out, const render_opts_t *o, json_t *hit) {
    bool made = json_is_true(json_object_get(hit, "title_from_body"));
    fprintf(out, "%3lld. %s%s%s", (long long)json_integer_value(json_object_get(hit, "rank")),
            made ? "" : term_sgr(o, TERM_BOLD), term_str(hit, "title"),
            made ? "" : term_sgr(o, TERM_RESET));
    if (made)
        fprintf(out, " %s(no headline: its first sentence)%s", term_sgr(o, TERM_DIM),
                term_sgr(o, TERM_RESET));
    fputc('\n', out);
    put_byline(out, o, hit);
    if (*term_str(hit, "snippet")) term_wrap(out, o, term_str(hit, "snippet"));
    fprintf(out, "%*s%s[%s]%s\n\n", TERM_INDENT, "", term_sgr(o, TERM_DIM), term_str(hit, "id"),
            term_sgr(o, TERM_RESET));
}

/* "1–10 of 73 results (0.4 ms)", "1–10 of about 670 results" when the
 * total is Xapian's estimate (total_exact false), or "no results past 73"
 * for an offset past the end. */
static void put_totals(FILE *out, json_t *reply, long long offset) {
    json_t *hits = json_object_get(reply, "hits");
    double took_ms = json_real_value(json_object_get(reply, "took_ms"));
    long long total = json_integer_value(json_object_get(reply, "total"));
    const char *about = json_is_false(json_object_get(reply, "total_exact")) ? "about " : "";
    const char *s = total == 1 && !*about ? "" : "s";
    size_t shown = json_array_size(hits);
    if (!shown && total > 0 && offset > 0) {
        fprintf(out, "no results past %s%lld (%s%lld result%s in all; --offset %lld)\n", about,
                total, about, total, s, offset);
    } else if (shown && (long long)shown < total) {
        long long first = json_integer_value(json_object_get(json_array_get(hits, 0), "rank"));
        long long last = first + (long long)shown - 1;
        if (first == last)
            fprintf(out, "%lld of %s%lld results (%.1f ms)\n", first, about, total, took_ms);
        else
            fprintf(out, "%lld–%lld of %s%lld results (%.1f ms)\n", first, last, about, total,
                    took_ms);
    } else {
        fprintf(out, "%s%lld result%s (%.1f ms)\n", about, total, s, took_ms);
    }
}

/* The hits are those of a corrected query: say which, and how to search
 * for what was typed. */
static void put_corrected(FILE *out, const render_opts_t *o, json_t *corrected) {
    fprintf(out, "Showing results for %s%s%s. Search instead for %s (with --exact)\n\n",
            term_sgr(o, TERM_BOLD), term_str(corrected, "q"), term_sgr(o, TERM_RESET),
            term_str(corrected, "from"));
}

void render_search(FILE *out, const render_opts_t *o, json_t *reply, long long offset) {
    json_t *hit;
    size_t i;
    json_t *corrected = json_object_get(reply, "corrected");
    if (json_is_object(corrected)) put_corrected(out, o, corrected);
    if (json_is_true(json_object_get(reply, "query_fallback")))
        fprintf(out, "%sThe query has a syntax error; its words were searched instead.%s\n\n",
                term_sgr(o, TERM_DIM), term_sgr(o, TERM_RESET));
    if (json_is_true(json_object_get(reply, "relaxed")))
        fprintf(out,
                "%sFew or no articles have all the words: those with some of them follow.%s\n\n",
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
