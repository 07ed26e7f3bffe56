/* lede-trecrun: runs the queries of a test collection through lede and
 * writes a TREC run file.
 *
 * Each query goes through search_execute(), the code path of lede-searchd
 * and `lede --db`, with any-word matching ("match":"any" in the
 * protocol): long natural-language queries would rarely match every word.
 * The run file has one line per hit: "qid Q0 id rank score tag", where id
 * is the article's id and score lede's relevance weight. */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/search.h"
#include "lede/shim.h"
#include "topics.h"
#include "usage.h"

#define TOOL "lede-trecrun"
/* Hits per query at most: trec_eval's usual depth. */
#define MAX_DEPTH 1000
#define DEFAULT_DEPTH 100

static const char USAGE[] =
    "Usage: " TOOL " --db DIR --queries FILE [options]\n"
    "\n"
    "Runs each query of FILE (one \"qid<TAB>query text\" per line) through lede's\n"
    "search in this process and writes a TREC run file (qid Q0 id rank score tag).\n"
    "\n"
    "Options:\n"
    "  --db DIR           the index (built by lede-indexer)\n"
    "  --queries FILE     the queries, qid<TAB>text per line\n"
    "  --ranking NAME     default (lede's ranking) or xapian-bm25 (Xapian's\n"
    "                     BM25Weight with its default parameters, no stopwords)\n"
    "  --match any|all|auto\n"
    "                     any word (the default here), every word, or the\n"
    "                     protocol's default: every word, any (every word\n"
    "                     first) when fewer than --relax-below match\n"
    "  --relax-below N    with --match auto, 1 to 1000 (default 10; 1: only\n"
    "                     when none match)\n"
    "  --depth N          hits per query, 1 to 1000 (default 100)\n"
    "  --title-case       capitalise the first letter of every word of the\n"
    "                     queries, as a reader typing names might\n"
    "  --tag NAME         the run's name in the last column (default: the ranking)\n"
    "  -o, --output FILE  write the run here (default: standard output)\n"
    "  -h, --help         show this help\n";

typedef struct options {
    const char *db, *queries, *tag, *output;
    shim_ranking_t ranking;
    shim_match_t match;
    bool relax;
    unsigned relax_below;
    bool title_case;
    unsigned depth;
} options_t;

static const char *const RANKING_NAMES[] = {"default", "xapian-bm25"};

enum { O_DB = 256, O_QUERIES, O_RANKING, O_MATCH, O_RELAX_BELOW, O_TITLE_CASE, O_DEPTH, O_TAG };

static const struct option OPTIONS[] = {
    {"db", required_argument, NULL, O_DB},
    {"queries", required_argument, NULL, O_QUERIES},
    {"ranking", required_argument, NULL, O_RANKING},
    {"match", required_argument, NULL, O_MATCH},
    {"relax-below", required_argument, NULL, O_RELAX_BELOW},
    {"depth", required_argument, NULL, O_DEPTH},
    {"tag", required_argument, NULL, O_TAG},
    {"title-case", no_argument, NULL, O_TITLE_CASE},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool parse_ranking(const char *s, shim_ranking_t *out) {
    for (size_t i = 0; i < sizeof RANKING_NAMES / sizeof RANKING_NAMES[0]; i++)
        if (strcmp(s, RANKING_NAMES[i]) == 0) return *out = (shim_ranking_t)i, true;
    return false;
}

/* "auto" is the protocol's default: all words, any when none match. */
static bool parse_match(const char *s, shim_match_t *out, bool *relax) {
    *relax = strcmp(s, "auto") == 0;
    if (strcmp(s, "any") == 0) return *out = SHIM_MATCH_ANY, true;
    if (strcmp(s, "all") == 0 || *relax) return *out = SHIM_MATCH_ALL, true;
    return false;
}

/* A whole number from 1 to max. */
static bool parse_count(const char *s, unsigned max, unsigned *out) {
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || v < 1 || v > max) return false;
    *out = (unsigned)v;
    return true;
}

