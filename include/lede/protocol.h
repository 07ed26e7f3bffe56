/* protocol.h: the lede line protocol (docs/protocol.md), shared by
 * lede-searchd and its clients: version, error codes, the pure parser.
 *
 * The parser does no I/O: it takes the bytes a connection has received
 * and returns one parsed request, or "need more bytes", or an error with
 * a stable code. It is unit-tested and fuzzed on its own. */
#ifndef LEDE_PROTOCOL_H
#define LEDE_PROTOCOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/query.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PROTO_VERSION 1

/* Stable error codes of {"ok":false,"error":{"code":...}} replies. */
typedef enum proto_error_code {
    PROTO_E_NONE = 0,
    PROTO_E_BAD_JSON,      /* the line is not valid JSON */
    PROTO_E_BAD_REQUEST,   /* unknown op or field, wrong type, bad value */
    PROTO_E_BAD_QUERY,     /* the query string cannot be parsed */
    PROTO_E_INVALID_UTF8,  /* the line is not UTF-8 */
    PROTO_E_NUL_BYTE,      /* the line contains a NUL byte */
    PROTO_E_LINE_TOO_LONG, /* over max_line bytes: the connection closes */
    PROTO_E_LIMIT,         /* limit or offset over the configured maximum */
    PROTO_E_NOT_FOUND,     /* no document with that id */
    PROTO_E_TOO_MANY_CONNECTIONS,
    PROTO_E_TIMEOUT,     /* the query ran past its time budget */
    PROTO_E_UNAVAILABLE, /* the index cannot be opened or read */
    PROTO_E_INTERNAL,
    PROTO_E_AUTH_REQUIRED, /* the server has a token and the connection has not
                            * given it */
    PROTO_E_AUTH_FAILED,   /* a wrong token */
    PROTO_E_COUNT
} proto_error_code_t;

/* "bad_json", ...; never NULL. */
const char *proto_error_name(proto_error_code_t code);

typedef enum proto_op {
    PROTO_OP_SEARCH,
    PROTO_OP_GET,
    PROTO_OP_SIMILAR,
    PROTO_OP_SUGGEST,
    PROTO_OP_STATS,
    PROTO_OP_PING,
    PROTO_OP_QUIT,
    PROTO_OP_AUTH,
    PROTO_OP_COUNT
} proto_op_t;

/* "search", ...; never NULL. */
const char *proto_op_name(proto_op_t op);

/* One command: the one table of them (protocol.c) is what the parser,
 * the executor's handlers (request.h), lede-searchd's authorisation and
 * its STATS counters are built from. */
typedef struct proto_command {
    const char *name;  /* "search": the JSON "op", and the inline verb in
                        * any case (SEARCH) */
    const char *usage; /* of the inline form: "SEARCH <query>" */
    bool needs_arg;    /* the inline form takes an argument */
    bool open;         /* answered without a token */
    bool on_index;     /* reads the index: shed when it waited past its
                        * budget, logged by query_log */
    bool closes;       /* the connection closes after the reply */
} proto_command_t;

/* The command of op; NULL outside [0, PROTO_OP_COUNT). */
const proto_command_t *proto_command(proto_op_t op);

/* "limit" when a request gives none (lede-searchd's default_limit). */
#define PROTO_DEFAULT_LIMIT 10

typedef struct proto_limits {
    size_t max_line;        /* bytes in one request line, without the \n */
    uint32_t max_limit;     /* largest "limit" */
    uint32_t max_offset;    /* largest "offset" */
    uint32_t default_limit; /* "limit" when none is given */
} proto_limits_t;

/* One parsed request. Strings point into `root` (or `line`) and live
 * until proto_request_free(). */
typedef struct proto_request {
    proto_op_t op;
    json_t *id;             /* the client's request id, echoed; or NULL */
    search_params_t search; /* PROTO_OP_SEARCH */
    const char *doc;        /* PROTO_OP_GET, PROTO_OP_SIMILAR */
    const char *prefix;     /* PROTO_OP_SUGGEST */
    const char *token;      /* PROTO_OP_AUTH's token, or the "auth" field any
                             * JSON request may carry; NULL if none */
    uint32_t limit;         /* SIMILAR and SUGGEST use limit too */
    uint32_t offset;
    json_t *root; /* the parsed JSON form, owned */
    char *line;   /* the inline form, owned */
    const char *values[LEDE_FIELD_COUNT][64];
    const char *facets[8];
} proto_request_t;

typedef enum proto_result {
    PROTO_OK,        /* *req holds a request; *consumed bytes were used */
    PROTO_NEED_MORE, /* no complete line yet */
    PROTO_ERROR,     /* a bad request: reply with the error, go on after
                      * *consumed bytes */
    PROTO_FATAL,     /* reply with the error, then close the connection */
} proto_result_t;

typedef struct proto_error {
    proto_error_code_t code;
    char message[256];
    json_t *id; /* the request id when it could be read; owned */
} proto_error_t;

/* Parses the first request line of buf[0..len). A line ends with \n
 * (a \r before it is dropped); blank lines are skipped. */
proto_result_t proto_parse(const char *buf, size_t len, const proto_limits_t *limits,
                           proto_request_t *req, size_t *consumed, proto_error_t *err);

/* Parses a request already in JSON form (the HTTP API builds one from a
 * query string): exactly as the JSON form of a line, without the bytes.
 * Takes the reference to root. PROTO_OK or PROTO_ERROR. */
proto_result_t proto_parse_object(json_t *root, const proto_limits_t *limits, proto_request_t *req,
                                  proto_error_t *err);

/* Moves a request to another place (a struct copy would leave its
 * internal pointers behind); src is left empty. */
void proto_request_move(proto_request_t *dst, proto_request_t *src);

void proto_request_free(proto_request_t *req);
void proto_error_free(proto_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
