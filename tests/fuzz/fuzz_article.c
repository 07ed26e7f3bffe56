/* Fuzz target for the text page extractor (indexer/extract*.c): one
 * scraped page per input, extracted as an indexing run does, then again
 * with a trace (the --explain path) whose every record is read back, and
 * counted into a table of learnt furniture that is dumped and loaded as a
 * run stores it in the index; when it could be an article body (UTF-8, no
 * NUL), it is reflowed too. A refusal without a reason, a reason or trace
 * string --explain --json could not print (not UTF-8), or a reflowed body
 * that is not UTF-8 or holds a NUL, aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_learn.h"
#include "extract_trace.h"
#include "lede/article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s) {
    size_t bad;
    if (!s || !utf8_valid(s, strlen(s), &bad)) abort();
}

static void extract_once(const uint8_t *data, size_t size, const extract_opts_t *opts) {
    lede_err_t why;
    lede_article_t *arts = NULL;
    size_t n = 0;
    why.msg[0] = '\0';
    if (extract_text((const char *)data, size, "fuzz", opts, &arts, &n, &why) != LEDE_OK) {
        if (!why.msg[0] || arts || n) abort();
        check_utf8(why.msg);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *json = article_to_json(&arts[i], &len);
        if (!json) abort(); /* a validated article always has a stored form */
        free(json);
        article_free(&arts[i]);
    }
    free(arts);
}

/* Reads every record of the trace, as the --explain printers do. */
static void read_trace(const ex_trace_t *t) {
    for (size_t i = 0; i < ex_trace_n_blocks(t); i++) {
        const ex_trace_block_t *b = ex_trace_get_block(t, i);
        check_utf8(b->where), check_utf8(b->text), check_utf8(b->reason);
        check_utf8(ex_role_name(b->role));
    }
    for (size_t i = 0; i < ex_trace_n_fields(t); i++) {
        const ex_trace_field_t *f = ex_trace_get_field(t, i);
        check_utf8(f->field), check_utf8(f->value), check_utf8(f->origin);
    }
    for (size_t i = 0; i < ex_trace_n_notes(t); i++) check_utf8(ex_trace_get_note(t, i));
}

/* The page as the indexer hands it to the learner: a record's bytes always
 * end with a NUL past len, and ex_shape() reads up to that NUL. */
static void learn(const uint8_t *data, size_t size) {
    char *page = malloc(size + 1), *dump = NULL;
    ex_learned_t *l = ex_learned_new(), *again = ex_learned_new();
    if (page && l && again) {
        memcpy(page, data, size);
        page[size] = '\0';
        if (ex_learned_count_page(l, page, size) == LEDE_OK) dump = ex_learned_dump(l, 100);
        if (dump) ex_learned_load(again, dump);
    }
    free(dump);
    free(page);
    ex_learned_free(l);
    ex_learned_free(again);
}

/* An article body's paragraphs rebuilt (extract_reflow): bodies are
 * validated UTF-8 without NUL bytes before anything reflows them. */
static void reflow(const uint8_t *data, size_t size) {
    size_t bad;
    if (!utf8_valid((const char *)data, size, &bad) || memchr(data, '\0', size)) return;
    char *r = extract_reflow((const char *)data, size);
    if (!r) abort();
    check_utf8(r);
    free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    extract_once(data, size, NULL);
    extract_opts_t opts = {.trace = ex_trace_new()};
    if (opts.trace) {
        extract_once(data, size, &opts);
        read_trace(opts.trace);
        ex_trace_free(opts.trace);
    }
    learn(data, size);
    reflow(data, size);
    return 0;
}
