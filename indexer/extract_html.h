/* extract_html.h: the pieces of the HTML page extractor (indexer/html_*.c
 * and extract_html.c).
 *
 * Private to the extractor; the indexer sees only extract.h (the tests use
 * this header too, to check the pieces one by one). A page goes through
 * these steps:
 *
 *   html_charset.c  its bytes, in the charset it declares, to UTF-8
 *   html_dom.c      parsed by libxml2's HTML parser behind guards against
 *                   hostile input; the tree walked and read without
 *                   recursion
 *   html_claims.c   what the page says about itself, as claims: a field,
 *                   a value, where it was read and how much it is worth
 *   html_meta.c     claims of <head>: <meta> and OpenGraph, <title>,
 *                   <link rel=canonical>, lang
 *   html_jsonld.c   claims of JSON-LD (NewsArticle and kin, also inside
 *                   @graph and arrays)
 *   html_markup.c   claims of the body's markup: microdata (itemprop),
 *                   the byline and date lines near the headline, <h1>
 *   html_date.c     dates as pages write them, machine-readable or printed
 *   html_names.c    names: people (never organisations), site names and
 *                   the site suffix of a title
 *   html_fields.c   each field chosen from its claims
 *   html_hints.c    what tags, class and id names say about an element
 *   html_body.c     which elements hold the article: a readability-style
 *                   scorer over the tree
 *   html_para.c     the article's paragraphs, from the chosen elements
 *   html_edges.c    what at the start and end of the text is not text
 *   extract_html.c  the entry point: the steps in order, the first
 *                   paragraph's dateline, pages without an article
 *
 * All text handed between the pieces is UTF-8 with its white space
 * collapsed to single spaces. */
#ifndef LEDE_EXTRACT_HTML_H
#define LEDE_EXTRACT_HTML_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "extract_trace.h"
#include "lede/article.h"

/* ---- charset (html_charset.c) ---------------------------------------- */

/* Room for a charset name as the page declares it. */
#define HTML_CHARSET_BYTES 48

typedef struct {
    char *s; /* UTF-8, NUL-terminated; owned: free() */
    size_t len;
    char charset[HTML_CHARSET_BYTES]; /* what it was read as: "UTF-8", "windows-1251" */
    const char *from;                 /* why: "<meta charset>", "byte order mark"; static */
    size_t replaced;                  /* byte sequences invalid in that charset (now U+FFFD) */
} html_utf8_t;

/* Converts a page to UTF-8. Its charset comes from a byte order mark,
 * else a declaration near the top (<meta charset>, the http-equiv
 * Content-Type, an XML declaration), else UTF-8 when the bytes are valid
 * UTF-8 and windows-1252 when they are not. LEDE_E_INVALID with err set
 * for a charset iconv does not know and for binary data (NUL bytes);
 * LEDE_E_NOMEM. On failure out->s is NULL. */
lede_status_t html_to_utf8(const char *bytes, size_t len, html_utf8_t *out, lede_err_t *err);

/* The charset label at the start of s ("utf-8", "Windows-1251") mapped to
 * a name iconv knows, following the WHATWG Encoding standard's aliases
 * (latin-1 labels read as windows-1252, gb2312 as GB18030); NULL when the
 * label is not a plausible charset name. Static storage or name itself. */
const char *html_charset_name(const char *label, char name[HTML_CHARSET_BYTES]);

/* ---- the tree (html_dom.c) ------------------------------------------- */

/* libxml2 stops reading a document nested deeper than this many elements
 * (its own limit); such a page is refused rather than read in part. */
#define HTML_MAX_DEPTH 256
/* A tag with more attributes than this is refused before parsing: real
 * pages stay far below it, and libxml2's duplicate-attribute check costs
 * the square of the count (200,000 attributes took minutes). */
#define HTML_MAX_ATTRS 1000
/* A page with more tags than this is refused before parsing: news pages
 * have a few thousand (the dev set at most 5,028), and a page of 800,000
 * took 8 seconds and 440 MB to read (200,000: 2 seconds, 110 MB). */
#define HTML_MAX_TAGS 200000

/* Parses utf8[0..len) (from html_to_utf8) into a tree. LEDE_E_INVALID with
 * err set for too many tags, a tag with too many attributes, a document
 * nested too deep or one the parser gives up on; LEDE_E_NOMEM. Free with
 * xmlFreeDoc(). */
