/* GET /metrics: the STATS counters in Prometheus's text format (0.0.4).
 * Counters end in _total; the latency histogram is cumulative, in
 * seconds, with the usual le buckets read off the finer log histogram. */
#include "metrics.h"

#include <dirent.h>
#include <event2/buffer.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lede/shim.h"

static const double LE_SECONDS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                    0.1,    0.25,  0.5,    1,     2.5,  5,     10};

static void family(struct evbuffer *out, const char *name, const char *type, const char *help) {
    evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void gauge(struct evbuffer *out, const char *name, const char *help, double v) {
    family(out, name, "gauge", help);
    evbuffer_add_printf(out, "%s %.17g\n", name, v);
}

static void counter(struct evbuffer *out, const char *name, const char *help, uint64_t v) {
    family(out, name, "counter", help);
    evbuffer_add_printf(out, "%s %llu\n", name, (unsigned long long)v);
}

static void requests(struct evbuffer *out, const stats_t *st) {
    family(out, "lede_requests_total", "counter", "Requests answered, by operation.");
    for (int i = 0; i <= STATS_OP_INVALID; i++)
        evbuffer_add_printf(out, "lede_requests_total{op=\"%s\"} %llu\n",
                            i == STATS_OP_INVALID ? "invalid" : proto_op_name((proto_op_t)i),
                            (unsigned long long)st->requests[i]);
    family(out, "lede_errors_total", "counter", "Error replies, by error code.");
    for (int e = 1; e < PROTO_E_COUNT; e++)
        evbuffer_add_printf(out, "lede_errors_total{code=\"%s\"} %llu\n",
                            proto_error_name((proto_error_code_t)e),
                            (unsigned long long)st->errors[e]);
    family(out, "lede_http_responses_total", "counter", "HTTP replies, by status class.");
    for (int c = 2; c <= 5; c++)
        evbuffer_add_printf(out, "lede_http_responses_total{class=\"%dxx\"} %llu\n", c,
                            (unsigned long long)st->http_responses[c]);
}

static void latency(struct evbuffer *out, const stats_t *st) {
    family(out, "lede_request_duration_seconds", "histogram",
           "Time from a request's arrival at a worker queue to its reply.");
    for (size_t i = 0; i < sizeof LE_SECONDS / sizeof LE_SECONDS[0]; i++)
        evbuffer_add_printf(out, "lede_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                            LE_SECONDS[i],
                            (unsigned long long)stats_count_le(st, LE_SECONDS[i] * 1000.0));
    evbuffer_add_printf(out, "lede_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                        (unsigned long long)st->latency_count);
    evbuffer_add_printf(out, "lede_request_duration_seconds_sum %.9f\n",
                        st->latency_sum_ms / 1000.0);
    evbuffer_add_printf(out, "lede_request_duration_seconds_count %llu\n",
                        (unsigned long long)st->latency_count);
}

/* A label value: '\\', '"' and newlines escaped as the format asks. */
static void label_value(struct evbuffer *out, const char *v) {
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            evbuffer_add_printf(out, "\\%c", *v);
        else if (*v == '\n')
            evbuffer_add(out, "\\n", 2);
        else
            evbuffer_add(out, v, 1);
    }
}

/* With the shards key: each shard, up or not, and its documents. */
static void shard_facts(struct evbuffer *out, shared_t *s, const index_status_t *ix) {
    if (!s->cfg->shards[0]) return;
    family(out, "lede_shard_up", "gauge", "1 when the shard answers (shards key).");
    for (size_t k = 0; k < ix->n_shards; k++) {
        evbuffer_add_printf(out, "lede_shard_up{shard=\"");
        label_value(out, ix->shards[k].spec);
        evbuffer_add_printf(out, "\"} %d\n", ix->shards[k].up ? 1 : 0);
    }
}

static void index_facts(struct evbuffer *out, shared_t *s, const index_status_t *ix) {
    gauge(out, "lede_index_up", "1 when the index can be read.", ix->up);
    if (!ix->up) return;
    gauge(out, "lede_index_documents", "Documents in the index served.", ix->st.doccount);
    gauge(out, "lede_index_revision", "Revision of the index served.", (double)ix->st.revision);
    shard_facts(out, s, ix);
}

/* Open descriptors: the entries of /proc/self/fd, less the one reading it. */
static long open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1;
}

