/* A page's units: its lines, trimmed, with a crawler's prefix removed and
 * the lines of one paragraph joined again.
 *
 * Scrapers keep text in three ways: a paragraph per line, paragraphs with
 * blank lines between, or text hard-wrapped at a fixed width (wire copy
 * from the 1990s, plain-text feeds). A wrapped page is recognised by its
 * line lengths: most lines of a few words reach close to the longest.
 * There a line joins the next unless it ends a sentence; elsewhere only a
 * sentence broken before a small letter is joined ("... then negotiations
 * on" / "settlement of the conflict ..."). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* Wrapped text: the longest line is within these bounds ... */
#define WRAP_MIN_WIDTH 40
#define WRAP_MAX_WIDTH 100
/* ... at least this many lines have a few words ... */
#define WRAP_MIN_LINES 6
/* ... and this share of them reach 3/4 of the longest. */
#define WRAP_FULL_PERCENT 50
/* Outside wrapped text, a line continued below is at least this long. */
#define BROKEN_MIN_BYTES 30

typedef struct {
    char *s;
    size_t len;
    size_t raw_len; /* before trimming and prefix removal: for the wrap width */
    unsigned words; /* ex_shape_light(): all that joining needs */
    bool end_mark;
    bool indented;  /* began with white space: a paragraph's first line */
    bool set_apart; /* a quoted line ("> ...") or a row of columns: a body
                     * being reflowed keeps it a line of its own */
} line_t;

/* Bytes of the white space character at s (ASCII blanks, U+00A0 no-break
 * space, U+200B zero-width space, U+FEFF byte order mark), or 0. */
static size_t space_at(const unsigned char *s, size_t n) {
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\f' || s[0] == '\v')) return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) return 3;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return 3;
    return 0;
}

/* The same, for the character that ends s[0..n). */
static size_t space_before(const unsigned char *s, size_t n) {
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (space_at(s + n - k, k) == k) return k;
    return 0;
}

static void trim(line_t *l) {
    size_t k;
    l->indented = l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t');
    while ((k = space_at((unsigned char *)l->s, l->len)) > 0) l->s += k, l->len -= k;
    while ((k = space_before((unsigned char *)l->s, l->len)) > 0) l->len -= k;
    l->s[l->len] = '\0';
}

/* A divider: only dashes, stars, bullets and the like ("-", "***", "—"). */
static bool is_separator(const char *s) {
    static const char *const WIDE[] = {"\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\xA2", "\xC2\xB7"};
    if (!*s) return false;
    while (*s) {
        size_t step = strchr("-*_=~#|. ", *s) ? 1 : 0;
        for (size_t i = 0; !step && i < sizeof WIDE / sizeof WIDE[0]; i++)
            if (strncmp(s, WIDE[i], strlen(WIDE[i])) == 0) step = strlen(WIDE[i]);
        if (!step) return false;
        s += step;
    }
    return true;
}

static size_t count_lines(const char *s, size_t len) {
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) n++;
    return n;
}

/* Cuts copy[0..len) into lines in place: each line end becomes a NUL. */
static size_t cut_lines(char *copy, size_t len, line_t *lines) {
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && copy[i] != '\n' && copy[i] != '\r') continue;
        line_t *l = &lines[n++];
        l->s = copy + start;
        l->len = l->raw_len = i - start;
        if (i < len && copy[i] == '\r' && i + 1 < len && copy[i + 1] == '\n') copy[i++] = '\0';
        copy[i] = '\0';
        start = i + 1;
        trim(l);
    }
    return n;
}

/* A crawler's " date YYYY-MM-DD " before the first line: its date is kept
 * as the page's, and the rest of the line stays. */
static void drop_prefix(line_t *lines, size_t n, ex_page_t *page) {
    size_t i = 0;
    while (i < n && lines[i].len == 0) i++;
    line_t *l = i < n ? &lines[i] : NULL;
    if (!l || l->len < 15 || strncmp(l->s, "date ", 5) != 0) return;
    const char *d = l->s + 5;
    for (int k = 0; k < 10; k++)
        if ((k == 4 || k == 7) ? d[k] != '-' : !isdigit((unsigned char)d[k])) return;
    if (d[10] != ' ' && d[10] != '\0') return;
    snprintf(page->prefix_date, sizeof page->prefix_date, "%.10s", d);
    l->s += 15, l->len -= 15;
    while (l->len > 0 && *l->s == ' ') l->s++, l->len--;
}

/* The wrap width of the page, or 0 when its lines were not wrapped. */
static unsigned wrap_width(const line_t *lines, size_t n, size_t min_lines) {
    size_t longest = 0, worded = 0, full = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].words < 3) continue;
        worded++;
        if (lines[i].raw_len > longest) longest = lines[i].raw_len;
    }
    if (worded < min_lines || longest < WRAP_MIN_WIDTH || longest > WRAP_MAX_WIDTH) return 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].len > 0 && lines[i].raw_len * 4 >= longest * 3) full++;
    return full * 100 >= worded * WRAP_FULL_PERCENT ? (unsigned)longest : 0;
}

