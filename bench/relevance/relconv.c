/* lede-relconv: a JSON Lines corpus in the forms the relevance baselines
 * index.
 *
 *   --to sphinx-tsv   a Sphinx tsvpipe stream: "n<TAB>title<TAB>body<TAB>id"
 *                     per article, n counting from 1 (Sphinx wants a
 *                     positive integer id; the real id is a string
 *                     attribute). Tabs and line breaks become spaces:
 *                     tsvpipe has no quoting.
 *   --to flat-jsonl   {"id":...,"body":"TITLE\n\nBODY"} per article: one
 *                     text field, so that an index built from it weights
 *                     no field above another.
 *
 * Records are read and validated by lede's own article reader, so both
 * forms hold exactly the articles lede-indexer accepts; a rejected record
 * is reported as FILE:LINE: REASON, as lede-indexer reports it. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lede/article.h"

#define TOOL "lede-relconv"

static const char USAGE[] =
    "Usage: " TOOL " --to sphinx-tsv|flat-jsonl FILE...\n"
    "\n"
    "Writes the articles of JSON Lines files (.jsonl or .jsonl.gz) to standard\n"
    "output as a Sphinx tsvpipe stream (n, title, body, id) or as JSON Lines\n"
    "with the title folded into the body. Rejected records are reported as\n"
    "FILE:LINE: REASON and skipped; the exit status is then 1.\n";

typedef enum format { FORMAT_SPHINX_TSV, FORMAT_FLAT_JSONL } format_t;

typedef struct state {
    format_t format;
    unsigned long written;
    unsigned long rejected;
} state_t;

/* Writes s with tabs and line breaks as spaces. */
static void put_tsv_field(const char *s, FILE *out) {
    for (; s && *s; s++) fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void write_tsv(const lede_article_t *a, unsigned long n, FILE *out) {
    fprintf(out, "%lu\t", n);
    put_tsv_field(a->title, out);
    fputc('\t', out);
    put_tsv_field(a->body, out);
    fputc('\t', out);
    put_tsv_field(a->id, out);
    fputc('\n', out);
}

static bool write_flat(const lede_article_t *a, FILE *out) {
    const char *title = a->title ? a->title : "", *body = a->body ? a->body : "";
    size_t len = strlen(title) + strlen(body) + 3;
    char *text = malloc(len);
    if (!text) return false;
    snprintf(text, len, "%s%s%s", title, *title && *body ? "\n\n" : "", body);
    json_t *rec = json_pack("{ssss}", "id", a->id, "body", text);
    free(text);
    char *line = rec ? json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(rec);
    if (!line) return false;
    fprintf(out, "%s\n", line);
    free(line);
    return true;
}

/* Converts one record; a rejected one is reported and counted. */
static bool convert_line(state_t *s, const char *path, unsigned long lineno, const char *line,
                         size_t len) {
    lede_article_t a;
    lede_err_t why;
    if (article_from_json(line, len, &a, &why) != LEDE_OK) {
        fprintf(stderr, "%s:%lu: %s\n", path, lineno, why.msg);
        s->rejected++;
        return true;
    }
    bool ok = true;
    s->written++;
    if (s->format == FORMAT_SPHINX_TSV)
        write_tsv(&a, s->written, stdout);
    else
        ok = write_flat(&a, stdout);
    article_free(&a);
    return ok;
}

/* Reads whole lines of any length from a gzip or plain file. */
static char *gz_getline(gzFile f, char **buf, size_t *cap, size_t *len) {
    *len = 0;
    for (;;) {
        if (*cap - *len < 2) {
            size_t ncap = *cap ? *cap * 2 : 65536;
            char *nbuf = realloc(*buf, ncap);
            if (!nbuf) return NULL;
            *buf = nbuf, *cap = ncap;
        }
        if (!gzgets(f, *buf + *len, (int)(*cap - *len))) return *len ? *buf : NULL;
        *len += strlen(*buf + *len);
        if (*len && (*buf)[*len - 1] == '\n') return *buf;
    }
}

static bool convert_file(state_t *s, const char *path) {
    gzFile f = gzopen(path, "rb");
    if (!f) return fprintf(stderr, TOOL ": %s: cannot open\n", path), false;
    char *buf = NULL;
    size_t cap = 0, len;
    unsigned long lineno = 0;
    bool ok = true;
    while (ok && gz_getline(f, &buf, &cap, &len)) {
        lineno++;
        while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = '\0';
        if (len) ok = convert_line(s, path, lineno, buf, len);
    }
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END) {
        fprintf(stderr, TOOL ": %s: %s\n", path, msg);
        ok = false;
    }
    gzclose(f);
    free(buf);
    if (!ok && errnum == Z_OK) fprintf(stderr, TOOL ": out of memory\n");
    return ok;
}

static bool parse_format(const char *name, format_t *out) {
    if (strcmp(name, "sphinx-tsv") == 0) return *out = FORMAT_SPHINX_TSV, true;
    if (strcmp(name, "flat-jsonl") == 0) return *out = FORMAT_FLAT_JSONL, true;
    return false;
}

int main(int argc, char **argv) {
    static const struct option OPTIONS[] = {
        {"to", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    state_t s = {0};
    bool have_format = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", OPTIONS, NULL)) != -1) {
        if (opt == 'h') return fputs(USAGE, stdout), 0;
        if (opt != 't' || !parse_format(optarg, &s.format))
            return fprintf(stderr, TOOL ": bad arguments (see --help)\n"), 2;
        have_format = true;
    }
    if (!have_format || optind == argc)
        return fprintf(stderr, TOOL ": --to FORMAT and at least one FILE are needed\n"), 2;
    for (int i = optind; i < argc; i++)
        if (!convert_file(&s, argv[i])) return 2;
    if (fflush(stdout) != 0 || ferror(stdout))
        return fprintf(stderr, TOOL ": cannot write standard output\n"), 2;
    fprintf(stderr, TOOL ": %lu articles, %lu rejected\n", s.written, s.rejected);
    return s.rejected ? 1 : 0;
}
