/* stored.h: reading fields of a stored article (the JSON object
 * lede-indexer keeps as each document's data) without building a tree.
 *
 * A results page shows a few fields of each hit and makes its snippet
 * from the body; parsing each hit's whole record with jansson, which
 * decodes and allocates every string and reads the text a byte at a time
 * through its stream layer, was a quarter of a page's CPU. This finds the
 * wanted keys in one pass and decodes only their values.
 *
 * It is a reader of lede's own output, not a general JSON parser: what it
 * does not accept (a key with an escape, nesting deeper than
 * STORED_MAX_DEPTH, a NUL byte, which jansson passes over) the caller
 * reads with jansson instead. Whatever it
 * accepts is well-formed JSON by RFC 8259 that jansson reads with the same
 * values (fuzz_stored checks both). */
#ifndef LEDE_STORED_H
#define LEDE_STORED_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Arrays and objects nested deeper than this are left to jansson. */
#define STORED_MAX_DEPTH 32

/* A value's JSON text inside the record: p == NULL when absent. */
typedef struct stored_span {
    const char *p;
    size_t n;
} stored_span_t;

/* Finds the top-level values of keys[0..n_keys) in the JSON object
 * json[0..len): vals[i] is the value of keys[i], or {NULL, 0} when the
 * object has no such key (of a repeated key the last value counts, as in
 * jansson). Returns false, and fills nothing reliable, unless the text is
 * one well-formed JSON object (whitespace around it allowed) whose keys
 * hold no escapes and whose nesting stays within STORED_MAX_DEPTH. */
bool stored_find(const char *json, size_t len, const char *const *keys, size_t n_keys,
                 stored_span_t *vals);

/* v, a span from stored_find or stored_next, decoded as a JSON string:
 * malloc'd, NUL-terminated UTF-8. NULL when v is absent or not a string
 * (or when out of memory). */
char *stored_string(stored_span_t v);

/* True when v is the literal true. */
bool stored_true(stored_span_t v);

/* Walks an array: *rest starts as the array's span; each call sets *elem
 * to the next element and returns true, or returns false at the end (or
 * when *rest is not an array). */
bool stored_next(stored_span_t *rest, stored_span_t *elem);

#ifdef __cplusplus
}
#endif

#endif
