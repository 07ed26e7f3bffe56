/* shim.h: the only door from C to Xapian.
 *
 * Everything here is implemented in shim/ (C++17). No C++ exception crosses
 * this interface: each entry point catches everything and maps it to a
 * lede_status_t. Handles are opaque. A failed call on a handle keeps its
 * message on that handle (shim_writer_errmsg, shim_db_errmsg); calls that
 * create a handle or have none hand the message back through `errmsg`
 * (malloc'd, caller frees with free(); may be passed as NULL).
 *
 * Threads: a handle may be used by one thread at a time. Open one
 * shim_db_t per thread; Xapian objects are not thread-safe, not even for
 * reference counting.
 *
 * The index schema (which term prefixes and value slots hold which field)
 * is private to shim/: C code speaks in field names ("source", "tag"). */
#ifndef LEDE_SHIM_H
#define LEDE_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/query.h"
#include "lede/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Xapian library version, e.g. "1.4.22". Static storage. */
const char *shim_xapian_version(void);

/* Xapian 1.4 ends the process (std::terminate) when some writes fail, e.g.
 * on a full disk while it merges value data at commit. After this call fn
 * is called first, with the error's description ("DatabaseError: Error
 * writing block 12 (No space left on device)"); it should say what
 * happened and _exit(). If it returns, the process aborts. */
void shim_set_fatal_handler(void (*fn)(const char *why));

/* ------------------------------------------------------------------ */
/* Documents, as the writer sees them                                   */
/* ------------------------------------------------------------------ */

/* A borrowed view of one article for indexing. All strings are UTF-8 and
 * NUL-terminated; NULL or "" means absent. Nothing is retained after the
 * call that receives it returns. */
typedef struct shim_doc {
    const char *id; /* required: the upsert key */
    const char *title;
    const char *body;
    const char *const *authors;
    size_t n_authors;
    const char *source;
    const char *category;
    const char *const *tags;
    size_t n_tags;
    const char *const *places;
    size_t n_places;
    const char *date_key; /* "YYYYMMDDhhmmss" in UTC, or NULL */
    const char *data;     /* the stored payload returned by hits */
    size_t data_len;
    const char *summary; /* a short form of data, returned instead
                          * when a query asks for summary_only; or NULL */
    size_t summary_len;
    uint64_t stamp; /* larger wins when ids collide on merge */
} shim_doc_t;

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

typedef struct shim_writer shim_writer_t;

enum {
    SHIM_WRITER_CREATE = 1 << 0, /* create the database if it is missing */
    SHIM_WRITER_FRESH = 1 << 1,  /* must not exist yet; no fsync, in-place
                                  * block writes: for build directories that
                                  * nobody reads until they are complete */
};

typedef struct shim_writer_opts {
    const char *path;
    unsigned flags;           /* SHIM_WRITER_* */
    const char *language;     /* stemmer name, e.g. "english"; NULL = english */
    bool spelling;            /* record words for "did you mean" */
    unsigned flush_threshold; /* documents buffered per flush; 0 = leave
                               * as is. Xapian reads it from the process
                               * environment (XAPIAN_FLUSH_THRESHOLD), so
                               * it stays set for later writers and must
                               * not be set while other threads run. */
} shim_writer_opts_t;

/* Opens a writable database. On success *out owns the lock until
 * shim_writer_close(). LEDE_E_LOCKED when another writer holds it. */
lede_status_t shim_writer_open(const shim_writer_opts_t *opts, shim_writer_t **out, char **errmsg);

/* Adds a document without looking for an existing one with the same id:
 * for fresh builds, where duplicates are resolved by shim_dedupe(). */
lede_status_t shim_writer_add(shim_writer_t *w, const shim_doc_t *doc);

/* Adds or replaces the document with doc->id. */
lede_status_t shim_writer_upsert(shim_writer_t *w, const shim_doc_t *doc);

/* Deletes the document with this id; *found says whether it existed. */
lede_status_t shim_writer_delete(shim_writer_t *w, const char *id, bool *found);

/* Stores a key/value pair in the database's metadata. */
lede_status_t shim_writer_set_metadata(shim_writer_t *w, const char *key, const char *value);

/* Makes every change so far durable and visible to new readers. */
lede_status_t shim_writer_commit(shim_writer_t *w);

/* Number of documents in the database, including uncommitted changes. */
uint32_t shim_writer_doccount(const shim_writer_t *w);

