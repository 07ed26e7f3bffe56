/* lede-indexer's options: one table, parsed with getopt_long. */
#include "options.h"

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lede/shim.h"
#include "shards.h"

#define DEFAULT_MAX_DOC_BYTES (4u * 1024 * 1024)
/* Documents per shard: small enough that Xapian's in-memory inverter stays
 * in cache (bench/RESULTS.md has the measurements behind this value). */
#define DEFAULT_SHARD_DOCS 2000
/* Changesets kept: each is a file in the generation's directory. */
#define CHANGESETS_MAX 100000
/* --watch: a new article is searchable within this many ms of its file. */
#define DEFAULT_COMMIT_MS 200
/* --watch: documents held in a transaction at most (Xapian keeps them in memory). */
#define DEFAULT_BATCH_DOCS 1000

static const char USAGE[] =
    "Usage: lede-indexer --db DIR [options] INPUT...\n"
    "       lede-indexer --db DIR --delete ID...\n"
    "       lede-indexer --explain [--json] [--db DIR] [PAGE...]\n"
    "       lede-indexer --db DIR --snapshot OUT\n"
    "       lede-indexer --db DIR --watch FOLDER | --follow FILE|- [options]\n"
    "\n"
    "Indexes news articles into the lede index at DIR (created if missing).\n"
    "INPUT is a JSON Lines file (.jsonl, or gzip-compressed .jsonl.gz), '-' for\n"
    "JSON Lines on standard input, a raw page (scraped text .txt, or HTML .html or\n"
    ".htm; each also .gz), or a directory, walked recursively for pages and\n"
    "*.jsonl[.gz]. Articles are upserted by id; a page's id is its path below the\n"
    "directory given, without extensions.\n"
    "\n"
    "Options:\n"
    "  --db DIR            the index directory (required)\n"
    "  --rebuild           build a fresh index from INPUT alone and swap it in\n"
    "                      atomically; searches see the old index until then\n"
    "  --allow-empty       let --rebuild replace a non-empty index with an empty\n"
    "                      one (refused by default: INPUT gave no documents)\n"
    "  --delete            remove the documents whose ids are given as arguments\n"
    "  --threads N         worker threads (default: the number of cores)\n"
    "  --language NAME     stemming language of a new index (default: english;\n"
    "                      e.g. french, german, spanish, none)\n"
    "  --no-spelling       do not record words for \"did you mean\" suggestions\n"
    "  --keep-text         store JSON records' text as given: wrapped lines not\n"
    "                      joined, \"By\" kept on bylines, no title made from the\n"
    "                      first sentence of an article without one\n"
    "  --max-doc-bytes N   reject records larger than N bytes (default 4194304)\n"
    "  --rejects FILE      write each rejected input line to FILE\n"
    "  --update MODE       auto (default), bulk (build and merge) or direct (write\n"
    "                      into the live index); auto picks direct for inputs under\n"
    "                      a twentieth of the index size\n"
    "  --shard-docs N      documents per build shard (default 2000)\n"
    "  --shards N          split the index into N shards by a hash of the id (with\n"
    "                      --rebuild, or for a new DIR); later runs find them\n"
    "  --changesets N      keep the last N changesets of each database, so that\n"
    "                      xapian-replicate copies direct updates incrementally\n"
    "  --watch FOLDER      keep running: index the pages and JSON Lines files that\n"
    "                      appear or change in FOLDER (and below it) once they are\n"
    "                      complete, committing in small batches; a restart\n"
    "                      indexes only what changed (the state is DIR/watch-state)\n"
    "  --follow FILE|-     keep running: index the lines appended to the JSON Lines\n"
    "                      FILE (followed across rotation by rename), or standard\n"
    "                      input until its end\n"
    "  --commit-ms N       with --watch/--follow: commit at most N ms after a\n"
    "                      change (default 200)\n"
    "  --batch-docs N      ... or once N documents wait (default 1000)\n"
    "  --delete-removed    with --watch: a file removed from FOLDER deletes its\n"
    "                      articles (and a replaced file those it no longer has)\n"
    "  --explain           show what is extracted from each PAGE and why, field by\n"
    "                      field and block by block, without changing any index;\n"
    "                      with --db, using the site furniture DIR learnt, and\n"
    "                      without PAGE, listing that furniture\n"
    "  --json              with --explain: one JSON object per page\n"
    "  --snapshot OUT      copy the index at --db DIR, as readers see it now, to\n"
    "                      the new directory OUT (a backup: serve or restore it\n"
    "                      with --db OUT); safe while DIR is served and updated\n"
    "  --progress          show the progress line even when stderr is not a terminal\n"
    "  --no-progress       never show it\n"
    "  -q, --quiet         print only errors, no summary\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "\n"
    "Each rejected record is reported as FILE:LINE: REASON and the valid ones\n"
    "around it are indexed. Exit status: 0 when everything was indexed, 1 when\n"
    "some records were rejected, 2 on an error (the index is then unchanged).\n";

