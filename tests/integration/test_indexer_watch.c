/* lede-indexer --watch and --follow, end to end: the real binary on a
 * folder written here (atomic renames, slow partial writes, replacements,
 * removals, a bad file), stops by SIGTERM and by kill -9 with restarts
 * (nothing lost, nothing twice), a followed file and standard input,
 * lede-searchd serving each new article within 2 s of its file, and the
 * same on a sharded index. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "indexer_util.h"
#include "searchd_client.h"

static const char *searchd;

/* Every wait is bounded: a watcher that does not index fails the test. */
#define WAIT_MS 5000

typedef struct {
    char tmp[512], db[600], in[600], log[600];
    pid_t pid;
} watch_t;

static void setup(watch_t *w, const char *tag) {
    char *tmp = check_tmpdir(tag);
    snprintf(w->tmp, sizeof w->tmp, "%s", tmp);
    free(tmp);
    snprintf(w->db, sizeof w->db, "%s/idx", w->tmp);
    snprintf(w->in, sizeof w->in, "%s/in", w->tmp);
    mkdir(w->in, 0755);
    w->pid = 0;
}

/* Starts lede-indexer --db DB --commit-ms 50 ARGS... (NULL-ended). */
static void start(watch_t *w, const char *stdin_path, ...) {
    char *argv[16] = {(char *)indexer, "--db", w->db, "--commit-ms", "50", "--no-progress"};
    int n = 6;
    va_list ap;
    va_start(ap, stdin_path);
    for (char *a; n < 15 && (a = va_arg(ap, char *)) != NULL;) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    static int runs;
    snprintf(w->log, sizeof w->log, "%s/run%d.log", w->tmp, runs++);
    check_run_opts_t o = {.stdin_path = stdin_path};
    w->pid = check_spawn(argv, &o, w->log, NULL);
    CHECK(w->pid > 0);
}

static void start_watch(watch_t *w, const char *extra) {
    if (extra)
        start(w, NULL, "--watch", w->in, extra, (char *)NULL);
    else
        start(w, NULL, "--watch", w->in, (char *)NULL);
}

static char *log_text(const watch_t *w) {
    char *t = check_read_file(w->log, NULL);
    return t ? t : strdup("");
}

/* Stops the watcher with sig; its status. Its log must hold no sanitizer
 * report (under ASan). */
static int stop(watch_t *w, int sig) {
    kill(w->pid, sig);
    int rc = check_wait(w->pid, WAIT_MS);
    w->pid = 0;
    char *t = log_text(w);
    CHECK(sd_text_clean(t));
    free(t);
    return rc;
}

static bool log_has(const watch_t *w, const char *needle) {
    char *t = log_text(w);
    bool has = strstr(t, needle) != NULL;
    free(t);
    return has;
}

/* Whether the document id holds want (or is absent, for want NULL). */
static bool doc_is(const watch_t *w, const char *id, const char *want) {
    char *d = get_doc(w->db, id);
    bool ok = want ? d && strstr(d, want) : d == NULL;
    free(d);
    return ok;
}

static bool wait_doc(const watch_t *w, const char *id, const char *want) {
    double end = check_now_ms() + WAIT_MS;
    while (!doc_is(w, id, want)) {
        if (check_now_ms() > end) return false;
        check_sleep_ms(20);
    }
    return true;
}

static bool wait_count(const watch_t *w, uint32_t n) {
    double end = check_now_ms() + WAIT_MS;
    while (doccount(w->db) != n) {
        if (check_now_ms() > end) return false;
        check_sleep_ms(20);
    }
    return true;
}

/* A page about word, written elsewhere and renamed into dir/name. */
static void put_page(const char *dir, const char *name, const char *word) {
    char tmp[700], dst[700], text[512];
    snprintf(text, sizeof text,
             "Headline about %s\n\nThe council met on Monday to talk about the %s, and the "
             "members agreed on a plan for the spring.\n",
             word, word);
    snprintf(tmp, sizeof tmp, "%s/.part", dir);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    free(check_write_file(dir, ".part", text));
    CHECK(rename(tmp, dst) == 0);
}