static long resident_bytes(void) {
    long pages = -1, resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

/* The process_* families Prometheus's client libraries export. */
static void process_facts(struct evbuffer *out, const stats_t *st) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    family(out, "process_cpu_seconds_total", "counter", "User and system CPU time, in seconds.");
    evbuffer_add_printf(out, "process_cpu_seconds_total %.6f\n",
                        (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                            (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    long rss = resident_bytes(), fds = open_fds();
    if (rss >= 0)
        gauge(out, "process_resident_memory_bytes", "Resident memory, in bytes.", (double)rss);
    if (fds >= 0) gauge(out, "process_open_fds", "Open file descriptors.", (double)fds);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        gauge(out, "process_max_fds", "The file-descriptor limit.", (double)rl.rlim_cur);
    double up = stats_now() - st->started;
    gauge(out, "process_start_time_seconds", "Start time, in seconds since the Unix epoch.",
          (double)time(NULL) - up);
}

static void build_info(struct evbuffer *out) {
    family(out, "lede_build_info", "gauge", "Always 1; the labels say what is running.");
    evbuffer_add_printf(out, "lede_build_info{version=\"%s\",xapian=\"%s\",protocol=\"%d\"} 1\n",
                        LEDE_VERSION, shim_xapian_version(), PROTO_VERSION);
}

void metrics_write(shared_t *s, const index_status_t *ix, struct evbuffer *out) {
    stats_t snap, *st = &snap;
    stats_snapshot(&s->stats, &snap);
    requests(out, st);
    latency(out, st);
    build_info(out);
    gauge(out, "lede_connections_open", "Open connections (line protocol and HTTP).",
          (double)st->conns_current);
    counter(out, "lede_connections_total", "Connections accepted.", st->conns_total);
    counter(out, "lede_connections_rejected_total", "Connections refused over max_connections.",
            st->conns_rejected);
    counter(out, "lede_idle_timeouts_total", "Connections closed after idle_timeout_ms.",
            st->idle_timeouts);
    counter(out, "lede_request_timeouts_total", "Connections closed after request_timeout_ms.",
            st->request_timeouts);
    counter(out, "lede_output_stalls_total", "Times reading paused for max_output_bytes.",
            st->output_stalls);
    counter(out, "lede_accept_pauses_total", "Times accepting paused at the file-descriptor limit.",
            st->accept_pauses);
    counter(out, "lede_reloads_total", "Times a changed index was reopened.", st->reloads);
    counter(out, "lede_queries_too_long_total",
            "Queries refused for max_query_terms, max_phrase_terms or max_query_wildcards.",
            st->queries_too_long);
    counter(out, "lede_timelines_too_long_total",
            "Searches refused for a timeline facet over max_timeline_buckets.",
            st->timelines_too_long);
    counter(out, "lede_facet_limits_refused_total",
            "Searches refused for a facet_limit over max_facet_limit.", st->facet_limits_refused);
    counter(out, "lede_http_hosts_refused_total", "HTTP requests refused for their Host header.",
            st->hosts_refused);
    counter(out, "lede_auth_failures_total", "Wrong auth tokens given (line protocol and HTTP).",
            st->auth_failures);
    gauge(out, "lede_queries_per_second", "Requests per second over the last minute.",
          stats_qps(st));
    gauge(out, "lede_uptime_seconds", "Seconds since start.", stats_now() - st->started);
    index_facts(out, s, ix);
    process_facts(out, st);
}
