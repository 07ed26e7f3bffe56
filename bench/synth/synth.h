/* lede-synth: synthetic news articles with the statistics of real corpora.
 *
 * Learning (learn.c) reads real articles and keeps, per article, its words
 * as ids into one vocabulary (vocab.c), its paragraph breaks, its date and
 * its other fields. Generation (generate.c) writes article k from a random
 * real "template" article: the same title and body lengths, fields and day,
 * and words drawn from a mixture of the template's own words (topic), the
 * real successors of the previous word (bigrams) and the whole corpus
 * (unigrams), plus new words at the rate Heaps' law predicts for a corpus
 * of that size. Article k depends only on the model, the seed and k. */
#ifndef LEDE_BENCH_SYNTH_H
#define LEDE_BENCH_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNTH_TOOL "lede-synth"

/* A token is a word id; this bit marks a paragraph break after it. */
#define SYNTH_BREAK_BIT 0x80000000u
#define SYNTH_WORD_MASK 0x7fffffffu

/* ---- random numbers ------------------------------------------------------ */

/* splitmix64's output function: scatters nearby inputs far apart. */
static inline uint64_t synth_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* splitmix64: small, fast and the same on every platform. */
static inline uint64_t synth_random(uint64_t *state) {
    return synth_mix(*state += 0x9e3779b97f4a7c15ULL);
}

/* Maps 32 random bits onto [0, n) without a division (Lemire). */
static inline uint32_t synth_below(uint32_t bits, uint32_t n) {
    return (uint32_t)(((uint64_t)bits * n) >> 32);
}

/* ---- vocabulary (vocab.c) ----------------------------------------------- */

/* Interned byte strings, each with a dense id from 0. */
typedef struct vocab {
    uint32_t *slots; /* open addressing: id + 1, or 0 when free */
    size_t n_slots;  /* a power of two */
    uint32_t n_words;
    uint32_t *offsets; /* word i is text[offsets[i] .. offsets[i + 1]) */
    size_t offsets_cap;
    char *text;
    size_t text_len, text_cap;
} vocab_t;

/* Sets up an empty vocabulary; false when out of memory. Free with
 * vocab_free(). */
bool vocab_init(vocab_t *v);

/* The id of s[0..len), added when new; UINT32_MAX when out of memory or
 * when the vocabulary is full (2^31 words). */
uint32_t vocab_intern(vocab_t *v, const char *s, size_t len);

/* The bytes of word id; borrowed until the vocabulary changes. */
static inline const char *vocab_word(const vocab_t *v, uint32_t id, size_t *len) {
    *len = v->offsets[id + 1] - v->offsets[id];
    return v->text + v->offsets[id];
}

void vocab_free(vocab_t *v);

/* ---- the model (learn.c) ------------------------------------------------ */

/* One text field of every article: its tokens in order, and for each word
 * the tokens that followed it somewhere (bigram successors). */
typedef struct text_model {
    uint32_t *tokens;
    size_t n_tokens, cap;
    uint32_t *succ_start; /* word w's successors: succ[succ_start[w] .. succ_start[w + 1]) */
    uint32_t *succ;
} text_model_t;

/* A span of one text model's tokens. */
typedef struct span {
    size_t start;
    uint32_t len;
} span_t;

/* A real article that synthetic ones are modelled on. */
typedef struct synth_template {
    span_t title, body;
    int16_t year; /* 0: no date */
    uint8_t month, day;
    uint32_t fields_off, fields_len; /* ',"key":value...' in fields text */
} synth_template_t;

typedef struct synth_model {
    vocab_t words; /* every token, JSON-escaped, as it appeared */
    text_model_t title, body;
    synth_template_t *templates;
    size_t n_templates, templates_cap;
    char *fields;
    size_t fields_len, fields_cap;
    /* Heaps' law over the body words (lower-cased letters and digits):
     * distinct words V(n) = heaps_k * n^heaps_beta after n words. */
    vocab_t distinct;
    uint32_t *distinct_counts; /* occurrences per distinct word */
    size_t distinct_counts_cap;
    uint32_t checkpoints[64]; /* V(2^i) */
    double heaps_k, heaps_beta;
    /* The share of the words seen once that are all letters: new words are
     * letters in that share, numbers otherwise. */
    double novel_letters_share;
    uint64_t words_seen;  /* body words counted for the fit */
    size_t lines_skipped; /* input lines that held no usable article */
} synth_model_t;

/* Sets up an empty model; false when out of memory. */
bool synth_model_init(synth_model_t *m);

/* Adds the articles of a JSON Lines file (gzip or plain) to the model.
 * Lines that are not articles with a title or a body are counted and
 * skipped. False, with a message on stderr, when the file cannot be read or
 * memory runs out. */
bool synth_learn(synth_model_t *m, const char *path);

/* Builds the bigram tables and fits Heaps' law; call once after the last
 * synth_learn(). False, with a message, when out of memory or when no
 * article was learned. */
bool synth_finish(synth_model_t *m);

/* Bytes the model holds. */
size_t synth_model_bytes(const synth_model_t *m);

void synth_model_free(synth_model_t *m);

/* ---- generation (generate.c) -------------------------------------------- */

typedef struct synth_gen_opts {
    uint64_t seed;
    uint64_t first; /* number of the first article */
    uint64_t count;
    const char *id_prefix;
    unsigned years;   /* dates spread back over this many years */
    bool novel_words; /* add the new words Heaps' law predicts */
} synth_gen_opts_t;

/* Where articles go: a stdio stream or a gzip stream. */
typedef struct synth_sink {
    void *file; /* FILE * or gzFile */
    bool gzip;
    uint64_t bytes; /* uncompressed bytes written */
} synth_sink_t;

/* Writes o->count articles, one JSON object per line. False, with a
 * message on stderr, on a write error or when out of memory. */
bool synth_generate(const synth_model_t *m, const synth_gen_opts_t *o, synth_sink_t *sink);

#endif
