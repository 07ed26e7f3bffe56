/* The lede-searchd test client: the daemon as a child process, and
 * protocol I/O. */
#include "searchd_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../unit/check.h"

/* How long a daemon may take to start, or to stop after a signal. Generous
 * for sanitizer builds; a healthy daemon needs a fraction of it. */
#define START_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 5000
/* How long sd_call waits for a reply. */
#define REPLY_TIMEOUT_MS 5000

/* ---- the daemon ------------------------------------------------------------ */

double sd_cpu_seconds(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    /* Fields 14 and 15, utime and stime in clock ticks, come after the
     * command name, which is in parentheses and may hold spaces. */
    const char *p = strrchr(buf, ')');
    unsigned long long ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The port of the log's "MARK127.0.0.1:PORT" line, or 0. */
static unsigned logged_port(const char *log_path, const char *mark) {
    char *text = check_read_file(log_path, NULL);
    const char *at = text ? strstr(text, mark) : NULL;
    unsigned port = at ? (unsigned)strtoul(at + strlen(mark), NULL, 10) : 0;
    free(text);
    return port;
}

static void print_log(const char *log_path) {
    char *text = check_read_file(log_path, NULL);
    fprintf(stderr, "---- %s ----\n%.8000s\n---- end ----\n", log_path, text ? text : "(none)");
    free(text);
}

bool sd_start(sd_daemon_t *d, const char *searchd, const char *db, const char *log_path,
              const char *const *extra) {
    return sd_start_nofile(d, searchd, db, log_path, extra, 0, 0);
}

bool sd_start_nofile(sd_daemon_t *d, const char *searchd, const char *db, const char *log_path,
                     const char *const *extra, unsigned soft, unsigned hard) {
    char *argv[48];
    int n = 0;
    argv[n++] = (char *)searchd;
    argv[n++] = "--db", argv[n++] = (char *)db;
    argv[n++] = "--listen", argv[n++] = "127.0.0.1:0";
    argv[n++] = "-o", argv[n++] = "http_listen=127.0.0.1:0"; /* extra may turn it off */
    for (; extra && *extra && n < 47; extra++) argv[n++] = (char *)*extra;
    argv[n] = NULL;
    memset(d, 0, sizeof *d);
    snprintf(d->log_path, sizeof d->log_path, "%s", log_path);
    check_run_opts_t opts = {.nofile_soft = soft, .nofile_hard = hard};
    /* The child truncates its log only once it runs: until then the
     * "listening" line of an earlier daemon with the same log would be
     * taken for this one's. */
    unlink(log_path);
    d->pid = check_spawn(argv, &opts, log_path, NULL);
    if (d->pid < 0) return d->pid = 0, false;
    for (double end = check_now_ms() + START_TIMEOUT_MS; check_now_ms() < end; check_sleep_ms(10)) {
        if ((d->port = logged_port(log_path, "info: listening on 127.0.0.1:")) != 0) {
            d->http_port = logged_port(log_path, "info: http listening on 127.0.0.1:");
            return true;
        }
        if (check_poll(d->pid) != CHECK_RUNNING) {
            d->pid = 0; /* it died while starting */
            break;
        }
    }
    fprintf(stderr, "lede-searchd did not start:\n");
    print_log(log_path);
    sd_stop(d, SIGKILL);
    return false;
}

int sd_stop(sd_daemon_t *d, int sig) {
    if (!d->pid) return -1;
    kill(d->pid, sig);
    int rc = check_wait(d->pid, STOP_TIMEOUT_MS);
    d->pid = 0;
    return rc;
}

bool sd_find_program(const char *program, char out[SD_PATH_BYTES]) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s 2>/dev/null", program);
    FILE *p = popen(cmd, "r");
    if (!p) return false;
    bool ok = fgets(out, SD_PATH_BYTES, p) != NULL;
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0] == '/';
}

bool sd_log_has(const sd_daemon_t *d, const char *needle) {
    char *text = check_read_file(d->log_path, NULL);
    bool has = text && strstr(text, needle);
    free(text);
    return has;
}

