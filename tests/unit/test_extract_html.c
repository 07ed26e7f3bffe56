/* Unit tests for the HTML page extractor: fixture pages under
 * tests/fixtures/html (invented, each showing one way pages declare or
 * print what they are), pages generated here for the hostile cases, and
 * the pieces (dates, charsets, names, site suffixes) one by one. */
#include <stdlib.h>

#include "check.h"
#include "extract.h"
#include "extract_html.h"
#include "extract_trace.h"

typedef struct {
    lede_status_t st;
    lede_article_t *v;
    size_t n;
    lede_err_t why;
} result_t;

static result_t run_len(const char *html, size_t len, const char *id, ex_trace_t *trace) {
    result_t r = {0};
    extract_opts_t opts = {.trace = trace};
    r.v = (lede_article_t *)&r; /* must be reset to NULL on failure */
    r.n = 99;
    r.st = extract_html(html, len, id, &opts, &r.v, &r.n, &r.why);
    if (r.st != LEDE_OK) {
        CHECK(r.v == NULL);
        CHECK_INT(r.n, 0);
    }
    return r;
}

static result_t run(const char *html) {
    return run_len(html, strlen(html), "p", NULL);
}

static result_t run_fixture_traced(const char *name, ex_trace_t *trace) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/html/%s", LEDE_FIXTURES, name);
    char *html = check_read_file(path, &len);
    if (!html) {
        fprintf(stderr, "cannot read %s\n", path);
        abort();
    }
    result_t r = run_len(html, len, "p", trace);
    free(html);
    if (r.st != LEDE_OK) fprintf(stderr, "%s: %s\n", name, r.why.msg);
    return r;
}

static result_t run_fixture(const char *name) {
    return run_fixture_traced(name, NULL);
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

static bool in_body(const lede_article_t *a, const char *needle) {
    return a->body && strstr(a->body, needle);
}

static bool starts_with(const char *s, const char *prefix) {
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The main article of a fixture that must give one; NULL (after a failed
 * check) otherwise. */
static lede_article_t *one(result_t *r) {
    CHECK_INT(r->st, LEDE_OK);
    CHECK_INT(r->n, 1);
    return r->st == LEDE_OK && r->n == 1 ? &r->v[0] : NULL;
}

/* ---- what pages declare ------------------------------------------------- */

static void test_jsonld(void) {
    result_t r = run_fixture("jsonld.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Harbour ferries return after three-day storm");
        CHECK_INT(a->authors.n, 1); /* the Organization "author" is not a writer */
        if (a->authors.n == 1) CHECK_STR(a->authors.v[0], "Marta Lindqvist");
        CHECK_STR(a->date, "2023-03-14T07:30:00Z"); /* datePublished, not dateModified */
        CHECK_STR(a->source, "The Coastal Herald");
        CHECK_STR(a->category, "Local");
        CHECK_INT(a->tags.n, 3);
        CHECK_STR(a->url, "https://news.example.org/coast/2023/03/ferries-return");
        CHECK_STR(a->language, "en");
        CHECK_INT(paragraphs(a->body), 4);
        CHECK(starts_with(a->body, "Ferries returned to the harbour"));
        CHECK(!in_body(a, "Share on Facebook")); /* share bar */
        CHECK(!in_body(a, "Storm warning"));     /* related links */
        CHECK(!in_body(a, "Related stories"));
        CHECK(!in_body(a, "first ferry leaves")); /* figure caption */
        CHECK(!in_body(a, "Coast"));              /* navigation */
        CHECK(!in_body(a, "Copyright"));          /* footer */
        CHECK(!in_body(a, "By Marta Lindqvist")); /* byline */
    }
    result_free(&r);
}

static void test_jsonld_graph(void) {
    result_t r = run_fixture("graph.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Neue Brücke über den Fluss eröffnet");
        CHECK_INT(a->authors.n, 2);
        if (a->authors.n == 2) CHECK_STR(a->authors.v[1], "Lea Hoffmann");
        CHECK_STR(a->date, "2022-09-03");
        CHECK_STR(a->source, "Stadtanzeiger");
        CHECK_STR(a->category, "Stadt");
        CHECK_STR(a->language, "de");
        CHECK_INT(paragraphs(a->body), 3);
    }
    result_free(&r);
}

