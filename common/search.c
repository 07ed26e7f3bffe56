/* One search: parameters to shim query, results to reply JSON. */
#include "lede/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/json_build.h"
#include "lede/stored.h"

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

/* Removes the two highlight markers from text, in place, so that in a
 * snippet they can only mean "a match starts/ends here". */
static void strip_markers(char *text) {
    char *w = text;
    for (const char *r = text; *r; r++)
        if (*r != SEARCH_HI_START[0] && *r != SEARCH_HI_END[0]) *w++ = *r;
    *w = '\0';
}

/* The stored fields a hit shows. */
enum hit_field { HF_ID, HF_TITLE, HF_DATE, HF_SOURCE, HF_CATEGORY, HF_URL, HF_BODY, HF_STRINGS };
static const char *const HIT_KEYS[] = {"id",  "title", "date",   "source",         "category",
                                       "url", "body",  "author", "title_from_body"};
enum { HF_AUTHOR = HF_STRINGS, HF_TITLE_FROM_BODY, HF_KEYS };

typedef struct hit_fields {
    char *s[HF_STRINGS]; /* malloc'd; NULL when absent or not a string */
    char *author;        /* "author" in a hit is one string: several are joined */
    bool title_from_body;
} hit_fields_t;

static void hit_fields_free(hit_fields_t *f) {
    for (size_t i = 0; i < HF_STRINGS; i++) free(f->s[i]);
    free(f->author);
}

/* Appends ", " and name (or just name) to *out; false when out of memory. */
static bool add_author(char **out, const char *name) {
    size_t had = *out ? strlen(*out) : 0;
    char *grown = realloc(*out, had + strlen(name) + 3);
    if (!grown) return false;
    snprintf(grown + had, strlen(name) + 3, "%s%s", had ? ", " : "", name);
    *out = grown;
    return true;
}

/* Fields of a record stored_find could not read (lede/stored.h), with
 * jansson. False when it is not JSON or out of memory. */
static bool parsed_fields(const char *data, size_t len, hit_fields_t *f) {
    json_t *doc = json_loadb(data, len, 0, NULL), *v;
    bool ok = doc != NULL;
    for (size_t i = 0; ok && i < HF_STRINGS; i++) {
        const char *text = json_string_value(json_object_get(doc, HIT_KEYS[i]));
        ok = !text || (f->s[i] = strdup(text));
    }
    size_t k;
    json_array_foreach(json_object_get(doc, HIT_KEYS[HF_AUTHOR]), k, v) {
        if (ok && json_is_string(v)) ok = add_author(&f->author, json_string_value(v));
    }
    f->title_from_body = json_is_true(json_object_get(doc, HIT_KEYS[HF_TITLE_FROM_BODY]));
    json_decref(doc);
    return ok;
}

/* A string value decoded into *out; false only when out of memory. */
static bool decoded(stored_span_t v, char **out) {
    *out = stored_string(v);
    return *out || !v.p || *v.p != '"';
}

/* The fields a hit shows from its stored record (the whole article, or
 * its summary when no snippet is wanted). False when the record is not
 * JSON or out of memory; *f is then still the caller's to free. */
static bool read_hit_fields(const char *data, size_t len, hit_fields_t *f) {
    stored_span_t v[HF_KEYS], item;
    memset(f, 0, sizeof *f);
    if (!stored_find(data, len, HIT_KEYS, HF_KEYS, v)) return parsed_fields(data, len, f);
    bool ok = true;
    for (size_t i = 0; ok && i < HF_STRINGS; i++) ok = decoded(v[i], &f->s[i]);
    while (ok && stored_next(&v[HF_AUTHOR], &item)) {
        char *name = NULL;
        ok = decoded(item, &name) && (!name || add_author(&f->author, name));
        free(name);
    }
    f->title_from_body = stored_true(v[HF_TITLE_FROM_BODY]);
    return ok;
}

/* LEDE_E_TIMEOUT when deadline (0: none) has passed. */
static lede_status_t check_deadline(double deadline) {
    return deadline > 0 && shim_clock() > deadline ? LEDE_E_TIMEOUT : LEDE_OK;
}

