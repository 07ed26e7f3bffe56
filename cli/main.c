/* lede: search news from the command line.
 *
 * This first version searches an index directly (--db DIR). Talking to a
 * running lede-searchd comes with the daemon. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lede/search.h"
#include "lede/shim.h"
#include "render.h"

/* Exit statuses: hits, no hits, an error. */
#define EXIT_HITS 0
#define EXIT_NONE 1
#define EXIT_ERROR 2

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000
#define MAX_VALUES 64 /* values per repeated filter option */

static const char USAGE[] =
    "Usage: lede COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  search QUERY...   ranked search (lede search --help for its options)\n"
    "  get ID            show one stored article\n"
    "\n"
    "Common options:\n"
    "  --db DIR          search the index at DIR directly\n"
    "  --json            print the raw JSON reply, for scripts and jq\n"
    "  -h, --help        show help\n"
    "\n"
    "Exit status: 0 with hits, 1 with none, 2 on an error.\n";

static const char SEARCH_USAGE[] =
    "Usage: lede search --db DIR [options] QUERY...\n"
    "\n"
    "QUERY uses the query language: words (all must match), \"exact phrases\",\n"
    "OR, NOT, -word, +word, NEAR, word*, title:, author:, source:, category:,\n"
    "tag:, place: and date:2022-01-01..2022-12-31.\n"
    "\n"
    "Options:\n"
    "  --db DIR             the index to search\n"
    "  --limit N            hits per page (default 10, at most 1000)\n"
    "  --offset N           hits to skip (for paging)\n"
    "  --source NAME        only articles from this source (repeatable)\n"
    "  --category NAME      only this category (repeatable)\n"
    "  --tag NAME           only articles with this tag (repeatable)\n"
    "  --from DATE          only articles on or after DATE (YYYY[-MM[-DD]])\n"
    "  --to DATE            only articles on or before DATE\n"
    "  --sort ORDER         relevance (default), date (newest first), -date\n"
    "  --any                rank articles matching any word, not only all\n"
    "  --facets LIST        count hits by source,category,tag,place,author,year\n"
    "  --json               print the raw JSON reply\n";

typedef struct cli {
    const char *db;
    bool json;
    search_params_t p;
    const char *values[SEARCH_F_COUNT][MAX_VALUES];
    const char *facets[8];
    char *query;
} cli_t;

static int fail(const char *fmt, const char *arg) {
    fprintf(stderr, "lede: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_ERROR;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *s == '-' || !*s || *end || v > max) return false;
    *out = (uint32_t)v;
    return true;
}

static int add_filter(cli_t *c, int field, const char *value) {
    size_t *n = &c->p.filter_counts[field];
    if (*n == MAX_VALUES) return fail("too many values for --%s", search_filter_name(field));
    c->values[field][(*n)++] = value;
    c->p.filter_values[field] = c->values[field];
    return 0;
}

static int set_sort(cli_t *c, const char *s) {
    if (strcmp(s, "relevance") == 0) c->p.sort = SHIM_SORT_RELEVANCE;
    else if (strcmp(s, "date") == 0) c->p.sort = SHIM_SORT_DATE_DESC;
    else if (strcmp(s, "-date") == 0) c->p.sort = SHIM_SORT_DATE_ASC;
    else return fail("--sort must be relevance, date or -date, not '%s'", s);
    return 0;
}

/* --facets source,year: split in place. */
static int set_facets(cli_t *c, char *list) {
    c->p.n_facets = 0;
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        if (c->p.n_facets == sizeof c->facets / sizeof c->facets[0])
            return fail("%s", "too many --facets");
        c->facets[c->p.n_facets++] = tok;
    }
    c->p.facets = c->facets;
    return 0;
}

enum { O_DB = 256, O_JSON, O_LIMIT, O_OFFSET, O_SOURCE, O_CATEGORY, O_TAG, O_FROM, O_TO,
       O_SORT, O_ANY, O_FACETS };

static const struct option OPTIONS[] = {
    {"db", required_argument, NULL, O_DB},         {"json", no_argument, NULL, O_JSON},
    {"limit", required_argument, NULL, O_LIMIT},   {"offset", required_argument, NULL, O_OFFSET},
    {"source", required_argument, NULL, O_SOURCE}, {"category", required_argument, NULL, O_CATEGORY},
    {"tag", required_argument, NULL, O_TAG},       {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},         {"sort", required_argument, NULL, O_SORT},
    {"any", no_argument, NULL, O_ANY},             {"facets", required_argument, NULL, O_FACETS},
    {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0},
};

