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
                  (unsigned long long)ls.line, zerr == Z_ERRNO ? strerror(errno) : zmsg);
    if (st == LEDE_OK && (ls.len > 0 || ls.skipping)) st = emit_line(&ls); /* no final newline */
    gzclose(gz);
    free(chunk);
    free(ls.buf);
    in->files++;
    return st;
}

/* ---- pages: scraped text and HTML, plain or gzip ---------------------- */

typedef struct {
    const char *ext;
    record_kind_t kind;
} page_ext_t;

static const page_ext_t PAGE_EXTS[] = {
    {".txt", RECORD_TEXT},     {".txt.gz", RECORD_TEXT},  {".html", RECORD_HTML},
    {".html.gz", RECORD_HTML}, {".htm", RECORD_HTML},     {".htm.gz", RECORD_HTML},
};

bool input_page_name(const char *name, record_kind_t *kind, size_t *stem) {
    for (size_t i = 0; i < sizeof PAGE_EXTS / sizeof PAGE_EXTS[0]; i++) {
        if (!ends_with(name, PAGE_EXTS[i].ext)) continue;
        *kind = PAGE_EXTS[i].kind;
        *stem = strlen(name) - strlen(PAGE_EXTS[i].ext);
        return true;
    }
    return false;
}

/* Room for zlib's message about a broken stream, copied before gzclose()
 * frees it. */
#define ZMSG_BYTES 160

/* Reads a whole page through zlib (which passes plain files through
 * unchanged) into rec->bytes, NUL-terminated. A page over the limit is
 * not kept: *over is set and rec->len says how much was read before
 * stopping. zmsg receives why a gzip stream is broken, or "". */
static lede_status_t read_page(gzFile gz, size_t max, record_t *rec, bool *over,
                               char zmsg[ZMSG_BYTES]) {
    size_t cap = 0;
    int n, zerr = Z_OK;
    *over = false;
    zmsg[0] = '\0';
    do {
        if (rec->len + READ_CHUNK_BYTES + 1 > cap) {
            cap = cap ? cap * 2 : READ_CHUNK_BYTES + 1;
            char *grown = realloc(rec->bytes, cap);
            if (!grown) return LEDE_E_NOMEM;
            rec->bytes = grown;
        }
        n = gzread(gz, rec->bytes + rec->len, READ_CHUNK_BYTES);
        if (n > 0) rec->len += (size_t)n;
        if (rec->len > max) *over = true;
    } while (n > 0 && !*over);
    const char *msg = gzerror(gz, &zerr);
    if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END))
        snprintf(zmsg, ZMSG_BYTES, "%s", zerr == Z_ERRNO ? strerror(errno) : msg);
    rec->bytes[rec->len] = '\0';
    return LEDE_OK;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The id of a page: its path below the walked root, without extensions. */
static char *page_base_id(const char *rel) {
    record_kind_t kind;
    size_t n = strlen(rel);
    if (!input_page_name(rel, &kind, &n)) n = strlen(rel);
    return strndup(rel, n);
}

/* Whether bytes look like markup: the first thing after white space and a
 * byte order mark is '<'. */
static bool looks_like_html(const char *s, size_t n) {
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && strchr(" \t\r\n", s[i])) i++;
    return i < n && s[i] == '<';
}

lede_status_t input_read_page(const char *path, size_t max, record_t *rec, char *err,
                              size_t size) {
    size_t stem;
    memset(rec, 0, sizeof *rec);
    rec->file = path;
    bool named = input_page_name(path, &rec->kind, &stem);
    gzFile gz = gzopen(path, "rb");
    if (!gz) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    bool over = false;
    char zmsg[ZMSG_BYTES];
    lede_status_t st = read_page(gz, max, rec, &over, zmsg);
    gzclose(gz);
    if (st == LEDE_OK && over)
        st = fail(LEDE_E_INVALID, err, size, "%s: page over the limit of %zu bytes", path, max);
    if (st == LEDE_OK && zmsg[0])
        st = fail(LEDE_E_IO, err, size, "%s: cannot read the page: %s", path, zmsg);
    if (st == LEDE_OK && !(rec->base_id = page_base_id(base_name(path)))) st = LEDE_E_NOMEM;
    if (st == LEDE_OK && !named) rec->kind = looks_like_html(rec->bytes, rec->len) ? RECORD_HTML : RECORD_TEXT;
    if (st != LEDE_OK) {
        free(rec->bytes);
        free(rec->base_id);
        memset(rec, 0, sizeof *rec);
    }
    return st;
}

static lede_status_t scan_page(input_t *in, const char *path, const char *rel,
                               record_kind_t kind, const input_sink_t *sink, char *err,
                               size_t size) {
    struct stat st;
    const char *file = intern(in, path);
    if (!file) return LEDE_E_NOMEM;
    if (stat(path, &st) != 0) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    in->files++;
    in->read_bytes += (uint64_t)st.st_size;
    gzFile gz = gzopen(path, "rb");
    if (!gz) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    record_t rec = {kind, file, 0, 0, NULL, 0, page_base_id(rel)};
    bool over = false;
    char zmsg[ZMSG_BYTES] = "";
    lede_status_t s = rec.base_id ? read_page(gz, in->max_record_bytes, &rec, &over, zmsg)
                                  : LEDE_E_NOMEM;
    gzclose(gz);
    if (s == LEDE_OK && over)
        sink->oversize(sink->ctx, file, 0, rec.len);
    else if (s == LEDE_OK && zmsg[0])
        sink->unreadable(sink->ctx, file, zmsg);
    if (s != LEDE_OK || over || zmsg[0]) {
        free(rec.bytes);
        free(rec.base_id);
        return s;
    }
    rec.seq = next_seq(in);
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
    qsort(names, n, sizeof *names, by_name);
    char child[4096], child_rel[4096];
    for (size_t i = 0; i < n && st == LEDE_OK; i++) {
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat s;
        if (stat(child, &s) != 0) continue;
        record_kind_t kind;
        size_t stem;
        if (S_ISDIR(s.st_mode) || input_page_name(names[i], &kind, &stem) ||
            is_jsonl_name(names[i]))
            st = scan_path(in, child, child_rel, sink, err, size);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st;
}

static lede_status_t scan_path(input_t *in, const char *path, const char *rel,
                               const input_sink_t *sink, char *err, size_t size) {
    struct stat st;
    if (strcmp(path, "-") == 0) return sink->pages_only ? LEDE_OK : scan_jsonl(in, path, sink, err, size);
    if (stat(path, &st) != 0) return fail(LEDE_E_OPEN, err, size, "%s: %s", path, strerror(errno));
    record_kind_t kind;
    size_t stem;
    if (S_ISDIR(st.st_mode)) return scan_dir(in, path, rel, sink, err, size);
    if (input_page_name(path, &kind, &stem))
        return scan_page(in, path, rel, kind, sink, err, size);
    if (sink->pages_only) return LEDE_OK;
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