enum {
    OPT_DB = 256,
    OPT_REBUILD,
    OPT_DELETE,
    OPT_THREADS,
    OPT_LANGUAGE,
    OPT_NO_SPELLING,
    OPT_MAX_DOC,
    OPT_REJECTS,
    OPT_UPDATE,
    OPT_SHARD_DOCS,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_VERSION,
    OPT_EXPLAIN,
    OPT_JSON,
    OPT_ALLOW_EMPTY,
    OPT_KEEP_TEXT,
    OPT_SNAPSHOT,
    OPT_SHARDS,
    OPT_CHANGESETS,
    OPT_WATCH,
    OPT_FOLLOW,
    OPT_COMMIT_MS,
    OPT_BATCH_DOCS,
    OPT_DELETE_REMOVED
};

static const struct option LONG_OPTS[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY},
    {"delete", no_argument, NULL, OPT_DELETE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"language", required_argument, NULL, OPT_LANGUAGE},
    {"no-spelling", no_argument, NULL, OPT_NO_SPELLING},
    {"keep-text", no_argument, NULL, OPT_KEEP_TEXT},
    {"max-doc-bytes", required_argument, NULL, OPT_MAX_DOC},
    {"rejects", required_argument, NULL, OPT_REJECTS},
    {"update", required_argument, NULL, OPT_UPDATE},
    {"shard-docs", required_argument, NULL, OPT_SHARD_DOCS},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"json", no_argument, NULL, OPT_JSON},
    {"snapshot", required_argument, NULL, OPT_SNAPSHOT},
    {"shards", required_argument, NULL, OPT_SHARDS},
    {"changesets", required_argument, NULL, OPT_CHANGESETS},
    {"watch", required_argument, NULL, OPT_WATCH},
    {"follow", required_argument, NULL, OPT_FOLLOW},
    {"commit-ms", required_argument, NULL, OPT_COMMIT_MS},
    {"batch-docs", required_argument, NULL, OPT_BATCH_DOCS},
    {"delete-removed", no_argument, NULL, OPT_DELETE_REMOVED},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lede-indexer: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'lede-indexer --help'.\n");
    va_end(ap);
    return -1;
}

/* A whole number in [min, max], or false. */
static bool parse_count(const char *s, unsigned long long min, unsigned long long max,
                        unsigned long long *out) {
    char *end;
    errno = 0;
    if (!s || *s == '-' || *s == '\0') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max) return false;
    *out = v;
    return true;
}

static void set_defaults(indexer_opts_t *o) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    memset(o, 0, sizeof *o);
    o->threads = cores > 0 ? (unsigned)cores : 1;
    o->spelling = true;
    o->max_doc_bytes = DEFAULT_MAX_DOC_BYTES;
    o->shard_docs = DEFAULT_SHARD_DOCS;
    o->progress = -1;
    o->commit_ms = DEFAULT_COMMIT_MS;
    o->batch_docs = DEFAULT_BATCH_DOCS;
}

