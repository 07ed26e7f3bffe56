/* Integration tests for lede-indexer: runs the real binary on fixtures and
 * checks the index it leaves through the shim, as searchd would see it. */
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <zlib.h>

#include "../unit/check.h"
#include "indexer_util.h"
#include "lede/shim.h"

/* Ids of the hits of a query, comma-separated, in rank order. */
static void search_ids(const char *dir, const char *text, char *out, size_t size) {
    shim_db_t *db = open_db(dir);
    shim_results_t *r = NULL;
    shim_query_t q = {.text = text, .limit = 20};
    out[0] = '\0';
    if (db && shim_search(db, &q, &r) == LEDE_OK) {
        for (size_t i = 0; i < shim_results_size(r); i++) {
            shim_hit_t h;
            shim_results_hit(r, i, &h);
            const char *id = strstr(h.data, "\"id\":\"");
            if (!id) continue;
            id += 6;
            size_t len = strcspn(id, "\"");
            snprintf(out + strlen(out), size - strlen(out), "%s%.*s", i ? "," : "", (int)len, id);
        }
    }
    shim_results_free(r);
    shim_db_close(db);
}

static void test_index_jsonl(void) {
    char *tmp = check_tmpdir("idx"), *out, *err, ids[256];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    CHECK(out && strstr(out, "added 6, replaced 0, deleted 0, rejected 0"));
    CHECK_STR(err, "");
    CHECK_INT(doccount(db), 6);
    char *doc = get_doc(db, "g3");
    CHECK(doc && strstr(doc, "\"title\":\"Central bank holds interest rates\""));
    CHECK(doc && strstr(doc, "\"date\":\"2022-11-30T13:00:00Z\"")); /* +01:00 to UTC */
    CHECK(doc && strstr(doc, "\"extra\":{\"extra_field\":{\"desk\":\"markets\"}}"));
    free(doc);
    search_ids(db, "desalination", ids, sizeof ids);
    CHECK_STR(ids, "g1");
    search_ids(db, "levels", ids, sizeof ids);
    CHECK_STR(ids, "g2,g6"); /* the title match first */
    search_ids(db, "source:\"harbor wire\" electric", ids, sizeof ids);
    CHECK_STR(ids, "g4");
    free(out), free(err);
    check_rmtree(tmp);
}

/* Wire records are stored clean (indexer/tidy.c): bylines without "By"
 * and the agency, names in ordinary capitals, a headline made from a
 * brief's opening and marked so (and not indexed as a title), wrapped
 * lines joined into paragraphs. --keep-text stores them as given. */
