/* Where the article is on a page, once the detectors (extract_class.c) have
 * marked what is plainly furniture, caption or metadata.
 *
 *  1. The body: each undecided unit is weighed, prose by its words (capped,
 *     so that one long paragraph of comments cannot outweigh an article),
 *     everything else a small loss. The run of units with the greatest sum
 *     is the article (the maximum-subarray view of Finn's Body Text
 *     Extraction, over paragraphs instead of tags).
 *  2. Stories: inside that run, a headline followed by a dateline, or by
 *     the header of a new post after a closing byline, starts another
 *     story; after a closing block of metadata, the stretches between
 *     separator lines ("-") are stories of their own (news-line bulletins).
 *  3. The main story's start is moved past teasers (printed again below)
 *     and captions that echo the text; its headline is chosen among the
 *     lines above it (extract_headline.c).
 *  4. Inside a story, headline-shaped lines between paragraphs are related
 *     links (sidebar), unless they are short crossheads. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* Prose counts for its words, up to this many. */
#define PROSE_WEIGHT_MAX 80
/* Losses of units that are not prose. */
#define LOSS_FURNITURE 4
#define LOSS_CAPTION 3
#define LOSS_META 2
#define LOSS_SKIPPED 1
#define LOSS_HEADLINE 4
#define LOSS_TEXT 2
/* A long unit that is not a sentence (a list, a cut paragraph) counts for
 * half its words. */
#define LONG_TEXT_WORDS 15
/* Without prose, lines of figures make a story when they hold this many
 * words together, each of at least this many. */
#define TABLE_MIN_SUM 12
#define TABLE_MIN_WORDS 3
/* ... and more than this many times the weight of the best run of prose. */
#define TABLE_OVER_PROSE 3
/* A paragraph that opens with a dateline is where wire copy starts. */
#define DATELINE_BONUS 10
/* A caption or standfirst echoes a paragraph when this share of its
 * content words come again in one of the next few units. */
#define ECHO_PERCENT 60
#define ECHO_LOOKAHEAD 6
/* A related link is a headline of at least this many words; shorter lines
 * inside the text are crossheads. */
#define LINK_MIN_WORDS 5
/* Captions and standfirsts are short; the text they echo is looked for in
 * the first bytes of each following unit. */
#define ECHO_MAX_WORDS 60
#define ECHO_SCAN_BYTES 2000
/* Teasers and captions above the text are few. */
#define TRIM_MAX_UNITS 16

#define NONE SIZE_MAX

static long weight(const ex_unit_t *u) {
    const ex_shape_t *sh = &u->shape;
    if (u->decided) {
        switch (u->role) {
        case EX_ROLE_FURNITURE:
            return -LOSS_FURNITURE;
        case EX_ROLE_CAPTION:
            return -LOSS_CAPTION;
        case EX_ROLE_META:
            return -LOSS_META;
        default:
            return -LOSS_SKIPPED;
        }
    }
    if (u->kind == EX_K_NAME || u->kind == EX_K_AGENCY) return -LOSS_META;
    if (ex_shape_prose(sh)) {
        long w = sh->words < PROSE_WEIGHT_MAX ? sh->words : PROSE_WEIGHT_MAX;
        ex_dateline_t d;
        return ex_dateline(u->s, u->len, &d) ? w + DATELINE_BONUS : w;
    }
    if (ex_headline_shape(u)) return -LOSS_HEADLINE;
    /* Long text that is not sentences: a cut paragraph counts, but not
     * one set apart by a wide gap (an author's box, a widget's text). */
    if (sh->words >= LONG_TEXT_WORDS && u->gap_lines < 2) return sh->words / 2;
    return -LOSS_TEXT;
}

/* A line of a table or a list: words that are not a headline's, or
 * figures ("Shr loss nil vs profit 19 cts"). */
static bool table_line(const ex_unit_t *u) {
    return u->shape.words >= TABLE_MIN_WORDS && (!ex_headline_shape(u) || u->shape.digits > 0);
}

/* For pages with no prose at all (a table of results, an earnings report
 * in figures): text that is neither a headline nor furniture counts. */
