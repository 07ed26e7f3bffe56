/* render: replies for a person at a terminal: search results, an article,
 * the daemon's counters. */
#ifndef LEDE_CLI_RENDER_H
#define LEDE_CLI_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* --color=auto|always|never. */
typedef enum render_color {
    RENDER_COLOR_AUTO,
    RENDER_COLOR_ALWAYS,
    RENDER_COLOR_NEVER
} render_color_t;

typedef struct render_opts {
    bool color; /* ANSI colour and bold highlights */
    int width;  /* columns to wrap to */
} render_opts_t;

/* Colour as mode says; auto: on a terminal unless NO_COLOR is set. The
 * width is the terminal's. */
render_opts_t render_detect(FILE *out, render_color_t mode);

/* A search (or similar) reply: numbered hits, snippets with highlights,
 * totals ("about N" when not exact), the spelling correction or "did you
 * mean", facet counts. offset is the request's. */
void render_search(FILE *out, const render_opts_t *o, json_t *reply, long long offset);

/* One stored article: headline, byline, places, tags, url, wrapped text. */
void render_article(FILE *out, const render_opts_t *o, json_t *doc);

/* The daemon's STATS reply as a summary. */
void render_stats(FILE *out, const render_opts_t *o, json_t *stats);

#endif
