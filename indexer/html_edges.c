/* The edges of an article's body. The element that holds a story often
 * holds, before its first paragraph and after its last, lines that are
 * not the story: a label ("Advertisement", "Read more:"), a dateline
 * line, an editor's note or a promo set in italics, a copyright line in
 * bold, "This article originally appeared on ...", the writer's bio.
 * They are told apart by shape (short and without a sentence's end;
 * wholly emphasised; a name and a verb of a bio) and a little vocabulary;
 * the same lines inside the text are left alone. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "extract_html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A line shorter than this (weighted) and without a sentence's end is a
 * label. */
#define LABEL_MAX_WEIGHT 60
/* A note after the text is mostly emphasised and not long. */
#define NOTE_EMPHASIS_SHARE 0.8
#define NOTE_MAX_WEIGHT 600
#define BIO_MAX_WEIGHT 600
/* A date or byline line before the text is shorter than this. */
#define META_LINE_MAX_WEIGHT 200
/* At most this many lines are taken off the end. */
#define TAIL_MAX 8
/* A CJK label ("原标题：") has at most this many characters. */
#define CJK_LABEL_MAX 6

/* Lines that say where the article comes from, or sell it. */
static const char *const ORIGIN_OPENERS[] = {
    "This article originally appeared",
    "This article was originally published",
    "This article first appeared",
    "This article was reprinted",
    "This story originally appeared",
    "This story was originally published",
    "A version of this article appears",
    "A version of this story",
    "Originally published",
    "Order Reprints",
};

/* Labels of lines after the text that belong in fields or nowhere. */
static const char *const TAIL_LABELS[] = {
    "Source:",       "Sources:",  "Editing by", "Reporting by", "Additional reporting",
    "Translated by", "Related:",  "Read more",  "See also",     "Also read",
    "More:",         "Follow us", "Contact:",   "Email:",
};

/* Lines that say they are a caption. */
static const char *const CAPTION_OPENERS[] = {
    "Photo:",
    "Photo by",
    "Photos:",
    "Image:",
    "Caption:",
    "Credit:",
    "Foto:",
    "Bild:",
    "(Photo",
    "\xE5\x9B\xBE\xE6\xB3\xA8",                         /* 图注 */
    "\xE5\x9B\xBE\xE7\x89\x87\xE6\x9D\xA5\xE6\xBA\x90", /* 图片来源 */
};

/* Verbs that follow the writer's name in a bio, in a few languages. */
static const char *const BIO_VERBS[] = {"is",     "was", "has", "covers", "writes", "reports",
                                        "joined", "es",  "est", "ist",    "é",      "è"};
/* ... and words of a writer's job, one of which a bio holds. */
static const char *const JOB_WORDS[] = {
    "reporter",    "correspondent", "editor",     "writer",        "columnist",  "journalist",
    "contributor", "author of",     "covers",     "covered",       "analyst",    "analista",
    "professor",   "profesor",      "politólogo", "abogad",        "periodista", "investigador",
    "journaliste", "rédact",        "redakteur",  "korrespondent", "jornalista", "colunista",
};

