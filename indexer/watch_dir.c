/* The watched folder (watch.h): inotify on it and every directory below,
 * and walks that compare the files with the state. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "watch_parts.h"

/* A file is read when its writer closes it or it is renamed in; a
 * directory created or renamed in is watched and walked; a removal or a
 * rename out is a removal. */
#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ONLYDIR |           \
     IN_DONT_FOLLOW | IN_EXCL_UNLINK)
/* One read of events; the loop comes back for more. */
#define EVENT_BUF_BYTES (64 * 1024)
#define REL_BYTES INDEX_PATH_MAX

static lede_status_t nomem(watcher_t *x) {
    return lede_errf(&x->j->err, LEDE_E_NOMEM, "out of memory");
}

static lede_status_t add_watch(watcher_t *x, const char *path, const char *rel) {
    char key[16];
    int wd = inotify_add_watch(x->ino_fd, path, WATCH_MASK);
    if (wd < 0 && errno == ENOSPC)
        return lede_errf(&x->j->err, LEDE_E_IO,
                         "%s: out of inotify watches (raise fs.inotify.max_user_watches)", path);
    if (wd < 0) return LEDE_OK; /* gone already: its parent's event says so */
    snprintf(key, sizeof key, "%d", wd);
    if (json_object_set_new(x->wds, key, json_string(rel)) != 0) return nomem(x);
    return LEDE_OK;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The visible entries of path, sorted (the order a batch run reads them). */
static lede_status_t list(watcher_t *x, const char *path, char ***out, size_t *n) {
    DIR *d = opendir(path);
    struct dirent *e;
    *out = NULL;
    *n = 0;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char **grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (grown) *out = grown;
        if (!grown || !(grown[*n] = strdup(e->d_name))) {
            closedir(d);
            return nomem(x);
        }
        (*n)++;
    }
    if (d) closedir(d);
    if (*n > 1) qsort(*out, *n, sizeof **out, by_name);
    return LEDE_OK;
}

static lede_status_t walk(watcher_t *x, const char *rel, json_t *seen);

static lede_status_t walk_entry(watcher_t *x, const char *rel, json_t *seen, char *path) {
    struct stat st;
    snprintf(path, REL_BYTES * 2, "%s/%s", x->root, rel);
    if (lstat(path, &st) != 0) return LEDE_OK;
    if (S_ISDIR(st.st_mode)) return walk(x, rel, seen);
    const char *slash = strrchr(rel, '/');
    if (!S_ISREG(st.st_mode) || !input_is_input_name(slash ? slash + 1 : rel)) return LEDE_OK;
    if (seen && json_object_set(seen, rel, json_true()) != 0) return nomem(x);
    return watch_file(x, rel);
}

/* Watches root/rel, then reads what changed in it and below; each input
 * file met is noted in seen (when not NULL). */
static lede_status_t walk(watcher_t *x, const char *rel, json_t *seen) {
    char **names;
    size_t n;
    /* Not on the stack (a deep tree); apart, so that no snprintf's target
     * and argument can overlap. */
    char *path = malloc(REL_BYTES * 2), *child = malloc(REL_BYTES);
    if (!path || !child) {
        free(path), free(child);
        return nomem(x);
    }
    snprintf(path, REL_BYTES * 2, "%s%s%s", x->root, *rel ? "/" : "", rel);
    lede_status_t st = add_watch(x, path, rel);
    if (st == LEDE_OK)
        st = list(x, path, &names, &n);
    else
        n = 0, names = NULL;
    for (size_t i = 0; i < n; i++) {
        bool fits =
            snprintf(child, REL_BYTES, "%s%s%s", rel, *rel ? "/" : "", names[i]) < REL_BYTES;
        if (st == LEDE_OK && fits) st = walk_entry(x, child, seen, path);
        free(names[i]);
    }
    free(names);
    free(path), free(child);
    return st;
}

typedef struct {
    json_t *seen, *gone;
} sweep_t;

static bool note_gone(void *ctx, const char *rel) {
    sweep_t *s = ctx;
    if (!json_object_get(s->seen, rel)) json_array_append_new(s->gone, json_string(rel));
    return true;
}

/* A fresh inotify instance on the whole tree, what changed read, and what
 * the state knows that is not there any more removed. Used at start-up,
 * after the kernel dropped events, and when a directory moved. */
static lede_status_t rescan(watcher_t *x) {
    if (x->ino_fd >= 0) close(x->ino_fd);
    json_decref(x->wds);
    x->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    x->wds = json_object();
    if (x->ino_fd < 0) return lede_errf(&x->j->err, LEDE_E_IO, "inotify: %s", strerror(errno));
    sweep_t s = {json_object(), json_array()};
    lede_status_t st = x->wds && s.seen && s.gone ? walk(x, "", s.seen) : nomem(x);
    if (st == LEDE_OK) wstate_each(x->state, note_gone, &s);
    size_t i;
    json_t *v;
    json_array_foreach(s.gone, i, v) {
        if (st == LEDE_OK) st = watch_gone(x, json_string_value(v));
    }
    json_decref(s.seen);
    json_decref(s.gone);
    return st;
}

lede_status_t wdir_open(watcher_t *x) {
    struct stat st;
    x->root = x->j->o->watch;
    if (stat(x->root, &st) != 0 || !S_ISDIR(st.st_mode))
        return lede_errf(&x->j->err, LEDE_E_OPEN, "--watch %s: %s", x->root,
                         errno ? strerror(errno) : "not a directory");
    return rescan(x);
}

/* One event; *again when the tree must be walked again. */
static lede_status_t handle(watcher_t *x, const struct inotify_event *e, bool *again) {
    char key[16], rel[REL_BYTES];
    if (e->mask & IN_Q_OVERFLOW) *again = true;
    snprintf(key, sizeof key, "%d", e->wd);
    if (e->mask & IN_IGNORED) json_object_del(x->wds, key);
    const char *dir = json_string_value(json_object_get(x->wds, key));
    if (!dir || e->len == 0 || e->name[0] == '.') return LEDE_OK;
    if (snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "", e->name) >= (int)sizeof rel)
        return LEDE_OK;
    if (e->mask & IN_ISDIR) {
        if (e->mask & (IN_CREATE | IN_MOVED_TO)) return walk(x, rel, NULL);
        if (e->mask & IN_MOVED_FROM) *again = true; /* its files are gone from here */
        return LEDE_OK;
    }
    if (!input_is_input_name(e->name)) return LEDE_OK;
    if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) return watch_file(x, rel);
    if (e->mask & (IN_DELETE | IN_MOVED_FROM)) return watch_gone(x, rel);
    return LEDE_OK;
}

lede_status_t wdir_events(watcher_t *x) {
    char *buf = malloc(EVENT_BUF_BYTES);
    bool again = false;
    if (!buf) return nomem(x);
    ssize_t n;
    do n = read(x->ino_fd, buf, EVENT_BUF_BYTES);
    while (n < 0 && errno == EINTR);
    lede_status_t st = LEDE_OK;
    /* After a rescan the descriptors of the rest are those of the old instance. */
    for (char *p = buf; n > 0 && p < buf + n && st == LEDE_OK && !again;) {
        const struct inotify_event *e = (const void *)p; /* malloc and the kernel align it */
        st = handle(x, e, &again);
        p += sizeof *e + e->len;
    }
    free(buf);
    if (st == LEDE_OK && again) st = rescan(x);
    return st;
}

void wdir_close(watcher_t *x) {
    if (x->ino_fd >= 0) close(x->ino_fd);
    x->ino_fd = -1;
    json_decref(x->wds);
    x->wds = NULL;
}
