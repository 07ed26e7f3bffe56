/* Unit tests for the page extractor: fixture pages under
 * tests/fixtures/text (invented, in the style of the seeds), inline pages
 * for the error paths, and the pieces (dates, names, titles) one by one. */
#include <stdlib.h>

#include "check.h"
#include "extract.h"
#include "extract_parts.h"

typedef struct {
    lede_status_t st;
    lede_article_t *v;
    size_t n;
    lede_err_t why;
} result_t;

static result_t run_len(const char *text, size_t len, const char *id) {
    result_t r = {0};
    r.v = (lede_article_t *)&r; /* must be reset to NULL on failure */
    r.n = 99;
    r.st = extract_text(text, len, id, NULL, &r.v, &r.n, &r.why);
    if (r.st != LEDE_OK) {
        CHECK(r.v == NULL);
        CHECK_INT(r.n, 0);
    }
    return r;
}

static result_t run(const char *text) {
    return run_len(text, strlen(text), "p");
}

static char *read_fixture(const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/text/%s", LEDE_FIXTURES, name);
    char *text = check_read_file(path, len);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        abort();
    }
    return text;
}

static result_t run_fixture(const char *name) {
    size_t len;
    char *text = read_fixture(name, &len);
    result_t r = run_len(text, len, "p");
    free(text);
    if (r.st != LEDE_OK) fprintf(stderr, "%s: %s\n", name, r.why.msg);
    return r;
}

static void result_free(result_t *r) {
    for (size_t i = 0; i < r->n; i++) article_free(&r->v[i]);
    free(r->v);
}

static size_t paragraphs(const char *body) {
    size_t n = 1;
    for (const char *p = strstr(body, "\n\n"); p; p = strstr(p + 2, "\n\n")) n++;
    return n;
}