static void test_folder(void) {
    watch_t w;
    setup(&w, "watch-folder");
    start_watch(&w, NULL);
    put_page(w.in, "a.txt", "walrus");
    CHECK(wait_doc(&w, "a", "walrus"));

    /* A slow writer: half, a pause longer than a commit, the rest. */
    char path[700];
    snprintf(path, sizeof path, "%s/slow.txt", w.in);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const char *half = "Slow headline\n\nThe first half of the story about herons ";
    const char *rest = "and the second half about the estuary marshes.\n";
    CHECK(write(fd, half, strlen(half)) == (ssize_t)strlen(half));
    check_sleep_ms(400);
    CHECK(doc_is(&w, "slow", NULL));
    CHECK(write(fd, rest, strlen(rest)) == (ssize_t)strlen(rest));
    close(fd);
    CHECK(wait_doc(&w, "slow", "estuary marshes"));

    /* Replaced, in a subdirectory made now, and a bad file among good ones. */
    put_page(w.in, "a.txt", "narwhal");
    CHECK(wait_doc(&w, "a", "narwhal"));
    snprintf(path, sizeof path, "%s/sub", w.in);
    mkdir(path, 0755);
    put_page(path, "b.txt", "otter");
    free(check_write_file(w.in, "bad.jsonl",
                          "{\"id\":\"j1\",\"title\":\"T\",\"body\":\"ok one\"}\n"
                          "{not json\n"));
    CHECK(wait_doc(&w, "sub/b", "otter"));
    CHECK(wait_doc(&w, "j1", "ok one"));
    CHECK(log_has(&w, "bad.jsonl:2:"));

    /* Removed without --delete-removed: the article stays. */
    snprintf(path, sizeof path, "%s/a.txt", w.in);
    unlink(path);
    check_sleep_ms(300);
    CHECK(doc_is(&w, "a", "narwhal"));
    CHECK_INT(stop(&w, SIGTERM), 0);
    CHECK_INT(doccount(w.db), 4);

    /* The same ids as a batch run over the folder. */
    char db2[700], *out = NULL, *err = NULL;
    snprintf(db2, sizeof db2, "%s/batch", w.tmp);
    INDEX(&out, &err, "--db", db2, w.in);
    char *b = get_doc(db2, "sub/b"), *slow = get_doc(db2, "slow");
    CHECK(b && slow);
    free(b), free(slow), free(out), free(err);
    check_rmtree(strdup(w.tmp));
}

static void test_delete_removed(void) {
    watch_t w;
    char path[700];
    setup(&w, "watch-delete");
    start_watch(&w, "--delete-removed");
    put_page(w.in, "a.txt", "walrus");
    put_page(w.in, "b.txt", "beaver");
    CHECK(wait_count(&w, 2));
    snprintf(path, sizeof path, "%s/a.txt", w.in);
    unlink(path);
    CHECK(wait_doc(&w, "a", NULL));
    CHECK(doc_is(&w, "b", "beaver"));
    CHECK_INT(stop(&w, SIGINT), 0);
    /* Removed while it was down: gone at the restart. */
    snprintf(path, sizeof path, "%s/b.txt", w.in);
    unlink(path);
    start_watch(&w, "--delete-removed");
    CHECK(wait_count(&w, 0));
    CHECK_INT(stop(&w, SIGTERM), 0);
    check_rmtree(strdup(w.tmp));
}

static void test_restart(void) {
    watch_t w;
    char name[32], word[32];
    setup(&w, "watch-restart");
    start_watch(&w, NULL);
    put_page(w.in, "a.txt", "walrus");
    put_page(w.in, "b.txt", "beaver");
    CHECK(wait_count(&w, 2));
    CHECK_INT(stop(&w, SIGTERM), 0);
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "down%d.txt", i);
        snprintf(word, sizeof word, "down%dword", i);
        put_page(w.in, name, word);
    }
    start_watch(&w, NULL);
    CHECK(wait_count(&w, 7));
    check_sleep_ms(200);
    CHECK_INT(stop(&w, SIGTERM), 0);
    /* Only the five new files were read: none replaced. */
    CHECK(log_has(&w, "added 5, replaced 0"));
    check_rmtree(strdup(w.tmp));
}

/* kill -9 at random points while files arrive; a restart after each.
 * shards: NULL, or "--shards=N" for a sharded index (a kill can fall
 * between two shards' commits). */
