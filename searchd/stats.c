/* Counters and a latency histogram for STATS. */
#include "stats.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "lede/json_build.h"
#include "log.h"

#define BUCKETS_PER_DOUBLING 8

double stats_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void stats_init(stats_t *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->started = stats_now();
    s->window_second = (int64_t)s->started;
}

void stats_destroy(stats_t *s) {
    pthread_mutex_destroy(&s->lock);
}

void stats_snapshot(stats_t *s, stats_t *out) {
    pthread_mutex_lock(&s->lock);
    memcpy(out, s, sizeof *out);
    pthread_mutex_unlock(&s->lock);
}

static int bucket_of(double ms) {
    double us = ms * 1000.0;
    if (us <= 1.0) return 0;
    int b = (int)(log2(us) * BUCKETS_PER_DOUBLING) + 1;
    return b >= STATS_BUCKETS ? STATS_BUCKETS - 1 : b;
}

/* The upper bound in ms of bucket b. */
static double bucket_ms(int b) {
    return pow(2.0, (double)b / BUCKETS_PER_DOUBLING) / 1000.0;
}

/* Moves the ring to the current second, zeroing the seconds skipped. */
static void advance_window(stats_t *s) {
    int64_t now = (int64_t)stats_now();
    int64_t steps = now - s->window_second;
    if (steps <= 0) return;
    if (steps > STATS_WINDOW_S) steps = STATS_WINDOW_S;
    for (int64_t i = 1; i <= steps; i++) s->window[(s->window_second + i) % STATS_WINDOW_S] = 0;
    s->window_second = now;
}

void stats_request(stats_t *s, int op, proto_error_code_t error, double latency_ms) {
    pthread_mutex_lock(&s->lock);
    if (op >= 0 && op <= STATS_OP_INVALID) s->requests[op]++;
    if (error != PROTO_E_NONE && (unsigned)error < PROTO_E_COUNT) s->errors[error]++;
    s->latency[bucket_of(latency_ms)]++;
    s->latency_count++;
    s->latency_sum_ms += latency_ms;
    advance_window(s);
    s->window[s->window_second % STATS_WINDOW_S]++;
    pthread_mutex_unlock(&s->lock);
}

/* Adds delta to one counter under the lock. */
static void bump(stats_t *s, uint64_t *counter, int delta) {
    pthread_mutex_lock(&s->lock);
    *counter += (uint64_t)(int64_t)delta;
    pthread_mutex_unlock(&s->lock);
}

void stats_conn_opened(stats_t *s) {
    pthread_mutex_lock(&s->lock);
    s->conns_current++;
    s->conns_total++;
    pthread_mutex_unlock(&s->lock);
}

void stats_conn_closed(stats_t *s) {
    bump(s, &s->conns_current, -1);
}

void stats_conn_rejected(stats_t *s) {
    pthread_mutex_lock(&s->lock);
    s->conns_rejected++;
    s->errors[PROTO_E_TOO_MANY_CONNECTIONS]++;
    pthread_mutex_unlock(&s->lock);
}

void stats_idle_timeout(stats_t *s) {
    bump(s, &s->idle_timeouts, 1);
}

void stats_output_stall(stats_t *s) {
    bump(s, &s->output_stalls, 1);
}

void stats_accept_paused(stats_t *s) {
    bump(s, &s->accept_pauses, 1);
}

void stats_request_timeout(stats_t *s) {
    pthread_mutex_lock(&s->lock);
    s->request_timeouts++;
    s->errors[PROTO_E_TIMEOUT]++;
    pthread_mutex_unlock(&s->lock);
}

void stats_auth_failed(stats_t *s) {
    bump(s, &s->auth_failures, 1);
}

void stats_host_refused(stats_t *s) {
    bump(s, &s->hosts_refused, 1);
}

void stats_query_too_long(stats_t *s) {
    bump(s, &s->queries_too_long, 1);
}

void stats_timeline_too_long(stats_t *s) {
    bump(s, &s->timelines_too_long, 1);
}

void stats_facet_limit_refused(stats_t *s) {
    bump(s, &s->facet_limits_refused, 1);
}

void stats_reloaded(stats_t *s) {
    bump(s, &s->reloads, 1);
}

void stats_http_response(stats_t *s, int status_class) {
    if (status_class >= 2 && status_class <= 5) bump(s, &s->http_responses[status_class], 1);
}

uint64_t stats_conns_current(stats_t *s) {
    pthread_mutex_lock(&s->lock);
    uint64_t n = s->conns_current;
    pthread_mutex_unlock(&s->lock);
    return n;
}

uint64_t stats_count_le(const stats_t *s, double ms) {
    uint64_t n = 0;
    for (int b = 0; b < STATS_BUCKETS && bucket_ms(b) <= ms * (1 + 1e-9); b++) n += s->latency[b];
    return n;
}

double stats_percentile(const stats_t *s, double q) {
    if (s->latency_count == 0) return 0;
    uint64_t want = (uint64_t)ceil(q * (double)s->latency_count), seen = 0;
    for (int b = 0; b < STATS_BUCKETS; b++)
        if ((seen += s->latency[b]) >= want) return bucket_ms(b);
    return bucket_ms(STATS_BUCKETS - 1);
}

double stats_qps(stats_t *s) {
    advance_window(s);
    double up = stats_now() - s->started;
    double span = up < STATS_WINDOW_S ? (up > 1 ? up : 1) : STATS_WINDOW_S;
    uint64_t sum = 0;
    for (int i = 0; i < STATS_WINDOW_S; i++) sum += s->window[i];
    return (double)sum / span;
}

