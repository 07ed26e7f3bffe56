/* Reading inputs: JSON Lines (plain or gzip, files or stdin) and raw pages
 * (scraped text and HTML, plain or gzip), with directories walked
 * recursively. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "linebuf.h"
#include "seen.h"

#define READ_CHUNK_BYTES (256 * 1024)
/* Longest path walked; a longer one is skipped with a notice. */
#define PATH_BYTES 4096

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

/* Sums each file once, whatever links lead to it (and stops at loops). */
static uint64_t tree_bytes(const char *path, seen_t *seen) {
    struct stat st;
    const char *first;
    if (stat(path, &st) != 0) return 0;
    if (seen_add(seen, st.st_dev, st.st_ino, path, &first) != LEDE_OK || first) return 0;
    if (!S_ISDIR(st.st_mode)) return (uint64_t)st.st_size;
    uint64_t sum = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    char *child = malloc(PATH_BYTES); /* not on the stack: trees can be deep */
    while (d && child && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (snprintf(child, PATH_BYTES, "%s/%s", path, e->d_name) < PATH_BYTES)
            sum += tree_bytes(child, seen);
    }
    if (d) closedir(d);
    free(child);
    return sum;
}

lede_status_t input_prepare(input_t *in, char *const *paths, size_t n, size_t max_record_bytes,
                            lede_err_t *err) {
    memset(in, 0, sizeof *in);
    in->max_record_bytes = max_record_bytes;
    in->size_known = true;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            in->size_known = false;
            continue;
        }
        if (access(paths[i], R_OK) != 0)
            return lede_errf(err, LEDE_E_OPEN, "%s: %s", paths[i], strerror(errno));
        seen_t *seen = seen_new();
        in->total_bytes += seen ? tree_bytes(paths[i], seen) : 0;
        seen_free(seen);
    }
    return LEDE_OK;
}

void input_free(input_t *in) {
    for (size_t i = 0; i < in->n_names; i++) free(in->names[i]);
    free(in->names);
    in->names = NULL;
    in->n_names = 0;
    seen_free(in->seen);
    in->seen = NULL;
}

/* ---- JSON Lines ------------------------------------------------------- */

typedef struct {
    input_t *in;
    const input_sink_t *sink;
    const char *file;
    uint64_t line;
    linebuf_t lb;
} line_state_t;

static uint64_t next_seq(input_t *in) {
    return ++in->records;
}

static lede_status_t on_line(void *ctx, const char *s, size_t len, uint64_t bytes) {
    line_state_t *ls = ctx;
    (void)bytes;
    ls->line++;
    if (!s) {
        ls->sink->oversize(ls->sink->ctx, ls->file, ls->line, len);
        return LEDE_OK;
    }
    if (len > 0 && s[len - 1] == '\r') len--;
    if (linebuf_blank(s, len)) return LEDE_OK;
    record_t rec = {RECORD_JSON, ls->file, ls->line, next_seq(ls->in), NULL, len, NULL};
    rec.bytes = malloc(len + 1);
    if (!rec.bytes) return LEDE_E_NOMEM;
    memcpy(rec.bytes, s, len);
    rec.bytes[len] = '\0';
    return ls->sink->record(ls->sink->ctx, &rec);
}

/* zlib's message names the file itself ("PATH: unexpected end of file",
 * "<fd:3>: ..." for standard input); ours names it already. */
static const char *zlib_why(const char *msg, const char *path) {
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) return msg + n + 2;
    const char *end = strncmp(msg, "<fd:", 4) == 0 ? strstr(msg, ">: ") : NULL;
    return end ? end + 3 : msg;
}

static lede_status_t cannot_open(const char *path, bool in_dir, const input_sink_t *sink,
                                 lede_err_t *err);