static void kill9_run(const char *tag, const char *shards) {
    watch_t w;
    char name[32], word[32], id[32];
    const int files = 60;
    setup(&w, tag);
    srand(7);
    start(&w, NULL, "--watch", w.in, "--batch-docs=3", shards, (char *)NULL);
    for (int i = 0; i < files; i++) {
        snprintf(name, sizeof name, "f%02d.txt", i);
        snprintf(word, sizeof word, "word%02d", i);
        put_page(w.in, name, word);
        if (rand() % 6 == 0) {
            check_sleep_ms(rand() % 60);
            CHECK_INT(stop(&w, SIGKILL), 128 + SIGKILL);
            start(&w, NULL, "--watch", w.in, "--batch-docs=3", shards, (char *)NULL);
        }
    }
    CHECK(wait_count(&w, (uint32_t)files));
    CHECK_INT(stop(&w, SIGTERM), 0);
    CHECK_INT(doccount(w.db), (uint32_t)files);
    for (int i = 0; i < files; i++) {
        snprintf(id, sizeof id, "f%02d", i);
        snprintf(word, sizeof word, "word%02d", i);
        CHECK(doc_is(&w, id, word));
    }
    check_rmtree(strdup(w.tmp));
}

static void test_kill9(void) {
    kill9_run("watch-kill", NULL);
}

static void test_kill9_sharded(void) {
    kill9_run("watch-kill-shards", "--shards=2");
}

static void append_line(const char *path, int k) {
    FILE *f = fopen(path, "a");
    fprintf(f, "{\"id\":\"s%d\",\"title\":\"Stream %d\",\"body\":\"streamed story %d\"}\n", k, k,
            k);
    fclose(f);
}

static void test_follow_file(void) {
    watch_t w;
    char path[700], old[700];
    setup(&w, "watch-follow");
    snprintf(path, sizeof path, "%s/feed.jsonl", w.tmp);
    append_line(path, 1);
    start(&w, NULL, "--follow", path, (char *)NULL);
    CHECK(wait_doc(&w, "s1", "streamed"));
    append_line(path, 2);
    CHECK(wait_doc(&w, "s2", "streamed"));
    /* Rotation by rename: the rest of the old file, then the new one. */
    snprintf(old, sizeof old, "%s/feed.jsonl.1", w.tmp);
    append_line(path, 3);
    rename(path, old);
    append_line(path, 4);
    CHECK(wait_doc(&w, "s3", "streamed") && wait_doc(&w, "s4", "streamed"));
    CHECK_INT(stop(&w, SIGTERM), 0);
    /* A restart goes on at the committed offset: nothing read twice. */
    append_line(path, 5);
    start(&w, NULL, "--follow", path, (char *)NULL);
    CHECK(wait_doc(&w, "s5", "streamed"));
    CHECK_INT(stop(&w, SIGTERM), 0);
    CHECK(log_has(&w, "added 1, replaced 0"));
    CHECK_INT(doccount(w.db), 5);
    check_rmtree(strdup(w.tmp));
}

static void test_follow_stdin(void) {
    watch_t w;
    char path[700];
    setup(&w, "watch-stdin");
    snprintf(path, sizeof path, "%s/in.jsonl", w.tmp);
    for (int k = 1; k <= 30; k++) append_line(path, k);
    start(&w, path, "--follow", "-", (char *)NULL);
    CHECK_INT(check_wait(w.pid, WAIT_MS), 0);
    char *t = log_text(&w);
    CHECK(sd_text_clean(t));
    free(t);
    CHECK_INT(doccount(w.db), 30);
    check_rmtree(strdup(w.tmp));
}

/* lede-searchd finds each new article within 2 s of its file. */
static void test_served(void) {
    watch_t w;
    sd_daemon_t d;
    char word[32], name[32], stub[700];
    setup(&w, "watch-served");
    start_watch(&w, NULL);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", w.db);
    for (int i = 0; i < 100 && access(stub, F_OK) != 0; i++) check_sleep_ms(20);
    if (!sd_start_in(&d, searchd, w.db, w.tmp, "searchd", NULL)) {
        CHECK(false);
        return;
    }
    sd_conn_t *c = sd_connect(d.port);
    for (int i = 0; i < 10 && c; i++) {
        snprintf(word, sizeof word, "zqx%dfresh", i);
        snprintf(name, sizeof name, "fresh%d.txt", i);
        double t0 = check_now_ms();
        put_page(w.in, name, word);
        long long total = 0;
        while (total < 1 && check_now_ms() - t0 < 2000) {
            json_t *r = sd_callf(c, "{s:s,s:s}", "op", "search", "q", word);
            total = sd_int(r, "total");
            json_decref(r);
            if (total < 1) check_sleep_ms(5);
        }
        if (total != 1) fprintf(stderr, "%s not served within 2 s\n", word);
        CHECK_INT(total, 1);
    }
    sd_close(c);
    CHECK_INT(sd_stop(&d, SIGTERM), 0);
    CHECK(sd_log_clean(&d));
    CHECK_INT(stop(&w, SIGTERM), 0);
    check_rmtree(strdup(w.tmp));
}

