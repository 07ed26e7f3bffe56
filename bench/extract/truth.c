/* Reading and checking the truth files (truth.h). */
#include "truth.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

/* Where a record is being read, and the first problem found in it: the
 * getters below do nothing once st is set (a sticky error). */
typedef struct reader {
    const json_t *obj;
    lede_status_t st;
    lede_err_t err;
} reader_t;

/* A string field; NULL when it is absent or null and may be. */
static char *get_string(reader_t *r, const char *name, bool required, bool nullable) {
    json_t *v = json_object_get(r->obj, name);
    if (r->st) return NULL;
    if (json_is_string(v)) return ev_xstrdup(json_string_value(v));
    if (!v && !required) return NULL;
    if (json_is_null(v) && nullable) return NULL;
    r->st = lede_errf(&r->err, LEDE_E_INVALID,
                      v ? "field '%s' must be a string%s" : "missing field '%s'%s", name,
                      v && nullable ? " or null" : "");
    return NULL;
}

/* Appends the strings of arr to out; false when arr is not an array of
 * strings. */
static bool read_strings(const json_t *arr, ev_strv_t *out) {
    size_t i;
    json_t *item;
    if (!json_is_array(arr)) return false;
    json_array_foreach(arr, i, item) {
        if (!json_is_string(item)) return false;
        ev_strv_push(out, json_string_value(item));
    }
    return true;
}

/* An array of strings; absent means empty unless required. */
static void get_strings(reader_t *r, const char *name, bool required, ev_strv_t *out) {
    json_t *v = json_object_get(r->obj, name);
    if (r->st || (!v && !required)) return;
    if (!v)
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "missing field '%s'", name);
    else if (!read_strings(v, out))
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "field '%s' must be an array of strings", name);
}

/* An array of arrays of strings (the alternatives of a set). */
static void get_string_sets(reader_t *r, const char *name, ev_strvv_t *out) {
    size_t i;
    json_t *item, *v = json_object_get(r->obj, name);
    if (r->st || !v) return;
    if (!json_is_array(v)) {
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "field '%s' must be an array of arrays", name);
        return;
    }
    json_array_foreach(v, i, item) {
        if (!read_strings(item, ev_strvv_add(out))) {
            r->st = lede_errf(&r->err, LEDE_E_INVALID,
                              "field '%s' item %zu must be an array of strings", name, i + 1);
            return;
        }
    }
}

static bool get_bool(reader_t *r, const char *name, bool required) {
    json_t *v = json_object_get(r->obj, name);
    if (r->st) return false;
    if (json_is_boolean(v)) return json_is_true(v);
    if (v || required)
        r->st = lede_errf(&r->err, LEDE_E_INVALID,
                          v ? "field '%s' must be true or false" : "missing field '%s'", name);
    return false;
}

static long get_count(reader_t *r, const char *name) {
    json_t *v = json_object_get(r->obj, name);
    if (r->st) return 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0) return (long)json_integer_value(v);
    if (v)
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "field '%s' must be a whole number >= 0", name);
    return 0;
}

static bool ends_with(const char *s, size_t len, const char *tail) {
    size_t n = strlen(tail);
    return len >= n && strncmp(s + len - n, tail, n) == 0;
}

char *truth_id_of(const char *file) {
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t len = strlen(base);
    if (ends_with(base, len, ".gz")) len -= 3;
    static const char *const EXTS[] = {".txt", ".html", ".htm"};
    for (size_t i = 0; i < sizeof EXTS / sizeof *EXTS; i++)
        if (ends_with(base, len, EXTS[i])) {
            len -= strlen(EXTS[i]);
            break;
        }
    return ev_xstrndup(base, len);
}

static void check_dates(reader_t *r, const truth_page_t *p) {
    dates_when_t w;
    int east;
    if (!dates_parse(p->date, &w))
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "field 'date': cannot read '%s'", p->date);
    else if (p->tz && !dates_parse_tz(p->tz, &east))
        r->st = lede_errf(&r->err, LEDE_E_INVALID, "field 'tz': cannot read '%s'", p->tz);
}

