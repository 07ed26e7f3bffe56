/* lede-indexer's options: one table, parsed with getopt_long. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
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
#define SHARDS_MAX_TEXT "1024" /* SHARDS_MAX, for the messages */
/* Changesets kept: each is a file in the generation's directory. */
#define CHANGESETS_MAX 100000
#define CHANGESETS_MAX_TEXT "100000"
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

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "lede-indexer: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'lede-indexer --help'.\n");
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

static int apply(int c, const char *arg, indexer_opts_t *o) {
    unsigned long long v;
    switch (c) {
    case OPT_DB:
        o->db = arg;
        return 0;
    case OPT_REBUILD:
        o->rebuild = true;
        return 0;
    case OPT_ALLOW_EMPTY:
        o->allow_empty = true;
        return 0;
    case OPT_DELETE:
        o->delete_ids = true;
        return 0;
    case OPT_THREADS:
        if (!parse_count(arg, 1, 256, &v))
            return usage_error("--threads takes 1 to 256, not '%s'", arg);
        o->threads = (unsigned)v;
        return 0;
    case OPT_LANGUAGE:
        o->language = arg;
        return 0;
    case OPT_NO_SPELLING:
        o->spelling = false;
        return 0;
    case OPT_KEEP_TEXT:
        o->keep_text = true;
        return 0;
    case OPT_MAX_DOC:
        if (!parse_count(arg, 64, 1ull << 31, &v))
            return usage_error("--max-doc-bytes takes 64 to 2147483648, not '%s'", arg);
        o->max_doc_bytes = (size_t)v;
        return 0;
    case OPT_REJECTS:
        o->rejects = arg;
        return 0;
    case OPT_UPDATE:
        return parse_mode(arg, &o->mode);
    case OPT_SHARD_DOCS:
        if (!parse_count(arg, 1, 10000000, &v))
            return usage_error("--shard-docs takes 1 to 10000000, not '%s'", arg);
        o->shard_docs = (uint32_t)v;
        return 0;
    case OPT_PROGRESS:
        o->progress = 1;
        return 0;
    case OPT_NO_PROGRESS:
        o->progress = 0;
        return 0;
    case 'q':
        o->quiet = true;
        return 0;
    case OPT_EXPLAIN:
        o->explain = true;
        return 0;
    case OPT_JSON:
        o->json = true;
        return 0;
    case OPT_SNAPSHOT:
        o->snapshot = arg;
        return 0;
    case OPT_SHARDS:
        if (!parse_count(arg, 1, SHARDS_MAX, &v))
            return usage_error("--shards takes 1 to " SHARDS_MAX_TEXT ", not '%s'", arg);
        o->shards = (unsigned)v;
        return 0;
    case OPT_WATCH:
        o->watch = arg;
        return 0;
    case OPT_FOLLOW:
        o->follow = arg;
        return 0;
    case OPT_COMMIT_MS:
        if (!parse_count(arg, 1, 3600000, &v))
            return usage_error("--commit-ms takes 1 to 3600000, not '%s'", arg);
        o->commit_ms = (unsigned)v;
        return 0;
    case OPT_BATCH_DOCS:
        if (!parse_count(arg, 1, 1000000, &v))
            return usage_error("--batch-docs takes 1 to 1000000, not '%s'", arg);
        o->batch_docs = (unsigned)v;
        return 0;
    case OPT_DELETE_REMOVED:
        o->delete_removed = true;
        return 0;
    case OPT_CHANGESETS:
        if (!parse_count(arg, 1, CHANGESETS_MAX, &v))
            return usage_error("--changesets takes 1 to " CHANGESETS_MAX_TEXT ", not '%s'", arg);
        o->changesets = (unsigned)v;
        return 0;
    }
    return usage_error("%s", "unknown option");
}

/* --watch and --follow: a long run of direct updates, INPUT-less. */
static int check_live(const indexer_opts_t *o) {
    if (o->n_args || o->delete_ids || o->rebuild)
        return usage_error("%s", "--watch and --follow take no INPUT, --delete or --rebuild");
    if (o->mode == UPDATE_BULK) return usage_error("%s", "--watch and --follow update directly");
    if (o->shards) return usage_error("%s", "--watch and --follow update unsharded indexes");
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
