/* fields.h: the article fields a reader can filter and count by, the one
 * table everything else is built from: the query parser's prefixes, the
 * protocol's filters and facets, the HTTP parameters, the CLI's options,
 * the shim's terms and value slots (keyed by lede_field_id_t).
 *
 * Plain C with no dependencies, so that clients and the pure protocol
 * parser can use it without Xapian. */
#ifndef LEDE_FIELDS_H
#define LEDE_FIELDS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lede_field_id {
    LEDE_FIELD_SOURCE,
    LEDE_FIELD_CATEGORY,
    LEDE_FIELD_TAG,
    LEDE_FIELD_PLACE,
    LEDE_FIELD_AUTHOR,
    LEDE_FIELD_YEAR,
    LEDE_FIELD_COUNT
} lede_field_id_t;

enum {
    LEDE_FIELD_FILTER = 1 << 0, /* "filter": {"source": [...]}, ?source=, --source */
    LEDE_FIELD_FACET = 1 << 1,  /* "facets": ["source"] */
    LEDE_FIELD_PREFIX = 1 << 2, /* "source:Reuters" in a query matches the value
                                 * exactly (a boolean prefix) */
};

typedef struct lede_field {
    const char *name;
    unsigned flags; /* LEDE_FIELD_* */
} lede_field_t;

/* The field with this id; NULL outside [0, LEDE_FIELD_COUNT). */
const lede_field_t *lede_field(int id);

/* The id of the field called name that has every flag in flags, or -1. */
int lede_field_find(const char *name, unsigned flags);

/* The names of the fields with every flag in flags, joined by ", " into
 * out (for messages: "source, category, tag, place, author"). */
const char *lede_field_list(unsigned flags, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