static lede_status_t scan_jsonl(input_t *in, const char *path, bool in_dir,
                                const input_sink_t *sink, lede_err_t *err) {
    bool is_stdin = strcmp(path, "-") == 0;
    const char *file = intern(in, is_stdin ? "<stdin>" : path);
    if (!file) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    errno = 0;
    gzFile gz = is_stdin ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
    if (!gz) return cannot_open(path, in_dir, sink, err);
    gzbuffer(gz, READ_CHUNK_BYTES);
    line_state_t ls = {.in = in, .sink = sink, .file = file, .lb = {.max = in->max_record_bytes}};
    char *chunk = malloc(READ_CHUNK_BYTES);
    lede_status_t st = chunk ? LEDE_OK : LEDE_E_NOMEM;
    uint64_t start = in->read_bytes;
    int n;
    while (st == LEDE_OK && (n = gzread(gz, chunk, READ_CHUNK_BYTES)) > 0) {
        in->text_bytes += (uint64_t)n;
        st = linebuf_feed(&ls.lb, chunk, (size_t)n, on_line, &ls);
        in->read_bytes = start + (uint64_t)gzoffset(gz);
    }
    int zerr = Z_OK;
    const char *zmsg = gzerror(gz, &zerr);
    if (st == LEDE_OK && zerr != Z_OK && zerr != Z_STREAM_END)
        st = lede_errf(err, LEDE_E_IO, "%s: read error after line %llu: %s", file,
                       (unsigned long long)ls.line,
                       zerr == Z_ERRNO ? strerror(errno) : zlib_why(zmsg, path));
    if (st == LEDE_OK) st = linebuf_finish(&ls.lb, on_line, &ls); /* no final newline */
    gzclose(gz);
    free(chunk);
    linebuf_free(&ls.lb);
    in->files++;
    return st;
}

/* ---- pages: scraped text and HTML, plain or gzip ---------------------- */

typedef struct {
    const char *ext;
    record_kind_t kind;
} page_ext_t;

