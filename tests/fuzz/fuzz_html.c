/* Fuzz target for the HTML page extractor: one page per input, once
 * without and once with a trace (the --explain path) whose every record is
 * read back. Built with libFuzzer (clang -fsanitize=fuzzer) when LEDE_FUZZ
 * is on; otherwise tests/fuzz/replay.c's main() replays the seed corpus,
 * so ctest runs every seed on every build. A refusal without a reason, or
 * with articles, a reason a terminal could not show safely (not UTF-8, or
 * holding control bytes), an article without a stored form, or a trace
 * string --explain --json could not print (not UTF-8), aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_trace.h"
#include "lede/article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s) {
    size_t bad;
    if (!s || !utf8_valid(s, strlen(s), &bad)) abort();
}

/* A refusal's reason is printed to stderr as "file: reason". */
static void check_reason(const char *why) {
    check_utf8(why);
    for (size_t i = 0; why[i]; i++)
        if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f) abort();
}

static void extract_once(const uint8_t *data, size_t size, ex_trace_t *trace) {
    lede_err_t why;
    extract_opts_t opts = {.trace = trace};
    lede_article_t *arts = NULL;
    size_t n = 0;
    why.msg[0] = '\0';
    if (extract_html((const char *)data, size, "fuzz", &opts, &arts, &n, &why) != LEDE_OK) {
        if (!why.msg[0] || arts || n) abort();
        check_reason(why.msg);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    extract_once(data, size, NULL);
    ex_trace_t *trace = ex_trace_new();
    if (trace) {
        extract_once(data, size, trace);
        read_trace(trace);
    }
    ex_trace_free(trace);
    return 0;
}
