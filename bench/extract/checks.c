/* Scoring one page against its truth (checks.h); the leak rules are in
 * leaks.c. */
#include "checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "forms.h"
#include "leaks.h"
#include "show.h"

/* Characters of a value shown in a failure line. */
#define SHOW_CHARS 120

static const char *const FIELD_NAMES[CF_COUNT] = {
    "title",         "author",          "date",     "time",       "source",
    "source_named",  "no_wrong_source", "category", "place",      "body_start",
    "body_end",      "furniture",       "captions", "meta_lines", "sidebar_in_main",
    "sidebar_split", "no_stray_docs"};

static const char *const INVENT_NAMES[CI_COUNT] = {"author", "date",     "time",
                                                   "source", "category", "place"};

const char *check_field_name(int field) {
    return field >= 0 && field < CF_COUNT ? FIELD_NAMES[field] : "?";
}

int check_field_by_name(const char *name) {
    for (int i = 0; i < CF_COUNT; i++)
        if (strcmp(FIELD_NAMES[i], name) == 0) return i;
    return -1;
}

const char *check_invent_name(int kind) {
    return kind >= 0 && kind < CI_COUNT ? INVENT_NAMES[kind] : "?";
}

int check_invent_by_name(const char *name) {
    for (int i = 0; i < CI_COUNT; i++)
        if (strcmp(INVENT_NAMES[i], name) == 0) return i;
    return -1;
}

static void clear(check_result_t *r) {
    free(r->want);
    free(r->got);
    *r = (check_result_t){CHECK_SKIP, NULL, NULL};
}

void check_set(check_result_t *r, bool pass, char *want, char *got) {
    clear(r);
    r->verdict = pass ? CHECK_PASS : CHECK_FAIL;
    if (pass) {
        free(want);
        free(got);
        return;
    }
    r->want = want;
    r->got = got;
}

/* ---- the page in compared forms ---------------------------------------- */

typedef struct page_ctx {
    const truth_page_t *t;
    const doc_page_t *docs;
    const doc_t *main;  /* docs->v[0] */
    doc_forms_t *forms; /* one per document */
    forms_alts_t titles, sources, categories, firsts, lasts;
    forms_sets_t authors, places;
    dates_when_t truth_date, got_date;
} page_ctx_t;

static void ctx_init(page_ctx_t *c, const truth_page_t *t, const doc_page_t *docs) {
    *c = (page_ctx_t){.t = t, .docs = docs, .main = docs->n ? &docs->v[0] : NULL};
    c->forms = ev_xmalloc((docs->n ? docs->n : 1) * sizeof *c->forms);
    for (size_t k = 0; k < docs->n; k++) forms_of_doc(&docs->v[k], &c->forms[k]);
    forms_alts_of(t->title, &t->title_alt, &c->titles);
    forms_alts_of(t->source, &t->source_alt, &c->sources);
    forms_alts_of(t->category, &t->category_alt, &c->categories);
    forms_alts_of(t->first_body, &t->first_body_alt, &c->firsts);
    forms_alts_of(t->last_body, &t->last_body_alt, &c->lasts);
    forms_sets_of(&t->author, &t->author_alt, &c->authors);
    forms_sets_of(&t->place, &t->place_alt, &c->places);
    dates_parse(t->date, &c->truth_date); /* checked when the truth was read */
    if (c->main && !dates_parse(c->main->date, &c->got_date))
        c->got_date = (dates_when_t){0}; /* not a date lede writes: taken as none */
}

static void ctx_free(page_ctx_t *c) {
    for (size_t k = 0; k < c->docs->n; k++) forms_doc_free(&c->forms[k]);
    free(c->forms);
    forms_alts_t *alts[] = {&c->titles, &c->sources, &c->categories, &c->firsts, &c->lasts};
    for (size_t i = 0; i < sizeof alts / sizeof *alts; i++) forms_alts_free(alts[i]);
    forms_sets_free(&c->authors);
    forms_sets_free(&c->places);
}

/* ---- which fields a page is scored on ---------------------------------- */

static bool judged(const truth_page_t *t, int field) {
    const char *also = field == CF_TIME                                          ? "date"
                       : field == CF_SOURCE_NAMED || field == CF_NO_WRONG_SOURCE ? "source"
                                                                                 : NULL;
    return !truth_unjudged(t, check_field_name(field)) && !(also && truth_unjudged(t, also));
}

static bool scored(const page_ctx_t *c, int field) {
    const truth_page_t *t = c->t;
    int times[2];
    switch (field) {
    case CF_TITLE:
        return t->title != NULL;
    case CF_TIME:
        return dates_truth_times(&c->truth_date, t->tz, times) > 0 ||
               dates_time_of(&c->got_date) >= 0;
    case CF_SOURCE_NAMED:
        return t->source_in_text;
    case CF_FURNITURE:
        return t->furniture.n > 0;
    case CF_CAPTIONS:
        return t->captions.n > 0;
    case CF_META_LINES:
        return t->meta_lines.n > 0;
    case CF_SIDEBAR_IN_MAIN:
        return t->sidebar.n > 0;
    case CF_SIDEBAR_SPLIT:
        return t->sidebar_items > 0;
    case CF_NO_STRAY_DOCS:
        return t->sidebar_items == 0;
    default:
        return true;
    }
}

