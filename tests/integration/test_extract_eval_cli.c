/* lede-extract-eval end to end on a tiny dev set made here (never the
 * real one): it runs the real lede-indexer once over the folder, reads the
 * documents back and reports figures that agree with its own per-page
 * verdicts; a page with no document fails every field; floors, skips and
 * bad command lines give the documented exit statuses and messages. */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../unit/check.h"

static const char *tool, *indexer;
static char *dev; /* the dev set made by make_dev() */

/* A plain page: headline, byline, three paragraphs, furniture. */
static const char ALPHA[] = "Council approves new harbour bridge\n"
                            "\n"
                            "The town council voted on Tuesday to build a new bridge across the "
                            "harbour, ending a debate that lasted ten years.\n"
                            "\n"
                            "Work will start next spring and take three years, the mayor said.\n"
                            "\n"
                            "The bridge will carry cyclists and buses only.\n";

static const char BETA[] = "Library reopens after flood repairs\n"
                           "\n"
                           "The central library reopened on Monday after six months of repairs "
                           "to its flooded basement.\n"
                           "\n"
                           "Leave a review\n";

#define TRUTH_COMMON                                                                               \
    "\"truncated\":false,\"author\":[],\"date\":null,\"source\":\"Example News\","                 \
    "\"source_in_text\":false,\"category\":null,\"place\":[],\"captions\":[],\"meta_lines\":[],"   \
    "\"sidebar\":[],\"sidebar_items\":0"

static const char TRUTH_TEXT[] =
    "{\"file\":\"alpha.txt\",\"group\":\"other\",\"host\":\"ex.com\","
    "\"title\":\"Council approves new harbour bridge\","
    "\"first_body_words\":\"The town council voted on Tuesday\","
    "\"last_body_words\":\"carry cyclists and buses only\",\"furniture\":[]," TRUTH_COMMON "}\n"
    "{\"file\":\"beta.txt\",\"group\":\"other\",\"host\":\"ex.com\","
    "\"title\":\"Library reopens after flood repairs\","
    "\"first_body_words\":\"The central library reopened\","
    "\"last_body_words\":\"to its flooded basement\",\"furniture\":[\"Leave a "
    "review\"]," TRUTH_COMMON "}\n"
    /* Listed in the truth, absent from the folder: a page with no document. */
    "{\"file\":\"gamma.txt\",\"group\":\"other\",\"host\":\"ex.com\",\"title\":\"Gone\","
    "\"first_body_words\":\"a\",\"last_body_words\":\"b\",\"furniture\":[\"x\"]," TRUTH_COMMON
    "}\n";

static const char ONE_HTML[] = "<html><head><title>Port news</title></head><body><h1>Port "
                               "expands</h1><p>The port will add two berths next year.</p>"
                               "</body></html>\n";

static const char TRUTH_HTML[] =
    "{\"file\":\"html/one.html\",\"page\":\"one\",\"group\":\"other\",\"host\":\"ex.org\","
    "\"title\":\"Port expands\",\"first_body_words\":\"The port will add\","
    "\"last_body_words\":\"two berths next "
    "year\",\"furniture\":[],\"unjudged\":[\"category\"]," TRUTH_COMMON "}\n";

static const char EXPECTED_HTML[] = "<div><p>The port will add two berths next year.</p></div>";

static void mkdir_in(const char *dir, const char *name) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mkdir(path, 0755);
}

static void put(const char *dir, const char *name, const char *text) {
    free(check_write_file(dir, name, text));
}

static char *make_dev(void) {
    char *dir = check_tmpdir("extract-dev");
    mkdir_in(dir, "text");
    mkdir_in(dir, "html");
    mkdir_in(dir, "html-readability");
    mkdir_in(dir, "html-readability/one");
    put(dir, "text/alpha.txt", ALPHA);
    put(dir, "text/beta.txt", BETA);
    put(dir, "truth-text.jsonl", TRUTH_TEXT);
    put(dir, "html/one.html", ONE_HTML);
    put(dir, "truth-html.jsonl", TRUTH_HTML);
    put(dir, "html-readability/one/expected.html", EXPECTED_HTML);
    return dir;
}

