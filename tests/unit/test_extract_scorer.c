/* Unit tests for the extraction scorer (bench/extract/): normalisation,
 * tokens (CJK included), sets, dates and zones, the per-field checks and
 * the leak rules, the truth reader, the HTML reference text and the
 * floors. Tiny hand-made pages and truths only; none of the dev set. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "checks.h"
#include "dates.h"
#include "docs.h"
#include "floors.h"
#include "forms.h"
#include "htmltext.h"
#include "norm.h"
#include "tally.h"
#include "tokens.h"
#include "truth.h"

#define ERR_BYTES 512
#define EPSILON 1e-9

/* The tokens of s joined by "|". Caller frees. */
static char *toks(const char *s) {
    norm_tokens_t t;
    norm_tokenize(s, &t);
    size_t cap = strlen(t.buf ? t.buf : "") + 1;
    for (size_t i = 0; i < t.n; i++) cap += strlen(norm_token(&t, i)) + 1;
    char *out = calloc(1, cap + 1);
    for (size_t i = 0; i < t.n; i++) {
        if (i) strcat(out, "|");
        strcat(out, norm_token(&t, i));
    }
    norm_tokens_free(&t);
    return out;
}

#define CHECK_NORM(in, want)                                                                       \
    do {                                                                                           \
        char *got_ = norm_text(in);                                                                \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

#define CHECK_TRIMMED(in, want)                                                                    \
    do {                                                                                           \
        char *got_ = norm_trimmed(in);                                                             \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

#define CHECK_TOKS(in, want)                                                                       \
    do {                                                                                           \
        char *got_ = toks(in);                                                                     \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

static void test_normalise(void) {
    CHECK_NORM("  Hello\t\n  World  ", "hello world");
    CHECK_NORM("ﬁne ＡＢ", "fine ab"); /* a ligature, fullwidth letters */
    CHECK_NORM("“Quoted” ‘it’s’", "\"quoted\" 'it's'");
    CHECK_NORM("a – b — c − d", "a - b - c - d");
    CHECK_NORM("«Georgian case»", "\"georgian case\"");
    CHECK_NORM("non\xC2\xA0"
               "breaking",
               "non breaking"); /* NBSP */
    CHECK_NORM("Straße ÉTÉ", "strasse été");
    CHECK_NORM("e\xCC\x81", "é"); /* e and a combining acute */
    CHECK_NORM("bad\xFF\xFEtext", "badtext");
    CHECK_NORM(NULL, "");
    CHECK_TRIMMED("LONGMONT, Colo.", "longmont, colo");
    CHECK_TRIMMED("Baku ,", "baku");
    CHECK_TRIMMED("- John Cleveland", "- john cleveland"); /* leading punctuation stays */
    CHECK_TRIMMED("...", "");
    CHECK_INT(norm_chars("été"), 3);
}

static void test_tokens(void) {
    CHECK_TOKS("Hello, world_1 -- 2.5%!", "hello|world_1|2|5");
    CHECK_TOKS("U.S. ‘Alarmed’", "u|s|alarmed");
    CHECK_TOKS("２０１４", "2014"); /* fullwidth digits */
    /* A run of Han is one token; a Latin word touching it is another. */
    CHECK_TOKS("DeepMind新电脑 ok", "deepmind|新电脑|ok");
    CHECK_TOKS("谷歌(微博) 在2014年", "谷歌|微博|在|2014|年");
    /* Chinese punctuation splits a run; kana and Hangul are CJK too. */
    CHECK_TOKS("你好，世界", "你好|世界");
    CHECK_TOKS("かなカナ abc", "かなカナ|abc");
    CHECK_TOKS("한국어 말", "한국어|말");
    /* Combining marks continue a word (Devanagari vowel signs). */
    CHECK_TOKS("हिन्दी x", "हिन्दी|x");
    CHECK_TOKS("", "");
    CHECK_TOKS("-- ... --", "");
}

static norm_tokens_t T(const char *s) {
    norm_tokens_t t;
    norm_tokenize(s, &t);
    return t;
}

static void test_token_rules(void) {
    norm_tokens_t body = T("WASHINGTON (Reuters) - A group of senators met. More to come.");
    norm_tokens_t start = T("Washington (Reuters) – a group"), end = T("more to come");
    norm_tokens_t other = T("a group of"), none = T("--");
    CHECK(tokens_start_with(&body, &start));
    CHECK(!tokens_start_with(&body, &other));
    CHECK(tokens_end_with(&body, &end));
    CHECK(!tokens_end_with(&end, &body)); /* longer than what it is looked for in */
    CHECK(tokens_contain(&body, &other, 12));
    CHECK(!tokens_contain(&body, &none, 12));
    norm_tokens_t twelve = T("a group of senators met wrong words");
    CHECK(tokens_contain(&body, &twelve, 5)); /* only the first 5 are looked for */
    CHECK(!tokens_contain(&body, &twelve, 12));
    norm_tokens_t got = T("a b c c"), want = T("a c d");
    tokens_f1_t f = tokens_f1(&got, &want);
    CHECK(fabs(f.precision - 0.5) < EPSILON);
    CHECK(fabs(f.recall - 2.0 / 3.0) < EPSILON);
    CHECK(fabs(f.f1 - 4.0 / 7.0) < EPSILON);
    tokens_f1_t zero = tokens_f1(&none, &want);
    CHECK(zero.f1 == 0 && zero.precision == 0 && zero.recall == 0);
    norm_tokens_t *all[] = {&body, &start, &end, &other, &none, &twelve, &got, &want};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) norm_tokens_free(all[i]);
}

static void test_sets(void) {
    ev_strv_t a = {0}, b = {0}, alt = {0};
    ev_strv_push(&a, "Washington,");
    ev_strv_push(&a, "SEOUL");
    ev_strv_push(&a, "Seoul.");
    ev_strv_push(&b, "seoul");
    ev_strv_push(&b, "washington");
    forms_set_t sa, sb;
    forms_set_of(&a, &sa);
    forms_set_of(&b, &sb);
    CHECK_INT(sa.n, 2); /* SEOUL and Seoul. are one member */
    CHECK(forms_set_equal(&sa, &sb));
    CHECK(forms_set_has(&sa, "seoul") && !forms_set_has(&sa, "paris"));
    ev_strvv_t alts = {0};
    ev_strv_push(ev_strvv_add(&alts), "Paris");
    forms_sets_t accepted;
    ev_strv_push(&alt, "PARIS");
    forms_set_t salt;
    forms_set_of(&alt, &salt);
    forms_sets_of(&b, &alts, &accepted);
    CHECK(forms_sets_match(&accepted, &sa));
    CHECK(forms_sets_match(&accepted, &salt));
    CHECK(forms_sets_hold(&accepted, "paris"));
    ev_strv_free(&sa), ev_strv_free(&sb), ev_strv_free(&salt);
    ev_strv_free(&a), ev_strv_free(&b), ev_strv_free(&alt);
    ev_strvv_free(&alts);
    forms_sets_free(&accepted);
}

static bool same_day(const char *truth, const char *tz, const char *got) {
    dates_when_t t, g;
    CHECK(dates_parse(truth, &t));
    CHECK(dates_parse(got, &g));
    return dates_same_day(&t, tz, &g);
}

static size_t truth_times(const char *truth, const char *tz, int out[2]) {
    dates_when_t t;
    CHECK(dates_parse(truth, &t));
    return dates_truth_times(&t, tz, out);
}

static void test_dates(void) {
    dates_when_t w;
    CHECK(dates_parse("2022-12-23T18:09:00Z", &w) && w.has_year && w.has_time && w.hour == 18);
    CHECK(dates_parse("--03-30", &w) && w.present && !w.has_year && w.month == 3 && w.day == 30);
    CHECK(dates_parse(NULL, &w) && !w.present);
    CHECK(!dates_parse("23 December 2022", &w));
    CHECK(!dates_parse("2022-13-01", &w));
    CHECK(same_day("2013-09-10", NULL, "2013-09-10"));
    CHECK(same_day("2013-09-10", NULL, "2013-09-10T22:00:00Z"));
    CHECK(!same_day("2013-09-10", NULL, "2013-09-11"));
    CHECK(!same_day("2013-09-10", NULL, "--09-10")); /* the year is shown: it must be found */
    CHECK(same_day("--01-22", NULL, "--01-22"));
    CHECK(same_day("--01-22", NULL, "2013-01-22"));
    CHECK(!same_day("--01-22", NULL, "--01-23"));
    CHECK(same_day(NULL, NULL, NULL));
    CHECK(!same_day(NULL, NULL, "2013-01-22"));
    CHECK(!same_day("2013-01-22", NULL, NULL));
    /* 23:56 at +05:30 is 18:26 UTC the same day; 20:03 at -09:00 is 05:03
     * UTC the next day: both days are accepted, only with tz. */
    CHECK(same_day("2023-11-22T20:03", "-09:00", "2023-11-23T05:03:00Z"));
    CHECK(same_day("2023-11-22T20:03", "-09:00", "2023-11-22T20:03:00Z"));
    CHECK(!same_day("2023-11-22T20:03", NULL, "2023-11-23T05:03:00Z"));
    CHECK(same_day("2014-07-12T01:56", "+05:30", "2014-07-11"));
    int t[2];
    CHECK_INT(truth_times("2023-11-22T20:03", "-09:00", t), 2);
    CHECK_INT(t[0], 20 * 60 + 3);
    CHECK_INT(t[1], 5 * 60 + 3);
    CHECK_INT(truth_times("2023-11-22T20:03", NULL, t), 1);
    CHECK_INT(truth_times("2023-11-22", "+01:00", t), 0);
    CHECK_INT(truth_times("2023-11-22T00:00", NULL, t), 0); /* midnight counts as none */
    CHECK(dates_parse("2020-01-01T00:00:00Z", &w) && dates_time_of(&w) == -1);
    CHECK(dates_parse("2020-01-01T06:30:00Z", &w) && dates_time_of(&w) == 390);
    int east;
    CHECK(dates_parse_tz("+05:30", &east) && east == 330);
    CHECK(dates_parse_tz("-0900", &east) && east == -540);
    CHECK(!dates_parse_tz("EST", &east));
}

/* ---- pages: a truth line and documents ------------------------------- */

typedef struct fixture {
    char *dir;
    truth_set_t truth;
    doc_page_t docs;
    check_page_t page;
} fixture_t;

/* Scores one page: the truth from one JSON line, the documents from
 * stored-article JSON (NULL-terminated). */
static void score(fixture_t *f, const char *truth_line, const char *const *docs) {
    lede_err_t err;
    f->dir = check_tmpdir("scorer");
    char *path = check_write_file(f->dir, "truth.jsonl", truth_line);
    bool ok = truth_load(path, &f->truth, &err) == LEDE_OK;
    if (!ok) fprintf(stderr, "truth: %s\n", err.msg);
    CHECK(ok);
    free(path);
    f->docs = (doc_page_t){0};
    for (size_t i = 0; docs && docs[i]; i++) {
        f->docs.v = realloc(f->docs.v, (i + 1) * sizeof *f->docs.v);
        CHECK(docs_parse(docs[i], strlen(docs[i]), &f->docs.v[i]));
        f->docs.n++;
    }
    check_page(&f->truth.v[0], &f->docs, NULL, &f->page);
}

static void done(fixture_t *f) {
    check_page_free(&f->page);
    docs_page_free(&f->docs);
    truth_free(&f->truth);
    check_rmtree(f->dir);
}

/* A truth with every required field; the tests append or override fields. */
#define TRUTH_BASE                                                                                 \
    "\"file\":\"text/p.txt\",\"group\":\"AP\",\"host\":\"ex.com\",\"truncated\":false,"            \
    "\"source_alt\":[\"Associated Press\"],\"source_in_text\":true,\"place\":[\"Seoul\"],"         \
    "\"place_alt\":[[\"SEOUL, South Korea\"]],"                                                    \
    "\"first_body_words\":\"North Korea fired a missile\","                                        \
    "\"last_body_words\":\"officials said.\",\"captions\":[],\"sidebar_items\":0,"

static const char *const GOOD_DOC[] = {
    "{\"id\":\"p\",\"title\":\"North Korea fires missile\",\"author\":[\"Kim Tong-Hyung\"],"
    "\"source\":\"AP\",\"date\":\"2023-11-23T05:03:00Z\",\"places\":[\"SEOUL, South Korea\"],"
    "\"body\":\"North Korea fired a missile toward the sea.\\n\\nThe launch failed, officials "
    "said.\"}",
    NULL};

static const char GOOD_TRUTH[] =
    "{" TRUTH_BASE "\"title\":\"North Korea Fires Missile\",\"author\":[\"Kim Tong-Hyung\"],"
    "\"date\":\"2023-11-22T20:03\",\"tz\":\"-09:00\",\"source\":\"AP\","
    "\"category\":null,\"furniture\":[\"Leave a review\",\"This page was printed from a site "
    "archive.\"],\"meta_lines\":[\"By Kim Tong-Hyung\"],\"sidebar\":[]}\n";

static void test_page_passes(void) {
    fixture_t f;
    score(&f, GOOD_TRUTH, GOOD_DOC);
    int want_pass[] = {
        CF_TITLE,        CF_AUTHOR,          CF_DATE,       CF_TIME,         CF_SOURCE,
        CF_SOURCE_NAMED, CF_NO_WRONG_SOURCE, CF_CATEGORY,   CF_PLACE,        CF_BODY_START,
        CF_BODY_END,     CF_FURNITURE,       CF_META_LINES, CF_NO_STRAY_DOCS};
    for (size_t i = 0; i < sizeof want_pass / sizeof *want_pass; i++) {
        if (f.page.r[want_pass[i]].verdict != CHECK_PASS)
            fprintf(stderr, "  %s: want %s got %s\n", check_field_name(want_pass[i]),
                    f.page.r[want_pass[i]].want, f.page.r[want_pass[i]].got);
        CHECK_INT(f.page.r[want_pass[i]].verdict, CHECK_PASS);
    }
    /* Nothing listed or nothing to split: not scored. */
    CHECK_INT(f.page.r[CF_CAPTIONS].verdict, CHECK_SKIP);
    CHECK_INT(f.page.r[CF_SIDEBAR_IN_MAIN].verdict, CHECK_SKIP);
    CHECK_INT(f.page.r[CF_SIDEBAR_SPLIT].verdict, CHECK_SKIP);
    for (int k = 0; k < CI_COUNT; k++) CHECK(!f.page.invented[k]);
    CHECK_INT(f.page.docs, 1);
    done(&f);
}

static const char BAD_TRUTH[] =
    "{" TRUTH_BASE "\"title\":null,\"author\":[],\"date\":null,\"source\":\"AP\","
    "\"category\":null,\"furniture\":[\"Leave a review\",\"In Focus\",\"Skip to content\","
    "\"Most read stories on this site this week\"],"
    "\"meta_lines\":[\"Analytics\",\"By Kim Tong-Hyung\",\"Seoul\"],"
    "\"sidebar\":[\"one two three four five six seven eight nine ten eleven twelve thirteen\","
    "\"Unrelated story never kept\"]}\n";

static const char *const BAD_DOCS[] = {
    "{\"id\":\"p\",\"title\":\"Skip to content\",\"author\":[\"In Focus\"],\"source\":\"Reuters\","
    "\"category\":\"Analytics\",\"date\":\"2023-11-23T05:03:00Z\",\"places\":[\"Seoul\"],"
    "\"body\":\"By Kim Tong-Hyung\\n\\nNorth Korea fired a missile.\\n\\nleave a REVIEW\\n\\n"
    "one two three four five six seven eight nine ten eleven twelve fourteen\"}",
    "{\"id\":\"p#2\",\"title\":\"Other\",\"body\":\"Read the Most read stories on this site this "
    "week here\\n\\nAnalytics\\n\\nIn Focus\"}",
    NULL};

static void test_page_fails(void) {
    fixture_t f;
    score(&f, BAD_TRUTH, BAD_DOCS);
    CHECK_INT(f.page.r[CF_TITLE].verdict, CHECK_SKIP); /* no headline on the page */
    CHECK_INT(f.page.r[CF_AUTHOR].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_DATE].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_TIME].verdict, CHECK_FAIL); /* the extractor has a time, the truth not */
    CHECK_INT(f.page.r[CF_SOURCE].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_NO_WRONG_SOURCE].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_CATEGORY].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_PLACE].verdict, CHECK_PASS);
    CHECK_INT(f.page.r[CF_BODY_START].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_BODY_END].verdict, CHECK_FAIL);
    CHECK_INT(f.page.r[CF_NO_STRAY_DOCS].verdict, CHECK_FAIL);
    /* Each furniture line leaks its own way: a paragraph (case folded),
     * an author, the title, and (25 characters or more) inside a
     * paragraph of another document. */
    const char *got = f.page.r[CF_FURNITURE].got;
    CHECK_INT(f.page.r[CF_FURNITURE].verdict, CHECK_FAIL);
    CHECK(got && strstr(got, "\"Leave a review\" as a paragraph of main"));
    CHECK(got && strstr(got, "\"In Focus\" as an author of main"));
    CHECK(got && strstr(got, "\"Skip to content\" as the title of main"));
    CHECK(got && strstr(got, "\"Most read stories on this site this week\" as inside a paragraph "
                             "of #2"));
    /* Meta lines: the byline paragraph leaks; "Analytics" is only a
     * paragraph of #2 (main body only) and the category of main; "Seoul"
     * is the accepted place. */
    got = f.page.r[CF_META_LINES].got;
    CHECK_INT(f.page.r[CF_META_LINES].verdict, CHECK_FAIL);
    CHECK(got && strstr(got, "By Kim Tong-Hyung"));
    CHECK(got && strstr(got, "\"Analytics\" as the category of main"));
    CHECK(got && !strstr(got, "Seoul"));
    /* Only the first 12 tokens of a sidebar entry are looked for. */
    CHECK_INT(f.page.r[CF_SIDEBAR_IN_MAIN].verdict, CHECK_FAIL);
    CHECK(f.page.r[CF_SIDEBAR_IN_MAIN].got && strstr(f.page.r[CF_SIDEBAR_IN_MAIN].got, "thirteen"));
    CHECK(!strstr(f.page.r[CF_SIDEBAR_IN_MAIN].got, "Unrelated"));
    CHECK(f.page.invented[CI_AUTHOR] && f.page.invented[CI_DATE] && f.page.invented[CI_TIME]);
    CHECK(f.page.invented[CI_CATEGORY] && !f.page.invented[CI_SOURCE] &&
          !f.page.invented[CI_PLACE]);
    done(&f);
}

