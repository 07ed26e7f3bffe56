/* Line-protocol JSON requests to HTTP API requests (see http_request.h). */
#include "http_request.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing string; a failed append sets failed and leaves it. */
typedef struct text {
    char *s;
    size_t len, cap;
    bool failed;
} text_t;

static void add(text_t *t, const char *s, size_t n) {
    if (t->failed) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *grown = realloc(t->s, cap);
        if (!grown) return (void)(t->failed = true);
        t->s = grown, t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->s[t->len += n] = '\0';
}

static void add_str(text_t *t, const char *s) {
    add(t, s, strlen(s));
}

/* s percent-encoded for a query string or a path segment. */
static void add_encoded(text_t *t, const char *s) {
    static const char HEX[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr("-._~", *p);
        char esc[3] = {'%', HEX[*p >> 4], HEX[*p & 15]};
        if (plain)
            add(t, (const char *)p, 1);
        else
            add(t, esc, 3);
    }
}

/* "&name=value" (the first without '&'). */
static void add_param(text_t *t, bool *first, const char *name, const char *value) {
    add_str(t, *first ? "?" : "&");
    *first = false;
    add_str(t, name);
    add_str(t, "=");
    add_encoded(t, value);
}

/* A JSON scalar as a parameter value: strings as they are, booleans 1/0. */
static void add_value(text_t *t, bool *first, const char *name, json_t *v) {
    char num[32];
    if (json_is_string(v)) return add_param(t, first, name, json_string_value(v));
    if (json_is_boolean(v)) return add_param(t, first, name, json_is_true(v) ? "1" : "0");
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        add_param(t, first, name, num);
    }
}

/* filter: {"source": "x" or ["x","y"], ..., "date": {"from","to"}}. */
static void add_filter(text_t *t, bool *first, json_t *filter) {
    const char *key;
    json_t *v;
    json_object_foreach(filter, key, v) {
        if (strcmp(key, "date") == 0) {
            add_value(t, first, "from", json_object_get(v, "from"));
            add_value(t, first, "to", json_object_get(v, "to"));
        } else if (json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) add_value(t, first, key, item);
        } else {
            add_value(t, first, key, v);
        }
    }
}

/* "source,category,year" */
static void add_facets(text_t *t, bool *first, json_t *facets) {
    text_t list = {0};
    size_t i;
    json_t *item;
    json_array_foreach(facets, i, item) {
        if (i) add_str(&list, ",");
        add_str(&list, json_string_value(item) ? json_string_value(item) : "");
    }
    if (list.s) add_param(t, first, "facets", list.s);
    t->failed |= list.failed;
    free(list.s);
}

/* The path and query string of req; false when its op has no endpoint. */
static bool add_target(text_t *t, json_t *req, char *err, size_t size) {
    static const char *const PATHS[][2] = {
        {"search", "/search"}, {"suggest", "/suggest"}, {"get", "/doc/"}, {"similar", "/similar/"}};
    const char *op = json_string_value(json_object_get(req, "op")), *path = NULL;
    for (size_t i = 0; op && i < sizeof PATHS / sizeof PATHS[0] && !path; i++)
        if (strcmp(op, PATHS[i][0]) == 0) path = PATHS[i][1];
    if (!path)
        return snprintf(err, size, "op '%s' has no HTTP endpoint", op ? op : "(none)"), false;
    add_str(t, path);
    const char *doc = json_string_value(json_object_get(req, "doc"));
    if (doc) add_encoded(t, doc);
    bool first = true;
    const char *key;
    json_t *v;
    json_object_foreach(req, key, v) {
        if (!strcmp(key, "op") || !strcmp(key, "doc") || !strcmp(key, "id")) continue;
        if (!strcmp(key, "filter"))
            add_filter(t, &first, v);
        else if (!strcmp(key, "facets"))
            add_facets(t, &first, v);
        else
            add_value(t, &first, key, v);
    }
    return true;
}

char *bench_http_request(const char *line, void *host, char *err, size_t size) {
    json_error_t je;
    json_t *req = json_loads(line, 0, &je);
    if (!json_is_object(req)) {
        json_decref(req);
        snprintf(err, size, "not a JSON request: %s", je.text);
        return NULL;
    }
    text_t t = {0};
    add_str(&t, "GET ");
    bool ok = add_target(&t, req, err, size);
    json_decref(req);
    add_str(&t, " HTTP/1.1\r\nHost: ");
    add_str(&t, host ? (const char *)host : "127.0.0.1");
    add_str(&t, "\r\n\r\n");
    if (ok && t.failed) snprintf(err, size, "out of memory");
    if (!ok || t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}