/* Runs the tool with a NULL-terminated argument list. */
static int run_tool(char **out, char **err, ...) {
    char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, err);
    argv[n++] = (char *)tool;
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return check_run(argv, NULL, out, err);
}

#define TOOL_RUN(out, err, ...) run_tool(out, err, __VA_ARGS__, (char *)NULL)

static json_t *set_of(json_t *report, const char *name) {
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(report, "sets"), i, s) {
        if (strcmp(json_string_value(json_object_get(s, "set")), name) == 0) return s;
    }
    return NULL;
}

static json_int_t get_int(json_t *o, const char *path) {
    return json_integer_value(json_object_get(o, path));
}

/* Every field's pass count in "all" is the number of pages that pass it. */
static void check_tally_matches_pages(json_t *set) {
    const char *field;
    json_t *counts;
    json_object_foreach(json_object_get(json_object_get(set, "all"), "fields"), field, counts) {
        json_int_t pass = 0, total = 0;
        size_t i;
        json_t *page;
        json_array_foreach(json_object_get(set, "page_results"), i, page) {
            json_t *v = json_object_get(json_object_get(page, "fields"), field);
            if (!v) continue;
            total++;
            pass += json_is_true(json_object_get(v, "pass"));
        }
        CHECK_INT(get_int(counts, "pass"), pass);
        CHECK_INT(get_int(counts, "total"), total);
    }
}

static json_t *page_of(json_t *set, const char *id) {
    size_t i;
    json_t *page;
    json_array_foreach(json_object_get(set, "page_results"), i, page) {
        if (strcmp(json_string_value(json_object_get(page, "id")), id) == 0) return page;
    }
    return NULL;
}

static void test_scores(void) {
    char *out = NULL, *err = NULL;
    int rc = TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--json");
    CHECK_INT(rc, 0);
    json_t *report = json_loads(out ? out : "", 0, NULL);
    CHECK(report != NULL);
    json_t *text = set_of(report, "text"), *html = set_of(report, "html");
    CHECK(text && html);
    if (!text || !html) goto done;
    CHECK_INT(get_int(text, "pages"), 3);
    CHECK_INT(get_int(text, "documents"), 2); /* alpha and beta, one each */
    const char *summary =
        json_string_value(json_object_get(json_object_get(text, "indexer"), "summary"));
    CHECK(summary && strstr(summary, "lede-indexer: added 2,")); /* one run over the folder */
    CHECK_INT(get_int(json_object_get(text, "all"), "missing"), 1);
    check_tally_matches_pages(text);
    check_tally_matches_pages(html);
    json_t *alpha = json_object_get(page_of(text, "alpha"), "fields");
    CHECK(json_is_true(json_object_get(json_object_get(alpha, "title"), "pass")));
    CHECK(json_is_true(json_object_get(json_object_get(alpha, "no_stray_docs"), "pass")));
    CHECK(!json_object_get(alpha, "furniture")); /* nothing listed: not scored */
    /* The missing page fails every field the truth scores it on. */
    const char *field;
    json_t *v;
    json_object_foreach(json_object_get(page_of(text, "gamma"), "fields"), field, v) {
        CHECK(json_is_false(json_object_get(v, "pass")));
        CHECK_STR(json_string_value(json_object_get(v, "got")), "no document");
    }
    json_t *f1 = json_object_get(page_of(html, "one"), "body_f1");
    CHECK(json_is_object(f1));
    CHECK(!json_object_get(json_object_get(page_of(html, "one"), "fields"), "category"));
done:
    json_decref(report);
    free(out);
    free(err);
}