static void test_tidy_records(void) {
    char *tmp = check_tmpdir("idx"), *out, *err, ids[256];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/wire.jsonl")), 0);
    char *doc = get_doc(db, "w1");
    CHECK(doc && strstr(doc, "\"title\":\"HARWICK SEEKS FASTER GROWTH\",\"title_from_body\":true"));
    CHECK(doc && strstr(doc, "\"author\":[\"Lena Harwick\"]"));
    CHECK(doc && strstr(doc, "\"source\":\"Reuters\""));
    CHECK(doc &&
          strstr(doc, "Harwick Plc said it would grow faster this year after a ten pct rise in "
                      "1986 pre-tax profits, helped by its cable business.\\n\\nThe company"));
    free(doc);
    doc = get_doc(db, "w2");
    CHECK(doc &&
          strstr(doc, "\"title\":\"Arden council passes budget\",\"author\":[\"Tom Ardent\"]"));
    CHECK(
        doc &&
        strstr(
            doc,
            "voted for the budget of the coming year after three months of talks.\\n\\nThe vote"));
    free(doc);
    search_ids(db, "title:harwick", ids, sizeof ids);
    CHECK_STR(ids, ""); /* a made headline is shown, not searched as one */
    search_ids(db, "harwick", ids, sizeof ids);
    CHECK_STR(ids, "w1");
    free(out), free(err);

    CHECK_INT(INDEX(&out, &err, "--db", db, "--keep-text", (char *)fx("jsonl/wire.jsonl")), 0);
    doc = get_doc(db, "w1");
    CHECK(doc && !strstr(doc, "\"title\""));
    CHECK(doc && strstr(doc, "\"author\":[\"By Lena Harwick, Reuters\"]"));
    CHECK(doc && strstr(doc, "grow faster this year after a ten pct rise in\\n1986"));
    free(doc);
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_rejects(void) {
    char *tmp = check_tmpdir("rej"), *out, *err, keep[4200];
    char *db = db_path(tmp);
    snprintf(keep, sizeof keep, "%s/rejects.jsonl", tmp);
    const char *bad = fx("jsonl/bad.jsonl");
    char badpath[4096];
    snprintf(badpath, sizeof badpath, "%s", bad);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rejects", keep, badpath), 1);
    CHECK(out && strstr(out, "added 3, replaced 0, deleted 0, rejected 7"));
    const char *want[] = {
        ":2: malformed JSON",
        ":3: missing field 'id'",
        ":4: field 'id' is empty",
        ":5: no 'title' and no 'body'",
        ":6: field 'date': cannot parse 'last Tuesday'",
        ":7: field 'body' must be a string",
        ":10: invalid UTF-8",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char line[4400];
        snprintf(line, sizeof line, "%s%s", badpath, want[i]);
        if (!err || !strstr(err, line)) fprintf(stderr, "  missing: %s\n  stderr: %s\n", line, err);
        CHECK(err && strstr(err, line));
    }
    CHECK_INT(doccount(db), 3);
    char *doc = get_doc(db, "b11");
    CHECK(doc != NULL);
    free(doc);
    /* The rejects file holds exactly the rejected lines, byte for byte. */
    size_t len = 0;
    char *kept = check_read_file(keep, &len);
    CHECK(kept && strstr(kept, "{\"id\":\"b2\",\"title\":\"broken JSON\n"));
    CHECK(kept && strstr(kept, "Invalid UTF-8 \xff\xfe here"));
    CHECK(kept && !strstr(kept, "\"b1\"") && !strstr(kept, "\"b9\""));
    int lines = 0;
    for (size_t i = 0; kept && i < len; i++) lines += kept[i] == '\n';
    CHECK_INT(lines, 7);
    free(kept), free(out), free(err);
    /* --quiet drops the summary, never the reasons for exiting 1. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--quiet", badpath), 1);
    CHECK(out && !strstr(out, "added"));
    CHECK(err && strstr(err, ":5: no 'title' and no 'body'"));
    free(out), free(err);
    /* A rejects file that cannot be written says why, and the rejected
     * lines are not lost silently: the index is left as it was. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rejects", "/dev/full", badpath), 2);
    CHECK(err && strstr(err, "--rejects /dev/full: could not write every rejected line: No space "
                             "left on device; the index at "));
    free(out), free(err);
    CHECK_INT(
        INDEX(&out, &err, "--db", db, "--update", "direct", "--rejects", "/dev/full", badpath), 2);
    CHECK(err && strstr(err, "could not write every rejected line: No space left on device; the "
                             "index at "));
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_oversize_record(void) {
    char *tmp = check_tmpdir("big"), *out, *err;
    char *db = db_path(tmp);
    CHECK_INT(
        INDEX(&out, &err, "--db", db, "--max-doc-bytes", "350", (char *)fx("jsonl/good.jsonl")), 1);
    CHECK(err &&
          strstr(err,
                 "good.jsonl:1: record of 443 bytes is over the limit of 350 (--max-doc-bytes)"));
    CHECK(err && strstr(err, "good.jsonl:3: record of 352 bytes is over the limit of 350"));
    CHECK(out && strstr(out, "added 4, replaced 0, deleted 0, rejected 2"));
    CHECK_INT(doccount(db), 4); /* the records around them are indexed */
    free(out), free(err);
    check_rmtree(tmp);
}

static void check_upsert(const char *mode) {
    char *tmp = check_tmpdir("ups"), *out, *err, ids[256];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    char upd[4096];
    snprintf(upd, sizeof upd, "%s", fx("jsonl/update.jsonl"));
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", (char *)mode, upd), 0);
    CHECK(out && strstr(out, "added 1, replaced 1, deleted 0, rejected 0"));
    CHECK_INT(doccount(db), 7);
    char *doc = get_doc(db, "g1");
    CHECK(doc && strstr(doc, "Desalination plant plan revised"));
    free(doc);
    search_ids(db, "voted", ids, sizeof ids); /* only in the replaced body */
    CHECK_STR(ids, "");
    search_ids(db, "ferry", ids, sizeof ids);
    CHECK_STR(ids, "g7");
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_upsert_direct(void) {
    check_upsert("direct");
}

static void test_upsert_bulk(void) {
    check_upsert("bulk");
}

static void test_duplicate_ids_in_input(void) {
    char *tmp = check_tmpdir("dup"), *out, *err;
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/dupes.jsonl")), 0);
    CHECK(out && strstr(out, "added 2, replaced 1"));
    CHECK_INT(doccount(db), 2);
    char *doc = get_doc(db, "d1");
    CHECK(doc && strstr(doc, "Second version")); /* the later line wins */
    free(doc), free(out), free(err);
    check_rmtree(tmp);
}

static void test_delete(void) {
    char *tmp = check_tmpdir("del"), *out, *err, ids[256];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", "g1", "nope"), 0);
    CHECK(out && strstr(out, "deleted 1"));
    CHECK(err && strstr(err, "no document with id 'nope'"));
    CHECK_INT(doccount(db), 5);
    search_ids(db, "desalination", ids, sizeof ids);
    CHECK_STR(ids, "");
    free(out), free(err);
    /* Deleting from an index that does not exist is an error. */
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/none", tmp);
    CHECK_INT(INDEX(&out, &err, "--db", missing, "--delete", "g1"), 2);
    CHECK(err && strstr(err, "no index at"));
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_rebuild_swaps(void) {
    char *tmp = check_tmpdir("reb"), *out, *err, stub[4300];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    shim_db_t *reader = open_db(db); /* a reader open across the swap */
    char upd[4096];
    snprintf(upd, sizeof upd, "%s", fx("jsonl/update.jsonl"));
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", upd), 0);
    CHECK_INT(doccount(db), 2);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    char *text = check_read_file(stub, NULL);
    CHECK_STR(text, "auto gen-000002\n");
    free(text);
    shim_stats_t st = {0};
    CHECK_INT(shim_db_stats(reader, &st), LEDE_OK);
    CHECK_INT(st.doccount, 6); /* still the old generation */
    bool changed = false;
    CHECK_INT(shim_db_reopen(reader, &changed), LEDE_OK);
    CHECK(changed);
    CHECK_INT(shim_db_stats(reader, &st), LEDE_OK);
    CHECK_INT(st.doccount, 2);
    shim_db_close(reader);
    free(out), free(err);
    check_rmtree(tmp);
}

/* A --rebuild whose input gives no documents would swap an empty index in
 * for the live one: it is refused unless --allow-empty is given. */
static void test_rebuild_empty(void) {
    char *tmp = check_tmpdir("rebempty"), *out, *err, empty[4300], bad[4300];
    char *db = db_path(tmp);
    snprintf(empty, sizeof empty, "%s/nothing", tmp);
    CHECK(mkdir(empty, 0755) == 0);
    char *junk = check_write_file(tmp, "junk.jsonl", "{\"title\":\"no id\"}\nnot json\n");
    snprintf(bad, sizeof bad, "%s", junk);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", empty), 2);
    CHECK(err && strstr(err, "--rebuild: the input gave no documents; it would replace the 6 "
                             "documents of the index with none (give --allow-empty to do that); "
                             "the index at "));
    free(out), free(err);
    CHECK_INT(doccount(db), 6);
    /* Every record rejected is no documents too. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", bad), 2);
    CHECK(err && strstr(err, "junk.jsonl:1: missing field 'id'"));
    CHECK(err && strstr(err, "--rebuild: the input gave no documents"));
    free(out), free(err);
    CHECK_INT(doccount(db), 6);
    char stub[4400];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    char *text = check_read_file(stub, NULL);
    CHECK_STR(text, "auto gen-000001\n");
    free(text);
    /* Asked for. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", "--allow-empty", empty), 0);
    CHECK(out && strstr(out, "added 0, replaced 0"));
    free(out), free(err);
    CHECK_INT(doccount(db), 0);
    /* An empty index rebuilt from nothing replaces nothing. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", empty), 0);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--allow-empty", (char *)fx("jsonl/good.jsonl")), 2);
    CHECK(err && strstr(err, "--allow-empty only applies to --rebuild"));
    free(out), free(err);
    free(junk);
    check_rmtree(tmp);
}

static void test_gzip_and_stdin(void) {
    char *tmp = check_tmpdir("gz"), *out, *err, gzpath[4300];
    char *db = db_path(tmp);
    size_t len;
    char *plain = check_read_file(fx("jsonl/good.jsonl"), &len);
    snprintf(gzpath, sizeof gzpath, "%s/good.jsonl.gz", tmp);
    gzFile gz = gzopen(gzpath, "wb");
    CHECK(gz && gzwrite(gz, plain, (unsigned)len) == (int)len);
    gzclose(gz);
    CHECK_INT(INDEX(&out, &err, "--db", db, gzpath), 0);
    CHECK_INT(doccount(db), 6);
    free(out), free(err);
    /* Standard input, gzip-compressed, in a second index. */
    char db2[4300];
    snprintf(db2, sizeof db2, "%s/idx2", tmp);
    CHECK_INT(run_indexer(&out, &err, 0, gzpath, "--db", db2, "-", (char *)NULL), 0);
    CHECK_INT(doccount(db2), 6);
    free(plain), free(out), free(err);
    check_rmtree(tmp);
}

/* Writes the whole of fixture name, gzip-compressed, to path; keeps the
 * first keep bytes of the compressed file (all when 0) and flips the byte at
 * flip (none when 0). */
static void write_gzip(const char *name, const char *path, long keep, long flip) {
    size_t len;
    char *plain = check_read_file(fx(name), &len);
    gzFile gz = gzopen(path, "wb");
    CHECK(plain && gz && gzwrite(gz, plain, (unsigned)len) == (int)len);
    gzclose(gz);
    free(plain);
    if (keep) CHECK(truncate(path, keep) == 0);
    if (flip) {
        FILE *f = fopen(path, "r+b");
        int c = f && fseek(f, flip, SEEK_SET) == 0 ? fgetc(f) : EOF;
        CHECK(c != EOF && fseek(f, flip, SEEK_SET) == 0 && fputc(c ^ 0x5a, f) != EOF);
        if (f) fclose(f);
    }
}

/* A truncated or corrupt gzip file stops the run with a message naming the
 * file (exit 2, as for a missing input), and the index is left as it was,
 * in either kind of update and for a new index. */
static void test_broken_gzip(void) {
    char *tmp = check_tmpdir("badgz"), *out, *err, cut[4300], bad[4300], fresh[4300];
    char *db = db_path(tmp);
    snprintf(cut, sizeof cut, "%s/cut.jsonl.gz", tmp);
    snprintf(bad, sizeof bad, "%s/bad.jsonl.gz", tmp);
    snprintf(fresh, sizeof fresh, "%s/fresh", tmp);
    write_gzip("jsonl/update.jsonl", cut, 200, 0);
    write_gzip("jsonl/update.jsonl", bad, 0, 100);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    const char *modes[] = {"bulk", "direct"};
    for (size_t m = 0; m < 2; m++) {
        CHECK_INT(INDEX(&out, &err, "--db", db, "--update", (char *)modes[m], cut), 2);
        CHECK(err && strstr(err, "cut.jsonl.gz: read error after line "));
        CHECK(err && strstr(err, ": unexpected end of file; the index at "));
        CHECK(err && strstr(err, "is unchanged"));
        free(out), free(err);
        CHECK_INT(INDEX(&out, &err, "--db", db, "--update", (char *)modes[m], bad), 2);
        CHECK(err && strstr(err, "bad.jsonl.gz: read error after line"));
        free(out), free(err);
        CHECK_INT(doccount(db), 6);
        char *doc = get_doc(db, "g1");
        CHECK(doc && strstr(doc, "City council approves")); /* not the update's g1 */
        free(doc);
    }
    CHECK_INT(INDEX(&out, &err, "--db", fresh, cut), 2);
    CHECK(err && strstr(err, "cut.jsonl.gz: read error"));
    char stub[4400];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", fresh);
    CHECK(access(stub, F_OK) != 0);
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_text_directory(void) {
    char *tmp = check_tmpdir("txt"), *out, *err, dir[4300];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/pages", tmp);
    mkdir(dir, 0755);
    char *p1 = check_write_file(dir, "first-page.txt",
                                "Harbor ferries return after storm\n\nFerries returned to the "
                                "harbor on Sunday after a storm closed the port for three days.\n");
    char *p2 = check_write_file(dir, "empty.txt", "\n  \n");
    CHECK_INT(INDEX(&out, &err, "--db", db, dir), 1);
    CHECK(err && strstr(err, "empty.txt: "));
    char *doc = get_doc(db, "first-page");
    CHECK(doc && strstr(doc, "\"title\":\"Harbor ferries return after storm\""));
    free(doc), free(p1), free(p2), free(out), free(err);
    check_rmtree(tmp);
}

/* An empty directory is an input with nothing in it: a new, empty index
 * (and no sorting of a NULL list of names, which UBSan reports). */
static void test_empty_directory(void) {
    char *tmp = check_tmpdir("emptydir"), *out, *err, dir[4300];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/nothing", tmp);
    CHECK(mkdir(dir, 0755) == 0);
    CHECK_INT(INDEX(&out, &err, "--db", db, dir), 0);
    CHECK_STR(err, "");
    CHECK(out && strstr(out, "added 0, replaced 0, deleted 0, rejected 0"));
    CHECK_INT(doccount(db), 0);
    free(out), free(err);
    check_rmtree(tmp);
}

/* Runs lede-indexer (NULL-terminated arguments) under `timeout`, so that a
 * run that would never end is killed (exit 137) instead of hanging the
 * test. */
static int run_with_timeout(char **out, char **err, const char *secs, ...) {
    char *argv[32] = {"/usr/bin/timeout", "-s", "KILL", (char *)secs, (char *)indexer};
    int n = 5;
    va_list ap;
    va_start(ap, secs);
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return check_run(argv, NULL, out, err);
}

/* Symbolic links in an input directory: loops are skipped with a message,
 * and no file is read twice, however many links lead to it. */
static void test_symlinks(void) {
    char *tmp = check_tmpdir("links"), *out, *err, dir[4300], sub[4400], p[4500];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/pages", tmp);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    CHECK(mkdir(dir, 0755) == 0 && mkdir(sub, 0755) == 0);
    free(check_write_file(dir, "a.txt",
                          "Harbor ferries return\n\nFerries returned to the harbor.\n"));
    free(check_write_file(sub, "b.txt",
                          "Storm closes port\n\nA storm closed the port on Sunday.\n"));
    const char *links[][2] = {
        {".", "x"}, {".", "y"}, {"sub", "alias"}, {"a.txt", "link.txt"}, {"..", "sub/up"}};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, links[i][1]);
        CHECK(symlink(links[i][0], p) == 0);
    }
    CHECK_INT(run_with_timeout(&out, &err, "60", "--db", db, dir, NULL), 0);
    CHECK_INT(doccount(db), 2); /* a and sub/b, once each */
    const char *want[] = {"pages/x: skipped: a symbolic link loop back to ",
                          "pages/y: skipped: a symbolic link loop back to ",
                          "pages/sub/up: skipped: a symbolic link loop back to ",
                          "pages/alias: skipped: the same directory as ",
                          "pages/link.txt: skipped: the same file as "};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!err || !strstr(err, want[i]))
            fprintf(stderr, "  missing: %s\n  stderr: %s\n", want[i], err);
        CHECK(err && strstr(err, want[i]));
    }
    CHECK(out && strstr(out, "added 2, replaced 0"));
    free(out), free(err);
    check_rmtree(tmp);
}

