/* Unit tests for the writing side of the shim: opening (and failing to
 * open) writers, add/upsert/delete, metadata, commit and discard, the
 * single-writer lock, over-long terms, compaction, de-duplication and
 * the spelling data built from shards.
 * Every test works on real Xapian databases in a temporary directory. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lede/shim.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* dir/name in malloc'd memory. */
static char *path_in(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* A string of n copies of unit (which may be several bytes long). */
static char *repeat(const char *unit, size_t n) {
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    if (!s) abort();
    for (size_t i = 0; i < n; i++) memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* The payload every test document stores: its id and a version tag. */
static char *make_data(const char *id, const char *version) {
    size_t n = strlen(id) + strlen(version) + 32;
    char *d = malloc(n);
    if (!d) abort();
    snprintf(d, n, "{\"id\":\"%s\",\"v\":\"%s\"}", id, version);
    return d;
}

static lede_status_t open_writer_opts(const shim_writer_opts_t *o, shim_writer_t **w, bool quiet) {
    char *err = NULL;
    lede_status_t st = shim_writer_open(o, w, &err);
    if (st != LEDE_OK && !quiet)
        fprintf(stderr, "  shim_writer_open(%s): %s: %s\n", o->path, lede_status_to_string(st),
                err ? err : "(no message)");
    if (st == LEDE_OK) CHECK(err == NULL);
    free(err);
    return st;
}

static shim_writer_t *open_writer(const char *path, unsigned flags) {
    shim_writer_opts_t o = {.path = path, .flags = flags};
    shim_writer_t *w = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    return w;
}

static void close_writer(shim_writer_t *w, bool discard) {
    char *err = NULL;
    lede_status_t st = shim_writer_close(w, discard, &err);
    if (st != LEDE_OK) fprintf(stderr, "  shim_writer_close: %s\n", err ? err : "");
    CHECK_INT(st, LEDE_OK);
    CHECK(err == NULL);
    free(err);
}

/* Indexes one document: title and body words, a version tag in its data,
 * and a stamp for de-duplication. */
static lede_status_t put(shim_writer_t *w, bool upsert, const char *id, const char *title,
                         const char *body, const char *version, uint64_t stamp) {
    char *data = make_data(id, version);
    shim_doc_t d = {.id = id,
                    .title = title,
                    .body = body,
                    .data = data,
                    .data_len = strlen(data),
                    .stamp = stamp};
    lede_status_t st = upsert ? shim_writer_upsert(w, &d) : shim_writer_add(w, &d);
    if (st != LEDE_OK) fprintf(stderr, "  put(%.40s): %s\n", id, shim_writer_errmsg(w));
    free(data);
    return st;
}

static void commit(shim_writer_t *w) {
    lede_status_t st = shim_writer_commit(w);
    if (st != LEDE_OK) fprintf(stderr, "  commit: %s\n", shim_writer_errmsg(w));
    CHECK_INT(st, LEDE_OK);
}

static shim_db_t *open_reader(const char *path) {
    shim_db_t *db = NULL;
    char *err = NULL;
    lede_status_t st = shim_db_open(path, &db, &err);
    if (st != LEDE_OK) fprintf(stderr, "  shim_db_open(%s): %s\n", path, err ? err : "");
    CHECK_INT(st, LEDE_OK);
    free(err);
    return db;
}

/* Documents committed at path, as a fresh reader sees them; -1 on error. */
static long committed_count(const char *path) {
    shim_db_t *db = open_reader(path);
    if (!db) return -1;
    shim_stats_t s;
    long n = shim_db_stats(db, &s) == LEDE_OK ? (long)s.doccount : -1;
    shim_db_close(db);
    return n;
}

/* The "id" of a hit's JSON payload, copied into a malloc'd string. */
static char *hit_id(const shim_hit_t *h) {
    const char *key = "{\"id\":\"";
    size_t klen = strlen(key);
    if (h->data_len < klen || memcmp(h->data, key, klen) != 0) return NULL;
    const char *start = h->data + klen;
    const char *end = memchr(start, '"', h->data_len - klen);
    if (!end) return NULL;
    char *id = malloc((size_t)(end - start) + 1);
    if (!id) abort();
    memcpy(id, start, (size_t)(end - start));
    id[end - start] = '\0';
    return id;
}

/* Searches and returns the hit ids joined with commas, in result order
 * ("" when nothing matched, "ERROR" when the search failed). Caller frees. */
static char *search_ids(shim_db_t *db, const shim_query_t *q) {
    shim_results_t *r = NULL;
    lede_status_t st = shim_search(db, q, &r);
    if (st != LEDE_OK) {
        fprintf(stderr, "  shim_search: %s: %s\n", lede_status_to_string(st), shim_db_errmsg(db));
        char *e = malloc(6);
        if (!e) abort();
        memcpy(e, "ERROR", 6);
        return e;
    }
    size_t cap = 1, n = shim_results_size(r);
    char **ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids) abort();
    for (size_t i = 0; i < n; i++) {
        shim_hit_t h;
        shim_results_hit(r, i, &h);
        ids[i] = hit_id(&h);
        cap += (ids[i] ? strlen(ids[i]) : 4) + 1;
    }
    char *out = malloc(cap);
    if (!out) abort();
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(out, ",");
        strcat(out, ids[i] ? ids[i] : "null");
        free(ids[i]);
    }
    free(ids);
    shim_results_free(r);
    return out;
}

/* Every document at path, in docid order. */
static char *all_ids(const char *path) {
    shim_db_t *db = open_reader(path);
    if (!db) return NULL;
    shim_query_t q = {.limit = 100};
    char *ids = search_ids(db, &q);
    shim_db_close(db);
    return ids;
}

/* Ids matching the query text at path, in relevance order. */
static char *text_ids(const char *path, const char *text) {
    shim_db_t *db = open_reader(path);
    if (!db) return NULL;
    shim_query_t q = {.text = text, .limit = 100};
    char *ids = search_ids(db, &q);
    shim_db_close(db);
    return ids;
}

/* Ids of documents whose `field` holds `value`. */
static char *filter_ids(shim_db_t *db, const char *field, const char *value) {
    const char *values[] = {value};
    shim_filter_t f = {.field = field, .values = values, .n_values = 1};
    shim_query_t q = {.filters = &f, .n_filters = 1, .limit = 100};
    return search_ids(db, &q);
}