lede_status_t html_parse(const char *utf8, size_t len, xmlDoc **doc, lede_err_t *err);

/* The node after n in document order without leaving top's subtree
 * (NULL at its end); with skip, n's own children are passed over. */
xmlNode *html_next(const xmlNode *n, const xmlNode *top, bool skip);

/* True when n is the element named tag (lower case, as libxml2 gives). */
bool html_is(const xmlNode *n, const char *tag);

/* The value of n's attribute name, or NULL; borrowed from the tree. */
const char *html_attr(const xmlNode *n, const char *name);

/* True when the space-separated list in n's attribute attr holds word
 * (ASCII case ignored). */
bool html_attr_word(const xmlNode *n, const char *attr, const char *word);

/* Elements whose text is never read: scripts, styles, templates. */
bool html_no_text(const xmlNode *n);

/* A growing string with a sticky allocation failure (appends do nothing
 * once one has failed). White space is collapsed as it is appended. */
typedef struct {
    char *s; /* NUL-terminated when len > 0; owned: free() */
    size_t len, cap;
    bool failed;
    bool space; /* a space is pending before the next text */
} html_buf_t;

void html_buf_text(html_buf_t *b, const char *s, size_t n); /* collapses white space */
void html_buf_raw(html_buf_t *b, const char *s, size_t n);  /* appends as is */
void html_buf_free(html_buf_t *b);

/* Appends the text below n (skipping html_no_text elements), with white
 * space collapsed. */
void html_text(const xmlNode *n, html_buf_t *b);

/* The text below n as a new string (trimmed; "" when there is none), or
 * NULL when out of memory. Caller frees. */
char *html_text_dup(const xmlNode *n);

/* A short description of an element for --explain: `<div
 * class="story-body">`, `<p> #12`. */
void html_describe(const xmlNode *n, char *out, size_t size);

/* The length in bytes of s[0..n) trimmed of white space at both ends,
 * after *start is moved past the leading white space. */
size_t html_trim(const char **start, size_t n);

/* True when needle occurs in s (which may be NULL), ignoring ASCII case. */
bool html_contains_ci(const char *s, const char *needle);

/* True when a[0..n) and b hold the same letters and digits, ignoring
 * ASCII case, spaces and punctuation (a headline repeated in the text,
 * a caption repeating an image's description). */
bool html_same_text(const char *a, size_t n, const char *b);

/* Weighted length of text: characters, with each CJK character counted
 * as HTML_CJK_WEIGHT (one of them carries about as much as a word). */
#define HTML_CJK_WEIGHT 3
size_t html_text_weight(const char *s, size_t n);

/* ---- claims (html_claims.c) ------------------------------------------ */

typedef enum {
    HC_TITLE,    /* a headline */
    HC_AUTHOR,   /* a writer, or a byline naming several */
    HC_DATE,     /* when the article was published */
    HC_MODIFIED, /* when it was last changed: used only without a date */
    HC_SITE,     /* the publisher or the site's name */
    HC_SECTION,  /* the section it appeared in */
    HC_TAG,      /* a keyword (one claim per keyword) */
    HC_URL,      /* its canonical address */
    HC_LANG,     /* its language */
    HC_TYPE,     /* what the page says it is: og:type, a JSON-LD @type */
    HC_FIELD_COUNT
} hc_field_t;

/* What a claim is worth, best first: what the page declares about the
 * article in JSON-LD, then OpenGraph, other <meta>, microdata in the body
 * (itemprop), markup (rel=author, a "byline" class, <time>), the <title>,
 * and last what is only printed (a "By ..." line, a date line, an <h1>). */
typedef enum {
    HC_JSONLD,
    HC_OPENGRAPH,
    HC_META,
    HC_MICRODATA,
    HC_MARKUP,
    HC_TITLE_TAG,
    HC_PRINTED,
    HC_RANK_COUNT
} hc_rank_t;

typedef struct {
    hc_field_t field;
    hc_rank_t rank;
    unsigned order; /* within a rank, lower first (<meta> keys in order of trust); 0 */
    bool shown;     /* a date as the page shows it (<time>, a date line, "displaydate") */
    char *value;    /* trimmed, white space collapsed; owned */
    char *origin;   /* "JSON-LD NewsArticle headline", `<meta property="og:title">`; owned */
} html_claim_t;

typedef struct {
    html_claim_t *v;
    size_t n, cap;
    bool failed; /* sticky: an allocation failed */
} html_claims_t;

