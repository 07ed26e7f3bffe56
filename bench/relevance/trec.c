/* TREC run files, qrels and trec_eval's measures (see trec.h). */
#include "trec.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fields of a run line: qid Q0 docno rank score tag. */
#define RUN_FIELDS 6
/* Fields of a qrels line at most: qid iter docno rel. */
#define QRELS_FIELDS_MAX 4
/* Cutoffs of the measures. */
#define NDCG_DEPTH 10
#define P_DEPTH 10
#define RECALL_DEPTH 100
/* Relevant means a judgment of at least this (trec_eval -l default). */
#define RELEVANCE_LEVEL 1.0

/* Splits line in place at blanks into up to max fields; returns how many
 * there were (max + 1 when there are more). */
static size_t split_fields(char *line, char **fields, size_t max) {
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == max) return max + 1;
        fields[n++] = t;
    }
    return n;
}

static bool parse_score(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return end != s && !*end && errno != ERANGE && isfinite(*out);
}

static bool parse_judgment(const char *s, double *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    *out = (double)v;
    return end != s && !*end && errno != ERANGE;
}

static bool append(trec_file_t *f, const char *qid, const char *docno, double value,
                   unsigned line) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        trec_entry_t *v = realloc(f->v, cap * sizeof *v);
        if (!v) return false;
        f->v = v, f->cap = cap;
    }
    trec_entry_t *e = &f->v[f->n];
    e->qid = strdup(qid);
    e->docno = strdup(docno);
    e->value = value;
    e->line = line;
    if (!e->qid || !e->docno) {
        free(e->qid), free(e->docno);
        return false;
    }
    f->n++;
    return true;
}

/* Parses one non-blank line of a run (is_run) or qrels file into f. */
static lede_status_t parse_line(char *line, bool is_run, trec_file_t *f, unsigned lineno,
                                lede_err_t *err) {
    char *fld[RUN_FIELDS];
    double value;
    size_t n = split_fields(line, fld, RUN_FIELDS);
    if (is_run) {
        if (n != RUN_FIELDS)
            return lede_errf(err, LEDE_E_INVALID,
                             "%s:%u: expected 6 fields (qid Q0 docno rank score tag)", f->name,
                             lineno);
        if (!parse_score(fld[4], &value))
            return lede_errf(err, LEDE_E_INVALID, "%s:%u: bad score '%.40s'", f->name, lineno,
                             fld[4]);
    } else {
        if (n != 3 && n != QRELS_FIELDS_MAX)
            return lede_errf(err, LEDE_E_INVALID,
                             "%s:%u: expected 3 or 4 fields (qid [iter] docno rel)", f->name,
                             lineno);
        if (n == QRELS_FIELDS_MAX) fld[1] = fld[2], fld[2] = fld[3];
        if (!parse_judgment(fld[2], &value))
            return lede_errf(err, LEDE_E_INVALID, "%s:%u: bad judgment '%.40s' (an integer)",
                             f->name, lineno, fld[2]);
    }
    if (!append(f, fld[0], fld[is_run ? 2 : 1], value, lineno))
        return lede_errf(err, LEDE_E_NOMEM, "%s:%u: out of memory", f->name, lineno);
    return LEDE_OK;
}

static bool blank(const char *s) {
    return s[strspn(s, " \t\r\n")] == '\0';
}

static lede_status_t read_file(FILE *in, const char *name, bool is_run, trec_file_t *out,
                               lede_err_t *err) {
    memset(out, 0, sizeof *out);
    if (!(out->name = strdup(name ? name : "-")))
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    lede_status_t st = LEDE_OK;
    while (!st && getline(&line, &cap, in) != -1) {
        lineno++;
        if (!blank(line)) st = parse_line(line, is_run, out, lineno, err);
    }
    if (!st && ferror(in)) st = lede_errf(err, LEDE_E_IO, "%s: read error", out->name);
    free(line);
    return st;
}

lede_status_t trec_read_run(FILE *f, const char *name, trec_file_t *out, lede_err_t *err) {
    return read_file(f, name, true, out, err);
}

