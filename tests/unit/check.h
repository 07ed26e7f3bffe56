/* A small test harness: CHECK macros that count failures and keep going,
 * and temporary directories that clean up after themselves. */
#ifndef LEDE_TEST_CHECK_H
#define LEDE_TEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int check_failures;
extern int check_passes;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) {                                                                         \
            check_passes++;                                                                 \
        } else {                                                                            \
            check_failures++;                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                                   \
    } while (0)

#define CHECK_STR(got, want)                                                                \
    do {                                                                                    \
        const char *g_ = (got), *w_ = (want);                                               \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                              \
            check_passes++;                                                                 \
        } else {                                                                            \
            check_failures++;                                                               \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:  %s\n  want: %s\n",       \
                    __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
        }                                                                                   \
    } while (0)

#define CHECK_INT(got, want)                                                                \
    do {                                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);                            \
        if (g_ == w_) {                                                                     \
            check_passes++;                                                                 \
        } else {                                                                            \
            check_failures++;                                                               \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s\n  got:  %lld\n  want: %lld\n",   \
                    __FILE__, __LINE__, #got, g_, w_);                                      \
        }                                                                                   \
    } while (0)

/* Runs a test function, printing its name; with CHECK_ONLY=WORD in the
 * environment, only the functions whose name contains WORD. */
#define RUN(fn)                                                                             \
    do {                                                                                    \
        int before_ = check_failures;                                                       \
        if (!check_selected(#fn)) break;                                                    \
        fn();                                                                               \
        printf("%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #fn);                \
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

/* Runs argv[0] (a path) with argv, stdin from stdin_path (or /dev/null),
 * and returns its exit status (128+N when killed by signal N). Its output
 * is returned in *out and *err (malloc'd; may be passed as NULL). limit_fsize
 * > 0 sets RLIMIT_FSIZE in the child, to simulate a full disk. */
int check_run(char *const argv[], const char *stdin_path, char **out, char **err,
              long limit_fsize);

#endif
