/* Fuzz target for the HTML page extractor: one page per input, once
 * without and once with a trace (the --explain path). Built with
 * libFuzzer (clang -fsanitize=fuzzer) when LEDE_FUZZ is on; otherwise
 * tests/fuzz/replay.c's main() replays the seed corpus, so ctest runs
 * every seed on every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_trace.h"
#include "lede/article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void extract_once(const uint8_t *data, size_t size, ex_trace_t *trace) {
    char why[ARTICLE_WHY_BYTES];
    extract_opts_t opts = {.trace = trace};
    lede_article_t *arts = NULL;
    size_t n = 0;
    if (extract_html((const char *)data, size, "fuzz", &opts, &arts, &n, why) != LEDE_OK) return;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *json = article_to_json(&arts[i], &len);
        free(json);
        article_free(&arts[i]);
    }
    free(arts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    extract_once(data, size, NULL);
    ex_trace_t *trace = ex_trace_new();
    if (trace) extract_once(data, size, trace);
    ex_trace_free(trace);
    return 0;
}
