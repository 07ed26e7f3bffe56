/* The line protocol's pure parser: bytes in, one request or an error out.
 * No I/O, no libevent; see include/lede/protocol.h and docs/protocol.md. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lede/article.h"
#include "lede/fields.h"
#include "lede/protocol.h"

static const char *const ERROR_NAMES[PROTO_E_COUNT] = {
    [PROTO_E_NONE] = "none",
    [PROTO_E_BAD_JSON] = "bad_json",
    [PROTO_E_BAD_REQUEST] = "bad_request",
    [PROTO_E_BAD_QUERY] = "bad_query",
    [PROTO_E_INVALID_UTF8] = "invalid_utf8",
    [PROTO_E_NUL_BYTE] = "nul_byte",
    [PROTO_E_LINE_TOO_LONG] = "line_too_long",
    [PROTO_E_LIMIT] = "over_limit",
    [PROTO_E_NOT_FOUND] = "not_found",
    [PROTO_E_TOO_MANY_CONNECTIONS] = "too_many_connections",
    [PROTO_E_TIMEOUT] = "timeout",
    [PROTO_E_UNAVAILABLE] = "unavailable",
    [PROTO_E_INTERNAL] = "internal",
    [PROTO_E_AUTH_REQUIRED] = "auth_required",
    [PROTO_E_AUTH_FAILED] = "auth_failed",
};

const char *proto_error_name(proto_error_code_t code) {
    return (unsigned)code < PROTO_E_COUNT ? ERROR_NAMES[code] : "internal";
}

static const proto_command_t COMMANDS[PROTO_OP_COUNT] = {
    /*                  name       usage               arg    open   index  closes */
    [PROTO_OP_SEARCH] = {"search", "SEARCH <query>", true, false, true, false},
    [PROTO_OP_GET] = {"get", "GET <doc-id>", true, false, true, false},
    [PROTO_OP_SIMILAR] = {"similar", "SIMILAR <doc-id>", true, false, true, false},
    [PROTO_OP_SUGGEST] = {"suggest", "SUGGEST <prefix>", true, false, true, false},
    [PROTO_OP_STATS] = {"stats", "STATS", false, false, false, false},
    [PROTO_OP_PING] = {"ping", "PING", false, true, false, false},
    [PROTO_OP_QUIT] = {"quit", "QUIT", false, true, false, true},
    [PROTO_OP_AUTH] = {"auth", "AUTH <token>", true, true, false, false},
};

const proto_command_t *proto_command(proto_op_t op) {
    return (unsigned)op < PROTO_OP_COUNT ? &COMMANDS[op] : NULL;
}

const char *proto_op_name(proto_op_t op) {
    return (unsigned)op < PROTO_OP_COUNT ? COMMANDS[op].name : "unknown";
}

/* The commands' names, upper-case (the inline verbs) or as they are (the
 * JSON ops), joined by sep. */
static const char *command_list(bool upper, const char *sep, char *out, size_t size) {
    size_t n = 0;
    out[0] = '\0';
    for (int op = 0; op < PROTO_OP_COUNT; op++) {
        int w = snprintf(out + n, size - n, "%s%s", op ? sep : "", COMMANDS[op].name);
        if (w < 0 || (size_t)w >= size - n) break;
        n += (size_t)w;
    }
    for (char *c = out; upper && *c; c++) *c = (char)toupper((unsigned char)*c);
    return out;
}

static proto_result_t fail(proto_error_t *err, proto_result_t r, proto_error_code_t code,
                           const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return r;
}

/* Room for the bit of a bad request quoted in an error message (40 bytes,
 * cut on a character boundary: see utf8_excerpt). */
#define SHOWN_BYTES 41

void proto_request_free(proto_request_t *req) {
    json_decref(req->id);
    json_decref(req->root);
    free(req->line);
    memset(req, 0, sizeof *req);
}

void proto_request_move(proto_request_t *dst, proto_request_t *src) {
    *dst = *src;
    if (src->search.facets == src->facets) dst->search.facets = dst->facets;
    for (int k = 0; k < LEDE_FIELD_COUNT; k++)
        if (src->search.filter_values[k] == src->values[k])
            dst->search.filter_values[k] = dst->values[k];
    memset(src, 0, sizeof *src);
}

void proto_error_free(proto_error_t *err) {
    json_decref(err->id);
    err->id = NULL;
}

