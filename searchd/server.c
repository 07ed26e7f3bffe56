/* The server: starting and stopping everything, reloads, signals. */
#include "server.h"

#include <event2/thread.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "access_log.h"
#include "index.h"
#include "log.h"
#include "notify.h"

/* A commit seen by index_watch: the reload thread checks at once. */
static void on_index_changed(void *arg) {
    server_t *s = arg;
    reloader_kick(s->reloader, false);
}

static void on_sighup(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    server_t *s = arg;
    log_msg(LOG_INFO, "SIGHUP: reopening the index");
    reloader_kick(s->reloader, true);
}

static void server_stop(server_t *s);

static void on_stop_signal(evutil_socket_t sig, short what, void *arg) {
    (void)what;
    server_t *s = arg;
    if (s->sh.stopping) return;
    log_msg(LOG_INFO,
            "%s: finishing what %zu connections have sent and %zu HTTP requests, then stopping",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", pool_connections(s->pool),
            pool_pending(s->pool));
    server_stop(s);
}

/* SIGUSR1: logrotate has moved the logs away; write to new files. */
static void on_sigusr1(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what, (void)arg;
    lede_err_t err;
    bool ok = true;
    if (log_reopen(&err) != LEDE_OK)
        ok = false, log_msg(LOG_ERROR, "SIGUSR1: %s; still writing to the old file", err.msg);
    if (access_log_reopen(&err) != LEDE_OK)
        ok = false, log_msg(LOG_ERROR, "SIGUSR1: %s; still writing to the old file", err.msg);
    if (ok) log_msg(LOG_INFO, "SIGUSR1: log files reopened");
}

