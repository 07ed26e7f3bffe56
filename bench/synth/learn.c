/* learn: reads real articles into the model that lede-synth draws from. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "synth.h"

#define READ_CHUNK_BYTES 65536
/* Tokens longer than this (uuencoded lines, long URLs) are left out. */
#define MAX_TOKEN_BYTES 256
/* JSON escaping turns one byte into at most six ("\u001f"). */
#define MAX_ESCAPED_BYTES (6 * MAX_TOKEN_BYTES)
/* Heaps' law is fitted over the last three doublings of the word count,
 * and only when the corpus has at least 2^MIN_FIT_LOG2 words. */
#define FIT_OCTAVES 3
#define MIN_FIT_LOG2 14

bool synth_model_init(synth_model_t *m) {
    *m = (synth_model_t){0};
    if (vocab_init(&m->words) && vocab_init(&m->distinct)) return true;
    synth_model_free(m);
    return false;
}

/* ---- growable arrays ------------------------------------------------------ */

static bool reserve(void **data, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t cap2 = *cap ? *cap : 1024;
    while (cap2 < need) cap2 *= 2;
    void *grown = realloc(*data, cap2 * elem);
    if (!grown) return false;
    *data = grown, *cap = cap2;
    return true;
}

static bool push_token(text_model_t *t, uint32_t token) {
    if (t->n_tokens >= UINT32_MAX) return false; /* ids into it are 32 bits */
    if (!reserve((void **)&t->tokens, &t->cap, t->n_tokens + 1, sizeof *t->tokens)) return false;
    t->tokens[t->n_tokens++] = token;
    return true;
}

/* ---- tokens ----------------------------------------------------------------- */

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Writes s[0..len) as the inside of a JSON string; returns its length.
 * out holds at least 6 * len bytes. */
static size_t json_escape(char *out, const char *s, size_t len) {
    static const char HEX[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[n++] = '\\', out[n++] = (char)c;
        } else if (c < 0x20) {
            memcpy(out + n, "\\u00", 4);
            out[n + 4] = HEX[c >> 4], out[n + 5] = HEX[c & 15];
            n += 6;
        } else {
            out[n++] = (char)c;
        }
    }
    return n;
}

/* Counts a body word for the Heaps fit: lower-cased letters, digits and
 * non-ASCII bytes, the rest dropped, which is near what lede indexes. */
static bool count_distinct(synth_model_t *m, const char *s, size_t len) {
    char key[MAX_TOKEN_BYTES];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            key[n++] = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
            key[n++] = (char)c;
    }
    if (!n) return true;
    uint32_t known = m->distinct.n_words, id = vocab_intern(&m->distinct, key, n);
    if (id == UINT32_MAX || !reserve((void **)&m->distinct_counts, &m->distinct_counts_cap,
                                     (size_t)id + 1, sizeof *m->distinct_counts))
        return false;
    if (id == known) m->distinct_counts[id] = 0; /* a new word */
    m->distinct_counts[id]++;
    uint64_t seen = ++m->words_seen;
    if ((seen & (seen - 1)) == 0) m->checkpoints[__builtin_ctzll(seen)] = m->distinct.n_words;
    return true;
}

/* Whether a run of white space is a paragraph break: a blank line, or a
 * line break followed by an indent (Reuters' style). */
static bool is_break(const char *s, size_t len) {
    unsigned newlines = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            newlines++;
        else if (newlines && (s[i] == ' ' || s[i] == '\t'))
            return true;
    }
    return newlines >= 2;
}

/* Adds one token and, for the body, counts it for the Heaps fit. */
static bool add_token(synth_model_t *m, text_model_t *t, const char *s, size_t len, bool body) {
    char escaped[MAX_ESCAPED_BYTES];
    if (len > MAX_TOKEN_BYTES) return true;
    uint32_t id = vocab_intern(&m->words, escaped, json_escape(escaped, s, len));
    if (id == UINT32_MAX || !push_token(t, id)) return false;
    return !body || count_distinct(m, s, len);
}

/* Splits text on white space into tokens of t; marks paragraph breaks on
 * the body's tokens. *span receives where they went. */
static bool add_text(synth_model_t *m, text_model_t *t, const char *text, bool body, span_t *span) {
    span->start = t->n_tokens;
    const char *p = text;
    while (*p) {
        const char *word = p;
        while (*p && !is_space(*p)) p++;
        size_t len = (size_t)(p - word);
        const char *gap = p;
        while (is_space(*p)) p++;
        if (len && !add_token(m, t, word, len, body)) return false;
        if (len && body && *p && t->n_tokens > span->start && is_break(gap, (size_t)(p - gap)))
            t->tokens[t->n_tokens - 1] |= SYNTH_BREAK_BIT;
    }
    if (t->n_tokens - span->start > UINT32_MAX) return false;
    span->len = (uint32_t)(t->n_tokens - span->start);
    if (span->len) t->tokens[t->n_tokens - 1] &= SYNTH_WORD_MASK;
    return true;
}

