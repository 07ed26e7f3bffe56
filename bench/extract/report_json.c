/* The JSON report (report.h). */
#include "report.h"

static json_t *counts(tally_counts_t c) {
    return json_pack("{s:I,s:I}", "pass", (json_int_t)c.pass, "total", (json_int_t)c.total);
}

static json_t *fields(const tally_subset_t *s) {
    json_t *o = json_object();
    for (int f = 0; f < CF_COUNT; f++) json_object_set_new(o, check_field_name(f), counts(s->f[f]));
    return o;
}

static json_t *subset(const tally_subset_t *s) {
    json_t *o = json_pack("{s:I,s:I,s:o}", "pages", (json_int_t)s->pages, "missing",
                          (json_int_t)s->missing, "fields", fields(s));
    if (s->f1_pages) json_object_set_new(o, "body_f1", json_real(tally_f1(s)));
    return o;
}

static json_t *subsets(const tally_subset_t *v, size_t n, size_t min_pages) {
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        if (v[i].pages >= min_pages) json_object_set_new(o, v[i].name, subset(&v[i]));
    return o;
}

static json_t *invented(const tally_subset_t *s) {
    json_t *o = json_object();
    for (int k = 0; k < CI_COUNT; k++)
        json_object_set_new(o, check_invent_name(k),
                            json_pack("{s:I,s:I}", "count", (json_int_t)s->invented[k].pass,
                                      "pages", (json_int_t)s->invented[k].total));
    return o;
}

static json_t *verdict(const check_result_t *r) {
    json_t *o = json_pack("{s:b}", "pass", r->verdict == CHECK_PASS);
    if (r->want) json_object_set_new(o, "want", json_string(r->want));
    if (r->got) json_object_set_new(o, "got", json_string(r->got));
    return o;
}

static json_t *page(const check_page_t *p) {
    json_t *o = json_pack("{s:s,s:I}", "id", p->truth->id, "documents", (json_int_t)p->docs);
    json_t *fs = json_object(), *inv = json_array();
    for (int f = 0; f < CF_COUNT; f++)
        if (p->r[f].verdict != CHECK_SKIP)
            json_object_set_new(fs, check_field_name(f), verdict(&p->r[f]));
    for (int k = 0; k < CI_COUNT; k++)
        if (p->invented[k]) json_array_append_new(inv, json_string(check_invent_name(k)));
    json_object_set_new(o, "fields", fs);
    json_object_set_new(o, "invented", inv);
    if (p->has_f1)
        json_object_set_new(o, "body_f1",
                            json_pack("{s:f,s:f,s:f}", "f1", p->f1.f1, "precision", p->f1.precision,
                                      "recall", p->f1.recall));
    return o;
}

json_t *report_json(const evalset_t *s) {
    const tally_t *t = &s->tally;
    json_t *pages = json_array();
    for (size_t i = 0; i < s->n; i++) json_array_append_new(pages, page(&s->pages[i]));
    json_t *o = json_pack("{s:s,s:I,s:I,s:{s:i,s:s?}}", "set", s->name, "pages", (json_int_t)s->n,
                          "documents", (json_int_t)s->documents, "indexer", "status", s->run.status,
                          "summary", s->run.summary);
    json_object_set_new(o, "all", subset(&t->all));
    json_object_set_new(o, "whole", subset(&t->whole));
    json_object_set_new(o, "cut", subset(&t->cut));
    json_object_set_new(o, "groups", subsets(t->groups, t->n_groups, 1));
    json_object_set_new(o, "hosts", subsets(t->hosts, t->n_hosts, TALLY_HOST_MIN_PAGES));
    json_object_set_new(o, "invented", invented(&t->all));
    json_object_set_new(o, "page_results", pages);
    return o;
}
