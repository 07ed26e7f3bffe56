/* Fuzz target for the stored-record reader (common/stored.c), against
 * jansson: whatever both read must give the same field values, and a
 * record jansson reads may be refused only for what stored.h says it
 * leaves to jansson (an escaped key, deep nesting, a NUL byte). Any
 * difference aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lede/stored.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const KEYS[] = {"id", "title", "body", "author", "a", ""};
enum { N_KEYS = sizeof KEYS / sizeof KEYS[0] };

static size_t depth_of(json_t *v) {
    size_t deepest = 0, i;
    const char *key;
    json_t *child;
    if (json_is_array(v)) {
        json_array_foreach(v, i, child) {
            size_t d = depth_of(child);
            if (d > deepest) deepest = d;
        }
        return deepest + 1;
    }
    if (json_is_object(v)) {
        json_object_foreach(v, key, child) {
            size_t d = depth_of(child);
            if (d > deepest) deepest = d;
        }
        return deepest + 1;
    }
    return 0;
}

/* The array elements both readers see must be the same strings. */
static void compare_array(stored_span_t span, json_t *arr) {
    stored_span_t item;
    size_t n = 0;
    while (stored_next(&span, &item)) {
        json_t *want = json_array_get(arr, n++);
        if (!want) abort();
        char *got = stored_string(item);
        const char *w = json_string_value(want);
        if ((got == NULL) != (w == NULL) || (got && strcmp(got, w) != 0)) abort();
        free(got);
    }
    if (n != json_array_size(arr)) abort();
}

static void compare(const stored_span_t *v, json_t *doc) {
    for (size_t k = 0; k < N_KEYS; k++) {
        json_t *want = json_object_get(doc, KEYS[k]);
        if ((v[k].p == NULL) != (want == NULL)) abort();
        char *got = stored_string(v[k]);
        const char *w = json_string_value(want);
        if ((got == NULL) != (w == NULL) || (got && strcmp(got, w) != 0)) abort();
        free(got);
        if (stored_true(v[k]) != json_is_true(want)) abort();
        if (json_is_array(want)) compare_array(v[k], want);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    stored_span_t v[N_KEYS];
    bool taken = stored_find((const char *)data, size, KEYS, N_KEYS, v);
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (taken && json_is_array(doc)) abort();
    if (taken && doc) compare(v, doc);
    /* jansson passes over a NUL byte between tokens, where stored_find
     * refuses: the caller then reads it with jansson, as before. */
    bool left_to_jansson =
        memchr(data, '\\', size) || memchr(data, '\0', size) || depth_of(doc) >= STORED_MAX_DEPTH;
    if (!taken && json_is_object(doc) && !left_to_jansson) abort();
    json_decref(doc);
    return 0;
}
