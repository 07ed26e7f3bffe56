/* Units that are plainly not article text, wherever they stand: site
 * furniture, menus, notices, photo captions and credits, metadata lines.
 * Each detector looks at one unit's text and shape; the neighbour rules at
 * the end look at a unit together with the ones around it. What is left
 * undecided is weighed by the layout (extract_layout.c). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A notice of up to this many words needs two words about the site ... */
#define NOTICE_SHORT_WORDS 14
/* ... a longer one three, and this share of its words. */
#define NOTICE_MIN_PERCENT 12
/* Menu entries are short, and come in runs. */
#define NAV_MAX_WORDS 5
#define NAV_MIN_RUN 3
/* Metadata, menus, credits and labels are lines of at most this many
 * words; longer units are paragraphs. */
#define LINE_MAX_WORDS 30
/* A photo credit alone is short. */
#define CREDIT_MAX_WORDS 7
/* A metadata line holding a date is short. */
#define META_MAX_WORDS 14
/* A headline. */
#define HEADLINE_MIN_WORDS 2
#define HEADLINE_MAX_WORDS 24
#define HEADLINE_MAX_BYTES 250
/* A block of captions (no blank line inside) is small. */
#define CAPTION_BLOCK_MAX_UNITS 3

/* Lines that end a photo caption's credit or introduce one. */
static const char *const CREDIT_INTROS[] = {
    "Photo by ",    "Photos by ", "Photograph by ", "Image by ", "Picture by ",
    "Photograph: ", "Photo: ",    "Picture: ",      "Image: ",   "Photo credit: ",
    "File photo: ", "PHOTO : ",   "PHOTO: ",        "Credit: "};

/* Labels that name a caption on the next line. */
static const char *const CAPTION_LABELS[] = {"Media caption", "Image caption", "Caption",
                                             "Video caption", "Photo caption"};

/* Labels whose value is the page's section, place or tags. */
static const char *const SECTION_LABELS[] = {
    "Theme:",  "Section:", "Category:", "Rubric:", "Topic:",
    "Region:", "Country:", "Tags:",     "Topics:", "Filed under:"};

/* Labels that stand alone, with the value on the next line. */
static const char *const LONE_LABELS[] = {
    "Posted On:", "Published:", "Updated:", "Posted:", "Date:", "Published on:", "Last updated:"};

/* A label alone ("Posted On:", "Published"), its value on the next line
 * or lost. */
static bool lone_label(const char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ':' || s[n - 1] == ' ')) n--;
    for (size_t i = 0; i < sizeof LONE_LABELS / sizeof LONE_LABELS[0]; i++) {
        size_t k = strlen(LONE_LABELS[i]) - 1; /* without its colon */
        if (n == k && strncasecmp(s, LONE_LABELS[i], k) == 0) return true;
    }
    return false;
}

/* The words after which the rest of a line is a wire credit. */
static const char *const CREDITLINE_INTROS[] = {
    "(Reporting by", "(Reporting By", "(Writing by",   "(Additional reporting by",
    "(Compiled by",  "(Editing by",   "Reporting by ", "(By "};

/* ---- one unit at a time --------------------------------------------------- */

static bool any_prefix(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (ex_prefix_ci(s, list[i])) return true;
    return false;
}

/* Words about the site itself, and calls to act: "Follow us on Twitter",
 * "Comments are closed on this story", "We apologize, but this video has
 * failed to load". */
static bool site_notice(const ex_shape_t *sh) {
    unsigned hits = sh->site_talk + sh->imperative + sh->second_person;
    if (sh->words == 0) return false;
    if (sh->words <= 3) return hits >= 1 && sh->digits < sh->words;
    if (sh->words <= NOTICE_SHORT_WORDS) return hits >= 2;
    return hits >= 3 && hits * 100 >= sh->words * NOTICE_MIN_PERCENT;
}

/* The last bracketed group of s, when s ends with it (perhaps followed by
 * "Photo Gallery"): its inside goes to *in, *n. */
static bool closing_group(const char *s, size_t len, const char **in, size_t *n) {
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '.')) len--;
    if (len >= 13 && strncasecmp(s + len - 13, "Photo Gallery", 13) == 0) len -= 13;
    while (len > 0 && s[len - 1] == ' ') len--;
    if (len < 3 || (s[len - 1] != ')' && s[len - 1] != ']')) return false;
    char open = s[len - 1] == ')' ? '(' : '[';
    size_t i = len - 1;
    while (i > 0 && s[i - 1] != open) i--;
    if (i == 0) return false;
    *in = s + i;
    *n = len - 1 - i;
    return true;
}

