# trec_eval's measures as bench/relevance/trec.c computes them, on a small
# hand-worked run (no ../shared needed).
lede_unit_test(test_treceval lede_trec)