/* The folder on a sharded index, made by the watcher (--shards 3, a new
 * DIR): each article in the shard its id routes to, replaced and removed
 * there; the spelling data in DIR/spelling (lede-searchd corrects a
 * misspelt word); a restart that reads the layout from DIR and finishes
 * one left half-made; and a second layout asked of it refused. */
static void test_sharded(void) {
    static const char *const WORDS[] = {"walrus", "beaver", "otter", "heron", "badger", "marmot"};
    watch_t w;
    sd_daemon_t d;
    char name[32], path[700], *out = NULL, *err = NULL;
    setup(&w, "watch-shards");
    start(&w, NULL, "--watch", w.in, "--shards", "3", "--delete-removed", (char *)NULL);
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "p%d.txt", i);
        put_page(w.in, name, WORDS[i]);
    }
    CHECK(wait_count(&w, 6));
    uint32_t sum = 0, used = 0;
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/shard-%d", w.db, k);
        uint32_t n = doccount(path);
        sum += n, used += n > 0;
    }
    CHECK_INT(sum, 6);
    CHECK(used >= 2);
    put_page(w.in, "p0.txt", "narwhal");
    CHECK(wait_doc(&w, "p0", "narwhal"));
    snprintf(path, sizeof path, "%s/p1.txt", w.in);
    unlink(path);
    CHECK(wait_doc(&w, "p1", NULL));
    CHECK_INT(stop(&w, SIGTERM), 0);
    CHECK_INT(doccount(w.db), 5);
    /* As a kill -9 while the watcher made the layout leaves it: the shards
     * and spelling live, DIR/XAPIANDB not written yet. */
    snprintf(path, sizeof path, "%s/XAPIANDB", w.db);
    CHECK(unlink(path) == 0);
    CHECK_INT(INDEX(&out, &err, "--db", w.db, "--watch", w.in, "--shards", "2"), 2);
    CHECK(err && strstr(err, "has 3 shards"));
    free(out), free(err);
    start_watch(&w, NULL);
    put_page(w.in, "p9.txt", "pelican");
    CHECK(wait_count(&w, 6));
    CHECK_INT(stop(&w, SIGTERM), 0);
    CHECK(doc_is(&w, "p9", "pelican"));
    if (sd_start_in(&d, searchd, w.db, w.tmp, "searchd", NULL)) {
        sd_conn_t *c = sd_connect(d.port);
        json_t *r = c ? sd_callf(c, "{s:s,s:s}", "op", "search", "q", "narwhl") : NULL;
        char *text = r ? json_dumps(r, 0) : NULL;
        if (!text || !strstr(text, "narwhal")) fprintf(stderr, "  reply: %s\n", text ? text : "-");
        CHECK(text && strstr(text, "narwhal"));
        free(text);
        json_decref(r);
        sd_close(c);
        CHECK_INT(sd_stop(&d, SIGTERM), 0);
    } else {
        CHECK(false);
    }
    check_rmtree(strdup(w.tmp));
}

/* What --watch does not do: mixed with INPUT. */
static void test_refusals(void) {
    watch_t w;
    char *out = NULL, *err = NULL;
    setup(&w, "watch-refuse");
    CHECK_INT(INDEX(&out, &err, "--db", w.db, "--watch", w.in, "x.jsonl"), 2);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", w.db, "--delete-removed", "x.jsonl"), 2);
    free(out), free(err);
    CHECK_INT(INDEX(&out, &err, "--db", w.db, "--watch", w.in, "--update", "bulk"), 2);
    free(out), free(err);
    check_rmtree(strdup(w.tmp));
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_indexer_watch LEDE-SEARCHD LEDE-INDEXER\n");
        return 2;
    }
    searchd = argv[1];
    indexer = argv[2];
    RUN(test_folder);
    RUN(test_delete_removed);
    RUN(test_restart);
    RUN(test_kill9);
    RUN(test_kill9_sharded);
    RUN(test_follow_file);
    RUN(test_follow_stdin);
    RUN(test_served);
    RUN(test_sharded);
    RUN(test_refusals);
    return check_summary();
}
