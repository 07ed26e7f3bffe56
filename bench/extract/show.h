/* show: values as one readable line for the failure listing: white space
 * collapsed, paragraph breaks shown as " ¶ ", long text cut with "…". */
#ifndef LEDE_EVAL_SHOW_H
#define LEDE_EVAL_SHOW_H

#include <stddef.h>

#include "util.h"

/* s in double quotes, cut after `chars` characters; "none" for NULL.
 * Caller frees. */
char *show_head(const char *s, size_t chars);

/* The same, keeping the last `chars` characters. */
char *show_tail(const char *s, size_t chars);

/* A list as ["a", "b"]. Caller frees. */
char *show_list(const ev_strv_t *l);

/* value (may be NULL: then "none") and its alternatives, joined by " or ",
 * each quoted. Caller frees. */
char *show_alts(const char *value, const ev_strv_t *alts, size_t chars);

#endif
