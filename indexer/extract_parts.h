/* extract_parts.h: the pieces of the text-page extractor (indexer/extract*.c).
 *
 * Private to the extractors; the indexer sees only extract.h (the tests use
 * this header too, to check the pieces one by one). Nothing here knows a
 * site: the page is read by the shape of its text, in the manner of
 * jusText and boilerpipe, with word lists only as vocabulary.
 *
 *   extract_page.c    cut the page into lines, drop a crawler's prefix, and
 *                     rebuild paragraphs ("units") from hard-wrapped lines
 *                     and sentences broken across lines
 *   extract_shape.c   what each unit looks like: words, stopwords, capitals,
 *                     end marks, words about the site itself
 *   extract_words.c   the vocabulary: stopwords, words of site furniture,
 *                     section names, photo words
 *   extract_class.c   units that are plainly not article text: furniture,
 *                     captions and photo credits, metadata lines
 *   extract_layout.c  where the article is: the run of text that reads as
 *                     prose, its headline, its closing block, and the other
 *                     stories and related links on the page
 *   extract_fields.c  fields from the metadata lines and the first paragraph
 *   extract_meta.c    bylines, name lines, section names
 *   extract_date.c    dates written out in words or digits
 *   extract_source.c  agencies, datelines and sources named in the text
 *   extract_title.c   a title made from a sentence
 *   extract_learn.c   furniture learnt from many pages of one run
 *   extract.c         the entry point, which runs the steps and finishes
 *
 * Strings returned as "static storage" live for the whole program; all
 * others are documented where they are returned. */
#ifndef LEDE_EXTRACT_PARTS_H
#define LEDE_EXTRACT_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"
#include "extract_trace.h"
#include "lede/article.h"

/* ---- shapes (extract_shape.c) ---------------------------------------- */

typedef struct {
    unsigned words;     /* runs of letters and digits (a CJK character is one) */
    unsigned letters;   /* words with a letter in them */
    unsigned stopwords; /* function words of the page's language (English) */
    unsigned capital;   /* words that start with a capital letter */
    unsigned lower;     /* words that start with a small letter */
    unsigned site_talk; /* words about the site: subscribe, share, click, video... */
    unsigned sentences; /* sentence ends inside or at the end */
    unsigned digits;    /* numbers: words that start with a digit */
    bool end_mark;      /* ends with . ! ? : or … (perhaps before a quote or bracket) */
    char last_mark;     /* that mark ('.' also for …), or 0 */
    bool ends_weak;     /* ends with a function word ("of", "the", "on") */
    bool starts_upper;  /* first letter is a capital (or a digit or quote) */
    bool starts_lower;
    bool all_caps;      /* no small letter, at least two capitals */
    bool second_person; /* "you", "your" */
    bool imperative;    /* opens with a verb a site uses: Read, Follow, Click, ... */
} ex_shape_t;

void ex_shape(const char *s, size_t n, ex_shape_t *out);

/* The little of a shape that joining lines needs, cheaply: a count of
 * space-separated words, and whether a sentence mark ends s. */
void ex_shape_light(const char *s, size_t n, unsigned *words, bool *end_mark);

/* True when the first letter of s is a small one ("settlement of the ..."). */
bool ex_starts_lower(const char *s);

/* A line that reads as prose: a sentence with function words in it. */
bool ex_shape_prose(const ex_shape_t *sh);

/* ---- vocabulary (extract_words.c) ------------------------------------- */

/* The lists a word is on, as EX_VOCAB_* bits; compared ignoring ASCII case. */
enum {
    EX_VOCAB_STOP = 1,
    EX_VOCAB_SITE = 2,
    EX_VOCAB_IMPERATIVE = 4,
    EX_VOCAB_WEAK_END = 8,
    EX_VOCAB_SECTION = 16,
    EX_VOCAB_PHOTO = 32,
};
unsigned ex_word_flags(const char *w, size_t n);

/* Each takes a word w[0..n) and compares it ignoring ASCII case. */
bool ex_word_stop(const char *w, size_t n);
bool ex_word_site(const char *w, size_t n);
bool ex_word_imperative(const char *w, size_t n);
bool ex_word_weak_end(const char *w, size_t n);
/* Words of a section name ("World", "News", "Political", "Economics"). */
bool ex_word_section(const char *w, size_t n);
/* Words that mark a picture: "photo", "file photo", "foto", "фото". */
bool ex_word_photo(const char *w, size_t n);

/* Bytes of the word (letters, digits, inner ' - . and ’) at s, or 0. */
size_t ex_word_len(const char *s);

/* True when c can continue a word (ASCII letter or digit, or any byte of a
 * multi-byte UTF-8 character), so that matches stop at word boundaries. */
