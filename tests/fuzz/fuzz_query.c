/* Fuzz target for the query path: requests as a connection sends them
 * (common/protocol.c), run the way a worker runs them (request_execute:
 * the search, get, similar and suggest handlers over common/search.c and the
 * shim's query parser and matcher) against a small real Xapian index,
 * built once per process in a temporary directory from a few invented
 * articles. Each request runs under the daemon's query time limit. Every
 * reply must be one line of JSON with "ok", and an error must say which
 * (a code and a message); anything else aborts. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "lede/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Requests run per input, so one input costs a bounded time. */
#define FUZZ_MAX_REQUESTS 4

/* The time budget of one request (query_timeout_ms). */
#define FUZZ_QUERY_TIMEOUT_MS 500

/* Invented articles: every field filled somewhere, shared words and near
 * spellings for phrases, similar and "did you mean". */
static const char *const ARTICLES[] = {
    "{\"id\":\"q1\",\"title\":\"Harbour ferry strike ends after nine days\",\"body\":\"Ferry crews "
    "returned to work on Monday after the union accepted a pay offer.\\n\\nCommuters crowded the "
    "first crossing.\",\"author\":[\"Tamsin Orlo\",\"Bede Karr\"],\"source\":\"Coast Courier\","
    "\"date\":\"2023-05-08T07:15:00Z\",\"category\":\"Transport\",\"tags\":[\"strike\",\"ferry\"],"
    "\"places\":[\"Wellmouth\"],\"url\":\"https://example.org/q1\"}",
    "{\"id\":\"q2\",\"title\":\"Ferry timetable cut for winter\",\"body\":\"The harbour board will "
    "run four crossings a day from November, down from nine.\",\"author\":\"Bede Karr\","
    "\"source\":\"Coast Courier\",\"date\":\"2022-10-30\",\"category\":\"Transport\","
    "\"tags\":[\"ferry\"],\"places\":[\"Wellmouth\",\"Skerran Isle\"]}",
    "{\"id\":\"q3\",\"title\":\"Orchard growers count frost damage\",\"body\":\"A late frost "
    "blackened apple blossom across the valley; growers expect a smaller harvest.\","
    "\"author\":\"Ines Vadla\",\"source\":\"Valley Post\",\"date\":\"2021-04-20T18:00:00+02:00\","
    "\"category\":\"Farming\",\"tags\":[\"frost\",\"apples\"],\"places\":[\"Amber Vale\"],"
    "\"language\":\"en\"}",
    "{\"id\":\"q4\",\"title\":\"Library reopens with a rooftop reading garden\",\"body\":\"After "
    "two years of repairs the central library opened its doors, and its garden, to readers.\","
    "\"source\":\"Valley Post\",\"date\":\"2023-01-15\",\"category\":\"Culture\","
    "\"tags\":[\"libraries\"],\"desk\":\"city\"}",
    "{\"id\":\"q5\",\"title\":\"Council debates harbour dredging costs\",\"body\":\"Councillors "
    "argued for three hours over who should pay to dredge the harbour channel before the ferry "
    "season.\",\"author\":\"Tamsin Orlo\",\"source\":\"Wellmouth Gazette\",\"date\":\"--03-30\","
    "\"category\":\"Politics\",\"places\":[\"Wellmouth\"]}",
    "{\"id\":7,\"title\":\"Night trains return to the coast line\",\"body\":\"Sleeper services "
    "resume in June, the rail operator said, with two departures a week.\","
    "\"source\":\"Rail Notes\",\"date\":\"2024-02-29T23:59:59Z\",\"tags\":\"rail\"}",
    "{\"id\":\"q8\",\"body\":\"Short item without a title: the harbour light was repaired.\","
    "\"date\":\"1999-12-31T23:00:00-05:00\"}",
    "{\"id\":\"q9 \\u00e9t\\u00e9\",\"title\":\"\\u00c9t\\u00e9 indien sur la c\\u00f4te\","
    "\"body\":\"Des temp\\u00e9ratures de saison d\\u00e9pass\\u00e9es; na\\u00efve caf\\u00e9 "
    "z\\u00fcrich \\u65e5\\u672c.\",\"source\":\"Coast Courier\",\"date\":\"2023-09-21\"}",
};

