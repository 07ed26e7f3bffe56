/* util: memory and string lists for the extraction scorer.
 *
 * The scorer is a measuring tool that runs once over a small set: when it
 * runs out of memory it has no figures to give, so the allocators here
 * print "out of memory" and exit (status 2) instead of threading a status
 * through every comparison. */
#ifndef LEDE_EVAL_UTIL_H
#define LEDE_EVAL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Prints "out of memory" and exits with status 2. */
void ev_out_of_memory(void) __attribute__((noreturn));

/* Never return NULL (see above). */
void *ev_xmalloc(size_t n);
void *ev_xrealloc(void *p, size_t n);
char *ev_xstrdup(const char *s);
char *ev_xstrndup(const char *s, size_t n);

/* A malloc'd string formatted like printf. Caller frees. */
char *ev_sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing list of malloc'd strings, owned by the list. */
typedef struct ev_strv {
    char **v;
    size_t n;
} ev_strv_t;

/* Appends a copy of s. */
void ev_strv_push(ev_strv_t *l, const char *s);
void ev_strv_free(ev_strv_t *l);

/* A list of string lists: the alternatives of a set-valued truth field. */
typedef struct ev_strvv {
    ev_strv_t *v;
    size_t n;
} ev_strvv_t;

/* Appends an empty list and returns it. */
ev_strv_t *ev_strvv_add(ev_strvv_t *l);
void ev_strvv_free(ev_strvv_t *l);

/* A string builder: appends grow a malloc'd buffer. */
typedef struct ev_buf {
    char *s;
    size_t len, cap;
} ev_buf_t;

void ev_buf_add(ev_buf_t *b, const char *s, size_t n);
void ev_buf_addf(ev_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far, "" when nothing was added; the buffer is reset and the
 * caller frees the result. */
char *ev_buf_take(ev_buf_t *b);

#endif
