/* Merging the shards of a bulk build into a new generation. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_dir.h"
#include "lede/shim.h"

/* Databases compacted at once. Xapian's compaction keeps every source open,
 * about 0.35 MB each (measured: 362 MB for 1,000 shards), so more sources
 * than this are merged in rounds: memory stays bounded, at the cost of one
 * more pass over the data for each round. */
#define MERGE_FANIN 64

/* Intermediate databases of one round: paths in malloc'd memory, removed
 * from disk and freed together. */
typedef struct round {
    char **paths;
    size_t n;
} round_t;

static void round_free(round_t *r) {
    for (size_t i = 0; i < r->n; i++) {
        if (!r->paths[i]) continue;
        index_dir_rmtree(r->paths[i]);
        free(r->paths[i]);
    }
    free(r->paths);
    *r = (round_t){0};
}

static char *round_path(const char *tmp, unsigned round, size_t group) {
    size_t size = strlen(tmp) + 48;
    char *p = malloc(size);
    if (p) snprintf(p, size, "%s/round-%u-%05zu", tmp, round, group);
    return p;
}

/* Compacts srcs[0..n) in ceil(n / MERGE_FANIN) groups of about equal size,
 * in order, into the databases of r. */
static lede_status_t compact_round(const merge_job_t *m, unsigned round, const char *const *srcs,
                                   size_t n, round_t *r, char **msg) {
    size_t groups = (n + MERGE_FANIN - 1) / MERGE_FANIN;
    r->paths = calloc(groups, sizeof *r->paths);
    if (!r->paths) return LEDE_E_NOMEM;
    r->n = groups;
    lede_status_t st = LEDE_OK;
    for (size_t g = 0; g < groups && st == LEDE_OK; g++) {
        size_t from = n * g / groups, to = n * (g + 1) / groups;
        char phase[128];
        snprintf(phase, sizeof phase, "merging round %u: %zu of %zu groups of %zu databases",
                 round + 1, g + 1, groups, n);
        progress_phase(m->progress, phase);
        r->paths[g] = round_path(m->tmp, round, g);
        st = r->paths[g] ? shim_compact(srcs + from, to - from, r->paths[g], msg) : LEDE_E_NOMEM;
    }
    return st;
}

/* Removes what the first round merged, except the live generation: the
 * disk then holds about twice the new index at most, not three times. */
static void remove_merged(const merge_job_t *m, const char *const *srcs, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (srcs[i] != m->live) index_dir_rmtree(srcs[i]);
}

/* Compacts srcs[0..n) into dst, through as many rounds as it takes to get
 * down to MERGE_FANIN sources. */
static lede_status_t compact_all(const merge_job_t *m, const char *const *srcs, size_t n,
                                 const char *dst, char **msg) {
    round_t prev = {0};
    lede_status_t st = LEDE_OK;
    for (unsigned round = 0; n > MERGE_FANIN && st == LEDE_OK; round++) {
        round_t next = {0};
        st = compact_round(m, round, srcs, n, &next, msg);
        if (st == LEDE_OK && round == 0) remove_merged(m, srcs, n);
        round_free(&prev);
        prev = next;
        srcs = (const char *const *)prev.paths;
        n = prev.n;
    }
    if (st == LEDE_OK) {
        char phase[64];
        snprintf(phase, sizeof phase, "merging %zu databases", n);
        progress_phase(m->progress, phase);
        st = shim_compact(srcs, n, dst, msg);
    }
    round_free(&prev);
    return st;
}

static char *spelling_path(const char *tmp) {
    size_t size = strlen(tmp) + 16;
    char *p = malloc(size);
    if (p) snprintf(p, size, "%s/spelling", tmp);
    return p;
}

/* The sources in merge order; *spell (caller frees) is the spelling
 * database built from the shards, or NULL. */
static lede_status_t sources(const merge_job_t *m, const char ***srcs, size_t *n, char **spell,
                             char **msg) {
    *spell = NULL;
    *n = 0;
    *srcs = calloc(m->n_shards + 2, sizeof **srcs);
    if (!*srcs) return LEDE_E_NOMEM;
    if (m->live) (*srcs)[(*n)++] = m->live;
    for (size_t i = 0; i < m->n_shards; i++) (*srcs)[(*n)++] = m->shards[i];
    if (!m->spelling || m->n_shards == 0) return LEDE_OK;
    if (!(*spell = spelling_path(m->tmp))) return LEDE_E_NOMEM;
    progress_phase(m->progress, "recording spelling data");
    (*srcs)[(*n)++] = *spell;
    return shim_build_spelling(*spell, (const char *const *)m->shards, m->n_shards, NULL, msg);
}

lede_status_t merge_run(const merge_job_t *m, const char *dst, uint64_t *removed, lede_err_t *err) {
    const char **srcs;
    char *spell, *msg = NULL;
    size_t n;
    *removed = 0;
    lede_status_t st = sources(m, &srcs, &n, &spell, &msg);
    if (st == LEDE_OK) st = compact_all(m, srcs, n, dst, &msg);
    if (st == LEDE_OK) st = shim_dedupe(dst, removed, &msg);
    if (st != LEDE_OK)
        lede_errf(err, st, "merging into %s: %s", dst, msg ? msg : lede_status_to_string(st));
    if (spell) index_dir_rmtree(spell);
    free(spell);
    free(msg);
    free(srcs);
    return st;
}
