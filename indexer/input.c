/* Reading inputs: JSON Lines (plain or gzip, files or stdin) and raw text
 * files, with directories walked recursively. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define READ_CHUNK_BYTES (256 * 1024)

static lede_status_t fail(lede_status_t st, char *err, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return st;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_jsonl_name(const char *name) {
    return ends_with(name, ".jsonl") || ends_with(name, ".jsonl.gz") || ends_with(name, ".json") ||
           ends_with(name, ".json.gz");
}

static const char *intern(input_t *in, const char *name) {
    char **grown = realloc(in->names, (in->n_names + 1) * sizeof *grown);
    char *copy = strdup(name);
    if (!grown || !copy) {
        free(copy);
        if (grown) in->names = grown;
        return NULL;
    }
    in->names = grown;
    in->names[in->n_names++] = copy;
    return copy;
}

/* ---- sizes, for the progress line ------------------------------------ */

static uint64_t tree_bytes(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    if (!S_ISDIR(st.st_mode)) return (uint64_t)st.st_size;
    uint64_t sum = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    char child[4096];
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        sum += tree_bytes(child);
    }
    if (d) closedir(d);
    return sum;
}

lede_status_t input_prepare(input_t *in, char *const *paths, size_t n, size_t max_record_bytes,
                            char *err, size_t size) {
    memset(in, 0, sizeof *in);
    in->max_record_bytes = max_record_bytes;
    in->size_known = true;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            in->size_known = false;
            continue;
        }
        if (access(paths[i], R_OK) != 0)
            return fail(LEDE_E_OPEN, err, size, "%s: %s", paths[i], strerror(errno));
        in->total_bytes += tree_bytes(paths[i]);
    }
    return LEDE_OK;
}

void input_free(input_t *in) {
    for (size_t i = 0; i < in->n_names; i++) free(in->names[i]);
    free(in->names);
    in->names = NULL;
    in->n_names = 0;
}

/* ---- JSON Lines ------------------------------------------------------- */

typedef struct {
    input_t *in;
    const input_sink_t *sink;
    const char *file;
    char *buf;          /* the line being assembled */
    size_t len, cap;
    uint64_t line;
    bool skipping;      /* the line is over the limit: drop to its end */
    size_t skipped;
} line_state_t;

static uint64_t next_seq(input_t *in) {
    return ++in->records;
}

static bool blank_line(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

static lede_status_t emit_line(line_state_t *ls) {
    ls->line++;
    if (ls->skipping) {
        ls->sink->oversize(ls->sink->ctx, ls->file, ls->line, ls->skipped);
        ls->skipping = false;
        ls->len = 0;
        return LEDE_OK;
    }
    if (ls->len > 0 && ls->buf[ls->len - 1] == '\r') ls->len--;
    if (blank_line(ls->buf, ls->len)) {
        ls->len = 0;
        return LEDE_OK;
    }
    record_t rec = {RECORD_JSON, ls->file, ls->line, next_seq(ls->in), NULL, ls->len, NULL};
    rec.bytes = malloc(ls->len + 1);
    if (!rec.bytes) return LEDE_E_NOMEM;
    memcpy(rec.bytes, ls->buf, ls->len);
    rec.bytes[ls->len] = '\0';
    ls->len = 0;
    return ls->sink->record(ls->sink->ctx, &rec);
}

static lede_status_t append(line_state_t *ls, const char *p, size_t n) {
    if (ls->skipping) {
        ls->skipped += n;
        return LEDE_OK;
    }
    if (ls->len + n > ls->in->max_record_bytes) {
        ls->skipping = true;
        ls->skipped = ls->len + n;
        ls->len = 0;
        return LEDE_OK;
    }
    if (ls->len + n + 1 > ls->cap) {
        size_t cap = ls->cap ? ls->cap : 4096;
        while (cap < ls->len + n + 1) cap *= 2;
        char *grown = realloc(ls->buf, cap);
        if (!grown) return LEDE_E_NOMEM;
        ls->buf = grown;
        ls->cap = cap;
    }
    memcpy(ls->buf + ls->len, p, n);
    ls->len += n;
    return LEDE_OK;
}

static lede_status_t split_lines(line_state_t *ls, const char *chunk, size_t n) {
    lede_status_t st = LEDE_OK;
    while (n > 0 && st == LEDE_OK) {
        const char *nl = memchr(chunk, '\n', n);
        size_t take = nl ? (size_t)(nl - chunk) : n;
        st = append(ls, chunk, take);
        if (st == LEDE_OK && nl) st = emit_line(ls);
        take += nl ? 1 : 0;
        chunk += take;
        n -= take;
    }
    return st;
}

/* zlib's message names the file itself ("PATH: unexpected end of file",
 * "<fd:3>: ..." for standard input); ours names it already. */
static const char *zlib_why(const char *msg, const char *path) {
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) return msg + n + 2;
    const char *end = strncmp(msg, "<fd:", 4) == 0 ? strstr(msg, ">: ") : NULL;
    return end ? end + 3 : msg;
}