static void request_init(proto_request_t *req, const proto_limits_t *lim) {
    memset(req, 0, sizeof *req);
    req->limit = lim->default_limit;
    req->search.limit = lim->default_limit;
    req->search.snippet = true;
    req->search.suggest = true;
    req->search.relax = true;
}

/* ---- the inline form: VERB [ARGUMENT] ------------------------------------ */

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

static proto_result_t parse_inline(char *line, proto_request_t *req, proto_error_t *err) {
    req->line = line;
    char *verb = trim(line), *arg = verb + strcspn(verb, " \t");
    if (*arg) *arg++ = '\0';
    arg = trim(arg);
    for (int op = 0; op < PROTO_OP_COUNT; op++) {
        const proto_command_t *c = &COMMANDS[op];
        if (strcasecmp(verb, c->name) != 0) continue;
        if (c->needs_arg != (*arg != '\0'))
            return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "usage: %s", c->usage);
        req->op = (proto_op_t)op;
        if (op == PROTO_OP_AUTH)
            req->token = arg;
        else
            req->search.q = req->doc = req->prefix = arg;
        return PROTO_OK;
    }
    char shown[SHOWN_BYTES], names[96];
    return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                "unknown command '%s'; commands: %s, or a JSON object",
                utf8_excerpt(shown, sizeof shown, verb),
                command_list(true, " ", names, sizeof names));
}

/* ---- the JSON form ---------------------------------------------------------- */

typedef bool (*field_fn)(proto_request_t *, json_t *, const proto_limits_t *, proto_error_t *);

#define BIT(op) (1u << (op))

static bool want_string(json_t *v, const char *name, const char **out, proto_error_t *err) {
    if (!json_is_string(v)) {
        fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "field '%s' must be a string", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

static bool want_count(json_t *v, const char *name, uint32_t max, uint32_t *out,
                       proto_error_t *err) {
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "field '%s' must be a whole number >= 0", name);
        return false;
    }
    if (json_integer_value(v) > (json_int_t)max) {
        fail(err, PROTO_ERROR, PROTO_E_LIMIT,
             "%s %" JSON_INTEGER_FORMAT " is over the maximum of %u (max_%s)", name,
             json_integer_value(v), max, name);
        return false;
    }
    *out = (uint32_t)json_integer_value(v);
    return true;
}

static bool f_q(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    const char *q;
    if (!want_string(v, "q", &q, e)) return false;
    r->search.q = r->prefix = q;
    return true;
}

static bool f_doc(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    return want_string(v, "doc", &r->doc, e);
}

static bool f_limit(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    if (!want_count(v, "limit", l->max_limit, &r->limit, e)) return false;
    r->search.limit = r->limit;
    return true;
}

static bool f_offset(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    if (!want_count(v, "offset", l->max_offset, &r->offset, e)) return false;
    r->search.offset = r->offset;
    return true;
}

static bool want_bool(json_t *v, const char *name, bool *out, proto_error_t *e) {
    if (!json_is_boolean(v)) {
        fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST, "field '%s' must be true or false", name);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

/* The token of op "auth", or the "auth" field any request may carry. */
static bool set_token(proto_request_t *r, json_t *v, const char *name, proto_error_t *e) {
    if (r->token) /* both in one request */
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST, "give the token once, in \"%s\"", name),
               false;
    return want_string(v, name, &r->token, e);
}

static bool f_token(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    return set_token(r, v, "token", e);
}

static bool f_auth(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    return set_token(r, v, "auth", e);
}

static bool f_snippet(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    return want_bool(v, "snippet", &r->search.snippet, e);
}

static bool f_suggest(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    return want_bool(v, "suggest", &r->search.suggest, e);
}

static bool f_spelling(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    static const char *const NAMES[] = {[SEARCH_SPELLING_AUTO] = "auto",
                                        [SEARCH_SPELLING_SUGGEST] = "suggest",
                                        [SEARCH_SPELLING_OFF] = "off"};
    const char *s;
    if (!want_string(v, "spelling", &s, e)) return false;
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(s, NAMES[i]) == 0) return r->search.spelling = (search_spelling_t)i, true;
    return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                "field 'spelling' must be \"auto\", \"suggest\" or \"off\""),
           false;
}

static bool f_exact_total(proto_request_t *r, json_t *v, const proto_limits_t *l,
                          proto_error_t *e) {
    (void)l;
    return want_bool(v, "exact_total", &r->search.exact_total, e);
}

/* facet_limit's upper bound is max_facet_limit, a setting of the server
 * that cmd.c enforces (and counts); the parser only wants a count >= 1. */
