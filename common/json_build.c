/* Sticky-error JSON building (include/lede/json_build.h). */
#include "lede/json_build.h"

void jb_set(json_build_t *b, json_t *obj, const char *key, json_t *value) {
    if (b->failed || !obj || !value || json_object_set_new(obj, key, value) != 0) {
        if (!b->failed && obj && value) value = NULL; /* set_new freed it on failure */
        json_decref(value);
        b->failed = true;
    }
}

void jb_str(json_build_t *b, json_t *obj, const char *key, const char *value) {
    if (value) jb_set(b, obj, key, json_string(value));
}

void jb_append(json_build_t *b, json_t *array, json_t *value) {
    if (b->failed || !array || !value || json_array_append_new(array, value) != 0) {
        if (!b->failed && array && value) value = NULL; /* append_new freed it on failure */
        json_decref(value);
        b->failed = true;
    }
}

lede_status_t jb_status(const json_build_t *b) {
    return b->failed ? LEDE_E_NOMEM : LEDE_OK;
}
