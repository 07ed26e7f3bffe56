/* Learnt furniture: an open-addressing hash table from a line's loose form
 * (trimmed, small letters, single spaces, plain quotes) to the number of
 * pages it was seen on. See extract_learn.h. */
#include "extract_learn.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract_parts.h"

/* Lines longer than this are article text or a notice the detectors see. */
#define LEARN_MAX_BYTES 300
/* At most this many distinct lines are kept (about 40 MB at worst). */
#define LEARN_MAX_LINES (1u << 19)
#define FIRST_SLOTS 1024

typedef struct {
    char *key; /* loose form; NULL for an empty slot */
    uint64_t hash;
    unsigned pages;
    unsigned long last_page; /* the page that counted it last: once per page */
} slot_t;

struct ex_learned {
    slot_t *slots;
    size_t cap, used;
    unsigned long pages;
};

static uint64_t hash_of(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The loose form of s[0..n) into out (at least n + 1 bytes): bullets and
 * trailing punctuation gone, ASCII folded, spaces collapsed. */
static size_t loosen(const char *s, size_t n, char *out) {
    size_t k = 0;
    const char *p = ex_unbullet(s);
    n -= (size_t)(p - s);
    while (n > 0 && strchr(" .:|", p[n - 1])) n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ' || c == '\t') {
            if (k > 0 && out[k - 1] != ' ') out[k++] = ' ';
            continue;
        }
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
    return k;
}

ex_learned_t *ex_learned_new(void) {
    ex_learned_t *l = calloc(1, sizeof *l);
    if (l && !(l->slots = calloc(FIRST_SLOTS, sizeof *l->slots))) {
        free(l);
        return NULL;
    }
    if (l) l->cap = FIRST_SLOTS;
    return l;
}

void ex_learned_free(ex_learned_t *l) {
    if (!l) return;
    for (size_t i = 0; i < l->cap; i++) free(l->slots[i].key);
    free(l->slots);
    free(l);
}

static slot_t *find(const ex_learned_t *l, const char *key, uint64_t h) {
    for (size_t i = h & (l->cap - 1);; i = (i + 1) & (l->cap - 1)) {
        slot_t *s = &l->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0)) return s;
    }
}

static bool grow(ex_learned_t *l) {
    size_t cap = l->cap * 2;
    slot_t *old = l->slots, *fresh = calloc(cap, sizeof *fresh);
    if (!fresh) return false;
    size_t old_cap = l->cap;
    l->slots = fresh;
    l->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key) *find(l, old[i].key, old[i].hash) = old[i];
    free(old);
    return true;
}

/* Adds `pages` to the count of key; the page number keeps one page from
 * counting a line twice. */
static lede_status_t add(ex_learned_t *l, const char *key, unsigned pages, unsigned long page) {
    uint64_t h = hash_of(key);
    slot_t *s = find(l, key, h);
    if (s->key) {
        if (page && s->last_page == page) return LEDE_OK;
        s->pages += pages;
        s->last_page = page;
        return LEDE_OK;
    }
    if (l->used >= LEARN_MAX_LINES) return LEDE_OK;
    if ((l->used + 1) * 2 > l->cap) {
        if (!grow(l)) return LEDE_E_NOMEM;
        s = find(l, key, h);
    }
    if (!(s->key = strdup(key))) return LEDE_E_NOMEM;
    s->hash = h;
    s->pages = pages;
    s->last_page = page;
    l->used++;
    return LEDE_OK;
}

/* Prose is never counted: a sentence on many pages is a syndicated story's
 * ("Terms were not disclosed."), and the notices sites print in sentences
 * are found by the words they use. */
static bool countable(size_t n, const ex_shape_t *sh) {
    return n > 0 && n <= LEARN_MAX_BYTES && sh->words > 0 && !ex_shape_prose(sh);
}

/* A page's units are counted, not its raw lines: a hard-wrapped page's
 * line fragments ("pct in 1985", "company") are joined into paragraphs
 * first, so that they never pass for a site's furniture. */
