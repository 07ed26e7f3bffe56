/* Furniture, caption, meta-line and sidebar leaks (leaks.h). */
#include "leaks.h"

#include <stdlib.h>
#include <string.h>

#include "tokens.h"

/* One listed line in its compared forms. */
typedef struct line_forms {
    char *text, *trimmed;
    norm_tokens_t tokens;
    bool long_line;
} line_forms_t;

static void line_forms(const char *line, line_forms_t *f) {
    f->text = norm_text(line);
    f->trimmed = norm_trimmed(line);
    norm_tokenize(line, &f->tokens);
    f->long_line = norm_chars(f->text) >= LEAKS_SUBSTRING_MIN_CHARS;
}

static void line_forms_free(line_forms_t *f) {
    free(f->text);
    free(f->trimmed);
    norm_tokens_free(&f->tokens);
}

static bool is_paragraph(const ev_strv_t *paras, const char *text, bool inside) {
    for (size_t i = 0; i < paras->n; i++)
        if (strcmp(paras->v[i], text) == 0 || (inside && strstr(paras->v[i], text))) return true;
    return false;
}

/* A token value that equals the line and is not an accepted one. */
static bool wrong_value(const norm_tokens_t *value, const forms_alts_t *accepted,
                        const line_forms_t *l) {
    return value->n > 0 && tokens_equal(value, &l->tokens) && !forms_alts_match(accepted, value);
}

/* A set member that equals the line and is not an accepted one. */
static bool wrong_member(const forms_set_t *values, const forms_sets_t *accepted,
                         const line_forms_t *l) {
    return *l->trimmed && forms_set_has(values, l->trimmed) &&
           !forms_sets_hold(accepted, l->trimmed);
}

/* Where the line leaks in document k, or NULL. */
static const char *leak_in_doc(const leak_page_t *p, size_t k, const line_forms_t *l,
                               bool main_only) {
    const doc_forms_t *f = &p->forms[k];
    if (*l->text && is_paragraph(&f->paragraphs, l->text, false)) return "a paragraph";
    if (wrong_value(&f->title, p->titles, l)) return "the title";
    if (wrong_value(&f->source, p->sources, l)) return "the source";
    if (wrong_value(&f->category, p->categories, l)) return "the category";
    if (wrong_member(&f->authors, p->authors, l)) return "an author";
    if (wrong_member(&f->places, p->places, l)) return "a place";
    if (!main_only && l->long_line && is_paragraph(&f->paragraphs, l->text, true))
        return "inside a paragraph";
    return NULL;
}

/* "main" or the item's suffix ("#2"). */
static const char *doc_name(const leak_page_t *p, size_t k) {
    const char *hash = k > 0 && p->docs->v[k].id ? strrchr(p->docs->v[k].id, '#') : NULL;
    return hash ? hash : k == 0 ? "main" : "item";
}

void leaks_check_lines(const leak_page_t *p, const ev_strv_t *lines, bool main_only,
                       check_result_t *out) {
    ev_buf_t got = {0};
    size_t docs = main_only && p->docs->n > 1 ? 1 : p->docs->n;
    for (size_t i = 0; i < lines->n; i++) {
        line_forms_t l;
        line_forms(lines->v[i], &l);
        for (size_t k = 0; k < docs; k++) {
            const char *where = leak_in_doc(p, k, &l, main_only);
            if (!where) continue;
            ev_buf_addf(&got, "%s\"%s\" as %s of %s", got.len ? "; " : "", lines->v[i], where,
                        doc_name(p, k));
            break;
        }
        line_forms_free(&l);
    }
    bool clean = got.len == 0;
    check_set(out, clean, NULL, ev_buf_take(&got));
}

void leaks_check_sidebar(const leak_page_t *p, const ev_strv_t *sidebar, check_result_t *out) {
    ev_buf_t got = {0};
    norm_tokens_t hay;
    char *joined = ev_sprintf("%s\n\n%s", p->docs->v[0].title ? p->docs->v[0].title : "",
                              p->docs->v[0].body ? p->docs->v[0].body : "");
    norm_tokenize(joined, &hay);
    free(joined);
    for (size_t i = 0; i < sidebar->n; i++) {
        norm_tokens_t entry;
        norm_tokenize(sidebar->v[i], &entry);
        if (tokens_contain(&hay, &entry, LEAKS_SIDEBAR_TOKENS))
            ev_buf_addf(&got, "%s\"%s\" in the main document", got.len ? "; " : "", sidebar->v[i]);
        norm_tokens_free(&entry);
    }
    norm_tokens_free(&hay);
    bool clean = got.len == 0;
    check_set(out, clean, NULL, ev_buf_take(&got));
}
