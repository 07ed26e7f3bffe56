/* Reading a page's documents from the index (docs.h). */
#include "docs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string member, NULL when absent, not a string, or empty. */
static char *member(const json_t *obj, const char *name) {
    const char *s = json_string_value(json_object_get(obj, name));
    return s && *s ? ev_xstrdup(s) : NULL;
}

/* A list member: an array of strings (others skipped) or one string. */
static void members(const json_t *obj, const char *name, ev_strv_t *out) {
    json_t *v = json_object_get(obj, name), *item;
    size_t i;
    if (json_is_string(v) && *json_string_value(v)) ev_strv_push(out, json_string_value(v));
    json_array_foreach(v, i, item) {
        if (json_is_string(item) && *json_string_value(item))
            ev_strv_push(out, json_string_value(item));
    }
}

bool docs_parse(const char *data, size_t len, doc_t *out) {
    *out = (doc_t){0};
    json_t *obj = json_loadb(data, len, 0, NULL);
    if (!json_is_object(obj)) return json_decref(obj), false;
    out->id = member(obj, "id");
    out->title = member(obj, "title");
    out->body = member(obj, "body");
    out->source = member(obj, "source");
    out->category = member(obj, "category");
    out->date = member(obj, "date");
    members(obj, "author", &out->authors);
    members(obj, "places", &out->places);
    json_decref(obj);
    return true;
}

void docs_free(doc_t *d) {
    free(d->id);
    free(d->title);
    free(d->body);
    free(d->source);
    free(d->category);
    free(d->date);
    ev_strv_free(&d->authors);
    ev_strv_free(&d->places);
    *d = (doc_t){0};
}

/* Reads one document; *found says whether the index has it. */
static bool read_one(shim_db_t *db, const char *id, doc_t *out, bool *found, char *err,
                     size_t size) {
    char *data = NULL;
    size_t len = 0;
    lede_status_t st = shim_db_get(db, id, &data, &len);
    *found = st == LEDE_OK;
    if (st == LEDE_E_NOT_FOUND) return true;
    if (st != LEDE_OK)
        return snprintf(err, size, "%s: %s: %s", id, lede_status_to_string(st), shim_db_errmsg(db)),
               false;
    bool ok = docs_parse(data, len, out);
    free(data);
    if (!ok) snprintf(err, size, "%s: the stored document is not a JSON object", id);
    return ok;
}

bool docs_read_page(shim_db_t *db, const char *id, doc_page_t *out, char *err, size_t size) {
    *out = (doc_page_t){0};
    for (size_t k = 1; db; k++) {
        char *item_id = k == 1 ? ev_xstrdup(id) : ev_sprintf("%s#%zu", id, k);
        doc_t d = {0};
        bool found, ok = read_one(db, item_id, &d, &found, err, size);
        free(item_id);
        if (!ok || !found) return docs_free(&d), ok;
        out->v = ev_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
        out->v[out->n++] = d;
    }
    return true;
}

void docs_page_free(doc_page_t *p) {
    for (size_t i = 0; i < p->n; i++) docs_free(&p->v[i]);
    free(p->v);
    *p = (doc_page_t){0};
}
