/* HTTP query strings to line-protocol requests.
 *
 * The API answers exactly what the line protocol answers, so the cheapest
 * way to keep the two identical is to turn each HTTP request into the JSON
 * request a client would have sent and give it to the same parser
 * (proto_parse_object, no text in between) and executor. This file only checks what JSON cannot
 * carry: parameter names, repeats, numbers, booleans and encodings. */
#include "http_params.h"

#include <ctype.h>
#include <event2/http.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lede/article.h"
#include "lede/fields.h"

typedef enum { P_STRING, P_UINT, P_BOOL, P_FILTER, P_DATE, P_LIST } param_kind_t;

typedef struct {
    const char *name;
    param_kind_t kind;
    unsigned ops; /* bit (1 << proto_op_t) for each op that takes it */
} param_t;

#define OP(o) (1u << (o))
#define SEARCH OP(PROTO_OP_SEARCH)

static const param_t PARAMS[] = {
    {"q", P_STRING, SEARCH | OP(PROTO_OP_SUGGEST)},
    {"limit", P_UINT, SEARCH | OP(PROTO_OP_SUGGEST) | OP(PROTO_OP_SIMILAR)},
    {"offset", P_UINT, SEARCH | OP(PROTO_OP_SIMILAR)},
    {"sort", P_STRING, SEARCH},
    {"match", P_STRING, SEARCH},
    {"facets", P_LIST, SEARCH},
    {"timeline", P_STRING, SEARCH},
    {"facet_limit", P_UINT, SEARCH},
    {"spelling", P_STRING, SEARCH},
    {"snippet", P_BOOL, SEARCH},
    {"suggest", P_BOOL, SEARCH},
    {"exact_total", P_BOOL, SEARCH},
    /* and a P_FILTER for each filterable field of lede/fields.h */
    {"from", P_DATE, SEARCH},
    {"to", P_DATE, SEARCH},
};

/* Room for the bit of a bad parameter quoted in an error message (40
 * bytes, cut on a character boundary: see utf8_excerpt). */
#define SHOWN_BYTES 41

static json_t *fail(proto_error_t *e, proto_error_code_t code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->code = code;
    return NULL;
}

/* The parameter called name into *out, and its index in PARAMS (-1 for
 * a filter); false when there is none. */
static bool find_param(const char *name, param_t *out, int *index) {
    for (size_t i = 0; i < sizeof PARAMS / sizeof PARAMS[0]; i++)
        if (strcmp(PARAMS[i].name, name) == 0) return *out = PARAMS[i], *index = (int)i, true;
    int field = lede_field_find(name, LEDE_FIELD_FILTER);
    if (field < 0) return false;
    *out = (param_t){lede_field(field)->name, P_FILTER, SEARCH};
    *index = -1;
    return true;
}

/* A whole number; anything past 9 digits is only ever over a limit, so it
 * is clamped rather than overflowed. */
static json_t *uint_value(const char *v) {
    size_t n = strlen(v);
    if (n == 0 || strspn(v, "0123456789") != n) return NULL;
    return json_integer(n > 9 ? 999999999 : atol(v));
}

static json_t *bool_value(const char *v) {
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")) return json_true();
    if (!strcasecmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no")) return json_false();
    return NULL;
}

/* "source,category,,year" -> ["source","category","year"] */
static json_t *list_value(const char *v) {
    json_t *a = json_array();
    for (const char *p = v; a && *p;) {
        size_t n = strcspn(p, ",");
        if (n) json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    return a;
}

static json_t *child(json_t *parent, const char *key) {
    json_t *o = json_object_get(parent, key);
    if (!o) json_object_set_new(parent, key, o = json_object());
    return o;
}

/* Adds one parameter to req; NULL-free errors go to e. */
static bool add_param(json_t *req, const param_t *p, const char *v, proto_error_t *e) {
    json_t *value = NULL;
    char shown[SHOWN_BYTES];
    switch (p->kind) {
    case P_STRING:
        value = json_string(v);
        break;
    case P_UINT:
        if (!(value = uint_value(v)))
            return fail(e, PROTO_E_BAD_REQUEST,
                        "parameter '%s' must be a whole number >= 0, not '%s'", p->name,
                        utf8_excerpt(shown, sizeof shown, v)),
                   false;
        break;
    case P_BOOL:
        if (!(value = bool_value(v)))
            return fail(e, PROTO_E_BAD_REQUEST,
                        "parameter '%s' must be 1 or 0 (true or false), not '%s'", p->name,
                        utf8_excerpt(shown, sizeof shown, v)),
                   false;
        break;
    case P_LIST:
        value = list_value(v);
        break;
    case P_FILTER: {
        json_t *filter = child(req, "filter"), *list = json_object_get(filter, p->name);
        if (!list) json_object_set_new(filter, p->name, list = json_array());
        return json_array_append_new(list, json_string(v)) == 0 ||
               (fail(e, PROTO_E_INTERNAL, "out of memory"), false);
    }
    case P_DATE:
        return json_object_set_new(child(child(req, "filter"), "date"), p->name, json_string(v)) ==
                   0 ||
               (fail(e, PROTO_E_INTERNAL, "out of memory"), false);
    }
    if (!value) return fail(e, PROTO_E_INTERNAL, "out of memory"), false;
    return json_object_set_new(req, p->name, value) == 0;
}

/* Whether every '%' of s[0..n) is followed by two hex digits; *bad is
 * the offset of the first that is not. (evhttp_uridecode keeps a bad
 * one as it is, which would search "%zz" literally.) */
static bool well_encoded(const char *s, size_t n, size_t *bad) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') continue;
        if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
            return *bad = i, false;
    }
    return true;
}

