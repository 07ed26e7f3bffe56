/* The Xapian servers of the shard tests, as process groups of their own. */
#include "shard_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../unit/check.h"

/* How long a server may take to listen (or to let go of its port after a
 * kill): generous, the machine is shared; a healthy one needs milliseconds. */
#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 5000
/* Attempts at starting on a port picked here, should another process take
 * the port first. */
#define START_ATTEMPTS 5

unsigned ss_free_port(void) {
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

/* Whether some socket listens on s's host and port, from /proc/net/tcp
 * (a connection to find out would be served, and logged, as a client);
 * for a server in a namespace of its own, that namespace's table. */
static bool listening(const ss_server_t *s) {
    char path[64], line[512], want[32];
    snprintf(path, sizeof path, s->netns ? "/proc/%d/net/tcp" : "/proc/net/tcp", (int)s->pid);
    struct in_addr a = {0};
    if (inet_pton(AF_INET, s->host, &a) != 1) return false;
    FILE *f = fopen(path, "r");
    bool found = false;
    /* The table prints the address's four bytes as one native integer. */
    snprintf(want, sizeof want, "%08X:%04X", (unsigned)a.s_addr, s->port);
    while (f && !found && fgets(line, sizeof line, f)) {
        char local[64], remote[64], state[8];
        if (sscanf(line, " %*s %63s %63s %7s", local, remote, state) == 3)
            found = strcmp(local, want) == 0 && strcmp(state, "0A") == 0;
    }
    if (f) fclose(f);
    return found;
}

static void print_log(const char *path) {
    char *text = check_read_file(path, NULL);
    fprintf(stderr, "---- %s ----\n%.4000s\n---- end ----\n", path, text ? text : "(none)");
    free(text);
}

/* One attempt: argv started, then up to deadline for its port to listen.
 * False when it exited (or the time ran out: then it is killed). */
static bool start_once(ss_server_t *s, char *const argv[], double deadline) {
    check_run_opts_t opts = {.own_group = true};
    s->pid = check_spawn(argv, &opts, s->log_path, NULL);
    if (s->pid < 0) return s->pid = 0, false;
    for (; check_now_ms() < deadline; check_sleep_ms(10)) {
        if (check_poll(s->pid) != CHECK_RUNNING) return s->pid = 0, false;
        if (listening(s)) return true;
    }
    ss_kill(s);
    return false;
}

/* Starts argv (whose port argument is the text in port_arg, filled here)
 * on s->port, or on free ports when that is 0. */
static bool start(ss_server_t *s, char *const argv[], char port_arg[16]) {
    bool pick = s->port == 0;
    double deadline = check_now_ms() + START_TIMEOUT_MS;
    for (int attempt = 0; attempt < START_ATTEMPTS && check_now_ms() < deadline; attempt++) {
        if (pick) s->port = ss_free_port();
        snprintf(port_arg, 16, "%u", s->port);
        if (s->port && start_once(s, argv, deadline)) return true;
        if (!pick) check_sleep_ms(200); /* the old server's port may linger */
    }
    fprintf(stderr, "%s did not start on %s:%u:\n", argv[0], s->host, s->port);
    print_log(s->log_path);
    return false;
}

/* s emptied for a start on port, its log at log_path (which may be
 * s->log_path itself: a restart). */
static void reset(ss_server_t *s, unsigned port, const char *log_path) {
    char log[SD_PATH_BYTES];
    snprintf(log, sizeof log, "%s", log_path);
    memset(s, 0, sizeof *s);
    s->port = port;
    snprintf(s->host, sizeof s->host, "127.0.0.1");
    memcpy(s->log_path, log, sizeof log);
}

bool ss_tcpsrv_start(ss_server_t *s, const char *program, const char *db, unsigned port,
                     unsigned idle_timeout_ms, const char *log_path) {
    char port_arg[16], idle[16];
    char *argv[] = {(char *)program, "--interface", "127.0.0.1", "--port", port_arg,
                    (char *)db,      NULL,          NULL,        NULL};
    if (idle_timeout_ms) {
        snprintf(idle, sizeof idle, "%u", idle_timeout_ms);
        argv[5] = "--idle-timeout", argv[6] = idle, argv[7] = (char *)db;
    }
    reset(s, port, log_path);
    return start(s, argv, port_arg);
}

bool ss_tcpsrv_start_netns(ss_server_t *s, const char *ip, const char *ns, const char *host,
                           const char *program, const char *db, const char *log_path) {
    char port_arg[16];
    char *argv[] = {(char *)ip,      "netns",       "exec",       (char *)ns,
                    (char *)program, "--interface", (char *)host, "--port",
                    port_arg,        (char *)db,    NULL};
    reset(s, 0, log_path);
    snprintf(s->host, sizeof s->host, "%s", host);
    s->netns = true;
    /* Its ports are its namespace's: one free here is as good as any. */
    return start(s, argv, port_arg);
}

bool ss_replicate_server_start(ss_server_t *s, const char *program, const char *parent,
                               unsigned port, const char *log_path) {
    char port_arg[16];
    char *argv[] = {(char *)program, "-I", "127.0.0.1", "-p", port_arg, (char *)parent, NULL};
    reset(s, port, log_path);
    return start(s, argv, port_arg);
}

void ss_signal(const ss_server_t *s, int sig) {
    if (s->pid > 0) kill(-s->pid, sig);
}

void ss_kill(ss_server_t *s) {
    if (s->pid <= 0) return;
    kill(-s->pid, SIGKILL);
    check_wait(s->pid, STOP_TIMEOUT_MS);
    s->pid = 0;
    for (double end = check_now_ms() + STOP_TIMEOUT_MS;
         !s->netns && listening(s) && check_now_ms() < end;)
        check_sleep_ms(10);
}

int ss_log_count(const ss_server_t *s, const char *needle) {
    char *text = check_read_file(s->log_path, NULL);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    free(text);
    return n;
}