static void test_opengraph(void) {
    result_t r = run_fixture("opengraph.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Library extends opening hours for exam season");
        CHECK_INT(a->authors.n, 0); /* article:author is a profile address */
        CHECK_STR(a->date, "2021-05-02T21:45:00Z");
        CHECK_STR(a->source, "Valley Times");
        CHECK_STR(a->category, "Education");
        CHECK_INT(a->tags.n, 2);
        CHECK_STR(a->url, "https://valley.example.com/news/library-hours");
        CHECK_STR(a->language, "en");
        CHECK_INT(paragraphs(a->body), 3);
    }
    result_free(&r);
}

static void test_meta_only(void) {
    result_t r = run_fixture("meta.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Farmers welcome early rain"); /* " - Plains Gazette" stripped */
        CHECK_STR(a->source, "Plains Gazette");            /* ... and kept as the source */
        CHECK_INT(a->authors.n, 1);
        if (a->authors.n == 1) CHECK_STR(a->authors.v[0], "Ruth Castellanos");
        CHECK_STR(a->date, "2019-07-21T06:15:00Z");
        CHECK_STR(a->url, "http://plains.example.net/farm/early-rain");
        CHECK_INT(a->tags.n, 3);
        CHECK(!in_body(a, "Front page"));
        CHECK_INT(paragraphs(a->body), 3);
    }
    result_free(&r);
}

/* ---- charsets --------------------------------------------------------------- */

static void test_charset_latin1(void) {
    result_t r = run_fixture("latin1.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Caf\xC3\xA9 du port ferm\xC3\xA9 pour travaux");
        CHECK(in_body(a, "p\xC3\xAA"
                         "cheurs"));
    }
    result_free(&r);
}

static void test_charset_cp1251(void) {
    result_t r = run_fixture("cp1251.html");
    lede_article_t *a = one(&r);
    if (a) {
        /* "В городе открылся новый парк" */
        CHECK_STR(a->title, "\xD0\x92 \xD0\xB3\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4\xD0\xB5 "
                            "\xD0\xBE\xD1\x82\xD0\xBA\xD1\x80\xD1\x8B\xD0\xBB\xD1\x81\xD1\x8F "
                            "\xD0\xBD\xD0\xBE\xD0\xB2\xD1\x8B\xD0\xB9 "
                            "\xD0\xBF\xD0\xB0\xD1\x80\xD0\xBA");
        CHECK_INT(paragraphs(a->body), 3);
    }
    result_free(&r);
}

static void test_byte_order_marks(void) {
    result_t r8 = run_fixture("bom-utf8.html"), r16 = run_fixture("bom-utf16le.html");
    lede_article_t *a = one(&r8), *b = one(&r16);
    if (a && b) {
        CHECK_STR(a->title, "Night trains return to the mountain line");
        CHECK_STR(b->title, a->title);
        CHECK_STR(b->body, a->body);
        CHECK_INT(paragraphs(a->body), 3);
    }
    result_free(&r8);
    result_free(&r16);
}

/* Invalid UTF-8 in a page that declares nothing is read as windows-1252. */
static void test_undeclared_not_utf8(void) {
    char page[2048];
    snprintf(page, sizeof page,
             "<html><body><div class=\"story\">"
             "<p>The caf\xE9 on the quay reopened on Monday after a winter of repairs, and its "
             "owner said the terrace would be open every day from eight o'clock.</p>"
             "<p>Regulars said the coffee tasted the same as before, which was exactly what "
             "they had hoped for, and that the new chairs were far more comfortable.</p>"
             "<p>The town hall paid for part of the work, which included a new kitchen, a "
             "wider door and a ramp for wheelchairs and prams.</p></div></body></html>");
    result_t r = run(page);
    lede_article_t *a = one(&r);
    if (a) CHECK(in_body(a, "caf\xC3\xA9 on the quay"));
    result_free(&r);
}

/* ---- structure -------------------------------------------------------------- */

static void test_malformed(void) {
    result_t r = run_fixture("malformed.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->title, "Council votes to keep the old market hall");
        CHECK_INT(paragraphs(a->body), 4);
        CHECK(in_body(a, "cheered loudly when the result was read out by the chair."));
        CHECK(starts_with(a->body, "The city council voted"));
    }
    result_free(&r);
}