/* Entries of an input directory that cannot be read: a link to nothing (as
 * a file that vanished since the listing), a FIFO (which would block), a
 * file without read permission (unless root, who reads it anyway). Each is
 * reported, and the rest of the directory is indexed. */
static void test_unreadable_entries(void) {
    char *tmp = check_tmpdir("unread"), *out, *err, dir[4300], p[4400];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/in", tmp);
    CHECK(mkdir(dir, 0755) == 0);
    char *text = check_read_file(fx("jsonl/good.jsonl"), NULL);
    free(check_write_file(dir, "b-good.jsonl", text ? text : ""));
    free(text);
    snprintf(p, sizeof p, "%s/a-gone.txt", dir);
    CHECK(symlink("nowhere.txt", p) == 0);
    snprintf(p, sizeof p, "%s/c-pipe.jsonl", dir);
    CHECK(mkfifo(p, 0644) == 0);
    char *secret = check_write_file(
        dir, "d-secret.txt", "A title for the page\n\nThe text of the page is a sentence.\n");
    bool root = geteuid() == 0;
    if (!root) CHECK(chmod(secret, 0) == 0);
    int rc = run_with_timeout(&out, &err, "60", "--db", db, dir, NULL);
    CHECK_INT(rc, 1);
    CHECK(err && strstr(err, "in/a-gone.txt: cannot read: No such file or directory"));
    CHECK(err && strstr(err, "in/c-pipe.jsonl: skipped: not a regular file"));
    if (!root) CHECK(err && strstr(err, "in/d-secret.txt: cannot read: Permission denied"));
    CHECK_INT(doccount(db), root ? 7 : 6);
    CHECK(out && strstr(out, root ? "rejected 1" : "rejected 2"));
    free(out), free(err), free(secret);
    check_rmtree(tmp);
}

