/* Scoring one set of the dev set (evalset.h). */
#include "evalset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docs.h"
#include "htmltext.h"
#include "lede/shim.h"
#include "util.h"

#define TOOL "lede-extract-eval"

bool evalset_known(const char *name) {
    return strcmp(name, "text") == 0 || strcmp(name, "html") == 0;
}

/* Warns about truth records whose page file is not in the folder. */
static void warn_absent_pages(const evalset_t *s, const char *pages_dir) {
    for (size_t i = 0; i < s->truth.n; i++) {
        const char *file = s->truth.v[i].file, *slash = strrchr(file, '/');
        char *path = ev_sprintf("%s/%s", pages_dir, slash ? slash + 1 : file);
        if (access(path, R_OK) != 0)
            fprintf(stderr,
                    TOOL ": warning: %s set: %s is not there (the page scores as missing)\n",
                    s->name, path);
        free(path);
    }
}

/* Indexes the folder; returns the open index, or NULL (after a warning)
 * when there is none to read. */
static shim_db_t *index_pages(evalset_t *s, const evalset_opts_t *o, const char *pages_dir,
                              const char *tmp, char *err, size_t size, bool *ok) {
    char *db_path = ev_sprintf("%s/idx", tmp), *log = ev_sprintf("%s/indexer.log", tmp);
    shim_db_t *db = NULL;
    char *why = NULL;
    *ok = indexrun_run(o->indexer, pages_dir, db_path, log, o->timeout_s, &s->run, err, size);
    if (*ok && s->run.status != 0)
        fprintf(stderr, TOOL ": warning: %s set: lede-indexer exited with status %d:\n%s", s->name,
                s->run.status, s->run.output);
    if (*ok && shim_db_open(db_path, &db, &why) != LEDE_OK) {
        fprintf(stderr, TOOL ": warning: %s set: no index to read (%s): every page is missing\n",
                s->name, why ? why : "cannot open");
        db = NULL;
    }
    free(why);
    free(db_path);
    free(log);
    return db;
}

/* The reference body of an HTML page, or NULL (after a warning). Its
 * folder is named after the page's file (html-readability/ID/). */
static char *reference_of(const evalset_opts_t *o, const truth_page_t *t) {
    char err[512];
    char *path = ev_sprintf("%s/html-readability/%s/expected.html", o->dev, t->id);
    char *text = htmltext_file(path, err, sizeof err);
    if (!text) fprintf(stderr, TOOL ": warning: %s: no body F1 for %s\n", err, t->id);
    free(path);
    return text;
}

static bool check_pages(evalset_t *s, const evalset_opts_t *o, shim_db_t *db, char *err,
                        size_t size) {
    bool html = strcmp(s->name, "html") == 0;
    s->pages = ev_xmalloc(s->truth.n * sizeof *s->pages);
    for (size_t i = 0; i < s->truth.n; i++) {
        const truth_page_t *t = &s->truth.v[i];
        doc_page_t docs;
        if (!docs_read_page(db, t->id, &docs, err, size)) return docs_page_free(&docs), false;
        char *reference = html ? reference_of(o, t) : NULL;
        check_page(t, &docs, reference, &s->pages[s->n++]);
        s->documents += docs.n;
        free(reference);
        docs_page_free(&docs);
    }
    return true;
}

bool evalset_run(const char *name, const evalset_opts_t *o, evalset_t *out, char *err,
                 size_t size) {
    *out = (evalset_t){.name = strcmp(name, "html") == 0 ? "html" : "text"};
    char *truth = ev_sprintf("%s/truth-%s.jsonl", o->dev, out->name);
    char *pages_dir = ev_sprintf("%s/%s", o->dev, out->name);
    char *tmp = NULL;
    lede_err_t terr;
    bool ok = truth_load(truth, &out->truth, &terr) == LEDE_OK;
    if (!ok) snprintf(err, size, "%s", terr.msg); /* the rest of the bench keeps its buffer */
    if (ok) warn_absent_pages(out, pages_dir);
    if (ok && !(tmp = indexrun_tmpdir(err, size))) ok = false;
    shim_db_t *db = ok ? index_pages(out, o, pages_dir, tmp, err, size, &ok) : NULL;
    if (ok) ok = check_pages(out, o, db, err, size);
    if (ok) tally_build(out->pages, out->n, &out->tally);
    if (db) shim_db_close(db);
    if (tmp && o->keep) fprintf(stderr, TOOL ": %s set: index kept in %s/idx\n", out->name, tmp);
    if (tmp && !o->keep) indexrun_remove(tmp);
    free(tmp);
    free(truth);
    free(pages_dir);
    return ok;
}

void evalset_free(evalset_t *s) {
    for (size_t i = 0; i < s->n; i++) check_page_free(&s->pages[i]);
    free(s->pages);
    tally_free(&s->tally);
    indexrun_free(&s->run);
    truth_free(&s->truth);
    *s = (evalset_t){0};
}
