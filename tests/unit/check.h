/* A small test harness: CHECK macros that count failures and keep going,
 * temporary directories that clean up after themselves, and the one way
 * tests run other programs. */
#ifndef LEDE_TEST_CHECK_H
#define LEDE_TEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

extern int check_failures;
extern int check_passes;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passes++;                                                                        \
        } else {                                                                                   \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                                     \
            check_passes++;                                                                        \
        } else {                                                                                   \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:  %s\n  want: %s\n", __FILE__,     \
                    __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                       \
        }                                                                                          \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        if (g_ == w_) {                                                                            \
            check_passes++;                                                                        \
        } else {                                                                                   \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s\n  got:  %lld\n  want: %lld\n", __FILE__, \
                    __LINE__, #got, g_, w_);                                                       \
        }                                                                                          \
    } while (0)

/* Runs a test function, printing its name; with CHECK_ONLY=WORD in the
 * environment, only the functions whose name contains WORD. */
#define RUN(fn)                                                                                    \
    do {                                                                                           \
        int before_ = check_failures;                                                              \
        if (!check_selected(#fn)) break;                                                           \
        fn();                                                                                      \
        printf("%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #fn);                       \
    } while (0)

/* Whether RUN runs the test function called name (see RUN). */
bool check_selected(const char *name);

/* Prints "N passed, N failed" and returns the process exit status. */
int check_summary(void);

/* Makes a fresh directory under $TMPDIR (or /tmp); returns a malloc'd path.
 * Aborts the test on failure. */
char *check_tmpdir(const char *tag);

/* Removes a directory tree (best effort) and frees path. */
void check_rmtree(char *path);

/* Writes text to dir/name; returns the malloc'd full path. */
char *check_write_file(const char *dir, const char *name, const char *text);

/* Reads a whole file into a malloc'd NUL-terminated buffer, or NULL. */
char *check_read_file(const char *path, size_t *len);

/* The directory of ../shared, or NULL (after printing why) when absent. */
const char *check_shared_dir(void);

/* Milliseconds on the monotonic clock. */
double check_now_ms(void);

void check_sleep_ms(int ms);

/* ---- child processes ------------------------------------------------------
 * Every child gets SIGKILL if the test dies first (Linux), and any still
 * running when the test exits is killed then, so no test leaves one. */

/* How a program is run. A zeroed struct, or NULL, means stdin from
 * /dev/null, no limits and no time limit. */
typedef struct check_run_opts {
    const char *stdin_path; /* stdin from this file; NULL: /dev/null */
    long fsize_limit;       /* > 0: RLIMIT_FSIZE in bytes, to simulate a full disk */
    unsigned nofile_soft;   /* > 0: RLIMIT_NOFILE of nofile_soft and nofile_hard */
    unsigned nofile_hard;
    int timeout_ms; /* check_run only: > 0: SIGKILL the program after this long */
    bool own_group; /* the program leads a process group of its own, so that
                     * kill(-pid, sig) reaches the processes it forks too */
} check_run_opts_t;

/* Starts argv[0] (a path, not searched on PATH) with argv in the
 * background, stdout to out_path and stderr to err_path (NULL: to out_path
 * too). Returns the pid, or -1 (after printing why). opts->timeout_ms is
 * not used: wait with check_wait. */
pid_t check_spawn(char *const argv[], const check_run_opts_t *opts, const char *out_path,
                  const char *err_path);

/* check_poll's answer while the process runs. */
#define CHECK_RUNNING (-2)

/* The exit status of pid if it has ended (128+N when killed by signal N;
 * -1 when pid is not a child), else CHECK_RUNNING. */
int check_poll(pid_t pid);

/* Waits for pid, up to timeout_ms when that is > 0. Its status as
 * check_poll's, or -1 when the time ran out: then the process has been
 * killed with SIGKILL and reaped. */
int check_wait(pid_t pid, int timeout_ms);

/* Runs a program to completion (check_spawn, then check_wait with
 * opts->timeout_ms): its status as check_wait's, and its stdout and stderr
 * in *out and *err (malloc'd; out and err may be NULL). */
int check_run(char *const argv[], const check_run_opts_t *opts, char **out, char **err);

#endif
