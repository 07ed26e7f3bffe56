/* Integration tests for lede-searchd serving shards (issue 14): the real
 * daemon over local shards and over remote ones served by xapian-tcpsrv on
 * 127.0.0.1, compared with the same daemon over one index of the same
 * articles; shards killed, stopped, idle past the server's timeout,
 * rebuilt, down at start; STATS per shard; and a replica kept by
 * xapian-replicate. Skipped (exit 77) without Debian's xapian-tools. */
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "indexer_util.h"
#include "lede/shim.h"
#include "searchd_client.h"
#include "shard_compare.h"
#include "shard_servers.h"

/* A shard that comes back is tried again 1 s after it failed, then after
 * 2 s, 4 s...: the time a test waits for full answers again, with room
 * for one doubling on a loaded machine. */
#define BACK_MS 8000
/* What a rebuilt shard may take to be served (issue 14: within
 * reload_interval_ms, 500 ms by default); and a replica's update. */
#define RELOAD_MS 2000
/* The bound on a reply while a shard hangs: a request and a
 * ping each wait shard_timeout_ms (HUNG_TIMEOUT_MS here) before the shard
 * counts as down; the rest is room for a loaded machine. */
#define HUNG_TIMEOUT_MS "500"
#define HUNG_REPLY_MS 8000
/* The main loop's answers while a shard hangs: well under HUNG_TIMEOUT_MS
 * (a reload check that waited for the shard on the main loop took that
 * long), with room for a loaded machine. */
#define MAIN_LOOP_MS 300
/* How long a one-shot xapian-replicate or a failing start may take. */
#define RUN_TIMEOUT_MS 30000

/* Room for a list of shards: up to 3 paths. */
#define LIST_BYTES (3 * SD_PATH_BYTES + 16)

static const char *searchd, *articles;
static char tcpsrv[SD_PATH_BYTES], repl_server[SD_PATH_BYTES], repl_client[SD_PATH_BYTES];
static char *tmp;
static char mono[SD_PATH_BYTES];                            /* every article, one index */
static char two[2][SD_PATH_BYTES], three[3][SD_PATH_BYTES]; /* the same, split by id */
static long long two_docs[2];                               /* articles in two[k] */

/* ---- set-up ----------------------------------------------------------------- */

static const char *in_tmp(char out[SD_PATH_BYTES], const char *name) {
    return sd_path(out, tmp, name);
}

/* lede-indexer --db DIR --quiet FILE [OPT [ARG]] (NULL: none). */
static bool index_file(const char *dir, const char *file, const char *opt, const char *arg) {
    char *err = NULL;
    int rc = INDEX(NULL, &err, "--db", dir, "--quiet", file, opt, arg);
    if (rc != 0) fprintf(stderr, "lede-indexer --db %s %s: exit %d: %s\n", dir, file, rc, err);
    free(err);
    return rc == 0;
}

/* Splits the articles into n files by id, article sample-NUM into part
 * (NUM - 1) % n, and indexes part k into dirs[k]. Numbered so, the
 * documents of the shards, as one database, come in the order of the one
 * index (Xapian interleaves them), which keeps ties in the same order. */
static bool build_shards(int n, char dirs[][SD_PATH_BYTES], long long *docs) {
    FILE *in = fopen(articles, "r"), *out[3] = {NULL};
    char name[64], path[SD_PATH_BYTES], *line = NULL;
    size_t cap = 0;
    for (int k = 0; k < n; k++) {
        snprintf(name, sizeof name, "part%d-%d.jsonl", n, k);
        out[k] = fopen(in_tmp(path, name), "w");
    }
    while (in && getline(&line, &cap, in) > 0) {
        json_t *a = json_loads(line, 0, NULL);
        const char *id = json_string_value(json_object_get(a, "id")),
                   *dash = id ? strrchr(id, '-') : NULL;
        int k = (int)((dash ? strtol(dash + 1, NULL, 10) - 1 : 0) % n);
        if (docs) docs[k]++;
        fputs(line, out[k]);
        json_decref(a);
    }
    free(line);
    if (in) fclose(in);
    bool ok = in != NULL;
    for (int k = 0; k < n; k++) {
        fclose(out[k]);
        snprintf(name, sizeof name, "shard%d-%d", n, k);
        in_tmp(dirs[k], name);
        snprintf(name, sizeof name, "part%d-%d.jsonl", n, k);
        ok = ok && index_file(dirs[k], in_tmp(path, name), NULL, NULL);
    }
    return ok;
}

/* A copy of the index of two[k] (its articles indexed again), for a test
 * that changes it. */
static bool copy_shard(int k, const char *name, char out[SD_PATH_BYTES]) {
    char part[SD_PATH_BYTES], file[64];
    snprintf(file, sizeof file, "part2-%d.jsonl", k);
    return index_file(in_tmp(out, name), in_tmp(part, file), NULL, NULL);
}

/* ---- servers and daemons ------------------------------------------------------ */

/* xapian-tcpsrv for each of dirs[0..n), logs in tmp/NAME-K.log. */
static bool serve(ss_server_t *s, char dirs[][SD_PATH_BYTES], int n, const char *name,
                  unsigned idle_ms) {
    for (int k = 0; k < n; k++) {
        char log[SD_PATH_BYTES], file[64];
        snprintf(file, sizeof file, "%s-%d.log", name, k);
        if (!ss_tcpsrv_start(&s[k], tcpsrv, dirs[k], 0, idle_ms, in_tmp(log, file))) return false;
    }
    return true;
}

static void unserve(ss_server_t *s, int n) {
    for (int k = 0; k < n; k++) ss_kill(&s[k]);
}

/* "tcp://127.0.0.1:PORT" of a server, in out. */
static const char *spec_of(char out[64], const ss_server_t *s) {
    snprintf(out, 64, "tcp://127.0.0.1:%u", s->port);
    return out;
}

/* The specs of servers s[0..n), comma-separated, in out. */
static const char *remote_list(char out[LIST_BYTES], const ss_server_t *s, int n) {
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < n; k++)
        len += (size_t)snprintf(out + len, LIST_BYTES - len, "%stcp://127.0.0.1:%u", k ? "," : "",
                                s[k].port);
    return out;
}

/* lede-searchd with shards (a comma-separated list), shard_policy policy,
 * 2 worker threads, and more (NULL-terminated options, or NULL); its log
 * in tmp/NAME.log. Its --db names no index: the shards key replaces it. */
static bool start_on_shards(sd_daemon_t *d, const char *name, const char *shards,
                            const char *policy, const char *const *more) {
    char shards_kv[LIST_BYTES + 16], policy_kv[64], nodb[SD_PATH_BYTES];
    const char *extra[40] = {"--threads", "2", "-o", shards_kv, "-o", policy_kv};
    int n = 6;
    snprintf(shards_kv, sizeof shards_kv, "shards=%s", shards);
    snprintf(policy_kv, sizeof policy_kv, "shard_policy=%s", policy);
    for (; more && *more && n < 39; more++) extra[n++] = *more;
    extra[n] = NULL;
    return sd_start_in(d, searchd, in_tmp(nodb, "no-index"), tmp, name, extra);
}

/* Stops a daemon and checks that it exits cleanly, its log clean. */
static void stop(sd_daemon_t *d) {
    if (!d->pid) return;
    CHECK_INT(sd_stop(d, SIGTERM), 0);
    CHECK(sd_log_clean(d));
}

/* One request on a new connection: lede-searchd hands each connection to
 * the next worker in turn, so consecutive calls reach every worker. The
 * reply (caller frees), or NULL. */
static json_t *ask(const sd_daemon_t *d, const char *line) {
    sd_conn_t *c = sd_connect(d->port);
    json_t *r = c ? sd_call(c, line) : NULL;
    sd_close(c);
    return r;
}