/* Checks the stored payload of id at path; want NULL means "not there". */
static void check_get(const char *path, const char *id, const char *want) {
    shim_db_t *db = open_reader(path);
    if (!db) return;
    char *data = NULL;
    size_t len = 0;
    lede_status_t st = shim_db_get(db, id, &data, &len);
    if (want) {
        CHECK_INT(st, LEDE_OK);
        CHECK_STR(data, want);
        CHECK_INT(len, strlen(want));
    } else {
        CHECK_INT(st, LEDE_E_NOT_FOUND);
        CHECK(data == NULL);
    }
    free(data);
    shim_db_close(db);
}

static void check_ids(char *got, const char *want) {
    CHECK_STR(got, want);
    free(got);
}

/* ------------------------------------------------------------------ */
/* Opening                                                              */
/* ------------------------------------------------------------------ */

static void test_open_create_add_commit(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");

    /* Without CREATE a missing database is an open error, with a message. */
    shim_writer_opts_t o = {.path = path};
    static char sentinel;
    shim_writer_t *w = (shim_writer_t *)&sentinel; /* must be reset to NULL */
    char *err = NULL;
    CHECK_INT(shim_writer_open(&o, &w, &err), LEDE_E_OPEN);
    CHECK(w == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);

    w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    CHECK_INT(shim_writer_doccount(w), 0);
    CHECK_INT(put(w, false, "n1", "Harbour reopens", "Ferries sail again.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, false, "n2", "Bridge closes", "Traffic is diverted.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, true, "n3", "Tunnel repaired", "Engineers finished early.", "1", 1), LEDE_OK);
    /* The writer counts what it has not committed yet; readers do not. */
    CHECK_INT(shim_writer_doccount(w), 3);
    CHECK_INT(committed_count(path), 0);
    commit(w);
    CHECK_INT(committed_count(path), 3);
    check_ids(all_ids(path), "n1,n2,n3");
    check_ids(text_ids(path, "ferries"), "n1");
    close_writer(w, false);

    /* Reopening an existing database without CREATE works and keeps it. */
    w = open_writer(path, 0);
    CHECK_INT(shim_writer_doccount(w), 3);
    close_writer(w, false);
    /* Closing NULL is a no-op. */
    CHECK_INT(shim_writer_close(NULL, false, NULL), LEDE_OK);
out:
    free(path);
    check_rmtree(dir);
}

static void test_open_bad_arguments(void) {
    shim_writer_t *w = NULL;
    char *err = NULL;
    CHECK_INT(shim_writer_open(NULL, &w, &err), LEDE_E_INVALID);
    CHECK(w == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    shim_writer_opts_t o = {.path = "", .flags = SHIM_WRITER_CREATE};
    CHECK_INT(shim_writer_open(&o, &w, NULL), LEDE_E_INVALID);
    CHECK(w == NULL);
    o.path = NULL;
    CHECK_INT(shim_writer_open(&o, &w, NULL), LEDE_E_INVALID);
}

/* A path under a regular file, or under a missing directory, cannot hold
 * a database. Opening one that is not there is an open error; failing to
 * create one is an I/O error (mkdir failed). Both come with a message. */
static void expect_open_failure(const char *path, unsigned flags, lede_status_t want) {
    shim_writer_opts_t o = {.path = path, .flags = flags};
    shim_writer_t *w = NULL;
    char *err = NULL;
    lede_status_t st = shim_writer_open(&o, &w, &err);
    if (st != want)
        fprintf(stderr, "  %s (flags %u): got %s (%s)\n", path, flags, lede_status_to_string(st),
                err ? err : "");
    CHECK_INT(st, want);
    CHECK(w == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    if (w) shim_writer_close(w, true, NULL);
}

static void test_open_bad_paths(void) {
    char *dir = check_tmpdir("shim-write");
    free(check_write_file(dir, "plain", "not a directory\n"));
    char *under_file = path_in(dir, "plain/db");
    char *under_missing = path_in(dir, "missing/sub/db");

    expect_open_failure(under_file, 0, LEDE_E_OPEN);
    expect_open_failure(under_file, SHIM_WRITER_CREATE, LEDE_E_IO);
    expect_open_failure(under_file, SHIM_WRITER_FRESH, LEDE_E_IO);
    expect_open_failure(under_missing, 0, LEDE_E_OPEN);
    /* CREATE makes the database directory, not its missing parents. */
    expect_open_failure(under_missing, SHIM_WRITER_CREATE, LEDE_E_IO);

    /* A regular file is not a database either. */
    char *file = path_in(dir, "plain");
    expect_open_failure(file, 0, LEDE_E_OPEN);
    free(file);

    free(under_file);
    free(under_missing);
    check_rmtree(dir);
}

static void test_fresh(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "build");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_FRESH);
    if (w) {
        CHECK_INT(put(w, false, "f1", "Fresh build", "First document.", "1", 1), LEDE_OK);
        CHECK_INT(put(w, false, "f2", "Fresh build", "Second document.", "1", 1), LEDE_OK);
        close_writer(w, false);
    }
    CHECK_INT(committed_count(path), 2);
    check_ids(all_ids(path), "f1,f2");

    /* FRESH insists that the database does not exist yet. */
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_FRESH};
    char *err = NULL;
    w = NULL;
    /* Xapian reports "a database already exists" as a failed create. */
    CHECK_INT(shim_writer_open(&o, &w, &err), LEDE_E_IO);
    CHECK(w == NULL);
    CHECK(err != NULL && strstr(err, "already exists") != NULL);
    free(err);
    if (w) shim_writer_close(w, true, NULL);
    /* ...and the refused open left the existing database alone. */
    CHECK_INT(committed_count(path), 2);

    free(path);
    check_rmtree(dir);
}