/* ---- the other fields --------------------------------------------------------- */

/* "YYYY-MM-DD..." into the template; anything else leaves it dateless. */
static void take_date(synth_template_t *t, const char *date) {
    int y, mo, d;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3) return;
    if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31) return;
    t->year = (int16_t)y, t->month = (uint8_t)mo, t->day = (uint8_t)d;
}

static bool append_fields(synth_model_t *m, const char *s, size_t len) {
    if (m->fields_len + len > UINT32_MAX) return false;
    if (!reserve((void **)&m->fields, &m->fields_cap, m->fields_len + len, 1)) return false;
    memcpy(m->fields + m->fields_len, s, len);
    m->fields_len += len;
    return true;
}

/* Appends ',"key":value' for one field, copied as it was. */
static bool append_field(synth_model_t *m, const char *key, json_t *value) {
    size_t klen = strlen(key);
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) return false;
    bool ok = reserve((void **)&m->fields, &m->fields_cap, m->fields_len + 6 * klen + 4, 1);
    if (ok) {
        m->fields[m->fields_len++] = ',';
        m->fields[m->fields_len++] = '"';
        m->fields_len += json_escape(m->fields + m->fields_len, key, klen);
        m->fields[m->fields_len++] = '"';
        m->fields[m->fields_len++] = ':';
        ok = append_fields(m, text, strlen(text));
    }
    free(text);
    return ok;
}

/* Every field but the ones lede-synth writes itself. */
static bool take_fields(synth_model_t *m, json_t *article, synth_template_t *t) {
    static const char *const OWN[] = {"id", "title", "body", "date"};
    const char *key;
    json_t *value;
    t->fields_off = (uint32_t)m->fields_len;
    json_object_foreach(article, key, value) {
        bool own = false;
        for (size_t i = 0; i < sizeof OWN / sizeof OWN[0]; i++) own = own || !strcmp(key, OWN[i]);
        if (!own && !append_field(m, key, value)) return false;
    }
    t->fields_len = (uint32_t)(m->fields_len - t->fields_off);
    return true;
}

/* ---- articles --------------------------------------------------------------------- */

static bool add_template(synth_model_t *m, const synth_template_t *t) {
    if (!reserve((void **)&m->templates, &m->templates_cap, m->n_templates + 1,
                 sizeof *m->templates))
        return false;
    m->templates[m->n_templates++] = *t;
    return true;
}

/* Learns one parsed line; a line without a title or body word is
 * skipped. False only when out of memory. */
static bool learn_article(synth_model_t *m, json_t *article) {
    const char *title = json_string_value(json_object_get(article, "title"));
    const char *body = json_string_value(json_object_get(article, "body"));
    synth_template_t t = {0};
    if (!add_text(m, &m->title, title ? title : "", false, &t.title) ||
        !add_text(m, &m->body, body ? body : "", true, &t.body))
        return false;
    if (!t.title.len && !t.body.len) return m->lines_skipped++, true;
    take_date(&t, json_string_value(json_object_get(article, "date")));
    return take_fields(m, article, &t) && add_template(m, &t);
}

/* Reads one whole line of any length into *buf; false at the end. */
static bool read_line(gzFile f, char **buf, size_t *cap, bool *oom) {
    size_t len = 0;
    for (;;) {
        if (*cap - len < READ_CHUNK_BYTES &&
            !reserve((void **)buf, cap, *cap + READ_CHUNK_BYTES, 1))
            return *oom = true, false;
        if (!gzgets(f, *buf + len, (int)(*cap - len))) return len > 0;
        len += strlen(*buf + len);
        if (len && (*buf)[len - 1] == '\n') return true;
    }
}

static bool learn_line(synth_model_t *m, const char *line) {
    json_t *article = json_loads(line, 0, NULL);
    bool ok = true;
    if (json_is_object(article))
        ok = learn_article(m, article);
    else
        m->lines_skipped++;
    json_decref(article);
    return ok;
}

bool synth_learn(synth_model_t *m, const char *path) {
    gzFile f = gzopen(path, "rb");
    if (!f) return fprintf(stderr, SYNTH_TOOL ": cannot open %s\n", path), false;
    char *buf = NULL;
    size_t cap = 0;
    bool ok = true, oom = false;
    while (ok && read_line(f, &buf, &cap, &oom)) ok = learn_line(m, buf);
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    if (!ok || oom)
        fprintf(stderr, SYNTH_TOOL ": %s: out of memory or model too large\n", path);
    else if (errnum != Z_OK && errnum != Z_BUF_ERROR)
        fprintf(stderr, SYNTH_TOOL ": %s: %s\n", path, msg), ok = false;
    free(buf);
    gzclose(f);
    return ok && !oom;
}

