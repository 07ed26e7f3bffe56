/* metrics: the server's counters in Prometheus's text format. */
#ifndef LEDE_SEARCHD_METRICS_H
#define LEDE_SEARCHD_METRICS_H

#include <event2/buffer.h>

#include "server.h"

/* Appends the whole exposition to out. Main thread only. */
void metrics_write(server_t *s, struct evbuffer *out);

#endif