static lede_status_t scan_jsonl(input_t *in, const char *path, const input_sink_t *sink,
                                char *err, size_t size) {
    bool is_stdin = strcmp(path, "-") == 0;
    const char *file = intern(in, is_stdin ? "<stdin>" : path);
    gzFile gz = is_stdin ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
    if (!file || !gz) {
        if (gz) gzclose(gz);
        return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    }
    gzbuffer(gz, READ_CHUNK_BYTES);
    line_state_t ls = {.in = in, .sink = sink, .file = file};
    char *chunk = malloc(READ_CHUNK_BYTES);
    lede_status_t st = chunk ? LEDE_OK : LEDE_E_NOMEM;
    uint64_t start = in->read_bytes;
    int n;
    while (st == LEDE_OK && (n = gzread(gz, chunk, READ_CHUNK_BYTES)) > 0) {
        in->text_bytes += (uint64_t)n;
        st = split_lines(&ls, chunk, (size_t)n);
        in->read_bytes = start + (uint64_t)gzoffset(gz);
    }
    int zerr = Z_OK;
    const char *zmsg = gzerror(gz, &zerr);
    if (st == LEDE_OK && zerr != Z_OK && zerr != Z_STREAM_END)
        st = fail(LEDE_E_IO, err, size, "%s: read error after line %llu: %s", file,
                  (unsigned long long)ls.line,
                  zerr == Z_ERRNO ? strerror(errno) : zlib_why(zmsg, path));
    if (st == LEDE_OK && (ls.len > 0 || ls.skipping)) st = emit_line(&ls); /* no final newline */
    gzclose(gz);
    free(chunk);
    free(ls.buf);
    in->files++;
    return st;
}

/* ---- raw text files --------------------------------------------------- */

/* The id of a text file: its path below the walked root, without ".txt". */
static char *text_base_id(const char *rel) {
    size_t n = strlen(rel);
    if (ends_with(rel, ".txt")) n -= 4;
    char *id = malloc(n + 1);
    if (id) {
        memcpy(id, rel, n);
        id[n] = '\0';
    }
    return id;
}

static lede_status_t scan_text(input_t *in, const char *path, const char *rel,
                               const input_sink_t *sink, char *err, size_t size) {
    struct stat st;
    const char *file = intern(in, path);
    if (!file) return LEDE_E_NOMEM;
    if (stat(path, &st) != 0) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    in->files++;
    in->read_bytes += (uint64_t)st.st_size;
    if ((size_t)st.st_size > in->max_record_bytes) {
        sink->oversize(sink->ctx, file, 0, (size_t)st.st_size);
        return LEDE_OK;
    }
    FILE *f = fopen(path, "rb");
    if (!f) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    record_t rec = {RECORD_TEXT, file, 0, next_seq(in), malloc((size_t)st.st_size + 1), 0, NULL};
    rec.base_id = text_base_id(rel);
    if (rec.bytes) rec.len = fread(rec.bytes, 1, (size_t)st.st_size, f);
    bool read_ok = rec.bytes && !ferror(f);
    fclose(f);
    if (!read_ok || !rec.base_id) {
        free(rec.bytes);
        free(rec.base_id);
        return rec.bytes ? fail(LEDE_E_IO, err, size, "%s: read error", path) : LEDE_E_NOMEM;
    }
    rec.bytes[rec.len] = '\0';
    in->text_bytes += rec.len;
    return sink->record(sink->ctx, &rec);
}

/* ---- directories ------------------------------------------------------ */

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static lede_status_t scan_path(input_t *in, const char *path, const char *rel,
                               const input_sink_t *sink, char *err, size_t size);

static lede_status_t scan_dir(input_t *in, const char *path, const char *rel,
                              const input_sink_t *sink, char *err, size_t size) {
    DIR *d = opendir(path);
    if (!d) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    lede_status_t st = LEDE_OK;
    while (st == LEDE_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* hidden files and . .. */
        char **grown = realloc(names, (n + 1) * sizeof *grown);
        if (!grown || !(grown[n] = strdup(e->d_name))) st = LEDE_E_NOMEM;
        if (grown) names = grown;
        if (st == LEDE_OK) n++;
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, by_name); /* names is NULL when n is 0 */
    char child[4096], child_rel[4096];
    for (size_t i = 0; i < n && st == LEDE_OK; i++) {
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat s;
        if (stat(child, &s) != 0) continue;
        if (S_ISDIR(s.st_mode) || ends_with(names[i], ".txt") || is_jsonl_name(names[i]))
            st = scan_path(in, child, child_rel, sink, err, size);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static lede_status_t scan_path(input_t *in, const char *path, const char *rel,
                               const input_sink_t *sink, char *err, size_t size) {
    struct stat st;
    if (strcmp(path, "-") == 0) return scan_jsonl(in, path, sink, err, size);
    if (stat(path, &st) != 0) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return scan_dir(in, path, rel, sink, err, size);
    if (ends_with(path, ".txt")) return scan_text(in, path, rel, sink, err, size);
    return scan_jsonl(in, path, sink, err, size);
}

lede_status_t input_scan(input_t *in, char *const *paths, size_t n, const input_sink_t *sink,
                         char *err, size_t size) {
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; i < n && st == LEDE_OK; i++) {
        struct stat s;
        bool dir = stat(paths[i], &s) == 0 && S_ISDIR(s.st_mode);
        st = scan_path(in, paths[i], dir ? "" : base_name(paths[i]), sink, err, size);
    }
    return st;
}
