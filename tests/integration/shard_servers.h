/* shard_servers: the Xapian servers the shard tests run beside
 * lede-searchd: xapian-tcpsrv serving one shard, xapian-replicate-server
 * serving masters. Each listens on 127.0.0.1 at a free port and runs in a
 * process group of its own: both fork a process per connection, and a
 * signal (SIGKILL, SIGSTOP, SIGCONT) must reach those too. */
#ifndef LEDE_TEST_SHARD_SERVERS_H
#define LEDE_TEST_SHARD_SERVERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "searchd_client.h"

/* One running server. */
typedef struct ss_server {
    pid_t pid;     /* the group's leader; 0 once killed */
    unsigned port; /* kept after a kill, to start again on it */
    char host[16]; /* the address it listens on: 127.0.0.1, or in its netns */
    bool netns;    /* in a network namespace of its own (ss_tcpsrv_start_netns) */
    char log_path[SD_PATH_BYTES];
} ss_server_t;

/* A port free on 127.0.0.1 just now (bound to port 0, then released), or
 * 0. Another process may take it before it is used: starting a server on
 * a port it picked is retried on another one. */
unsigned ss_free_port(void);

/* Starts `xapian-tcpsrv --interface 127.0.0.1 --port PORT [--idle-timeout
 * MS] DB` (program: its path; port 0: a free one; idle_timeout_ms 0: the
 * server's default) with its output in log_path, and waits up to 10 s for
 * it to listen. False (after printing why, and with nothing left running)
 * when it does not come up. */
bool ss_tcpsrv_start(ss_server_t *s, const char *program, const char *db, unsigned port,
                     unsigned idle_timeout_ms, const char *log_path);

/* The same inside network namespace ns (with `ip netns exec NS`, ip the
 * path of ip(8)), listening on host, an IPv4 address of that namespace. */
bool ss_tcpsrv_start_netns(ss_server_t *s, const char *ip, const char *ns, const char *host,
                           const char *program, const char *db, const char *log_path);

/* The same for `xapian-replicate-server -I 127.0.0.1 -p PORT PARENT`, which
 * serves each directory below parent as a master named by its name. */
bool ss_replicate_server_start(ss_server_t *s, const char *program, const char *parent,
                               unsigned port, const char *log_path);

/* Sends sig to the server's whole group (no-op when it is not running). */
void ss_signal(const ss_server_t *s, int sig);

/* SIGKILLs the whole group (after a SIGCONT, should it be stopped) and
 * reaps the leader; s->port stays. */
void ss_kill(ss_server_t *s);

/* How many times needle occurs in the server's output. */
int ss_log_count(const ss_server_t *s, const char *needle);

#endif