lede_status_t trec_read_qrels(FILE *f, const char *name, trec_file_t *out, lede_err_t *err) {
    return read_file(f, name, false, out, err);
}

void trec_file_free(trec_file_t *f) {
    for (size_t i = 0; i < f->n; i++) free(f->v[i].qid), free(f->v[i].docno);
    free(f->v);
    free(f->name);
    memset(f, 0, sizeof *f);
}

/* ------------------------------------------------------------------ */
/* Measures                                                             */
/* ------------------------------------------------------------------ */

static int by_value_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* DCG of gains[0..n) (those > 0) cut at depth. */
static double dcg(const double *gains, size_t n, size_t depth) {
    double sum = 0;
    for (size_t i = 0; i < n && i < depth; i++)
        if (gains[i] > 0) sum += gains[i] / log2((double)i + 2);
    return sum;
}

static double ndcg(const double *rels, size_t n_ret, const double *judged, size_t n_judged) {
    double *ideal = malloc((n_judged ? n_judged : 1) * sizeof *ideal);
    if (!ideal) return NAN;
    memcpy(ideal, judged, n_judged * sizeof *ideal);
    qsort(ideal, n_judged, sizeof *ideal, by_value_desc);
    double best = dcg(ideal, n_judged, NDCG_DEPTH), got = dcg(rels, n_ret, NDCG_DEPTH);
    free(ideal);
    return best > 0 ? got / best : got;
}

void trec_measure(const double *rels, size_t n_ret, const double *judged, size_t n_judged,
                  trec_measures_t *out) {
    memset(out, 0, sizeof *out);
    out->num_ret = n_ret;
    for (size_t j = 0; j < n_judged; j++)
        if (judged[j] >= RELEVANCE_LEVEL) out->num_rel++;
    double precision_sum = 0;
    size_t at_10 = 0, at_100 = 0;
    for (size_t i = 0; i < n_ret; i++) {
        if (rels[i] < RELEVANCE_LEVEL) continue;
        out->num_rel_ret++;
        precision_sum += (double)out->num_rel_ret / (double)(i + 1);
        if (i < P_DEPTH) at_10++;
        if (i < RECALL_DEPTH) at_100++;
    }
    out->p_10 = (double)at_10 / P_DEPTH;
    if (out->num_rel) {
        out->map = precision_sum / (double)out->num_rel;
        out->recall_100 = (double)at_100 / (double)out->num_rel;
    }
    out->ndcg_cut_10 = ndcg(rels, n_ret, judged, n_judged);
}

/* ------------------------------------------------------------------ */
/* Evaluating files                                                     */
/* ------------------------------------------------------------------ */

static int by_qid_docno(const void *a, const void *b) {
    const trec_entry_t *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    return c ? c : strcmp(x->docno, y->docno);
}

/* trec_eval's ranking: score descending, then docno descending. */
static int by_qid_rank(const void *a, const void *b) {
    const trec_entry_t *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c) return c;
    if (x->value != y->value) return x->value > y->value ? -1 : 1;
    return strcmp(y->docno, x->docno);
}

/* One query's lines: [start, end) of a sorted file. */
typedef struct span {
    size_t start, end;
} span_t;

static span_t next_span(const trec_file_t *f, size_t start) {
    size_t end = start;
    while (end < f->n && strcmp(f->v[end].qid, f->v[start].qid) == 0) end++;
    return (span_t){start, end};
}

/* Reports the first docno that occurs twice in a span sorted by docno. */
static lede_status_t check_unique(const trec_file_t *f, span_t s, lede_err_t *err) {
    for (size_t i = s.start + 1; i < s.end; i++)
        if (strcmp(f->v[i].docno, f->v[i - 1].docno) == 0) {
            unsigned line = f->v[i].line > f->v[i - 1].line ? f->v[i].line : f->v[i - 1].line;
            return lede_errf(err, LEDE_E_INVALID,
                             "%s:%u: document '%.80s' appears twice for query '%.40s'", f->name,
                             line, f->v[i].docno, f->v[i].qid);
        }
    return LEDE_OK;
}

