/* lede-synth: writes synthetic news articles, as JSON Lines, with the
 * statistics of real corpora (see synth.h for the model). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "synth.h"
#include "usage.h"

/* gzip output favours speed: the generator must not be the bottleneck. */
#define GZIP_MODE "wb1"
#define OUTPUT_BUFFER_BYTES (1 << 20)
/* Articles at most in one run, and the largest first number: ids stay
 * well inside what any JSON reader takes as an exact integer. */
#define MAX_ARTICLES 1000000000000ULL
#define MAX_YEARS 1000
#define MAX_PREFIX_BYTES 64
#define DEFAULT_SEED 1

static const char USAGE[] =
    "Usage: " SYNTH_TOOL " -n COUNT [options] CORPUS.jsonl[.gz]...\n"
    "\n"
    "Learns word frequencies, bigrams, title and body lengths, dates and fields\n"
    "from real articles (JSON Lines, gzip or plain), then writes COUNT synthetic\n"
    "articles as JSON Lines for lede-indexer. Article K depends only on the\n"
    "corpora, the seed and K: a smaller run is a prefix of a larger one.\n"
    "\n"
    "Options:\n"
    "  -n, --count N       articles to write (required)\n"
    "  --first K           number of the first article (default 1); ids are PREFIX K\n"
    "  --seed S            the random seed (default 1)\n"
    "  --id-prefix P       prefix of the ids (default \"synth-\")\n"
    "  --years N           spread dates over N years back from the real ones\n"
    "                      (default 1: the real days)\n"
    "  --closed-vocabulary only words of the corpora; by default new words are\n"
    "                      added beyond the corpora's size as Heaps' law predicts\n"
    "  -o, --out FILE      write to FILE instead of standard output\n"
    "  -z, --gzip          compress the output (implied by a FILE ending in .gz)\n"
    "  -q, --quiet         no summary on standard error\n"
    "  -h, --help          show this help\n";

typedef struct options {
    synth_gen_opts_t gen;
    const char *out_path;
    bool gzip, quiet;
} options_t;

enum { OPT_FIRST = 256, OPT_SEED, OPT_PREFIX, OPT_YEARS, OPT_CLOSED };

static const struct option OPTIONS[] = {
    {"count", required_argument, NULL, 'n'},
    {"first", required_argument, NULL, OPT_FIRST},
    {"seed", required_argument, NULL, OPT_SEED},
    {"id-prefix", required_argument, NULL, OPT_PREFIX},
    {"years", required_argument, NULL, OPT_YEARS},
    {"closed-vocabulary", no_argument, NULL, OPT_CLOSED},
    {"out", required_argument, NULL, 'o'},
    {"gzip", no_argument, NULL, 'z'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* A whole number in [lo, hi], nothing else. */
static bool parse_number(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *s == '+' || *end || errno || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* The prefix goes into JSON as is, so it must need no escaping. */
static bool valid_prefix(const char *p) {
    if (strlen(p) > MAX_PREFIX_BYTES) return false;
    for (; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) return false;
    return true;
}

/* Handles one option; 0 to go on, 2 on a usage error. */
static int take_option(int opt, const char *arg, options_t *o) {
    uint64_t v;
    switch (opt) {
    case 'n':
        if (!parse_number(arg, 1, MAX_ARTICLES, &o->gen.count))
            return bench_usage_error(SYNTH_TOOL, "bad --count ", arg);
        return 0;
    case OPT_FIRST:
        if (!parse_number(arg, 0, MAX_ARTICLES, &o->gen.first))
            return bench_usage_error(SYNTH_TOOL, "bad --first ", arg);
        return 0;
    case OPT_SEED:
        if (!parse_number(arg, 0, UINT64_MAX, &o->gen.seed))
            return bench_usage_error(SYNTH_TOOL, "bad --seed ", arg);
        return 0;
    case OPT_YEARS:
        if (!parse_number(arg, 1, MAX_YEARS, &v))
            return bench_usage_error(SYNTH_TOOL, "bad --years ", arg);
        o->gen.years = (unsigned)v;
        return 0;
    case OPT_PREFIX:
        if (!valid_prefix(arg)) return bench_usage_error(SYNTH_TOOL, "bad --id-prefix ", arg);
        o->gen.id_prefix = arg;
        return 0;
    case OPT_CLOSED:
        o->gen.novel_words = false;
        return 0;
    case 'o':
        o->out_path = arg;
        return 0;
    case 'z':
        o->gzip = true;
        return 0;
    case 'q':
        o->quiet = true;
        return 0;
    }
    return bench_usage_error(SYNTH_TOOL, "unknown option", NULL);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){.gen = {.seed = DEFAULT_SEED,
                             .first = 1,
                             .id_prefix = "synth-",
                             .years = 1,
                             .novel_words = true}};
    int opt, rc;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":n:o:zqh", OPTIONS, NULL)) != -1) {
        if (opt == 'h' || opt == ':' || opt == '?')
            return bench_getopt_other(SYNTH_TOOL, opt, argv, USAGE);
        if ((rc = take_option(opt, optarg, o)) != 0) return rc;
    }
    if (!o->gen.count) return bench_usage_error(SYNTH_TOOL, "--count is required", NULL);
    if (o->gen.first > MAX_ARTICLES - o->gen.count)
        return bench_usage_error(SYNTH_TOOL, "--first is too large", NULL);
    if (optind == argc) return bench_usage_error(SYNTH_TOOL, "no corpus file given", NULL);
    if (o->out_path && ends_with(o->out_path, ".gz")) o->gzip = true;
    return 0;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool learn_all(synth_model_t *m, char *const *paths, int n, bool quiet) {
    double start = now_seconds();
    for (int i = 0; i < n; i++)
        if (!synth_learn(m, paths[i])) return false;
    if (!synth_finish(m)) return false;
    if (!quiet)
        fprintf(stderr,
                SYNTH_TOOL ": learned %zu articles (%zu lines skipped): %zu body and %zu title "
                           "tokens, %" PRIu32 " distinct tokens, Heaps beta %.3f, new words %.0f%% "
                           "letters; model %.0f MB, %.1f s\n",
                m->n_templates, m->lines_skipped, m->body.n_tokens, m->title.n_tokens,
                m->words.n_words, m->heaps_beta, 100 * m->novel_letters_share,
                (double)synth_model_bytes(m) / 1e6, now_seconds() - start);
    return true;
}

