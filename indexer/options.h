/* options: lede-indexer's command line. */
#ifndef LEDE_INDEXER_OPTIONS_H
#define LEDE_INDEXER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { UPDATE_AUTO, UPDATE_BULK, UPDATE_DIRECT } update_mode_t;

typedef struct indexer_opts {
    const char *db;
    bool rebuild;
    bool allow_empty; /* --rebuild may leave an empty index */
    bool delete_ids;  /* the arguments are ids to delete */
    unsigned threads;
    const char *language; /* NULL: english, or what the index has */
    bool spelling;
    bool keep_text; /* JSON records stored as given, not tidied */
    size_t max_doc_bytes;
    const char *rejects;
    uint32_t shard_docs;
    int progress; /* -1: when stderr is a terminal */
    bool quiet;
    update_mode_t mode;
    bool explain;         /* the arguments are pages to explain, not index */
    bool json;            /* --explain prints JSON */
    const char *snapshot; /* --snapshot OUT: copy --db there, index nothing */
    unsigned shards;      /* --shards N: a sharded index (shards.h); 0: as DIR is */
    unsigned changesets;  /* --changesets N: XAPIAN_MAX_CHANGESETS for the writers */
    const char *watch;    /* --watch DIR: index DIR's files as they come (watch.h) */
    const char *follow;   /* --follow FILE|-: index a JSON Lines stream as it grows */
    unsigned commit_ms;   /* --commit-ms: the longest a watched change waits for its commit */
    unsigned batch_docs;  /* --batch-docs: documents that make a commit sooner */
    bool delete_removed;  /* --delete-removed: a file's removal deletes its articles */
    char **args;
    size_t n_args;
} indexer_opts_t;

/* Parses argv. Returns 0 to go on, 1 when --help or --version was printed
 * (exit 0), -1 after printing a usage error (exit 2). */
int options_parse(int argc, char **argv, indexer_opts_t *o);

#endif