static void test_language(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .language = "french"};
    shim_writer_t *w = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    if (w) {
        CHECK_INT(put(w, false, "fr1", "Les élections", "Les électeurs ont voté.", "1", 1),
                  LEDE_OK);
        close_writer(w, false);
    }

    /* A different language than the one the index was built with. */
    o.flags = 0;
    o.language = "english";
    char *err = NULL;
    w = NULL;
    CHECK_INT(shim_writer_open(&o, &w, &err), LEDE_E_INVALID);
    CHECK(w == NULL);
    CHECK(err != NULL && strstr(err, "french") != NULL);
    free(err);

    /* The same language, or none (use the index's), is accepted. */
    o.language = "french";
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    if (w) close_writer(w, false);
    o.language = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    if (w) close_writer(w, false);

    shim_db_t *db = open_reader(path);
    if (db) {
        shim_stats_t s;
        CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
        CHECK_STR(s.language, "french");
        /* The French stemmer finds "électeur" from "électeurs". */
        shim_query_t q = {.text = "électeur", .limit = 10};
        check_ids(search_ids(db, &q), "fr1");
        shim_db_close(db);
    }

    /* An unknown stemmer is refused, and leaves no trace in the index
     * that would poison later opens. */
    char *path2 = path_in(dir, "db2");
    shim_writer_opts_t bad = {.path = path2, .flags = SHIM_WRITER_CREATE, .language = "klingon"};
    err = NULL;
    CHECK_INT(shim_writer_open(&bad, &w, &err), LEDE_E_INVALID);
    CHECK(w == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    bad.language = NULL;
    CHECK_INT(open_writer_opts(&bad, &w, false), LEDE_OK);
    if (w) close_writer(w, false);
    db = open_reader(path2);
    if (db) {
        shim_stats_t s;
        CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
        CHECK_STR(s.language, "english");
        shim_db_close(db);
    }

    free(path2);
    free(path);
    check_rmtree(dir);
}

static void test_locked(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *first = open_writer(path, SHIM_WRITER_CREATE);

    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE};
    shim_writer_t *second = NULL;
    char *err = NULL;
    CHECK_INT(shim_writer_open(&o, &second, &err), LEDE_E_LOCKED);
    CHECK(second == NULL);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    /* Without CREATE the lock is reported the same way. */
    o.flags = 0;
    CHECK_INT(shim_writer_open(&o, &second, NULL), LEDE_E_LOCKED);

    /* Closing the first writer releases the lock. */
    if (first) close_writer(first, false);
    second = open_writer(path, 0);
    if (second) close_writer(second, false);
    free(path);
    check_rmtree(dir);
}

/* ------------------------------------------------------------------ */
/* Changing documents                                                   */
/* ------------------------------------------------------------------ */

static void test_upsert_replaces(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    CHECK_INT(put(w, true, "u1", "Alpine pass closed", "Snow blocks the road.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, true, "u2", "Orchard blossoms", "Spring comes early.", "1", 1), LEDE_OK);
    commit(w);
    CHECK_INT(put(w, true, "u1", "Alpine pass reopened", "Ploughs cleared the road.", "2", 2),
              LEDE_OK);
    /* The replacement is counted once, before and after the commit. */
    CHECK_INT(shim_writer_doccount(w), 2);
    commit(w);
    CHECK_INT(committed_count(path), 2);
    check_get(path, "u1", "{\"id\":\"u1\",\"v\":\"2\"}");
    check_get(path, "u2", "{\"id\":\"u2\",\"v\":\"1\"}");
    /* The old words are gone with the old version; the new ones find it. */
    check_ids(text_ids(path, "closed"), "");
    check_ids(text_ids(path, "snow"), "");
    check_ids(text_ids(path, "ploughs"), "u1");
    check_ids(text_ids(path, "road"), "u1");

    /* add() does not look for an existing id: duplicates are for dedupe. */
    CHECK_INT(put(w, false, "u2", "Orchard blossoms", "Again.", "dup", 1), LEDE_OK);
    CHECK_INT(shim_writer_doccount(w), 3);
    close_writer(w, false);
    CHECK_INT(committed_count(path), 3);
out:
    free(path);
    check_rmtree(dir);
}

static void test_doc_without_id(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    shim_doc_t d = {.title = "No id", .body = "Orphan text."};
    CHECK_INT(shim_writer_add(w, &d), LEDE_E_INVALID);
    CHECK(strstr(shim_writer_errmsg(w), "id") != NULL);
    CHECK_INT(shim_writer_upsert(w, &d), LEDE_E_INVALID);
    d.id = "";
    CHECK_INT(shim_writer_upsert(w, &d), LEDE_E_INVALID);
    /* The writer stays usable after a refused document. */
    CHECK_INT(put(w, true, "ok1", "Fine", "A proper document.", "1", 1), LEDE_OK);
    CHECK_INT(shim_writer_doccount(w), 1);
    close_writer(w, false);
    CHECK_INT(committed_count(path), 1);
out:
    free(path);
    check_rmtree(dir);
}

static void test_delete(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    CHECK_INT(put(w, true, "d1", "Dam inspection", "Cracks were found.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, true, "d2", "Canal dredged", "Barges return.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, true, "d3", "Lock gates replaced", "Boats wait.", "1", 1), LEDE_OK);
    commit(w);

    bool found = false;
    CHECK_INT(shim_writer_delete(w, "d2", &found), LEDE_OK);
    CHECK(found);
    CHECK_INT(shim_writer_doccount(w), 2);
    found = true;
    CHECK_INT(shim_writer_delete(w, "d2", &found), LEDE_OK); /* already gone */
    CHECK(!found);
    found = true;
    CHECK_INT(shim_writer_delete(w, "never-indexed", &found), LEDE_OK);
    CHECK(!found);
    CHECK_INT(shim_writer_delete(w, "d3", NULL), LEDE_OK); /* found may be NULL */
    CHECK_INT(shim_writer_doccount(w), 1);
    /* Deletions are invisible to readers until committed. */
    CHECK_INT(committed_count(path), 3);
    commit(w);
    close_writer(w, false);
    check_ids(all_ids(path), "d1");
    check_get(path, "d2", NULL);
    check_ids(text_ids(path, "barges"), "");
out:
    free(path);
    check_rmtree(dir);
}

static void test_metadata(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    CHECK_INT(shim_writer_set_metadata(w, "lede.test.built", "2024-05-01"), LEDE_OK);
    CHECK_INT(shim_writer_set_metadata(w, "lede.test.cleared", "x"), LEDE_OK);
    CHECK_INT(shim_writer_set_metadata(w, "lede.test.cleared", NULL), LEDE_OK);
    commit(w);
    close_writer(w, false);

    shim_db_t *db = open_reader(path);
    if (!db) goto out;
    char *v = NULL;
    CHECK_INT(shim_db_metadata(db, "lede.test.built", &v), LEDE_OK);
    CHECK_STR(v, "2024-05-01");
    free(v);
    CHECK_INT(shim_db_metadata(db, "lede.test.cleared", &v), LEDE_OK);
    CHECK_STR(v, "");
    free(v);
    CHECK_INT(shim_db_metadata(db, "no.such.key", &v), LEDE_OK);
    CHECK_STR(v, "");
    free(v);
    /* The writer records the language the index was built with. */
    CHECK_INT(shim_db_metadata(db, "lede.language", &v), LEDE_OK);
    CHECK_STR(v, "english");
    free(v);
    shim_db_close(db);
out:
    free(path);
    check_rmtree(dir);
}

/* A reader opened before a commit keeps its snapshot; reopening moves it
 * to the new revision. */
static void test_commit_visibility(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    CHECK_INT(put(w, true, "c1", "Market day", "Stalls line the square.", "1", 1), LEDE_OK);
    commit(w);
    shim_db_t *db = open_reader(path);
    if (!db) {
        close_writer(w, true);
        goto out;
    }
    CHECK_INT(put(w, true, "c2", "Night market", "Lanterns light the square.", "1", 1), LEDE_OK);
    bool changed = true;
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(!changed);
    shim_query_t q = {.text = "square", .limit = 10};
    check_ids(search_ids(db, &q), "c1");
    commit(w);
    check_ids(search_ids(db, &q), "c1"); /* still the old snapshot */
    CHECK_INT(shim_db_reopen(db, &changed), LEDE_OK);
    CHECK(changed);
    check_ids(search_ids(db, &q), "c1,c2");
    shim_db_close(db);
    close_writer(w, false);
out:
    free(path);
    check_rmtree(dir);
}

/* Closing with discard drops everything since the last commit, even when
 * Xapian has flushed some of it to disk on its own. */
static void test_close_discard(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .flush_threshold = 2};
    shim_writer_t *w = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    if (!w) goto out;
    CHECK_INT(put(w, true, "k1", "Kept", "This one was committed.", "1", 1), LEDE_OK);
    CHECK_INT(shim_writer_set_metadata(w, "lede.test.kept", "yes"), LEDE_OK);
    commit(w);
    char id[16];
    for (int i = 0; i < 7; i++) {
        snprintf(id, sizeof id, "gone%d", i);
        CHECK_INT(put(w, true, id, "Discarded", "Never committed.", "1", 1), LEDE_OK);
    }
    bool found = false;
    CHECK_INT(shim_writer_delete(w, "k1", &found), LEDE_OK);
    CHECK(found);
    CHECK_INT(shim_writer_set_metadata(w, "lede.test.kept", "overwritten"), LEDE_OK);
    CHECK_INT(shim_writer_doccount(w), 7);
    close_writer(w, true);

    check_ids(all_ids(path), "k1");
    check_ids(text_ids(path, "discarded"), "");
    shim_db_t *db = open_reader(path);
    if (db) {
        char *v = NULL;
        CHECK_INT(shim_db_metadata(db, "lede.test.kept", &v), LEDE_OK);
        CHECK_STR(v, "yes");
        free(v);
        shim_db_close(db);
    }
    /* A new writer starts from the last commit too. */
    w = open_writer(path, 0);
    if (w) {
        CHECK_INT(shim_writer_doccount(w), 1);
        close_writer(w, false);
    }
out:
    free(path);
    check_rmtree(dir);
}

/* Bytes in the table files of the database at path. */
static long table_bytes(const char *path) {
    DIR *d = opendir(path);
    struct dirent *e;
    long sum = 0;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 6, ".glass") != 0) continue;
        char *p = path_in(path, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) sum += (long)st.st_size;
        free(p);
    }
    if (d) closedir(d);
    return sum;
}

