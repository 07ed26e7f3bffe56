/* vocab: interned words with dense ids, in one open-addressing table. */
#include <stdlib.h>
#include <string.h>

#include "synth.h"

/* First table size: big enough for a small corpus without growing. */
#define FIRST_SLOTS 65536
/* The table grows when more than this share (in percent) is used. */
#define MAX_LOAD_PERCENT 70
/* Ids are below this: the top bit of a token marks a paragraph break. */
#define MAX_WORDS 0x7fffffffu

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

bool vocab_init(vocab_t *v) {
    *v = (vocab_t){0};
    v->slots = calloc(FIRST_SLOTS, sizeof *v->slots);
    v->offsets = malloc(FIRST_SLOTS * sizeof *v->offsets);
    if (!v->slots || !v->offsets) return vocab_free(v), false;
    v->n_slots = FIRST_SLOTS;
    v->offsets_cap = FIRST_SLOTS;
    v->offsets[0] = 0;
    return true;
}

static bool same_word(const vocab_t *v, uint32_t id, const char *s, size_t len) {
    size_t have;
    const char *w = vocab_word(v, id, &have);
    return have == len && memcmp(w, s, len) == 0;
}

/* The slot that holds s, or the free slot where it belongs. */
static size_t find_slot(const vocab_t *v, const char *s, size_t len) {
    size_t mask = v->n_slots - 1, i = (size_t)hash_bytes(s, len) & mask;
    while (v->slots[i] && !same_word(v, v->slots[i] - 1, s, len)) i = (i + 1) & mask;
    return i;
}

static bool grow_slots(vocab_t *v) {
    size_t n = v->n_slots * 2, mask = n - 1;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots) return false;
    for (uint32_t id = 0; id < v->n_words; id++) {
        size_t len;
        const char *w = vocab_word(v, id, &len);
        size_t i = (size_t)hash_bytes(w, len) & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = id + 1;
    }
    free(v->slots);
    v->slots = slots;
    v->n_slots = n;
    return true;
}

/* Room for one more word of len bytes. */
static bool reserve_word(vocab_t *v, size_t len) {
    if (v->n_words + 2 > v->offsets_cap) {
        uint32_t *grown = realloc(v->offsets, 2 * v->offsets_cap * sizeof *grown);
        if (!grown) return false;
        v->offsets = grown, v->offsets_cap *= 2;
    }
    if (v->text_len + len > UINT32_MAX) return false;
    if (v->text_len + len > v->text_cap) {
        size_t cap = v->text_cap ? v->text_cap * 2 : 1 << 20;
        while (cap < v->text_len + len) cap *= 2;
        char *grown = realloc(v->text, cap);
        if (!grown) return false;
        v->text = grown, v->text_cap = cap;
    }
    return true;
}

uint32_t vocab_intern(vocab_t *v, const char *s, size_t len) {
    size_t i = find_slot(v, s, len);
    if (v->slots[i]) return v->slots[i] - 1;
    if (v->n_words >= MAX_WORDS || !reserve_word(v, len)) return UINT32_MAX;
    if ((size_t)(v->n_words + 1) * 100 > v->n_slots * MAX_LOAD_PERCENT) {
        if (!grow_slots(v)) return UINT32_MAX;
        i = find_slot(v, s, len);
    }
    memcpy(v->text + v->text_len, s, len);
    v->text_len += len;
    v->offsets[v->n_words + 1] = (uint32_t)v->text_len;
    v->slots[i] = v->n_words + 1;
    return v->n_words++;
}

void vocab_free(vocab_t *v) {
    free(v->slots);
    free(v->offsets);
    free(v->text);
    *v = (vocab_t){0};
}
