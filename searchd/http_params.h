/* http_params: an HTTP API request (op, query string, path id) as the JSON
 * request of the line protocol, so both go through one parser. */
#ifndef LEDE_SEARCHD_HTTP_PARAMS_H
#define LEDE_SEARCHD_HTTP_PARAMS_H

#include <jansson.h>

#include "lede/protocol.h"

/* The request object for op, from the raw (still percent-encoded) query
 * string (may be NULL) and document id from the path (may be NULL). NULL
 * with e's code and message filled (never its id) when a parameter is
 * unknown, repeated or malformed. */
json_t *http_params_request(proto_op_t op, const char *query, const char *doc, proto_error_t *e);

#endif
