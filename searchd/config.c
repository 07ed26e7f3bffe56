/* lede-searchd's configuration: one table of keys, a file reader, and
 * command-line overrides, all through config_set(). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A configuration line: room for the longest path and its key. */
#define CONFIG_LINE_MAX (CONFIG_PATH_MAX + 256)

typedef enum {
    T_UINT,
    T_BOOL,
    T_PATH,
    T_LISTEN,
    T_HTTP_LISTEN,
    T_LEVEL,
    T_TLS_VERSION,
    T_POLICY
} type_t;

typedef struct {
    const char *key;
    type_t type;
    size_t offset;
    uint64_t min, max; /* for T_UINT */
    const char *def;
} key_t_;

/* A default of request.h, as the table's text. */
#define TEXT(x) #x
#define DEFAULT(name) TEXT_OF(REQUEST_DEFAULT_##name)
#define TEXT_OF(x) TEXT(x)
#define UINT_KEY(k, m, lo, hi, d)                                                                  \
    { k, T_UINT, offsetof(config_t, m), lo, hi, d }

static const key_t_ KEYS[] = {
    {"listen", T_LISTEN, 0, 0, 0, "127.0.0.1:7878"},
    {"db", T_PATH, offsetof(config_t, db), 0, 0, "var/sample-index"},
    {"shards", T_PATH, offsetof(config_t, shards), 0, 0, ""},
    {"spelling_db", T_PATH, offsetof(config_t, spelling_db), 0, 0, ""},
    UINT_KEY("shard_connect_timeout_ms", shard_connect_timeout_ms, 1, 600000, "2000"),
    UINT_KEY("shard_timeout_ms", shard_timeout_ms, 1, 600000, "10000"),
    UINT_KEY("shard_keepalive_ms", shard_keepalive_ms, 0, 3600000, "20000"),
    {"shard_policy", T_POLICY, offsetof(config_t, shard_partial), 0, 0, "fail"},
    UINT_KEY("threads", threads, 0, 256, "0"),
    UINT_KEY("max_line_bytes", max_line_bytes, 64, 16u << 20, "65536"),
    UINT_KEY("max_connections", max_connections, 1, 100000, "1024"),
    UINT_KEY("idle_timeout_ms", idle_timeout_ms, 0, 86400000, "300000"),
    UINT_KEY("request_timeout_ms", request_timeout_ms, 0, 3600000, "10000"),
    UINT_KEY("query_timeout_ms", request.timeout_ms, 1, 600000, DEFAULT(TIMEOUT_MS)),
    UINT_KEY("max_query_terms", request.max_query_terms, 1, 100000, DEFAULT(MAX_QUERY_TERMS)),
    UINT_KEY("max_phrase_terms", request.max_phrase_terms, 2, 100000, DEFAULT(MAX_PHRASE_TERMS)),
    UINT_KEY("max_query_wildcards", request.max_query_wildcards, 0, 1000,
             DEFAULT(MAX_QUERY_WILDCARDS)),
    UINT_KEY("max_limit", max_limit, 1, 10000, "100"),
    UINT_KEY("max_offset", max_offset, 0, 10000000, "10000"),
    UINT_KEY("default_limit", default_limit, 1, 10000, TEXT_OF(PROTO_DEFAULT_LIMIT)),
    UINT_KEY("max_timeline_buckets", request.max_timeline_buckets, 1, 1000000,
             DEFAULT(MAX_TIMELINE_BUCKETS)),
    UINT_KEY("max_facet_limit", request.max_facet_limit, 1, 1000000, DEFAULT(MAX_FACET_LIMIT)),
    /* At most SHIM_RELAXED_FIRST_MAX (shim.h). */
    UINT_KEY("relax_below", request.relax_below, 1, 1000, DEFAULT(RELAX_BELOW)),
    UINT_KEY("max_output_bytes", max_output_bytes, 4096, 1u << 30, "4194304"),
    UINT_KEY("reload_interval_ms", reload_interval_ms, 50, 3600000, "500"),
    {"index_watch", T_BOOL, offsetof(config_t, index_watch), 0, 0, "yes"},
    {"log_level", T_LEVEL, offsetof(config_t, log_level), 0, 0, "info"},
    {"log_file", T_PATH, offsetof(config_t, log_file), 0, 0, ""},
    {"query_log", T_BOOL, offsetof(config_t, query_log), 0, 0, "no"},
    {"access_log", T_PATH, offsetof(config_t, access_log), 0, 0, ""},
    UINT_KEY("slow_query_ms", slow_query_ms, 0, 600000, "500"),
    {"pid_file", T_PATH, offsetof(config_t, pid_file), 0, 0, ""},
    {"http_listen", T_HTTP_LISTEN, 0, 0, 0, "127.0.0.1:7879"},
    {"http_root", T_PATH, offsetof(config_t, http_root), 0, 0, ""},
    {"http_cors_origins", T_PATH, offsetof(config_t, http_cors_origins), 0, 0, ""},
    {"http_allowed_hosts", T_PATH, offsetof(config_t, http_allowed_hosts), 0, 0, ""},
    {"auth_token", T_PATH, offsetof(config_t, auth_token), 0, 0, ""},
    {"auth_token_file", T_PATH, offsetof(config_t, auth_token_file), 0, 0, ""},
    UINT_KEY("auth_fail_delay_ms", auth_fail_delay_ms, 0, 60000, "1000"),
    UINT_KEY("max_auth_failures", max_auth_failures, 1, 1000, "3"),
    {"tls_cert", T_PATH, offsetof(config_t, tls_cert), 0, 0, ""},
    {"tls_key", T_PATH, offsetof(config_t, tls_key), 0, 0, ""},
    {"tls_min_version", T_TLS_VERSION, offsetof(config_t, tls_min_version), 0, 0, "1.2"},
};

