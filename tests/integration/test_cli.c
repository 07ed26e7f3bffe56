/* Integration tests for the lede CLI, run twice: searching an index
 * directly (--db), then asking the real lede-searchd over TCP (--port);
 * both must print the same. */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/check.h"
#include "searchd_client.h"

static const char *lede, *indexer, *searchd;
static char db[4300];
/* COUNT_ARTICLES generated articles: "alpha" in every 2nd, "beta" in
 * every 3rd, so that "alpha beta" matches more than the 100 matches up to
 * which a total is exact without asking. */
static char counts_db[4300];
/* Where test_about searches it: "--db" counts_db, or a daemon serving it. */
static char *counts_opt = "--db", *counts_val = counts_db;
static char counts_port[16];
static char *tmp; /* this run's files */
#define COUNT_ARTICLES 1200
#define COUNT_BOTH (COUNT_ARTICLES / 6)

/* Where the commands under test search: "--db" DIR or "--port" PORT. */
static char *where_opt = "--db", *where_val = db;
static char port_text[16];
#define WHERE where_opt, where_val

static int run_lede(char **out, char **err, ...) {
    char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, err);
    argv[n++] = (char *)lede;
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return check_run(argv, NULL, out, err);
}

#define LEDE(out, err, ...) run_lede(out, err, __VA_ARGS__, (char *)NULL)

static bool write_counts(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    for (int i = 0; i < COUNT_ARTICLES; i++)
        fprintf(f, "{\"id\":\"c%d\",\"title\":\"Count %d\",\"body\":\"filler %s %s\"}\n", i, i,
                i % 2 ? "gamma" : "alpha", i % 3 ? "delta" : "beta");
    /* No headline: the indexer makes one from the first sentence. */
    fputs("{\"id\":\"untitled\",\"body\":\"Harbour pilots walked off the job over new "
          "rosters. The strike halted the ferries.\"}\n",
          f);
    return fclose(f) == 0;
}

static void test_search_text(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalination"), 0);
    CHECK(out && strstr(out, "  1. City council approves desalination plant\n"));
    CHECK(out && strstr(out, "Harbor Wire · 2023-04-12 · Mara Quist"));
    CHECK(out && strstr(out, "[g1]"));
    CHECK(out && strstr(out, "1 result ("));
    CHECK(out && !strstr(out, "\033[")); /* no colour when not a terminal */
    CHECK(out && !strstr(out, "\x02"));  /* markers never reach a person */
    free(out), free(err);
}

static void test_search_json(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--facets", "source,year", "--sort",
                   "date", "water"),
              0);
    json_t *reply = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(reply != NULL);
    CHECK_INT(json_integer_value(json_object_get(reply, "total")), 3);
    json_t *hits = json_object_get(reply, "hits");
    CHECK_STR(json_string_value(json_object_get(json_array_get(hits, 0), "id")), "g6");
    CHECK_STR(json_string_value(json_object_get(json_array_get(hits, 2), "id")), "g2");
    const char *snippet = json_string_value(json_object_get(json_array_get(hits, 0), "snippet"));
    CHECK(snippet && strstr(snippet, "\x02water\x03"));
    json_t *years = json_object_get(json_object_get(reply, "facets"), "year");
    CHECK_INT(json_integer_value(json_object_get(years, "2023")), 3);
    json_decref(reply);
    free(out), free(err);
}

static void test_filters_and_paging(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--source", "harbor wire", "--from",
                   "2024", "city"),
              0);
    CHECK(out && strstr(out, "\"total\":1,") && strstr(out, "\"id\":\"g4\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--limit", "1", "--offset", "1", "--any",
                   "water drought"),
              0);
    CHECK(out && strstr(out, "\"rank\":2"));
    free(out), free(err);
    /* The total is exact, whatever the page size. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--limit", "1", "water"), 0);
    CHECK(out && strstr(out, "1 of 3 results ("));
    free(out), free(err);
}

static void test_no_hits_and_suggestion(void) {
    char *out, *err;
    /* A misspelling that finds nothing is answered with its correction. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalinaton"), 0);
    CHECK(out && strstr(out, "City council approves desalination plant"));
    free(out), free(err);
    /* One whose query finds something gets a suggestion that finds more. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "drought OR reservior"), 0);
    CHECK(out && strstr(out, "\n2 results"));
    CHECK(out && strstr(out, "Did you mean: drought OR reservoir"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "qqzxvv"), 1);
    CHECK(out && strstr(out, "0 results"));
    free(out), free(err);
}

/* No article has both words: the search falls back to either, and says
 * so; --all keeps to both. */