static int parse_mode(const char *s, update_mode_t *mode) {
    if (strcmp(s, "auto") == 0)
        *mode = UPDATE_AUTO;
    else if (strcmp(s, "bulk") == 0)
        *mode = UPDATE_BULK;
    else if (strcmp(s, "direct") == 0)
        *mode = UPDATE_DIRECT;
    else
        return usage_error("--update must be auto, bulk or direct, not '%s'", s);
    return 0;
}

/* What an option sets: a flag to true or false, a string, or a count in
 * a range (of the field's type: unsigned, uint32_t or size_t). */
typedef enum { SET_TRUE, SET_FALSE, SET_TEXT, SET_UINT, SET_U32, SET_SIZE } set_kind_t;

typedef struct {
    int c;
    set_kind_t kind;
    size_t offset;
    unsigned long long min, max;
    const char *name; /* for the error */
} setting_t;

#define FIELD(f) offsetof(indexer_opts_t, f)
static const setting_t SETTINGS[] = {
    {OPT_DB, SET_TEXT, FIELD(db), 0, 0, NULL},
    {OPT_REBUILD, SET_TRUE, FIELD(rebuild), 0, 0, NULL},
    {OPT_ALLOW_EMPTY, SET_TRUE, FIELD(allow_empty), 0, 0, NULL},
    {OPT_DELETE, SET_TRUE, FIELD(delete_ids), 0, 0, NULL},
    {OPT_THREADS, SET_UINT, FIELD(threads), 1, 256, "--threads"},
    {OPT_LANGUAGE, SET_TEXT, FIELD(language), 0, 0, NULL},
    {OPT_NO_SPELLING, SET_FALSE, FIELD(spelling), 0, 0, NULL},
    {OPT_KEEP_TEXT, SET_TRUE, FIELD(keep_text), 0, 0, NULL},
    {OPT_MAX_DOC, SET_SIZE, FIELD(max_doc_bytes), 64, 1ull << 31, "--max-doc-bytes"},
    {OPT_REJECTS, SET_TEXT, FIELD(rejects), 0, 0, NULL},
    {OPT_SHARD_DOCS, SET_U32, FIELD(shard_docs), 1, 10000000, "--shard-docs"},
    {'q', SET_TRUE, FIELD(quiet), 0, 0, NULL},
    {OPT_EXPLAIN, SET_TRUE, FIELD(explain), 0, 0, NULL},
    {OPT_JSON, SET_TRUE, FIELD(json), 0, 0, NULL},
    {OPT_SNAPSHOT, SET_TEXT, FIELD(snapshot), 0, 0, NULL},
    {OPT_SHARDS, SET_UINT, FIELD(shards), 1, SHARDS_MAX, "--shards"},
    {OPT_WATCH, SET_TEXT, FIELD(watch), 0, 0, NULL},
    {OPT_FOLLOW, SET_TEXT, FIELD(follow), 0, 0, NULL},
    {OPT_COMMIT_MS, SET_UINT, FIELD(commit_ms), 1, 3600000, "--commit-ms"},
    {OPT_BATCH_DOCS, SET_UINT, FIELD(batch_docs), 1, 1000000, "--batch-docs"},
    {OPT_DELETE_REMOVED, SET_TRUE, FIELD(delete_removed), 0, 0, NULL},
    {OPT_CHANGESETS, SET_UINT, FIELD(changesets), 1, CHANGESETS_MAX, "--changesets"},
};

