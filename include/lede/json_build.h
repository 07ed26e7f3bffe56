/* json_build.h: building JSON with one failure check at the end. Every
 * call is a no-op (freeing the value it was given) once an earlier one
 * failed: the sticky error of SQLite's and Redis's string builders, so a
 * builder need not check each of its twenty steps for out of memory. */
#ifndef LEDE_JSON_BUILD_H
#define LEDE_JSON_BUILD_H

#include <jansson.h>
#include <stdbool.h>

#include "lede/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct json_build {
    bool failed;
} json_build_t;

/* obj[key] = value; steals value. A NULL obj or value is a failure. */
void jb_set(json_build_t *b, json_t *obj, const char *key, json_t *value);

/* obj[key] = the string value; a NULL value is skipped, not a failure. */
void jb_str(json_build_t *b, json_t *obj, const char *key, const char *value);

/* Appends value to array; steals value. */
void jb_append(json_build_t *b, json_t *array, json_t *value);

/* LEDE_OK, or LEDE_E_NOMEM once anything failed. */
lede_status_t jb_status(const json_build_t *b);

#ifdef __cplusplus
}
#endif

#endif