/* An expected value is not a meta-line leak: "Analytics" as the
 * category the truth expects is where it belongs. */
static void test_meta_line_in_its_field(void) {
    fixture_t f;
    static const char truth[] =
        "{" TRUTH_BASE "\"title\":\"T\",\"author\":[],\"date\":null,\"source\":\"AP\","
        "\"category\":\"Analytics\",\"furniture\":[],\"meta_lines\":[\"Analytics\"],"
        "\"sidebar\":[]}\n";
    static const char *const docs[] = {
        "{\"id\":\"p\",\"title\":\"T\",\"category\":\"ANALYTICS\",\"body\":\"x\"}", NULL};
    score(&f, truth, docs);
    CHECK_INT(f.page.r[CF_CATEGORY].verdict, CHECK_PASS);
    CHECK_INT(f.page.r[CF_META_LINES].verdict, CHECK_PASS);
    CHECK_INT(f.page.r[CF_FURNITURE].verdict, CHECK_SKIP);
    done(&f);
}

static void test_missing_page(void) {
    fixture_t f;
    score(&f, GOOD_TRUTH, NULL);
    CHECK_INT(f.page.docs, 0);
    int scored = 0;
    for (int i = 0; i < CF_COUNT; i++) {
        if (f.page.r[i].verdict == CHECK_SKIP) continue;
        scored++;
        CHECK_INT(f.page.r[i].verdict, CHECK_FAIL);
        CHECK_STR(f.page.r[i].got, "no document");
    }
    CHECK_INT(scored, 14); /* every field the truth scores, time included */
    done(&f);
}

