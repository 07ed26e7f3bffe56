/* The shape of a unit of text, measured once: what boilerplate detectors
 * (jusText, boilerpipe) look at, in words rather than markup. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

/* A line is prose when it is a sentence of at least this many words ... */
#define PROSE_MIN_WORDS 4
/* ... and this share of them are function words, or it holds two
 * sentences (short quotes: "None were accompanied by a lawyer."). */
#define PROSE_MIN_STOP_PERMILLE 150

/* Bytes of the UTF-8 character at s (1 for ASCII and for broken bytes). */
static size_t char_len(const unsigned char *s) {
    if (s[0] < 0xC0) return 1;
    if (s[0] < 0xE0) return 2;
    return s[0] < 0xF0 ? 3 : 4;
}

/* A CJK ideograph or kana: each counts as a word of its own. */
static bool cjk_at(const unsigned char *s) {
    if (s[0] == 0xE3 && s[1] >= 0x81 && s[1] <= 0x83) return true; /* kana */
    return (s[0] >= 0xE4 && s[0] <= 0xE9);                         /* U+4000-U+9FFF */
}

/* Small and capital letters outside ASCII: Latin-1, Latin Extended, Greek
 * and Cyrillic, where case is a property of the code point's parity or
 * range. Good enough to tell "Ölkə" from "ölkə". */
static int case_of(const unsigned char *s) {
    if (isupper(s[0])) return 1;
    if (islower(s[0])) return -1;
    if (s[0] == 0xC3) return s[1] < 0x9F ? 1 : -1;                /* À..Þ, ß..ÿ */
    if (s[0] >= 0xC4 && s[0] <= 0xC5) return (s[1] & 1) ? -1 : 1; /* Latin Extended-A */
    if (s[0] == 0xD0) return s[1] < 0xB0 ? 1 : -1;                /* Ѐ..Я, а..п */
    if (s[0] == 0xD1) return -1;                                  /* р..я, ѐ..џ */
    if (s[0] == 0xC6 && s[1] == 0x8F) return 1;                   /* Ə */
    if (s[0] == 0xC9 && s[1] == 0x99) return -1;                  /* ə */
    return 0;
}

static bool quote_or_bracket(const char *s, size_t *k) {
    static const char *const CLOSERS[] = {"\"",           "'",       ")", "]", "\xE2\x80\x9D",
                                          "\xE2\x80\x99", "\xC2\xBB"};
    for (size_t i = 0; i < sizeof CLOSERS / sizeof CLOSERS[0]; i++) {
        size_t n = strlen(CLOSERS[i]);
        if (*k >= n && memcmp(s + *k - n, CLOSERS[i], n) == 0) {
            *k -= n;
            return true;
        }
    }
    return false;
}

/* Bytes of a desk code closing s[0..n): "-0-", "-02D-", "----08D--",
 * which wire services put after the last sentence; 0 when there is none. */
static size_t desk_code(const char *s, size_t n) {
    size_t i = n, inner = 0;
    if (i == 0 || s[i - 1] != '-') return 0;
    while (i > 0 && s[i - 1] == '-') i--;
    while (i > 0 && (isdigit((unsigned char)s[i - 1]) || isupper((unsigned char)s[i - 1])))
        i--, inner++;
    if (inner == 0 || inner > 4 || i == 0 || s[i - 1] != '-') return 0;
    while (i > 0 && s[i - 1] == '-') i--;
    return n - i;
}

/* A group in brackets after the last sentence: a link ("...cooperation.
 * [Special coverage]") or a wire credit ("... report. (Reporting by ...)");
 * its length, or 0. */
static size_t trailing_link(const char *s, size_t n) {
    if (n < 4 || (s[n - 1] != ']' && s[n - 1] != ')')) return 0;
    char open = s[n - 1] == ']' ? '[' : '(';
    size_t i = n - 1;
    while (i > 0 && s[i - 1] != open && n - i < 120) i--;
    if (i < 2 || s[i - 1] != open) return 0;
    size_t k = i - 1;
    while (k > 0 && s[k - 1] == ' ') k--;
    return k > 0 && strchr(".!?", s[k - 1]) ? n - k : 0;
}

/* The sentence mark that ends s[0..n), perhaps inside quotes or brackets,
 * or 0. */
