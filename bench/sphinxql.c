/* A query-file line to a SphinxQL SELECT with lede's default semantics. */
#include "sphinxql.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries.h"

/* Characters of Sphinx 2.2's extended query syntax, escaped with a
 * backslash so that they are searched as text (they are separators in the
 * index, like any character outside charset_table). */
static const char SPHINX_SPECIAL[] = "\\()|-!@~\"&/^$=<*";
/* lede's boolean operators, upper case only (shim/parser.cc). */
static const char *const LEDE_OPERATORS[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
/* lede's field prefixes (README, "Query language"). */
static const char *const LEDE_PREFIXES[] = {
    "title:", "author:", "source:", "category:", "tag:", "place:", "date:"};
/* The filters that are string attributes of the Sphinx index. */
static const char *const FILTER_ATTRIBUTES[] = {"category", "source"};
/* Sphinx's default max_matches: no page may end past it. */
#define MAX_MATCHES 1000
#define FIRST_STMT_BYTES 256

/* A growing string with a sticky error: each append does nothing once an
 * earlier one failed; the caller checks once at the end. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool failed;
} sbuf_t;

static void sb_putc(sbuf_t *b, char c) {
    if (b->failed) return;
    if (b->len + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : FIRST_STMT_BYTES;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->s = grown, b->cap = cap;
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf_t *b, const char *s) {
    for (; *s; s++) sb_putc(b, *s);
}

static void sb_printf(sbuf_t *b, const char *fmt, ...) {
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_puts(b, tmp);
}

/* One character inside a single-quoted SQL string literal. */
static void sb_sql_char(sbuf_t *b, char c) {
    if (c == '\\' || c == '\'') sb_putc(b, '\\');
    sb_putc(b, c);
}

/* s as the body of a single-quoted SQL string literal. */
static void sb_sql_string(sbuf_t *b, const char *s) {
    for (; *s; s++) sb_sql_char(b, *s);
}

/* One character of a word: escaped for Sphinx's query syntax, then for
 * the SQL literal that holds the query. */
static void sb_query_char(sbuf_t *b, char c) {
    if (strchr(SPHINX_SPECIAL, c)) sb_sql_char(b, '\\');
    sb_sql_char(b, c);
}

static bool is_space(char c) {
    return c == ' ' || c == '\t';
}

/* true when the word [w, w+n) is a lede operator or field prefix, whose
 * meaning this translation does not reproduce; says which in err. */
static bool lede_operator(const char *w, size_t n, char *err, size_t size) {
    for (size_t i = 0; i < sizeof LEDE_OPERATORS / sizeof LEDE_OPERATORS[0]; i++)
        if (strlen(LEDE_OPERATORS[i]) == n && memcmp(w, LEDE_OPERATORS[i], n) == 0)
            return snprintf(err, size, "lede operator '%.*s' has no translation", (int)n, w), true;
    for (size_t i = 0; i < sizeof LEDE_PREFIXES / sizeof LEDE_PREFIXES[0]; i++)
        if (n > strlen(LEDE_PREFIXES[i]) &&
            strncmp(w, LEDE_PREFIXES[i], strlen(LEDE_PREFIXES[i])) == 0)
            return snprintf(err, size, "lede field prefix in '%.*s' has no translation", (int)n, w),
                   true;
    if (w[0] == '-' || w[0] == '+' || w[n - 1] == '*')
        return snprintf(err, size, "lede operator in '%.*s' has no translation", (int)n, w), true;
    return false;
}

/* The query q as the body of MATCH('...'): words, and "phrases" in double
 * quotes. false with a message in err when q uses a lede operator. */
static bool put_match(sbuf_t *b, const char *q, char *err, size_t size) {
    bool in_phrase = false, need_space = false;
    for (const char *p = q; *p;) {
        if (is_space(*p)) {
            p++;
            continue;
        }
        if (*p == '"') {
            if (need_space && !in_phrase) sb_putc(b, ' ');
            sb_putc(b, '"');
            need_space = in_phrase, in_phrase = !in_phrase, p++;
            continue;
        }
        size_t n = strcspn(p, " \t\"");
        if (!in_phrase && lede_operator(p, n, err, size)) return false;
        if (need_space) sb_putc(b, ' ');
        for (size_t i = 0; i < n; i++) sb_query_char(b, p[i]);
        need_space = true, p += n;
    }
    if (in_phrase) sb_putc(b, '"');
    return true;
}

/* A filter value: a string, or an array of exactly one string. */
static const char *single_value(json_t *v) {
    if (json_is_array(v) && json_array_size(v) == 1) v = json_array_get(v, 0);
    return json_string_value(v);
}

static bool known_attribute(const char *field) {
    for (size_t i = 0; i < sizeof FILTER_ATTRIBUTES / sizeof FILTER_ATTRIBUTES[0]; i++)
        if (strcmp(field, FILTER_ATTRIBUTES[i]) == 0) return true;
    return false;
}

/* " AND field='value'" for each filter. Sphinx compares strings without
 * regard to case, like lede's filters. */
static bool put_filters(sbuf_t *b, json_t *filter, char *err, size_t size) {
    const char *field;
    json_t *v;
    if (filter && !json_is_object(filter))
        return snprintf(err, size, "'filter' is not an object"), false;
    json_object_foreach(filter, field, v) {
        const char *value = single_value(v);
        if (!known_attribute(field))
            return snprintf(err, size, "filter '%s' has no Sphinx attribute", field), false;
        if (!value)
            return snprintf(err, size, "filter '%s' must be one string (Sphinx 2.2 has no OR)",
                            field),
                   false;
        sb_printf(b, " AND %s='", field);
        sb_sql_string(b, value);
        sb_putc(b, '\'');
    }
    return true;
}

/* A member of a JSON request that this translation can honour. */
static bool field_supported(const char *key, json_t *v) {
    static const char *const PLAIN[] = {"op", "q", "filter", "limit", "offset", "id"};
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        if (strcmp(key, PLAIN[i]) == 0) return true;
    /* What ids mode asks of lede: the same as Sphinx gives. */
    if (strcmp(key, "snippet") == 0 || strcmp(key, "suggest") == 0) return json_is_false(v);
    if (strcmp(key, "match") == 0) return json_is_string(v) && !strcmp(json_string_value(v), "all");
    if (strcmp(key, "sort") == 0)
        return json_is_string(v) && !strcmp(json_string_value(v), "relevance");
    return false;
}

/* Checks a JSON request and takes its q, limit and offset. */
static bool check_request(json_t *req, const char **q, json_int_t *limit, json_int_t *offset,
                          char *err, size_t size) {
    const char *key, *op = json_string_value(json_object_get(req, "op"));
    json_t *v;
    if (!op || strcmp(op, "search") != 0) return snprintf(err, size, "not a search request"), false;
    json_object_foreach(req, key, v) {
        if (!field_supported(key, v))
            return snprintf(err, size, "request field '%s' has no SphinxQL equivalent here", key),
                   false;
    }
    json_t *jq = json_object_get(req, "q"), *jl = json_object_get(req, "limit"),
           *jo = json_object_get(req, "offset");
    if ((jq && !json_is_string(jq)) || (jl && !json_is_integer(jl)) || (jo && !json_is_integer(jo)))
        return snprintf(err, size, "'q' must be a string, 'limit' and 'offset' integers"), false;
    *q = jq ? json_string_value(jq) : "";
    *limit = jl ? json_integer_value(jl) : BENCH_PAGE_LIMIT;
    *offset = jo ? json_integer_value(jo) : 0;
    if (*limit < 0 || *offset < 0 || *limit + *offset > MAX_MATCHES)
        return snprintf(err, size, "offset + limit must be within 0..%d", MAX_MATCHES), false;
    return true;
}

static bool put_select(sbuf_t *b, const char *index, const char *q, json_t *filter,
                       json_int_t limit, json_int_t offset, char *err, size_t size) {
    sb_printf(b, "SELECT aid, title FROM ");
    sb_puts(b, index);
    sb_puts(b, " WHERE MATCH('");
    if (!put_match(b, q, err, size)) return false;
    sb_puts(b, "')");
    if (!put_filters(b, filter, err, size)) return false;
    sb_printf(b, " LIMIT %lld,%lld", (long long)offset, (long long)limit);
    return true;
}

char *sphinxql_from_line(const char *line, void *index, char *err, size_t size) {
    sbuf_t b = {0};
    json_t *req = NULL;
    const char *q = line;
    json_int_t limit = BENCH_PAGE_LIMIT, offset = 0;
    bool ok = true;
    if (line[0] == '{') {
        json_error_t jerr;
        req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
        if (!req)
            ok = false, snprintf(err, size, "bad JSON: %s", jerr.text);
        else if (!json_is_object(req))
            ok = false, snprintf(err, size, "not a JSON object");
        else
            ok = check_request(req, &q, &limit, &offset, err, size);
    }
    if (ok) ok = put_select(&b, index, q, json_object_get(req, "filter"), limit, offset, err, size);
    json_decref(req);
    if (ok && b.failed) ok = false, snprintf(err, size, "out of memory");
    if (!ok) free(b.s);
    return ok ? b.s : NULL;
}