static json_t *search(const sd_daemon_t *d, const char *q) {
    char line[512];
    snprintf(line, sizeof line, "{\"op\":\"search\",\"q\":\"%s\",\"limit\":100,\"snippet\":false}",
             q);
    return ask(d, line);
}

/* The total of a search, -1 on an error. */
static long long total_of(const sd_daemon_t *d, const char *q) {
    json_t *r = search(d, q);
    long long n = json_is_true(json_object_get(r, "ok")) ? sd_int(r, "total") : -1;
    json_decref(r);
    return n;
}

/* Whether a reply is whole: ok, from every shard, total as want. */
static bool full(json_t *r, long long want) {
    return json_is_true(json_object_get(r, "ok")) && !json_object_get(r, "partial") &&
           !json_object_get(r, "missing") && sd_int(r, "total") == want;
}

/* Polls a search (every 50 ms, up to timeout_ms) until WHOLE_STREAK
 * replies in a row are full with want hits: each worker has its own
 * connections and finds a shard back on its own. The milliseconds until
 * the first of them, or -1 (after printing the last reply). */
#define WHOLE_STREAK 4
static double wait_full(const sd_daemon_t *d, const char *q, long long want, int timeout_ms) {
    double start = check_now_ms(), first = -1;
    json_t *r = NULL;
    for (int streak = 0; streak < WHOLE_STREAK;) {
        if (check_now_ms() > start + timeout_ms && streak == 0) {
            char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
            fprintf(stderr, "  '%s' not whole (%lld hits) after %d ms: %.600s\n", q, want,
                    timeout_ms, text ? text : "(no reply)");
            free(text), json_decref(r);
            return -1;
        }
        json_decref(r);
        r = search(d, q);
        if (!full(r, want)) {
            streak = 0;
            check_sleep_ms(50);
        } else if (streak++ == 0) {
            first = check_now_ms() - start;
        }
    }
    json_decref(r);
    return first;
}

/* Whether a reply is partial, missing exactly the shard spec. */
static bool partial_without(json_t *r, const char *spec) {
    json_t *missing = json_object_get(r, "missing");
    const char *first = json_string_value(json_array_get(missing, 0));
    return json_is_true(json_object_get(r, "ok")) && json_is_true(json_object_get(r, "partial")) &&
           json_array_size(missing) == 1 && first && strcmp(first, spec) == 0;
}

/* ---- the same answers as one index -------------------------------------------- */

/* The daemons compared: one index, and the same articles as 2 and 3
 * shards, local and remote. */
enum { ONE, LOCAL2, LOCAL3, REMOTE2, REMOTE3, FLEET };
static const char *const FLEET_NAMES[FLEET] = {"one index", "2 local shards", "3 local shards",
                                               "2 remote shards", "3 remote shards"};

typedef struct fleet {
    sd_daemon_t d[FLEET];
    ss_server_t servers[5]; /* two[0..1] and three[0..2] */
} fleet_t;

static void fleet_stop(fleet_t *f) {
    for (int i = 0; i < FLEET; i++) stop(&f->d[i]);
    unserve(f->servers, 5);
}

/* The daemons, each with "did you mean" from the one index's spelling data
 * (remote shards have none for it; lede-indexer --shards will write one
 * for all shards). */
static bool fleet_start(fleet_t *f) {
    memset(f, 0, sizeof *f);
    char list[LIST_BYTES], spelling[SD_PATH_BYTES + 16], log[SD_PATH_BYTES];
    snprintf(spelling, sizeof spelling, "spelling_db=%s", mono);
    const char *more[] = {"-o", spelling, NULL};
    const char *one[] = {"--threads", "2", NULL};
    bool ok = serve(f->servers, two, 2, "eq2", 0) && serve(f->servers + 2, three, 3, "eq3", 0) &&
              sd_start(&f->d[ONE], searchd, mono, in_tmp(log, "one.log"), one);
    snprintf(list, sizeof list, "%s,%s", two[0], two[1]);
    ok = ok && start_on_shards(&f->d[LOCAL2], "local2", list, "fail", more);
    snprintf(list, sizeof list, "%s,%s,%s", three[0], three[1], three[2]);
    ok = ok && start_on_shards(&f->d[LOCAL3], "local3", list, "fail", more);
    ok = ok &&
         start_on_shards(&f->d[REMOTE2], "remote2", remote_list(list, f->servers, 2), "fail", more);
    ok = ok && start_on_shards(&f->d[REMOTE3], "remote3", remote_list(list, f->servers + 2, 3),
                               "fail", more);
    if (!ok) fleet_stop(f);
    return ok;
}

/* A search request: q, every hit (limit 100: the whole corpus is 60, so
 * no page ends inside a run of tied hits), no snippets (compared apart:
 * they cost round trips), the facets of one value per article, and extra
 * (a JSON object's members, or NULL). Caller frees. */
static char *search_line(const char *q, const char *extra, bool snippets) {
    json_t *req = json_pack("{ss ss si sb s[sss]}", "op", "search", "q", q, "limit", 100, "snippet",
                            snippets, "facets", "source", "category", "year");
    json_t *more = extra ? json_loads(extra, 0, NULL) : NULL;
    if (extra && !more) fprintf(stderr, "bad extra JSON in the test: %s\n", extra);
    json_object_update(req, more);
    if (snippets) json_object_set_new(req, "limit", json_integer(10));
    char *line = json_dumps(req, JSON_COMPACT);
    json_decref(req), json_decref(more);
    return line;
}

/* One request to every daemon, each reply compared with the one index's
 * on members (and hits, when hits is true). Returns whether the one index
 * answered ok. */
static bool compare(fleet_t *f, const char *line, const char *const *members, bool hits,
                    bool by_date) {
    json_t *want = ask(&f->d[ONE], line);
    for (int i = ONE + 1; i < FLEET; i++) {
        json_t *got = ask(&f->d[i], line);
        const char *why = sc_diff(want, got, members, hits, by_date);
        if (why) fprintf(stderr, "  %s differs on %s: %s\n", FLEET_NAMES[i], line, why);
        CHECK(why == NULL);
        json_decref(got);
    }
    bool ok = json_is_true(json_object_get(want, "ok"));
    json_decref(want);
    return ok;
}

/* Queries: words, phrases, operators, field prefixes and date ranges in
 * q, and filters, sorts, match modes and pages beside it. */
typedef struct query {
    const char *q, *extra;
} query_t;