static long table_weight(const ex_unit_t *u) {
    if (u->decided || u->kind == EX_K_NAME || u->kind == EX_K_AGENCY) return weight(u);
    if (!table_line(u)) return -LOSS_TEXT;
    return u->shape.words;
}

/* The run [*first, *last] with the greatest sum of weights (Kadane); false
 * when no unit weighs anything, or (without prose) when the run is too
 * short to be a story. */
static bool best_run_by(const ex_page_t *page, long (*w)(const ex_unit_t *), long min_sum,
                        size_t *first, size_t *last, long *total) {
    long best = 0, sum = 0;
    size_t start = 0;
    bool found = false;
    for (size_t i = 0; i < page->n; i++) {
        if (sum <= 0) sum = 0, start = i;
        sum += w(&page->u[i]);
        if (sum > best) best = sum, *first = start, *last = i, found = true;
    }
    *total = best;
    return found && best >= min_sum;
}

/* The prose run, unless the page is mostly figures around a note of prose
 * (an earnings report: "Shr 19 cts vs 12 cts ... Note: ..."). */
static bool best_run(ex_page_t *page, size_t *first, size_t *last) {
    size_t tf = 0, tl = 0;
    long prose = 0, table = 0;
    bool has_prose = best_run_by(page, weight, 1, first, last, &prose);
    bool has_table = best_run_by(page, table_weight, TABLE_MIN_SUM, &tf, &tl, &table);
    if (has_table && (!has_prose || table > prose * TABLE_OVER_PROSE)) {
        page->table = true;
        *first = tf, *last = tl;
        return true;
    }
    return has_prose;
}

static bool body_like(const ex_page_t *page, const ex_unit_t *u) {
    if (u->decided || u->kind == EX_K_NAME || u->kind == EX_K_AGENCY) return false;
    if (page->table) return table_line(u);
    return ex_shape_prose(&u->shape) || u->shape.words >= LONG_TEXT_WORDS;
}

bool ex_unit_meta(const ex_unit_t *u) {
    return u->role == EX_ROLE_META &&
           (u->decided || u->kind == EX_K_NAME || u->kind == EX_K_AGENCY);
}

/* The next unit after i that is neither furniture, caption nor skipped. */
size_t ex_next_real(const ex_page_t *page, size_t i, size_t end) {
    for (size_t j = i + 1; j <= end && j < page->n; j++) {
        const ex_unit_t *u = &page->u[j];
        if (!u->decided || u->role == EX_ROLE_META) return j;
    }
    return NONE;
}

static size_t prev_real(const ex_page_t *page, size_t i, size_t start) {
    for (size_t j = i; j-- > start;) {
        const ex_unit_t *u = &page->u[j];
        if (!u->decided || u->role == EX_ROLE_META) return j;
    }
    return NONE;
}

static bool opens_with_dateline(const ex_unit_t *u) {
    ex_dateline_t d;
    return !u->decided && u->shape.words >= 4 && ex_dateline(u->s, u->len, &d) &&
           (d.source[0] || d.date[0]);
}

/* ---- stories --------------------------------------------------------------- */

static bool add_story(ex_layout_t *l, size_t title, size_t first, size_t last) {
    ex_story_t *grown = realloc(l->v, (l->n + 1) * sizeof *grown);
    if (!grown) return false;
    l->v = grown;
    l->v[l->n++] = (ex_story_t){title, first, last};
    return true;
}

/* Whether unit k starts a new story: a headline whose next paragraph opens
 * with a dateline, or a headline after a closing byline or date that
 * follows text (a blog archive: post, "Posted By ...", date, next post). */
static bool story_starts(const ex_page_t *page, size_t k, size_t end) {
    const ex_unit_t *u = &page->u[k];
    if (!ex_headline_shape(u) || u->decided || (page->table && table_line(u))) return false;
    size_t next = ex_next_real(page, k, end);
    if (next == NONE) return false;
    if (opens_with_dateline(&page->u[next])) return true;
    if (!body_like(page, &page->u[next])) return false;
    size_t prev = prev_real(page, k, 0);
    if (prev == NONE || !ex_unit_meta(&page->u[prev])) return false;
    while (prev != NONE && ex_unit_meta(&page->u[prev])) prev = prev_real(page, prev, 0);
    return prev != NONE && body_like(page, &page->u[prev]);
}