static lede_status_t set_uint(const key_t_ *k, void *dst, const char *v, lede_err_t *err) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *v == '-' || !*v || *end || n < k->min || n > k->max) {
        char range[64];
        snprintf(range, sizeof range, "%llu to %llu", (unsigned long long)k->min,
                 (unsigned long long)k->max);
        return lede_errf(err, LEDE_E_INVALID, "%s takes a whole number from %s", k->key, range);
    }
    *(uint64_t *)dst = n;
    return LEDE_OK;
}

static lede_status_t set_bool(const key_t_ *k, void *dst, const char *v, lede_err_t *err) {
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        return *(bool *)dst = true, LEDE_OK;
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
        return *(bool *)dst = false, LEDE_OK;
    return lede_errf(err, LEDE_E_INVALID, "%s takes yes or no, not '%s'", k->key, v);
}

static lede_status_t set_level(const key_t_ *k, void *dst, const char *v, lede_err_t *err) {
    static const char *const NAMES[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (!strcasecmp(v, NAMES[i])) return *(log_level_t *)dst = (log_level_t)i, LEDE_OK;
    return lede_errf(err, LEDE_E_INVALID, "%s takes error, warn, info or debug, not '%s'", k->key,
                     v);
}

static lede_status_t set_tls_version(const key_t_ *k, void *dst, const char *v, lede_err_t *err) {
    if (strcmp(v, "1.2") == 0) return *(uint64_t *)dst = 12, LEDE_OK;
    if (strcmp(v, "1.3") == 0) return *(uint64_t *)dst = 13, LEDE_OK;
    return lede_errf(err, LEDE_E_INVALID, "%s takes 1.2 or 1.3, not '%s'", k->key, v);
}

static lede_status_t set_policy(const key_t_ *k, void *dst, const char *v, lede_err_t *err) {
    if (strcmp(v, "fail") == 0) return *(bool *)dst = false, LEDE_OK;
    if (strcmp(v, "partial") == 0) return *(bool *)dst = true, LEDE_OK;
    return lede_errf(err, LEDE_E_INVALID, "%s takes fail or partial, not '%s'", k->key, v);
}

/* "HOST:PORT", "[::1]:PORT" or ":PORT" (all interfaces of IPv4), into
 * host[256] and *port. */
static lede_status_t parse_listen(const char *key, const char *v, char *host, uint16_t *port,
                                  lede_err_t *err) {
    const char *colon = strrchr(v, ':');
    char *end;
    if (!colon) return lede_errf(err, LEDE_E_INVALID, "%s takes HOST:PORT, not '%s'", key, v);
    errno = 0;
    unsigned long n_port = strtoul(colon + 1, &end, 10);
    if (errno || *end || !colon[1] || n_port > 65535)
        return lede_errf(err, LEDE_E_INVALID, "%s: bad port in '%s'", key, v);
    size_t n = (size_t)(colon - v);
    if (n >= 2 && v[0] == '[' && v[n - 1] == ']') v++, n -= 2;
    if (n >= 256) return lede_errf(err, LEDE_E_INVALID, "%s: host too long in '%s'", key, v);
    memcpy(host, v, n);
    host[n] = '\0';
    if (n == 0) strcpy(host, "0.0.0.0");
    *port = (uint16_t)n_port;
    return LEDE_OK;
}

/* http_listen also takes "off". */
static lede_status_t set_http_listen(config_t *c, const char *v, lede_err_t *err) {
    c->http_enabled = strcasecmp(v, "off") != 0;
    if (!c->http_enabled) return LEDE_OK;
    return parse_listen("http_listen", v, c->http_host, &c->http_port, err);
}

static lede_status_t apply(config_t *c, const key_t_ *k, const char *v, lede_err_t *err) {
    void *dst = (char *)c + k->offset;
    switch (k->type) {
    case T_UINT:
        return set_uint(k, dst, v, err);
    case T_BOOL:
        return set_bool(k, dst, v, err);
    case T_LEVEL:
        return set_level(k, dst, v, err);
    case T_POLICY:
        return set_policy(k, dst, v, err);
    case T_TLS_VERSION:
        return set_tls_version(k, dst, v, err);
    case T_LISTEN:
        return parse_listen(k->key, v, c->listen_host, &c->listen_port, err);
    case T_HTTP_LISTEN:
        return set_http_listen(c, v, err);
    case T_PATH:
        if (strlen(v) >= CONFIG_PATH_MAX)
            return lede_errf(err, LEDE_E_INVALID, "%s: path too long", k->key);
        strcpy(dst, v);
        return LEDE_OK;
    }
    return LEDE_E_INTERNAL;
}

lede_status_t config_set(config_t *c, const char *key, const char *value, lede_err_t *err) {
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
        if (strcmp(KEYS[i].key, key) == 0) return apply(c, &KEYS[i], value, err);
    return lede_errf(err, LEDE_E_INVALID, "unknown key '%s'", key);
}

const char *config_key_name(size_t i) {
    return i < sizeof KEYS / sizeof KEYS[0] ? KEYS[i].key : NULL;
}

const char *config_index_name(const config_t *c) {
    return c->shards[0] ? c->shards : c->db;
}

void config_defaults(config_t *c) {
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) apply(c, &KEYS[i], KEYS[i].def, NULL);
}

