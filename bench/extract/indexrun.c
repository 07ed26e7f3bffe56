/* Running lede-indexer in a temporary directory (indexrun.h). */
#define _XOPEN_SOURCE 700
#include "indexrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define SUMMARY_PREFIX "lede-indexer: added "

/* How often a running indexer is looked at: short against a run of about
 * a second. */
#define POLL_NS 20000000L

char *indexrun_tmpdir(char *err, size_t size) {
    const char *base = getenv("TMPDIR");
    char *path = ev_sprintf("%s/lede-extract-eval-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(path)) return path;
    snprintf(err, size, "cannot make a temporary directory %s: %s", path, strerror(errno));
    free(path);
    return NULL;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void indexrun_remove(const char *path) {
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* In the child: output to log, then the indexer. Never returns. */
static void exec_indexer(const char *indexer, const char *dir, const char *db, const char *log) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) _exit(126);
    close(fd);
    execl(indexer, indexer, "--db", db, "--no-progress", dir, (char *)NULL);
    fprintf(stderr, "cannot run %s: %s\n", indexer, strerror(errno));
    _exit(127);
}

static char *read_all(const char *path) {
    ev_buf_t b = {0};
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "r");
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0) ev_buf_add(&b, chunk, n);
    if (f) fclose(f);
    return ev_buf_take(&b);
}

/* The summary line of the output, without its newline. */
static char *find_summary(const char *output) {
    const char *at = strstr(output, SUMMARY_PREFIX);
    if (!at) return NULL;
    return ev_xstrndup(at, strcspn(at, "\n"));
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for pid; kills it (and reaps it) after timeout_s seconds. Returns
 * its wait status, or -1 when it was killed. */
static int wait_for(pid_t pid, unsigned timeout_s) {
    double deadline = now_s() + timeout_s;
    const struct timespec poll = {0, POLL_NS};
    int ws;
    for (;;) {
        pid_t got = waitpid(pid, &ws, timeout_s ? WNOHANG : 0);
        if (got == pid) return ws;
        if (got < 0 && errno != EINTR) return 0;
        if (timeout_s && now_s() > deadline) break;
        if (got == 0) nanosleep(&poll, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    return -1;
}

bool indexrun_run(const char *indexer, const char *dir, const char *db, const char *log,
                  unsigned timeout_s, indexrun_t *out, char *err, size_t size) {
    *out = (indexrun_t){0};
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return snprintf(err, size, "fork: %s", strerror(errno)), false;
    if (pid == 0) exec_indexer(indexer, dir, db, log);
    int ws = wait_for(pid, timeout_s);
    out->output = read_all(log);
    out->summary = find_summary(out->output);
    if (ws < 0) {
        out->status = 128 + SIGKILL;
        snprintf(err, size, "%s did not finish in %u s: killed (--timeout)", indexer, timeout_s);
        return false;
    }
    out->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    if (out->status == 126 || out->status == 127) {
        snprintf(err, size, "%s", *out->output ? out->output : "cannot run the indexer");
        err[strcspn(err, "\n")] = '\0';
        return false;
    }
    return true;
}

void indexrun_free(indexrun_t *r) {
    free(r->summary);
    free(r->output);
    *r = (indexrun_t){0};
}
