/* lede: search news from the command line.
 *
 * Each command becomes one line-protocol request (docs/protocol.md). It is
 * sent to a running lede-searchd, or, with --db DIR, run in this process
 * through the same parser and executor the daemon uses: either way the
 * reply is the same JSON, shown for a person or, with --json, as is. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../searchd/cmd.h"
#include "../searchd/stats.h"
#include "client.h"
#include "lede/protocol.h"
#include "render.h"

/* Exit statuses: hits, no hits (or no such article), an error. */
#define EXIT_HITS 0
#define EXIT_NONE 1
#define EXIT_ERROR 2

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT "7878"
#define REPLY_TIMEOUT_MS 30000

static const char USAGE[] =
    "Usage: lede COMMAND [options] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  search QUERY...     ranked search (lede search --help lists its options)\n"
    "  get ID              show one stored article\n"
    "  similar ID          articles like the given one\n"
    "  suggest PREFIX      complete a word or title being typed\n"
    "  stats               the server's counters (needs lede-searchd)\n"
    "  ping                check that lede-searchd answers\n"
    "\n"
    "Options for every command:\n"
    "  --host HOST         lede-searchd's host (default 127.0.0.1)\n"
    "  --port PORT         lede-searchd's port (default 7878)\n"
    "  --db DIR            search the index at DIR directly, without a daemon\n"
    "  --json              print the raw JSON reply, for scripts and jq\n"
    "  --limit N           results to show\n"
    "  -h, --help          show help\n"
    "\n"
    "Exit status: 0 with results, 1 with none, 2 on an error.\n";

static const char SEARCH_USAGE[] =
    "Usage: lede search [options] QUERY...\n"
    "\n"
    "QUERY uses the query language: words (all must match; when no article has\n"
    "them all, any may), \"exact phrases\",\n"
    "OR, NOT, -word, +word, NEAR, word*, title:, author:, source:, category:,\n"
    "tag:, place: and date:2022-01-01..2022-12-31.\n"
    "\n"
    "Options:\n"
    "  --host HOST, --port PORT   the lede-searchd to ask (default 127.0.0.1:7878)\n"
    "  --db DIR             search the index at DIR directly instead\n"
    "  --limit N            hits per page (default 10)\n"
    "  --offset N           hits to skip (for paging)\n"
    "  --source NAME        only articles from this source (repeatable)\n"
    "  --category NAME      only this category (repeatable)\n"
    "  --tag NAME           only articles with this tag (repeatable)\n"
    "  --from DATE          only articles on or after DATE (YYYY[-MM[-DD]])\n"
    "  --to DATE            only articles on or before DATE\n"
    "  --sort ORDER         relevance (default), date (newest first), -date\n"
    "  --any                rank articles matching any word, not only all\n"
    "  --all                only articles with every word, even when none has\n"
    "                       them all\n"
    "  --facets LIST        count hits by source,category,tag,place,author,year\n"
    "  --json               print the raw JSON reply\n";

typedef struct cli {
    const char *cmd;
    const char *host, *port, *db;
    bool json;
    json_t *req;      /* the request being built */
    json_t *filter;   /* req.filter, created on first use */
} cli_t;

static int fail(const char *fmt, const char *arg) {
    fprintf(stderr, "lede: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_ERROR;
}

static bool parse_uint(const char *s, json_int_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *s == '-' || !*s || *end) return false;
    *out = v;
    return true;
}

static json_t *filter_of(cli_t *c) {
    if (!c->filter) {
        c->filter = json_object();
        json_object_set_new(c->req, "filter", c->filter);
    }
    return c->filter;
}

/* --source A --source B: filter.source = ["A","B"]. */
static int add_filter(cli_t *c, const char *field, const char *value) {
    json_t *f = filter_of(c), *list = json_object_get(f, field);
    if (!list) json_object_set_new(f, field, list = json_array());
    json_array_append_new(list, json_string(value));
    return 0;
}

static int set_date(cli_t *c, const char *end, const char *value) {
    json_t *f = filter_of(c), *date = json_object_get(f, "date");
    if (!date) json_object_set_new(f, "date", date = json_object());
    json_object_set_new(date, end, json_string(value));
    return 0;
}

static int set_facets(cli_t *c, const char *list) {
    json_t *arr = json_array();
    char *copy = strdup(list);
    for (char *tok = copy ? strtok(copy, ",") : NULL; tok; tok = strtok(NULL, ","))
        json_array_append_new(arr, json_string(tok));
    free(copy);
    json_object_set_new(c->req, "facets", arr);
    return 0;
}

static int set_count(cli_t *c, const char *key, const char *value) {
    json_int_t n;
    if (!parse_uint(value, &n)) {
        fprintf(stderr, "lede: --%s takes a whole number, not '%s'\n", key, value);
        return EXIT_ERROR;
    }
    json_object_set_new(c->req, key, json_integer(n));
    return 0;
}

