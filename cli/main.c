/* lede: search news from the command line.
 *
 * Each command becomes one line-protocol request (docs/protocol.md). It is
 * sent to a running lede-searchd, or, with --db DIR, run in this process
 * through the same parser and executor the daemon uses: either way the
 * reply is the same JSON, shown for a person or, with --json, as is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "lede/protocol.h"
#include "lede/request.h"
#include "options.h"
#include "render.h"

#define REPLY_TIMEOUT_MS 30000

static int fail(const char *what, const char *detail) {
    fprintf(stderr, "lede: %s%s\n", what, detail ? detail : "");
    return CLI_EXIT_ERROR;
}

/* Runs the request line in this process, exactly as a worker would. */
static lede_status_t call_local(const char *db_path, const char *line, char **out,
                                lede_err_t *err) {
    proto_limits_t lim = {.max_line = 1u << 20,
                          .max_limit = 100000,
                          .max_offset = 10000000,
                          .default_limit = PROTO_DEFAULT_LIMIT};
    proto_request_t req;
    proto_error_t perr;
    size_t used;
    if (proto_parse(line, strlen(line), &lim, &req, &used, &perr) != PROTO_OK) {
        size_t len;
        *out = request_error_line(perr.id, perr.code, perr.message, &len);
        proto_error_free(&perr);
        return *out ? LEDE_OK : lede_errf(err, LEDE_E_NOMEM, "out of memory");
    }
    shim_db_t *db = NULL;
    char *msg = NULL;
    if (shim_db_open(db_path, &db, &msg) != LEDE_OK) {
        lede_errf(
            err, LEDE_E_OPEN,
            "cannot open the index at %s: %s; build one with: lede-indexer --db %s ARTICLES.jsonl",
            db_path, msg ? msg : "out of memory", db_path);
        free(msg);
        proto_request_free(&req);
        return LEDE_E_OPEN;
    }
    request_env_t env = {.limits = request_limits_default()};
    request_reply_t reply;
    request_execute(db, &env, &req, request_now(), &reply); /* not queued: the whole budget */
    shim_db_close(db);
    proto_request_free(&req);
    *out = reply.line;
    return reply.line ? LEDE_OK : lede_errf(err, LEDE_E_NOMEM, "out of memory");
}

static long long offset_of(const cli_t *c) {
    return json_integer_value(json_object_get(c->req, "offset"));
}

/* 0 when the reply carries results, 1 when it has none (no such article,
 * or an offset past the last hit), 2 for any other error. */
static int exit_code(const cli_t *c, json_t *reply) {
    if (!json_is_true(json_object_get(reply, "ok"))) {
        const char *code =
            json_string_value(json_object_get(json_object_get(reply, "error"), "code"));
        return code && !strcmp(code, "not_found") ? CLI_EXIT_NONE : CLI_EXIT_ERROR;
    }
    json_t *hits = json_object_get(reply, "hits"), *words = json_object_get(reply, "suggestions");
    if (hits) {
        bool past_end = json_array_size(hits) == 0 && offset_of(c) > 0;
        return json_array_size(hits) ||
                       (json_integer_value(json_object_get(reply, "total")) && !past_end)
                   ? CLI_EXIT_HITS
                   : CLI_EXIT_NONE;
    }
    if (words)
        return json_array_size(words) || json_array_size(json_object_get(reply, "titles"))
                   ? CLI_EXIT_HITS
                   : CLI_EXIT_NONE;
    return CLI_EXIT_HITS;
}

static void show_suggestions(json_t *reply) {
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(reply, "suggestions"), i, v)
        printf("%s\n", json_string_value(v));
    json_array_foreach(json_object_get(reply, "titles"), i, v)
        printf("  %s [%s]\n", json_string_value(json_object_get(v, "title")),
               json_string_value(json_object_get(v, "id")));
}

static void show(const cli_t *c, json_t *reply) {
    render_opts_t ro = render_detect(stdout, c->color);
    switch (c->cmd) {
    case CMD_GET:
        render_article(stdout, &ro, json_object_get(reply, "doc"));
        break;
    case CMD_SUGGEST:
        show_suggestions(reply);
        break;
    case CMD_PING:
        puts("pong");
        break;
    case CMD_STATS:
        render_stats(stdout, &ro, reply);
        break;
    case CMD_SEARCH:
    case CMD_SIMILAR:
        render_search(stdout, &ro, reply, offset_of(c));
        break;
    }
}

static int report(const cli_t *c, const char *text) {
    json_t *reply = json_loads(text, 0, NULL);
    if (!reply) {
        fprintf(stderr, "lede: the server sent something that is not JSON: %.200s\n", text);
        return CLI_EXIT_ERROR;
    }
    bool ok = json_is_true(json_object_get(reply, "ok"));
    if (c->json) {
        puts(text);
    } else if (ok) {
        show(c, reply);
    } else {
        json_t *error = json_object_get(reply, "error");
        fprintf(stderr, "lede: %s: %s\n", json_string_value(json_object_get(error, "code")),
                json_string_value(json_object_get(error, "message")));
    }
    int rc = exit_code(c, reply);
    json_decref(reply);
    return rc;
}

/* Sends the request (to the daemon or the index) and shows the reply. */
static int run(const cli_t *c) {
    char *line = json_dumps(c->req, JSON_COMPACT);
    size_t n = line ? strlen(line) : 0;
    char *framed = line ? realloc(line, n + 2) : NULL;
    if (!framed) return free(line), fail("out of memory", NULL);
    framed[n] = '\n', framed[n + 1] = '\0';
    lede_err_t err = {""};
    char *reply = NULL;
    lede_status_t st = c->db
                           ? call_local(c->db, framed, &reply, &err)
                           : client_call(c->host, c->port, framed, REPLY_TIMEOUT_MS, &reply, &err);
    free(framed);
    if (st != LEDE_OK) return fail(err.msg, NULL);
    size_t len = strlen(reply);
    if (len && reply[len - 1] == '\n') reply[len - 1] = '\0';
    int rc = report(c, reply);
    free(reply);
    return rc;
}

int main(int argc, char **argv) {
    cli_t c;
    int rc = cli_parse(&c, argc, argv);
    if (rc == CLI_GO) rc = run(&c);
    cli_free(&c);
    return rc;
}