/* A closing block inside the run: after the text, metadata lines (names,
 * dates, sections), separators and furniture, with a separator and a
 * metadata line among them, then more text. Returns the index of its first
 * unit, or NONE; *after is the first unit of the text that follows. */
static size_t closing_block(const ex_page_t *page, size_t first, size_t last, size_t *after) {
    for (size_t i = first + 1; i <= last; i++) {
        if (!body_like(page, &page->u[i - 1]) || body_like(page, &page->u[i])) continue;
        size_t j = i;
        bool sep = false, meta = false;
        for (; j <= last && !body_like(page, &page->u[j]); j++) {
            const ex_unit_t *u = &page->u[j];
            if (u->kind == EX_K_SEPARATOR)
                sep = true;
            else if (ex_unit_meta(u))
                meta = true;
            else if (!u->decided || u->role != EX_ROLE_FURNITURE)
                break;
        }
        if (sep && meta && j <= last && body_like(page, &page->u[j])) {
            *after = j;
            return i;
        }
        i = j > i ? j : i; /* nothing before j can open a block: keep the scan linear */
    }
    return NONE;
}

/* Bulletin items after a closing block: each stretch of text between
 * separators is a story without a headline. */
static bool add_items(const ex_page_t *page, ex_layout_t *l, size_t from, size_t last) {
    size_t start = NONE;
    for (size_t i = from; i <= last + 1; i++) {
        bool sep = i > last || page->u[i].kind == EX_K_SEPARATOR;
        if (!sep) {
            if (start == NONE && body_like(page, &page->u[i])) start = i;
            continue;
        }
        if (start != NONE && !add_story(l, NONE, start, i - 1)) return false;
        start = NONE;
    }
    return true;
}

static bool split_stories(const ex_page_t *page, ex_layout_t *l, size_t first, size_t last) {
    size_t after, close = closing_block(page, first, last, &after);
    size_t main_last = close != NONE ? close - 1 : last;
    size_t start = first, title = NONE;
    for (size_t k = first + 1; k <= main_last; k++) {
        if (!story_starts(page, k, main_last)) continue;
        if (!add_story(l, title, start, k - 1)) return false;
        title = k;
        start = k + 1;
    }
    if (!add_story(l, title, start, main_last)) return false;
    if (close == NONE) return true;
    l->tail_first = close;
    l->tail_last = after - 1;
    return add_items(page, l, after, last);
}

/* ---- the start of the main story -------------------------------------------- */

/* Counts the content words (not stopwords, three letters or more) of a
 * that also occur in b, ignoring ASCII case. */
static void shared_words(const char *a, const char *b, unsigned *shared, unsigned *total) {
    *shared = *total = 0;
    for (const char *p = a; *p;) {
        size_t w = ex_word_len(p);
        if (w == 0) {
            p++;
            continue;
        }
        if (w >= 3 && !ex_word_stop(p, w)) {
            (*total)++;
            const char *b_end = b + strnlen(b, ECHO_SCAN_BYTES);
            for (const char *q = b; q < b_end && *q;) {
                size_t v = ex_word_len(q);
                if (v == w && strncasecmp(p, q, w) == 0) {
                    (*shared)++;
                    break;
                }
                q += v ? v : 1;
            }
        }
        p += w;
    }
}

/* A unit whose words come again in one of the next few: a caption or a
 * standfirst that repeats the text. Only read on pages whose paragraphs
 * stand apart (blank lines between), where such a unit stands alone; on
 * pages without blank lines, the lede comes right under the headline and
 * is often retold below. */
