/* HTML pages: not read yet (the HTML extractor is being written). */
#include <stdio.h>

#include "extract.h"

lede_status_t extract_html(const char *html, size_t len, const char *base_id,
                           const extract_opts_t *opts, lede_article_t **out, size_t *n,
                           char *why) {
    (void)html, (void)len, (void)base_id, (void)opts;
    *out = NULL;
    *n = 0;
    snprintf(why, ARTICLE_WHY_BYTES, "HTML pages are not supported yet");
    return LEDE_E_INVALID;
}