json_t *stats_json(stats_t *live) {
    stats_t snap, *s = &snap;
    stats_snapshot(live, &snap);
    json_build_t b = {false};
    json_t *o = json_object(), *req = json_object(), *err = json_object(), *lat = json_object();
    uint64_t total = 0, failed = 0;
    for (int i = 0; i <= STATS_OP_INVALID; i++) {
        const char *name = i == STATS_OP_INVALID ? "invalid" : proto_op_name((proto_op_t)i);
        jb_set(&b, req, name, json_integer((json_int_t)s->requests[i]));
        total += s->requests[i];
    }
    for (int e = 1; e < PROTO_E_COUNT; e++) {
        jb_set(&b, err, proto_error_name((proto_error_code_t)e),
               json_integer((json_int_t)s->errors[e]));
        failed += s->errors[e];
    }
    jb_set(&b, lat, "p50", json_real(stats_percentile(s, 0.50)));
    jb_set(&b, lat, "p95", json_real(stats_percentile(s, 0.95)));
    jb_set(&b, lat, "p99", json_real(stats_percentile(s, 0.99)));
    json_t *conns =
        json_pack("{sI,sI,sI,sI,sI,sI,sI}", "current", (json_int_t)s->conns_current, "total",
                  (json_int_t)s->conns_total, "rejected", (json_int_t)s->conns_rejected,
                  "idle_timeouts", (json_int_t)s->idle_timeouts, "request_timeouts",
                  (json_int_t)s->request_timeouts, "output_stalls", (json_int_t)s->output_stalls,
                  "accept_pauses", (json_int_t)s->accept_pauses);
    jb_set(&b, o, "uptime_s", json_real(stats_now() - s->started));
    jb_set(&b, o, "connections", conns);
    jb_set(&b, o, "requests_total", json_integer((json_int_t)total));
    jb_set(&b, o, "requests", req);
    jb_set(&b, o, "errors_total", json_integer((json_int_t)failed));
    jb_set(&b, o, "errors", err);
    jb_set(&b, o, "qps", json_real(stats_qps(s)));
    jb_set(&b, o, "latency_ms", lat);
    const struct {
        const char *key;
        uint64_t value;
    } COUNTS[] = {{"reloads", s->reloads},
                  {"hosts_refused", s->hosts_refused},
                  {"auth_failures", s->auth_failures},
                  {"queries_too_long", s->queries_too_long},
                  {"timelines_too_long", s->timelines_too_long},
                  {"facet_limits_refused", s->facet_limits_refused}};
    for (size_t i = 0; i < sizeof COUNTS / sizeof COUNTS[0]; i++)
        jb_set(&b, o, COUNTS[i].key, json_integer((json_int_t)COUNTS[i].value));
    if (!b.failed) return o;
    json_decref(o);
    return NULL;
}

void stats_job_done(stats_t *s, const config_t *c, const job_t *job) {
    const proto_command_t *cmd = proto_command(job->req.op);
    bool slow = c->slow_query_ms && job->latency_ms >= (double)c->slow_query_ms;
    stats_request(s, job->req.op, job->reply.error, job->latency_ms);
    if (job->reply.refused == REQUEST_QUERY_TOO_LONG) stats_query_too_long(s);
    if (job->reply.refused == REQUEST_TIMELINE_TOO_LONG) stats_timeline_too_long(s);
    if (job->reply.refused == REQUEST_FACETS_TOO_WIDE) stats_facet_limit_refused(s);
    if (!cmd || !cmd->on_index || !(c->query_log || slow)) return;
    const proto_request_t *r = &job->req;
    log_msg(LOG_INFO, "%s %s%s %.2f ms %s q=%.120s", slow ? "slow" : "query",
            job->http ? "http " : "", cmd->name, job->latency_ms,
            proto_error_name(job->reply.error),
            r->search.q ? r->search.q
            : r->doc    ? r->doc
                        : "");
}

/* "shards": each shard, whether it is up, its documents or why not. */
static json_t *shards_json(const index_status_t *ix) {
    json_t *list = json_array();
    json_build_t b = {!list};
    for (size_t k = 0; k < ix->n_shards; k++) {
        const index_shard_t *info = &ix->shards[k];
        json_t *one = json_pack("{s:s, s:b, s:b}", "shard", info->spec, "remote", info->remote,
                                "up", info->up);
        if (info->up)
            jb_set(&b, one, "documents", json_integer((json_int_t)info->doccount));
        else
            jb_str(&b, one, "error", info->error);
        jb_append(&b, list, one);
    }
    if (!b.failed) return list;
    json_decref(list);
    return NULL;
}

/* "index": where it is, whether it can be read, and its facts or why not;
 * with the shards key, each shard too. */
static json_t *index_json(const config_t *c, const index_status_t *ix) {
    const char *path = config_index_name(c);
    json_t *o = !ix->up ? json_pack("{s:s, s:b, s:s}", "path", path, "up", 0, "error", ix->why.msg)
                        : json_pack("{s:s, s:b, s:I, s:I, s:s}", "path", path, "up", 1, "documents",
                                    (json_int_t)ix->st.doccount, "revision",
                                    (json_int_t)ix->st.revision, "language", ix->st.language);
    if (o && c->shards[0] && json_object_set_new(o, "shards", shards_json(ix)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *stats_report(stats_t *s, const config_t *c, const index_status_t *ix) {
    json_t *o = stats_json(s);
    json_t *more = json_pack("{s:o?, s:i, s:s}", "index", index_json(c, ix), "protocol",
                             PROTO_VERSION, "version", LEDE_VERSION);
    if (!o || !more || json_object_update(o, more) != 0) {
        json_decref(o);
        o = NULL;
    }
    json_decref(more);
    return o;
}
