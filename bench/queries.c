/* The query file: one query or JSON request per line, to request lines. */
#include "queries.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MODE_NAMES[] = {"ids", "page"};

bool bench_mode_parse(const char *name, bench_mode_t *out) {
    for (int m = BENCH_MODE_IDS; m <= BENCH_MODE_PAGE; m++)
        if (strcmp(name, MODE_NAMES[m]) == 0) return *out = (bench_mode_t)m, true;
    return false;
}

const char *bench_mode_name(bench_mode_t mode) {
    return MODE_NAMES[mode == BENCH_MODE_PAGE];
}

/* Sets key on a search request unless the request already has it. */
static void set_default(json_t *req, const char *key, json_t *value) {
    if (json_object_get(req, key))
        json_decref(value);
    else
        json_object_set_new(req, key, value);
}

/* The fields the mode asks for, added where req does not set them. */
static void add_mode_fields(json_t *req, bench_mode_t mode) {
    bool page = mode == BENCH_MODE_PAGE;
    /* Every word must match, as in Sphinx's queries: lede's default would
     * search a query that matches nothing again with any word. */
    set_default(req, "match", json_string("all"));
    set_default(req, "limit", json_integer(BENCH_PAGE_LIMIT));
    set_default(req, "snippet", json_boolean(page));
    set_default(req, "suggest", json_boolean(page));
    if (page) set_default(req, "facets", json_pack("[sss]", "source", "category", "year"));
}

static char *dumped(json_t *req) {
    char *text = req ? json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(req);
    return text;
}

/* One line of the file (no line end) to a request line; NULL when out of
 * memory. */
static char *request_line(const char *line, bench_mode_t mode, bool as_is) {
    if (line[0] != '{') {
        json_t *req = json_pack("{ssss}", "op", "search", "q", line);
        if (req) add_mode_fields(req, mode);
        return dumped(req);
    }
    json_t *req = as_is ? NULL : json_loads(line, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(req)) {
        json_decref(req);
        return strdup(line);
    }
    const char *op = json_string_value(json_object_get(req, "op"));
    if (op && strcmp(op, "search") == 0) add_mode_fields(req, mode);
    return dumped(req);
}

static bool append(bench_queries_t *q, size_t *cap, char *line) {
    if (q->n == *cap) {
        size_t grown = *cap ? *cap * 2 : 256;
        char **lines = realloc(q->lines, grown * sizeof *lines);
        if (!lines) return false;
        q->lines = lines, *cap = grown;
    }
    q->lines[q->n++] = line;
    return true;
}

/* Strips the line end; true when something is left. */
static bool chomp(char *line) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    return strspn(line, " \t") < n;
}

typedef struct lede_line_arg {
    bench_mode_t mode;
    bool as_is;
} lede_line_arg_t;

static char *lede_line(const char *line, void *arg, char *err, size_t size) {
    const lede_line_arg_t *a = arg;
    char *req = request_line(line, a->mode, a->as_is);
    if (!req) snprintf(err, size, "out of memory");
    return req;
}

bool bench_queries_load(const char *path, bench_mode_t mode, bool as_is, bench_queries_t *out,
                        char *err, size_t size) {
    lede_line_arg_t arg = {mode, as_is};
    return bench_queries_load_with(path, lede_line, &arg, out, err, size);
}

/* Turns one line and appends it; false with a message in err. */
static bool add_line(bench_queries_t *q, size_t *cap, const char *path, size_t line_no,
                     const char *line, bench_line_fn *fn, void *arg, char *err, size_t size) {
    char why[512];
    char *req = fn(line, arg, why, sizeof why);
    if (!req) return snprintf(err, size, "%s:%zu: %s", path, line_no, why), false;
    if (append(q, cap, req)) return true;
    free(req);
    snprintf(err, size, "out of memory");
    return false;
}

bool bench_queries_load_with(const char *path, bench_line_fn *fn, void *arg, bench_queries_t *out,
                             char *err, size_t size) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) return snprintf(err, size, "%s: %s", path, strerror(errno)), false;
    char *line = NULL;
    size_t len = 0, cap = 0, line_no = 0;
    bool ok = true;
    while (ok && getline(&line, &len, f) != -1) {
        line_no++;
        if (chomp(line)) ok = add_line(out, &cap, path, line_no, line, fn, arg, err, size);
    }
    if (ok && ferror(f))
        ok = false, snprintf(err, size, "%s: read error", path);
    else if (ok && !out->n)
        ok = false, snprintf(err, size, "%s: no query in the file", path);
    free(line);
    fclose(f);
    if (!ok) bench_queries_free(out);
    return ok;
}

void bench_queries_free(bench_queries_t *q) {
    for (size_t i = 0; i < q->n; i++) free(q->lines[i]);
    free(q->lines);
    memset(q, 0, sizeof *q);
}