static const query_t QUERIES[] = {
    {"water", NULL},
    {"reservoir", NULL},
    {"drought", NULL},
    {"desalination", NULL},
    {"bus", NULL},
    {"electric", NULL},
    {"ridership", NULL},
    {"vaccine", NULL},
    {"satellite", NULL},
    {"wildfire", NULL},
    {"mayor", NULL},
    {"election", NULL},
    {"rates", NULL},
    {"football", NULL},
    {"festival", NULL},
    {"profits", NULL},
    {"storms", NULL},
    {"Okafor", NULL},
    {"Eastmere", NULL},
    {"percent", NULL},
    {"\"water restrictions\"", NULL},
    {"\"Port Calder\"", NULL},
    {"\"Harrow Reservoir\"", NULL},
    {"\"electric bus\"", NULL},
    {"water OR drought", NULL},
    {"water AND reservoir", NULL},
    {"water NOT drought", NULL},
    {"bus -electric", NULL},
    {"+reservoir +level", NULL},
    {"reservoir NEAR level", NULL},
    {"water XOR reservoir", NULL},
    {"(vaccine OR satellite) AND review", NULL},
    {"title:reservoir", NULL},
    {"title:(water OR vaccine)", NULL},
    {"author:lindell", NULL},
    {"source:\"harbor wire\"", NULL},
    {"category:business", NULL},
    {"tag:drought", NULL},
    {"place:eastmere", NULL},
    {"date:2022..", NULL},
    {"date:..2021-06", NULL},
    {"water date:2022-01-01..2022-12-31", NULL},
    {"interest rates", NULL},
    {"coastal league season", NULL},
    {"water reservoir drought", "{\"match\":\"any\"}"},
    {"water reservoir quokka", "{\"match\":\"all\"}"},
    {"water reservoir quokka", NULL}, /* relaxed */
    {"water", "{\"filter\":{\"source\":\"Harbor Wire\"}}"},
    {"percent", "{\"filter\":{\"category\":[\"Business\",\"Science\"]}}"},
    {"water", "{\"filter\":{\"date\":{\"from\":\"2022-01-01\",\"to\":\"2022-12-31\"}}}"},
    {"", "{\"filter\":{\"tag\":\"drought\"}}"},
    {"", "{\"filter\":{\"place\":\"Port Calder\"}}"},
    {"", "{\"filter\":{\"author\":\"Jonah Feld\"}}"},
    {"", "{\"filter\":{\"date\":{\"from\":\"2023\"}}}"},
    {"", NULL}, /* every article */
    {"water", "{\"limit\":5,\"offset\":5}"},
    {"reservoir", "{\"limit\":3,\"offset\":1}"},
    {"reservior", NULL}, /* misspelt: corrected */
    {"vacine trial", "{\"spelling\":\"suggest\"}"},
    {"droght", "{\"spelling\":\"off\"}"},
    {"title:(oil AND", NULL}, /* a syntax error: its words */
};

/* The same queries sorted by date, newest and oldest first. Short pages
 * too: Xapian 1.4 would count a remote hit that sorts below the page in
 * the facets a second time (shim/value_spy.cc). */
static const query_t BY_DATE[] = {
    {"water", "{\"sort\":\"date\"}"},
    {"percent", "{\"sort\":\"-date\"}"},
    {"", "{\"sort\":\"date\"}"},
    {"", "{\"sort\":\"-date\",\"filter\":{\"source\":\"Metro Daily\"}}"},
    {"bus OR vaccine", "{\"sort\":\"date\",\"limit\":7,\"offset\":2}"},
    {"water", "{\"sort\":\"date\",\"limit\":3}"},
    {"", "{\"sort\":\"-date\",\"limit\":5,\"offset\":5}"},
};

static void test_equal_searches(fleet_t *f) {
    int n = 0, answered = 0;
    for (size_t i = 0; i < sizeof QUERIES / sizeof QUERIES[0]; i++, n++) {
        char *line = search_line(QUERIES[i].q, QUERIES[i].extra, false);
        answered += compare(f, line, SC_SEARCH_MEMBERS, true, false);
        free(line);
    }
    for (size_t i = 0; i < sizeof BY_DATE / sizeof BY_DATE[0]; i++, n++) {
        char *line = search_line(BY_DATE[i].q, BY_DATE[i].extra, false);
        answered += compare(f, line, SC_SEARCH_MEMBERS, true, true);
        free(line);
    }
    printf("  %d searches compared on %d daemons\n", n, FLEET - 1);
    CHECK(n >= 50);
    CHECK_INT(answered, n); /* none of them is an error on the one index */
}

/* Snippets: the same text, highlights and all, on the first page. */
static void test_equal_snippets(fleet_t *f) {
    static const char *const QS[] = {"water",          "\"Port Calder\"", "reservoir level",
                                     "vaccine OR bus", "title:satellite", ""};
    for (size_t i = 0; i < sizeof QS / sizeof QS[0]; i++) {
        char *line = search_line(QS[i], NULL, true);
        compare(f, line, SC_SEARCH_MEMBERS, true, false);
        free(line);
    }
}

static void test_equal_get(fleet_t *f) {
    static const char *const DOC[] = {"doc", NULL};
    static const char *const ERROR[] = {"ok", "error.code", NULL};
    char line[128];
    for (int i = 1; i <= 60; i += 7) {
        snprintf(line, sizeof line, "GET sample-%03d", i);
        CHECK(compare(f, line, DOC, false, false));
    }
    compare(f, "GET no-such-article", ERROR, false, false);
}

/* SUGGEST: the same completions, and the same titles: those come from a
 * search of the prefix with its last word taken as partial, which the
 * shim expands once for all shards (wildcards.h). */
static void test_equal_suggest(fleet_t *f) {
    static const char *const QS[] = {"wat", "res", "ele", "port cal",
                                     "vac", "sat", "dro", "harrow r"};
    static const char *const MEMBERS[] = {"ok", "suggestions", "titles", NULL};
    char line[128];
    for (size_t i = 0; i < sizeof QS / sizeof QS[0]; i++) {
        snprintf(line, sizeof line, "SUGGEST %s", QS[i]);
        compare(f, line, MEMBERS, false, false);
    }
}

/* Wildcards: the same hits with the same scores. The shim expands a word*
 * once over all shards, and nests the synonym so that Xapian 1.4
 * estimates its frequency alike in every shard (before, "vacc* OR sat*"
 * scored 4.04 on one index, 5.32 over 2 local shards, 6.99 over 3). */
static void test_equal_wildcards(fleet_t *f) {
    static const char *const QS[] = {"reserv*",       "elect*",     "title:wat*",
                                     "vacc* OR sat*", "elect* bus", "-wat* res*"};
    for (size_t i = 0; i < sizeof QS / sizeof QS[0]; i++) {
        char *line = search_line(QS[i], NULL, false);
        compare(f, line, SC_SEARCH_MEMBERS, true, false);
        free(line);
    }
}

/* SIMILAR: the same hits, scores, snippets and total. Its query is the
 * article's terms weighted by their frequencies in the whole index
 * (USE_EXACT_TERMFREQ), its total is counted rather than estimated, and
 * snippets weigh words by their frequency in the whole index rather than
 * by the MSet's termweight, which Xapian 1.4 sums over shards. */
static void test_equal_similar(fleet_t *f) {
    char line[128], self[32];
    for (int i = 1; i <= 60; i += 12) {
        snprintf(self, sizeof self, "sample-%03d", i);
        snprintf(line, sizeof line, "SIMILAR %s", self);
        compare(f, line, SC_SEARCH_MEMBERS, true, false);
        json_t *want = ask(&f->d[ONE], line);
        CHECK(json_array_size(json_object_get(want, "hits")) > 0);
        CHECK(!strstr(sd_hit_ids(want), self));
        json_decref(want);
    }
}

/* Everything but the multi-valued facets. */
static void test_equal(void) {
    fleet_t f;
    bool up = fleet_start(&f);
    CHECK(up);
    if (!up) return;
    double start = check_now_ms();
    test_equal_searches(&f);
    test_equal_snippets(&f);
    test_equal_get(&f);
    test_equal_suggest(&f);
    test_equal_wildcards(&f);
    test_equal_similar(&f);
    printf("  compared in %.0f ms\n", check_now_ms() - start);
    fleet_stop(&f);
}

/* The tag, place and author facets (several values per article): counted
 * from their item slots with Xapian's ValueCountMatchSpy, which remote
 * shards can run (shim/list_facets.cc), exactly as one index counts. */