/* ---- finishing ------------------------------------------------------------------ */

/* For each word, the tokens that follow it inside the same article. */
static bool build_successors(text_model_t *t, const synth_model_t *m, bool title) {
    uint32_t n_words = m->words.n_words;
    t->succ_start = calloc((size_t)n_words + 1, sizeof *t->succ_start);
    t->succ = malloc((t->n_tokens ? t->n_tokens : 1) * sizeof *t->succ);
    uint32_t *fill = calloc((size_t)n_words + 1, sizeof *fill);
    if (!t->succ_start || !t->succ || !fill) return free(fill), false;
    for (size_t i = 0; i < m->n_templates; i++) {
        span_t s = title ? m->templates[i].title : m->templates[i].body;
        for (uint32_t k = 0; k + 1 < s.len; k++)
            t->succ_start[(t->tokens[s.start + k] & SYNTH_WORD_MASK) + 1]++;
    }
    for (uint32_t w = 0; w < n_words; w++) t->succ_start[w + 1] += t->succ_start[w];
    memcpy(fill, t->succ_start, (size_t)n_words * sizeof *fill);
    for (size_t i = 0; i < m->n_templates; i++) {
        span_t s = title ? m->templates[i].title : m->templates[i].body;
        for (uint32_t k = 0; k + 1 < s.len; k++)
            t->succ[fill[t->tokens[s.start + k] & SYNTH_WORD_MASK]++] = t->tokens[s.start + k + 1];
    }
    free(fill);
    return true;
}

/* Fits V(n) = K n^beta over the last FIT_OCTAVES doublings of the words
 * seen; leaves beta at 0 (no new words) for a small corpus. */
static void fit_heaps(synth_model_t *m) {
    if (m->words_seen < (1ULL << MIN_FIT_LOG2)) return;
    int top = 63 - __builtin_clzll(m->words_seen);
    double v_top = m->checkpoints[top], v_low = m->checkpoints[top - FIT_OCTAVES];
    m->heaps_beta = log2(v_top / v_low) / FIT_OCTAVES;
    if (m->heaps_beta <= 0 || m->heaps_beta >= 1)
        m->heaps_beta = 0;
    else
        m->heaps_k = v_top / pow(2.0, top * m->heaps_beta);
}

static bool all_letters(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if ((s[i] < 'a' || s[i] > 'z') && (unsigned char)s[i] < 0x80) return false;
    return true;
}

/* Words seen once stand for the words a growing corpus keeps adding:
 * names and typos (all letters) and numbers and codes (the rest). */
static void measure_novel_letters(synth_model_t *m) {
    size_t once = 0, letters = 0;
    for (uint32_t id = 0; id < m->distinct.n_words; id++) {
        if (m->distinct_counts[id] != 1) continue;
        size_t len;
        const char *w = vocab_word(&m->distinct, id, &len);
        once++;
        letters += all_letters(w, len);
    }
    m->novel_letters_share = once ? (double)letters / (double)once : 1.0;
}

bool synth_finish(synth_model_t *m) {
    if (!m->n_templates) {
        fprintf(stderr, SYNTH_TOOL ": no article with a title or body in the input\n");
        return false;
    }
    if (!build_successors(&m->title, m, true) || !build_successors(&m->body, m, false)) {
        fprintf(stderr, SYNTH_TOOL ": out of memory\n");
        return false;
    }
    fit_heaps(m);
    measure_novel_letters(m);
    /* Only the fit needed them. */
    vocab_free(&m->distinct);
    free(m->distinct_counts);
    m->distinct_counts = NULL, m->distinct_counts_cap = 0;
    return true;
}

static size_t text_model_bytes(const text_model_t *t, uint32_t n_words) {
    size_t succ = t->succ ? (t->n_tokens + n_words + 1) * sizeof(uint32_t) : 0;
    return t->cap * sizeof *t->tokens + succ;
}

size_t synth_model_bytes(const synth_model_t *m) {
    const vocab_t *v = &m->words;
    return v->n_slots * sizeof *v->slots + v->offsets_cap * sizeof *v->offsets + v->text_cap +
           text_model_bytes(&m->title, v->n_words) + text_model_bytes(&m->body, v->n_words) +
           m->templates_cap * sizeof *m->templates + m->fields_cap;
}

static void text_model_free(text_model_t *t) {
    free(t->tokens);
    free(t->succ_start);
    free(t->succ);
}

void synth_model_free(synth_model_t *m) {
    vocab_free(&m->words);
    vocab_free(&m->distinct);
    free(m->distinct_counts);
    text_model_free(&m->title);
    text_model_free(&m->body);
    free(m->templates);
    free(m->fields);
    *m = (synth_model_t){0};
}