/* A credit inside brackets: "AP Photo/Andrew Harnik", "Photo/China Daily",
 * "FENG YONGBIN / CHINA DAILY", "Lintao Zhang/Pool via AP", "file photo". */
static bool credit_group(const char *in, size_t n) {
    bool slash = false, photo = false, via = false;
    for (size_t i = 0; i < n;) {
        size_t w = ex_word_len(in + i);
        if (w == 0) {
            slash |= in[i] == '/';
            i++;
            continue;
        }
        photo |= ex_word_photo(in + i, w);
        via |= w == 3 && strncmp(in + i, "via", 3) == 0;
        i += w;
    }
    return photo || via || (slash && n < 60);
}

static bool caption_marked(const ex_unit_t *u) {
    const char *in;
    size_t n;
    if (closing_group(u->s, u->len, &in, &n) && credit_group(in, n)) return true;
    for (size_t i = 0; i < COUNT(CREDIT_INTROS); i++) {
        const char *p = strstr(u->s, CREDIT_INTROS[i]);
        if (p && p > u->s && strlen(p) < 80) return true;
    }
    return false;
}

/* The word that ends s[0..len). */
static bool last_word(const char *s, size_t len, const char **w, size_t *n) {
    while (len > 0 && !ex_word_byte(s[len - 1])) len--;
    size_t i = len;
    while (i > 0 && ex_word_byte(s[i - 1])) i--;
    *w = s + i;
    *n = len - i;
    return *n > 0;
}

/* A photo credit alone: "© AP Photo/Pavel Golovkin", "PHOTO : Website of
 * the President", "Yomiuri Shimbun file photo", "Getty Images". */
/* "Evan Vucci, The Associated Press": a photographer and an agency. */
static bool person_and_agency(const char *s) {
    const char *comma = strrchr(s, ',');
    size_t alen;
    if (!comma || comma[1] != ' ') return false;
    const char *a = comma + 2;
    if (!ex_agency(a, strlen(a)) && !(ex_agency_at(a, &alen) && !a[alen])) return false;
    char name[64];
    if ((size_t)(comma - s) >= sizeof name) return false;
    snprintf(name, sizeof name, "%.*s", (int)(comma - s), s);
    return ex_meta_person(name);
}

static bool credit_alone(const ex_unit_t *u) {
    const char *w;
    size_t n;
    if (person_and_agency(u->s)) return true;
    if (strncmp(u->s, "\xC2\xA9", 2) == 0) return true; /* © */
    if (ex_prefix_ci(u->s, "PHOTO :") || ex_prefix_ci(u->s, "Photo:") ||
        ex_prefix_ci(u->s, "Photo credit"))
        return true;
    if (u->shape.words > CREDIT_MAX_WORDS || ex_shape_prose(&u->shape)) return false;
    if (last_word(u->s, u->len, &w, &n) && ex_word_photo(w, n)) return true;
    const char *in;
    size_t k;
    return closing_group(u->s, u->len, &in, &k) && in == u->s + 1 && credit_group(in, k);
}

static bool creditline(const ex_unit_t *u) {
    return any_prefix(u->s, CREDITLINE_INTROS, COUNT(CREDITLINE_INTROS)) && u->shape.words < 40;
}

/* "Home / China / Latest", "Home » Nation", "News / World", "Live blog
 * update| Israel's war on Gaza": parts whose first is made of section
 * words. */
static bool breadcrumb(const char *s) {
    static const char *const SEPS[] = {" / ", " \xC2\xBB ", " > ", "|", " \xE2\x80\xBA "};
    for (size_t k = 0; k < COUNT(SEPS); k++) {
        const char *sep = strstr(s, SEPS[k]);
        if (!sep || sep == s) continue;
        /* "Home | World | Business | Sport" is a menu, not a trail. */
        if (SEPS[k][0] == '|' && strchr(sep + 1, '|')) return false;
        bool first_ok = true;
        size_t words = 0;
        for (const char *p = s; p < sep;) {
            size_t w = ex_word_len(p);
            if (w == 0) {
                p++;
                continue;
            }
            words++;
            first_ok &= ex_word_section(p, w) || (w == 4 && strncasecmp(p, "home", 4) == 0) ||
                        (w == 4 && strncasecmp(p, "live", 4) == 0) ||
                        (w == 4 && strncasecmp(p, "blog", 4) == 0) ||
                        (w == 6 && strncasecmp(p, "update", 6) == 0);
            p += w;
        }
        if (first_ok && words > 0 && words <= 4) return true;
    }
    return false;
}