static bool starts_with(const char *s, const char *prefix) {
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool in_article(const lede_article_t *a, const char *needle) {
    return (a->title && strstr(a->title, needle)) || (a->body && strstr(a->body, needle));
}

/* ---- fixture pages ----------------------------------------------------- */

static void test_wire_dateline(void) {
    result_t r = run_fixture("wire.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->id, "p");
    CHECK_STR(a->title, "Harbour board approves new ferry terminal for the old docks");
    CHECK_STR(a->source, "Reuters");
    CHECK_STR(a->date, "--06-04");
    CHECK_STR(a->date_key, "");
    CHECK(a->category == NULL);
    CHECK_INT(a->authors.n, 0);
    CHECK_INT(a->places.n, 1);
    if (a->places.n == 1) CHECK_STR(a->places.v[0], "Lisbon"); /* capitals kept on initials */
    CHECK(starts_with(a->body, "LISBON, June 4 (Reuters) - The harbour board"));
    CHECK_INT(paragraphs(a->body), 4);
    CHECK(!in_article(a, "seen from the river")); /* the caption, bare and credited */
    CHECK(!in_article(a, "RELATED"));
    CHECK(!in_article(a, "Dock workers"));
    CHECK(!in_article(a, "Latest Headlines"));
    result_free(&r);
}

static void test_closing_block(void) {
    result_t r = run_fixture("closing.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->title, "Central bank keeps its key rate unchanged for a third month");
    CHECK_INT(a->authors.n, 1);
    if (a->authors.n == 1) CHECK_STR(a->authors.v[0], "Maria Kovacs");
    CHECK_STR(a->category, "Economy");
    CHECK_STR(a->source, "TURAN");
    CHECK_INT(a->places.n, 1);
    if (a->places.n == 1) CHECK_STR(a->places.v[0], "Baku");
    CHECK(a->date == NULL);
    CHECK_INT(paragraphs(a->body), 3);
    CHECK(starts_with(a->body, "Baku/Turan: The central bank"));
    const char *furniture[] = {"Maria Kovacs", "Leave a review", "Economy", "Follow us",
                               "News Line"};
    for (size_t i = 0; i < sizeof furniture / sizeof furniture[0]; i++)
        CHECK(!in_article(a, furniture[i]));
    result_free(&r);
}

static void check_item(const lede_article_t *a, const char *id, const char *title,
                       const char *body_start) {
    CHECK_STR(a->id, id);
    CHECK_STR(a->title, title);
    CHECK(starts_with(a->body, body_start));
    CHECK_STR(a->source, "KAVKAZ"); /* inherited from the page */
    CHECK(a->date == NULL && a->category == NULL);
    CHECK_INT(a->authors.n + a->places.n, 0);
}

static void test_sidebar_items(void) {
    result_t r = run_fixture("sidebar.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 4);
    if (r.n != 4) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->title, "City council votes to restore the tramway line");
    CHECK_STR(a->source, "KAVKAZ");
    CHECK_STR(a->date, "2024-03-05T09:30:00Z");
    CHECK_STR(a->category, "Society");
    CHECK(a->authors.n == 1 && strcmp(a->authors.v[0], "Nadia Petrova") == 0);
    CHECK(a->places.n == 1 && strcmp(a->places.v[0], "Tbilisi") == 0);
    CHECK_INT(paragraphs(a->body), 3);
    CHECK(!in_article(a, "lighthouse") && !in_article(a, "orchestra") && !in_article(a, "oak"));
    check_item(&r.v[1], "p#2", "A lighthouse keeper retired after forty years on the rocky island.",
               "A lighthouse keeper");
    CHECK(strstr(r.v[1].body, "storms most of all.") != NULL);
    check_item(&r.v[2], "p#3",
               "The regional orchestra announced a summer season of twelve open-air concerts in "
               "the mountain villages of the north.",
               "The regional orchestra");
    check_item(&r.v[3], "p#4",
               "Volunteers planted two thousand oak saplings along the riverbank on Saturday to "
               "restore the floodplain forest that\xE2\x80\xA6",
               "Volunteers planted");
    CHECK(strlen(r.v[3].title) <= EX_TITLE_MAX_BYTES);
    CHECK(!in_article(&r.v[3], "Leave a review"));
    result_free(&r);
}

static void test_by_line(void) {
    result_t r = run_fixture("byline.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->title, "Astronomers find a cold planet orbiting two suns");
    CHECK_INT(a->authors.n, 2);
    if (a->authors.n == 2) {
        CHECK_STR(a->authors.v[0], "Jane Doe");
        CHECK_STR(a->authors.v[1], "Omar Haddad");
    }
    CHECK_STR(a->date, "2023-03-03T16:15:00Z");
    CHECK_STR(a->category, "Science");
    CHECK_STR(a->source, "AP"); /* "told the Associated Press" */
    CHECK_INT(a->places.n, 0);
    CHECK(starts_with(a->body, "Astronomers have found"));
    /* A short capitalised subheading inside the text is not a byline. */
    CHECK(strstr(a->body, "\n\nWhat Comes Next\n\nThe team plans") != NULL);
    CHECK(!in_article(a, "Share this"));
    result_free(&r);
}

static void test_furniture(void) {
    result_t r = run_fixture("furniture.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->title, "Museum returns stolen mosaic to its village");
    CHECK_STR(a->body, "The national museum has returned a Roman mosaic stolen from a village "
                       "church in 1976, after a collector handed it in last year.\n\n"
                       "Experts spent six months checking that the mosaic was the one taken "
                       "from the church.\n\n"
                       "\"We never stopped hoping,\" the village priest said.");
    /* Nothing on the page states a source, a date or an author. */
    CHECK(a->source == NULL && a->date == NULL && a->category == NULL);
    CHECK_INT(a->authors.n + a->places.n, 0);
    result_free(&r);
}

static void test_crlf_fixture(void) {
    result_t r = run_fixture("crlf.txt");
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    lede_article_t *a = &r.v[0];
    CHECK_STR(a->title, "Rail strike halts trains across the country");
    CHECK_STR(a->source, "AFP");
    CHECK_STR(a->date, "--05-08"); /* "Wednesday (May 8)" in the first paragraph */
    CHECK_STR(a->category, "Politics");
    CHECK(a->places.n == 1 && strcmp(a->places.v[0], "Paris") == 0);
    CHECK(!in_article(a, "\r"));
    CHECK(starts_with(a->body, "PARIS (AFP) \xE2\x80\x94 Train drivers"));
    /* The file has no final newline: its last paragraph is whole. */
    size_t n = strlen(a->body);
    CHECK(n > 6 && strcmp(a->body + n - 6, "talks.") == 0);
    result_free(&r);
}

/* \n and \r\n pages give the same articles. */
static char *to_crlf(const char *text, size_t len, size_t *out_len) {
    char *out = malloc(2 * len + 1);
    size_t k = 0;
    if (!out) abort();
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') out[k++] = '\r';
        out[k++] = text[i];
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

static bool same_string(const char *x, const char *y) {
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static void test_crlf_same_as_lf(void) {
    const char *names[] = {"wire.txt", "closing.txt", "sidebar.txt", "byline.txt", "furniture.txt"};
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t len, crlf_len;
        char *text = read_fixture(names[f], &len), *crlf = to_crlf(text, len, &crlf_len);
        result_t lf = run_len(text, len, "p"), cr = run_len(crlf, crlf_len, "p");
        CHECK_INT(cr.st, LEDE_OK);
        CHECK_INT(cr.n, lf.n);
        for (size_t i = 0; i < lf.n && i < cr.n; i++) {
            CHECK(same_string(lf.v[i].title, cr.v[i].title));
            CHECK(same_string(lf.v[i].body, cr.v[i].body));
            CHECK(same_string(lf.v[i].date, cr.v[i].date));
            CHECK(same_string(lf.v[i].source, cr.v[i].source));
        }
        result_free(&lf);
        result_free(&cr);
        free(text);
        free(crlf);
    }
}

/* ---- inline pages ------------------------------------------------------ */

static void expect_invalid(const char *text, size_t len, const char *id, const char *reason) {
    result_t r = run_len(text, len, id);
    CHECK_INT(r.st, LEDE_E_INVALID);
    if (!strstr(r.why.msg, reason))
        fprintf(stderr, "  reason was: %s (want %s)\n", r.why.msg, reason);
    CHECK(strstr(r.why.msg, reason) != NULL);
}

static void test_errors(void) {
    expect_invalid("", 0, "p", "empty page");
    expect_invalid(NULL, 0, "p", "empty page");
    expect_invalid(" \n\t\r\n  \n", 8, "p", "no article text found (the page is blank)");
    expect_invalid("\xC2\xA0\n\n", 4, "p", "no article text found (the page is blank)");
    expect_invalid("-\nLeave a review\n-\n", 19, "p",
                   "no article text found (only separators and site furniture)");
    /* A headline with nothing under it, a menu, a notice: no article. */
    expect_invalid("Only a headline\n", 16, "p", "no article text found");
    const char *menu = "Home\nWorld\nBusiness\nSport\nContact us\n";
    expect_invalid(menu, strlen(menu), "p", "no article text found");
    const char *missing = "Page not found\n\nSorry, the page you requested could not be found.\n";
    expect_invalid(missing, strlen(missing), "p", "no article text found");
    expect_invalid("Title\nBody \xC3\x28 text\n", 19, "p", "invalid UTF-8 at byte 11");
    expect_invalid("Title\n\xC0\xAF", 8, "p", "invalid UTF-8 at byte 6");
    expect_invalid("Title\nCut short \xE2\x80", 18, "p", "invalid UTF-8 at byte 16");
    expect_invalid("Title\0Body", 10, "p", "NUL byte at byte 5");
    expect_invalid("Title\nBody\n", 11, "", "no id");
    expect_invalid("Title\nBody\n", 11, NULL, "no id");
    char long_id[ARTICLE_MAX_ID_BYTES + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    const char *page = "Title\nThe body of the story is here.\n";
    expect_invalid(page, strlen(page), long_id, "longer than");
}

/* Blank lines and spaces around a headline and its text change nothing. */
static void test_title_and_text(void) {
    const char *pages[] = {"A headline\nThe text of the story.",
                           "  A headline \r\n\r\nThe text of the story.  \r\n",
                           "\n\nA headline\n\n\nThe text of the story.\n"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        result_t r = run(pages[i]);
        CHECK_INT(r.st, LEDE_OK);
        CHECK_INT(r.n, 1);
        if (r.n == 1) {
            CHECK_STR(r.v[0].id, "p");
            CHECK_STR(r.v[0].title, "A headline");
            CHECK_STR(r.v[0].body, "The text of the story.");
        }
        result_free(&r);
    }
}

/* A byte order mark is not part of the title. */
static void test_bom(void) {
    result_t r = run("\xEF\xBB\xBF"
                     "A headline\nThe text of the story.");
    CHECK_INT(r.st, LEDE_OK);
    if (r.n == 1) CHECK_STR(r.v[0].title, "A headline");
    result_free(&r);
}

static void test_byline_with_agency(void) {
    result_t r = run("Title\nBy Lena Fischer, Reuters\n\nThe text of the story.\n");
    CHECK_INT(r.st, LEDE_OK);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    CHECK(r.v[0].authors.n == 1 && strcmp(r.v[0].authors.v[0], "Lena Fischer") == 0);
    CHECK_STR(r.v[0].source, "Reuters");
    CHECK_STR(r.v[0].body, "The text of the story.");
    result_free(&r);
}

/* Dates are read, never guessed: a month and year, an impossible day, or a
 * weekday without its date leave the date empty. */
static void test_no_invented_date(void) {
    result_t r = run("Budget talks resume\nMay 2023\n31 February 2023\n"
                     "Talks resume on Tuesday, the ministry said.\n");
    CHECK_INT(r.st, LEDE_OK);
    if (r.n != 1) {
        result_free(&r);
        return;
    }
    CHECK(r.v[0].date == NULL);
    CHECK_STR(r.v[0].date_key, "");
    CHECK(strstr(r.v[0].body, "Talks resume on Tuesday") != NULL);
    result_free(&r);
}

/* A base id so long that "#2" would pass the limit: the main article stays,
 * the items go. */
static void test_items_dropped_with_long_id(void) {
    size_t len;
    char *text = read_fixture("sidebar.txt", &len);
    char id[ARTICLE_MAX_ID_BYTES + 1];
    memset(id, 'x', ARTICLE_MAX_ID_BYTES - 1);
    id[ARTICLE_MAX_ID_BYTES - 1] = '\0';
    result_t r = run_len(text, len, id);
    CHECK_INT(r.st, LEDE_OK);
    CHECK_INT(r.n, 1);
    if (r.n >= 1) CHECK_STR(r.v[0].title, "City council votes to restore the tramway line");
    result_free(&r);
    free(text);
}

/* ---- the pieces -------------------------------------------------------- */

static void expect_date_line(const char *line, const char *want) {
    char iso[EX_DATE_BYTES] = "";
    bool ok = ex_date_line(line, iso);
    if (!want) {
        if (ok) fprintf(stderr, "  '%s' read as %s\n", line, iso);
        CHECK(!ok);
        return;
    }
    CHECK(ok);
    CHECK_STR(iso, want);
}

static void test_date_lines(void) {
    expect_date_line("23 December 2022 18:09", "2022-12-23T18:09:00");
    expect_date_line("Friday, December 23, 2022", "2022-12-23");
    expect_date_line("Dec. 23, 2022 6:09 pm", "2022-12-23T18:09:00");
    expect_date_line("Dec 23 2022, 12:30 a.m.", "2022-12-23T00:30:00");
    expect_date_line("Updated: 2022-12-23 18:09 GMT", "2022-12-23T18:09:00+00:00");
    /* Zones and offsets the page names are kept; vague ones ("ET") are not. */
    expect_date_line("November 22, 2023 9:03AM AKST", "2023-11-22T09:03:00-09:00");
    expect_date_line("First Published: Jul 12 2014 | 7:56 AM IST", "2014-07-12T07:56:00+05:30");
    expect_date_line("13 October 2017, 14:10 (GMT+4)", "2017-10-13T14:10:00+04:00");
    expect_date_line("13 October 2017 14:10 (UTC +04:00)", "2017-10-13T14:10:00+04:00");
    expect_date_line("March 31, 2006 10:53 AM ET", "2006-03-31T10:53:00");
    expect_date_line("2017 October 13 ( Friday )  16:52:05", "2017-10-13T16:52:05");
    expect_date_line("Posted April 22, 2024 2:17 am.", "2024-04-22T02:17:00");
    expect_date_line("- 2 October 2020 15:56", "2020-10-02T15:56:00");
    expect_date_line("2 Dekabr 2015", "2015-12-02");
    expect_date_line("5th March 2018", "2018-03-05");
    expect_date_line("18 Febuary 2016", "2016-02-18"); /* one letter left out */
    expect_date_line("Published on 3rd March 2023", "2023-03-03");
    expect_date_line("23.12.2022 07:05:09", "2022-12-23T07:05:09");
    expect_date_line("29 February 2024", "2024-02-29");
    expect_date_line("29 February 2023", NULL);
    expect_date_line("December 2022", NULL);
    expect_date_line("23 December", NULL);
    expect_date_line("23 December 2022 25:00", NULL);
    expect_date_line("The 23 December 2022 meeting", NULL);
    expect_date_line("23 December 2022 18:09 +04:00", "2022-12-23T18:09:00+04:00");
    expect_date_line("18 Mayor 2016", NULL);
    expect_date_line("18 Decision 2016", NULL);
    expect_date_line("Monday", NULL);
}

static void test_date_tail_and_paren(void) {
    char iso[EX_DATE_BYTES];
    size_t start = 99;
    const char *dl = "WASHINGTON, March 30 ";
    CHECK(ex_date_tail(dl, strlen(dl), iso, &start));
    CHECK_STR(iso, "--03-30");
    CHECK_INT(start, 12);
    CHECK(ex_date_tail("Dec. 5, 2021", 12, iso, &start));
    CHECK_STR(iso, "2021-12-05");
    CHECK(!ex_date_tail("March 32", 8, iso, &start));
    CHECK(!ex_date_tail("Remarch 3", 9, iso, &start));
    const char *p = "held a call Tuesday (April 20) with";
    CHECK(ex_date_weekday_paren(p, strlen(p), iso));
    CHECK_STR(iso, "--04-20");
    p = "held a call Tuesday (April 20, 2021) with";
    CHECK(ex_date_weekday_paren(p, strlen(p), iso));
    CHECK_STR(iso, "2021-04-20");
    p = "the meeting (April 20) was";
    CHECK(!ex_date_weekday_paren(p, strlen(p), iso));
    p = "on Tuesday (April 31) it";
    CHECK(!ex_date_weekday_paren(p, strlen(p), iso));
}

static void test_meta_lines(void) {
    CHECK_STR(ex_meta_category("HUMAN RIGHTS"), "Human Rights");
    CHECK(ex_meta_is_byline("By Jane Doe"));
    CHECK(ex_meta_is_byline("By Jane Doe and John Roe, Reuters"));
    CHECK(ex_meta_is_byline("Posted By Jane Doe, CNN Correspondent: 10:53 AM ET"));
    CHECK(ex_meta_is_byline("By The Associated Press"));
    CHECK(!ex_meta_is_byline("By the river"));
    CHECK(!ex_meta_is_byline("He said so."));
    CHECK(ex_meta_name_words("Alex Raufoglu", 13) == 2);
    CHECK(ex_meta_name_words("Washington D.C.", 15) == 2);
    CHECK(ex_meta_person("Alex Raufoglu"));
    CHECK(ex_meta_person("Ursula von der Leyen"));
    CHECK(ex_meta_person("Zo\xC3\xAB \xC3\x96zt\xC3\xBCrk"));
    CHECK(!ex_meta_person("Washington D.C."));
    CHECK(!ex_meta_person("Baku"));
    CHECK(!ex_meta_person("One Two Three Four Five"));
    CHECK_STR(ex_meta_category("politics"), "Politics");
}

static void test_agencies(void) {
    CHECK_STR(ex_agency("Turan", 5), "TURAN");
    CHECK_STR(ex_agency("voice of america", 16), "VOA");
    CHECK_STR(ex_agency(" Associated Press ", 18), "AP");
    CHECK(ex_agency("Nobody", 6) == NULL);
    char src[EX_SOURCE_BYTES];
    CHECK(ex_source_in_text("as NEWSX's Baku correspondent reports.", src));
    CHECK_STR(src, "NEWSX");
    CHECK(ex_source_in_text("the minister told the Voice of America on Friday", src));
    CHECK_STR(src, "VOA");
    CHECK(!ex_source_in_text("he told reporters and Apple's staff", src));
    CHECK(!ex_source_in_text("the town's correspondent", src));
}

static void test_datelines(void) {
    ex_dateline_t d;
    CHECK(ex_dateline("SEOUL, May 3 (Newsis) - Text.", 29, &d));
    CHECK_STR(d.source, "Newsis");
    CHECK_STR(d.date, "--05-03");
    CHECK_STR(d.place, "Seoul");
    const char *p = "WASHINGTON, D.C., Dec. 5, 2021 (AP) -- Text.";
    CHECK(ex_dateline(p, strlen(p), &d));
    CHECK_STR(d.source, "AP");
    CHECK_STR(d.date, "2021-12-05");
    CHECK_STR(d.place, "Washington, D.C.");
    CHECK(ex_dateline("BAKU/APA: Text.", 15, &d));
    CHECK_STR(d.source, "APA");
    CHECK_STR(d.place, "Baku");
    /* Brackets and slashes that are no dateline. */
    const char *none[] = {"Lions (Champions) - the final.", "The report (PDF) - read it.",
                          "Pass/fail: a new rule.", "He said (Reuters) - no.",
                          "Note: see http://example.org/x"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        bool found = ex_dateline(none[i], strlen(none[i]), &d);
        if (found) fprintf(stderr, "  not a dateline: %s (%s)\n", none[i], d.how);
        CHECK(!found);
    }
}

static void test_item_titles(void) {
    char *t = ex_title_from_text("Dr. Smith arrived in the U.S. on Monday. Then he left.");
    CHECK_STR(t, "Dr. Smith arrived in the U.S. on Monday.");
    free(t);
    t = ex_title_from_text("\"We will stay,\" she said. Others left.");
    CHECK_STR(t, "\"We will stay,\" she said.");
    free(t);
    t = ex_title_from_text("No end mark at all");
    CHECK_STR(t, "No end mark at all");
    free(t);
    /* 100 two-byte letters without a space: cut between characters. */
    char word[201];
    for (int i = 0; i < 100; i++) memcpy(word + 2 * i, "\xC3\xA9", 2);
    word[200] = '\0';
    t = ex_title_from_text(word);
    size_t bad;
    CHECK(t && strlen(t) <= EX_TITLE_MAX_BYTES && utf8_valid(t, strlen(t), &bad));
    free(t);
}

int main(void) {
    RUN(test_wire_dateline);
    RUN(test_closing_block);
    RUN(test_sidebar_items);
    RUN(test_by_line);
    RUN(test_furniture);
    RUN(test_crlf_fixture);
    RUN(test_crlf_same_as_lf);
    RUN(test_errors);
    RUN(test_title_and_text);
    RUN(test_bom);
    RUN(test_byline_with_agency);
    RUN(test_no_invented_date);
    RUN(test_items_dropped_with_long_id);
    RUN(test_date_lines);
    RUN(test_date_tail_and_paren);
    RUN(test_meta_lines);
    RUN(test_agencies);
    RUN(test_datelines);
    RUN(test_item_titles);
    return check_summary();
}
