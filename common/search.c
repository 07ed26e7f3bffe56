/* One search: parameters to shim query, results to reply JSON. */
#include "lede/search.h"

#include <stdlib.h>
#include <string.h>

static const char *const FILTER_NAMES[SEARCH_F_COUNT] = {"source", "category", "tag", "place",
                                                         "author"};

const char *search_filter_name(int k) {
    return k >= 0 && k < SEARCH_F_COUNT ? FILTER_NAMES[k] : NULL;
}

static bool word_byte(unsigned char ch) {
    return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
           (ch >= 'A' && ch <= 'Z');
}

void search_query_size(const char *q, search_query_size_t *out) {
    memset(out, 0, sizeof *out);
    size_t phrase = 0;
    bool quoted = false;
    for (const char *p = q ? q : ""; *p;) {
        if (*p == '"') {
            quoted = !quoted, phrase = 0, p++;
            continue;
        }
        if (!word_byte((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = p;
        while (word_byte((unsigned char)*p)) p++;
        out->words++;
        if (quoted && ++phrase > out->longest_phrase) out->longest_phrase = phrase;
        if (*p != '*') continue;
        size_t n = (size_t)(p - start);
        if (!out->wildcards++ || n < out->shortest_wildcard) out->shortest_wildcard = n;
    }
}

/* Removes the two highlight markers from text, so that in a snippet they
 * can only mean "a match starts/ends here". */
static char *without_markers(const char *text) {
    char *out = strdup(text ? text : "");
    if (!out) return NULL;
    char *w = out;
    for (const char *r = out; *r; r++)
        if (*r != SEARCH_HI_START[0] && *r != SEARCH_HI_END[0]) *w++ = *r;
    *w = '\0';
    return out;
}

/* Sets key to a string, ignoring absent values; sticky failure. */
static void set_str(json_t *obj, const char *key, const char *value, bool *failed) {
    if (*failed || !value) return;
    if (json_object_set_new(obj, key, json_string(value)) != 0) *failed = true;
}

/* "author" in a hit is one string: several authors are joined. */
static char *joined_authors(json_t *doc) {
    json_t *arr = json_object_get(doc, "author");
    size_t i, total = 1;
    json_t *v;
    json_array_foreach(arr, i, v) total += strlen(json_string_value(v)) + 2;
    char *out = calloc(1, total);
    json_array_foreach(arr, i, v) {
        if (!out) break;
        if (i) strcat(out, ", ");
        strcat(out, json_string_value(v));
    }
    return out;
}

/* LEDE_E_TIMEOUT when deadline (0: none) has passed. */
static lede_status_t check_deadline(double deadline) {
    return deadline > 0 && shim_clock() > deadline ? LEDE_E_TIMEOUT : LEDE_OK;
}

static lede_status_t add_snippet(shim_results_t *r, json_t *doc, json_t *hit) {
    const char *body = json_string_value(json_object_get(doc, "body"));
    if (!body || !*body) body = json_string_value(json_object_get(doc, "title"));
    char *clean = without_markers(body), *snippet = NULL;
    if (!clean) return LEDE_E_NOMEM;
    lede_status_t st = shim_results_snippet(r, clean, SEARCH_SNIPPET_BYTES, SEARCH_HI_START,
                                            SEARCH_HI_END, &snippet);
    free(clean);
    if (st == LEDE_OK && json_object_set_new(hit, "snippet", json_string(snippet)) != 0)
        st = LEDE_E_NOMEM;
    free(snippet);
    return st;
}

static json_t *make_hit(shim_results_t *r, size_t i, bool snippet, double deadline,
                        lede_status_t *st) {
    static const char *const STORED[] = {"title", "date", "source", "category", "url"};
    shim_hit_t h;
    shim_results_hit(r, i, &h);
    json_t *doc = json_loadb(h.data, h.data_len, 0, NULL);
    json_t *hit = json_object();
    bool failed = !doc || !hit;
    set_str(hit, "id", json_string_value(json_object_get(doc, "id")), &failed);
    if (!failed)
        failed = json_object_set_new(hit, "rank", json_integer(h.rank)) != 0 ||
                 json_object_set_new(hit, "score", json_real(h.score)) != 0;
    for (size_t k = 0; k < sizeof STORED / sizeof STORED[0]; k++)
        set_str(hit, STORED[k], json_string_value(json_object_get(doc, STORED[k])), &failed);
    if (!failed && json_is_true(json_object_get(doc, "title_from_body")))
        failed = json_object_set_new(hit, "title_from_body", json_true()) != 0;
    char *authors = failed ? NULL : joined_authors(doc);
    if (authors && *authors) set_str(hit, "author", authors, &failed);
    free(authors);
    /* A snippet is a Xapian call of its own, and long texts take a while. */
    if (!failed && snippet && (*st = check_deadline(deadline)) != LEDE_OK) failed = true;
    if (!failed && snippet && (*st = add_snippet(r, doc, hit)) != LEDE_OK) failed = true;
    json_decref(doc);
    if (failed) {
        json_decref(hit);
        if (*st == LEDE_OK) *st = LEDE_E_NOMEM;
        return NULL;
    }
    return hit;
}

static json_t *make_facets(shim_results_t *r) {
    json_t *facets = json_object();
    for (size_t k = 0; facets && k < shim_results_facet_count(r); k++) {
        json_t *values = json_object();
        for (size_t j = 0; values && j < shim_results_facet_size(r, k); j++) {
            const char *value;
            uint32_t count;
            shim_results_facet_value(r, k, j, &value, &count);
            json_object_set_new(values, value, json_integer(count));
        }
        json_object_set_new(facets, shim_results_facet_name(r, k), values);
    }
    return facets;
}

/* "total" and "hits". */
static lede_status_t add_hits(shim_results_t *r, bool snippet, double deadline, json_t *reply) {
    lede_status_t st = LEDE_OK;
    json_t *hits = json_array();
    if (!hits) return LEDE_E_NOMEM;
    json_object_set_new(reply, "total", json_integer(shim_results_total(r)));
    for (size_t i = 0; i < shim_results_size(r) && st == LEDE_OK; i++) {
        json_t *hit = make_hit(r, i, snippet, deadline, &st);
        if (hit) json_array_append_new(hits, hit);
    }
    json_object_set_new(reply, "hits", hits);
    return st;
}

static lede_status_t fill_reply(shim_results_t *r, const search_params_t *p, json_t *reply) {
    lede_status_t st = add_hits(r, p->snippet, p->deadline, reply);
    if (st == LEDE_OK && p->n_facets) json_object_set_new(reply, "facets", make_facets(r));
    const char *suggestion = shim_results_suggestion(r);
    if (st == LEDE_OK && p->suggest && suggestion)
        json_object_set_new(reply, "suggestion", json_string(suggestion));
    return st;
}

/* Whether any-word matching could find more than all-words: only when
 * the query has two words or more (a rough test: a space between
 * non-spaces). */
static bool several_words(const char *q) {
    if (!q) return false;
    while (*q == ' ') q++;
    const char *space = strchr(q, ' ');
    if (!space) return false;
    while (*space == ' ') space++;
    return *space != '\0';
}

/* The reply fields a search adds, dropped before it is run again. */
static void drop_results(json_t *reply) {
    static const char *const KEYS[] = {"total", "hits", "facets", "suggestion", "relaxed"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) json_object_del(reply, KEYS[i]);
}

/* Snippets read the index after the search, and an update in between can
 * discard the revision they read (LEDE_E_MODIFIED): the handle is then
 * reopened and the whole request run once more, on the newest revision. */
static bool run_again(shim_db_t *db, lede_status_t st, json_t *reply) {
    if (st != LEDE_E_MODIFIED || shim_db_reopen(db, NULL) != LEDE_OK) return false;
    drop_results(reply);
    return true;
}

/* The search, relaxed to any word when asked and all words match nothing. */
static lede_status_t search_once(shim_db_t *db, const search_params_t *p, shim_query_t q,
                                 json_t *reply) {
    shim_results_t *r;
    lede_status_t st = shim_search(db, &q, &r);
    if (st != LEDE_OK) return st;
    bool relaxed = false;
    if (p->relax && q.match == SHIM_MATCH_ALL && shim_results_total(r) == 0 &&
        several_words(p->q)) {
        shim_results_t *any;
        q.match = SHIM_MATCH_ANY;
        st = shim_search(db, &q, &any);
        if (st != LEDE_OK) return shim_results_free(r), st;
        relaxed = shim_results_total(any) > 0;
        shim_results_free(relaxed ? r : any);
        if (relaxed) r = any;
    }
    st = fill_reply(r, p, reply);
    if (relaxed) json_object_set_new(reply, "relaxed", json_true());
    shim_results_free(r);
    return st;
}

lede_status_t search_execute(shim_db_t *db, const search_params_t *p, json_t *reply) {
    shim_filter_t filters[SEARCH_F_COUNT];
    size_t n = 0;
    for (int k = 0; k < SEARCH_F_COUNT; k++) {
        if (!p->filter_counts[k]) continue;
        filters[n++] = (shim_filter_t){FILTER_NAMES[k], p->filter_values[k], p->filter_counts[k]};
    }
    search_query_size_t size;
    search_query_size(p->q, &size);
    shim_query_t q = {.text = p->q,
                      .match = p->match,
                      .fallback = true,
                      .filters = filters,
                      .n_filters = n,
                      .date_from = p->date_from,
                      .date_to = p->date_to,
                      .sort = p->sort,
                      .offset = p->offset,
                      .limit = p->limit,
                      .facets = p->facets,
                      .n_facets = p->n_facets,
                      .suggest = p->suggest && size.words <= SEARCH_SPELLING_MAX_WORDS,
                      .time_limit_ms = p->time_limit_ms,
                      .deadline = p->deadline,
                      .check_at_least = SEARCH_EXACT_TOTAL,
                      .ranking = p->ranking,
                      .summary_only = !p->snippet};
    lede_status_t st = search_once(db, p, q, reply);
    return run_again(db, st, reply) ? search_once(db, p, q, reply) : st;
}

static lede_status_t similar_once(shim_db_t *db, const char *doc, uint32_t offset, uint32_t limit,
                                  json_t *reply) {
    shim_results_t *r;
    lede_status_t st = shim_similar(db, doc, offset, limit, &r);
    if (st != LEDE_OK) return st;
    st = add_hits(r, true, 0, reply);
    shim_results_free(r);
    return st;
}

lede_status_t search_similar(shim_db_t *db, const char *doc, uint32_t offset, uint32_t limit,
                             json_t *reply) {
    lede_status_t st = similar_once(db, doc, offset, limit, reply);
    return run_again(db, st, reply) ? similar_once(db, doc, offset, limit, reply) : st;
}

/* Titles of the best matches of the prefix, the last word still partial. */
static lede_status_t add_titles(shim_db_t *db, const char *prefix, uint32_t limit, json_t *reply) {
    shim_query_t q = {.text = prefix, .fallback = true, .partial = true, .limit = limit,
                      .summary_only = true};
    shim_results_t *r;
    lede_status_t st = shim_search(db, &q, &r);
    if (st != LEDE_OK) return st;
    json_t *titles = json_array();
    for (size_t i = 0; titles && i < shim_results_size(r); i++) {
        shim_hit_t h;
        shim_results_hit(r, i, &h);
        json_t *doc = json_loadb(h.data, h.data_len, 0, NULL);
        json_t *title = json_object_get(doc, "title");
        if (json_is_string(title) && *json_string_value(title))
            json_array_append_new(titles, json_pack("{sOsO}", "id", json_object_get(doc, "id"), "title", title));
        json_decref(doc);
    }
    shim_results_free(r);
    return titles && json_object_set_new(reply, "titles", titles) == 0 ? LEDE_OK : LEDE_E_NOMEM;
}

lede_status_t search_suggest(shim_db_t *db, const char *prefix, uint32_t limit, json_t *reply) {
    char **words;
    size_t n;
    lede_status_t st = shim_complete(db, prefix, limit, &words, &n);
    if (st != LEDE_OK) return st;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) json_array_append_new(list, json_string(words[i]));
    shim_strings_free(words, n);
    if (!list || json_object_set_new(reply, "suggestions", list) != 0) return LEDE_E_NOMEM;
    return add_titles(db, prefix, limit < 5 ? limit : 5, reply);
}

/* A document's stored JSON as a reply object: {"id",...,"body",...};
 * NULL when the data is not a JSON object. Caller owns the result. */
static json_t *search_document(const char *data, size_t len) {
    json_t *doc = json_loadb(data, len, 0, NULL);
    if (doc && !json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

lede_status_t search_get(shim_db_t *db, const char *id, json_t *reply) {
    char *data;
    size_t len;
    lede_status_t st = shim_db_get(db, id, &data, &len);
    if (st != LEDE_OK) return st;
    json_t *doc = search_document(data, len);
    free(data);
    if (!doc) return LEDE_E_CORRUPT;
    json_object_set_new(reply, "doc", doc);
    return LEDE_OK;
}
