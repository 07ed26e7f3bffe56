/* Adding up verdicts (tally.h). */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static void add_page(tally_subset_t *s, const check_page_t *p) {
    s->pages++;
    s->missing += p->docs == 0;
    for (int f = 0; f < CF_COUNT; f++) {
        if (p->r[f].verdict == CHECK_SKIP) continue;
        s->f[f].total++;
        s->f[f].pass += p->r[f].verdict == CHECK_PASS;
    }
    for (int k = 0; k < CI_COUNT; k++) {
        if (!p->invent_scored[k]) continue;
        s->invented[k].total++;
        s->invented[k].pass += p->invented[k];
    }
    if (p->has_f1) s->f1_sum += p->f1.f1, s->f1_pages++;
}

/* The subset with this name in *v, added when missing. */
static tally_subset_t *subset(tally_subset_t **v, size_t *n, const char *name) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0) return &(*v)[i];
    *v = ev_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n] = (tally_subset_t){.name = ev_xstrdup(name)};
    return &(*v)[(*n)++];
}

void tally_build(const check_page_t *pages, size_t n, tally_t *out) {
    *out = (tally_t){.all.name = ev_xstrdup("all"),
                     .whole.name = ev_xstrdup("whole"),
                     .cut.name = ev_xstrdup("cut")};
    for (size_t i = 0; i < n; i++) {
        const truth_page_t *t = pages[i].truth;
        add_page(&out->all, &pages[i]);
        add_page(t->truncated ? &out->cut : &out->whole, &pages[i]);
        add_page(subset(&out->groups, &out->n_groups, *t->group ? t->group : "?"), &pages[i]);
        add_page(subset(&out->hosts, &out->n_hosts, *t->host ? t->host : "?"), &pages[i]);
    }
}

static void free_subsets(tally_subset_t *v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i].name);
    free(v);
}

void tally_free(tally_t *t) {
    free(t->all.name);
    free(t->whole.name);
    free(t->cut.name);
    free_subsets(t->groups, t->n_groups);
    free_subsets(t->hosts, t->n_hosts);
    *t = (tally_t){0};
}

double tally_percent(tally_counts_t c) {
    return c.total ? 100.0 * (double)c.pass / (double)c.total : 0.0;
}

double tally_f1(const tally_subset_t *s) {
    return s->f1_pages ? s->f1_sum / (double)s->f1_pages : 0.0;
}