/* A line that ends with an abbreviation ("U.S.", "Gen.", "Jan."), not a
 * sentence. */
static bool ends_abbreviation(const char *s, size_t n) {
    static const char *const SHORT[] = {"Mr",   "Mrs", "Ms",   "Dr",  "Gen",  "Gov",  "Sen", "Rep",
                                        "St",   "Jr",  "Sr",   "No",  "Jan",  "Feb",  "Mar", "Apr",
                                        "Aug",  "Sep", "Sept", "Oct", "Nov",  "Dec",  "Co",  "Inc",
                                        "Corp", "Ltd", "Lt",   "Col", "Capt", "Prof", "vs"};
    if (n < 2 || s[n - 1] != '.') return false;
    size_t w = n - 1;
    while (w > 0 && s[w - 1] != ' ') w--;
    const char *word = s + w;
    size_t k = n - 1 - w;
    if (memchr(word, '.', k)) return true; /* "U.S." */
    for (size_t i = 0; i < sizeof SHORT / sizeof SHORT[0]; i++)
        if (strlen(SHORT[i]) == k && strncmp(word, SHORT[i], k) == 0) return true;
    return false;
}

/* A line of metadata, which stays a line of its own: a date, a byline, a
 * line that opens with a date ("September 10, 2013|Reuters"). */
static bool meta_line(const char *s) {
    char iso[EX_DATE_BYTES];
    size_t end;
    return ex_date_at(ex_unbullet(s), iso, &end) || ex_meta_is_byline(s);
}

/* A line of a table: a run of two or more spaces between words that is
 * not the double space some writers put after a sentence. */
static bool columns(const char *s, size_t n) {
    for (size_t i = 1; i + 2 < n; i++)
        if (s[i] == ' ' && s[i + 1] == ' ' && s[i - 1] != ' ' && !strchr(".?!:;\"')", s[i - 1]))
            return true;
    return false;
}

/* Quoted mail and news ("> earlier text", "| quoted") and tables keep
 * their lines. */
static bool set_apart(const line_t *l) {
    return l->len > 0 && (l->s[0] == '>' || l->s[0] == '|' || columns(l->s, l->len));
}

/* A line the wrapper broke: the next line's first word would not have
 * fitted on it. A shorter line ending a sentence was ended by the writer. */
static bool wrapped_before(const ex_page_t *page, const line_t *a, const line_t *b) {
    size_t word = strcspn(b->s, " ");
    return page->wrap && a->raw_len + 1 + word > page->wrap;
}

/* Paragraphs marked by indenting their first line (wire copy): some
 * lines after a line of text are indented, not all. */
static bool indent_paragraphs(const line_t *lines, size_t n) {
    size_t starts = 0, text = 0;
    for (size_t i = 1; i < n; i++) {
        if (lines[i].len == 0 || lines[i].set_apart) continue;
        text++;
        starts += lines[i].indented && lines[i - 1].len > 0;
    }
    return starts > 0 && starts < text;
}

/* Whether line b continues the paragraph that line a ends. A body being
 * reflowed has no headline or menu to keep apart: an indent starts a
 * paragraph; where indents start each one, every other line goes on; in
 * wrapped text, a full line
 * goes on unless it ends a sentence with room left for the next word (and
 * that is only trusted when enough lines show the width). */
static bool continues(const ex_page_t *page, const line_t *a, const line_t *b) {
    if (a->len == 0 || b->len == 0 || is_separator(a->s) || is_separator(b->s)) return false;
    if (page->reflow && (a->set_apart || b->set_apart || b->indented)) return false;
    bool sentence_end = a->end_mark && !ends_abbreviation(a->s, a->len);
    bool join;
    if (page->reflow && page->indents)
        join = true;
    else if (page->reflow && page->wrap)
        join = sentence_end ? page->wrap_sure && wrapped_before(page, a, b)
                            : a->raw_len * 4 >= page->wrap * 3; /* a short one is a heading */
    else if (page->wrap && a->raw_len * 2 >= page->wrap && ex_starts_lower(b->s))
        join = true;
    else if (sentence_end || (a->len > 0 && a->s[a->len - 1] == ':'))
        join = false;
    else if (page->wrap)
        join = a->raw_len * 2 >= page->wrap;
    else
        join = a->len >= BROKEN_MIN_BYTES && a->words >= 5 && ex_starts_lower(b->s);
    return join && !meta_line(b->s);
}

static void add_unit(ex_page_t *page, char *s, size_t len, const line_t *first_line, unsigned first,
                     unsigned last, unsigned gap) {
    ex_unit_t *u = &page->u[page->n++];
    memset(u, 0, sizeof *u);
    u->s = s;
    u->len = len;
    u->indented = first_line->indented;
    u->set_apart = first_line->set_apart;
    u->first = first;
    u->last = last;
    u->gap_before = gap > 0 || page->n == 1;
    u->gap_lines = gap;
    u->prev_copy = u->next_copy = SIZE_MAX;
    ex_shape(s, len, &u->shape);
    if (is_separator(s)) {
        u->kind = EX_K_SEPARATOR;
        u->role = EX_ROLE_SKIPPED;
        u->decided = true;
        if (page->tracing) snprintf(u->why, sizeof u->why, "separator");
    }
}

