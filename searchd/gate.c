/* Pausing the listeners at the file-descriptor limit (see gate.h). */
#include "gate.h"

#include <errno.h>
#include <string.h>

#include "log.h"

/* How soon a paused gate tries again without a connection closing: short
 * enough that a descriptor freed elsewhere (an index file) is soon used,
 * long enough that a process stuck at its limit costs no CPU. */
#define GATE_RETRY_MS 100
/* Failed accepts less than this far apart belong to one episode: one log
 * line and one count, however long the process stays at its limit. */
#define GATE_EPISODE_S 1.0

/* evhttp's listener gives its error callback the evhttp, not ours: the
 * gate is found here instead. */
static gate_t *process_gate;

static void set_enabled(gate_t *g, bool on) {
    for (int i = 0; i < g->n; i++) {
        if (on)
            evconnlistener_enable(g->listeners[i]);
        else
            evconnlistener_disable(g->listeners[i]);
    }
}

static void resume(gate_t *g) {
    if (!atomic_load(&g->paused) || g->closed) return;
    atomic_store(&g->paused, false);
    evtimer_del(g->retry);
    set_enabled(g, true);
}

static void on_retry(evutil_socket_t fd, short what, void *arg) {
    (void)fd, (void)what;
    resume(arg);
}

/* Whether accept() failed for want of a resource the process or the
 * system may get back, rather than because of that one connection. */
static bool out_of_resources(int err) {
    return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

static void pause_accepting(gate_t *g, int err) {
    double now = stats_now();
    bool new_episode = now - g->last_hit > GATE_EPISODE_S;
    g->last_hit = now;
    set_enabled(g, false);
    atomic_store(&g->paused, true);
    struct timeval tv = {0, GATE_RETRY_MS * 1000};
    evtimer_add(g->retry, &tv);
    if (!new_episode) return;
    stats_accept_paused(g->stats);
    log_msg(LOG_WARN,
            "accepting paused: %s (the file-descriptor limit, or the system's); new clients wait "
            "until a connection closes",
            strerror(err));
}

static void on_accept_error(struct evconnlistener *l, void *arg) {
    (void)l, (void)arg;
    int err = EVUTIL_SOCKET_ERROR();
    gate_t *g = process_gate;
    if (!g || g->closed) return;
    if (out_of_resources(err)) return pause_accepting(g, err);
    log_msg(LOG_WARN, "accept: %s", strerror(err)); /* that connection only */
}

bool gate_init(gate_t *g, struct event_base *base, stats_t *stats) {
    memset(g, 0, sizeof *g);
    g->stats = stats;
    g->last_hit = -1e9;
    atomic_init(&g->paused, false);
    g->retry = evtimer_new(base, on_retry, g);
    process_gate = g;
    return g->retry != NULL;
}

void gate_add(gate_t *g, struct evconnlistener *l) {
    if (!l || g->n == GATE_LISTENERS) return;
    g->listeners[g->n++] = l;
    evconnlistener_set_error_cb(l, on_accept_error);
}

void gate_fd_freed(gate_t *g) {
    resume(g);
}

bool gate_paused(gate_t *g) {
    return atomic_load(&g->paused);
}

void gate_close(gate_t *g) {
    g->closed = true;
    if (g->retry) evtimer_del(g->retry);
    set_enabled(g, false);
    g->n = 0; /* the listeners are freed next */
}

void gate_free(gate_t *g) {
    if (g->retry) event_free(g->retry);
    g->retry = NULL;
    g->n = 0;
    if (process_gate == g) process_gate = NULL;
}