/* A directory tree as deep as a path allows (1,900 levels): the walk does
 * not run out of stack. */
static void test_deep_tree(void) {
    char *tmp = check_tmpdir("deep"), *out, *err, dir[4300];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/in", tmp);
    CHECK(mkdir(dir, 0755) == 0);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    for (int depth = 0; fd >= 0 && depth < 1900; depth++) {
        if (depth == 100) {
            const char *page = "Deep title\n\nA body deep down.\n";
            int f = openat(fd, "page.txt", O_WRONLY | O_CREAT, 0644);
            CHECK(f >= 0 && write(f, page, strlen(page)) == (ssize_t)strlen(page));
            if (f >= 0) close(f);
        }
        int next = mkdirat(fd, "d", 0755) == 0 ? openat(fd, "d", O_RDONLY | O_DIRECTORY) : -1;
        close(fd);
        fd = next;
    }
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    CHECK_INT(INDEX(&out, &err, "--db", db, dir), 0);
    CHECK_INT(doccount(db), 1);
    free(out), free(err);
    check_rmtree(tmp);
}

/* A fixture page copied into dir (gzip-compressed when gz). */
static void copy_fixture(const char *dir, const char *name, const char *as, bool gz) {
    size_t len;
    char path[4300];
    char *page = check_read_file(fx(name), &len);
    CHECK(page != NULL);
    snprintf(path, sizeof path, "%s/%s", dir, as);
    if (gz) {
        gzFile f = gzopen(path, "wb");
        CHECK(f && gzwrite(f, page, (unsigned)len) == (int)len);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(page, 1, len, f) == len);
        if (f) fclose(f);
    }
    free(page);
}

