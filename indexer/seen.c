/* A hash set of (device, inode) pairs, each with the path first seen. */
#include "seen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Slots start at this and double when half full, which keeps probes short. */
#define SEEN_INITIAL_SLOTS 256

typedef struct slot {
    dev_t dev;
    ino_t ino;
    char *path; /* NULL: the slot is free */
} slot_t;

struct seen {
    slot_t *slots;
    size_t cap; /* a power of two */
    size_t used;
};

seen_t *seen_new(void) {
    seen_t *s = calloc(1, sizeof *s);
    if (s && !(s->slots = calloc(SEEN_INITIAL_SLOTS, sizeof *s->slots))) {
        free(s);
        return NULL;
    }
    if (s) s->cap = SEEN_INITIAL_SLOTS;
    return s;
}

static size_t hash(dev_t dev, ino_t ino) {
    uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

/* The slot holding (dev, ino), or the free slot where it would go. */
static slot_t *find(slot_t *slots, size_t cap, dev_t dev, ino_t ino) {
    size_t i = hash(dev, ino) & (cap - 1);
    while (slots[i].path && !(slots[i].dev == dev && slots[i].ino == ino)) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static lede_status_t grow(seen_t *s) {
    size_t cap = s->cap * 2;
    slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return LEDE_E_NOMEM;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].path) *find(slots, cap, s->slots[i].dev, s->slots[i].ino) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return LEDE_OK;
}

lede_status_t seen_add(seen_t *s, dev_t dev, ino_t ino, const char *path, const char **first) {
    *first = NULL;
    if (s->used * 2 >= s->cap && grow(s) != LEDE_OK) return LEDE_E_NOMEM;
    slot_t *slot = find(s->slots, s->cap, dev, ino);
    if (slot->path) {
        *first = slot->path;
        return LEDE_OK;
    }
    if (!(slot->path = strdup(path))) return LEDE_E_NOMEM;
    slot->dev = dev;
    slot->ino = ino;
    s->used++;
    return LEDE_OK;
}

void seen_free(seen_t *s) {
    if (!s) return;
    for (size_t i = 0; i < s->cap; i++) free(s->slots[i].path);
    free(s->slots);
    free(s);
}