static void test_items_and_unjudged(void) {
    fixture_t f;
    static const char truth[] =
        "{" TRUTH_BASE "\"title\":\"T\",\"author\":[],\"date\":\"2020-01-02\",\"source\":\"AP\","
        "\"category\":\"World\",\"furniture\":[],\"meta_lines\":[],\"sidebar\":[],"
        "\"sidebar_items\":2,\"unjudged\":[\"category\",\"date\"]}\n";
    static const char *const docs[] = {"{\"id\":\"p\",\"title\":\"T\",\"body\":\"x\"}",
                                       "{\"id\":\"p#2\",\"title\":\"U\",\"body\":\"y\"}", NULL};
    score(&f, truth, docs);
    CHECK_INT(f.page.r[CF_SIDEBAR_SPLIT].verdict, CHECK_FAIL);
    CHECK_STR(f.page.r[CF_SIDEBAR_SPLIT].want, "2 extra documents");
    CHECK_INT(f.page.r[CF_NO_STRAY_DOCS].verdict, CHECK_SKIP);
    CHECK_INT(f.page.r[CF_CATEGORY].verdict, CHECK_SKIP);
    CHECK_INT(f.page.r[CF_DATE].verdict, CHECK_SKIP);
    CHECK_INT(f.page.r[CF_TIME].verdict, CHECK_SKIP);
    CHECK(!f.page.invent_scored[CI_CATEGORY] && f.page.invent_scored[CI_AUTHOR]);
    done(&f);
}