/* HTML pages in a directory: the articles are indexed, the pages without
 * one (an index page, binary data, a page nested 100,000 deep) are
 * rejected with their reason, and nothing else is lost. */
static void test_html_directory(void) {
    char *tmp = check_tmpdir("html"), *out, *err, dir[4300], deep_path[4400];
    char *db = db_path(tmp);
    snprintf(dir, sizeof dir, "%s/pages", tmp);
    mkdir(dir, 0755);
    copy_fixture(dir, "html/jsonld.html", "ferries.html", false);
    copy_fixture(dir, "html/meta.html", "rain.htm.gz", true);
    copy_fixture(dir, "html/index.html", "world.html", false);
    char *bin = check_write_file(dir, "logo.html", "\x89PNG\r\n");
    FILE *f = fopen(bin, "ab");
    CHECK(f && fwrite("\0\0\0\rIHDR", 1, 8, f) == 8);
    if (f) fclose(f);
    snprintf(deep_path, sizeof deep_path, "%s/deep.html", dir);
    f = fopen(deep_path, "wb");
    for (int i = 0; f && i < 100000; i++) fputs("<div>", f);
    if (f) fputs("<p>Too deep to read.</p>", f), fclose(f);
    CHECK_INT(INDEX(&out, &err, "--db", db, dir), 1);
    CHECK(err && strstr(err, "world.html: no article text found"));
    CHECK(err && strstr(err, "logo.html: binary data"));
    CHECK(err && strstr(err, "deep.html: HTML nested deeper than 256 elements"));
    CHECK_INT(doccount(db), 2);
    char *doc = get_doc(db, "ferries");
    CHECK(doc && strstr(doc, "\"title\":\"Harbour ferries return after three-day storm\""));
    CHECK(doc && strstr(doc, "\"source\":\"The Coastal Herald\""));
    free(doc);
    doc = get_doc(db, "rain");
    CHECK(doc && strstr(doc, "\"author\":[\"Ruth Castellanos\"]"));
    free(doc), free(bin), free(out), free(err);
    check_rmtree(tmp);
}

