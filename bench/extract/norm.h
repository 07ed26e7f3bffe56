/* norm: text as the truth files compare it (extraction-dev/README.md).
 *
 * norm_text() makes two spellings of the same text equal: Unicode NFKC,
 * typographic quotes and dashes made plain (' " -), case folded, runs of
 * white space collapsed to one space and trimmed at both ends.
 *
 * Tokens are the \w+ runs of the normalised text: letters, digits (every
 * Unicode number) and '_', with combining marks continuing a run; a run of
 * CJK characters (Han, kana, Hangul) is one token of its own, even when a
 * Latin word touches it ("iPhone上市" is "iphone", "上市"). */
#ifndef LEDE_EVAL_NORM_H
#define LEDE_EVAL_NORM_H

#include <stdbool.h>
#include <stddef.h>

/* The normalised form of s (NULL counts as ""). Invalid UTF-8 bytes are
 * dropped. Caller frees. */
char *norm_text(const char *s);

/* norm_text() with trailing punctuation removed too ("Colo." and "Colo"
 * compare equal): the form in which author and place sets are compared. */
char *norm_trimmed(const char *s);

/* The length of s in code points. */
size_t norm_chars(const char *s);

/* The tokens of one text: NUL-separated in one buffer. */
typedef struct norm_tokens {
    char *buf;
    size_t *at; /* token i starts at buf + at[i] */
    size_t n;
} norm_tokens_t;

/* Tokenises s (normalising it first; NULL counts as ""). Free with
 * norm_tokens_free(). */
void norm_tokenize(const char *s, norm_tokens_t *out);
void norm_tokens_free(norm_tokens_t *t);

static inline const char *norm_token(const norm_tokens_t *t, size_t i) {
    return t->buf + t->at[i];
}

/* The tokens [from, from + n) joined by single spaces. Caller frees. */
char *norm_tokens_join(const norm_tokens_t *t, size_t from, size_t n);

#endif
