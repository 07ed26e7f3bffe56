/* --follow FILE|- (watch.h): the lines of a JSON Lines stream, as they
 * come, into the watcher's batches. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linebuf.h"
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
    linebuf_t lb;    /* a line not yet ended */
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
    f->lb.max = x->j->o->max_doc_bytes;
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
    linebuf_free(&f->lb);
    free(f->chunk);
    free(f);
}

lede_status_t follow_mark(watcher_t *x) {
    follow_t *f = x->follow;
    if (f->is_stdin || f->fd < 0) return LEDE_OK;
    return wstate_follow_set(x->state, f->ino, f->offset, f->line);
}

/* ---- lines ------------------------------------------------------------------ */

/* A line of the stream, complete: its bytes count for the offset. */
static lede_status_t on_line(void *ctx, const char *s, size_t len, uint64_t bytes) {
    watcher_t *x = ctx;
    follow_t *f = x->follow;
    index_run_t *j = x->j;
    f->offset += bytes;
    f->line++;
    if (!s) {
        rejects_report(j->rejects, f->path, f->line, "record over the limit (--max-doc-bytes)",
                       NULL, 0);
        return LEDE_OK;
    }
    if (len > 0 && s[len - 1] == '\r') len--;
    if (linebuf_blank(s, len)) return LEDE_OK;
    record_t rec = {RECORD_JSON, f->path, f->line, ++j->in.records, NULL, len, NULL};
    if (!(rec.bytes = malloc(len + 1))) return nomem(x);
    memcpy(rec.bytes, s, len);
    rec.bytes[len] = '\0';
    j->in.text_bytes += len;
    return watch_record(x, &rec);
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
    linebuf_reset(&f->lb);
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
        lede_status_t st = linebuf_feed(&f->lb, f->chunk, (size_t)n, on_line, x);
        return st == LEDE_E_NOMEM ? nomem(x) : st;
    }
    if (!f->is_stdin) {
        check_rotation(f);
        return LEDE_OK;
    }
    *ended = true; /* standard input: an unended last line is a line */
    return linebuf_finish(&f->lb, on_line, x);
}