/* A lone section name: one to four words, each a section word
 * ("Economical news", "World Today", "Question-answer"). */
static bool section_line(const ex_unit_t *u) {
    if (ex_meta_category(ex_unbullet(u->s))) return true;
    if (u->shape.words == 0 || u->shape.words > 4 || u->shape.end_mark) return false;
    for (const char *p = u->s; *p;) {
        size_t w = ex_word_len(p);
        if (w == 0) {
            if (!strchr(" -&,", *p)) return false;
            p++;
            continue;
        }
        if (!ex_word_section(p, w)) return false;
        p += w;
    }
    return true;
}

/* A short line with a date among other things: "September 10, 2013|Reuters",
 * "2017-04-11 16:50 | www.trend.az | 0", "Hatty Collier16 September 2018". */
static bool date_among(const ex_unit_t *u) {
    char iso[EX_DATE_BYTES];
    size_t at, end;
    if (u->shape.words > META_MAX_WORDS || (ex_shape_prose(&u->shape) && u->shape.words > 8))
        return false;
    return ex_date_find(u->s, iso, &at, &end);
}

/* The line ends with a dotted abbreviation ("Washington D.C."), not a
 * sentence. */
static bool abbreviation_end(const char *s) {
    const char *w = strrchr(s, ' ');
    w = w ? w + 1 : s;
    const char *dot = strchr(w, '.');
    return dot && dot[1] != '\0';
}

/* Buttons whose labels ran together: "LINKEDINCOMMENTMORE",
 * "ShareTweetEmail". */
static bool glued_site_words(const ex_unit_t *u) {
    static const char *const PARTS[] = {"share",     "tweet",   "email", "comment", "linkedin",
                                        "facebook",  "twitter", "print", "more",    "whatsapp",
                                        "pinterest", "reddit",  "save",  "copy",    "link"};
    if (u->shape.words > 3 || u->len < 8 || u->len > 60) return false;
    char low[64];
    for (size_t i = 0; i <= u->len; i++) low[i] = (char)tolower((unsigned char)u->s[i]);
    unsigned hits = 0;
    for (size_t i = 0; i < COUNT(PARTS); i++) hits += strstr(low, PARTS[i]) != NULL;
    return hits >= 2;
}

/* An article's code or id printed as a line: "ID: 104563", "Article code
 * 7A-2231", "No. 4451". */
static bool article_code(const ex_unit_t *u) {
    static const char *const LABELS[] = {"id", "code", "article", "no", "ref", "news", "item"};
    if (u->shape.words == 0 || u->shape.words > 4 || u->shape.digits == 0) return false;
    size_t run = 0, best = 0;
    for (const char *p = u->s; *p; p++) {
        run = isdigit((unsigned char)*p) ? run + 1 : 0;
        if (run > best) best = run;
    }
    if (best < 4) return false;
    for (size_t i = 0; i < COUNT(LABELS); i++)
        if (ex_prefix_ci(u->s, LABELS[i]) && !isalpha((unsigned char)u->s[strlen(LABELS[i])]))
            return true;
    return u->shape.letters == 0 || (u->shape.words == 1 && u->shape.digits == 0);
}

/* A teaser for another story: "... Read full story". */
static bool teaser(const ex_unit_t *u) {
    static const char *const ENDS[] = {"Read full story", "Read more", "Continue reading",
                                       "Full story", "Read the full story"};
    for (size_t i = 0; i < COUNT(ENDS); i++) {
        size_t k = strlen(ENDS[i]), n = u->len;
        while (n > 0 && strchr(" .>\xBB", u->s[n - 1])) n--;
        if (n > k && strncasecmp(u->s + n - k, ENDS[i], k) == 0) return true;
    }
    return false;
}

/* A short line that ends with a photo word: "Yomiuri Shimbun file photo",
 * "Hikm\xC9\x99t Hac\xC4\xB1yev. A\xC3\xA7iq m\xC9\x99nb\xC9\x99l\xC9\x99rd\xC9\x99n foto." */