static void test_markdown_and_failures(void) {
    char *out = NULL, *err = NULL;
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--set", "text", "-v"), 0);
    CHECK(out && strstr(out, "## Page extraction: text set"));
    CHECK(out && strstr(out, "| field | all | % |"));
    CHECK(out && strstr(out, "#### pages without a document: 1\n\n- gamma (gamma.txt)"));
    CHECK(out && !strstr(out, "html set"));
    CHECK(err && strstr(err, "gamma.txt is not there"));
    free(out);
    free(err);
}

static void test_floors(void) {
    char *out = NULL, *err = NULL;
    char *dir = check_tmpdir("extract-floors");
    char *ok = check_write_file(dir, "ok.txt", "text no_stray_docs 2\ntext title 50%\n");
    char *high = check_write_file(dir, "high.txt",
                                  "text title 3\n# gamma has no document\n"
                                  "text invented.author <=0\n");
    char *bad = check_write_file(dir, "bad.txt", "text title\n");
    CHECK_INT(
        TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--set", "text", "--floors", ok),
        0);
    free(out), free(err);
    CHECK_INT(
        TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--set", "text", "--floors", high),
        1);
    CHECK(err && strstr(err, "text title: 2/3 pages (66.7%), below its floor 3"));
    CHECK(err && strstr(err, "high.txt:1)"));
    CHECK(err && strstr(err, "1 figure broke its floor or ceiling"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--floors", bad), 2);
    CHECK(err && strstr(err, "bad.txt:1: want 'SET FIELD BOUND'"));
    free(out), free(err);
    free(ok), free(high), free(bad);
    check_rmtree(dir);
}

static void test_errors(void) {
    char *out = NULL, *err = NULL;
    CHECK_INT(
        TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", "/nonexistent/dev", "--skip-missing"),
        77);
    CHECK(out && strstr(out, "skipped: the extraction dev set /nonexistent/dev is not there"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", "/nonexistent/dev"), 2);
    CHECK(err && strstr(err, "--dev /nonexistent/dev: no such directory"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--set", "pdf"), 2);
    CHECK(err && strstr(err, "bad value 'pdf' for --set"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--dev", dev), 2);
    CHECK(err && strstr(err, "--indexer is required"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", "/nonexistent/lede-indexer", "--dev", dev), 2);
    CHECK(err && strstr(err, "not an executable file"));
    free(out), free(err);
    /* A stuck indexer is killed and named. */
    char *slow_dir = check_tmpdir("extract-slow");
    char *slow = check_write_file(slow_dir, "slow-indexer", "#!/bin/sh\nexec sleep 30\n");
    chmod(slow, 0755);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", slow, "--dev", dev, "--timeout", "1"), 2);
    CHECK(err && strstr(err, "did not finish in 1 s: killed (--timeout)"));
    free(out), free(err);
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", dev, "--timeout", "soon"), 2);
    CHECK(err && strstr(err, "bad value 'soon' for --timeout"));
    free(out), free(err);
    free(slow);
    check_rmtree(slow_dir);
    /* A malformed truth line is named by file and line. */
    char *broken = check_tmpdir("extract-broken");
    mkdir_in(broken, "text");
    put(broken, "truth-text.jsonl", "{\"file\":\"a.txt\",\"title\":3}\n");
    CHECK_INT(TOOL_RUN(&out, &err, "--indexer", indexer, "--dev", broken, "--set", "text"), 2);
    CHECK(err && strstr(err, "truth-text.jsonl:1: field 'title' must be a string or null"));
    free(out), free(err);
    check_rmtree(broken);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s LEDE-EXTRACT-EVAL LEDE-INDEXER\n", argv[0]);
        return 2;
    }
    tool = argv[1];
    indexer = argv[2];
    dev = make_dev();
    RUN(test_scores);
    RUN(test_markdown_and_failures);
    RUN(test_floors);
    RUN(test_errors);
    check_rmtree(dev);
    return check_summary();
}
