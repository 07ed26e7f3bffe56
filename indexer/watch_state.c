/* The committed state of a long-running indexer (watch_state.h). */
#include "watch_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WSTATE_VERSION 1

struct watch_state {
    char *path;
    json_t *root;  /* {"version":1, "files":{...}, "follow":{...}} */
    json_t *files; /* borrowed from root: rel -> {size, mtime_ns, ino, ids} */
};

static int64_t mtime_ns(const struct stat *st) {
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static lede_status_t adopt(watch_state_t *s, json_t *root, const char *path, lede_err_t *err) {
    json_t *files = json_object_get(root, "files");
    if (!json_is_object(root) ||
        json_integer_value(json_object_get(root, "version")) != WSTATE_VERSION ||
        !json_is_object(files)) {
        json_decref(root);
        return lede_errf(err, LEDE_E_INVALID,
                         "%s: not a watch state of this version (remove it to index the folder "
                         "again)",
                         path);
    }
    s->root = root;
    s->files = files;
    return LEDE_OK;
}

static json_t *empty_root(void) {
    return json_pack("{s:i, s:{}}", "version", WSTATE_VERSION, "files");
}

lede_status_t wstate_load(const char *path, watch_state_t **out, lede_err_t *err) {
    watch_state_t *s = calloc(1, sizeof *s);
    json_error_t jerr;
    *out = NULL;
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    }
    json_t *root = json_load_file(path, 0, &jerr);
    lede_status_t st;
    if (!root && access(path, F_OK) != 0 && errno == ENOENT)
        st = (root = empty_root()) ? adopt(s, root, path, err)
                                   : lede_errf(err, LEDE_E_NOMEM, "out of memory");
    else if (!root)
        st = lede_errf(err, LEDE_E_INVALID, "%s:%d: %s", path, jerr.line, jerr.text);
    else
        st = adopt(s, root, path, err);
    if (st != LEDE_OK) {
        wstate_free(s);
        return st;
    }
    *out = s;
    return LEDE_OK;
}

void wstate_free(watch_state_t *s) {
    if (!s) return;
    json_decref(s->root);
    free(s->path);
    free(s);
}

/* Syncs the directory holding path, so that a rename in it is durable. */
static int sync_dir_of(const char *path) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

lede_status_t wstate_save(watch_state_t *s, lede_err_t *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->path);
    char *text = json_dumps(s->root, JSON_COMPACT);
    if (!text) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : write_all(fd, text, strlen(text));
    if (rc == 0) rc = fsync(fd);
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) rc = -1, saved = errno;
    free(text);
    if (rc == 0 && rename(tmp, s->path) != 0) rc = -1, saved = errno;
    if (rc == 0 && sync_dir_of(s->path) != 0) rc = -1, saved = errno;
    if (rc != 0) {
        unlink(tmp);
        return lede_errf(err, LEDE_E_IO, "%s: cannot write the watch state: %s", s->path,
                         strerror(saved));
    }
    return LEDE_OK;
}

bool wstate_unchanged(const watch_state_t *s, const char *rel, const struct stat *st) {
    json_t *f = json_object_get(s->files, rel);
    return f && json_integer_value(json_object_get(f, "size")) == (json_int_t)st->st_size &&
           json_integer_value(json_object_get(f, "mtime_ns")) == (json_int_t)mtime_ns(st) &&
           json_integer_value(json_object_get(f, "ino")) == (json_int_t)st->st_ino;
}

bool wstate_has(const watch_state_t *s, const char *rel) {
    return json_object_get(s->files, rel) != NULL;
}

json_t *wstate_ids(const watch_state_t *s, const char *rel) {
    return json_object_get(json_object_get(s->files, rel), "ids");
}

lede_status_t wstate_put(watch_state_t *s, const char *rel, const struct stat *st, json_t *ids) {
    json_t *f = json_pack("{s:I, s:I, s:I, s:o}", "size", (json_int_t)st->st_size, "mtime_ns",
                          (json_int_t)mtime_ns(st), "ino", (json_int_t)st->st_ino, "ids", ids);
    if (!f || json_object_set_new(s->files, rel, f) != 0) return LEDE_E_NOMEM;
    return LEDE_OK;
}

void wstate_remove(watch_state_t *s, const char *rel) {
    json_object_del(s->files, rel);
}

void wstate_each(const watch_state_t *s, bool (*fn)(void *ctx, const char *rel), void *ctx) {
    const char *rel;
    json_t *v;
    json_object_foreach(s->files, rel, v) {
        if (!fn(ctx, rel)) return;
    }
}

bool wstate_follow_get(const watch_state_t *s, uint64_t *ino, uint64_t *offset, uint64_t *line) {
    json_t *f = json_object_get(s->root, "follow");
    if (!json_is_object(f)) return false;
    *ino = (uint64_t)json_integer_value(json_object_get(f, "ino"));
    *offset = (uint64_t)json_integer_value(json_object_get(f, "offset"));
    *line = (uint64_t)json_integer_value(json_object_get(f, "line"));
    return true;
}

lede_status_t wstate_follow_set(watch_state_t *s, uint64_t ino, uint64_t offset, uint64_t line) {
    json_t *f = json_pack("{s:I, s:I, s:I}", "ino", (json_int_t)ino, "offset", (json_int_t)offset,
                          "line", (json_int_t)line);
    if (!f || json_object_set_new(s->root, "follow", f) != 0) return LEDE_E_NOMEM;
    return LEDE_OK;
}
