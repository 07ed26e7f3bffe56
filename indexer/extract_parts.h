/* extract_parts.h: the pieces of the page extractor (indexer/extract*.c).
 *
 * Private to the extractor; the indexer sees only extract.h (the tests use
 * this header too, to check the pieces one by one). The work goes in three
 * steps: cut the page into lines and drop the furniture, walk the lines
 * into articles, then finish each article from its whole body.
 *
 *   extract_page.c    split the page into trimmed lines and mark the ones
 *                     that are blank, separators ("-") or site furniture
 *   extract_walk.c    walk the remaining lines: body paragraphs, metadata
 *                     lines, and the sidebar items after the closing block
 *   extract_meta.c    what a metadata line is: name, byline, category
 *   extract_date.c    dates written out in words or digits
 *   extract_source.c  agencies, datelines and "TURAN's correspondent"
 *   extract_title.c   a title for a sidebar item: its first sentence
 *   extract.c         the entry point, which runs the steps and finishes
 *
 * Strings returned as "static storage" live for the whole program; all
 * others are documented where they are returned.
 */
#ifndef LEDE_EXTRACT_PARTS_H
#define LEDE_EXTRACT_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "lede/article.h"

/* ---- lines (extract_page.c) ------------------------------------------ */

typedef enum {
    EX_BLANK,     /* nothing but white space */
    EX_SEPARATOR, /* a lone "-" (or "***", "—"): the site's divider */
    EX_FURNITURE, /* site chrome, teasers, photo captions and credits */
    EX_TEXT       /* everything else: paragraphs and metadata */
} ex_kind_t;

typedef struct {
    char *s; /* trimmed and NUL-terminated; points into the page's copy */
    size_t len;
    ex_kind_t kind;
    bool credit; /* a photo credit line (a kind of furniture) */
} ex_line_t;

typedef struct {
    char *copy;       /* the text with its line ends replaced by NULs */
    ex_line_t *lines; /* each line points into copy */
    size_t n;
} ex_page_t;

/* Splits text[0..len) at \n, \r\n and \r, trims each line (spaces, tabs,
 * no-break spaces) and classifies it. The page owns its memory; free it
 * with ex_page_free(). LEDE_E_NOMEM on failure, with the page empty. */
lede_status_t ex_page_split(const char *text, size_t len, ex_page_t *page);
void ex_page_free(ex_page_t *page);

/* The index of the title line (the first EX_TEXT line), or page->n when
 * there is none. Later lines that repeat it become furniture. */
size_t ex_page_title(ex_page_t *page);

/* s without a leading list bullet ("- ", "• ", "* "); borrowed from s. */
const char *ex_unbullet(const char *s);

/* True when s starts with prefix, ignoring ASCII case. */
bool ex_prefix_ci(const char *s, const char *prefix);

/* True when c can continue a word (ASCII letter or digit, or any byte of a
 * multi-byte UTF-8 character), so that matches stop at word boundaries. */
bool ex_word_byte(char c);

/* ---- metadata lines (extract_meta.c) --------------------------------- */

typedef enum {
    EX_META_NONE,     /* an ordinary paragraph */
    EX_META_NAME,     /* 1-4 capitalised words: a byline or a place */
    EX_META_BYLINE,   /* "By Jane Doe" */
    EX_META_DATE,     /* a line that is only a date */
    EX_META_CATEGORY, /* a section name: "Politics" */
    EX_META_AGENCY    /* a line that is only an agency: "Reuters" */
} ex_meta_t;

ex_meta_t ex_meta_classify(const char *line);

/* The canonical spelling of a section name, or NULL; static storage. */
const char *ex_meta_category(const char *s);

/* Number of name-like words in s[0..n) (1 to 4), or 0 when s is not
 * name-like: capitalised words of letters, hyphens, apostrophes and
 * abbreviation dots, with no sentence punctuation. */
int ex_meta_name_words(const char *s, size_t n);

