/* Terminal output: wrapped, highlighted, coloured only on a terminal. */
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lede/search.h"

#define DEFAULT_WIDTH 80
#define MAX_WIDTH 120 /* past this, lines are too long to read */
#define INDENT 4

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define HILITE "\033[1;33m"
#define RESET "\033[0m"

render_opts_t render_detect(FILE *out) {
    render_opts_t o = {false, DEFAULT_WIDTH};
    int fd = fileno(out);
    const char *no_color = getenv("NO_COLOR");
    o.color = isatty(fd) && !(no_color && *no_color);
    struct winsize ws;
    if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) o.width = ws.ws_col;
    if (o.width > MAX_WIDTH) o.width = MAX_WIDTH;
    return o;
}

static const char *str(json_t *obj, const char *key) {
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* Display columns of a UTF-8 string (continuation bytes do not count). */
static int columns(const char *s, size_t n) {
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != SEARCH_HI_START[0] &&
            s[i] != SEARCH_HI_END[0])
            cols++;
    return cols;
}

/* Writes one word, turning highlight markers into colour (or nothing). */
static void put_word(FILE *out, const render_opts_t *o, const char *w, size_t n, bool *in_hi) {
    for (size_t i = 0; i < n; i++) {
        if (w[i] == SEARCH_HI_START[0] || w[i] == SEARCH_HI_END[0]) {
            *in_hi = w[i] == SEARCH_HI_START[0];
            if (o->color) fputs(*in_hi ? HILITE : RESET, out);
            continue;
        }
        fputc(w[i], out);
    }
}

/* Word-wraps text at the width, every line indented. */
static void put_wrapped(FILE *out, const render_opts_t *o, const char *text) {
    int col = 0, limit = o->width - INDENT;
    bool in_hi = false;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t') p++;
        size_t n = strcspn(p, " \n\t");
        if (n == 0) break;
        int w = columns(p, n);
        if (col > 0 && col + 1 + w > limit) {
            if (in_hi && o->color) fputs(RESET, out);
            fprintf(out, "\n%*s", INDENT, "");
            if (in_hi && o->color) fputs(HILITE, out);
            col = 0;
        } else if (col > 0) {
            fputc(' ', out), col++;
        } else {
            fprintf(out, "%*s", INDENT, "");
        }
        put_word(out, o, p, n, &in_hi);
        col += w;
        p += n;
    }
    if (o->color) fputs(RESET, out);
    fputc('\n', out);
}

/* "Source · 2023-04-12 · Author" */
static void put_byline(FILE *out, const render_opts_t *o, json_t *hit) {
    const char *parts[] = {str(hit, "source"), str(hit, "date"), str(hit, "author")};
    char line[1024] = "";
    for (size_t i = 0; i < 3; i++) {
        if (!*parts[i]) continue;
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "%s%.*s", *line ? " · " : "",
                 i == 1 ? 10 : 300, parts[i]); /* the day of a date-time */
    }
    if (*line) fprintf(out, "%*s%s%s%s\n", INDENT, "", o->color ? DIM : "", line, o->color ? RESET : "");
}

static void put_facets(FILE *out, const render_opts_t *o, json_t *facets) {
    const char *name;
    json_t *values;
    json_object_foreach(facets, name, values) {
        fprintf(out, "%s%s:%s", o->color ? BOLD : "", name, o->color ? RESET : "");
        const char *value;
        json_t *count;
        json_object_foreach(values, value, count)
            fprintf(out, "  %s (%lld)", value, (long long)json_integer_value(count));
        fputc('\n', out);
    }
}

void render_search(FILE *out, const render_opts_t *o, json_t *reply, double took_ms) {
    json_t *hits = json_object_get(reply, "hits"), *hit;
    size_t i;
    if (json_is_true(json_object_get(reply, "relaxed")))
        fprintf(out, "%sNo article has all the words; these have some of them.%s\n\n", o->color ? DIM : "",
                o->color ? RESET : "");
    json_array_foreach(hits, i, hit) {
        fprintf(out, "%3lld. %s%s%s\n", (long long)json_integer_value(json_object_get(hit, "rank")),
                o->color ? BOLD : "", str(hit, "title"), o->color ? RESET : "");
        put_byline(out, o, hit);
        if (*str(hit, "snippet")) put_wrapped(out, o, str(hit, "snippet"));
        fprintf(out, "%*s%s[%s]%s\n\n", INDENT, "", o->color ? DIM : "", str(hit, "id"),
                o->color ? RESET : "");
    }
    long long total = json_integer_value(json_object_get(reply, "total"));
    size_t shown = json_array_size(hits);
    if (shown && (long long)shown < total) {
        long long first = json_integer_value(json_object_get(json_array_get(hits, 0), "rank"));
        long long last = first + (long long)shown - 1;
        if (first == last) fprintf(out, "%lld of %lld results (%.1f ms)\n", first, total, took_ms);
        else fprintf(out, "%lld–%lld of %lld results (%.1f ms)\n", first, last, total, took_ms);
    } else {
        fprintf(out, "%lld result%s (%.1f ms)\n", total, total == 1 ? "" : "s", took_ms);
    }
    const char *suggestion = str(reply, "suggestion");
    if (*suggestion) fprintf(out, "Did you mean: %s%s%s\n", o->color ? BOLD : "", suggestion, o->color ? RESET : "");
    json_t *facets = json_object_get(reply, "facets");
    if (facets && json_object_size(facets)) {
        fputc('\n', out);
        put_facets(out, o, facets);
    }
}

void render_document(FILE *out, const render_opts_t *o, json_t *doc) {
    fprintf(out, "%s%s%s\n", o->color ? BOLD : "", str(doc, "title"), o->color ? RESET : "");
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (strcmp(key, "title") == 0 || strcmp(key, "body") == 0) continue;
        char *text = json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT);
        fprintf(out, "%s%-9s%s %s\n", o->color ? DIM : "", key, o->color ? RESET : "", text ? text : "");
        free(text);
    }
    const char *body = str(doc, "body");
    if (*body) {
        fputc('\n', out);
        for (const char *p = body; *p;) {
            size_t n = strcspn(p, "\n");
            char *para = strndup(p, n);
            if (para && *para) put_wrapped(out, o, para);
            else if (para) fputc('\n', out);
            free(para);
            p += n + (p[n] == '\n');
        }
    }
}