bool sd_wait_log(const sd_daemon_t *d, const char *needle, int timeout_ms) {
    for (double end = check_now_ms() + timeout_ms; check_now_ms() < end; check_sleep_ms(10))
        if (sd_log_has(d, needle)) return true;
    return sd_log_has(d, needle);
}

/* The first sanitizer report marker in text, or NULL. */
static const char *sanitizer_report(const char *text) {
    static const char *const REPORTS[] = {
        "ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer", "WARNING: ThreadSanitizer"};
    for (size_t i = 0; text && i < sizeof REPORTS / sizeof REPORTS[0]; i++)
        if (strstr(text, REPORTS[i])) return REPORTS[i];
    return NULL;
}

bool sd_text_clean(const char *text) {
    const char *report = sanitizer_report(text);
    if (report) fprintf(stderr, "sanitizer report (%s):\n%.8000s\n", report, text);
    return report == NULL;
}

bool sd_log_clean(const sd_daemon_t *d) {
    char *text = check_read_file(d->log_path, NULL);
    const char *report = sanitizer_report(text);
    free(text);
    if (!report) return true;
    fprintf(stderr, "sanitizer report (%s) in the daemon's log:\n", report);
    print_log(d->log_path);
    return false;
}

/* ---- connections ------------------------------------------------------------ */

static int open_socket(unsigned port, int rcvbuf, int *err) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    *err = 0;
    if (fd < 0) return *err = errno, -1;
    fcntl(fd, F_SETFD, FD_CLOEXEC); /* children (daemons, indexers) must not hold it */
    if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int one = 1; /* requests are small: no Nagle delay */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        *err = errno;
        close(fd);
        return -1;
    }
    return fd;
}

sd_conn_t *sd_connect_rcvbuf(unsigned port, int bytes) {
    int err, fd = open_socket(port, bytes, &err);
    if (fd < 0) return NULL;
    sd_conn_t *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->fd = fd;
    return c;
}

sd_conn_t *sd_connect(unsigned port) {
    return sd_connect_rcvbuf(port, 0);
}

bool sd_port_refused(unsigned port) {
    int err, fd = open_socket(port, 0, &err);
    if (fd >= 0) close(fd);
    return fd < 0 && err == ECONNREFUSED;
}

void sd_close(sd_conn_t *c) {
    if (!c) return;
    close(c->fd);
    free(c->buf);
    free(c);
}

bool sd_send(sd_conn_t *c, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n, len -= (size_t)n;
    }
    return true;
}

bool sd_send_str(sd_conn_t *c, const char *text) {
    return sd_send(c, text, strlen(text));
}

/* Receives what arrives within timeout_ms into c->buf. */
static void fill(sd_conn_t *c, int timeout_ms) {
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0) return;
    if (c->cap - c->len < 65536) {
        c->cap = c->cap * 2 + 65536;
        if (!(c->buf = realloc(c->buf, c->cap))) abort();
    }
    ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
    if (n > 0)
        c->len += (size_t)n;
    else if (n == 0)
        c->closed = true;
    else if (errno != EINTR && errno != EAGAIN)
        c->closed = true, c->reset = errno == ECONNRESET;
}

char *sd_read_line(sd_conn_t *c, int timeout_ms) {
    double end = check_now_ms() + timeout_ms;
    for (;;) {
        char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            char *line = malloc(n + 1);
            if (!line) abort();
            memcpy(line, c->buf, n);
            line[n] = '\0';
            memmove(c->buf, nl + 1, c->len - n - 1);
            c->len -= n + 1;
            return line;
        }
        int left = (int)(end - check_now_ms());
        if (c->closed || left <= 0) return NULL;
        fill(c, left);
    }
}

bool sd_fill(sd_conn_t *c, size_t want, int timeout_ms) {
    double end = check_now_ms() + timeout_ms;
    while (c->len < want && !c->closed) {
        int left = (int)(end - check_now_ms());
        if (left <= 0) break;
        fill(c, left);
    }
    return c->len >= want;
}