/* --explain on an HTML page: every field with its origin and every block
 * with its role, as text and as JSON; the index is not touched. */
static void test_html_explain(void) {
    char *out, *err, page[4300];
    snprintf(page, sizeof page, "%s", fx("html/wire.html"));
    CHECK_INT(INDEX(&out, &err, "--explain", page), 0);
    CHECK(out && strstr(out, "wire.html: HTML page, 1 article"));
    CHECK(out && strstr(out, "source    Reuters"));
    CHECK(out && strstr(out, "wire dateline"));
    CHECK(out && strstr(out, "JSON-LD") == NULL); /* the page has none */
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--explain", "--json", page), 0);
    json_t *root = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(root != NULL);
    json_t *a = json_array_get(json_object_get(root, "articles"), 0);
    CHECK_STR(json_string_value(json_object_get(a, "title")), "Central bank holds rates steady");
    CHECK_STR(json_string_value(json_object_get(root, "format")), "HTML");
    CHECK(json_array_size(json_object_get(root, "blocks")) > 5);
    json_decref(root);
    free(out), free(err);
    snprintf(page, sizeof page, "%s", fx("html/notfound.html"));
    CHECK_INT(INDEX(&out, &err, "--explain", page), 1);
    CHECK(out && strstr(out, "no article: no article text found"));
    CHECK(out && strstr(out, "an error page"));
    free(out), free(err);
}