static void read_fields(reader_t *r, truth_page_t *p) {
    char *group = get_string(r, "group", false, false), *host = get_string(r, "host", false, false);
    p->group = group ? group : ev_xstrdup("");
    p->host = host ? host : ev_xstrdup("");
    p->page = get_string(r, "page", false, false);
    p->truncated = get_bool(r, "truncated", false);
    p->title = get_string(r, "title", true, true);
    get_strings(r, "title_alt", false, &p->title_alt);
    get_strings(r, "author", true, &p->author);
    get_string_sets(r, "author_alt", &p->author_alt);
    p->date = get_string(r, "date", true, true);
    p->tz = get_string(r, "tz", false, true);
    p->source = get_string(r, "source", true, false);
    get_strings(r, "source_alt", false, &p->source_alt);
    p->source_in_text = get_bool(r, "source_in_text", true);
    p->category = get_string(r, "category", true, true);
    get_strings(r, "category_alt", false, &p->category_alt);
    get_strings(r, "place", true, &p->place);
    get_string_sets(r, "place_alt", &p->place_alt);
    p->first_body = get_string(r, "first_body_words", true, false);
    p->last_body = get_string(r, "last_body_words", true, false);
    get_strings(r, "first_body_alt", false, &p->first_body_alt);
    get_strings(r, "last_body_alt", false, &p->last_body_alt);
    get_strings(r, "furniture", true, &p->furniture);
    get_strings(r, "captions", true, &p->captions);
    get_strings(r, "meta_lines", true, &p->meta_lines);
    get_strings(r, "sidebar", true, &p->sidebar);
    p->sidebar_items = get_count(r, "sidebar_items");
    get_strings(r, "unjudged", false, &p->unjudged);
    if (!r->st) check_dates(r, p);
}

/* Reads one line into p (already zeroed). */
static lede_status_t read_page(const char *line, truth_page_t *p, lede_err_t *err) {
    json_error_t je;
    json_t *obj = json_loads(line, 0, &je);
    reader_t r = {obj, LEDE_OK, {""}};
    if (!obj)
        r.st = lede_errf(&r.err, LEDE_E_INVALID, "malformed JSON at column %d: %s", je.column,
                         je.text);
    else if (!json_is_object(obj))
        r.st = lede_errf(&r.err, LEDE_E_INVALID, "a record must be a JSON object");
    if (!r.st && (p->file = get_string(&r, "file", true, false)) != NULL) {
        p->id = truth_id_of(p->file);
        if (!*p->id)
            r.st = lede_errf(&r.err, LEDE_E_INVALID, "field 'file': no page name in '%s'", p->file);
        read_fields(&r, p);
    }
    json_decref(obj);
    if (r.st) *err = r.err;
    return r.st;
}

static bool blank(const char *s) {
    return s[strspn(s, " \t\r\n")] == '\0';
}

lede_status_t truth_load(const char *path, truth_set_t *set, lede_err_t *err) {
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    lede_status_t st = LEDE_OK;
    *set = (truth_set_t){0};
    FILE *f = fopen(path, "r");
    if (!f) return lede_errf(err, LEDE_E_OPEN, "%s: cannot open", path);
    while (!st && getline(&line, &cap, f) != -1) {
        lineno++;
        if (blank(line)) continue;
        set->v = ev_xrealloc(set->v, (set->n + 1) * sizeof *set->v);
        truth_page_t *p = memset(&set->v[set->n++], 0, sizeof *set->v);
        p->line = lineno;
        if ((st = read_page(line, p, err)) != LEDE_OK)
            lede_err_context(err, st, "%s:%u", path, lineno);
    }
    free(line);
    fclose(f);
    if (!st && set->n == 0) st = lede_errf(err, LEDE_E_INVALID, "%s: no pages", path);
    return st;
}

static void page_free(truth_page_t *p) {
    char *strs[] = {p->file, p->id, p->page,   p->group,    p->host,       p->title,
                    p->date, p->tz, p->source, p->category, p->first_body, p->last_body};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(strs[i]);
    ev_strv_t *lists[] = {&p->title_alt, &p->author,         &p->source_alt,    &p->category_alt,
                          &p->place,     &p->first_body_alt, &p->last_body_alt, &p->furniture,
                          &p->captions,  &p->meta_lines,     &p->sidebar,       &p->unjudged};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) ev_strv_free(lists[i]);
    ev_strvv_free(&p->author_alt);
    ev_strvv_free(&p->place_alt);
}

void truth_free(truth_set_t *set) {
    for (size_t i = 0; i < set->n; i++) page_free(&set->v[i]);
    free(set->v);
    *set = (truth_set_t){0};
}

bool truth_unjudged(const truth_page_t *p, const char *field) {
    for (size_t i = 0; i < p->unjudged.n; i++)
        if (strcmp(p->unjudged.v[i], field) == 0) return true;
    return false;
}