static void test_equal_list_facets(void) {
    fleet_t f;
    bool up = fleet_start(&f);
    CHECK(up);
    if (!up) return;
    static const char *const FACETS[] = {"ok", "error.code", "total", "facets", NULL};
    static const char *const QS[] = {"water", "percent", "", "bus OR vaccine", "date:2022.."};
    static const char *const LISTS[] = {
        "{\"facets\":[\"tag\",\"place\",\"author\"]}",
        "{\"facets\":[\"tag\",\"place\",\"author\",\"source\",\"year\"],\"facet_limit\":50}",
        "{\"facets\":[\"tag\"],\"filter\":{\"place\":\"Port Calder\"}}",
        "{\"facets\":[\"tag\",\"place\",\"author\"],\"sort\":\"date\",\"limit\":4}"};
    for (size_t i = 0; i < sizeof QS / sizeof QS[0]; i++)
        for (size_t k = 0; k < sizeof LISTS / sizeof LISTS[0]; k++) {
            char *line = search_line(QS[i], LISTS[k], false);
            CHECK(compare(&f, line, FACETS, false, false));
            free(line);
        }
    fleet_stop(&f);
}

/* ---- hits without summaries ------------------------------------------------- */

/* Articles of an index written before documents had summaries, beside
 * newer ones: over remote shards an ids-only page takes the summaries from
 * the match's reply (shim/search.cc, summary_keys), and a page with a hit
 * that has none must fetch the documents instead. */
typedef struct old_article {
    const char *id, *title;
    bool summary;
} old_article_t;

static const old_article_t OLD_ARTICLES[2][3] = {
    {{"old-1", "Harbour dredging begins", false},
     {"old-3", "Harbour tolls rise", true},
     {"old-5", "Ferry timetable changes", true}},
    {{"old-2", "Harbour cranes replaced", true},
     {"old-4", "Harbour pilots strike", false},
     {"old-6", "Ferry fares frozen", true}},
};

/* A raw Xapian database of the articles of part, written by the shim. */
static bool write_old_shard(const char *dir, int part) {
    shim_writer_opts_t o = {.path = dir, .flags = SHIM_WRITER_CREATE};
    shim_writer_t *w = NULL;
    char *err = NULL;
    bool ok = shim_writer_open(&o, &w, &err) == LEDE_OK;
    if (!ok) fprintf(stderr, "  cannot write %s: %s\n", dir, err ? err : "?");
    free(err);
    for (int i = 0; ok && i < 3; i++) {
        const old_article_t *a = &OLD_ARTICLES[part][i];
        char data[256], summary[128];
        snprintf(data, sizeof data, "{\"id\":\"%s\",\"title\":\"%s\",\"body\":\"%s.\"}", a->id,
                 a->title, a->title);
        snprintf(summary, sizeof summary, "{\"id\":\"%s\",\"title\":\"%s\"}", a->id, a->title);
        shim_doc_t d = {.id = a->id,
                        .title = a->title,
                        .body = a->title,
                        .data = data,
                        .data_len = strlen(data),
                        .summary = a->summary ? summary : NULL,
                        .summary_len = a->summary ? strlen(summary) : 0,
                        .stamp = 1};
        ok = shim_writer_upsert(w, &d) == LEDE_OK;
    }
    if (w) ok = shim_writer_close(w, false, NULL) == LEDE_OK && ok;
    return ok;
}

/* Whether q's hits are exactly ids (space-separated, any order), each
 * with its own title. */
static bool hits_with_titles(const sd_daemon_t *d, const char *q, const char *ids) {
    json_t *r = search(d, q);
    json_t *hits = json_object_get(r, "hits");
    size_t n = 0, want = 0, i;
    json_t *hit;
    bool ok = json_is_true(json_object_get(r, "ok"));
    for (const char *p = ids; *p; p += strspn(p, " ")) want++, p += strcspn(p, " ");
    json_array_foreach(hits, i, hit) {
        const char *id = json_string_value(json_object_get(hit, "id")),
                   *title = json_string_value(json_object_get(hit, "title"));
        const old_article_t *a = NULL;
        for (int k = 0; id && k < 6; k++)
            if (strcmp(OLD_ARTICLES[k % 2][k / 2].id, id) == 0) a = &OLD_ARTICLES[k % 2][k / 2];
        bool good = a && strstr(ids, id) && title && strcmp(title, a->title) == 0;
        if (!good)
            fprintf(stderr, "  '%s': hit %s titled %s\n", q, id ? id : "?", title ? title : "-");
        ok = ok && good;
        n++;
    }
    if (n != want) fprintf(stderr, "  '%s': %zu hits, not %zu\n", q, n, want);
    json_decref(r);
    return ok && n == want;
}

static void test_no_summaries(void) {
    char dirs[2][SD_PATH_BYTES], list[LIST_BYTES];
    ss_server_t s[2];
    sd_daemon_t d;
    memset(s, 0, sizeof s), memset(&d, 0, sizeof d);
    bool up = write_old_shard(in_tmp(dirs[0], "old-0"), 0) &&
              write_old_shard(in_tmp(dirs[1], "old-1"), 1) && serve(s, dirs, 2, "old", 0) &&
              start_on_shards(&d, "old", remote_list(list, s, 2), "fail", NULL);
    CHECK(up);
    if (up) {
        CHECK(hits_with_titles(&d, "ferry", "old-5 old-6"));               /* every hit has one */
        CHECK(hits_with_titles(&d, "harbour", "old-1 old-2 old-3 old-4")); /* some have none */
        CHECK(hits_with_titles(&d, "dredging", "old-1"));                  /* none has one */
    }
    stop(&d);
    unserve(s, 2);
}

/* ---- faults -------------------------------------------------------------------- */

/* Two remote shards, copies of two[0] and two[1], and a daemon on them
 * with policy and more options. */
typedef struct pair {
    ss_server_t s[2];
    char spec[2][64]; /* tcp://127.0.0.1:PORT of each */
    sd_daemon_t d;
} pair_t;

static bool pair_start(pair_t *p, const char *name, unsigned idle_ms, const char *policy,
                       const char *const *more) {
    char list[LIST_BYTES];
    memset(p, 0, sizeof *p);
    bool ok = serve(p->s, two, 2, name, idle_ms);
    if (ok) spec_of(p->spec[0], &p->s[0]), spec_of(p->spec[1], &p->s[1]);
    ok = ok && start_on_shards(&p->d, name, remote_list(list, p->s, 2), policy, more);
    if (!ok) unserve(p->s, 2);
    return ok;
}

static void pair_stop(pair_t *p) {
    stop(&p->d);
    unserve(p->s, 2);
}

/* A search's total on the index at dir alone. */
static long long total_on(const char *dir, const char *q) {
    sd_daemon_t one;
    char log[SD_PATH_BYTES];
    if (!sd_start(&one, searchd, dir, in_tmp(log, "total.log"), NULL)) return -2;
    long long n = total_of(&one, q);
    stop(&one);
    return n;
}

static long long water_total, water_part0; /* "water" on the one index, on two[0] */

/* Killed (SIGKILL to the server and its connections): with policy fail,
 * requests get unavailable naming the shard; once a server runs on that
 * port again, answers are whole without SIGHUP or a restart. */
static void test_killed(void) {
    pair_t p;
    const char *more[] = {"-o", "shard_connect_timeout_ms=1000", "-o", "shard_timeout_ms=2000",
                          NULL};
    bool up = pair_start(&p, "killed", 0, "fail", more);
    CHECK(up);
    if (!up) return;
    CHECK(wait_full(&p.d, "water", water_total, 1) >= 0);
    ss_kill(&p.s[1]);
    for (int i = 0; i < 4; i++) { /* every worker: each has its own connections */
        json_t *r = search(&p.d, "water");
        const char *msg = sd_str(r, "error.message");
        CHECK_STR(sd_str(r, "error.code"), "unavailable");
        CHECK(msg && strstr(msg, p.spec[1]) && !strstr(msg, p.spec[0]));
        if (i == 0) printf("  killed: %s\n", msg ? msg : "(no message)");
        json_decref(r);
    }
    bool back = ss_tcpsrv_start(&p.s[1], tcpsrv, two[1], p.s[1].port, 0, p.s[1].log_path);
    CHECK(back);
    double took = back ? wait_full(&p.d, "water", water_total, BACK_MS) : -1;
    printf("  whole again %.0f ms after the restart\n", took);
    CHECK(took >= 0);
    CHECK(check_poll(p.d.pid) == CHECK_RUNNING); /* the same daemon, never restarted */
    pair_stop(&p);
}

