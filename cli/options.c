/* The lede command line: a table of options, each with the commands it
 * applies to and a handler that puts it into the request. Parsing is done
 * here rather than by getopt so that options may come before or after the
 * command, and so that each error can name the word that is wrong. */
#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/fields.h"
#include "lede/shim.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT "7878"
#define MAX_PORT 65535L

static const char USAGE[] =
    "Usage: lede [options] COMMAND [options] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  search QUERY...     ranked search (lede search --help lists its options)\n"
    "  get ID              show one stored article\n"
    "  similar ID          articles like the given one\n"
    "  suggest PREFIX      complete a word or title being typed\n"
    "  stats               the server's counters (needs lede-searchd)\n"
    "  ping                check that lede-searchd answers\n"
    "\n"
    "Options for every command, before or after it:\n"
    "  --host HOST         lede-searchd's host (default $LEDE_HOST, else 127.0.0.1)\n"
    "  --port PORT         lede-searchd's port (default $LEDE_PORT, else 7878)\n"
    "  --db DIR            search the index at DIR directly, without a daemon\n"
    "  --json              print the raw JSON reply, for scripts and jq\n"
    "  --color=WHEN        auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                      always or never\n"
    "  --limit N           results to show (search, similar, suggest)\n"
    "  --offset N          results to skip (search, similar)\n"
    "  -h, --help          show help\n"
    "  --version           show the version\n"
    "\n"
    "Exit status: 0 with results, 1 with none, 2 on an error.\n";

static const char SEARCH_USAGE[] =
    "Usage: lede search [options] QUERY...\n"
    "\n"
    "QUERY uses the query language: words (all must match; when few articles\n"
    "have them all, those with some follow), \"exact phrases\",\n"
    "OR, NOT, -word, +word, NEAR, word*, title:, author:, source:, category:,\n"
    "tag:, place: and date:2022-01-01..2022-12-31. A query word that starts\n"
    "with '-' goes after '--': lede search -- oil -prices\n"
    "\n"
    "Options:\n"
    "  --host HOST, --port PORT   the lede-searchd to ask (default 127.0.0.1:7878,\n"
    "                       or $LEDE_HOST and $LEDE_PORT)\n"
    "  --db DIR             search the index at DIR directly instead\n"
    "  --limit N            hits per page (default 10)\n"
    "  --offset N           hits to skip (for paging)\n"
    "  --source NAME        only articles from this source (repeatable)\n"
    "  --category NAME      only this category (repeatable)\n"
    "  --tag NAME           only articles with this tag (repeatable)\n"
    "  --place NAME         only articles about this place (repeatable)\n"
    "  --author NAME        only articles by this author (repeatable)\n"
    "  --from DATE          only articles on or after DATE (YYYY[-MM[-DD]])\n"
    "  --to DATE            only articles on or before DATE\n"
    "  --sort ORDER         relevance (default), date (newest first), -date\n"
    "  --any                rank articles matching any word, not only all\n"
    "  --all                only articles with every word, even when few or none\n"
    "                       have them all\n"
    "  --exact              search the words as typed: no spelling correction\n"
    "                       (by default a query that finds nothing is searched\n"
    "                       again as corrected, and lede says so)\n"
    "  --exact-total        count every match, so that the total is exact\n"
    "                       (by default past 100 matches it may be \"about N\")\n"
    "  --facets LIST        count hits by source,category,tag,place,author,year,\n"
    "                       timeline\n"
    "  --facet-limit N      values shown per facet (default 10)\n"
    "  --timeline PERIOD    the timeline facet by year, month (default) or day\n"
    "  --json               print the raw JSON reply\n"
    "  --color=WHEN         auto, always or never\n";

/* Bit masks of the commands an option applies to. */
#define FOR(cmd) (1u << (cmd))
#define FOR_ALL (~0u)
#define FOR_SEARCH FOR(CMD_SEARCH)
#define FOR_PAGED (FOR(CMD_SEARCH) | FOR(CMD_SIMILAR))
#define FOR_LIMITED (FOR_PAGED | FOR(CMD_SUGGEST))

typedef struct opt opt_t;
struct opt {
    const char *name; /* without its "--" */
    bool takes_value;
    unsigned cmds;   /* FOR_...: the commands it applies to */
    const char *key; /* the request field, filter or value it sets */
    int (*apply)(cli_t *c, const opt_t *o, const char *value);
};

/* Reports an error about the command line; returns the exit status. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("lede: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_EXIT_ERROR;
}

static bool parse_uint(const char *s, long long max, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *s < '0' || *s > '9' || *end || v > max) return false;
    *out = v;
    return true;
}

/* A port must be a number from 1 to 65535: said before any connection is
 * tried, since "connection refused" would send the reader the wrong way. */