static bool add_events(server_t *s) {
    struct event_base *base = s->sh.base;
    s->sighup = evsignal_new(base, SIGHUP, on_sighup, s);
    s->sigterm = evsignal_new(base, SIGTERM, on_stop_signal, s);
    s->sigint = evsignal_new(base, SIGINT, on_stop_signal, s);
    s->sigusr1 = evsignal_new(base, SIGUSR1, on_sigusr1, s);
    if (!s->sighup || !s->sigterm || !s->sigint || !s->sigusr1) return false;
    return event_add(s->sighup, NULL) == 0 && event_add(s->sigterm, NULL) == 0 &&
           event_add(s->sigint, NULL) == 0 && event_add(s->sigusr1, NULL) == 0;
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

/* STATS through a worker's own index handle (request_env_t.stats). */
static json_t *report(void *arg, shim_db_t *db) {
    shared_t *sh = arg;
    index_status_t ix;
    index_status_read(sh->cfg, db, &ix);
    json_t *o = stats_report(&sh->stats, sh->cfg, &ix);
    index_status_free(&ix);
    return o;
}

static void on_conn_closed(void *arg) {
    server_t *s = arg;
    gate_fd_freed(&s->sh.gate);
    if (s->sh.stopping && pool_connections(s->pool) == 0 && pool_pending(s->pool) == 0 &&
        http_busy(s->http) == 0)
        event_base_loopexit(s->sh.base, NULL);
}

/* The part of the server every other part reads. */
static void share(server_t *s, const config_t *c) {
    shared_t *sh = &s->sh;
    sh->cfg = c;
    stats_init(&sh->stats);
    /* A page without a "limit" is bounded by max_limit too. */
    uint64_t default_limit = c->default_limit < c->max_limit ? c->default_limit : c->max_limit;
    sh->limits = (proto_limits_t){.max_line = c->max_line_bytes,
                                  .max_limit = (uint32_t)c->max_limit,
                                  .max_offset = (uint32_t)c->max_offset,
                                  .default_limit = (uint32_t)default_limit};
    sh->env = (request_env_t){.limits = c->request, .stats = report, .stats_arg = sh};
    sh->conn_closed = on_conn_closed;
    sh->conn_closed_arg = s;
}

/* The reload thread's handle; with shards that are down (shard_policy =
 * partial), says which. */
static lede_status_t open_index(server_t *s, shim_db_t **db, lede_err_t *err) {
    lede_status_t st = index_open(s->sh.cfg, db, err);
    for (size_t k = 0; st == LEDE_OK && k < shim_db_shard_count(*db); k++) {
        shim_shard_info_t info;
        shim_db_shard_info(*db, k, &info);
        if (!info.up)
            log_msg(LOG_WARN, "shard %s is down (%s); serving the others", info.spec, info.error);
    }
    return st;
}

/* The listeners, the signals and the index watcher. */
static lede_status_t listen_all(server_t *s, lede_err_t *err) {
    const config_t *c = s->sh.cfg;
    lede_status_t st = listener_open(&s->listener, &s->sh, s->pool, err);
    if (st == LEDE_OK && c->http_enabled)
        st = http_start(&s->http, &s->sh, s->pool, s->reloader, err);
    if (st != LEDE_OK) return st;
    if (!add_events(s)) return lede_errf(err, LEDE_E_INTERNAL, "cannot set up signals and timers");
    lede_err_t why;
    if (c->index_watch && !c->shards[0] &&
        !(s->index_watch = index_watch_new(s->sh.base, c->db, on_index_changed, s, &why)))
        log_msg(LOG_WARN, "%s: changes to the index are noticed every reload_interval_ms only",
                why.msg);
    return LEDE_OK;
}

lede_status_t server_start(server_t *s, const config_t *c, lede_err_t *err) {
    memset(s, 0, sizeof *s);
    share(s, c);
    signal(SIGPIPE, SIG_IGN);
    if (evthread_use_pthreads() != 0 || !(s->sh.base = event_base_new()) ||
        !gate_init(&s->sh.gate, s->sh.base, &s->sh.stats))
        return lede_errf(err, LEDE_E_INTERNAL, "cannot start the event loop");
    shim_db_t *db = NULL;
    lede_status_t st = open_index(s, &db, err);
    unsigned threads = worker_count(c);
    if (st == LEDE_OK) fit_fd_limit(c, threads);
    if (st == LEDE_OK) st = pool_start(&s->pool, &s->sh, threads, err);
    if (st == LEDE_OK)
        st = reloader_start(&s->reloader, &s->sh, s->pool, db, err);
    else
        shim_db_close(db);
    if (st == LEDE_OK && tls_enabled(c)) st = tls_ctx_new(c, &s->sh.tls, err);
    if (st == LEDE_OK) st = listen_all(s, err);
    if (st != LEDE_OK) return st;
    index_status_t ix;
    reloader_status(s->reloader, &ix);
    log_msg(LOG_INFO, "listening on %s:%u%s, index %s (%u documents), %u worker threads",
            c->listen_host, listener_port(s->listener), s->sh.tls ? " (TLS)" : "",
            config_index_name(c), ix.st.doccount, threads);
    index_status_free(&ix);
    return LEDE_OK;
}

void server_run(server_t *s) {
    event_base_dispatch(s->sh.base);
    stats_t snap;
    stats_snapshot(&s->sh.stats, &snap);
    log_msg(LOG_INFO, "stopped after %llu requests", (unsigned long long)snap.latency_count);
}

/* A graceful stop: no new connections; open ones close once their
 * requests are answered. */
static void server_stop(server_t *s) {
    s->sh.stopping = true;
    notify_send("STOPPING=1");
    gate_close(&s->sh.gate);
    listener_disable(s->listener);
    http_stop(s->http);
    reloader_stop(s->reloader);
    pool_shutdown(s->pool);
    on_conn_closed(s);
}

void server_free(server_t *s) {
    http_free(s->http); /* first: closing its connections looks at the pool */
    s->http = NULL;
    reloader_free(s->reloader); /* before the pool it tells about reloads */
    s->reloader = NULL;
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
    listener_free(s->listener);
    index_watch_free(s->index_watch);
    struct event *evs[] = {s->sighup, s->sigterm, s->sigint, s->sigusr1};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        if (evs[i]) event_free(evs[i]);
    tls_ctx_free(s->sh.tls);
    gate_free(&s->sh.gate);
    if (s->sh.base) event_base_free(s->sh.base);
    stats_destroy(&s->sh.stats);
    libevent_global_shutdown();
}
