/* config: lede-searchd's settings. One table (config.c) gives every key
 * its type, range and default; conf/searchd.conf documents them. */
#ifndef LEDE_SEARCHD_CONFIG_H
#define LEDE_SEARCHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/request.h"
#include "lede/status.h"

#define CONFIG_PATH_MAX 4096

typedef enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG } log_level_t;

typedef struct config {
    char listen_host[256];
    uint16_t listen_port;
    char db[CONFIG_PATH_MAX];
    char shards[CONFIG_PATH_MAX];      /* "": serve db; else comma-separated paths and
                                        * tcp://HOST:PORT remotes, searched as one */
    char spelling_db[CONFIG_PATH_MAX]; /* with shards: "did you mean" from here */
    uint64_t shard_connect_timeout_ms;
    uint64_t shard_timeout_ms;   /* one request to a remote shard */
    uint64_t shard_keepalive_ms; /* idle remote connections are pinged this often */
    bool shard_partial;          /* shard_policy = partial: answer without a shard
                                  * that is down (else fail) */
    uint64_t threads;            /* 0: one per core */
    uint64_t max_line_bytes;
    uint64_t max_connections;
    uint64_t idle_timeout_ms;    /* 0: never */
    uint64_t request_timeout_ms; /* for a request to arrive whole; 0: never */
    request_limits_t request;    /* query_timeout_ms, max_query_terms, ...:
                                  * what one request may cost */
    uint64_t max_limit;
    uint64_t max_offset;
    uint64_t default_limit;
    uint64_t max_output_bytes; /* replies queued for one slow reader */
    uint64_t reload_interval_ms;
    bool index_watch; /* inotify notices commits at once (index_watch.h) */
    log_level_t log_level;
    char log_file[CONFIG_PATH_MAX]; /* "" or "-": stderr */
    bool query_log;
    char access_log[CONFIG_PATH_MAX]; /* "": none; else a JSON line per HTTP request */
    uint64_t slow_query_ms;           /* 0: no slow-query log */
    char pid_file[CONFIG_PATH_MAX];
    bool http_enabled; /* http_listen is not "off" */
    char http_host[256];
    uint16_t http_port;
    char http_root[CONFIG_PATH_MAX];          /* "": found at start-up (http_static.h) */
    char http_cors_origins[CONFIG_PATH_MAX];  /* "*", or origins separated by commas */
    char http_allowed_hosts[CONFIG_PATH_MAX]; /* Host names answered besides the listen
                                               * address's own (http_host.h) */
    char auth_token[CONFIG_PATH_MAX];         /* "": no authentication (auth.h) */
    char auth_token_file[CONFIG_PATH_MAX];    /* where auth_token is read from */
    uint64_t auth_fail_delay_ms;              /* a wrong token is answered this much later */
    uint64_t max_auth_failures;               /* wrong tokens before a connection is closed */
    char tls_cert[CONFIG_PATH_MAX]; /* PEM chain; with tls_key, both listeners speak TLS (tls.h) */
    char tls_key[CONFIG_PATH_MAX];
    uint64_t tls_min_version; /* 12 (TLS 1.2) or 13 */
} config_t;

/* What is served, for messages and STATS: shards when set, else db. */
const char *config_index_name(const config_t *c);

/* The keys of the table, by index (for the test that each is documented);
 * NULL past the last. */
const char *config_key_name(size_t i);

/* Fills every key with its default. */
void config_defaults(config_t *c);

/* Reads a "key = value" file ('#' starts a comment). On an unknown key or
 * a bad value, "FILE:LINE: reason" in err. */
lede_status_t config_load(config_t *c, const char *path, lede_err_t *err);

/* Once every key is set: reads auth_token_file and checks the keys that
 * go together. */
lede_status_t config_finish(config_t *c, lede_err_t *err);

/* Sets one key (a command-line override). */
lede_status_t config_set(config_t *c, const char *key, const char *value, lede_err_t *err);

#endif
