/* Helpers of the lede-indexer integration tests. */
#include "indexer_util.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../unit/check.h"

const char *indexer;

const char *fx(const char *name) {
    static char fixture[4096];
    snprintf(fixture, sizeof fixture, "%s/%s", LEDE_FIXTURES, name);
    return fixture;
}

char *db_path(const char *tmp) {
    static char path[4200];
    snprintf(path, sizeof path, "%s/idx", tmp);
    return path;
}

int run_indexer(char **out, char **err, long fsize, const char *stdin_path, ...) {
    char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, stdin_path);
    argv[n++] = (char *)indexer;
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    check_run_opts_t opts = {.stdin_path = stdin_path, .fsize_limit = fsize};
    return check_run(argv, &opts, out, err);
}

void kill_rebuild(const char *db, const char *input, int delay_ms) {
    char *argv[] = {(char *)indexer, "--db", (char *)db, "--rebuild", (char *)input, NULL};
    pid_t pid = check_spawn(argv, NULL, "/dev/null", NULL);
    check_sleep_ms(delay_ms);
    if (pid > 0) kill(pid, SIGKILL);
    check_wait(pid, 0);
}

shim_db_t *open_db(const char *dir) {
    shim_db_t *db = NULL;
    char *msg = NULL;
    if (shim_db_open(dir, &db, &msg) != LEDE_OK) fprintf(stderr, "open %s: %s\n", dir, msg);
    free(msg);
    return db;
}

uint32_t doccount(const char *dir) {
    shim_db_t *db = open_db(dir);
    shim_stats_t st = {0};
    if (db) shim_db_stats(db, &st);
    shim_db_close(db);
    return st.doccount;
}

char *get_doc(const char *dir, const char *id) {
    shim_db_t *db = open_db(dir);
    char *data = NULL;
    size_t len;
    if (db && shim_db_get(db, id, &data, &len) != LEDE_OK) data = NULL;
    shim_db_close(db);
    return data;
}

void write_corpus(const char *path, int n) {
    write_corpus_from(path, 0, n);
}

void write_corpus_from(const char *path, int first, int n) {
    FILE *f = fopen(path, "w");
    for (int i = first; f && i < first + n; i++)
        fprintf(f,
                "{\"id\":\"k%d\",\"title\":\"Generated article %d about tides\",\"body\":\""
                "Tides and harbors and ferries number %d, with words repeated to make the "
                "document a realistic size for indexing. %d %d %d\"}\n",
                i, i, i, i * 7, i * 13, i);
    if (f) fclose(f);
}

void suggestion(const char *dir, const char *text, char *out, size_t size) {
    shim_db_t *db = open_db(dir);
    shim_results_t *r = NULL;
    shim_query_t q = {.text = text, .limit = 1, .suggest = true};
    out[0] = '\0';
    if (db && shim_search(db, &q, &r) == LEDE_OK && shim_results_suggestion(r))
        snprintf(out, size, "%s", shim_results_suggestion(r));
    shim_results_free(r);
    shim_db_close(db);
}