static bool photo_ending(const ex_unit_t *u) {
    const char *w;
    size_t n;
    if (u->shape.words > CREDIT_MAX_WORDS + 1) return false;
    if (last_word(u->s, u->len, &w, &n) && ex_word_photo(w, n)) return true;
    /* "Mira Castell. Photo from open sources.": a sentence opening with one. */
    for (const char *p = strstr(u->s, ". "); p; p = strstr(p + 1, ". ")) {
        size_t k = ex_word_len(p + 2);
        if (k > 0 && ex_word_photo(p + 2, k)) return true;
    }
    return false;
}

/* ---- the detectors of a line, in the order they are tried -------------------- */

/* What a detector sees: the unit, its text without a list bullet, the
 * learnt furniture (or NULL), and room for a detail of its reason. */
typedef struct {
    const ex_unit_t *u;
    const char *s;
    const ex_learned_t *learned;
    char detail[64];
} probe_t;

static bool is_phrase(probe_t *p) {
    return ex_furniture_phrase(p->u->s) || ex_furniture_opening(p->u->s);
}
static bool is_glued(probe_t *p) {
    return glued_site_words(p->u);
}
static bool is_creditline(probe_t *p) {
    return creditline(p->u);
}
static bool is_byline(probe_t *p) {
    return ex_meta_is_byline(p->s);
}
static bool is_date_line(probe_t *p) {
    char iso[EX_DATE_BYTES];
    if (!ex_date_line(p->s, iso)) return false;
    snprintf(p->detail, sizeof p->detail, ": %s", iso);
    return true;
}
static bool is_wordless(probe_t *p) {
    return p->u->shape.letters == 0;
}
static bool is_label(probe_t *p) {
    return lone_label(p->s);
}
static bool is_credit(probe_t *p) {
    return credit_alone(p->u) || photo_ending(p->u);
}
static bool is_caption(probe_t *p) {
    return caption_marked(p->u);
}
static bool is_teaser(probe_t *p) {
    return teaser(p->u);
}
static bool is_dateline_line(probe_t *p) {
    ex_dateline_t d;
    char who[EX_SOURCE_BYTES];
    if (!ex_dateline_line(p->s, &d, who)) return false;
    snprintf(p->detail, sizeof p->detail, " (%s)", d.how);
    return true;
}
static bool is_date_among(probe_t *p) {
    return date_among(p->u);
}
static bool is_code(probe_t *p) {
    return article_code(p->u);
}
static bool is_learnt(probe_t *p) {
    unsigned pages;
    if (!p->learned || !ex_learned_has(p->learned, p->u, &pages)) return false;
    snprintf(p->detail, sizeof p->detail, ": seen on %u pages", pages);
    return true;
}
static bool is_site_talk(probe_t *p) {
    const ex_shape_t *sh = &p->u->shape;
    if (!site_notice(sh)) return false;
    snprintf(p->detail, sizeof p->detail, ": %u of %u words about the site or the reader",
             sh->site_talk + sh->imperative + sh->second_person, sh->words);
    return true;
}
static bool is_labelled(probe_t *p) {
    return any_prefix(p->s, SECTION_LABELS, COUNT(SECTION_LABELS)) && p->u->shape.words <= 8;
}
static bool is_breadcrumb(probe_t *p) {
    return breadcrumb(p->s);
}
static bool is_section(probe_t *p) {
    return p->s == p->u->s && section_line(p->u);
}
static bool is_section_link(probe_t *p) { /* "- Finance" in a list: a link */
    return section_line(p->u);
}
static bool is_agency(probe_t *p) {
    return ex_agency(p->s, strlen(p->s)) != NULL;
}
static bool is_name(probe_t *p) {
    return ex_meta_name_words(p->s, strlen(p->s)) >= 1 &&
           (!p->u->shape.end_mark || abbreviation_end(p->s));
}

typedef struct {
    bool (*test)(probe_t *p);
    ex_kind_t kind;
    ex_role_t role;
    bool decided; /* false: the layout decides by where it stands */
    const char *reason;
} detector_t;

/* Metadata before learnt furniture, so that a byline, a date or an agency's
 * sign-off seen on many pages is never learnt away; learnt furniture before
 * names, which menus are made of. */
