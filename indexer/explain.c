/* --explain: one page at a time through the extractor with a trace, then
 * the trace printed for a person (aligned columns) or for tools (--json). */
#include "explain.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_learn.h"
#include "extract_trace.h"
#include "furniture.h"
#include "shards.h"
#include "input.h"
#include "run.h"

/* Columns of the text form: field names, and the value before its origin. */
#define FIELD_WIDTH 9
#define VALUE_WIDTH 48
#define WHERE_WIDTH 12

typedef struct {
    const char *file;
    const char *format;
    lede_status_t st;
    const char *why;
    lede_article_t *arts;
    size_t n;
    const ex_trace_t *trace;
} explained_t;

/* ---- text ---------------------------------------------------------------- */

/* Prints s cut to at most width bytes on a character boundary, padded. */
static void print_cell(const char *s, int width) {
    size_t n = strlen(s);
    if (n > (size_t)width) {
        n = (size_t)width - 3;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
        printf("%.*s...", (int)n, s);
        width -= (int)n + 3;
    } else {
        fputs(s, stdout);
        width -= (int)n;
    }
    /* Multi-byte characters take one column each. */
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) == 0x80) width++;
    printf("%*s", width > 0 ? width : 0, "");
}

static void print_origins(const ex_trace_t *t, size_t article, const char *field,
                          const char *shown) {
    bool any = false;
    for (size_t i = 0; i < ex_trace_n_fields(t); i++) {
        const ex_trace_field_t *f = ex_trace_get_field(t, i);
        if (f->article != article || strcmp(f->field, field) != 0) continue;
        if (shown && strcmp(f->value, shown) != 0) continue;
        printf("%s%s", any ? "; " : "", f->origin);
        any = true;
    }
    if (!any) printf("-");
}

static void print_field(const ex_trace_t *t, size_t k, const char *name, const char *value) {
    if (!value) return;
    printf("  %-*s ", FIELD_WIDTH, name);
    print_cell(value, VALUE_WIDTH);
    printf(" ");
    print_origins(t, k, name, value);
    putchar('\n');
}

static void print_list(const ex_trace_t *t, size_t k, const char *name, const lede_strv_t *v) {
    for (size_t i = 0; i < v->n; i++) print_field(t, k, name, v->v[i]);
}

static size_t count_paragraphs(const char *body) {
    size_t n = 1;
    for (const char *p = strstr(body, "\n\n"); p; p = strstr(p + 2, "\n\n")) n++;
    return n;
}

static void print_article(const ex_trace_t *t, size_t k, const lede_article_t *a) {
    printf("\narticle %zu: %s\n", k + 1, a->id);
    print_field(t, k, "title", a->title);
    print_list(t, k, "author", &a->authors);
    print_field(t, k, "date", a->date);
    print_field(t, k, "source", a->source);
    print_field(t, k, "category", a->category);
    print_list(t, k, "place", &a->places);
    print_list(t, k, "tag", &a->tags);
    print_field(t, k, "url", a->url);
    print_field(t, k, "language", a->language);
    if (a->body)
        printf("  %-*s %zu paragraphs, %zu bytes\n", FIELD_WIDTH, "body", count_paragraphs(a->body),
               strlen(a->body));
}

/* One line per block: where, role (with the article for body text), the
 * reason, then the start of the text. */
static void print_blocks(const ex_trace_t *t) {
    printf("\nblocks\n");
    for (size_t i = 0; i < ex_trace_n_blocks(t); i++) {
        const ex_trace_block_t *b = ex_trace_get_block(t, i);
        char role[32];
        if (b->role == EX_ROLE_BODY || b->role == EX_ROLE_TITLE)
            snprintf(role, sizeof role, "%s #%zu", ex_role_name(b->role), b->article + 1);
        else
            snprintf(role, sizeof role, "%s", ex_role_name(b->role));
        /* An HTML element's description is longer than a line number: it
         * gets a line of its own. */
        if (strlen(b->where) > WHERE_WIDTH)
            printf("  %s\n  %*s", b->where, WHERE_WIDTH, "");
        else
            printf("  "), print_cell(b->where, WHERE_WIDTH);
        printf(" %-10s %s\n", role, b->reason);
        if (*b->text) printf("  %*s %.*s%s\n", WHERE_WIDTH, "", 100, b->text, b->cut ? "..." : "");
    }
}

static void print_text(const explained_t *e) {
    printf("%s: %s page, ", e->file, e->format);
    if (e->st == LEDE_OK)
        printf("%zu article%s\n", e->n, e->n == 1 ? "" : "s");
    else
        printf("no article: %s\n", e->why);
    for (size_t i = 0; i < ex_trace_n_notes(e->trace); i++)
        printf("note: %s\n", ex_trace_get_note(e->trace, i));
    for (size_t k = 0; k < e->n; k++) print_article(e->trace, k, &e->arts[k]);
    print_blocks(e->trace);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *origins_json(const ex_trace_t *t, size_t article) {
    json_t *o = json_object();
    for (size_t i = 0; o && i < ex_trace_n_fields(t); i++) {
        const ex_trace_field_t *f = ex_trace_get_field(t, i);
        if (f->article != article) continue;
        json_t *list = json_object_get(o, f->field);
        if (!list) json_object_set_new(o, f->field, list = json_array());
        json_array_append_new(list, json_pack("{s:s, s:s}", "value", f->value, "from", f->origin));
    }
    return o;
}

static json_t *articles_json(const explained_t *e) {
    json_t *v = json_array();
    for (size_t k = 0; v && k < e->n; k++) {
        size_t len;
        char *stored = article_to_json(&e->arts[k], &len);
        json_t *a = stored ? json_loadb(stored, len, 0, NULL) : NULL;
        free(stored);
        if (!a) continue;
        json_object_set_new(a, "origins", origins_json(e->trace, k));
        json_array_append_new(v, a);
    }
    return v;
}

static json_t *blocks_json(const ex_trace_t *t) {
    json_t *v = json_array();
    for (size_t i = 0; v && i < ex_trace_n_blocks(t); i++) {
        const ex_trace_block_t *b = ex_trace_get_block(t, i);
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s, s:b}", "where", b->where, "role", ex_role_name(b->role),
                      "reason", b->reason, "text", b->text, "cut", b->cut);
        if (o && (b->role == EX_ROLE_BODY || b->role == EX_ROLE_TITLE))
            json_object_set_new(o, "article", json_integer((json_int_t)b->article + 1));
        json_array_append_new(v, o);
    }
    return v;
}