/* Adds a claim; a value that is empty once trimmed (or longer than
 * HC_VALUE_MAX_BYTES) is not one, and claims after the first
 * HC_MAX_CLAIMS are dropped (a page that declares more is hostile, and
 * choosing compares claims with each other). */
#define HC_VALUE_MAX_BYTES 2048
#define HC_MAX_CLAIMS 512
void html_claim(html_claims_t *c, hc_field_t field, hc_rank_t rank, const char *value, size_t len,
                const char *origin_fmt, ...) __attribute__((format(printf, 6, 7)));
void html_claims_free(html_claims_t *c);

/* The same for a date the page shows (origin_fmt takes one %s). */
void html_claim_shown(html_claims_t *c, hc_field_t field, hc_rank_t rank, const char *value,
                      const char *origin_fmt, const char *arg);

/* The best claim for field (lowest rank, then lowest order; the first of
 * equal ones), or NULL. */
const html_claim_t *html_claims_best(const html_claims_t *c, hc_field_t field);

/* True when a is worth more than b. */
bool html_claim_before(const html_claim_t *a, const html_claim_t *b);

/* "title", "author", ...; static storage. */
const char *html_field_name(hc_field_t field);

/* ---- what the page declares (html_meta.c, html_jsonld.c) ------------- */

/* Claims of <head> (and of <meta>/<link> wherever they are): OpenGraph and
 * other <meta>, the <title>, <link rel=canonical>, <html lang>, and the
 * JSON-LD scripts (through html_jsonld_read, whose article objects are
 * counted in *jsonld_articles). */
void html_meta_read(const xmlDoc *doc, html_claims_t *c, size_t *jsonld_articles);

/* Claims of one JSON-LD script's text: the objects that are articles
 * (NewsArticle, Article, BlogPosting, ...), found at the top, in arrays
 * and in @graph. Text that is not JSON is ignored (the page still has its
 * other claims); *articles counts the article objects seen. */
void html_jsonld_read(const char *text, size_t len, html_claims_t *c, size_t *articles);

/* s with HTML entities decoded ("&amp;", "&#39;") and tags dropped, for
 * values that sites escape inside JSON. Caller frees; NULL when out of
 * memory. */
char *html_entities_decode(const char *s);

/* ---- what the body marks up (html_markup.c) -------------------------- */

/* Claims of the body's markup anywhere: microdata of the article
 * (itemprop headline, author, datePublished, ... inside an Article-typed
 * itemscope or none: a video's datePublished is not the article's) and
 * the first <h1>s, as printed titles. */
void html_markup_items(const xmlDoc *doc, html_claims_t *c);

/* Claims of what is printed around the article, between the headline
 * (the <h1> that reads as title, else the last <h1> before first; from
 * its parent on) and first (the block of the article's first paragraph;
 * NULL when there is none): the byline (the first element marked as one
 * by rel=author or a class/id "byline" or "author", else the first line
 * opening with "By") and lines that are only a date; and the first <time
 * datetime> before first. */
void html_markup_near(const xmlDoc *doc, const xmlNode *first, const char *title, html_claims_t *c);

/* ---- dates (html_date.c) --------------------------------------------- */

#define HTML_DATE_BYTES 32

/* Reads a date as pages write it into an ISO 8601 form that
 * date_parse_iso() accepts ("2015-03-13T21:30:09", with "+01:00" when an
 * offset is given): ISO 8601 and its relatives ("2019-04-28 06:01:07",
 * "2017-01-18T23:00:00-0800", "20170113"), RFC 822 and Unix date(1)
 * forms ("Fri Mar 13 21:30:09 EST 2015": a named zone is dropped, the
 * time kept as printed), and printed dates ("March 18, 2015", "Feb. 23,
 * 2015 3:46 PM", "18 March 2015", "2016年10月14日07:17", "21.12.2018").
 * With whole, nothing but the date (and a "Published:"-like label) may be
 * in s; otherwise the first date in s is taken. */
bool html_date_parse(const char *s, bool whole, char iso[HTML_DATE_BYTES]);

/* True when a date as html_date_parse reads them starts at s; *len gets
 * its length. */
bool html_date_prefix(const char *s, char iso[HTML_DATE_BYTES], size_t *len);

/* ---- names (html_names.c) -------------------------------------------- */

/* Room for one name. */
#define HTML_NAME_BYTES 128