/* Replicas: a shard given as "tcp://A|tcp://B" (two servers of the same
 * shard) is served while either is up: the one in use killed, requests go
 * on without an error (the broken connection is retried on the other),
 * and a first replica down at start is passed over. */
static void test_replicas(void) {
    ss_server_t s[3] = {{0}};
    sd_daemon_t d = {0};
    char log[SD_PATH_BYTES], list[LIST_BYTES];
    bool up = ss_tcpsrv_start(&s[0], tcpsrv, two[0], 0, 0, in_tmp(log, "replica-a0.log")) &&
              ss_tcpsrv_start(&s[1], tcpsrv, two[0], 0, 0, in_tmp(log, "replica-a1.log")) &&
              ss_tcpsrv_start(&s[2], tcpsrv, two[1], 0, 0, in_tmp(log, "replica-b.log"));
    /* A port nothing listens on first: a replica down at start. */
    snprintf(list, sizeof list,
             "tcp://127.0.0.1:1|tcp://127.0.0.1:%u|tcp://127.0.0.1:%u,tcp://127.0.0.1:%u",
             s[0].port, s[1].port, s[2].port);
    up = up && start_on_shards(&d, "replicas", list, "fail", NULL);
    CHECK(up);
    if (up) {
        CHECK(wait_full(&d, "water", water_total, 1) >= 0);
        ss_kill(&s[0]);
        for (int i = 0; i < 4; i++) { /* every worker */
            json_t *r = search(&d, "water");
            CHECK(json_is_true(json_object_get(r, "ok")));
            CHECK_INT(sd_int(r, "total"), water_total);
            json_decref(r);
        }
    }
    stop(&d);
    unserve(s, 3);
}

/* The slowest of /health and a PING on a new connection, asked in turn
 * for ms: what the main event loop answers (accepting, health checks)
 * must not wait for a reload check stuck on a shard. */
static double main_loop_slowest(sd_daemon_t *d, double ms) {
    double slowest = 0, end = check_now_ms() + ms;
    while (check_now_ms() < end) {
        double start = check_now_ms();
        int status = 0;
        free(sd_http_get(d->http_port, "/health", NULL, &status));
        sd_conn_t *c = sd_connect(d->port);
        json_t *r = c ? sd_call(c, "PING") : NULL;
        CHECK(r && json_is_true(json_object_get(r, "ok")));
        json_decref(r);
        sd_close(c);
        double took = check_now_ms() - start;
        slowest = took > slowest ? took : slowest;
        check_sleep_ms(20);
    }
    return slowest;
}

/* Stopped (SIGSTOP: connections open, nothing answered): with policy
 * partial and short timeouts, the other shard answers within a bounded
 * time, saying which shard is missing; after SIGCONT answers are whole
 * again once the shard's retry is due. */
static void test_stopped(void) {
    pair_t p;
    /* Not much less: a loaded machine can keep the shard that answers
     * from answering within a shorter timeout. */
    const char *more[] = {"-o", "shard_connect_timeout_ms=" HUNG_TIMEOUT_MS,
                          "-o", "shard_timeout_ms=" HUNG_TIMEOUT_MS,
                          "-o", "query_timeout_ms=10000",
                          NULL};
    bool up = pair_start(&p, "stopped", 0, "partial", more);
    CHECK(up);
    if (!up) return;
    long long first = total_of(&p.d, "water");
    CHECK_INT(first, water_total);
    ss_signal(&p.s[1], SIGSTOP);
    double slowest = 0;
    for (int i = 0; i < 3; i++) { /* each worker finds out for itself */
        double start = check_now_ms();
        json_t *r = search(&p.d, "water");
        double took = check_now_ms() - start;
        slowest = took > slowest ? took : slowest;
        CHECK(partial_without(r, p.spec[1]));
        CHECK_INT(sd_int(r, "total"), water_part0);
        if (!partial_without(r, p.spec[1])) fprintf(stderr, "  %s\n", sd_hit_ids(r));
        json_decref(r);
    }
    printf("  stopped: partial replies within %.0f ms\n", slowest);
    CHECK(slowest < HUNG_REPLY_MS);
    double main_loop = main_loop_slowest(&p.d, 3000);
    printf("  stopped: /health and a new connection's PING within %.0f ms\n", main_loop);
    CHECK(main_loop < MAIN_LOOP_MS);
    ss_signal(&p.s[1], SIGCONT);
    double took = wait_full(&p.d, "water", water_total, BACK_MS);
    printf("  whole again %.0f ms after SIGCONT\n", took);
    CHECK(took >= 0);
    pair_stop(&p);
}

/* ---- cut off by the network --------------------------------------------------- */

/* `ip ARGS...` (args NULL-terminated), quietly; whether it exited 0. */
static bool ip_run(const char *ip, const char *const *args) {
    char *argv[16] = {(char *)ip};
    int n = 1;
    for (; args[n - 1] && n < 15; n++) argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    check_run_opts_t o = {.timeout_ms = 10000};
    char *out = NULL, *err = NULL;
    int rc = check_run(argv, &o, &out, &err);
    if (rc != 0) fprintf(stderr, "  ip %s %s: exit %d: %s", args[0], args[1], rc, err ? err : "");
    free(out), free(err);
    return rc == 0;
}

/* A network namespace ns joined to this one by a veth pair: HOST here,
 * PEER there (a /30 picked from the pid). False, with nothing left, when
 * namespaces cannot be made (not root, no ip(8), a container without the
 * right). */
static bool netns_up(const char *ip, const char *ns, const char *veth, const char *peer_if,
                     char host[16], char peer[16]) {
    unsigned net = (unsigned)getpid() % 60 * 4;
    char here[24], there[24];
    snprintf(host, 16, "10.231.%u.%u", net / 256, net % 256 + 1);
    snprintf(peer, 16, "10.231.%u.%u", net / 256, net % 256 + 2);
    snprintf(here, sizeof here, "%s/30", host), snprintf(there, sizeof there, "%s/30", peer);
    const char *add[] = {"netns", "add", ns, NULL};
    const char *link[] = {"link", "add", veth, "type", "veth", "peer", "name", peer_if, NULL};
    const char *move[] = {"link", "set", peer_if, "netns", ns, NULL};
    const char *addr[] = {"addr", "add", here, "dev", veth, NULL};
    const char *up[] = {"link", "set", veth, "up", NULL};
    const char *addr2[] = {"-n", ns, "addr", "add", there, "dev", peer_if, NULL};
    const char *up2[] = {"-n", ns, "link", "set", peer_if, "up", NULL};
    if (ip_run(ip, add) && ip_run(ip, link) && ip_run(ip, move) && ip_run(ip, addr) &&
        ip_run(ip, up) && ip_run(ip, addr2) && ip_run(ip, up2))
        return true;
    const char *del[] = {"netns", "del", ns, NULL}, *dellink[] = {"link", "del", veth, NULL};
    ip_run(ip, dellink), ip_run(ip, del);
    return false;
}

/* Cut off by the network (root, network namespaces): the second shard's
 * xapian-tcpsrv in a namespace of its own, reached over a veth pair, and
 * the link taken down: packets are lost, so a request waits for
 * shard_timeout_ms and a reconnection for shard_connect_timeout_ms (the
 * SIGSTOP test's server still accepts connections). With policy partial
 * the first shard answers within a bound, /health and new connections do
 * not wait, and once the link is up again answers are whole. tc netem,
 * for added latency, is not in this machine's kernel. */
