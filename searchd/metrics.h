/* metrics: the server's counters in Prometheus's text format. */
#ifndef LEDE_SEARCHD_METRICS_H
#define LEDE_SEARCHD_METRICS_H

#include <event2/buffer.h>

#include "lede/shim.h"
#include "shared.h"

/* Appends the whole exposition to out, the index facts read through db
 * (the main thread's handle). Main thread only. */
void metrics_write(shared_t *s, shim_db_t *db, struct evbuffer *out);

#endif