static int check_port(const char *spelled, const char *port) {
    long long n;
    if (parse_uint(port, MAX_PORT, &n) && n > 0) return 0;
    return fail("%s%s: not a port number (1-65535)", spelled, port);
}

static int set_host(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    if (!*v) return fail("--host: give a host name or address, not an empty word");
    c->host = v;
    return 0;
}

static int set_port(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    c->port = v;
    return check_port("--port ", v);
}

static int set_db(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    c->db = v;
    return 0;
}

static int set_json(cli_t *c, const opt_t *o, const char *v) {
    (void)o, (void)v;
    c->json = true;
    return 0;
}

static int set_color(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    if (!strcmp(v, "auto"))
        c->color = RENDER_COLOR_AUTO;
    else if (!strcmp(v, "always"))
        c->color = RENDER_COLOR_ALWAYS;
    else if (!strcmp(v, "never"))
        c->color = RENDER_COLOR_NEVER;
    else
        return fail("--color must be auto, always or never, not '%s'", v);
    return 0;
}

static int set_count(cli_t *c, const opt_t *o, const char *v) {
    long long n;
    if (!parse_uint(v, (long long)1 << 53, &n))
        return fail("--%s takes a whole number, not '%s'", o->name, v);
    json_object_set_new(c->req, o->key, json_integer(n));
    return 0;
}

static json_t *filter_of(cli_t *c) {
    if (!c->filter) {
        c->filter = json_object();
        json_object_set_new(c->req, "filter", c->filter);
    }
    return c->filter;
}

/* --source A --source B: filter.source = ["A","B"]. */
static int add_filter(cli_t *c, const opt_t *o, const char *v) {
    json_t *f = filter_of(c), *list = json_object_get(f, o->key);
    if (!list) json_object_set_new(f, o->key, list = json_array());
    json_array_append_new(list, json_string(v));
    return 0;
}

static int set_date(cli_t *c, const opt_t *o, const char *v) {
    json_t *f = filter_of(c), *date = json_object_get(f, "date");
    if (!date) json_object_set_new(f, "date", date = json_object());
    json_object_set_new(date, o->key, json_string(v));
    return 0;
}

static int set_sort(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    if (strcmp(v, "relevance") && strcmp(v, "date") && strcmp(v, "-date"))
        return fail("--sort must be relevance, date or -date, not '%s'", v);
    json_object_set_new(c->req, "sort", json_string(v));
    return 0;
}

static int set_match(cli_t *c, const opt_t *o, const char *v) {
    (void)v;
    json_object_set_new(c->req, "match", json_string(o->key));
    return 0;
}

/* A boolean request field: --exact-total sets exact_total. */
static int set_true(cli_t *c, const opt_t *o, const char *v) {
    (void)v;
    json_object_set_new(c->req, o->key, json_true());
    return 0;
}

/* --exact: the query as typed, neither corrected nor suggested. */
static int set_exact(cli_t *c, const opt_t *o, const char *v) {
    (void)o, (void)v;
    json_object_set_new(c->req, "spelling", json_string("off"));
    return 0;
}

static int set_timeline(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    if (strcmp(v, "year") && strcmp(v, "month") && strcmp(v, "day"))
        return fail("--timeline must be year, month or day, not '%s'", v);
    json_object_set_new(c->req, "timeline", json_string(v));
    return 0;
}

static int set_facets(cli_t *c, const opt_t *o, const char *v) {
    (void)o;
    json_t *arr = json_array();
    char *copy = strdup(v);
    char *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
         tok = strtok_r(NULL, ",", &save))
        json_array_append_new(arr, json_string(tok));
    free(copy);
    json_object_set_new(c->req, "facets", arr);
    return 0;
}

static const opt_t OPTIONS[] = {
    {"host", true, FOR_ALL, NULL, set_host},
    {"port", true, FOR_ALL, NULL, set_port},
    {"db", true, FOR_ALL, NULL, set_db},
    {"json", false, FOR_ALL, NULL, set_json},
    {"color", true, FOR_ALL, NULL, set_color},
    {"help", false, FOR_ALL, NULL, NULL}, /* help and version: parse_command */
    {"version", false, FOR_ALL, NULL, NULL},
    {"limit", true, FOR_LIMITED, "limit", set_count},
    {"offset", true, FOR_PAGED, "offset", set_count},
    /* and --FIELD for each filterable field of lede/fields.h: filter_option */
    {"from", true, FOR_SEARCH, "from", set_date},
    {"to", true, FOR_SEARCH, "to", set_date},
    {"sort", true, FOR_SEARCH, NULL, set_sort},
    {"any", false, FOR_SEARCH, "any", set_match},
    {"all", false, FOR_SEARCH, "all", set_match},
    {"facets", true, FOR_SEARCH, NULL, set_facets},
    {"facet-limit", true, FOR_SEARCH, "facet_limit", set_count},
    {"timeline", true, FOR_SEARCH, NULL, set_timeline},
    {"exact", false, FOR_SEARCH, NULL, set_exact},
    {"exact-total", false, FOR_SEARCH, "exact_total", set_true},
};
#define N_OPTIONS (sizeof OPTIONS / sizeof OPTIONS[0])