static int apply(cli_t *c, int opt, char *arg) {
    switch (opt) {
    case O_DB: c->db = arg; return 0;
    case O_JSON: c->json = true; return 0;
    case O_LIMIT:
        return parse_u32(arg, MAX_LIMIT, &c->p.limit) ? 0 : fail("--limit takes 0 to 1000, not '%s'", arg);
    case O_OFFSET:
        return parse_u32(arg, UINT32_MAX - MAX_LIMIT, &c->p.offset) ? 0 : fail("bad --offset '%s'", arg);
    case O_SOURCE: return add_filter(c, SEARCH_F_SOURCE, arg);
    case O_CATEGORY: return add_filter(c, SEARCH_F_CATEGORY, arg);
    case O_TAG: return add_filter(c, SEARCH_F_TAG, arg);
    case O_FROM: c->p.date_from = arg; return 0;
    case O_TO: c->p.date_to = arg; return 0;
    case O_SORT: return set_sort(c, arg);
    case O_ANY: c->p.match = SHIM_MATCH_ANY; return 0;
    case O_FACETS: return set_facets(c, arg);
    }
    return EXIT_ERROR;
}

static int parse_args(cli_t *c, int argc, char **argv, const char *usage) {
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", OPTIONS, NULL)) != -1) {
        if (opt == 'h') return fputs(usage, stdout), -1;
        if (opt == '?') return fail("unknown option '%s' (see lede --help)", argv[optind - 1]);
        if (opt == ':') return fail("option '%s' needs a value", argv[optind - 1]);
        if (apply(c, opt, optarg) != 0) return EXIT_ERROR;
    }
    if (!c->db)
        return fail("%s", "searching through lede-searchd is not available yet; "
                          "give the index with --db DIR");
    return 0;
}

static shim_db_t *open_index(const char *path) {
    shim_db_t *db = NULL;
    char *msg = NULL;
    if (shim_db_open(path, &db, &msg) != LEDE_OK) {
        fprintf(stderr, "lede: cannot open the index at %s: %s\n"
                        "lede: build one with: lede-indexer --db %s ARTICLES.jsonl\n",
                path, msg ? msg : "out of memory", path);
        free(msg);
    }
    return db;
}

/* The words of the command line, joined by spaces. */
static char *join_words(char **words, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(words[i]) + 1;
    char *q = calloc(1, len);
    for (int i = 0; q && i < n; i++) {
        if (i) strcat(q, " ");
        strcat(q, words[i]);
    }
    return q;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int print_json(json_t *reply) {
    char *text = json_dumps(reply, JSON_COMPACT);
    if (!text) return fail("%s", "out of memory");
    puts(text);
    free(text);
    return 0;
}

static int cmd_search(cli_t *c, shim_db_t *db) {
    json_t *reply = json_object();
    double start = now_ms();
    lede_status_t st = search_execute(db, &c->p, reply);
    double took = now_ms() - start;
    int rc = st == LEDE_OK ? EXIT_HITS : fail("search failed: %s", shim_db_errmsg(db));
    if (st == LEDE_OK) {
        json_object_set_new(reply, "took_ms", json_real(took));
        render_opts_t ro = render_detect(stdout);
        if (c->json) rc = print_json(reply);
        else render_search(stdout, &ro, reply, took);
        if (rc == 0 && json_integer_value(json_object_get(reply, "total")) == 0) rc = EXIT_NONE;
    }
    json_decref(reply);
    return rc;
}

static int cmd_get(cli_t *c, shim_db_t *db, const char *id) {
    char *data;
    size_t len;
    lede_status_t st = shim_db_get(db, id, &data, &len);
    if (st == LEDE_E_NOT_FOUND) return fprintf(stderr, "lede: no article with id '%s'\n", id), EXIT_NONE;
    if (st != LEDE_OK) return fail("get failed: %s", shim_db_errmsg(db));
    json_t *doc = search_document(data, len);
    render_opts_t ro = render_detect(stdout);
    int rc = c->json ? (puts(data), 0) : doc ? (render_document(stdout, &ro, doc), 0)
                                             : fail("article '%s' is stored damaged", id);
    json_decref(doc);
    free(data);
    return rc;
}

static int run(cli_t *c, const char *cmd, int argc, char **argv) {
    bool search = strcmp(cmd, "search") == 0;
    int rc = parse_args(c, argc, argv, search ? SEARCH_USAGE : USAGE);
    if (rc != 0) return rc < 0 ? EXIT_HITS : rc;
    if (search && optind >= argc) return fail("%s", "search needs a QUERY (see lede search --help)");
    if (!search && optind + 1 != argc) return fail("%s", "get needs exactly one ID");
    shim_db_t *db = open_index(c->db);
    if (!db) return EXIT_ERROR;
    if (search) {
        c->query = join_words(argv + optind, argc - optind);
        c->p.q = c->query;
        rc = c->query ? cmd_search(c, db) : fail("%s", "out of memory");
        free(c->query);
    } else {
        rc = cmd_get(c, db, argv[optind]);
    }
    shim_db_close(db);
    return rc;
}

int main(int argc, char **argv) {
    cli_t c = {.p = {.limit = DEFAULT_LIMIT, .snippet = true, .suggest = true}};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_ERROR : EXIT_HITS;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "search") != 0 && strcmp(cmd, "get") != 0)
        return fail("unknown command '%s' (see lede --help)", cmd);
    return run(&c, cmd, argc - 1, argv + 1);
}