static void test_wire_dateline(void) {
    result_t r = run_fixture("wire.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_STR(a->source, "Reuters"); /* the wire credited in the text wins */
        CHECK_INT(a->places.n, 1);
        if (a->places.n == 1) CHECK_STR(a->places.v[0], "Lisbon");
        CHECK_INT(a->authors.n, 1);
        if (a->authors.n == 1) CHECK_STR(a->authors.v[0], "Ana Pereira");
        CHECK(starts_with(a->body, "LISBON (Reuters) - The central bank"));
        CHECK(!in_body(a, "Editing by")); /* the credit line after the text */
    }
    result_free(&r);
}

static void test_dateline_and_edges(void) {
    result_t r = run_fixture("dateline.html");
    lede_article_t *a = one(&r);
    if (a) {
        CHECK_INT(a->places.n, 1);
        if (a->places.n == 1) CHECK_STR(a->places.v[0], "Reykjavik");
        CHECK_STR(a->date, "2018-03-09"); /* the date line under the headline */
        CHECK(starts_with(a->body, "REYKJAVIK \xE2\x80\x94 A volcano"));
        CHECK_INT(paragraphs(a->body), 3);
        CHECK(!in_body(a, "This article was updated")); /* a note in italics */
        CHECK(!in_body(a, "science reporter"));         /* the writer's bio */
        CHECK_INT(a->authors.n, 1);                     /* ... who is the writer */
        if (a->authors.n == 1) CHECK_STR(a->authors.v[0], "Kari Sigurdsson");
    }
    result_free(&r);
}

/* ---- pages without an article ------------------------------------------------ */

static void check_no_article(const char *fixture) {
    result_t r = run_fixture(fixture);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK_STR(r.why.msg, EXTRACT_NO_ARTICLE);
    result_free(&r);
}

static void test_index_page(void) {
    check_no_article("index.html");
}

static void test_not_found_page(void) {
    check_no_article("notfound.html");
}

static void test_cookie_wall(void) {
    check_no_article("cookiewall.html");
}

static void test_nothing_left(void) {
    result_t r = run("<html><head><title>Menu</title></head><body><nav><a href=/>Home</a> "
                     "<a href=/news>News</a></nav><footer>Contact us</footer></body></html>");
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK_STR(r.why.msg, EXTRACT_NO_ARTICLE);
    result_free(&r);
}

/* ---- hostile and broken input ------------------------------------------------- */

static bool why_has(const result_t *r, const char *needle) {
    bool has = strstr(r->why.msg, needle) != NULL;
    if (!has) fprintf(stderr, "why: %s\n", r->why.msg);
    return has;
}

static void test_deep_nesting(void) {
    const size_t depth = 100000;
    size_t cap = depth * 12 + 256, len = 0;
    char *page = malloc(cap);
    len += (size_t)snprintf(page, cap, "<html><body>");
    for (size_t i = 0; i < depth; i++) len += (size_t)snprintf(page + len, cap - len, "<div>");
    len += (size_t)snprintf(page + len, cap - len, "<p>deep</p>");
    for (size_t i = 0; i < depth; i++) len += (size_t)snprintf(page + len, cap - len, "</div>");
    result_t r = run_len(page, len, "deep", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "nested deeper than"));
    result_free(&r);
    free(page);
}

static void test_many_attributes(void) {
    size_t cap = 200000, len = 0;
    char *page = malloc(cap);
    len += (size_t)snprintf(page, cap, "<html><body><div");
    for (int i = 0; i < 5000; i++) len += (size_t)snprintf(page + len, cap - len, " a%d=1", i);
    len += (size_t)snprintf(page + len, cap - len, ">x</div></body></html>");
    result_t r = run_len(page, len, "attrs", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "5000 attributes at line 1"));
    result_free(&r);
    free(page);
}

static void test_many_tags(void) {
    size_t n = 210000, len = 0, cap = n * 4 + 64;
    char *page = malloc(cap);
    len += (size_t)snprintf(page, cap, "<html><body>");
    for (size_t i = 0; i < n; i++) memcpy(page + len, "<p>t", 4), len += 4;
    result_t r = run_len(page, len, "tags", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "more than 200000 tags"));
    result_free(&r);
    free(page);
}

static void test_bad_input(void) {
    static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    result_t r = run_len(binary, sizeof binary - 1, "png", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "binary data"));
    result_free(&r);
    r = run_len("", 0, "empty", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "empty page"));
    result_free(&r);
    r = run_len("<p>x</p>", 8, "", NULL);
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "no id"));
    result_free(&r);
    r = run(
        "<html><head><meta charset=\"x-no-such-charset\"></head><body><p>text</p></body></html>");
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK(why_has(&r, "unknown charset \"x-no-such-charset\" (<meta charset>)"));
    result_free(&r);
    r = run("<<<>>> <? <!-- ]]> &&&; <a <b <c");
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK_STR(r.why.msg, EXTRACT_NO_ARTICLE);
    result_free(&r);
}