static void test_input_errors(void) {
    char *tmp = check_tmpdir("ierr"), *out, *err, missing[4300];
    char *db = db_path(tmp);
    snprintf(missing, sizeof missing, "%s/nope.jsonl", tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, missing), 2);
    CHECK(err && strstr(err, "nope.jsonl: No such file or directory"));
    struct stat st;
    CHECK(stat(db, &st) != 0); /* nothing was created */
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db), 2);
    CHECK(err && strstr(err, "no INPUT given"));
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--threads", "zero", missing), 2);
    CHECK(err && strstr(err, "--threads takes 1 to 256, not 'zero'"));
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--bogus"), 2);
    CHECK(err && strstr(err, "unknown option '--bogus'"));
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_db_errors(void) {
    char *tmp = check_tmpdir("dberr"), *out, *err, under_file[4300];
    char *file = check_write_file(tmp, "plainfile", "x");
    snprintf(under_file, sizeof under_file, "%s/idx", file);
    CHECK_INT(INDEX(&out, &err, "--db", under_file, (char *)fx("jsonl/good.jsonl")), 2);
    CHECK(err && strstr(err, "cannot create index directory"));
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", file, (char *)fx("jsonl/good.jsonl")), 2);
    CHECK(err && strstr(err, "exists and is not a directory"));
    free(out), free(err);
    /* Another indexer holds the lock. */
    char *db = db_path(tmp), lock[4300];
    mkdir(db, 0755);
    snprintf(lock, sizeof lock, "%s/lock", db);
    int fd = open(lock, O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 2);
    CHECK(err && strstr(err, "is locked by another lede-indexer"));
    close(fd);
    free(out), free(err), free(file);
    check_rmtree(tmp);
}

static void test_disk_full(void) {
    char *tmp = check_tmpdir("full"), *out, *err;
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    /* A file-size limit makes every large write fail as a full disk would. */
    char upd[4096];
    snprintf(upd, sizeof upd, "%s", fx("jsonl/update.jsonl"));
    int rc = run_indexer(&out, &err, 4096, NULL, "--db", db, "--update", "bulk", upd, (char *)NULL);
    CHECK_INT(rc, 2);
    CHECK(err && strstr(err, "is unchanged"));
    CHECK_INT(doccount(db), 6);
    char *doc = get_doc(db, "g1");
    CHECK(doc && strstr(doc, "City council approves")); /* the old version */
    free(doc), free(out), free(err);
    check_rmtree(tmp);
}

/* When the workers fail (a file-size limit, as a full disk would) while the
 * reader is still going, the message is the workers' error, not empty. */
static void test_disk_full_names_cause(void) {
    char *tmp = check_tmpdir("fullmsg"), *out, *err, big[4300];
    char *db = db_path(tmp);
    snprintf(big, sizeof big, "%s/big.jsonl", tmp);
    write_corpus(big, 5000);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    char *how[][2] = {{"--update", "bulk"}, {"--rebuild", NULL}};
    for (size_t i = 0; i < 2; i++) {
        CHECK_INT(run_indexer(&out, &err, 4096, NULL, "--db", db, big, how[i][0], how[i][1], NULL),
                  2);
        if (!err || !strstr(err, "(File too large)")) fprintf(stderr, "  stderr: %s\n", err);
        CHECK(err && strstr(err, "cannot create shard ") && strstr(err, "(File too large)"));
        CHECK(err && strstr(err, "; the index at ") && !strstr(err, "lede-indexer: ;"));
        CHECK_INT(doccount(db), 6);
        free(out), free(err);
    }
    /* Room for a shard, not for its documents. */
    CHECK_INT(run_indexer(&out, &err, 65536, NULL, "--db", db, big, "--update", "bulk", NULL), 2);
    CHECK(err && strstr(err, "big.jsonl: DatabaseError: writing ") && strstr(err, "/shard-"));
    CHECK(err && strstr(err, " failed (File too large); the index at "));
    CHECK_INT(doccount(db), 6);
    free(out), free(err);
    check_rmtree(tmp);
}

/* More shards than one compaction merges at once: they are merged in
 * rounds, and the result is the same index (documents in input order,
 * spelling data), fresh and added to a live generation. */
