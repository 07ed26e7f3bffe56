/* Fuzz target for the article readers: one JSON Lines record and one raw
 * page per input. Built with libFuzzer (clang -fsanitize=fuzzer) when
 * LEDE_FUZZ is on; otherwise a plain main() replays the seed corpus given
 * on the command line, so ctest runs every seed on every build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "lede/article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char why[ARTICLE_WHY_BYTES];
    lede_article_t a;
    if (article_from_json((const char *)data, size, &a, why) == LEDE_OK) {
        size_t len;
        char *json = article_to_json(&a, &len);
        free(json);
        article_free(&a);
    }
    lede_article_t *arts = NULL;
    size_t n = 0;
    if (extract_text((const char *)data, size, "fuzz", NULL, &arts, &n, why) == LEDE_OK) {
        for (size_t i = 0; i < n; i++) article_free(&arts[i]);
        free(arts);
    }
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
