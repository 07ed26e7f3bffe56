/* lede-querygen: a realistic, reproducible query file from a corpus.
 *
 * Reads articles (JSON lines, gzip or plain) and writes COUNT queries of
 * one to three words drawn from article titles: lower-cased, without
 * stopwords, query operators, words with digits or words of one letter.
 * A fixed share are "quoted phrases" of two words adjacent in a title,
 * and a fixed share are JSON requests filtered on the article's category
 * (or, when it has none, its first tag). The same input, count and seed
 * always give the same file. */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "usage.h"

#define TOOL "lede-querygen"
#define DEFAULT_COUNT 300
#define DEFAULT_SEED 3
/* Queries at most: far more than a benchmark replays. */
#define MAX_COUNT 10000000
/* Shares of the queries, in percent. */
#define PHRASE_PERCENT 15
#define FILTER_PERCENT 10
/* Words per plain query at most. */
#define MAX_QUERY_WORDS 3
/* Eligible words kept per title; longer titles are cut. */
#define MAX_TITLE_WORDS 32
/* Draws of an article for one query before giving up: the corpus has no
 * title that fits. */
#define MAX_DRAWS 100000
#define READ_CHUNK_BYTES 65536

static const char USAGE[] =
    "Usage: " TOOL " [options] ARTICLES.jsonl[.gz]...\n"
    "\n"
    "Writes a query file for lede-loadgen and lede-inproc: queries of 1-3 title\n"
    "words, "
    "15% two-word phrases, 10% filtered by category (JSON lines).\n"
    "\n"
    "Options:\n"
    "  -n, --count N    queries to write (default 300)\n"
    "  --seed S         the random seed (default 3); same seed, same file\n"
    "  -o, --out FILE   write here instead of standard output\n"
    "  -h, --help       show this help\n";

/* Words a query never uses: English function words, which carry no
 * meaning on their own, and the query language's operators. */
static const char *const STOPWORDS[] = {
    "a",    "about", "after", "against", "all",    "also", "an",   "and",   "any",   "are",
    "as",   "at",    "be",    "been",    "before", "but",  "by",   "can",   "could", "did",
    "do",   "does",  "for",   "from",    "had",    "has",  "have", "he",    "her",   "his",
    "how",  "if",    "in",    "into",    "is",     "it",   "its",  "may",   "more",  "near",
    "new",  "no",    "not",   "of",      "off",    "on",   "or",   "our",   "out",   "over",
    "says", "said",  "she",   "should",  "so",     "than", "that", "the",   "their", "them",
    "then", "there", "these", "they",    "this",   "to",   "up",   "was",   "we",    "were",
    "what", "when",  "which", "while",   "who",    "will", "with", "would", "xor",   "you",
    "adj",  "sees",  "set",   "sets",
};

typedef struct word {
    char *text;
    unsigned pos; /* position among all the title's tokens */
} word_t;

typedef struct title {
    word_t words[MAX_TITLE_WORDS];
    unsigned n;
    char *filter_key; /* "category" or "tag", or NULL */
    char *filter_value;
} title_t;

typedef struct corpus {
    title_t *titles;
    size_t n, cap;
} corpus_t;

/* splitmix64: small, fast and the same on every platform. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t random_below(uint64_t *state, size_t n) {
    return (size_t)(next_random(state) % n);
}

static bool is_stopword(const char *w) {
    for (size_t i = 0; i < sizeof STOPWORDS / sizeof STOPWORDS[0]; i++)
        if (strcmp(w, STOPWORDS[i]) == 0) return true;
    return false;
}

/* A token qualifies when it has two letters or more and no digit. */
static bool eligible(const char *w) {
    if (strlen(w) < 2 || is_stopword(w)) return false;
    for (const char *p = w; *p; p++)
        if (isdigit((unsigned char)*p)) return false;
    return true;
}

static bool word_byte(unsigned char ch) {
    return isalnum(ch) || ch >= 0x80;
}

/* Splits a title into lower-cased tokens, keeping the eligible ones with
 * their positions. Ticker symbols in angle brackets ("<SRD>") are skipped. */
static void tokenize(const char *title, title_t *t) {
    unsigned pos = 0;
    bool in_ticker = false;
    for (const char *p = title; *p && t->n < MAX_TITLE_WORDS;) {
        if (*p == '<') in_ticker = true;
        if (*p == '>') in_ticker = false;
        if (!word_byte((unsigned char)*p)) {
            p++;
            continue;
        }
        size_t len = 0;
        while (word_byte((unsigned char)p[len])) len++;
        char *w = in_ticker ? NULL : strndup(p, len);
        p += len;
        if (!w) continue;
        for (char *q = w; *q; q++) *q = (char)tolower((unsigned char)*q);
        if (eligible(w))
            t->words[t->n++] = (word_t){w, pos};
        else
            free(w);
        pos++;
    }
}