static void test_truth_errors(void) {
    lede_err_t err;
    char *dir = check_tmpdir("truth");
    char *path = check_write_file(dir, "t.jsonl",
                                  "\n{" TRUTH_BASE "\"title\":null,\"author\":"
                                  "\"Jane\"}\n");
    truth_set_t t;
    CHECK(truth_load(path, &t, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "t.jsonl:2: field 'author' must be an array of strings") != NULL);
    truth_free(&t);
    free(path);
    path = check_write_file(dir, "d.jsonl",
                            "{" TRUTH_BASE "\"title\":null,\"author\":[],\"date\":\"Jan 5\","
                            "\"source\":\"AP\",\"category\":null,\"furniture\":[],"
                            "\"meta_lines\":[],\"sidebar\":[]}\n");
    CHECK(truth_load(path, &t, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "d.jsonl:1: field 'date': cannot read 'Jan 5'") != NULL);
    truth_free(&t);
    free(path);
    path = check_write_file(dir, "j.jsonl", "{\"file\": \n");
    CHECK(truth_load(path, &t, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "j.jsonl:1: malformed JSON") != NULL);
    truth_free(&t);
    free(path);
    CHECK(truth_load("/nonexistent/truth.jsonl", &t, &err) != LEDE_OK);
    CHECK(strstr(err.msg, "cannot open") != NULL);
    truth_free(&t);
    check_rmtree(dir);
    char *id;
    CHECK_STR(id = truth_id_of("text/a-b.txt"), "a-b");
    free(id);
    CHECK_STR(id = truth_id_of("page.html.gz"), "page");
    free(id);
    CHECK_STR(id = truth_id_of("html/x.htm"), "x");
    free(id);
}

