/* lede-pages: a corpus of JSON Lines articles written out as scraped text
 * pages, and the page extractor timed over them (bench/extract/overhead.sh).
 *
 *   lede-pages write CORPUS.jsonl[.gz] DIR [N]   one DIR/<id>.txt per article,
 *                                                and DIR.jsonl: the articles
 *                                                whose page yields one
 *   lede-pages time DIR                          extract_text() over the pages in DIR
 *
 * A page is what a scraper keeps of a news site: a site header and a menu
 * line, the headline, a byline and a date line, the paragraphs, and share
 * and related-story lines after them, so that the extractor does the work
 * it does on real pages. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "extract.h"
#include "usage.h"

#define LINE_MAX_BYTES (8u * 1024 * 1024)

static const char USAGE[] = "Usage: lede-pages write CORPUS.jsonl[.gz] DIR [N]\n"
                            "       lede-pages time DIR\n";

static char *slurp(const char *path, size_t *len);

/* Whether the page at path yields an article, as lede-indexer would see it. */
static bool page_ok(const char *path) {
    size_t len, n;
    char *text = slurp(path, &len);
    lede_err_t why;
    lede_article_t *arts;
    bool ok = text && extract_text(text, len, "page", NULL, &arts, &n, &why) == LEDE_OK;
    if (ok) {
        for (size_t i = 0; i < n; i++) article_free(&arts[i]);
        free(arts);
    }
    free(text);
    return ok;
}

/* Writes one article as a page, and the article to same (the JSON Lines
 * twin of the pages) when its page yields one; false on a write error. */
static bool write_page(const char *dir, json_t *a, unsigned long n, FILE *same) {
    const char *id = json_string_value(json_object_get(a, "id"));
    const char *title = json_string_value(json_object_get(a, "title"));
    const char *body = json_string_value(json_object_get(a, "body"));
    const char *date = json_string_value(json_object_get(a, "date"));
    json_t *authors = json_object_get(a, "author");
    if (!title || !body) return true; /* not a page's worth */
    char path[4096], safe[256];
    snprintf(safe, sizeof safe, "%s", id ? id : "article");
    for (char *p = safe; *p; p++)
        if (*p == '/') *p = '_';
    snprintf(path, sizeof path, "%s/%s-%lu.txt", dir, safe, n);
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fprintf(f, "Skip to main content\nHome | World | Business | Sport\n\n%s\n\n", title);
    const char *author = json_is_array(authors) ? json_string_value(json_array_get(authors, 0))
                                                : json_string_value(authors);
    if (author) fprintf(f, "By %s\n", author);
    if (date) fprintf(f, "Published: %.10s\n", date);
    fprintf(f, "\n%s\n\nShare this article\nRelated stories\n", body);
    if (fclose(f) != 0) return false;
    if (!page_ok(path)) return remove(path) == 0;
    json_t *id_a = json_deep_copy(a);
    json_object_set_new(id_a, "id", json_string(strrchr(path, '/') + 1));
    bool ok = json_dumpf(id_a, same, JSON_COMPACT) == 0 && fputc('\n', same) != EOF;
    json_decref(id_a);
    return ok;
}

static int write_pages(const char *corpus, const char *dir, unsigned long max) {
    gzFile gz = gzopen(corpus, "rb");
    char *line = malloc(LINE_MAX_BYTES), twin[4200];
    unsigned long n = 0;
    snprintf(twin, sizeof twin, "%s.jsonl", dir);
    FILE *same = fopen(twin, "w");
    if (!gz || !line || !same) {
        fprintf(stderr, "lede-pages: cannot read %s or write %s\n", corpus, twin);
        free(line);
        if (same) fclose(same);
        if (gz) gzclose(gz);
        return 1;
    }
    while (n < max && gzgets(gz, line, LINE_MAX_BYTES)) {
        json_t *a = json_loads(line, 0, NULL);
        bool ok = !a || write_page(dir, a, n, same);
        json_decref(a);
        if (!ok) {
            fprintf(stderr, "lede-pages: cannot write into %s\n", dir);
            break;
        }
        n++;
    }
    gzclose(gz);
    free(line);
    if (fclose(same) != 0) fprintf(stderr, "lede-pages: cannot write %s\n", twin);
    printf("%lu articles read; the pages that yield an article are in %s, "
           "the same articles as JSON Lines in %s\n",
           n, dir, twin);
    return 0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) s[n] = '\0', *len = (size_t)n;
    return s;
}

/* Extracts every page of dir; prints pages, bytes and CPU seconds spent in
 * extraction alone (files are read before the clock starts). */
static int time_pages(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned long pages = 0, failed = 0;
    size_t bytes = 0;
    double cpu = 0;
    if (!d) {
        fprintf(stderr, "lede-pages: cannot open %s\n", dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        lede_err_t why;
        size_t len, n;
        if (!strstr(e->d_name, ".txt")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path, &len);
        if (!text) continue;
        lede_article_t *arts;
        clock_t t0 = clock();
        lede_status_t st = extract_text(text, len, e->d_name, NULL, &arts, &n, &why);
        cpu += (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (st == LEDE_OK) {
            for (size_t i = 0; i < n; i++) article_free(&arts[i]);
            free(arts);
        } else {
            failed++;
        }
        pages++, bytes += len;
        free(text);
    }
    closedir(d);
    printf("pages %lu failed %lu bytes %zu cpu_s %.3f pages_per_s %.0f mb_per_s %.2f\n", pages,
           failed, bytes, cpu, cpu > 0 ? pages / cpu : 0, cpu > 0 ? bytes / cpu / 1e6 : 0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "write") == 0)
        return write_pages(argv[2], argv[3], argc > 4 ? strtoul(argv[4], NULL, 10) : ~0ul);
    if (argc == 3 && strcmp(argv[1], "time") == 0) return time_pages(argv[2]);
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(USAGE, stdout);
        return 0;
    }
    return bench_usage_error("lede-pages", "expected 'write CORPUS DIR [N]' or 'time DIR'", NULL);
}
