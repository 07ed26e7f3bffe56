/* Logging: "2026-11-23T10:00:00Z lede-searchd[123] info: message". */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *log_out;
static char log_path[CONFIG_PATH_MAX]; /* "" when logging to stderr */
static log_level_t log_level = LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

lede_status_t log_open(const config_t *c, lede_err_t *err) {
    log_level = c->log_level;
    log_out = stderr;
    if (c->log_file[0] && strcmp(c->log_file, "-") != 0) {
        FILE *f = fopen(c->log_file, "a");
        if (!f) return lede_errf(err, LEDE_E_OPEN, "log_file %s: %s", c->log_file, strerror(errno));
        setvbuf(f, NULL, _IOLBF, 0);
        log_out = f;
        snprintf(log_path, sizeof log_path, "%s", c->log_file);
    }
    return LEDE_OK;
}

lede_status_t log_reopen(lede_err_t *err) {
    if (!log_path[0]) return LEDE_OK;
    FILE *f = fopen(log_path, "a");
    if (!f) return lede_errf(err, LEDE_E_OPEN, "log_file %s: %s", log_path, strerror(errno));
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_lock);
    FILE *old = log_out;
    log_out = f;
    pthread_mutex_unlock(&log_lock);
    if (old && old != stderr) fclose(old);
    return LEDE_OK;
}

void log_close(void) {
    if (log_out && log_out != stderr) fclose(log_out);
    log_out = NULL;
    log_path[0] = '\0';
}

void log_msg(log_level_t level, const char *fmt, ...) {
    static const char *const NAMES[] = {"error", "warn", "info", "debug"};
    if (level > log_level) return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&log_lock);
    FILE *out = log_out ? log_out : stderr;
    fprintf(out, "%s lede-searchd[%ld] %s: ", stamp, (long)getpid(), NAMES[level]);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    fflush(out);
    pthread_mutex_unlock(&log_lock);
    va_end(ap);
}

const char *log_safe(const char *s, size_t n, char out[132]) {
    size_t k = 0;
    for (size_t i = 0; i < n && k < 128; i++) {
        unsigned char ch = (unsigned char)s[i];
        out[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    if (n > 128) out[k - 1] = '~'; /* cut */
    out[k] = '\0';
    return out;
}