/* Applies one option; false when its value is bad. */
static bool apply_option(int opt, const char *arg, options_t *o) {
    switch (opt) {
    case O_DB:
        o->db = arg;
        return true;
    case O_QUERIES:
        o->queries = arg;
        return true;
    case O_RANKING:
        return parse_ranking(arg, &o->ranking);
    case O_MATCH:
        return parse_match(arg, &o->match, &o->relax);
    case O_RELAX_BELOW:
        return parse_count(arg, SHIM_RELAXED_FIRST_MAX, &o->relax_below);
    case O_DEPTH:
        return parse_count(arg, MAX_DEPTH, &o->depth);
    case O_TITLE_CASE:
        o->title_case = true;
        return true;
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
    *o = (options_t){.match = SHIM_MATCH_ANY, .depth = DEFAULT_DEPTH};
    int opt, which = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:", OPTIONS, &which)) != -1) {
        if (opt == 'h' || opt == ':' || opt == '?')
            return bench_getopt_other(TOOL, opt, argv, USAGE);
        if (!apply_option(opt, optarg, o)) {
            fprintf(stderr, TOOL ": bad value '%s' for %s (see --help)\n", optarg,
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) return bench_usage_error(TOOL, "unexpected argument ", argv[optind]);
    if (!o->db || !o->queries)
        return bench_usage_error(TOOL, "--db DIR and --queries FILE are required", NULL);
    if (!o->tag) o->tag = RANKING_NAMES[o->ranking];
    return 0;
}

/* Writes the hits of one reply as run lines. */
static bool write_hits(FILE *out, const char *qid, json_t *reply, const char *tag) {
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(reply, "hits"), i, hit) {
        const char *id = json_string_value(json_object_get(hit, "id"));
        double score = json_number_value(json_object_get(hit, "score"));
        if (!id) return false;
        fprintf(out, "%s Q0 %s %zu %.9f %s\n", qid, id, i + 1, score, tag);
    }
    return true;
}

typedef struct trecrun {
    const options_t *opt;
    shim_db_t *db;
} trecrun_t;

/* "Oil Prices" from "oil prices", "Heat-Transfer" from "heat-transfer":
 * each ASCII letter after a character that is not a letter or a digit
 * capitalised, in place. */
static void title_case(char *s) {
    for (char *p = s; *p; p++)
        if ((p == s || !isalnum((unsigned char)p[-1])) && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
}

/* Searches one query and writes its hits; false after printing why. */
static bool run_query(const char *qid, const char *text, FILE *out, void *ctx) {
    const trecrun_t *t = ctx;
    const options_t *o = t->opt;
    char *cased = o->title_case ? strdup(text) : NULL;
    if (cased) title_case(cased), text = cased;
    search_params_t p = {.q = text,
                         .match = o->match,
                         .relax = o->relax,
                         .relax_below = o->relax_below,
                         .limit = o->depth,
                         .ranking = o->ranking};
    json_t *reply = json_object();
    lede_status_t st = reply ? search_execute(t->db, &p, reply) : LEDE_E_NOMEM;
    bool ok = st == LEDE_OK && write_hits(out, qid, reply, o->tag);
    if (!ok)
        fprintf(stderr, TOOL ": query %s: %s: %s\n", qid, lede_status_to_string(st),
                st == LEDE_OK ? "a hit without an id" : shim_db_errmsg(t->db));
    json_decref(reply);
    free(cased);
    return ok;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    shim_db_t *db;
    char *msg = NULL;
    if (shim_db_open(o.db, &db, &msg) != LEDE_OK) {
        fprintf(stderr, TOOL ": cannot open the index at %s: %s\n", o.db,
                msg ? msg : "out of memory");
        free(msg);
        return 1;
    }
    trecrun_t t = {&o, db};
    rc = topics_run(TOOL, o.queries, o.output, run_query, &t);
    shim_db_close(db);
    return rc;
}