static bool has_undo_note(const char *path) {
    char *p = path_in(path, "lede-undo");
    bool there = access(p, F_OK) == 0;
    free(p);
    return there;
}

/* Adds n documents with ids prefix0 .. prefix(n-1). */
static void put_many(shim_writer_t *w, const char *prefix, int n) {
    char id[32], body[160];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%s%d", prefix, i);
        snprintf(body, sizeof body, "Words %d and %d and %d fill the tables %s", i, i * 7, i * 13,
                 id);
        CHECK_INT(put(w, true, id, "Filler", body, "1", 1), LEDE_OK);
    }
}

/* A transaction that is discarded, or whose writer dies, gives back the
 * space it took in the table files; the committed documents stay. */
static void test_discard_gives_space_back(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .flush_threshold = 50};
    shim_writer_t *w = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    if (!w) goto out;
    put_many(w, "a", 200);
    close_writer(w, false);
    long committed = table_bytes(path);
    CHECK(!has_undo_note(path));

    /* Discarded. */
    o.flags = 0;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    CHECK(has_undo_note(path)); /* written before the first change */
    put_many(w, "b", 2000);
    CHECK(table_bytes(path) > committed + 100000);
    close_writer(w, true);
    CHECK_INT(table_bytes(path), committed);
    CHECK(!has_undo_note(path));
    CHECK_INT(committed_count(path), 200);

    /* A commit in the middle: only what came after it is given back. */
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    put_many(w, "c", 100);
    commit(w);
    committed = table_bytes(path);
    put_many(w, "d", 2000);
    close_writer(w, true);
    CHECK_INT(table_bytes(path), committed);
    CHECK_INT(committed_count(path), 300);

    /* A writer that dies: the note it leaves lets shim_db_reclaim (or the
     * next writer) give the space back. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        shim_writer_t *dying = NULL;
        if (shim_writer_open(&o, &dying, NULL) == LEDE_OK) put_many(dying, "e", 2000);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(table_bytes(path) > committed + 100000);
    CHECK(has_undo_note(path));
    uint64_t freed = 0;
    char *err = NULL;
    CHECK_INT(shim_db_reclaim(path, &freed, &err), LEDE_OK);
    CHECK(err == NULL);
    CHECK(freed > 100000);
    CHECK_INT(table_bytes(path), committed);
    CHECK(!has_undo_note(path));
    CHECK_INT(committed_count(path), 300);
    CHECK_INT(shim_db_reclaim(path, &freed, NULL), LEDE_OK); /* nothing left to do */
    CHECK_INT(freed, 0);

    /* A writer holding the database keeps others from cutting its files. */
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    CHECK_INT(shim_db_reclaim(path, &freed, &err), LEDE_E_LOCKED);
    CHECK(err != NULL);
    free(err);
    close_writer(w, false);