bool ex_word_byte(char c);

/* True when the text at s cannot continue a word: the end, a space, ASCII
 * punctuation, a typographic quote or dash. */
bool ex_word_end(const char *s);

/* True when s starts with prefix, ignoring ASCII case. */
bool ex_prefix_ci(const char *s, const char *prefix);

/* s without a leading list bullet ("- ", "• ", "* "); borrowed from s. */
const char *ex_unbullet(const char *s);

/* A phrase that is whole-line furniture on many sites ("Leave a review",
 * "Back to top button", "Skip to main content"), compared after bullets,
 * case and trailing punctuation are dropped. */
bool ex_furniture_phrase(const char *s);

/* A line that opens as site furniture goes on ("Comments are closed ...",
 * "Dear User, please ...", "Sign up for ..."). */
bool ex_furniture_opening(const char *s);

/* ---- the page (extract_page.c) ---------------------------------------- */

/* Finer kinds of what a unit is, set by the detectors; the role (body,
 * meta, ...) is what the layout finally makes of it. */
typedef enum {
    EX_K_TEXT,       /* nothing special was found */
    EX_K_SEPARATOR,  /* a lone "-", "***", "—" */
    EX_K_FURNITURE,  /* site chrome */
    EX_K_NAV,        /* one of a run of menu-like lines */
    EX_K_CREDIT,     /* a photo credit alone ("PA Images", "© AP Photo/...") */
    EX_K_CAPTION,    /* a photo caption */
    EX_K_BYLINE,     /* "By Jane Doe", "Posted By ...", "- Jane Doe" */
    EX_K_DATE,       /* a line that holds a date and little else */
    EX_K_DATELINE,   /* "Baku, Azerbaijan, May 16": place and date alone */
    EX_K_SECTION,    /* a section name, a breadcrumb, "Theme: ..." */
    EX_K_AGENCY,     /* an agency alone ("Reuters", "The Associated Press") */
    EX_K_CREDITLINE, /* "(Reporting by ...; Editing by ...)" */
    EX_K_NAME,       /* a lone name: a byline after the text, or a place */
    EX_K_LABEL,      /* a label whose value is on the next line ("Posted On:") */
    EX_K_REPEAT,     /* a copy of another unit */
    EX_K_KINDS
} ex_kind_t;

/* Longest reason kept for --explain. */
#define EX_WHY_BYTES 112

typedef struct {
    char *s; /* NUL-terminated; in the page's memory */
    size_t len;
    unsigned first; /* first and last line of the page it came from (from 1) */
    unsigned last;
    bool gap_before;    /* a blank line, or the top of the page, comes before it */
    unsigned gap_lines; /* how many blank lines come before it */
    bool gap_after;
    bool indented;  /* its first line began with white space */
    bool set_apart; /* reflow: a quoted line or a table row, kept whole */
    ex_shape_t shape;
    ex_kind_t kind;
    ex_role_t role;
    bool decided;     /* the role is final */
    size_t article;   /* for body and title: which article */
    size_t prev_copy; /* the nearest earlier and later unit with the same */
    size_t next_copy; /* text (ex_unit_same), or SIZE_MAX */
    char why[EX_WHY_BYTES];
} ex_unit_t;

typedef struct {
    char *copy;   /* the text, cut into NUL-terminated lines */
    char *joined; /* room for units made of several lines */
    ex_unit_t *u;
    size_t n;
    unsigned n_lines;
    unsigned wrap;        /* the width the text was wrapped at; 0 if it was not */
    bool wrap_sure;       /* enough lines show that width to trust it exactly */
    bool blank_lines;     /* blank lines part the page; without them, lines
                           * that touch say nothing about belonging together */
    char prefix_date[32]; /* the date of a crawler's " date YYYY-MM-DD " prefix, or "" */
    bool tracing;         /* reasons are written only when someone reads them */
    bool reflow;          /* a body, not a page: join every broken sentence */
    bool indents;         /* reflow: an indent starts each paragraph */
    bool table;           /* no prose: the story is lines of figures or a list */
} ex_page_t;

/* Cuts text[0..len) into units: trimmed lines (spaces, tabs, no-break and
 * zero-width spaces), a crawler's date prefix removed from the first one,
 * wrapped lines joined into paragraphs. Blank lines make no unit; they set
 * gap_before/gap_after. LEDE_E_NOMEM on failure, with the page empty.
 * Free with ex_page_free(). */
lede_status_t ex_page_split(const char *text, size_t len, bool tracing, ex_page_t *page);