static bool f_facet_limit(proto_request_t *r, json_t *v, const proto_limits_t *l,
                          proto_error_t *e) {
    (void)l;
    if (!want_count(v, "facet_limit", UINT32_MAX, &r->search.facet_limit, e)) return false;
    if (r->search.facet_limit == 0)
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST, "field 'facet_limit' must be 1 or more"),
               false;
    return true;
}

static bool f_sort(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    const char *s;
    if (!want_string(v, "sort", &s, e)) return false;
    if (strcmp(s, "relevance") == 0)
        r->search.sort = SHIM_SORT_RELEVANCE;
    else if (strcmp(s, "date") == 0)
        r->search.sort = SHIM_SORT_DATE_DESC;
    else if (strcmp(s, "-date") == 0)
        r->search.sort = SHIM_SORT_DATE_ASC;
    else
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "field 'sort' must be \"relevance\", \"date\" or \"-date\""),
               false;
    return true;
}

static bool f_match(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    const char *s;
    if (!want_string(v, "match", &s, e)) return false;
    r->search.relax = strcmp(s, "auto") == 0;
    if (strcmp(s, "all") == 0 || r->search.relax)
        r->search.match = SHIM_MATCH_ALL;
    else if (strcmp(s, "any") == 0)
        r->search.match = SHIM_MATCH_ANY;
    else
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "field 'match' must be \"auto\", \"all\" or \"any\""),
               false;
    return true;
}

/* The facets: the fields that can be counted, and the timeline. */
static bool known_facet(const char *name) {
    return lede_field_find(name, LEDE_FIELD_FACET) >= 0 || strcmp(name, "timeline") == 0;
}

static bool f_facets(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    size_t i, max = sizeof r->facets / sizeof r->facets[0];
    json_t *item;
    if (!json_is_array(v) || json_array_size(v) > max)
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "field 'facets' must be an array of at most %zu names", max),
               false;
    json_array_foreach(v, i, item) {
        const char *name = json_string_value(item);
        char shown[SHOWN_BYTES], names[128];
        if (!name || !known_facet(name))
            return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                        "unknown facet '%s'; facets: %s, timeline",
                        name ? utf8_excerpt(shown, sizeof shown, name) : "(not a string)",
                        lede_field_list(LEDE_FIELD_FACET, names, sizeof names)),
                   false;
        r->facets[i] = name;
    }
    r->search.facets = r->facets;
    r->search.n_facets = json_array_size(v);
    return true;
}

static bool f_timeline(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    static const char *const NAMES[] = {[SHIM_TIMELINE_MONTH] = "month",
                                        [SHIM_TIMELINE_YEAR] = "year",
                                        [SHIM_TIMELINE_DAY] = "day"};
    const char *s;
    if (!want_string(v, "timeline", &s, e)) return false;
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(s, NAMES[i]) == 0) return r->search.timeline = (shim_timeline_t)i, true;
    return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                "field 'timeline' must be \"year\", \"month\" or \"day\""),
           false;
}

/* filter.date: {"from": "2022-01-01", "to": "2022-12-31"} */
static bool filter_date(proto_request_t *r, json_t *v, proto_error_t *e) {
    const char *key;
    json_t *d;
    if (!json_is_object(v))
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "filter 'date' must be an object with \"from\" and/or \"to\""),
               false;
    json_object_foreach(v, key, d) {
        const char **slot = strcmp(key, "from") == 0 ? &r->search.date_from
                            : strcmp(key, "to") == 0 ? &r->search.date_to
                                                     : NULL;
        char shown[SHOWN_BYTES];
        if (!slot)
            return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST, "unknown field 'date.%s' in filter",
                        utf8_excerpt(shown, sizeof shown, key)),
                   false;
        if (!json_is_string(d))
            return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                        "filter 'date.%s' must be a string like \"2022-01-31\"", key),
                   false;
        *slot = json_string_value(d);
    }
    return true;
}

/* filter.source (and the others): a string or an array of strings. */
static bool filter_values(proto_request_t *r, int k, json_t *v, proto_error_t *e) {
    const char *name = lede_field(k)->name;
    size_t max = sizeof r->values[k] / sizeof r->values[k][0], i;
    json_t *item;
    if (json_is_string(v)) {
        r->values[k][0] = json_string_value(v);
        r->search.filter_counts[k] = 1;
    } else if (json_is_array(v) && json_array_size(v) <= max) {
        json_array_foreach(v, i, item) {
            if (!json_is_string(item))
                return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                            "filter '%s' item %zu must be a string", name, i + 1),
                       false;
            r->values[k][i] = json_string_value(item);
        }
        r->search.filter_counts[k] = json_array_size(v);
    } else {
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "filter '%s' must be a string or an array of at most %zu strings", name, max),
               false;
    }
    r->search.filter_values[k] = r->values[k];
    return true;
}