/* The filter an article offers: its category, else its first tag. */
static void take_filter(json_t *article, title_t *t) {
    const char *category = json_string_value(json_object_get(article, "category"));
    const char *tag = json_string_value(json_array_get(json_object_get(article, "tags"), 0));
    if (category && *category)
        t->filter_key = "category", t->filter_value = strdup(category);
    else if (tag && *tag)
        t->filter_key = "tag", t->filter_value = strdup(tag);
    if (!t->filter_value) t->filter_key = NULL;
}

static bool add_article(corpus_t *c, const char *line) {
    json_t *article = json_loads(line, 0, NULL);
    const char *title = json_string_value(json_object_get(article, "title"));
    title_t t = {0};
    if (title) tokenize(title, &t);
    if (t.n) take_filter(article, &t);
    json_decref(article);
    if (!t.n) return true;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        title_t *grown = realloc(c->titles, cap * sizeof *grown);
        if (!grown) return false;
        c->titles = grown, c->cap = cap;
    }
    c->titles[c->n++] = t;
    return true;
}

/* Reads one whole line of any length into *buf; false at the end. */
static bool read_line(gzFile f, char **buf, size_t *cap) {
    size_t len = 0;
    for (;;) {
        if (*cap - len < READ_CHUNK_BYTES) {
            char *grown = realloc(*buf, *cap + 2 * READ_CHUNK_BYTES);
            if (!grown) return false;
            *buf = grown, *cap += 2 * READ_CHUNK_BYTES;
        }
        if (!gzgets(f, *buf + len, (int)(*cap - len))) return len > 0;
        len += strlen(*buf + len);
        if (len && (*buf)[len - 1] == '\n') return true;
    }
}

static bool read_corpus(const char *path, corpus_t *c) {
    gzFile f = gzopen(path, "rb");
    if (!f) return fprintf(stderr, TOOL ": cannot open %s\n", path), false;
    char *buf = NULL;
    size_t cap = 0;
    bool ok = true;
    while (ok && read_line(f, &buf, &cap)) ok = add_article(c, buf);
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    if (ok && errnum != Z_OK && errnum != Z_BUF_ERROR) {
        fprintf(stderr, TOOL ": %s: %s\n", path, msg);
        ok = false;
    }
    if (!ok && errnum == Z_OK) fprintf(stderr, TOOL ": out of memory\n");
    free(buf);
    gzclose(f);
    return ok;
}

/* Shuffles flags[0..n) (Fisher-Yates). */
static void shuffle(bool *flags, size_t n, uint64_t *rng) {
    for (size_t i = n; i > 1; i--) {
        size_t j = random_below(rng, i);
        bool tmp = flags[i - 1];
        flags[i - 1] = flags[j], flags[j] = tmp;
    }
}

/* n flags with round(n * percent / 100) set, in random places. */
static bool *spread(size_t n, unsigned percent, uint64_t *rng) {
    bool *flags = calloc(n ? n : 1, sizeof *flags);
    size_t set = (n * percent + 50) / 100;
    for (size_t i = 0; flags && i < set; i++) flags[i] = true;
    if (flags) shuffle(flags, n, rng);
    return flags;
}

/* A quoted pair of adjacent title words, or false when the title has none. */
static bool phrase_from(const title_t *t, uint64_t *rng, char *out, size_t size) {
    unsigned starts[MAX_TITLE_WORDS], n = 0;
    for (unsigned i = 0; i + 1 < t->n; i++)
        if (t->words[i + 1].pos == t->words[i].pos + 1 &&
            strcmp(t->words[i].text, t->words[i + 1].text))
            starts[n++] = i;
    if (!n) return false;
    unsigned i = starts[random_below(rng, n)];
    snprintf(out, size, "\"%s %s\"", t->words[i].text, t->words[i + 1].text);
    return true;
}

/* One to three distinct title words, in title order. */
static void words_from(const title_t *t, uint64_t *rng, char *out, size_t size) {
    bool chosen[MAX_TITLE_WORDS] = {false};
    unsigned want = 1 + (unsigned)random_below(rng, MAX_QUERY_WORDS);
    for (unsigned picked = 0, tries = 0; picked < want && tries < 4 * MAX_TITLE_WORDS; tries++) {
        unsigned i = (unsigned)random_below(rng, t->n);
        bool repeat = chosen[i];
        for (unsigned k = 0; k < t->n && !repeat; k++)
            repeat = chosen[k] && strcmp(t->words[k].text, t->words[i].text) == 0;
        if (!repeat) chosen[i] = true, picked++;
    }
    size_t len = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < t->n; i++)
        if (chosen[i] && len < size)
            len +=
                (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", t->words[i].text);
}