static void test_merge_rounds(void) {
    char *tmp = check_tmpdir("rounds"), *out, *err, corpus[4300], ids[512];
    char *db = db_path(tmp);
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", tmp);
    write_corpus(corpus, 150);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--threads", "1", "--shard-docs", "1", corpus), 0);
    CHECK(out && strstr(out, "added 150, replaced 0"));
    CHECK_INT(doccount(db), 150);
    search_ids(db, "1043", ids, sizeof ids); /* 149 * 7 */
    CHECK_STR(ids, "k149");
    suggestion(db, "tidse", ids, sizeof ids);
    CHECK_STR(ids, "tides");
    shim_db_t *h = open_db(db);
    shim_results_t *r = NULL;
    shim_query_t all = {.limit = 150};
    if (h && shim_search(h, &all, &r) == LEDE_OK) {
        CHECK_INT(shim_results_size(r), 150);
        for (size_t i = 0; i < shim_results_size(r); i++) {
            shim_hit_t hit;
            shim_results_hit(r, i, &hit);
            CHECK_INT(hit.docid, i + 1); /* renumbered in input order */
        }
    }
    shim_results_free(r);
    shim_db_close(h);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "bulk", "--shard-docs", "1",
                    (char *)fx("jsonl/good.jsonl")),
              0);
    CHECK(out && strstr(out, "added 6, replaced 0"));
    CHECK_INT(doccount(db), 156);
    search_ids(db, "desalination", ids, sizeof ids);
    CHECK_STR(ids, "g1");
    suggestion(db, "desalinaton", ids, sizeof ids);
    CHECK_STR(ids, "desalination");
    suggestion(db, "tidse", ids, sizeof ids);
    CHECK_STR(ids, "tides");
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_kill_during_rebuild(void) {
    char *tmp = check_tmpdir("kill"), *out, *err, big[4300], ids[256];
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    snprintf(big, sizeof big, "%s/big.jsonl", tmp);
    write_corpus(big, 40000);
    for (int delay_ms = 50; delay_ms <= 800; delay_ms *= 4) {
        kill_rebuild(db, big, delay_ms);
        CHECK_INT(doccount(db), 6); /* the live index is as it was */
        search_ids(db, "desalination", ids, sizeof ids);
        CHECK_STR(ids, "g1");
    }
    /* The next run clears what the killed ones left. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "direct", (char *)fx("jsonl/update.jsonl")),
              0);
    char probe[4300];
    snprintf(probe, sizeof probe, "%s/gen-000002", db);
    struct stat st;
    CHECK(stat(probe, &st) != 0);
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_progress_line(void) {
    char *tmp = check_tmpdir("prog"), *out, *err;
    char *db = db_path(tmp);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--progress", (char *)fx("jsonl/good.jsonl")), 0);
    CHECK(err && strstr(err, " docs/s ") && strstr(err, " MB/s ") && strstr(err, "%  ETA "));
    free(out), free(err);
    /* Not a terminal and not asked: silent. */
    CHECK_INT(INDEX(&out, &err, "--db", db, (char *)fx("jsonl/good.jsonl")), 0);
    CHECK_STR(err, "");
    free(out), free(err);
    check_rmtree(tmp);
}

static void test_help(void) {
    char *out, *err;
    CHECK_INT(INDEX(&out, &err, "--help"), 0);
    const char *opts[] = {"--db",          "--rebuild",  "--allow-empty", "--delete",
                          "--threads",     "--language", "--no-spelling", "--max-doc-bytes",
                          "--rejects",     "--update",   "--shard-docs",  "--progress",
                          "--no-progress", "--quiet",    "--version"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) CHECK(out && strstr(out, opts[i]));
    free(out), free(err);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_indexer PATH-TO-lede-indexer\n");
        return 2;
    }
    indexer = argv[1];
    RUN(test_index_jsonl);
    RUN(test_tidy_records);
    RUN(test_rejects);
    RUN(test_oversize_record);
    RUN(test_upsert_direct);
    RUN(test_upsert_bulk);
    RUN(test_duplicate_ids_in_input);
    RUN(test_delete);
    RUN(test_rebuild_swaps);
    RUN(test_rebuild_empty);
    RUN(test_gzip_and_stdin);
    RUN(test_broken_gzip);
    RUN(test_text_directory);
    RUN(test_empty_directory);
    RUN(test_symlinks);
    RUN(test_unreadable_entries);
    RUN(test_deep_tree);

    RUN(test_html_directory);
    RUN(test_html_explain);
    RUN(test_input_errors);
    RUN(test_db_errors);
    RUN(test_disk_full);
    RUN(test_disk_full_names_cause);
    RUN(test_merge_rounds);
    RUN(test_kill_during_rebuild);
    RUN(test_progress_line);
    RUN(test_help);
    return check_summary();
}