static bool starts_ci(const char *s, const char *prefix) {
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool opens_with(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (starts_ci(s, list[i])) return true;
    return false;
}

/* The text ends as a sentence does (closing quotes and brackets allowed). */
static bool ends_sentence(const char *s, size_t n) {
    static const char *const ENDS[] = {
        ".",           "!", "?", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
        "\xE2\x80\xA6"}; /* 。！？… */
    static const char *const CLOSERS[] = {
        "\"",           "'",           ")", "]", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB",
        "\xE3\x80\x91", "\xEF\xBC\x89"};
    for (bool again = true; again && n > 0;) {
        again = false;
        for (size_t i = 0; i < COUNT(CLOSERS); i++) {
            size_t k = strlen(CLOSERS[i]);
            if (n > k && strncmp(s + n - k, CLOSERS[i], k) == 0) n -= k, again = true;
        }
    }
    for (size_t i = 0; i < COUNT(ENDS); i++) {
        size_t k = strlen(ENDS[i]);
        if (n >= k && strncmp(s + n - k, ENDS[i], k) == 0) return true;
    }
    return false;
}

static bool is_label(const hb_para_t *p) {
    return p->weight < LABEL_MAX_WEIGHT && !ends_sentence(p->text, p->len);
}

/* "Le Monde | 04.05.2015 à 13h36 | Par Jane Doe": a line with a date
 * (or opening with "By") that is not a sentence. */
static bool is_meta_line(const hb_para_t *p) {
    char iso[HTML_DATE_BYTES];
    if (p->weight >= META_LINE_MAX_WEIGHT || ends_sentence(p->text, p->len)) return false;
    return html_date_parse(p->text, false, iso) || starts_ci(p->text, "By ");
}

static bool is_note(const hb_para_t *p) {
    return p->weight <= NOTE_MAX_WEIGHT &&
           (double)p->emphasis >= NOTE_EMPHASIS_SHARE * (double)p->weight;
}

/* "原标题：...", "作者︱...": a few CJK characters, then a colon or bar. */
static bool cjk_label(const char *s) {
    for (int chars = 0; chars <= CJK_LABEL_MAX; chars++) {
        if (strncmp(s, "\xEF\xBC\x9A", 3) == 0 || strncmp(s, "\xEF\xB8\xB1", 3) == 0 ||
            strncmp(s, "\xEF\xBD\x9C", 3) == 0)
            return chars > 0;
        if ((unsigned char)s[0] < 0xE0 || (unsigned char)s[0] >= 0xF0) return false;
        s += 3;
    }
    return false;
}

/* One word of a name: capitalised letters, an initial ("D."), or a
 * particle; its length, or 0. */
static size_t name_word(const char *s) {
    static const char *const PARTICLES[] = {"de ", "da ", "van ", "von ", "del ", "la ", "le "};
    for (size_t i = 0; i < COUNT(PARTICLES); i++)
        if (strncmp(s, PARTICLES[i], strlen(PARTICLES[i])) == 0) return strlen(PARTICLES[i]) - 1;
    if (!isupper((unsigned char)s[0])) return 0;
    size_t n = 1;
    while (s[n] && s[n] != ' ' && s[n] != ',') {
        unsigned char c = (unsigned char)s[n];
        if (!isalpha(c) && c < 0x80 && c != '.' && c != '-' && c != '\'') return 0;
        n++;
    }
    return n;
}

/* "Jane Doe is a reporter ...", "LAURIE OAKES IS THE ... EDITOR",
 * "Andrés Malamud es politólogo ...": a name of two to four words, a
 * verb of a bio, and a word of a writer's job. */
static bool is_bio(const hb_para_t *p) {
    if (p->weight > BIO_MAX_WEIGHT) return false;
    const char *s = p->text;
    int words = 0;
    size_t k;
    while ((k = name_word(s)) != 0 && words < 5) {
        s += k, words++;
        if (*s != ' ') return false;
        s++;
        for (size_t i = 0; i < COUNT(BIO_VERBS); i++) {
            size_t v = strlen(BIO_VERBS[i]);
            if (words >= 2 && strncasecmp(s, BIO_VERBS[i], v) == 0 && s[v] == ' ') {
                for (size_t j = 0; j < COUNT(JOB_WORDS); j++)
                    if (html_contains_ci(s, JOB_WORDS[j])) return true;
                return false;
            }
        }
    }
    return false;
}

static void mark(hb_para_t *p, ex_role_t role, const char *why) {
    p->role = role;
    p->why = why;
}

/* What a line after the text is, or false when it is text. */
static bool tail_line(hb_para_t *p) {
    if (is_label(p)) {
        mark(p, EX_ROLE_FURNITURE, "a short line after the text");
    } else if (opens_with(p->text, ORIGIN_OPENERS, COUNT(ORIGIN_OPENERS))) {
        mark(p, EX_ROLE_META, "a note on where the article appeared");
    } else if (is_bio(p)) {
        mark(p, EX_ROLE_META, "the writer's bio");
    } else if (is_note(p)) {
        mark(p, EX_ROLE_FURNITURE, "a note in italics or bold after the text");
    } else if (opens_with(p->text, TAIL_LABELS, COUNT(TAIL_LABELS)) || cjk_label(p->text)) {
        mark(p, EX_ROLE_META, "a labelled line after the text");
    } else {
        return false;
    }
    return true;
}

void html_edges_mark(hb_paras_t *p) {
    size_t body = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->v[i].role != EX_ROLE_BODY) continue;
        if (opens_with(p->v[i].text, CAPTION_OPENERS, COUNT(CAPTION_OPENERS)))
            mark(&p->v[i], EX_ROLE_CAPTION, "says it is a caption");
        else
            body++;
    }
    for (size_t i = 0; i < p->n && body > 1; i++) {
        if (p->v[i].role != EX_ROLE_BODY) continue;
        if (is_label(&p->v[i]))
            mark(&p->v[i], EX_ROLE_FURNITURE, "a short line before the text");
        else if (is_meta_line(&p->v[i]))
            mark(&p->v[i], EX_ROLE_META, "a date or byline line before the text");
        else
            break;
        body--;
    }
    size_t taken = 0;
    for (size_t i = p->n; i-- > 0 && taken < TAIL_MAX && body > 1;) {
        if (p->v[i].role != EX_ROLE_BODY) continue;
        if (!tail_line(&p->v[i])) break;
        taken++, body--;
    }
}

/* The name before a bio's verb at s ("Jane Doe is ..."), into out. */
static bool bio_name(const char *s, char out[HTML_NAME_BYTES]) {
    const char *start = s;
    int words = 0;
    size_t k;
    while ((k = name_word(s)) != 0 && words < 5) {
        s += k, words++;
        if (*s != ' ') return false;
        for (size_t i = 0; i < COUNT(BIO_VERBS); i++) {
            size_t v = strlen(BIO_VERBS[i]);
            if (words < 2 || strncasecmp(s + 1, BIO_VERBS[i], v) != 0 || s[1 + v] != ' ') continue;
            size_t n = (size_t)(s - start);
            if (n >= HTML_NAME_BYTES) return false;
            memcpy(out, start, n);
            out[n] = '\0';
            return true;
        }
        s++;
    }
    return false;
}

size_t html_edges_bio_names(const char *bio, void (*add)(void *ctx, const char *name), void *ctx) {
    size_t found = 0;
    for (const char *s = bio; s && *s;) {
        char name[HTML_NAME_BYTES];
        if (bio_name(s, name)) add(ctx, name), found++;
        const char *end = strstr(s, ". ");
        s = end ? end + 2 : NULL;
    }
    return found;
}