bool sd_wait_closed(sd_conn_t *c, int timeout_ms) {
    double end = check_now_ms() + timeout_ms;
    while (!c->closed) {
        int left = (int)(end - check_now_ms());
        if (left <= 0) break;
        fill(c, left);
    }
    if (c->len) fprintf(stderr, "unread bytes before the close: %.*s\n", (int)c->len, c->buf);
    return c->closed && c->len == 0;
}

bool sd_send_line(sd_conn_t *c, const char *line, size_t len) {
    char *buf = malloc(len + 1);
    if (!buf) abort();
    memcpy(buf, line, len);
    buf[len] = '\n'; /* one write: a request, not two segments */
    bool ok = sd_send(c, buf, len + 1);
    free(buf);
    return ok;
}

json_t *sd_call(sd_conn_t *c, const char *line) {
    if (!sd_send_line(c, line, strlen(line))) return NULL;
    char *reply = sd_read_line(c, REPLY_TIMEOUT_MS);
    json_error_t e;
    json_t *o = reply ? json_loads(reply, 0, &e) : NULL;
    if (!o) fprintf(stderr, "no JSON reply to %.200s: %.200s\n", line, reply ? reply : "(none)");
    free(reply);
    return o;
}

json_t *sd_callf(sd_conn_t *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    json_t *req = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!line) {
        fprintf(stderr, "bad json_pack format: %s\n", fmt);
        return NULL;
    }
    json_t *reply = sd_call(c, line);
    free(line);
    return reply;
}

/* ---- reading replies ------------------------------------------------------------ */

json_t *sd_get(json_t *o, const char *path) {
    char key[128];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        o = json_object_get(o, key);
        path += path[n] ? n + 1 : n;
    }
    return o;
}

long long sd_int(json_t *o, const char *path) {
    json_t *v = sd_get(o, path);
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

const char *sd_str(json_t *o, const char *path) {
    return json_string_value(sd_get(o, path));
}

static const char *join_hits(json_t *reply, const char *field) {
    static char out[4096];
    size_t i;
    json_t *hit;
    out[0] = '\0';
    json_array_foreach(json_object_get(reply, "hits"), i, hit) {
        json_t *v = json_object_get(hit, field);
        char one[256];
        if (json_is_string(v))
            snprintf(one, sizeof one, "%s", json_string_value(v));
        else
            snprintf(one, sizeof one, "%lld", (long long)json_integer_value(v));
        size_t used = strlen(out);
        snprintf(out + used, sizeof out - used, "%s%s", i ? "," : "", one);
    }
    return out;
}

const char *sd_hit_ids(json_t *reply) {
    return join_hits(reply, "id");
}

const char *sd_hit_ranks(json_t *reply) {
    return join_hits(reply, "rank");
}

char *sd_http_get(unsigned port, const char *target, const char *extra, int *status) {
    *status = 0;
    sd_conn_t *c = sd_connect(port);
    if (!c) return NULL;
    char req[2048];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n",
             target, extra ? extra : "");
    if (sd_send_str(c, req)) sd_fill(c, (size_t)1 << 24, REPLY_TIMEOUT_MS); /* to the close */
    if (c->len > 12 && sscanf(c->buf, "HTTP/1.1 %d", status) != 1) *status = 0;
    char *text = malloc(c->len + 1);
    if (text) {
        if (c->len) memcpy(text, c->buf, c->len);
        text[c->len] = '\0';
    }
    sd_close(c);
    return text;
}

const char *sd_path(char out[SD_PATH_BYTES], const char *dir, const char *name) {
    snprintf(out, SD_PATH_BYTES, "%s/%s", dir, name);
    return out;
}

bool sd_start_in(sd_daemon_t *d, const char *searchd, const char *db, const char *dir,
                 const char *name, const char *const *extra) {
    char file[256], log[SD_PATH_BYTES];
    snprintf(file, sizeof file, "%s.log", name);
    return sd_start(d, searchd, db, sd_path(log, dir, file), extra);
}
