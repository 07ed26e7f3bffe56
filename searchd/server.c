/* The server: listener, connection accounting, reload watcher, signals. */
#include "server.h"

#include <errno.h>
#include <event2/thread.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "access_log.h"
#include "conn.h"
#include "http.h"
#include "log.h"
#include "notify.h"

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *addr, int len,
                      void *arg) {
    (void)l, (void)len;
    server_t *s = arg;
    char peer[64];
    conn_describe_peer(addr, peer, sizeof peer);
    if (conn_refuse(s, fd, peer)) return;
    stats_conn_opened(&s->stats);
    pool_accept(s->pool, fd, ++s->next_conn_id, peer);
}

/* Reopens the main thread's handle; when the index changed (or on SIGHUP)
 * the workers reopen theirs before their next request. */
static void check_reload(server_t *s, bool forced) {
    bool changed = false;
    if (shim_db_reopen(s->watch_db, &changed) != LEDE_OK) {
        /* Once, not every reload_interval_ms: /health and STATS say it. */
        if (!s->reload_failing)
            log_msg(LOG_ERROR, "checking the index for changes: %s", shim_db_errmsg(s->watch_db));
        s->reload_failing = true;
        return;
    }
    if (s->reload_failing) log_msg(LOG_INFO, "the index can be read again");
    s->reload_failing = false;
    if (!changed && !forced) return;
    pool_reload(s->pool);
    shim_stats_t st;
    if (changed) stats_reloaded(&s->stats);
    if (shim_db_stats(s->watch_db, &st) == LEDE_OK)
        log_msg(LOG_INFO, "index %s: %u documents, revision %llu", changed ? "reloaded" : "reopened",
                st.doccount, (unsigned long long)st.revision);
}

static void on_reload_timer(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    check_reload(arg, false);
}

static void on_index_changed(void *arg) {
    check_reload(arg, false);
}

static void on_sighup(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    log_msg(LOG_INFO, "SIGHUP: reopening the index");
    check_reload(arg, true);
}