enum { O_HOST = 256, O_PORT, O_DB, O_JSON, O_LIMIT, O_OFFSET, O_SOURCE, O_CATEGORY, O_TAG,
       O_FROM, O_TO, O_SORT, O_ANY, O_ALL, O_FACETS };

static const struct option OPTIONS[] = {
    {"host", required_argument, NULL, O_HOST},     {"port", required_argument, NULL, O_PORT},
    {"db", required_argument, NULL, O_DB},         {"json", no_argument, NULL, O_JSON},
    {"limit", required_argument, NULL, O_LIMIT},   {"offset", required_argument, NULL, O_OFFSET},
    {"source", required_argument, NULL, O_SOURCE}, {"category", required_argument, NULL, O_CATEGORY},
    {"tag", required_argument, NULL, O_TAG},       {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},         {"sort", required_argument, NULL, O_SORT},
    {"any", no_argument, NULL, O_ANY},             {"all", no_argument, NULL, O_ALL},
    {"facets", required_argument, NULL, O_FACETS}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *option_name(int opt) {
    for (const struct option *o = OPTIONS; o->name; o++)
        if (o->val == opt) return o->name;
    return "?";
}

/* Options that shape a search are refused by the other commands. */
static bool search_only(int opt) {
    return opt >= O_OFFSET && opt <= O_FACETS;
}

static int apply(cli_t *c, int opt, const char *arg) {
    switch (opt) {
    case O_HOST: c->host = arg; return 0;
    case O_PORT: c->port = arg; return 0;
    case O_DB: c->db = arg; return 0;
    case O_JSON: c->json = true; return 0;
    case O_LIMIT: return set_count(c, "limit", arg);
    case O_OFFSET: return set_count(c, "offset", arg);
    case O_SOURCE: return add_filter(c, "source", arg);
    case O_CATEGORY: return add_filter(c, "category", arg);
    case O_TAG: return add_filter(c, "tag", arg);
    case O_FROM: return set_date(c, "from", arg);
    case O_TO: return set_date(c, "to", arg);
    case O_SORT:
        if (strcmp(arg, "relevance") && strcmp(arg, "date") && strcmp(arg, "-date"))
            return fail("--sort must be relevance, date or -date, not '%s'", arg);
        json_object_set_new(c->req, "sort", json_string(arg));
        return 0;
    case O_ANY: json_object_set_new(c->req, "match", json_string("any")); return 0;
    case O_ALL: json_object_set_new(c->req, "match", json_string("all")); return 0;
    case O_FACETS: return set_facets(c, arg);
    }
    return EXIT_ERROR;
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_options(cli_t *c, int argc, char **argv) {
    bool search = strcmp(c->cmd, "search") == 0;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", OPTIONS, NULL)) != -1) {
        if (opt == 'h') return fputs(search ? SEARCH_USAGE : USAGE, stdout), -1;
        if (opt == '?') return fail("unknown option '%s' (see lede --help)", argv[optind - 1]);
        if (opt == ':') return fail("option '%s' needs a value", argv[optind - 1]);
        if (!search && search_only(opt)) return fail("option '--%s' is for lede search only", option_name(opt));
        int rc = apply(c, opt, optarg);
        if (rc) return rc;
    }
    return 0;
}

/* The words of the command line, joined by spaces. */
static json_t *joined(char **words, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(words[i]) + 1;
    char *q = calloc(1, len);
    for (int i = 0; q && i < n; i++) {
        if (i) strcat(q, " ");
        strcat(q, words[i]);
    }
    json_t *s = q ? json_string(q) : NULL;
    free(q);
    return s;
}

/* Puts the positional arguments where the command wants them. */
static int take_arguments(cli_t *c, int argc, char **argv) {
    int n = argc - optind;
    const char *op = c->cmd;
    bool no_args = !strcmp(op, "stats") || !strcmp(op, "ping");
    if (no_args) return n == 0 ? 0 : fail("'%s' takes no arguments", op);
    if (n == 0) return fail("'%s' needs an argument (see lede --help)", op);
    if (!strcmp(op, "search") || !strcmp(op, "suggest")) {
        json_object_set_new(c->req, "q", joined(argv + optind, n));
        return 0;
    }
    if (n != 1) return fail("'%s' takes exactly one ID", op);
    json_object_set_new(c->req, "doc", json_string(argv[optind]));
    return 0;
}

/* Runs the request line in this process, exactly as a worker would. */
static char *call_local(const char *db_path, const char *line, char *err, size_t size) {
    config_t cfg;
    config_defaults(&cfg);
    proto_limits_t lim = {.max_line = 1u << 20, .max_limit = 100000, .max_offset = 10000000,
                          .default_limit = (uint32_t)cfg.default_limit};
    job_t job = {0};
    proto_error_t perr;
    size_t used;
    if (proto_parse(line, strlen(line), &lim, &job.req, &used, &perr) != PROTO_OK) {
        size_t len;
        char *reply = cmd_error_line(perr.id, perr.code, perr.message, &len);
        proto_error_free(&perr);
        return reply;
    }
    shim_db_t *db = NULL;
    char *msg = NULL;
    if (shim_db_open(db_path, &db, &msg) != LEDE_OK) {
        snprintf(err, size, "cannot open the index at %s: %s; build one with: lede-indexer --db %s ARTICLES.jsonl",
                 db_path, msg ? msg : "out of memory", db_path);
        free(msg);
        proto_request_free(&job.req);
        return NULL;
    }
    job.enqueued = stats_now(); /* not queued: the whole budget is left */
    cmd_execute(db, &cfg, &job);
    shim_db_close(db);
    char *reply = job.reply;
    job.reply = NULL;
    proto_request_free(&job.req);
    return reply;
}

/* 0 when the reply carries results, 1 when it has none (or no such
 * article), 2 for any other error. */
static int exit_code(json_t *reply) {
    if (!json_is_true(json_object_get(reply, "ok"))) {
        const char *code = json_string_value(json_object_get(json_object_get(reply, "error"), "code"));
        return code && !strcmp(code, "not_found") ? EXIT_NONE : EXIT_ERROR;
    }
    json_t *hits = json_object_get(reply, "hits"), *words = json_object_get(reply, "suggestions");
    if (hits) return json_array_size(hits) || json_integer_value(json_object_get(reply, "total")) ? EXIT_HITS : EXIT_NONE;
    if (words) return json_array_size(words) || json_array_size(json_object_get(reply, "titles")) ? EXIT_HITS : EXIT_NONE;
    return EXIT_HITS;
}

static void show_suggestions(json_t *reply) {
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(reply, "suggestions"), i, v) printf("%s\n", json_string_value(v));
    json_array_foreach(json_object_get(reply, "titles"), i, v)
        printf("  %s [%s]\n", json_string_value(json_object_get(v, "title")),
               json_string_value(json_object_get(v, "id")));
}

