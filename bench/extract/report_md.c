/* The markdown report (report.h). */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* "36/65" or "-" when nothing was scored. */
static void cell(FILE *out, tally_counts_t c, bool percent) {
    if (c.total == 0) {
        fputs(percent ? " | - | -" : " | -", out);
        return;
    }
    fprintf(out, " | %zu/%zu", c.pass, c.total);
    if (percent) fprintf(out, " | %.1f", tally_percent(c));
}

static void header(FILE *out, const char *first, const tally_subset_t *const *cols, size_t n,
                   bool percent) {
    fprintf(out, "| %s", first);
    for (size_t i = 0; i < n; i++) {
        if (percent)
            fprintf(out, " | %s | %%", cols[i]->name);
        else
            fprintf(out, " | %s (%zu)", cols[i]->name, cols[i]->pages);
    }
    fputs(" |\n|---", out);
    for (size_t i = 0; i < n * (percent ? 2 : 1); i++) fputs("|--:", out);
    fputs("|\n", out);
}

/* Rows = fields, columns = subsets. */
static void field_table(FILE *out, const tally_subset_t *const *cols, size_t n, bool percent) {
    header(out, "field", cols, n, percent);
    for (int f = 0; f < CF_COUNT; f++) {
        fprintf(out, "| %s", check_field_name(f));
        for (size_t i = 0; i < n; i++) cell(out, cols[i]->f[f], percent);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

static void invented_table(FILE *out, const tally_subset_t *all) {
    fputs("Invented values (the extractor gave one where the truth has none; target: at most 2% "
          "of pages):\n\n| field | pages | % |\n|---|--:|--:|\n",
          out);
    for (int k = 0; k < CI_COUNT; k++) {
        fprintf(out, "| %s", check_invent_name(k));
        cell(out, all->invented[k], true);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

/* The subsets of v with at least min pages. */
static size_t pick(const tally_subset_t *v, size_t n, size_t min, const tally_subset_t **out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].pages >= min) out[k++] = &v[i];
    return k;
}

static void breakdowns(FILE *out, const tally_t *t) {
    size_t most = t->n_groups > t->n_hosts ? t->n_groups : t->n_hosts;
    const tally_subset_t **cols = ev_xmalloc(most * sizeof *cols);
    size_t n = pick(t->groups, t->n_groups, 1, cols);
    fputs("By group (pages):\n\n", out);
    field_table(out, cols, n, false);
    n = pick(t->hosts, t->n_hosts, TALLY_HOST_MIN_PAGES, cols);
    if (n > 0) {
        fprintf(out, "By host, hosts with %d or more pages:\n\n", TALLY_HOST_MIN_PAGES);
        field_table(out, cols, n, false);
    }
    free(cols);
}

static void summary(FILE *out, const evalset_t *s) {
    fprintf(out, "## Page extraction: %s set\n\n", s->name);
    fprintf(out, "%zu pages, %zu documents read back, %zu pages without a document.  \n", s->n,
            s->documents, s->tally.all.missing);
    fprintf(out, "`%s`%s\n\n", s->run.summary ? s->run.summary : "lede-indexer: no summary line",
            s->run.status ? " (exit status not 0)" : "");
}

static void failures_of_field(FILE *out, const evalset_t *s, int f) {
    size_t failed = 0, missing = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->pages[i].r[f].verdict != CHECK_FAIL) continue;
        if (s->pages[i].docs == 0)
            missing++;
        else
            failed++;
    }
    if (failed + missing == 0) return;
    fprintf(out, "#### %s: %zu failed", check_field_name(f), failed);
    if (missing) fprintf(out, " (and %zu pages without a document)", missing);
    fputs("\n\n", out);
    for (size_t i = 0; i < s->n; i++) {
        const check_page_t *p = &s->pages[i];
        if (p->r[f].verdict != CHECK_FAIL || p->docs == 0) continue;
        fprintf(out, "- %s: ", p->truth->id);
        if (p->r[f].want) fprintf(out, "want %s | got ", p->r[f].want);
        fprintf(out, "%s\n", p->r[f].got ? p->r[f].got : "");
    }
    if (failed) fputc('\n', out);
}

static void missing_pages(FILE *out, const evalset_t *s) {
    if (s->tally.all.missing == 0) return;
    fprintf(out, "#### pages without a document: %zu\n\n", s->tally.all.missing);
    for (size_t i = 0; i < s->n; i++)
        if (s->pages[i].docs == 0)
            fprintf(out, "- %s (%s)\n", s->pages[i].truth->id, s->pages[i].truth->file);
    fputc('\n', out);
}

static int by_f1(const void *a, const void *b) {
    double x = (*(const check_page_t *const *)a)->f1.f1,
           y = (*(const check_page_t *const *)b)->f1.f1;
    return (x > y) - (x < y);
}

static void f1_pages(FILE *out, const evalset_t *s) {
    const check_page_t **v = ev_xmalloc(s->n * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->pages[i].has_f1) v[n++] = &s->pages[i];
    qsort(v, n, sizeof *v, by_f1);
    if (n) fputs("#### body F1 per page, lowest first\n\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "- %s: F1 %.3f (precision %.3f, recall %.3f)%s\n", v[i]->truth->id,
                v[i]->f1.f1, v[i]->f1.precision, v[i]->f1.recall,
                v[i]->docs ? "" : ", no document");
    if (n) fputc('\n', out);
    free(v);
}

static void failures(FILE *out, const evalset_t *s) {
    fprintf(out, "### Failures: %s set\n\n", s->name);
    missing_pages(out, s);
    for (int f = 0; f < CF_COUNT; f++) failures_of_field(out, s, f);
    f1_pages(out, s);
}

void report_markdown(FILE *out, const evalset_t *s, bool with_failures) {
    const tally_t *t = &s->tally;
    summary(out, s);
    const tally_subset_t *cols[] = {&t->all, &t->whole, &t->cut};
    field_table(out, cols, t->cut.pages ? 3 : 1, true);
    if (t->all.f1_pages)
        fprintf(out,
                "Body token F1 against Readability's expected.html: mean %.3f over %zu "
                "pages.\n\n",
                tally_f1(&t->all), t->all.f1_pages);
    invented_table(out, &t->all);
    breakdowns(out, t);
    if (with_failures) failures(out, s);
}