static char index_dir[256];
static shim_db_t *db;
static request_env_t env;
static proto_limits_t limits;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_index(void) {
    if (index_dir[0]) nftw(index_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void add_article(shim_writer_t *w, const char *json, uint64_t stamp) {
    char *data;
    lede_err_t why;
    lede_article_t a;
    shim_doc_t doc;
    if (article_from_json(json, strlen(json), &a, &why) != LEDE_OK) {
        fprintf(stderr, "fuzz_query: bad invented article: %s\n", why.msg);
        abort();
    }
    if (convert_document(&a, stamp, &doc, &data) != LEDE_OK || shim_writer_add(w, &doc) != LEDE_OK)
        abort();
    free(data);
    article_free(&a);
}

/* The index and the daemon's settings, once per process. */
static void setup(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(index_dir, sizeof index_dir, "%s/lede-fuzz-query-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(index_dir)) abort();
    atexit(remove_index);
    char path[300], *err = NULL;
    snprintf(path, sizeof path, "%s/db", index_dir);
    shim_writer_opts_t o = {.path = path, .flags = SHIM_WRITER_CREATE, .spelling = true};
    shim_writer_t *w;
    if (shim_writer_open(&o, &w, &err) != LEDE_OK) abort();
    for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0]; i++)
        add_article(w, ARTICLES[i], i);
    if (shim_writer_close(w, false, &err) != LEDE_OK || shim_db_open(path, &db, &err) != LEDE_OK)
        abort();
    env.limits = request_limits_default();
    env.limits.timeout_ms = FUZZ_QUERY_TIMEOUT_MS;
    /* lede-searchd's defaults (searchd/config.c) */
    limits = (proto_limits_t){.max_line = 65536,
                              .max_limit = 100,
                              .max_offset = 10000,
                              .default_limit = PROTO_DEFAULT_LIMIT};
}

/* One line of JSON: {"ok":true,...} or {"ok":false,"error":{"code":..,"message":..}}. */
static void check_reply(const char *reply, size_t len) {
    if (!reply || !len || reply[len - 1] != '\n' || memchr(reply, '\n', len) != reply + len - 1)
        abort();
    json_t *r = json_loadb(reply, len, 0, NULL), *ok = json_object_get(r, "ok");
    if (!json_is_boolean(ok)) abort();
    json_t *e = json_object_get(r, "error");
    if (json_is_false(ok) && (!json_is_string(json_object_get(e, "code")) ||
                              !json_string_length(json_object_get(e, "message"))))
        abort();
    json_decref(r);
}

static void run(proto_request_t *req) {
    request_reply_t reply;
    request_execute(db, &env, req, request_now(), &reply);
    check_reply(reply.line, reply.len);
    free(reply.line);
    proto_request_free(req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!db) setup();
    char *buf = malloc(size + 1); /* the end of the input ends a line */
    if (!buf) return 0;
    memcpy(buf, data, size);
    if (!size || buf[size - 1] != '\n') buf[size++] = '\n';
    for (size_t off = 0, done = 0; off < size && done < FUZZ_MAX_REQUESTS; done++) {
        proto_request_t req;
        proto_error_t err;
        size_t used = 0;
        proto_result_t r = proto_parse(buf + off, size - off, &limits, &req, &used, &err);
        if (r != PROTO_OK)
            proto_error_free(&err);
        else if (req.op <= PROTO_OP_SUGGEST)
            run(&req);
        else
            proto_request_free(&req);
        if (r == PROTO_NEED_MORE || r == PROTO_FATAL || used == 0) break;
        off += used;
    }
    free(buf);
    return 0;
}