static lede_status_t check_all_unique(trec_file_t *f, lede_err_t *err) {
    qsort(f->v, f->n, sizeof *f->v, by_qid_docno);
    for (size_t i = 0; i < f->n;) {
        span_t s = next_span(f, i);
        lede_status_t st = check_unique(f, s, err);
        if (st) return st;
        i = s.end;
    }
    return LEDE_OK;
}

/* The judgment of docno in a qrels span sorted by docno; -1 if none. */
static double judgment(const trec_file_t *q, span_t s, const char *docno) {
    size_t lo = s.start, hi = s.end;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(q->v[mid].docno, docno);
        if (c == 0) return q->v[mid].value < 0 ? -2 : q->v[mid].value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Measures one query: run span r (empty when absent), qrels span j. */
static bool measure_query(const trec_file_t *run, span_t r, const trec_file_t *qrels, span_t j,
                          trec_measures_t *m) {
    size_t n_ret = r.end - r.start, n_judged = j.end - j.start;
    double *rels = malloc((n_ret + n_judged + 1) * sizeof *rels), *judged = rels + n_ret;
    if (!rels) return false;
    for (size_t i = 0; i < n_ret; i++) rels[i] = judgment(qrels, j, run->v[r.start + i].docno);
    for (size_t i = 0; i < n_judged; i++) judged[i] = qrels->v[j.start + i].value;
    trec_measure(rels, n_ret, judged, n_judged, m);
    free(rels);
    return !isnan(m->ndcg_cut_10);
}

static void accumulate(trec_measures_t *sum, const trec_measures_t *m) {
    sum->ndcg_cut_10 += m->ndcg_cut_10, sum->map += m->map;
    sum->p_10 += m->p_10, sum->recall_100 += m->recall_100;
    sum->num_ret += m->num_ret, sum->num_rel += m->num_rel, sum->num_rel_ret += m->num_rel_ret;
}

static void average(trec_results_t *out) {
    trec_measures_t *mean = &out->mean;
    memset(mean, 0, sizeof *mean);
    for (size_t i = 0; i < out->n; i++) accumulate(mean, &out->queries[i].m);
    if (!out->n) return;
    double n = (double)out->n;
    mean->ndcg_cut_10 /= n, mean->map /= n, mean->p_10 /= n, mean->recall_100 /= n;
}

/* Walks the run and the qrels (both sorted by qid) side by side. */
static bool merge_queries(const trec_file_t *qrels, const trec_file_t *run, bool complete,
                          trec_results_t *out) {
    size_t i = 0, k = 0;
    while (k < qrels->n) {
        span_t j = next_span(qrels, k);
        const char *qid = qrels->v[k].qid;
        while (i < run->n && strcmp(run->v[i].qid, qid) < 0) i = next_span(run, i).end;
        span_t r = {i, i};
        if (i < run->n && strcmp(run->v[i].qid, qid) == 0) r = next_span(run, i);
        k = j.end;
        if (r.start == r.end && !complete) continue;
        trec_query_t *q = &out->queries[out->n];
        q->qid = qrels->v[j.start].qid;
        if (!measure_query(run, r, qrels, j, &q->m)) return false;
        out->n++;
    }
    return true;
}

lede_status_t trec_evaluate(trec_file_t *qrels, trec_file_t *run, bool complete,
                            trec_results_t *out, lede_err_t *err) {
    memset(out, 0, sizeof *out);
    lede_status_t st = check_all_unique(qrels, err);
    if (st || (st = check_all_unique(run, err))) return st;
    qsort(run->v, run->n, sizeof *run->v, by_qid_rank);
    if (!(out->queries = calloc(qrels->n + 1, sizeof *out->queries)))
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    if (!merge_queries(qrels, run, complete, out))
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    if (!out->n)
        return lede_errf(err, LEDE_E_INVALID, "no query of %s has judgments in %s", run->name,
                         qrels->name);
    average(out);
    return LEDE_OK;
}

void trec_results_free(trec_results_t *r) {
    free(r->queries);
    memset(r, 0, sizeof *r);
}