static const page_ext_t PAGE_EXTS[] = {
    {".txt", RECORD_TEXT},     {".txt.gz", RECORD_TEXT}, {".html", RECORD_HTML},
    {".html.gz", RECORD_HTML}, {".htm", RECORD_HTML},    {".htm.gz", RECORD_HTML},
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

/* A plain page of size bytes, read whole. */
static lede_status_t read_plain(int fd, size_t size, size_t max, record_t *rec, bool *over) {
    if (size > max) {
        *over = true;
        rec->len = size;
        return LEDE_OK;
    }
    if (!(rec->bytes = malloc(size + 1))) return LEDE_E_NOMEM;
    while (rec->len < size) {
        ssize_t n = read(fd, rec->bytes + rec->len, size - rec->len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* shorter than it was: what is there is the page */
        rec->len += (size_t)n;
    }
    rec->bytes[rec->len] = '\0';
    return LEDE_OK;
}

/* A gzip page, read in chunks up to the limit. */
static lede_status_t read_gzip(gzFile gz, size_t max, record_t *rec, bool *over,
                               char zmsg[ZMSG_BYTES]) {
    size_t cap = 0;
    int n, zerr = Z_OK;
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

/* Reads a whole page into rec->bytes, NUL-terminated: a plain file with
 * one read() of its size, a gzip file through zlib. A page over the limit
 * is not kept: *over is set and rec->len says how much was read before
 * stopping. zmsg receives why a gzip stream is broken, or "". */
static lede_status_t read_page(const char *path, size_t max, record_t *rec, bool *over,
                               char zmsg[ZMSG_BYTES]) {
    *over = false;
    zmsg[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd < 0) return LEDE_E_OPEN;
    unsigned char magic[2];
    struct stat st;
    bool gz = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (!gz && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        lede_status_t s = read_plain(fd, (size_t)st.st_size, max, rec, over);
        close(fd);
        return s;
    }
    gzFile z = gzdopen(fd, "rb");
    if (!z) {
        close(fd);
        return LEDE_E_NOMEM;
    }
    lede_status_t s = read_gzip(z, max, rec, over, zmsg);
    gzclose(z);
    return s;
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

static const char *base_name(const char *path);

lede_status_t input_read_page(const char *path, size_t max, record_t *rec, lede_err_t *err) {
    size_t stem;
    memset(rec, 0, sizeof *rec);
    rec->file = path;
    bool named = input_page_name(path, &rec->kind, &stem);
    bool over = false;
    char zmsg[ZMSG_BYTES];
    errno = 0;
    lede_status_t st = read_page(path, max, rec, &over, zmsg);
    if (st == LEDE_E_OPEN)
        return lede_errf(err, LEDE_E_OPEN, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    if (st == LEDE_OK && over)
        st = lede_errf(err, LEDE_E_INVALID, "%s: page over the limit of %zu bytes", path, max);
    if (st == LEDE_OK && zmsg[0])
        st = lede_errf(err, LEDE_E_IO, "%s: cannot read the page: %s", path, zmsg);
    if (st == LEDE_OK && !(rec->base_id = page_base_id(base_name(path)))) st = LEDE_E_NOMEM;
    if (st == LEDE_OK && !named)
        rec->kind = looks_like_html(rec->bytes, rec->len) ? RECORD_HTML : RECORD_TEXT;
    if (st != LEDE_OK) {
        free(rec->bytes);
        free(rec->base_id);
        memset(rec, 0, sizeof *rec);
    }
    return st;
}

static lede_status_t cannot_open(const char *path, bool in_dir, const input_sink_t *sink,
                                 lede_err_t *err);

static lede_status_t scan_page(input_t *in, const char *path, const char *rel, record_kind_t kind,
                               const struct stat *st, bool in_dir, const input_sink_t *sink,
                               lede_err_t *err) {
    const char *file = intern(in, path);
    if (!file) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    record_t rec = {kind, file, 0, 0, NULL, 0, page_base_id(rel)};
    bool over = false;
    char zmsg[ZMSG_BYTES] = "";
    errno = 0;
    lede_status_t s =
        rec.base_id ? read_page(path, in->max_record_bytes, &rec, &over, zmsg) : LEDE_E_NOMEM;
    if (s == LEDE_E_OPEN) {
        free(rec.base_id);
        return cannot_open(path, in_dir, sink, err);
    }
    in->files++;
    in->read_bytes += (uint64_t)st->st_size;
    if (s == LEDE_OK && over)
        sink->oversize(sink->ctx, file, 0, rec.len);
    else if (s == LEDE_OK && zmsg[0]) {
        char why[ZMSG_BYTES + 32];
        snprintf(why, sizeof why, "cannot read the page: %s", zmsg);
        sink->unreadable(sink->ctx, file, why);
    }
    if (s != LEDE_OK || over || zmsg[0]) {
        free(rec.bytes);
        free(rec.base_id);
        return s == LEDE_E_NOMEM ? lede_errf(err, s, "out of memory") : s;
    }
    rec.seq = next_seq(in);
    in->text_bytes += rec.len;
    return sink->record(sink->ctx, &rec);
}

/* ---- directories ------------------------------------------------------ */

/* A directory being walked, and those above it: a link that leads back to
 * one of them is a loop. */
typedef struct dir_frame {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct dir_frame *up;
} dir_frame_t;

/* A named input that cannot be opened stops the run; a file met in a
 * directory (unreadable, or gone since it was listed) is reported and
 * skipped, and the rest is read. */
static lede_status_t cannot_open(const char *path, bool in_dir, const input_sink_t *sink,
                                 lede_err_t *err) {
    const char *why = strerror(errno ? errno : ENOMEM);
    if (!in_dir) return lede_errf(err, LEDE_E_OPEN, "%s: %s", path, why);
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read: %s", why);
    sink->unreadable(sink->ctx, path, msg);
    return LEDE_OK;
}

/* A file or directory reached a second time, by another path. */
static lede_status_t skip_seen(const char *path, const struct stat *st, const char *first,
                               const dir_frame_t *up, const input_sink_t *sink) {
    char why[PATH_BYTES + 64];
    const dir_frame_t *loop = up;
    while (loop && !(loop->dev == st->st_dev && loop->ino == st->st_ino)) loop = loop->up;
    if (loop)
        snprintf(why, sizeof why, "a symbolic link loop back to %s", loop->path);
    else if (strcmp(first, path) == 0)
        snprintf(why, sizeof why, "already read");
    else
        snprintf(why, sizeof why, "the same %s as %s, already read",
                 S_ISDIR(st->st_mode) ? "directory" : "file", first);
    sink->skipped(sink->ctx, path, why);
    return LEDE_OK;
}

/* Entries of a directory: links after the rest, each in name order, so
 * that a file is read by its own path before any link to it. */
typedef struct entry {
    char *name;
    bool link;
} entry_t;

static int by_kind_and_name(const void *a, const void *b) {
    const entry_t *x = a, *y = b;
    if (x->link != y->link) return x->link ? 1 : -1;
    return strcmp(x->name, y->name);
}

bool input_is_input_name(const char *name) {
    record_kind_t kind;
    size_t stem;
    return input_page_name(name, &kind, &stem) || is_jsonl_name(name);
}

static lede_status_t scan_entry(input_t *in, const char *path, const char *rel,
                                const struct stat *st, const dir_frame_t *up,
                                const input_sink_t *sink, lede_err_t *err);

static lede_status_t list_dir(const char *path, const dir_frame_t *here, entry_t **out, size_t *n,
                              const input_sink_t *sink, lede_err_t *err) {
    DIR *d = opendir(path);
    *out = NULL;
    *n = 0;
    if (!d) return cannot_open(path, here->up != NULL, sink, err);
    struct dirent *e;
    struct stat ls;
    lede_status_t st = LEDE_OK;
    while (st == LEDE_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* hidden files and . .. */
        entry_t *grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (grown) *out = grown;
        if (!grown || !(grown[*n].name = strdup(e->d_name))) {
            st = lede_errf(err, LEDE_E_NOMEM, "out of memory");
            break;
        }
        /* fstatat: no path to build, whatever its length. */
        grown[(*n)++].link =
            fstatat(dirfd(d), e->d_name, &ls, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(ls.st_mode);
    }
    closedir(d);
    if (*n > 1) qsort(*out, *n, sizeof **out, by_kind_and_name); /* *out is NULL when *n is 0 */
    return st;
}

static lede_status_t scan_dir(input_t *in, const char *path, const char *rel,
                              const dir_frame_t *here, const input_sink_t *sink, lede_err_t *err) {
    entry_t *ents;
    size_t n;
    lede_status_t st = list_dir(path, here, &ents, &n, sink, err);
    /* Not on the stack: a walk is as deep as the tree. */
    char *child = malloc(2 * PATH_BYTES), *child_rel = child + PATH_BYTES;
    if (!child && st == LEDE_OK) st = lede_errf(err, LEDE_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n && st == LEDE_OK; i++) {
        const char *name = ents[i].name;
        struct stat s;
        if (snprintf(child, PATH_BYTES, "%s/%s", path, name) >= PATH_BYTES ||
            snprintf(child_rel, PATH_BYTES, "%s%s%s", rel, *rel ? "/" : "", name) >= PATH_BYTES) {
            sink->skipped(sink->ctx, path, "a path below it is too long");
            continue;
        }
        if (stat(child, &s) != 0) {
            /* Gone since it was listed, or a link to nothing. */
            if (input_is_input_name(name)) st = cannot_open(child, true, sink, err);
            continue;
        }
        if (S_ISDIR(s.st_mode) || input_is_input_name(name))
            st = scan_entry(in, child, child_rel, &s, here, sink, err);
    }
    for (size_t i = 0; i < n; i++) free(ents[i].name);
    free(ents);
    free(child);
    return st;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* path, which stat() says is st, reached from the directory up (NULL for a
 * path given on the command line). */
static lede_status_t scan_entry(input_t *in, const char *path, const char *rel,
                                const struct stat *st, const dir_frame_t *up,
                                const input_sink_t *sink, lede_err_t *err) {
    const char *first;
    if (seen_add(in->seen, st->st_dev, st->st_ino, path, &first) != LEDE_OK)
        return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    if (first) return skip_seen(path, st, first, up, sink);
    if (S_ISDIR(st->st_mode)) {
        dir_frame_t here = {st->st_dev, st->st_ino, path, up};
        return scan_dir(in, path, rel, &here, sink, err);
    }
    /* A FIFO or a device found in a directory could block or never end;
     * one named on the command line was meant. */
    if (up && !S_ISREG(st->st_mode)) {
        sink->skipped(sink->ctx, path, "not a regular file");
        return LEDE_OK;
    }
    record_kind_t kind;
    size_t stem;
    if (input_page_name(path, &kind, &stem))
        return scan_page(in, path, rel, kind, st, up != NULL, sink, err);
    if (sink->pages_only) return LEDE_OK;
    return scan_jsonl(in, path, up != NULL, sink, err);
}

lede_status_t input_scan_file(input_t *in, const char *path, const char *rel,
                              const input_sink_t *sink, lede_err_t *err) {
    struct stat s;
    record_kind_t kind;
    size_t stem;
    errno = 0;
    if (stat(path, &s) != 0) return cannot_open(path, true, sink, err);
    if (input_page_name(path, &kind, &stem))
        return scan_page(in, path, rel, kind, &s, true, sink, err);
    if (sink->pages_only) return LEDE_OK;
    return scan_jsonl(in, path, true, sink, err);
}

lede_status_t input_scan(input_t *in, char *const *paths, size_t n, const input_sink_t *sink,
                         lede_err_t *err) {
    if (!in->seen && !(in->seen = seen_new())) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; i < n && st == LEDE_OK; i++) {
        struct stat s;
        if (strcmp(paths[i], "-") == 0) {
            if (!sink->pages_only) st = scan_jsonl(in, paths[i], false, sink, err);
        } else if (stat(paths[i], &s) != 0) {
            st = lede_errf(err, LEDE_E_OPEN, "%s: %s", paths[i], strerror(errno));
        } else {
            const char *rel = S_ISDIR(s.st_mode) ? "" : base_name(paths[i]);
            st = scan_entry(in, paths[i], rel, &s, NULL, sink, err);
        }
    }
    return st;
}