out:
    free(path);
    check_rmtree(dir);
}

/* Values too long for a Xapian term (245 bytes) are still indexed, and
 * still found by exact filters and by id. */
static void test_long_terms(void) {
    char *dir = check_tmpdir("shim-write");
    char *path = path_in(dir, "db");
    char *long_id = repeat("i", 500);
    char *long_id2 = repeat("i", 501); /* same first 500 bytes */
    char *long_tag = repeat("t", 1000);
    char *long_source = repeat("Wire", 150);
    char *long_place = repeat("\xc3\xa9", 300); /* "é" x 300: 600 bytes */
    char *long_author = repeat("Doe ", 80);
    char *long_word = repeat("z", 300);
    char *title = malloc(strlen(long_word) + 32);
    if (!title) abort();
    sprintf(title, "Giant %s headline", long_word);

    shim_writer_t *w = open_writer(path, SHIM_WRITER_CREATE);
    if (!w) goto out;
    const char *tags[] = {long_tag, "short"};
    const char *places[] = {long_place};
    const char *authors[] = {long_author};
    char *data = make_data(long_id, "1");
    shim_doc_t d = {.id = long_id,
                    .title = title,
                    .body = "Ordinary words follow.",
                    .authors = authors,
                    .n_authors = 1,
                    .source = long_source,
                    .tags = tags,
                    .n_tags = 2,
                    .places = places,
                    .n_places = 1,
                    .date_key = "20240101000000",
                    .data = data,
                    .data_len = strlen(data)};
    CHECK_INT(shim_writer_upsert(w, &d), LEDE_OK);
    free(data);
    CHECK_INT(put(w, true, long_id2, "Second", "Other words.", "1", 1), LEDE_OK);
    CHECK_INT(put(w, false, "small", "Small", "Tiny.", "1", 1), LEDE_OK);
    commit(w);
    CHECK_INT(shim_writer_doccount(w), 3);
    /* Upserting the long id again replaces, not adds. */
    data = make_data(long_id, "2");
    d.data = data;
    d.data_len = strlen(data);
    CHECK_INT(shim_writer_upsert(w, &d), LEDE_OK);
    free(data);
    CHECK_INT(shim_writer_doccount(w), 3);
    close_writer(w, false);

    char *want = make_data(long_id, "2");
    check_get(path, long_id, want);
    free(want);
    want = make_data(long_id2, "1");
    check_get(path, long_id2, want);
    free(want);
    char *long_id3 = repeat("i", 499);
    check_get(path, long_id3, NULL);
    free(long_id3);

    shim_db_t *db = open_reader(path);
    if (db) {
        char *upper_source = repeat("WIRE", 150);
        char *ids = filter_ids(db, "tag", long_tag);
        CHECK(ids && strncmp(ids, long_id, 500) == 0 && strlen(ids) == 500);
        free(ids);
        ids = filter_ids(db, "source", upper_source); /* case-insensitive */
        CHECK(ids && strncmp(ids, long_id, 500) == 0 && strlen(ids) == 500);
        free(ids);
        ids = filter_ids(db, "place", long_place);
        CHECK(ids && strlen(ids) == 500);
        free(ids);
        ids = filter_ids(db, "author", long_author);
        CHECK(ids && strlen(ids) == 500);
        free(ids);
        /* A near miss of a long value does not match. */
        long_tag[999] = 'u';
        check_ids(filter_ids(db, "tag", long_tag), "");
        ids = filter_ids(db, "tag", "short"); /* the list's other item */
        CHECK(ids && strlen(ids) == 500);
        free(ids);
        free(upper_source);
        shim_query_t q = {.text = "giant headline", .limit = 10};
        ids = search_ids(db, &q);
        CHECK(ids && strlen(ids) == 500);
        free(ids);
        shim_db_close(db);
    }

    /* Deleting by the long id finds exactly that document. */
    w = open_writer(path, 0);
    if (w) {
        bool found = false;
        CHECK_INT(shim_writer_delete(w, long_id, &found), LEDE_OK);
        CHECK(found);
        CHECK_INT(shim_writer_doccount(w), 2);
        close_writer(w, false);
    }
    check_get(path, long_id, NULL);
out:
    free(title);
    free(long_word);
    free(long_author);
    free(long_place);
    free(long_source);
    free(long_tag);
    free(long_id2);
    free(long_id);
    free(path);
    check_rmtree(dir);
}

/* ------------------------------------------------------------------ */
/* Compaction and de-duplication                                        */
/* ------------------------------------------------------------------ */

/* A shard at dir/name holding documents with these ids (and stamps). */
static char *make_shard(const char *dir, const char *name, const char *const *ids,
                        const uint64_t *stamps, size_t n) {
    char *path = path_in(dir, name);
    shim_writer_t *w = open_writer(path, SHIM_WRITER_FRESH);
    if (!w) return path;
    for (size_t i = 0; i < n; i++) {
        char version[32];
        snprintf(version, sizeof version, "%s/%llu", name,
                 (unsigned long long)(stamps ? stamps[i] : 0));
        CHECK_INT(put(w, false, ids[i], name, "Shard text about compaction.", version,
                      stamps ? stamps[i] : 0),
                  LEDE_OK);
    }
    close_writer(w, false);
    return path;
}

static void check_docids(const char *path, size_t n) {
    shim_db_t *db = open_reader(path);
    if (!db) return;
    shim_query_t q = {.limit = 100};
    shim_results_t *r = NULL;
    CHECK_INT(shim_search(db, &q, &r), LEDE_OK);
    if (r) {
        CHECK_INT(shim_results_size(r), n);
        for (size_t i = 0; i < shim_results_size(r); i++) {
            shim_hit_t h;
            shim_results_hit(r, i, &h);
            CHECK_INT(h.docid, i + 1);
        }
        shim_results_free(r);
    }
    shim_db_close(db);
}