static void show(cli_t *c, json_t *reply) {
    render_opts_t ro = render_detect(stdout);
    if (!strcmp(c->cmd, "get")) {
        render_document(stdout, &ro, json_object_get(reply, "doc"));
    } else if (!strcmp(c->cmd, "suggest")) {
        show_suggestions(reply);
    } else if (!strcmp(c->cmd, "ping")) {
        puts("pong");
    } else if (!strcmp(c->cmd, "stats")) {
        char *text = json_dumps(reply, JSON_INDENT(2));
        puts(text ? text : "{}");
        free(text);
    } else {
        render_search(stdout, &ro, reply, json_real_value(json_object_get(reply, "took_ms")));
    }
}

static int report(cli_t *c, const char *text) {
    json_t *reply = json_loads(text, 0, NULL);
    if (!reply) return fail("the server sent something that is not JSON: %.200s", text);
    bool ok = json_is_true(json_object_get(reply, "ok"));
    if (c->json) {
        puts(text);
    } else if (ok) {
        show(c, reply);
    } else {
        json_t *error = json_object_get(reply, "error");
        fprintf(stderr, "lede: %s: %s\n", json_string_value(json_object_get(error, "code")),
                json_string_value(json_object_get(error, "message")));
    }
    int rc = exit_code(reply);
    json_decref(reply);
    return rc;
}

static int run(cli_t *c, int argc, char **argv) {
    int rc = parse_options(c, argc, argv);
    if (rc) return rc < 0 ? EXIT_HITS : rc;
    if ((rc = take_arguments(c, argc, argv)) != 0) return rc;
    if (c->db && (!strcmp(c->cmd, "stats") || !strcmp(c->cmd, "ping")))
        return fail("'%s' asks a running lede-searchd; it does not work with --db", c->cmd);
    char *line = json_dumps(c->req, JSON_COMPACT);
    size_t n = line ? strlen(line) : 0;
    char *framed = line ? realloc(line, n + 2) : NULL;
    if (!framed) return free(line), fail("%s", "out of memory");
    framed[n] = '\n', framed[n + 1] = '\0';
    char err[1024] = "";
    char *reply = c->db ? call_local(c->db, framed, err, sizeof err)
                        : client_call(c->host, c->port, framed, REPLY_TIMEOUT_MS, err, sizeof err);
    free(framed);
    if (!reply) return fail("%s", err);
    size_t len = strlen(reply);
    if (len && reply[len - 1] == '\n') reply[len - 1] = '\0';
    rc = report(c, reply);
    free(reply);
    return rc;
}

static const char *const COMMANDS[] = {"search", "get", "similar", "suggest", "stats", "ping"};

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_ERROR : EXIT_HITS;
    }
    cli_t c = {.cmd = argv[1], .host = DEFAULT_HOST, .port = DEFAULT_PORT};
    bool known = false;
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) known |= !strcmp(c.cmd, COMMANDS[i]);
    if (!known) return fail("unknown command '%s' (see lede --help)", c.cmd);
    c.req = json_pack("{ss}", "op", c.cmd);
    int rc = run(&c, argc - 1, argv + 1);
    json_decref(c.req);
    return rc;
}
