/* The HTTP access log (access_log.h). */
#include "access_log.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static FILE *access_out;
static char access_path[CONFIG_PATH_MAX];
static pthread_mutex_t access_lock = PTHREAD_MUTEX_INITIALIZER;

static FILE *open_append(const char *path, char *err, size_t size) {
    FILE *f = fopen(path, "a");
    if (!f) return snprintf(err, size, "access_log %s: %s", path, strerror(errno)), NULL;
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

bool access_log_open(const config_t *c, char *err, size_t size) {
    if (!c->access_log[0]) return true;
    snprintf(access_path, sizeof access_path, "%s", c->access_log);
    return (access_out = open_append(access_path, err, size)) != NULL;
}

bool access_log_enabled(void) {
    return access_out != NULL;
}

void access_log_write(const access_entry_t *e) {
    if (!access_out) return;
    char stamp[32];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(stamp + n, sizeof stamp - n, ".%03ldZ", now.tv_nsec / 1000000);
    /* Strings the client sent may be anything: jansson escapes them, and
     * refuses bytes that are not UTF-8, which are then left out. */
    json_t *line = json_pack("{sssssssisIsf}", "time", stamp, "peer", e->peer, "method", e->method,
                             "status", e->status, "bytes", (json_int_t)e->bytes, "ms", e->ms);
    if (!line) return;
    json_object_set_new(line, "target", json_string(e->target));
    if (e->user_agent) json_object_set_new(line, "user_agent", json_string(e->user_agent));
    char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    if (!text) return;
    pthread_mutex_lock(&access_lock);
    fprintf(access_out, "%s\n", text);
    pthread_mutex_unlock(&access_lock);
    free(text);
}

bool access_log_reopen(char *err, size_t size) {
    if (!access_out) return true;
    FILE *f = open_append(access_path, err, size);
    if (!f) return false;
    pthread_mutex_lock(&access_lock);
    FILE *old = access_out;
    access_out = f;
    pthread_mutex_unlock(&access_lock);
    fclose(old);
    return true;
}

void access_log_close(void) {
    if (access_out) fclose(access_out);
    access_out = NULL;
}
