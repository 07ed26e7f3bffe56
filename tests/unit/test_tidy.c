/* tidy_article(): the clean-up of JSON records before indexing (bylines,
 * capitals, missing titles, wrapped lines). The records are invented. */
#include <stdlib.h>

#include "check.h"
#include "tidy.h"

/* The article of one JSON line, tidied. */
static lede_article_t tidied(const char *json) {
    lede_article_t a;
    lede_err_t why;
    if (article_from_json(json, strlen(json), &a, &why) != LEDE_OK) {
        fprintf(stderr, "bad fixture %s: %s\n", json, why.msg);
        abort();
    }
    CHECK_INT(tidy_article(&a), LEDE_OK);
    return a;
}

static void check_authors(const char *json, const char *first, const char *second,
                          const char *source) {
    lede_article_t a = tidied(json);
    CHECK_INT(a.authors.n, second ? 2 : 1);
    if (a.authors.n >= 1) CHECK_STR(a.authors.v[0], first);
    if (second && a.authors.n >= 2) CHECK_STR(a.authors.v[1], second);
    if (source) CHECK_STR(a.source, source);
    if (!source) CHECK(a.source == NULL);
    article_free(&a);
}

static void test_bylines(void) {
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"By Lena Harwick, Reuters\"}",
                  "Lena Harwick", NULL, "Reuters");
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"By By Lena Harwick\"}", "Lena Harwick",
                  NULL, NULL);
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"BY LENA HARWICK, REUTERS\"}",
                  "Lena Harwick", NULL, "Reuters");
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"By NORA O'BRIEN-VALE\"}",
                  "Nora O'Brien-Vale", NULL, NULL);
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"By Tom Ardent and Lena Harwick\"}",
                  "Tom Ardent", "Lena Harwick", NULL);
    /* Names the byline reader does not take for a person ("May" is a
     * month): the "By" and the agency still go. */
    check_authors(
        "{\"id\":\"1\",\"body\":\"x\",\"source\":\"Wire\",\"author\":\"by Roger May, Reuters\"}",
        "Roger May", NULL, "Wire");
    /* The source given in the record wins over the byline's agency. */
    check_authors(
        "{\"id\":\"1\",\"body\":\"x\",\"source\":\"Daily Arden\",\"author\":\"By Lena Harwick, "
        "Reuters\"}",
        "Lena Harwick", NULL, "Daily Arden");
    /* What is not a byline stays exactly as given. */
    check_authors(
        "{\"id\":\"1\",\"body\":\"x\",\"author\":\"jd@news.example (Jane Doe and friends)\"}",
        "jd@news.example (Jane Doe and friends)", NULL, NULL);
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":\"JD@NEWS.EXAMPLE\"}", "JD@NEWS.EXAMPLE",
                  NULL, NULL);
    check_authors("{\"id\":\"1\",\"body\":\"x\",\"author\":[\"Lena Harwick\",\"By Lena Harwick\"]}",
                  "Lena Harwick", NULL, NULL);
}

static void check_title(const char *json, const char *title, bool from_body) {
    lede_article_t a = tidied(json);
    CHECK_STR(a.title, title);
    CHECK_INT(a.title_from_body, from_body);
    article_free(&a);
}

static void test_titles(void) {
    check_title("{\"id\":\"1\",\"title\":\"Given\",\"body\":\"HEADLINE IN CAPS\\nText.\"}", "Given",
                false);
    /* A wire brief: the headline in capitals, then the dateline. */
    check_title("{\"id\":\"1\",\"body\":\"HARWICK SEEKS FASTER GROWTH LONDON, March 25 - Harwick\\n"
                "Plc said it would grow faster.\"}",
                "HARWICK SEEKS FASTER GROWTH", true);
    check_title("{\"id\":\"1\",\"body\":\"LONDON GOLD CLOSING - APRIL 7\\n 420.00/420.50 DLRS\"}",
                "LONDON GOLD CLOSING - APRIL 7", true);
    /* A headline line above the text. */
    check_title(
        "{\"id\":\"1\",\"body\":\"Arden rubber noon - april 7\\n    Prices were steady at 200 "
        "cents a kilo.\"}",
        "Arden rubber noon - april 7", true);
    check_title("{\"id\":\"1\",\"body\":\"CAPE TOWN GOLD RISES CAPE TOWN, March 25 - Gold rose.\"}",
                "CAPE TOWN GOLD RISES", true);
    /* Otherwise the first sentence, of the joined text. */
    check_title(
        "{\"id\":\"1\",\"body\":\"The town council of Arden met and voted on\\nMonday for "
        "the budget of the coming year. Then it rose.\"}",
        "The town council of Arden met and voted on Monday for the budget of the coming year.",
        true);
}

static void test_title_flag_stored(void) {
    lede_article_t a = tidied("{\"id\":\"1\",\"body\":\"The council voted. It rose.\"}");
    char *json = article_to_json(&a, NULL), *summary = article_summary_json(&a, NULL);
    CHECK(json && strstr(json, "\"title_from_body\":true"));
    CHECK(summary && strstr(summary, "\"title_from_body\":true"));
    lede_article_t back;
    lede_err_t why;
    CHECK_INT(article_from_json(json, strlen(json), &back, &why), LEDE_OK);
    CHECK(back.title_from_body);
    article_free(&back);
    CHECK_INT(article_from_json("{\"id\":\"1\",\"body\":\"x\",\"title_from_body\":1}",
                                strlen("{\"id\":\"1\",\"body\":\"x\",\"title_from_body\":1}"),
                                &back, &why),
              LEDE_E_INVALID);
    CHECK_STR(why.msg, "field 'title_from_body' must be true or false");
    free(json);
    free(summary);
    article_free(&a);
}

static void test_bodies(void) {
    lede_article_t a = tidied("{\"id\":\"1\",\"title\":\"T\",\"body\":\"Showers continued in\\nthe "
                              "cocoa zone, easing the drought.\\n    The dry spell means a late "
                              "crop.\"}");
    CHECK_STR(a.body, "Showers continued in the cocoa zone, easing the drought.\n\nThe dry spell "
                      "means a late crop.");
    article_free(&a);
    const char *paras = "First paragraph.\n\nSecond paragraph.";
    CHECK(!tidy_body_is_wrapped(paras));
    CHECK(tidy_body_is_wrapped("one line\nthe next"));
    CHECK(!tidy_body_is_wrapped("one line\n  \n\nthe next\n"));
    a = tidied(
        "{\"id\":\"1\",\"title\":\"T\",\"body\":\"First paragraph.\\n\\nSecond paragraph.\"}");
    CHECK_STR(a.body, paras);
    article_free(&a);
}

int main(void) {
    RUN(test_bylines);
    RUN(test_titles);
    RUN(test_title_flag_stored);
    RUN(test_bodies);
    return check_summary();
}
