/* generate: writes synthetic articles from a learned model. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "synth.h"

/* How each word is drawn, as shares of 65536: a real successor of the
 * previous word (so phrases recur), a word of the template article (so
 * articles keep a topic and repeat their words), else any word of the
 * corpus with its real frequency (Zipf's law as observed). With these
 * shares, synthetic Reuters articles have as many distinct words as real
 * ones (75 per article against 75; with 40/30/30 they had 89). */
#define BIGRAM_SHARE 22938 /* 35% */
#define TOPIC_SHARE 39322  /* 60%; the last 5% are unigrams */
#define SHARE_ONE 65536
#define NO_TOKEN UINT32_MAX
#define SECONDS_PER_DAY 86400
/* A generous first size for one article's JSON; it grows when needed. */
#define FIRST_ARTICLE_BYTES 65536

/* ---- one article's bytes, with a sticky error ---------------------------- */

typedef struct buf {
    char *data;
    size_t len, cap;
    bool failed;
} buf_t;

static void buf_put(buf_t *b, const char *s, size_t len) {
    if (b->failed) return;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : FIRST_ARTICLE_BYTES;
        while (cap < b->len + len) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown, b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
}

static void buf_puts(buf_t *b, const char *s) {
    buf_put(b, s, strlen(s));
}

/* ---- words ------------------------------------------------------------------ */

/* The next token of a text: see the shares above. x is 64 random bits:
 * the low 16 choose the source, the high 32 the token. */
static uint32_t next_token(const text_model_t *t, span_t topic, uint32_t prev, uint64_t x) {
    uint32_t choice = (uint32_t)(x & 0xffff), bits = (uint32_t)(x >> 32);
    if (prev != NO_TOKEN && choice < BIGRAM_SHARE) {
        uint32_t w = prev & SYNTH_WORD_MASK, lo = t->succ_start[w], n = t->succ_start[w + 1] - lo;
        if (n) return t->succ[lo + synth_below(bits, n)];
    }
    if (topic.len && choice < BIGRAM_SHARE + TOPIC_SHARE)
        return t->tokens[topic.start + synth_below(bits, topic.len)];
    return t->tokens[synth_below(bits, (uint32_t)t->n_tokens)];
}

/* A new pronounceable word of two to four syllables: a name or a typo no
 * corpus had. */
static void put_novel_letters(buf_t *b, uint64_t x) {
    static const char CONSONANTS[] = "bcdfghjklmnprstvz", VOWELS[] = "aeiou";
    char word[16];
    size_t n = 0;
    unsigned syllables = 2 + (unsigned)(x % 3);
    x /= 3;
    for (unsigned s = 0; s < syllables; s++) {
        word[n++] = CONSONANTS[x % (sizeof CONSONANTS - 1)], x /= sizeof CONSONANTS - 1;
        word[n++] = VOWELS[x % (sizeof VOWELS - 1)], x /= sizeof VOWELS - 1;
    }
    if (x & 1) word[n++] = CONSONANTS[(x >> 1) % (sizeof CONSONANTS - 1)];
    buf_put(b, word, n);
}

/* A new number, shaped like the ones news prints: "155,221", "5.93" or
 * "48210". */
static void put_novel_number(buf_t *b, uint64_t x) {
    char text[32];
    unsigned a = (unsigned)(x % 1000), c = (unsigned)(x / 1000 % 100000);
    switch (x >> 40 & 3) {
    case 0:
        snprintf(text, sizeof text, "%u,%03u", 1 + a, c % 1000);
        break;
    case 1:
        snprintf(text, sizeof text, "%u.%02u", a, c % 100);
        break;
    default:
        snprintf(text, sizeof text, "%u", 10000 + c);
    }
    buf_puts(b, text);
}

/* A word that no corpus had, as a growing collection keeps meeting. */
static void put_novel_word(buf_t *b, uint64_t *rng, uint32_t letters_share) {
    uint64_t x = synth_random(rng);
    if ((x & 0xffff) < letters_share)
        put_novel_letters(b, x >> 16);
    else
        put_novel_number(b, x >> 16);
}

typedef struct draw {
    uint64_t rng;
    uint32_t novel_share;   /* of SHARE_ONE */
    uint32_t letters_share; /* of SHARE_ONE, among the new words */
} draw_t;