lede_status_t ex_learned_count_page(ex_learned_t *l, const char *text, size_t len) {
    char key[LEARN_MAX_BYTES + 1];
    ex_page_t page;
    size_t bad;
    l->pages++;
    if (len == 0 || !utf8_valid(text, len, &bad) || memchr(text, '\0', len)) return LEDE_OK;
    lede_status_t st = ex_page_split(text, len, false, &page);
    for (size_t i = 0; i < page.n && st == LEDE_OK; i++) {
        const ex_unit_t *u = &page.u[i];
        if (u->kind != EX_K_SEPARATOR && countable(u->len, &u->shape) &&
            loosen(u->s, u->len, key) > 0)
            st = add(l, key, 1, l->pages);
    }
    ex_page_free(&page);
    return st;
}

bool ex_learned_has(const ex_learned_t *l, const ex_unit_t *u, unsigned *pages) {
    char key[LEARN_MAX_BYTES + 1];
    if (!l || l->used == 0 || !countable(u->len, &u->shape) || loosen(u->s, u->len, key) == 0)
        return false;
    const slot_t *s = find(l, key, hash_of(key));
    if (!s->key || s->pages < EX_LEARN_MIN_PAGES) return false;
    *pages = s->pages;
    return true;
}

unsigned long ex_learned_pages(const ex_learned_t *l) {
    return l->pages;
}

size_t ex_learned_size(const ex_learned_t *l) {
    size_t n = 0;
    for (size_t i = 0; i < l->cap; i++)
        n += l->slots[i].key && l->slots[i].pages >= EX_LEARN_MIN_PAGES;
    return n;
}

static int by_pages(const void *a, const void *b) {
    const slot_t *x = *(slot_t *const *)a, *y = *(slot_t *const *)b;
    if (x->pages != y->pages) return x->pages > y->pages ? -1 : 1;
    return strcmp(x->key, y->key);
}

char *ex_learned_dump(const ex_learned_t *l, size_t max) {
    slot_t **v = malloc((l->used + 1) * sizeof *v);
    json_t *lines = json_array();
    size_t n = 0;
    if (!v || !lines) {
        free(v);
        json_decref(lines);
        return NULL;
    }
    for (size_t i = 0; i < l->cap; i++)
        if (l->slots[i].key && l->slots[i].pages >= 2) v[n++] = &l->slots[i];
    qsort(v, n, sizeof *v, by_pages);
    for (size_t i = 0; i < n && i < max; i++)
        json_array_append_new(lines, json_pack("[s,i]", v[i]->key, (json_int_t)v[i]->pages));
    free(v);
    json_t *root =
        json_pack("{s:i, s:I, s:o}", "version", 1, "pages", (json_int_t)l->pages, "lines", lines);
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    return text;
}

void ex_learned_load(ex_learned_t *l, const char *dump) {
    json_t *root = dump && *dump ? json_loads(dump, 0, NULL) : NULL;
    json_t *lines = json_object_get(root, "lines"), *item;
    size_t i;
    json_int_t pages = json_integer_value(json_object_get(root, "pages"));
    if (json_integer_value(json_object_get(root, "version")) != 1 || !json_is_array(lines)) {
        json_decref(root);
        return;
    }
    if (pages > 0) l->pages += (unsigned long)pages;
    json_array_foreach(lines, i, item) {
        const char *key = json_string_value(json_array_get(item, 0));
        json_int_t count = json_integer_value(json_array_get(item, 1));
        if (key && count > 0 && strlen(key) <= LEARN_MAX_BYTES &&
            add(l, key, (unsigned)count, 0) != LEDE_OK)
            break;
    }
    json_decref(root);
}

void ex_learned_each(const ex_learned_t *l, bool (*fn)(void *ctx, const char *line, unsigned pages),
                     void *ctx) {
    for (size_t i = 0; i < l->cap; i++)
        if (l->slots[i].key && l->slots[i].pages >= EX_LEARN_MIN_PAGES &&
            !fn(ctx, l->slots[i].key, l->slots[i].pages))
            return;
}
