/* lede-extract-eval: scores lede-indexer's page extraction on the
 * extraction dev set (../shared/extraction-dev). main() only reads the
 * options; evalset.c does the work, report*.c prints it. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evalset.h"
#include "floors.h"
#include "htmltext.h"
#include "report.h"
#include "usage.h"

#define TOOL "lede-extract-eval"
#define ERR_BYTES 1024
#define EXIT_SKIPPED 77 /* ctest's SKIP_RETURN_CODE */
/* An indexer run over the dev set takes about a second; one that takes
 * minutes is stuck. */
#define DEFAULT_TIMEOUT_S 300

#ifndef LEDE_EXTRACTION_DEV_DEFAULT
#define LEDE_EXTRACTION_DEV_DEFAULT "../shared/extraction-dev"
#endif

static const char USAGE[] =
    "Usage: " TOOL " --indexer PATH [options]\n"
    "\n"
    "Scores lede-indexer's page extraction on the extraction dev set: indexes\n"
    "each set's folder in one lede-indexer run (in a temporary directory), reads\n"
    "every page's documents back from the index and checks them against the\n"
    "hand-written truth (extraction-dev/README.md, \"Scoring\"; bench/README.md).\n"
    "Prints markdown tables, per field and per group and host.\n"
    "\n"
    "Options:\n"
    "  --indexer PATH   the lede-indexer binary to measure (required)\n"
    "  --set SET        text, html or both (default both)\n"
    "  --dev DIR        the dev set (default " LEDE_EXTRACTION_DEV_DEFAULT ")\n"
    "  --floors FILE    exit 1 when a figure is below its floor in FILE\n"
    "                   (bench/extract/floors.txt)\n"
    "  -v, --failures   list each failure: the page, what the truth accepts and\n"
    "                   what the extractor gave, one line each, by field\n"
    "  --json           print one JSON object with every figure and verdict\n"
    "  --keep           keep the temporary index (its path goes to stderr)\n"
    "  --timeout SEC    kill an indexer run after SEC seconds, an error (default\n"
    "                   300; 0: no limit)\n"
    "  --skip-missing   exit 77 (a skip for ctest) when the dev set is not there\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 scored (and every floor held), 1 a figure below its floor,\n"
    "2 an error, 77 no dev set with --skip-missing.\n";

typedef struct options {
    evalset_opts_t set_opts;
    const char *sets[2];
    size_t n_sets;
    const char *floors;
    bool failures, json, skip_missing;
} options_t;

enum { O_INDEXER = 256, O_SET, O_DEV, O_FLOORS, O_JSON, O_KEEP, O_TIMEOUT, O_SKIP_MISSING };

static const struct option OPTIONS[] = {
    {"indexer", required_argument, NULL, O_INDEXER},
    {"set", required_argument, NULL, O_SET},
    {"dev", required_argument, NULL, O_DEV},
    {"floors", required_argument, NULL, O_FLOORS},
    {"failures", no_argument, NULL, 'v'},
    {"json", no_argument, NULL, O_JSON},
    {"keep", no_argument, NULL, O_KEEP},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"skip-missing", no_argument, NULL, O_SKIP_MISSING},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int pick_sets(options_t *o, const char *value) {
    if (strcmp(value, "both") == 0) {
        o->sets[0] = "text", o->sets[1] = "html", o->n_sets = 2;
        return 0;
    }
    if (!evalset_known(value)) return bench_bad_value(TOOL, "set", value);
    o->sets[0] = value, o->n_sets = 1;
    return 0;
}

static int parse_seconds(const char *value, unsigned *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (end == value || *end || errno || v > 86400 || value[0] == '-')
        return bench_bad_value(TOOL, "timeout", value);
    *out = (unsigned)v;
    return 0;
}