static const detector_t LINE_DETECTORS[] = {
    {is_phrase, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "furniture phrase"},
    {is_glued, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "site words run together"},
    {is_creditline, EX_K_CREDITLINE, EX_ROLE_META, true, "wire credit line"},
    {is_byline, EX_K_BYLINE, EX_ROLE_META, true, "byline"},
    {is_date_line, EX_K_DATE, EX_ROLE_META, true, "date line"},
    {is_wordless, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "no words"},
    {is_label, EX_K_LABEL, EX_ROLE_META, true, "label, value below"},
    {is_credit, EX_K_CREDIT, EX_ROLE_CAPTION, true, "photo credit"},
    {is_caption, EX_K_CAPTION, EX_ROLE_CAPTION, true, "caption: ends with a photo credit"},
    {is_teaser, EX_K_TEXT, EX_ROLE_SIDEBAR, true, "teaser of another story"},
    {is_dateline_line, EX_K_DATELINE, EX_ROLE_META, true, "dateline line"},
    {is_date_among, EX_K_DATE, EX_ROLE_META, true, "metadata line with a date"},
    {is_code, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "the article's code"},
    {is_site_talk, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "site talk"},
    {is_labelled, EX_K_SECTION, EX_ROLE_META, true, "labelled line"},
    {is_breadcrumb, EX_K_SECTION, EX_ROLE_META, true, "breadcrumb"},
    {is_section, EX_K_SECTION, EX_ROLE_META, true, "section name"},
    {is_section_link, EX_K_NAV, EX_ROLE_FURNITURE, true, "link to a section"},
    {is_agency, EX_K_AGENCY, EX_ROLE_META, false, "agency name alone"},
    {is_learnt, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "learnt furniture"},
    {is_name, EX_K_NAME, EX_ROLE_META, false, "name line"},
};

/* Paragraphs are only what long units can be. */
static const detector_t PARAGRAPH_DETECTORS[] = {
    {is_phrase, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "furniture phrase"},
    {is_caption, EX_K_CAPTION, EX_ROLE_CAPTION, true, "caption: ends with a photo credit"},
    {is_teaser, EX_K_TEXT, EX_ROLE_SIDEBAR, true, "teaser of another story"},
    {is_site_talk, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "site talk"},
};

static void classify_unit(ex_page_t *page, ex_unit_t *u, const ex_learned_t *learned) {
    probe_t p = {u, ex_unbullet(u->s), learned, ""};
    bool line = u->shape.words <= LINE_MAX_WORDS;
    const detector_t *v = line ? LINE_DETECTORS : PARAGRAPH_DETECTORS;
    size_t n = line ? COUNT(LINE_DETECTORS) : COUNT(PARAGRAPH_DETECTORS);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].test(&p)) continue;
        ex_unit_set(page, u, v[i].kind, v[i].role, v[i].decided, "%s%s", v[i].reason, p.detail);
        return;
    }
}

/* ---- neighbours ------------------------------------------------------------ */

/* The next unit opens with a dateline: u is a headline, not a menu entry. */
static bool heads_dateline(const ex_page_t *page, size_t j) {
    ex_dateline_t d;
    return j + 1 < page->n && ex_dateline(page->u[j + 1].s, page->u[j + 1].len, &d) &&
           (d.source[0] || d.date[0]);
}

/* Runs of short lines that are not sentences: a menu. */
static void mark_nav_runs(ex_page_t *page) {
    size_t first_prose = 0;
    while (first_prose < page->n && !ex_shape_prose(&page->u[first_prose].shape)) first_prose++;
    for (size_t i = 0; i < page->n;) {
        size_t j = i, texts = 0;
        for (; j < page->n; j++) {
            const ex_unit_t *u = &page->u[j];
            if (u->kind == EX_K_SEPARATOR) continue;
            /* Above the text, names are menu entries too ("Political
             * Monitoring"); below it, a closing block of names is not. */
            bool name_ok = u->kind != EX_K_NAME || j < first_prose;
            bool menu = u->shape.words <= NAV_MAX_WORDS && !u->shape.end_mark && name_ok &&
                        (!u->decided || u->role == EX_ROLE_FURNITURE || u->kind == EX_K_NAME) &&
                        !heads_dateline(page, j);
            if (!menu || (j > i && u->gap_before)) break; /* a menu's entries touch */
            texts++;
        }
        if (texts >= NAV_MIN_RUN)
            for (size_t k = i; k < j; k++)
                ex_unit_set(page, &page->u[k], EX_K_NAV, EX_ROLE_FURNITURE, true,
                            "menu: one of %zu short lines in a row", texts);
        i = j > i ? j : i + 1;
    }
}

