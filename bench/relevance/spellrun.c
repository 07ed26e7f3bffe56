/* lede-spellrun: what lede's spelling does with each query of a list.
 *
 * Each line of the query file is one query. It goes through
 * search_execute(), the code path of lede-searchd, with the protocol's
 * defaults ("match":"auto", "spelling":"auto"), and one line is written
 * per query: "query<TAB>what<TAB>text<TAB>total", where what is
 * "none", "suggestion" or "corrected" and text the better spelling ("" for
 * none). bench/spelling.sh turns these into rates. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lede/search.h"
#include "lede/shim.h"
#include "usage.h"

#define TOOL "lede-spellrun"

static const char USAGE[] =
    "Usage: " TOOL " --db DIR [--spelling off] QUERIES\n"
    "\n"
    "Searches each line of QUERIES as the protocol's defaults would and\n"
    "prints query<TAB>none|suggestion|corrected<TAB>spelling<TAB>total.\n"
    "With --spelling off, the total is that of the query as typed: more than\n"
    "0 for a one-word query means the word has a form in the index.\n";

static const struct option OPTIONS[] = {
    {"db", required_argument, NULL, 'd'},
    {"spelling", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One query's line of output; false after saying why it failed. */
static bool spell_one(shim_db_t *db, const char *q, search_spelling_t spelling) {
    search_params_t p = {.q = q, .relax = true, .suggest = true, .spelling = spelling, .limit = 0};
    json_t *reply = json_object();
    lede_status_t st = reply ? search_execute(db, &p, reply) : LEDE_E_NOMEM;
    if (st != LEDE_OK) {
        fprintf(stderr, TOOL ": '%s': %s: %s\n", q, lede_status_to_string(st), shim_db_errmsg(db));
        json_decref(reply);
        return false;
    }
    const char *suggestion = json_string_value(json_object_get(reply, "suggestion"));
    const char *corrected =
        json_string_value(json_object_get(json_object_get(reply, "corrected"), "q"));
    const char *what = corrected ? "corrected" : suggestion ? "suggestion" : "none";
    const char *text = corrected ? corrected : suggestion ? suggestion : "";
    printf("%s\t%s\t%s\t%lld\n", q, what, text,
           (long long)json_integer_value(json_object_get(reply, "total")));
    json_decref(reply);
    return true;
}

static int spell_file(shim_db_t *db, const char *path, search_spelling_t spelling) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char line[1024];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (*line && *line != '#' && !spell_one(db, line, spelling)) rc = 1;
    }
    fclose(f);
    return rc;
}

int main(int argc, char **argv) {
    const char *dir = NULL;
    search_spelling_t spelling = SEARCH_SPELLING_AUTO;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", OPTIONS, NULL)) != -1) {
        if (opt == 's' && strcmp(optarg, "off") != 0)
            return bench_bad_value(TOOL, "--spelling", optarg);
        if (opt == 's') {
            spelling = SEARCH_SPELLING_OFF;
        } else if (opt == 'd') {
            dir = optarg;
        } else {
            int rc = bench_getopt_other(TOOL, opt, argv, USAGE);
            return rc == 1 ? 0 : rc;
        }
    }
    if (!dir || optind + 1 != argc)
        return bench_usage_error(TOOL, "--db DIR and one query file are required", NULL);
    shim_db_t *db;
    char *msg = NULL;
    if (shim_db_open(dir, &db, &msg) != LEDE_OK) {
        fprintf(stderr, TOOL ": cannot open the index at %s: %s\n", dir,
                msg ? msg : "out of memory");
        free(msg);
        return 1;
    }
    int rc = spell_file(db, argv[optind], spelling);
    shim_db_close(db);
    return rc;
}
