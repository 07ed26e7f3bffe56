/* lede-sphinxconv: the corpus lede-indexer reads, as a tsvpipe for Sphinx.
 *
 * Reads JSON Lines articles (gzip or plain, one or more files) with lede's
 * own reader and validation (article_from_json), so that Sphinx gets exactly
 * the articles lede-indexer accepts, with the same date normalisation. Each
 * accepted article becomes one line of tab-separated values, in the column
 * order of bench/sphinx/sphinx.conf.in:
 *
 *   docid  title  body  date  source  category  aid
 *
 * docid counts from 1 (Sphinx needs positive integer ids), date is a Unix
 * timestamp in UTC (0 when the article has none), aid is the article's own
 * id. Sphinx's tsvpipe has no escapes, so tabs, line ends and other control
 * characters in a value become spaces. A rejected record is reported on
 * standard error with its file and line, like lede-indexer does, and the
 * exit status is then 1 (2 for a hard failure). */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "lede/article.h"

#define TOOL "lede-sphinxconv"
/* Bytes asked of zlib per read; a longer line takes several. */
#define READ_CHUNK_BYTES 65536
/* Rejected records named on standard error; the rest are only counted. */
#define REJECTS_SHOWN 10

static const char USAGE[] =
    "Usage: " TOOL " [-o FILE] ARTICLES.jsonl[.gz]...\n"
    "\n"
    "Writes the articles as Sphinx tsvpipe rows: docid, title, body, date\n"
    "(Unix time), source, category, article id. Records lede-indexer would\n"
    "reject are skipped and counted.\n"
    "\n"
    "Options:\n"
    "  -o, --out FILE   write here instead of standard output\n"
    "  -h, --help       show this help\n";

typedef struct counts {
    uint64_t written, rejected;
} counts_t;

typedef enum read_result { READ_LINE, READ_END, READ_NOMEM } read_result_t;

/* Reads one whole line of any length into *buf. READ_END at the end of the
 * file and on a read error (told apart by gzerror). */
static read_result_t read_line(gzFile f, char **buf, size_t *cap, size_t *len) {
    *len = 0;
    for (;;) {
        if (*cap - *len < READ_CHUNK_BYTES) {
            char *grown = realloc(*buf, *cap + 2 * READ_CHUNK_BYTES);
            if (!grown) return READ_NOMEM;
            *buf = grown, *cap += 2 * READ_CHUNK_BYTES;
        }
        if (!gzgets(f, *buf + *len, (int)(*cap - *len))) return *len ? READ_LINE : READ_END;
        *len += strlen(*buf + *len);
        if (*len && (*buf)[*len - 1] == '\n') return READ_LINE;
    }
}

/* Writes s with every byte below 0x20 (tab, line ends) as a space. */
static void put_value(FILE *out, const char *s) {
    if (!s) return;
    for (const char *p = s;; p++) {
        size_t run = strcspn(p, "\t\n\r\v\f\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11"
                                "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
        fwrite(p, 1, run, out);
        p += run;
        if (!*p) return;
        putc(' ', out);
    }
}

/* "YYYYMMDDhhmmss" (UTC) to Unix time; 0 when absent or before 1970. */
static long long key_to_unix(const char *key) {
    struct tm tm = {0};
    if (strlen(key) != 14 || sscanf(key, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    return t > 0 ? (long long)t : 0;
}

static void write_row(FILE *out, uint64_t docid, const lede_article_t *a) {
    fprintf(out, "%llu\t", (unsigned long long)docid);
    put_value(out, a->title);
    putc('\t', out);
    put_value(out, a->body);
    fprintf(out, "\t%lld\t", key_to_unix(a->date_key));
    put_value(out, a->source);
    putc('\t', out);
    put_value(out, a->category);
    putc('\t', out);
    put_value(out, a->id);
    putc('\n', out);
}

/* One record: a row, or a rejection. false only when out of memory. */
static bool convert_record(const char *path, uint64_t line_no, const char *line, size_t len,
                           FILE *out, counts_t *c) {
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    /* Blank lines (white space only) are skipped, as lede-indexer does. */
    size_t blank = 0;
    while (blank < len && (line[blank] == ' ' || line[blank] == '\t' || line[blank] == '\r'))
        blank++;
    if (blank == len) return true;
    lede_err_t why;
    lede_article_t a;
    lede_status_t st = article_from_json(line, len, &a, &why);
    if (st == LEDE_E_NOMEM) return false;
    if (st != LEDE_OK) {
        if (c->rejected++ < REJECTS_SHOWN)
            fprintf(stderr, TOOL ": %s:%llu: rejected: %s\n", path, (unsigned long long)line_no,
                    why.msg);
        return true;
    }
    write_row(out, ++c->written, &a);
    article_free(&a);
    return true;
}

/* Converts one input file; false with a message on a hard failure. */
static bool convert_file(const char *path, FILE *out, counts_t *c) {
    gzFile f = gzopen(path, "rb");
    if (!f) return fprintf(stderr, TOOL ": cannot open %s\n", path), false;
    gzbuffer(f, READ_CHUNK_BYTES);
    char *buf = NULL;
    size_t cap = 0, len = 0;
    uint64_t line_no = 0;
    read_result_t got = READ_END;
    bool ok = true;
    while (ok && (got = read_line(f, &buf, &cap, &len)) == READ_LINE)
        ok = convert_record(path, ++line_no, buf, len, out, c);
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    if (!ok || got == READ_NOMEM)
        ok = false, fprintf(stderr, TOOL ": %s: out of memory\n", path);
    else if (errnum != Z_OK && errnum != Z_BUF_ERROR)
        ok = false, fprintf(stderr, TOOL ": %s: read error: %s\n", path, msg);
    free(buf);
    gzclose(f);
    return ok;
}

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, const char **out_path) {
    static const struct option OPTIONS[] = {
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:h", OPTIONS, NULL)) != -1) {
        if (opt == 'o') {
            *out_path = optarg;
        } else if (opt == 'h') {
            fputs(USAGE, stdout);
            return 1;
        } else {
            fprintf(stderr, TOOL ": %s %s (see --help)\n",
                    opt == ':' ? "missing value for" : "unknown option", argv[optind - 1]);
            return 2;
        }
    }
    if (optind == argc) return fprintf(stderr, TOOL ": no input file (see --help)\n"), 2;
    return 0;
}

int main(int argc, char **argv) {
    const char *out_path = NULL;
    int rc = parse_options(argc, argv, &out_path);
    if (rc) return rc == 1 ? 0 : 2;
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) return fprintf(stderr, TOOL ": cannot write %s\n", out_path), 2;
    counts_t c = {0, 0};
    bool ok = true;
    for (int i = optind; ok && i < argc; i++) ok = convert_file(argv[i], out, &c);
    if (fflush(out) != 0 || ferror(out))
        ok = false, fprintf(stderr, TOOL ": write error on %s\n", out_path ? out_path : "stdout");
    if (out != stdout && fclose(out) != 0) ok = false;
    if (!ok) return 2;
    fprintf(stderr, TOOL ": wrote %llu, rejected %llu\n", (unsigned long long)c.written,
            (unsigned long long)c.rejected);
    return c.rejected ? 1 : 0;
}
