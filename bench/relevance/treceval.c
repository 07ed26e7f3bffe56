/* lede-treceval: nDCG@10, MAP, P@10 and Recall@100 of a TREC run, with
 * trec_eval's definitions (see trec.h). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "trec.h"

#define TOOL "lede-treceval"

static const char USAGE[] =
    "Usage: " TOOL " [options] QRELS RUN\n"
    "\n"
    "Evaluates a TREC run file (qid Q0 docno rank score tag) against judgments\n"
    "(qid [iter] docno rel) as trec_eval does: ndcg_cut_10 (graded gains), map,\n"
    "P_10 and recall_100 (relevant: rel >= 1). Documents are ranked by score,\n"
    "ties by docno descending; the rank column is ignored.\n"
    "\n"
    "Options:\n"
    "  -q, --per-query   print each query's figures before the means\n"
    "  -c, --complete    average over every judged query, a query missing\n"
    "                    from the run scoring 0 (trec_eval -c)\n"
    "  --json            print one JSON object: {\"queries\":[...],\"mean\":{...}}\n"
    "  -h, --help        show this help\n";

typedef struct options {
    bool per_query, complete, json;
    const char *qrels, *run;
} options_t;

enum { O_JSON = 256 };

static const struct option OPTIONS[] = {
    {"per-query", no_argument, NULL, 'q'},
    {"complete", no_argument, NULL, 'c'},
    {"json", no_argument, NULL, O_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "qch", OPTIONS, NULL)) != -1) {
        if (opt == 'q')
            o->per_query = true;
        else if (opt == 'c')
            o->complete = true;
        else if (opt == O_JSON)
            o->json = true;
        else if (opt == 'h')
            return fputs(USAGE, stdout), 1;
        else
            return fprintf(stderr, TOOL ": unknown option %s (see --help)\n", argv[optind - 1]), 2;
    }
    if (argc - optind != 2)
        return fprintf(stderr, TOOL ": expected QRELS and RUN (see --help)\n"), 2;
    o->qrels = argv[optind];
    o->run = argv[optind + 1];
    return 0;
}

static lede_status_t load(const char *path, bool is_run, trec_file_t *out, lede_err_t *err) {
    FILE *f = fopen(path, "r");
    if (!f) {
        *out = (trec_file_t){0};
        return lede_errf(err, LEDE_E_OPEN, "%s: cannot open: %m", path);
    }
    lede_status_t st =
        is_run ? trec_read_run(f, path, out, err) : trec_read_qrels(f, path, out, err);
    fclose(f);
    return st;
}

static void print_text(const char *qid, const trec_measures_t *m, size_t num_q) {
    if (num_q) printf("num_q       \t%s\t%zu\n", qid, num_q);
    printf("num_ret     \t%s\t%zu\n", qid, m->num_ret);
    printf("num_rel     \t%s\t%zu\n", qid, m->num_rel);
    printf("num_rel_ret \t%s\t%zu\n", qid, m->num_rel_ret);
    printf("map         \t%s\t%.4f\n", qid, m->map);
    printf("P_10        \t%s\t%.4f\n", qid, m->p_10);
    printf("recall_100  \t%s\t%.4f\n", qid, m->recall_100);
    printf("ndcg_cut_10 \t%s\t%.4f\n", qid, m->ndcg_cut_10);
}

static json_t *measures_json(const char *qid, const trec_measures_t *m, size_t num_q) {
    json_t *o =
        json_pack("{sssIsIsIsfsfsfsf}", "qid", qid, "num_ret", (json_int_t)m->num_ret, "num_rel",
                  (json_int_t)m->num_rel, "num_rel_ret", (json_int_t)m->num_rel_ret, "map", m->map,
                  "P_10", m->p_10, "recall_100", m->recall_100, "ndcg_cut_10", m->ndcg_cut_10);
    if (o && num_q) json_object_set_new(o, "num_q", json_integer((json_int_t)num_q));
    return o;
}

static bool print_json(const trec_results_t *r, bool per_query) {
    json_t *queries = json_array();
    for (size_t i = 0; per_query && queries && i < r->n; i++)
        json_array_append_new(queries, measures_json(r->queries[i].qid, &r->queries[i].m, 0));
    json_t *root =
        json_pack("{soso}", "queries", queries, "mean", measures_json("all", &r->mean, r->n));
    char *text = root ? json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(root);
    if (!text) return false;
    puts(text);
    free(text);
    return true;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    lede_err_t err;
    trec_file_t qrels = {0}, run = {0};
    trec_results_t res = {0};
    bool ok = load(o.qrels, false, &qrels, &err) == LEDE_OK &&
              load(o.run, true, &run, &err) == LEDE_OK &&
              trec_evaluate(&qrels, &run, o.complete, &res, &err) == LEDE_OK;
    if (ok && o.json) {
        if (!print_json(&res, o.per_query))
            ok = false, lede_errf(&err, LEDE_E_NOMEM, "out of memory");
    } else if (ok) {
        for (size_t i = 0; o.per_query && i < res.n; i++)
            print_text(res.queries[i].qid, &res.queries[i].m, 0);
        print_text("all", &res.mean, res.n);
    }
    if (!ok) fprintf(stderr, TOOL ": %s\n", err.msg);
    trec_results_free(&res);
    trec_file_free(&run);
    trec_file_free(&qrels);
    return ok ? 0 : 1;
}