/* The commands, in cli_cmd_t order, and the arguments each takes. */
typedef enum { ARGS_NONE, ARGS_WORDS, ARGS_ID } args_t;
static const struct {
    const char *name;
    args_t args;
    bool daemon_only; /* asks lede-searchd itself: not with --db */
} COMMANDS[] = {
    [CMD_SEARCH] = {"search", ARGS_WORDS, false}, [CMD_GET] = {"get", ARGS_ID, false},
    [CMD_SIMILAR] = {"similar", ARGS_ID, false},  [CMD_SUGGEST] = {"suggest", ARGS_WORDS, false},
    [CMD_STATS] = {"stats", ARGS_NONE, true},     [CMD_PING] = {"ping", ARGS_NONE, true},
};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* --source and the other filters, one per filterable field. */
static const opt_t *filter_option(const char *name, size_t len) {
    static opt_t opts[LEDE_FIELD_COUNT]; /* the CLI has one thread */
    char field[32];
    if (len >= sizeof field) return NULL;
    memcpy(field, name, len);
    field[len] = '\0';
    int id = lede_field_find(field, LEDE_FIELD_FILTER);
    if (id < 0) return NULL;
    const char *canonical = lede_field(id)->name;
    opts[id] = (opt_t){canonical, true, FOR_SEARCH, canonical, add_filter};
    return &opts[id];
}

static const opt_t *find_option(const char *name, size_t len) {
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(OPTIONS[i].name) == len && !strncmp(OPTIONS[i].name, name, len))
            return &OPTIONS[i];
    return filter_option(name, len);
}

/* "lede search", "lede search and similar", "lede search, similar and suggest". */
static void commands_of(unsigned mask, char *out, size_t size) {
    size_t n = 0, count = 0, total = 0;
    for (size_t i = 0; i < N_COMMANDS; i++) total += (mask >> i) & 1u;
    n += (size_t)snprintf(out, size, "lede ");
    for (size_t i = 0; i < N_COMMANDS && n < size; i++) {
        if (!((mask >> i) & 1u)) continue;
        const char *sep = count == 0 ? "" : count + 1 == total ? " and " : ", ";
        n += (size_t)snprintf(out + n, size - n, "%s%s", sep, COMMANDS[i].name);
        count++;
    }
    if (total == 1 && n < size) snprintf(out + n, size - n, " only");
}

/* An option as given and its value. */
typedef struct given {
    const opt_t *opt;
    const char *value;
} given_t;

/* Reads one word that starts with '-': the option and its value (the rest
 * after '=', or the next word). Advances *i past what it used. */
static int read_option(int argc, char **argv, int *i, given_t *g) {
    const char *word = argv[*i];
    if (!strcmp(word, "-h")) return g->opt = find_option("help", 4), g->value = NULL, 0;
    if (word[1] != '-')
        return fail("unknown option '%s' (see lede --help; a query word that starts with '-' "
                    "goes after '--': lede search -- WORDS)",
                    word);
    const char *name = word + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    g->opt = find_option(name, len);
    if (!g->opt) return fail("unknown option '%.*s' (see lede --help)", (int)len + 2, word);
    if (!g->opt->takes_value) {
        g->value = NULL;
        return eq ? fail("option '--%s' takes no value", g->opt->name) : 0;
    }
    if (eq)
        g->value = eq + 1;
    else if (*i + 1 < argc)
        g->value = argv[++*i];
    else
        return fail("option '--%s' needs a value", g->opt->name);
    return 0;
}

/* Sorts argv into options (given) and the other words (words). */
static int split_words(int argc, char **argv, given_t *given, int *n_given, char **words,
                       int *n_words) {
    bool options_done = false;
    *n_given = *n_words = 0;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (options_done || w[0] != '-' || !w[1]) {
            words[(*n_words)++] = argv[i];
        } else if (!strcmp(w, "--")) {
            options_done = true;
        } else {
            int rc = read_option(argc, argv, &i, &given[*n_given]);
            if (rc) return rc;
            (*n_given)++;
        }
    }
    return 0;
}

static int find_command(const char *name) {
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(COMMANDS[i].name, name)) return (int)i;
    return -1;
}

/* The words, joined by spaces (malloc'd), or NULL when out of memory. */
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