static void test_html_text(void) {
    static const char html[] = "<html><head><title>No</title></head><body><div><p>foo<b>bar</b>"
                               " <i>baz</i></p><p>qux</p><script>var x;</script>one<br>two"
                               "<ul><li>three</li><li>four</li></ul></div></body></html>";
    char *text = htmltext_memory(html, strlen(html));
    CHECK_TOKS(text, "foobar|baz|qux|one|two|three|four");
    CHECK(strstr(text, "qux\n\n") != NULL); /* block elements end paragraphs */
    free(text);
}

static void test_floors(void) {
    char err[ERR_BYTES];
    char *dir = check_tmpdir("floors");
    char *path = check_write_file(dir, "f.txt",
                                  "# comment\n\ntext title 1   # pages\n"
                                  "text title 50%\ntext invented.author <=0\n"
                                  "html body_f1 10%\n");
    floors_t f;
    CHECK(floors_load(path, &f, err, sizeof err));
    CHECK_INT(f.n, 4);
    /* One page: title passes, an author invented. */
    check_page_t p = {0};
    truth_page_t t = {.group = "g", .host = "h"};
    p.truth = &t;
    p.docs = 1;
    p.r[CF_TITLE].verdict = CHECK_PASS;
    p.invent_scored[CI_AUTHOR] = p.invented[CI_AUTHOR] = true;
    tally_t tally;
    tally_build(&p, 1, &tally);
    CHECK_INT(tally.all.f[CF_TITLE].pass, 1);
    FILE *msgs = tmpfile();
    CHECK_INT(floors_check(&f, "text", &tally, msgs), 1); /* the invented author */
    CHECK_INT(floors_check(&f, "html", &tally, msgs), 1); /* body_f1 0 < 10% */
    tally_free(&tally);
    fclose(msgs);
    floors_free(&f);
    static const char *const BAD[][2] = {
        {"text nosuch 3\n", "f2.txt:1: unknown field 'nosuch'"},
        {"\ntext title <=3\n", "f2.txt:2: bad bound '<=3' for title"},
        {"text invented.author 3\n", "bad bound '3' for invented.author"},
        {"text body_f1 3\n", "bad bound '3' for body_f1"},
        {"pdf title 3\n", "unknown set 'pdf'"},
        {"text title\n", "want 'SET FIELD BOUND'"},
        {"text title 120%\n", "bad bound '120%'"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        free(path);
        path = check_write_file(dir, "f2.txt", BAD[i][0]);
        CHECK(!floors_load(path, &f, err, sizeof err));
        if (!strstr(err, BAD[i][1])) fprintf(stderr, "  got: %s\n", err);
        CHECK(strstr(err, BAD[i][1]) != NULL);
        floors_free(&f);
    }
    free(path);
    check_rmtree(dir);
}

int main(void) {
    RUN(test_normalise);
    RUN(test_tokens);
    RUN(test_token_rules);
    RUN(test_sets);
    RUN(test_dates);
    RUN(test_page_passes);
    RUN(test_page_fails);
    RUN(test_meta_line_in_its_field);
    RUN(test_missing_page);
    RUN(test_items_and_unjudged);
    RUN(test_truth_errors);
    RUN(test_html_text);
    RUN(test_floors);
    htmltext_cleanup();
    return check_summary();
}
