/* input: turns the command line's INPUT arguments into records.
 *
 * A record is one JSON Lines line or one raw page: a scraped text file
 * (*.txt) or an HTML file (*.html, *.htm), each also gzip-compressed
 * (*.txt.gz, *.html.gz). Inputs are read in the order given; a directory
 * is walked recursively in name order (the symbolic links in a directory
 * after its other entries), taking pages and *.jsonl / *.jsonl.gz files.
 * "-" is standard input (JSON Lines, gzip or not). Each file and directory
 * is read once, however many links lead to it; a link back to a directory
 * being walked is a loop, skipped. */
#ifndef LEDE_INPUT_H
#define LEDE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lede/status.h"

typedef enum { RECORD_JSON, RECORD_TEXT, RECORD_HTML } record_kind_t;

typedef struct record {
    record_kind_t kind;
    const char *file; /* borrowed: valid until input_free() */
    uint64_t line;    /* 1-based line of a JSON record; 0 for a page */
    uint64_t seq;     /* position in the whole input, from 1 */
    char *bytes;      /* owned by the record: free() */
    size_t len;
    char *base_id; /* pages: the id the path gives; owned; else NULL */
} record_t;

typedef struct input_sink {
    /* Takes ownership of rec's bytes and base_id. A non-OK status stops
     * the scan and is returned by input_scan. */
    lede_status_t (*record)(void *ctx, record_t *rec);
    /* A record over the size limit: reported, not read. */
    void (*oversize)(void *ctx, const char *file, uint64_t line, size_t len);
    /* A file that could not be read (unreadable, gone since the directory
     * was listed, a broken gzip page): reported, and the rest is read. */
    void (*unreadable)(void *ctx, const char *path, const char *why);
    /* A path not read, for a reason that is no fault of the input: a link
     * back to a directory being walked, a second way to a file or
     * directory already read, not a regular file. */
    void (*skipped)(void *ctx, const char *path, const char *why);
    void *ctx;
    bool pages_only; /* skip JSON Lines inputs (a pass over the pages alone) */
} input_sink_t;

typedef struct input {
    char **names; /* interned file names */
    size_t n_names;
    uint64_t total_bytes; /* on-disk size of all inputs; 0 if unknown */
    bool size_known;      /* false when reading standard input */
    uint64_t read_bytes;  /* on-disk bytes consumed so far (progress) */
    uint64_t text_bytes;  /* uncompressed bytes read so far */
    uint64_t files;
    uint64_t records; /* records handed out (the last seq) */
    size_t max_record_bytes;
    struct seen *seen; /* files and directories read (input_scan) */
} input_t;

/* Checks that every input exists and is readable, and sums their sizes.
 * Reports the first problem in err. */
lede_status_t input_prepare(input_t *in, char *const *paths, size_t n, size_t max_record_bytes,
                            lede_err_t *err);

/* Reads every input, handing records to the sink. */
lede_status_t input_scan(input_t *in, char *const *paths, size_t n, const input_sink_t *sink,
                         lede_err_t *err);

/* Frees what reading gave out (the interned names records borrow); the
 * counters (records, bytes) go on. in may be read again after it. */
void input_free(input_t *in);

/* Whether a file of this name is read from a directory: a page or JSON
 * Lines (.jsonl, .json, each also .gz). */
bool input_is_input_name(const char *name);

/* Reads one regular file found below a directory that is being watched
 * (--watch), as input_scan of that directory would: rel is its path below
 * the directory, which gives a page its id. A file that cannot be read is
 * reported to sink->unreadable. Unlike input_scan, a file is read again
 * each time it is given. */
lede_status_t input_scan_file(input_t *in, const char *path, const char *rel,
                              const input_sink_t *sink, lede_err_t *err);

/* The kind of page a file name stands for (.txt, .html, .htm, each maybe
 * with .gz), with the length of the name without those extensions in
 * *stem; false for anything else. */
bool input_page_name(const char *name, record_kind_t *kind, size_t *stem);

/* Reads one page file into rec (for --explain): its kind from the name,
 * or from the bytes when the name says nothing (markup first: HTML), its
 * bytes and its base id (the file name without extensions); rec->file is
 * path itself. The caller frees rec->bytes and rec->base_id. Fails with a
 * message in err for a missing or unreadable file or one over max bytes. */
lede_status_t input_read_page(const char *path, size_t max, record_t *rec, lede_err_t *err);

#endif