static void test_cut_off(void) {
    char ip[SD_PATH_BYTES], ns[32], veth[16], peer_if[16], host[16], peer[16];
    snprintf(ns, sizeof ns, "lede-t%d", (int)getpid());
    snprintf(veth, sizeof veth, "lt%dh", (int)getpid() % 100000);
    snprintf(peer_if, sizeof peer_if, "lt%dn", (int)getpid() % 100000);
    if (geteuid() != 0 || !sd_find_program("ip", ip) ||
        !netns_up(ip, ns, veth, peer_if, host, peer)) {
        printf("  SKIP: test_cut_off needs root, ip(8) and network namespaces\n");
        return;
    }
    ss_server_t s[2];
    char log[SD_PATH_BYTES], list[LIST_BYTES], spec1[64];
    bool up = ss_tcpsrv_start(&s[0], tcpsrv, two[0], 0, 0, in_tmp(log, "cut-0.log")) &&
              ss_tcpsrv_start_netns(&s[1], ip, ns, peer, tcpsrv, two[1], in_tmp(log, "cut-1.log"));
    CHECK(up);
    snprintf(spec1, sizeof spec1, "tcp://%s:%u", peer, s[1].port);
    snprintf(list, sizeof list, "tcp://127.0.0.1:%u,%s", s[0].port, spec1);
    const char *more[] = {"-o", "shard_connect_timeout_ms=" HUNG_TIMEOUT_MS,
                          "-o", "shard_timeout_ms=" HUNG_TIMEOUT_MS,
                          "-o", "query_timeout_ms=10000",
                          NULL};
    sd_daemon_t d = {0};
    up = up && start_on_shards(&d, "cut", list, "partial", more);
    CHECK(up);
    const char *down[] = {"link", "set", veth, "down", NULL},
               *back[] = {"link", "set", veth, "up", NULL};
    if (up && total_of(&d, "water") == water_total && ip_run(ip, down)) {
        double slowest = 0;
        for (int i = 0; i < 3; i++) {
            double start = check_now_ms();
            json_t *r = search(&d, "water");
            slowest = fmax(slowest, check_now_ms() - start);
            CHECK(partial_without(r, spec1));
            json_decref(r);
        }
        printf("  cut off: partial replies within %.0f ms\n", slowest);
        CHECK(slowest < HUNG_REPLY_MS);
        double main_loop = main_loop_slowest(&d, 2000);
        printf("  cut off: /health and a new connection's PING within %.0f ms\n", main_loop);
        CHECK(main_loop < MAIN_LOOP_MS);
        CHECK(ip_run(ip, back));
        double took = wait_full(&d, "water", water_total, BACK_MS);
        printf("  whole again %.0f ms after the link came back\n", took);
        CHECK(took >= 0);
    } else {
        CHECK(!up);
    }
    stop(&d);
    unserve(s, 2);
    const char *del[] = {"netns", "del", ns, NULL}, *dellink[] = {"link", "del", veth, NULL};
    ip_run(ip, dellink), ip_run(ip, del);
}

/* Idle for idle_ms, past xapian-tcpsrv's idle timeout (server_idle_ms):
 * without keep-alive every worker's next request finds its connections
 * closed, reconnects and succeeds; with a keep-alive well under the
 * timeout the connections stay open (the servers log no new connection).
 * The reload check, which opens a new connection to each remote shard
 * every reload_interval_ms to see whether it was rebuilt, is slowed down
 * here so that it does not blur the count. */
static void idle_run(unsigned keepalive_ms, unsigned server_idle_ms, int idle_ms) {
    pair_t p;
    char ka[64];
    snprintf(ka, sizeof ka, "shard_keepalive_ms=%u", keepalive_ms);
    const char *more[] = {"-o", ka, "-o", "reload_interval_ms=60000", NULL};
    bool up = pair_start(&p, keepalive_ms ? "idle-ka" : "idle", server_idle_ms, "fail", more);
    CHECK(up);
    if (!up) return;
    for (int i = 0; i < 4; i++) CHECK(wait_full(&p.d, "water", water_total, 1) >= 0);
    int before =
        ss_log_count(&p.s[0], "Connection from") + ss_log_count(&p.s[1], "Connection from");
    check_sleep_ms(idle_ms);
    int failed = 0;
    for (int i = 0; i < 6; i++) { /* every worker, several times */
        json_t *r = search(&p.d, "water");
        failed += !full(r, water_total);
        if (!full(r, water_total))
            fprintf(stderr, "  after idling: %s\n", sd_str(r, "error.message"));
        json_decref(r);
    }
    CHECK_INT(failed, 0);
    int after = ss_log_count(&p.s[0], "Connection from") + ss_log_count(&p.s[1], "Connection from");
    printf("  keep-alive %u ms: %d new connections to the servers after idling\n", keepalive_ms,
           after - before);
    if (keepalive_ms)
        CHECK_INT(after, before);
    else
        CHECK(after > before); /* the timeout did close them: the test tested something */
    pair_stop(&p);
}

/* The keep-alive run's timeout leaves a loaded machine 1.3 s to ping. */
static void test_idle(void) {
    idle_run(0, 500, 1200);
    idle_run(200, 1500, 2000);
}

/* Rebuilt (lede-indexer --rebuild: a new generation, the old one deleted)
 * while served: a remote shard through its xapian-tcpsrv, and a local
 * one; the new articles are found and the old ones gone within
 * RELOAD_MS, without SIGHUP. */
static bool wait_doc(const sd_daemon_t *d, const char *id, bool present, int timeout_ms) {
    char line[128];
    snprintf(line, sizeof line, "GET %s", id);
    for (double end = check_now_ms() + timeout_ms;; check_sleep_ms(50)) {
        json_t *r = ask(d, line);
        bool ok = json_is_true(json_object_get(r, "ok"));
        json_decref(r);
        if (ok == present) return true;
        if (check_now_ms() > end) return false;
    }
}

static bool rebuild(const char *dir, const char *name, int first, int n) {
    char file[SD_PATH_BYTES];
    write_corpus_from(in_tmp(file, name), first, n);
    return index_file(dir, file, "--rebuild", NULL);
}

static void test_rebuilt(void) {
    char remote_dir[SD_PATH_BYTES], local_dir[SD_PATH_BYTES], log[SD_PATH_BYTES],
        file[SD_PATH_BYTES];
    char list[LIST_BYTES], spec[64];
    ss_server_t s;
    sd_daemon_t d = {0};
    write_corpus_from(in_tmp(file, "local-0.jsonl"), 1000, 5);
    bool up = copy_shard(1, "rebuilt-remote", remote_dir) &&
              index_file(in_tmp(local_dir, "rebuilt-local"), file, NULL, NULL) &&
              ss_tcpsrv_start(&s, tcpsrv, remote_dir, 0, 0, in_tmp(log, "rebuilt.log"));
    snprintf(list, sizeof list, "%s,%s", spec_of(spec, &s), local_dir);
    up = up && start_on_shards(&d, "rebuilt", list, "fail", NULL);
    CHECK(up);
    CHECK_INT(total_of(&d, "tides"), 5);
    CHECK(wait_doc(&d, "sample-002", true, 0));
    CHECK(up && rebuild(remote_dir, "remote-1.jsonl", 2000, 7));
    double start = check_now_ms();
    CHECK(wait_doc(&d, "k2000", true, RELOAD_MS));
    printf("  remote shard rebuilt: served after %.0f ms\n", check_now_ms() - start);
    CHECK(wait_doc(&d, "sample-002", false, 0));
    CHECK(wait_full(&d, "tides", 12, 1) >= 0);
    CHECK(up && rebuild(local_dir, "local-1.jsonl", 3000, 3));
    start = check_now_ms();
    CHECK(wait_doc(&d, "k3000", true, RELOAD_MS));
    printf("  local shard rebuilt: served after %.0f ms\n", check_now_ms() - start);
    CHECK(wait_doc(&d, "k1000", false, 0));
    CHECK(wait_full(&d, "tides", 10, 1) >= 0);
    stop(&d);
    ss_kill(&s);
}

