/* Fuzz target for the HTML page extractor: one page per input, once
 * without and once with a trace (the --explain path). Built with
 * libFuzzer (clang -fsanitize=fuzzer) when LEDE_FUZZ is on; otherwise a
 * plain main() replays the seed corpus given on the command line, so
 * ctest runs every seed on every build. */
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

#ifndef LEDE_LIBFUZZER
/* Replays each file named on the command line through the target. */
int main(int argc, char **argv) {
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
        replayed++;
    }
    printf("replayed %d inputs\n", replayed);
    return replayed > 0 ? 0 : 1;
}
#endif
