/* Change notices for the served index, from inotify (index_watch.h). */
#include "index_watch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "config.h"

struct index_watch {
    int fd;
    struct event *ev;
    char db[CONFIG_PATH_MAX];
    int dir_wd; /* the index directory */
    int gen_wd; /* the generation its stub names; -1 when it has no stub */
    void (*changed)(void *);
    void *arg;
};

/* The generation the stub names ("auto gen-000007" -> DB/gen-000007) into
 * out; false when DB has no stub (a plain Xapian database). */
static bool stub_target(const char *db, char *out, size_t size) {
    char path[CONFIG_PATH_MAX + 16], line[512];
    snprintf(path, sizeof path, "%s/XAPIANDB", db);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    char *name = ok ? strchr(line, ' ') : NULL;
    if (!name) return false;
    name[strcspn(name, "\r\n")] = '\0';
    snprintf(out, size, "%s/%s", db, name + 1);
    return true;
}

/* Follows the stub to the generation now live. */
static void watch_generation(index_watch_t *w) {
    char gen[CONFIG_PATH_MAX + 512];
    if (w->gen_wd >= 0) inotify_rm_watch(w->fd, w->gen_wd);
    w->gen_wd = -1;
    if (stub_target(w->db, gen, sizeof gen))
        w->gen_wd = inotify_add_watch(w->fd, gen, IN_MOVED_TO | IN_ONLYDIR);
}

static void on_events(evutil_socket_t fd, short what, void *arg) {
    (void)what;
    index_watch_t *w = arg;
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false, switched = false;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            const char *name = e->len ? e->name : "";
            if (e->mask & IN_Q_OVERFLOW) changed = switched = true;
            if (e->wd == w->dir_wd && strcmp(name, "XAPIANDB") == 0) changed = switched = true;
            if (strcmp(name, "iamglass") == 0) changed = true;
            p += sizeof *e + e->len;
        }
    }
    if (switched) watch_generation(w);
    if (changed) w->changed(w->arg);
}

index_watch_t *index_watch_new(struct event_base *base, const char *db, void (*changed)(void *),
                               void *arg, lede_err_t *err) {
    index_watch_t *w = calloc(1, sizeof *w);
    if (!w) return lede_errf(err, LEDE_E_NOMEM, "out of memory"), NULL;
    *w = (index_watch_t){.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC),
                         .gen_wd = -1,
                         .changed = changed,
                         .arg = arg};
    snprintf(w->db, sizeof w->db, "%s", db);
    if (w->fd >= 0) w->dir_wd = inotify_add_watch(w->fd, db, IN_MOVED_TO | IN_ONLYDIR);
    if (w->fd < 0 || w->dir_wd < 0) {
        lede_errf(err, LEDE_E_IO, "inotify on %s: %s", db, strerror(errno));
        index_watch_free(w);
        return NULL;
    }
    watch_generation(w);
    if (!(w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, on_events, w)) ||
        event_add(w->ev, NULL) != 0) {
        lede_errf(err, LEDE_E_NOMEM, "out of memory");
        index_watch_free(w);
        return NULL;
    }
    return w;
}

void index_watch_free(index_watch_t *w) {
    if (!w) return;
    if (w->ev) event_free(w->ev);
    if (w->fd >= 0) close(w->fd);
    free(w);
}
