/* The article fields readers filter and count by (include/lede/fields.h). */
#include "lede/fields.h"

#include <stdio.h>
#include <string.h>

#define F LEDE_FIELD_FILTER
#define C LEDE_FIELD_FACET
#define P LEDE_FIELD_PREFIX

/* Authors are not a boolean query prefix: "author:" searches the words of
 * bylines (free text), and the filter matches the whole name. Years are
 * filtered with a date range. */
static const lede_field_t FIELDS[LEDE_FIELD_COUNT] = {
    [LEDE_FIELD_SOURCE] = {"source", F | C | P}, [LEDE_FIELD_CATEGORY] = {"category", F | C | P},
    [LEDE_FIELD_TAG] = {"tag", F | C | P},       [LEDE_FIELD_PLACE] = {"place", F | C | P},
    [LEDE_FIELD_AUTHOR] = {"author", F | C},     [LEDE_FIELD_YEAR] = {"year", C},
};

const lede_field_t *lede_field(int id) {
    return id >= 0 && id < LEDE_FIELD_COUNT ? &FIELDS[id] : NULL;
}

int lede_field_find(const char *name, unsigned flags) {
    for (int id = 0; name && id < LEDE_FIELD_COUNT; id++)
        if ((FIELDS[id].flags & flags) == flags && strcmp(FIELDS[id].name, name) == 0) return id;
    return -1;
}

const char *lede_field_list(unsigned flags, char *out, size_t size) {
    size_t n = 0;
    if (size) out[0] = '\0';
    for (int id = 0; id < LEDE_FIELD_COUNT; id++) {
        if ((FIELDS[id].flags & flags) != flags || n >= size) continue;
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "", FIELDS[id].name);
        if (w > 0) n += (size_t)w;
    }
    return out;
}