/* Puts the words after the command where the command wants them. */
static int take_arguments(cli_t *c, char **args, int n) {
    const char *op = c->cmd_name;
    switch (COMMANDS[c->cmd].args) {
    case ARGS_NONE:
        return n == 0 ? 0 : fail("'%s' takes no arguments", op);
    case ARGS_WORDS:
        if (n == 0) return fail("'%s' needs an argument (see lede --help)", op);
        json_object_set_new(c->req, "q", joined(args, n));
        return 0;
    case ARGS_ID:
        if (n == 0) return fail("'%s' needs an argument (see lede --help)", op);
        if (n != 1) return fail("'%s' takes exactly one ID", op);
        json_object_set_new(c->req, "doc", json_string(args[0]));
        return 0;
    }
    return CLI_EXIT_ERROR;
}

static int apply_options(cli_t *c, const given_t *given, int n) {
    for (int i = 0; i < n; i++) {
        const opt_t *o = given[i].opt;
        if (!((o->cmds >> c->cmd) & 1u)) {
            char which[128];
            commands_of(o->cmds, which, sizeof which);
            return fail("option '--%s' is for %s", o->name, which);
        }
        int rc = o->apply ? o->apply(c, o, given[i].value) : 0;
        if (rc) return rc;
    }
    return 0;
}

/* --timeline PERIOD asks for the timeline facet too, whether or not
 * --facets (before or after it) names it. */
static void add_timeline_facet(cli_t *c) {
    if (!json_object_get(c->req, "timeline")) return;
    json_t *facets = json_object_get(c->req, "facets"), *v;
    size_t i;
    if (!facets) json_object_set_new(c->req, "facets", facets = json_array());
    json_array_foreach(facets, i, v) if (!strcmp(json_string_value(v), "timeline")) return;
    json_array_append_new(facets, json_string("timeline"));
}

/* Where to send the request when no option said: LEDE_HOST, LEDE_PORT. */
static int apply_environment(cli_t *c, const given_t *given, int n) {
    bool host = false, port = false;
    for (int i = 0; i < n; i++) {
        host |= given[i].opt->apply == set_host;
        port |= given[i].opt->apply == set_port;
    }
    const char *env_host = getenv("LEDE_HOST"), *env_port = getenv("LEDE_PORT");
    if (!host && env_host && *env_host) c->host = env_host;
    if (port || !env_port || !*env_port) return 0;
    c->port = env_port;
    /* A bad LEDE_PORT matters only when a daemon is to be asked. */
    return c->db ? 0 : check_port("LEDE_PORT=", env_port);
}

static int print_version(void) {
    printf("lede %s (Xapian %s)\n", LEDE_VERSION, shim_xapian_version());
    return CLI_EXIT_HITS;
}

/* The command and the rest, once the words are sorted. */
static int parse_command(cli_t *c, const given_t *given, int n_given, char **words, int n_words) {
    bool help = false, version = false;
    for (int i = 0; i < n_given; i++) {
        help |= !strcmp(given[i].opt->name, "help");
        version |= !strcmp(given[i].opt->name, "version");
    }
    if (n_words == 0) {
        if (version) return print_version();
        fputs(USAGE, help ? stdout : stderr);
        return help ? CLI_EXIT_HITS : CLI_EXIT_ERROR;
    }
    int cmd = find_command(words[0]);
    if (cmd < 0) return fail("unknown command '%s' (see lede --help)", words[0]);
    c->cmd = (cli_cmd_t)cmd;
    c->cmd_name = COMMANDS[cmd].name;
    if (help) return fputs(cmd == CMD_SEARCH ? SEARCH_USAGE : USAGE, stdout), CLI_EXIT_HITS;
    if (version) return print_version();
    c->req = json_pack("{ss}", "op", c->cmd_name);
    int rc = apply_options(c, given, n_given);
    if (!rc) add_timeline_facet(c);
    if (!rc) rc = apply_environment(c, given, n_given);
    if (!rc) rc = take_arguments(c, words + 1, n_words - 1);
    if (!rc && c->db && COMMANDS[cmd].daemon_only)
        rc = fail("'%s' asks a running lede-searchd; it does not work with --db", c->cmd_name);
    return rc ? rc : CLI_GO;
}

int cli_parse(cli_t *c, int argc, char **argv) {
    *c = (cli_t){.host = DEFAULT_HOST, .port = DEFAULT_PORT, .color = RENDER_COLOR_AUTO};
    given_t *given = calloc((size_t)argc, sizeof *given);
    char **words = calloc((size_t)argc, sizeof *words);
    int n_given, n_words, rc;
    if (!given || !words)
        rc = fail("out of memory");
    else if ((rc = split_words(argc, argv, given, &n_given, words, &n_words)) == 0)
        rc = parse_command(c, given, n_given, words, n_words);
    free(given);
    free(words);
    return rc;
}

void cli_free(cli_t *c) {
    json_decref(c->req);
    c->req = c->filter = NULL;
}