/* The message of the last failed call on w; never NULL. Borrowed until the
 * next call on w. */
const char *shim_writer_errmsg(const shim_writer_t *w);

/* Batches a live writer with spelling committed without their words'
 * spelling data, and why the last one was (*why, when not NULL: borrowed
 * until the next call on w). Xapian 1.4.22 cannot read back some entries
 * of its spelling table (its decompressor stops early when a chunk's input
 * ends just as its 8 KB output buffer fills: "Too few chunks of compressed
 * data"), and every commit that adds a word to such an entry fails. Then
 * the batch is written again without spelling data, so no article is
 * lost; only "did you mean" misses those words. */
uint64_t shim_writer_spelling_skips(const shim_writer_t *w, const char **why);

/* Commits (unless `discard`) and closes, releasing the lock. The status is
 * that of the final commit. Frees w in every case; NULL is a no-op.
 *
 * Space: a writer not opened with SHIM_WRITER_FRESH writes a note
 * ("lede-undo") beside the tables before its first change, with the
 * committed revision and the size of each table file. When its changes are
 * discarded, or the commit fails (a full disk), the table files are cut
 * back to those sizes, which gives back the space the failed transaction
 * took; the committed revision does not use it. A note left by a writer
 * that died is acted on by the next shim_writer_open or shim_db_reclaim. */
lede_status_t shim_writer_close(shim_writer_t *w, bool discard, char **errmsg);

/* Gives back the space a dead writer's transaction left in the database at
 * path (see shim_writer_close); *freed (may be NULL) receives the bytes.
 * Nothing to do is LEDE_OK. LEDE_E_LOCKED when a writer holds it. */
lede_status_t shim_db_reclaim(const char *path, uint64_t *freed, char **errmsg);

/* Merges the databases at srcs[0..n) into a new compacted database at dst
 * (which must not exist). Documents are renumbered in source order. */
lede_status_t shim_compact(const char *const *srcs, size_t n, const char *dst, char **errmsg);

/* Removes duplicate ids from a merged database, keeping for each id the
 * document with the largest stamp. *removed counts what was deleted. */
lede_status_t shim_dedupe(const char *path, uint64_t *removed, char **errmsg);

/* Records the words of the databases srcs[0..n) in the spelling table of
 * the database at path (created when missing, written without fsync: meant
 * for a private build directory), each weighted by the number of documents
 * of the sources it occurs in: the spelling data of shards built without
 * shim_writer_opts_t.spelling, to be merged by shim_compact. Memory stays
 * bounded whatever the vocabulary: the table is committed in batches.
 * *words (may be NULL) counts the additions. */
lede_status_t shim_build_spelling(const char *path, const char *const *srcs, size_t n,
                                  uint64_t *words, char **errmsg);

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

typedef struct shim_db shim_db_t;

/* Opens for reading: a glass database directory, a stub file, or a
 * directory holding a stub named XAPIANDB (lede's live-index layout). A
 * stub may list several databases, local or remote, which are searched as
 * one. */
lede_status_t shim_db_open(const char *path, shim_db_t **out, char **errmsg);

/* How shim_db_open_shards reaches its shards. */
typedef struct shim_shard_opts {
    unsigned connect_timeout_ms; /* remote: to connect; 0: Xapian's 10 s */
    unsigned timeout_ms;         /* remote: one request; 0: Xapian's 10 s */
    bool partial;                /* serve without the shards that are down
                                  * (else every read fails, naming one) */
    const char *spelling;        /* a local database whose spelling data
                                  * "did you mean" uses (remote shards have
                                  * none for it); NULL: the shards' own */
} shim_shard_opts_t;

/* Opens specs[0..n) as one database, statistics and ranking global: each
 * a local index (a path, as shim_db_open takes) or "tcp://HOST:PORT", a
 * database served by xapian-tcpsrv. A shard that cannot be reached fails
 * the open, unless o->partial (then it is tried again, once a second, as
 * reads come). A stub listing several databases, given to shim_db_open,
 * is opened the same way with the default options. A remote shard may
 * list replicas: "tcp://A:1|tcp://B:1", the next tried when the one in
 * use fails (at open, on a broken connection, when reconnecting). */
lede_status_t shim_db_open_shards(const char *const *specs, size_t n, const shim_shard_opts_t *o,
                                  shim_db_t **out, char **errmsg);

