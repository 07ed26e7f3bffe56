/* The article model: JSON in, validation, JSON out (the stored payload). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/article.h"
#include "lede/json_build.h"

void article_init(lede_article_t *a) {
    memset(a, 0, sizeof *a);
}

void strv_free(lede_strv_t *v) {
    for (size_t i = 0; i < v->n; i++) free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

lede_status_t strv_push(lede_strv_t *v, const char *s) {
    char *copy = strdup(s);
    char **grown = copy ? realloc(v->v, (v->n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(copy);
        return LEDE_E_NOMEM;
    }
    grown[v->n++] = copy;
    v->v = grown;
    return LEDE_OK;
}

void article_free(lede_article_t *a) {
    free(a->id);
    free(a->title);
    free(a->body);
    free(a->source);
    free(a->category);
    free(a->url);
    free(a->language);
    free(a->date);
    strv_free(&a->authors);
    strv_free(&a->tags);
    strv_free(&a->places);
    json_decref(a->extra);
    article_init(a);
}

static bool blank(const char *s) {
    if (!s) return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
    return true;
}

/* ---- JSON in ---------------------------------------------------------- */

typedef enum { F_STRING, F_LIST, F_ID, F_BOOL } field_kind_t;

typedef struct {
    const char *name;
    field_kind_t kind;
    size_t offset; /* of the char *, lede_strv_t or bool member */
} field_t;

#define STR_FIELD(n, m)                                                                            \
    { n, F_STRING, offsetof(lede_article_t, m) }
#define LIST_FIELD(n, m)                                                                           \
    { n, F_LIST, offsetof(lede_article_t, m) }

/* The fields lede knows; "authors" is accepted as a synonym of "author". */
static const field_t FIELDS[] = {
    {"id", F_ID, offsetof(lede_article_t, id)},
    STR_FIELD("title", title),
    STR_FIELD("body", body),
    STR_FIELD("source", source),
    STR_FIELD("category", category),
    STR_FIELD("url", url),
    STR_FIELD("language", language),
    STR_FIELD("date", date),
    LIST_FIELD("author", authors),
    LIST_FIELD("authors", authors),
    LIST_FIELD("tags", tags),
    LIST_FIELD("places", places),
    {"title_from_body", F_BOOL, offsetof(lede_article_t, title_from_body)},
};

static const field_t *find_field(const char *name) {
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++)
        if (strcmp(FIELDS[i].name, name) == 0) return &FIELDS[i];
    return NULL;
}

static lede_status_t set_string(char **dst, const char *name, json_t *v, lede_err_t *err) {
    if (!json_is_string(v))
        return lede_errf(err, LEDE_E_INVALID, "field '%s' must be a string", name);
    free(*dst);
    *dst = strdup(json_string_value(v));
    return *dst ? LEDE_OK : LEDE_E_NOMEM;
}

/* An id may be a string or an integer; it is always stored as a string. */
static lede_status_t set_id(char **dst, json_t *v, lede_err_t *err) {
    if (json_is_integer(v)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *dst = strdup(buf);
        return *dst ? LEDE_OK : LEDE_E_NOMEM;
    }
    if (!json_is_string(v))
        return lede_errf(err, LEDE_E_INVALID, "field 'id' must be a string or an integer");
    return set_string(dst, "id", v, err);
}

/* A list field takes one string or an array of strings; empty items go. */
static lede_status_t set_list(lede_strv_t *dst, const char *name, json_t *v, lede_err_t *err) {
    if (json_is_string(v))
        return blank(json_string_value(v)) ? LEDE_OK : strv_push(dst, json_string_value(v));
    if (!json_is_array(v))
        return lede_errf(err, LEDE_E_INVALID, "field '%s' must be a string or an array of strings",
                         name);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item))
            return lede_errf(err, LEDE_E_INVALID, "field '%s' item %zu must be a string", name,
                             i + 1);
        if (blank(json_string_value(item))) continue;
        if (strv_push(dst, json_string_value(item)) != LEDE_OK) return LEDE_E_NOMEM;
    }
    return LEDE_OK;
}

static lede_status_t set_bool(bool *dst, const char *name, json_t *v, lede_err_t *err) {
    if (!json_is_boolean(v))
        return lede_errf(err, LEDE_E_INVALID, "field '%s' must be true or false", name);
    *dst = json_is_true(v);
    return LEDE_OK;
}

static lede_status_t set_field(lede_article_t *a, const field_t *f, json_t *v, lede_err_t *err) {
    void *member = (char *)a + f->offset;
    switch (f->kind) {
    case F_ID:
        return set_id(member, v, err);
    case F_STRING:
        return set_string(member, f->name, v, err);
    case F_LIST:
        return set_list(member, f->name, v, err);
    case F_BOOL:
        return set_bool(member, f->name, v, err);
    }
    return LEDE_E_INTERNAL;
}

static lede_status_t keep_extra(lede_article_t *a, const char *key, json_t *v) {
    if (!a->extra && !(a->extra = json_object())) return LEDE_E_NOMEM;
    return json_object_set(a->extra, key, v) == 0 ? LEDE_OK : LEDE_E_NOMEM;
}

static lede_status_t fill_from_object(lede_article_t *a, json_t *obj, lede_err_t *err) {
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const field_t *f = find_field(key);
        lede_status_t st;
        if (json_is_null(v)) continue; /* null means absent */
        st = f ? set_field(a, f, v, err) : keep_extra(a, key, v);
        if (st != LEDE_OK) return st;
    }
    return LEDE_OK;
}