/* Sets what setting t says from arg; 0, or -1 after a usage error. */
static int set(const setting_t *t, const char *arg, indexer_opts_t *o) {
    char *field = (char *)o + t->offset;
    unsigned long long v = 0;
    if (t->kind == SET_TRUE || t->kind == SET_FALSE) return *(bool *)field = t->kind == SET_TRUE, 0;
    if (t->kind == SET_TEXT) return *(const char **)field = arg, 0;
    if (!parse_count(arg, t->min, t->max, &v))
        return usage_error("%s takes %llu to %llu, not '%s'", t->name, t->min, t->max, arg);
    if (t->kind == SET_UINT) *(unsigned *)field = (unsigned)v;
    if (t->kind == SET_U32) *(uint32_t *)field = (uint32_t)v;
    if (t->kind == SET_SIZE) *(size_t *)field = (size_t)v;
    return 0;
}

static int apply(int c, const char *arg, indexer_opts_t *o) {
    for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++)
        if (SETTINGS[i].c == c) return set(&SETTINGS[i], arg, o);
    switch (c) {
    case OPT_UPDATE:
        return parse_mode(arg, &o->mode);
    case OPT_PROGRESS:
        return o->progress = 1, 0;
    case OPT_NO_PROGRESS:
        return o->progress = 0, 0;
    }
    return usage_error("%s", "unknown option");
}

/* --watch and --follow: a long run of direct updates, INPUT-less. */
static int check_live(const indexer_opts_t *o) {
    if (o->n_args || o->delete_ids || o->rebuild)
        return usage_error("%s", "--watch and --follow take no INPUT, --delete or --rebuild");
    if (o->mode == UPDATE_BULK) return usage_error("%s", "--watch and --follow update directly");
    if (o->delete_removed && !o->watch)
        return usage_error("%s", "--delete-removed goes with --watch");
    return 0;
}

static int check_combination(const indexer_opts_t *o) {
    if (o->json && !o->explain) return usage_error("%s", "--json goes with --explain");
    if ((o->explain || o->snapshot) && (o->watch || o->follow))
        return usage_error("%s", "--watch and --follow are for indexing runs");
    if ((o->explain || o->snapshot) && (o->shards || o->changesets))
        return usage_error("%s", "--shards and --changesets are for indexing runs");
    if (o->explain) {
        if (o->delete_ids || o->rebuild)
            return usage_error("%s",
                               "--explain shows pages; it does not mix with --delete or --rebuild");
        if (o->n_args || o->db) return 0;
        return usage_error("%s", "--explain needs a PAGE, or --db DIR to list what DIR learnt");
    }
    if (!o->db) return usage_error("%s", "--db DIR is required");
    if (o->snapshot) {
        if (o->n_args || o->delete_ids || o->rebuild)
            return usage_error(
                "%s", "--snapshot OUT copies --db DIR; it takes no INPUT, --delete or --rebuild");
        return 0;
    }
    if (o->watch || o->follow) return check_live(o);
    if (o->delete_removed) return usage_error("%s", "--delete-removed goes with --watch");
    if (o->delete_ids && o->rebuild) return usage_error("%s", "--delete and --rebuild do not mix");
    if (o->n_args == 0)
        return usage_error("%s",
                           o->delete_ids ? "--delete needs at least one ID" : "no INPUT given");
    if (o->allow_empty && !o->rebuild)
        return usage_error("%s", "--allow-empty only applies to --rebuild");
    if (o->rebuild && o->mode == UPDATE_DIRECT)
        return usage_error("%s", "--rebuild always builds; --update direct does not apply");
    return 0;
}

int options_parse(int argc, char **argv, indexer_opts_t *o) {
    int c;
    set_defaults(o);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", LONG_OPTS, NULL)) != -1) {
        if (c == 'h') {
            fputs(USAGE, stdout);
            return 1;
        }
        if (c == OPT_VERSION) {
            printf("lede-indexer %s (Xapian %s)\n", LEDE_VERSION, shim_xapian_version());
            return 1;
        }
        if (c == '?') return usage_error("unknown option '%s'", argv[optind - 1]);
        if (c == ':') return usage_error("option '%s' needs a value", argv[optind - 1]);
        if (apply(c, optarg, o) != 0) return -1;
    }
    o->args = argv + optind;
    o->n_args = (size_t)(argc - optind);
    return check_combination(o);
}
