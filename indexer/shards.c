/* The layout of a sharded index and its routing (shards.h). */
#include "shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FNV1A_OFFSET_BASIS 0xcbf29ce484222325ull
#define FNV1A_PRIME 0x100000001b3ull

uint64_t shards_hash(const char *id) {
    uint64_t h = FNV1A_OFFSET_BASIS;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= FNV1A_PRIME;
    }
    return h;
}

unsigned shards_route(const char *id, unsigned n) {
    return n > 1 ? (unsigned)(shards_hash(id) % n) : 0;
}

static lede_status_t open_part(index_dir_t *d, const index_dir_t *top, const char *name,
                               lede_err_t *err) {
    char path[INDEX_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", top->path, name);
    return index_dir_open(d, path, err);
}

lede_status_t shards_open(shards_t *s, const index_dir_t *top, unsigned n, lede_err_t *err) {
    *s = (shards_t){.spelling.lock_fd = -1};
    s->dirs = calloc(n, sizeof *s->dirs);
    if (!s->dirs) return lede_errf(err, LEDE_E_NOMEM, "out of memory");
    lede_status_t st = open_part(&s->spelling, top, SHARDS_SPELLING_NAME, err);
    for (unsigned k = 0; k < n && st == LEDE_OK; k++) {
        char name[32];
        snprintf(name, sizeof name, "shard-%u", k);
        st = open_part(&s->dirs[k], top, name, err);
        s->n = k + (st == LEDE_OK);
    }
    if (st != LEDE_OK) shards_close(s);
    return st;
}

unsigned shards_max_gen(const shards_t *s) {
    unsigned gen = 0;
    for (unsigned k = 0; k < s->n; k++)
        if (s->dirs[k].live_gen > gen) gen = s->dirs[k].live_gen;
    return gen;
}

uint64_t shards_live_bytes(const shards_t *s) {
    uint64_t sum = 0;
    for (unsigned k = 0; k < s->n; k++)
        if (s->dirs[k].live_gen) sum += index_dir_gen_bytes(&s->dirs[k], s->dirs[k].live_gen);
    return sum;
}

void shards_close(shards_t *s) {
    for (unsigned k = 0; k < s->n; k++) index_dir_close(&s->dirs[k]);
    index_dir_close(&s->spelling);
    free(s->dirs);
    *s = (shards_t){.spelling.lock_fd = -1};
}

void shards_meta_path(const char *db, char *out, size_t size) {
    struct stat st;
    snprintf(out, size, "%s/" SHARDS_SPELLING_NAME "/XAPIANDB", db);
    if (stat(out, &st) == 0)
        snprintf(out, size, "%s/" SHARDS_SPELLING_NAME, db);
    else
        snprintf(out, size, "%s", db);
}