/* Every read below retries once, after reopening, when a writer has
 * discarded the revision being read; LEDE_E_MODIFIED means that failed
 * twice. A read that fails on a broken or idle remote connection is
 * retried once after reconnecting. With partial shards, a read answers
 * from the shards that are up. */

/* Brings the handle up to the newest committed revision. Unlike Xapian's
 * reopen(), this also notices when a stub was switched to a new database
 * (lede-indexer --rebuild) and opens that. *changed may be NULL. */
lede_status_t shim_db_reopen(shim_db_t *db, bool *changed);

/* Whether the database can still be opened at the path db was opened
 * from: a directory deleted under a running reader leaves the files it has
 * open readable, so only a fresh look notices. It looks at the files an
 * open needs (the directory, the stub, the version file) without opening
 * anything but the stub: no Xapian open, a few system calls, and no
 * descriptor held, so it works at the descriptor limit too. A failure's
 * message is on db. */
lede_status_t shim_db_check(shim_db_t *db);

const char *shim_db_errmsg(const shim_db_t *db);
void shim_db_close(shim_db_t *db);

/* The shards of a handle (one for a single index). */
typedef struct shim_shard_info {
    const char *spec; /* as given: a path or tcp://HOST:PORT */
    bool remote;
    bool up;
    const char *error; /* why it is down; "" when up */
    uint32_t doccount; /* when up */
} shim_shard_info_t;

size_t shim_db_shard_count(const shim_db_t *db);

/* Shard k (< shim_db_shard_count); the strings live until the next call
 * on db. */
void shim_db_shard_info(const shim_db_t *db, size_t k, shim_shard_info_t *out);

/* Shards down: a reply served without them is partial. */
size_t shim_db_shards_down(const shim_db_t *db);

/* Keeps idle remote connections open (xapian-tcpsrv closes them after
 * its idle timeout, 60 s by default) and tries the shards that are down
 * again; call it every few seconds on the handle's own thread. */
lede_status_t shim_db_keepalive(shim_db_t *db);

typedef struct shim_stats {
    uint32_t doccount;
    uint32_t lastdocid;
    double avg_length;
    uint64_t revision; /* 0 when the index has several shards */
    char date_min[15]; /* "YYYYMMDDhhmmss" or "" */
    char date_max[15];
    char language[32]; /* the stemmer the index was built with */
    bool has_positions;
} shim_stats_t;

lede_status_t shim_db_stats(shim_db_t *db, shim_stats_t *out);

/* Reads a metadata value; *value is malloc'd ("" when unset), caller frees. */
lede_status_t shim_db_metadata(shim_db_t *db, const char *key, char **value);

/* The stored payload of the document with this id. *data is malloc'd and
 * NUL-terminated; caller frees. LEDE_E_NOT_FOUND if there is none. */
lede_status_t shim_db_get(shim_db_t *db, const char *id, char **data, size_t *len);

/* ------------------------------------------------------------------ */
/* Searching                                                            */
/* ------------------------------------------------------------------ */

/* The largest "too few" a caller should relax below (relax_below): a
 * relaxed search is for queries that found less than a few pages. */
#define SHIM_RELAXED_FIRST_MAX 1000

/* One exact-match filter: the document must carry one of values[0..n) in
 * `field` (source, category, tag, place, author). Filters on different
 * fields are ANDed, values within one filter ORed. Case-insensitive. A
 * filter with no values is ignored. */
typedef struct shim_filter {
    const char *field;
    const char *const *values;
    size_t n_values;
} shim_filter_t;

