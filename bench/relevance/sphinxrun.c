/* lede-sphinxrun: runs the queries of a test collection through Sphinx's
 * searchd over SphinxQL and writes a TREC run file.
 *
 * Each query becomes a quorum of its words, "w1 w2 ... wn"/1: a document
 * matches when it has any one of them, which is Sphinx's any-word
 * matching in its extended syntax. Words are runs of ASCII letters and
 * digits (and bytes of UTF-8 sequences), lower-cased; everything else
 * separates words, as in Sphinx's default charset_table, so no query
 * operator or quote ever reaches Sphinx. The run file's docno is the
 * string attribute `docname` (the article id), its score Sphinx's
 * WEIGHT(). */
#include <ctype.h>
#include <getopt.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topics.h"

#define TOOL "lede-sphinxrun"
#define MAX_DEPTH 1000
#define DEFAULT_DEPTH 100
/* Longest query text accepted; a test collection's longest is far less. */
#define MAX_QUERY_BYTES 16384
/* Room for the SQL around the match expression. */
#define SQL_EXTRA_BYTES 512

static const char USAGE[] =
    "Usage: " TOOL " --port PORT --index NAME --queries FILE [options]\n"
    "\n"
    "Runs each query of FILE (qid<TAB>text per line) through Sphinx's searchd\n"
    "(SphinxQL) with any-word matching and writes a TREC run file.\n"
    "\n"
    "Options:\n"
    "  --host HOST        searchd's SphinxQL host (default 127.0.0.1)\n"
    "  --port PORT        its SphinxQL (mysql41) port\n"
    "  --index NAME       the index to search\n"
    "  --queries FILE     the queries, qid<TAB>text per line\n"
    "  --ranker NAME      a Sphinx ranker: bm25, proximity_bm25, sph04, ...\n"
    "                     (default proximity_bm25, Sphinx's own default)\n"
    "  --depth N          hits per query, 1 to 1000 (default 100)\n"
    "  --tag NAME         the run's name (default: sphinx-RANKER)\n"
    "  -o, --output FILE  write the run here (default: standard output)\n"
    "  -h, --help         show this help\n";

typedef struct options {
    const char *host, *index, *queries, *ranker, *tag, *output;
    unsigned port, depth;
} options_t;

enum { O_HOST = 256, O_PORT, O_INDEX, O_QUERIES, O_RANKER, O_DEPTH, O_TAG };

static bool parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out) {
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || v < lo || v > hi) return false;
    *out = (unsigned)v;
    return true;
}

/* Ranker and index names go into SQL unquoted: letters, digits, '_'. */
static bool is_identifier(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return false;
    return true;
}

static bool apply_option(int opt, const char *arg, options_t *o) {
    switch (opt) {
    case O_HOST:
        o->host = arg;
        return true;
    case O_PORT:
        return parse_uint(arg, 1, 65535, &o->port);
    case O_INDEX:
        o->index = arg;
        return is_identifier(arg);
    case O_QUERIES:
        o->queries = arg;
        return true;
    case O_RANKER:
        o->ranker = arg;
        return is_identifier(arg);
    case O_DEPTH:
        return parse_uint(arg, 1, MAX_DEPTH, &o->depth);
    case O_TAG:
        o->tag = arg;
        return true;
    case 'o':
        o->output = arg;
        return true;
    default:
        return false;
    }
}

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    static const struct option OPTIONS[] = {{"host", required_argument, NULL, O_HOST},
                                            {"port", required_argument, NULL, O_PORT},
                                            {"index", required_argument, NULL, O_INDEX},
                                            {"queries", required_argument, NULL, O_QUERIES},
                                            {"ranker", required_argument, NULL, O_RANKER},
                                            {"depth", required_argument, NULL, O_DEPTH},
                                            {"tag", required_argument, NULL, O_TAG},
                                            {"output", required_argument, NULL, 'o'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    *o = (options_t){.host = "127.0.0.1", .ranker = "proximity_bm25", .depth = DEFAULT_DEPTH};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:", OPTIONS, NULL)) != -1) {
        if (opt == 'h') return fputs(USAGE, stdout), 1;
        if (opt == ':' || opt == '?' || !apply_option(opt, optarg, o)) {
            fprintf(stderr, TOOL ": bad or missing value for %s (see --help)\n", argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc || !o->port || !o->index || !o->queries) {
        fprintf(stderr, TOOL ": --port, --index and --queries are required (see --help)\n");
        return 2;
    }
    return 0;
}

/* The quorum expression "w1 w2 ... wn"/1 of text into out (at least
 * 2 * strlen(text) + 8 bytes); false when text has no word. */
static bool any_word_expression(const char *text, char *out) {
    char *w = out;
    *w++ = '"';
    bool in_word = false, any = false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        bool word_byte = isalnum(*p) || *p >= 0x80;
        if (word_byte && !in_word && any) *w++ = ' ';
        if (word_byte) *w++ = (char)tolower(*p), any = true;
        in_word = word_byte;
    }
    strcpy(w, "\"/1");
    return any;
}

static char *build_sql(const options_t *o, const char *text) {
    size_t len = strlen(text);
    if (len > MAX_QUERY_BYTES) return NULL;
    char *expr = malloc(2 * len + 8), *sql = malloc(2 * len + SQL_EXTRA_BYTES);
    if (expr && sql && any_word_expression(text, expr))
        snprintf(sql, 2 * len + SQL_EXTRA_BYTES,
                 "SELECT docname, WEIGHT() AS w FROM %s WHERE MATCH('%s') "
                 "ORDER BY w DESC, id ASC LIMIT 0,%u OPTION ranker=%s, max_matches=%u",
                 o->index, expr, o->depth, o->ranker, o->depth);
    else
        free(sql), sql = NULL;
    free(expr);
    return sql;
}

typedef struct sphinxrun {
    const options_t *opt;
    MYSQL *db;
} sphinxrun_t;

static bool run_query(const char *qid, const char *text, FILE *out, void *ctx) {
    const sphinxrun_t *s = ctx;
    char *sql = build_sql(s->opt, text);
    if (!sql) {
        fprintf(stderr, TOOL ": query %s: no word to search, or too long\n", qid);
        return false;
    }
    bool ok = mysql_query(s->db, sql) == 0;
    free(sql);
    MYSQL_RES *res = ok ? mysql_store_result(s->db) : NULL;
    if (!res) {
        fprintf(stderr, TOOL ": query %s: %s\n", qid, mysql_error(s->db));
        return false;
    }
    MYSQL_ROW row;
    for (unsigned long rank = 1; (row = mysql_fetch_row(res)); rank++)
        fprintf(out, "%s Q0 %s %lu %s %s\n", qid, row[0] ? row[0] : "?", rank,
                row[1] ? row[1] : "0", s->opt->tag);
    mysql_free_result(res);
    return true;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    char tag[128];
    if (!o.tag) snprintf(tag, sizeof tag, "sphinx-%s", o.ranker), o.tag = tag;
    MYSQL *db = mysql_init(NULL);
    if (!db) return fprintf(stderr, TOOL ": out of memory\n"), 1;
    if (!mysql_real_connect(db, o.host, "", "", NULL, o.port, NULL, 0)) {
        fprintf(stderr, TOOL ": cannot connect to %s:%u: %s\n", o.host, o.port, mysql_error(db));
        mysql_close(db);
        return 1;
    }
    sphinxrun_t s = {&o, db};
    rc = topics_run(TOOL, o.queries, o.output, run_query, &s);
    mysql_close(db);
    mysql_library_end();
    return rc;
}
