/* Fuzz target for the JSON Lines reader (indexer/input.c, convert.c,
 * common/article.c): the input is a whole .jsonl file (gzip or not), read
 * the way lede-indexer reads its inputs, each record parsed, validated,
 * tidied (as without --keep-text) and turned into the document the index
 * stores. Aborts when a reason for a
 * reject cannot be printed safely (not UTF-8, or holding control bytes
 * that a terminal would obey), or when a stored form is not JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "input.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so that libFuzzer's inputs reach the over-the-limit path. */
#define FUZZ_MAX_RECORD_BYTES 1024

static void check_reason(const char *why) {
    size_t bad, n = strlen(why);
    if (!n || !utf8_valid(why, n, &bad)) abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f) abort();
}

static void check_json(const char *text) {
    json_t *v = json_loads(text, 0, NULL);
    if (!json_is_object(v)) abort();
    json_decref(v);
}

static lede_status_t on_record(void *ctx, record_t *rec) {
    (void)ctx;
    lede_err_t why = {""};
    lede_article_t *arts;
    size_t n;
    if (convert_record(rec, NULL, false, &arts, &n, &why) == LEDE_OK) {
        for (size_t i = 0; i < n; i++) {
            shim_doc_t doc;
            char *stored;
            if (convert_document(&arts[i], rec->seq, &doc, &stored) != LEDE_OK) abort();
            check_json(doc.data);
            check_json(doc.summary);
            free(stored);
        }
        convert_free(arts, n);
    } else {
        check_reason(why.msg);
    }
    free(rec->bytes);
    free(rec->base_id);
    return LEDE_OK;
}

static void on_oversize(void *ctx, const char *file, uint64_t line, size_t len) {
    (void)ctx, (void)file, (void)line, (void)len;
}

static void on_unreadable(void *ctx, const char *file, const char *why) {
    (void)ctx, (void)file, (void)why;
}

static void on_skipped(void *ctx, const char *path, const char *why) {
    (void)ctx, (void)path, (void)why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = memfile_write(data, size);
    if (!path) return 0;
    char *paths[] = {(char *)path};
    lede_err_t err;
    input_sink_t sink = {.record = on_record,
                         .oversize = on_oversize,
                         .unreadable = on_unreadable,
                         .skipped = on_skipped};
    input_t in;
    if (input_prepare(&in, paths, 1, FUZZ_MAX_RECORD_BYTES, &err) == LEDE_OK)
        input_scan(&in, paths, 1, &sink, &err);
    input_free(&in);
    return 0;
}
