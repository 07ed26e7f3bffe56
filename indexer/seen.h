/* seen: the files and directories an input scan has reached, by device and
 * inode, so that none is read twice however many links lead to it. */
#ifndef LEDE_INDEXER_SEEN_H
#define LEDE_INDEXER_SEEN_H

#include <sys/types.h>

#include "lede/status.h"

typedef struct seen seen_t;

/* An empty set; NULL when out of memory. Free with seen_free(). */
seen_t *seen_new(void);

/* Records (dev, ino), reached by path. *first is NULL when it is new (the
 * path is copied), else the path it was first recorded with (borrowed
 * until seen_free). LEDE_E_NOMEM leaves the set as it was. */
lede_status_t seen_add(seen_t *s, dev_t dev, ino_t ino, const char *path, const char **first);

void seen_free(seen_t *s);

#endif