/* jansson's messages are precise but long; keep them, with the column. */
static lede_status_t json_error(const json_error_t *e, lede_err_t *err) {
    if (strstr(e->text, "decode byte") || strstr(e->text, "UTF-8"))
        return lede_errf(err, LEDE_E_INVALID, "invalid UTF-8 at byte %d", e->position);
    if (strstr(e->text, "\\u0000"))
        return lede_errf(err, LEDE_E_INVALID, "NUL character (\\u0000) in a string at column %d",
                         e->column);
    char text[sizeof e->text]; /* jansson quotes the bad token: control bytes, cut anywhere */
    return lede_errf(err, LEDE_E_INVALID, "malformed JSON at column %d: %s", e->column,
                     utf8_excerpt(text, sizeof text, e->text));
}

lede_status_t article_from_json(const char *line, size_t len, lede_article_t *a, lede_err_t *err) {
    json_error_t jerr;
    article_init(a);
    json_t *obj = json_loadb(line, len, 0, &jerr);
    if (!obj) return json_error(&jerr, err);
    lede_status_t st = json_is_object(obj)
                           ? fill_from_object(a, obj, err)
                           : lede_errf(err, LEDE_E_INVALID, "a record must be a JSON object");
    json_decref(obj);
    if (st == LEDE_OK) st = article_validate(a, err);
    if (st != LEDE_OK) article_free(a);
    if (st == LEDE_E_NOMEM) lede_errf(err, LEDE_E_INVALID, "out of memory");
    return st;
}

/* ---- validation ------------------------------------------------------- */

static lede_status_t check_utf8(const char *name, const char *s, lede_err_t *err) {
    size_t bad;
    if (s && !utf8_valid(s, strlen(s), &bad))
        return lede_errf(err, LEDE_E_INVALID, "field '%s': invalid UTF-8 at byte %zu", name, bad);
    return LEDE_OK;
}

static lede_status_t check_list_utf8(const char *name, const lede_strv_t *v, lede_err_t *err) {
    for (size_t i = 0; i < v->n; i++)
        if (check_utf8(name, v->v[i], err) != LEDE_OK) return LEDE_E_INVALID;
    return LEDE_OK;
}

static lede_status_t check_all_utf8(const lede_article_t *a, lede_err_t *err) {
    const struct {
        const char *name;
        const char *value;
    } strs[] = {{"id", a->id},
                {"title", a->title},
                {"body", a->body},
                {"source", a->source},
                {"category", a->category},
                {"url", a->url},
                {"language", a->language},
                {"date", a->date}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (check_utf8(strs[i].name, strs[i].value, err) != LEDE_OK) return LEDE_E_INVALID;
    if (check_list_utf8("author", &a->authors, err) || check_list_utf8("tags", &a->tags, err) ||
        check_list_utf8("places", &a->places, err))
        return LEDE_E_INVALID;
    return LEDE_OK;
}

static lede_status_t normalise_date(lede_article_t *a, lede_err_t *err) {
    char norm[32];
    a->date_key[0] = '\0';
    if (blank(a->date)) {
        free(a->date);
        a->date = NULL;
        return LEDE_OK;
    }
    char shown[41];
    if (!date_parse_iso(a->date, norm, a->date_key))
        return lede_errf(err, LEDE_E_INVALID, "field 'date': cannot parse '%s' as an ISO 8601 date",
                         utf8_excerpt(shown, sizeof shown, a->date));
    free(a->date);
    a->date = strdup(norm);
    return a->date ? LEDE_OK : LEDE_E_NOMEM;
}

lede_status_t article_validate(lede_article_t *a, lede_err_t *err) {
    if (blank(a->id))
        return lede_errf(err, LEDE_E_INVALID, a->id ? "field 'id' is empty" : "missing field 'id'");
    if (strlen(a->id) > ARTICLE_MAX_ID_BYTES)
        return lede_errf(err, LEDE_E_INVALID, "field 'id' is longer than %d bytes",
                         ARTICLE_MAX_ID_BYTES);
    if (blank(a->title) && blank(a->body))
        return lede_errf(err, LEDE_E_INVALID, "no 'title' and no 'body'");
    if (check_all_utf8(a, err) != LEDE_OK) return LEDE_E_INVALID;
    return normalise_date(a, err);
}

/* ---- JSON out --------------------------------------------------------- */

/* A list of strings, unless it is empty (json_build.h: sticky error). */
static void put_list(json_build_t *b, json_t *obj, const char *key, const lede_strv_t *v) {
    if (v->n == 0) return;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < v->n; i++) jb_append(b, arr, json_string(v->v[i]));
    jb_set(b, obj, key, arr);
}

/* The whole article, or only the fields a search hit shows. */
static char *to_json(const lede_article_t *a, bool whole, size_t *len) {
    json_t *o = json_object();
    json_build_t b = {!o};
    jb_str(&b, o, "id", a->id);
    jb_str(&b, o, "title", a->title);
    if (a->title_from_body) jb_set(&b, o, "title_from_body", json_true());
    put_list(&b, o, "author", &a->authors);
    jb_str(&b, o, "source", a->source);
    jb_str(&b, o, "date", a->date);
    jb_str(&b, o, "category", a->category);
    if (whole) {
        put_list(&b, o, "tags", &a->tags);
        put_list(&b, o, "places", &a->places);
    }
    jb_str(&b, o, "url", a->url);
    if (whole) {
        jb_str(&b, o, "language", a->language);
        jb_str(&b, o, "body", a->body);
    }
    if (whole && a->extra) jb_set(&b, o, "extra", json_incref(a->extra));
    char *out = b.failed ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (out && len) *len = strlen(out);
    return out;
}

char *article_to_json(const lede_article_t *a, size_t *len) {
    return to_json(a, true, len);
}

char *article_summary_json(const lede_article_t *a, size_t *len) {
    return to_json(a, false, len);
}