static size_t echoed_by(const ex_page_t *page, size_t i, size_t last) {
    const ex_unit_t *u = &page->u[i];
    if (!u->gap_before || !u->gap_after || u->shape.words > ECHO_MAX_WORDS) return NONE;
    for (size_t j = i + 1; j <= last && j <= i + ECHO_LOOKAHEAD; j++) {
        unsigned shared, total;
        if (!body_like(page, &page->u[j])) continue;
        shared_words(u->s, page->u[j].s, &shared, &total);
        if (total >= 4 && shared * 100 >= total * ECHO_PERCENT) return j;
    }
    return NONE;
}

/* Verbs of speech, which ledes use in the present tense too ("South Korea
 * says ..."); other verbs in the present tense after a subject are how
 * captions describe a picture ("Adnan Hajizade speaks to reporters"). */
static const char *const SPEECH_VERBS[] = {
    "says",    "tells",  "warns",    "urges",     "claims", "calls", "asks",    "reports",
    "insists", "denies", "confirms", "announces", "plans",  "wants", "expects", "is",
    "has",     "was",    "does",     "vows",      "seeks",  "hopes"};

static bool speech_verb(const char *w, size_t n) {
    for (size_t i = 0; i < sizeof SPEECH_VERBS / sizeof SPEECH_VERBS[0]; i++)
        if (strlen(SPEECH_VERBS[i]) == n && strncmp(w, SPEECH_VERBS[i], n) == 0) return true;
    return false;
}

/* A picture's description: one sentence of a capitalised subject and a
 * verb in the present tense ("French President Emmanuel Macron visits a
 * site"), or a sentence that ends with a full date ("..., Dec. 26, 2022."). */
static bool caption_shaped(const ex_unit_t *u) {
    static const char *const ATTRIBUTIONS[] = {" reports", " said", " says", "according to",
                                               " told "};
    char iso[EX_DATE_BYTES];
    size_t at, end;
    if (u->shape.sentences > 1 || u->shape.words > 45) return false;
    for (size_t i = 0; i < sizeof ATTRIBUTIONS / sizeof ATTRIBUTIONS[0]; i++)
        if (strstr(u->s, ATTRIBUTIONS[i])) return false; /* a lede, not a picture */
    if (ex_date_find(u->s, iso, &at, &end) && strncmp(iso, "--", 2) != 0) {
        while (u->s[end] == ' ' || u->s[end] == '.') end++;
        if (u->s[end] == '\0' && at > 0) return true;
    }
    if (u->shape.words > 25) return false;
    const char *p = u->s;
    size_t capitals = 0;
    while (*p) {
        size_t w = ex_word_len(p);
        if (w == 0) {
            p++;
            continue;
        }
        if (!islower((unsigned char)*p)) {
            capitals++;
            p += w;
            continue;
        }
        return capitals >= 1 && w > 3 && p[w - 1] == 's' && p[w - 2] != 's' && p[w - 2] != '\'' &&
               !speech_verb(p, w);
    }
    return false;
}

/* Another unit that u begins with: a headline glued to its standfirst. */
static bool starts_with_other(const ex_page_t *page, size_t i) {
    const ex_unit_t *u = &page->u[i];
    for (size_t j = 0; j < page->n; j++) {
        const ex_unit_t *v = &page->u[j];
        if (j != i && v->len + 2 < u->len && v->shape.words >= 3 && ex_headline_shape(v) &&
            ex_unit_prefix(u->s, v->s))
            return true;
    }
    return false;
}

/* Between two pieces of furniture and nothing else: a video player's
 * description ("CLOSE" / description / "LINKEDINCOMMENTMORE"). */
static bool between_furniture(const ex_page_t *page, size_t i) {
    bool before = i > 0 && page->u[i - 1].decided && page->u[i - 1].role == EX_ROLE_FURNITURE;
    bool after =
        i + 1 < page->n && page->u[i + 1].decided && page->u[i + 1].role == EX_ROLE_FURNITURE;
    return before && after;
}

