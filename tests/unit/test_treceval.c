/* Unit tests for bench/relevance/trec.c: trec_eval's measures on a small
 * run whose figures were worked out by hand, its tie-breaking, which
 * queries count, and the errors on bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "trec.h"

/* The hand-computed figures below are exact to this. */
#define EPSILON 1e-9

#define CHECK_NEAR(got, want) CHECK(fabs((got) - (want)) < EPSILON)

/* q1: d1 (3) and d3 (2) tie on score; trec_eval puts d3 first (docno
 * descending), whatever the rank column says. d5 is unjudged, d4 judged 0,
 * d7 judged -1 (in the pool, not judged: neither relevant nor counted).
 * d6 (1) is relevant but not retrieved. So the ranking is
 *   d5 (-), d3 (2), d1 (3), d4 (0), d2 (1), d7 (-)
 * with 4 relevant documents (d1 d2 d3 d6).
 *
 * q2: 150 documents n000..n149, scores falling; n000 and n100 are
 * relevant: ranks 1 and 101.
 *
 * q3: judged, but only with 0: evaluated, scores 0.
 * q4: in the run, never judged: ignored.
 * q5: judged, not in the run: ignored, unless complete. */
static const char QRELS[] = "q1 0 d1 3\n"
                            "q1 0 d2 1\n"
                            "q1 0 d3 2\n"
                            "q1 0 d4 0\n"
                            "q1 0 d6 1\n"
                            "q1 0 d7 -1\n"
                            "\n"
                            "q2\tn000\t1\n" /* the three-field form */
                            "q2\tn100\t1\n"
                            "q3 0 z1 0\n"
                            "q5 0 y1 1\n";

static const char RUN_Q1[] = "q1 Q0 d5 1 9.0 t\n"
                             "q1 Q0 d1 2 7.5 t\n"
                             "q1 Q0 d3 3 7.5 t\n"
                             "q1 Q0 d4 4 2.0 t\n"
                             "q1 Q0 d7 6 0.5 t\n"
                             "q1 Q0 d2 5 1.0 t\n"
                             "q3 Q0 z1 1 3 t\n"
                             "q3 Q0 z2 2 2 t\n"
                             "q4 Q0 d1 1 1 t\n";

/* ndcg_cut_10 of q1:
 *   DCG  = 2/log2(3) + 3/log2(4) + 1/log2(6)          (ranks 2, 3, 5)
 *   IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) + 1/log2(5)
 * With the ties the other way round (d1 before d3) it would be 0.6316;
 * with gains 2^rel - 1 or without a discount at rank 2, other values. */
static const double Q1_NDCG = 0.6063919970570852;
/* AP = (1/2 + 2/3 + 3/5) / 4; P_10 = 3/10; recall_100 = 3/4. */
static const double Q1_MAP = 0.44166666666666665;
/* q2: AP = (1/1 + 2/101) / 2; P_10 = 1/10; recall_100 = 1/2;
 * nDCG@10 = 1 / (1 + 1/log2(3)). */
static const double Q2_MAP = 0.5099009900990099;
static const double Q2_NDCG = 0.6131471927654584;

static FILE *text_file(const char *text) {
    return fmemopen((void *)text, strlen(text), "r");
}

static char *run_text(void) {
    size_t size = sizeof RUN_Q1 + 150 * 40;
    char *text = malloc(size);
    if (!text) abort();
    size_t n = (size_t)snprintf(text, size, "%s", RUN_Q1);
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(text + n, size - n, "q2 Q0 n%03d %d %d.25 tag\n", i, i + 1, 500 - i);
    return text;
}

static bool load_both(trec_file_t *qrels, trec_file_t *run, lede_err_t *err) {
    char *text = run_text();
    FILE *q = text_file(QRELS), *r = text_file(text);
    bool ok = trec_read_qrels(q, "qrels", qrels, err) == LEDE_OK &&
              trec_read_run(r, "run", run, err) == LEDE_OK;
    fclose(q), fclose(r), free(text);
    return ok;
}