static void test_compact_two(void) {
    char *dir = check_tmpdir("shim-compact");
    const char *ids1[] = {"s1a", "s1b"};
    const char *ids2[] = {"s2a"};
    char *srcs[] = {make_shard(dir, "one", ids1, NULL, 2), make_shard(dir, "two", ids2, NULL, 1)};
    char *dst = path_in(dir, "merged");
    char *err = NULL;
    CHECK_INT(shim_compact((const char *const *)srcs, 2, dst, &err), LEDE_OK);
    CHECK(err == NULL);
    free(err);
    CHECK_INT(committed_count(dst), 3);
    /* Renumbered in source order: docids 1..3. */
    check_ids(all_ids(dst), "s1a,s1b,s2a");
    check_docids(dst, 3);
    check_ids(text_ids(dst, "compaction"), "s1a,s1b,s2a");
    check_get(dst, "s2a", "{\"id\":\"s2a\",\"v\":\"two/0\"}");
    /* The sources are untouched. */
    CHECK_INT(committed_count(srcs[0]), 2);
    CHECK_INT(committed_count(srcs[1]), 1);
    /* The merged index keeps the language. */
    shim_db_t *db = open_reader(dst);
    if (db) {
        shim_stats_t s;
        CHECK_INT(shim_db_stats(db, &s), LEDE_OK);
        CHECK_STR(s.language, "english");
        shim_db_close(db);
    }

    /* Bad arguments and missing sources. */
    char *dst2 = path_in(dir, "merged2");
    err = NULL;
    CHECK_INT(shim_compact((const char *const *)srcs, 0, dst2, &err), LEDE_E_INVALID);
    CHECK(err != NULL && err[0] != '\0');
    free(err);
    CHECK_INT(shim_compact(NULL, 2, dst2, NULL), LEDE_E_INVALID);
    CHECK_INT(shim_compact((const char *const *)srcs, 2, NULL, NULL), LEDE_E_INVALID);
    char *missing = path_in(dir, "no-such-shard");
    const char *bad[] = {srcs[0], missing};
    err = NULL;
    CHECK_INT(shim_compact(bad, 2, dst2, &err), LEDE_E_OPEN);
    CHECK(err != NULL && err[0] != '\0');
    free(err);

    free(missing);
    free(dst2);
    free(dst);
    free(srcs[0]);
    free(srcs[1]);
    check_rmtree(dir);
}

/* A document "id" with these tags (a NULL-terminated list). */
static lede_status_t put_tags(shim_writer_t *w, const char *id, const char *const *tags) {
    size_t n = 0;
    while (tags[n]) n++;
    shim_doc_t d = {
        .id = id, .body = "tagged", .tags = tags, .n_tags = n, .data = "{}", .data_len = 2};
    return shim_writer_upsert(w, &d);
}

/* The tag facet of every document of the index at path: "v=n,...". */
static void check_tag_facet(const char *path, const char *want) {
    shim_db_t *db = open_reader(path);
    if (!db) return;
    const char *tag[] = {"tag"};
    shim_query_t q = {.limit = 1, .facets = tag, .n_facets = 1};
    shim_results_t *r = NULL;
    CHECK_INT(shim_search(db, &q, &r), LEDE_OK);
    char got[256] = "";
    for (size_t j = 0; r && j < shim_results_facet_size(r, 0); j++) {
        const char *value = NULL;
        uint32_t count = 0;
        shim_results_facet_value(r, 0, j, &value, &count);
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%s=%u", j ? "," : "", value, count);
    }
    CHECK_STR(got, want);
    shim_results_free(r);
    shim_db_close(db);
}

/* The list facets count from the item slots and tier terms of a compacted
 * index as they do from its shards, and after a long list is deleted or
 * made shorter (when the slots' bounds still say it is there). */
static void test_compact_list_facets(void) {
    char *dir = check_tmpdir("shim-compact");
    static const char *const LONG[] = {"a", "b", "c", "d", "e", "f", NULL};
    static const char *const SHORT[] = {"c", "a", NULL}, *const ONE[] = {"e", NULL};
    char *srcs[] = {path_in(dir, "one"), path_in(dir, "two")};
    shim_writer_t *w = open_writer(srcs[0], SHIM_WRITER_FRESH);
    if (w) {
        CHECK_INT(put_tags(w, "long", LONG), LEDE_OK);
        close_writer(w, false);
    }
    w = open_writer(srcs[1], SHIM_WRITER_FRESH);
    if (w) {
        CHECK_INT(put_tags(w, "short", SHORT), LEDE_OK);
        CHECK_INT(put_tags(w, "one", ONE), LEDE_OK);
        close_writer(w, false);
    }
    char *dst = path_in(dir, "merged");
    CHECK_INT(shim_compact((const char *const *)srcs, 2, dst, NULL), LEDE_OK);
    check_tag_facet(srcs[0], "a=1,b=1,c=1,d=1,e=1,f=1");
    check_tag_facet(dst, "a=2,c=2,e=2,b=1,d=1,f=1");

    w = open_writer(dst, 0);
    if (w) {
        CHECK_INT(put_tags(w, "long", ONE), LEDE_OK);
        close_writer(w, false);
    }
    check_tag_facet(dst, "e=2,a=1,c=1");
    w = open_writer(dst, 0);
    if (w) {
        CHECK_INT(shim_writer_delete(w, "one", NULL), LEDE_OK);
        close_writer(w, false);
    }
    check_tag_facet(dst, "a=1,c=1,e=1");
    free(dst);
    free(srcs[0]);
    free(srcs[1]);
    check_rmtree(dir);
}

/* More shards than one compaction pass merges at once. */
static void test_compact_five(void) {
    char *dir = check_tmpdir("shim-compact");
    const char *ids[5][2] = {{"p1", "p2"}, {"p3"}, {"p4", "p5"}, {"p6"}, {"p7", "p8"}};
    const size_t counts[5] = {2, 1, 2, 1, 2};
    char *srcs[5];
    for (size_t i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "shard%zu", i);
        srcs[i] = make_shard(dir, name, ids[i], NULL, counts[i]);
    }
    char *dst = path_in(dir, "merged");
    CHECK_INT(shim_compact((const char *const *)srcs, 5, dst, NULL), LEDE_OK);
    CHECK_INT(committed_count(dst), 8);
    check_ids(all_ids(dst), "p1,p2,p3,p4,p5,p6,p7,p8");
    check_docids(dst, 8);
    check_ids(text_ids(dst, "shard3"), "p6");

    /* Three shards: the single-pass path. */
    char *dst3 = path_in(dir, "merged3");
    CHECK_INT(shim_compact((const char *const *)srcs + 2, 3, dst3, NULL), LEDE_OK);
    check_ids(all_ids(dst3), "p4,p5,p6,p7,p8");
    free(dst3);

    free(dst);
    for (size_t i = 0; i < 5; i++) free(srcs[i]);
    check_rmtree(dir);
}