/* Where a lead of text (whitespace runs already single spaces) ends:
 * after the last whole sentence within max bytes, or when the first
 * sentence is longer than half of that, at the last space. *cut says the
 * sentence goes on. */
static size_t lead_end(const char *text, size_t max, bool *cut) {
    size_t n = strlen(text), sentence = 0, space = 0;
    *cut = false;
    if (n <= max) return n;
    for (size_t i = 1; i <= max; i++) {
        if (text[i] != ' ') continue;
        space = i;
        if (strchr(".!?", text[i - 1])) sentence = i;
    }
    if (sentence >= max / 2) return sentence;
    *cut = true;
    return space ? space : max;
}

/* The opening sentences of text, up to about max bytes, whitespace runs
 * (wire copy's line breaks) made single spaces: a browse view's snippet,
 * where there are no matches to show. Caller frees. */
static char *lead_of(const char *text, size_t max) {
    char *flat = malloc(strlen(text) + 1), *w = flat;
    if (!flat) return NULL;
    for (const char *p = text; *p; p++) {
        bool blank = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (!blank)
            *w++ = *p;
        else if (w > flat && w[-1] != ' ')
            *w++ = ' ';
    }
    while (w > flat && w[-1] == ' ') w--;
    *w = '\0';
    bool cut;
    size_t end = lead_end(flat, max, &cut);
    char *lead = malloc(end + sizeof "…");
    if (lead) snprintf(lead, end + sizeof "…", "%.*s%s", (int)end, flat, cut ? "…" : "");
    free(flat);
    return lead;
}

/* The hit's snippet from its body (or its title, when it has none);
 * strips the highlight markers from that field in place. */
static lede_status_t add_snippet(shim_results_t *r, hit_fields_t *f, bool lead, json_t *hit) {
    char *own = f->s[HF_BODY] && *f->s[HF_BODY] ? f->s[HF_BODY] : f->s[HF_TITLE], *snippet = NULL;
    if (own) strip_markers(own);
    const char *text = own ? own : "";
    lede_status_t st = LEDE_OK;
    if (lead)
        st = (snippet = lead_of(text, SEARCH_SNIPPET_BYTES)) ? LEDE_OK : LEDE_E_NOMEM;
    else
        st = shim_results_snippet(r, text, SEARCH_SNIPPET_BYTES, SEARCH_HI_START, SEARCH_HI_END,
                                  &snippet);
    if (st == LEDE_OK && json_object_set_new(hit, "snippet", json_string(snippet)) != 0)
        st = LEDE_E_NOMEM;
    free(snippet);
    return st;
}

static json_t *make_hit(shim_results_t *r, size_t i, bool snippet, bool lead, double deadline,
                        lede_status_t *st) {
    static const enum hit_field SHOWN[] = {HF_TITLE, HF_DATE, HF_SOURCE, HF_CATEGORY, HF_URL};
    shim_hit_t h;
    shim_results_hit(r, i, &h);
    hit_fields_t f;
    bool read = read_hit_fields(h.data, h.data_len, &f);
    json_t *hit = json_object();
    json_build_t b = {!read || !hit};
    jb_str(&b, hit, "id", f.s[HF_ID]);
    jb_set(&b, hit, "rank", json_integer(h.rank));
    jb_set(&b, hit, "score", json_real(h.score));
    for (size_t k = 0; k < sizeof SHOWN / sizeof SHOWN[0]; k++)
        jb_str(&b, hit, HIT_KEYS[SHOWN[k]], f.s[SHOWN[k]]);
    if (f.title_from_body) jb_set(&b, hit, "title_from_body", json_true());
    if (f.author && *f.author) jb_str(&b, hit, "author", f.author);
    bool failed = b.failed;
    /* A snippet is a Xapian call of its own, and long texts take a while. */
    if (!failed && snippet && (*st = check_deadline(deadline)) != LEDE_OK) failed = true;
    if (!failed && snippet && (*st = add_snippet(r, &f, lead, hit)) != LEDE_OK) failed = true;
    hit_fields_free(&f);
    if (failed) {
        json_decref(hit);
        if (*st == LEDE_OK) *st = LEDE_E_NOMEM;
        return NULL;
    }
    return hit;
}

