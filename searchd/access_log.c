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

static FILE *open_append(const char *path, lede_err_t *err) {
    FILE *f = fopen(path, "a");
    if (!f) return lede_errf(err, LEDE_E_OPEN, "access_log %s: %s", path, strerror(errno)), NULL;
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

lede_status_t access_log_open(const config_t *c, lede_err_t *err) {
    if (!c->access_log[0]) return LEDE_OK;
    snprintf(access_path, sizeof access_path, "%s", c->access_log);
    return (access_out = open_append(access_path, err)) ? LEDE_OK : LEDE_E_OPEN;
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

lede_status_t access_log_reopen(lede_err_t *err) {
    if (!access_out) return LEDE_OK;
    FILE *f = open_append(access_path, err);
    if (!f) return LEDE_E_OPEN;
    pthread_mutex_lock(&access_lock);
    FILE *old = access_out;
    access_out = f;
    pthread_mutex_unlock(&access_lock);
    fclose(old);
    return LEDE_OK;
}

void access_log_close(void) {
    if (access_out) fclose(access_out);
    access_out = NULL;
}