static void test_dedupe(void) {
    char *dir = check_tmpdir("shim-dedupe");
    /* x: stamps 5, 9, 7 in three shards, 9 wins. y: only one copy.
     * big: 2^32 beats 2^32-1 and 0 (all eight stamp bytes count). */
    const uint64_t BIG = (uint64_t)1 << 32;
    const char *ids1[] = {"x", "y", "big"};
    const uint64_t st1[] = {5, 1, BIG - 1};
    const char *ids2[] = {"x", "big"};
    const uint64_t st2[] = {9, BIG};
    const char *ids3[] = {"x", "big"};
    const uint64_t st3[] = {7, 0};
    char *srcs[] = {make_shard(dir, "one", ids1, st1, 3), make_shard(dir, "two", ids2, st2, 2),
                    make_shard(dir, "three", ids3, st3, 2)};
    char *dst = path_in(dir, "merged");
    CHECK_INT(shim_compact((const char *const *)srcs, 3, dst, NULL), LEDE_OK);
    CHECK_INT(committed_count(dst), 7);

    uint64_t removed = 99;
    char *err = NULL;
    CHECK_INT(shim_dedupe(dst, &removed, &err), LEDE_OK);
    CHECK(err == NULL);
    free(err);
    CHECK_INT(removed, 4);
    CHECK_INT(committed_count(dst), 3);
    check_get(dst, "x", "{\"id\":\"x\",\"v\":\"two/9\"}");
    check_get(dst, "y", "{\"id\":\"y\",\"v\":\"one/1\"}");
    check_get(dst, "big", "{\"id\":\"big\",\"v\":\"two/4294967296\"}");
    check_ids(all_ids(dst), "y,x,big");

    /* Nothing left to remove the second time. */
    removed = 99;
    CHECK_INT(shim_dedupe(dst, &removed, NULL), LEDE_OK);
    CHECK_INT(removed, 0);
    CHECK_INT(committed_count(dst), 3);

    /* Equal stamps in one database: the later document wins. */
    char *single = path_in(dir, "single");
    shim_writer_t *w = open_writer(single, SHIM_WRITER_FRESH);
    if (w) {
        CHECK_INT(put(w, false, "same", "First", "Earlier copy.", "first", 3), LEDE_OK);
        CHECK_INT(put(w, false, "same", "Second", "Later copy.", "second", 3), LEDE_OK);
        CHECK_INT(put(w, false, "other", "Other", "Alone.", "1", 3), LEDE_OK);
        close_writer(w, false);
    }
    CHECK_INT(shim_dedupe(single, &removed, NULL), LEDE_OK);
    CHECK_INT(removed, 1);
    check_get(single, "same", "{\"id\":\"same\",\"v\":\"second\"}");
    check_ids(text_ids(single, "copy"), "same");

    /* A missing database cannot be de-duplicated. */
    char *missing = path_in(dir, "missing");
    err = NULL;
    CHECK_INT(shim_dedupe(missing, &removed, &err), LEDE_E_OPEN);
    CHECK(err != NULL && err[0] != '\0');
    free(err);

    free(missing);
    free(single);
    free(dst);
    for (size_t i = 0; i < N_ITEMS(srcs); i++) free(srcs[i]);
    check_rmtree(dir);
}

/* ------------------------------------------------------------------ */
/* Spelling data from the vocabulary of shards                          */
/* ------------------------------------------------------------------ */

/* The suggestion the database at path makes for text ("" for none). */
static void check_suggestion(const char *path, const char *text, const char *want) {
    shim_db_t *db = open_reader(path);
    if (!db) return;
    shim_query_t q = {.text = text, .limit = 10, .suggest = true};
    shim_results_t *r = NULL;
    CHECK_INT(shim_search(db, &q, &r), LEDE_OK);
    if (r) {
        const char *got = shim_results_suggestion(r);
        CHECK_STR(got ? got : "", want);
        shim_results_free(r);
    }
    shim_db_close(db);
}

/* n distinct words of letters ("ba bb ... "), more than one batch of the
 * spelling pass. Caller frees. */
static char *many_words(size_t n) {
    char *s = malloc(n * 6 + 1), *p = s;
    if (!s) abort();
    for (size_t i = 0; i < n; i++, p += 5) {
        size_t k = i;
        for (int c = 3; c >= 0; c--, k /= 26) p[c] = (char)('a' + k % 26);
        p[4] = ' ';
    }
    *p = '\0';
    return s;
}

static void test_build_spelling(void) {
    char *dir = check_tmpdir("shim-spelling");
    const char *ids1[] = {"a1", "a2"};
    const char *ids2[] = {"b1"};
    char *srcs[] = {make_shard(dir, "one", ids1, NULL, 2), make_shard(dir, "two", ids2, NULL, 1),
                    path_in(dir, "words")};
    shim_writer_t *w = open_writer(srcs[2], SHIM_WRITER_FRESH);
    char *words = many_words(60000);
    if (w) {
        CHECK_INT(put(w, false, "w1", "Inflation report", words, "1", 0), LEDE_OK);
        close_writer(w, false);
    }
    /* The spelling data goes into a database of its own, created here. */
    char *spell = path_in(dir, "spelling");
    uint64_t n = 0;
    char *err = NULL;
    CHECK_INT(shim_build_spelling(spell, (const char *const *)srcs, 3, &n, &err), LEDE_OK);
    CHECK(err == NULL);
    free(err);
    /* Each word once, whatever the number of shards it is in: 60000 made
     * up, plus "shard", "text", "about", "compaction", "one", "two",
     * "inflation", "report" (stemmed forms are not words). */
    CHECK_INT(n, 60008);
    CHECK_INT(committed_count(spell), 0);

    /* Merged by compaction, after the documents: suggestions work. */
    const char *all[] = {srcs[0], srcs[1], srcs[2], spell};
    char *dst = path_in(dir, "merged");
    CHECK_INT(shim_compact(all, 4, dst, NULL), LEDE_OK);
    CHECK_INT(committed_count(dst), 4);
    check_docids(dst, 4);
    check_suggestion(dst, "compactoin", "compaction");
    check_suggestion(dst, "inflaton report", "inflation report");
    check_suggestion(dst, "compaction", "");

    /* A missing source is an error. */
    char *missing = path_in(dir, "no-such-shard");
    const char *bad[] = {srcs[0], missing};
    err = NULL;
    CHECK_INT(shim_build_spelling(spell, bad, 2, NULL, &err), LEDE_E_OPEN);
    CHECK(err != NULL && err[0] != '\0');
    free(err);

    free(missing);
    free(dst);
    free(spell);
    free(words);
    for (size_t i = 0; i < N_ITEMS(srcs); i++) free(srcs[i]);
    check_rmtree(dir);
}