/* A charset label is the page's text: the reason and the trace quote it
 * as an excerpt, UTF-8 and free of control bytes (fuzz_html found a
 * reason that was neither). */
static void test_charset_label_quoted(void) {
    result_t r = run("<html><head><meta charset=\"\xEB\xE8\x1B[2J\"></head>"
                     "<body><p>text</p></body></html>");
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK_STR(r.why.msg, "unknown charset \"???[2J\" (<meta charset>)");
    result_free(&r);
    /* Cut to 47 bytes inside the 'é' that ends it. */
    r = run("<html><head><meta charset=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xC3\xA9\">"
            "</head><body><p>text</p></body></html>");
    CHECK_INT(r.st, LEDE_E_INVALID);
    CHECK_STR(r.why.msg, "unknown charset \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx?\" "
                         "(<meta charset>)");
    result_free(&r);
    /* Read as UTF-8 (the label's name ends at the ESC), traced without it. */
    static const char page[] = "<html><head><meta charset=\"utf-8\x1B[2J\"></head><body>"
                               "<p>Ferries returned to the harbour on Tuesday morning after "
                               "the storm.</p></body></html>";
    ex_trace_t *t = ex_trace_new();
    r = run_len(page, strlen(page), "p", t);
    CHECK(ex_trace_n_notes(t) >= 1 &&
          strstr(ex_trace_get_note(t, 0), "read as utf-8?[2J (<meta charset>)"));
    CHECK(ex_trace_n_notes(t) >= 1 && !strchr(ex_trace_get_note(t, 0), '\x1B'));
    result_free(&r);
    ex_trace_free(t);
}

/* The first element named name below n, depth first. */
static xmlNode *find_element(xmlNode *n, const char *name) {
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0) return n;
        xmlNode *below = find_element(n->children, name);
        if (below) return below;
    }
    return NULL;
}

/* An element's description in the trace quotes its attributes as
 * excerpts: a cut inside a character made it not UTF-8 (found by
 * fuzz_html), a control byte reached the terminal. */
static void test_describe_quotes(void) {
    static const char page[] =
        "<html><body><div id=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xC3\xA9\">a</div>"
        "<p class=\"a\x1B[2Jb\">b</p><span itemprop=\"\xC3\xA9\x07\">c</span></body></html>";
    xmlDoc *doc;
    char where[96];
    lede_err_t why;
    CHECK_INT(html_parse(page, strlen(page), &doc, &why), LEDE_OK);
    xmlNode *root = xmlDocGetRootElement(doc);
    html_describe(find_element(root, "div"), where, sizeof where);
    CHECK_STR(where, "<div id=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\">");
    html_describe(find_element(root, "p"), where, sizeof where);
    CHECK_STR(where, "<p class=\"a?[2Jb\">");
    html_describe(find_element(root, "span"), where, sizeof where);
    CHECK_STR(where, "<span itemprop=\"\xC3\xA9?\">");
    char small[18]; /* the whole cut on a character boundary too: not in the 'é' */
    html_describe(find_element(root, "span"), small, sizeof small);
    CHECK_STR(small, "<span itemprop=\"");
    xmlFreeDoc(doc);
}

/* ---- the trace ------------------------------------------------------------------ */

static bool traced(const ex_trace_t *t, ex_role_t role, const char *text_part) {
    for (size_t i = 0; i < ex_trace_n_blocks(t); i++) {
        const ex_trace_block_t *b = ex_trace_get_block(t, i);
        if (b->role == role && strstr(b->text, text_part)) return true;
    }
    return false;
}

static const char *origin_of(const ex_trace_t *t, const char *field) {
    for (size_t i = 0; i < ex_trace_n_fields(t); i++)
        if (strcmp(ex_trace_get_field(t, i)->field, field) == 0)
            return ex_trace_get_field(t, i)->origin;
    return NULL;
}