static void on_stop_signal(evutil_socket_t sig, short what, void *arg) {
    (void)what;
    server_t *s = arg;
    if (s->stopping) return;
    log_msg(LOG_INFO, "%s: finishing what %zu connections have sent and %zu HTTP requests, then stopping",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", pool_connections(s->pool), pool_pending(s->pool));
    server_stop(s);
}

static bool listen_on(server_t *s, char *err, size_t size) {
    const config_t *c = s->cfg;
    char port[8];
    snprintf(port, sizeof port, "%u", c->listen_port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(c->listen_host, port, &hints, &ai);
    if (rc != 0)
        return snprintf(err, size, "listen %s:%s: %s", c->listen_host, port, gai_strerror(rc)), false;
    s->listener = evconnlistener_new_bind(s->base, on_accept, s,
                                          LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
                                          -1, ai->ai_addr, (int)ai->ai_addrlen);
    int e = errno;
    freeaddrinfo(ai);
    if (!s->listener)
        return snprintf(err, size, "cannot listen on %s:%s: %s", c->listen_host, port, strerror(e)), false;
    gate_add(&s->gate, s->listener);
    return true;
}

unsigned server_socket_port(evutil_socket_t fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return 0;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return 0;
}

void server_job_finished(server_t *s, job_t *job) {
    const config_t *c = s->cfg;
    bool slow = c->slow_query_ms && job->latency_ms >= (double)c->slow_query_ms;
    stats_request(&s->stats, job->req.op, job->error, job->latency_ms);
    if (job->too_big) stats_query_too_long(&s->stats);
    if (job->long_timeline) stats_timeline_too_long(&s->stats);
    if (job->wide_facets) stats_facet_limit_refused(&s->stats);
    if (c->query_log || slow)
        log_msg(LOG_INFO, "%s %s%s %.2f ms %s q=%.120s", slow ? "slow" : "query", job->http ? "http " : "",
                proto_op_name(job->req.op), job->latency_ms, proto_error_name(job->error),
                job->req.search.q ? job->req.search.q : job->req.doc ? job->req.doc : "");
}

/* Jobs come back to the main loop only from HTTP. */
static void job_done(job_t *job, void *arg) {
    http_job_done(job, arg);
}

/* SIGUSR1: logrotate has moved the logs away; write to new files. */
static void on_sigusr1(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what, (void)arg;
    char err[CONFIG_PATH_MAX + 128];
    bool ok = true;
    if (!log_reopen(err, sizeof err))
        ok = false, log_msg(LOG_ERROR, "SIGUSR1: %s; still writing to the old file", err);
    if (!access_log_reopen(err, sizeof err))
        ok = false, log_msg(LOG_ERROR, "SIGUSR1: %s; still writing to the old file", err);
    if (ok) log_msg(LOG_INFO, "SIGUSR1: log files reopened");
}

static bool add_events(server_t *s) {
    struct timeval every = {(time_t)(s->cfg->reload_interval_ms / 1000),
                            (suseconds_t)(s->cfg->reload_interval_ms % 1000) * 1000};
    s->reload_timer = event_new(s->base, -1, EV_PERSIST, on_reload_timer, s);
    s->sighup = evsignal_new(s->base, SIGHUP, on_sighup, s);
    s->sigterm = evsignal_new(s->base, SIGTERM, on_stop_signal, s);
    s->sigint = evsignal_new(s->base, SIGINT, on_stop_signal, s);
    s->sigusr1 = evsignal_new(s->base, SIGUSR1, on_sigusr1, s);
    if (!s->reload_timer || !s->sighup || !s->sigterm || !s->sigint || !s->sigusr1) return false;
    return event_add(s->reload_timer, &every) == 0 && event_add(s->sighup, NULL) == 0 &&
           event_add(s->sigterm, NULL) == 0 && event_add(s->sigint, NULL) == 0 &&
           event_add(s->sigusr1, NULL) == 0;
}

/* Descriptors the daemon holds besides its connections: stdio, the log,
 * the listeners and signals; and per event loop and index handle (one
 * each per worker, and the main thread's): the poll and wake-up
 * descriptors and the database's tables. */
#define FDS_BASE 32
#define FDS_PER_THREAD 16

/* Raises the soft limit on open files towards what max_connections
 * needs, up to the hard limit (the soft default, 1024, is below what the
 * default max_connections needs); says so when that is short. At the
 * limit the gate pauses accepting. */
static void fit_fd_limit(const config_t *c, unsigned threads) {
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
    rlim_t reserve = FDS_BASE + FDS_PER_THREAD * ((rlim_t)threads + 1);
    rlim_t want = (rlim_t)c->max_connections + reserve, old = lim.rlim_cur;
    if (old >= want) return;
    lim.rlim_cur = lim.rlim_max == RLIM_INFINITY || lim.rlim_max >= want ? want : lim.rlim_max;
    if (lim.rlim_cur > old && setrlimit(RLIMIT_NOFILE, &lim) == 0)
        log_msg(LOG_INFO,
                "file-descriptor limit raised from %llu to %llu for max_connections (%llu)",
                (unsigned long long)old, (unsigned long long)lim.rlim_cur,
                (unsigned long long)c->max_connections);
    else
        lim.rlim_cur = old;
    if (lim.rlim_cur >= want) return;
    unsigned long long room =
        lim.rlim_cur > reserve ? (unsigned long long)(lim.rlim_cur - reserve) : 0;
    log_msg(LOG_WARN,
            "max_connections (%llu) needs about %llu file descriptors but the limit is %llu "
            "(ulimit -n): past about %llu connections, new clients wait until others close",
            (unsigned long long)c->max_connections, (unsigned long long)want,
            (unsigned long long)lim.rlim_cur, room);
}

static unsigned worker_count(const config_t *c) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return c->threads ? (unsigned)c->threads : cores > 0 ? (unsigned)cores : 1;
}

bool server_start(server_t *s, const config_t *c, char *err, size_t size) {
    memset(s, 0, sizeof *s);
    s->cfg = c;
    stats_init(&s->stats);
    /* A page without a "limit" is bounded by max_limit too. */
    uint64_t default_limit = c->default_limit < c->max_limit ? c->default_limit : c->max_limit;
    s->limits = (proto_limits_t){.max_line = c->max_line_bytes, .max_limit = (uint32_t)c->max_limit,
                                 .max_offset = (uint32_t)c->max_offset,
                                 .default_limit = (uint32_t)default_limit};
    signal(SIGPIPE, SIG_IGN);
    if (evthread_use_pthreads() != 0 || !(s->base = event_base_new()) ||
        !gate_init(&s->gate, s->base, &s->stats))
        return snprintf(err, size, "cannot start the event loop"), false;
    char *msg = NULL;
    if (shim_db_open(c->db, &s->watch_db, &msg) != LEDE_OK) {
        snprintf(err, size, "cannot open the index at %s: %s (build one with lede-indexer --db %s ...)",
                 c->db, msg ? msg : "out of memory", c->db);
        free(msg);
        return false;
    }
    unsigned threads = worker_count(c);
    fit_fd_limit(c, threads);
    if (!pool_start(&s->pool, s, s->base, threads, job_done, s, err, size)) return false;
    if (tls_enabled(c) && !(s->tls = tls_ctx_new(c, err, size))) return false;
    if (!listen_on(s, err, size)) return false;
    if (c->http_enabled && !http_start(s, err, size)) return false;
    if (!add_events(s)) return snprintf(err, size, "cannot set up signals and timers"), false;
    char why[CONFIG_PATH_MAX + 64];
    if (c->index_watch &&
        !(s->index_watch = index_watch_new(s->base, c->db, on_index_changed, s, why, sizeof why)))
        log_msg(LOG_WARN, "%s: changes to the index are noticed every reload_interval_ms only", why);
    shim_stats_t st = {0};
    shim_db_stats(s->watch_db, &st);
    log_msg(LOG_INFO, "listening on %s:%u%s, index %s (%u documents), %u worker threads",
            c->listen_host, server_socket_port(evconnlistener_get_fd(s->listener)), s->tls ? " (TLS)" : "", c->db, st.doccount, threads);
    return true;
}

void server_run(server_t *s) {
    event_base_dispatch(s->base);
    stats_t snap;
    stats_snapshot(&s->stats, &snap);
    log_msg(LOG_INFO, "stopped after %llu requests", (unsigned long long)snap.latency_count);
}

void server_stop(server_t *s) {
    s->stopping = true;
    notify_send("STOPPING=1");
    gate_close(&s->gate);
    if (s->listener) evconnlistener_disable(s->listener);
    http_stop(s->http);
    event_del(s->reload_timer);
    pool_shutdown(s->pool);
    server_conn_closed(s);
}

void server_conn_closed(server_t *s) {
    gate_fd_freed(&s->gate);
    if (s->stopping && pool_connections(s->pool) == 0 && pool_pending(s->pool) == 0 && http_busy(s->http) == 0)
        event_base_loopexit(s->base, NULL);
}

bool server_index_up(server_t *s, shim_db_t *db, shim_stats_t *st, char *why, size_t size) {
    if (shim_db_check(db) == LEDE_OK && shim_db_stats(db, st) == LEDE_OK) return true;
    snprintf(why, size, "the index at %.200s cannot be read: %.280s", s->cfg->db,
             shim_db_errmsg(db));
    return false;
}

json_t *server_stats_json(server_t *s, shim_db_t *db) {
    json_t *o = stats_json(&s->stats);
    shim_stats_t st;
    char why[512];
    json_t *index = json_object();
    json_object_set_new(index, "path", json_string(s->cfg->db));
    bool up = server_index_up(s, db, &st, why, sizeof why);
    json_object_set_new(index, "up", json_boolean(up));
    if (up) {
        json_object_set_new(index, "documents", json_integer(st.doccount));
        json_object_set_new(index, "revision", json_integer((json_int_t)st.revision));
        json_object_set_new(index, "language", json_string(st.language));
    } else {
        json_object_set_new(index, "error", json_string(why));
    }
    json_object_set_new(o, "index", index);
    json_object_set_new(o, "protocol", json_integer(PROTO_VERSION));
    json_object_set_new(o, "version", json_string(LEDE_VERSION));
    return o;
}

void server_free(server_t *s) {
    http_free(s->http); /* first: closing its connections looks at the pool */
    s->http = NULL;
    pool_stop(s->pool);
    /* The workers are gone; freeing the signal events below gives SIGTERM
     * back its default action, and a second SIGTERM (timeout(1) sends one
     * to the process and one to its group) would kill a daemon that has
     * nearly finished stopping. Blocked, it waits until exit, unheard. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM), sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGHUP), sigaddset(&stop_signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    if (s->listener) evconnlistener_free(s->listener);
    index_watch_free(s->index_watch);
    struct event *evs[] = {s->reload_timer, s->sighup, s->sigterm, s->sigint, s->sigusr1};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        if (evs[i]) event_free(evs[i]);
    shim_db_close(s->watch_db);
    tls_ctx_free(s->tls);
    gate_free(&s->gate);
    if (s->base) event_base_free(s->base);
    stats_destroy(&s->stats);
    libevent_global_shutdown();
}