/* BUG (found by this test): a remote shard that was down once and came
 * back is no longer followed to a new generation. Steps: a shard killed,
 * a request (unavailable), the server restarted (whole answers again),
 * then lede-indexer --rebuild of its directory. Expected: the new articles
 * served within reload_interval_ms. Got: the old generation, for good,
 * until SIGHUP. Why (shim/shards.cc): the main thread's handle, whose
 * reopen every reload_interval_ms is what notices a new UUID and moves
 * the workers, skips a shard marked down and never connects to it again
 * (only reads and the workers' keep-alive retry shards that are down); the
 * workers' handles reconnected on their own to the old generation and
 * reopen only when the main thread says so. The fix is asserted with
 * LEDE_TEST_SHARD_REBUILT_AFTER_DOWN=1; what holds today is that SIGHUP
 * brings the new generation. */
static void test_rebuilt_after_down(void) {
    char dir[SD_PATH_BYTES], log[SD_PATH_BYTES], list[LIST_BYTES], spec[2][64];
    ss_server_t s[2] = {{0}};
    sd_daemon_t d = {0};
    bool up = copy_shard(1, "after-down", dir) &&
              ss_tcpsrv_start(&s[0], tcpsrv, two[0], 0, 0, in_tmp(log, "after-down-0.log")) &&
              ss_tcpsrv_start(&s[1], tcpsrv, dir, 0, 0, in_tmp(log, "after-down-1.log"));
    snprintf(list, sizeof list, "%s,%s", spec_of(spec[0], &s[0]), spec_of(spec[1], &s[1]));
    up = up && start_on_shards(&d, "after-down", list, "fail", NULL);
    CHECK(up);
    if (up) {
        ss_kill(&s[1]);
        for (int i = 0; i < 2; i++) {
            json_t *r = search(&d, "water");
            CHECK_STR(sd_str(r, "error.code"), "unavailable");
            json_decref(r);
        }
        check_sleep_ms(1500); /* down past a reload check (reload_interval_ms, 500 ms) */
        CHECK(ss_tcpsrv_start(&s[1], tcpsrv, dir, s[1].port, 0, s[1].log_path));
        CHECK(wait_full(&d, "water", water_total, BACK_MS) >= 0);
        CHECK(rebuild(dir, "after-down.jsonl", 4000, 4));
        double start = check_now_ms();
        bool served = wait_doc(&d, "k4000", true, RELOAD_MS);
        if (served)
            printf("  rebuilt after it was down: served after %.0f ms\n", check_now_ms() - start);
        else
            printf("  rebuilt after it was down: still the old generation after %d ms\n",
                   RELOAD_MS);
        CHECK(served);
        kill(d.pid, SIGHUP);
        CHECK(wait_doc(&d, "k4000", true, RELOAD_MS));
        CHECK(wait_doc(&d, "sample-002", false, 0));
    }
    stop(&d);
    unserve(s, 2);
}

/* Down at start: with policy partial lede-searchd starts, says so, and
 * answers from the other shard until the missing one runs; with policy
 * fail it does not start, naming the shard. */
static void test_down_at_start(void) {
    ss_server_t s[2] = {0};
    char log[SD_PATH_BYTES], list[SD_PATH_BYTES], spec[64], warning[128];
    sd_daemon_t d = {0};
    bool up = ss_tcpsrv_start(&s[0], tcpsrv, two[0], 0, 0, in_tmp(log, "late-0.log"));
    s[1].port = ss_free_port(); /* nothing there yet */
    snprintf(list, sizeof list, "tcp://127.0.0.1:%u,tcp://127.0.0.1:%u", s[0].port, s[1].port);
    spec_of(spec, &s[1]);
    up = up && s[1].port && start_on_shards(&d, "late", list, "partial", NULL);
    CHECK(up);
    snprintf(warning, sizeof warning, "shard %s is down", spec);
    CHECK(up && sd_log_has(&d, warning));
    json_t *r = search(&d, "water");
    CHECK(partial_without(r, spec));
    CHECK_INT(sd_int(r, "total"), water_part0);
    json_decref(r);
    CHECK(up && ss_tcpsrv_start(&s[1], tcpsrv, two[1], s[1].port, 0, in_tmp(log, "late-1.log")));
    double took = up ? wait_full(&d, "water", water_total, BACK_MS) : -1;
    printf("  started late: whole %.0f ms after the shard's start\n", took);
    CHECK(took >= 0);
    stop(&d);
    ss_kill(&s[1]); /* and now with policy fail */
    char nodb[SD_PATH_BYTES], shards_kv[LIST_BYTES + 16], *out = NULL, *err = NULL;
    snprintf(shards_kv, sizeof shards_kv, "shards=%s", list);
    char *argv[] = {(char *)searchd,
                    "--db",
                    (char *)in_tmp(nodb, "no-index"),
                    "--listen",
                    "127.0.0.1:0",
                    "-o",
                    "http_listen=off",
                    "-o",
                    shards_kv,
                    "-o",
                    "shard_policy=fail",
                    NULL};
    check_run_opts_t opts = {.timeout_ms = RUN_TIMEOUT_MS};
    int rc = check_run(argv, &opts, &out, &err);
    CHECK(rc > 0 && rc < 128);
    CHECK(out && !*out); /* the error goes to stderr */
    /* The message lists every shard, then Xapian's context names the one
     * that failed: "... (context: remote:tcp(127.0.0.1:PORT))". */
    char named[64];
    snprintf(named, sizeof named, "127.0.0.1:%u)", s[1].port);
    CHECK(err && strstr(err, "cannot open the shards") && strstr(err, named));
    printf("  policy fail: exit %d: %.300s", rc, err ? err : "(nothing)\n");
    CHECK(sd_text_clean(err));
    free(out), free(err);
    ss_kill(&s[0]);
}

/* STATS: each shard, remote or not, up with its documents, or down with
 * the error. */
static json_t *shard_stats(sd_conn_t *c, const char *spec) {
    json_t *r = sd_call(c, "STATS"), *one, *found = NULL;
    size_t i;
    json_array_foreach(sd_get(r, "index.shards"), i, one) {
        const char *name = json_string_value(json_object_get(one, "shard"));
        if (name && strcmp(name, spec) == 0) found = json_incref(one);
    }
    json_decref(r);
    return found;
}

