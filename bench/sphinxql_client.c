/* The SphinxQL client half of sphinxql.h, on libmariadb. */
#include "sphinxql.h"

#include <errmsg.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sphinxql_conn {
    MYSQL *mysql;
};

bool sphinxql_library_init(char *err, size_t size) {
    if (mysql_library_init(0, NULL, NULL) == 0) return true;
    snprintf(err, size, "cannot initialise libmariadb");
    return false;
}

void sphinxql_library_end(void) {
    mysql_library_end();
}

/* Whole seconds, at least one: libmariadb's timeouts are in seconds. */
static unsigned timeout_seconds(unsigned ms) {
    return ms < 1000 ? 1 : (ms + 999) / 1000;
}

bool sphinxql_connect(const char *host, unsigned port, unsigned timeout_ms, sphinxql_conn_t **out,
                      char *err, size_t size) {
    *out = NULL;
    sphinxql_conn_t *c = calloc(1, sizeof *c);
    if (!c || !(c->mysql = mysql_init(NULL))) {
        free(c);
        return snprintf(err, size, "out of memory"), false;
    }
    unsigned seconds = timeout_seconds(timeout_ms);
    mysql_options(c->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
    mysql_options(c->mysql, MYSQL_OPT_READ_TIMEOUT, &seconds);
    mysql_options(c->mysql, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
    /* Sphinx has no users or databases: any name is accepted. */
    if (!mysql_real_connect(c->mysql, host, "", "", NULL, port, NULL, 0)) {
        snprintf(err, size, "cannot connect to SphinxQL at %s:%u: %s", host, port,
                 mysql_error(c->mysql));
        sphinxql_close(c);
        return false;
    }
    *out = c;
    return true;
}

/* A failed call: a broken connection, or a refusal it survives. */
static sphinxql_status_t failure(sphinxql_conn_t *c, char *err, size_t size) {
    unsigned code = mysql_errno(c->mysql);
    snprintf(err, size, "%u: %s", code, mysql_error(c->mysql));
    /* Client-side codes (CR_*, 2000-2999) mean the connection is unusable:
     * lost, gone, timed out, out of sync. Server codes are refusals. */
    return code >= CR_MIN_ERROR && code <= CR_MAX_ERROR ? SPHINXQL_BROKEN : SPHINXQL_ERROR_REPLY;
}

/* Runs stmt and returns its stored result in *res (NULL for a statement
 * without one). */
static sphinxql_status_t query(sphinxql_conn_t *c, const char *stmt, MYSQL_RES **res, char *err,
                               size_t size) {
    *res = NULL;
    if (mysql_real_query(c->mysql, stmt, (unsigned long)strlen(stmt)) != 0)
        return failure(c, err, size);
    *res = mysql_store_result(c->mysql);
    if (!*res && mysql_field_count(c->mysql) != 0) return failure(c, err, size);
    return SPHINXQL_OK;
}

sphinxql_status_t sphinxql_run(sphinxql_conn_t *c, const char *stmt, char *err, size_t size) {
    MYSQL_RES *res;
    sphinxql_status_t st = query(c, stmt, &res, err, size);
    /* mysql_store_result() has read every row; walking them is cheap and
     * is what a client would do. */
    while (res && mysql_fetch_row(res)) continue;
    mysql_free_result(res);
    return st;
}

sphinxql_status_t sphinxql_total_found(sphinxql_conn_t *c, long long *total, char *err,
                                       size_t size) {
    MYSQL_RES *res;
    sphinxql_status_t st = query(c, "SHOW META", &res, err, size);
    MYSQL_ROW row;
    *total = -1;
    while (st == SPHINXQL_OK && res && (row = mysql_fetch_row(res)))
        if (row[0] && row[1] && strcmp(row[0], "total_found") == 0) *total = atoll(row[1]);
    mysql_free_result(res);
    if (st == SPHINXQL_OK && *total < 0) {
        snprintf(err, size, "SHOW META has no total_found");
        return SPHINXQL_ERROR_REPLY;
    }
    return st;
}

void sphinxql_close(sphinxql_conn_t *c) {
    if (!c) return;
    if (c->mysql) mysql_close(c->mysql);
    free(c);
}