/* The same for an article body (reflow): in wrapped text, lines that do
 * not end a sentence, or that the wrapper broke, are joined to the next one
 * unless it is indented; where indents start paragraphs, only an indent
 * starts one. Quoted lines ("> ...") and table rows stay lines. */
lede_status_t ex_page_split_as(const char *text, size_t len, bool tracing, bool reflow,
                               ex_page_t *page);
void ex_page_free(ex_page_t *page);

/* Gives unit u its kind and role with a reason (formatted only when the
 * page is traced). A decided unit keeps its role. */
void ex_unit_set(ex_page_t *page, ex_unit_t *u, ex_kind_t kind, ex_role_t role, bool decided,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The unit's text compared loosely with another: equal ignoring case,
 * spaces and typographic quotes. */
bool ex_unit_same(const char *a, const char *b);

/* True when a begins with b (compared as loosely) followed by more text. */
bool ex_unit_prefix(const char *a, const char *b);

/* ---- detectors (extract_class.c) --------------------------------------- */

/* Marks the units that are plainly not article text, whatever their place:
 * separators, learnt and phrase furniture, menus, site notices, photo
 * credits and captions, metadata lines. learned may be NULL. */
void ex_classify(ex_page_t *page, const ex_learned_t *learned);

/* A line that could be a headline: a few words, no sentence end, not a
 * date, a byline or a menu. */
bool ex_headline_shape(const ex_unit_t *u);

/* The same test on a shape alone, whatever the unit was found to be. */
bool ex_headline_text(const ex_shape_t *sh, size_t len);

/* ---- metadata lines (extract_meta.c) --------------------------------- */

/* The canonical spelling of a section name, or NULL; static storage. */
const char *ex_meta_category(const char *s);

/* Number of name-like words in s[0..n) (1 to 4), or 0 when s is not
 * name-like: capitalised words of letters, hyphens, apostrophes and
 * abbreviation dots, with no sentence punctuation. */
int ex_meta_name_words(const char *s, size_t n);

/* True when line reads as a person's name: 2-4 name words, none of them a
 * dotted abbreviation such as "D.C.". */
bool ex_meta_person(const char *line);

/* True when line is a byline ("By Jane Doe", "By Jane Doe and John Roe,
 * Reuters", "Posted By Gary Tuchman, CNN Correspondent: 10:53 AM ET",
 * "- Jane Doe" after the text is an EX_K_NAME, not this). */
bool ex_meta_is_byline(const char *line);

/* Adds the names of a byline to a->authors (skipping duplicates) and its
 * agency (", Reuters", "By The Associated Press") to a->source when it has
 * none. Each name is traced with origin. */
lede_status_t ex_meta_byline(const char *line, lede_article_t *a, ex_trace_t *t, size_t article,
                             const char *origin);

/* Pushes s onto v unless an equal string is already there. */
lede_status_t ex_push_unique(lede_strv_t *v, const char *s);

/* ---- dates (extract_date.c) ------------------------------------------ */

/* Room for an ISO date as built here: "2022-12-23T18:09:00+04:00". */
#define EX_DATE_BYTES 40

/* True when line is nothing but a date, optionally with a weekday, a time,
 * a zone or offset, and a "Published"/"Updated" label; iso receives
 * "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ss" or the same with an offset. */
bool ex_date_line(const char *line, char iso[EX_DATE_BYTES]);

/* The first date in s (a line that holds a date among other things:
 * "September 10, 2013|Reuters", "Hatty Collier16 September 2018"); iso as
 * above, *at and *end the bytes it spans. False when there is none. */
bool ex_date_find(const char *s, char iso[EX_DATE_BYTES], size_t *at, size_t *end);

/* The same for a date that starts s. */
bool ex_date_at(const char *s, char iso[EX_DATE_BYTES], size_t *end);

/* True when s[0..n) ends with "Month D" or "Month D, YYYY" (a wire
 * dateline's date); iso receives "--MM-DD" or "YYYY-MM-DD" and *start the
 * offset where the date begins. */
bool ex_date_tail(const char *s, size_t n, char iso[EX_DATE_BYTES], size_t *start);

/* True when para[0..n) holds "<weekday> (<Month> <D>)", as in "a
 * videoconference Tuesday (April 20)"; iso receives "--MM-DD". para must
 * be NUL-terminated somewhere at or after n. */
bool ex_date_weekday_paren(const char *para, size_t n, char iso[EX_DATE_BYTES]);

/* True when the text at s names a month ("Dec.", "December", "Dekabr");
 * *n receives its length and *month 1-12. */
bool ex_date_month_at(const char *s, size_t *n, int *month);

/* ---- sources (extract_source.c) -------------------------------------- */

/* Room for a source name found in the text. */
#define EX_SOURCE_BYTES 64

/* The canonical name of the agency spelled s[0..n) ("Turan" -> "TURAN",
 * "Voice of America" -> "VOA"), or NULL; static storage. */
const char *ex_agency(const char *s, size_t n);

/* The longest known agency written at s, ending at a word boundary; its
 * length goes to *len. NULL when none. */
const char *ex_agency_at(const char *s, size_t *len);

/* What a dateline at the start of para gave. */
typedef struct {
    size_t len; /* bytes of the dateline, its dash or colon included */
    char source[EX_SOURCE_BYTES];
    char place[EX_SOURCE_BYTES * 2];
    char date[EX_DATE_BYTES];
    const char *how; /* which family: "wire dateline", ...; static */
} ex_dateline_t;

/* Reads a dateline at the start of para, in any of the families news sites
 * print: "WASHINGTON, March 30 (Reuters) -", "SEOUL, South Korea (AP) —",
 * "Baku/02.10.20/Turan:", "UN, September 20. /TASS/.", "Tehran, IRNA –",
 * "Tehran (IP) -", "BAKU, Azerbaijan, August 25.", "GAZA —", "Baku. 18
 * Febuary. REPORT.AZ/", "CAPE CANAVERAL, Fla. —". True when one was found. */
bool ex_dateline(const char *para, size_t n, ex_dateline_t *d);

/* A line that is only a dateline ("Baku, Azerbaijan, May 16", "Baku,
 * December 2, AZERTAC", "Georgia, Tbilisi, Feb. 7 /Trend, N. Kirtskhalia/",
 * "IANS Gaza"); *who receives a reporter named in it ("N. Kirtskhalia"). */
bool ex_dateline_line(const char *line, ex_dateline_t *d, char who[EX_SOURCE_BYTES]);

/* Finds the source in running text: "TURAN's Washington correspondent",
 * "told AFP", "an AFP photographer", "News.Az reports", "reports “WORLD
 * 24”", "Anadolu Agency reports". True when found. */
bool ex_source_in_text(const char *text, char out[EX_SOURCE_BYTES]);

/* ---- titles (extract_title.c) ----------------------------------------- */

/* Longest title made from a sentence, so that lists stay readable. */
#define EX_TITLE_MAX_BYTES 120

/* A title for text: its first sentence, cut at a word boundary to at most
 * EX_TITLE_MAX_BYTES (with "…" when cut). Caller frees; NULL on NOMEM. */
char *ex_title_from_text(const char *text);

/* ---- layout (extract_layout.c) ---------------------------------------- */

/* A story found on the page: its headline unit (or none), and its body's
 * first and last unit. Story 0 is the main article. */
typedef struct {
    size_t title;       /* unit index, or SIZE_MAX when there is no headline */
    size_t first, last; /* body units, inclusive; first > last when empty */
} ex_story_t;

typedef struct {
    ex_story_t *v;
    size_t n;
    size_t tail_first, tail_last; /* the main story's closing block, or empty */
} ex_layout_t;

/* The next unit after i (up to end) that is neither furniture, caption
 * nor skipped, or SIZE_MAX. */
size_t ex_next_real(const ex_page_t *page, size_t i, size_t end);

/* A metadata line, decided or waiting for its place to say what it is. */
bool ex_unit_meta(const ex_unit_t *u);

/* Finds the stories of a classified page and gives every undecided unit
 * its final role. LEDE_E_NOMEM on failure. Free with ex_layout_free(). */
lede_status_t ex_layout(ex_page_t *page, ex_layout_t *out);
void ex_layout_free(ex_layout_t *l);

/* ---- headlines (extract_headline.c) -------------------------------------- */

/* The index of the headline chosen among the units above unit body (the
 * story's first), or SIZE_MAX; candidates get their score as reason. */
size_t ex_headline_choose(ex_page_t *page, size_t body);

/* Makes unit t the headline of article number `article`; its copies, and
 * the page's <title> line that opens with it, become furniture (the title
 * line's date, if any, is kept as metadata). */
void ex_headline_mark(ex_page_t *page, size_t t, size_t article);

/* ---- fields (extract_fields.c) ----------------------------------------- */

/* Fills article number k (story s of the layout) from the page: title,
 * body, and the fields its metadata lines, dateline and text give. */
lede_status_t ex_fields(const ex_page_t *page, const ex_layout_t *l, size_t k, lede_article_t *a,
                        ex_trace_t *t);

/* ---- learnt furniture (extract_learn.c) -------------------------------- */

/* True when unit u was learnt as furniture; *pages says on how many pages
 * it was seen. */
bool ex_learned_has(const ex_learned_t *l, const ex_unit_t *u, unsigned *pages);

#endif