typedef struct shim_query {
    const char *text; /* user syntax; NULL or "" matches everything */
    shim_match_t match;
    bool fallback; /* on a syntax error, search the words plainly
                    * instead of failing with LEDE_E_BAD_QUERY */
    const shim_filter_t *filters;
    size_t n_filters;
    const char *date_from; /* inclusive "YYYYMMDD", or NULL */
    const char *date_to;   /* inclusive "YYYYMMDD", or NULL */
    shim_sort_t sort;
    uint32_t offset;
    uint32_t limit;
    const char *const *facets; /* source, category, tag, place, author, year,
                                * timeline */
    size_t n_facets;
    uint32_t facet_limit;     /* values per facet (not the timeline's); 0 = 10 */
    shim_timeline_t timeline; /* the timeline facet's buckets */
    uint32_t check_at_least;  /* examine at least this many matches, so
                               * that totals up to it are exact; with
                               * facets, every match is examined */
    bool exact_total;         /* examine every match, so that the total is
                               * exact; a count that cannot finish before
                               * the deadline ends the search with
                               * LEDE_E_TIMEOUT */
    bool suggest;             /* compute a spelling suggestion */
    bool partial;             /* the last word is a prefix still being
                               * typed (search-as-you-type) */
    uint32_t max_expansion;   /* terms a wildcard may expand to; 0 = 100 */
    double deadline;          /* CLOCK_MONOTONIC seconds: past it, the search
                               * stops between its steps, and in the match
                               * every 16 matching documents, with
                               * LEDE_E_TIMEOUT; 0 = none */
    shim_ranking_t ranking;
    bool summary_only; /* hits carry the document's summary (its
                        * data when it has none): cheaper to read */
} shim_query_t;

typedef struct shim_results shim_results_t;

/* Runs a query. *out owns the hits until shim_results_free(), which must
 * come before the handle is closed. A failure
 * leaves its message on db (LEDE_E_TIMEOUT: q->deadline passed). When the
 * revision being read is discarded by a writer, the handle is reopened and
 * the search retried once. */
lede_status_t shim_search(shim_db_t *db, const shim_query_t *q, shim_results_t **out);

/* Documents like the one with this id (more-like-this), excluding it. */
lede_status_t shim_similar(shim_db_t *db, const char *id, uint32_t offset, uint32_t limit,
                           shim_results_t **out);

typedef struct shim_hit {
    uint32_t docid;
    uint32_t rank; /* 1-based, counting from the first result */
    double score;
    int percent;
    const char *data; /* stored payload; borrowed until the results die */
    size_t data_len;
} shim_hit_t;

size_t shim_results_size(const shim_results_t *r);
/* Estimated total; exact when fewer than check_at_least documents matched.
 * The lower and upper bounds are Xapian's: the total is exact when they
 * are equal. */
uint32_t shim_results_total(const shim_results_t *r);
uint32_t shim_results_total_lower(const shim_results_t *r);
uint32_t shim_results_total_upper(const shim_results_t *r);
/* Fills *hit for i < shim_results_size(r). */
void shim_results_hit(const shim_results_t *r, size_t i, shim_hit_t *hit);

/* A snippet of `text` (up to about max_bytes, cut between words) with the
 * query's matches (stem-aware, whole phrases) wrapped in hi_start/hi_end,
 * and "…" where text was left out before or after; the text's opening
 * when nothing matches. The text is returned as-is, not HTML-escaped.
 * *out is malloc'd; caller frees. It does not read the index (only the
 * query and the term weights of its match), so it fails only for want of
 * memory (LEDE_E_NOMEM; the message is on the handle of the search). */
lede_status_t shim_results_snippet(shim_results_t *r, const char *text, size_t max_bytes,
                                   const char *hi_start, const char *hi_end, char **out);

/* Seconds on the clock of shim_query_t.deadline (CLOCK_MONOTONIC). */
double shim_clock(void);

/* Facets in the order requested; values by descending count, except the
 * timeline's: every period with a match, in date order (articles without
 * a date are not counted). Strings are borrowed until the results die. */
size_t shim_results_facet_count(const shim_results_t *r);
const char *shim_results_facet_name(const shim_results_t *r, size_t k);
size_t shim_results_facet_size(const shim_results_t *r, size_t k);
void shim_results_facet_value(const shim_results_t *r, size_t k, size_t j, const char **value,
                              uint32_t *count);

/* A better spelling of the query, or NULL. Borrowed until the results die. */
const char *shim_results_suggestion(const shim_results_t *r);

/* True when the query had a syntax error and, with shim_query_t.fallback,
 * its plain words were searched instead (no operators, no field names). */
bool shim_results_fell_back(const shim_results_t *r);

void shim_results_free(shim_results_t *r);

/* Completions of `prefix` from the index vocabulary, most frequent first:
 * the prefix's last word is completed, the words before it kept. Up to
 * `limit` strings in *out (each and the array malloc'd; free with
 * shim_strings_free). */
lede_status_t shim_complete(shim_db_t *db, const char *prefix, size_t limit, char ***out,
                            size_t *n);
void shim_strings_free(char **v, size_t n);

#ifdef __cplusplus
}
#endif

#endif