/* ---- the fields ------------------------------------------------------- */

/* A text field compared as tokens: the value or an alternative; when the
 * truth has no value, also none. */
static void check_tokens(check_result_t *r, const forms_alts_t *accepted, const norm_tokens_t *got,
                         const char *want_value, const ev_strv_t *alts, const char *got_value) {
    bool pass = forms_alts_match(accepted, got) || (!want_value && got->n == 0);
    check_set(r, pass, pass ? NULL : show_alts(want_value, alts, SHOW_CHARS),
              pass ? NULL : show_head(got_value, SHOW_CHARS));
}

static void check_set_field(check_result_t *r, const forms_sets_t *accepted, const forms_set_t *got,
                            const ev_strv_t *want_value, const ev_strvv_t *alts,
                            const ev_strv_t *got_value) {
    if (forms_sets_match(accepted, got)) return check_set(r, true, NULL, NULL);
    ev_buf_t want = {0};
    char *s = show_list(want_value);
    ev_buf_add(&want, s, strlen(s));
    free(s);
    for (size_t i = 0; i < alts->n; i++) {
        s = show_list(&alts->v[i]);
        ev_buf_addf(&want, " or %s", s);
        free(s);
    }
    check_set(r, false, ev_buf_take(&want), show_list(got_value));
}

static char *show_truth_date(const truth_page_t *t) {
    if (!t->date) return ev_xstrdup("none");
    return t->tz ? ev_sprintf("%s (tz %s)", t->date, t->tz) : ev_xstrdup(t->date);
}

static void check_date(page_ctx_t *c, check_page_t *out) {
    bool pass = dates_same_day(&c->truth_date, c->t->tz, &c->got_date);
    check_set(&out->r[CF_DATE], pass, show_truth_date(c->t),
              ev_xstrdup(c->main->date ? c->main->date : "none"));
}

static char *show_minutes(int m) {
    return m < 0 ? ev_xstrdup("none") : ev_sprintf("%02d:%02d", m / 60, m % 60);
}

static void check_time(page_ctx_t *c, check_page_t *out) {
    int want[2], got = dates_time_of(&c->got_date);
    size_t n = dates_truth_times(&c->truth_date, c->t->tz, want);
    bool pass = false;
    for (size_t i = 0; i < n; i++) pass = pass || want[i] == got;
    char *shown = show_minutes(n ? want[0] : -1);
    char *want_s = n > 1 ? ev_sprintf("%s or %02d:%02d UTC", shown, want[1] / 60, want[1] % 60)
                         : ev_xstrdup(shown);
    free(shown);
    check_set(&out->r[CF_TIME], pass, want_s, show_minutes(got));
}

static void check_source(page_ctx_t *c, check_page_t *out) {
    const truth_page_t *t = c->t;
    const norm_tokens_t *got = &c->forms[0].source;
    check_tokens(&out->r[CF_SOURCE], &c->sources, got, t->source, &t->source_alt, c->main->source);
    bool right = out->r[CF_SOURCE].verdict == CHECK_PASS;
    check_set(&out->r[CF_SOURCE_NAMED], right, show_alts(t->source, &t->source_alt, SHOW_CHARS),
              show_head(c->main->source, SHOW_CHARS));
    char *want = show_alts(t->source, &t->source_alt, SHOW_CHARS);
    check_set(&out->r[CF_NO_WRONG_SOURCE], right || got->n == 0, ev_sprintf("none or %s", want),
              show_head(c->main->source, SHOW_CHARS));
    free(want);
}

/* The body's first (last) words against the accepted ones. */
static void check_body_edge(page_ctx_t *c, check_result_t *r, bool start) {
    const forms_alts_t *accepted = start ? &c->firsts : &c->lasts;
    const norm_tokens_t *body = &c->forms[0].body;
    bool pass = false;
    for (size_t i = 0; i < accepted->n && !pass; i++)
        pass = start ? tokens_start_with(body, &accepted->v[i])
                     : tokens_end_with(body, &accepted->v[i]);
    const char *want = start ? c->t->first_body : c->t->last_body;
    const ev_strv_t *alts = start ? &c->t->first_body_alt : &c->t->last_body_alt;
    size_t chars = strlen(want) + 40; /* a little more than the truth's words */
    check_set(r, pass, show_alts(want, alts, SHOW_CHARS),
              start ? show_head(c->main->body, chars) : show_tail(c->main->body, chars));
}

static void check_items(page_ctx_t *c, check_page_t *out) {
    size_t extra = c->docs->n - 1;
    long want = c->t->sidebar_items;
    char *got = extra == 0 ? ev_xstrdup("no extra document")
                           : ev_sprintf("%zu extra (#2: %s)", extra,
                                        c->docs->v[1].title ? c->docs->v[1].title : "no title");
    if (want > 0)
        check_set(&out->r[CF_SIDEBAR_SPLIT], extra == (size_t)want,
                  ev_sprintf("%ld extra documents", want), got);
    else
        check_set(&out->r[CF_NO_STRAY_DOCS], extra == 0, ev_xstrdup("no extra document"), got);
}

