/* lede-indexer on raw pages, end to end: site furniture learnt in a run,
 * kept in the index and used by the next run; --explain in text and JSON;
 * pages without an article and broken gzip pages reported with the rest
 * indexed. The real binary on pages written here. */
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zlib.h>

#include "../unit/check.h"
#include "lede/shim.h"

static const char *indexer;

static int run(char **out, char **err, char *a0, char *a1, char *a2, char *a3, char *a4) {
    char *argv[] = {(char *)indexer, a0, a1, a2, a3, a4, NULL};
    return check_run(argv, NULL, out, err);
}

static char *get_doc(const char *db, const char *id) {
    shim_db_t *h;
    char *msg = NULL, *data = NULL;
    size_t len;
    if (shim_db_open(db, &h, &msg) != LEDE_OK) {
        fprintf(stderr, "open %s: %s\n", db, msg ? msg : "?");
        free(msg);
        return NULL;
    }
    if (shim_db_get(h, id, &data, &len) != LEDE_OK) data = NULL;
    shim_db_close(h);
    return data;
}

/* A page of the invented site "Quayside Herald", whose chrome no general
 * rule knows: it is learnt from the pages of one run. */
static char *site_page(const char *dir, const char *name, const char *headline, const char *text) {
    char page[2048];
    snprintf(page, sizeof page,
             "Quayside Herald\nHarbour Edition\n\n%s\n\n%s\n\nTide tables and ship times\n",
             headline, text);
    return check_write_file(dir, name, page);
}

static void test_learns_site_furniture(void) {
    char *tmp = check_tmpdir("learn"), *out, *err, db[4300], pages[4300], more[4300];
    snprintf(db, sizeof db, "%s/db", tmp);
    snprintf(pages, sizeof pages, "%s/pages", tmp);
    snprintf(more, sizeof more, "%s/more", tmp);
    mkdir(pages, 0755), mkdir(more, 0755);
    char *f[4] = {
        site_page(pages, "a.txt", "Cranes back at work on the east quay",
                  "The four cranes on the east quay loaded their first ship in ten years on "
                  "Monday, the port said."),
        site_page(pages, "b.txt", "Fish market moves to the old customs house",
                  "The fish market will move to the old customs house in the spring, the "
                  "council decided on Tuesday."),
        site_page(pages, "c.txt", "Ferry strike called off after late talks",
                  "The ferry crews called off their strike on Wednesday night after the "
                  "company improved its offer."),
        site_page(more, "d.txt", "Lighthouse keeper retires after forty years",
                  "The last keeper of the harbour lighthouse retired on Friday, and the light "
                  "will now be run from the city."),
    };
    CHECK_INT(run(&out, &err, "--db", db, pages, NULL, NULL), 0);
    char *doc = get_doc(db, "b");
    CHECK(doc && strstr(doc, "\"title\":\"Fish market moves to the old customs house\""));
    CHECK(doc && !strstr(doc, "Quayside") && !strstr(doc, "Harbour Edition") &&
          !strstr(doc, "Tide tables"));
    free(doc), free(out), free(err);

    /* What the index learnt, listed. */
    CHECK_INT(run(&out, &err, "--explain", "--db", db, NULL, NULL), 0);
    CHECK(out && strstr(out, "quayside herald") && strstr(out, "tide tables and ship times"));
    free(out), free(err);

    /* A later run of one page knows the site's furniture from the index. */
    CHECK_INT(run(&out, &err, "--db", db, more, NULL, NULL), 0);
    doc = get_doc(db, "d");
    CHECK(doc && strstr(doc, "\"title\":\"Lighthouse keeper retires after forty years\""));
    CHECK(doc && !strstr(doc, "Quayside") && !strstr(doc, "Tide tables"));
    free(doc), free(out), free(err);

    /* --explain with the index says why. */
    CHECK_INT(run(&out, &err, "--explain", "--db", db, f[3], NULL), 0);
    CHECK(out && strstr(out, "learnt furniture: seen on"));
    free(out), free(err);
    for (int i = 0; i < 4; i++) free(f[i]);
    check_rmtree(tmp);
}

