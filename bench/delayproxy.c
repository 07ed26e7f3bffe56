/* lede-delayproxy: a TCP relay that holds every byte for a fixed delay in
 * each direction, for measuring lede-searchd over remote shards with added
 * network latency where the kernel has no tc netem (bench/shards.sh, the
 * delay-N cases).
 *
 *   lede-delayproxy --listen PORT --to PORT [--delay-ms D]
 *
 * Listens on 127.0.0.1:PORT (0: a free one, printed as "listening on
 * 127.0.0.1:PORT" on stdout) and relays each connection to
 * 127.0.0.1:--to. What one side sends is written to the other D ms after
 * it was read (default 1), in order; a side that closes is closed on the
 * other once what it sent has gone. One thread, ppoll(). Runs until
 * killed. */
#define _GNU_SOURCE /* ppoll */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "usage.h"

static const char *const TOOL = "lede-delayproxy";

/* Connections relayed at once: a bench case holds one per shard and
 * worker thread, and a few more at reloads. */
#define MAX_PAIRS 256
#define CHUNK_BYTES 65536

/* Bytes read from one side, due on the other at due_ms. */
typedef struct chunk {
    double due_ms;
    size_t len, sent;
    struct chunk *next;
    char data[];
} chunk_t;

/* One direction of a relayed connection: from fd "in" to fd "out". */
typedef struct flow {
    chunk_t *head, *tail;
    bool eof; /* "in" closed: shut "out" once the queue is empty */
    bool shut;
} flow_t;

typedef struct pair {
    int fd[2];      /* client, server; -1: free */
    flow_t flow[2]; /* flow[k]: read from fd[k], written to fd[1 - k] */
} pair_t;

static pair_t pairs[MAX_PAIRS];
static double delay_ms = 1;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int listen_on(unsigned port, unsigned *bound) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("lede-delayproxy: listen");
        exit(1);
    }
    *bound = ntohs(a.sin_port);
    return fd;
}

/* fd made non-blocking, or -1 (and fd closed). */
static int fcntl_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A blocking connect to 127.0.0.1:port, then non-blocking; -1 on failure. */
static int connect_to(unsigned port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fcntl_nonblock(fd);
}

static void drop_pair(pair_t *p) {
    for (int k = 0; k < 2; k++) {
        for (chunk_t *c = p->flow[k].head, *next; c; c = next) next = c->next, free(c);
        p->flow[k] = (flow_t){0};
        if (p->fd[k] >= 0) close(p->fd[k]);
        p->fd[k] = -1;
    }
}

static void accept_one(int lfd, unsigned to) {
    int cfd = accept(lfd, NULL, NULL), one = 1;
    if (cfd < 0) return;
    pair_t *p = NULL;
    for (int i = 0; i < MAX_PAIRS && !p; i++)
        if (pairs[i].fd[0] < 0) p = &pairs[i];
    int sfd = p ? connect_to(to) : -1;
    if (sfd < 0) {
        /* Said, or a run would just see connections closed. */
        if (!p)
            fprintf(stderr, "lede-delayproxy: %d connections already; one refused\n", MAX_PAIRS);
        else
            fprintf(stderr, "lede-delayproxy: cannot connect to 127.0.0.1:%u: %s\n", to,
                    strerror(errno));
        close(cfd);
        return;
    }
    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if ((cfd = fcntl_nonblock(cfd)) < 0) {
        close(sfd);
        return;
    }
    p->fd[0] = cfd, p->fd[1] = sfd;
}

/* Reads what fd[k] has into flow k's queue, due delay_ms from now; each
 * chunk is allocated at the size read (most are a message of a few bytes). */
static bool read_side(pair_t *p, int k) {
    static char buf[CHUNK_BYTES];
    ssize_t n = read(p->fd[k], buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
        p->flow[k].eof = true;
        return n == 0;
    }
    chunk_t *c = malloc(sizeof *c + (size_t)n);
    if (!c) return false;
    *c = (chunk_t){.due_ms = now_ms() + delay_ms, .len = (size_t)n};
    memcpy(c->data, buf, (size_t)n);
    flow_t *f = &p->flow[k];
    if (f->tail)
        f->tail->next = c;
    else
        f->head = c;
    f->tail = c;
    return true;
}