/* Splits a byline ("By Jane Doe and John Roe", "Par Jean Dupont (avec
 * Anne Roe et Paul Bo)", "Jane Doe, Reuters") into person names, each
 * passed to add(); parts that are not people (organisations, job titles,
 * dates, the site's own name) are left out. Returns how many were added. */
size_t html_names_split(const char *byline, const html_claims_t *sites,
                        void (*add)(void *ctx, const char *name), void *ctx);

/* True when name reads as a person's: a few words, no digits, no URL, no
 * organisation word ("Staff", "News", "Desk"), not the site's name. */
bool html_names_person(const char *name, const html_claims_t *sites);

/* True when s reads as an organisation, not a person: a few words, one
 * of them an organisation's ("News", "Press", "Times") or a wire agency
 * ("WebMD Health News", "Associated Press"). */
bool html_names_organisation(const char *s);

/* True when a and b name the same site, ignoring case, spaces,
 * punctuation, a leading "the", "www." and a generic ".com"/".org"/".net"
 * ("HeraldSun" = "Herald Sun", "the Guardian" = "The Guardian"). */
bool html_names_same_site(const char *a, const char *b);

/* A site name cleaned for the source field: "http://www.tmz.com" and
 * "TMZ.com" -> "TMZ"... only a generic top-level domain is dropped;
 * "Aktuálně.cz - Víte, co se právě děje" -> "Aktuálně.cz" (a slogan after
 * a separator). Writes into out; false when nothing is left. */
bool html_names_site(const char *site, char out[HTML_NAME_BYTES]);

/* The length of title without its site suffix (" - Site", " | Site",
 * "_Site", " - 21/12/2018 - Section - Site"): segments after a separator
 * are dropped while they name a site of sites (HC_SITE and HC_URL
 * claims), are a date, or are short labels in a title with several
 * separators. With site, the last segment dropped that is not a date is
 * copied there ("" when none). */
size_t html_names_strip_site(const char *title, const html_claims_t *sites,
                             char site[HTML_NAME_BYTES]);

/* ---- choosing the fields (html_fields.c) ----------------------------- */

/* The headline: the best-ranked title claim (without its site suffix,
 * and not the site's own name) that another source confirms by sharing
 * most of its words, else the best-ranked one. NULL when there is none
 * or out of memory (*from then NULL too). Caller frees. */
char *html_fields_title(const html_claims_t *c, const html_claim_t **from);

/* Fills a's authors, date, source, category, tags, url and language from
 * the claims, recording each choice in the trace. LEDE_E_NOMEM only. */
lede_status_t html_fields_fill(const html_claims_t *c, lede_article_t *a, ex_trace_t *t);

/* ---- the body (html_hints.c, html_body.c, html_para.c) --------------- */

/* What the scorer may do; each later attempt drops one of the steps that
 * can remove the article along with the furniture. */
typedef enum {
    HB_STRIP_UNLIKELY = 1, /* drop elements whose class/id reads as furniture */
    HB_WEIGHT_CLASSES = 2, /* score class/id names ("content" up, "comment" down) */
    HB_CLEAN_BLOCKS = 4,   /* drop link lists and image blocks inside the article */
    HB_ALL = 7
} hb_flags_t;

/* Why an element is not read: a reason for --explain and the role its
 * text plays. */
typedef struct {
    const char *why; /* static: "<nav>", "class/id \"share\"", "hidden" */
    ex_role_t role;
} hb_drop_t;

/* What the tag of an element means to the scorer. */
enum {
    HT_BLOCK = 1,     /* starts a paragraph of its own */
    HT_PARA = 2,      /* a paragraph to score (p, pre, td, headings) */
    HT_DROP = 4,      /* never article text (script, nav, figure, ...) */
    HT_LIST = 8,      /* ul, ol, dl */
    HT_HEADING = 16,  /* h1 to h6 */
    HT_CLEANABLE = 32 /* may be cleaned out of the article (div, ul, table, ...) */
};

typedef struct {
    const char *name;
    unsigned flags;
    int base;       /* a candidate's starting score */
    ex_role_t role; /* for HT_DROP */
} hb_tag_t;

/* The tag's entry, or NULL for inline and unknown elements. */
const hb_tag_t *hb_tag(const xmlNode *n);

/* What n's class, id and itemprop say: *weight is +25 for article words
 * ("story-body", "articleBody"), -25 for furniture words ("share",
 * "sidebar", "comment"), 0 for neither or both; *unlikely is why n reads
 * as furniture (not outweighed by an article word), or NULL. */