static void test_explain(void) {
    char *tmp = check_tmpdir("explain"), *out, *err;
    char *page = check_write_file(tmp, "story.txt",
                                  "Accessibility links\n\nBridge reopens to walkers\n\n"
                                  "ARDEN (NEWSWIRE) - The old bridge reopened on Sunday after "
                                  "two years of repairs, the city said.\n");
    char *empty = check_write_file(tmp, "menu.txt", "Home\nWorld\nBusiness\nSport\n");
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/nope.txt", tmp);

    CHECK_INT(run(&out, &err, "--explain", page, NULL, NULL, NULL), 0);
    CHECK(out && strstr(out, "text page, 1 article"));
    CHECK(out && strstr(out, "Bridge reopens to walkers") && strstr(out, "wire dateline"));
    CHECK(out && strstr(out, "furniture") && strstr(out, "Accessibility links"));
    free(out), free(err);

    CHECK_INT(run(&out, &err, "--explain", "--json", page, NULL, NULL), 0);
    json_t *j = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(j != NULL);
    json_t *a = json_array_get(json_object_get(j, "articles"), 0);
    CHECK_STR(json_string_value(json_object_get(a, "source")), "NEWSWIRE");
    json_t *from = json_array_get(json_object_get(json_object_get(a, "origins"), "source"), 0);
    CHECK(from && strstr(json_string_value(json_object_get(from, "from")), "dateline"));
    CHECK_INT(json_array_size(json_object_get(j, "blocks")), 3);
    json_decref(j);
    free(out), free(err);

    CHECK_INT(run(&out, &err, "--explain", empty, NULL, NULL, NULL), 1);
    CHECK(out && strstr(out, "no article text found"));
    free(out), free(err);

    CHECK_INT(run(&out, &err, "--explain", missing, NULL, NULL, NULL), 2);
    CHECK(err && strstr(err, "nope.txt: No such file"));
    free(out), free(err);

    CHECK_INT(run(&out, &err, "--explain", "--delete", page, NULL, NULL), 2);
    CHECK(err && strstr(err, "does not mix"));
    free(out), free(err);
    free(page), free(empty);
    check_rmtree(tmp);
}

static void write_gz(const char *path, const char *text, size_t keep) {
    gzFile gz = gzopen(path, "wb");
    gzwrite(gz, text, (unsigned)strlen(text));
    gzclose(gz);
    if (keep) { /* cut the compressed file short: a broken stream */
        size_t len;
        char *bytes = check_read_file(path, &len);
        FILE *f = fopen(path, "wb");
        fwrite(bytes, 1, keep < len ? keep : len, f);
        fclose(f);
        free(bytes);
    }
}

/* In a directory: a gzipped page is read, a broken one and one without an
 * article are reported by name, and the rest is indexed. */
static void test_pages_in_directory(void) {
    char *tmp = check_tmpdir("pages"), *out, *err, db[4300], dir[4300], path[4400];
    snprintf(db, sizeof db, "%s/db", tmp);
    snprintf(dir, sizeof dir, "%s/in", tmp);
    mkdir(dir, 0755);
    const char *story = "Night buses to keep running\n\nThe council voted on Monday to keep "
                        "the night buses running for another year.\n";
    snprintf(path, sizeof path, "%s/good.txt.gz", dir);
    write_gz(path, story, 0);
    snprintf(path, sizeof path, "%s/broken.txt.gz", dir);
    write_gz(path, story, 30);
    char *menu = check_write_file(dir, "menu.txt", "Home\nWorld\nBusiness\nSport\n");
    char *plain = check_write_file(dir, "plain.txt", story);
    CHECK_INT(run(&out, &err, "--db", db, dir, NULL, NULL), 1);
    CHECK(err && strstr(err, "broken.txt.gz: cannot read the page"));
    CHECK(err && strstr(err, "menu.txt: no article text found"));
    CHECK(out && strstr(out, "added 2") && strstr(out, "rejected 2"));
    char *doc = get_doc(db, "good");
    CHECK(doc && strstr(doc, "Night buses to keep running"));
    free(doc);
    CHECK(get_doc(db, "menu") == NULL);
    free(out), free(err), free(menu), free(plain);
    check_rmtree(tmp);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_indexer_pages PATH-TO-lede-indexer\n");
        return 2;
    }
    indexer = argv[1];
    RUN(test_learns_site_furniture);
    RUN(test_explain);
    RUN(test_pages_in_directory);
    return check_summary();
}
