/* The extractor over the five seed pages in ../shared/seeds (TURAN, UPI
 * and VOA pages as scraped). The expected values were read off the pages
 * by hand. Skipped (exit 77) when ../shared is absent. */
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "extract.h"

/* What one seed page must give; NULL means "absent". */
typedef struct {
    const char *file;
    size_t articles; /* the main article and its sidebar items */
    const char *title;
    const char *author;
    const char *date; /* as normalised by article_validate() */
    const char *category;
    const char *source;
    const char *place;
    const char *body_start;
    const char *body_end;
    size_t paragraphs;
} seed_t;

static const seed_t SEEDS[] = {
    {"000_9ce7387c01b9df5b.txt", 5,
     "U.S. Will \"Remain Relentless\" In Trying To Stop Human Rights Violations, Blinken says",
     "Alex Raufoglu", "2022-12-23T18:09:00Z", "Politics", "TURAN", "Washington D.C.",
     "Top U.S. diplomats on Thursday pledged", "bringing these abuses to an end.\"", 10},
    {"001_47a032294f3e66c7.txt", 1,
     "U.S. will defend 'human rights everywhere,' says Blinken in departure from Trump policies",
     NULL, "--03-30", NULL, "UPI", NULL, "March 30 (UPI) -- In a reversal of several key",
     "this administration has been more forward leaning.\"", 18},
    {"002_8eec6b4828c97d60.txt", 1, "Antony Blinken", "Alex Raufoglu", NULL, "Politics", "TURAN",
     NULL, "The State Department said on Tuesday the United States raises",
     "should be released immediately and unconditionally.\"", 8},
    {"003_bac9285172b380f5.txt", 1, "U.S. Flags Significant Human Rights Abuses In Azerbaijan",
     "Alex Raufoglu", NULL, "Politics", "TURAN", "Washington D.C.",
     "Washington D.C./Turan: The U.S. State Department cited",
     "in all countries that are members of the UN.", 11},
    {"004_7b86db70699057fe.txt", 1, "Blinken holds meeting with human rights defenders", NULL,
     "--04-20", NULL, "VOA", NULL, "U.S. Secretary of State John Blinken held a videoconference",
     "to make human rights a priority of U.S. foreign policy.", 12},
};

/* Site furniture that must be neither indexed nor shown. */
static const char *const FURNITURE[] = {"Leave a review",   "Follow us",     "News Line",
                                        "Latest Headlines", "License Photo", "RELATED",
                                        "Pool Photo",       "- Social"};

static const char *seeds_dir;

typedef struct {
    lede_status_t st;
    lede_article_t *v;
    size_t n;
} result_t;