static void test_relaxed(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalination", "zebra"), 0);
    CHECK(out &&
          strstr(out, "Few or no articles have all the words: those with some of them follow.\n"));
    CHECK(out && strstr(out, "City council approves desalination plant"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--all", "desalination", "zebra"), 1);
    CHECK(out && strstr(out, "0 results") && !strstr(out, "have all the words"));
    free(out), free(err);
}

static void test_get(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "g3"), 0);
    CHECK(out && strstr(out, "Central bank holds interest rates\n"));
    CHECK(out && strstr(out, "The central bank held its benchmark rate"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "--json", "g3"), 0);
    CHECK(out && strstr(out, "\"id\":\"g3\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "nope"), 1);
    CHECK(err && strstr(err, "lede: not_found: no document with id 'nope'"));
    free(out), free(err);
}

static void test_similar_and_suggest(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "similar", WHERE, "--json", "g2"), 0);
    CHECK(out && strstr(out, "\"id\":\"g1\"") && !strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", WHERE, "desal"), 0);
    CHECK(out && strstr(out, "desalination\n"));
    CHECK(out && strstr(out, "  City council approves desalination plant [g1]\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", WHERE, "zzzq"), 1);
    free(out), free(err);
}

static void test_errors(void) {
    char *out, *err;
    /* No daemon on that port: say what to do. */
    CHECK_INT(LEDE(&out, &err, "search", "--port", "1", "water"), 2);
    CHECK(
        err &&
        strstr(err, "cannot connect to 127.0.0.1:1: Connection refused; is lede-searchd running?"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--db", db), 2);
    CHECK(err && strstr(err, "'stats' asks a running lede-searchd"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", "/nonexistent/index", "water"), 2);
    CHECK(err && strstr(err, "cannot open the index at /nonexistent/index"));
    CHECK(err && strstr(err, "lede-indexer --db /nonexistent/index"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--limit", "many", "water"), 2);
    CHECK(err && strstr(err, "--limit takes a whole number, not 'many'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--sort", "oldest", "water"), 2);
    CHECK(err && strstr(err, "--sort must be relevance, date or -date"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "--facets", "colour", "water"), 2);
    CHECK(err && strstr(err, "lede: bad_request: unknown facet 'colour'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "--sort", "date", "g1"), 2);
    CHECK(err && strstr(err, "option '--sort' is for lede search only"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db), 2);
    CHECK(err && strstr(err, "'search' needs an argument"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "frobnicate"), 2);
    CHECK(err && strstr(err, "unknown command 'frobnicate'"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--help"), 0);
    CHECK(out && strstr(out, "--facets LIST"));
    free(out), free(err);
}

/* Options go before or after the command, as the README shows. */
static void test_options_anywhere(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, WHERE, "get", "g3"), 0);
    CHECK(out && strstr(out, "Central bank holds interest rates\n"));
    free(out), free(err);
    CHECK_INT(
        LEDE(&out, &err, "--json", WHERE, "search", "--limit", "1", "water", "--sort", "date"), 0);
    CHECK(out && strstr(out, "\"total\":3,") && strstr(out, "\"id\":\"g6\""));
    CHECK(out && !strstr(out, "\"id\":\"g1\"")); /* --limit 1 after the command counted */
    free(out), free(err);
    /* --opt=value is the same as --opt value. */
    CHECK_INT(LEDE(&out, &err, "search", "--limit=1", "--json", WHERE, "water"), 0);
    CHECK(out && strstr(out, "\"total\":3,") && strstr(out, "\"rank\":1") &&
          !strstr(out, "\"rank\":2"));
    free(out), free(err);
    /* After "--", words are the query even when they look like options. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--", "water", "-drought"), 0);
    CHECK(out && strstr(out, "\"total\":1,") && strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
}

static void test_place_and_author(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--place", "lake senn", "water"), 0);
    CHECK(out && strstr(out, "\"total\":1,") && strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--author", "Mara Quist", "--author",
                   "nobody at all", "water"),
              0);
    CHECK(out && strstr(out, "\"total\":2,") && strstr(out, "\"id\":\"g1\"") &&
          strstr(out, "\"id\":\"g2\""));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--place", "Lake Senn", "--author", "Mara Quist",
                   "--place", "Port Alder", "desalination"),
              0);
    CHECK(out && strstr(out, "1 result (") && strstr(out, "[g1]"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--place", "Atlantis", "water"), 1);
    CHECK(out && strstr(out, "0 results"));
    free(out), free(err);
}

/* The article as a reader wants it: no JSON, the text wrapped. */
static void test_get_readable(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "g1"), 0);
    CHECK(out && !strncmp(out, "City council approves desalination plant\n", 41));
    CHECK(out && strstr(out, "\nHarbor Wire · 2023-04-12 09:30 UTC · by Mara Quist\n"));
    CHECK(out && strstr(out, "\ncategory  Environment\n"));
    CHECK(out && strstr(out, "\nplaces    Port Alder\n"));
    CHECK(out && strstr(out, "\ntags      water, drought\n"));
    CHECK(out && strstr(out, "\nurl       https://example.com/g1\n"));
    CHECK(out && strstr(out, "\nid        g1\n"));
    CHECK(out && strstr(out, "\n\n    The council voted 7 to 2"));
    CHECK(out && !strchr(out, '[') && !strchr(out, '{') && !strchr(out, '"'));
    /* Every line of the text fits in 80 columns. */
    for (const char *line = out; line && *line;) {
        size_t n = strcspn(line, "\n");
        CHECK(n <= 80);
        line += n + (line[n] == '\n');
    }
    free(out), free(err);
    /* Several authors joined; a date with an offset shown in UTC. */
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "g2"), 0);
    CHECK(out && strstr(out, "\nNorthern Ledger · 2023-03-02 · by Ivo Brandt, Mara Quist\n"));
    CHECK(out && strstr(out, "\nplaces    Port Alder, Lake Senn\n") && !strstr(out, "\nurl"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "--json", "g2"), 0);
    CHECK(out && strstr(out, "\"places\":[\"Port Alder\",\"Lake Senn\"]"));
    free(out), free(err);
}

/* An offset past the last hit says so and exits 1; --limit 0 (only the
 * count) is not past the end. */
static void test_offset_past_end(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--offset", "10", "water"), 1);
    CHECK(out && strstr(out, "no results past 3 (3 results in all; --offset 10)\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--offset", "3", "water"), 1);
    CHECK(out && strstr(out, "\"total\":3,") && strstr(out, "\"hits\":[]"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--offset", "2", "water"), 0);
    CHECK(out && strstr(out, "3 of 3 results ("));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--limit", "0", "water"), 0);
    CHECK(out && strstr(out, "3 results (") && !strstr(out, "past"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "similar", WHERE, "--offset", "50", "g1"), 1);
    CHECK(out && strstr(out, "no results past "));
    free(out), free(err);
}

static void test_color(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--color=always", "desalination"), 0);
    CHECK(out && strstr(out, "\033[1mCity council approves desalination plant\033[0m"));
    CHECK(out && strstr(out, "\033[1;33mdesalination\033[0m")); /* the match highlighted */
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--color", "always", WHERE, "g1"), 0);
    CHECK(out && strstr(out, "\033[1mCity council"));
    free(out), free(err);
    /* always wins over NO_COLOR; auto and never do not colour a file. */
    setenv("NO_COLOR", "1", 1);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--color=always", "desalination"), 0);
    CHECK(out && strstr(out, "\033["));
    free(out), free(err);
    unsetenv("NO_COLOR");
    static const char *const PLAIN[] = {"--color=auto", "--color=never"};
    for (size_t i = 0; i < 2; i++) {
        CHECK_INT(LEDE(&out, &err, "search", WHERE, (char *)PLAIN[i], "desalination"), 0);
        CHECK(out && strstr(out, "City council") && !strstr(out, "\033["));
        free(out), free(err);
    }
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--color=sometimes", "water"), 2);
    CHECK(err && strstr(err, "lede: --color must be auto, always or never, not 'sometimes'"));
    free(out), free(err);
}

/* Runs lede on a pseudo-terminal, as a person sees it: what it printed,
 * or NULL when it did not end within 10 s. */
static char *run_on_tty(char *const argv[], int *status) {
    int fd;
    fflush(NULL);
    pid_t pid = forkpty(&fd, NULL, NULL, NULL);
    if (pid < 0) return NULL;
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    struct pollfd p = {fd, POLLIN, 0};
    while (buf && len + 1 < cap && poll(&p, 1, 10000) > 0) {
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break; /* EIO once the child has closed the terminal */
        len += (size_t)r;
    }
    close(fd);
    kill(pid, SIGKILL); /* no effect when it has ended */
    waitpid(pid, status, 0);
    if (buf) buf[len] = '\0';
    return buf;
}

/* --color=auto: colour on a terminal, unless NO_COLOR is set. */
static void test_color_on_terminal(void) {
    char *argv[] = {(char *)lede, "search", where_opt, where_val, "desalination", NULL};
    int status = -1;
    char *out = run_on_tty(argv, &status);
    CHECK(out && strstr(out, "\033[1mCity council approves desalination plant\033[0m"));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(out);
    setenv("NO_COLOR", "1", 1);
    out = run_on_tty(argv, &status);
    CHECK(out && strstr(out, "City council approves desalination plant") && !strstr(out, "\033["));
    free(out);
    unsetenv("NO_COLOR");
    char *never[] = {(char *)lede, "--color=never", "search", where_opt,
                     where_val,    "desalination",  NULL};
    out = run_on_tty(never, &status);
    CHECK(out && strstr(out, "City council approves desalination plant") && !strstr(out, "\033["));
    free(out);
}

/* The version of lede, lede-indexer and lede-searchd is one, and each says it. */
static void test_version(void) {
    char *out = NULL, *err = NULL, v[3][64] = {"", "", ""};
    const char *progs[] = {lede, indexer, searchd},
               *names[] = {"lede", "lede-indexer", "lede-searchd"};
    for (int i = 0; i < 3; i++) {
        char *argv[] = {(char *)progs[i], "--version", NULL};
        CHECK_INT(check_run(argv, NULL, &out, &err), 0);
        char name[32] = "";
        CHECK(out && sscanf(out, "%31s %63s", name, v[i]) == 2);
        CHECK_STR(name, names[i]);
        CHECK(out && strstr(out, "(Xapian 1.4."));
        free(out), free(err);
    }
    CHECK(v[0][0] >= '0' && v[0][0] <= '9' && strchr(v[0], '.'));
    CHECK_STR(v[0], v[1]);
    CHECK_STR(v[0], v[2]);
    /* Before or after a command. */
    CHECK_INT(LEDE(&out, &err, "search", "--version"), 0);
    CHECK(out && !strncmp(out, "lede ", 5) && strstr(out, v[0]));
    free(out), free(err);
}

/* Bad command lines are refused by name, before anything is asked. */
static void test_option_errors(void) {
    static const char *const CASES[][4] = {
        {"--port", "99999", "lede: --port 99999: not a port number (1-65535)\n"},
        {"--port", "abc", "lede: --port abc: not a port number (1-65535)\n"},
        {"--port", "0", "lede: --port 0: not a port number (1-65535)\n"},
        {"--port", "-5", "lede: --port -5: not a port number (1-65535)\n"},
        {"--port", "", "lede: --port : not a port number (1-65535)\n"},
        {"--host", "", "lede: --host: give a host name or address"},
        {"--limit", "-1", "lede: --limit takes a whole number, not '-1'"},
        {"--offset", "1e3", "lede: --offset takes a whole number, not '1e3'"},
        {"--colour", "always", "lede: unknown option '--colour' (see lede --help)"},
        {"--json=yes", "x", "lede: option '--json' takes no value"},
        {"-x", "water",
         "lede: unknown option '-x' (see lede --help; a query word that starts "
         "with '-' goes after '--'"},
    };
    char *out, *err;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        CHECK_INT(LEDE(&out, &err, "search", (char *)CASES[i][0], (char *)CASES[i][1], "water"), 2);
        CHECK(err && strstr(err, CASES[i][2]));
        if (!err || !strstr(err, CASES[i][2]))
            fprintf(stderr, "  stderr: %s\n", err ? err : "(none)");
        CHECK(err && !strstr(err, "connect")); /* refused before connecting */
        CHECK(out && !*out);
        free(out), free(err);
    }
    CHECK_INT(LEDE(&out, &err, "search", "water", "--limit"), 2);
    CHECK(err && strstr(err, "lede: option '--limit' needs a value"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "--limit", "3", "g1"), 2);
    CHECK(err && strstr(err, "lede: option '--limit' is for lede search, similar and suggest"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "suggest", "--db", db, "--offset", "3", "wat"), 2);
    CHECK(err && strstr(err, "lede: option '--offset' is for lede search and similar"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", "--db", db, "g1", "g2"), 2);
    CHECK(err && strstr(err, "'get' takes exactly one ID"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "ping", "--db", db), 2);
    CHECK(err && strstr(err, "'ping' asks a running lede-searchd"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "--db", db), 2); /* no command: the usage, on stderr */
    CHECK(err && strstr(err, "Usage: lede [options] COMMAND"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "--help"), 0);
    CHECK(out && strstr(out, "Usage: lede [options] COMMAND") && strstr(out, "LEDE_PORT"));
    free(out), free(err);
    /* A bad LEDE_PORT is refused when it would be used, named as such. */
    setenv("LEDE_PORT", "70000", 1);
    CHECK_INT(LEDE(&out, &err, "search", "water"), 2);
    CHECK(err && strstr(err, "lede: LEDE_PORT=70000: not a port number (1-65535)\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--db", db, "water"), 0); /* not used with --db */
    free(out), free(err);
    unsetenv("LEDE_PORT");
}

/* LEDE_HOST and LEDE_PORT say where the daemon is; options win over them. */
static void test_environment(void) {
    char *out, *err;
    setenv("LEDE_PORT", port_text, 1);
    setenv("LEDE_HOST", "127.0.0.1", 1);
    CHECK_INT(LEDE(&out, &err, "ping"), 0);
    CHECK(out && strstr(out, "pong"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--port", "1", "water"), 2);
    CHECK(err && strstr(err, "cannot connect to 127.0.0.1:1"));
    free(out), free(err);
    setenv("LEDE_HOST", "no-such-host.invalid", 1);
    CHECK_INT(LEDE(&out, &err, "search", "water"), 2);
    CHECK(err && strstr(err, "cannot resolve no-such-host.invalid"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "--host", "127.0.0.1", "search", "water"), 0);
    CHECK(out && strstr(out, "3 results ("));
    free(out), free(err);
    setenv("LEDE_PORT", "abc", 1);
    CHECK_INT(LEDE(&out, &err, "search", "--host", "127.0.0.1", "--port", port_text, "water"), 0);
    free(out), free(err);
    unsetenv("LEDE_PORT");
    unsetenv("LEDE_HOST");
}

/* lede stats: a summary, not JSON. */
static void test_stats_readable(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "stats", "--port", port_text), 0);
    CHECK(out && !strncmp(out, "lede-searchd ", 13));
    CHECK(out && strstr(out, ", protocol 1, up "));
    CHECK(out && strstr(out, "\nindex        6 documents, revision "));
    CHECK(out && strstr(out, "\nrequests     ") && strstr(out, " a second over the last minute\n"));
    CHECK(out && strstr(out, "\nlatency      p50 "));
    CHECK(out && strstr(out, "\nerrors       "));
    CHECK(out && strstr(out, "\nconnections  "));
    CHECK(out && strstr(out, "queries_too_long 0"));
    CHECK(out && !strchr(out, '{') && !strchr(out, '"'));
    free(out), free(err);
}

/* The --json reply of one command, without its took_ms. */
static json_t *json_of(const char *opt, const char *val, const char *cmd, const char *arg) {
    char *out = NULL, *err = NULL;
    LEDE(&out, &err, cmd, (char *)opt, (char *)val, "--json", "--facets", "source,year",
         (char *)arg);
    if (strcmp(cmd, "search") != 0) { /* --facets is for search only: again without */
        free(out), free(err);
        LEDE(&out, &err, cmd, (char *)opt, (char *)val, "--json", (char *)arg);
    }
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    json_object_del(r, "took_ms");
    free(out), free(err);
    return r;
}

/* The daemon and the index answer alike. */
static void test_same_both_ways(void) {
    static const char *const CALLS[][2] = {
        {"search", "water"},    {"search", "\"desalination plant\""},
        {"search", "resevoir"}, {"search", "desalination zebra"},
        {"get", "g4"},          {"similar", "g1"},
        {"suggest", "wat"}};
    for (size_t i = 0; i < sizeof CALLS / sizeof CALLS[0]; i++) {
        json_t *direct = json_of("--db", db, CALLS[i][0], CALLS[i][1]);
        json_t *remote = json_of("--port", port_text, CALLS[i][0], CALLS[i][1]);
        CHECK(direct && remote && json_equal(direct, remote));
        if (!direct || !json_equal(direct, remote))
            fprintf(stderr, "  differs: %s %s\n", CALLS[i][0], CALLS[i][1]);
        json_decref(direct), json_decref(remote);
    }
}

static void test_daemon_commands(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "ping", "--port", port_text), 0);
    CHECK(out && strstr(out, "pong"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--host", "127.0.0.1", "--port", port_text), 0);
    CHECK(out && strstr(out, "documents") && strstr(out, "6"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "stats", "--port", port_text, "--json"), 0);
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(json_integer_value(json_object_get(json_object_get(r, "index"), "documents")) == 6);
    CHECK(json_integer_value(json_object_get(r, "requests_total")) > 0);
    json_decref(r);
    free(out), free(err);
    /* The daemon's limits reach the terminal as its error. */
    CHECK_INT(LEDE(&out, &err, "search", "--port", port_text, "--limit", "5000", "water"), 2);
    CHECK(err && strstr(err, "lede: over_limit: limit 5000 is over the maximum of 100"));
    free(out), free(err);
    CHECK_INT(
        LEDE(&out, &err, "search", "--host", "no-such-host.invalid", "--port", port_text, "water"),
        2);
    CHECK(err && strstr(err, "no-such-host.invalid"));
    free(out), free(err);
}

/* A total past 100 matches is Xapian's estimate: "about N", unless
 * --exact-total asks for every match to be counted. */
static void test_about(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", counts_opt, counts_val, "alpha", "beta"), 0);
    CHECK(out && strstr(out, "1–10 of about "));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", counts_opt, counts_val, "--exact-total", "alpha", "beta"),
              0);
    char want[64];
    snprintf(want, sizeof want, "1–10 of %d results (", COUNT_BOTH);
    CHECK(out && strstr(out, want) && !strstr(out, "about"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", counts_opt, counts_val, "--json", "--exact-total", "alpha",
                   "beta"),
              0);
    CHECK(out && strstr(out, "\"total_exact\":true"));
    free(out), free(err);
    /* Past the last match, Xapian has seen them all: the count is exact. */
    CHECK_INT(
        LEDE(&out, &err, "search", counts_opt, counts_val, "--offset", "5000", "alpha", "beta"), 1);
    snprintf(want, sizeof want, "no results past %d (%d results in all", COUNT_BOTH, COUNT_BOTH);
    CHECK(out && strstr(out, want));
    free(out), free(err);
    /* Few matches: exact without asking. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "water"), 0);
    CHECK(out && strstr(out, "3 results (") && !strstr(out, "about"));
    free(out), free(err);
}

/* --timeline PERIOD: the timeline facet as bars, in date order. */
static void test_timeline(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--timeline", "year", "water"), 0);
    const char *bars = out ? strstr(out, "\ntimeline:\n") : NULL;
    CHECK(bars != NULL);
    /* 2023: 3 (the longest bar, 40 columns). */
    char want[256] = "  2023       ";
    for (int i = 0; i < 40; i++) strcat(want, "█");
    strcat(want, " 3\n");
    CHECK(bars && strstr(bars, want));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--timeline=month", "--facets", "year",
                   "--any", "water", "city", "bank"),
              0);
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    json_t *t = json_object_get(json_object_get(r, "facets"), "timeline");
    CHECK(json_object_get(json_object_get(r, "facets"), "year") != NULL);
    char *keys = t ? json_dumps(t, JSON_COMPACT) : NULL;
    CHECK_STR(keys, "{\"2022-11\":1,\"2023-03\":1,\"2023-04\":2,\"2024-01\":1}");
    free(keys);
    json_decref(r);
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--timeline", "week", "water"), 2);
    CHECK(err && strstr(err, "lede: --timeline must be year, month or day, not 'week'"));
    free(out), free(err);
}

/* --facet-limit N: the top N values of each facet; the daemon's bounds
 * reach the terminal as its errors. */
static void test_facet_limit(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "--facets", "year,source",
                   "--facet-limit", "1", "--any", "water", "city", "bank"),
              0);
    json_t *r = out ? json_loads(out, 0, NULL) : NULL, *f = json_object_get(r, "facets");
    CHECK_INT(json_integer_value(json_object_get(json_object_get(f, "year"), "2023")), 3);
    CHECK_INT(json_object_size(json_object_get(f, "year")), 1);
    CHECK_INT(json_object_size(json_object_get(f, "source")), 1);
    json_decref(r);
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--facets", "year", "--facet-limit", "2", "--any",
                   "water", "city", "bank"),
              0);
    CHECK(out && strstr(out, "\nyear:  2023 (3)  2022 (1)\n"));
    free(out), free(err);
    CHECK_INT(
        LEDE(&out, &err, "search", WHERE, "--facets", "tag", "--facet-limit", "1000", "water"), 2);
    CHECK(err && strstr(err, "lede: over_limit: facet_limit 1000 is over max_facet_limit (100)"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--facets", "tag", "--facet-limit", "0", "water"),
              2);
    CHECK(err && strstr(err, "lede: bad_request: field 'facet_limit' must be 1 or more"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--facet-limit", "some", "water"), 2);
    CHECK(err && strstr(err, "lede: --facet-limit takes a whole number, not 'some'"));
    free(out), free(err);
}

/* A query that finds nothing is answered with its correction, which says
 * so; --exact searches the words as typed, neither corrected nor given a
 * suggestion. */
static void test_corrected(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "desalinaton"), 0);
    CHECK(out && !strncmp(out,
                          "Showing results for desalination. Search instead for desalinaton "
                          "(with --exact)\n\n  1. City council approves desalination plant\n",
                          120));
    CHECK(out && !strstr(out, "Did you mean"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "desalinaton"), 0);
    json_t *r = out ? json_loads(out, 0, NULL) : NULL, *c = json_object_get(r, "corrected");
    CHECK_STR(json_string_value(json_object_get(c, "q")), "desalination");
    CHECK_STR(json_string_value(json_object_get(c, "from")), "desalinaton");
    json_decref(r);
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--exact", "desalinaton"), 1);
    CHECK(out && strstr(out, "0 results (") && !strstr(out, "Showing") && !strstr(out, "Did you"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", "--exact", WHERE, "--json", "desalinaton"), 1);
    CHECK(out && strstr(out, "\"total\":0,") && !strstr(out, "corrected") &&
          !strstr(out, "suggestion"));
    free(out), free(err);
    /* --exact: no suggestion either. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--exact", "--all", "drought OR reservior"), 0);
    CHECK(out && strstr(out, "\n2 results") && !strstr(out, "Did you mean"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", WHERE, "--exact", "g1"), 2);
    CHECK(err && strstr(err, "lede: option '--exact' is for lede search only"));
    free(out), free(err);
}

/* A headline made from the first sentence is shown as such, in a hit and
 * in the article. */
static void test_title_from_body(void) {
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", counts_opt, counts_val, "--color=always", "pilots"), 0);
    CHECK(out && strstr(out, "  1. Harbour pilots walked off the job over new rosters. "
                             "\033[2m(no headline: its first sentence)\033[0m\n"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", counts_opt, counts_val, "--json", "pilots"), 0);
    CHECK(out && strstr(out, "\"title_from_body\":true"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "get", counts_opt, counts_val, "untitled"), 0);
    CHECK(out && !strncmp(out,
                          "Harbour pilots walked off the job over new rosters. (no headline: its "
                          "first sentence)\n",
                          86));
    free(out), free(err);
    /* A headline of its own is bold. */
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--color=always", "desalination"), 0);
    CHECK(out && strstr(out, "  1. \033[1mCity council") && !strstr(out, "no headline"));
    free(out), free(err);
}

/* A query with a syntax error: its words are searched, and lede says so. */
static void test_query_fallback(void) {
    static const char NOTE[] = "The query has a syntax error; its words were searched instead.\n\n";
    char *out, *err;
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "title:(water AND"), 0);
    CHECK(out && !strncmp(out, NOTE, strlen(NOTE)));
    CHECK(out && strstr(out, "\n3 results ("));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "--json", "title:(water AND"), 0);
    CHECK(out && strstr(out, "\"query_fallback\":true") && strstr(out, "\"total\":3,"));
    free(out), free(err);
    CHECK_INT(LEDE(&out, &err, "search", WHERE, "title:reservoir"), 0);
    CHECK(out && !strstr(out, "syntax error"));
    free(out), free(err);
}

/* lede stats says when the daemon can no longer read its index (its
 * directory deleted under it). */
static void test_stats_index_down(void) {
    char copy[4300], log[4300], port[16], *out = NULL, *err = NULL;
    snprintf(copy, sizeof copy, "%s/doomed", tmp);
    snprintf(log, sizeof log, "%s/searchd-doomed.log", tmp);
    char fixture[4300];
    snprintf(fixture, sizeof fixture, "%s/jsonl/good.jsonl", LEDE_FIXTURES);
    char *build[] = {(char *)indexer, "--db", copy, "--quiet", fixture, NULL};
    CHECK_INT(check_run(build, NULL, NULL, NULL), 0);
    sd_daemon_t d;
    bool started = sd_start(&d, searchd, copy, log, NULL);
    CHECK(started);
    if (!started) return;
    snprintf(port, sizeof port, "%u", d.port);
    CHECK_INT(LEDE(&out, &err, "stats", "--port", port), 0);
    CHECK(out && strstr(out, "\nindex        6 documents, revision "));
    free(out), free(err);
    check_rmtree(strdup(copy)); /* it frees what it is given */
    /* The daemon looks every reload_interval_ms (500): wait up to 5 s. */
    bool down = false;
    for (int i = 0; i < 50 && !down; i++) {
        out = err = NULL;
        CHECK_INT(LEDE(&out, &err, "stats", "--port", port), 0);
        down = out && strstr(out, "\nindex        DOWN: ");
        if (down) {
            CHECK(strstr(out, copy) && !strstr(out, "documents,"));
        } else {
            usleep(100 * 1000);
        }
        free(out), free(err);
    }
    CHECK(down);
    CHECK_INT(LEDE(&out, &err, "stats", "--port", port, "--json"), 0);
    CHECK(out && strstr(out, "\"up\":false"));
    free(out), free(err);
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
}

static void run_all(void) {
    RUN(test_search_text);
    RUN(test_search_json);
    RUN(test_filters_and_paging);
    RUN(test_no_hits_and_suggestion);
    RUN(test_relaxed);
    RUN(test_get);
    RUN(test_similar_and_suggest);
    RUN(test_options_anywhere);
    RUN(test_place_and_author);
    RUN(test_get_readable);
    RUN(test_offset_past_end);
    RUN(test_color);
    RUN(test_color_on_terminal);
    RUN(test_about);
    RUN(test_timeline);
    RUN(test_facet_limit);
    RUN(test_corrected);
    RUN(test_title_from_body);
    RUN(test_query_fallback);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_cli PATH-TO-lede PATH-TO-lede-indexer PATH-TO-lede-searchd\n");
        return 2;
    }
    lede = argv[1];
    indexer = argv[2];
    searchd = argv[3];
    char fixture[4200];
    tmp = check_tmpdir("cli");
    snprintf(db, sizeof db, "%s/idx", tmp);
    snprintf(fixture, sizeof fixture, "%s/jsonl/good.jsonl", LEDE_FIXTURES);
    char *args[] = {(char *)indexer, "--db", db, "--quiet", fixture, NULL};
    if (check_run(args, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the test index\n");
        return 1;
    }
    char counts[4300];
    snprintf(counts_db, sizeof counts_db, "%s/counts", tmp);
    snprintf(counts, sizeof counts, "%s/counts.jsonl", tmp);
    char *count_args[] = {(char *)indexer, "--db", counts_db, "--quiet", counts, NULL};
    if (!write_counts(counts) || check_run(count_args, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "could not build the counts index\n");
        return 1;
    }
    printf("-- with --db %s\n", db);
    /* The tests set these themselves. */
    unsetenv("LEDE_HOST"), unsetenv("LEDE_PORT"), unsetenv("NO_COLOR");
    run_all();
    RUN(test_errors);
    RUN(test_option_errors);
    RUN(test_version);
    char log[4300];
    snprintf(log, sizeof log, "%s/searchd.log", tmp);
    sd_daemon_t d, counts_d = {0};
    CHECK(sd_start(&d, searchd, db, log, NULL));
    if (d.pid) {
        snprintf(port_text, sizeof port_text, "%u", d.port);
        where_opt = "--port", where_val = port_text;
        snprintf(log, sizeof log, "%s/searchd-counts.log", tmp);
        CHECK(sd_start(&counts_d, searchd, counts_db, log, NULL));
        snprintf(counts_port, sizeof counts_port, "%u", counts_d.port);
        counts_opt = "--port", counts_val = counts_port;
        printf("-- with lede-searchd on port %s\n", port_text);
        run_all();
        RUN(test_same_both_ways);
        RUN(test_daemon_commands);
        RUN(test_environment);
        RUN(test_stats_readable);
        RUN(test_stats_index_down);
        CHECK_INT(sd_stop(&d, SIGTERM), 0);
        CHECK(sd_log_clean(&d));
        if (counts_d.pid) {
            CHECK_INT(sd_stop(&counts_d, SIGTERM), 0);
            CHECK(sd_log_clean(&counts_d));
        }
    }
    if (check_failures == 0)
        check_rmtree(tmp);
    else
        printf("files kept in %s\n", tmp);
    return check_summary();
}