/* True when line reads as a person's name: 2-4 name words, none of them a
 * dotted abbreviation such as "D.C.". */
bool ex_meta_person(const char *line);

/* Adds the names of a "By ..." line to a->authors (skipping duplicates) and
 * a trailing agency (", Reuters") to a->source when it has none. */
lede_status_t ex_meta_byline(const char *line, lede_article_t *a);

/* Pushes s onto v unless an equal string is already there. */
lede_status_t ex_push_unique(lede_strv_t *v, const char *s);

/* ---- dates (extract_date.c) ------------------------------------------ */

/* Room for an ISO date as built here: "2022-12-23T18:09:00" or "--03-30". */
#define EX_DATE_BYTES 32

/* True when line is nothing but a date, optionally with a weekday, a time
 * and a "Published"/"Updated" label; iso receives "YYYY-MM-DD" or
 * "YYYY-MM-DDThh:mm:ss" (local time as written; no zone is known). */
bool ex_date_line(const char *line, char iso[EX_DATE_BYTES]);

/* True when s[0..n) ends with "Month D" or "Month D, YYYY" (a wire
 * dateline's date); iso receives "--MM-DD" or "YYYY-MM-DD" and *start the
 * offset where the date begins. */
bool ex_date_tail(const char *s, size_t n, char iso[EX_DATE_BYTES], size_t *start);

/* True when para[0..n) holds "<weekday> (<Month> <D>)", as in "a
 * videoconference Tuesday (April 20)"; iso receives "--MM-DD". para must
 * be NUL-terminated somewhere at or after n. */
bool ex_date_weekday_paren(const char *para, size_t n, char iso[EX_DATE_BYTES]);

/* ---- sources (extract_source.c) -------------------------------------- */

/* Room for a source name found in the text. */
#define EX_SOURCE_BYTES 64

/* The canonical name of the agency spelled s[0..n) ("Turan" -> "TURAN",
 * "Voice of America" -> "VOA"), or NULL; static storage. */
const char *ex_agency(const char *s, size_t n);

/* Reads a dateline at the start of para ("March 30 (UPI) -- ...",
 * "Washington D.C./Turan: ...") into a: its source, place and date, each
 * only where a has none yet. */
lede_status_t ex_source_dateline(const char *para, size_t n, lede_article_t *a);

/* Finds the source in running text: "TURAN's Washington correspondent",
 * "told VOA", "briefed the Voice of America". True when found. */
bool ex_source_in_text(const char *text, char out[EX_SOURCE_BYTES]);

/* ---- sidebar item titles (extract_title.c) --------------------------- */

/* Longest title made for a sidebar item, so that lists stay readable. */
#define EX_TITLE_MAX_BYTES 120

/* A title for text: its first sentence, cut at a word boundary to at most
 * EX_TITLE_MAX_BYTES (with "…" when cut). Caller frees; NULL on NOMEM. */
char *ex_title_from_text(const char *text);

/* ---- the walk (extract_walk.c) --------------------------------------- */

/* A paragraph list that remembers a failed allocation (sticky error):
 * appends do nothing once one has failed. */
typedef struct {
    char *s;
    size_t len, cap;
    bool failed;
} ex_buf_t;

void ex_buf_para(ex_buf_t *b, const char *s, size_t n);

/* An article being assembled: its fields, and its body so far. */
typedef struct {
    lede_article_t a;
    ex_buf_t body;
} ex_piece_t;

/* pieces[0] is the main article; sidebar items follow. */
typedef struct {
    ex_piece_t *v;
    size_t n;
} ex_pieces_t;

/* Assigns the lines after the title to the main article and the sidebar
 * items, filling bodies and the metadata that lines carry. The pieces are
 * the caller's; free them with ex_pieces_free() whatever the status. */
lede_status_t ex_walk(const ex_page_t *page, size_t title, ex_pieces_t *out);
void ex_pieces_free(ex_pieces_t *p);

#endif
