/* The test harness behind check.h: counters, files, child processes. */
#define _XOPEN_SOURCE 700
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int check_failures;
int check_passes;

bool check_selected(const char *name) {
    const char *only = getenv("CHECK_ONLY");
    return !only || !*only || strstr(name, only) != NULL;
}

int check_summary(void) {
    printf("%d passed, %d failed\n", check_passes, check_failures);
    return check_failures ? 1 : 0;
}

char *check_tmpdir(const char *tag) {
    const char *base = getenv("TMPDIR");
    char *path = malloc(4096);
    if (!path) abort();
    snprintf(path, 4096, "%s/lede-test-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void check_rmtree(char *path) {
    if (!path) return;
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(path);
}

char *check_write_file(const char *dir, const char *name, const char *text) {
    char *path = malloc(4096);
    if (!path) abort();
    snprintf(path, 4096, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

char *check_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

const char *check_shared_dir(void) {
    static char path[4096];
    const char *env = getenv("LEDE_SHARED_DIR");
    snprintf(path, sizeof path, "%s", env && *env ? env : LEDE_SHARED_DEFAULT);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP: shared data not found at %s (set LEDE_SHARED_DIR)\n", path);
        return NULL;
    }
    return path;
}

double check_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void check_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- child processes ------------------------------------------------------ */

/* Children still running, killed at exit so that no test leaves one. */
#define MAX_CHILDREN 64
/* How often check_wait looks at a child that has a time limit. */
#define WAIT_POLL_MS 5

static pid_t children[MAX_CHILDREN];

static void kill_children(void) {
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (!children[i]) continue;
        /* A child in a group of its own (own_group) may have forked. */
        if (getpgid(children[i]) == children[i]) kill(-children[i], SIGKILL);
        kill(children[i], SIGKILL);
        waitpid(children[i], NULL, 0);
        children[i] = 0;
    }
}

static void remember_child(pid_t pid, bool add) {
    static bool registered;
    if (!registered) registered = atexit(kill_children) == 0;
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (add && children[i] == 0) return (void)(children[i] = pid);
        if (!add && children[i] == pid) return (void)(children[i] = 0);
    }
}

/* In the child: the limits of opts. False when one cannot be set. */
static bool set_limits(const check_run_opts_t *opts) {
    if (opts->nofile_soft) {
        struct rlimit rl = {opts->nofile_soft, opts->nofile_hard};
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return false;
    }
    if (opts->fsize_limit > 0) {
        struct rlimit rl = {(rlim_t)opts->fsize_limit, (rlim_t)opts->fsize_limit};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return false;
    }
    return true;
}

static void child_exec(char *const argv[], const check_run_opts_t *opts, const char *out_path,
                       const char *err_path, pid_t parent) {
    if (!set_limits(opts)) _exit(126);
    if (opts->own_group && setpgid(0, 0) != 0) _exit(126);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
    if (getppid() != parent) _exit(126);
#else
    (void)parent;
#endif
    int in = open(opts->stdin_path ? opts->stdin_path : "/dev/null", O_RDONLY);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = err_path ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : out;
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0), dup2(out, 1), dup2(err, 2);
    execv(argv[0], argv);
    _exit(127);
}

pid_t check_spawn(char *const argv[], const check_run_opts_t *opts, const char *out_path,
                  const char *err_path) {
    static const check_run_opts_t DEFAULTS;
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) child_exec(argv, opts ? opts : &DEFAULTS, out_path, err_path, parent);
    /* Both sides set the group, so it exists whichever runs first. */
    if (opts && opts->own_group) setpgid(pid, pid);
    remember_child(pid, true);
    return pid;
}

static int status_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int check_poll(pid_t pid) {
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {
    }
    if (r == 0) return CHECK_RUNNING;
    remember_child(pid, false);
    return r == pid ? status_of(status) : -1;
}

/* Waits for pid with no time limit. */
static int wait_for(pid_t pid) {
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    remember_child(pid, false);
    return r == pid ? status_of(status) : -1;
}

int check_wait(pid_t pid, int timeout_ms) {
    if (timeout_ms <= 0) return wait_for(pid);
    double end = check_now_ms() + timeout_ms;
    int rc;
    while ((rc = check_poll(pid)) == CHECK_RUNNING) {
        if (check_now_ms() > end) {
            fprintf(stderr, "pid %ld still running after %d ms: killing it\n", (long)pid,
                    timeout_ms);
            kill(pid, SIGKILL);
            wait_for(pid);
            return -1;
        }
        check_sleep_ms(WAIT_POLL_MS);
    }
    return rc;
}

int check_run(char *const argv[], const check_run_opts_t *opts, char **out, char **err) {
    char *dir = check_tmpdir("run");
    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    pid_t pid = check_spawn(argv, opts, out_path, err_path);
    int rc = pid < 0 ? -1 : check_wait(pid, opts ? opts->timeout_ms : 0);
    if (out) *out = check_read_file(out_path, NULL);
    if (err) *err = check_read_file(err_path, NULL);
    check_rmtree(dir);
    return rc;
}