static bool print_json(const explained_t *e) {
    json_t *notes = json_array();
    for (size_t i = 0; notes && i < ex_trace_n_notes(e->trace); i++)
        json_array_append_new(notes, json_string(ex_trace_get_note(e->trace, i)));
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:o, s:o}", "file", e->file, "format", e->format, "notes", notes,
                  "articles", articles_json(e), "blocks", blocks_json(e->trace));
    if (root && e->st != LEDE_OK) json_object_set_new(root, "error", json_string(e->why));
    char *line = root ? json_dumps(root, JSON_COMPACT) : NULL;
    if (line) puts(line);
    free(line);
    json_decref(root);
    return line != NULL;
}

/* ---- one page ------------------------------------------------------------ */

static int explain_file(const indexer_opts_t *o, const ex_learned_t *learned, const char *path) {
    record_t rec;
    lede_err_t why = {""};
    lede_err_t err;
    if (input_read_page(path, o->max_doc_bytes, &rec, &err) != LEDE_OK) {
        fprintf(stderr, "lede-indexer: %s\n", err.msg);
        return EXIT_FAILED;
    }
    ex_trace_t *trace = ex_trace_new();
    explained_t e = {.file = path,
                     .format = rec.kind == RECORD_HTML ? "HTML" : "text",
                     .why = why.msg,
                     .trace = trace};
    extract_opts_t eo = {.learned = learned, .trace = trace};
    if (!trace)
        e.st = LEDE_E_NOMEM;
    else if (rec.kind == RECORD_HTML)
        e.st = extract_html(rec.bytes, rec.len, rec.base_id, &eo, &e.arts, &e.n, &why);
    else
        e.st = extract_text(rec.bytes, rec.len, rec.base_id, &eo, &e.arts, &e.n, &why);
    int status = e.st == LEDE_OK ? EXIT_INDEXED : EXIT_REJECTS;
    if (e.st == LEDE_E_NOMEM || ex_trace_failed(trace)) {
        fprintf(stderr, "lede-indexer: %s: out of memory\n", path);
        status = EXIT_FAILED;
    } else if (o->json) {
        if (!print_json(&e)) status = EXIT_FAILED;
    } else {
        print_text(&e);
    }
    for (size_t i = 0; i < e.n; i++) article_free(&e.arts[i]);
    free(e.arts);
    ex_trace_free(trace);
    free(rec.bytes);
    free(rec.base_id);
    return status;
}

/* ---- what an index learnt ------------------------------------------------- */

typedef struct {
    json_t *lines; /* for --json; or NULL */
    size_t n;
} listing_t;

static bool list_line(void *ctx, const char *line, unsigned pages) {
    listing_t *l = ctx;
    l->n++;
    if (l->lines)
        json_array_append_new(l->lines, json_pack("{s:s, s:i}", "line", line, "pages", (int)pages));
    else
        printf("  %6u  %s\n", pages, line);
    return true;
}

/* Prints the lines an index learnt as site furniture, most pages first
 * would need a sort; they come in table order, with their counts. */
static int list_learned(const indexer_opts_t *o, const ex_learned_t *l) {
    listing_t ls = {o->json ? json_array() : NULL, 0};
    if (!o->json)
        printf("%s: site furniture learnt from %lu pages (lines seen on %d pages or more)\n", o->db,
               ex_learned_pages(l), EX_LEARN_MIN_PAGES);
    ex_learned_each(l, list_line, &ls);
    if (o->json) {
        json_t *root = json_pack("{s:s, s:I, s:o}", "db", o->db, "pages",
                                 (json_int_t)ex_learned_pages(l), "furniture", ls.lines);
        char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
        if (text) puts(text);
        free(text);
        json_decref(root);
    } else if (ls.n == 0) {
        printf("  (none)\n");
    }
    return EXIT_INDEXED;
}

int explain_run(const indexer_opts_t *o) {
    int worst = EXIT_INDEXED;
    ex_learned_t *learned = NULL;
    lede_err_t err;
    char meta[INDEX_PATH_MAX + 32];
    if (o->db) shards_meta_path(o->db, meta, sizeof meta);
    if (o->db && furniture_read(meta, &learned, &err) != LEDE_OK) {
        fprintf(stderr, "lede-indexer: %s\n", err.msg);
        return EXIT_FAILED;
    }
    if (o->n_args == 0) worst = list_learned(o, learned);
    for (size_t i = 0; i < o->n_args; i++) {
        if (i > 0 && !o->json) printf("\n");
        int st = explain_file(o, learned, o->args[i]);
        if (st > worst) worst = st;
    }
    ex_learned_free(learned);
    return worst;
}