/* The total of a search for text on the index at path (-1: an error). */
static long search_total(const char *path, const char *text) {
    shim_db_t *db = open_reader(path);
    if (!db) return -1;
    shim_query_t q = {.text = text, .limit = 10, .exact_total = true};
    shim_results_t *r = NULL;
    long n = shim_search(db, &q, &r) == LEDE_OK ? (long)shim_results_total(r) : -1;
    shim_results_free(r);
    shim_db_close(db);
    return n;
}

/* Xapian 1.4.22 cannot read back some spelling entries it wrote: its
 * decompressor gives up when a chunk's input ends just as its 8 KB output
 * buffer fills. The words fz0q to fz2058q make the entry of the words
 * beginning "fz" one of those (found with a model of the decompressor),
 * and the next commit that adds such a word has to read it: it failed
 * with "Too few chunks of compressed data", batch lost, and so did every
 * later one (the watcher stopped). Now that batch is committed again
 * without its spelling data: nothing is lost, later batches learn their
 * words, and a suggestion that needs the entry is none, not an error. */
#define MORE_BATCHES 40
#define MORE_DOCS 5
static void test_spelling_entry_xapian_cannot_read(void) {
    char *dir = check_tmpdir("shim-spell-bug");
    char *path = path_in(dir, "db");
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .spelling = true};
    shim_writer_t *w = NULL;
    CHECK_INT(open_writer_opts(&o, &w, false), LEDE_OK);
    char id[32], body[64];
    for (int i = 0; w && i < 2059; i++) {
        snprintf(id, sizeof id, "fz-%d", i);
        snprintf(body, sizeof body, "The fz%dq plan.", i);
        CHECK_INT(put(w, true, id, "Item", body, "1", 0), LEDE_OK);
    }
    if (w) commit(w);
    /* The batch that reads the entry, with every kind of change. */
    bool found = false;
    if (w) {
        CHECK_INT(put(w, true, "fz-2059", "Item", "The fz2059q plan.", "1", 0), LEDE_OK);
        CHECK_INT(put(w, false, "added", "Item", "An fzaq plan.", "1", 0), LEDE_OK);
        CHECK_INT(put(w, true, "fz-0", "Item", "The fz0q plan, replaced.", "2", 0), LEDE_OK);
        CHECK_INT(shim_writer_delete(w, "fz-1", &found), LEDE_OK);
        CHECK_INT(shim_writer_set_metadata(w, "lede.test", "kept"), LEDE_OK);
        commit(w);
        const char *why = NULL;
        uint64_t skips = shim_writer_spelling_skips(w, &why);
        printf("  batches without spelling data: %llu (%s)\n", (unsigned long long)skips, why);
        if (strcmp(shim_xapian_version(), "1.4.22") == 0) {
            CHECK_INT(skips, 1);
            CHECK(why && strstr(why, "compressed data"));
        }
        /* A later batch without such a word learns its words. */
        CHECK_INT(put(w, true, "later", "Lighthouse", "The lighthouse keeper.", "1", 0), LEDE_OK);
        commit(w);
        CHECK_INT(shim_writer_spelling_skips(w, NULL), skips);
        /* Batch after batch that must read the entry: each is written
         * again, each time through a new handle (continuing on the one
         * whose commit failed, a program doing what lede does saw glass's
         * free list go bad within 6 to 74 such batches, in 3 of 4 runs). */
        for (int i = 0; i < MORE_BATCHES * MORE_DOCS; i++) {
            snprintf(id, sizeof id, "more-%d", i);
            snprintf(body, sizeof body, "Another fz%dx%dq plan.", i, i);
            CHECK_INT(put(w, true, id, "Item", body, "1", 0), LEDE_OK);
            if (i % MORE_DOCS == MORE_DOCS - 1) commit(w);
        }
        uint64_t more = shim_writer_spelling_skips(w, NULL) - skips;
        printf("  then %llu of %d batches without spelling data\n", (unsigned long long)more,
               MORE_BATCHES);
        if (strcmp(shim_xapian_version(), "1.4.22") == 0) CHECK_INT(more, MORE_BATCHES);
        close_writer(w, false);
    }
    CHECK(found);
    CHECK_INT(committed_count(path), 2061 + MORE_BATCHES * MORE_DOCS); /* 1 of 2062 deleted */
    CHECK_INT(search_total(path, "plan"), 2060 + MORE_BATCHES * MORE_DOCS);
    CHECK_INT(search_total(path, "fz2059q"), 1);
    CHECK_INT(search_total(path, "fzaq"), 1);
    CHECK_INT(search_total(path, "fz1q"), 0);
    CHECK_INT(search_total(path, "replaced"), 1);
    check_suggestion(path, "lighthuose", "lighthouse");
    /* Needs the entry Xapian cannot read: no suggestion, and no error. */
    check_suggestion(path, "fzxq plan", "");
    free(path);
    check_rmtree(dir);
}

int main(void) {
    RUN(test_open_create_add_commit);
    RUN(test_open_bad_arguments);
    RUN(test_open_bad_paths);
    RUN(test_fresh);
    RUN(test_language);
    RUN(test_locked);
    RUN(test_upsert_replaces);
    RUN(test_doc_without_id);
    RUN(test_delete);
    RUN(test_metadata);
    RUN(test_commit_visibility);
    RUN(test_close_discard);
    RUN(test_discard_gives_space_back);
    RUN(test_long_terms);
    RUN(test_compact_two);
    RUN(test_compact_five);
    RUN(test_compact_list_facets);
    RUN(test_dedupe);
    RUN(test_build_spelling);
    RUN(test_spelling_entry_xapian_cannot_read);
    return check_summary();
}
