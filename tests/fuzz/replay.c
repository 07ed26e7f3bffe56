/* The main() of a fuzz target in the plain build: replays every input
 * named on the command line (a file, or a directory of them: a corpus)
 * through LLVMFuzzerTestOneInput, so ctest runs the seed corpus without
 * clang. Each input gets a buffer of its exact size, as under libFuzzer,
 * so ASan sees a read past its end. In the libFuzzer build this file is
 * not linked: libFuzzer brings its own main(). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the whole of path into a malloc'd buffer of its size. */
static uint8_t *replay_read(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && st.st_size >= 0) {
        *size = (size_t)st.st_size;
        buf = malloc(*size ? *size : 1);
        if (buf && fread(buf, 1, *size, f) != *size) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static int replay_file(const char *path) {
    size_t size;
    uint8_t *data = replay_read(path, &size);
    if (!data) {
        perror(path);
        return -1;
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replays the files of a directory in name order; the count, or -1. */
static int replay_dir(const char *dir) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name), done = 0;
    if (n < 0) {
        perror(dir);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        struct stat st;
        if (done >= 0 && names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            done = replay_file(path) < 0 ? -1 : done + 1;
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv) {
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int n = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? replay_dir(argv[i])
                                                               : replay_file(argv[i]);
        if (n < 0) return 1;
        replayed += n;
    }
    printf("replayed %d inputs\n", replayed);
    return replayed > 0 ? 0 : 1;
}