static void add_facets(shim_results_t *r, json_build_t *b, json_t *reply) {
    json_t *facets = json_object();
    for (size_t k = 0; facets && k < shim_results_facet_count(r); k++) {
        json_t *values = json_object();
        for (size_t j = 0; values && j < shim_results_facet_size(r, k); j++) {
            const char *value;
            uint32_t count;
            shim_results_facet_value(r, k, j, &value, &count);
            jb_set(b, values, value, json_integer(count));
        }
        jb_set(b, facets, shim_results_facet_name(r, k), values);
    }
    jb_set(b, reply, "facets", facets);
}

/* "total" and "total_exact": Xapian's bounds are equal when the total is
 * exact; when they are not, they go to the reply with the estimate. */
static void add_total(shim_results_t *r, json_build_t *b, json_t *reply) {
    uint32_t lower = shim_results_total_lower(r), upper = shim_results_total_upper(r);
    bool exact = lower == upper;
    jb_set(b, reply, "total", json_integer(exact ? lower : shim_results_total(r)));
    jb_set(b, reply, "total_exact", json_boolean(exact));
    if (exact) return;
    jb_set(b, reply, "total_min", json_integer(lower));
    jb_set(b, reply, "total_max", json_integer(upper));
}

/* The totals and "hits"; snippets are the articles' leads when lead is
 * set (a browse view: no query, nothing to highlight). */
static lede_status_t add_hits(shim_results_t *r, bool snippet, bool lead, double deadline,
                              json_t *reply) {
    lede_status_t st = LEDE_OK;
    json_build_t b = {false};
    json_t *hits = json_array();
    add_total(r, &b, reply);
    for (size_t i = 0; hits && i < shim_results_size(r) && st == LEDE_OK; i++) {
        json_t *hit = make_hit(r, i, snippet, lead, deadline, &st);
        if (hit) jb_append(&b, hits, hit);
    }
    jb_set(&b, reply, "hits", hits);
    return st != LEDE_OK ? st : jb_status(&b);
}

/* A query of nothing but spaces matches every article: a browse view. */
static bool browsing(const char *q) {
    return !q || q[strspn(q, " \t\r\n")] == '\0';
}

/* What became of the query's spelling: the better spelling (NULL: none
 * worth offering) and whether the hits are its results. */
typedef struct spelling {
    char *text; /* malloc'd */
    bool used;
} spelling_t;

static lede_status_t fill_reply(shim_results_t *r, const search_params_t *p, const spelling_t *sp,
                                json_t *reply) {
    lede_status_t st = add_hits(r, p->snippet, browsing(p->q), p->deadline, reply);
    if (st != LEDE_OK) return st;
    json_build_t b = {false};
    if (p->n_facets) add_facets(r, &b, reply);
    if (shim_results_fell_back(r)) jb_set(&b, reply, "query_fallback", json_true());
    if (sp->text && sp->used)
        jb_set(&b, reply, "corrected",
               json_pack("{ssss}", "q", sp->text, "from", p->q ? p->q : ""));
    else if (sp->text)
        jb_str(&b, reply, "suggestion", sp->text);
    return jb_status(&b);
}

/* Fewer results than this are too few: a reader wants a page. */
static uint32_t too_few(const search_params_t *p) {
    if (!p->relax) return 1; /* match all or any: only none is too few */
    return p->relax_below ? p->relax_below : SEARCH_RELAX_BELOW;
}

/* Whether the suggestion of *r is worth anything: offered only when it
 * finds more than the query; with spelling auto and too few results,
 * its results replace *r. sp->text is NULL when there is nothing to say. */