static void test_measures(void) {
    trec_file_t qrels = {0}, run = {0};
    trec_results_t res = {0};
    lede_err_t err = {""};
    CHECK(load_both(&qrels, &run, &err));
    CHECK(trec_evaluate(&qrels, &run, false, &res, &err) == LEDE_OK);
    if (*err.msg) fprintf(stderr, "  %s\n", err.msg);
    CHECK_INT(res.n, 3);
    if (res.n == 3) {
        const trec_measures_t *q1 = &res.queries[0].m, *q2 = &res.queries[1].m;
        CHECK_STR(res.queries[0].qid, "q1");
        CHECK_NEAR(q1->ndcg_cut_10, Q1_NDCG);
        CHECK_NEAR(q1->map, Q1_MAP);
        CHECK_NEAR(q1->p_10, 0.3);
        CHECK_NEAR(q1->recall_100, 0.75);
        CHECK_INT(q1->num_rel, 4);
        CHECK_INT(q1->num_ret, 6);
        CHECK_INT(q1->num_rel_ret, 3);
        CHECK_NEAR(q2->map, Q2_MAP);
        CHECK_NEAR(q2->ndcg_cut_10, Q2_NDCG);
        CHECK_NEAR(q2->p_10, 0.1);
        CHECK_NEAR(q2->recall_100, 0.5);
        CHECK_STR(res.queries[2].qid, "q3");
        CHECK_NEAR(res.queries[2].m.map + res.queries[2].m.ndcg_cut_10, 0);
        CHECK_NEAR(res.mean.map, (Q1_MAP + Q2_MAP) / 3);
        CHECK_NEAR(res.mean.ndcg_cut_10, (Q1_NDCG + Q2_NDCG) / 3);
        CHECK_NEAR(res.mean.p_10, 0.4 / 3);
        CHECK_NEAR(res.mean.recall_100, 1.25 / 3);
        CHECK_INT(res.mean.num_rel, 4 + 2 + 0);
    }
    trec_results_free(&res);
    trec_file_free(&run);
    trec_file_free(&qrels);
}

/* trec_eval -c: q5, judged but absent from the run, counts as 0. */
static void test_complete(void) {
    trec_file_t qrels = {0}, run = {0};
    trec_results_t res = {0};
    lede_err_t err = {""};
    CHECK(load_both(&qrels, &run, &err));
    CHECK(trec_evaluate(&qrels, &run, true, &res, &err) == LEDE_OK);
    CHECK_INT(res.n, 4);
    CHECK_NEAR(res.mean.map, (Q1_MAP + Q2_MAP) / 4);
    CHECK_NEAR(res.mean.ndcg_cut_10, (Q1_NDCG + Q2_NDCG) / 4);
    CHECK_INT(res.mean.num_rel, 4 + 2 + 0 + 1);
    trec_results_free(&res);
    trec_file_free(&run);
    trec_file_free(&qrels);
}

/* A perfect ranking scores 1 on every measure. */
static void test_perfect(void) {
    static const double rels[] = {3, 2, 2, 1}, judged[] = {1, 2, 0, 3, 2};
    trec_measures_t m;
    trec_measure(rels, 4, judged, 5, &m);
    CHECK_NEAR(m.ndcg_cut_10, 1);
    CHECK_NEAR(m.map, 1);
    CHECK_NEAR(m.recall_100, 1);
    CHECK_NEAR(m.p_10, 0.4);
}

/* Reads text as a run (is_run) or qrels and expects an error message. */
static void expect_error(bool is_run, const char *text, const char *want) {
    trec_file_t f = {0};
    lede_err_t err = {""};
    FILE *in = text_file(text);
    bool ok = (is_run ? trec_read_run(in, "bad.txt", &f, &err)
                      : trec_read_qrels(in, "bad.txt", &f, &err)) == LEDE_OK;
    fclose(in);
    CHECK(!ok);
    CHECK_STR(err.msg, want);
    trec_file_free(&f);
}

static void test_bad_input(void) {
    expect_error(true, "q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 x t\n", "bad.txt:2: bad score 'x'");
    expect_error(true, "\nq1 Q0 d1 1 2.0\n",
                 "bad.txt:2: expected 6 fields (qid Q0 docno rank score tag)");
    expect_error(false, "q1 0 d1 1 extra\n",
                 "bad.txt:1: expected 3 or 4 fields (qid [iter] docno rel)");
    expect_error(false, "q1 d1 high\n", "bad.txt:1: bad judgment 'high' (an integer)");
}

static void test_duplicates(void) {
    trec_file_t qrels = {0}, run = {0};
    trec_results_t res = {0};
    lede_err_t err = {""};
    FILE *q = text_file("q1 d1 1\n"), *r = text_file("q1 Q0 d1 1 2 t\nq2 Q0 d1 1 2 t\n"
                                                     "q1 Q0 d2 2 1 t\nq1 Q0 d1 3 0 t\n");
    CHECK(trec_read_qrels(q, "qrels", &qrels, &err) == LEDE_OK);
    CHECK(trec_read_run(r, "run", &run, &err) == LEDE_OK);
    fclose(q), fclose(r);
    CHECK(trec_evaluate(&qrels, &run, false, &res, &err) != LEDE_OK);
    CHECK_STR(err.msg, "run:4: document 'd1' appears twice for query 'q1'");
    trec_results_free(&res);
    trec_file_free(&run);
    trec_file_free(&qrels);
}

int main(void) {
    RUN(test_measures);
    RUN(test_complete);
    RUN(test_perfect);
    RUN(test_bad_input);
    RUN(test_duplicates);
    return check_summary();
}