static bool f_filter(proto_request_t *r, json_t *v, const proto_limits_t *l, proto_error_t *e) {
    (void)l;
    const char *key;
    json_t *val;
    if (!json_is_object(v))
        return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST, "field 'filter' must be an object"), false;
    json_object_foreach(v, key, val) {
        if (strcmp(key, "date") == 0) {
            if (!filter_date(r, val, e)) return false;
            continue;
        }
        int k = lede_field_find(key, LEDE_FIELD_FILTER);
        char shown[SHOWN_BYTES], names[128];
        if (k < 0)
            return fail(e, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                        "unknown filter '%s'; filters: %s, date",
                        utf8_excerpt(shown, sizeof shown, key),
                        lede_field_list(LEDE_FIELD_FILTER, names, sizeof names)),
                   false;
        if (!filter_values(r, k, val, e)) return false;
    }
    return true;
}

typedef struct {
    const char *name;
    unsigned ops; /* the ops that accept this field */
    field_fn fn;
} field_t;

static const field_t FIELDS[] = {
    {"q", BIT(PROTO_OP_SEARCH) | BIT(PROTO_OP_SUGGEST), f_q},
    {"doc", BIT(PROTO_OP_GET) | BIT(PROTO_OP_SIMILAR), f_doc},
    {"limit", BIT(PROTO_OP_SEARCH) | BIT(PROTO_OP_SIMILAR) | BIT(PROTO_OP_SUGGEST), f_limit},
    {"offset", BIT(PROTO_OP_SEARCH) | BIT(PROTO_OP_SIMILAR), f_offset},
    {"filter", BIT(PROTO_OP_SEARCH), f_filter},
    {"sort", BIT(PROTO_OP_SEARCH), f_sort},
    {"match", BIT(PROTO_OP_SEARCH), f_match},
    {"facets", BIT(PROTO_OP_SEARCH), f_facets},
    {"snippet", BIT(PROTO_OP_SEARCH), f_snippet},
    {"suggest", BIT(PROTO_OP_SEARCH), f_suggest},
    {"exact_total", BIT(PROTO_OP_SEARCH), f_exact_total},
    {"timeline", BIT(PROTO_OP_SEARCH), f_timeline},
    {"facet_limit", BIT(PROTO_OP_SEARCH), f_facet_limit},
    {"spelling", BIT(PROTO_OP_SEARCH), f_spelling},
    {"token", BIT(PROTO_OP_AUTH), f_token},
    {"auth", BIT(PROTO_OP_COUNT) - 1, f_auth}, /* any op */
};

static bool find_op(const char *name, proto_op_t *op) {
    for (int i = 0; i < PROTO_OP_COUNT; i++)
        if (strcmp(COMMANDS[i].name, name) == 0) return *op = (proto_op_t)i, true;
    return false;
}

static proto_result_t apply_fields(json_t *root, proto_request_t *req, const proto_limits_t *lim,
                                   proto_error_t *err) {
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "op") == 0 || strcmp(key, "id") == 0) continue;
        const field_t *f = NULL;
        for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0] && !f; i++)
            if (strcmp(FIELDS[i].name, key) == 0) f = &FIELDS[i];
        char shown[SHOWN_BYTES];
        if (!f || !(f->ops & BIT(req->op)))
            return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "unknown field '%s' for op '%s'",
                        utf8_excerpt(shown, sizeof shown, key), proto_op_name(req->op));
        if (!f->fn(req, v, lim, err)) return PROTO_ERROR;
    }
    return PROTO_OK;
}

/* What each op cannot do without. */
static proto_result_t check_required(proto_request_t *req, proto_error_t *err) {
    bool doc = req->op == PROTO_OP_GET || req->op == PROTO_OP_SIMILAR;
    if (doc && (!req->doc || !*req->doc))
        return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "op '%s' needs a \"doc\" id",
                    proto_op_name(req->op));
    if (req->op == PROTO_OP_SUGGEST && (!req->prefix || !*req->prefix))
        return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "op 'suggest' needs a \"q\" prefix");
    if (req->op == PROTO_OP_AUTH && !req->token)
        return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "op 'auth' needs a \"token\"");
    return PROTO_OK;
}

