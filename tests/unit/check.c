/* The test harness behind check.h. */
#define _XOPEN_SOURCE 700
#include "check.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int check_failures;
int check_passes;

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