static lede_status_t weigh_spelling(shim_db_t *db, const search_params_t *p, shim_query_t q,
                                    shim_results_t **r, spelling_t *sp) {
    const char *s = shim_results_suggestion(*r);
    if (!s) return LEDE_OK;
    uint32_t found = shim_results_total(*r);
    bool replace = p->spelling == SEARCH_SPELLING_AUTO && found < too_few(p);
    if (!(sp->text = strdup(s))) return LEDE_E_NOMEM;
    q.text = sp->text;
    q.suggest = false;
    if (!replace) /* only its count is needed */
        q.offset = q.limit = 0, q.n_facets = 0, q.exact_total = false;
    shim_results_t *c;
    lede_status_t st = shim_search(db, &q, &c);
    if (st != LEDE_OK) return st;
    bool more = shim_results_total(c) > found;
    if (more && replace) {
        shim_results_free(*r);
        *r = c;
        sp->used = true;
        return LEDE_OK;
    }
    shim_results_free(c);
    if (!more) free(sp->text), sp->text = NULL;
    return LEDE_OK;
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
    static const char *const KEYS[] = {"total",   "total_exact",   "total_min",  "total_max",
                                       "hits",    "facets",        "suggestion", "corrected",
                                       "relaxed", "query_fallback"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) json_object_del(reply, KEYS[i]);
}

/* A step after the search (a spelling check, a relaxed second search) can
 * find that an update discarded the revision read (LEDE_E_MODIFIED): the
 * handle is then reopened and the whole request run once more, on the
 * newest revision. (Snippets read the index no longer: shim/snippet.cc.) */
static bool run_again(shim_db_t *db, lede_status_t st, json_t *reply) {
    if (st != LEDE_E_MODIFIED || shim_db_reopen(db, NULL) != LEDE_OK) return false;
    drop_results(reply);
    return true;
}

/* With match auto, a query of several words whose words all find too
 * few is searched again with any word, the articles with every word
 * first; *relaxed says whether *r was replaced (when that finds more). */
static lede_status_t relax(shim_db_t *db, const search_params_t *p, shim_query_t q,
                           shim_results_t **r, bool *relaxed) {
    *relaxed = false;
    uint32_t found = shim_results_total(*r);
    if (!p->relax || q.match != SHIM_MATCH_ALL || found >= too_few(p) || !several_words(q.text))
        return LEDE_OK;
    shim_results_t *any;
    q.match = SHIM_MATCH_RELAXED;
    q.suggest = false;
    lede_status_t st = shim_search(db, &q, &any);
    if (st != LEDE_OK) return st;
    *relaxed = shim_results_total(any) > found;
    shim_results_free(*relaxed ? *r : any);
    if (*relaxed) *r = any;
    return LEDE_OK;
}

/* The search, spelt better and relaxed to any word when asked and it
 * finds too few. */
static lede_status_t search_once(shim_db_t *db, const search_params_t *p, shim_query_t q,
                                 json_t *reply) {
    shim_results_t *r;
    lede_status_t st = shim_search(db, &q, &r);
    if (st != LEDE_OK) return st;
    spelling_t sp = {NULL, false};
    bool relaxed = false;
    st = weigh_spelling(db, p, q, &r, &sp);
    if (sp.used) q.text = sp.text;
    if (st == LEDE_OK) st = relax(db, p, q, &r, &relaxed);
    if (st == LEDE_OK) st = fill_reply(r, p, &sp, reply);
    if (st == LEDE_OK && relaxed && json_object_set_new(reply, "relaxed", json_true()) != 0)
        st = LEDE_E_NOMEM;
    shim_results_free(r);
    free(sp.text);
    return st;
}

lede_status_t search_execute(shim_db_t *db, const search_params_t *p, json_t *reply) {
    shim_filter_t filters[LEDE_FIELD_COUNT];
    size_t n = 0;
    for (int k = 0; k < LEDE_FIELD_COUNT; k++) {
        if (!p->filter_counts[k]) continue;
        filters[n++] =
            (shim_filter_t){lede_field(k)->name, p->filter_values[k], p->filter_counts[k]};
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
                      .timeline = p->timeline,
                      .facet_limit = p->facet_limit,
                      .suggest = p->suggest && p->spelling != SEARCH_SPELLING_OFF &&
                                 size.words <= SEARCH_SPELLING_MAX_WORDS,
                      .deadline = p->deadline,
                      .check_at_least = SEARCH_EXACT_TOTAL,
                      .exact_total = p->exact_total,
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
    st = add_hits(r, true, false, 0, reply);
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
    shim_query_t q = {
        .text = prefix, .fallback = true, .partial = true, .limit = limit, .summary_only = true};
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
            json_array_append_new(
                titles, json_pack("{sOsO}", "id", json_object_get(doc, "id"), "title", title));
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