static void test_trace(void) {
    ex_trace_t *t = ex_trace_new();
    result_t r = run_fixture_traced("jsonld.html", t);
    CHECK_INT(r.st, LEDE_OK);
    CHECK_STR(origin_of(t, "title"), "JSON-LD NewsArticle headline");
    CHECK_STR(origin_of(t, "date"), "JSON-LD NewsArticle datePublished");
    CHECK_STR(origin_of(t, "url"), "<link rel=\"canonical\">");
    CHECK(traced(t, EX_ROLE_BODY, "Ferries returned to the harbour"));
    CHECK(traced(t, EX_ROLE_CAPTION, "first ferry leaves"));
    CHECK(traced(t, EX_ROLE_SIDEBAR, "Storm warning"));
    CHECK(traced(t, EX_ROLE_META, "By Marta Lindqvist")); /* the byline next to the text */
    CHECK(traced(t, EX_ROLE_META, "Coastal Herald Staff") == false); /* not a claim */
    CHECK(ex_trace_n_notes(t) >= 1 && strstr(ex_trace_get_note(t, 0), "utf-8 (<meta charset>)"));
    CHECK(!ex_trace_failed(t));
    result_free(&r);
    ex_trace_free(t);
}

/* ---- the pieces ------------------------------------------------------------------ */

static void check_date(const char *text, bool whole, const char *want) {
    char iso[HTML_DATE_BYTES] = "";
    bool ok = html_date_parse(text, whole, iso);
    if (!want) {
        CHECK(!ok);
        if (ok) fprintf(stderr, "  %s -> %s\n", text, iso);
        return;
    }
    CHECK(ok);
    CHECK_STR(iso, want);
}

static void test_dates(void) {
    check_date("2017-01-18T23:00:00-0800", true, "2017-01-18T23:00:00-08:00");
    check_date("2017-11-03 03:01:00.000000", true, "2017-11-03T03:01:00");
    check_date("2019-01-03T07:00:02.000Z", true, "2019-01-03T07:00:02Z");
    check_date("2017-11-16T14:15+0000", true, "2017-11-16T14:15:00+00:00");
    check_date("20170113", true, "2017-01-13");
    check_date("Fri Mar 13 21:30:09 EST 2015", true, "2015-03-13T21:30:09");
    check_date("Jan. 13, 2017", true, "2017-01-13");
    check_date("Published: March 11, 2015 3:46 PM", true, "2015-03-11T15:46:00");
    check_date("posted on April 21, 2015, at 11:29 a.m.", true, "2015-04-21T11:29:00");
    check_date("Sunday, Feb 1, 2015 11:57 AM UTC", true, "2015-02-01T11:57:00Z");
    check_date("18 mars 2015", true, "2015-03-18");
    check_date("21 de dezembro de 2018", true, "2018-12-21");
    check_date("21.12.2018", true, "2018-12-21");
    check_date("2/26/2015 7:11 AM PST", true, "2015-02-26T07:11:00");
    check_date("2016\xE5\xB9\xB4"
               "10\xE6\x9C\x88"
               "14\xE6\x97\xA5"
               "07:17",
               true, "2016-10-14T07:17:00");
    check_date("March 18 at 3:57 PM", true, NULL); /* no year: not a date to keep */
    check_date("The house was sold in May", true, NULL);
    check_date("Room 12, 2015 guests", true, NULL);
    check_date("TNW 2016\xE5\xB9\xB4"
               "10\xE6\x9C\x88"
               "14\xE6\x97\xA5",
               false, "2016-10-14");
    check_date("Updated on 3 June 2020 by the desk", false, "2020-06-03");
}

static void test_charset_names(void) {
    char buf[HTML_CHARSET_BYTES];
    CHECK_STR(html_charset_name("ISO-8859-1", buf), "WINDOWS-1252");
    CHECK_STR(html_charset_name("utf8", buf), "UTF-8");
    CHECK_STR(html_charset_name("gb2312", buf), "GB18030");
    CHECK_STR(html_charset_name("Shift_JIS", buf), "CP932");
    CHECK_STR(html_charset_name("windows-1251", buf), "windows-1251");
    CHECK(html_charset_name("{{charset}}", buf) == NULL);
    CHECK(html_charset_name("", buf) == NULL);
}