static char ends_sentence(const char *s, size_t n) {
    n -= desk_code(s, n);
    n -= trailing_link(s, n);
    while (n > 0) {
        if (s[n - 1] == ' ')
            n--;
        else if (!quote_or_bracket(s, &n))
            break;
    }
    if (n >= 3 && memcmp(s + n - 3, "\xE2\x80\xA6", 3) == 0) return '.'; /* … */
    return n > 0 && strchr(".!?:", s[n - 1]) ? s[n - 1] : 0;
}

/* Counts sentence ends: a mark followed by a space and a capital. */
static unsigned count_sentences(const char *s, size_t n) {
    unsigned c = 0;
    for (size_t i = 1; i + 2 < n; i++)
        if (strchr(".!?", s[i]) && s[i + 1] == ' ' && isupper((unsigned char)s[i + 2]) &&
            islower((unsigned char)s[i - 1]))
            c++;
    return c;
}

/* Counts the word w[0..n) into sh; *upper and *lower count its capital
 * and small letters (for all_caps). */
static void count_word(const char *w, size_t n, bool first, ex_shape_t *sh, size_t *upper,
                       size_t *lower) {
    const unsigned char *u = (const unsigned char *)w;
    int c = case_of(u);
    sh->words++;
    bool digits = true, letters = false;
    /* Capitals and small letters are counted in ASCII only: enough to tell
     * a line in capitals, and cheap on every byte of every page. */
    for (size_t i = 0; i < n; i++) {
        if (!isdigit(u[i])) digits = false;
        if (isalpha(u[i]) || u[i] >= 0x80) letters = true;
        *upper += u[i] >= 'A' && u[i] <= 'Z';
        *lower += u[i] >= 'a' && u[i] <= 'z';
    }
    if (u[0] >= 0x80) *upper += c > 0, *lower += c < 0;
    sh->digits += digits || isdigit(u[0]); /* "19", "3,175", "13.6" */
    sh->letters += letters;
    sh->capital += c > 0;
    sh->lower += c < 0;
    unsigned flags = isdigit(u[0]) ? 0 : ex_word_flags(w, n);
    if (flags & EX_VOCAB_STOP) sh->stopwords++;
    if (flags & EX_VOCAB_SITE) sh->site_talk++;
    if ((n == 3 && strncasecmp(w, "you", 3) == 0) || (n == 4 && strncasecmp(w, "your", 4) == 0))
        sh->second_person = true;
    if (first) {
        sh->imperative = (flags & EX_VOCAB_IMPERATIVE) && c > 0;
        sh->starts_upper = c > 0 || digits;
        sh->starts_lower = c < 0;
    }
}

void ex_shape(const char *s, size_t n, ex_shape_t *sh) {
    memset(sh, 0, sizeof *sh);
    const char *last = NULL;
    size_t last_n = 0, upper = 0, lower = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        if (u[0] >= 0x80 && cjk_at(u)) {
            sh->starts_upper |= sh->words == 0;
            sh->words++, sh->letters++;
            i += char_len(u);
            continue;
        }
        size_t w = ex_word_len(s + i);
        if (w == 0) {
            i += char_len(u);
            continue;
        }
        count_word(s + i, w, sh->words == 0, sh, &upper, &lower);
        last = s + i, last_n = w;
        i += w;
    }
    sh->all_caps = upper >= 2 && lower == 0;
    sh->last_mark = ends_sentence(s, n);
    sh->end_mark = sh->last_mark != 0;
    sh->sentences = count_sentences(s, n) + sh->end_mark;
    sh->ends_weak =
        last && !sh->end_mark && last + last_n == s + n && ex_word_weak_end(last, last_n);
}

void ex_shape_light(const char *s, size_t n, unsigned *words, bool *end_mark) {
    unsigned w = 0;
    bool in_word = false;
    for (size_t i = 0; i < n; i++) {
        bool word_byte = isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
        w += word_byte && !in_word;
        in_word = word_byte || (in_word && s[i] != ' ' && s[i] != '\t');
    }
    *words = w;
    *end_mark = ends_sentence(s, n) != 0;
}

bool ex_starts_lower(const char *s) {
    for (size_t i = 0; s[i]; i += char_len((const unsigned char *)s + i)) {
        int c = case_of((const unsigned char *)s + i);
        if (c) return c < 0;
        if (isdigit((unsigned char)s[i])) return false;
    }
    return false;
}

bool ex_shape_prose(const ex_shape_t *sh) {
    if (sh->words < PROSE_MIN_WORDS && sh->sentences < 2) return false;
    if (!sh->end_mark && sh->sentences < 2) return false;
    return sh->stopwords * 1000 >= sh->words * PROSE_MIN_STOP_PERMILLE || sh->sentences >= 2;
}
