/* lede-searchd: the lede search daemon. main() parses options, loads the
 * configuration and runs the server. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access_log.h"
#include "config.h"
#include "http_static.h"
#include "lede/shim.h"
#include "log.h"
#include "notify.h"
#include "server.h"

#define ERR_BYTES 8192

static const char USAGE[] =
    "Usage: lede-searchd [--config FILE] [options]\n"
    "\n"
    "Serves ranked searches over the lede line protocol (docs/protocol.md).\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE     read settings from FILE (see conf/searchd.conf)\n"
    "  --db DIR              the index to serve (key: db)\n"
    "  --listen HOST:PORT    where to listen (key: listen; default 127.0.0.1:7878;\n"
    "                        port 0 picks a free one and logs it)\n"
    "  --threads N           worker threads (key: threads; 0 = one per core)\n"
    "  -o, --set KEY=VALUE   set any configuration key\n"
    "  --daemon              run in the background (needs log_file; writes pid_file)\n"
    "  -h, --help            show this help\n"
    "  --version             show the version\n"
    "\n"
    "Signals: SIGHUP reopens the index at once; SIGUSR1 reopens log_file and\n"
    "access_log (for logrotate); SIGTERM and SIGINT stop accepting, answer the\n"
    "requests in flight and exit 0.\n";

typedef struct {
    config_t cfg;
    bool daemon;
} opts_t;

static int die(const char *msg) {
    fprintf(stderr, "lede-searchd: %s\n", msg);
    return 1;
}

static lede_status_t set_pair(config_t *c, const char *pair, lede_err_t *err) {
    const char *eq = strchr(pair, '=');
    if (!eq) return lede_errf(err, LEDE_E_INVALID, "-o takes KEY=VALUE, not '%s'", pair);
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(eq - pair), pair);
    return config_set(c, key, eq + 1, err);
}

enum { O_DB = 256, O_LISTEN, O_THREADS, O_DAEMON, O_VERSION };

static const struct option OPTIONS[] = {
    {"config", required_argument, NULL, 'c'},
    {"db", required_argument, NULL, O_DB},
    {"listen", required_argument, NULL, O_LISTEN},
    {"threads", required_argument, NULL, O_THREADS},
    {"set", required_argument, NULL, 'o'},
    {"daemon", no_argument, NULL, O_DAEMON},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {NULL, 0, NULL, 0},
};

/* The config file is read first, whatever the order on the command line,
 * so that command-line settings override it. */
static lede_status_t load_config_file(int argc, char **argv, config_t *c, lede_err_t *err) {
    for (int i = 1; i < argc - 1; i++)
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0)
            return config_load(c, argv[i + 1], err);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--config=", 9) == 0) return config_load(c, argv[i] + 9, err);
    return LEDE_OK;
}

/* 0: go on; 1: printed help or version; -1: error (printed). */
static int parse_options(int argc, char **argv, opts_t *o) {
    lede_err_t err;
    config_defaults(&o->cfg);
    if (load_config_file(argc, argv, &o->cfg, &err) != LEDE_OK) return die(err.msg), -1;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":c:o:h", OPTIONS, NULL)) != -1) {
        lede_status_t st = LEDE_OK;
        switch (opt) {
        case 'c':
            break;
        case O_DB:
            st = config_set(&o->cfg, "db", optarg, &err);
            break;
        case O_LISTEN:
            st = config_set(&o->cfg, "listen", optarg, &err);
            break;
        case O_THREADS:
            st = config_set(&o->cfg, "threads", optarg, &err);
            break;
        case 'o':
            st = set_pair(&o->cfg, optarg, &err);
            break;
        case O_DAEMON:
            o->daemon = true;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return 1;
        case O_VERSION:
            printf("lede-searchd %s (Xapian %s)\n", LEDE_VERSION, shim_xapian_version());
            return 1;
        case ':':
            st = lede_errf(&err, LEDE_E_INVALID, "option '%s' needs a value", argv[optind - 1]);
            break;
        default:
            st = lede_errf(&err, LEDE_E_INVALID, "unknown option '%s' (see --help)",
                           argv[optind - 1]);
        }
        if (st != LEDE_OK) return die(err.msg), -1;
    }
    if (optind < argc) return die("unexpected argument (see --help)"), -1;
    if (config_finish(&o->cfg, &err) != LEDE_OK) return die(err.msg), -1;
    return 0;
}

static lede_status_t write_pid_file(const config_t *c, lede_err_t *err) {
    if (!c->pid_file[0]) return LEDE_OK;
    FILE *f = fopen(c->pid_file, "w");
    if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
        return lede_errf(err, LEDE_E_IO, "pid_file %s: %s", c->pid_file, strerror(errno));
    return LEDE_OK;
}

/* --daemon: the parent waits on a pipe until the child has started (or
 * failed), so that start-up errors still reach the terminal and the exit
 * status. Returns the write end in the child; exits in the parent. */
static int daemonize(void) {
    int ready[2];
    if (pipe(ready) != 0) exit(die("cannot create a pipe"));
    pid_t pid = fork();
    if (pid < 0) exit(die("cannot fork"));
    if (pid > 0) {
        char msg[ERR_BYTES] = "";
        close(ready[1]);
        ssize_t n = read(ready[0], msg, sizeof msg - 1);
        msg[n > 0 ? n : 0] = '\0';
        exit(strcmp(msg, "ok") == 0 ? 0 : die(*msg ? msg : "the daemon died while starting"));
    }
    close(ready[0]);
    setsid();
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2);
    return ready[1];
}

static void tell_parent(int fd, const char *msg) {
    if (fd < 0) return;
    if (write(fd, msg, strlen(msg)) < 0) { /* the parent is gone */
    }
    close(fd);
}

int main(int argc, char **argv) {
    static opts_t o;
    lede_err_t err;
    int rc = parse_options(argc, argv, &o);
    if (rc != 0) return rc > 0 ? 0 : 1;
    if (http_static_resolve(&o.cfg, &err) != LEDE_OK) return die(err.msg);
    if (o.daemon && !o.cfg.log_file[0]) return die("--daemon needs log_file (-o log_file=PATH)");
    if (log_open(&o.cfg, &err) != LEDE_OK) return die(err.msg);
    if (access_log_open(&o.cfg, &err) != LEDE_OK) return log_close(), die(err.msg);
    int ready = o.daemon ? daemonize() : -1;
    static server_t srv;
    lede_status_t st = server_start(&srv, &o.cfg, &err);
    if (st == LEDE_OK) st = write_pid_file(&o.cfg, &err);
    if (st != LEDE_OK) {
        log_msg(LOG_ERROR, "%s", err.msg);
        tell_parent(ready, err.msg);
        server_free(&srv);
        access_log_close();
        log_close();
        if (!o.daemon && o.cfg.log_file[0]) die(err.msg); /* the log is not the terminal */
        return 1;
    }
    tell_parent(ready, "ok");
    notify_send("READY=1"); /* a Type=notify unit's start-up is done */
    server_run(&srv);
    server_free(&srv);
    if (o.cfg.pid_file[0]) unlink(o.cfg.pid_file);
    access_log_close();
    log_close();
    return 0;
}
