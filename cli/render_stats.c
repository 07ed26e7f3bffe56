/* The daemon's STATS reply as a summary a person can read at a glance:
 * what it serves, how busy it is, what went wrong. Counters the summary
 * does not know by name are listed too, so that none is hidden. */
#include <math.h>
#include <string.h>

#include "term.h"

/* Members of the reply shown on a line of their own. */
static const char *const KNOWN[] = {
    "ok",  "uptime_s",   "version",      "protocol", "index",       "requests_total", "requests",
    "qps", "latency_ms", "errors_total", "errors",   "connections", "reloads"};
#define N_KNOWN (sizeof KNOWN / sizeof KNOWN[0])

static void label(FILE *out, const render_opts_t *o, const char *name) {
    fprintf(out, "%s%-12s%s ", term_sgr(o, TERM_DIM), name, term_sgr(o, TERM_RESET));
}

static long long num(json_t *obj, const char *key) {
    return (long long)json_number_value(json_object_get(obj, key));
}

/* "2 h 5 min", "3 d 4 h", "12 s". */
static void put_uptime(FILE *out, double s) {
    long long t = (long long)s;
    if (t < 60)
        fprintf(out, "%lld s", t);
    else if (t < 3600)
        fprintf(out, "%lld min %lld s", t / 60, t % 60);
    else if (t < 86400)
        fprintf(out, "%lld h %lld min", t / 3600, t % 3600 / 60);
    else
        fprintf(out, "%lld d %lld h", t / 86400, t % 86400 / 3600);
}

/* "search 10, get 2": the numbers in obj, the zeros left out unless all;
 * inside "(...)" when paren and there are any. Whether any were written. */
static bool put_counts(FILE *out, json_t *obj, bool all, bool paren) {
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach(obj, k, v) {
        if (!json_is_number(v) || (!all && json_number_value(v) == 0)) continue;
        fputs(first ? (paren ? " (" : "") : ", ", out);
        double d = json_number_value(v);
        if (d == floor(d))
            fprintf(out, "%s %lld", k, (long long)d);
        else
            fprintf(out, "%s %.2f", k, d);
        first = false;
    }
    if (!first && paren) fputc(')', out);
    return !first;
}

/* The index served, or why it cannot be read (lede-searchd's error names
 * the path). */
static void put_index(FILE *out, const render_opts_t *o, json_t *index) {
    label(out, o, "index");
    if (json_is_false(json_object_get(index, "up"))) {
        fprintf(out, "%sDOWN: %s%s\n", term_sgr(o, TERM_BOLD), term_str(index, "error"),
                term_sgr(o, TERM_RESET));
        return;
    }
    fprintf(out, "%lld documents, revision %lld, %s (%s)\n", num(index, "documents"),
            num(index, "revision"), term_str(index, "language"), term_str(index, "path"));
}

static void put_traffic(FILE *out, const render_opts_t *o, json_t *s) {
    label(out, o, "requests");
    fprintf(out, "%lld", num(s, "requests_total"));
    put_counts(out, json_object_get(s, "requests"), false, true);
    fprintf(out, ", %.2f a second over the last minute\n",
            json_number_value(json_object_get(s, "qps")));
    json_t *lat = json_object_get(s, "latency_ms");
    label(out, o, "latency");
    fprintf(out, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
            json_number_value(json_object_get(lat, "p50")),
            json_number_value(json_object_get(lat, "p95")),
            json_number_value(json_object_get(lat, "p99")));
    label(out, o, "errors");
    fprintf(out, "%lld", num(s, "errors_total"));
    put_counts(out, json_object_get(s, "errors"), false, true);
    fputc('\n', out);
    json_t *conn = json_object_get(s, "connections");
    label(out, o, "connections");
    fprintf(out, "%lld open, %lld in all", num(conn, "current"), num(conn, "total"));
    json_t *rest = json_deep_copy(conn);
    json_object_del(rest, "current");
    json_object_del(rest, "total");
    put_counts(out, rest, false, true);
    json_decref(rest);
    fputc('\n', out);
}

/* Every other member: plain counters on one line, groups on their own. */
static void put_others(FILE *out, const render_opts_t *o, json_t *s) {
    const char *k;
    json_t *v;
    json_t *plain = json_object();
    json_object_foreach(s, k, v) {
        bool known = false;
        for (size_t i = 0; i < N_KNOWN; i++) known |= !strcmp(k, KNOWN[i]);
        if (known) continue;
        if (json_is_number(v)) {
            json_object_set(plain, k, v);
        } else if (json_is_object(v)) {
            label(out, o, k);
            if (!put_counts(out, v, true, false)) fputs("none", out);
            fputc('\n', out);
        }
    }
    label(out, o, "reloads");
    fprintf(out, "%lld\n", num(s, "reloads"));
    if (json_object_size(plain)) {
        label(out, o, "counters");
        put_counts(out, plain, true, false);
        fputc('\n', out);
    }
    json_decref(plain);
}

void render_stats(FILE *out, const render_opts_t *o, json_t *s) {
    fprintf(out, "%slede-searchd %s%s, protocol %lld, up ", term_sgr(o, TERM_BOLD),
            term_str(s, "version"), term_sgr(o, TERM_RESET), num(s, "protocol"));
    put_uptime(out, json_number_value(json_object_get(s, "uptime_s")));
    fputc('\n', out);
    put_index(out, o, json_object_get(s, "index"));
    put_traffic(out, o, s);
    put_others(out, o, s);
}