static void test_title_suffixes(void) {
    html_claims_t c = {0};
    char site[HTML_NAME_BYTES];
    html_claim(&c, HC_SITE, HC_OPENGRAPH, "HeraldSun", 9, "og");
    const char *t1 = "Angry media won't buckle | Herald Sun";
    CHECK_INT(html_names_strip_site(t1, &c, site), strlen("Angry media won't buckle"));
    CHECK_STR(site, "Herald Sun");
    const char *t2 = "Tite diz que errou - 21/12/2018 - Esporte - Folha";
    CHECK_INT(html_names_strip_site(t2, &c, site), strlen("Tite diz que errou"));
    CHECK_STR(site, "Folha");
    const char *t3 = "Review - a quiet film about a loud family";
    CHECK_INT(html_names_strip_site(t3, &c, site), strlen(t3)); /* no site named there */
    html_claims_free(&c);
}

static void add_name(void *ctx, const char *name) {
    lede_strv_t *v = ctx;
    strv_push(v, name);
}

static void check_names(const char *byline, size_t n, const char *first, const char *last) {
    lede_strv_t v = {0};
    html_claims_t sites = {0};
    html_claim(&sites, HC_SITE, HC_OPENGRAPH, "BBC News", 8, "og");
    html_names_split(byline, &sites, add_name, &v);
    CHECK_INT(v.n, n);
    if (v.n == n && n > 0) {
        CHECK_STR(v.v[0], first);
        CHECK_STR(v.v[n - 1], last);
    }
    strv_free(&v);
    html_claims_free(&sites);
}

static void test_bylines(void) {
    check_names("By Jane Doe and John Roe", 2, "Jane Doe", "John Roe");
    check_names("Par Martin Dupont (avec Anne Leroy et Paul Morel)", 3, "Martin Dupont",
                "Paul Morel");
    check_names("Richard (R.J.) Smith", 1, "Richard (R.J.) Smith", "Richard (R.J.) Smith");
    check_names("By GILLIAN WEST March 11, 2015 3:46 PM", 1, "GILLIAN WEST", "GILLIAN WEST");
    check_names("By Brenda  Goodman, MA", 1, "Brenda Goodman", "Brenda Goodman");
    check_names("By Ana Pereira, Reuters", 1, "Ana Pereira", "Ana Pereira");
    check_names("BBC News", 0, NULL, NULL);          /* the site itself */
    check_names("Our Foreign Staff", 0, NULL, NULL); /* a desk */
    check_names("devindra", 0, NULL, NULL);          /* a user name */
    check_names("Rob Ewing Edited by Beth Byers", 1, "Rob Ewing", "Rob Ewing"); /* not the editor */
    check_names("Last Updated: January 7, 2025", 0, NULL, NULL);
    check_names("Organization for Quiet Works", 0, NULL, NULL);
    CHECK(html_names_organisation("WebMD Health News"));
    CHECK(!html_names_organisation("Jane Doe"));
}

static void test_site_names(void) {
    char out[HTML_NAME_BYTES];
    CHECK(html_names_site("http://www.tmz.com", out));
    CHECK_STR(out, "tmz");
    CHECK(html_names_site("TMZ.com", out));
    CHECK_STR(out, "TMZ");
    CHECK(
        html_names_site("Akt\xC3\xBA\xC3\xA1ln\xC4\x9B.cz - V\xC3\xADte, co se d\xC4\x9Bje", out));
    CHECK_STR(out, "Akt\xC3\xBA\xC3\xA1ln\xC4\x9B.cz");
    CHECK(html_names_same_site("the Guardian", "The Guardian"));
    CHECK(html_names_same_site("HeraldSun", "Herald Sun"));
    CHECK(!html_names_same_site("BuzzFeed", "BuzzFeed News"));
}

int main(void) {
    RUN(test_jsonld);
    RUN(test_jsonld_graph);
    RUN(test_opengraph);
    RUN(test_meta_only);
    RUN(test_charset_latin1);
    RUN(test_charset_cp1251);
    RUN(test_byte_order_marks);
    RUN(test_undeclared_not_utf8);
    RUN(test_malformed);
    RUN(test_wire_dateline);
    RUN(test_dateline_and_edges);
    RUN(test_index_page);
    RUN(test_not_found_page);
    RUN(test_cookie_wall);
    RUN(test_nothing_left);
    RUN(test_deep_nesting);
    RUN(test_many_attributes);
    RUN(test_many_tags);
    RUN(test_bad_input);
    RUN(test_charset_label_quoted);
    RUN(test_describe_quotes);
    RUN(test_trace);
    RUN(test_dates);
    RUN(test_charset_names);
    RUN(test_title_suffixes);
    RUN(test_bylines);
    RUN(test_site_names);
    return check_summary();
}