/* Writes flow k's due chunks to fd[1 - k]; false when the pair is done. */
static bool write_side(pair_t *p, int k, double now) {
    flow_t *f = &p->flow[k];
    while (f->head && f->head->due_ms <= now) {
        chunk_t *c = f->head;
        ssize_t n = write(p->fd[1 - k], c->data + c->sent, c->len - c->sent);
        if (n < 0) return errno == EAGAIN || errno == EINTR;
        c->sent += (size_t)n;
        if (c->sent < c->len) return true;
        f->head = c->next;
        if (!f->head) f->tail = NULL;
        free(c);
    }
    if (f->eof && !f->head && !f->shut) {
        shutdown(p->fd[1 - k], SHUT_WR);
        f->shut = true;
    }
    return !(p->flow[0].shut && p->flow[1].shut);
}

/* How long poll may wait: until the earliest chunk is due (ppoll's
 * nanoseconds: poll's whole milliseconds would add up to 1 ms a hop). */
static struct timespec wait_for(double now) {
    double next = -1;
    for (int i = 0; i < MAX_PAIRS; i++)
        for (int k = 0; pairs[i].fd[0] >= 0 && k < 2; k++)
            if (pairs[i].flow[k].head && (next < 0 || pairs[i].flow[k].head->due_ms < next))
                next = pairs[i].flow[k].head->due_ms;
    double ms = next < 0 ? 1000 : next <= now ? 0 : next - now;
    return (struct timespec){.tv_sec = (time_t)(ms / 1000),
                             .tv_nsec = (long)((ms - 1000 * (double)(time_t)(ms / 1000)) * 1e6)};
}

static void serve(int lfd, unsigned to) {
    static struct pollfd pfd[1 + 2 * MAX_PAIRS];
    for (;;) {
        double now = now_ms();
        int n = 1;
        pfd[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < MAX_PAIRS; i++)
            for (int k = 0; k < 2; k++) {
                pair_t *p = &pairs[i];
                bool want_in = p->fd[0] >= 0 && !p->flow[k].eof;
                bool want_out =
                    p->fd[0] >= 0 && p->flow[1 - k].head && p->flow[1 - k].head->due_ms <= now;
                pfd[n++] = (struct pollfd){
                    .fd = want_in || want_out ? p->fd[k] : -1,
                    .events = (short)((want_in ? POLLIN : 0) | (want_out ? POLLOUT : 0))};
            }
        struct timespec wait = wait_for(now);
        if (ppoll(pfd, (nfds_t)n, &wait, NULL) < 0 && errno != EINTR) {
            perror("lede-delayproxy: poll");
            exit(1);
        }
        if (pfd[0].revents & POLLIN) accept_one(lfd, to);
        now = now_ms();
        for (int i = 0; i < MAX_PAIRS; i++) {
            pair_t *p = &pairs[i];
            bool ok = p->fd[0] >= 0;
            for (int k = 0; ok && k < 2; k++)
                if (pfd[1 + 2 * i + k].revents & (POLLIN | POLLHUP | POLLERR)) ok = read_side(p, k);
            for (int k = 0; ok && k < 2; k++) ok = write_side(p, k, now);
            if (p->fd[0] >= 0 && !ok) drop_pair(p);
        }
    }
}

static const char *const USAGE =
    "Usage: lede-delayproxy --listen PORT --to PORT [--delay-ms D]\n"
    "Relays 127.0.0.1:PORT to 127.0.0.1:--to, holding every byte D ms (default 1)\n"
    "in each direction. --listen 0 picks a free port and prints it.\n";

int main(int argc, char **argv) {
    static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
                                         {"to", required_argument, NULL, 't'},
                                         {"delay-ms", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    long listen_port = -1, to = -1;
    char *end;
    for (int opt; (opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1;) {
        if (opt == 'l' || opt == 't') {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 65535 || (opt == 't' && v == 0))
                return bench_bad_value(TOOL, opt == 'l' ? "listen" : "to", optarg);
            *(opt == 'l' ? &listen_port : &to) = v;
        } else if (opt == 'd') {
            delay_ms = strtod(optarg, &end);
            if (*end || !(delay_ms >= 0 && delay_ms <= 10000))
                return bench_bad_value(TOOL, "delay-ms", optarg);
        } else {
            return bench_getopt_other(TOOL, opt, argv, USAGE);
        }
    }
    if (listen_port < 0 || to < 0)
        return bench_usage_error(TOOL, "--listen and --to are needed", NULL);
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < MAX_PAIRS; i++) pairs[i].fd[0] = pairs[i].fd[1] = -1;
    unsigned bound;
    int lfd = listen_on((unsigned)listen_port, &bound);
    printf("listening on 127.0.0.1:%u\n", bound);
    fflush(stdout);
    serve(lfd, (unsigned)to);
}
