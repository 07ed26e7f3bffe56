/* Query files in, run files out (see topics.h). */
#include "topics.h"

#include <stdlib.h>
#include <string.h>

/* Splits "qid<TAB>text" in place; false when there is no tab, or the qid
 * is empty or holds a blank (a run file's fields are blank-separated). */
static bool split_query(char *line, char **qid, char **text) {
    line[strcspn(line, "\r\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab || tab == line) return false;
    *tab = '\0';
    *qid = line, *text = tab + 1;
    return !strpbrk(*qid, " ");
}

/* Returns how many queries failed, or -1 on a malformed line. */
static long each_query(const char *tool, const char *path, FILE *in, FILE *out, topics_fn fn,
                       void *ctx) {
    char *line = NULL, *qid, *text;
    size_t cap = 0;
    unsigned long lineno = 0;
    long failed = 0;
    while (getline(&line, &cap, in) != -1) {
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        if (!split_query(line, &qid, &text)) {
            fprintf(stderr, "%s: %s:%lu: expected qid<TAB>query text\n", tool, path, lineno);
            failed = -1;
            break;
        }
        if (!fn(qid, text, out, ctx)) failed++;
    }
    if (failed >= 0 && ferror(in)) fprintf(stderr, "%s: %s: read error\n", tool, path), failed = -1;
    free(line);
    return failed;
}

int topics_run(const char *tool, const char *queries, const char *output, topics_fn fn, void *ctx) {
    FILE *in = fopen(queries, "r");
    if (!in) return fprintf(stderr, "%s: %s: %m\n", tool, queries), 1;
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "%s: %s: %m\n", tool, output);
        fclose(in);
        return 1;
    }
    long failed = each_query(tool, queries, in, out, fn, ctx);
    fclose(in);
    bool written = !ferror(out);
    written = (out == stdout ? fflush(out) : fclose(out)) == 0 && written;
    if (!written) fprintf(stderr, "%s: cannot write the run file\n", tool);
    if (failed > 0) fprintf(stderr, "%s: %ld queries failed\n", tool, failed);
    return failed == 0 && written ? 0 : 1;
}