/* Joins lines [i, j) with spaces into the page's spare room. */
static char *join(ex_page_t *page, const line_t *lines, size_t i, size_t j, size_t *len,
                  size_t *used) {
    char *out = page->joined + *used, *p = out;
    for (size_t k = i; k < j; k++) {
        if (k > i) *p++ = ' ';
        memcpy(p, lines[k].s, lines[k].len);
        p += lines[k].len;
    }
    *p = '\0';
    *len = (size_t)(p - out);
    *used += *len + 1;
    return out;
}

static void build_units(ex_page_t *page, const line_t *lines, size_t n) {
    size_t used = 0;
    unsigned gap = 0;
    for (size_t i = 0; i < n;) {
        if (lines[i].len == 0) {
            gap++;
            if (page->n) page->u[page->n - 1].gap_after = true;
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && continues(page, &lines[j - 1], &lines[j])) j++;
        size_t len;
        char *s = j == i + 1 ? lines[i].s : join(page, lines, i, j, &len, &used);
        if (j == i + 1) len = lines[i].len;
        add_unit(page, s, len, &lines[i], (unsigned)i + 1, (unsigned)j, gap);
        gap = 0;
        i = j;
    }
    if (page->n) page->u[page->n - 1].gap_after = true;
}

lede_status_t ex_page_split(const char *text, size_t len, bool tracing, ex_page_t *page) {
    return ex_page_split_as(text, len, tracing, false, page);
}

lede_status_t ex_page_split_as(const char *text, size_t len, bool tracing, bool reflow,
                               ex_page_t *page) {
    memset(page, 0, sizeof *page);
    page->tracing = tracing;
    page->reflow = reflow;
    size_t n = count_lines(text, len);
    line_t *lines = calloc(n, sizeof *lines);
    page->copy = malloc(len + 1);
    page->joined = malloc(len + 1);
    page->u = calloc(n, sizeof *page->u);
    if (!lines || !page->copy || !page->joined || !page->u) {
        free(lines);
        ex_page_free(page);
        return LEDE_E_NOMEM;
    }
    memcpy(page->copy, text, len);
    page->copy[len] = '\0';
    n = cut_lines(page->copy, len, lines);
    page->n_lines = (unsigned)n;
    drop_prefix(lines, n, page);
    for (size_t i = 0; i < n; i++) {
        ex_shape_light(lines[i].s, lines[i].len, &lines[i].words, &lines[i].end_mark);
        lines[i].set_apart = reflow && set_apart(&lines[i]);
    }
    /* A body is known to be prose: two full lines show its wrap. */
    page->wrap = wrap_width(lines, n, reflow ? 2 : WRAP_MIN_LINES);
    page->wrap_sure = page->wrap && (!reflow || wrap_width(lines, n, WRAP_MIN_LINES));
    page->indents = reflow && indent_paragraphs(lines, n);
    build_units(page, lines, n);
    for (size_t i = 1; i < page->n; i++) page->blank_lines |= page->u[i].gap_before;
    free(lines);
    return LEDE_OK;
}

void ex_page_free(ex_page_t *page) {
    free(page->copy);
    free(page->joined);
    free(page->u);
    memset(page, 0, sizeof *page);
}

void ex_unit_set(ex_page_t *page, ex_unit_t *u, ex_kind_t kind, ex_role_t role, bool decided,
                 const char *fmt, ...) {
    if (u->decided) return;
    u->kind = kind;
    u->role = role;
    u->decided = decided;
    if (!page->tracing) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->why, sizeof u->why, fmt, ap);
    va_end(ap);
}

/* The next character of s for a loose comparison: ASCII folded to small
 * letters, typographic quotes and primes made plain, runs of spaces one. */
static const char *loose_next(const char *s, int *c) {
    static const struct {
        const char *from;
        char to;
    } PLAIN[] = {{"\xE2\x80\x98", '\''}, {"\xE2\x80\x99", '\''}, {"\xE2\x80\xB2", '\''},
                 {"\xE2\x80\x9C", '"'},  {"\xE2\x80\x9D", '"'},  {"\xE2\x80\x93", '-'},
                 {"\xE2\x80\x94", '-'}};
    if (*s == ' ') {
        while (*s == ' ') s++;
        *c = ' ';
        return s;
    }
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        if (strncmp(s, PLAIN[i].from, 3) == 0) {
            *c = PLAIN[i].to;
            return s + 3;
        }
    *c = tolower((unsigned char)*s);
    return *s ? s + 1 : s;
}

bool ex_unit_same(const char *a, const char *b) {
    int ca, cb;
    do {
        a = loose_next(a, &ca);
        b = loose_next(b, &cb);
        if (ca != cb) return false;
    } while (ca);
    return true;
}

bool ex_unit_prefix(const char *a, const char *b) {
    int ca, cb;
    for (;;) {
        const char *b_next = loose_next(b, &cb);
        if (!cb) return *a != '\0';
        a = loose_next(a, &ca);
        if (ca != cb) return false;
        b = b_next;
    }
}
