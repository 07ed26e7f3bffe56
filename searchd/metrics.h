/* metrics: the server's counters in Prometheus's text format. */
#ifndef LEDE_SEARCHD_METRICS_H
#define LEDE_SEARCHD_METRICS_H

#include <event2/buffer.h>

#include "index_status.h"
#include "shared.h"

/* Appends the whole exposition to out, with the index's status ix. Main
 * thread only. */
void metrics_write(shared_t *s, const index_status_t *ix, struct evbuffer *out);

#endif