/* Decodes n bytes of a percent-encoded name, value (plus: '+' is a
 * space, as forms and URLSearchParams write it) or path segment. NULL
 * with e filled when a '%' is not followed by two hex digits, or the
 * text is not UTF-8 or holds a NUL byte. */
static char *decode(const char *what, const char *s, size_t n, int plus, proto_error_t *e) {
    size_t at;
    if (!well_encoded(s, n, &at)) {
        char seen[4] = ""; /* the bad escape, printable bytes only */
        for (size_t i = 0; i < 3 && at + i < n; i++)
            seen[i] = s[at + i] > ' ' && s[at + i] < 0x7f ? s[at + i] : '?';
        fail(e, PROTO_E_BAD_REQUEST,
             "parameter '%s' has a malformed percent-encoding '%s' at byte %zu: '%%' must be "
             "followed by two hex digits (write '%%' itself as %%25)",
             what, seen, at + 1);
        return NULL;
    }
    char *raw = strndup(s, n), *text = NULL;
    size_t len = 0, bad;
    if (raw) text = evhttp_uridecode(raw, plus, &len);
    free(raw);
    if (!text) return fail(e, PROTO_E_INTERNAL, "out of memory"), NULL;
    if (strlen(text) != len)
        fail(e, PROTO_E_NUL_BYTE, "parameter '%s' contains a NUL byte (%%00)", what);
    else if (!utf8_valid(text, len, &bad))
        fail(e, PROTO_E_INVALID_UTF8, "parameter '%s' is not UTF-8 (byte %zu)", what, bad);
    else
        return text;
    free(text);
    return NULL;
}

/* One "name=value" pair; seen has a bit per parameter given so far. */
static bool add_pair(json_t *req, proto_op_t op, const char *pair, size_t n, unsigned *seen,
                     proto_error_t *e) {
    const char *eq = memchr(pair, '=', n);
    size_t name_len = eq ? (size_t)(eq - pair) : n;
    char *name = decode("name", pair, name_len, 1, e);
    if (!name) return false;
    param_t param;
    const param_t *p = &param;
    int index = -1;
    bool ok = false;
    char shown[SHOWN_BYTES];
    if (!find_param(name, &param, &index) || !(p->ops & OP(op)))
        fail(e, PROTO_E_BAD_REQUEST, "unknown parameter '%s' for %s",
             utf8_excerpt(shown, sizeof shown, name), proto_op_name(op));
    else if (index >= 0 && (*seen & (1u << index))) /* filters may repeat */
        fail(e, PROTO_E_BAD_REQUEST, "parameter '%s' is given more than once", p->name);
    else {
        char *value = decode(p->name, eq ? eq + 1 : pair + n, eq ? n - name_len - 1 : 0, 1, e);
        ok = value && add_param(req, p, value, e);
        if (index >= 0) *seen |= 1u << index;
        free(value);
    }
    free(name);
    return ok;
}

static bool add_params(json_t *req, proto_op_t op, const char *query, proto_error_t *e) {
    unsigned seen = 0;
    for (const char *p = query; *p;) {
        size_t n = strcspn(p, "&");
        if (n && !add_pair(req, op, p, n, &seen, e)) return false;
        p += n + (p[n] == '&');
    }
    return true;
}

json_t *http_params_request(proto_op_t op, const char *query, const char *doc, proto_error_t *e) {
    e->code = PROTO_E_NONE;
    e->message[0] = '\0';
    json_t *req = json_pack("{ss}", "op", proto_op_name(op));
    if (!req) return fail(e, PROTO_E_INTERNAL, "out of memory");
    if (doc) {
        char *id = decode("id", doc, strlen(doc), 0, e);
        if (!id) {
            json_decref(req);
            return NULL;
        }
        json_object_set_new(req, "doc", json_string(id));
        free(id);
    }
    bool ok = !query || add_params(req, op, query, e);
    if (ok && op == PROTO_OP_SUGGEST && !json_object_get(req, "q"))
        json_object_set_new(req, "q", json_string(""));
    if (!ok) json_decref(req);
    return ok ? req : NULL;
}
