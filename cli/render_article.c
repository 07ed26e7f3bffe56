/* One stored article at a terminal, as a reader would want it: the
 * headline, who and when, where it is about, then the text in wrapped
 * paragraphs. */
#include <stdlib.h>
#include <string.h>

#include "term.h"

/* Fields shown under the byline, in this order, each under its name; any
 * others follow them, then the text. */
static const char *const LABELLED[] = {"category", "places", "tags", "url", "id"};
#define N_LABELLED (sizeof LABELLED / sizeof LABELLED[0])
/* Fields shown in the headline and byline, or as the text. */
static const char *const ELSEWHERE[] = {"title", "title_from_body", "source",
                                        "date",  "author",          "body"};
#define N_ELSEWHERE (sizeof ELSEWHERE / sizeof ELSEWHERE[0])

static bool listed(const char *key, const char *const *keys, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, keys[i])) return true;
    return false;
}

/* "2022-06-14T08:15:00Z" as "2022-06-14 08:15 UTC"; other dates as they are. */
static void put_date(FILE *out, const char *date) {
    size_t n = strlen(date);
    bool utc = n >= 17 && date[10] == 'T' && date[n - 1] == 'Z';
    if (utc)
        fprintf(out, "%.10s %.5s UTC", date, date + 11);
    else
        fputs(date, out);
}

/* "Harbor Wire · 2022-06-14 08:15 UTC · by Mara Lindell" */
static void put_byline(FILE *out, const render_opts_t *o, json_t *doc) {
    const char *source = term_str(doc, "source"), *date = term_str(doc, "date");
    char *author = term_join(json_object_get(doc, "author"));
    if (!*source && !*date && !(author && *author)) return free(author);
    fputs(term_sgr(o, TERM_DIM), out);
    fputs(source, out);
    if (*date) fputs(*source ? " · " : "", out), put_date(out, date);
    if (author && *author) fprintf(out, "%sby %s", *source || *date ? " · " : "", author);
    fprintf(out, "%s\n", term_sgr(o, TERM_RESET));
    free(author);
}

static void put_field(FILE *out, const render_opts_t *o, const char *label, json_t *v) {
    char *text = term_join(v);
    if (!text && !json_is_null(v)) text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text && *text)
        fprintf(out, "%s%-9s%s %s\n", term_sgr(o, TERM_DIM), label, term_sgr(o, TERM_RESET), text);
    free(text);
}

/* The text in paragraphs: a blank line ends one; single line breaks
 * (wire copy wrapped at a fixed width) are spaces within it. */
static void put_body(FILE *out, const render_opts_t *o, const char *body) {
    bool first = true;
    for (const char *p = body; *p;) {
        const char *end = p, *next = NULL;
        for (; *end; end++) {
            if (*end != '\n') continue;
            const char *q = end + 1;
            q += strspn(q, " \t\r");
            if (*q == '\n') {
                next = q + 1;
                break;
            }
        }
        char *para = strndup(p, (size_t)(end - p));
        if (para && para[strspn(para, " \t\r\n")]) {
            if (!first) fputc('\n', out);
            term_wrap(out, o, para);
            first = false;
        }
        free(para);
        p = next ? next : end;
    }
}

void render_article(FILE *out, const render_opts_t *o, json_t *doc) {
    const char *title = term_str(doc, "title");
    fprintf(out, "%s%s%s", term_sgr(o, TERM_BOLD), *title ? title : term_str(doc, "id"),
            term_sgr(o, TERM_RESET));
    if (json_is_true(json_object_get(doc, "title_from_body")))
        fprintf(out, " %s(no headline: its first sentence)%s", term_sgr(o, TERM_DIM),
                term_sgr(o, TERM_RESET));
    fputc('\n', out);
    put_byline(out, o, doc);
    for (size_t i = 0; i < N_LABELLED; i++) {
        json_t *v = json_object_get(doc, LABELLED[i]);
        if (v) put_field(out, o, LABELLED[i], v);
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (!listed(key, LABELLED, N_LABELLED) && !listed(key, ELSEWHERE, N_ELSEWHERE))
            put_field(out, o, key, v);
    }
    const char *body = term_str(doc, "body");
    if (*body) {
        fputc('\n', out);
        put_body(out, o, body);
    }
}