static void test_stats(void) {
    ss_server_t s[2];
    sd_daemon_t d = {0};
    char list[LIST_BYTES], spec[2][64];
    bool up = serve(s, two, 2, "stats", 0);
    snprintf(list, sizeof list, "%s,%s", spec_of(spec[0], &s[0]), three[2]);
    spec_of(spec[1], &s[1]);
    snprintf(list + strlen(list), sizeof list - strlen(list), ",%s", spec[1]);
    up = up && start_on_shards(&d, "stats", list, "partial", NULL);
    CHECK(up);
    sd_conn_t *c = up ? sd_connect(d.port) : NULL;
    json_t *r = c ? sd_call(c, "STATS") : NULL;
    CHECK_INT(json_array_size(sd_get(r, "index.shards")), 3);
    CHECK_STR(sd_str(r, "index.path"), list);
    json_decref(r);
    json_t *a = shard_stats(c, spec[0]), *b = shard_stats(c, spec[1]),
           *l = shard_stats(c, three[2]);
    CHECK(json_is_true(json_object_get(a, "remote")) && json_is_true(json_object_get(a, "up")));
    CHECK_INT(sd_int(a, "documents"), two_docs[0]);
    CHECK_INT(sd_int(b, "documents"), two_docs[1]);
    CHECK(json_is_false(json_object_get(l, "remote")) && json_is_true(json_object_get(l, "up")));
    CHECK_INT(sd_int(l, "documents"), 20);
    json_decref(a), json_decref(b), json_decref(l);
    ss_kill(&s[1]);
    json_decref(c ? sd_call(c, "SEARCH water") : NULL); /* finds it down */
    b = shard_stats(c, spec[1]);
    CHECK(json_is_true(json_object_get(b, "remote")) && json_is_false(json_object_get(b, "up")));
    CHECK(sd_str(b, "error") && *sd_str(b, "error") && !json_object_get(b, "documents"));
    printf("  a shard down: %.300s\n", sd_str(b, "error") ? sd_str(b, "error") : "(no error)");
    json_decref(b);
    CHECK(ss_tcpsrv_start(&s[1], tcpsrv, two[1], s[1].port, 0, s[1].log_path));
    bool back = false; /* up again once the shard's retry is due */
    for (double end = check_now_ms() + BACK_MS; !back && check_now_ms() < end; check_sleep_ms(50)) {
        json_decref(c ? sd_call(c, "SEARCH water") : NULL);
        b = shard_stats(c, spec[1]);
        back = json_is_true(json_object_get(b, "up")) && sd_int(b, "documents") == two_docs[1];
        json_decref(b);
    }
    CHECK(back);
    sd_close(c);
    stop(&d);
    unserve(s, 2);
}

/* ---- replication ----------------------------------------------------------------- */

/* One-shot xapian-replicate of master NAME into replica; its output (the
 * copies and changesets it applied) in *out. */
static int replicate(const ss_server_t *server, const char *name, const char *replica, char **out) {
    char port[16];
    snprintf(port, sizeof port, "%u", server->port);
    char *argv[] = {repl_client, "-h", "127.0.0.1",     "-p", port, "-m", (char *)name, "-o", "-v",
                    "-r",        "0",  (char *)replica, NULL};
    check_run_opts_t opts = {.timeout_ms = RUN_TIMEOUT_MS};
    char *err = NULL;
    int rc = check_run(argv, &opts, out, &err);
    if (rc != 0) fprintf(stderr, "xapian-replicate: exit %d: %s%s\n", rc, *out ? *out : "", err);
    free(err);
    return rc;
}

/* A one-article JSON Lines file tmp/NAME, into out. */
static const char *write_article(const char *name, const char *id, const char *title,
                                 char out[SD_PATH_BYTES]) {
    char text[512];
    snprintf(text, sizeof text,
             "{\"id\":\"%s\",\"title\":\"%s\",\"body\":\"%s, reported today.\"}\n", id, title,
             title);
    free(check_write_file(tmp, name, text));
    return in_tmp(out, name);
}

/* An update of the master, replicated: whether the replica took it the
 * way want says ("0 copies, 1 changesets": incremental; "1 copies": whole)
 * and lede-searchd serves the new article within RELOAD_MS. */
static void update_and_follow(const ss_server_t *server, const char *master, const char *replica,
                              const sd_daemon_t *d, const char *mode, const char *id,
                              const char *want) {
    char file[SD_PATH_BYTES], name[64], *out = NULL;
    snprintf(name, sizeof name, "%s.jsonl", id);
    CHECK(index_file(master, write_article(name, id, "Quokka census counts record numbers", file),
                     "--update", mode));
    CHECK_INT(replicate(server, "news", replica, &out), 0);
    printf("  %s update: %s", mode, out ? out : "(no output)\n");
    CHECK(out && strstr(out, want));
    free(out);
    double start = check_now_ms();
    CHECK(wait_doc(d, id, true, RELOAD_MS));
    printf("  served by lede-searchd on the replica after %.0f ms\n", check_now_ms() - start);
}

/* xapian-replicate-server serves the parent of lede's index directory
 * (masters/news), the master named by the directory's name: Xapian opens
 * the directory's XAPIANDB stub, so the live generation is what is
 * replicated. lede-indexer writes changesets when XAPIAN_MAX_CHANGESETS
 * is set, so a direct update reaches the replica as a changeset; a bulk
 * update (a new generation, another UUID) as a whole copy. lede-searchd
 * serving the replica directory follows both. */
static void test_replication(void) {
    char masters[SD_PATH_BYTES], master[SD_PATH_BYTES], replica[SD_PATH_BYTES];
    char log[SD_PATH_BYTES], part[SD_PATH_BYTES], *out = NULL;
    ss_server_t server = {0};
    sd_daemon_t d = {0};
    setenv("XAPIAN_MAX_CHANGESETS", "10", 1); /* lede-indexer's children inherit it */
    mkdir(in_tmp(masters, "masters"), 0755);
    sd_path(master, masters, "news");
    in_tmp(replica, "replica");
    bool up = index_file(master, in_tmp(part, "part2-0.jsonl"), NULL, NULL) &&
              ss_replicate_server_start(&server, repl_server, masters, 0, in_tmp(log, "repl.log"));
    up = up && replicate(&server, "news", replica, &out) == 0;
    CHECK(up && out && strstr(out, "1 copies"));
    free(out);
    up = up && sd_start(&d, searchd, replica, in_tmp(log, "replica.log"), NULL);
    CHECK(up);
    CHECK_INT(up ? total_of(&d, "water") : -1, water_part0);
    if (up) {
        update_and_follow(&server, master, replica, &d, "direct", "repl-1",
                          "0 copies, 1 changesets");
        update_and_follow(&server, master, replica, &d, "bulk", "repl-2", "1 copies");
        CHECK(wait_full(&d, "quokka", 2, 1) >= 0);
    }
    stop(&d);
    ss_kill(&server);
    unsetenv("XAPIAN_MAX_CHANGESETS");
}

/* ---- main ------------------------------------------------------------------------- */

static bool find_tools(void) {
    if (sd_find_program("xapian-tcpsrv", tcpsrv) &&
        sd_find_program("xapian-replicate-server", repl_server) &&
        sd_find_program("xapian-replicate", repl_client))
        return true;
    printf("SKIP: test_shards needs xapian-tcpsrv, xapian-replicate-server and xapian-replicate "
           "on PATH (Debian's xapian-tools; scripts/setup.sh installs it)\n");
    return false;
}

static bool set_up(void) {
    tmp = check_tmpdir("shards");
    return index_file(in_tmp(mono, "one"), articles, NULL, NULL) &&
           build_shards(2, two, two_docs) && build_shards(3, three, NULL) &&
           (water_total = total_on(mono, "water")) > 0 &&
           (water_part0 = total_on(two[0], "water")) > 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: test_shards LEDE-SEARCHD LEDE-INDEXER ARTICLES.jsonl\n");
        return 2;
    }
    searchd = argv[1], indexer = argv[2], articles = argv[3];
    if (!find_tools()) return 77;
    if (!set_up()) {
        fprintf(stderr, "could not build the test indexes (in %s)\n", tmp);
        return 1;
    }
    double start = check_now_ms();
    RUN(test_equal);
    RUN(test_equal_list_facets);
    RUN(test_no_summaries);
    RUN(test_killed);
    RUN(test_replicas);
    RUN(test_stopped);
    RUN(test_cut_off);
    RUN(test_idle);
    RUN(test_rebuilt);
    RUN(test_rebuilt_after_down);
    RUN(test_down_at_start);
    RUN(test_stats);
    RUN(test_replication);
    printf("%.1f s\n", (check_now_ms() - start) / 1000);
    if (check_failures == 0)
        check_rmtree(tmp); /* frees tmp */
    else
        printf("logs kept in %s\n", tmp), free(tmp);
    return check_summary();
}
