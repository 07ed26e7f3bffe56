/* render: search replies for a person at a terminal. */
#ifndef LEDE_CLI_RENDER_H
#define LEDE_CLI_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct render_opts {
    bool color;   /* ANSI colour and bold highlights */
    int width;    /* columns to wrap to */
} render_opts_t;

/* Colour on a terminal unless NO_COLOR is set; the terminal's width. */
render_opts_t render_detect(FILE *out);

/* A search reply: numbered hits, snippets with highlights, totals,
 * "did you mean" and facet counts. */
void render_search(FILE *out, const render_opts_t *o, json_t *reply, double took_ms);

/* One stored article, every field. */
void render_document(FILE *out, const render_opts_t *o, json_t *doc);

#endif