static result_t run_seed(const char *file) {
    char path[4096];
    lede_err_t why = {""};
    size_t len = 0;
    result_t r = {0};
    snprintf(path, sizeof path, "%s/%s", seeds_dir, file);
    char *text = check_read_file(path, &len);
    CHECK(text != NULL);
    r.st = text ? extract_text(text, len, file, NULL, &r.v, &r.n, &why) : LEDE_E_IO;
    if (r.st != LEDE_OK) fprintf(stderr, "%s: %s\n", file, why.msg);
    free(text);
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

static bool ends_with(const char *s, const char *suffix) {
    size_t n = s ? strlen(s) : 0, k = strlen(suffix);
    return s && n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A list holding exactly want (or nothing, when want is NULL). */
static void check_list(const lede_strv_t *v, const char *want) {
    CHECK_INT(v->n, want ? 1 : 0);
    if (want && v->n == 1) CHECK_STR(v->v[0], want);
}

static void check_optional(const char *got, const char *want, const char *what) {
    if (want) {
        CHECK_STR(got, want);
    } else if (got) {
        fprintf(stderr, "  %s should be absent, is '%s'\n", what, got);
        CHECK(got == NULL);
    }
}

static void check_main(const seed_t *s, const lede_article_t *a) {
    CHECK_STR(a->id, s->file);
    CHECK_STR(a->title, s->title);
    check_list(&a->authors, s->author);
    check_optional(a->date, s->date, "date");
    check_optional(a->category, s->category, "category");
    check_optional(a->source, s->source, "source");
    check_list(&a->places, s->place);
    CHECK(a->body != NULL);
    if (!a->body) return;
    CHECK(starts_with(a->body, s->body_start));
    CHECK(ends_with(a->body, s->body_end));
    CHECK_INT(paragraphs(a->body), s->paragraphs);
    /* Metadata lines are not body text. */
    if (s->author) CHECK(strstr(a->body, s->author) == NULL);
    if (s->category) CHECK(strstr(a->body, s->category) == NULL);
}

static void check_no_furniture(const result_t *r, const char *file) {
    for (size_t i = 0; i < r->n; i++) {
        for (size_t k = 0; k < sizeof FURNITURE / sizeof FURNITURE[0]; k++) {
            const lede_article_t *a = &r->v[i];
            bool found =
                strstr(a->title, FURNITURE[k]) || (a->body && strstr(a->body, FURNITURE[k]));
            if (found) fprintf(stderr, "  %s article %zu holds '%s'\n", file, i, FURNITURE[k]);
            CHECK(!found);
        }
    }
}

static void test_seed_pages(void) {
    for (size_t i = 0; i < sizeof SEEDS / sizeof SEEDS[0]; i++) {
        const seed_t *s = &SEEDS[i];
        result_t r = run_seed(s->file);
        CHECK_INT(r.st, LEDE_OK);
        CHECK_INT(r.n, s->articles);
        if (r.n >= 1) check_main(s, &r.v[0]);
        check_no_furniture(&r, s->file);
        result_free(&r);
    }
}

/* Seed 002 prints its one-line title twice; the copy is not body text. */
static void test_repeated_title(void) {
    result_t r = run_seed("002_8eec6b4828c97d60.txt");
    if (r.n >= 1) CHECK(!starts_with(r.v[0].body, "Antony Blinken"));
    result_free(&r);
}

typedef struct {
    const char *title;
    const char *body_start;
    const char *body_end;
} item_t;

/* The sidebar items after seed 000's closing block. */
static const item_t ITEMS[] = {
    {"Germany's Foreign Minister Annalena Baerbock, who arrived in Baku today, held a press "
     "conference at the COP29 climate\xE2\x80\xA6",
     "Germany's Foreign Minister Annalena Baerbock",
     "Gubad Ibadoglu, a doctor from Dresden University."},
    {"On November 21, climate activists held a series of protests at the COP29 climate "
     "conference in Baku.",
     "On November 21, climate activists", "and environmental pollution."},
    {"The General Assembly of the Eastern Partnership Civil Society Forum (EaP CSF) adopted a "
     "resolution on Friday\xE2\x80\xA6",
     "The General Assembly of the Eastern Partnership", "Russia's ongoing aggression in Ukraine."},
    {"Activist Nijat Ibrahim, who was detained in Baku pre-trial detention center-1, inflicted "
     "numerous wounds on himself\xE2\x80\xA6",
     "Activist Nijat Ibrahim, who was detained", "he cut his throat and ears."},
};

static void check_sidebar_item(const lede_article_t *a, size_t k) {
    char id[64];
    snprintf(id, sizeof id, "000_9ce7387c01b9df5b.txt#%zu", k + 2);
    CHECK_STR(a->id, id);
    CHECK_STR(a->title, ITEMS[k].title);
    CHECK(strlen(a->title) <= 120);
    CHECK(starts_with(a->body, ITEMS[k].body_start));
    CHECK(ends_with(a->body, ITEMS[k].body_end));
    CHECK_INT(paragraphs(a->body), 1);
    CHECK_STR(a->source, "TURAN"); /* the page's source */
    CHECK(a->date == NULL && a->category == NULL);
    CHECK_INT(a->authors.n + a->places.n, 0);
}

static void test_seed_sidebar(void) {
    result_t r = run_seed("000_9ce7387c01b9df5b.txt");
    const char *const elsewhere[] = {"COP29", "Ibadoglu", "Nijat", "EaP CSF", "Baerbock"};
    CHECK_INT(r.n, 5);
    if (r.n != 5) {
        result_free(&r);
        return;
    }
    for (size_t k = 0; k < sizeof elsewhere / sizeof elsewhere[0]; k++)
        CHECK(strstr(r.v[0].title, elsewhere[k]) == NULL &&
              strstr(r.v[0].body, elsewhere[k]) == NULL);
    for (size_t k = 0; k < 4; k++) check_sidebar_item(&r.v[k + 1], k);
    CHECK(strstr(r.v[1].body, "Ibadoglu") != NULL);
    CHECK(strstr(r.v[4].body, "Nijat") != NULL);
    result_free(&r);
}

int main(void) {
    static char dir[4096];
    struct stat st;
    const char *shared = check_shared_dir();
    if (!shared) return 77;
    snprintf(dir, sizeof dir, "%s/seeds", shared);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP: no seed pages at %s\n", dir);
        return 77;
    }
    seeds_dir = dir;
    RUN(test_seed_pages);
    RUN(test_repeated_title);
    RUN(test_seed_sidebar);
    return check_summary();
}
