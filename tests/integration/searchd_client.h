/* searchd_client: what the lede-searchd integration tests need to drive
 * the real daemon: starting and stopping it as a child process (through
 * check_spawn, ../unit/check.h, which runs every other program too), and
 * speaking the line protocol over a TCP socket on 127.0.0.1 as any client
 * would. */
#ifndef LEDE_TEST_SEARCHD_CLIENT_H
#define LEDE_TEST_SEARCHD_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SD_PATH_BYTES 4200

/* One running lede-searchd. */
typedef struct sd_daemon {
    pid_t pid;                    /* 0 once stopped */
    unsigned port;                /* the port it picked (listen 127.0.0.1:0) */
    unsigned http_port;           /* HTTP's (http_listen 127.0.0.1:0), 0 when off */
    char log_path[SD_PATH_BYTES]; /* its stderr and stdout */
} sd_daemon_t;

/* Starts `searchd --db DB --listen 127.0.0.1:0 -o http_listen=127.0.0.1:0
 * EXTRA...` (extra is
 * NULL-terminated, or NULL) with its output in log_path, and waits up to
 * 5 s for its "listening on 127.0.0.1:PORT" line. False (after printing
 * why and killing it) when it does not come up. */
bool sd_start(sd_daemon_t *d, const char *searchd, const char *db, const char *log_path,
              const char *const *extra);

/* dir/name into out; returns out. */
const char *sd_path(char out[SD_PATH_BYTES], const char *dir, const char *name);

/* sd_start with its log at dir/NAME.log. */
bool sd_start_in(sd_daemon_t *d, const char *searchd, const char *db, const char *dir,
                 const char *name, const char *const *extra);

/* sd_start with the daemon's RLIMIT_NOFILE set to soft and hard (soft 0:
 * inherited), to drive it to its file-descriptor limit. */
bool sd_start_nofile(sd_daemon_t *d, const char *searchd, const char *db, const char *log_path,
                     const char *const *extra, unsigned soft, unsigned hard);

/* CPU seconds (user + system) a process has used so far, or -1. */
double sd_cpu_seconds(pid_t pid);

/* Sends sig, waits up to 5 s for the exit, then SIGKILLs. Returns the exit
 * status, 128+N when killed by signal N, -1 when it had to be killed. */
int sd_stop(sd_daemon_t *d, int sig);

/* The full path of a program on PATH into out (check_spawn does not search
 * PATH); false when there is none. */
bool sd_find_program(const char *program, char out[SD_PATH_BYTES]);

/* Whether the daemon's log contains needle; sd_wait_log polls for it. */
bool sd_log_has(const sd_daemon_t *d, const char *needle);
bool sd_wait_log(const sd_daemon_t *d, const char *needle, int timeout_ms);

/* True when the log holds no ASan, UBSan, LeakSanitizer or ThreadSanitizer
 * report; prints the log otherwise. */
bool sd_log_clean(const sd_daemon_t *d);

/* The same for a program's output text (NULL counts as clean). */
bool sd_text_clean(const char *text);

/* One client connection. */
typedef struct sd_conn {
    int fd;
    char *buf; /* bytes received and not yet returned as lines */
    size_t len, cap;
    bool closed; /* the server closed the connection (EOF or reset) */
    bool reset;  /* ... by a reset rather than an orderly close */
} sd_conn_t;

/* Connects to 127.0.0.1:port; NULL when that fails. Free with sd_close. */
sd_conn_t *sd_connect(unsigned port);

/* Like sd_connect with a small receive buffer (SO_RCVBUF, set before the
 * connection, so the window stays small): a slow reader whose backlog
 * soon stays queued in the server. */
sd_conn_t *sd_connect_rcvbuf(unsigned port, int bytes);
void sd_close(sd_conn_t *c);

/* Sends every byte (blocking); false on an error. */
bool sd_send(sd_conn_t *c, const void *data, size_t len);
bool sd_send_str(sd_conn_t *c, const char *text);

/* Sends line[0..len) and "\n" in one write. */
bool sd_send_line(sd_conn_t *c, const char *line, size_t len);

/* The next reply line without its "\n" (malloc'd, caller frees), or NULL
 * when none arrives within timeout_ms or the server closed the connection
 * (then c->closed is set). */
char *sd_read_line(sd_conn_t *c, int timeout_ms);

/* Receives until c->buf holds at least want bytes (or the server closes,
 * or timeout_ms passes); whether it does. */
bool sd_fill(sd_conn_t *c, size_t want, int timeout_ms);

/* Waits up to timeout_ms for the server to close the connection. True when
 * it did and nothing more was received before the close. */
bool sd_wait_closed(sd_conn_t *c, int timeout_ms);

/* Sends line plus "\n" and returns the parsed reply (caller frees with
 * json_decref), or NULL when none arrives within 5 s or it is not JSON. */
json_t *sd_call(sd_conn_t *c, const char *line);

/* Like sd_call, the JSON request built from a json_pack format. */
json_t *sd_callf(sd_conn_t *c, const char *fmt, ...);

/* A member by dotted path ("errors.bad_json"); NULL if absent. */
json_t *sd_get(json_t *o, const char *path);

/* The integer at path, or -1 when it is absent or not an integer. */
long long sd_int(json_t *o, const char *path);

/* The string at path, or NULL. Borrowed from o. */
const char *sd_str(json_t *o, const char *path);

/* The ids of reply.hits joined by commas ("g1,g4"); static storage,
 * overwritten by the next call. */
const char *sd_hit_ids(json_t *reply);

/* The ranks of reply.hits joined by commas ("3,4"); static storage. */
const char *sd_hit_ranks(json_t *reply);

/* Whether a new connection to port is refused. */
bool sd_port_refused(unsigned port);

/* One HTTP/1.1 GET to 127.0.0.1:port with "Connection: close" (extra: more
 * header lines, each ending in \r\n, or NULL), read to the close within
 * 5 s. The whole response (malloc'd) and its status in *status (0 when
 * none came). */
char *sd_http_get(unsigned port, const char *target, const char *extra, int *status);

#endif