void hb_hints(const xmlNode *n, int *weight, const hb_drop_t **unlikely);

/* Why n is never article text whatever the flags (its tag, hidden,
 * an ARIA role of navigation), or NULL. */
const hb_drop_t *hb_static_drop(const xmlNode *n);

/* One element of the page, as the scorer sees it. */
typedef struct {
    xmlNode *node;
    int parent; /* index, or -1 */
    const hb_tag_t *tag;
    const hb_drop_t *fixed;    /* hb_static_drop */
    const hb_drop_t *unlikely; /* from hb_hints */
    const hb_drop_t *drop;     /* under this attempt's flags: not read (nor anything below) */
    bool dropped_above;        /* an ancestor is dropped */
    bool in_link;              /* inside an <a> */
    bool candidate;
    int weight; /* from hb_hints */
    double score;
    /* Own text (direct text children), then totals over what is read. */
    size_t own_text, own_links, own_commas;
    size_t text, links, commas;
    size_t heading_text; /* of the text, how much is in headings */
    unsigned paras, imgs, lis, headings;
    unsigned inputs, embeds; /* form controls and embedded frames below, read or not */
} hb_node_t;

typedef struct {
    hb_node_t *v;
    size_t n;
} hb_nodes_t;

/* The article's body: paragraphs joined with "\n\n", or NULL when no
 * element holds an article. */
typedef struct {
    char *body; /* owned: free() */
    size_t paragraphs;
    size_t link_paragraphs; /* left out for being links: teasers on an index page */
    size_t weight;          /* html_text_weight of the body */
    const xmlNode *top;     /* the element chosen */
    const xmlNode *first;   /* the block of the first paragraph */
    char *bio;              /* the writer's bio line after the text, or NULL; owned */
    double score;
    const char *why_none; /* static, when body is NULL */
} hb_result_t;

/* Finds the article in doc and builds its body, trying the flags in turn
 * (all, then without HB_STRIP_UNLIKELY, then fewer) until one gives a body
 * long enough. The trace gets the elements considered, each with its role
 * and the reason. The title (may be NULL) is left out where it repeats.
 * LEDE_E_NOMEM only; a page without an article is LEDE_OK with
 * out->body NULL. */
lede_status_t html_body_extract(xmlDoc *doc, const char *title, ex_trace_t *t, hb_result_t *out);

/* One paragraph read from the article's elements, and what became of it. */
typedef struct {
    char *text; /* owned */
    size_t len, weight;
    size_t links;    /* weight inside links */
    size_t emphasis; /* weight inside <em>, <i>, <strong>, <b> */
    const xmlNode *block;
    ex_role_t role;  /* EX_ROLE_BODY when it is article text */
    const char *why; /* static: the reason for the role */
} hb_para_t;

typedef struct {
    hb_para_t *v;
    size_t n, cap;
    bool failed;
} hb_paras_t;

/* Marks what at the edges of the body is not its text (html_edges.c):
 * before the first paragraph of text and after the last, short lines
 * without a sentence's end (labels, "Advertisement", a dateline line);
 * after the last, notes set in italics or bold (editor's notes, promos,
 * copyright lines), "This article originally appeared on ..." lines and
 * the writer's bio ("Jane Doe is a reporter ..."); anywhere, captions
 * that say they are ("Photo: ...", "图注：..."). */
void html_edges_mark(hb_paras_t *p);

/* The writers a bio line names: the name before the verb of each of its
 * sentences ("Andrés Malamud es politólogo ... Martín Schapiro es abogado
 * ..."), each passed to add(). Returns how many. */
size_t html_edges_bio_names(const char *bio, void (*add)(void *ctx, const char *name), void *ctx);

/* Builds the body from the chosen elements (html_para.c): top and the
 * siblings marked in keep (indexes into nodes), cleaning link lists and
 * image blocks out with HB_CLEAN_BLOCKS. */
lede_status_t html_para_build(hb_nodes_t *nodes, const bool *keep, unsigned flags,
                              const char *title, ex_trace_t *t, hb_result_t *out);

/* The shortest body (weighted characters, see html_text_weight) that
 * counts as an article, and the length at which the first attempt is
 * taken without trying the others. */
#define HB_MIN_BODY_WEIGHT 250
#define HB_GOOD_BODY_WEIGHT 500

#endif