static bool open_sink(const options_t *o, synth_sink_t *s) {
    *s = (synth_sink_t){.gzip = o->gzip};
    if (o->gzip) {
        s->file = o->out_path ? gzopen(o->out_path, GZIP_MODE) : gzdopen(fileno(stdout), GZIP_MODE);
        if (s->file) gzbuffer((gzFile)s->file, OUTPUT_BUFFER_BYTES);
    } else {
        s->file = o->out_path ? fopen(o->out_path, "wb") : stdout;
        if (s->file) setvbuf((FILE *)s->file, NULL, _IOFBF, OUTPUT_BUFFER_BYTES);
    }
    if (!s->file)
        fprintf(stderr, SYNTH_TOOL ": cannot write %s: %s\n", o->out_path ? o->out_path : "stdout",
                strerror(errno));
    return s->file != NULL;
}

static bool close_sink(synth_sink_t *s) {
    bool ok = s->gzip ? gzclose((gzFile)s->file) == Z_OK : fclose((FILE *)s->file) == 0;
    if (!ok) fprintf(stderr, SYNTH_TOOL ": write error on close\n");
    return ok;
}

static bool run(const options_t *o, char *const *inputs, int n_inputs) {
    synth_model_t m;
    synth_sink_t sink;
    if (!synth_model_init(&m)) return fprintf(stderr, SYNTH_TOOL ": out of memory\n"), false;
    bool ok = learn_all(&m, inputs, n_inputs, o->quiet) && open_sink(o, &sink);
    if (ok) {
        double start = now_seconds();
        ok = synth_generate(&m, &o->gen, &sink);
        ok = close_sink(&sink) && ok;
        double secs = now_seconds() - start;
        if (ok && !o->quiet)
            fprintf(stderr,
                    SYNTH_TOOL ": wrote %" PRIu64 " articles, %.1f MB of JSON, in %.1f s "
                               "(%.0f articles/s, %.0f MB/s)\n",
                    o->gen.count, (double)sink.bytes / 1e6, secs, (double)o->gen.count / secs,
                    (double)sink.bytes / 1e6 / secs);
    }
    synth_model_free(&m);
    return ok;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    return run(&o, argv + optind, argc - optind) ? 0 : 1;
}