/* A hash of the loose text of a unit, so that equal units (ex_unit_same)
 * are found by sorting rather than by comparing every pair. */
static uint64_t loose_hash(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c >= 0x80 || ispunct(c)) continue; /* quotes, spaces, dashes */
        h = (h ^ (uint64_t)tolower(c)) * 1099511628211ull;
    }
    return h;
}

typedef struct {
    uint64_t h;
    size_t i;
} keyed_t;

static int by_hash(const void *a, const void *b) {
    const keyed_t *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void link_copies(ex_page_t *page) {
    keyed_t *k = malloc(page->n * sizeof *k);
    for (size_t i = 0; i < page->n; i++) page->u[i].prev_copy = page->u[i].next_copy = SIZE_MAX;
    if (!k) return; /* copies are a hint: without memory, none are found */
    for (size_t i = 0; i < page->n; i++) k[i] = (keyed_t){loose_hash(page->u[i].s), i};
    qsort(k, page->n, sizeof *k, by_hash);
    for (size_t a = 0; a + 1 < page->n; a++) {
        ex_unit_t *x = &page->u[k[a].i], *y = &page->u[k[a + 1].i];
        if (k[a].h != k[a + 1].h || x->shape.words < 2 || !ex_unit_same(x->s, y->s)) continue;
        x->next_copy = k[a + 1].i;
        y->prev_copy = k[a].i;
    }
    free(k);
}

/* What may be the caption of a photo credit next to it: one short
 * sentence or a fragment, never a paragraph that opens with a dateline.
 * Beside an agency's name alone (which may also sign off an article), only
 * a fragment. */
static bool caption_beside_credit(const ex_unit_t *v, bool agency) {
    ex_dateline_t d;
    if (v->decided || v->shape.words < 2 || v->shape.words > 30 || v->shape.sentences > 1)
        return false;
    if (agency && ex_shape_prose(&v->shape)) return false;
    return !ex_dateline(v->s, v->len, &d);
}

static bool adjacent(const ex_page_t *page, size_t i, size_t j) {
    return j == i + 1 && j < page->n && !page->u[i].gap_after;
}

/* Captions around what the detectors found: the line after a "Media
 * caption" label or after a credit, the line before a credit, a caption
 * printed twice in one block, and the rest of a small block that holds a
 * caption ("In this Feb. 27 photo," / "Name, The Associated Press" / ...). */
static void mark_caption_neighbours(ex_page_t *page) {
    bool headline_above = false; /* else a line printed twice may be the headline */
    for (size_t i = 0; i < page->n; i++) {
        ex_unit_t *u = &page->u[i], *next = i + 1 < page->n ? &page->u[i + 1] : NULL;
        if (i > 0 && ex_headline_shape(&page->u[i - 1])) headline_above = true;
        if (any_prefix(u->s, CAPTION_LABELS, COUNT(CAPTION_LABELS)) && u->shape.words <= 3) {
            ex_unit_set(page, u, EX_K_FURNITURE, EX_ROLE_FURNITURE, true, "caption label");
            u->decided = true;
            if (next)
                ex_unit_set(page, next, EX_K_CAPTION, EX_ROLE_CAPTION, true,
                            "caption: after a caption label");
            continue;
        }
        if (next && adjacent(page, i, i + 1) && u->next_copy == i + 1 && !u->decided &&
            headline_above) {
            ex_unit_set(page, u, EX_K_CAPTION, EX_ROLE_CAPTION, true,
                        "caption: printed twice in one block");
            ex_unit_set(page, next, EX_K_REPEAT, EX_ROLE_SKIPPED, true, "second copy of line %u",
                        u->first);
        }
    }
    size_t first_text = 0;
    while (first_text < page->n && page->u[first_text].decided) first_text++;
    for (size_t i = 0; i < page->n; i++) {
        ex_unit_t *u = &page->u[i];
        bool bare = u->shape.sentences <= 1 && u->shape.words <= 5;
        bool credit = (u->kind == EX_K_CREDIT || u->kind == EX_K_AGENCY) && bare;
        if (!credit) continue;
        for (int side = -1; side <= 1; side += 2) {
            size_t j = (size_t)((long)i + side);
            if (j >= page->n || !adjacent(page, side < 0 ? j : i, side < 0 ? i : j)) continue;
            ex_unit_t *v = &page->u[j];
            if (!caption_beside_credit(v, u->kind == EX_K_AGENCY) || j == first_text) continue;
            if (u->kind == EX_K_AGENCY) u->role = EX_ROLE_CAPTION, u->decided = true;
            ex_unit_set(page, v, EX_K_CAPTION, EX_ROLE_CAPTION, true,
                        "caption: beside the photo credit on line %u", u->first);
        }
    }
}

/* A small block (no blank line inside) that holds a caption is all
 * caption: its photo date line, its credit, its description. */
static void mark_caption_blocks(ex_page_t *page) {
    if (!page->blank_lines) return;
    for (size_t i = 0; i < page->n;) {
        size_t j = i;
        while (j + 1 < page->n && !page->u[j].gap_after) j++;
        bool caption = false;
        size_t size = 0;
        for (size_t k = i; k <= j; k++) {
            caption |= page->u[k].kind == EX_K_CAPTION || page->u[k].kind == EX_K_CREDIT;
            size += !page->u[k].decided || page->u[k].role == EX_ROLE_CAPTION;
        }
        if (caption && size <= CAPTION_BLOCK_MAX_UNITS && j > i)
            for (size_t k = i; k <= j; k++)
                if (!page->u[k].decided || page->u[k].kind == EX_K_NAME)
                    ex_unit_set(page, &page->u[k], EX_K_CAPTION, EX_ROLE_CAPTION, true,
                                "caption: in the block of the caption on line %u",
                                page->u[i].first);
        i = j + 1;
    }
}

/* Markers of a list of other stories: the headlines after them, up to the
 * next line that is not one, are links. */
static void mark_after_markers(ex_page_t *page) {
    static const char *const MARKERS[] = {
        "also read",        "read also",       "you may also like", "related",     "related news",
        "related articles", "related stories", "more stories",      "see also",    "read more",
        "recommended",      "more from",       "latest news",       "top stories", "most read",
        "popular news",     "important news",  "news line"};
    for (size_t i = 0; i < page->n; i++) {
        const ex_unit_t *u = &page->u[i];
        if (u->role != EX_ROLE_FURNITURE) continue;
        bool marker = false;
        for (size_t k = 0; k < COUNT(MARKERS) && !marker; k++) {
            size_t n = strlen(MARKERS[k]);
            const char *s = ex_unbullet(u->s);
            marker = strncasecmp(s, MARKERS[k], n) == 0 && (!s[n] || strchr(":. ", s[n])) &&
                     u->shape.words <= 4;
        }
        /* Quoted as an excerpt: a cut inside a character would leave the
         * reason not UTF-8, and --explain --json without it. */
        char quote[41];
        if (marker) utf8_excerpt(quote, sizeof quote, u->s);
        for (size_t j = i + 1; marker && j < page->n; j++) {
            ex_unit_t *v = &page->u[j];
            if (v->decided && v->role != EX_ROLE_SIDEBAR) break;
            if (!ex_headline_shape(v) && !v->decided) break;
            ex_unit_set(page, v, EX_K_TEXT, EX_ROLE_SIDEBAR, true, "a headline listed after \"%s\"",
                        quote);
        }
    }
}

void ex_classify(ex_page_t *page, const ex_learned_t *learned) {
    for (size_t i = 0; i < page->n; i++)
        if (!page->u[i].decided) classify_unit(page, &page->u[i], learned);
    link_copies(page);
    mark_nav_runs(page);
    mark_caption_neighbours(page);
    mark_caption_blocks(page);
    mark_after_markers(page);
}

bool ex_headline_text(const ex_shape_t *sh, size_t len) {
    if (sh->words < HEADLINE_MIN_WORDS || sh->words > HEADLINE_MAX_WORDS) return false;
    if (len > HEADLINE_MAX_BYTES || sh->ends_weak || sh->second_person) return false;
    if (!sh->starts_upper || sh->letters * 2 < sh->words || sh->sentences > 1) return false;
    return !(sh->last_mark == '.' && sh->words > 3);
}

bool ex_headline_shape(const ex_unit_t *u) {
    if (u->decided && u->kind != EX_K_NAME && u->kind != EX_K_AGENCY) return false;
    return ex_headline_text(&u->shape, u->len);
}
