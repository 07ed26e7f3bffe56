/* The test harness behind check.h. */
#define _XOPEN_SOURCE 700
#include "check.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void child_exec(char *const argv[], const char *stdin_path, const char *out_path,
                       const char *err_path, long limit_fsize) {
    int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0), dup2(out, 1), dup2(err, 2);
    if (limit_fsize > 0) {
        struct rlimit rl = {(rlim_t)limit_fsize, (rlim_t)limit_fsize};
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    execv(argv[0], argv);
    _exit(127);
}

int check_run(char *const argv[], const char *stdin_path, char **out, char **err,
              long limit_fsize) {
    char *dir = check_tmpdir("run");
    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) abort();
    if (pid == 0) child_exec(argv, stdin_path, out_path, err_path, limit_fsize);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {}
    if (out) *out = check_read_file(out_path, NULL);
    if (err) *err = check_read_file(err_path, NULL);
    check_rmtree(dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
