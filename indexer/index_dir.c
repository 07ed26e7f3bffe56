/* The lede index layout: lock, generations, atomic publish. */
#define _XOPEN_SOURCE 700
#include "index_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STUB_NAME "XAPIANDB"
#define GEN_FORMAT "gen-%06u"

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)flag, (void)f;
    return remove(p);
}

void index_dir_rmtree(const char *path) {
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void index_dir_gen_path(const index_dir_t *d, unsigned gen, char *out, size_t size) {
    snprintf(out, size, "%s/" GEN_FORMAT, d->path, gen);
}

void index_dir_tmp_path(const index_dir_t *d, char *out, size_t size) {
    snprintf(out, size, "%s/tmp-%ld", d->path, (long)getpid());
}

/* The rest of a sharded index's stub, from its first line: "auto shard-0"
 * ... "auto shard-<n-1>", then "auto spelling" and nothing more. */
static bool parse_shard_stub(FILE *f, char *line, size_t size, unsigned *n) {
    unsigned k;
    *n = 0;
    while (sscanf(line, "auto shard-%u", &k) == 1 && k == *n) {
        ++*n;
        if (!fgets(line, (int)size, f)) return false;
    }
    return *n > 0 && strcmp(line, "auto spelling\n") == 0 && !fgets(line, (int)size, f);
}

/* Reads the generation named by DIR/XAPIANDB, or the number of shards it
 * lists; both 0 when there is no stub. */
static lede_status_t read_live_gen(index_dir_t *d, lede_err_t *err) {
    char stub[INDEX_PATH_MAX + 16], line[128];
    unsigned gen;
    snprintf(stub, sizeof stub, "%s/" STUB_NAME, d->path);
    FILE *f = fopen(stub, "r");
    d->live_gen = 0;
    d->shards = 0;
    if (!f)
        return errno == ENOENT ? LEDE_OK
                               : lede_errf(err, LEDE_E_IO, "%s: %s", stub, strerror(errno));
    bool ok = fgets(line, sizeof line, f) != NULL;
    if (ok && sscanf(line, "auto " GEN_FORMAT, &gen) == 1)
        d->live_gen = gen;
    else
        ok = ok && parse_shard_stub(f, line, sizeof line, &d->shards);
    fclose(f);
    if (!ok)
        return lede_errf(err, LEDE_E_CORRUPT,
                         "%s: not a lede stub (expected 'auto gen-NNNNNN', or 'auto shard-0' ... "
                         "'auto spelling')",
                         stub);
    return LEDE_OK;
}

/* A directory holding a plain Xapian database, or anything else that is
 * not ours, must not be written into. */
static lede_status_t check_foreign(const index_dir_t *d, lede_err_t *err) {
    char probe[INDEX_PATH_MAX + 16];
    snprintf(probe, sizeof probe, "%s/iamglass", d->path);
    if (access(probe, F_OK) == 0)
        return lede_errf(err, LEDE_E_INVALID,
                         "%s is a plain Xapian database, not a lede index; give lede-indexer a new "
                         "directory",
                         d->path);
    return LEDE_OK;
}

/* mkdir -p: the parents of a new index are created too. */
static lede_status_t make_dir(const char *path, lede_err_t *err) {
    struct stat st;
    char parent[INDEX_PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (stat(parent, &st) != 0 && errno == ENOENT && make_dir(parent, err) != LEDE_OK)
            return LEDE_E_IO;
    }
    if (mkdir(path, 0755) == 0) return LEDE_OK;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return LEDE_OK;
    if (errno == EEXIST)
        return lede_errf(err, LEDE_E_INVALID, "%s exists and is not a directory", path);
    return lede_errf(err, LEDE_E_IO, "cannot create index directory %s: %s", path, strerror(errno));
}

static lede_status_t take_lock(index_dir_t *d, lede_err_t *err) {
    char lock[INDEX_PATH_MAX + 16];
    snprintf(lock, sizeof lock, "%s/lock", d->path);
    d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (d->lock_fd < 0)
        return lede_errf(err, LEDE_E_IO, "cannot write to %s: %s", d->path, strerror(errno));
    if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(d->lock_fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(d->lock_fd);
        d->lock_fd = -1;
        return lede_errf(err, LEDE_E_LOCKED, "%s is locked by another lede-indexer%s%s", d->path,
                         *pid ? " (pid " : "", *pid ? strcat(pid, ")") : "");
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(d->lock_fd, 0) != 0 || pwrite(d->lock_fd, pid, n, 0) != n) {
        /* The pid is only a courtesy for the message above. */
    }
    return LEDE_OK;
}

/* Removes build areas and generations that no stub names: what a crash
 * or kill left. Keeps the live generation and the one before it. */
static void clear_leftovers(const index_dir_t *d) {
    DIR *dir = opendir(d->path);
    struct dirent *e;
    char path[INDEX_PATH_MAX + 300];
    if (!dir) return;
    while ((e = readdir(dir)) != NULL) {
        unsigned gen;
        bool stale = strncmp(e->d_name, "tmp-", 4) == 0;
        if (sscanf(e->d_name, "gen-%u", &gen) == 1)
            stale = gen > d->live_gen || gen + 1 < d->live_gen;
        if (!stale) continue;
        snprintf(path, sizeof path, "%s/%s", d->path, e->d_name);
        index_dir_rmtree(path);
    }
    closedir(dir);
}

lede_status_t index_dir_open(index_dir_t *d, const char *path, lede_err_t *err) {
    memset(d, 0, sizeof *d);
    d->lock_fd = -1;
    if (strlen(path) >= INDEX_PATH_MAX - 64)
        return lede_errf(err, LEDE_E_INVALID, "index path is too long");
    snprintf(d->path, sizeof d->path, "%s", path);
    lede_status_t st = make_dir(d->path, err);
    if (st == LEDE_OK) st = take_lock(d, err);
    if (st == LEDE_OK) st = check_foreign(d, err);
    if (st == LEDE_OK) st = read_live_gen(d, err);
    if (st != LEDE_OK) {
        index_dir_close(d);
        return st;
    }
    clear_leftovers(d);
    return LEDE_OK;
}

static int sync_entry(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)f;
    int fd = open(p, (flag == FTW_D ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static lede_status_t sync_tree(const char *path, lede_err_t *err) {
    if (nftw(path, sync_entry, 16, FTW_PHYS) != 0)
        return lede_errf(err, LEDE_E_IO, "cannot sync %s: %s", path, strerror(errno));
    return LEDE_OK;
}

/* Replaces DIR/XAPIANDB with text, atomically and durably. */
static lede_status_t write_stub(const index_dir_t *d, const char *text, lede_err_t *err) {
    char tmp[INDEX_PATH_MAX + 32], stub[INDEX_PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s/" STUB_NAME ".tmp", d->path);
    snprintf(stub, sizeof stub, "%s/" STUB_NAME, d->path);
    FILE *f = fopen(tmp, "w");
    if (!f) return lede_errf(err, LEDE_E_IO, "%s: %s", tmp, strerror(errno));
    bool ok = fputs(text, f) >= 0;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, stub) != 0) {
        int e = errno;
        unlink(tmp);
        return lede_errf(err, LEDE_E_IO, "cannot switch %s: %s", stub, strerror(e));
    }
    /* The rename itself is durable once the directory is synced. */
    int fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return lede_errf(err, LEDE_E_IO, "cannot sync %s: %s", d->path, strerror(e));
    }
    close(fd);
    return LEDE_OK;
}

lede_status_t index_dir_publish(index_dir_t *d, unsigned gen, lede_err_t *err) {
    char path[INDEX_PATH_MAX + 32];
    index_dir_gen_path(d, gen, path, sizeof path);
    char text[64];
    snprintf(text, sizeof text, "auto " GEN_FORMAT "\n", gen);
    lede_status_t st = sync_tree(path, err);
    if (st == LEDE_OK) st = write_stub(d, text, err);
    if (st != LEDE_OK) return st;
    d->live_gen = gen;
    clear_leftovers(d);
    return LEDE_OK;
}

/* Removes DIR/shard-k for every k >= keep: shards of a larger layout. */
static void remove_shards_from(const index_dir_t *d, unsigned keep) {
    DIR *dir = opendir(d->path);
    struct dirent *e;
    char path[INDEX_PATH_MAX + 300];
    unsigned k;
    while (dir && (e = readdir(dir)) != NULL) {
        if (sscanf(e->d_name, "shard-%u", &k) != 1 || k < keep) continue;
        snprintf(path, sizeof path, "%s/%s", d->path, e->d_name);
        index_dir_rmtree(path);
    }
    if (dir) closedir(dir);
}

lede_status_t index_dir_publish_shards(index_dir_t *d, unsigned n, lede_err_t *err) {
    size_t size = (size_t)n * 24 + 32, used = 0;
    char *text = malloc(size);
    if (!text) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    for (unsigned k = 0; k < n; k++)
        used += (size_t)snprintf(text + used, size - used, "auto shard-%u\n", k);
    snprintf(text + used, size - used, "auto spelling\n");
    lede_status_t st = write_stub(d, text, err);
    free(text);
    if (st != LEDE_OK) return st;
    d->shards = n;
    d->live_gen = 0;
    remove_shards_from(d, n);
    clear_leftovers(d);
    return LEDE_OK;
}

/* Sums the regular files below path, as stat() sees them through links;
 * names starting with a dot are left out, as the input reader leaves them. */
static uint64_t tree_bytes(const char *path) {
    DIR *dir = opendir(path);
    struct dirent *e;
    struct stat st;
    uint64_t sum = 0;
    char child[INDEX_PATH_MAX + 300];
    while (dir && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || fstatat(dirfd(dir), e->d_name, &st, 0) != 0) continue;
        if (S_ISREG(st.st_mode)) sum += (uint64_t)st.st_size;
        bool fits = snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child;
        if (S_ISDIR(st.st_mode) && fits) sum += tree_bytes(child);
    }
    if (dir) closedir(dir);
    return sum;
}

uint64_t index_dir_gen_bytes(const index_dir_t *d, unsigned gen) {
    char path[INDEX_PATH_MAX + 32];
    index_dir_gen_path(d, gen, path, sizeof path);
    return tree_bytes(path);
}

void index_dir_close(index_dir_t *d) {
    if (d->lock_fd >= 0) close(d->lock_fd);
    d->lock_fd = -1;
}
