/* sphinxql: lede-loadgen's second protocol, SphinxQL to Sphinx's searchd.
 *
 * Two halves. The translation (sphinxql.c, pure) turns a line of a query
 * file (queries.h) into a SphinxQL SELECT with the semantics of lede's
 * default search. The client (sphinxql_client.c, libmariadb) runs such
 * statements over Sphinx's mysql41 listener; a build without libmariadb
 * links sphinxql_client_none.c instead, whose connect fails with a message.
 *
 * The translation, for the index of bench/sphinx/sphinx.conf.in:
 *
 *   human rights                      MATCH('human rights'): every word
 *   "human rights" court              MATCH('"human rights" court'): a phrase
 *   {"op":"search","q":Q,"filter":{"category":"x"}}
 *                                     ... AND category='x'
 *
 *   SELECT aid, title FROM lede WHERE MATCH('...') [AND ...] LIMIT 10
 *
 * Words are separated by white space; a double quote opens or closes a
 * phrase (an unclosed one runs to the end, as in lede). Sphinx's query
 * operators are escaped, so every character is searched as text. lede's
 * own operators (OR, NOT, -word, +word, title:, word*, ...) and request
 * fields without an equivalent here are refused with a message rather than
 * searched with other semantics: lede-querygen writes none of them. */
#ifndef LEDE_BENCH_SPHINXQL_H
#define LEDE_BENCH_SPHINXQL_H

#include <stdbool.h>
#include <stddef.h>

/* The index name in bench/sphinx/sphinx.conf.in. */
#define SPHINXQL_DEFAULT_INDEX "lede"

/* Turns one query-file line into a SELECT on index `index` (a
 * bench_line_fn: arg is the index name). Caller frees with free(). NULL
 * with a message in err when the line has no equivalent or out of memory. */
char *sphinxql_from_line(const char *line, void *index, char *err, size_t size);

typedef struct sphinxql_conn sphinxql_conn_t;

typedef enum sphinxql_status {
    SPHINXQL_OK,
    SPHINXQL_ERROR_REPLY, /* the server refused the statement; the connection is fine */
    SPHINXQL_BROKEN,      /* the connection failed or timed out */
} sphinxql_status_t;

/* Prepares the client library; call once before any other client call,
 * before threads start. false with a message in err. */
bool sphinxql_library_init(char *err, size_t size);

/* Releases what sphinxql_library_init() set up. */
void sphinxql_library_end(void);

/* Connects to searchd's mysql41 listener at host:port, with timeout_ms for
 * connecting and for every read and write. On success *out is set; the
 * caller closes it with sphinxql_close(). Connect in one thread; the
 * connection may then be used by one other thread at a time. */
bool sphinxql_connect(const char *host, unsigned port, unsigned timeout_ms, sphinxql_conn_t **out,
                      char *err, size_t size);

/* Runs one statement and reads its whole result set. The message of a
 * failure goes to err. */
sphinxql_status_t sphinxql_run(sphinxql_conn_t *c, const char *stmt, char *err, size_t size);

/* total_found of the last SELECT on c, from SHOW META. */
sphinxql_status_t sphinxql_total_found(sphinxql_conn_t *c, long long *total, char *err,
                                       size_t size);

/* Closes c; NULL is allowed. */
void sphinxql_close(sphinxql_conn_t *c);

#endif