static void check_leaks(page_ctx_t *c, check_page_t *out) {
    const truth_page_t *t = c->t;
    leak_page_t p = {c->docs,        c->forms,    &c->titles, &c->sources,
                     &c->categories, &c->authors, &c->places};
    leaks_check_lines(&p, &t->furniture, false, &out->r[CF_FURNITURE]);
    leaks_check_lines(&p, &t->captions, false, &out->r[CF_CAPTIONS]);
    leaks_check_lines(&p, &t->meta_lines, true, &out->r[CF_META_LINES]);
    leaks_check_sidebar(&p, &t->sidebar, &out->r[CF_SIDEBAR_IN_MAIN]);
}

static void check_fields(page_ctx_t *c, check_page_t *out) {
    const truth_page_t *t = c->t;
    const doc_forms_t *m = &c->forms[0];
    check_tokens(&out->r[CF_TITLE], &c->titles, &m->title, t->title, &t->title_alt, c->main->title);
    check_set_field(&out->r[CF_AUTHOR], &c->authors, &m->authors, &t->author, &t->author_alt,
                    &c->main->authors);
    check_set_field(&out->r[CF_PLACE], &c->places, &m->places, &t->place, &t->place_alt,
                    &c->main->places);
    check_date(c, out);
    check_time(c, out);
    check_source(c, out);
    check_tokens(&out->r[CF_CATEGORY], &c->categories, &m->category, t->category, &t->category_alt,
                 c->main->category);
    check_body_edge(c, &out->r[CF_BODY_START], true);
    check_body_edge(c, &out->r[CF_BODY_END], false);
    check_leaks(c, out);
    check_items(c, out);
}

/* ---- inventions, missing pages, the F1 ------------------------------- */

/* Whether the truth has no value for kind, and whether the extractor
 * gave one. */
static void invent_sides(const page_ctx_t *c, int kind, bool *truth_none, bool *got_some) {
    const truth_page_t *t = c->t;
    const doc_t *m = c->main;
    switch (kind) {
    case CI_AUTHOR:
        *truth_none = t->author.n == 0, *got_some = m && m->authors.n;
        break;
    case CI_DATE:
        *truth_none = !t->date, *got_some = m && m->date;
        break;
    case CI_TIME:
        *truth_none = dates_time_of(&c->truth_date) < 0;
        *got_some = dates_time_of(&c->got_date) >= 0;
        break;
    case CI_SOURCE:
        *truth_none = !*t->source, *got_some = m && m->source;
        break;
    case CI_CATEGORY:
        *truth_none = !t->category, *got_some = m && m->category;
        break;
    default:
        *truth_none = t->place.n == 0, *got_some = m && m->places.n;
        break;
    }
}

static const int INVENT_FIELD[CI_COUNT] = {CF_AUTHOR, CF_DATE,     CF_TIME,
                                           CF_SOURCE, CF_CATEGORY, CF_PLACE};

static void count_inventions(const page_ctx_t *c, check_page_t *out) {
    for (int k = 0; k < CI_COUNT; k++) {
        int field = INVENT_FIELD[k];
        bool truth_none, got_some;
        invent_sides(c, k, &truth_none, &got_some);
        out->invent_scored[k] = judged(c->t, field);
        out->invented[k] =
            out->invent_scored[k] && truth_none && got_some && out->r[field].verdict == CHECK_FAIL;
    }
}

static void fail_missing(page_ctx_t *c, check_page_t *out) {
    for (int f = 0; f < CF_COUNT; f++)
        if (scored(c, f)) check_set(&out->r[f], false, NULL, ev_xstrdup("no document"));
}

static void body_f1(const page_ctx_t *c, const char *reference, check_page_t *out) {
    norm_tokens_t ref;
    norm_tokenize(reference, &ref);
    out->has_f1 = true;
    out->f1 = c->main ? tokens_f1(&c->forms[0].body, &ref) : (tokens_f1_t){0};
    norm_tokens_free(&ref);
}

void check_page(const truth_page_t *t, const doc_page_t *docs, const char *reference,
                check_page_t *out) {
    page_ctx_t c;
    *out = (check_page_t){.truth = t, .docs = docs->n};
    ctx_init(&c, t, docs);
    if (docs->n == 0)
        fail_missing(&c, out);
    else
        check_fields(&c, out);
    for (int f = 0; f < CF_COUNT; f++)
        if (!scored(&c, f) || !judged(t, f)) clear(&out->r[f]);
    count_inventions(&c, out);
    if (reference) body_f1(&c, reference, out);
    ctx_free(&c);
}

void check_page_free(check_page_t *p) {
    for (int f = 0; f < CF_COUNT; f++) clear(&p->r[f]);
}