static char *strip(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Parses one line: blank, a comment, or "key = value". */
static lede_status_t load_line(config_t *c, char *line, lede_err_t *err) {
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *text = strip(line);
    if (!*text) return LEDE_OK;
    char *eq = strchr(text, '=');
    if (!eq) return lede_errf(err, LEDE_E_INVALID, "expected 'key = value', got '%.60s'", text);
    *eq = '\0';
    /* An empty value is allowed: it clears a path ("log_file ="); the
     * other types refuse it with their own message. */
    return config_set(c, strip(text), strip(eq + 1), err);
}

/* auth_token_file: the token is its first line. */
static lede_status_t read_token_file(config_t *c, lede_err_t *err) {
    FILE *f = fopen(c->auth_token_file, "r");
    if (!f)
        return lede_errf(err, LEDE_E_OPEN, "auth_token_file %s: %s", c->auth_token_file,
                         strerror(errno));
    char *line = fgets(c->auth_token, sizeof c->auth_token, f);
    bool cut =
        line && !strchr(line, '\n') && fgetc(f) != EOF; /* a first line longer than the buffer */
    fclose(f);
    if (cut)
        return lede_errf(err, LEDE_E_INVALID,
                         "auth_token_file %s: the token is longer than %zu bytes",
                         c->auth_token_file, sizeof c->auth_token - 2);
    size_t n = line ? strcspn(line, "\r\n") : 0;
    c->auth_token[n] = '\0';
    if (n == 0)
        return lede_errf(err, LEDE_E_INVALID, "auth_token_file %s: the first line is empty",
                         c->auth_token_file);
    return LEDE_OK;
}

lede_status_t config_finish(config_t *c, lede_err_t *err) {
    if (c->auth_token[0] && c->auth_token_file[0])
        return lede_errf(err, LEDE_E_INVALID, "set auth_token or auth_token_file, not both");
    if (c->auth_token_file[0] && read_token_file(c, err) != LEDE_OK) return LEDE_E_INVALID;
    if (!c->tls_cert[0] != !c->tls_key[0])
        return lede_errf(err, LEDE_E_INVALID, "TLS needs both tls_cert and tls_key");
    for (const char *p = c->auth_token; *p; p++)
        if ((unsigned char)*p <= ' ')
            return lede_errf(err, LEDE_E_INVALID,
                             "the auth token may not contain spaces or control characters");
    return LEDE_OK;
}

lede_status_t config_load(config_t *c, const char *path, lede_err_t *err) {
    FILE *f = fopen(path, "r");
    if (!f) return lede_errf(err, LEDE_E_OPEN, "%s: %s", path, strerror(errno));
    char line[CONFIG_LINE_MAX];
    lede_status_t st = LEDE_OK;
    for (unsigned n = 1; st == LEDE_OK && fgets(line, sizeof line, f); n++) {
        bool whole = strchr(line, '\n') || feof(f);
        st = whole
                 ? load_line(c, line, err)
                 : lede_errf(err, LEDE_E_INVALID, "line longer than %d bytes", CONFIG_LINE_MAX - 2);
        if (st != LEDE_OK) lede_err_context(err, st, "%s:%u", path, n);
    }
    fclose(f);
    return st;
}
