/* term: the pieces of terminal output the renderers share: colour codes
 * that vanish when colour is off, and word wrapping. */
#ifndef LEDE_CLI_TERM_H
#define LEDE_CLI_TERM_H

#include <jansson.h>
#include <stdio.h>

#include "render.h"

#define TERM_BOLD "\033[1m"
#define TERM_DIM "\033[2m"
#define TERM_HILITE "\033[1;33m"
#define TERM_RESET "\033[0m"

/* Columns that text is indented by under a heading. */
#define TERM_INDENT 4

/* code when colour is on, else "". */
const char *term_sgr(const render_opts_t *o, const char *code);

/* obj[key] as a string: "" when absent or not a string. Borrowed. */
const char *term_str(json_t *obj, const char *key);

/* Word-wraps text to the width, every line indented by TERM_INDENT; the
 * snippet match markers become highlights (or nothing). Line breaks in
 * text are spaces. Ends with a newline. */
void term_wrap(FILE *out, const render_opts_t *o, const char *text);

/* A string, or the strings of an array joined by ", " (malloc'd; caller
 * frees), or NULL when v is neither or out of memory. */
char *term_join(json_t *v);

#endif