static void trim_start(ex_page_t *page, ex_story_t *s) {
    for (unsigned steps = 0; s->first <= s->last && steps < TRIM_MAX_UNITS; steps++) {
        ex_unit_t *u = &page->u[s->first];
        size_t echo;
        if (u->decided || (!body_like(page, u) && !opens_with_dateline(u))) {
            s->first++;
        } else if (opens_with_dateline(u)) {
            break;
        } else if (u->next_copy != NONE && u->next_copy <= s->last) {
            ex_unit_set(page, u, EX_K_REPEAT, EX_ROLE_SKIPPED, true,
                        "teaser: printed again on line %u", page->u[u->next_copy].first);
            s->first++;
        } else if (starts_with_other(page, s->first)) {
            ex_unit_set(page, u, EX_K_REPEAT, EX_ROLE_SKIPPED, true,
                        "the headline glued to its standfirst");
            s->first++;
        } else if (caption_shaped(u) || between_furniture(page, s->first)) {
            ex_unit_set(page, u, EX_K_CAPTION, EX_ROLE_CAPTION, true,
                        "caption: describes a picture, above the text");
            s->first++;
        } else if ((echo = echoed_by(page, s->first, s->last)) != NONE) {
            ex_unit_set(page, u, EX_K_CAPTION, EX_ROLE_CAPTION, true,
                        "caption or standfirst: its words come again on line %u",
                        page->u[echo].first);
            s->first++;
        } else {
            break;
        }
    }
}

/* ---- inside a story ---------------------------------------------------------- */

static bool crosshead(const ex_unit_t *u) {
    size_t n = u->len;
    return u->shape.words < LINK_MIN_WORDS || u->shape.all_caps || (n && u->s[n - 1] == ':');
}

/* Headline-shaped lines between paragraphs are links to other stories. */
static void mark_links(ex_page_t *page, const ex_story_t *s) {
    for (size_t i = s->first; i <= s->last && s->first <= s->last; i++) {
        ex_unit_t *u = &page->u[i];
        if (!u->decided && ex_headline_shape(u) && !crosshead(u) && !(page->table && table_line(u)))
            ex_unit_set(page, u, EX_K_TEXT, EX_ROLE_SIDEBAR, true, "related link inside the text");
    }
}

static void assign_body(ex_page_t *page, const ex_story_t *s, size_t article) {
    for (size_t i = s->first; i <= s->last && s->first <= s->last; i++) {
        ex_unit_t *u = &page->u[i];
        if (u->decided) continue;
        ex_unit_set(page, u, u->kind, EX_ROLE_BODY, true, "%s",
                    ex_shape_prose(&u->shape) ? "prose" : "text inside the article");
        u->article = article;
    }
}

/* Whatever no story took: outside the article. */
static void assign_rest(ex_page_t *page) {
    for (size_t i = 0; i < page->n; i++) {
        ex_unit_t *u = &page->u[i];
        char why[EX_WHY_BYTES];
        if (u->decided) continue;
        memcpy(why, u->why, sizeof why); /* the reason so far, not overwritten while read */
        if (u->kind == EX_K_NAME || u->kind == EX_K_AGENCY)
            ex_unit_set(page, u, u->kind, EX_ROLE_META, true, "%s", why);
        else
            ex_unit_set(page, u, u->kind, EX_ROLE_FURNITURE, true, "outside the article%s%s",
                        why[0] ? ": " : "", why);
    }
}

lede_status_t ex_layout(ex_page_t *page, ex_layout_t *out) {
    size_t first = 0, last = 0;
    memset(out, 0, sizeof *out);
    out->tail_first = NONE;
    if (!best_run(page, &first, &last)) {
        assign_rest(page);
        return LEDE_OK;
    }
    if (!split_stories(page, out, first, last)) return LEDE_E_NOMEM;
    trim_start(page, &out->v[0]);
    if (out->v[0].first > out->v[0].last) {
        ex_layout_free(out);
        assign_rest(page);
        return LEDE_OK;
    }
    size_t t = ex_headline_choose(page, out->v[0].first);
    out->v[0].title = t;
    for (size_t k = 0; k < out->n; k++) {
        if (out->v[k].title != NONE) ex_headline_mark(page, out->v[k].title, k);
        mark_links(page, &out->v[k]);
        assign_body(page, &out->v[k], k);
    }
    assign_rest(page);
    return LEDE_OK;
}

void ex_layout_free(ex_layout_t *l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