/* Writes len words of text model t, in the template's topic. */
static void put_text(buf_t *b, const synth_model_t *m, const text_model_t *t, span_t topic,
                     draw_t *d, bool breaks) {
    uint32_t prev = NO_TOKEN;
    for (uint32_t i = 0; i < topic.len; i++) {
        uint64_t x = synth_random(&d->rng);
        uint32_t token = next_token(t, topic, prev, x);
        if (((x >> 16) & 0xffff) < d->novel_share) {
            put_novel_word(b, &d->rng, d->letters_share);
        } else {
            size_t len;
            const char *word = vocab_word(&m->words, token & SYNTH_WORD_MASK, &len);
            buf_put(b, word, len);
        }
        if (i + 1 < topic.len) buf_puts(b, breaks && (token & SYNTH_BREAK_BIT) ? "\\n\\n" : " ");
        prev = token;
    }
}

/* ---- articles ------------------------------------------------------------------ */

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The template's day, up to years - 1 years earlier, at a random time. */
static void put_date(buf_t *b, const synth_template_t *t, unsigned years, uint64_t *rng) {
    uint64_t x = synth_random(rng);
    int year = t->year - (int)synth_below((uint32_t)x, years ? years : 1);
    int day = t->day;
    if (t->month == 2 && day == 29 && !is_leap(year)) day = 28;
    if (year < 1) year = 1;
    unsigned s = synth_below((uint32_t)(x >> 32), SECONDS_PER_DAY);
    char text[64];
    snprintf(text, sizeof text, ",\"date\":\"%04d-%02u-%02dT%02u:%02u:%02uZ\"", year,
             (unsigned)t->month, day, s / 3600, s / 60 % 60, s % 60);
    buf_puts(b, text);
}

/* The share of words that are new in article k: Heaps' law says the
 * n-th word is new with probability dV/dn = beta K n^(beta - 1). Words up
 * to the size of the real corpus come from it alone. */
static uint32_t novel_share(const synth_model_t *m, const synth_gen_opts_t *o, uint64_t k) {
    if (!o->novel_words || m->heaps_beta <= 0) return 0;
    double per_article = (double)m->words_seen / (double)m->n_templates;
    double n = (double)k * per_article;
    if (n <= (double)m->words_seen) return 0;
    double p = m->heaps_beta * m->heaps_k * pow(n, m->heaps_beta - 1);
    return p >= 1 ? SHARE_ONE : (uint32_t)(p * SHARE_ONE + 0.5);
}

/* Article k as one line of JSON. */
static void put_article(buf_t *b, const synth_model_t *m, const synth_gen_opts_t *o, uint64_t k) {
    draw_t d = {.rng = synth_mix(synth_mix(o->seed) ^ k),
                .novel_share = novel_share(m, o, k),
                .letters_share = (uint32_t)(m->novel_letters_share * SHARE_ONE + 0.5)};
    const synth_template_t *t = &m->templates[synth_below((uint32_t)(synth_random(&d.rng) >> 32),
                                                          (uint32_t)m->n_templates)];
    char id[32];
    snprintf(id, sizeof id, "%" PRIu64, k);
    buf_puts(b, "{\"id\":\"");
    buf_puts(b, o->id_prefix);
    buf_puts(b, id);
    if (t->title.len) {
        buf_puts(b, "\",\"title\":\"");
        put_text(b, m, &m->title, t->title, &d, false);
    }
    if (t->body.len) {
        buf_puts(b, "\",\"body\":\"");
        put_text(b, m, &m->body, t->body, &d, true);
    }
    buf_puts(b, "\"");
    if (t->year) put_date(b, t, o->years, &d.rng);
    buf_put(b, m->fields + t->fields_off, t->fields_len);
    buf_puts(b, "}\n");
}

static bool sink_write(synth_sink_t *s, const char *data, size_t len) {
    s->bytes += len;
    if (s->gzip) return gzwrite((gzFile)s->file, data, (unsigned)len) == (int)len;
    return fwrite(data, 1, len, (FILE *)s->file) == len;
}

bool synth_generate(const synth_model_t *m, const synth_gen_opts_t *o, synth_sink_t *sink) {
    buf_t b = {0};
    bool ok = true;
    for (uint64_t i = 0; ok && i < o->count; i++) {
        b.len = 0;
        put_article(&b, m, o, o->first + i);
        if (b.failed) {
            fprintf(stderr, SYNTH_TOOL ": out of memory\n");
            ok = false;
        } else if (!sink_write(sink, b.data, b.len)) {
            fprintf(stderr, SYNTH_TOOL ": write error\n");
            ok = false;
        }
    }
    free(b.data);
    return ok;
}