/* The JSON form once parsed; req owns root from here on. */
static proto_result_t parse_object(json_t *root, const proto_limits_t *lim, proto_request_t *req,
                                   proto_error_t *err) {
    req->root = root;
    if (!json_is_object(root))
        return fail(err, PROTO_ERROR, PROTO_E_BAD_JSON, "a request must be a JSON object");
    json_t *id = json_object_get(root, "id");
    if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
        return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST,
                    "field 'id' must be a string or an integer");
    if (id && !json_is_null(id)) req->id = json_incref(id);
    const char *op = json_string_value(json_object_get(root, "op"));
    if (!op) return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "missing field 'op' (a string)");
    char shown[SHOWN_BYTES], names[96];
    if (!find_op(op, &req->op))
        return fail(err, PROTO_ERROR, PROTO_E_BAD_REQUEST, "unknown op '%s'; ops: %s",
                    utf8_excerpt(shown, sizeof shown, op),
                    command_list(false, ", ", names, sizeof names));
    proto_result_t r = apply_fields(root, req, lim, err);
    return r == PROTO_OK ? check_required(req, err) : r;
}

static proto_result_t parse_json(const char *line, size_t len, const proto_limits_t *lim,
                                 proto_request_t *req, proto_error_t *err) {
    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    char text[sizeof je.text]; /* jansson quotes the bad token, cut anywhere */
    if (!root)
        return fail(err, PROTO_ERROR, PROTO_E_BAD_JSON, "malformed JSON at column %d: %s",
                    je.column, utf8_excerpt(text, sizeof text, je.text));
    return parse_object(root, lim, req, err);
}

/* ---- lines ------------------------------------------------------------------- */

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

static proto_result_t parse_line(const char *line, size_t n, const proto_limits_t *lim,
                                 proto_request_t *req, proto_error_t *err) {
    size_t bad;
    if (memchr(line, '\0', n))
        return fail(err, PROTO_ERROR, PROTO_E_NUL_BYTE, "the request contains a NUL byte");
    if (!utf8_valid(line, n, &bad))
        return fail(err, PROTO_ERROR, PROTO_E_INVALID_UTF8, "the request is not UTF-8 (byte %zu)",
                    bad);
    size_t lead = 0;
    while (lead < n && (line[lead] == ' ' || line[lead] == '\t')) lead++;
    if (line[lead] == '{' || line[lead] == '[') return parse_json(line, n, lim, req, err);
    char *copy = malloc(n + 1);
    if (!copy) return fail(err, PROTO_ERROR, PROTO_E_INTERNAL, "out of memory");
    memcpy(copy, line, n);
    copy[n] = '\0';
    return parse_inline(copy, req, err);
}

/* A refused request leaves nothing behind but its id, echoed in the error. */
static proto_result_t finish(proto_result_t r, proto_request_t *req, proto_error_t *err) {
    if (r == PROTO_OK) return r;
    err->id = req->id ? json_incref(req->id) : NULL;
    proto_request_free(req);
    return r;
}

proto_result_t proto_parse(const char *buf, size_t len, const proto_limits_t *lim,
                           proto_request_t *req, size_t *consumed, proto_error_t *err) {
    size_t start = 0;
    request_init(req, lim);
    memset(err, 0, sizeof *err);
    for (;;) {
        const char *nl = memchr(buf + start, '\n', len - start);
        size_t avail = nl ? (size_t)(nl - (buf + start)) : len - start;
        size_t n = avail > 0 && buf[start + avail - 1] == '\r' ? avail - 1 : avail;
        if (n > lim->max_line) {
            *consumed = len;
            return fail(err, PROTO_FATAL, PROTO_E_LINE_TOO_LONG,
                        "request line is over the limit of %zu bytes", lim->max_line);
        }
        if (!nl) return *consumed = start, PROTO_NEED_MORE;
        const char *line = buf + start;
        start += avail + 1;
        if (blank(line, n)) continue;
        *consumed = start;
        return finish(parse_line(line, n, lim, req, err), req, err);
    }
}

proto_result_t proto_parse_object(json_t *root, const proto_limits_t *lim, proto_request_t *req,
                                  proto_error_t *err) {
    request_init(req, lim);
    memset(err, 0, sizeof *err);
    return finish(parse_object(root, lim, req, err), req, err);
}