/* Writes one query: a plain line, or a JSON request when filtered. */
static bool write_query(FILE *out, const char *q, const title_t *t, bool filtered) {
    if (!filtered) return fprintf(out, "%s\n", q) >= 0;
    json_t *req =
        json_pack("{sssss{ss}}", "op", "search", "q", q, "filter", t->filter_key, t->filter_value);
    char *text = req ? json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    bool ok = text && fprintf(out, "%s\n", text) >= 0;
    free(text);
    json_decref(req);
    return ok;
}

/* Draws articles until one fits the query's kind, then writes the query. */
static bool generate_one(const corpus_t *c, bool phrase, bool filtered, uint64_t *rng, FILE *out) {
    char q[1024];
    for (unsigned draw = 0; draw < MAX_DRAWS; draw++) {
        const title_t *t = &c->titles[random_below(rng, c->n)];
        if (filtered && !t->filter_key) continue;
        if (phrase && !phrase_from(t, rng, q, sizeof q)) continue;
        if (!phrase) words_from(t, rng, q, sizeof q);
        return write_query(out, q, t, filtered);
    }
    fprintf(stderr, TOOL ": no title fits a %s%s query\n", phrase ? "phrase" : "word",
            filtered ? " filtered" : "");
    return false;
}

static bool generate(const corpus_t *c, size_t count, uint64_t seed, FILE *out) {
    uint64_t rng = seed;
    bool *phrases = spread(count, PHRASE_PERCENT, &rng);
    bool *filters = spread(count, FILTER_PERCENT, &rng);
    bool ok = phrases && filters;
    for (size_t i = 0; ok && i < count; i++)
        ok = generate_one(c, phrases[i], filters[i], &rng, out);
    if (!phrases || !filters) fprintf(stderr, TOOL ": out of memory\n");
    free(phrases);
    free(filters);
    return ok;
}

static void free_corpus(corpus_t *c) {
    for (size_t i = 0; i < c->n; i++) {
        for (unsigned k = 0; k < c->titles[i].n; k++) free(c->titles[i].words[k].text);
        free(c->titles[i].filter_value);
    }
    free(c->titles);
}

static const struct option OPTIONS[] = {
    {"count", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, 's'},
    {"out", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

typedef struct options {
    unsigned long count;
    unsigned long long seed;
    const char *out_path;
} options_t;

/* 0: go on; 1: help printed; 2: usage error (printed). */
static int parse_options(int argc, char **argv, options_t *o) {
    *o = (options_t){.count = DEFAULT_COUNT, .seed = DEFAULT_SEED};
    char *end;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":n:o:h", OPTIONS, NULL)) != -1) {
        switch (opt) {
        case 'n':
            o->count = strtoul(optarg, &end, 10);
            if (*end || !*optarg || *optarg == '-' || !o->count || o->count > MAX_COUNT)
                return bench_usage_error(TOOL, "bad --count ", optarg);
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (*end || !*optarg || *optarg == '-')
                return bench_usage_error(TOOL, "bad --seed ", optarg);
            break;
        case 'o':
            o->out_path = optarg;
            break;
        default: /* -h, a missing value, an unknown option */
            return bench_getopt_other(TOOL, opt, argv, USAGE);
        }
    }
    if (optind == argc) return bench_usage_error(TOOL, "no input file", NULL);
    return 0;
}

/* Reads every input, then writes the queries. */
static bool run(const options_t *o, char *const *inputs, int n_inputs) {
    corpus_t c = {0};
    bool ok = true;
    for (int i = 0; ok && i < n_inputs; i++) ok = read_corpus(inputs[i], &c);
    if (ok && !c.n)
        ok = false, fprintf(stderr, TOOL ": no title with a usable word in the input\n");
    FILE *out = ok && o->out_path ? fopen(o->out_path, "w") : stdout;
    if (!out) ok = false, fprintf(stderr, TOOL ": cannot write %s\n", o->out_path);
    if (ok) ok = generate(&c, o->count, o->seed, out);
    if (out && out != stdout && fclose(out) != 0) ok = false;
    if (ok)
        fprintf(stderr, TOOL ": %lu queries from %zu titles, seed %llu\n", o->count, c.n, o->seed);
    free_corpus(&c);
    return ok;
}

int main(int argc, char **argv) {
    options_t o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    return run(&o, argv + optind, argc - optind) ? 0 : 1;
}