/* Applies one option; 0, or the status of a usage error (printed). */
static int one_option(options_t *o, int opt, char **argv) {
    switch (opt) {
    case O_INDEXER:
        o->set_opts.indexer = optarg;
        return 0;
    case O_SET:
        return pick_sets(o, optarg);
    case O_DEV:
        o->set_opts.dev = optarg;
        return 0;
    case O_FLOORS:
        o->floors = optarg;
        return 0;
    case 'v':
        o->failures = true;
        return 0;
    case O_JSON:
        o->json = true;
        return 0;
    case O_KEEP:
        o->set_opts.keep = true;
        return 0;
    case O_TIMEOUT:
        return parse_seconds(optarg, &o->set_opts.timeout_s);
    case O_SKIP_MISSING:
        o->skip_missing = true;
        return 0;
    default:
        return bench_getopt_other(TOOL, opt, argv, USAGE);
    }
}

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){
        .set_opts = {.dev = LEDE_EXTRACTION_DEV_DEFAULT, .timeout_s = DEFAULT_TIMEOUT_S}};
    pick_sets(o, "both");
    int opt, rc = 0;
    opterr = 0;
    while (rc == 0 && (opt = getopt_long(argc, argv, ":vh", OPTIONS, NULL)) != -1)
        rc = one_option(o, opt, argv);
    if (rc == 0 && optind < argc)
        rc = bench_usage_error(TOOL, "unexpected argument ", argv[optind]);
    if (rc == 0 && !o->set_opts.indexer)
        rc = bench_usage_error(TOOL, "--indexer is required", NULL);
    return rc;
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 0 when the inputs are there; otherwise the exit status, after saying why. */
static int check_inputs(const options_t *o) {
    const char *dev = o->set_opts.dev;
    if (!is_dir(dev)) {
        if (o->skip_missing)
            return printf(TOOL ": skipped: the extraction dev set %s is not there\n", dev),
                   EXIT_SKIPPED;
        return fprintf(stderr, TOOL ": --dev %s: no such directory\n", dev), 2;
    }
    if (access(o->set_opts.indexer, X_OK) != 0)
        return fprintf(stderr, TOOL ": --indexer %s: not an executable file\n",
                       o->set_opts.indexer),
               2;
    return 0;
}

/* Scores one set and reports it; returns false on an error (printed). */
static bool score_set(const options_t *o, const char *name, const floors_t *floors,
                      json_t *json_sets, size_t *broken) {
    char err[ERR_BYTES];
    evalset_t s;
    bool ok = evalset_run(name, &o->set_opts, &s, err, sizeof err);
    if (!ok) fprintf(stderr, TOOL ": %s set: %s\n", name, err);
    if (ok && o->json) json_array_append_new(json_sets, report_json(&s));
    if (ok && !o->json) report_markdown(stdout, &s, o->failures);
    if (ok && floors) *broken += floors_check(floors, s.name, &s.tally, stderr);
    evalset_free(&s);
    return ok;
}

static int run(const options_t *o, const floors_t *floors) {
    json_t *sets = json_array();
    size_t broken = 0;
    bool ok = true;
    for (size_t i = 0; i < o->n_sets && ok; i++)
        ok = score_set(o, o->sets[i], floors, sets, &broken);
    if (ok && o->json) {
        json_t *all =
            json_pack("{s:s,s:s,s:o}", "tool", TOOL, "dev", o->set_opts.dev, "sets", sets);
        if (floors)
            json_object_set_new(
                all, "floors",
                json_pack("{s:s,s:I}", "file", floors->path, "below", (json_int_t)broken));
        json_dumpf(all, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(all);
    } else {
        json_decref(sets);
    }
    if (ok && broken)
        fprintf(stderr, TOOL ": %zu figure%s broke %s floor or ceiling in %s\n", broken,
                broken == 1 ? "" : "s", broken == 1 ? "its" : "their", floors->path);
    return !ok ? 2 : broken ? 1 : 0;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc != 0) return rc == 1 ? 0 : rc;
    if ((rc = check_inputs(&o)) != 0) return rc;
    floors_t floors = {0};
    char err[ERR_BYTES];
    if (o.floors && !floors_load(o.floors, &floors, err, sizeof err)) {
        fprintf(stderr, TOOL ": %s\n", err);
        floors_free(&floors);
        return 2;
    }
    rc = run(&o, o.floors ? &floors : NULL);
    floors_free(&floors);
    htmltext_cleanup();
    return rc;
}
