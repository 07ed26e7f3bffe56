/* --follow FILE|- (watch.h): the lines of a JSON Lines stream, as they
 * come, into the watcher's batches. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "watch_parts.h"

/* Read per call: the loop commits and looks at signals in between. */
#define FOLLOW_CHUNK_BYTES (256 * 1024)

struct follow {
    const char *path; /* as given; "<stdin>" for "-" */
    int fd;
    bool is_stdin;
    uint64_t ino;
    uint64_t offset; /* bytes of the file up to the last line handed out */
    uint64_t line;   /* lines up to there */
    char *buf;       /* a line not yet ended */
    size_t len, cap;
    uint64_t part; /* bytes of the file in that line so far */
    bool skipping; /* the line is over --max-doc-bytes: dropped to its end */
    char *chunk;
};

int follow_fd(const follow_t *f) {
    return f && f->is_stdin ? f->fd : -1;
}

static lede_status_t nomem(watcher_t *x) {
    return lede_errf(&x->j->err, LEDE_E_NOMEM, "out of memory");
}

/* Opens the file at its committed position when it is the one the state
 * names, else at its start. A file not there yet is waited for. */
static void open_file(follow_t *f, const watch_state_t *s) {
    struct stat st;
    uint64_t ino, offset, line;
    f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0 || fstat(f->fd, &st) != 0) return;
    f->ino = (uint64_t)st.st_ino;
    f->offset = f->line = 0;
    if (s && wstate_follow_get(s, &ino, &offset, &line) && ino == f->ino &&
        offset <= (uint64_t)st.st_size && lseek(f->fd, (off_t)offset, SEEK_SET) >= 0) {
        f->offset = offset;
        f->line = line;
    }
}

lede_status_t follow_open(watcher_t *x, const char *path) {
    follow_t *f = calloc(1, sizeof *f);
    if (!f || !(f->chunk = malloc(FOLLOW_CHUNK_BYTES))) {
        free(f);
        return nomem(x);
    }
    f->is_stdin = strcmp(path, "-") == 0;
    f->path = f->is_stdin ? "<stdin>" : path;
    f->fd = -1;
    if (f->is_stdin)
        f->fd = STDIN_FILENO;
    else
        open_file(f, x->state);
    x->follow = f;
    return LEDE_OK;
}

void follow_close(follow_t *f) {
    if (!f) return;
    if (f->fd >= 0 && !f->is_stdin) close(f->fd);
    free(f->buf);
    free(f->chunk);
    free(f);
}

lede_status_t follow_mark(watcher_t *x) {
    follow_t *f = x->follow;
    if (f->is_stdin || f->fd < 0) return LEDE_OK;
    return wstate_follow_set(x->state, f->ino, f->offset, f->line);
}

/* ---- lines ------------------------------------------------------------------ */

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r", s[i])) return false;
    return true;
}

/* The line in f->buf is complete. */
static lede_status_t emit(watcher_t *x) {
    follow_t *f = x->follow;
    index_run_t *j = x->j;
    bool skipped = f->skipping;
    size_t len = f->len;
    f->offset += f->part;
    f->part = 0;
    f->line++;
    f->len = 0;
    f->skipping = false;
    if (skipped) {
        rejects_report(j->rejects, f->path, f->line, "record over the limit (--max-doc-bytes)",
                       NULL, 0);
        return LEDE_OK;
    }
    if (len > 0 && f->buf[len - 1] == '\r') len--;
    if (blank(f->buf, len)) return LEDE_OK;
    record_t rec = {RECORD_JSON, f->path, f->line, ++j->in.records, NULL, len, NULL};
    if (!(rec.bytes = malloc(len + 1))) return nomem(x);
    memcpy(rec.bytes, f->buf, len);
    rec.bytes[len] = '\0';
    j->in.text_bytes += len;
    return watch_record(x, &rec);
}

static lede_status_t append(watcher_t *x, const char *p, size_t n) {
    follow_t *f = x->follow;
    if (f->skipping || f->len + n > x->j->o->max_doc_bytes) {
        f->skipping = true;
        return LEDE_OK;
    }
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + n + 1) cap *= 2;
        char *grown = realloc(f->buf, cap);
        if (!grown) return nomem(x);
        f->buf = grown;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;
    return LEDE_OK;
}

/* Lines in chunk; the bytes of a line not ended stay in f->buf, and count
 * for the offset once it ends. */
static lede_status_t split(watcher_t *x, const char *chunk, size_t n) {
    lede_status_t st = LEDE_OK;
    while (n > 0 && st == LEDE_OK) {
        const char *nl = memchr(chunk, '\n', n);
        size_t take = nl ? (size_t)(nl - chunk) : n;
        st = append(x, chunk, take);
        x->follow->part += take + (nl ? 1 : 0);
        if (st == LEDE_OK && nl) st = emit(x);
        take += nl ? 1 : 0;
        chunk += take;
        n -= take;
    }
    return st;
}

/* ---- reading -------------------------------------------------------------------- */

/* At the end of the file: has it been rotated (renamed away and a new one
 * made, or truncated)? Then go on with the new one from its start. The
 * old one was read to its end; an unended last line of it is dropped. */
static void check_rotation(follow_t *f) {
    struct stat now, cur;
    if (stat(f->path, &now) != 0) return; /* renamed away, the new one not there yet */
    bool renamed = f->fd < 0 || (uint64_t)now.st_ino != f->ino;
    bool truncated = !renamed && fstat(f->fd, &cur) == 0 && (uint64_t)cur.st_size < f->offset;
    if (!renamed && !truncated) return;
    if (f->fd >= 0) close(f->fd);
    f->len = 0;
    f->part = 0;
    f->skipping = false;
    open_file(f, NULL);
}

lede_status_t follow_read(watcher_t *x, bool *ended) {
    follow_t *f = x->follow;
    if (f->fd < 0) {
        check_rotation(f);
        if (f->fd < 0) return LEDE_OK;
    }
    ssize_t n;
    do n = read(f->fd, f->chunk, FOLLOW_CHUNK_BYTES);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) return LEDE_OK;
    if (n < 0) return lede_errf(&x->j->err, LEDE_E_IO, "--follow %s: %s", f->path, strerror(errno));
    if (n > 0) {
        x->j->in.read_bytes += (uint64_t)n;
        return split(x, f->chunk, (size_t)n);
    }
    if (!f->is_stdin) {
        check_rotation(f);
        return LEDE_OK;
    }
    *ended = true; /* standard input: an unended last line is a line */
    return f->part > 0 ? emit(x) : LEDE_OK;
}
